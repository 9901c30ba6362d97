"""The catalog: models and good practices (Practice), the projects that made them, and where
they are placed (theme, subtheme, period).

Imported entries fill only what the source report gives; template fields stay empty until a
project team documents them. ``Practice.missing_sections()`` tells which ones are still empty.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from methodbank.core.models import TimeStampedModel

from .places import municipality


class Organisation(TimeStampedModel):
    name = models.CharField(_("name"), max_length=300, unique=True)
    slug = models.SlugField(_("slug"), max_length=300, unique=True, allow_unicode=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class NamedInLanguages(models.Model):
    """A Finnish ``name`` (the seed's, shown by default) and its Swedish and English names.

    ``local_name`` is the name in the active language, the Finnish one when that is empty: pages,
    facets and reports (built in their own language) show it.
    """

    name_sv = models.CharField(_("name in Swedish"), max_length=300, blank=True)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)

    class Meta:
        abstract = True

    def name_in(self, language: str | None) -> str:
        code = (language or "").split("-")[0].lower()
        return (getattr(self, f"name_{code}", "") if code in ("sv", "en") else "") or self.name

    @property
    def local_name(self) -> str:
        return self.name_in(get_language())

    def names(self) -> dict:
        """{language: name} for every interface language (Finnish where a name is missing)."""
        return {code: self.name_in(code) for code, _label in settings.LANGUAGES}


# One sentence per language pair, as for entries (catalog/translations.py): the seed's introductions
# are Finnish, so a Swedish or English page says it shows the Finnish one.
INTRO_NOTICES = {
    ("sv", "fi"): _("This introduction is not available in Swedish; shown in Finnish."),
    ("en", "fi"): _("This introduction is not available in English; shown in Finnish."),
}


@dataclass(frozen=True)
class Intro:
    """An introduction in the language it is written in (for ``lang``), with the notice a page shows
    when that is not the language asked for."""

    text: str
    language: str
    notice: str = ""

    def __str__(self):
        return self.text

    def __bool__(self):
        return bool(self.text.strip())


class IntroducedInLanguages(models.Model):
    """The Swedish and English introduction beside the Finnish ``description`` (the seed's)."""

    description_sv = models.TextField(_("introduction in Swedish"), blank=True)
    description_en = models.TextField(_("introduction in English"), blank=True)

    class Meta:
        abstract = True

    def intro_in(self, language: str | None) -> Intro:
        code = (language or settings.LANGUAGE_CODE).split("-")[0].lower()
        translated = getattr(self, f"description_{code}", "") if code in ("sv", "en") else ""
        if translated.strip() or code == "fi":
            return Intro(translated if code != "fi" else self.description, code)
        return Intro(self.description, "fi", str(INTRO_NOTICES.get((code, "fi"), "")))

    @property
    def local_intro(self) -> Intro:
        return self.intro_in(get_language())


def local_name_of(row: dict, prefix: str, language: str | None = None) -> str:
    """The localised name from a ``values()`` row holding ``<prefix>``, ``<prefix>_sv``, ``<prefix>_en``."""
    code = (language or get_language() or "").split("-")[0].lower()
    return (row.get(f"{prefix}_{code}") if code in ("sv", "en") else "") or row[prefix]


class Theme(IntroducedInLanguages, NamedInLanguages):
    """One of the four main themes A–D."""

    code = models.CharField(_("code"), max_length=1, unique=True)
    name = models.CharField(_("name"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("introduction"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return f"{self.code}. {self.local_name}"

    def get_absolute_url(self):
        return reverse("catalog:theme", kwargs={"slug": self.slug})


class Subtheme(IntroducedInLanguages, NamedInLanguages):
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="subthemes", verbose_name=_("theme"))
    name = models.CharField(_("name"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200)
    description = models.TextField(_("introduction"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["theme__code", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "slug"], name="subtheme_unique_slug_per_theme"),
        ]
        verbose_name = _("subtheme")
        verbose_name_plural = _("subthemes")

    def __str__(self):
        return self.local_name

    def get_absolute_url(self):
        return reverse("catalog:subtheme", kwargs={"theme": self.theme.slug, "slug": self.slug})


class Period(NamedInLanguages):
    """A coordination period; the report groups good practices by the period they were collected in."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=300)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("period")
        verbose_name_plural = _("periods")

    def __str__(self):
        # Formatted for the active language (1.5.2019 in Finnish and Swedish, 1 May 2019 in English).
        start = date_format(self.starts_on, "SHORT_DATE_FORMAT")
        end = date_format(self.ends_on, "SHORT_DATE_FORMAT")
        return f"{self.local_name} ({start}–{end})"


class Keyword(models.Model):
    name = models.CharField(_("keyword"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    # New keywords suggested by contributors wait for a coordinator before they show publicly.
    approved = models.BooleanField(_("approved"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("keyword")
        verbose_name_plural = _("keywords")

    def __str__(self):
        return self.name


# The bank's template, in the order of the seed report. (field name, heading) pairs drive the
# entry page, the "missing sections" list, the export and the forms.
TEMPLATE_FIELDS = [
    ("goal_and_target_group", _("Goal and target group")),
    ("content_and_actions", _("Content and actions")),
    ("deployment_staff", _("Deployment: staff motivation and onboarding")),
    ("deployment_marketing", _("Deployment: marketing")),
    ("deployment_materials", _("Deployment: onboarding materials")),
    ("resources", _("Resources")),
    ("results_and_indicators", _("Results and indicators")),
    ("contacts", _("Contacts")),
]
LINKS_SECTION = ("links", _("Links and attachments"))


def missing_sections(texts, *, has_links: bool | None = None) -> list[tuple[str, str]]:
    """(name, heading) of the template sections still empty in ``texts`` (a mapping of field name
    to text: an entry's, a translation's or a snapshot's). Links and attachments count as a section
    when the caller knows whether there are any (``has_links`` not None). The one rule for the
    entry page, the own page, the contribution pages and the API."""
    missing = [(name, heading) for name, heading in TEMPLATE_FIELDS if not (texts.get(name) or "").strip()]
    if has_links is False:
        missing.append(LINKS_SECTION)
    return missing


class TemplateSections(models.Model):
    """The eight sections of the bank's template: an entry holds them in its own language, a
    translation in another."""

    TEMPLATE_FIELDS = TEMPLATE_FIELDS

    goal_and_target_group = models.TextField(_("goal and target group"), blank=True)
    content_and_actions = models.TextField(_("content and actions"), blank=True)
    deployment_staff = models.TextField(_("staff motivation and onboarding"), blank=True)
    deployment_marketing = models.TextField(_("marketing"), blank=True)
    deployment_materials = models.TextField(_("onboarding materials"), blank=True)
    resources = models.TextField(_("resources"), blank=True)
    results_and_indicators = models.TextField(_("results and indicators"), blank=True)
    contacts = models.TextField(_("contacts"), blank=True)

    class Meta:
        abstract = True

    def template_texts(self) -> dict[str, str]:
        return {name: getattr(self, name) for name, _heading in TEMPLATE_FIELDS}

    def template_sections(self):
        """(heading, text) for every template section, in template order."""
        return [(heading, getattr(self, name)) for name, heading in TEMPLATE_FIELDS]


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned for changes")
    PUBLISHED = "published", _("published")
    ARCHIVED = "archived", _("archived")


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """What visitors see: the one definition of a published entry or project."""
        return self.filter(status=PublicationStatus.PUBLISHED)


class PublishableModel(TimeStampedModel):
    """Status, timestamps and owner shared by projects and practices (the contribution workflow)."""

    # The workflow: which status may follow which. Every change of status goes through a service in
    # contributions/services/ that checks this table. "Returned" sends the entry back to its team with the
    # coordinator's comments; they fix it and submit again.
    TRANSITIONS = {
        PublicationStatus.DRAFT: {PublicationStatus.SUBMITTED},
        PublicationStatus.SUBMITTED: {PublicationStatus.PUBLISHED, PublicationStatus.RETURNED},
        PublicationStatus.RETURNED: {PublicationStatus.SUBMITTED},
        PublicationStatus.PUBLISHED: {PublicationStatus.ARCHIVED},
        PublicationStatus.ARCHIVED: {PublicationStatus.PUBLISHED},
    }

    status = models.CharField(
        _("status"), max_length=16, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="fi")
    # Incremented on every save through the services: optimistic locking for concurrent edits.
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_published(self):
        return self.status == PublicationStatus.PUBLISHED


class ProjectScope(models.TextChoices):
    NATIONAL = "national", _("national project")
    REGIONAL = "regional", _("regional project")
    OTHER_ESF = "other_esf", _("other ESF project")


class Project(PublishableModel):
    """A development project (hanke)."""

    name = models.CharField(_("name"), max_length=300, unique=True)
    slug = models.SlugField(_("slug"), max_length=300, unique=True)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    aliases = models.JSONField(
        _("other names"), default=list, blank=True, help_text=_("Other spellings used for the project in reports.")
    )
    lead = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_projects",
        verbose_name=_("lead implementer"),
    )
    # Month precision: stored as the first day of the month, shown as MM/YYYY.
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    scope = models.CharField(_("scope"), max_length=16, choices=ProjectScope.choices, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="projects", verbose_name=_("themes"))
    description = models.TextField(_("description"), blank=True)
    funding_programme = models.CharField(_("funding programme"), max_length=300, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="projects", verbose_name=_("team members")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:project", kwargs={"slug": self.slug})

    @property
    def ends_on_display(self):
        return f"{self.ends_on:%m/%Y}" if self.ends_on else ""

    @staticmethod
    def parse_month(value: str) -> datetime.date:
        """'12/2017' -> date(2017, 12, 1). Raises ValueError on anything else."""
        month, year = value.strip().split("/")
        return datetime.date(int(year), int(month), 1)


class NullsLastIndex(models.Index):
    """A column index whose descending columns keep NULLs last, as ``F(name).desc(nulls_last=True)``
    orders them. SQLite sorts NULL below every value, so a plain DESC column already does; on
    PostgreSQL a DESC column puts NULLs first, and an index in that order cannot give a list
    "newest first, undated last" without sorting it. (SQLite refuses NULLS LAST in CREATE INDEX,
    so an expression index with it cannot serve both engines.)"""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        statement = super().create_sql(model, schema_editor, using, **kwargs)
        if schema_editor.connection.vendor == "postgresql":
            # Only where NULLs can be: "id DESC NULLS LAST" would not match an ORDER BY "-id"
            # (DESC is NULLS FIRST there), and PostgreSQL would sort each run of equal dates again.
            nullable = [model._meta.get_field(name).null for name, _order in self.fields_orders]
            columns = statement.parts["columns"]
            columns.col_suffixes = [
                f"{suffix} NULLS LAST" if suffix == "DESC" and null else suffix
                for suffix, null in zip(columns.col_suffixes, nullable, strict=True)
            ]
        return statement


class PracticeKind(models.TextChoices):
    MODEL = "model", _("model")
    GOOD_PRACTICE = "good_practice", _("good practice")


class Practice(TemplateSections, PublishableModel):
    """A model (malli) or a good practice (hyvä käytäntö), described with the bank's template."""

    kind = models.CharField(_("kind"), max_length=16, choices=PracticeKind.choices, db_index=True)
    title = models.CharField(_("name"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=320, unique=True)
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.PROTECT, related_name="practices", verbose_name=_("project")
    )
    summary = models.TextField(_("summary"), blank=True)
    applies_model = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
        limit_choices_to={"kind": PracticeKind.MODEL},
        verbose_name=_("model it applies"),
        help_text=_("A good practice can be a local application of a model."),
    )
    keywords = models.ManyToManyField(Keyword, blank=True, related_name="practices", verbose_name=_("keywords"))
    # Where the entry came from, e.g. "zoomi-2020:line 150"; empty for entries made in the bank.
    source = models.CharField(_("source"), max_length=200, blank=True)
    # The model criteria the team has confirmed (codes of MODEL_CRITERIA); only used for models.
    model_criteria = models.JSONField(_("model criteria met"), default=list, blank=True)

    # What makes a model a model (the seed report's "Mikä on malli?"); a model must meet all of them.
    MODEL_CRITERIA = [
        ("piloted", _("It has been piloted in practice.")),
        ("adoptable", _("It is documented so well that others can adopt it from the description and materials.")),
        ("national", _("It can be disseminated nationally as such.")),
    ]

    class Meta:
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["status", "kind"]),
            # A listing reads its first page (and, backwards, its last) from these in its order and
            # stops after 40 entries, instead of sorting every published entry (bench/browse_bench.py
            # at 100,000 entries): a keyword's entries newest first, of each kind
            # (selectors.keyword_entries), and the search page without words, by title.
            NullsLastIndex(fields=["status", "kind", "-published_at", "-id"], name="practice_kind_newest_idx"),
            models.Index(fields=["status", "title", "id"], name="practice_status_title_idx"),
            # The feeds list the newest-updated published entries (follows/feeds.py): read in that
            # order and stopped after FEED_SIZE, instead of sorting every published entry (the
            # bank's whole feed: 1.8 s at 100,000 entries, bench/browse_bench.py).
            models.Index(fields=["status", "-updated_at", "-id"], name="practice_status_updated_idx"),
            # A project's entries counted by the index alone: per project on a page of the project
            # index or the API's projects, by kind on a project's page.
            models.Index(fields=["project", "status", "kind"], name="practice_project_status_idx"),
            # The entry page lists a model's published applications by title. Most entries apply no
            # model: SQLite's statistics count those NULLs as one value on nearly every row, so it
            # scanned the table (or the title index above) rather than use the full index on
            # applies_model. This one holds only the entries that apply a model, and matches the
            # query's two conditions and its order, so SQLite prefers it with or without statistics.
            models.Index(
                fields=["applies_model", "status", "title"], condition=models.Q(applies_model__isnull=False),
                name="practice_applies_model_idx",
            ),
        ]
        permissions = [
            ("moderate_practice", _("Can moderate entries, projects and keywords")),
            ("transfer_practice", _("Can transfer the ownership of entries and projects")),
        ]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("catalog:practice", kwargs={"slug": self.slug})

    @property
    def is_model(self):
        return self.kind == PracticeKind.MODEL

    def missing_sections(self):
        """Headings of the template sections that are still empty (links count as a section)."""
        # Public attachments count where the caller prefetched them (the entry page does); list
        # pages skip them rather than pay a query per entry.
        has_links = bool(self.links.all()) or bool(getattr(self, "public_attachments", None))
        return [heading for _name, heading in missing_sections(self.template_texts(), has_links=has_links)]


class PracticeLink(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="links")
    url = models.URLField(_("address"), max_length=500)
    title = models.CharField(_("title"), max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("link")
        verbose_name_plural = _("links")

    def __str__(self):
        return self.title or self.url


class Placement(models.Model):
    """Where an entry is listed: a theme, optionally a subtheme, and the period it was collected in.

    The report lists some practices in two places; that is one Practice with two Placements.
    """

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="placements")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="placements", verbose_name=_("theme"))
    subtheme = models.ForeignKey(
        Subtheme, null=True, blank=True, on_delete=models.PROTECT, related_name="placements", verbose_name=_("subtheme")
    )
    period = models.ForeignKey(
        Period, null=True, blank=True, on_delete=models.PROTECT, related_name="placements", verbose_name=_("period")
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["theme__code", "subtheme__position", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "theme", "subtheme", "period"], name="placement_unique_place"
            ),
        ]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")

    def __str__(self):
        parts = [self.theme.code, self.subtheme.local_name if self.subtheme else "", str(self.period or "")]
        return " / ".join(p for p in parts if p)


def attachment_upload_to(instance, filename):
    # A random name on disk: the original name is only metadata, never a path.
    import uuid

    return f"attachments/{instance.practice_id}/{uuid.uuid4().hex}"


class PracticeAttachment(models.Model):
    """A file attached to an entry. Stored under MEDIA_ROOT (outside the web root) and served by a
    permission-checked view; the type is checked from the content when uploaded."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    title = models.CharField(_("title"), max_length=300, blank=True)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Attachments added to a published entry become public only when a coordinator publishes it again.
    public = models.BooleanField(_("public"), default=False)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title or self.original_name

    def get_absolute_url(self):
        return reverse("contributions:attachment_download", kwargs={"pk": self.pk})


class PracticeTranslation(TemplateSections, TimeStampedModel):
    """An entry's title, summary and template sections in another language than its own.

    The entry itself (``Practice.language``) holds the original text; a translation never replaces
    it. A section left empty here falls back to the original text, shown with the original's
    language tag (see ``catalog/translations.py``).
    """

    # The fields a translation can carry, in the order of the entry page.
    TRANSLATED_FIELDS = ["title", "summary", *(name for name, _heading in TEMPLATE_FIELDS)]

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="translations", verbose_name=_("entry")
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    title = models.CharField(_("name"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["practice", "language"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "language"], name="practice_translation_unique_language"),
        ]
        verbose_name = _("translation of an entry")
        verbose_name_plural = _("translations of entries")

    def __str__(self):
        return f"{self.title} ({self.language})"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.practice_id and self.language == self.practice.language:
            raise ValidationError(
                {"language": _("The entry is written in this language already; edit the entry itself.")}
            )


class ProjectTranslation(TimeStampedModel):
    """A project's name and description in another language than its own (``Project.language``)."""

    TRANSLATED_FIELDS = ["name", "description"]

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="translations", verbose_name=_("project")
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    # Most projects keep their Finnish name in every language; fill this only for an official translation.
    name = models.CharField(
        _("name"), max_length=300, blank=True, help_text=_("Leave empty if the project has no name in this language.")
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["project", "language"]
        constraints = [
            models.UniqueConstraint(fields=["project", "language"], name="project_translation_unique_language"),
        ]
        verbose_name = _("translation of a project")
        verbose_name_plural = _("translations of projects")

    def __str__(self):
        return f"{self.name or self.project.name} ({self.language})"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.project_id and self.language == self.project.language:
            raise ValidationError(
                {"language": _("The project is described in this language already; edit the project itself.")}
            )


class AdoptionStatus(models.TextChoices):
    PENDING = "pending", _("waiting for moderation")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


class AdoptionQuerySet(models.QuerySet):
    def approved(self):
        """What counts and shows: only a coordinator's approval makes a record public."""
        return self.filter(status=AdoptionStatus.APPROVED, model__status=PublicationStatus.PUBLISHED)


class Adoption(models.Model):
    """"We adopted this model": an organisation, its municipality and the year it took a model into use.

    Recorded by a signed-in user (for a good practice that applies the model, by its team) and shown
    once a coordinator has approved it. It lives in catalog so that evaluation, reports and the API can
    count adoptions; contributions owns the writes and the moderation (contributions/services/adoptions.py).
    """

    # Who may change a record's status to what; the services in contributions check it.
    TRANSITIONS = {
        AdoptionStatus.PENDING: {AdoptionStatus.APPROVED, AdoptionStatus.REJECTED, AdoptionStatus.WITHDRAWN},
        AdoptionStatus.APPROVED: {AdoptionStatus.WITHDRAWN},
        AdoptionStatus.REJECTED: set(),
        AdoptionStatus.WITHDRAWN: set(),
    }

    model = models.ForeignKey(
        Practice,
        on_delete=models.CASCADE,
        related_name="adoptions",
        limit_choices_to={"kind": PracticeKind.MODEL},
        verbose_name=_("model"),
    )
    # The good practice through which the model was adopted, when its team records the adoption.
    practice = models.ForeignKey(
        Practice,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adoption_records",
        limit_choices_to={"kind": PracticeKind.GOOD_PRACTICE},
        verbose_name=_("good practice"),
    )
    organisation = models.CharField(_("organisation"), max_length=200)
    # Statistics Finland's municipality code (catalog/places/municipalities.json); the region is kept
    # beside it so that counts by region are one GROUP BY.
    municipality = models.CharField(_("municipality"), max_length=3)
    region = models.CharField(_("region"), max_length=2, blank=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year of adoption"))
    experience = models.TextField(_("experiences"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=AdoptionStatus.choices, default=AdoptionStatus.PENDING, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adoptions",
        verbose_name=_("recorded by"),
    )
    comment = models.TextField(_("coordinator's comment"), max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    # Every change of status: the API's Last-Modified of a model takes its adoptions into account.
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = AdoptionQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "organisation", "id"]
        indexes = [models.Index(fields=["model", "status"])]
        verbose_name = _("adoption record")
        verbose_name_plural = _("adoption records")

    def __str__(self):
        return f"{self.organisation} → {self.model}"

    def clean(self):
        place = municipality(self.municipality)
        if place is None:
            raise ValidationError({"municipality": _("Choose a municipality from the list.")})
        self.region = place.region_code
        this_year = timezone.localdate().year
        if self.year is not None and not 1990 <= self.year <= this_year:
            raise ValidationError(
                {"year": _("Give a year between 1990 and %(year)d.") % {"year": this_year}}
            )

    @property
    def place(self):
        return municipality(self.municipality)
