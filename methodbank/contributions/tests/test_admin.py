"""The admin goes through the workflow's services: status is read-only, and the actions that publish,
archive or approve call the same services as the site, with the same audit verbs (issue 16, item 6)."""

import pytest
from django.urls import reverse

from methodbank.catalog.models import Practice, PublicationStatus
from methodbank.contributions.models import ModerationDecision
from methodbank.core.models import AuditEvent

from .factories import ProjectFactory
from .test_publish_safety import submit_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(moderator):
    # The admin opens to staff only; the coordinator role gives the permissions.
    moderator.is_staff = True
    moderator.save()
    return moderator


def change_data(client, practice, **changes):
    """The admin change form's own data for ``practice`` with ``changes``, inlines left empty."""
    response = client.get(reverse("admin:catalog_practice_change", args=[practice.pk]))
    form = response.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in {"keywords", "owner"}}
    data.update({"slug": practice.slug, "language": "fi", "model_criteria": "[]"})
    if practice.project_id:
        data["project"] = practice.project_id
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data.update(changes)
    return data


def test_status_is_read_only_in_the_admin(client, owner, moderator, draft):
    client.force_login(moderator)
    url = reverse("admin:catalog_practice_change", args=[draft.pk])
    assert "status" not in client.get(url).context["adminform"].form.fields
    response = client.post(url, change_data(client, draft, title="Korjattu", status="published"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Korjattu" and draft.status == PublicationStatus.DRAFT
    project_url = reverse("admin:catalog_project_change", args=[draft.project_id])
    assert "status" not in client.get(project_url).context["adminform"].form.fields


def test_admin_refuses_an_unpublished_project_for_a_published_entry(client, owner, moderator, draft):
    submit_for(owner, draft, draft.project)
    client.force_login(moderator)
    client.post(reverse("admin:catalog_practice_changelist"), {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.PUBLISHED
    hidden = ProjectFactory(name="Piilohanke", status=PublicationStatus.DRAFT, published_at=None)
    response = client.post(reverse("admin:catalog_practice_change", args=[draft.pk]),
                           change_data(client, draft, project=hidden.pk))
    assert response.status_code == 200
    assert "published project" in response.content.decode()
    draft.refresh_from_db()
    assert draft.project_id != hidden.pk


def test_publish_action_calls_the_service(client, owner, moderator, draft):
    submit_for(owner, draft, draft.project)
    client.force_login(moderator)
    response = client.post(reverse("admin:catalog_practice_changelist"),
                           {"action": "publish", "_selected_action": [draft.pk]})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.PUBLISHED
    assert AuditEvent.objects.filter(verb="practice.publish", target_id=str(draft.pk)).count() == 1
    assert ModerationDecision.objects.filter(practice=draft, decision="published").exists()
    assert draft.versions.filter(status="published").exists()


def test_publish_action_obeys_the_workflow(client, owner, moderator, draft):
    # A draft cannot be published: the transition table says so, in the admin as on the site.
    client.force_login(moderator)
    response = client.post(reverse("admin:catalog_practice_changelist"),
                           {"action": "publish", "_selected_action": [draft.pk]}, follow=True)
    assert "cannot become" in response.content.decode()
    assert Practice.objects.get(pk=draft.pk).status == PublicationStatus.DRAFT
    assert not AuditEvent.objects.filter(verb="practice.publish").exists()


def test_publish_action_refuses_an_entry_of_an_unpublished_project(client, owner, moderator, draft):
    project = ProjectFactory(owner=owner, name="Luonnos", status=PublicationStatus.DRAFT, published_at=None)
    project.members.add(owner)
    submit_for(owner, draft, project)
    client.force_login(moderator)
    response = client.post(reverse("admin:catalog_practice_changelist"),
                           {"action": "publish", "_selected_action": [draft.pk]}, follow=True)
    assert "is not published" in response.content.decode()
    assert Practice.objects.get(pk=draft.pk).status == PublicationStatus.SUBMITTED


def test_a_contributor_with_admin_access_gets_no_workflow_actions(client, owner, draft):
    owner.is_staff = True
    owner.save()
    client.force_login(owner)
    response = client.post(reverse("admin:catalog_practice_changelist"),
                           {"action": "publish", "_selected_action": [draft.pk]})
    assert response.status_code in (302, 403)
    assert Practice.objects.get(pk=draft.pk).status == PublicationStatus.DRAFT




def test_a_correction_in_the_admin_is_a_version_and_bumps_the_lock(client, owner, moderator, draft):
    from methodbank.contributions.models import PracticeVersion, VersionStatus

    submit_for(owner, draft, draft.project)
    client.force_login(moderator)
    client.post(reverse("admin:catalog_practice_changelist"), {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    lock_before = draft.lock_version
    response = client.post(reverse("admin:catalog_practice_change", args=[draft.pk]),
                           change_data(client, draft, title="Korjattu otsikko"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Korjattu otsikko" and draft.lock_version == lock_before + 1
    version = PracticeVersion.objects.filter(practice=draft).order_by("-number").first()
    assert (version.status, version.author, version.data["title"]) == (VersionStatus.PUBLISHED, moderator,
                                                                       "Korjattu otsikko")
    assert AuditEvent.objects.filter(verb="practice.admin_correct", target_id=str(draft.pk)).exists()


def test_the_admin_refuses_to_overwrite_a_change_made_after_it_was_opened(client, owner, moderator, draft):
    client.force_login(moderator)
    stale = change_data(client, draft, title="Vanhasta lomakkeesta")
    # Meanwhile the owner saves the entry from the site's form (which takes the lock).
    Practice.objects.filter(pk=draft.pk).update(title="Omistajan muutos", lock_version=draft.lock_version + 1)
    response = client.post(reverse("admin:catalog_practice_change", args=[draft.pk]), stale)
    assert response.status_code == 200
    assert "Someone changed this record" in response.content.decode()
    draft.refresh_from_db()
    assert draft.title == "Omistajan muutos"
    project_url = reverse("admin:catalog_project_change", args=[draft.project_id])
    assert "seen_lock_version" in client.get(project_url).context["adminform"].form.fields
