import re

import pytest
from django.test import Client
from django.urls import reverse

from methodbank.catalog.tests.factories import ModelPracticeFactory

from .factories import EvaluationEventFactory, answers, join

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return EvaluationEventFactory(models_on_agenda=[ModelPracticeFactory(title="Malli")])


def test_each_criterion_is_a_fieldset_with_legend_and_described_levels(event):
    model = event.models_on_agenda.get()
    client = join(Client(), event, "Kettu")
    html = client.get(
        reverse("evaluation:anon_assessment", args=[event.access_token, model.pk])
    ).content.decode()
    piloted = event.criteria_set.criteria.get(code="piloted")
    fieldset = re.search(r'<fieldset id="fs_id_criterion_piloted".*?</fieldset>', html, re.S).group(0)
    assert f"{piloted.title}</legend>" in fieldset
    for _n, text in piloted.levels():
        assert text in fieldset
    assert fieldset.count('type="radio"') == 5  # levels 1–4 and "cannot say"
    assert "Cannot say" in fieldset
    assert html.count("<h1") == 1


def test_errors_are_tied_to_their_fields_and_nothing_typed_is_lost(event):
    model = event.models_on_agenda.get()
    data = answers(event.criteria_set)
    del data["criterion_equity"]
    data["strengths"] = "Tämä ei saa kadota"
    client = join(Client(), event, "Kettu")
    response = client.post(reverse("evaluation:anon_assessment", args=[event.access_token, model.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    fieldset_open = re.search(r'<fieldset id="fs_id_criterion_equity"[^>]*>', html).group(0)
    assert "id_criterion_equity_errors" in fieldset_open  # aria-describedby
    assert '<ul class="errorlist" id="id_criterion_equity_errors"><li>Choose a level or “cannot say”.</li></ul>' in html
    assert 'href="#fs_id_criterion_equity"' in html  # the error summary links to the field
    assert "Tämä ei saa kadota" in html
    assert re.search(r'value="3" checked', html)


def test_qr_code_is_an_svg_of_the_anonymous_link(event, coordinator):
    client = Client()
    client.force_login(coordinator)
    response = client.get(reverse("evaluation:event_qr", args=[event.pk]))
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert "<svg" in svg and event.access_token in svg  # the link is the title of the code
    page = client.get(reverse("evaluation:event_access", args=[event.pk])).content.decode()
    assert "<svg" in page and f"http://testserver{event.get_anonymous_url()}" in page
