"""Rebuild the open-data dumps when published content changes.

An entry or project counts when it is published now or has been published before (archiving or
withdrawing it must remove it from the dumps too). Placements, links and keywords of a published
entry are part of its dump row, so their changes count as well, and so does an adoption record
once it is decided (approved, or withdrawn after it was approved): a model's row counts its adoptions.
"""

from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from methodbank.catalog.models import (
    Adoption,
    AdoptionStatus,
    Placement,
    Practice,
    PracticeLink,
    Project,
    PublicationStatus,
)

from .opendata import open_data_rebuild_after_commit


def _affects_open_data(instance) -> bool:
    return instance.status == PublicationStatus.PUBLISHED or instance.published_at is not None


def _rebuild():
    if settings.OPEN_DATA_REBUILD_ON_PUBLISH:
        open_data_rebuild_after_commit()


@receiver(post_save, sender=Practice, dispatch_uid="api_opendata_practice_saved")
@receiver(post_delete, sender=Practice, dispatch_uid="api_opendata_practice_deleted")
@receiver(post_save, sender=Project, dispatch_uid="api_opendata_project_saved")
@receiver(post_delete, sender=Project, dispatch_uid="api_opendata_project_deleted")
def publishable_changed(sender, instance, raw=False, **kwargs):
    if not raw and _affects_open_data(instance):
        _rebuild()


@receiver(post_save, sender=Placement, dispatch_uid="api_opendata_placement_saved")
@receiver(post_delete, sender=Placement, dispatch_uid="api_opendata_placement_deleted")
@receiver(post_save, sender=PracticeLink, dispatch_uid="api_opendata_link_saved")
@receiver(post_delete, sender=PracticeLink, dispatch_uid="api_opendata_link_deleted")
def practice_part_changed(sender, instance, raw=False, **kwargs):
    if raw or not settings.OPEN_DATA_REBUILD_ON_PUBLISH:
        return
    practice = Practice.objects.filter(pk=instance.practice_id).only("status", "published_at").first()
    if practice is not None and _affects_open_data(practice):
        _rebuild()


@receiver(m2m_changed, sender=Practice.keywords.through, dispatch_uid="api_opendata_keywords")
@receiver(m2m_changed, sender=Project.themes.through, dispatch_uid="api_opendata_project_themes")
def relation_changed(sender, instance, action, reverse=False, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:
        # keyword.practices.add(...) / theme.projects.add(...): rebuild if any published row changed.
        _rebuild()
    elif _affects_open_data(instance):
        _rebuild()


@receiver(post_save, sender=Adoption, dispatch_uid="api_opendata_adoption_saved")
@receiver(post_delete, sender=Adoption, dispatch_uid="api_opendata_adoption_deleted")
def adoption_changed(sender, instance, raw=False, **kwargs):
    # A pending or rejected record never counted; approving or withdrawing one changes the count.
    if not raw and instance.status in {AdoptionStatus.APPROVED, AdoptionStatus.WITHDRAWN}:
        _rebuild()
