"""Reads for the public catalog. Every queryset here is published-only and has its relations
loaded, so a page costs a fixed number of queries however many entries it lists."""

import math
from collections import OrderedDict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from .models import (
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
    return Practice.objects.filter(status=PUBLISHED)


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


def theme_list_with_counts():
    """The themes with the number of distinct published models and good practices placed in them."""
    published = Q(placements__practice__status=PUBLISHED)
    return Theme.objects.annotate(
        model_count=Count(
            "placements__practice",
            filter=published & Q(placements__practice__kind=PracticeKind.MODEL),
            distinct=True,
        ),
        good_practice_count=Count(
            "placements__practice",
            filter=published & Q(placements__practice__kind=PracticeKind.GOOD_PRACTICE),
            distinct=True,
        ),
        entry_count=Count("placements__practice", filter=published, distinct=True),
    ).order_by("code")


def catalog_totals():
    """Distinct published entries by kind, and the published projects."""
    counts = practice_published_qs().aggregate(
        models=Count("id", filter=Q(kind=PracticeKind.MODEL)),
        good_practices=Count("id", filter=Q(kind=PracticeKind.GOOD_PRACTICE)),
        entries=Count("id"),
    )
    counts["projects"] = Project.objects.filter(status=PUBLISHED).count()
    return counts


@dataclass
class CloudKeyword:
    keyword: Keyword
    count: int
    weight: int  # 1..5, drives the font size


def keyword_cloud(*, limit=60):
    """Approved keywords of published entries with their counts; weight grows with the log of the count."""
    keywords = list(
        Keyword.objects.filter(approved=True)
        .annotate(entry_count=Count("practices", filter=Q(practices__status=PUBLISHED), distinct=True))
        .filter(entry_count__gt=0)
        .order_by("-entry_count", "name")[:limit]
    )
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


# ---------------------------------------------------------------------------------------------
# Theme and subtheme pages
# ---------------------------------------------------------------------------------------------


@dataclass
class PeriodGroup:
    period: Period | None
    entries: list = field(default_factory=list)


@dataclass
class SubthemeSection:
    subtheme: Subtheme | None
    models: list = field(default_factory=list)
    period_groups: list = field(default_factory=list)

    @property
    def good_practice_count(self):
        return len({p.pk for group in self.period_groups for p in group.entries})

    @property
    def model_count(self):
        return len(self.models)


def _sections_from_placements(placements, subthemes):
    """Group placements into subtheme sections: models first (once each), then good practices by
    period, newest period first; entries without a period come last."""
    sections = OrderedDict((s.pk, SubthemeSection(subtheme=s)) for s in subthemes)
    groups: dict = {}
    for placement in placements:
        key = placement.subtheme_id
        if key not in sections:
            sections[key] = SubthemeSection(subtheme=placement.subtheme)
        section = sections[key]
        practice = placement.practice
        if practice.kind == PracticeKind.MODEL:
            if all(m.pk != practice.pk for m in section.models):
                section.models.append(practice)
            continue
        group = groups.get((key, placement.period_id))
        if group is None:
            group = groups[(key, placement.period_id)] = PeriodGroup(period=placement.period)
            section.period_groups.append(group)
        if all(p.pk != practice.pk for p in group.entries):
            group.entries.append(practice)
    for section in sections.values():
        section.period_groups.sort(
            key=lambda g: (g.period is None, -(g.period.starts_on.toordinal()) if g.period else 0)
        )
    _attach_evaluation_status([m for section in sections.values() for m in section.models])
    return list(sections.values())


def _attach_evaluation_status(models):
    """Set ``evaluation`` on each model so listings can show its evaluation status (3 queries at most,
    whatever the number of models). Good practices are not evaluated."""
    from methodbank.evaluation.selectors import evaluation_status_for

    if not models:
        return
    statuses = evaluation_status_for(models)
    for model in models:
        model.evaluation = statuses.get(model.pk)


def theme_get(*, slug):
    try:
        return Theme.objects.get(slug=slug)
    except Theme.DoesNotExist:
        raise Http404("No such theme") from None


def theme_sections(*, theme):
    """Subtheme sections of a theme with their published entries (3 queries)."""
    subthemes = list(Subtheme.objects.filter(theme=theme).select_related("theme").order_by("position", "name"))
    placements = _published_placements_qs().filter(theme=theme)
    return _sections_from_placements(placements, subthemes)


def subtheme_get(*, theme_slug, slug):
    try:
        return Subtheme.objects.select_related("theme").get(theme__slug=theme_slug, slug=slug)
    except Subtheme.DoesNotExist:
        raise Http404("No such subtheme") from None


def subtheme_section(*, subtheme):
    placements = _published_placements_qs().filter(subtheme=subtheme)
    return _sections_from_placements(placements, [subtheme])[0]


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
    return Project.objects.filter(status=PUBLISHED)


def project_list(*, scope="", theme_code=""):
    """Published projects with lead, themes and the number of published entries."""
    queryset = project_published_qs()
    if scope:
        queryset = queryset.filter(scope=scope)
    if theme_code:
        # A subquery keeps the theme join from multiplying the entry count.
        queryset = queryset.filter(pk__in=Project.objects.filter(themes__code=theme_code).values("pk"))
    return (
        queryset.select_related("lead")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("code")), "translations")
        .annotate(entry_count=Count("practices", filter=Q(practices__status=PUBLISHED), distinct=True))
        .order_by("name")
    )


def project_get_published(*, slug):
    queryset = project_published_qs().select_related("lead").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("code")),
        "translations",
        Prefetch(
            "practices",
            queryset=practice_published_qs().prefetch_related("translations").order_by("-kind", "title"),
            to_attr="published_practices",
        ),
    )
    try:
        return queryset.get(slug=slug)
    except Project.DoesNotExist:
        raise Http404("No such project") from None


def project_entries_by_kind(*, project):
    entries = project.published_practices
    return (
        [p for p in entries if p.kind == PracticeKind.MODEL],
        [p for p in entries if p.kind == PracticeKind.GOOD_PRACTICE],
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
    return (
        practice_published_qs()
        .filter(keywords=keyword)
        .select_related("project")
        .prefetch_related("translations", "project__translations")
        .order_by("-kind", "title")
    )
