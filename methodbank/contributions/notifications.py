"""E-mail to the contributor on every moderation decision, in each recipient's language."""

from methodbank.core import mail

from .models import ModerationDecision, ProjectClaim


def decision_recipients(decision: ModerationDecision) -> list:
    """The entry's owner and the author of the moderated revision (one per address, active only)."""
    users = []
    target = decision.practice or decision.project
    if target is not None and target.owner is not None:
        users.append(target.owner)
    if decision.version is not None and decision.version.author is not None:
        users.append(decision.version.author)
    recipients, emails = [], set()
    for user in users:
        if user.is_active and user.email and user.email not in emails:
            emails.add(user.email)
            recipients.append(user)
    return recipients


def decision_notify(*, decision_id: int) -> int:
    decision = ModerationDecision.objects.select_related(
        "practice__owner", "project__owner", "version__author", "decided_by"
    ).filter(pk=decision_id).first()
    if decision is None:
        return 0
    if decision.practice_id:
        name, pk = "contributions:practice_detail", decision.practice_id
    else:
        name, pk = "contributions:project_edit", decision.project_id
    target = decision.practice or decision.project
    sent = 0
    for user in decision_recipients(decision):
        language = user.email_language
        context = {
            "decision": decision,
            "target": target,
            "target_language": target.language if target.language != language else "",
            "url": mail.base_link(name, language=language, kwargs={"pk": pk}),
            "recipient": user,
        }
        sent += mail.send("contributions/email/decision", to=user.email, language=language, context=context)
    return sent


def claim_notify(*, claim_id: int) -> int:
    """The decision on a request to join a team, to the user who asked, in their language."""
    claim = ProjectClaim.objects.select_related("project", "practice", "user").filter(pk=claim_id).first()
    if claim is None or not claim.user.is_active or not claim.user.email:
        return 0
    language = claim.user.email_language
    if claim.practice_id:
        url = mail.base_link("contributions:practice_detail", language=language, kwargs={"pk": claim.practice_id})
    else:
        url = mail.base_link("contributions:own_page", language=language)
    context = {"claim": claim, "project": claim.project, "url": url, "recipient": claim.user}
    return mail.send("contributions/email/claim", to=claim.user.email, language=language, context=context)
