"""The e-mail digest: what is new in a user's follows since their last digest, in their language,
with a one-click unsubscribe (RFC 8058). No message when nothing is new."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from methodbank.catalog.translations import practice_list_content
from methodbank.core import mail

from .models import Follow
from .services import unsubscribe_token
from .targets import Target, target_resolve

# A digest lists at most this many entries per follow; the rest are a link to the page.
ENTRIES_PER_FOLLOW = 20


@dataclass
class DigestEntry:
    title: str
    summary: str
    url: str
    is_new: bool  # published since the last digest (else: updated)


@dataclass
class DigestSection:
    target: Target
    url: str
    feed_url: str
    unsubscribe_url: str
    entries: list[DigestEntry] = field(default_factory=list)
    more: int = 0


def _section(follow: Follow, target: Target, *, until, language: str) -> DigestSection | None:
    since = follow.covered_until
    changed = target.entries().filter(
        Q(updated_at__gt=since, updated_at__lte=until) | Q(published_at__gt=since, published_at__lte=until)
    )
    total = changed.count()
    if not total:
        return None
    practices = changed.prefetch_related("translations").order_by("-published_at", "-updated_at", "-pk")
    section = DigestSection(
        target=target,
        url=mail.site_url(target.page_url, language=language),
        feed_url=mail.site_url(target.feed_url, language=language),
        unsubscribe_url=mail.base_link(
            "follows:unsubscribe", language=language,
            kwargs={"token": unsubscribe_token(user_id=follow.user_id, follow_id=follow.pk)},
        ),
        more=max(total - ENTRIES_PER_FOLLOW, 0),
    )
    for practice in practices[:ENTRIES_PER_FOLLOW]:
        content = practice_list_content(practice=practice, language=language)
        section.entries.append(DigestEntry(
            title=str(content.fields["title"]),
            summary=str(content.fields["summary"]),
            url=mail.site_url(practice.get_absolute_url(), language=language),
            is_new=bool(practice.published_at and practice.published_at > since),
        ))
    return section


def digest_send(*, user_id: int, frequency: str, now=None) -> int:
    """Send one user's digest of one frequency; returns the number of messages sent (0 or 1).

    The follows are locked while the digest is built and sent, and their cursor moves to ``now``
    in the same transaction: a failed send leaves them as they were, and two runs at once cannot
    both report the same news.
    """
    now = now or timezone.now()
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return 0
    language = user.email_language
    with transaction.atomic():
        follows = list(
            Follow.objects.select_for_update().filter(user=user, frequency=frequency, covered_until__lt=now)
        )
        if not follows:
            return 0
        with translation.override(language):
            sections = []
            for follow in follows:
                target = target_resolve(follow.kind, follow.key)
                section = target and _section(follow, target, until=now, language=language)
                if section:
                    sections.append(section)
        sent = 0
        if sections:
            unsubscribe_url = mail.base_link(
                "follows:unsubscribe", language=language,
                kwargs={"token": unsubscribe_token(user_id=user.pk, frequency=frequency)},
            )
            context = {
                "recipient": user,
                "frequency": frequency,
                "sections": sections,
                "unsubscribe_url": unsubscribe_url,
                "manage_url": mail.base_link("contributions:own_page", language=language) + "#follows",
            }
            sent = mail.send(
                "follows/email/digest", to=user.email, language=language, context=context,
                headers={
                    # RFC 8058: a mail client unsubscribes with one POST to this address, no sign-in.
                    "List-Unsubscribe": f"<{unsubscribe_url}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
            )
        Follow.objects.filter(pk__in=[f.pk for f in follows]).update(covered_until=now)
    return sent


def digest_recipients(*, frequency: str) -> list[int]:
    return list(
        Follow.objects.filter(frequency=frequency, user__is_active=True)
        .order_by("user_id").values_list("user_id", flat=True).distinct()
    )
