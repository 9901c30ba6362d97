"""A project's team page: the project form (new and edit), submitting it, its team and ownership."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from methodbank.catalog.models import Project, PublicationStatus
from methodbank.catalog.workflow import EditConflict
from methodbank.core.errors import ApplicationError, form_add_service_error

from .. import permissions as perms
from .. import services
from ..forms import MemberAddForm, ProjectForm, ProjectPickForm
from .common import draft_querydict, flash_errors, suppress_errors, transfer_view, translation_rows


def _project_initial(project: Project) -> dict:
    return {
        "name": project.name, "short_name": project.short_name, "lead": project.lead.name if project.lead else "",
        "ends_on": project.ends_on_display, "scope": project.scope, "themes": list(project.themes.all()),
        "description": project.description, "funding_programme": project.funding_programme,
        "lock_version": project.lock_version,
    }


def _project_form_with_draft(request, *, key, initial=None):
    """GET: the autosaved draft (shown as typed, without messages) or the saved values."""
    draft = services.formdraft_get(user=request.user, key=key)
    if draft is not None and request.GET.get("draft") != "ignore":
        form = ProjectForm(draft_querydict(draft))
        suppress_errors(form)
        return form, draft
    return ProjectForm(initial=initial), None


@login_required
def project_create(request):
    draft = None
    if request.method == "POST":
        form = ProjectForm(request.POST)
    else:
        form, draft = _project_form_with_draft(request, key="project-new")
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(by=request.user, data=form.cleaned_data)
        except (ApplicationError, ValidationError) as error:
            form_add_service_error(form, error)
        else:
            services.formdraft_discard(user=request.user, key="project-new")
            request.session["cleared_draft"] = "project-new"
            messages.success(request, _("The project was saved. Submit it for review when it is ready."))
            return redirect("contributions:project_edit", pk=project.pk)
    return render(request, "contributions/project_form.html", {"form": form, "project": None,
                                                               "draft_key": "project-new", "restored_draft": draft,
                                                               "AUTOSAVE_INTERVAL_MS": settings.AUTOSAVE_INTERVAL_MS},
                  status=400 if request.method == "POST" else 200)


@login_required
def project_edit(request, pk):
    project = perms.project_get_for_edit(user=request.user, pk=pk)
    key = f"project-{project.pk}"
    draft = conflict = None
    if request.method == "POST":
        form = ProjectForm(request.POST, initial=_project_initial(project))
    else:
        form, draft = _project_form_with_draft(request, key=key, initial=_project_initial(project))
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(project=project, by=request.user, data=form.cleaned_data,
                                    lock_version=form.cleaned_data.get("lock_version") or 0)
        except EditConflict as error:
            conflict = {"theirs": error.current_data}
            post = request.POST.copy()
            post["lock_version"] = str(error.current_lock_version)
            form = ProjectForm(post)
            form.is_valid()
        except (ApplicationError, ValidationError) as error:
            form_add_service_error(form, error)
        else:
            services.formdraft_discard(user=request.user, key=key)
            request.session["cleared_draft"] = key
            messages.success(request, _("Saved."))
            return redirect("contributions:project_edit", pk=project.pk)
    return render(
        request,
        "contributions/project_form.html",
        {
            "form": form, "project": project, "conflict": conflict, "member_form": MemberAddForm(),
            "members": project.members.all(), "draft_key": key,
            "decisions": project.decisions.select_related("decided_by")[:5],
            # As the project itself: a published project is corrected by a coordinator.
            "translations_editable": project.status != PublicationStatus.PUBLISHED or perms.can_moderate(request.user),
            "translations": translation_rows(
                project,
                {t.language: {"name": t.name, "description": t.description} for t in project.translations.all()},
            ),
            "can_transfer": perms.can_transfer_ownership(request.user),
            "restored_draft": draft,
            "AUTOSAVE_INTERVAL_MS": settings.AUTOSAVE_INTERVAL_MS,
            "cleared_draft": request.session.pop("cleared_draft", None) if request.method == "GET" else None,
        },
        status=409 if conflict else (400 if request.method == "POST" else 200),
    )


@login_required
@require_POST
def project_submit(request, pk):
    project = perms.project_get_for_edit(user=request.user, pk=pk)
    try:
        services.project_submit(project=project, by=request.user)
    except (ApplicationError, ValidationError) as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The project was submitted for review."))
    return redirect("contributions:project_edit", pk=project.pk)


@login_required
def project_pick(request):
    """Coordinators open any project's team page (imported projects have no team yet)."""
    perms.require_moderator(request.user)
    form = ProjectPickForm(request.GET)
    if not form.is_valid():
        return redirect("contributions:own_page")
    project = perms.project_get_for_edit(user=request.user, pk=form.cleaned_data["project"])
    return redirect("contributions:project_edit", pk=project.pk)


@login_required
@require_POST
def project_member_add(request, pk):
    project = perms.project_get_for_edit(user=request.user, pk=pk)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        services.project_member_add(project=project, by=request.user, user=form.cleaned_data["user"])
        messages.success(request, _("The team member was added."))
    else:
        for error in form.errors.get("email", []):
            messages.error(request, error)
    return redirect("contributions:project_edit", pk=project.pk)


@login_required
@require_POST
def project_member_remove(request, pk, user_pk):
    project = perms.project_get_for_edit(user=request.user, pk=pk)
    member = get_object_or_404(project.members, pk=user_pk)
    try:
        services.project_member_remove(project=project, by=request.user, user=member)
    except ApplicationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The team member was removed."))
    return redirect("contributions:project_edit", pk=project.pk)


@login_required
def project_transfer(request, pk):
    perms.require_transfer(request.user)
    project = perms.project_get_for_edit(user=request.user, pk=pk)
    return transfer_view(
        request, target=project,
        service=lambda **kwargs: services.project_transfer_ownership(project=project, **kwargs),
        done_url=reverse("contributions:project_edit", args=[project.pk]),
    )
