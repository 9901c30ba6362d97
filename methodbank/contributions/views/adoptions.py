"""Adoption records: the form a signed-in user fills in from a model's page, their own list (with
withdrawing), and the coordinator's queue with one POST view per decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from methodbank.catalog.models import Adoption, AdoptionStatus, Practice, PracticeKind
from methodbank.core.errors import ApplicationError, form_add_service_error
from methodbank.core.params import parse_id

from .. import permissions as perms
from .. import selectors, services
from ..forms import AdoptionDecisionForm, AdoptionForm


@login_required
def adoption_create(request, model_pk):
    model = get_object_or_404(Practice.objects.published(), pk=model_pk, kind=PracticeKind.MODEL)
    team_practices = selectors.team_practices_applying(user=request.user, model=model)
    initial = {}
    if chosen := parse_id(request.GET.get("practice")):
        initial["practice"] = chosen
    form = AdoptionForm(request.POST or None, initial=initial, team_practices=team_practices)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.adoption_create(model=model, by=request.user, **form.cleaned_data)
            except (ApplicationError, ValidationError) as error:
                form_add_service_error(form, error)
            else:
                messages.success(request, _("Thank you. The record is shown on the model's page once a coordinator "
                                            "has approved it."))
                return redirect("contributions:own_adoptions")
        status = 400
    return render(request, "contributions/adoption_form.html", {"model": model, "form": form}, status=status)


@login_required
@require_GET
def own_adoptions(request):
    records = selectors.own_adoptions(user=request.user)
    for record in records:
        record.withdrawable = AdoptionStatus.WITHDRAWN in Adoption.TRANSITIONS[AdoptionStatus(record.status)]
    return render(request, "contributions/own_adoptions.html", {"records": records})


@login_required
@require_POST
def adoption_withdraw(request, pk):
    adoption = get_object_or_404(Adoption.objects.select_related("practice__project"), pk=pk)
    # Someone else's record answers 404, as if it did not exist.
    if not services.can_withdraw(request.user, adoption):
        raise Http404
    try:
        services.adoption_withdraw(adoption=adoption, by=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The adoption record was withdrawn."))
    return redirect("contributions:own_adoptions")


@login_required
@require_GET
def moderation_adoptions(request):
    perms.require_moderator(request.user)
    return render(request, "contributions/moderation_adoptions.html",
                  {"records": selectors.pending_adoptions(), "form": AdoptionDecisionForm()})


def _decide(request, pk, *, service, success: str):
    perms.require_moderator(request.user)
    adoption = get_object_or_404(Adoption, pk=pk, status=AdoptionStatus.PENDING)
    form = AdoptionDecisionForm(request.POST)
    if form.is_valid():
        try:
            service(adoption=adoption, by=request.user, comment=form.cleaned_data["comment"])
        except (ApplicationError, ValidationError) as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, success)
            return redirect("contributions:moderation_adoptions")
    return render(request, "contributions/moderation_adoptions.html",
                  {"records": selectors.pending_adoptions(), "form": form, "failed": adoption.pk}, status=400)


@login_required
@require_POST
def moderation_adoption_approve(request, pk):
    return _decide(request, pk, service=services.adoption_approve,
                   success=_("Approved. The record now counts on the model's page."))


@login_required
@require_POST
def moderation_adoption_reject(request, pk):
    return _decide(request, pk, service=services.adoption_reject,
                   success=_("Rejected. The user sees your comment on their list of adoption records."))
