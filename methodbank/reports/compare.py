"""Comparing a published version of a report with another one, or with the catalog now.

Both use the one diff of entry snapshots (contributions.changes): every field of an entry's public
content counts, not only the title and the summary. Comparing two versions works on the frozen
contexts only, so it never depends on today's catalog.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language

from methodbank.contributions.changes import EntriesComparison, entries_compare
from methodbank.core.cache import cached_until_catalog_changes

from . import selectors
from .builder import report_entries, report_for_site
from .models import PublishedReport


def report_compare(*, new_context: dict, old_context: dict) -> EntriesComparison:
    return entries_compare(old=old_context.get("entries", {}), new=new_context.get("entries", {}))


def report_changes_since(*, published: PublishedReport) -> EntriesComparison:
    """Entries added, changed and removed since ``published`` was frozen: its entries against those its
    definition selects today (what the next version would list), read in the report's language so
    that the places are named as the version named them."""
    definition = published.definition
    with translation.override(definition.language):
        now = report_entries(selectors.report_selected_placements(definition=definition))
    return entries_compare(old=report_for_site(published.context).get("entries", {}), new=now)


# One per published version and language: kept a day at most, so those of past catalog versions expire.
CHANGES_CACHE_SECONDS = 24 * 60 * 60


def published_report_changes(*, published: PublishedReport) -> EntriesComparison:
    """``report_changes_since``, kept until the catalog or the definition changes: it reads every
    selected entry's content. Field labels are in the current language, so it is part of the key."""
    definition = published.definition
    stamp = definition.updated_at.timestamp() if definition.updated_at else 0
    return cached_until_catalog_changes(
        f"report-changes:{published.pk}:{stamp}:{get_language()}",
        lambda: report_changes_since(published=published),
        timeout=CHANGES_CACHE_SECONDS,
    )


def published_report_changes_by_slug(*, slug: str, version: int) -> dict | None:
    """For the API (registered in catalog.extensions): the version and what changed since, or None
    when no such version is published."""
    published = (
        PublishedReport.objects.select_related("definition").filter(definition__slug=slug, version=version).first()
    )
    if published is None:
        return None
    report = {
        "slug": published.definition.slug,
        "version": published.version,
        "title": published.title,
        "language": published.definition.language,
        "published_at": published.published_at,
        "url": settings.SITE_URL.rstrip("/") + published.get_absolute_url(),
    }
    return {"report": report, "comparison": published_report_changes(published=published)}
