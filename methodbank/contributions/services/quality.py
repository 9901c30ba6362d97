"""The data-quality queue: the importer's findings kept as items a coordinator fixes (through the
normal edit, then marks fixed) or dismisses with a reason. Nothing here touches the catalog."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from methodbank.catalog.importers.parser import garbled_characters
from methodbank.catalog.workflow import WorkflowError
from methodbank.core.services import audit_log

from .. import permissions as perms
from ..models import QualityIssue, QualityIssueKind, QualityIssueStatus


def _fingerprint(finding) -> str:
    practice = finding.practice.pk if finding.practice is not None else ""
    project = finding.project.pk if finding.project is not None else ""
    return hashlib.sha256(f"{finding.kind}|{practice}|{project}|{finding.key}".encode()).hexdigest()


@transaction.atomic
def quality_issues_record(*, findings, source: str = "") -> int:
    """Add the findings not yet in the queue; returns how many were added. A finding already there
    is left as it is: a dismissed or fixed item stays closed when the same report is imported again."""
    known = set(QualityIssue.objects.values_list("fingerprint", flat=True))
    new = []
    for finding in findings:
        if finding.kind not in QualityIssueKind.values or (finding.practice is None and finding.project is None):
            continue
        fingerprint = _fingerprint(finding)
        if fingerprint in known:
            continue
        known.add(fingerprint)
        new.append(QualityIssue(
            kind=finding.kind, fingerprint=fingerprint, practice=finding.practice, project=finding.project,
            detail=finding.detail, source=source,
        ))
    QualityIssue.objects.bulk_create(new)
    return len(new)


def _close(*, issue: QualityIssue, by, status: str, reason: str = "") -> QualityIssue:
    perms.require_moderator(by)
    issue = QualityIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.status != QualityIssueStatus.OPEN:
        raise WorkflowError(_("This item has already been closed."))
    issue.status, issue.reason = status, reason.strip()
    issue.decided_by, issue.decided_at = by, timezone.now()
    issue.full_clean()
    issue.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    return issue


@transaction.atomic
def quality_issue_fix(*, issue: QualityIssue, by) -> QualityIssue:
    """The coordinator has corrected the entry (through the normal edit) and closes the item."""
    issue = _close(issue=issue, by=by, status=QualityIssueStatus.FIXED)
    audit_log(actor=by, verb="quality_issue.fix", target=issue.practice or issue.project,
              data={"issue": issue.pk, "kind": issue.kind})
    return issue


@transaction.atomic
def quality_issue_dismiss(*, issue: QualityIssue, by, reason: str) -> QualityIssue:
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the item is dismissed.")]})
    issue = _close(issue=issue, by=by, status=QualityIssueStatus.DISMISSED, reason=reason)
    audit_log(actor=by, verb="quality_issue.dismiss", target=issue.practice or issue.project,
              data={"issue": issue.pk, "kind": issue.kind, "reason": issue.reason})
    return issue


def _finding_still_holds(issue: QualityIssue, practice) -> bool:
    if issue.kind == QualityIssueKind.MISSING_SECTIONS:
        return bool(practice.missing_sections())
    if issue.kind == QualityIssueKind.GARBLED:
        return any(garbled_characters(line) for line in f"{practice.title}\n{practice.summary}".split("\n"))
    # A loose match, a repeated paragraph or a possible duplicate needs a person's judgement.
    return True


@transaction.atomic
def quality_issues_recheck(*, practice, by) -> int:
    """After a published edit of the entry: close its open items whose finding no longer holds (the
    sections are filled in, the garbled characters are gone), as fixed by the one who published. So
    the queue does not wait for a second "mark fixed" step. Returns how many were closed."""
    closed = 0
    for issue in QualityIssue.objects.select_for_update().filter(practice=practice, status=QualityIssueStatus.OPEN):
        if _finding_still_holds(issue, practice):
            continue
        issue.status, issue.decided_by, issue.decided_at = QualityIssueStatus.FIXED, by, timezone.now()
        issue.save(update_fields=["status", "decided_by", "decided_at"])
        audit_log(actor=by, verb="quality_issue.fix", target=practice,
                  data={"issue": issue.pk, "kind": issue.kind, "automatic": True})
        closed += 1
    return closed
