"""Facets of the search page. Each facet knows its URL parameter, how to filter entries by the
selected values, and how to count the values over a set of entries.

Several values of one facet are alternatives (OR); different facets narrow each other (AND). Counts
are "disjunctive": a facet's counts ignore its own selection, so a visitor sees what choosing another
value would give. A new facet is one more Facet subclass in SEARCH_FACETS; a sibling app (evaluation)
registers its own in catalog.extensions in its ``ready()``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from methodbank.catalog import extensions
from methodbank.catalog.models import Placement, Practice, PracticeKind, ProjectTranslation, local_name_of
from methodbank.catalog.translations import Text, interface_language
from methodbank.core.params import parse_id

from .models import ConceptCategory, FacetAssignment, FacetStatus


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False
    lang: str = ""  # the label's language where it differs from the page's (a project's own name)


class Facet:
    param: str = ""
    label = ""

    def filter(self, qs: QuerySet, values: list[str]) -> QuerySet:
        raise NotImplementedError

    def counts(self, qs: QuerySet) -> list[tuple[str, str, int]]:
        """(value, label, count) over the entries of qs."""
        raise NotImplementedError


class KindFacet(Facet):
    param, label = "kind", _("Kind")

    def filter(self, qs, values):
        return qs.filter(kind__in=values)

    def counts(self, qs):
        labels = dict(PracticeKind.choices)
        rows = qs.order_by().values("kind").annotate(n=Count("pk"))
        return [(r["kind"], str(labels.get(r["kind"], r["kind"])), r["n"]) for r in rows]


class PlacementFacet(Facet):
    field = ""  # e.g. "theme__slug"
    label_field = ""

    def filter(self, qs, values):
        ids = Placement.objects.filter(**{f"{self.field}__in": values}).values("practice_id")
        return qs.filter(pk__in=ids)

    def counts(self, qs):
        rows = (
            Placement.objects.filter(practice__in=qs.order_by().values("pk"))
            .exclude(**{f"{self.field}__isnull": True})
            .values(self.field, *self.label_fields)
            .annotate(n=Count("practice", distinct=True))
            .order_by(*self.order_fields)
        )
        return [(str(r[self.field]), self.make_label(r), r["n"]) for r in rows]


class ThemeFacet(PlacementFacet):
    param, label = "theme", _("Theme")
    field, order_fields = "theme__slug", ("theme__code",)
    label_fields = ("theme__code", "theme__name", "theme__name_sv", "theme__name_en")

    def make_label(self, row):
        return f"{row['theme__code']}. {local_name_of(row, 'theme__name')}"


class SubthemeFacet(PlacementFacet):
    param, label = "subtheme", _("Subtheme")
    field = "subtheme_id"
    label_fields = ("subtheme__name", "subtheme__name_sv", "subtheme__name_en", "subtheme__theme__code")
    order_fields = ("subtheme__theme__code", "subtheme__position", "subtheme__name")

    def filter(self, qs, values):
        ids = [parse_id(v) for v in values]
        return super().filter(qs, [i for i in ids if i is not None])

    def make_label(self, row):
        return f"{row['subtheme__theme__code']}: {local_name_of(row, 'subtheme__name')}"


class PeriodFacet(PlacementFacet):
    param, label = "period", _("Period")
    field, order_fields = "period__code", ("-period__starts_on",)
    label_fields = ("period__name", "period__name_sv", "period__name_en", "period__starts_on")

    def make_label(self, row):
        return f"{local_name_of(row, 'period__name')} ({row['period__starts_on'].year}–)"


class ProjectFacet(Facet):
    param, label = "project", _("Project")

    def filter(self, qs, values):
        return qs.filter(project__slug__in=values)

    def counts(self, qs):
        rows = (
            qs.exclude(project__isnull=True)
            .order_by()
            .values("project__slug", "project__name", "project__language", "project_id")
            .annotate(n=Count("pk"))
            .order_by("-n", "project__name")
        )
        # A project's name in the page's language where it has one (one query for all of them).
        language = interface_language()
        translated = dict(
            ProjectTranslation.objects.filter(
                project_id__in=[r["project_id"] for r in rows], language=language
            )
            .exclude(name="")
            .values_list("project_id", "name")
        )
        return [
            (
                r["project__slug"],
                Text(translated[r["project_id"]], language)
                if r["project_id"] in translated and r["project__language"] != language
                else Text(r["project__name"], r["project__language"]),
                r["n"],
            )
            for r in rows
        ]


class KeywordFacet(Facet):
    param, label = "keyword", _("Keyword")

    def filter(self, qs, values):
        ids = Practice.keywords.through.objects.filter(keyword__slug__in=values).values("practice_id")
        return qs.filter(pk__in=ids)

    def counts(self, qs):
        rows = (
            Practice.keywords.through.objects.filter(
                practice__in=qs.order_by().values("pk"), keyword__approved=True
            )
            .values("keyword__slug", "keyword__name")
            .annotate(n=Count("practice", distinct=True))
            .order_by("-n", "keyword__name")
        )
        return [(r["keyword__slug"], r["keyword__name"], r["n"]) for r in rows]


class ConceptFacet(Facet):
    """A browse facet of the vocabulary: the confirmed values of one category (models.FACET_CATEGORIES).
    A value is the concept's identifier, the label its preferred label in the page's language."""

    category = ""

    def _confirmed(self):
        return FacetAssignment.objects.filter(
            status=FacetStatus.CONFIRMED, concept__category=self.category, concept__facet_value=True
        )

    def filter(self, qs, values):
        ids = self._confirmed().filter(concept__identifier__in=values).values("practice_id")
        return qs.filter(pk__in=ids)

    def counts(self, qs):
        rows = (
            self._confirmed()
            .filter(practice__in=qs.order_by().values("pk"))
            .values("concept__identifier", "concept__pref_label_fi", "concept__pref_label_sv", "concept__pref_label_en")
            .annotate(n=Count("practice", distinct=True))
            .order_by("-n", "concept__pref_label_fi")
        )
        language = interface_language()
        return [
            (r["concept__identifier"], r.get(f"concept__pref_label_{language}") or r["concept__pref_label_fi"], r["n"])
            for r in rows
        ]


class TargetGroupFacet(ConceptFacet):
    param, label, category = "target", _("Target group"), ConceptCategory.TARGET_GROUP


class EducationFacet(ConceptFacet):
    param, label, category = "level", _("Education level"), ConceptCategory.EDUCATION


class TransitionFacet(ConceptFacet):
    param, label, category = "stage", _("Transition stage"), ConceptCategory.TRANSITION


# The browse facets by category, for the browse pages' links into the search.
CONCEPT_FACETS = {facet.category: facet for facet in (TargetGroupFacet(), EducationFacet(), TransitionFacet())}

SEARCH_FACETS: list[Facet] = [
    KindFacet(),
    *CONCEPT_FACETS.values(),
    ThemeFacet(),
    SubthemeFacet(),
    PeriodFacet(),
    ProjectFacet(),
    KeywordFacet(),
]


def all_facets() -> list[Facet]:
    """Search's own facets with those other apps registered in catalog.extensions (evaluation's
    status, which search cannot import), each in front of the facet it names."""
    facets = list(SEARCH_FACETS)
    for facet, before in extensions.registered_search_facets():
        position = next((i for i, f in enumerate(facets) if f.param == before), len(facets))
        facets.insert(position, facet)
    return facets


def facet_params() -> list[str]:
    return [f.param for f in all_facets()]

# Long facets show this many values until the visitor asks for more.
FACET_VISIBLE = 12
# And at most this many in all (those with the most entries, and every selected one): a grown
# catalog has thousands of projects, whose facet alone made the search page a megabyte at 100,000
# entries (bench/browse_bench.py). Words in the search narrow a facet to its values in the results.
FACET_MAX = 40


def parse_filters(querydict) -> dict[str, list[str]]:
    """The selected facet values from GET parameters (unknown values are simply ignored)."""
    filters = {}
    for facet in all_facets():
        # A facet value is a slug, a code or an id: nothing long, and never NUL (PostgreSQL refuses it).
        values = [v for v in querydict.getlist(facet.param) if v and len(v) <= 200 and "\x00" not in v]
        if values:
            filters[facet.param] = list(dict.fromkeys(values))
    return filters


def apply_filters(qs: QuerySet, filters: dict[str, list[str]], *, skip: str | None = None) -> QuerySet:
    for facet in all_facets():
        if facet.param != skip and filters.get(facet.param):
            qs = facet.filter(qs, filters[facet.param])
    return qs


@dataclass
class FacetResult:
    param: str
    label: str
    values: list[FacetValue]
    # How many values the facet has over the results; more than len(values) when capped.
    total: int = 0

    @property
    def capped(self):
        return self.total > len(self.values)

    @property
    def has_selection(self):
        return any(v.selected for v in self.values)


def _other_language(label, page_language: str) -> str:
    language = getattr(label, "language", "")
    return language if language != page_language else ""


def facet_counts(base: QuerySet, filters: dict[str, list[str]]) -> list[FacetResult]:
    results = []
    for facet in all_facets():
        selected = set(filters.get(facet.param, []))
        qs = apply_filters(base, filters, skip=facet.param)
        page_language = interface_language()
        values = [
            FacetValue(v, str(label), n, v in selected, _other_language(label, page_language))
            for v, label, n in facet.counts(qs)
        ]
        if values:
            results.append(FacetResult(facet.param, str(facet.label), _bounded(values), total=len(values)))
    return results


def _bounded(values: list[FacetValue], limit: int | None = None) -> list[FacetValue]:
    """At most ``limit`` values: the selected ones and those with the most entries, in the
    facet's own order (by count, or by code for themes and periods)."""
    limit = FACET_MAX if limit is None else limit
    if len(values) <= limit:
        return values
    room = max(limit - sum(v.selected for v in values), 0)
    biggest = sorted((v for v in values if not v.selected), key=lambda v: -v.count)[:room]
    kept = {id(v) for v in biggest}
    return [v for v in values if v.selected or id(v) in kept]
