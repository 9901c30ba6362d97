"""An entry's page on the own side: its content being worked on, what it lacks, its translations,
attachments and decisions; submitting it and transferring its ownership."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from methodbank.catalog.models import TEMPLATE_FIELDS, PublicationStatus, missing_sections
from methodbank.core.errors import ApplicationError

from .. import permissions as perms
from .. import selectors, services
from ..forms import AttachmentForm
from .common import flash_errors, transfer_view, translation_rows


@login_required
def practice_detail(request, pk):
    practice = perms.practice_get_for_edit(user=request.user, pk=pk)
    content = services.practice_current_content(practice)
    current = content.to_json()
    has_links = bool(content.links or content.attachments)
    missing = [str(heading) for _name, heading in missing_sections(content.template_texts(), has_links=has_links)]
    workflow_status = services.practice_workflow_status(practice)
    # Before it is submitted, the contributor sees what already exists like it (asked again on submit).
    similar = _similar(practice, content) if workflow_status in ("draft", "returned") else []
    return render(
        request,
        "contributions/practice_detail.html",
        {
            "practice": practice,
            "current": current,
            "pending": services.practice_pending_revision(practice) if practice.is_published else None,
            "workflow_status": workflow_status,
            "similar": similar,
            "missing": missing,
            "submission_errors": content.submission_errors(),
            "decisions": selectors.practice_decisions(practice=practice)[:5],
            "attachments": practice.attachments.all(),
            "attachment_form": AttachmentForm(),
            "can_moderate": perms.can_moderate(request.user),
            "can_transfer": perms.can_transfer_ownership(request.user),
            "sections": [(heading, current.get(name, "")) for name, heading in TEMPLATE_FIELDS],
            "cleared_draft": request.session.pop("cleared_draft", None),
            "translations": translation_rows(practice, content.translations or {}),
            "practice_editable": practice.status != PublicationStatus.ARCHIVED,
        },
    )


def _similar(practice, content) -> list:
    if content.applies_model:  # linked to the model it applies: the contributor has answered
        return []
    return selectors.similar_for_contributor(title=content.title, summary=content.summary, exclude_pk=practice.pk)


@login_required
@require_POST
def practice_submit(request, pk):
    practice = perms.practice_get_for_edit(user=request.user, pk=pk)
    if not request.POST.get("not_duplicate") and _similar(practice, services.practice_current_content(practice)):
        messages.error(request, _("Similar entries exist. Check them, then confirm that yours is different or "
                                  "choose the model it applies."))
        return redirect("contributions:practice_detail", pk=practice.pk)
    try:
        services.practice_submit(practice=practice, by=request.user)
    except ValidationError as error:
        flash_errors(request, error)
        messages.error(request, _("Not submitted: complete the entry first."))
    except ApplicationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Submitted for review. You will get an e-mail when a coordinator has looked at it."))
    return redirect("contributions:practice_detail", pk=practice.pk)


@login_required
def practice_transfer(request, pk):
    perms.require_transfer(request.user)
    practice = perms.practice_get_for_edit(user=request.user, pk=pk)
    return transfer_view(
        request, target=practice,
        service=lambda **kwargs: services.practice_transfer_ownership(practice=practice, **kwargs),
        done_url=reverse("contributions:practice_detail", args=[practice.pk]),
    )
