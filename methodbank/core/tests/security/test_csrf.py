"""Every state-changing form of the site, posted without a CSRF token by a logged-in user with the
right to use it: 403 from the CSRF check, and nothing stored changes."""

import pytest
from django.test import Client
from django.urls import reverse

from methodbank.catalog.tests.factories import ModelPracticeFactory
from methodbank.contributions.tests.factories import UserFactory
from methodbank.evaluation.tests.factories import EvaluationEventFactory, EventGroupFactory
from methodbank.reports.tests.factories import ReportDefinitionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(owner, coordinator, draft, team_project):
    model = ModelPracticeFactory(title="Malli")
    event = EvaluationEventFactory(models_on_agenda=[model], coordinator=coordinator, participants=[owner])
    group = EventGroupFactory(event=event, members=[owner])
    definition = ReportDefinitionFactory(slug="raportti")
    other = UserFactory(email="member@example.org")
    return {"model": model, "event": event, "group": group, "definition": definition, "other": other,
            "draft": draft, "project": team_project}


# (name, who logs in, url name, kwargs from the world, data)
FORMS = [
    ("practice create", "owner", "contributions:practice_create", {}, {"title": "x", "kind": "good_practice"}),
    ("practice edit", "owner", "contributions:practice_edit", {"pk": "draft"}, {"title": "x"}),
    ("practice submit", "owner", "contributions:practice_submit", {"pk": "draft"}, {}),
    ("version restore", "coordinator", "contributions:version_restore", {"pk": "draft", "number": 1}, {}),
    ("practice transfer", "coordinator", "contributions:practice_transfer", {"pk": "draft"}, {"user": "x"}),
    ("attachment upload", "owner", "contributions:attachment_upload", {"pk": "draft"}, {"title": "x"}),
    ("attachment delete", "owner", "contributions:attachment_delete", {"pk": 1}, {}),
    ("autosave", "owner", "contributions:autosave", {"key": "practice-new"}, {"title": "x"}),
    ("autosave discard", "owner", "contributions:autosave_discard", {"key": "practice-new"}, {}),
    ("project create", "owner", "contributions:project_create", {}, {"name": "x"}),
    ("project edit", "owner", "contributions:project_edit", {"pk": "project"}, {"name": "x"}),
    ("project member add", "owner", "contributions:project_member_add", {"pk": "project"}, {"user": "x"}),
    ("project member remove", "owner", "contributions:project_member_remove",
     {"pk": "project", "user_pk": "other"}, {}),
    ("project transfer", "coordinator", "contributions:project_transfer", {"pk": "project"}, {"user": "x"}),
    ("moderation practice publish", "coordinator", "contributions:moderation_practice_publish", {"pk": "draft"}, {}),
    ("moderation project publish", "coordinator", "contributions:moderation_project_publish", {"pk": "project"}, {}),
    ("moderation keyword approve", "coordinator", "contributions:moderation_keyword_approve", {"pk": 1}, {}),
    ("profile", "owner", "accounts:profile", {}, {"full_name": "x"}),
    ("account delete", "owner", "accounts:delete", {}, {"password": "pw-secret-12345", "confirm": "on"}),
    ("logout", "owner", "account_logout", {}, {}),
    ("change password", "owner", "account_change_password", {},
     {"oldpassword": "pw-secret-12345", "password1": "Uusi-salasana-123", "password2": "Uusi-salasana-123"}),
    ("email addresses", "owner", "account_email", {}, {"email": "new@example.org", "action_add": "1"}),
    ("login", None, "account_login", {}, {"login": "owner@example.org", "password": "pw-secret-12345"}),
    ("signup", None, "account_signup", {},
     {"email": "new@example.org", "password1": "Uusi-salasana-123", "password2": "Uusi-salasana-123",
      "full_name": "New"}),
    ("password reset", None, "account_reset_password", {}, {"email": "owner@example.org"}),
    ("event create", "coordinator", "evaluation:event_create", {}, {"title": "x"}),
    ("event edit", "coordinator", "evaluation:event_edit", {"pk": "event"}, {"title": "x"}),
    ("event groups", "coordinator", "evaluation:event_groups", {"pk": "event"}, {"name": "x"}),
    ("event access", "coordinator", "evaluation:event_access", {"pk": "event"}, {"action": "renew"}),
    ("peer assessment", "owner", "evaluation:peer_assessment", {"pk": "event", "practice_pk": "model"},
     {"strengths": "x"}),
    ("group assessment", "owner", "evaluation:group_assessment",
     {"pk": "event", "group_pk": "group", "practice_pk": "model"}, {"strengths": "x"}),
    ("expert review", "coordinator", "evaluation:expert_review", {"pk": "event", "practice_pk": "model"},
     {"rationale": "x"}),
    ("anonymous assessment", None, "evaluation:anon_assessment", {"token": "token", "practice_pk": "model"},
     {"strengths": "x"}),
    ("report definition create", "coordinator", "reports:definition_create", {}, {"slug": "x", "title": "x"}),
    ("report definition edit", "coordinator", "reports:definition_edit", {"slug": "definition"}, {"title": "x"}),
    ("report build", "coordinator", "reports:build_request", {"slug": "definition"}, {"format": "pdf"}),
    ("report build retry", "coordinator", "reports:build_retry", {"pk": 1}, {}),
    ("report publish", "coordinator", "reports:publish", {"slug": "definition"}, {}),
    ("API token create", "owner", "apitokens:list", {}, {"name": "x"}),
    ("API token revoke", "owner", "apitokens:revoke", {"pk": 1}, {}),
]


def _resolve(value, world):
    if value == "token":
        return world["event"].access_token
    if value == "definition":
        return world["definition"].slug
    if isinstance(value, str) and value in world:
        return world[value].pk
    return value


@pytest.mark.parametrize(("name", "who", "url_name", "kwargs", "data"), FORMS, ids=[f[0] for f in FORMS])
def test_post_without_csrf_token_is_refused(world, owner, coordinator, unchanged, name, who, url_name, kwargs, data):
    client = Client(enforce_csrf_checks=True)
    if who:
        client.force_login({"owner": owner, "coordinator": coordinator}[who])
    url = reverse(url_name, kwargs={k: _resolve(v, world) for k, v in kwargs.items()})
    check = unchanged()
    response = client.post(url, data)
    assert response.status_code == 403, f"{name}: {response.status_code}"
    assert b"CSRF" in response.content, name
    check(name)
