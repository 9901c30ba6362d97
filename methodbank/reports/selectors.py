"""Reads for reports: who may manage them, what a definition selects, and permission-checked getters."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from methodbank.accounts import roles
from methodbank.catalog.models import Placement, Practice
from methodbank.evaluation.selectors import practices_with_evaluation_status

from .models import PublishedReport, ReportBuild, ReportDefinition


def require_coordinator(user) -> None:
    if not roles.is_coordinator(user):
        raise PermissionDenied


# ---------------------------------------------------------------------------------------------
# Selection
# ---------------------------------------------------------------------------------------------


def _selection_ids(definition):
    """The definition's many-to-many choices as id lists (one small query each, none when unsaved)."""
    if definition.pk is None:
        return {name: [] for name in ("themes", "subthemes", "periods", "keywords", "projects")}
    return {
        name: list(getattr(definition, name).values_list("id", flat=True))
        for name in ("themes", "subthemes", "periods", "keywords", "projects")
    }


def _placement_filter(ids) -> Q:
    q = Q()
    if ids["themes"]:
        q &= Q(theme_id__in=ids["themes"])
    if ids["subthemes"]:
        q &= Q(subtheme_id__in=ids["subthemes"])
    if ids["periods"]:
        q &= Q(period_id__in=ids["periods"])
    return q


def report_selected_entries(*, definition, ids=None):
    """Published entries the definition selects.

    Each criterion narrows the selection; an empty criterion does not restrict. The steps are
    kept one per criterion, so a new criterion is one more ``qs = qs.filter(...)`` step here.
    The evaluation status is the one the evaluation app computes (latest expert outcome, else
    peer evaluated, else not evaluated).
    """
    ids = ids or _selection_ids(definition)
    qs = Practice.objects.published()
    if definition.kinds:
        qs = qs.filter(kind__in=definition.kinds)
    if ids["projects"]:
        qs = qs.filter(project_id__in=ids["projects"])
    if ids["keywords"]:
        qs = qs.filter(
            Exists(Practice.keywords.through.objects.filter(practice_id=OuterRef("pk"), keyword_id__in=ids["keywords"]))
        )
    if definition.date_from or definition.date_to:
        qs = qs.annotate(report_date=Coalesce(F("published_at"), F("created_at")))
        if definition.date_from:
            qs = qs.filter(report_date__date__gte=definition.date_from)
        if definition.date_to:
            qs = qs.filter(report_date__date__lte=definition.date_to)
    if definition.evaluation_statuses:

        qs = practices_with_evaluation_status(qs).filter(evaluation_status__in=definition.evaluation_statuses)
    # An entry belongs to the report only if at least one of its placements is selected.
    placements = Placement.objects.filter(_placement_filter(ids), practice_id=OuterRef("pk"))
    return qs.filter(Exists(placements))


def report_selected_placements(*, definition, ids=None):
    """Selected placements of selected entries, with everything the report prints, in report order."""
    ids = ids or _selection_ids(definition)
    entries = report_selected_entries(definition=definition, ids=ids)
    return (
        Placement.objects.filter(_placement_filter(ids), practice__in=entries.values("pk"))
        .select_related("practice", "practice__project", "theme", "subtheme", "period")
        .order_by("theme__code", "subtheme__position", "subtheme__name", "subtheme_id", "position", "practice__title", "id")
    )


def report_selection_count(*, definition) -> int:
    return report_selected_entries(definition=definition).count()


# ---------------------------------------------------------------------------------------------
# Lists and permission-checked getters
# ---------------------------------------------------------------------------------------------


def report_definition_list(*, user):
    require_coordinator(user)
    return ReportDefinition.objects.all()


def report_definition_get_for_edit(*, user, slug) -> ReportDefinition:
    require_coordinator(user)
    return get_object_or_404(ReportDefinition, slug=slug)


def report_build_list(*, definition, limit=10):
    return definition.builds.select_related("created_by")[:limit]


def report_build_get_for_user(*, user, pk) -> ReportBuild:
    require_coordinator(user)
    return get_object_or_404(ReportBuild.objects.select_related("definition"), pk=pk)


def published_report_list():
    return PublishedReport.objects.select_related("definition").order_by("definition__title", "-version")


def published_report_get(*, slug, version) -> PublishedReport:
    return get_object_or_404(PublishedReport.objects.select_related("definition"), definition__slug=slug, version=version)


def published_report_versions(*, definition):
    return definition.published_versions.order_by("-version")
