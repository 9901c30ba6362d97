"""Permission matrix: every contribution view × role × own/other's object.

Roles relative to one unpublished entry owned by ``owner`` in a project whose team includes
``teammate``; ``solo`` is an entry of ``owner`` outside any project (the teammate has no rights).
Expected: anonymous → log-in page (302) or 404 for downloads; other people's unpublished work → 404
(existence is not revealed); coordinator-only pages → 403 for everyone else.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from methodbank.catalog.models import PublicationStatus
from methodbank.contributions import services
from methodbank.contributions.content import PracticeContent

from .factories import PracticeFactory
from .test_uploads import PDF_BYTES

pytestmark = pytest.mark.django_db

LOGIN = "login"

# (name, method, target, {role: expected status})
MATRIX = [
    ("own_page", "get", None, {"anonymous": LOGIN, "other": 200, "owner": 200, "teammate": 200, "coordinator": 200}),
    ("practice_create", "get", None,
     {"anonymous": LOGIN, "other": 200, "owner": 200, "teammate": 200, "coordinator": 200}),
    ("project_create", "get", None,
     {"anonymous": LOGIN, "other": 200, "owner": 200, "teammate": 200, "coordinator": 200}),
    ("practice_detail", "get", "practice",
     {"anonymous": LOGIN, "other": 404, "owner": 200, "teammate": 200, "coordinator": 200}),
    ("practice_detail", "get", "solo",
     {"anonymous": LOGIN, "other": 404, "owner": 200, "teammate": 404, "coordinator": 200}),
    ("practice_edit", "get", "practice",
     {"anonymous": LOGIN, "other": 404, "owner": 200, "teammate": 200, "coordinator": 200}),
    ("practice_edit", "get", "solo",
     {"anonymous": LOGIN, "other": 404, "owner": 200, "teammate": 404, "coordinator": 200}),
    ("practice_edit", "post", "solo",
     {"anonymous": LOGIN, "other": 404, "owner": 400, "teammate": 404, "coordinator": 400}),
    ("practice_versions", "get", "practice",
     {"anonymous": LOGIN, "other": 404, "owner": 200, "teammate": 200, "coordinator": 200}),
    ("practice_submit", "post", "practice",
     {"anonymous": LOGIN, "other": 404, "owner": 302, "teammate": 302, "coordinator": 302}),
    ("practice_transfer", "get", "practice",
     {"anonymous": LOGIN, "other": 403, "owner": 403, "teammate": 403, "coordinator": 200}),
    ("version_restore", "post", "version",
     {"anonymous": LOGIN, "other": 403, "owner": 403, "teammate": 403, "coordinator": 302}),
    ("attachment_upload", "post", "practice",
     {"anonymous": LOGIN, "other": 404, "owner": 302, "teammate": 302, "coordinator": 302}),
    ("attachment_download", "get", "attachment",
     {"anonymous": 404, "other": 404, "owner": 200, "teammate": 200, "coordinator": 200}),
    ("attachment_delete", "post", "attachment",
     {"anonymous": LOGIN, "other": 404, "owner": 302, "teammate": 302, "coordinator": 302}),
    ("project_edit", "get", "project",
     {"anonymous": LOGIN, "other": 404, "owner": 200, "teammate": 200, "coordinator": 200}),
    ("project_member_add", "post", "project",
     {"anonymous": LOGIN, "other": 404, "owner": 302, "teammate": 302, "coordinator": 302}),
    ("project_member_remove", "post", "member",
     {"anonymous": LOGIN, "other": 404, "owner": 302, "teammate": 302, "coordinator": 302}),
    ("autosave_discard", "post", "draft_key",
     {"anonymous": LOGIN, "other": 302, "owner": 302, "teammate": 302, "coordinator": 302}),
    ("project_transfer", "get", "project",
     {"anonymous": LOGIN, "other": 403, "owner": 403, "teammate": 403, "coordinator": 200}),
    ("project_pick", "get", None,
     {"anonymous": LOGIN, "other": 403, "owner": 403, "teammate": 403, "coordinator": 302}),
    ("moderation_queue", "get", None,
     {"anonymous": LOGIN, "other": 403, "owner": 403, "teammate": 403, "coordinator": 200}),
    ("moderation_practice", "get", "practice",
     {"anonymous": LOGIN, "other": 403, "owner": 403, "teammate": 403, "coordinator": 200}),
    ("moderation_project", "get", "project",
     {"anonymous": LOGIN, "other": 403, "owner": 403, "teammate": 403, "coordinator": 200}),
    ("moderation_keywords", "get", None,
     {"anonymous": LOGIN, "other": 403, "owner": 403, "teammate": 403, "coordinator": 200}),
    ("autosave", "post", "draft_key",
     {"anonymous": 401, "other": 404, "owner": 200, "teammate": 200, "coordinator": 200}),
]
ROLES = ["anonymous", "other", "owner", "teammate", "coordinator"]
CASES = [
    pytest.param(name, method, target, role, expected[role], id=f"{name}-{target}-{role}")
    for name, method, target, expected in MATRIX
    for role in ROLES
]


@pytest.fixture
def objects(owner, teammate, draft, team_project):
    solo = PracticeFactory(owner=owner, project=None)
    version = services.practice_update(
        practice=draft, by=owner, data=PracticeContent.from_practice(draft), lock_version=draft.lock_version
    )
    draft.refresh_from_db()
    attachment = services.practice_attachment_add(
        practice=draft, by=owner, uploaded_file=SimpleUploadedFile("guide.pdf", PDF_BYTES)
    )
    return {"practice": draft, "solo": solo, "project": team_project, "version": version,
            "attachment": attachment, "teammate": teammate}


def url_for(name, target, objects):
    if target is None:
        return reverse(f"contributions:{name}")
    if target == "version":
        return reverse(f"contributions:{name}", kwargs={"pk": objects["practice"].pk, "number": 1})
    if target == "member":
        return reverse(f"contributions:{name}", kwargs={"pk": objects["project"].pk,
                                                         "user_pk": objects["teammate"].pk})
    if target == "draft_key":
        return reverse(f"contributions:{name}", kwargs={"key": f"practice-{objects['practice'].pk}"})
    return reverse(f"contributions:{name}", kwargs={"pk": objects[target].pk})


@pytest.mark.parametrize(("name", "method", "target", "role", "expected"), CASES)
def test_permission_matrix(client, request, objects, name, method, target, role, expected):
    users = {"owner": "owner", "teammate": "teammate", "other": "other", "coordinator": "moderator"}
    if role != "anonymous":
        client.force_login(request.getfixturevalue(users[role]))
    url = url_for(name, target, objects)
    data = {}
    if name == "attachment_upload":
        data = {"file": SimpleUploadedFile("more.pdf", PDF_BYTES)}
    elif name == "project_member_add":
        data = {"email": "owner@example.org"}
    elif name == "autosave":
        data = {"title": "typed"}
    response = getattr(client, method)(url, data)
    if expected == LOGIN:
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    else:
        assert response.status_code == expected, response.content[:500]


def test_published_attachment_is_public(client, owner, moderator, objects):
    practice = objects["practice"]
    practice.status = PublicationStatus.SUBMITTED
    practice.save()
    services.practice_publish(practice=practice, by=moderator)
    response = client.get(reverse("contributions:attachment_download", kwargs={"pk": objects["attachment"].pk}))
    assert response.status_code == 200
