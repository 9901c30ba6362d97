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
from methodbank.core.cache import request_memo

from . import termvectors
from .analysis import index_text
from .bm25 import INDEX_VERSION_KEY, collection_stats, field_norms, impact
from .bm25 import index_version as index_version  # lexicon.py reads it from here
from .models import SearchDocument, SearchPosting, SearchTerm, SearchTermVector


@dataclass
class DocumentFields:
    language: str
    title: str  # analysed text (see analysis.index_text); language versions separated by a blank line
    summary: str
    body: str
    lengths: tuple[int, int, int]

    def all_terms(self) -> set[str]:
        return set(self.title.split()) | set(self.summary.split()) | set(self.body.split())


# An entry is indexed in every language it is written in: its original and its translations, each
# analysed with its own language's analyser (Voikko for Finnish, Snowball for Swedish and English),
# so "studiehandledare" in a Swedish translation is found by a Swedish query. The versions share one
# document; in each field they are separated by a blank line (index_text never writes one), and a
# term's frequency is its frequency in the version that has it most often, the field's length that
# of the longest version (term_frequencies, practice_document_fields). So an entry scores like its best
# matching version: a name that stays the same in every translation is not counted twice, and a
# translated entry is not penalised as a longer document for a query in its original language.
LANGUAGE_SEPARATOR = "\n\n"


def practice_body_text(
    practice: Practice, texts: dict | None = None, *, project_name: str | None = None
) -> str:
    """Everything indexed with the lowest weight: template sections, project names, keywords.

    ``texts`` is one language version from ``practice_texts_by_language`` (default: the original).
    Project names (all of them) and keywords belong to the original, which is Finnish-named in the
    catalog; a translation adds its project's name in its own language when the project has one.
    """
    if texts is not None:
        pieces = [texts.get(name, "") for name, _heading in Practice.TEMPLATE_FIELDS]
        return "\n".join(p for p in [*pieces, project_name or ""] if p)
    pieces = [getattr(practice, name) for name, _heading in Practice.TEMPLATE_FIELDS]
    project = practice.project
    if project is not None:
        pieces += [project.name, project.short_name, *[str(a) for a in (project.aliases or [])]]
    pieces += [keyword.name for keyword in practice.keywords.all()]
    return "\n".join(p for p in pieces if p)


def practice_language_versions(practice: Practice) -> list[tuple[str, str, str, str]]:
    """(language, title, summary, body) of every language version, the original first."""
    from methodbank.catalog.translations import practice_texts_by_language, project_texts_by_language

    by_language = practice_texts_by_language(practice=practice)
    original = next(iter(by_language))
    project_names = {}
    if practice.project is not None:
        project_names = {
            code: texts["name"]
            for code, texts in project_texts_by_language(project=practice.project).items()
            if code != original and texts["name"].strip()
        }
    versions = [(original, practice.title, practice.summary, practice_body_text(practice))]
    for code in [*by_language, *project_names]:
        if code == original or any(v[0] == code for v in versions):
            continue
        texts = by_language.get(code, {})
        versions.append(
            (
                code,
                texts.get("title", ""),
                texts.get("summary", ""),
                practice_body_text(practice, texts, project_name=project_names.get(code)),
            )
        )
    return versions


def practice_document_fields(practice: Practice) -> DocumentFields:
    analysed: list[list[str]] = [[], [], []]
    lengths = [0, 0, 0]
    for code, *texts in practice_language_versions(practice):
        for number, text in enumerate(texts):
            terms, length = index_text(text, code)
            if terms:
                analysed[number].append(terms)
            lengths[number] = max(lengths[number], length)
    title, summary, body = (LANGUAGE_SEPARATOR.join(parts) for parts in analysed)
    return DocumentFields(practice.language or "fi", title, summary, body, tuple(lengths))


# --- postings and term vectors (the index both engines search: models.SearchPosting, SearchTermVector)

POSTING_COLUMNS = "practice_id, term, tf_title, tf_summary, tf_body, impact"
VECTOR_COLUMNS = "practice_id, title_len, summary_len, body_len, terms"


def term_frequencies(title: str, summary: str, body: str) -> dict[str, list[int]]:
    """Per-field frequencies of every term of an analysed document (what ranking.py scores with):
    in each field, the frequency in the language version that has the term most often."""
    found: dict[str, list[int]] = {}
    for number, text in enumerate((title, summary, body)):
        for version in text.split(LANGUAGE_SEPARATOR):
            for term, count in Counter(version.split()).items():
                counts = found.setdefault(term[:120], [0, 0, 0])
                counts[number] = max(counts[number], count)
    return found


def posting_rows(
    practice_id: int, title: str, summary: str, body: str, lengths, avg_lengths, frequencies=None
) -> list[tuple]:
    norms = field_norms(lengths, avg_lengths)
    if frequencies is None:
        frequencies = term_frequencies(title, summary, body)
    return [(practice_id, term, t, s, b, impact((t, s, b), norms)) for term, (t, s, b) in frequencies.items()]


def vector_row(practice_id: int, lengths, frequencies: dict[str, list[int]]) -> tuple:
    """The entry's row of the forward index (models.SearchTermVector)."""
    return (practice_id, *lengths, termvectors.encode(frequencies))


def _insert(cursor, model, columns: str, rows: list[tuple]) -> None:
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    if connection.vendor == "postgresql":
        # COPY: a full rebuild writes millions of postings; INSERT would take several times longer.
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    placeholders = ", ".join(["%s"] * len(rows[0]))
    cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


def _insert_postings(cursor, rows: list[tuple]) -> None:
    _insert(cursor, SearchPosting, POSTING_COLUMNS, rows)


def _insert_vectors(cursor, rows: list[tuple]) -> None:
    _insert(cursor, SearchTermVector, VECTOR_COLUMNS, rows)


def _postings_replace(document: SearchDocument | None, practice_id: int) -> None:
    """The entry's postings and term vector, rewritten from its document (removed without one)."""
    SearchPosting.objects.filter(practice_id=practice_id)._raw_delete(SearchPosting.objects.db)
    SearchTermVector.objects.filter(practice_id=practice_id)._raw_delete(SearchTermVector.objects.db)
    if document is None:
        return
    lengths = (document.title_len, document.summary_len, document.body_len)
    frequencies = term_frequencies(document.title_terms, document.summary_terms, document.body_terms)
    rows = posting_rows(practice_id, "", "", "", lengths, collection_stats().avg_lengths, frequencies)
    with connection.cursor() as cursor:
        _insert_postings(cursor, rows)
        _insert_vectors(cursor, [vector_row(practice_id, lengths, frequencies)])


def postings_rebuild(*, batch_size: int = 2000, progress=None) -> int:
    """Re-create every posting and term vector from the stored documents (after a rebuild).
    Returns the number of postings written."""
    SearchPosting.objects.all()._raw_delete(SearchPosting.objects.db)
    SearchTermVector.objects.all()._raw_delete(SearchTermVector.objects.db)
    from django.db.models import Avg

    averages = SearchDocument.objects.aggregate(t=Avg("title_len"), s=Avg("summary_len"), b=Avg("body_len"))
    avg_lengths = (averages["t"] or 1.0, averages["s"] or 1.0, averages["b"] or 1.0)
    documents = SearchDocument.objects.order_by("practice_id").values_list(
        "practice_id", "title_terms", "summary_terms", "body_terms", "title_len", "summary_len", "body_len"
    )
    written, rows, vectors = 0, [], []
    with connection.cursor() as cursor:
        for pk, title, summary, body, *lengths in documents.iterator(chunk_size=batch_size):
            frequencies = term_frequencies(title, summary, body)
            rows += posting_rows(pk, title, summary, body, lengths, avg_lengths, frequencies)
            vectors.append(vector_row(pk, lengths, frequencies))
            if len(rows) >= 50 * batch_size:
                _insert_postings(cursor, rows)
                _insert_vectors(cursor, vectors)
                written += len(rows)
                rows, vectors = [], []
                if progress:
                    progress(written)
        _insert_postings(cursor, rows)
        _insert_vectors(cursor, vectors)
        written += len(rows)
    return written


def _bump_version():
    _publish_version()  # this thread searches its own writes at once (and tests run uncommitted)
    # And again after the commit: another app server (or thread) that saw the first new version
    # before the commit built its lexicon and ranking statistics from the old rows and would keep
    # them under that version until the next change.
    transaction.on_commit(_publish_version)


def _publish_version():
    from .lexicon import forget

    forget()  # this process rebuilds its lexicon at once; others when they see the new version
    memo = request_memo()
    if memo is not None:
        memo.pop(INDEX_VERSION_KEY, None)
    try:
        cache.incr(INDEX_VERSION_KEY)
    except ValueError:
        cache.set(INDEX_VERSION_KEY, 1, None)


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
    document.title_terms, document.summary_terms, document.body_terms = (
        fields.title,
        fields.summary,
        fields.body,
    )
    document.title_len, document.summary_len, document.body_len = fields.lengths
    document.save()
    _postings_replace(document, practice.pk)
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
    _postings_replace(None, practice_id)
    document.delete()
    _vocabulary_update(added=set(), removed=old_terms)
    _bump_version()


def practices_for_indexing():
    return with_indexed_relations(Practice.objects.published())


def with_indexed_relations(queryset):
    """What practice_document_fields reads besides the entry, fetched in a fixed number of queries."""
    return queryset.select_related("project").prefetch_related(
        "keywords", "translations", "project__translations"
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
            batch.append(
                (
                    practice.pk,
                    fields.language,
                    fields.title,
                    fields.summary,
                    fields.body,
                    *fields.lengths,
                    now,
                )
            )
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
    postings_rebuild(batch_size=batch_size)
    _bump_version()
    return count


def search_index_fill_if_empty() -> int | None:
    """Rebuild the index when it is empty while the catalog has published entries: after a
    migration that emptied it because the analyser changed (0017), or after anything else that lost
    it. Returns the number of entries indexed, or None when the index needed nothing."""
    if SearchDocument.objects.exists() or not Practice.objects.published().exists():
        return None
    return search_index_rebuild()
