// "Mine applies this model" next to a similar model: choose it under "Model it applies" and make the
// entry a good practice (only a good practice applies a model). Without JavaScript the help text says
// to choose the model in that field.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-applies-model]");
  if (!button) return;
  const select = document.getElementById("id_applies_model");
  if (!select) return;
  const goodPractice = document.querySelector('input[name="kind"][value="good_practice"]');
  if (goodPractice) goodPractice.checked = true;
  select.value = button.dataset.appliesModel;
  select.dispatchEvent(new Event("change", { bubbles: true }));
  select.focus();
});
