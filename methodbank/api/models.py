"""Personal API tokens for the write API.

Only a SHA-256 hash of a token is stored: the token itself is shown once, when it is created, and
cannot be recovered from the database. A revoked token stays in the list (with ``revoked_at``) so
its owner can see when it was used last.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, e.g. our project website.")
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    # The first characters of the token, so its owner can tell their tokens apart.
    prefix = models.CharField(_("beginning of the token"), max_length=16, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self):
        return self.revoked_at is None


class IdempotencyRecord(models.Model):
    """The answer to a write request sent with an ``Idempotency-Key`` (see api/idempotency.py), stored
    in the same transaction as the write so that a retry gets it back instead of writing twice."""

    # SHA-256 of the API token that sent the key: keys of different clients never meet.
    scope = models.CharField(max_length=64)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the method, path and body.")
    status = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=100)
    body = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotency_unique_key")]
        verbose_name = _("idempotent API request")
        verbose_name_plural = _("idempotent API requests")

    def __str__(self):
        return f"{self.key} ({self.status})"
