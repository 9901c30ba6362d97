"""The data-quality queue in the moderation area: the importer's findings, each linked to its entry
or project, fixed through the normal edit or dismissed with a reason (one POST view per action)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from methodbank.core.errors import ApplicationError, service_error_messages
from methodbank.core.pagination import paginate

from .. import permissions as perms
from .. import selectors, services
from ..models import QualityIssue, QualityIssueKind, QualityIssueStatus


@login_required
@require_GET
def moderation_quality(request):
    perms.require_moderator(request.user)
    kind = request.GET.get("kind", "")
    if kind not in QualityIssueKind.values:
        kind = ""
    counts = selectors.open_quality_issue_counts()
    page = paginate(request, selectors.open_quality_issues(kind=kind), per_page=30, keep=("kind",))
    return render(request, "contributions/moderation_quality.html", {
        "page": page, "kind": kind,
        "kinds": [(value, label, counts.get(value, 0)) for value, label in QualityIssueKind.choices],
        "total": sum(counts.values()),
    })


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("contributions:moderation_quality")


def _close(request, pk, action):
    perms.require_moderator(request.user)
    issue = get_object_or_404(QualityIssue, pk=pk, status=QualityIssueStatus.OPEN)
    try:
        action(issue)
    except (ApplicationError, ValidationError) as error:
        for message in service_error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, _("Closed: %(item)s.") % {"item": issue})
    return _back(request)


@login_required
@require_POST
def moderation_quality_fix(request, pk):
    return _close(request, pk, lambda issue: services.quality_issue_fix(issue=issue, by=request.user))


@login_required
@require_POST
def moderation_quality_dismiss(request, pk):
    return _close(request, pk, lambda issue: services.quality_issue_dismiss(
        issue=issue, by=request.user, reason=request.POST.get("reason", "")[:2000]))
