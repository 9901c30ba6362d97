"""Shared figures kept in the database as well as in the cache (core/cache.py).

A cache that has lost everything (a deploy with a new Redis, a Redis restart or flush) left the
first visitor of each page computing the whole-catalog figures: the front page 8 queries, the search
page's facets 16 queries and one to three seconds at 100,000 entries. The last value of each such
figure is therefore also written here with the catalog generation it was computed at. The
generation (CatalogGeneration) moves in the same transaction as each catalog change, so a figure
whose generation is the current one is exact, whatever the cache forgot.

Reads and writes are one query each, made only when the cache misses a figure."""

import logging
import pickle
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .models import CatalogGeneration, SharedFigure

logger = logging.getLogger(__name__)

GENERATION_PK = 1


def generation_advance() -> None:
    """Move the catalog generation: called by catalog_changed, inside the change's transaction, so
    that no reader sees the change without the new generation (nor the generation without it)."""
    now = timezone.now()
    if CatalogGeneration.objects.filter(pk=GENERATION_PK).update(value=F("value") + 1, changed_at=now):
        return
    try:  # the first change ever (or after a restore emptied the table)
        with transaction.atomic():
            CatalogGeneration.objects.create(pk=GENERATION_PK, value=1, changed_at=now)
    except IntegrityError:  # created meanwhile by another process
        CatalogGeneration.objects.filter(pk=GENERATION_PK).update(value=F("value") + 1, changed_at=now)


@dataclass
class StoredFigure:
    """What the database says of a figure: the current generation, when it moved last, and the
    figure's last value with its generation (``found`` False if none was ever written)."""

    generation: int
    changed_at: datetime | None
    found: bool = False
    figure_generation: int = 0
    value: object = None

    @property
    def exact(self) -> bool:
        return self.found and self.figure_generation == self.generation

    def stale_age(self) -> float | None:
        """Seconds since the one change this figure lacks, or None if it lacks more than one (the
        time of the first is not kept: it may be older than any bound) or is exact."""
        if not self.found or self.figure_generation != self.generation - 1 or self.changed_at is None:
            return None
        return (timezone.now() - self.changed_at).total_seconds()


def figure_read(name: str) -> StoredFigure:
    """The generation and the figure ``name`` in one query."""
    generation_table = connection.ops.quote_name(CatalogGeneration._meta.db_table)
    figure_table = connection.ops.quote_name(SharedFigure._meta.db_table)
    with connection.cursor() as cursor:
        # The generation row may be missing (no change yet): the figure is read all the same.
        cursor.execute(
            f"SELECT g.value, g.changed_at, f.generation, f.value FROM (SELECT 1 AS one) AS o "
            f"LEFT JOIN {generation_table} AS g ON g.id = %s LEFT JOIN {figure_table} AS f ON f.name = %s",
            [GENERATION_PK, name],
        )
        generation, changed_at, figure_generation, raw = cursor.fetchone()
    if isinstance(changed_at, str):  # a driver that does not convert a raw query's column
        changed_at = parse_datetime(changed_at)
    if changed_at is not None and timezone.is_naive(changed_at):  # SQLite keeps UTC, naive
        changed_at = timezone.make_aware(changed_at, UTC)
    stored = StoredFigure(generation=generation or 0, changed_at=changed_at)
    if raw is not None:
        try:
            stored.value = pickle.loads(bytes(raw))  # noqa: S301 - written by figure_write only
        except Exception:  # noqa: BLE001 - a value of older code that no longer loads: none
            logger.warning("shared figure %s in the database does not load", name)
            return stored
        stored.found, stored.figure_generation = True, figure_generation
    return stored


def catalog_changed_at() -> datetime | None:
    """When public content last changed, withdrawals and deletions included (None before the first
    change): what a list's newest entry cannot tell, since a withdrawn entry is no longer in it."""
    return CatalogGeneration.objects.filter(pk=GENERATION_PK).values_list("changed_at", flat=True).first()


def generation_read() -> int:
    return CatalogGeneration.objects.filter(pk=GENERATION_PK).values_list("value", flat=True).first() or 0


def figure_write(name: str, generation: int, value) -> None:
    """Keep ``value`` of ``name`` computed at ``generation`` (read before computing it: a change
    committed meanwhile leaves it one generation behind, never claimed exact). One upsert: a
    process that computed it from an older generation at the same time may overwrite a newer
    one, which then only counts as not exact (the next reader computes it again)."""
    SharedFigure.objects.bulk_create(
        [
            SharedFigure(
                name=name,
                generation=generation,
                value=pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL),
                computed_at=timezone.now(),
            )
        ],
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=["generation", "value", "computed_at"],
    )
