"""Keeping the index in step with the catalog: one SearchDocument per *published* entry.

Drafts, submitted and archived entries have no document, so nothing unpublished can ever be found
by the public search. The vocabulary (SearchTerm.df) is updated with the difference between the old
and the new term sets, so saving an entry costs a handful of queries whatever the catalog size.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from methodbank.catalog.models import Practice, PublicationStatus

from .analysis import index_text
from .models import SearchDocument, SearchTerm

# Bumped on every change of the index: cached statistics and similarity vectors key on it.
INDEX_VERSION_KEY = "search:index-version"


@dataclass
class DocumentFields:
    language: str
    title: str  # analysed text (see analysis.index_text)
    summary: str
    body: str
    lengths: tuple[int, int, int]

    def all_terms(self) -> set[str]:
        return set(self.title.split()) | set(self.summary.split()) | set(self.body.split())


def practice_body_text(practice: Practice) -> str:
    """Everything indexed with the lowest weight: template sections, project names, keywords."""
    pieces = [getattr(practice, name) for name, _heading in Practice.TEMPLATE_FIELDS]
    project = practice.project
    if project is not None:
        pieces += [project.name, project.short_name, *[str(a) for a in (project.aliases or [])]]
    pieces += [keyword.name for keyword in practice.keywords.all()]
    return "\n".join(p for p in pieces if p)


def practice_document_fields(practice: Practice) -> DocumentFields:
    language = practice.language or "fi"
    title, title_len = index_text(practice.title, language)
    summary, summary_len = index_text(practice.summary, language)
    body, body_len = index_text(practice_body_text(practice), language)
    return DocumentFields(language, title, summary, body, (title_len, summary_len, body_len))


def _bump_version():
    try:
        cache.incr(INDEX_VERSION_KEY)
    except ValueError:
        cache.set(INDEX_VERSION_KEY, 1, None)


def index_version() -> int:
    return cache.get_or_set(INDEX_VERSION_KEY, 1, None)


def _terms_of(document: SearchDocument) -> set[str]:
    return set(f"{document.title_terms} {document.summary_terms} {document.body_terms}".split())


def _vocabulary_update(*, added: set[str], removed: set[str]) -> None:
    if removed:
        SearchTerm.objects.filter(term__in=removed).update(df=F("df") - 1)
        SearchTerm.objects.filter(term__in=removed, df__lte=0).delete()
    if added:
        added = {t[:120] for t in added}
        existing = set(SearchTerm.objects.filter(term__in=added).values_list("term", flat=True))
        if existing:
            SearchTerm.objects.filter(term__in=existing).update(df=F("df") + 1)
        SearchTerm.objects.bulk_create(
            [SearchTerm(term=t, df=1) for t in added - existing], ignore_conflicts=True, batch_size=500
        )


@transaction.atomic
def search_document_update(*, practice: Practice) -> SearchDocument | None:
    """Index a published entry, or take an unpublished one out of the index."""
    existing = SearchDocument.objects.filter(practice_id=practice.pk).first()
    if practice.status != PublicationStatus.PUBLISHED:
        if existing is not None:
            search_document_delete(practice_id=practice.pk)
        return None
    fields = practice_document_fields(practice)
    old_terms = _terms_of(existing) if existing else set()
    document = existing or SearchDocument(practice_id=practice.pk)
    document.language = fields.language
    document.title_terms, document.summary_terms, document.body_terms = fields.title, fields.summary, fields.body
    document.title_len, document.summary_len, document.body_len = fields.lengths
    document.save()
    new_terms = fields.all_terms()
    _vocabulary_update(added=new_terms - old_terms, removed=old_terms - new_terms)
    _bump_version()
    return document


@transaction.atomic
def search_document_delete(*, practice_id: int) -> None:
    document = SearchDocument.objects.filter(practice_id=practice_id).first()
    if document is None:
        return
    old_terms = _terms_of(document)
    document.delete()
    _vocabulary_update(added=set(), removed=old_terms)
    _bump_version()


def practices_for_indexing():
    return Practice.objects.filter(status=PublicationStatus.PUBLISHED).select_related("project").prefetch_related(
        "keywords"
    )


@transaction.atomic
def search_index_rebuild(*, batch_size: int = 1000, progress=None) -> int:
    """Rebuild the whole index from the catalog. Returns the number of documents indexed."""
    SearchDocument.objects.all().delete()
    SearchTerm.objects.all().delete()
    df: Counter[str] = Counter()
    table = connection.ops.quote_name(SearchDocument._meta.db_table)
    # Plain executemany: for a full rebuild the ORM's per-row overhead is most of the cost.
    sql = (
        f"INSERT INTO {table} (practice_id, language, title_terms, summary_terms, body_terms, "
        "title_len, summary_len, body_len, indexed_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    batch: list[tuple] = []
    count = 0
    with connection.cursor() as cursor:
        for practice in practices_for_indexing().order_by("pk").iterator(chunk_size=batch_size):
            fields = practice_document_fields(practice)
            df.update(fields.all_terms())
            batch.append((practice.pk, fields.language, fields.title, fields.summary, fields.body, *fields.lengths, now))
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
                if progress:
                    progress(count)
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    SearchTerm.objects.bulk_create(
        [SearchTerm(term=term[:120], df=n) for term, n in df.items()], batch_size=5000, ignore_conflicts=True
    )
    _bump_version()
    return count
