"""Publishing is safe: the coordinator sees every attachment and everything else that publishing makes
public, and a published entry never belongs to an unpublished project (issue 16, items 1 and 2)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from methodbank.catalog.models import PublicationStatus
from methodbank.catalog.workflow import WorkflowError
from methodbank.contributions import services
from methodbank.core.models import AuditEvent

from .factories import ProjectFactory, complete_data
from .test_uploads import PDF_BYTES, office_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_project(owner):
    project = ProjectFactory(owner=owner, name="Luonnoshanke", status=PublicationStatus.DRAFT, published_at=None)
    project.members.add(owner)
    return project


def submit_for(owner, practice, project):
    services.practice_update(practice=practice, by=owner, data=complete_data(project=project.pk),
                             lock_version=practice.lock_version)
    services.practice_submit(practice=practice, by=owner)
    practice.refresh_from_db()
    return practice


@pytest.fixture
def submitted_in_draft_project(owner, draft, draft_project):
    return submit_for(owner, draft, draft_project)


# --- consistent publication ---------------------------------------------------------------


def test_an_entry_is_not_published_while_its_project_is_unpublished(owner, moderator, submitted_in_draft_project):
    with pytest.raises(WorkflowError, match="Luonnoshanke"):
        services.practice_publish(practice=submitted_in_draft_project, by=moderator)
    submitted_in_draft_project.refresh_from_db()
    assert submitted_in_draft_project.status == PublicationStatus.SUBMITTED
    assert submitted_in_draft_project.project.status == PublicationStatus.DRAFT


def test_the_coordinator_publishes_the_project_with_the_entry(owner, moderator, submitted_in_draft_project):
    services.practice_publish(practice=submitted_in_draft_project, by=moderator, publish_project=True)
    practice = submitted_in_draft_project
    practice.refresh_from_db()
    assert practice.status == PublicationStatus.PUBLISHED
    assert practice.project.status == PublicationStatus.PUBLISHED and practice.project.published_at
    event = AuditEvent.objects.get(verb="project.publish")
    assert event.data == {"with_practice": practice.pk}


def test_a_project_without_description_is_not_published_with_the_entry(owner, moderator, draft, draft_project):
    submit_for(owner, draft, draft_project)
    draft_project.description = ""
    draft_project.save()
    with pytest.raises(Exception, match="no description"):
        services.practice_publish(practice=draft, by=moderator, publish_project=True)
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.SUBMITTED


def test_a_revision_cannot_move_a_published_entry_to_an_unpublished_project(owner, moderator, draft, draft_project):
    submit_for(owner, draft, draft.project)
    services.practice_publish(practice=draft, by=moderator)
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.PUBLISHED and draft.project.is_published
    services.practice_update(practice=draft, by=owner, data=complete_data(project=draft_project.pk),
                             lock_version=draft.lock_version)
    services.practice_submit(practice=draft, by=owner)
    with pytest.raises(WorkflowError, match="not published"):
        services.practice_publish(practice=draft, by=moderator)
    draft.refresh_from_db()
    # Nothing of the revision reached the public entry.
    assert draft.project_id != draft_project.pk


def test_the_renamed_project_of_a_published_entry_waits_for_a_coordinator(owner, moderator, submitted_in_draft_project):
    services.practice_publish(practice=submitted_in_draft_project, by=moderator, publish_project=True)
    project = submitted_in_draft_project.project
    project.refresh_from_db()
    data = services.project_snapshot(project) | {"name": "UNMODERATED Buy cheap pills", "ends_on": project.ends_on}
    with pytest.raises(WorkflowError, match="coordinator"):
        services.project_update(project=project, by=owner, data=data, lock_version=project.lock_version)
    project.refresh_from_db()
    assert project.name == "Luonnoshanke"


def test_review_page_offers_publishing_the_project_too(client, owner, moderator, submitted_in_draft_project):
    practice = submitted_in_draft_project
    client.force_login(moderator)
    review = reverse("contributions:moderation_practice", kwargs={"pk": practice.pk})
    html = client.get(review).content.decode()
    assert "Publishing also makes public" in html and "Luonnoshanke" in html
    assert 'name="publish_project"' in html

    publish = reverse("contributions:moderation_practice_publish", kwargs={"pk": practice.pk})
    response = client.post(publish, {"comment": ""})
    assert response.status_code == 400
    assert "is not published" in response.content.decode()
    practice.refresh_from_db()
    assert practice.status == PublicationStatus.SUBMITTED

    assert client.post(publish, {"comment": "", "publish_project": "on"}).status_code == 302
    practice.refresh_from_db()
    assert practice.status == PublicationStatus.PUBLISHED and practice.project.is_published


# --- the review shows everything that becomes public ---------------------------------------


def test_review_lists_attachments_new_keywords_and_translations(client, owner, moderator, submitted_in_draft_project):
    practice = submitted_in_draft_project
    pdf = services.practice_attachment_add(practice=practice, by=owner, title="Opas",
                                           uploaded_file=SimpleUploadedFile("opas.pdf", PDF_BYTES))
    services.practice_translation_save(practice=practice, by=owner, language="sv",
                                       fields={"title": "Mentorskap"}, lock_version=practice.lock_version)
    client.force_login(moderator)
    html = client.get(reverse("contributions:moderation_practice", kwargs={"pk": practice.pk})).content.decode()
    assert reverse("contributions:moderation_attachment", kwargs={"pk": pdf.pk}) in html
    assert "application/pdf" in html and "opas.pdf" in html
    assert "New keywords" in html and "mentoring" in html
    assert "Translations" in html and "Swedish" in html


def test_attachment_preview_is_for_moderators_only_and_safe(client, owner, moderator, draft):
    pdf = services.practice_attachment_add(practice=draft, by=owner,
                                           uploaded_file=SimpleUploadedFile("opas.pdf", PDF_BYTES))
    docx = services.practice_attachment_add(
        practice=draft, by=owner, uploaded_file=SimpleUploadedFile("ohje.docx", office_file("word/document.xml"))
    )
    url = reverse("contributions:moderation_attachment", kwargs={"pk": pdf.pk})
    assert client.get(url).status_code in (302, 403)  # anonymous: sign in
    client.force_login(owner)
    assert client.get(url).status_code == 403  # the team downloads through its own page, not this one

    client.force_login(moderator)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES

    response = client.get(reverse("contributions:moderation_attachment", kwargs={"pk": docx.pk}))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_restoring_a_version_does_not_bring_back_an_unpublished_project(owner, moderator, draft, draft_project):
    services.practice_update(practice=draft, by=owner, data=complete_data(project=draft_project.pk),
                             lock_version=draft.lock_version)
    old = draft.versions.order_by("-number").first()
    draft.refresh_from_db()
    submit_for(owner, draft, ProjectFactory())  # moves to a published project
    services.practice_publish(practice=draft, by=moderator)
    draft.refresh_from_db()
    published_project = draft.project_id
    with pytest.raises(WorkflowError, match="not published"):
        services.practice_version_restore(version=old, by=moderator)
    draft.refresh_from_db()
    assert draft.project_id == published_project


def test_publication_check_finds_entries_left_from_before(owner, moderator, draft, draft_project):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("publication_check", stdout=out)
    assert "Every published entry" in out.getvalue()
    # A row as the flow before issue 16 could leave it.
    draft.project = draft_project
    draft.status = PublicationStatus.PUBLISHED
    draft.save()
    out = StringIO()
    with pytest.raises(CommandError, match="1 published entries"):
        call_command("publication_check", stdout=out)
    assert draft.slug in out.getvalue() and draft_project.slug in out.getvalue()
