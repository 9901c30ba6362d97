"""Search operations other parts of the bank call: the duplicate check for new or imported entries
and similar entries for the entry page. (Index writes live in indexing.py and follow the catalog
through signals.py.)"""

from __future__ import annotations

from methodbank.catalog.models import Practice, PublicationStatus

from .similarity import duplicate_candidates, similar_practice_ids

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
        Practice.objects.filter(status=PublicationStatus.PUBLISHED)
        .select_related("project")
        .prefetch_related("project__translations")
        .in_bulk([pk for pk, _s in scored])
    )
    return [(practices[pk], score) for pk, score in scored if pk in practices]
