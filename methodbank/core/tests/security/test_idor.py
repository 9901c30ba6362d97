"""IDOR: another user's draft, version, attachment, evaluation answer, report build and API token,
reached by id. The answer is 403/404 (or the log-in page for a guest), never the content, and
nothing stored changes."""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from methodbank.api.services import api_token_create
from methodbank.catalog.tests.factories import ModelPracticeFactory
from methodbank.contributions import services as catalog_services
from methodbank.contributions.tests.factories import complete_data
from methodbank.evaluation.models import PeerAssessment
from methodbank.evaluation.tests.factories import EvaluationEventFactory, answers, join
from methodbank.reports.models import BuildStatus, ReportBuild
from methodbank.reports.tests.factories import ReportDefinitionFactory

pytestmark = pytest.mark.django_db

SECRET = "Confidential draft summary"
SECRET_FILE = b"%PDF-1.4\nsecret attachment content\n%%EOF\n"
SECRET_ANSWER = "Secret strengths of the model"
SECRET_REPORT = b"%PDF-1.4 secret report build"


@pytest.fixture
def world(owner, team_project, coordinator):
    draft = catalog_services.practice_create(
        by=owner, data=complete_data(title="Owner's draft", summary=SECRET, project=team_project.pk)
    )
    catalog_services.practice_update(practice=draft, by=owner, data=complete_data(
        title="Owner's draft", summary=SECRET + " v2", project=team_project.pk), lock_version=draft.lock_version)
    attachment = catalog_services.practice_attachment_add(
        practice=draft, by=owner, uploaded_file=SimpleUploadedFile("secret.pdf", SECRET_FILE)
    )
    model = ModelPracticeFactory(title="Malli")
    event = EvaluationEventFactory(models_on_agenda=[model], coordinator=coordinator)
    participant = join(Client(), event, "Osallistuja")
    data = answers(event.criteria_set)
    data["strengths"] = SECRET_ANSWER
    participant.post(reverse("evaluation:anon_assessment", args=[event.access_token, model.pk]), data)
    assessment = PeerAssessment.objects.get(event=event)
    definition = ReportDefinitionFactory(slug="salainen")
    build = ReportBuild.objects.create(definition=definition, format="pdf", status=BuildStatus.DONE,
                                       file=ContentFile(SECRET_REPORT, name="salainen.pdf"), created_by=coordinator)
    owner_token, owner_raw = api_token_create(user=owner, name="owner's token")
    return {"draft": draft, "attachment": attachment, "event": event, "model": model, "assessment": assessment,
            "build": build, "owner_token": owner_token, "owner_raw": owner_raw, "project": team_project}


def _site_attempts(w):
    d, a, e, m, b = w["draft"], w["attachment"], w["event"], w["model"], w["build"]
    return [
        ("GET", reverse("contributions:practice_detail", kwargs={"pk": d.pk}), {}),
        ("GET", reverse("contributions:practice_edit", kwargs={"pk": d.pk}), {}),
        ("POST", reverse("contributions:practice_edit", kwargs={"pk": d.pk}), {"title": "Stolen", "action": "save"}),
        ("POST", reverse("contributions:practice_submit", kwargs={"pk": d.pk}), {}),
        ("GET", reverse("contributions:practice_versions", kwargs={"pk": d.pk}), {}),
        ("POST", reverse("contributions:version_restore", kwargs={"pk": d.pk, "number": 1}), {}),
        ("POST", reverse("contributions:practice_transfer", kwargs={"pk": d.pk}), {"user": "intruder@example.org"}),
        ("POST", reverse("contributions:attachment_upload", kwargs={"pk": d.pk}),
         {"file": SimpleUploadedFile("x.pdf", SECRET_FILE)}),
        ("GET", reverse("contributions:attachment_download", kwargs={"pk": a.pk}), {}),
        ("POST", reverse("contributions:attachment_delete", kwargs={"pk": a.pk}), {}),
        ("POST", reverse("contributions:autosave", kwargs={"key": f"practice-{d.pk}"}), {"title": "Stolen"}),
        ("GET", reverse("contributions:project_edit", kwargs={"pk": w["project"].pk}), {}),
        ("POST", reverse("contributions:project_edit", kwargs={"pk": w["project"].pk}), {"name": "Stolen"}),
        ("POST", reverse("contributions:project_member_add", kwargs={"pk": w["project"].pk}),
         {"user": "intruder@example.org"}),
        ("POST", reverse("contributions:project_transfer", kwargs={"pk": w["project"].pk}),
         {"user": "intruder@example.org"}),
        ("GET", reverse("contributions:moderation_practice", kwargs={"pk": d.pk}), {}),
        ("POST", reverse("contributions:moderation_practice", kwargs={"pk": d.pk}), {"action": "publish"}),
        ("GET", reverse("catalog:practice", kwargs={"slug": d.slug}), {}),
        ("GET", reverse("evaluation:answer", kwargs={"public_id": w["assessment"].public_id}), {}),
        ("GET", reverse("evaluation:answer", kwargs={"public_id": w["assessment"].public_id})
         + f"?t={e.access_token}", {}),
        ("GET", reverse("evaluation:results", args=[e.pk, m.pk]), {}),
        ("GET", reverse("evaluation:feedback", args=[e.pk, m.pk]), {}),
        ("GET", reverse("evaluation:event_progress", args=[e.pk]), {}),
        ("GET", reverse("evaluation:event_access", args=[e.pk]), {}),
        ("GET", reverse("reports:build_status", kwargs={"pk": b.pk}), {}),
        ("GET", reverse("reports:build_download", kwargs={"pk": b.pk}), {}),
        ("POST", reverse("reports:build_retry", kwargs={"pk": b.pk}), {}),
        ("POST", reverse("apitokens:revoke", kwargs={"pk": w["owner_token"].pk}), {}),
    ]


def _assert_refused(response, where, guest):
    # A guest is sent to log in (the autosave endpoint answers 401: its script keeps the text).
    allowed = (401, 403, 404, 302) if guest else (403, 404)
    assert response.status_code in allowed, f"{where}: {response.status_code}"
    if response.status_code == 302:
        assert "/tili/login/" in response["Location"], f"{where}: redirected to {response['Location']}"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    for secret in (SECRET.encode(), SECRET_FILE, SECRET_ANSWER.encode(), SECRET_REPORT, b"Owner's draft"):
        assert secret not in body, f"{where}: leaked {secret[:30]!r}"


@pytest.mark.parametrize("role", ["intruder", "expert", "guest"])
def test_site_refuses_other_users_objects(world, intruder, expert, unchanged, role):
    """Each attempt is checked on its own; the failure lists every address that let the role in."""
    client = Client()
    if role != "guest":
        client.force_login({"intruder": intruder, "expert": expert}[role])
    failures = []
    for method, url, data in _site_attempts(world):
        if role == "expert" and ("/tulokset/" in url or "/palaute/" in url):
            continue  # experts see every event's results and feedback: the expert phase needs them
        where = f"{role} {method} {url}"
        check = unchanged()
        response = client.post(url, data) if method == "POST" else client.get(url)
        try:
            _assert_refused(response, where, guest=role == "guest")
            check(where)
        except (AssertionError, pytest.fail.Exception) as failure:
            failures.append(str(failure).splitlines()[0])
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(("method", "path", "body"), [
    ("GET", "/api/v1/me/entries/{id}", None),
    ("PUT", "/api/v1/me/entries/{id}", {"kind": "good_practice", "title": "Stolen", "lock_version": 0}),
    ("POST", "/api/v1/me/entries/{id}/submit", None),
    ("GET", "/api/v1/entries/{id}", None),
])
def test_api_refuses_other_users_entries(client, world, intruder, unchanged, method, path, body):
    _token, raw = api_token_create(user=intruder, name="intruder")
    url = path.format(id=world["draft"].pk)
    check = unchanged()
    response = client.generic(method, url, data=None if body is None else json.dumps(body),
                              content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code in (403, 404), f"{method} {url}: {response.status_code}"
    assert SECRET.encode() not in response.content
    check(f"API {method} {url}")


def test_own_entries_list_shows_only_own(client, world, intruder):
    _token, raw = api_token_create(user=intruder, name="intruder")
    response = client.get("/api/v1/me/entries", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert SECRET.encode() not in response.content


def test_revoked_token_of_the_owner_is_refused(client, world, owner, unchanged):
    from methodbank.api.services import api_token_revoke

    api_token_revoke(token=world["owner_token"], by=owner)
    check = unchanged()
    response = client.get(f"/api/v1/me/entries/{world['draft'].pk}",
                          HTTP_AUTHORIZATION=f"Bearer {world['owner_raw']}")
    assert response.status_code == 401
    check("revoked token")
