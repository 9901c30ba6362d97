"""Search operations other parts of the bank call: the duplicate check for new or imported entries
and similar entries for the entry page; the vocabulary's imports and label additions; the search log. (Index writes live in indexing.py and follow the catalog
through signals.py.)"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from methodbank.catalog.models import Practice
from methodbank.core.cache import catalog_changed, request_memo
from methodbank.core.errors import ApplicationError
from methodbank.core.services import audit_log

from .facet_suggestions import facet_matchers, practice_suggestions
from .indexing import with_indexed_relations
from .models import (
    FACET_CATEGORIES,
    Concept,
    ConceptLabel,
    FacetAssignment,
    FacetSource,
    FacetStatus,
    SearchLogEntry,
)
from .similarity import duplicate_candidates, similar_practice_ids
from .thesaurus import thesaurus_changed

logger = logging.getLogger(__name__)

# Cosine similarity above which two entries are probably the same practice described twice.
DUPLICATE_THRESHOLD = 0.7


def find_duplicates(
    *,
    title: str,
    summary: str,
    text: str = "",
    exclude_pk: int | None = None,
    threshold: float = DUPLICATE_THRESHOLD,
) -> list[tuple[Practice, float]]:
    """Published entries whose text closely matches the given one, most similar first."""
    if not (title or summary or text):
        return []
    scored = duplicate_candidates(
        title=title, summary=summary, text=text, exclude_pk=exclude_pk, threshold=threshold
    )
    practices = Practice.objects.select_related("project").in_bulk([pk for pk, _s in scored])
    return [(practices[pk], score) for pk, score in scored if pk in practices]


def practice_near_duplicates(*, practices, threshold: float = DUPLICATE_THRESHOLD):
    """(new entry, similar entry, score) for a batch of newly added entries, each pair once; for the
    importer's report. The entries must already be indexed."""
    new_ids = {p.pk for p in practices}
    pairs = []
    for practice in practices:
        for other, score in find_duplicates(
            title=practice.title, summary=practice.summary, exclude_pk=practice.pk, threshold=threshold
        ):
            if other.pk not in new_ids or other.pk < practice.pk:
                pairs.append((practice, other, score))
    return pairs


def similar_entries(*, practice: Practice, limit: int = 5) -> list[tuple[Practice, float]]:
    """The published entries most like this one (TF-IDF cosine), best first."""
    scored = similar_practice_ids(practice_id=practice.pk, limit=limit)
    practices = (
        Practice.objects.published()
        .select_related("project")
        .prefetch_related("project__translations")
        .in_bulk([pk for pk, _s in scored])
    )
    return [(practices[pk], score) for pk, score in scored if pk in practices]


# --- The vocabulary ------------------------------------------------------------------------------


@transaction.atomic
def _import_related(records) -> None:
    """The file's concepts get exactly the related concepts it names (in either direction: skos:related
    is symmetric); identifiers that name no concept are left out."""
    concepts = {c.identifier: c for c in Concept.objects.prefetch_related("related")}
    wanted: dict[str, set[str]] = {record.identifier: set() for record in records}
    for record in records:
        for other in record.related:
            if other in concepts and other != record.identifier:
                wanted[record.identifier].add(other)
                if other in wanted:
                    wanted[other].add(record.identifier)
    for identifier, others in wanted.items():
        concept = concepts[identifier]
        if {c.identifier for c in concept.related.all()} != others:
            concept.related.set([concepts[other] for other in sorted(others)])


def vocabulary_import(*, records, actor=None, replace: bool = False) -> dict:
    """Create or update the concepts in ``records`` (matched by identifier; each one's labels become
    exactly the file's). With ``replace`` the concepts the file does not name are deleted. All or
    nothing: one transaction. Returns how many concepts were created, updated, unchanged and deleted."""
    from .vocabulary import records_from_database

    current = {record.identifier: record for record in records_from_database()}
    concepts = Concept.objects.in_bulk([r.identifier for r in records], field_name="identifier")
    counts = {"created": 0, "updated": 0, "unchanged": 0, "deleted": 0}
    for record in records:
        if current.get(record.identifier) == record:
            counts["unchanged"] += 1
            continue
        concept = concepts.get(record.identifier) or Concept(identifier=record.identifier)
        verb = "vocabulary.concept_updated" if concept.pk else "vocabulary.concept_created"
        for name in ("category", "provenance", "pref_label_fi", "pref_label_sv", "pref_label_en", "notes"):
            setattr(concept, name, getattr(record, name))
        concept.full_clean()
        concept.save()
        concept.labels.all().delete()
        ConceptLabel.objects.bulk_create(
            [
                ConceptLabel(concept=concept, text=text, language=language, kind=kind)
                for text, language, kind in record.labels
            ]
        )
        counts["updated" if verb.endswith("updated") else "created"] += 1
        audit_log(actor=actor, verb=verb, target=concept, message="import")
    _import_related(records)
    if replace:
        gone = Concept.objects.exclude(identifier__in=[r.identifier for r in records])
        for concept in gone:
            audit_log(
                actor=actor, verb="vocabulary.concept_deleted", target=concept, message="import --replace"
            )
        counts["deleted"] = gone.delete()[1].get(Concept._meta.label, 0)
    _vocabulary_changed()
    return counts


@transaction.atomic
def concept_label_add(*, concept: Concept, text: str, language: str, kind: str, actor=None) -> ConceptLabel:
    """Add ``text`` as a label of ``concept``; searches use it at once (in every process)."""
    label = ConceptLabel(concept=concept, text=" ".join(text.split()), language=language, kind=kind)
    label.full_clean()
    label.save()
    audit_log(
        actor=actor,
        verb="vocabulary.label_added",
        target=concept,
        data={"text": label.text, "language": language, "kind": kind},
    )
    return label


def _vocabulary_changed():
    # bulk_create sends no signal: forget the cached thesaurus now and again once committed.
    thesaurus_changed()
    transaction.on_commit(thesaurus_changed)


# --- The search log ------------------------------------------------------------------------------

SEARCH_LOG_QUERY_MAX = 200
# Old rows are deleted at most this often, by whichever search comes first (one process at a time).
SEARCH_LOG_PURGE_EVERY_SECONDS = 3600
SEARCH_LOG_PURGE_KEY = "search:log-purged"


def normalise_logged_query(text: str) -> str:
    return " ".join(text.split()).lower()[:SEARCH_LOG_QUERY_MAX]


def _this_hour():
    return timezone.now().replace(minute=0, second=0, microsecond=0)


def search_log_record(*, query: str, language: str, results: int | None = None, clicked_rank: int | None = None) -> bool:
    """Log one search (with its number of results) or one click on a result (with its rank).

    Nothing about the person: no user, address or session, and the time only to the hour. Written
    with bulk_create, which sends no signals: a log row must not retire the cached public pages.
    Never fails a search: a database that refuses the write only loses the row.
    """
    query = normalise_logged_query(query)
    if not settings.SEARCH_LOG_ENABLED or not query:
        return False
    row = SearchLogEntry(
        query=query, language=language[:8], results=results, clicked_rank=clicked_rank, hour=_this_hour(),
    )
    try:
        connection = transaction.get_connection()
        if connection.in_atomic_block:
            # Inside a caller's transaction, a savepoint keeps a refused write from breaking it.
            with transaction.atomic():
                SearchLogEntry.objects.bulk_create([row])
        elif connection.vendor == "postgresql":
            # A log row is not worth a wait for the disk on every search: its own transaction commits
            # without waiting for the WAL flush (a crash can lose the last moment's rows, never
            # half a row). Under load the flush was most of a search page's time in the database.
            _insert_without_flush(connection, row)
        else:
            # In autocommit one INSERT is atomic by itself: no savepoint to create or release.
            SearchLogEntry.objects.bulk_create([row])
    except DatabaseError:
        logger.warning("search log: the row could not be written", exc_info=True)
        return False
    _purge_now_and_then()
    return True


_LOG_COLUMNS = ("query", "language", "results", "clicked_rank", "hour")


def _insert_without_flush(connection, row: SearchLogEntry) -> None:
    """One INSERT, in autocommit, whose own transaction commits without waiting for the WAL flush:
    set_config(..., true) in its RETURNING sets synchronous_commit for that statement's transaction
    (checked with pg_stat_wal: 2 flushes for 100 rows, 100 without it). BEGIN, SET LOCAL, INSERT and
    COMMIT were four round trips to the database on every search."""
    meta = SearchLogEntry._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in _LOG_COLUMNS)
    placeholders = ", ".join(["%s"] * len(_LOG_COLUMNS))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders}) "  # noqa: S608 - names from the model
            "RETURNING set_config('synchronous_commit', 'off', true)",
            [getattr(row, name) for name in _LOG_COLUMNS],
        )


def _purge_now_and_then():
    memo = request_memo()
    if memo is not None and memo.get(SEARCH_LOG_PURGE_KEY):
        # Purged within the period, as the search page read ahead (search_figures_read_ahead): no
        # round trip to the cache for the add that would refuse.
        return
    try:
        due = cache.add(SEARCH_LOG_PURGE_KEY, 1, SEARCH_LOG_PURGE_EVERY_SECONDS)
    except Exception:  # noqa: BLE001 - no cache: the management command purges instead
        return
    if due:
        try:
            search_log_purge()
        except DatabaseError:
            logger.warning("search log: purge failed", exc_info=True)


def search_log_purge(*, now=None) -> int:
    """Delete the rows older than SEARCH_LOG_RETENTION_DAYS; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.SEARCH_LOG_RETENTION_DAYS)
    # One DELETE statement: QuerySet.delete() would load every row to send post_delete, and the page
    # cache's receiver (core/cache.py) would then retire every cached public page.
    queryset = SearchLogEntry.objects.filter(hour__lt=cutoff)
    return queryset._raw_delete(queryset.db)


# --- browse facets: suggestions from the text, the coordinator's decisions, the contributor's choice


def facet_suggestions_update(*, practice_ids=None, batch_size: int = 500) -> dict:
    """(Re)compute the suggested browse values of some entries (all of them by default) from their
    text. Only suggestions change: a confirmed or rejected value stays as decided, a suggestion
    the text no longer supports is removed. Returns {"entries", "suggested", "removed"}."""
    matchers = facet_matchers()
    practices = Practice.objects.order_by("pk")
    if practice_ids is not None:
        practices = practices.filter(pk__in=list(practice_ids))
    totals = {"entries": 0, "suggested": 0, "removed": 0}
    ids = list(practices.values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        batch = ids[start : start + batch_size]
        with transaction.atomic():
            existing = {}
            for row in FacetAssignment.objects.filter(practice_id__in=batch):
                existing[row.practice_id, row.concept_id] = row
            create, update, keep = [], [], set()
            for practice in with_indexed_relations(Practice.objects.filter(pk__in=batch)):
                pk = practice.pk
                totals["entries"] += 1
                for suggestion in practice_suggestions(practice, matchers):
                    key = (pk, suggestion.concept_id)
                    keep.add(key)
                    evidence = ", ".join(suggestion.evidence)[:300]
                    row = existing.get(key)
                    if row is None:
                        create.append(FacetAssignment(
                            practice_id=pk, concept_id=suggestion.concept_id, score=suggestion.score,
                            evidence=evidence,
                        ))
                    elif row.status == FacetStatus.SUGGESTED and (row.score, row.evidence) != (suggestion.score, evidence):
                        row.score, row.evidence = suggestion.score, evidence
                        update.append(row)
            stale = [
                row.pk for key, row in existing.items()
                if key not in keep and row.status == FacetStatus.SUGGESTED and row.source == FacetSource.TEXT
            ]
            FacetAssignment.objects.bulk_create(create)
            FacetAssignment.objects.bulk_update(update, ["score", "evidence"])
            FacetAssignment.objects.filter(pk__in=stale).delete()
            totals["suggested"] += len(create)
            totals["removed"] += len(stale)
    return totals


@transaction.atomic
def facet_assignments_decide(*, concept: Concept, practice_ids, confirm: bool, by) -> int:
    """Confirm or reject suggestions of one browse value for the given entries (the coordinator's
    bulk screen). Ids that are not suggestions of this value are ignored. Returns how many changed."""
    if not concept.facet_value:
        raise ApplicationError(_("This concept is not a browse value."))
    rows = FacetAssignment.objects.filter(
        concept=concept, practice_id__in=list(practice_ids), status=FacetStatus.SUGGESTED
    )
    status = FacetStatus.CONFIRMED if confirm else FacetStatus.REJECTED
    changed = rows.update(status=status, decided_by=by, decided_at=timezone.now())
    if changed:
        audit_log(actor=by, verb=f"facet.{status}", target=concept, message=f"{changed} entries",
                  data={"count": changed})
        # A queryset update sends no save signal: the public pages' cache is retired by hand.
        catalog_changed()
    return changed


# A contributor's choice ranks above any suggestion from the text on the coordinator's screen.
CHOSEN_SCORE = 100.0


@transaction.atomic
def practice_facets_set(*, practice: Practice, concept_ids, by) -> None:
    """The browse values a contributor chose for an entry (the entry form). A new choice waits for
    a coordinator like a suggestion from the text (source: contributor, first on the confirm
    screen): only confirmed values are public. A value no longer chosen is rejected, so a later
    suggestion from the text does not bring it back."""
    wanted = set(
        Concept.objects.filter(pk__in=list(concept_ids), facet_value=True, category__in=FACET_CATEGORIES)
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    rows = {row.concept_id: row for row in FacetAssignment.objects.filter(practice=practice)}
    for concept_id in wanted:
        row = rows.get(concept_id)
        if row is None:
            FacetAssignment.objects.create(
                practice=practice, concept_id=concept_id, status=FacetStatus.SUGGESTED,
                source=FacetSource.CONTRIBUTOR, score=CHOSEN_SCORE,
            )
        elif row.status != FacetStatus.CONFIRMED and (row.status, row.source) != (FacetStatus.SUGGESTED, FacetSource.CONTRIBUTOR):
            row.status, row.source, row.score = FacetStatus.SUGGESTED, FacetSource.CONTRIBUTOR, CHOSEN_SCORE
            row.save(update_fields=["status", "source", "score"])
    for concept_id, row in rows.items():
        if concept_id not in wanted and (
            row.status == FacetStatus.CONFIRMED or (row.status, row.source) == (FacetStatus.SUGGESTED, FacetSource.CONTRIBUTOR)
        ):
            row.status, row.decided_by, row.decided_at = FacetStatus.REJECTED, by, now
            row.save(update_fields=["status", "decided_by", "decided_at"])
