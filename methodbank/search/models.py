"""The search index and the thesaurus.

SearchDocument holds the *analysed* text of every published entry (terms separated by spaces);
SearchPosting and SearchTermVector are the index the search reads, the same tables on SQLite and
PostgreSQL. (The FTS5 table and the tsvector column of migration 0002 are dropped in 0009: only the
benchmark used them, and it now builds tables of its own, bench/fulltext.py.)
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from methodbank.core.models import TimeStampedModel


class SearchDocument(models.Model):
    # Derived from the catalog: left out of backups and rebuilt after a restore.
    backup_derived = True
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
    backup_derived = True  # see SearchDocument

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
    backup_derived = True  # see SearchDocument

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
    backup_derived = True  # see SearchDocument

    term = models.CharField(max_length=120, unique=True)
    df = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("index term")
        verbose_name_plural = _("index terms")

    def __str__(self):
        return self.term


class ConceptCategory(models.TextChoices):
    """The vocabulary's schemes: each concept belongs to exactly one, so they can serve as browse facets."""

    TRANSITION = "transition", _("transition stage")
    EDUCATION = "education", _("education level and institution")
    TARGET_GROUP = "target_group", _("target group")
    GUIDANCE_ROLE = "guidance_role", _("guidance role")
    STUDY_FORM = "study_form", _("study form")
    SUPPORT = "support", _("support service")
    ADMINISTRATION = "administration", _("administration and acronym")
    WORKING_LIFE = "working_life", _("working life and employment")
    FIELD = "field", _("field of education and occupation")
    METHOD = "method", _("method and topic")


# The categories whose values are browse facets, in the order the pages show them.
FACET_CATEGORIES = (ConceptCategory.TARGET_GROUP, ConceptCategory.EDUCATION, ConceptCategory.TRANSITION)


class ConceptProvenance(models.TextChoices):
    """The public glossary a concept's labels come from (for the Swedish and English official terms
    in particular), or the catalog itself for the field's own words."""

    OPH = "oph", _("Finnish National Agency for Education glossaries")
    FINLEX = "finlex", _("Finlex legislation and its Swedish version")
    TERMIPANKKI = "termipankki", _("Helsinki Term Bank for the Arts and Sciences")
    YSO = "yso", _("General Finnish Ontology YSO (Finto)")
    CATALOG = "catalog", _("the catalog itself")
    COORDINATORS = "coordinators", _("added by coordinators")


class LabelKind(models.TextChoices):
    ALTERNATIVE = "alt", _("alternative label")
    ABBREVIATION = "abbreviation", _("abbreviation")
    COLLOQUIAL = "colloquial", _("colloquial label")
    HIDDEN = "hidden", _("hidden label (misspelling or old form)")


class LabelLanguage(models.TextChoices):
    FINNISH = "fi", _("Finnish")
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")
    ANY = "", _("any language")


class Concept(TimeStampedModel):
    """One concept of the field's vocabulary (a SKOS concept): its preferred label in Finnish,
    Swedish and English and any number of other labels. A query that matches any label of a
    concept, in any language, is widened with all of its labels; the widening ranks below an
    exact match (thesaurus.py)."""

    identifier = models.SlugField(
        _("identifier"),
        max_length=120,
        unique=True,
        help_text=_("Stable name in the concept's SKOS address."),
    )
    pref_label_fi = models.CharField(_("preferred label (Finnish)"), max_length=200)
    pref_label_sv = models.CharField(_("preferred label (Swedish)"), max_length=200, blank=True)
    pref_label_en = models.CharField(_("preferred label (English)"), max_length=200, blank=True)
    category = models.CharField(
        _("category"), max_length=20, choices=ConceptCategory.choices, default=ConceptCategory.METHOD
    )
    provenance = models.CharField(
        _("provenance"), max_length=20, choices=ConceptProvenance.choices, default=ConceptProvenance.CATALOG
    )
    notes = models.TextField(_("notes"), blank=True)
    # skos:related, both ways: a query naming one concept also finds, ranked lower than any of its
    # own labels, entries that name a neighbour (TUVA and the VALMA of older entries it replaced).
    related = models.ManyToManyField(
        "self",
        symmetrical=True,
        blank=True,
        verbose_name=_("related concepts"),
        help_text=_("Concepts a search for this one also finds, ranked below its own labels."),
    )
    # Browse facets: the concepts of the three facet categories marked as values are what visitors
    # browse by and what entries are tagged with. Narrower concepts (skos:broader) only feed the
    # suggestions: an entry naming TUVA or VALMA is suggested for "preparatory education".
    facet_value = models.BooleanField(
        _("browse value"),
        default=False,
        help_text=_("Shown as a value of its category's browse facet (target group, education level, "
                    "transition stage). Only concepts of those three categories can be browse values."),
    )
    broader = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="narrower",
        verbose_name=_("broader browse values"),
        help_text=_("Browse values this concept counts toward: an entry that names this concept is "
                    "suggested for them."),
    )

    class Meta:
        ordering = ["pref_label_fi"]
        verbose_name = _("concept")
        verbose_name_plural = _("vocabulary")

    def __str__(self):
        return self.pref_label_fi

    def clean(self):
        if self.facet_value and self.category not in FACET_CATEGORIES:
            raise ValidationError({"facet_value": _("Only a target group, an education level or a transition "
                                                    "stage can be a browse value.")})

    def get_absolute_url(self):
        return reverse("search:browse_facet", args=[self.identifier])

    def local_label(self, language: str | None = None) -> str:
        """The preferred label in the page's language, Finnish where it has none."""
        language = (language or get_language() or "fi")[:2]
        return getattr(self, f"pref_label_{language}", "") or self.pref_label_fi

    def pref_labels(self) -> list[tuple[str, str]]:
        return [
            (lang, text)
            for lang, text in (
                ("fi", self.pref_label_fi),
                ("sv", self.pref_label_sv),
                ("en", self.pref_label_en),
            )
            if text
        ]

    def term_list(self, labels=None) -> list[str]:
        """Every label once (case-insensitively), the Finnish preferred label first: the words a
        search for any of them is widened with."""
        labels = self.labels.all() if labels is None else labels
        seen, result = set(), []
        for text in [t for _lang, t in self.pref_labels()] + [label.text for label in labels]:
            term = " ".join(text.split())
            if term and term.lower() not in seen:
                seen.add(term.lower())
                result.append(term)
        return result


class ConceptLabel(TimeStampedModel):
    concept = models.ForeignKey(
        Concept, on_delete=models.CASCADE, related_name="labels", verbose_name=_("concept")
    )
    text = models.CharField(_("label"), max_length=200)
    language = models.CharField(_("language"), max_length=2, choices=LabelLanguage.choices, blank=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=LabelKind.choices, default=LabelKind.ALTERNATIVE
    )

    class Meta:
        ordering = ["concept", "language", "kind", "text"]
        constraints = [
            models.UniqueConstraint(
                fields=["concept", "text", "language"], name="search_concept_label_unique"
            )
        ]
        verbose_name = _("label")
        verbose_name_plural = _("labels")

    def __str__(self):
        return self.text

    def clean(self):
        self.text = " ".join(self.text.split())
        problem = label_problem(self.text)
        if problem:
            raise ValidationError({"text": problem})


# A label is one line of plain text: "|" separates labels in the CSV export, and a cell starting
# with one of these characters is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "@", "-")


def label_problem(text: str) -> str:
    if "|" in text:
        return _("A label cannot contain |.")
    if text.startswith(FORMULA_STARTS):
        return _("A label cannot begin with =, +, - or @.")
    return ""


class FacetStatus(models.TextChoices):
    SUGGESTED = "suggested", _("suggested")
    CONFIRMED = "confirmed", _("confirmed")
    REJECTED = "rejected", _("rejected")


class FacetSource(models.TextChoices):
    TEXT = "text", _("suggested from the text")
    CONTRIBUTOR = "contributor", _("chosen by the contributor")
    COORDINATOR = "coordinator", _("set by a coordinator")


class FacetAssignment(models.Model):
    """One browse value (a facet concept) for one entry. Suggestions come from the entry's text
    (facet_suggestions.py) and show nowhere public until a coordinator confirms them; a rejected
    suggestion stays, so recomputing does not bring it back."""

    practice = models.ForeignKey(
        "catalog.Practice", on_delete=models.CASCADE, related_name="facet_assignments", verbose_name=_("entry")
    )
    concept = models.ForeignKey(
        Concept, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("browse value")
    )
    status = models.CharField(_("status"), max_length=12, choices=FacetStatus.choices, default=FacetStatus.SUGGESTED)
    source = models.CharField(_("source"), max_length=12, choices=FacetSource.choices, default=FacetSource.TEXT)
    # How strongly the text names the value (weighted label matches); 0 for a chosen value.
    score = models.FloatField(_("score"), default=0)
    # The words of the text that matched, shown to the coordinator deciding.
    evidence = models.CharField(_("matched words"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "concept"], name="search_facet_assignment_unique")
        ]
        # Browse pages read the confirmed entries of one value; the review screen its suggestions.
        indexes = [models.Index(fields=["concept", "status", "practice"], name="search_facet_concept_status")]
        verbose_name = _("facet assignment")
        verbose_name_plural = _("facet assignments")

    def __str__(self):
        return f"{self.concept_id} for entry {self.practice_id} ({self.status})"


class SearchLogEntry(models.Model):
    """One search or one click on a result, without anything about who made it: no user, address or
    session, and the time only to the hour. A search row has ``results``; a click row has
    ``clicked_rank`` (1 = the first hit). Rows older than SEARCH_LOG_RETENTION_DAYS are purged."""

    query = models.CharField(_("query"), max_length=200)
    language = models.CharField(_("language"), max_length=8)
    results = models.PositiveIntegerField(_("results"), null=True, blank=True)
    clicked_rank = models.PositiveIntegerField(_("clicked rank"), null=True, blank=True)
    hour = models.DateTimeField(_("hour"))

    class Meta:
        indexes = [
            models.Index(fields=["hour"], name="search_log_hour"),
            models.Index(fields=["query", "language"], name="search_log_query"),
        ]
        verbose_name = _("search log entry")
        verbose_name_plural = _("search log")

    def __str__(self):
        return self.query
