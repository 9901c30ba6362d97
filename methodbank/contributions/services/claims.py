"""Requests to join a project's team: a signed-in user asks, a coordinator approves or declines.

An approved user becomes a member of the project, and so of the team of its entries: from then on
they edit those entries through the normal versioned, moderated workflow (nothing here publishes).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from methodbank.accounts.roles import is_active, is_team_member
from methodbank.catalog.models import Practice, Project
from methodbank.catalog.workflow import WorkflowError
from methodbank.core.services import audit_log

from .. import permissions as perms
from ..models import ClaimStatus, ProjectClaim
from ..notifications import claim_notify


@transaction.atomic
def project_claim_create(*, project: Project, user, reason: str, practice: Practice | None = None) -> ProjectClaim:
    if not is_active(user):
        raise WorkflowError(_("Sign in to ask to join a team."))
    if is_team_member(user, project):
        raise WorkflowError(_("You are already in the team of this project."))
    if ProjectClaim.objects.filter(project=project, user=user, status=ClaimStatus.PENDING).exists():
        raise WorkflowError(_("You have already asked to join this team. A coordinator will answer soon."))
    if practice is not None and practice.project_id != project.pk:
        practice = None
    claim = ProjectClaim(project=project, practice=practice, user=user, reason=reason.strip())
    claim.full_clean()
    claim.save()
    audit_log(actor=user, verb="project.claim", target=project, data={"claim": claim.pk})
    return claim


def _decide(*, claim: ProjectClaim, by, status: str, comment: str) -> ProjectClaim:
    perms.require_moderator(by)
    # Locked, so two coordinators deciding at once cannot both act on a pending claim.
    claim = ProjectClaim.objects.select_for_update().select_related("project", "user").get(pk=claim.pk)
    if claim.status != ClaimStatus.PENDING:
        raise WorkflowError(_("This request has already been decided."))
    if status == ClaimStatus.DECLINED and not comment.strip():
        raise ValidationError({"comment": [_("Tell the user why the request was declined.")]})
    claim.status = status
    claim.comment = comment.strip()
    claim.decided_by = by
    claim.decided_at = timezone.now()
    claim.full_clean()
    claim.save(update_fields=["status", "comment", "decided_by", "decided_at"])
    claim_id = claim.pk
    transaction.on_commit(lambda: claim_notify(claim_id=claim_id))
    return claim


@transaction.atomic
def project_claim_approve(*, claim: ProjectClaim, by, comment: str = "") -> ProjectClaim:
    claim = _decide(claim=claim, by=by, status=ClaimStatus.APPROVED, comment=comment)
    claim.project.members.add(claim.user)
    audit_log(actor=by, verb="project.claim_approve", target=claim.project,
              data={"claim": claim.pk, "user": claim.user_id})
    return claim


@transaction.atomic
def project_claim_decline(*, claim: ProjectClaim, by, comment: str) -> ProjectClaim:
    claim = _decide(claim=claim, by=by, status=ClaimStatus.DECLINED, comment=comment)
    audit_log(actor=by, verb="project.claim_decline", target=claim.project,
              data={"claim": claim.pk, "user": claim.user_id})
    return claim
