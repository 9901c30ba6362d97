"""XSS payloads in every text field a user can fill in. Where the input is accepted, every page that
shows it back has it escaped (no live <script>, onerror or javascript: link); rich text is cleaned
by nh3 on the way in; link fields refuse javascript: addresses and store nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from methodbank.api.services import api_token_create
from methodbank.catalog.models import Practice, PracticeLink, Project
from methodbank.catalog.tests.factories import ModelPracticeFactory
from methodbank.contributions.services import practice_publish, practice_submit
from methodbank.contributions.tests.factories import ThemeFactory
from methodbank.evaluation.models import PeerAssessment
from methodbank.evaluation.tests.factories import EvaluationEventFactory, answers, join
from methodbank.reports.models import ReportDefinition

from .conftest import XSS_PAYLOADS, assert_no_live_markup

pytestmark = pytest.mark.django_db

PAYLOAD = " ".join(XSS_PAYLOADS)
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"

PRACTICE_TEXT_FIELDS = [
    "title", "summary", "goal_and_target_group", "content_and_actions", "deployment_staff",
    "deployment_marketing", "deployment_materials", "resources", "results_and_indicators", "contacts",
    "reason",
]


def practice_form(theme, **overrides):
    data = {
        "kind": "good_practice", "title": "Kesäkoulu", "summary": "", "goal_and_target_group": "",
        "content_and_actions": "", "deployment_staff": "", "deployment_marketing": "",
        "deployment_materials": "", "resources": "", "results_and_indicators": "", "contacts": "",
        "project": "", "applies_model": "", "keywords": "kesäkoulu", "reason": "", "lock_version": "",
        "placements-TOTAL_FORMS": "1", "placements-INITIAL_FORMS": "0",
        "placements-MIN_NUM_FORMS": "0", "placements-MAX_NUM_FORMS": "20",
        "placements-0-theme": str(theme.pk), "placements-0-subtheme": "", "placements-0-period": "",
        "links-TOTAL_FORMS": "1", "links-INITIAL_FORMS": "0", "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "30", "links-0-url": "", "links-0-title": "",
        "action": "save",
    }
    data.update(overrides)
    return data


def pages_showing(client, urls):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        yield url, response.content.decode()


@pytest.mark.parametrize("field", PRACTICE_TEXT_FIELDS + ["keywords", "links-0-title"])
def test_practice_form_field_is_escaped_everywhere_it_shows(client, owner, coordinator, field):
    client.force_login(owner)
    value = PAYLOAD if field != "keywords" else "kesäkoulu, " + PAYLOAD.replace(",", " ")
    extra = {"links-0-url": "https://example.org/guide"} if field == "links-0-title" else {}
    response = client.post(reverse("contributions:practice_create"),
                           practice_form(ThemeFactory(), **{field: value, **extra}))
    assert response.status_code == 302, f"{field}: {response.status_code}"
    practice = Practice.objects.get(owner=owner)
    urls = [reverse("contributions:practice_detail", kwargs={"pk": practice.pk}),
            reverse("contributions:practice_edit", kwargs={"pk": practice.pk}),
            reverse("contributions:practice_versions", kwargs={"pk": practice.pk}),
            reverse("contributions:own_page")]
    shown = False
    for url, html in pages_showing(client, urls):
        assert_no_live_markup(html, f"{field} on {url}")
        shown = shown or ESCAPED_SCRIPT in html
    assert shown, f"{field}: the payload is not shown back escaped on the own pages"
    # Published, the entry is public: the catalog page escapes it too.
    practice.goal_and_target_group = practice.goal_and_target_group or "Target group."
    practice.content_and_actions = practice.content_and_actions or "Actions."
    practice.summary = practice.summary or "Summary."
    practice.save()
    practice_submit(practice=practice, by=owner)
    practice_publish(practice=Practice.objects.get(pk=practice.pk), by=coordinator)
    practice.refresh_from_db()
    public = Client()
    for url, html in pages_showing(public, [practice.get_absolute_url(), reverse("search:search") + "?q=kesäkoulu"]):
        assert_no_live_markup(html, f"{field} on {url}")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>",
                                 "vbscript:msgbox(1)"])
def test_practice_link_refuses_script_addresses(client, owner, url, unchanged):
    theme = ThemeFactory()
    client.force_login(owner)
    check = unchanged()
    response = client.post(reverse("contributions:practice_create"),
                           practice_form(theme, **{"links-0-url": url, "links-0-title": "Guide"}))
    assert response.status_code == 400, url
    html = response.content.decode()
    assert 'id="id_links-0-url_errors"' in html or "Enter a valid URL" in html
    assert_no_live_markup(html, url)
    assert not PracticeLink.objects.exists()
    check(url)


@pytest.mark.parametrize("field", ["name", "short_name", "lead", "description", "funding_programme"])
def test_project_form_field_is_escaped(client, owner, field):
    client.force_login(owner)
    data = {"name": "Hanke", "ends_on": "12/2021", field: PAYLOAD}
    response = client.post(reverse("contributions:project_create"), data)
    assert response.status_code == 302, field
    project = Project.objects.get(owner=owner)
    urls = [reverse("contributions:project_edit", kwargs={"pk": project.pk}), reverse("contributions:own_page")]
    shown = False
    for url, html in pages_showing(client, urls):
        assert_no_live_markup(html, f"{field} on {url}")
        shown = shown or ESCAPED_SCRIPT in html
    assert shown, field


@pytest.mark.parametrize("field", ["full_name", "organisation", "project_role"])
def test_profile_field_is_escaped(client, owner, field):
    client.force_login(owner)
    data = {"full_name": "Owner", "organisation": "", "project_role": "", field: PAYLOAD}
    response = client.post(reverse("accounts:profile"), data)
    assert response.status_code in (200, 302), field
    owner.refresh_from_db()
    assert getattr(owner, field) == PAYLOAD
    html = client.get(reverse("accounts:profile")).content.decode()
    assert_no_live_markup(html, field)
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize("field", ["strengths", "development_ideas", "notes"])
def test_anonymous_evaluation_answer_is_escaped(coordinator, field):
    model = ModelPracticeFactory(title="Malli")
    event = EvaluationEventFactory(models_on_agenda=[model], coordinator=coordinator)
    participant = join(Client(), event, "Osallistuja")
    data = answers(event.criteria_set)
    data[field] = PAYLOAD
    response = participant.post(reverse("evaluation:anon_assessment", args=[event.access_token, model.pk]), data)
    assert response.status_code == 302, field
    assert PeerAssessment.objects.get(event=event).__dict__[field] == PAYLOAD
    html = participant.get(response["Location"]).content.decode()
    assert_no_live_markup(html, f"{field} on the answer page")
    assert ESCAPED_SCRIPT in html
    staff = Client()
    staff.force_login(coordinator)
    for url in (reverse("evaluation:results", args=[event.pk, model.pk]),
                reverse("evaluation:feedback", args=[event.pk, model.pk])):
        page = staff.get(url)
        assert page.status_code == 200, url
        assert_no_live_markup(page.content.decode(), f"{field} on {url}")


def test_evaluation_event_online_address_refuses_javascript(client, coordinator, unchanged):
    client.force_login(coordinator)
    check = unchanged()
    response = client.post(reverse("evaluation:event_create"), {
        "title": PAYLOAD, "date": "2026-12-01", "place": PAYLOAD, "online_url": "javascript:alert(1)",
    })
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert_no_live_markup(html, "event form")
    check("event form with javascript: address")


@pytest.mark.parametrize("field", ["preface", "introduction", "intro_A"])
def test_report_rich_text_is_sanitised_on_the_way_in(client, coordinator, field):
    ThemeFactory(code="A")
    client.force_login(coordinator)
    rich = ('<p>Hyvä {entries}</p><script>alert(1)</script><img src=x onerror=alert(1)>'
            '<a href="javascript:alert(1)">link</a><p onclick="alert(1)">x</p>')
    data = {"slug": "xss", "title": PAYLOAD, "subtitle": PAYLOAD, "language": "fi", "preface": "",
            "introduction": "", field: rich}
    response = client.post(reverse("reports:definition_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    definition = ReportDefinition.objects.get(slug="xss")
    stored = definition.theme_introductions.get().text if field == "intro_A" else getattr(definition, field)
    for bad in ("<script", "onerror", "javascript:", "onclick", "<img"):
        assert bad not in stored, f"{field} stored {bad!r}"
    assert "<p>Hyvä {entries}</p>" in stored
    for url in (definition.get_absolute_url(), reverse("reports:definition_preview", kwargs={"slug": "xss"}),
                reverse("reports:definition_edit", kwargs={"slug": "xss"})):
        page = client.get(url, follow=True)  # an empty selection's preview redirects to the detail
        assert page.status_code == 200, url
        assert_no_live_markup(page.content.decode(), f"{field} on {url}")


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_search_query_is_escaped(client, payload):
    response = client.get(reverse("search:search"), {"q": payload})
    assert response.status_code == 200
    assert_no_live_markup(response.content.decode(), f"search {payload}")


@pytest.mark.parametrize("field", PRACTICE_TEXT_FIELDS)
def test_api_write_body_is_escaped_on_the_site(client, owner, field):
    ThemeFactory(code="A")
    _token, raw = api_token_create(user=owner, name="xss")
    body = {"kind": "good_practice", "title": "Kesäkoulu", "placements": [{"theme": "A"}],
            "links": [{"url": "https://example.org", "title": PAYLOAD}], field: PAYLOAD}
    response = client.post("/api/v1/me/entries", body, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 201, response.content
    assert response["Content-Type"].startswith("application/json")
    practice = Practice.objects.get(owner=owner)
    client.force_login(owner)
    html = client.get(reverse("contributions:practice_detail", kwargs={"pk": practice.pk})).content.decode()
    assert_no_live_markup(html, f"API {field}")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>"])
def test_api_link_refuses_script_addresses(client, owner, url, unchanged):
    ThemeFactory(code="A")
    _token, raw = api_token_create(user=owner, name="xss")
    check = unchanged()
    response = client.post("/api/v1/me/entries", {"kind": "good_practice", "title": "Kesäkoulu",
                                                  "links": [{"url": url, "title": "x"}]},
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    check(f"API link {url}")
