"""What several screens share: restoring an autosaved draft, the translation rows, the ownership
transfer form and flashing a service's errors."""

from django.contrib import messages
from django.forms.utils import ErrorDict, ErrorList
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from methodbank.core.errors import service_error_messages

from .. import permissions as perms
from .. import selectors
from ..forms import TransferForm


def suppress_errors(form_or_formset) -> None:
    """A restored draft is shown as typed, without validation messages the user has not asked for."""
    if hasattr(form_or_formset, "forms"):
        form_or_formset._errors = [ErrorDict() for _f in form_or_formset.forms]
        form_or_formset._non_form_errors = ErrorList()
        for form in form_or_formset.forms:
            form._errors = ErrorDict()
    else:
        form_or_formset._errors = ErrorDict()


def draft_querydict(draft) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, values in draft.data.items():
        data.setlist(name, values)
    return data


def flash_errors(request, error: Exception) -> None:
    for message in service_error_messages(error):
        messages.error(request, message)


def translation_rows(obj, translations: dict) -> list[dict]:
    """One row per language the entry or project can be translated into: its translation or None."""
    rows = []
    for code, name in selectors.translation_languages(obj):
        translation = translations.get(code)
        # An entry's translation has a title; a project's may have only a description.
        label = (translation.get("title") or translation.get("name") or "") if translation else ""
        rows.append({"code": code, "name": name, "translation": translation, "label": label})
    return rows


def language_or_404(obj, language: str) -> str:
    if language not in dict(selectors.translation_languages(obj)):
        raise Http404("No such translation language.")
    return language


def transfer_view(request, *, target, service, done_url: str):
    """The ownership transfer form of an entry or a project (the permission is checked by the caller)."""
    perms.require_transfer(request.user)
    form = TransferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service(by=request.user, new_owner=form.cleaned_data["user"])
        messages.success(request, _("The ownership was transferred."))
        return redirect(done_url)
    return render(request, "contributions/transfer.html", {"form": form, "target": target})
