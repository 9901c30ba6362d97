"""Writes for reports: definitions, background builds, publishing."""

import hashlib
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from methodbank.core.services import audit_log

from .authored import problems_message
from .builder import EmptySelectionError, build_report_context, empty_selection_message, report_for_site
from .models import (
    BuildStatus,
    PublishedReport,
    ReportBuild,
    ReportDefinition,
    ReportFormat,
    ThemeIntroduction,
)
from .renderers import render_report
from .richtext import sanitize_rich_text
from .selectors import report_selection_count

logger = logging.getLogger(__name__)


class ReportContradictsData(ValueError):
    """An authored text of the report contradicts the computed data (see authored.py)."""

SELECTION_FIELDS = ("themes", "subthemes", "periods", "keywords", "projects")


# ---------------------------------------------------------------------------------------------
# Definitions
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def report_definition_save(*, definition: ReportDefinition, selection: dict, theme_intros: dict, by) -> ReportDefinition:
    """Create or update a definition with its selection and theme introductions (theme -> text)."""
    creating = definition.pk is None
    definition.preface = sanitize_rich_text(definition.preface)
    definition.introduction = sanitize_rich_text(definition.introduction)
    if creating and by is not None and getattr(by, "pk", None):
        definition.created_by = by
    definition.full_clean()
    definition.save()
    for name in SELECTION_FIELDS:
        if name in selection:
            getattr(definition, name).set(selection[name])
    for theme, text in theme_intros.items():
        text = sanitize_rich_text(text)
        intro = ThemeIntroduction.objects.filter(definition=definition, theme=theme).first()
        if not text:
            if intro:
                intro.delete()
            continue
        intro = intro or ThemeIntroduction(definition=definition, theme=theme)
        intro.text = text
        intro.full_clean()
        intro.save()
    audit_log(actor=by, verb="report_definition_created" if creating else "report_definition_updated", target=definition)
    return definition


def report_definition_check_selection(*, definition: ReportDefinition) -> int:
    """The number of selected entries; a ValidationError with a clear message when there are none."""
    count = report_selection_count(definition=definition)
    if count == 0:
        raise ValidationError(empty_selection_message(definition))
    return count


# ---------------------------------------------------------------------------------------------
# Builds
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def report_build_request(*, definition: ReportDefinition, fmt: str, by) -> ReportBuild:
    """Queue a build. Refuses an empty selection up front instead of producing an empty file."""
    if fmt not in ReportFormat.values:
        raise ValidationError(_("Unknown format: %(format)s") % {"format": fmt})
    report_definition_check_selection(definition=definition)
    build = ReportBuild(definition=definition, format=fmt, created_by=by if getattr(by, "pk", None) else None)
    build.full_clean()
    build.save()
    audit_log(actor=by, verb="report_build_requested", target=build, data={"format": fmt})
    transaction.on_commit(lambda: _enqueue(build))
    return build


def _enqueue(build: ReportBuild) -> None:
    from .tasks import run_report_build

    result = run_report_build.enqueue(build.pk)
    # The immediate backend has already run the build by now; keep its outcome, add the task id.
    ReportBuild.objects.filter(pk=build.pk).update(task_id=str(result.id))


@transaction.atomic
def report_build_retry(*, build: ReportBuild, by) -> ReportBuild:
    build = ReportBuild.objects.select_for_update().get(pk=build.pk)
    if build.status != BuildStatus.FAILED:
        raise ValidationError(_("Only a failed build can be retried."))
    build.status = BuildStatus.QUEUED
    build.progress = 0
    build.error = ""
    build.started_at = None
    build.finished_at = None
    build.save()
    audit_log(actor=by, verb="report_build_retried", target=build)
    transaction.on_commit(lambda: _enqueue(build))
    return build


def _set_progress(build_id: int, percent: int) -> None:
    ReportBuild.objects.filter(pk=build_id).update(progress=percent, updated_at=timezone.now())


def report_build_run(*, build_id: int) -> ReportBuild:
    """Run one build (called by the background task). Any failure marks the build failed with its error.

    Each step commits on its own so the coordinator's page sees the progress while the build runs.
    """
    with transaction.atomic():
        build = ReportBuild.objects.select_for_update().select_related("definition").get(pk=build_id)
        if build.status not in (BuildStatus.QUEUED, BuildStatus.FAILED):
            # Already running or done (a duplicate task): never build twice.
            return build
        build.status = BuildStatus.RUNNING
        build.started_at = timezone.now()
        build.attempts += 1
        build.progress = 5
        build.save()
    try:
        context = build_report_context(build.definition, progress=lambda p: _set_progress(build_id, p))
        if context["contradictions"]:
            raise ReportContradictsData(problems_message(context["contradictions"]))
        _set_progress(build_id, 70)
        content = render_report(context, build.format)
        _set_progress(build_id, 95)
        with transaction.atomic():
            build = ReportBuild.objects.select_for_update().select_related("definition").get(pk=build_id)
            if build.file:
                build.file.delete(save=False)
            build.file.save(build.filename, ContentFile(content), save=False)
            build.file_size = len(content)
            build.entry_count = len(context["entries"])
            build.status = BuildStatus.DONE
            build.progress = 100
            build.error = ""
            build.finished_at = timezone.now()
            build.save()
        return build
    except Exception as exc:
        logger.exception("Report build %s failed", build_id)
        message = (
            str(exc) if isinstance(exc, EmptySelectionError | ReportContradictsData) else f"{type(exc).__name__}: {exc}"
        )
        ReportBuild.objects.filter(pk=build_id).update(
            status=BuildStatus.FAILED, error=message[:2000], finished_at=timezone.now(), updated_at=timezone.now()
        )
        build.refresh_from_db()
        return build


# ---------------------------------------------------------------------------------------------
# Publishing
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def report_publish(*, definition: ReportDefinition, by) -> PublishedReport:
    """Freeze the report as it is now: the context as JSON and the three files made from it."""
    # Lock the definition so two coordinators publishing at once cannot take the same version number.
    definition = ReportDefinition.objects.select_for_update().get(pk=definition.pk)
    try:
        context = build_report_context(definition)
    except EmptySelectionError as exc:
        raise ValidationError(str(exc)) from exc
    if context["contradictions"]:
        # A published report is immutable: never freeze prose that the data contradicts.
        raise ValidationError(problems_message(context["contradictions"]))
    version = (definition.published_versions.aggregate(v=Max("version"))["v"] or 0) + 1
    published = PublishedReport(
        definition=definition,
        version=version,
        title=definition.title,
        published_at=timezone.now(),
        published_by=by if getattr(by, "pk", None) else None,
        context=context,
    )
    for fmt in ReportFormat.values:
        content = render_report(context, fmt, version=version)
        published.file_for(fmt).save(f"{definition.slug}-v{version}.{fmt}", ContentFile(content), save=False)
        setattr(published, f"{fmt}_size", len(content))
    published.full_clean()
    published.save()
    audit_log(actor=by, verb="report_published", target=published, data={"version": version})
    return published


def published_report_file_for_site(*, published: PublishedReport, fmt: str):
    """The published file made again from its frozen content for the site's current address
    (``report_for_site``), stored beside the original once per address. The original stays as it was
    published."""
    digest = hashlib.sha256(settings.SITE_URL.encode()).hexdigest()[:16]
    name = published.file_for(fmt).name.rsplit("/", 1)
    path = f"{name[0]}/site-{digest}/{name[-1]}" if len(name) == 2 else f"site-{digest}/{name[0]}"
    if not default_storage.exists(path):
        content = render_report(report_for_site(published.context), fmt, version=published.version)
        path = default_storage.save(path, ContentFile(content))
    return default_storage.open(path, "rb")
