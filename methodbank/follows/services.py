"""Writes of follows: following, changing the digest's frequency, unfollowing, and the one-click
unsubscribe of a digest (a signed token, no sign-in)."""

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from methodbank.accounts.roles import is_active
from methodbank.core.errors import ApplicationError

from .models import Follow, Frequency
from .targets import kind_get, search_key, target_resolve

UNSUBSCRIBE_SALT = "follows.unsubscribe"


def _check_frequency(frequency: str) -> None:
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": _("Choose a daily or a weekly digest.")})


@transaction.atomic
def follow_create(*, user, kind: str, key: str, frequency: str) -> Follow:
    """Follow a target; following it again only changes the frequency."""
    if not is_active(user):
        raise ApplicationError(_("Sign in to follow."))
    _check_frequency(frequency)
    registered = kind_get(kind)
    if registered is None or not registered.followable:
        raise ApplicationError(_("There is nothing to follow here."))
    if kind == "search":
        key = search_key(key)
        if not key:
            raise ApplicationError(_("Search for something or choose a filter first, then follow the search."))
    if len(key) > Follow._meta.get_field("key").max_length:
        raise ApplicationError(_("This search is too long to follow. Shorten it and try again."))
    if target_resolve(kind, key) is None:
        raise ApplicationError(_("There is nothing to follow here."))
    follow, created = Follow.objects.get_or_create(
        user=user, kind=kind, key=key, defaults={"frequency": frequency}
    )
    if not created and follow.frequency != frequency:
        follow.frequency = frequency
        follow.save(update_fields=["frequency"])
    return follow


@transaction.atomic
def follow_set_frequency(*, follow: Follow, frequency: str) -> Follow:
    _check_frequency(frequency)
    follow.frequency = frequency
    follow.save(update_fields=["frequency"])
    return follow


@transaction.atomic
def follow_delete(*, follow: Follow) -> None:
    follow.delete()


def follows_erase(*, user) -> None:
    """Erasure step of an account (accounts.erasure): a follow says what a person reads."""
    Follow.objects.filter(user=user).delete()


# --- one-click unsubscribe (RFC 8058) ---------------------------------------------------------------
# A token names the user and either one follow or one digest (every follow of a frequency). It
# never expires: an unsubscribe link in an old message must still work. Signed with SECRET_KEY, so a
# forged or altered token is refused.


def unsubscribe_token(*, user_id: int, frequency: str | None = None, follow_id: int | None = None) -> str:
    payload = {"u": user_id, "id": follow_id} if follow_id is not None else {"u": user_id, "f": frequency}
    return signing.dumps(payload, salt=UNSUBSCRIBE_SALT)


def unsubscribe_follows(token: str):
    """The follows a token unsubscribes from (a queryset, maybe empty); None when the token is not
    valid."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        return None
    follows = Follow.objects.filter(user_id=payload["u"])
    if isinstance(payload.get("id"), int):
        return follows.filter(pk=payload["id"])
    if payload.get("f") in Frequency.values:
        return follows.filter(frequency=payload["f"])
    return None


@transaction.atomic
def unsubscribe(*, token: str) -> int:
    """Delete what the token names; the number deleted (0 when done before). Raises
    ApplicationError for a token that is not valid."""
    follows = unsubscribe_follows(token)
    if follows is None:
        raise ApplicationError(_("This unsubscribe link is not valid. Manage your follows on your own page."))
    deleted, _per_model = follows.delete()
    return deleted
