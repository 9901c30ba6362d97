"""The search index and the thesaurus.

SearchDocument holds the *analysed* text of every published entry (terms separated by spaces). The
engine-specific full-text structures are built over these columns by the migrations: an FTS5
external-content table kept in step by triggers on SQLite, a generated ``tsv`` column with a GIN
index on PostgreSQL. Neither is visible to the ORM.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from methodbank.core.models import TimeStampedModel


class SearchDocument(models.Model):
    practice = models.OneToOneField(
        "catalog.Practice", on_delete=models.CASCADE, related_name="search_document", verbose_name=_("entry")
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="fi")
    title_terms = models.TextField(blank=True)
    summary_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    # Term counts per field: BM25 length normalisation without re-splitting the text.
    title_len = models.PositiveIntegerField(default=0)
    summary_len = models.PositiveIntegerField(default=0)
    body_len = models.PositiveIntegerField(default=0)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self):
        return f"search document for entry {self.practice_id}"


class SearchPosting(models.Model):
    """One indexed term of one entry, with its frequency per field: an impact-ordered inverted index.

    The same table serves both engines, so both read the same candidates and rank alike. A query
    reads only the best postings of each of its terms (the index on term and impact, best first)
    instead of ranking every matching entry: a common word such as "ohjaus" is in most entries,
    and scoring all of them cost SQLite FTS5 and PostgreSQL hundreds of milliseconds at 100,000
    entries. ``impact`` is the term's field-weighted, length-normalised and saturated frequency
    (BM25F without the idf, computed with the collection's average lengths at indexing time); it
    only orders the postings. The final scores use the raw frequencies with the current averages.
    The primary key (entry, term) lets the ranker look up the remaining terms of the candidates.
    """

    pk = models.CompositePrimaryKey("practice", "term")
    # No database constraint: indexing.py deletes an entry's postings with its document.
    practice = models.ForeignKey(
        "catalog.Practice", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    term = models.CharField(max_length=120)
    tf_title = models.PositiveIntegerField(default=0)
    tf_summary = models.PositiveIntegerField(default=0)
    tf_body = models.PositiveIntegerField(default=0)
    impact = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["term", "-impact", "practice"], name="search_posting_impact")]
        verbose_name = _("index posting")
        verbose_name_plural = _("index postings")

    def __str__(self):
        return f"{self.term} in entry {self.practice_id}"


class SearchTermVector(models.Model):
    """An indexed entry's terms with their frequencies per field, and its field lengths: the forward
    index the ranker reads all of a candidate's query terms from in one probe (termvectors.py).
    Narrow on purpose: SearchDocument's analysed text would make every read of it walk long rows."""

    practice = models.OneToOneField(
        "catalog.Practice",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="+",
    )
    title_len = models.PositiveIntegerField(default=0)
    summary_len = models.PositiveIntegerField(default=0)
    body_len = models.PositiveIntegerField(default=0)
    terms = models.BinaryField()

    class Meta:
        verbose_name = _("term vector")
        verbose_name_plural = _("term vectors")

    def __str__(self):
        return f"term vector of entry {self.practice_id}"


class SearchTerm(models.Model):
    """The index vocabulary with document frequencies: IDF for ranking, and "did you mean"."""

    term = models.CharField(max_length=120, unique=True)
    df = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("index term")
        verbose_name_plural = _("index terms")

    def __str__(self):
        return self.term


class SynonymKind(models.TextChoices):
    SYNONYM = "synonym", _("synonym")
    ABBREVIATION = "abbreviation", _("abbreviation")
    COLLOQUIAL = "colloquial", _("colloquial form")
    TRANSLATION = "translation", _("Finnish/Swedish/English equivalent")


class SynonymGroup(TimeStampedModel):
    """Words and phrases that mean the same thing to a searcher, e.g. opo / opinto-ohjaaja /
    studiehandledare / guidance counsellor. A query word that matches one of them is expanded with
    the others; the expansion ranks below an exact match."""

    label = models.CharField(_("name"), max_length=200, unique=True, help_text=_("The preferred term."))
    kind = models.CharField(
        _("kind"), max_length=16, choices=SynonymKind.choices, default=SynonymKind.SYNONYM
    )
    terms = models.TextField(
        _("terms"),
        help_text=_("One word or phrase per line; the name above is included automatically."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["label"]
        verbose_name = _("thesaurus entry")
        verbose_name_plural = _("thesaurus")

    def __str__(self):
        return self.label

    def term_list(self) -> list[str]:
        seen, result = set(), []
        for line in [self.label, *self.terms.splitlines()]:
            term = " ".join(line.split())
            if term and term.lower() not in seen:
                seen.add(term.lower())
                result.append(term)
        return result
