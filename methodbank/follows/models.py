from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    DAILY = "daily", _("daily")
    WEEKLY = "weekly", _("weekly")


class Follow(models.Model):
    """A user follows a target (follows/targets.py: a theme, subtheme, project, search or concept)
    and gets a digest of what is new in it, daily or weekly."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows", verbose_name=_("user")
    )
    # Not choices: the kinds are a registry (targets.py), so a new kind needs no migration.
    kind = models.CharField(_("kind"), max_length=20)
    key = models.CharField(_("key"), max_length=1000)
    frequency = models.CharField(_("frequency"), max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The digest's cursor: what changed up to this moment has been reported (or was there before
    # the user followed). The next digest reports what changed after it.
    covered_until = models.DateTimeField(_("reported until"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "kind", "key"], name="follow_unique_target")]
        indexes = [models.Index(fields=["frequency", "user"])]
        verbose_name = _("follow")
        verbose_name_plural = _("follows")

    def __str__(self):
        return f"{self.user_id}: {self.kind} {self.key}"
