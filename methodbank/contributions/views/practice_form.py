"""The entry form (new entry and edit), in steps: what the form starts from (the autosaved draft or
the content being worked on), the checks before saving, the save itself (with its edit conflict) and
the message after it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from methodbank.catalog.models import PracticeKind, PublicationStatus
from methodbank.catalog.workflow import EditConflict
from methodbank.core.errors import ApplicationError, form_add_service_error
from methodbank.core.params import parse_id

from .. import permissions as perms
from .. import selectors, services
from ..content import TEXT_FIELDS, PracticeContent
from ..forms import LinkFormSet, PlacementFormSet, PracticeForm, formset_rows
from .common import draft_querydict, suppress_errors


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
    if request.method == "POST":
        return _form_post(request, practice=practice)
    return _form_get(request, practice=practice)


def _draft_key(practice) -> str:
    return f"practice-{practice.pk if practice else 'new'}"


def _forms(request, *, practice, data=None, initial=None, placements=None, links=None):
    form = PracticeForm(data, user=request.user, practice=practice, initial=initial)
    placement_formset = PlacementFormSet(data, initial=placements, prefix="placements")
    link_formset = LinkFormSet(data, initial=links, prefix="links")
    return form, placement_formset, link_formset


def _render(request, *, practice, forms, draft=None, conflict=None, status=200, similar=None,
            submit_duplicates=False):
    form, placements, links = forms
    if similar is None:
        similar = _similar_for_form(form, practice)
    return render(
        request,
        "contributions/practice_form.html",
        {
            "practice": practice,
            "form": form,
            "placement_formset": placements,
            "link_formset": links,
            "keyword_options": selectors.keyword_names(),
            "draft_key": _draft_key(practice),
            "restored_draft": draft,
            "conflict": conflict,
            "diff_fields": selectors.diff_fields(),
            "workflow_status": services.practice_workflow_status(practice) if practice else None,
            "AUTOSAVE_INTERVAL_MS": settings.AUTOSAVE_INTERVAL_MS,
            "similar": similar,
            "submit_duplicates": submit_duplicates,
        },
        status=status,
    )


def _similar_for_form(form, practice) -> list:
    """The similar entries for what the form holds (bound: as typed; unbound: as saved)."""
    def value(name):
        return str((form.data.get(name) if form.is_bound else form.initial.get(name)) or "")

    applies_model = parse_id(value("applies_model"))
    return selectors.similar_for_contributor(
        title=value("title"), summary=value("summary"), exclude_pk=practice.pk if practice else None,
        applies_model=applies_model,
    )


@login_required
@require_GET
def practice_similar(request):
    """HTMX fragment: the existing entries most like the title and summary being typed (debounced by
    the form). Only published entries are ever shown, so it needs no permission beyond signing in."""
    exclude_pk, applies_model = parse_id(request.GET.get("practice")), parse_id(request.GET.get("applies_model"))
    similar = selectors.similar_for_contributor(
        title=request.GET.get("title", "")[:300], summary=request.GET.get("summary", "")[:2000],
        exclude_pk=exclude_pk, applies_model=applies_model,
    )
    return render(request, "contributions/includes/similar_entries.html", {"similar": similar, "pick": True})


# --- step 1: what the form starts from ----------------------------------------------------------


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


def _form_get(request, *, practice):
    draft = services.formdraft_get(user=request.user, key=_draft_key(practice))
    if draft is not None and request.GET.get("draft") != "ignore":
        # The autosaved draft, shown as typed (without messages the user has not asked for).
        forms = _forms(request, practice=practice, data=draft_querydict(draft))
        for f in forms:
            suppress_errors(f)
        return _render(request, practice=practice, forms=forms, draft=draft)
    if practice is None:
        kind = request.GET.get("kind")
        initial = {"kind": kind if kind in PracticeKind.values else PracticeKind.GOOD_PRACTICE}
        placements, links = [], []
    else:
        initial, placements, links = _initial_from_content(services.practice_current_content(practice))
        initial["lock_version"] = practice.lock_version
    forms = _forms(request, practice=practice, initial=initial, placements=placements, links=links)
    return _render(request, practice=practice, forms=forms)


# --- step 2: check, save, answer ------------------------------------------------------------


def _form_post(request, *, practice):
    forms = _forms(request, practice=practice, data=request.POST)
    form, placement_fs, link_fs = forms
    submit = request.POST.get("action") == "submit"
    valid = form.is_valid() & placement_fs.is_valid() & link_fs.is_valid()
    if not valid:
        return _render(request, practice=practice, forms=forms, status=400)
    content = PracticeContent.from_form(
        {**form.cleaned_data, "placements": formset_rows(placement_fs), "links": formset_rows(link_fs)}
    )
    errors = content.submission_errors() if submit else {}
    if errors:
        form_add_service_error(form, ValidationError(errors))
        return _render(request, practice=practice, forms=forms, status=400)
    if submit and not form.cleaned_data.get("not_duplicate") and not content.applies_model:
        # Submitting again shows the similar entries: the contributor says theirs is different, or
        # links it to the model it applies, before a coordinator spends time on a duplicate.
        similar = selectors.similar_for_contributor(
            title=content.title, summary=content.summary, exclude_pk=practice.pk if practice else None,
        )
        if similar:
            form.add_error("not_duplicate", _("Similar entries exist. Check them, then confirm that yours is "
                                              "different or choose the model it applies."))
            return _render(request, practice=practice, forms=forms, status=400, similar=similar,
                           submit_duplicates=True)
    try:
        saved = services.practice_save(
            practice=practice, by=request.user, data=content,
            lock_version=form.cleaned_data.get("lock_version"),
            reason=form.cleaned_data.get("reason", ""), submit=submit,
            extra={name: form.cleaned_data.get(name) for name in form.extra_field_names},
        )
    except EditConflict as conflict:
        return _conflict(request, practice=practice, conflict=conflict, content=content)
    except (ApplicationError, ValidationError) as error:
        form_add_service_error(form, error)
        return _render(request, practice=practice, forms=forms, status=400)
    key = _draft_key(practice)
    services.formdraft_discard(user=request.user, key=key)
    messages.success(request, _saved_message(practice, submit=submit))
    # The next page clears this form's copy in the browser's localStorage.
    request.session["cleared_draft"] = key
    return redirect("contributions:practice_detail", pk=saved.pk)


def _conflict(request, *, practice, conflict: EditConflict, content: PracticeContent):
    """Keep what the user typed; take the new lock so saving again is a deliberate overwrite."""
    post = request.POST.copy()
    post["lock_version"] = str(conflict.current_lock_version)
    forms = _forms(request, practice=practice, data=post)
    form, placement_fs, link_fs = forms
    form.is_valid() and placement_fs.is_valid() and link_fs.is_valid()
    return _render(
        request, practice=practice, forms=forms,
        conflict={"theirs": conflict.current_data, "yours": content.to_json()}, status=409,
    )


def _saved_message(practice, *, submit: bool) -> str:
    if practice is not None and practice.status == PublicationStatus.PUBLISHED:
        if submit:
            return _("Your changes were submitted for review. The published version stays visible "
                     "until a coordinator publishes them.")
        return _("Your changes were saved as a new version. Submit them for review when ready.")
    if submit:
        return _("Submitted for review. You will get an e-mail when a coordinator has looked at it.")
    return _("Saved.")
