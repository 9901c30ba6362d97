"""Own page ("Oma sivu"), contribution forms, versions, attachments and the coordinator's queue.

Views parse input, fetch objects through the permission-checked getters in permissions.py, call
one service and render. Nothing typed is lost: invalid forms re-render with the data, conflicts
show both texts, and the autosave keeps a server-side draft per user.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict, ErrorList
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from methodbank.catalog.models import (
    Keyword,
    Practice,
    PracticeKind,
    Project,
    PublicationStatus,
    Theme,
    missing_sections,
)
from methodbank.catalog.workflow import EditConflict, WorkflowError
from methodbank.core.errors import form_add_service_error, service_error_messages

from . import permissions as perms
from . import selectors, services
from .content import TEXT_FIELDS, PracticeContent
from .forms import (
    AttachmentForm,
    DecisionForm,
    LinkFormSet,
    MemberAddForm,
    ModerationFilterForm,
    PlacementFormSet,
    PracticeForm,
    PracticeTranslationForm,
    ProjectForm,
    ProjectPickForm,
    ProjectTranslationForm,
    TransferForm,
    VersionPairForm,
    formset_rows,
)
from .models import PracticeVersion
from .services import DRAFT_KEY_RE, formdraft_discard, formdraft_get, formdraft_save


def _suppress_errors(form_or_formset) -> None:
    """A restored draft is shown as typed, without validation messages the user has not asked for."""
    if hasattr(form_or_formset, "forms"):
        form_or_formset._errors = [ErrorDict() for _f in form_or_formset.forms]
        form_or_formset._non_form_errors = ErrorList()
        for form in form_or_formset.forms:
            form._errors = ErrorDict()
    else:
        form_or_formset._errors = ErrorDict()


def _draft_querydict(draft) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, values in draft.data.items():
        data.setlist(name, values)
    return data


# --- own page ---------------------------------------------------------------------------------


@login_required
def own_page(request):
    practices = list(selectors.own_practices(user=request.user))
    for practice in practices:
        practice.pending = practice.pending_revisions[0] if practice.pending_revisions else None
        practice.latest_decision = practice.decision_list[0] if practice.decision_list else None
    projects = list(selectors.own_projects(user=request.user))
    for project in projects:
        project.latest_decision = project.decision_list[0] if project.decision_list else None
    return render(
        request,
        "contributions/own_page.html",
        {
            "models": [p for p in practices if p.kind == PracticeKind.MODEL],
            "good_practices": [p for p in practices if p.kind == PracticeKind.GOOD_PRACTICE],
            "projects": projects,
            "can_moderate": perms.can_moderate(request.user),
            "all_projects": Project.objects.order_by("name").only("pk", "name") if perms.can_moderate(request.user)
            else None,
        },
    )


# --- practice form ----------------------------------------------------------------------------


def _initial_from_content(content: PracticeContent) -> tuple[dict, list, list]:
    initial = {name: getattr(content, name) for name in TEXT_FIELDS}
    initial.update(
        kind=content.kind,
        model_criteria=content.model_criteria,
        project=content.project,
        applies_model=content.applies_model,
        keywords=", ".join(content.keywords),
    )
    placements = [{"theme": p.theme, "subtheme": p.subtheme, "period": p.period} for p in content.placements]
    links = [{"url": link.url, "title": link.title} for link in content.links]
    return initial, placements, links


def _practice_forms(request, *, practice, data=None, initial=None, placements=None, links=None):
    form = PracticeForm(data, user=request.user, practice=practice, initial=initial)
    placement_formset = PlacementFormSet(data, initial=placements, prefix="placements")
    link_formset = LinkFormSet(data, initial=links, prefix="links")
    return form, placement_formset, link_formset


def _practice_form_render(request, *, practice, form, placements, links, draft=None, conflict=None, status=200):
    key = f"practice-{practice.pk if practice else 'new'}"
    return render(
        request,
        "contributions/practice_form.html",
        {
            "practice": practice,
            "form": form,
            "placement_formset": placements,
            "link_formset": links,
            "keyword_options": selectors.keyword_names(),
            "draft_key": key,
            "restored_draft": draft,
            "conflict": conflict,
            "diff_fields": selectors.diff_fields(),
            "workflow_status": services.practice_workflow_status(practice) if practice else None,
            "AUTOSAVE_INTERVAL_MS": settings.AUTOSAVE_INTERVAL_MS,
        },
        status=status,
    )


@login_required
def practice_create(request):
    return _practice_form_view(request, practice=None)


@login_required
def practice_edit(request, pk):
    practice = perms.practice_get_for_edit(user=request.user, pk=pk)
    if practice.status == PublicationStatus.ARCHIVED:
        messages.error(request, _("An archived entry cannot be edited. Ask a coordinator to publish it again."))
        return redirect("contributions:practice_detail", pk=practice.pk)
    return _practice_form_view(request, practice=practice)


def _practice_form_view(request, *, practice):
    key = f"practice-{practice.pk if practice else 'new'}"
    if request.method != "POST":
        if practice is None:
            kind = request.GET.get("kind")
            initial = {"kind": kind if kind in PracticeKind.values else PracticeKind.GOOD_PRACTICE}
            placements, links = [], []
        else:
            initial, placements, links = _initial_from_content(services.practice_current_content(practice))
            initial["lock_version"] = practice.lock_version
        draft = formdraft_get(user=request.user, key=key)
        if draft is not None and request.GET.get("draft") != "ignore":
            form, placement_fs, link_fs = _practice_forms(request, practice=practice, data=_draft_querydict(draft))
            for f in (form, placement_fs, link_fs):
                _suppress_errors(f)
            return _practice_form_render(request, practice=practice, form=form, placements=placement_fs,
                                         links=link_fs, draft=draft)
        form, placement_fs, link_fs = _practice_forms(
            request, practice=practice, initial=initial, placements=placements, links=links
        )
        return _practice_form_render(request, practice=practice, form=form, placements=placement_fs, links=link_fs)

    form, placement_fs, link_fs = _practice_forms(request, practice=practice, data=request.POST)
    submit = request.POST.get("action") == "submit"
    valid = form.is_valid() & placement_fs.is_valid() & link_fs.is_valid()
    if valid:
        data = PracticeContent.from_form(
            {**form.cleaned_data, "placements": formset_rows(placement_fs), "links": formset_rows(link_fs)}
        )
        errors = data.submission_errors() if submit else {}
        if errors:
            form_add_service_error(form, ValidationError(errors))
        else:
            try:
                saved = services.practice_save(
                    practice=practice, by=request.user, data=data,
                    lock_version=form.cleaned_data.get("lock_version"),
                    reason=form.cleaned_data.get("reason", ""), submit=submit,
                )
            except EditConflict as conflict:
                # Keep what the user typed; take the new lock so saving again is a deliberate overwrite.
                post = request.POST.copy()
                post["lock_version"] = str(conflict.current_lock_version)
                form, placement_fs, link_fs = _practice_forms(request, practice=practice, data=post)
                form.is_valid() and placement_fs.is_valid() and link_fs.is_valid()
                return _practice_form_render(
                    request, practice=practice, form=form, placements=placement_fs, links=link_fs,
                    conflict={"theirs": conflict.current_data, "yours": data.to_json()}, status=409,
                )
            except WorkflowError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                form_add_service_error(form, error)
            else:
                formdraft_discard(user=request.user, key=key)
                if practice is not None and practice.status == PublicationStatus.PUBLISHED:
                    message = (_("Your changes were submitted for review. The published version stays visible "
                                 "until a coordinator publishes them.") if submit else
                               _("Your changes were saved as a new version. Submit them for review when ready."))
                else:
                    message = _("Submitted for review. You will get an e-mail when a coordinator has looked at it.") \
                        if submit else _("Saved.")
                messages.success(request, message)
                # The next page clears this form's copy in the browser's localStorage.
                request.session["cleared_draft"] = key
                return redirect("contributions:practice_detail", pk=saved.pk)
    return _practice_form_render(request, practice=practice, form=form, placements=placement_fs, links=link_fs,
                                 status=400)


@login_required
def practice_detail(request, pk):
    practice = perms.practice_get_for_edit(user=request.user, pk=pk)
    content = services.practice_current_content(practice)
    current = content.to_json()
    pending = services.practice_pending_revision(practice) if practice.is_published else None
    has_links = bool(content.links or content.attachments)
    missing = [str(heading) for _name, heading in missing_sections(content.template_texts(), has_links=has_links)]
    submission_errors = content.submission_errors()
    cleared_draft = request.session.pop("cleared_draft", None)
    return render(
        request,
        "contributions/practice_detail.html",
        {
            "practice": practice,
            "current": current,
            "pending": pending,
            "workflow_status": services.practice_workflow_status(practice),
            "missing": missing,
            "submission_errors": submission_errors,
            "decisions": selectors.practice_decisions(practice=practice)[:5],
            "attachments": practice.attachments.all(),
            "attachment_form": AttachmentForm(),
            "can_moderate": perms.can_moderate(request.user),
            "can_transfer": perms.can_transfer_ownership(request.user),
            "sections": [(heading, current.get(name, "")) for name, heading in Practice.TEMPLATE_FIELDS],
            "cleared_draft": cleared_draft,
            "translations": _translation_rows(practice, current.get("translations") or {}),
            "practice_editable": practice.status != PublicationStatus.ARCHIVED,
        },
    )


def _translation_rows(obj, translations: dict) -> list[dict]:
    """One row per language the entry or project can be translated into: its translation or None."""
    rows = []
    for code, name in selectors.translation_languages(obj):
        translation = translations.get(code)
        # An entry's translation has a title; a project's may have only a description.
        label = (translation.get("title") or translation.get("name") or "") if translation else ""
        rows.append({"code": code, "name": name, "translation": translation, "label": label})
    return rows


def _language_or_404(obj, language: str) -> str:
    if language not in dict(selectors.translation_languages(obj)):
        raise Http404("No such translation language.")
    return language


# --- translations -----------------------------------------------------------------------------


@login_required
def practice_translation_edit(request, pk, language):
    """Add or edit the entry's translation into one language (an edit of the entry: a new version,
    or a pending revision of a published entry)."""
    practice = perms.practice_get_for_edit(user=request.user, pk=pk)
    language = _language_or_404(practice, language)
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
        except WorkflowError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
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
    language = _language_or_404(practice, language)
    try:
        services.practice_translation_delete(
            practice=practice, by=request.user, language=language,
            lock_version=int(request.POST.get("lock_version") or practice.lock_version),
        )
    except EditConflict:
        messages.error(request, _("Someone else saved this entry meanwhile. Nothing was removed; try again."))
    except (WorkflowError, ValidationError) as error:
        for message in service_error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, _("The translation was removed."))
    return redirect("contributions:practice_detail", pk=practice.pk)


@login_required
def project_translation_edit(request, pk, language):
    project = perms.project_get_for_edit(user=request.user, pk=pk)
    language = _language_or_404(project, language)
    existing = project.translations.filter(language=language).first()
    initial = {"name": existing.name, "description": existing.description} if existing else {}
    form = ProjectTranslationForm(request.POST or None, initial=initial, language=language)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_translation_save(
                project=project, by=request.user, language=language, fields=form.cleaned_data
            )
        except WorkflowError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
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
    language = _language_or_404(project, language)
    try:
        services.project_translation_delete(project=project, by=request.user, language=language)
    except (WorkflowError, ValidationError) as error:
        for message in service_error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, _("The translation was removed."))
    return redirect("contributions:project_edit", pk=project.pk)


@login_required
@require_POST
def practice_submit(request, pk):
    practice = perms.practice_get_for_edit(user=request.user, pk=pk)
    try:
        services.practice_submit(practice=practice, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        messages.error(request, _("Not submitted: complete the entry first."))
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Submitted for review. You will get an e-mail when a coordinator has looked at it."))
    return redirect("contributions:practice_detail", pk=practice.pk)


@login_required
def practice_transfer(request, pk):
    perms.require_transfer(request.user)
    practice = perms.practice_get_for_edit(user=request.user, pk=pk)
    form = TransferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.practice_transfer_ownership(practice=practice, by=request.user,
                                                     new_owner=form.cleaned_data["user"])
        messages.success(request, _("The ownership was transferred."))
        return redirect("contributions:practice_detail", pk=practice.pk)
    return render(request, "contributions/transfer.html", {"form": form, "target": practice})


# --- versions ---------------------------------------------------------------------------------


@login_required
def practice_versions(request, pk):
    practice = perms.practice_get_for_edit(user=request.user, pk=pk)
    versions = list(selectors.practice_versions(practice=practice))
    diff = old = new = None
    pair = VersionPairForm(request.GET)
    if pair.is_valid():
        old = selectors.version_get(practice=practice, number=pair.cleaned_data["a"])
        new = selectors.version_get(practice=practice, number=pair.cleaned_data["b"])
        diff = selectors.version_diff(old.data, new.data)
    elif len(versions) >= 2:
        old, new = versions[1], versions[0]
        diff = selectors.version_diff(old.data, new.data)
    return render(
        request,
        "contributions/practice_versions.html",
        {"practice": practice, "versions": versions, "diff": diff, "old": old, "new": new,
         "can_moderate": perms.can_moderate(request.user)},
    )


@login_required
@require_POST
def version_restore(request, pk, number):
    practice = perms.practice_get_for_moderation(user=request.user, pk=pk)
    version = get_object_or_404(PracticeVersion, practice=practice, number=number)
    try:
        new = services.practice_version_restore(version=version, by=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Version %(old)s was restored as version %(new)s.")
                         % {"old": version.number, "new": new.number})
    return redirect("contributions:practice_versions", pk=practice.pk)


# --- attachments ------------------------------------------------------------------------------


@login_required
@require_POST
def attachment_upload(request, pk):
    practice = perms.practice_get_for_edit(user=request.user, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.practice_attachment_add(
                practice=practice, by=request.user, uploaded_file=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("The attachment was added."))
            return redirect("contributions:practice_detail", pk=practice.pk)
    return render(request, "contributions/attachment_form.html", {"practice": practice, "form": form}, status=400)


@login_required
@require_POST
def attachment_delete(request, pk):
    attachment = perms.attachment_get_for_edit(user=request.user, pk=pk)
    practice_pk = attachment.practice_id
    try:
        services.practice_attachment_delete(attachment=attachment, by=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The attachment was removed."))
    return redirect("contributions:practice_detail", pk=practice_pk)


def attachment_download(request, pk):
    attachment = perms.attachment_get_for_download(user=request.user, pk=pk)
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    # Never rendered by the browser: a download, no sniffing, no scripts even if opened.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store" if not attachment.public else "public, max-age=3600"
    return response


# --- autosave ---------------------------------------------------------------------------------


@require_POST
def autosave(request, key):
    # No redirect to the log-in page: the page's script keeps the text in localStorage instead.
    if not request.user.is_authenticated:
        return HttpResponse(_("Not signed in: your text is kept in this browser only."), status=401)
    if not DRAFT_KEY_RE.match(key):
        return HttpResponse(status=404)
    kind, _sep, ident = key.partition("-")
    if ident != "new":
        if kind == "practice":
            perms.practice_get_for_edit(user=request.user, pk=int(ident))
        else:
            perms.project_get_for_edit(user=request.user, pk=int(ident))
    try:
        formdraft_save(user=request.user, key=key, data=request.POST)
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400)
    time = time_format(timezone.localtime(), "TIME_FORMAT")  # 14.30 in Finnish, 14:30 in English
    return HttpResponse(_("Draft saved at %(time)s.") % {"time": time})


@login_required
@require_POST
def autosave_discard(request, key):
    if not DRAFT_KEY_RE.match(key):
        return HttpResponse(status=404)
    formdraft_discard(user=request.user, key=key)
    messages.success(request, _("The unsaved draft was discarded."))
    kind, _sep, ident = key.partition("-")
    if kind == "practice":
        return redirect("contributions:practice_create" if ident == "new" else "contributions:practice_edit",
                        *([] if ident == "new" else [int(ident)]))
    return redirect("contributions:project_create" if ident == "new" else "contributions:project_edit",
                    *([] if ident == "new" else [int(ident)]))


# --- projects ---------------------------------------------------------------------------------


def _project_initial(project: Project) -> dict:
    return {
        "name": project.name, "short_name": project.short_name, "lead": project.lead.name if project.lead else "",
        "ends_on": project.ends_on_display, "scope": project.scope, "themes": list(project.themes.all()),
        "description": project.description, "funding_programme": project.funding_programme,
        "lock_version": project.lock_version,
    }


def _project_form_with_draft(request, *, key, initial=None):
    """GET: the autosaved draft (shown as typed, without messages) or the saved values."""
    draft = formdraft_get(user=request.user, key=key)
    if draft is not None and request.GET.get("draft") != "ignore":
        form = ProjectForm(_draft_querydict(draft))
        _suppress_errors(form)
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
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            formdraft_discard(user=request.user, key="project-new")
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
    draft = None
    if request.method == "POST":
        form = ProjectForm(request.POST, initial=_project_initial(project))
    else:
        form, draft = _project_form_with_draft(request, key=f"project-{project.pk}",
                                               initial=_project_initial(project))
    conflict = None
    if request.method == "POST" and request.POST.get("action") == "submit":
        try:
            services.project_submit(project=project, by=request.user)
        except (WorkflowError, ValidationError) as error:
            for message in service_error_messages(error):
                messages.error(request, message)
        else:
            messages.success(request, _("The project was submitted for review."))
        return redirect("contributions:project_edit", pk=project.pk)
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
        except WorkflowError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            formdraft_discard(user=request.user, key=f"project-{project.pk}")
            request.session["cleared_draft"] = f"project-{project.pk}"
            messages.success(request, _("Saved."))
            return redirect("contributions:project_edit", pk=project.pk)
    return render(
        request,
        "contributions/project_form.html",
        {
            "form": form, "project": project, "conflict": conflict, "member_form": MemberAddForm(),
            "members": project.members.all(), "draft_key": f"project-{project.pk}",
            "decisions": project.decisions.select_related("decided_by")[:5],
            # As the project itself: a published project is corrected by a coordinator.
            "translations_editable": project.status != PublicationStatus.PUBLISHED or perms.can_moderate(request.user),
            "translations": _translation_rows(
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
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The team member was removed."))
    return redirect("contributions:project_edit", pk=project.pk)


@login_required
def project_transfer(request, pk):
    perms.require_transfer(request.user)
    project = perms.project_get_for_edit(user=request.user, pk=pk)
    form = TransferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.project_transfer_ownership(project=project, by=request.user,
                                                    new_owner=form.cleaned_data["user"])
        messages.success(request, _("The ownership was transferred."))
        return redirect("contributions:project_edit", pk=project.pk)
    return render(request, "contributions/transfer.html", {"form": form, "target": project})


# --- moderation -------------------------------------------------------------------------------


@login_required
def moderation_queue(request):
    perms.require_moderator(request.user)
    filters = ModerationFilterForm(request.GET).valid_values()
    items = selectors.moderation_queue(
        kind=filters["kind"], theme=filters["theme"], project=filters["project"] or "", min_age_days=filters["age"],
    )
    return render(
        request,
        "contributions/moderation_queue.html",
        {
            "items": items, "themes": Theme.objects.all(),
            "projects": Project.objects.filter(practices__status=PublicationStatus.SUBMITTED).distinct(),
            "filters": {name: "" if value is None else str(value) for name, value in filters.items()},
            "unapproved_keyword_count": Keyword.objects.filter(approved=False).count(),
        },
    )


@login_required
def moderation_practice(request, pk):
    practice = perms.practice_get_for_moderation(user=request.user, pk=pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action, comment = request.POST.get("action"), form.cleaned_data["comment"]
        try:
            if action == "publish":
                services.practice_publish(practice=practice, by=request.user, comment=comment)
                messages.success(request, _("Published. The team was notified by e-mail."))
            elif action == "return":
                services.practice_return(practice=practice, by=request.user, comment=comment)
                messages.success(request, _("Returned to the team with your comments."))
            elif action == "archive":
                services.practice_archive(practice=practice, by=request.user, comment=comment)
                messages.success(request, _("Archived."))
            else:
                raise WorkflowError(_("Choose a decision."))
        except ValidationError as error:
            form_add_service_error(form, error)
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            return redirect("contributions:moderation_queue")
    content = services.practice_current_content(practice)
    current = content.to_json()
    pending = services.practice_pending_revision(practice) if practice.is_published else None
    diff = selectors.version_diff(PracticeContent.from_practice(practice).to_json(), pending.data) if pending else None
    new_keywords = set(Keyword.objects.filter(name__in=current.get("keywords", []), approved=False)
                       .values_list("name", flat=True))
    return render(
        request,
        "contributions/moderation_practice.html",
        {
            "practice": practice, "current": current, "pending": pending, "diff": diff, "form": form,
            "workflow_status": services.practice_workflow_status(practice),
            "new_keywords": new_keywords,
            "duplicates": selectors.similar_entries(title=current.get("title", ""),
                                                    summary=current.get("summary", ""), exclude_pk=practice.pk),
            "submission_errors": content.submission_errors(),
            "sections": [(heading, current.get(name, "")) for name, heading in Practice.TEMPLATE_FIELDS],
            "decisions": selectors.practice_decisions(practice=practice)[:10],
        },
        status=400 if form.errors else 200,
    )


@login_required
def moderation_project(request, pk):
    project = perms.project_get_for_moderation(user=request.user, pk=pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action, comment = request.POST.get("action"), form.cleaned_data["comment"]
        try:
            if action == "publish":
                services.project_publish(project=project, by=request.user, comment=comment)
            elif action == "return":
                services.project_return(project=project, by=request.user, comment=comment)
            else:
                raise WorkflowError(_("Choose a decision."))
        except ValidationError as error:
            form_add_service_error(form, error)
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Decision saved. The team was notified by e-mail."))
            return redirect("contributions:moderation_queue")
    return render(request, "contributions/moderation_project.html", {"project": project, "form": form},
                  status=400 if form.errors else 200)


@login_required
def moderation_keywords(request):
    perms.require_moderator(request.user)
    if request.method == "POST":
        keyword = get_object_or_404(Keyword, pk=request.POST.get("keyword"))
        try:
            if request.POST.get("action") == "approve":
                services.keyword_approve(keyword=keyword, by=request.user)
                messages.success(request, _("Keyword “%(name)s” accepted.") % {"name": keyword.name})
            else:
                services.keyword_reject(keyword=keyword, by=request.user)
                messages.success(request, _("Keyword “%(name)s” rejected.") % {"name": keyword.name})
        except WorkflowError as error:
            messages.error(request, str(error))
        return redirect("contributions:moderation_keywords")
    return render(request, "contributions/moderation_keywords.html",
                  {"keywords": selectors.unapproved_keywords()})
