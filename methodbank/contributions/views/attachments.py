"""Attachments of an entry: upload, removal and the permission-checked download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from methodbank.core.errors import ApplicationError

from .. import permissions as perms
from .. import services
from ..forms import AttachmentForm
from .common import flash_errors


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
    except ApplicationError as error:
        flash_errors(request, error)
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
