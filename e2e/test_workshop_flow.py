"""A whole peer workshop in browsers: a coordinator on a desktop, four phones at 360 px (three
anonymous participants who join with a nickname, one signed in), two small groups, two models, then
the expert phase through to the model's public page with the experts' rationale."""

import datetime
import re

import pytest
from browser_support import (
    assert_no_horizontal_scroll,
    assert_no_serious_axe_violations,
    new_context,
    session_cookie,
)
from django.utils import timezone, translation

from methodbank.accounts.roles import Role
from methodbank.accounts.services import user_add_role
from methodbank.catalog.tests.factories import ModelPracticeFactory, ProjectFactory
from methodbank.evaluation.models import EventGroup, ExpertRecommendation, GroupAssessment, PeerAssessment
from methodbank.evaluation.tests.factories import EvaluationEventFactory, UserFactory, ensure_default_criteria

PHONE = {"width": 360, "height": 740, "is_mobile": True, "has_touch": True}
NICKNAMES = ("Kettu", "Ilves", "Karhu")


def named(action, title):
    """A link's accessible name: the visible action and the model's title, which is visually hidden."""
    return re.compile(rf"^{re.escape(action)}\s*:\s*{re.escape(title)}$")


def fill_assessment(page, value):
    """Tick the same level on every criterion (the last one "cannot say") and submit."""
    groups = page.locator("fieldset.criterion")
    for i in range(groups.count()):
        choice = "cannot_say" if i == groups.count() - 1 else str(value)
        groups.nth(i).locator(f"input[value='{choice}']").check()
    page.get_by_label("Strengths").fill(f"Vahvuus {value}")
    page.get_by_role("button", name="Submit the evaluation").click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_whole_workshop_on_phones_through_to_the_public_page(live_server, browser):
    ensure_default_criteria()
    coordinator = UserFactory(username="kaisa", full_name="Kaisa Koordinaattori", is_staff=True)
    user_add_role(user=coordinator, role=Role.COORDINATOR)
    expert = UserFactory(username="eero", full_name="Eero Asiantuntija")
    user_add_role(user=expert, role=Role.EXPERT)
    sanna = UserFactory(username="sanna", full_name="Sanna Osallistuja")
    model_a = ModelPracticeFactory(title="Ohjaamon nivelmalli", project=ProjectFactory(name="Siirtymät"))
    model_b = ModelPracticeFactory(title="Hakeutumisen tuki", project=ProjectFactory(name="Polku"))
    event = EvaluationEventFactory(
        title="Syksyn työpaja",
        coordinator=coordinator,
        models_on_agenda=[model_a, model_b],
        participants=[sanna],
        access_expires_at=timezone.now() + datetime.timedelta(hours=4),
    )
    base = live_server.url
    with translation.override("en"):
        link = base + event.get_anonymous_url()
        event_url = base + event.get_absolute_url()
        groups_url = base + f"/en/arviointi/tapahtumat/{event.pk}/ryhmat/"
        progress_url = base + f"/en/arviointi/tapahtumat/{event.pk}/edistyminen/"
        review_url = base + f"/en/arviointi/tapahtumat/{event.pk}/mallit/{model_a.pk}/asiantuntija/"
        public_url = base + model_a.get_absolute_url()

    desk = new_context(browser, cookies=[session_cookie(coordinator, base)]).new_page()
    phones = {}
    for nickname in NICKNAMES:
        phones[nickname] = new_context(browser, **PHONE).new_page()
    phones["sanna"] = new_context(browser, cookies=[session_cookie(sanna, base)], **PHONE).new_page()
    try:
        # The anonymous participants open the QR link and join with a nickname; nothing else is asked.
        for nickname in NICKNAMES:
            phone = phones[nickname]
            phone.goto(link)
            assert_no_horizontal_scroll(phone, "join page")
            phone.get_by_label("Nickname").fill(nickname)
            phone.get_by_role("button", name="Join").click()
            assert f"You take part as {nickname}" in phone.locator("main").inner_text()
        assert_no_serious_axe_violations(phones["Kettu"], "phone view of an anonymous participant")

        # Everyone fills the individual form of both models on their own phone.
        for who, value in [("Kettu", 4), ("Ilves", 3), ("Karhu", 2), ("sanna", 3)]:
            phone = phones[who]
            for model in (model_a, model_b):
                phone.goto(event_url if who == "sanna" else link)
                phone.get_by_role("link", name=named("Fill your individual form", model.title)).click()
                assert_no_horizontal_scroll(phone, "individual form")
                fill_assessment(phone, value)
                assert phone.locator("h1").inner_text() == "Thank you for your evaluation"
        assert PeerAssessment.objects.filter(event=event).count() == 8

        # The coordinator watches the progress view, then splits everyone present into groups of two.
        progress = new_context(browser, cookies=[session_cookie(coordinator, base)], width=1024, height=768).new_page()
        progress.goto(progress_url)
        assert "Kettu" in progress.locator("#progress").inner_text()
        assert_no_horizontal_scroll(progress, "progress on a tablet")
        desk.goto(groups_url)
        desk.get_by_label("People per group").fill("2")
        desk.get_by_role("button", name="Form the groups").click()
        assert "split into 2 groups" in desk.locator(".messages").inner_text()
        groups = list(EventGroup.objects.filter(event=event).prefetch_related("members", "guests"))
        assert sorted(len(g.members.all()) + len(g.guests.all()) for g in groups) == [2, 2]

        # One member of each group fills the group's form for both models, from their own phone view.
        for group in groups:
            guests = list(group.guests.all())
            who = guests[0].nickname if guests else "sanna"
            phone = phones[who]
            for model, value in [(model_a, 3), (model_b, 2)]:
                phone.goto(event_url if who == "sanna" else link)
                phone.get_by_role("link", name=named(f"Group assessment of {group.name}", model.title)).click()
                assert f"Group assessment of {group.name}" in phone.locator("main").inner_text()
                assert_no_horizontal_scroll(phone, "group form")
                fill_assessment(phone, value)
        assert GroupAssessment.objects.filter(event=event).count() == 4

        # The progress view has refreshed itself (HTMX polling): both groups are done for both models.
        progress.wait_for_function(
            "() => (document.querySelector('#progress').innerText.match(/2 \\/ 2/g) || []).length === 2",
            timeout=20000,
        )
        # The coordinator reaches every group's form from the event page too.
        desk.goto(event_url)
        assert desk.get_by_role("link", name=named(f"Group assessment of {groups[0].name}", model_a.title)).count() == 1

        # The expert phase: the expert's own assessment, then the joint recommendation with its rationale.
        expert_page = new_context(browser, cookies=[session_cookie(expert, base)]).new_page()
        expert_page.goto(review_url)
        assert_no_serious_axe_violations(expert_page, "expert review with charts")
        own = expert_page.get_by_role("group", name="Your assessment")
        own.get_by_label("recommended for national dissemination").check()
        expert_page.locator("#id_own-rationale").fill("Toimii monella paikkakunnalla.")
        expert_page.get_by_role("button", name="Save your assessment").click()
        joint = expert_page.get_by_role("group", name="Joint recommendation")
        joint.get_by_label("recommended for national dissemination").check()
        expert_page.locator("#id_joint-rationale").fill("Valmis levitettäväksi koko maahan.")
        expert_page.get_by_role("button", name="Save the joint recommendation").click()
        assert "The joint recommendation was saved." in expert_page.locator(".messages").inner_text()
        recommendation = ExpertRecommendation.objects.get(event=event, practice=model_a)

        # Anyone reads the outcome, the date, the evaluated version and the rationale on the public page.
        visitor = new_context(browser, **PHONE).new_page()
        visitor.goto(public_url)
        status = visitor.locator("section.evaluation-status").inner_text()
        assert "Recommended for national dissemination" in status
        assert f"version {recommendation.evaluated_lock_version} of the description" in status
        assert "Valmis levitettäväksi koko maahan." in status
        assert_no_horizontal_scroll(visitor, "public page")
    finally:
        for context in list(browser.contexts):
            context.close()
