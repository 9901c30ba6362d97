"""E-mail to the contributor on every moderation decision (Django's mail backends)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from .models import ModerationDecision


def decision_recipients(decision: ModerationDecision) -> list[str]:
    """The entry's owner and the author of the moderated revision (deduplicated, active only)."""
    users = []
    target = decision.practice or decision.project
    if target is not None and target.owner is not None:
        users.append(target.owner)
    if decision.version is not None and decision.version.author is not None:
        users.append(decision.version.author)
    emails = []
    for user in users:
        if user.is_active and user.email and user.email not in emails:
            emails.append(user.email)
    return emails


def decision_notify(*, decision_id: int) -> int:
    decision = ModerationDecision.objects.select_related(
        "practice__owner", "project__owner", "version__author", "decided_by"
    ).filter(pk=decision_id).first()
    if decision is None:
        return 0
    recipients = decision_recipients(decision)
    if not recipients:
        return 0
    if decision.practice_id:
        path = reverse("contributions:practice_detail", kwargs={"pk": decision.practice_id})
    else:
        path = reverse("contributions:project_edit", kwargs={"pk": decision.project_id})
    context = {"decision": decision, "target": decision.practice or decision.project, "url": settings.SITE_URL + path}
    subject = " ".join(render_to_string("contributions/email/decision_subject.txt", context).split())
    body = render_to_string("contributions/email/decision_body.txt", context)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
