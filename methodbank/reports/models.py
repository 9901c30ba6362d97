"""Report definitions (what a coordinator asks for), builds (one rendered file, made in the
background) and published reports (immutable, versioned snapshots)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from methodbank.catalog.models import Keyword, Period, PracticeKind, Project, Subtheme, Theme
from methodbank.core.models import TimeStampedModel
from methodbank.evaluation.selectors import EvaluationStatus

from .placeholders import validate_placeholders
from .richtext import sanitize_rich_text


class ReportFormat(models.TextChoices):
    HTML = "html", "HTML"
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX (Word, LibreOffice)"


class ReportDefinition(TimeStampedModel):
    """A saved report: its texts and the selection of entries it covers. Run it again any time."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=300)
    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    issued_by = models.CharField(
        _("issued by"), max_length=300, blank=True, help_text=_("Shown on the title page, e.g. the coordinating project.")
    )
    preface = models.TextField(
        _("preface"),
        blank=True,
        help_text=_("Rich text. Counts are written as placeholders such as {entries} or {A.models}; they are computed."),
    )
    introduction = models.TextField(_("introduction"), blank=True, help_text=_("Rich text."))
    # The selection. An empty set means "no restriction" for that dimension.
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("themes"))
    subthemes = models.ManyToManyField(Subtheme, blank=True, related_name="+", verbose_name=_("subthemes"))
    periods = models.ManyToManyField(Period, blank=True, related_name="+", verbose_name=_("periods"))
    keywords = models.ManyToManyField(Keyword, blank=True, related_name="+", verbose_name=_("keywords"))
    projects = models.ManyToManyField(Project, blank=True, related_name="+", verbose_name=_("projects"))
    kinds = models.JSONField(
        _("kinds"), default=list, blank=True, help_text=_("Models, good practices or both (empty means both).")
    )
    evaluation_statuses = models.JSONField(
        _("evaluation statuses"),
        default=list,
        blank=True,
        help_text=_("Only entries with one of these evaluation statuses (empty means any status)."),
    )
    date_from = models.DateField(
        _("published or created on or after"), null=True, blank=True
    )
    date_to = models.DateField(_("published or created on or before"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="fi")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("report definition")
        verbose_name_plural = _("report definitions")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Sanitised here as well as in the service, so the admin cannot store unsafe markup either.
        self.preface = sanitize_rich_text(self.preface)
        self.introduction = sanitize_rich_text(self.introduction)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("reports:definition_detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        unknown_kinds = set(self.kinds or []) - set(PracticeKind.values)
        if unknown_kinds:
            errors["kinds"] = _("Unknown kind: %(kinds)s") % {"kinds": ", ".join(sorted(unknown_kinds))}

        unknown_statuses = set(self.evaluation_statuses or []) - set(EvaluationStatus.LABELS)
        if unknown_statuses:
            errors["evaluation_statuses"] = _("Unknown evaluation status: %(statuses)s") % {
                "statuses": ", ".join(sorted(unknown_statuses))
            }
        if self.date_from and self.date_to and self.date_from > self.date_to:
            errors["date_to"] = _("The end of the date range is before its start.")
        for field in ("preface", "introduction"):
            try:
                validate_placeholders(getattr(self, field), scope="report")
            except ValidationError as exc:
                errors[field] = exc.messages
        if errors:
            raise ValidationError(errors)


class ThemeIntroduction(models.Model):
    definition = models.ForeignKey(ReportDefinition, on_delete=models.CASCADE, related_name="theme_introductions")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+", verbose_name=_("theme"))
    text = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("Rich text. Placeholders such as {models}, {good_practices}, {entries} and {new} are computed."),
    )

    class Meta:
        ordering = ["theme__code"]
        constraints = [
            models.UniqueConstraint(fields=["definition", "theme"], name="report_theme_intro_unique"),
        ]
        verbose_name = _("theme introduction")
        verbose_name_plural = _("theme introductions")

    def __str__(self):
        return f"{self.definition} / {self.theme}"

    def save(self, *args, **kwargs):
        self.text = sanitize_rich_text(self.text)
        super().save(*args, **kwargs)

    def clean(self):
        try:
            validate_placeholders(self.text, scope="theme")
        except ValidationError as exc:
            raise ValidationError({"text": exc.messages}) from exc


class BuildStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


def build_upload_to(instance, filename):
    return f"reports/builds/{instance.definition.slug}/{filename}"


class ReportBuild(TimeStampedModel):
    """One rendering of a definition in one format, made by a background task."""

    definition = models.ForeignKey(ReportDefinition, on_delete=models.CASCADE, related_name="builds")
    format = models.CharField(_("format"), max_length=8, choices=ReportFormat.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=BuildStatus.choices, default=BuildStatus.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    # Stored under MEDIA_ROOT, which is outside the web root: only the permission-checked view serves it.
    file = models.FileField(_("file"), upload_to=build_upload_to, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size (bytes)"), null=True, blank=True)
    entry_count = models.PositiveIntegerField(_("entries"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    task_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report build")
        verbose_name_plural = _("report builds")

    def __str__(self):
        return f"{self.definition} ({self.get_format_display()}, {self.get_status_display()})"

    @property
    def is_finished(self):
        return self.status in (BuildStatus.DONE, BuildStatus.FAILED)

    @property
    def filename(self):
        return f"{self.definition.slug}.{self.format}"


def published_upload_to(instance, filename):
    return f"reports/published/{instance.definition.slug}/v{instance.version}/{filename}"


class PublishedReport(models.Model):
    """An immutable snapshot: the frozen context and the files rendered from it.

    Later edits to entries or to the definition never change a published version; publishing again
    makes a new version.
    """

    definition = models.ForeignKey(ReportDefinition, on_delete=models.PROTECT, related_name="published_versions")
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=300)
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    context = models.JSONField(_("frozen report content"))
    html_file = models.FileField(upload_to=published_upload_to)
    pdf_file = models.FileField(upload_to=published_upload_to)
    docx_file = models.FileField(upload_to=published_upload_to)
    html_size = models.PositiveBigIntegerField(default=0)
    pdf_size = models.PositiveBigIntegerField(default=0)
    docx_size = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["definition__title", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["definition", "version"], name="published_report_unique_version"),
        ]
        verbose_name = _("published report")
        verbose_name_plural = _("published reports")

    def __str__(self):
        return f"{self.title} v{self.version}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("A published report cannot be changed; publish a new version instead."))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("reports:published_detail", kwargs={"slug": self.definition.slug, "version": self.version})

    def file_for(self, fmt):
        return {"html": self.html_file, "pdf": self.pdf_file, "docx": self.docx_file}[fmt]
