from django.db import models
from django.utils.translation import gettext_lazy as _

from methodbank.catalog.models import Practice


class UsageKind(models.TextChoices):
    VIEW = "view", _("page views")
    DOWNLOAD = "download", _("attachment downloads")
    API_READ = "api_read", _("API reads")
    ADOPTION = "adoption", _("adoptions")


class MonthlyUsage(models.Model):
    """How many times an entry was used in one way in one month. Nothing about who used it."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+", verbose_name=_("entry"))
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    kind = models.CharField(_("kind"), max_length=16, choices=UsageKind.choices)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("monthly usage")
        verbose_name_plural = _("monthly usage")
        constraints = [
            models.UniqueConstraint(fields=["practice", "month", "kind"], name="usage_one_row_per_entry_month_kind"),
        ]
        indexes = [models.Index(fields=["month", "kind"], name="usage_month_kind")]

    def __str__(self):
        return f"{self.practice_id} {self.month:%Y-%m} {self.kind}: {self.count}"


class FlushedBatch(models.Model):
    """A Redis batch already added to MonthlyUsage, written in the same transaction: a flush that
    stopped between the commit and deleting the batch from Redis must not add it again."""

    name = models.CharField(max_length=100, unique=True)
    flushed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("flushed usage batch")
        verbose_name_plural = _("flushed usage batches")

    def __str__(self):
        return self.name
