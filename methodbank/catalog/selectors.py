"""Reads for the public catalog. Every queryset here is published-only and has its relations
loaded, so a page costs a fixed number of queries however many entries it lists."""

import math
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q
from django.db.models.functions import Lower
from django.http import Http404

from methodbank.core.cache import cached_until_catalog_changes
from methodbank.core.pagination import ChainedLists, SegmentedQuerySet

from . import places
from .models import (
    Adoption,
    Keyword,
    Period,
    Placement,
    Practice,
    PracticeAttachment,
    PracticeKind,
    Project,
    PublicationStatus,
    Subtheme,
    Theme,
)

PUBLISHED = PublicationStatus.PUBLISHED


def practice_published_qs():
    return Practice.objects.published()


def _published_placements_qs():
    """Placements of published entries, with everything a list item shows."""
    return (
        Placement.objects.filter(practice__status=PUBLISHED)
        .select_related("practice", "practice__project", "theme", "subtheme__theme", "period")
        # Titles and summaries in the visitor's language (catalog/translations.py): one query per list.
        .prefetch_related("practice__translations", "practice__project__translations")
        .order_by("theme__code", "subtheme__position", "subtheme__name", "position", "practice__title", "id")
    )


# ---------------------------------------------------------------------------------------------
# Front page
# ---------------------------------------------------------------------------------------------


# The front page's counts read the whole catalog. Each is one grouped query that an index answers
# (the first view after a publish computes them; at 100,000 entries the joins and DISTINCTs of
# the old queries cost a second): the counts are cached as well (catalog/views.py home).
UNPUBLISHED = [status for status in PublicationStatus.values if status != PUBLISHED]


def theme_list_with_counts(*, themes=None):
    """The themes (by code, or those of the ``themes`` queryset) with the number of distinct
    published models and good practices placed in them, and both together, in two queries."""
    placements = Placement.objects.filter(practice__status=PUBLISHED)
    if themes is None:
        themes = Theme.objects.order_by("code")
    else:
        # Only when asked: the subquery costs SQLite a slower plan for all the themes.
        placements = placements.filter(theme__in=themes.order_by().values("pk"))
    counts = {}
    rows = (
        placements.values_list("theme_id", "practice__kind")
        .annotate(n=Count("practice_id", distinct=True))
        .order_by()
    )
    for theme_id, kind, n in rows:
        counts[theme_id, kind] = n
    themes = list(themes)
    for theme in themes:
        theme.model_count = counts.get((theme.pk, PracticeKind.MODEL), 0)
        theme.good_practice_count = counts.get((theme.pk, PracticeKind.GOOD_PRACTICE), 0)
        # An entry has one kind, so the kinds' distinct counts add up to the theme's.
        theme.entry_count = theme.model_count + theme.good_practice_count
    return themes


def _published_by_kind():
    """{"models": n, "good_practices": n} of the whole published catalog, from the (status, kind) index."""
    by_kind = dict(practice_published_qs().values_list("kind").annotate(n=Count("*")).order_by())
    return {"models": by_kind.get(PracticeKind.MODEL, 0), "good_practices": by_kind.get(PracticeKind.GOOD_PRACTICE, 0)}


def catalog_totals():
    """Distinct published entries by kind, and the published projects. Counting rows per (status,
    kind) reads the index on those two columns alone."""
    counts = _published_by_kind()
    counts["entries"] = counts["models"] + counts["good_practices"]
    counts["projects"] = Project.objects.published().count()
    return counts


@dataclass
class CloudKeyword:
    keyword: Keyword
    count: int
    weight: int  # 1..5, drives the font size


def _keyword_entry_counts() -> Counter:
    """{keyword id: published entries} of every keyword, in two queries.

    An entry has a keyword once, so a keyword's count is its rows in the entry-keyword table less
    those of unpublished entries: the first counts the keyword index alone, the second reads the
    few unpublished entries by the status index. (Joining each of the 400,000 rows of a
    100,000-entry catalog to its entry to check the status took most of a second.)"""
    through = Practice.keywords.through.objects
    counts = Counter(dict(through.values_list("keyword_id").annotate(n=Count("*")).order_by()))
    counts.subtract(
        dict(
            # A subquery, not a join: SQLite then starts from the status index, not from every row.
            through.filter(practice_id__in=Practice.objects.filter(status__in=UNPUBLISHED).values("pk"))
            .values_list("keyword_id")
            .annotate(n=Count("*"))
            .order_by()
        )
    )
    return counts


def keyword_entry_counts() -> Counter:
    """Published entries per keyword (the front page's cloud, the API's keywords), cached until the
    catalog changes and recomputed with the front page's figures (a shared figure: core/cache.py)."""
    return cached_until_catalog_changes("keyword-entry-counts", _keyword_entry_counts, stale_while_revalidate=True)


def themes_with_counts() -> list:
    """Every theme with its counts (theme_list_with_counts), cached until the catalog changes and
    recomputed with the front page's figures (the front page, the API's themes)."""
    return cached_until_catalog_changes(
        "themes-with-counts", lambda: list(theme_list_with_counts()), stale_while_revalidate=True
    )


def keyword_cloud(*, limit=60):
    """Approved keywords of published entries with their counts; weight grows with the log of the count."""
    counts = keyword_entry_counts()
    # The approved vocabulary (it grows with the keywords, not with the entries).
    approved = [k for k in Keyword.objects.filter(approved=True) if counts[k.pk] > 0]
    keywords = sorted(approved, key=lambda k: (-counts[k.pk], k.name))[:limit]
    for keyword in keywords:
        keyword.entry_count = counts[keyword.pk]
    if not keywords:
        return []
    high = max(k.entry_count for k in keywords)
    low = min(k.entry_count for k in keywords)
    span = math.log(high) - math.log(low)
    cloud = []
    for kw in sorted(keywords, key=lambda k: k.name.lower()):
        ratio = (math.log(kw.entry_count) - math.log(low)) / span if span else 1.0
        cloud.append(CloudKeyword(keyword=kw, count=kw.entry_count, weight=1 + round(ratio * 4)))
    return cloud


def front_page_figures() -> dict:
    """The front page's themes with counts, totals and keyword cloud. They read the whole catalog
    (7 queries) and change only when it does: cached until then, and recomputed in the background
    after a change (the warmer registered in CatalogConfig.ready); until then an anonymous visitor
    may be shown them as they were a few seconds before (core/cache.py, stale while revalidate)."""
    return cached_until_catalog_changes(
        "front-page",
        lambda: {
            "themes": themes_with_counts(),
            "totals": catalog_totals(),
            "cloud": keyword_cloud(),
        },
        stale_while_revalidate=True,
    )


# ---------------------------------------------------------------------------------------------
# Theme and subtheme pages
# ---------------------------------------------------------------------------------------------

# A listing shows this many entries per page: a phone can take it, and the page costs the same at
# 200 entries as at 100,000 (bench/browse_bench.py).
LIST_PAGE_SIZE = 40
# The theme page shows, per subtheme, this many models and this many of the newest good practices,
# and links to the subtheme's full list.
PREVIEW_SIZE = 3


@dataclass
class PeriodGroup:
    period: Period | None
    entries: list = field(default_factory=list)


@dataclass
class SubthemeOverview:
    """One subtheme on its theme's page: the counts of the whole subtheme and a preview."""

    subtheme: Subtheme | None
    model_count: int = 0
    good_practice_count: int = 0
    models: list = field(default_factory=list)
    newest: list = field(default_factory=list)

    @property
    def shown_count(self):
        return len(self.models) + len(self.newest)

    @property
    def entry_count(self):
        return self.model_count + self.good_practice_count


@dataclass
class ListGroup:
    """A run of entries under one heading on one page of a subtheme's list: the models, or the good
    practices of one period (the grouping of the report)."""

    is_models: bool
    by_period: bool = False  # good practices under their period's heading (theme and subtheme lists)
    period: Period | None = None
    entries: list = field(default_factory=list)


def theme_get(*, slug):
    try:
        return Theme.objects.get(slug=slug)
    except Theme.DoesNotExist:
        raise Http404("No such theme") from None


def _placement_counts():
    """Distinct published models and good practices of some placements, in one query."""
    return {
        "models": Count("practice", filter=Q(practice__kind=PracticeKind.MODEL), distinct=True),
        "good_practices": Count("practice", filter=Q(practice__kind=PracticeKind.GOOD_PRACTICE), distinct=True),
    }


def _union_of_ids(querysets):
    """The ids of several sliced ``values_list("id")`` querysets in one query (UNION ALL of their own
    SQL, each wrapped as a subquery so that its ORDER BY and LIMIT hold on both engines)."""
    parts, params = [], []
    for number, queryset in enumerate(querysets):
        sql, part_params = queryset.query.sql_with_params()
        parts.append(f"SELECT * FROM ({sql}) AS part_{number}")
        params.extend(part_params)
    if not parts:
        return []
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return [row[0] for row in cursor.fetchall()]


def theme_overview(*, theme, preview=PREVIEW_SIZE):
    """The subtheme sections of a theme page: per subtheme the counts of all its published entries,
    its newest models and its newest good practices (at most ``preview`` each), in a fixed number of
    queries whatever the catalog size. Entries placed in the theme without a subtheme get a last
    section (with subtheme None), listed in full by ``theme_loose_entries``."""
    subthemes = list(Subtheme.objects.filter(theme=theme).select_related("theme").order_by("position", "name"))
    published = Placement.objects.filter(theme=theme, practice__status=PUBLISHED)
    # Counting distinct entries reads every placement of the theme: once per catalog version.
    counts = cached_until_catalog_changes(
        f"theme-subtheme-counts:{theme.pk}",
        lambda: {row["subtheme"]: row for row in published.values("subtheme").annotate(**_placement_counts()).order_by()},
    )
    sections = [SubthemeOverview(subtheme=s) for s in subthemes]
    if None in counts:
        sections.append(SubthemeOverview(subtheme=None))
    previews = []
    for section in sections:
        row = counts.get(section.subtheme.pk if section.subtheme else None, {})
        section.model_count = row.get("models", 0)
        section.good_practice_count = row.get("good_practices", 0)
        wanted_kinds = ((PracticeKind.MODEL, section.model_count), (PracticeKind.GOOD_PRACTICE, section.good_practice_count))
        for kind, wanted in wanted_kinds:
            if not wanted or section.subtheme is None:
                continue
            # Newest first by placement: the index on subtheme reads them in that order and stops.
            # A model placed in two periods has two placements, hence the margin.
            limit = preview * 2 if kind == PracticeKind.MODEL else preview
            previews.append(
                published.filter(subtheme=section.subtheme, practice__kind=kind)
                .order_by("-id")
                .values_list("id", flat=True)[:limit]
            )
    placements = _published_placements_qs().filter(pk__in=_union_of_ids(previews)).order_by("-id")
    by_subtheme = {s.subtheme.pk: s for s in sections if s.subtheme is not None}
    for placement in placements:
        section = by_subtheme[placement.subtheme_id]
        practice = placement.practice
        practice.period = placement.period
        target = section.models if practice.kind == PracticeKind.MODEL else section.newest
        if len(target) < preview and all(p.pk != practice.pk for p in target):
            target.append(practice)
    return sections


def theme_loose_entries(*, theme):
    """Published entries placed in the theme without a subtheme, models first (a list to paginate)."""
    return (
        _published_placements_qs()
        .filter(theme=theme, subtheme__isnull=True)
        .order_by("-practice__kind", F("period__starts_on").desc(nulls_last=True), "position", "practice__title", "id")
    )


def theme_counts(*, theme):
    """{"models": n, "good_practices": n}: distinct published entries of the whole theme (an entry
    listed under two subthemes counts once)."""
    return cached_until_catalog_changes(
        f"theme-counts:{theme.pk}",
        lambda: Placement.objects.filter(theme=theme, practice__status=PUBLISHED).aggregate(**_placement_counts()),
    )


def subtheme_get(*, theme_slug, slug):
    try:
        return Subtheme.objects.select_related("theme").get(theme__slug=theme_slug, slug=slug)
    except Subtheme.DoesNotExist:
        raise Http404("No such subtheme") from None


def subtheme_counts(*, subtheme):
    """{"models": n, "good_practices": n}: distinct published entries of the whole subtheme, and
    "good_practice_rows", the length of its good practices' list (one twice-placed is listed twice,
    under each period). Cached until the catalog changes."""
    published = Placement.objects.filter(subtheme=subtheme, practice__status=PUBLISHED)
    return cached_until_catalog_changes(
        f"subtheme-counts:{subtheme.pk}",
        lambda: published.aggregate(
            **_placement_counts(), good_practice_rows=Count("id", filter=Q(practice__kind=PracticeKind.GOOD_PRACTICE))
        ),
    )


# A theme or subtheme holding at least one in this many published entries counts as large
# (placed_entries): its entries are read from the entries' side.
COMMON_PLACEMENT_SHARE = 20


def placed_entries(*, theme=None, subtheme=None):
    """The published entries placed in a subtheme (or a whole theme), for lists read in an order of
    the entries' own, such as a feed's newest first. A large one's entries are read in that order
    from the entries' index, each checked for a placement (EXISTS, one index lookup each): the
    newest 20 of a theme with a quarter of the catalog cost 80 lookups. Through IN, SQLite with
    statistics (catalog 0013) instead gathered the theme's 25,000 entries and sorted them (theme feed
    338 / 623 ms at 100,000 entries). A small one's few entries are gathered and sorted, which an
    EXISTS walk of the whole catalog would not beat (71 ms for an empty subtheme)."""
    if subtheme is not None:
        placements, counts = Placement.objects.filter(subtheme=subtheme), subtheme_counts(subtheme=subtheme)
    else:
        placements, counts = Placement.objects.filter(theme=theme), theme_counts(theme=theme)
    totals = cached_until_catalog_changes("published-by-kind", _published_by_kind)
    placed = counts["models"] + counts["good_practices"]
    if placed and placed * COMMON_PLACEMENT_SHARE >= totals["models"] + totals["good_practices"]:
        return practice_published_qs().filter(Exists(placements.filter(practice_id=OuterRef("pk"))))
    return practice_published_qs().filter(pk__in=placements.values("practice_id"))


# A subtheme's good practices are read in segments of at least this many rows (SegmentedQuerySet).
SEGMENT_ROWS = 200


def _good_practice_segments(*, subtheme):
    """The subtheme's good practices' list in the list's order, cut into segments of consecutive
    report positions within one period start (at least SEGMENT_ROWS rows, unless a period has fewer),
    as [(starts_on, first position, last position, rows)]. Cached until the catalog changes, like
    the counts: one aggregate over the subtheme per change, instead of a sort of the whole list
    (joined with every published entry) per page."""

    def compute():
        rows = (
            Placement.objects.filter(
                subtheme=subtheme, practice__status=PUBLISHED, practice__kind=PracticeKind.GOOD_PRACTICE
            )
            .values_list("period__starts_on", "position")
            .annotate(rows=Count("id"))
            .order_by(F("period__starts_on").desc(nulls_last=True), "position")
        )
        segments = []
        for starts_on, position, count in rows:
            if segments and segments[-1][0] == starts_on and segments[-1][3] < SEGMENT_ROWS:
                segments[-1][2], segments[-1][3] = position, segments[-1][3] + count
            else:
                segments.append([starts_on, position, position, count])
        return segments

    return cached_until_catalog_changes(f"subtheme-segments:{subtheme.pk}", compute)


def subtheme_entries(*, subtheme, counts=None):
    """All published entries of a subtheme in the report's order, as one list to paginate: the
    models (each once, in report order), then the good practices by period, newest period first,
    those without a period last. Items are Practices (models) and Placements (good practices).
    ``counts`` from subtheme_counts saves counting again."""
    models = (
        practice_published_qs()
        .filter(kind=PracticeKind.MODEL, placements__subtheme=subtheme)
        .annotate(report_position=Min("placements__position"))
        .select_related("project")
        .prefetch_related("translations", "project__translations")
        .order_by("report_position", "title", "id")
    )
    good_practices = (
        _published_placements_qs()
        .filter(subtheme=subtheme, practice__kind=PracticeKind.GOOD_PRACTICE)
        .order_by(F("period__starts_on").desc(nulls_last=True), "position", "practice__title", "id")
    )
    # A page of good practices is read from the segments it falls in (the list's order begins with
    # the period's start and the position, so a segment is a stretch of the list).
    segments = SegmentedQuerySet(
        good_practices,
        [
            (
                (Q(period__starts_on=starts_on) if starts_on else Q(period__starts_on__isnull=True))
                & Q(position__gte=first, position__lte=last),
                rows,
            )
            for starts_on, first, last, rows in _good_practice_segments(subtheme=subtheme)
        ],
    )
    if counts is None:
        counts = subtheme_counts(subtheme=subtheme)
    # The good practices' length from the segments themselves, so the pages match the segments.
    return ChainedLists(models, segments, counts=[counts["models"], segments.count()])


def list_groups(items):
    """The items of one page of a subtheme's (or a theme's loose) list under their headings."""
    groups = []
    for item in items:
        if isinstance(item, Placement):
            practice, is_model, period = item.practice, item.practice.kind == PracticeKind.MODEL, item.period
        else:
            practice, is_model, period = item, True, None
        if not groups or groups[-1].is_models != is_model or (not is_model and groups[-1].period != period):
            groups.append(ListGroup(is_models=is_model, by_period=not is_model, period=None if is_model else period))
        groups[-1].entries.append(practice)
    return groups


def kind_groups(entries):
    """The entries of one page of a list that has models first, as a models group and a good
    practices group (either left out when the page has none of its kind)."""
    groups = []
    for entry in entries:
        is_model = entry.kind == PracticeKind.MODEL
        if not groups or groups[-1].is_models != is_model:
            groups.append(ListGroup(is_models=is_model))
        groups[-1].entries.append(entry)
    return groups


# ---------------------------------------------------------------------------------------------
# Entry page
# ---------------------------------------------------------------------------------------------


def practice_get_published(*, slug):
    """A published entry with everything its page shows; 404 for drafts, submitted and archived."""
    queryset = practice_published_qs().select_related("project", "project__lead", "applies_model").prefetch_related(
        Prefetch(
            "placements",
            queryset=Placement.objects.select_related("theme", "subtheme__theme", "period").order_by(
                "theme__code", "subtheme__position", "-period__starts_on", "id"
            ),
        ),
        Prefetch("keywords", queryset=Keyword.objects.filter(approved=True)),
        "links",
        Prefetch("attachments", queryset=PracticeAttachment.objects.filter(public=True), to_attr="public_attachments"),
        "translations",
        "project__translations",
        Prefetch(
            "applications",
            queryset=practice_published_qs()
            .select_related("project")
            .prefetch_related("translations", "project__translations")
            .order_by("title"),
            to_attr="published_applications",
        ),
    )
    try:
        practice = queryset.get(slug=slug)
    except Practice.DoesNotExist:
        raise Http404("No such entry") from None
    # The model a practice applies is shown only while it is itself published.
    model = practice.applies_model
    practice.published_model = model if model is not None and model.status == PUBLISHED else None
    return practice


# ---------------------------------------------------------------------------------------------
# Projects
# ---------------------------------------------------------------------------------------------


def project_published_qs():
    return Project.objects.published()


def project_list(*, scope="", theme_code=""):
    """Published projects by name (a list to paginate; see ``project_entry_counts`` for the counts)."""
    queryset = project_published_qs()
    if scope:
        queryset = queryset.filter(scope=scope)
    if theme_code:
        # A subquery keeps the theme join from repeating a project.
        queryset = queryset.filter(pk__in=Project.objects.filter(themes__code=theme_code).values("pk"))
    return (
        queryset.select_related("lead")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("code")), "translations")
        .order_by("name", "id")
    )


def project_entry_counts(projects):
    """Set ``entry_count`` (published entries) on each project of one page, in one query: counting
    for the page only, not for every project before the page is cut."""
    projects = list(projects)
    counts = dict(
        practice_published_qs()
        .filter(project__in=projects)
        .values_list("project")
        .annotate(n=Count("id"))
        .order_by()
    )
    for project in projects:
        project.entry_count = counts.get(project.pk, 0)
    return projects


def project_get_published(*, slug):
    queryset = project_published_qs().select_related("lead").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("code")), "translations"
    )
    try:
        return queryset.get(slug=slug)
    except Project.DoesNotExist:
        raise Http404("No such project") from None


def _entry_items(queryset):
    """Entries as list items show them: project and titles in the visitor's language preloaded."""
    return queryset.select_related("project").prefetch_related("translations", "project__translations")


def _kind_counts(entries):
    """{"models": n, "good_practices": n} of a queryset of entries, in one query."""
    return entries.aggregate(
        models=Count("id", filter=Q(kind=PracticeKind.MODEL)),
        good_practices=Count("id", filter=Q(kind=PracticeKind.GOOD_PRACTICE)),
    )


def project_counts(*, project):
    """{"models": n, "good_practices": n}: the project's published entries."""
    return _kind_counts(practice_published_qs().filter(project=project))


def project_entries(*, project, counts):
    """The project's published entries, models first, each kind by name (a list to paginate);
    ``counts`` from project_counts."""
    entries = practice_published_qs().filter(project=project)
    return ChainedLists(
        _entry_items(entries.filter(kind=PracticeKind.MODEL).order_by("title", "id")),
        _entry_items(entries.filter(kind=PracticeKind.GOOD_PRACTICE).order_by("title", "id")),
        counts=[counts["models"], counts["good_practices"]],
    )


# ---------------------------------------------------------------------------------------------
# Keywords
# ---------------------------------------------------------------------------------------------


def keyword_get(*, slug):
    try:
        return Keyword.objects.get(slug=slug, approved=True)
    except Keyword.DoesNotExist:
        raise Http404("No such keyword") from None


def keyword_entries(*, keyword):
    """Published entries with the keyword: models first, then good practices, each newest first
    (a list to paginate)."""
    newest_first = (F("published_at").desc(nulls_last=True), "-id")
    counts = cached_until_catalog_changes(f"keyword-kind-counts:{keyword.pk}", lambda: _keyword_counts(keyword))
    lists = []
    for kind, name in ((PracticeKind.MODEL, "models"), (PracticeKind.GOOD_PRACTICE, "good_practices")):
        entries = practice_published_qs().filter(kind=kind)
        if counts[name] * COMMON_KEYWORD_SHARE >= counts[f"all_{name}"]:
            # A keyword on a large share of the entries: read the entries in the list's order
            # (index practice_kind_newest_idx) and keep those with the keyword (one lookup in the
            # entry-keyword index each) until the page is full. A page at either end then reads
            # about 40 × COMMON_KEYWORD_SHARE entries; the join would sort every entry with the
            # keyword first (90,000 at 100,000 entries: 77 ms of SQLite's CPU per page).
            entries = entries.filter(
                Exists(Practice.keywords.through.objects.filter(practice_id=OuterRef("pk"), keyword_id=keyword.pk))
            )
        else:
            # A rarer keyword: a join, so the database may start from the keyword's few entries
            # and sort them (PostgreSQL does; SQLite without fresh statistics still reads the
            # entries in order, at most every entry of the kind: ~10 ms at 100,000 entries).
            entries = entries.filter(keywords=keyword)
        lists.append(_entry_items(entries.order_by(*newest_first)))
    return ChainedLists(*lists, counts=[counts["models"], counts["good_practices"]])


# A keyword on at least one in this many published entries of a kind counts as common there
# (keyword_entries): its list is read in order from the entries' side.
COMMON_KEYWORD_SHARE = 4


def _keyword_counts(keyword):
    """The keyword's published entries by kind, and all published entries by kind (for
    keyword_entries' choice of how to read the list); kept until the catalog changes."""
    counts = _kind_counts(practice_published_qs().filter(keywords=keyword))
    totals = _published_by_kind()
    counts["all_models"], counts["all_good_practices"] = totals["models"], totals["good_practices"]
    return counts


# --- adoption records ---------------------------------------------------------------------------
# An organisation counts once per model however many records name it (a second school of the same
# city, a later year): the figure is "organisations that adopted the model". Names are compared
# without regard to case; the services collapse their whitespace.


def adoption_counts(model_ids) -> dict[int, int]:
    """{model id: adopting organisations} for the given models, from approved records, in one query."""
    rows = (
        Adoption.objects.approved()
        .filter(model_id__in=list(model_ids))
        .values("model_id")
        .annotate(organisations=Count(Lower("organisation"), distinct=True))
    )
    return {row["model_id"]: row["organisations"] for row in rows}


def adoption_counts_by_region(model_ids) -> dict[int, dict[str, int]]:
    """{model id: {region code: adopting organisations}} from approved records, in one query."""
    rows = (
        Adoption.objects.approved()
        .filter(model_id__in=list(model_ids))
        .values("model_id", "region")
        .annotate(organisations=Count(Lower("organisation"), distinct=True))
        .order_by("model_id", "region")
    )
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["model_id"], {})[row["region"]] = row["organisations"]
    return counts


def adoption_figures_of_published_models() -> tuple[dict[int, int], dict[int, dict[str, int]]]:
    """(adoption_counts, adoption_counts_by_region) of every published model, in one query (the
    open data dumps): the distinct (model, region, organisation) triples, counted here."""
    triples = (
        Adoption.objects.approved()
        .annotate(name=Lower("organisation"))
        .values_list("model_id", "region", "name")
        .distinct()
    )
    organisations: dict[int, set] = {}
    by_region: dict[int, dict[str, set]] = {}
    for model_id, region, name in triples:
        organisations.setdefault(model_id, set()).add(name)
        by_region.setdefault(model_id, {}).setdefault(region, set()).add(name)
    return (
        {pk: len(names) for pk, names in organisations.items()},
        {pk: {code: len(names) for code, names in regions.items()} for pk, regions in by_region.items()},
    )


@dataclass
class AdoptionSummary:
    organisations: int
    records: list
    by_region: dict[str, int]

    @property
    def region_rows(self) -> list[dict]:
        """Every region with its count (the table beside the map), regions without adoptions too."""
        return [{"code": r.code, "name": r.name, "count": self.by_region.get(r.code, 0)} for r in places.regions()]

    def map(self) -> dict:
        return places.region_map(self.by_region)


def model_adoptions(*, model) -> AdoptionSummary:
    """The approved adoption records of a model for its page: the count, the records, the counts by region."""
    # One query: the page lists every approved record anyway, so the counts come from the same rows.
    records = list(Adoption.objects.approved().filter(model=model).order_by("-year", "organisation", "id"))
    by_region: dict[str, set] = {}
    for record in records:
        by_region.setdefault(record.region, set()).add(record.organisation.lower())
    return AdoptionSummary(
        organisations=len({record.organisation.lower() for record in records}),
        records=records,
        by_region={code: len(names) for code, names in by_region.items()},
    )


def most_adopted_models(*, model_ids, limit: int = 10) -> list[tuple[Practice, int]]:
    """(model, adopting organisations) for the published models among ``model_ids`` that have any,
    most adopted first (ties by title)."""
    counts = adoption_counts(model_ids)
    models = Practice.objects.published().filter(pk__in=[pk for pk, n in counts.items() if n]).in_bulk()
    ranked = sorted(models.values(), key=lambda m: (-counts[m.pk], m.title, m.pk))
    return [(model, counts[model.pk]) for model in ranked[:limit]]
