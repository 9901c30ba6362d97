"""Translations of an entry (an edit of the entry: a new version, or a pending revision of a
published entry) and of a project."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from methodbank.catalog.models import PublicationStatus
from methodbank.catalog.workflow import EditConflict
from methodbank.core.errors import ApplicationError, form_add_service_error

from .. import permissions as perms
from .. import selectors, services
from ..forms import PracticeTranslationForm, ProjectTranslationForm
from .common import flash_errors, language_or_404


@login_required
def practice_translation_edit(request, pk, language):
    """Add or edit the entry's translation into one language."""
    practice = perms.practice_get_for_edit(user=request.user, pk=pk)
    language = language_or_404(practice, language)
    if practice.status == PublicationStatus.ARCHIVED:
        messages.error(request, _("An archived entry cannot be edited. Ask a coordinator to publish it again."))
        return redirect("contributions:practice_detail", pk=practice.pk)
    existing = (services.practice_current_content(practice).translations or {}).get(language)
    initial = {**(existing or {}), "lock_version": practice.lock_version}
    form = PracticeTranslationForm(request.POST or None, initial=initial, language=language)
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_translation_save(
                practice=practice, by=request.user, language=language, fields=form.cleaned_data,
                lock_version=form.cleaned_data.get("lock_version") or 0, reason=form.cleaned_data["reason"],
            )
        except EditConflict as error:
            conflict = True
            post = request.POST.copy()
            post["lock_version"] = str(error.current_lock_version)
            form = PracticeTranslationForm(post, language=language)
            form.is_valid()
            form.add_error(None, _("Someone else saved this entry while you were editing. Nothing was "
                                   "overwritten; check the entry and save again to keep your text."))
        except (ApplicationError, ValidationError) as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("The translation was saved."))
            return redirect("contributions:practice_detail", pk=practice.pk)
    language_name = dict(selectors.translation_languages(practice))[language]
    return render(
        request,
        "contributions/translation_form.html",
        {"form": form, "target": practice, "language": language, "language_name": language_name,
         "existing": existing, "cancel_url": reverse("contributions:practice_detail", args=[practice.pk]),
         "revision": practice.is_published, "lock_version": practice.lock_version,
         "delete_url": reverse("contributions:practice_translation_delete", args=[practice.pk, language])},
        status=409 if conflict else (400 if request.method == "POST" else 200),
    )


@login_required
@require_POST
def practice_translation_delete(request, pk, language):
    practice = perms.practice_get_for_edit(user=request.user, pk=pk)
    language = language_or_404(practice, language)
    try:
        services.practice_translation_delete(
            practice=practice, by=request.user, language=language,
            lock_version=int(request.POST.get("lock_version") or practice.lock_version),
        )
    except EditConflict:
        messages.error(request, _("Someone else saved this entry meanwhile. Nothing was removed; try again."))
    except (ApplicationError, ValidationError) as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The translation was removed."))
    return redirect("contributions:practice_detail", pk=practice.pk)


@login_required
def project_translation_edit(request, pk, language):
    project = perms.project_get_for_edit(user=request.user, pk=pk)
    language = language_or_404(project, language)
    existing = project.translations.filter(language=language).first()
    initial = {"name": existing.name, "description": existing.description} if existing else {}
    form = ProjectTranslationForm(request.POST or None, initial=initial, language=language)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_translation_save(
                project=project, by=request.user, language=language, fields=form.cleaned_data
            )
        except (ApplicationError, ValidationError) as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("The translation was saved."))
            return redirect("contributions:project_edit", pk=project.pk)
    language_name = dict(selectors.translation_languages(project))[language]
    return render(
        request,
        "contributions/translation_form.html",
        {"form": form, "target": project, "language": language, "language_name": language_name,
         "existing": existing, "cancel_url": reverse("contributions:project_edit", args=[project.pk]),
         "revision": False, "lock_version": None,
         "delete_url": reverse("contributions:project_translation_delete", args=[project.pk, language])},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def project_translation_delete(request, pk, language):
    project = perms.project_get_for_edit(user=request.user, pk=pk)
    language = language_or_404(project, language)
    try:
        services.project_translation_delete(project=project, by=request.user, language=language)
    except (ApplicationError, ValidationError) as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The translation was removed."))
    return redirect("contributions:project_edit", pk=project.pk)
