"""Joining a project's team: the request a signed-in user makes (from an imported entry's
invitation, say) and the coordinator's queue of requests with one POST view per decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from methodbank.accounts.roles import is_team_member
from methodbank.catalog.models import Practice, Project
from methodbank.core.errors import ApplicationError, form_add_service_error
from methodbank.core.params import parse_id

from .. import permissions as perms
from .. import selectors, services
from ..forms import ClaimDecisionForm, ClaimForm
from ..models import ClaimStatus, ProjectClaim


def _claimed_practice(request, project):
    pk = parse_id(request.GET.get("entry") or request.POST.get("entry"))
    return Practice.objects.published().filter(pk=pk, project=project).first() if pk else None


@login_required
def project_claim(request, pk):
    # Only a published project can be claimed: its entries are the ones visitors are invited from.
    project = get_object_or_404(Project.objects.published(), pk=pk)
    practice = _claimed_practice(request, project)
    # Someone already in the team, or already waiting for an answer, is told so instead of being
    # shown a form whose sending would only be refused.
    # A request sent anyway (from an old tab) is refused: 400, nothing stored.
    refused = 400 if request.method == "POST" else 200
    if is_team_member(request.user, project):
        return render(request, "contributions/claim_form.html",
                      {"project": project, "practice": practice, "state": "member"}, status=refused)
    pending = selectors.pending_claim_of(user=request.user, project=project)
    if pending is not None:
        return render(request, "contributions/claim_form.html",
                      {"project": project, "practice": practice, "state": "pending", "claim": pending},
                      status=refused)
    form = ClaimForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.project_claim_create(
                    project=project, user=request.user, reason=form.cleaned_data["reason"], practice=practice
                )
            except (ApplicationError, ValidationError) as error:
                form_add_service_error(form, error)
            else:
                messages.success(request, _("Your request was sent. A coordinator will answer you by e-mail."))
                return redirect(practice.get_absolute_url() if practice else "contributions:own_page")
        status = 400
    return render(request, "contributions/claim_form.html",
                  {"project": project, "practice": practice, "form": form, "state": "claim"}, status=status)


@login_required
@require_GET
def moderation_claims(request):
    perms.require_moderator(request.user)
    return render(request, "contributions/moderation_claims.html",
                  {"claims": selectors.pending_claims(), "form": ClaimDecisionForm()})


def _claim_decide(request, pk, *, service, success: str):
    perms.require_moderator(request.user)
    claim = get_object_or_404(ProjectClaim, pk=pk, status=ClaimStatus.PENDING)
    form = ClaimDecisionForm(request.POST)
    if form.is_valid():
        try:
            service(claim=claim, by=request.user, comment=form.cleaned_data["comment"])
        except (ApplicationError, ValidationError) as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, success)
            return redirect("contributions:moderation_claims")
    return render(request, "contributions/moderation_claims.html",
                  {"claims": selectors.pending_claims(), "form": form, "failed": claim.pk}, status=400)


@login_required
@require_POST
def moderation_claim_approve(request, pk):
    return _claim_decide(request, pk, service=services.project_claim_approve,
                         success=_("Approved. The user is now in the team and was told by e-mail."))


@login_required
@require_POST
def moderation_claim_decline(request, pk):
    return _claim_decide(request, pk, service=services.project_claim_decline,
                         success=_("Declined. The user was told by e-mail."))
