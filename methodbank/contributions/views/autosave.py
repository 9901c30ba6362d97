"""The autosave of the entry and project forms: a server-side draft per user and form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions as perms
from ..services import DRAFT_KEY_RE, formdraft_discard, formdraft_save


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
