"""Adoption records: "we adopted this model", made by a signed-in user (or the team of a good practice
that applies the model), decided by a coordinator, withdrawn by whoever made it.

The record (catalog.Adoption) is pending until a coordinator approves it; only approved records count
on the model's page, in the reports, in the expert phase and in the open data. Each change of status
follows Adoption.TRANSITIONS and leaves an audit event.
"""

import html
import re

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from methodbank.accounts.roles import is_active, is_team_member
from methodbank.catalog.models import Adoption, AdoptionStatus, Practice, PracticeKind, PublicationStatus
from methodbank.catalog.signals import practice_used
from methodbank.catalog.workflow import WorkflowError
from methodbank.core.services import audit_log

from .. import permissions as perms

# Control characters other than tab and line feed: invisible, and some break exports and e-mails.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def plain_text(text: str) -> str:
    """The experience text as plain text: markup removed (a pasted web page leaves its words, not
    its tags), control characters dropped, line ends unified. Templates escape it when shown."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = html.unescape(nh3.clean(text, tags=set()))
    return _CONTROL.sub("", text).strip()


def _one_line(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text or "").split())


@transaction.atomic
def adoption_create(
    *, model: Practice, by, organisation: str, municipality: str, year: int, experience: str = "",
    practice: Practice | None = None,
) -> Adoption:
    if not is_active(by):
        raise WorkflowError(_("Sign in to record an adoption."))
    if model.kind != PracticeKind.MODEL or model.status != PublicationStatus.PUBLISHED:
        raise WorkflowError(_("Only a published model can be recorded as adopted."))
    if practice is not None and not (
        practice.kind == PracticeKind.GOOD_PRACTICE and practice.applies_model_id == model.pk
        and is_team_member(by, practice)
    ):
        raise WorkflowError(
            _("You can record an adoption for a good practice only if you are in its team and it applies this model.")
        )
    adoption = Adoption(
        model=model, practice=practice, organisation=_one_line(organisation), municipality=municipality,
        year=year, experience=plain_text(experience), created_by=by,
    )
    adoption.full_clean()  # also sets the region from the municipality
    already = Adoption.objects.annotate(name=Lower("organisation")).filter(
        model=model, name=adoption.organisation.lower(), municipality=adoption.municipality,
        status__in=[AdoptionStatus.PENDING, AdoptionStatus.APPROVED],
    )
    if already.exists():
        raise WorkflowError(_("This organisation's adoption of the model has already been recorded."))
    adoption.save()
    audit_log(actor=by, verb="adoption.create", target=model, data={"adoption": adoption.pk})
    return adoption


def _transition(*, adoption: Adoption, to: str) -> Adoption:
    # Locked, so two coordinators (or a coordinator and the owner) cannot both act on one record.
    adoption = Adoption.objects.select_for_update().select_related("model").get(pk=adoption.pk)
    if to not in Adoption.TRANSITIONS[AdoptionStatus(adoption.status)]:
        raise WorkflowError(_("This adoption record has already been decided or withdrawn."))
    adoption.status = to
    return adoption


def _decide(*, adoption: Adoption, by, status: str, comment: str) -> Adoption:
    perms.require_moderator(by)
    adoption = _transition(adoption=adoption, to=status)
    if status == AdoptionStatus.REJECTED and not comment.strip():
        raise ValidationError({"comment": [_("Tell the user why the record was rejected.")]})
    adoption.comment = comment.strip()
    adoption.decided_by = by
    adoption.decided_at = timezone.now()
    adoption.save(update_fields=["status", "comment", "decided_by", "decided_at", "updated_at"])
    audit_log(actor=by, verb=f"adoption.{status}", target=adoption.model, data={"adoption": adoption.pk})
    return adoption


@transaction.atomic
def adoption_approve(*, adoption: Adoption, by, comment: str = "") -> Adoption:
    adoption = _decide(adoption=adoption, by=by, status=AdoptionStatus.APPROVED, comment=comment)
    # The model's team sees its adoptions among its usage figures (counted once this commits).
    practice_used.send(sender=Adoption, practice_id=adoption.model_id, kind="adoption")
    return adoption


@transaction.atomic
def adoption_reject(*, adoption: Adoption, by, comment: str) -> Adoption:
    return _decide(adoption=adoption, by=by, status=AdoptionStatus.REJECTED, comment=comment)


def can_withdraw(user, adoption: Adoption) -> bool:
    """The user who made the record, or the team of the good practice it was made for."""
    if not is_active(user):
        return False
    return adoption.created_by_id == user.pk or (
        adoption.practice is not None and is_team_member(user, adoption.practice)
    )


@transaction.atomic
def adoption_withdraw(*, adoption: Adoption, by) -> Adoption:
    if not can_withdraw(by, adoption):
        raise PermissionDenied
    adoption = _transition(adoption=adoption, to=AdoptionStatus.WITHDRAWN)
    adoption.save(update_fields=["status", "updated_at"])
    audit_log(actor=by, verb="adoption.withdraw", target=adoption.model, data={"adoption": adoption.pk})
    return adoption
