/* Contribution forms, progressive enhancement only (the forms work without JavaScript):
   - a copy of the form in localStorage on every change, offered back when the server has no newer
     draft (the server-side autosave runs through htmx attributes on the form);
   - comma-separated keyword suggestions from the datalist;
   - model/good-practice fields shown for the chosen kind. */
(function () {
  "use strict";
  var PREFIX = "mb-draft:";

  function storageKey(form) {
    return PREFIX + form.dataset.autosaveUser + ":" + form.dataset.autosaveKey;
  }

  function serialise(form) {
    var values = {};
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || typeof value !== "string") return;
      (values[name] = values[name] || []).push(value);
    });
    return values;
  }

  function restore(form, values) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || !(el.name in values) || el.name === "csrfmiddlewaretoken" || el.name === "lock_version") return;
      var vals = values[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = vals.indexOf(el.value) !== -1;
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = vals.indexOf(o.value) !== -1; });
      } else {
        el.value = vals[0];
      }
    });
  }

  // Drafts saved successfully on the server are cleared here (the page after saving names them).
  document.querySelectorAll("[data-clear-draft]").forEach(function (el) {
    try { localStorage.removeItem(PREFIX + el.dataset.user + ":" + el.dataset.clearDraft); } catch (e) {}
  });

  var form = document.querySelector("form[data-autosave-key]");
  if (!form) return;
  var key = storageKey(form);
  var status = document.getElementById("autosave-status");

  function keepLocal() {
    try {
      localStorage.setItem(key, JSON.stringify({ savedAt: Date.now(), values: serialise(form) }));
    } catch (e) { /* storage full or disabled: the server copy still works */ }
  }
  form.addEventListener("input", keepLocal);
  form.addEventListener("change", keepLocal);

  var local = null;
  try { local = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { local = null; }
  var rerendered = document.querySelector(".error-summary, .conflict");
  // The server's autosaved draft (seconds since the epoch) is already in the form; offer the
  // browser's copy only when it is newer, e.g. typed after the session had ended.
  var serverDraftAt = Number(form.dataset.serverDraft || 0) * 1000;
  function differs(values) {
    var now = serialise(form);
    delete now.lock_version;
    var then = Object.assign({}, values);
    delete then.lock_version;
    return JSON.stringify(now) !== JSON.stringify(then);
  }
  if (local && local.savedAt >= serverDraftAt && !rerendered && differs(local.values)) {
    var box = document.createElement("div");
    box.className = "notice";
    box.setAttribute("role", "status");
    var p = document.createElement("p");
    p.textContent = form.dataset.localText || "This browser has text you typed in this form but did not save.";
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = form.dataset.localRestore || "Restore it";
    button.addEventListener("click", function () {
      restore(form, local.values);
      box.remove();
      form.querySelector("input, textarea, select").focus();
    });
    box.appendChild(p);
    box.appendChild(button);
    form.parentNode.insertBefore(box, form);
  }

  // htmx reports a failed autosave (e.g. the session ended): tell the user the text is still here.
  document.body.addEventListener("htmx:responseError", function (event) {
    // 401 (signed out) or 403 (the CSRF cookie went with the session): same advice either way.
    if (event.detail.elt === form && status) status.textContent = form.dataset.localOnly || "";
  });
  document.body.addEventListener("htmx:sendError", function (event) {
    if (event.detail.elt === form && status) status.textContent = form.dataset.localOnly || "";
  });

  // Keyword suggestions for the last comma-separated term.
  var keywords = form.querySelector("[data-keywords]");
  var list = keywords && document.getElementById(keywords.getAttribute("list"));
  if (keywords && list) {
    var all = Array.prototype.map.call(list.options, function (o) { return o.value; });
    keywords.addEventListener("input", function () {
      var value = keywords.value;
      var cut = value.lastIndexOf(",");
      var head = cut >= 0 ? value.slice(0, cut + 1) + " " : "";
      var term = value.slice(cut + 1).trim().toLowerCase();
      list.innerHTML = "";
      all.filter(function (k) { return !term || k.toLowerCase().indexOf(term) !== -1; })
        .slice(0, 30)
        .forEach(function (k) {
          var option = document.createElement("option");
          option.value = head + k;
          list.appendChild(option);
        });
    });
  }

  // Show the fields of the chosen kind.
  function showKind() {
    var chosen = form.querySelector("input[name=kind]:checked");
    var isModel = chosen && chosen.value === "model";
    var criteria = document.getElementById("id_model_criteria_group");
    var applies = document.getElementById("id_applies_model");
    var explainer = form.querySelector(".model-explainer");
    if (criteria) criteria.hidden = !isModel;
    if (applies) applies.closest(".field").hidden = isModel;
    if (explainer && isModel) explainer.open = true;
  }
  form.querySelectorAll("input[name=kind]").forEach(function (r) { r.addEventListener("change", showKind); });
  showKind();
})();
