"""The coordinator's side: the queue, the review of an entry or a project with one POST view per
decision, and new keywords.

The review pages only show; each decision posts to its own URL (the button's ``formaction``), so a
decision is never chosen by a string in the body.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from methodbank.catalog.models import TEMPLATE_FIELDS, Keyword, Project, PublicationStatus, Theme
from methodbank.core.errors import ApplicationError, form_add_service_error

from .. import permissions as perms
from .. import selectors, services
from ..content import PracticeContent
from ..forms import DecisionForm, ModerationFilterForm
from .common import flash_errors


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
            "pending_claim_count": selectors.pending_claims().count(),
            "pending_adoption_count": selectors.pending_adoptions().count(),
            "open_quality_count": sum(selectors.open_quality_issue_counts().values()),
        },
    )


# --- entries --------------------------------------------------------------------------------


def _practice_review(request, *, practice, form, status=200):
    content = services.practice_current_content(practice)
    current = content.to_json()
    pending = services.practice_pending_revision(practice) if practice.is_published else None
    diff = selectors.version_diff(PracticeContent.from_practice(practice).to_json(), pending.data) if pending else None
    new_keywords = set(Keyword.objects.filter(name__in=content.keywords, approved=False)
                       .values_list("name", flat=True))
    return render(
        request,
        "contributions/moderation_practice.html",
        {
            "practice": practice, "current": current, "pending": pending, "diff": diff, "form": form,
            "workflow_status": services.practice_workflow_status(practice),
            "new_keywords": new_keywords,
            "duplicates": selectors.similar_entries(title=content.title, summary=content.summary,
                                                    exclude_pk=practice.pk),
            "submission_errors": content.submission_errors(),
            "sections": [(heading, current.get(name, "")) for name, heading in TEMPLATE_FIELDS],
            "decisions": selectors.practice_decisions(practice=practice)[:10],
            "attachments": selectors.practice_attachments(practice=practice),
            "becomes_public": selectors.publication_preview(practice=practice, content=content),
        },
        status=status,
    )


def _practice_decide(request, pk, *, service, success: str, options: tuple = ()):
    practice = perms.practice_get_for_moderation(user=request.user, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            service(practice=practice, by=request.user, comment=form.cleaned_data["comment"],
                    **{name: form.cleaned_data[name] for name in options})  # the decision's own choices
        except (ApplicationError, ValidationError) as error:
            form_add_service_error(form, error)
            # The service's changes were rolled back; the page shows the entry as it is stored.
            practice = perms.practice_get_for_moderation(user=request.user, pk=pk)
        else:
            messages.success(request, success)
            return redirect("contributions:moderation_queue")
    return _practice_review(request, practice=practice, form=form, status=400)


@login_required
@require_POST
def moderation_practice_publish(request, pk):
    return _practice_decide(request, pk, service=services.practice_publish,
                            success=_("Published. The team was notified by e-mail."), options=("publish_project",))


@login_required
@require_POST
def moderation_practice_return(request, pk):
    return _practice_decide(request, pk, service=services.practice_return,
                            success=_("Returned to the team with your comments."))


@login_required
@require_POST
def moderation_practice_archive(request, pk):
    return _practice_decide(request, pk, service=services.practice_archive, success=_("Archived."))


@login_required
@require_GET
def moderation_practice(request, pk):
    practice = perms.practice_get_for_moderation(user=request.user, pk=pk)
    return _practice_review(request, practice=practice, form=DecisionForm())


@login_required
@require_GET
def moderation_attachment(request, pk):
    """A coordinator's preview of an attachment, public or not: they see what publishing would
    make public. PDFs and images open in the browser; anything else is only downloaded."""
    attachment = perms.attachment_get_for_moderation(user=request.user, pk=pk)
    inline = attachment.content_type == "application/pdf" or attachment.content_type.startswith("image/")
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=not inline, filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # No scripts, no requests out. A sandboxed PDF would not open in Chromium's viewer, so only
    # the other types get the sandbox (they are downloads anyway).
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'" if inline else "default-src 'none'; sandbox"
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- projects -------------------------------------------------------------------------------


def _project_review(request, *, project, form, status=200):
    return render(request, "contributions/moderation_project.html", {"project": project, "form": form},
                  status=status)


def _project_decide(request, pk, *, service):
    project = perms.project_get_for_moderation(user=request.user, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            service(project=project, by=request.user, comment=form.cleaned_data["comment"])
        except (ApplicationError, ValidationError) as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Decision saved. The team was notified by e-mail."))
            return redirect("contributions:moderation_queue")
    return _project_review(request, project=project, form=form, status=400)


@login_required
@require_POST
def moderation_project_publish(request, pk):
    return _project_decide(request, pk, service=services.project_publish)


@login_required
@require_POST
def moderation_project_return(request, pk):
    return _project_decide(request, pk, service=services.project_return)


@login_required
@require_GET
def moderation_project(request, pk):
    project = perms.project_get_for_moderation(user=request.user, pk=pk)
    return _project_review(request, project=project, form=DecisionForm())


# --- keywords -------------------------------------------------------------------------------


def _keyword_decide(request, keyword, *, service, success: str):
    try:
        service(keyword=keyword, by=request.user)
    except ApplicationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, success % {"name": keyword.name})
    return redirect("contributions:moderation_keywords")


def _keyword_for_moderation(request, pk) -> Keyword:
    perms.require_moderator(request.user)
    return get_object_or_404(Keyword, pk=pk)


@login_required
@require_POST
def moderation_keyword_approve(request, pk):
    keyword = _keyword_for_moderation(request, pk)
    return _keyword_decide(request, keyword, service=services.keyword_approve,
                           success=_("Keyword “%(name)s” accepted."))


@login_required
@require_POST
def moderation_keyword_reject(request, pk):
    keyword = _keyword_for_moderation(request, pk)
    return _keyword_decide(request, keyword, service=services.keyword_reject,
                           success=_("Keyword “%(name)s” rejected."))


@login_required
@require_GET
def moderation_keywords(request):
    perms.require_moderator(request.user)
    return render(request, "contributions/moderation_keywords.html",
                  {"keywords": selectors.unapproved_keywords()})
