"""The workflow through the services: drafts, submission, return with comments, publication,
revisions of published entries, restore, locking, keywords and the e-mails sent."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from methodbank.catalog.models import Keyword, Practice, PracticeKind, PublicationStatus
from methodbank.catalog.workflow import EditConflict, WorkflowError
from methodbank.contributions import services
from methodbank.contributions.content import PracticeContent
from methodbank.contributions.models import PracticeVersion, VersionStatus
from methodbank.core.models import AuditEvent

from .factories import PracticeFactory, complete_data

pytestmark = pytest.mark.django_db


def create(owner, **overrides):
    return services.practice_create(by=owner, data=complete_data(**overrides))


def test_create_keeps_first_version_and_audit(owner):
    practice = create(owner)
    assert practice.status == PublicationStatus.DRAFT
    assert practice.owner == owner
    assert practice.placements.count() == 1
    assert list(practice.links.values_list("url", flat=True)) == ["https://example.org/guide"]
    version = practice.versions.get()
    assert version.number == 1 and version.status == VersionStatus.SAVED
    assert version.data["title"] == "Mentoring for first-year students"
    assert AuditEvent.objects.filter(verb="practice.create", target_id=str(practice.pk)).exists()


def test_new_keyword_is_created_unapproved_and_accepted_on_publish(owner, moderator, django_capture_on_commit_callbacks):
    Keyword.objects.create(name="Mentoring", slug="mentoring", approved=True)
    practice = create(owner, keywords=["mentoring", "peer support"])
    assert set(practice.keywords.values_list("name", "approved")) == {("Mentoring", True), ("peer support", False)}
    services.practice_submit(practice=practice, by=owner)
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_publish(practice=practice, by=moderator)
    assert Keyword.objects.get(name="peer support").approved


def test_full_workflow_with_return_and_emails(owner, moderator, django_capture_on_commit_callbacks):
    practice = create(owner)
    services.practice_submit(practice=practice, by=owner)
    assert practice.status == PublicationStatus.SUBMITTED and practice.submitted_at

    with django_capture_on_commit_callbacks(execute=True):
        services.practice_return(practice=practice, by=moderator, comment="Please add the results.")
    practice.refresh_from_db()
    assert practice.status == PublicationStatus.RETURNED
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["owner@example.org"]
    assert "Please add the results." in mail.outbox[0].body

    services.practice_update(
        practice=practice, by=owner, data=complete_data(results_and_indicators="Dropouts fell by a third."),
        lock_version=practice.lock_version, reason="Added results",
    )
    services.practice_submit(practice=practice, by=owner)
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_publish(practice=practice, by=moderator, comment="Thank you!")
    practice.refresh_from_db()
    assert practice.status == PublicationStatus.PUBLISHED and practice.published_at
    assert practice.results_and_indicators == "Dropouts fell by a third."
    assert len(mail.outbox) == 2 and "Thank you!" in mail.outbox[1].body
    assert list(AuditEvent.objects.filter(target_id=str(practice.pk)).order_by("id").values_list("verb", flat=True)) == [
        "practice.create", "practice.submit", "practice.return", "practice.update", "practice.submit",
        "practice.publish",
    ]


def test_return_needs_comments(owner, moderator):
    practice = create(owner)
    services.practice_submit(practice=practice, by=owner)
    with pytest.raises(ValidationError) as info:
        services.practice_return(practice=practice, by=moderator, comment="  ")
    assert "comment" in info.value.message_dict


def test_transition_table_is_enforced(owner, moderator):
    practice = create(owner)
    with pytest.raises(WorkflowError):
        services.practice_publish(practice=practice, by=moderator)  # a draft is not published directly
    with pytest.raises(WorkflowError):
        services.practice_archive(practice=practice, by=moderator)
    practice.refresh_from_db()
    assert practice.status == PublicationStatus.DRAFT


def test_contributor_cannot_moderate(owner):
    practice = create(owner)
    services.practice_submit(practice=practice, by=owner)
    with pytest.raises(PermissionDenied):
        services.practice_publish(practice=practice, by=owner)


def test_incomplete_entry_cannot_be_submitted(owner):
    practice = create(owner, goal_and_target_group="", placements=[])
    with pytest.raises(ValidationError) as info:
        services.practice_submit(practice=practice, by=owner)
    assert {"goal_and_target_group", "placements"} <= set(info.value.message_dict)


def test_model_needs_its_sections_and_criteria(owner):
    errors = PracticeContent.model_validate(complete_data(kind=PracticeKind.MODEL)).submission_errors()
    assert {"results_and_indicators", "deployment_materials", "contacts", "model_criteria"} <= set(errors)
    ok = complete_data(
        kind=PracticeKind.MODEL, results_and_indicators="r", deployment_materials="m", contacts="c",
        model_criteria=["piloted", "adoptable", "national"],
    )
    assert PracticeContent.model_validate(ok).submission_errors() == {}


def published(owner, moderator):
    practice = create(owner)
    services.practice_submit(practice=practice, by=owner)
    services.practice_publish(practice=practice, by=moderator)
    practice.refresh_from_db()
    return practice


def test_editing_published_entry_creates_pending_revision(owner, moderator, django_capture_on_commit_callbacks):
    practice = published(owner, moderator)
    services.practice_update(
        practice=practice, by=owner, data=complete_data(title="Mentoring 2.0"), lock_version=practice.lock_version,
        reason="New name",
    )
    practice.refresh_from_db()
    # The published content stays as it was until a coordinator publishes the revision.
    assert practice.title == "Mentoring for first-year students"
    assert practice.status == PublicationStatus.PUBLISHED
    revision = services.practice_pending_revision(practice)
    assert revision.status == VersionStatus.DRAFT and revision.data["title"] == "Mentoring 2.0"

    services.practice_submit(practice=practice, by=owner)
    revision.refresh_from_db()
    assert revision.status == VersionStatus.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_return(practice=practice, by=moderator, comment="Keep the old name.")
    revision.refresh_from_db()
    assert revision.status == VersionStatus.RETURNED
    practice.refresh_from_db()
    assert practice.status == PublicationStatus.PUBLISHED  # still visible

    services.practice_update(
        practice=practice, by=owner, data=complete_data(summary="A better summary."),
        lock_version=practice.lock_version,
    )
    practice.refresh_from_db()
    services.practice_submit(practice=practice, by=owner)
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_publish(practice=practice, by=moderator)
    practice.refresh_from_db()
    assert practice.summary == "A better summary."
    statuses = list(practice.versions.order_by("number").values_list("status", flat=True))
    assert statuses == ["published", "superseded", "published"]
    assert len(mail.outbox) == 2


def test_restore_earlier_version_creates_new_version(owner, moderator):
    practice = create(owner)
    services.practice_update(practice=practice, by=owner, data=complete_data(summary="Second text."),
                             lock_version=practice.lock_version)
    first = practice.versions.get(number=1)
    new = services.practice_version_restore(version=first, by=moderator)
    practice.refresh_from_db()
    assert new.number == 3
    assert practice.summary == "Older students mentor first-year students."
    assert practice.versions.count() == 3
    with pytest.raises(PermissionDenied):
        services.practice_version_restore(version=first, by=owner)


def test_concurrent_edit_conflict_keeps_both(owner, teammate, team_project):
    practice = create(owner, project=team_project.pk)
    opened_at = practice.lock_version
    services.practice_update(practice=Practice.objects.get(pk=practice.pk), by=teammate,
                             data=complete_data(summary="Teammate's text", project=team_project.pk),
                             lock_version=opened_at)
    with pytest.raises(EditConflict) as info:
        services.practice_update(practice=Practice.objects.get(pk=practice.pk), by=owner,
                                 data=complete_data(summary="Owner's text", project=team_project.pk),
                                 lock_version=opened_at)
    assert info.value.current_data["summary"] == "Teammate's text"
    assert Practice.objects.get(pk=practice.pk).summary == "Teammate's text"
    assert info.value.current_lock_version == opened_at + 1


def test_archive_and_republish(owner, moderator):
    practice = published(owner, moderator)
    services.practice_archive(practice=practice, by=moderator)
    assert practice.status == PublicationStatus.ARCHIVED
    with pytest.raises(WorkflowError):
        services.practice_update(practice=practice, by=owner, data=complete_data(), lock_version=practice.lock_version)
    services.practice_publish(practice=practice, by=moderator)
    assert practice.status == PublicationStatus.PUBLISHED


def test_transfer_ownership(owner, other, moderator):
    practice = PracticeFactory(owner=owner)
    with pytest.raises(PermissionDenied):
        services.practice_transfer_ownership(practice=practice, by=owner, new_owner=other)
    services.practice_transfer_ownership(practice=practice, by=moderator, new_owner=other)
    practice.refresh_from_db()
    assert practice.owner == other


def test_project_workflow(owner, moderator, django_capture_on_commit_callbacks):
    project = services.project_create(by=owner, data={"name": "Uusi hanke", "lead": "Omnia", "description": "",
                                                      "themes": []})
    assert project.status == PublicationStatus.DRAFT and owner in project.members.all()
    assert project.lead.name == "Omnia"
    with pytest.raises(ValidationError):
        services.project_submit(project=project, by=owner)
    project.description = "Kuvaus"
    project.save()
    services.project_submit(project=project, by=owner)
    with django_capture_on_commit_callbacks(execute=True):
        services.project_return(project=project, by=moderator, comment="Add the end date.")
    assert project.status == PublicationStatus.RETURNED
    assert "Add the end date." in mail.outbox[-1].body


def test_versions_are_never_deleted_by_edits(owner):
    practice = create(owner)
    for n in range(3):
        practice.refresh_from_db()
        services.practice_update(practice=practice, by=owner, data=complete_data(summary=f"v{n}"),
                                 lock_version=practice.lock_version)
    assert list(PracticeVersion.objects.filter(practice=practice).values_list("number", flat=True)) == [4, 3, 2, 1]
