"""Imported entries read honestly and invite their teams: provenance, the invitation, and the claim
flow from the request to the coordinator's decision and the first edit."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from methodbank.accounts.services import user_delete_account
from methodbank.catalog.models import PublicationStatus
from methodbank.catalog.workflow import WorkflowError
from methodbank.contributions import services
from methodbank.contributions.models import ClaimStatus, PracticeVersion, ProjectClaim, VersionStatus
from methodbank.core.models import AuditEvent

from .factories import PracticeFactory, ProjectFactory, UserFactory
from .test_views import form_data

pytestmark = pytest.mark.django_db

IMPORT_DAY = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def imported():
    # As the importer leaves them: published, a summary only, the project without owner or team.
    project = ProjectFactory(name="Vamos 2. aste", owner=None)
    return PracticeFactory(
        title="Opinnollistaminen", project=project, status=PublicationStatus.PUBLISHED,
        published_at=IMPORT_DAY, source="zoomi-2020:line 477", summary="A summary from the report.",
    )


@pytest.fixture
def claimant(db):
    return UserFactory(email="claimant@example.org", language="sv")


def test_imported_entry_shows_its_report_and_invites_instead_of_alarming(client, imported):
    html = client.get(imported.get_absolute_url()).content.decode()
    assert "From the Zoomi report, autumn 2020" in html
    assert "arjenarkki.fi" in html and "closed on" in html
    assert "Are you from this project?" in html and "Claim this entry to complete it." in html
    claim_url = reverse("contributions:project_claim", kwargs={"pk": imported.project_id})
    assert f'href="{claim_url}?entry={imported.pk}"' in html
    # No alarm box, and not the import date posing as the publication date.
    assert "Missing sections" not in html
    assert 'datetime="2026-12-07T' not in html.split("Last updated")[0]


def test_entry_written_in_the_bank_keeps_its_publication_date_and_no_invitation(client):
    practice = PracticeFactory(status=PublicationStatus.PUBLISHED, published_at=IMPORT_DAY)
    html = client.get(practice.get_absolute_url()).content.decode()
    assert "Zoomi report" not in html and "Claim this entry" not in html
    assert "Missing sections" in html and 'datetime="2026-12-07T' in html.split("Last updated")[0]


def test_claim_needs_a_signed_in_user(client, imported):
    url = reverse("contributions:project_claim", kwargs={"pk": imported.project_id})
    response = client.post(url, {"reason": "I ran it."})
    assert response.status_code == 302 and "login" in response["Location"].lower()
    assert not ProjectClaim.objects.exists()


def test_claim_flow_declined_then_approved_and_edited_through_moderation(
    client, imported, claimant, moderator, django_capture_on_commit_callbacks
):
    edit_url = reverse("contributions:practice_edit", kwargs={"pk": imported.pk})
    claim_url = reverse("contributions:project_claim", kwargs={"pk": imported.project_id})
    client.force_login(claimant)

    # Before any approval the entry cannot be edited.
    assert client.get(edit_url).status_code == 404
    assert client.post(edit_url, form_data(title="Hijacked", lock_version="0")).status_code == 404

    # The request: a reason is required.
    assert client.post(f"{claim_url}?entry={imported.pk}", {"reason": ""}).status_code == 400
    response = client.post(f"{claim_url}?entry={imported.pk}", {"reason": "I was the project's coordinator."})
    assert response.status_code == 302 and response["Location"] == imported.get_absolute_url()
    claim = ProjectClaim.objects.get()
    assert (claim.user, claim.practice, claim.status) == (claimant, imported, ClaimStatus.PENDING)
    assert AuditEvent.objects.filter(verb="project.claim", actor=claimant).exists()
    assert "You have asked to join" in client.get(imported.get_absolute_url()).content.decode()
    # A second request while one waits is refused, not queued twice.
    assert client.post(claim_url, {"reason": "Again"}).status_code == 400
    assert ProjectClaim.objects.count() == 1
    # The claimant is not a coordinator.
    decline_url = reverse("contributions:moderation_claim_decline", kwargs={"pk": claim.pk})
    assert client.post(decline_url, {"comment": "no"}).status_code == 403

    # The coordinator's queue lists it; declining needs a reason for the user.
    client.force_login(moderator)
    queue = client.get(reverse("contributions:moderation_claims")).content.decode()
    assert "I was the project&#x27;s coordinator." in queue and "Opinnollistaminen" in queue
    assert "1 request to join a team awaits" in client.get(reverse("contributions:moderation_queue")).content.decode()
    assert client.post(decline_url, {"comment": ""}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decline_url, {"comment": "We could not confirm your role."})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DECLINED and claim.decided_by == moderator
    assert AuditEvent.objects.filter(verb="project.claim_decline", actor=moderator).exists()
    # E-mailed to the user, in their language (Swedish).
    [message] = mail.outbox
    assert message.to == ["claimant@example.org"] and message.extra_headers["Content-Language"] == "sv"
    assert "We could not confirm your role." in message.body
    assert "avslog" in message.subject.lower() or "avslag" in message.subject.lower()
    # The own page shows it declined, with the coordinator's comment.
    client.force_login(claimant)
    own = client.get(reverse("contributions:own_page")).content.decode()
    assert "My requests to join a team" in own and "declined – We could not confirm your role." in own
    client.force_login(moderator)
    # A decided request cannot be decided again.
    approve_url = reverse("contributions:moderation_claim_approve", kwargs={"pk": claim.pk})
    assert client.post(approve_url).status_code == 404
    imported.project.refresh_from_db()
    assert not imported.project.members.filter(pk=claimant.pk).exists()

    # Still no edit after a declined request.
    client.force_login(claimant)
    assert client.get(edit_url).status_code == 404

    # A new request, approved.
    client.post(claim_url, {"reason": "Here is my work e-mail at the lead organisation."})
    second = ProjectClaim.objects.get(status=ClaimStatus.PENDING)
    client.force_login(moderator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("contributions:moderation_claim_approve", kwargs={"pk": second.pk}))
    assert response.status_code == 302
    assert imported.project.members.filter(pk=claimant.pk).exists()
    assert AuditEvent.objects.filter(verb="project.claim_approve", actor=moderator).exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["claimant@example.org"]

    # Now the claimant edits through the normal workflow: a pending revision, the public text unchanged.
    client.force_login(claimant)
    assert client.get(edit_url).status_code == 200
    assert "Complete this entry" in client.get(imported.get_absolute_url()).content.decode()
    imported.refresh_from_db()
    response = client.post(edit_url, form_data(
        title="Opinnollistaminen", summary="The full description, written by the team.",
        project=str(imported.project_id), lock_version=str(imported.lock_version), action="submit",
    ))
    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.summary == "A summary from the report."
    revision = PracticeVersion.objects.filter(practice=imported).latest("number")
    assert revision.status == VersionStatus.SUBMITTED and revision.author == claimant
    assert revision.data["summary"] == "The full description, written by the team."


def test_only_published_projects_can_be_claimed(client, claimant):
    draft_project = ProjectFactory(status=PublicationStatus.DRAFT)
    client.force_login(claimant)
    url = reverse("contributions:project_claim", kwargs={"pk": draft_project.pk})
    assert client.get(url).status_code == 404


def test_team_member_cannot_claim_again(imported, claimant):
    imported.project.members.add(claimant)
    with pytest.raises(WorkflowError):
        services.project_claim_create(project=imported.project, user=claimant, reason="x")


def test_requests_to_join_go_with_an_erased_account(imported, claimant):
    services.project_claim_create(project=imported.project, user=claimant, reason="Olin hankkeen vetäjä.")
    user_delete_account(user=claimant)
    assert not ProjectClaim.objects.exists()


def test_claim_form_ignores_an_entry_that_is_not_an_id(client, imported, claimant):
    client.force_login(claimant)
    url = reverse("contributions:project_claim", kwargs={"pk": imported.project_id})
    assert client.get(url, {"entry": "99999999999999999999999"}).status_code == 200


def test_a_waiting_claimant_is_told_the_request_waits_instead_of_seeing_the_form_again(client, imported, claimant):
    client.force_login(claimant)
    url = reverse("contributions:project_claim", kwargs={"pk": imported.project_id})
    assert b'name="reason"' in client.get(url).content
    services.project_claim_create(project=imported.project, user=claimant, reason="Olin <b>hankkeen</b> vetäjä.")

    page = client.get(url).content.decode()
    assert 'name="reason"' not in page
    assert "Olin &lt;b&gt;hankkeen&lt;/b&gt; vetäjä." in page  # what they wrote, escaped
    # A second request sent anyway (an old tab) is still refused by the service, and nothing is added.
    assert client.post(url, {"reason": "Uudestaan"}).status_code == 400
    assert ProjectClaim.objects.filter(user=claimant).count() == 1


def test_a_team_member_is_told_so_instead_of_seeing_the_form(client, imported, claimant):
    imported.project.members.add(claimant)
    client.force_login(claimant)
    page = client.get(reverse("contributions:project_claim", kwargs={"pk": imported.project_id})).content.decode()
    assert 'name="reason"' not in page
    assert reverse("contributions:own_page") in page


def test_api_and_dumps_give_an_imported_entry_its_report_and_its_date(client, imported):
    from methodbank.catalog.exports import export_rows

    written_here = PracticeFactory(status=PublicationStatus.PUBLISHED, published_at=IMPORT_DAY)
    entry = client.get(f"/api/v1/entries/{imported.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert entry["source_report"] == {
        "key": "zoomi-2020", "name": "the Zoomi report", "published": "2020",
        "original_site": "arjenarkki.fi", "original_site_closed": "2020-12-01",
    }
    assert client.get(f"/api/v1/entries/{written_here.pk}").json()["source_report"] is None

    rows = {row["id"]: row for row in export_rows("entries")}
    assert (rows[imported.pk]["source_report"], rows[imported.pk]["source_published"]) == ("zoomi-2020", "2020")
    assert (rows[written_here.pk]["source_report"], rows[written_here.pk]["source_published"]) == ("", "")
