"""Writes: moving the counted hits from Redis (counters.py) into MonthlyUsage, batch by batch."""

import datetime
import logging
from collections import Counter
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from methodbank.catalog.models import Practice, PracticeAttachment

from . import counters
from .models import FlushedBatch, MonthlyUsage, UsageKind

logger = logging.getLogger(__name__)

# How long the names of flushed batches are kept: far longer than any flush can be interrupted.
FLUSHED_BATCH_DAYS = 30


@dataclass
class FlushResult:
    batches: int = 0
    hits: int = 0
    dropped: int = 0  # hits whose entry no longer exists (or never did) or whose field is malformed


def usage_flush() -> FlushResult:
    """Seal what is pending and add every sealed batch (older interrupted ones too) to the database."""
    counters.send_now()  # this process's hits that are still on their way to Redis
    store = counters.store()
    store.seal()
    result = FlushResult()
    for batch in store.batches():
        hits, dropped = _flush_batch(store, batch)
        result.batches += 1
        result.hits += hits
        result.dropped += dropped
    FlushedBatch.objects.filter(flushed_at__lt=timezone.now() - datetime.timedelta(days=FLUSHED_BATCH_DAYS)).delete()
    return result


def _flush_batch(store, batch: str) -> tuple[int, int]:
    raw = store.read(batch)
    totals, dropped = _resolve(raw)
    try:
        with transaction.atomic():
            # The unique name makes a second flush of the same batch (a retry, or two flushes at
            # once) fail here and roll back, instead of counting it twice.
            FlushedBatch.objects.create(name=batch)
            _add(totals)
    except IntegrityError:
        if not FlushedBatch.objects.filter(name=batch).exists():
            # A concurrent flush inserted one of the same new rows: this batch stays in Redis for the next.
            logger.warning("usage batch %s not flushed (concurrent flush); it waits for the next", batch)
            return 0, 0
        logger.info("usage batch %s was already flushed", batch)
        store.delete(batch)
        return 0, 0
    store.delete(batch)
    return sum(totals.values()), dropped


def _resolve(raw: dict[str, int]) -> tuple[Counter, int]:
    """{(practice_id, month, kind): count} from the batch's fields; unknown entries are dropped."""
    parsed, dropped = [], 0
    slugs, attachment_ids, practice_ids = set(), set(), set()
    for name, count in raw.items():
        parts = counters.parse_field(name)
        month = _month(parts[2]) if parts else None
        if parts is None or month is None or parts[0] not in UsageKind.values or count <= 0:
            dropped += count
            continue
        kind, ref, _month_text = parts
        scheme, _, value = ref.partition(":")
        if scheme == "s":
            slugs.add(value)
        elif scheme == "a" and value.isdigit():
            attachment_ids.add(int(value))
        elif scheme == "p" and value.isdigit():
            practice_ids.add(int(value))
        else:
            dropped += count
            continue
        parsed.append((kind, scheme, value, month, count))
    by_slug = dict(Practice.objects.filter(slug__in=slugs).values_list("slug", "pk")) if slugs else {}
    by_attachment = (
        # A team downloading its own entry's files before they are public is not a reader.
        dict(PracticeAttachment.objects.filter(pk__in=attachment_ids, public=True).values_list("pk", "practice_id"))
        if attachment_ids else {}
    )
    existing = set(Practice.objects.filter(pk__in=practice_ids).values_list("pk", flat=True)) if practice_ids else set()
    totals: Counter = Counter()
    for kind, scheme, value, month, count in parsed:
        if scheme == "s":
            practice_id = by_slug.get(value)
        elif scheme == "a":
            practice_id = by_attachment.get(int(value))
        else:
            practice_id = int(value) if int(value) in existing else None
        if practice_id is None:
            dropped += count
        else:
            totals[(practice_id, month, kind)] += count
    return totals, dropped


def _month(text: str) -> datetime.date | None:
    year, _, month = text.partition("-")
    if not (len(year) == 4 and year.isdigit() and len(month) == 2 and month.isdigit()):
        return None
    try:
        return datetime.date(int(year), int(month), 1)
    except ValueError:
        return None


def _add(totals: Counter) -> None:
    if not totals:
        return
    practice_ids = {key[0] for key in totals}
    months = {key[1] for key in totals}
    rows = {
        (row.practice_id, row.month, row.kind): row
        for row in MonthlyUsage.objects.select_for_update().filter(practice_id__in=practice_ids, month__in=months)
    }
    changed, new = [], []
    for key, count in totals.items():
        row = rows.get(key)
        if row is None:
            new.append(MonthlyUsage(practice_id=key[0], month=key[1], kind=key[2], count=count))
        else:
            row.count += count
            changed.append(row)
    MonthlyUsage.objects.bulk_update(changed, ["count"], batch_size=500)
    MonthlyUsage.objects.bulk_create(new, batch_size=500)


def usage_record(*, kind: str, practice_id: int) -> None:
    """Count one use of an entry known by id (an adoption, see apps.py), once its transaction commits."""
    if kind not in UsageKind.values:
        raise ValueError(f"Unknown usage kind {kind!r}")
    transaction.on_commit(lambda: counters.record(kind, f"p:{int(practice_id)}"))
