"""An entry's versions: the list, the comparison of two, and restoring one (coordinators)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from methodbank.core.errors import ApplicationError

from .. import permissions as perms
from .. import selectors, services
from ..forms import VersionPairForm
from ..models import PracticeVersion
from .common import flash_errors


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
    except ApplicationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Version %(old)s was restored as version %(new)s.")
                         % {"old": version.number, "new": new.number})
    return redirect("contributions:practice_versions", pk=practice.pk)
