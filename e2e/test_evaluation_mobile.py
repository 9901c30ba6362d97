"""A workshop participant evaluates a model on a phone (360 px wide) through the anonymous link."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from methodbank.catalog.tests.factories import ModelPracticeFactory
from methodbank.evaluation.models import PeerAssessment
from methodbank.evaluation.tests.factories import EvaluationEventFactory, ensure_default_criteria

AXE_JS = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture
def phone():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        # bypass_csp lets the test inject axe-core; the site's CSP forbids inline scripts.
        context = browser.new_context(
            viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, bypass_csp=True
        )
        page = context.new_page()
        # Generous: the machine may be busy with other test runs; a slow page is not a failure here.
        page.set_default_timeout(60000)
        yield page
        context.close()
        browser.close()


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def serious_axe_violations(page):
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the page, as rule ids."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_participant_fills_the_form_on_a_phone(live_server, phone):
    ensure_default_criteria()
    model = ModelPracticeFactory(title="Ohjaamon ja oppilaitoksen yhteinen nivelvaiheen malli")
    event = EvaluationEventFactory(title="Vertaisarvioinnin työpaja", models_on_agenda=[model])
    with translation.override("en"):
        link = live_server.url + event.get_anonymous_url()

    page = phone
    page.goto(link)
    assert page.locator("h1").inner_text() == "Vertaisarvioinnin työpaja"
    assert no_horizontal_scroll(page)
    # A nickname first (nothing personal): one answer per participant and model.
    page.get_by_label("Nickname").fill("Kettu")
    page.get_by_role("button", name="Join").click()
    page.get_by_role("link", name=re.compile(rf"^Fill your individual form\s*:\s*{re.escape(model.title)}$")).click()
    assert page.locator("h1").inner_text() == model.title
    assert no_horizontal_scroll(page)

    # Submitting too early: the errors appear at the fields, nothing typed is lost.
    page.get_by_label("Strengths").fill("Selkeä työnjako ohjaamon kanssa.")
    page.get_by_role("button", name="Submit the evaluation").click()
    assert page.locator(".error-summary").is_visible()
    assert page.get_by_label("Strengths").input_value() == "Selkeä työnjako ohjaamon kanssa."
    assert no_horizontal_scroll(page)
    assert serious_axe_violations(page) == []

    # Each criterion is a radio group named by its legend; pick a level by tapping its description.
    criteria = list(event.criteria_set.criteria.all())
    for i, criterion in enumerate(criteria):
        group = page.get_by_role("group", name=criterion.title)
        if i == len(criteria) - 1:
            group.get_by_label("Cannot say").check()
        else:
            group.get_by_text(criterion.level_3).click()
    page.get_by_label("Development ideas").fill("Perehdytysmateriaali verkkoon.")
    page.get_by_role("button", name="Submit the evaluation").click()

    assert page.locator("h1").inner_text() == "Thank you for your evaluation"
    assert page.get_by_role("status").filter(has_text=model.title).is_visible()
    assert no_horizontal_scroll(page)
    assert serious_axe_violations(page) == []

    answer = PeerAssessment.objects.get(event=event, practice=model)
    assert answer.rater is None and answer.anonymous_id and answer.guest.nickname == "Kettu"
    assert answer.scores[criteria[0].code] == 3
    assert answer.scores[criteria[-1].code] is None
    assert answer.strengths == "Selkeä työnjako ohjaamon kanssa."
