from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """Who did what to which object, and why. Written by services, never by views."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(_("action"), max_length=64)
    target_type = models.CharField(_("object type"), max_length=64)
    target_id = models.CharField(_("object id"), max_length=64)
    target_repr = models.CharField(_("object"), max_length=300, blank=True)
    message = models.TextField(_("message"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.verb} {self.target_repr}"


class CatalogGeneration(models.Model):
    """One row whose ``value`` moves with every catalog change, in the change's own transaction
    (core/cache.py, catalog_changed). The catalog version the pages are cached under lives in the
    cache and starts again when the cache loses everything (a Redis restart); this one lives with
    the catalog, so a figure kept in the database (SharedFigure) can tell whether the catalog has
    changed since it was computed."""

    value = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True, blank=True)

    # Worthless after a restore (its figures are gone with it): not backed up, emptied by a restore.
    backup_derived = True

    class Meta:
        verbose_name = _("catalog generation")
        verbose_name_plural = _("catalog generations")

    def __str__(self):
        return str(self.value)


class SharedFigure(models.Model):
    """The last computed value of a whole-catalog figure the pages share (the front page's counts,
    the search page's facets), with the catalog generation it was computed at: after the cache has
    lost it (a deploy, a Redis restart) it is exact while the generation has not moved, and may be
    served stale within SHARED_FIGURES_STALE_SECONDS of the one change it lacks (core/cache.py)."""

    name = models.CharField(max_length=200, primary_key=True)
    generation = models.PositiveBigIntegerField()
    # Pickled, as the cache keeps it (themes and keywords with their counts): written and read by
    # this code only, like the cache's values.
    value = models.BinaryField()
    computed_at = models.DateTimeField()

    backup_derived = True  # recomputed from the catalog

    class Meta:
        verbose_name = _("shared figure")
        verbose_name_plural = _("shared figures")

    def __str__(self):
        return f"{self.name} @ {self.generation}"
