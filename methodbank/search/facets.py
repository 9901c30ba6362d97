"""Facets of the search page. Each facet knows its URL parameter, how to filter entries by the
selected values, and how to count the values over a set of entries.

Several values of one facet are alternatives (OR); different facets narrow each other (AND). Counts
are "disjunctive": a facet's counts ignore its own selection, so a visitor sees what choosing another
value would give. A new facet is one more Facet subclass in SEARCH_FACETS; a sibling app (evaluation)
registers its own in catalog.extensions in its ``ready()``.
"""

from __future__ import annotations

import contextvars
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from methodbank.catalog import extensions
from methodbank.catalog.models import Placement, Practice, PracticeKind, ProjectTranslation, local_name_of
from methodbank.catalog.translations import Text, interface_language
from methodbank.core.params import parse_id

from . import process_store
from .facet_index import IndexedCounts
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
    # The order of the values: "count" (most entries first, then by the value's key) or "key".
    order = "count"

    def filter(self, qs: QuerySet, values: list[str]) -> QuerySet:
        raise NotImplementedError

    def counts(self, qs: QuerySet) -> list[tuple[str, str, int]]:
        """(value, label, count) over the entries of qs."""
        raise NotImplementedError

    def entry_values(self, ids: list[int]) -> dict[int, list[tuple[str, object, tuple]]]:
        """Each of these entries' values of the facet as (value, label, sort key), the label in the
        page's language: what ``counts`` counts, per entry (see facet_counts). Every facet here
        has it; a facet without it is counted by ``counts`` in SQL."""
        raise NotImplementedError

    # index_pairs(entries) -> [(entry id, value)]: every value of each of ``entries`` (a values("pk")
    # queryset), the values entry_values gives, without labels: what the facet index (facet_index.py)
    # is built from. Optional: the index reads entry_values of every entry without it.


def _order_key(row: dict, fields) -> tuple:
    """A sort key for a values() row as ``order_by(*fields)`` sorts ("-" for descending dates and
    numbers; empty values last)."""
    key = []
    for name in fields:
        value = row[name.lstrip("-")]
        if name.startswith("-") and value is not None:
            value = -value.toordinal() if isinstance(value, date) else -value
        key.append((value is None, value if value is not None else 0))
    return tuple(key)


class KindFacet(Facet):
    param, label = "kind", _("Kind")

    def filter(self, qs, values):
        return qs.filter(kind__in=values)

    order = "key"  # by the stored value, as both engines list it

    def counts(self, qs):
        labels = dict(PracticeKind.choices)
        rows = qs.order_by().values("kind").annotate(n=Count("pk")).order_by("kind")
        return [(r["kind"], str(labels.get(r["kind"], r["kind"])), r["n"]) for r in rows]

    def entry_values(self, ids):
        labels = dict(PracticeKind.choices)
        return {
            r["pk"]: [(r["kind"], str(labels.get(r["kind"], r["kind"])), (r["kind"],))]
            for r in _entry_rows(ids)
        }

    def index_pairs(self, entries):
        return list(Practice.objects.filter(pk__in=entries).values_list("pk", "kind"))


class PlacementFacet(Facet):
    field = ""  # e.g. "theme__slug"
    label_field = ""

    def filter(self, qs, values):
        ids = Placement.objects.filter(**{f"{self.field}__in": values}).values("practice_id")
        return _practices_in(qs, ids)

    def counts(self, qs):
        rows = (
            Placement.objects.filter(practice__in=qs.order_by().values("pk"))
            .exclude(**{f"{self.field}__isnull": True})
            .values(self.field, *self.label_fields)
            .annotate(n=Count("practice", distinct=True))
            .order_by(*self.order_fields)
        )
        return [(str(r[self.field]), self.make_label(r), r["n"]) for r in rows]

    order = "key"

    def fields(self) -> list[str]:
        """The placement's fields this facet's entry_values reads."""
        return [self.field, *self.label_fields, *(f.lstrip("-") for f in self.order_fields)]

    def entry_values(self, ids):
        values = defaultdict(dict)  # an entry placed twice under one value counts once
        for r in _placement_rows(ids):
            if r[self.field] is not None:
                values[r["practice_id"]][str(r[self.field])] = (self.make_label(r), _order_key(r, self.order_fields))
        return {pk: [(v, label, key) for v, (label, key) in found.items()] for pk, found in values.items()}

    def index_pairs(self, entries):
        rows = (
            Placement.objects.filter(practice_id__in=entries)
            .exclude(**{f"{self.field}__isnull": True})
            .values_list("practice_id", self.field)
        )
        return [(pk, str(value)) for pk, value in rows]


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

    def entry_values(self, ids):
        rows = [
            (r["pk"], r["project__slug"], r["project__name"], r["project__language"], r["project_id"])
            for r in _entry_rows(ids)
            if r["project_id"] is not None
        ]
        language = interface_language()
        translated = dict(
            ProjectTranslation.objects.filter(project_id__in={r[4] for r in rows}, language=language)
            .exclude(name="")
            .values_list("project_id", "name")
        ) if rows else {}
        return {
            pk: [(
                slug,
                Text(translated[project_id], language)
                if project_id in translated and project_language != language
                else Text(name, project_language),
                (name,),
            )]
            for pk, slug, name, project_language, project_id in rows
        }

    def index_pairs(self, entries):
        return list(
            Practice.objects.filter(pk__in=entries, project__isnull=False).values_list("pk", "project__slug")
        )


class KeywordFacet(Facet):
    param, label = "keyword", _("Keyword")

    def filter(self, qs, values):
        ids = Practice.keywords.through.objects.filter(keyword__slug__in=values).values("practice_id")
        return _practices_in(qs, ids)

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

    def entry_values(self, ids):
        rows = Practice.keywords.through.objects.filter(practice_id__in=ids, keyword__approved=True).values_list(
            "practice_id", "keyword__slug", "keyword__name"
        )
        values = defaultdict(list)
        for pk, slug, name in rows:
            values[pk].append((slug, name, (name,)))
        return values

    def index_pairs(self, entries):
        return list(
            Practice.keywords.through.objects.filter(practice_id__in=entries, keyword__approved=True).values_list(
                "practice_id", "keyword__slug"
            )
        )


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
        return _practices_in(qs, ids)

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

    def entry_values(self, ids):
        language = interface_language()
        label_field = f"concept__pref_label_{language}" if language in ("sv", "en") else "concept__pref_label_fi"
        values = defaultdict(dict)
        for r in _concept_rows(ids):
            if r["concept__category"] == self.category:
                label_fi = r["concept__pref_label_fi"]
                values[r["practice_id"]][r["concept__identifier"]] = (r[label_field] or label_fi, (label_fi,))
        return {pk: [(v, label, key) for v, (label, key) in found.items()] for pk, found in values.items()}

    def index_pairs(self, entries):
        return list(self._confirmed().filter(practice_id__in=entries).values_list("practice_id", "concept__identifier"))


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


def apply_filters(
    qs: QuerySet, filters: dict[str, list[str]], *, skip: str | None = None, correlated: bool = False
) -> QuerySet:
    """``qs`` narrowed to the entries of the selection. ``correlated``: each entry is checked for
    the facets' values by a correlated EXISTS (one index lookup per entry), for a large selection
    read in an order of the entries' own: the search page of a theme (a quarter of the catalog) read
    its first 20 entries by title from the title index in 0.2 ms this way, against 50–75 ms for
    gathering the theme's 25,000 entries through IN and sorting them (SQLite, 100,000 entries). A
    small selection is better gathered and sorted: an EXISTS walk would read the whole index."""
    token = _correlated.set(correlated)
    try:
        for facet in all_facets():
            if facet.param != skip and filters.get(facet.param):
                qs = facet.filter(qs, filters[facet.param])
    finally:
        _correlated.reset(token)
    return qs


_correlated: contextvars.ContextVar[bool] = contextvars.ContextVar("facet_filters_correlated", default=False)


def _practices_in(qs: QuerySet, ids: QuerySet) -> QuerySet:
    """The entries of ``qs`` among ``ids`` (a ``values("practice_id")`` queryset): IN, or a
    correlated EXISTS within apply_filters(correlated=True)."""
    if _correlated.get():
        return qs.filter(Exists(ids.filter(practice_id=OuterRef("pk"))))
    return qs.filter(pk__in=ids)


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


def facet_counts(
    base: QuerySet, filters: dict[str, list[str]], *, ids: list[int] | None = None, indexed: IndexedCounts | None = None
) -> list[FacetResult]:
    """The facets' values with their counts over the entries of ``base``. ``ids``: base is these
    entries (the ranked results of a search); without filters they are counted in Python from each
    entry's cached facet values (_entry_facet_values) instead of one SQL query per facet.
    ``indexed``: the counts of the facet index (facet_index.index_counts) over the same selection,
    for the facets it has."""
    page_language = interface_language()
    facets = all_facets()
    counted_by_index = indexed.counted if indexed is not None else {}
    memberships = (
        _entry_facet_values(facets, ids, page_language) if ids is not None and not filters and indexed is None else None
    )
    results = []
    for facet in facets:
        selected = set(filters.get(facet.param, []))
        if facet.param in counted_by_index:
            counted = counted_by_index[facet.param]
        elif memberships is not None and _has_entry_values(facet):
            counted = _count_values(facet, memberships)
        else:
            counted = facet.counts(apply_filters(base, filters, skip=facet.param))
        values = [
            FacetValue(v, str(label), n, v in selected, _other_language(label, page_language))
            for v, label, n in counted
        ]
        if values:
            results.append(FacetResult(facet.param, str(facet.label), _bounded(values), total=len(values)))
    return results


def _has_entry_values(facet) -> bool:
    method = getattr(type(facet), "entry_values", None)
    return method is not None and method is not Facet.entry_values


def _count_values(facet, memberships: dict[int, dict | None]) -> list[tuple[str, object, int]]:
    counts: dict[str, int] = defaultdict(int)
    found: dict[str, tuple] = {}
    for values in memberships.values():
        for value, label, key in (values or {}).get(facet.param, ()):
            counts[value] += 1
            found[value] = (label, key)
    if getattr(facet, "order", "count") == "key":
        order = sorted(counts, key=lambda v: found[v][1])
    else:
        order = sorted(counts, key=lambda v: (-counts[v], found[v][1]))
    return [(value, found[value][0], counts[value]) for value in order]


# Each entry's facet values, per process and page language, until the catalog changes (see
# process_store). A search page counts its facets over its ranked entries (up to a few hundred):
# eleven grouped SQL queries cost more than the ranking itself, while what an entry's values are
# only changes with the catalog.
MEMBERSHIP_MAX = 20_000


def _entry_facet_values(facets, ids: list[int], language: str) -> dict[int, dict | None]:
    """{id: {param: [(value, label, key)]}} for the published entries among ``ids`` (None for the
    others), read from the store; the entries it lacks are read, a query per table (_shared_rows),
    and kept."""
    store = process_store.store(f"facet-membership:{language}", MEMBERSHIP_MAX)
    found = {pk: store[pk] for pk in ids if pk in store}
    missing = [pk for pk in dict.fromkeys(ids) if pk not in found]
    if missing:
        published = set(Practice.objects.published().filter(pk__in=missing).values_list("pk", flat=True))
        wanted = [pk for pk in missing if pk in published]
        per_facet = {}
        if wanted:
            token = _batch_rows.set({})
            try:
                per_facet = {f.param: f.entry_values(wanted) for f in facets if _has_entry_values(f)}
            finally:
                _batch_rows.reset(token)
        for pk in missing:
            found[pk] = store[pk] = (
                {param: tuple(values.get(pk, ())) for param, values in per_facet.items()} if pk in published else None
            )
    return {pk: found[pk] for pk in ids if found[pk] is not None}


# Within _entry_facet_values, the facets reading the same table share one query of their rows
# (a reading's rows by table, see _shared_rows): the entries a search meets for the first time were
# read a query per facet, eleven on PostgreSQL, whose compilation by the ORM cost more than the
# ranking. Outside it (a facet's entry_values called on its own), each call reads its own rows.
_batch_rows: contextvars.ContextVar[dict | None] = contextvars.ContextVar("facet_batch_rows", default=None)


def _shared_rows(table: str, read) -> list:
    rows = _batch_rows.get()
    if rows is None:
        return list(read())
    if table not in rows:
        rows[table] = list(read())
    return rows[table]


def _entry_rows(ids) -> list[dict]:
    """The entries' own columns that KindFacet and ProjectFacet count."""
    return _shared_rows(
        "practice",
        lambda: Practice.objects.filter(pk__in=ids).values(
            "pk", "kind", "project__slug", "project__name", "project__language", "project_id"
        ),
    )


def _placement_rows(ids) -> list[dict]:
    """The entries' placements with the fields of every placement facet (theme, subtheme, period)."""
    fields = dict.fromkeys(name for f in all_facets() if isinstance(f, PlacementFacet) for name in f.fields())
    return _shared_rows("placement", lambda: Placement.objects.filter(practice_id__in=ids).values("practice_id", *fields))


def _concept_rows(ids) -> list[dict]:
    """The entries' confirmed facet concepts of every concept facet's category, labels in all languages."""
    categories = [f.category for f in all_facets() if isinstance(f, ConceptFacet)]
    return _shared_rows(
        "concept",
        lambda: FacetAssignment.objects.filter(
            status=FacetStatus.CONFIRMED,
            concept__facet_value=True,
            concept__category__in=categories,
            practice_id__in=ids,
        ).values(
            "practice_id", "concept__category", "concept__identifier",
            "concept__pref_label_fi", "concept__pref_label_sv", "concept__pref_label_en",
        ),
    )


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
