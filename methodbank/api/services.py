"""Writes of the API app: personal API tokens."""

import datetime
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from methodbank.core.services import audit_log

from .models import ApiToken

TOKEN_PREFIX = "mbk_"
# Updating last_used_at on every call would make every read a write; a minute is precise enough.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)
MAX_ACTIVE_TOKENS = 20


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the token row and the token itself, which is shown once
    and never stored."""
    if not user.is_active:
        raise PermissionDenied(_("An inactive account cannot create API tokens."))
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("You already have %(count)d active tokens. Revoke one you no longer use first.")
            % {"count": MAX_ACTIVE_TOKENS}
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user, name=name.strip(), token_hash=token_hash(raw), prefix=raw[: len(TOKEN_PREFIX) + 6]
    )
    token.full_clean()
    token.save()
    audit_log(actor=user, verb="api_token.create", target=token, data={"name": token.name})
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by) -> ApiToken:
    if token.user_id != by.pk:
        raise PermissionDenied(_("You can revoke only your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_log(actor=by, verb="api_token.revoke", target=token, data={"name": token.name})
    return token


def api_token_authenticate(*, raw: str):
    """The active user a token belongs to, or None for an unknown, revoked or malformed token or an
    inactive account."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=token_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
