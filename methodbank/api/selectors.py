"""Reads for the API: published-only querysets with their relations loaded, facet filters that
match the site's, and the dicts the endpoints return (shaped by ``schemas``).

Ordering is always stable: by id, or by search relevance with id as the tie-breaker.
"""

import hashlib
import json

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from methodbank.catalog import places
from methodbank.catalog import selectors as catalog_selectors
from methodbank.catalog.models import (
    Adoption,
    AdoptionStatus,
    Keyword,
    Organisation,
    Period,
    Placement,
    Practice,
    PracticeLink,
    PracticeTranslation,
    Project,
    PublicationStatus,
    Subtheme,
    Theme,
    missing_sections,
)
from methodbank.catalog.provenance import practice_source_report
from methodbank.core.cache import cached_until_catalog_changes
from methodbank.evaluation.selectors import evaluation_status_for, practices_with_evaluation_status
from methodbank.search import selectors as search_selectors
from methodbank.search.models import FACET_CATEGORIES, Concept, ConceptCategory, FacetAssignment, FacetStatus

from . import search_adapter
from .pagination import id_page, in_order
from .problems import invalid_parameter

PUBLISHED = PublicationStatus.PUBLISHED


def site_url(name, **kwargs) -> str:
    # Addresses use the default language, so the API's answer does not depend on Accept-Language.
    with translation.override(settings.LANGUAGE_CODE):
        try:
            path = reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            return ""
    return settings.SITE_URL.rstrip("/") + path


# --------------------------------------------------------------------------------------------
# Entries
# --------------------------------------------------------------------------------------------


def entry_queryset(queryset=None):
    """Published entries (or those of ``queryset``, e.g. entry_filter's) with what entry_to_dict reads.
    Each relation as a list (``to_attr``): a prefetch into the related manager clones a queryset per
    entry and relation, a fifth of the CPU of rendering 100 entries (api/entry_json.py)."""
    return (
        (Practice.objects.published() if queryset is None else queryset)
        .select_related("project", "applies_model")
        .prefetch_related(
            Prefetch(
                "placements",
                queryset=Placement.objects.select_related("theme", "subtheme", "period").order_by(
                    "theme__code", "subtheme__position", "-period__starts_on", "id"
                ),
                to_attr="api_placements",
            ),
            Prefetch(
                "keywords", queryset=Keyword.objects.filter(approved=True).order_by("name"), to_attr="api_keywords"
            ),
            Prefetch("links", queryset=PracticeLink.objects.all(), to_attr="api_links"),
            Prefetch("translations", queryset=PracticeTranslation.objects.all(), to_attr="api_translations"),
            Prefetch(
                "applications",
                queryset=Practice.objects.published().order_by("id"),
                to_attr="published_applications",
            ),
            Prefetch(
                "facet_assignments",
                queryset=FacetAssignment.objects.filter(
                    status=FacetStatus.CONFIRMED, concept__facet_value=True, concept__category__in=FACET_CATEGORIES
                ).select_related("concept").order_by("concept__identifier"),
                to_attr="confirmed_facets",
            ),
        )
    )


def entry_summary_queryset(queryset):
    """``queryset`` with what entry_summary_to_dict reads, and not the template's texts."""
    return (
        queryset.select_related("project")
        .only(
            "id", "slug", "title", "kind", "summary", "language", "published_at", "updated_at",
            "project__id", "project__slug", "project__name", "project__short_name", "project__status",
        )
        .prefetch_related(
            Prefetch("placements", queryset=Placement.objects.select_related("theme").only(
                "practice_id", "theme__code"
            ).order_by("theme__code"))
        )
    )


def _resolve_theme(code):
    theme = Theme.objects.filter(code__iexact=code).first()
    if theme is None:
        codes = ", ".join(Theme.objects.order_by("code").values_list("code", flat=True))
        raise invalid_parameter("theme", f"no theme with code '{code}' (themes: {codes}).")
    return theme


# The browse facets' API parameters and the entry fields they fill, by vocabulary category.
FACET_PARAMS = {
    "target": (ConceptCategory.TARGET_GROUP, "target_groups"),
    "level": (ConceptCategory.EDUCATION, "education_levels"),
    "stage": (ConceptCategory.TRANSITION, "transition_stages"),
}


def entry_filter(
    *, kind=None, theme=None, subtheme=None, period=None, project=None, keyword=None, evaluation=None,
    target=None, level=None, stage=None,
):
    """Published entries matching the site's facets. Theme, subtheme and period must hold for the
    same placement ("listed under A / subtheme in period"). An unknown facet value is a 400 that
    names the parameter, so a typo does not look like an empty result."""
    queryset = Practice.objects.published()
    if kind:
        queryset = queryset.filter(kind=kind)
    placement = Q()
    if theme:
        placement &= Q(theme=_resolve_theme(theme))
    if subtheme:
        subthemes = Subtheme.objects.filter(slug=subtheme)
        if theme:
            subthemes = subthemes.filter(theme__code__iexact=theme)
        if not subthemes.exists():
            raise invalid_parameter(
                "subtheme",
                f"no subtheme with slug '{subtheme}'" + (f" under theme '{theme}'." if theme else "."),
            )
        placement &= Q(subtheme__in=subthemes)
    if period:
        found = Period.objects.filter(code=period).first()
        if found is None:
            codes = ", ".join(Period.objects.order_by("starts_on").values_list("code", flat=True))
            raise invalid_parameter("period", f"no period with code '{period}' (periods: {codes}).")
        placement &= Q(period=found)
    if placement:
        # EXISTS per entry, not pk IN (...): a placement filter keeps a large share of the catalog
        # (a theme a quarter), so a page in id order finds its rows after a few hundred entries,
        # where SQLite first listed the theme's 25,000 ids (112 ms at 100,000 entries, every page).
        queryset = queryset.filter(Exists(Placement.objects.filter(placement, practice=OuterRef("pk"))))
    if project:
        found = Project.objects.published().filter(slug=project).first()
        if found is None:
            raise invalid_parameter("project", f"no published project with slug '{project}'.")
        queryset = queryset.filter(project=found)
    if keyword:
        found = Keyword.objects.filter(slug=keyword, approved=True).first()
        if found is None:
            raise invalid_parameter("keyword", f"no keyword with slug '{keyword}'.")
        queryset = queryset.filter(keywords=found)
    for param, value in (("target", target), ("level", level), ("stage", stage)):
        if value:
            category = FACET_PARAMS[param][0]
            found = Concept.objects.filter(identifier=value, facet_value=True, category=category).first()
            if found is None:
                raise invalid_parameter(
                    param, f"no value of this facet with identifier '{value}' (see /api/v1/facet-values?facet={param})."
                )
            queryset = queryset.filter(
                pk__in=FacetAssignment.objects.filter(concept=found, status=FacetStatus.CONFIRMED).values("practice_id")
            )
    if evaluation:

        # Only models are evaluated; the status is computed in SQL like the search facet's.
        queryset = practices_with_evaluation_status(queryset.filter(kind="model")).filter(
            evaluation_status=evaluation
        )
    return queryset


def entry_page(*, filters, limit, offset=0, after=None, before=None, q=None, language="fi", summary=False):
    """(count, entries on the page, max updated_at, IdPage or None) for the filtered, ordered list.
    Without ``q`` the page is read by id (pagination.id_page); with it, by offset in relevance order.
    ``summary``: the entries with what entry_summary_to_dict reads; otherwise their ids only (the
    whole entries are kept as JSON: api/entry_json.py)."""
    queryset = entry_filter(**filters)
    load = entry_summary_queryset if summary else _ids_only
    if q:
        within = queryset if any(filters.values()) else None  # only published entries: all are ranked
        ranked_ids = search_adapter.practice_ids_by_relevance(q, language=language, within=within)
        allowed = set(queryset.filter(pk__in=ranked_ids).values_list("pk", flat=True))
        ids = [pk for pk in ranked_ids if pk in allowed]
        page_ids = ids[offset : offset + limit]
        entries = in_order(load(Practice.objects.published()).filter(pk__in=page_ids), page_ids)
        last_modified = Practice.objects.filter(pk__in=ids).aggregate(m=Max("updated_at"))["m"]
        return len(ids), entries, last_modified, None
    stats = _entry_list_stats(queryset, filters)
    # The filters on the loading query itself: as ``pk IN (filtered ids)`` SQLite listed every
    # published id before reading the page (54 ms at 100,000 entries, every page).
    page = id_page(queryset, load=load(queryset), limit=limit, offset=offset, after=after, before=before)
    return stats["count"], page.items, stats["last_modified"], page


def _ids_only(queryset):
    return queryset.only("pk")


def _entry_list_stats(queryset, filters) -> dict:
    """The count and the latest change of the entries a filter selects, kept until the catalog
    changes (core.cache: every write to the catalog, search or evaluation retires it, so the
    Last-Modified stays exact). Counting read every matching entry on every page: 30-80 ms of
    SQLite at 100,000 entries, more than the page itself."""
    selection = json.dumps(sorted((k, v) for k, v in filters.items() if v), ensure_ascii=False)
    key = "api-entry-list:" + hashlib.sha256(selection.encode()).hexdigest()[:32]
    return cached_until_catalog_changes(
        key,
        lambda: queryset.aggregate(count=Count("pk"), last_modified=Max("updated_at")),
        timeout=STATS_SECONDS,
    )


# Kept per selection: a change retires them at once, the timeout only keeps the unused ones from
# piling up in the cache.
STATS_SECONDS = 3600


def entry_summary_to_dict(practice, detail_base: str) -> dict:
    return {
        **entry_ref(practice),
        "summary": practice.summary,
        "project": _project_ref(practice.project),
        "themes": list(dict.fromkeys(p.theme.code for p in practice.placements.all())),
        "language": practice.language,
        "url": site_url("catalog:practice", slug=practice.slug),
        "detail": f"{detail_base}/{practice.pk}",
        "published_at": practice.published_at,
        "updated_at": practice.updated_at,
    }


def _project_ref(project):
    if project is None or project.status != PUBLISHED:
        return None
    return {"id": project.pk, "slug": project.slug, "name": project.name, "short_name": project.short_name}


def entry_ref(practice):
    return {"id": practice.pk, "slug": practice.slug, "title": practice.title, "kind": practice.kind}


def _theme_ref(theme):
    return {"code": theme.code, "name": theme.name, "names": theme.names()}


def evaluation_to_dict(info) -> dict | None:
    """The public evaluation outcome of a model (None for good practices, which are not evaluated)."""
    if info is None:
        return None
    return {
        "status": info.status,
        "label": str(info.label),
        "date": info.date,
        "evaluated_version": info.evaluated_version,
        "rationale": info.recommendation.rationale if info.recommendation else "",
        "concerns_earlier_version": info.is_outdated,
    }


def entry_evaluations(entries) -> dict:
    """{pk: evaluation dict} for the models among entries, in at most three queries."""

    models = [e for e in entries if e.kind == "model"]
    if not models:
        return {}
    return {pk: evaluation_to_dict(info) for pk, info in evaluation_status_for(models).items()}


def entry_adoptions_by_entry(entries) -> tuple[dict, dict]:
    """({pk: adoptions dict}, {pk: when its adoption records last changed}) for the models among
    entries, in one query. The time is part of the entry's Last-Modified: an approval or a withdrawal
    changes what the API says about a model without touching the model."""
    model_ids = [e.pk for e in entries if e.kind == "model"]
    if not model_ids:
        return {}, {}
    organisations: dict[int, set] = {pk: set() for pk in model_ids}
    by_region: dict[int, dict[str, set]] = {pk: {} for pk in model_ids}
    changed: dict[int, object] = {}
    rows = Adoption.objects.filter(model_id__in=model_ids).values_list("model_id", "region", "organisation",
                                                                       "status", "updated_at")
    for model_id, region, organisation, status, updated_at in rows:
        changed[model_id] = max(changed.get(model_id, updated_at), updated_at)
        if status == AdoptionStatus.APPROVED:
            # Counted as catalog.selectors.adoption_counts does: an organisation once, whatever its case.
            organisations[model_id].add(organisation.lower())
            by_region[model_id].setdefault(region, set()).add(organisation.lower())
    adoptions = {
        pk: {
            "organisations": len(organisations[pk]),
            "regions": [
                {"code": code, "name": places.region(code).name, "names": places.region(code).names(),
                 "count": len(names)}
                for code, names in sorted(by_region[pk].items())
            ],
        }
        for pk in model_ids
    }
    return adoptions, changed


def entry_to_dict(practice, evaluation=None, adoptions=None) -> dict:
    model = practice.applies_model
    return {
        **entry_ref(practice),
        "summary": practice.summary,
        "project": _project_ref(practice.project),
        "placements": [
            {
                "theme": _theme_ref(p.theme),
                "subtheme": {
                    "id": p.subtheme.pk,
                    "slug": p.subtheme.slug,
                    "name": p.subtheme.name,
                    "names": p.subtheme.names(),
                }
                if p.subtheme
                else None,
                "period": {"code": p.period.code, "name": p.period.name, "names": p.period.names()}
                if p.period
                else None,
            }
            for p in practice.api_placements
        ],
        "template": {name: getattr(practice, name) for name, _heading in Practice.TEMPLATE_FIELDS},
        "missing_sections": [
            name for name, _h in missing_sections(practice.template_texts(), has_links=bool(practice.api_links))
        ],
        "keywords": [{"slug": k.slug, "name": k.name} for k in practice.api_keywords],
        **{
            field: [facet_value_ref(a.concept) for a in practice.confirmed_facets if a.concept.category == category]
            for category, field in FACET_PARAMS.values()
        },
        "links": [{"url": link.url, "title": link.title} for link in practice.api_links],
        "applies_model": entry_ref(model) if model is not None and model.status == PUBLISHED else None,
        "applications": [entry_ref(p) for p in practice.published_applications],
        "language": practice.language,
        "translations": [
            {
                "language": t.language,
                "title": t.title,
                "summary": t.summary,
                "template": {name: getattr(t, name) for name, _heading in Practice.TEMPLATE_FIELDS},
            }
            for t in practice.api_translations
            if t.language != practice.language
        ],
        "source": practice.source,
        "source_report": _source_report(practice),
        "url": site_url("catalog:practice", slug=practice.slug),
        "published_at": practice.published_at,
        "updated_at": practice.updated_at,
        "evaluation": evaluation,
        "adoptions": adoptions,
    }


def _source_report(practice) -> dict | None:
    report = practice_source_report(practice)
    if report is None:
        return None
    return {
        "key": report.key,
        "name": str(report.name),
        "published": report.published_iso,
        "original_site": report.original_site,
        "original_site_closed": report.original_site_closed,
    }


# --------------------------------------------------------------------------------------------
# Projects and organisations
# --------------------------------------------------------------------------------------------


def project_queryset(queryset=None):
    return (
        (Project.objects.published() if queryset is None else queryset)
        .select_related("lead")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("code")), "translations")
    )


def project_page(*, scope=None, theme=None, limit, offset=0, after=None, before=None):
    queryset = Project.objects.published()
    if scope:
        queryset = queryset.filter(scope=scope)
    if theme:
        queryset = queryset.filter(pk__in=Project.objects.filter(themes=_resolve_theme(theme)).values("pk"))
    stats = queryset.aggregate(count=Count("pk"), last_modified=Max("updated_at"))
    page = id_page(queryset, load=project_queryset(queryset), limit=limit, offset=offset, after=after, before=before)
    projects = page.items
    # Counted for the page only (annotating the queryset grouped every published project's entries
    # before taking the page: 1.3 s at 100,000 entries).
    return stats["count"], catalog_selectors.project_entry_counts(projects), stats["last_modified"], page


def project_get(*, pk):
    project = project_queryset().filter(pk=pk).first()
    if project is None:
        raise Http404(f"No published project with id {pk}.")
    return catalog_selectors.project_entry_counts([project])[0]


def _organisation_ref(organisation):
    if organisation is None:
        return None
    return {"id": organisation.pk, "slug": organisation.slug, "name": organisation.name}


def project_to_dict(project) -> dict:
    return {
        **_project_ref(project),
        "aliases": [str(alias) for alias in (project.aliases or [])],
        "lead": _organisation_ref(project.lead),
        "ends_on": f"{project.ends_on:%Y-%m}" if project.ends_on else None,
        "scope": project.scope,
        "themes": [_theme_ref(t) for t in project.themes.all()],
        "description": project.description,
        "funding_programme": project.funding_programme,
        "entry_count": project.entry_count,
        "translations": [
            {"language": t.language, "name": t.name, "description": t.description}
            for t in project.translations.all()
            if t.language != project.language
        ],
        "url": site_url("catalog:project", slug=project.slug),
        "published_at": project.published_at,
        "updated_at": project.updated_at,
    }


def organisation_queryset():
    """Organisations that lead at least one published project (others are not public yet)."""
    return Organisation.objects.annotate(
        project_count=Count("led_projects", filter=Q(led_projects__status=PUBLISHED), distinct=True)
    ).filter(project_count__gt=0)


def organisation_page(*, limit, offset=0, after=None, before=None):
    queryset = organisation_queryset()
    count = queryset.count()
    last_modified = Organisation.objects.filter(pk__in=queryset.values("pk")).aggregate(m=Max("updated_at"))[
        "m"
    ]
    page = id_page(queryset, limit=limit, offset=offset, after=after, before=before)
    return count, page.items, last_modified, page


def organisation_get(*, pk):
    organisation = organisation_queryset().filter(pk=pk).first()
    if organisation is None:
        raise Http404(f"No organisation with id {pk} leads a published project.")
    return organisation


def organisation_to_dict(organisation) -> dict:
    return {
        **_organisation_ref(organisation),
        "project_count": organisation.project_count,
        "updated_at": organisation.updated_at,
    }


# --------------------------------------------------------------------------------------------
# Themes, subthemes, periods, keywords
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Browse facets (target group, education level, transition stage)
# --------------------------------------------------------------------------------------------


def facet_value_ref(concept) -> dict:
    return {
        "identifier": concept.identifier,
        "names": {
            "fi": concept.pref_label_fi,
            "sv": concept.pref_label_sv or concept.pref_label_fi,
            "en": concept.pref_label_en or concept.pref_label_fi,
        },
    }


def facet_value_list(*, facet=None):
    """The browse values (of one facet parameter) with their published entry counts."""
    concepts = Concept.objects.filter(facet_value=True, category__in=FACET_CATEGORIES)
    if facet:
        concepts = concepts.filter(category=FACET_PARAMS[facet][0])
    counts = search_selectors.facet_value_counts()
    concepts = list(concepts.order_by("id"))
    for concept in concepts:
        concept.entry_count = counts.get(concept.pk, 0)
    return concepts


def facet_value_to_dict(concept) -> dict:
    param = next(p for p, (category, _field) in FACET_PARAMS.items() if category == concept.category)
    return {
        **facet_value_ref(concept),
        "facet": param,
        "entry_count": concept.entry_count,
        "url": site_url("search:browse_facet", identifier=concept.identifier),
    }


# --------------------------------------------------------------------------------------------
# Themes, subthemes, periods, keywords
# --------------------------------------------------------------------------------------------


def theme_list():
    # The whole catalog's counts per theme, cached with the front page's (by code; codes are unique).
    return catalog_selectors.themes_with_counts()


def theme_get(*, pk):
    themes = catalog_selectors.theme_list_with_counts(themes=Theme.objects.filter(pk=pk))
    theme = themes[0] if themes else None
    if theme is None:
        raise Http404(f"No theme with id {pk}.")
    return theme


def theme_to_dict(theme) -> dict:
    return {
        "id": theme.pk,
        "code": theme.code,
        "slug": theme.slug,
        "name": theme.name,
        "names": theme.names(),
        "description": theme.description,
        "model_count": theme.model_count,
        "good_practice_count": theme.good_practice_count,
        "url": site_url("catalog:theme", slug=theme.slug),
    }


def subtheme_page(*, theme=None, limit, offset=0, after=None, before=None):
    queryset = Subtheme.objects.select_related("theme")
    if theme:
        queryset = queryset.filter(theme=_resolve_theme(theme))
    page = id_page(queryset, limit=limit, offset=offset, after=after, before=before)
    return queryset.count(), page.items, page


def subtheme_get(*, pk):
    subtheme = Subtheme.objects.select_related("theme").filter(pk=pk).first()
    if subtheme is None:
        raise Http404(f"No subtheme with id {pk}.")
    return subtheme


def subtheme_to_dict(subtheme) -> dict:
    return {
        "id": subtheme.pk,
        "theme": _theme_ref(subtheme.theme),
        "slug": subtheme.slug,
        "name": subtheme.name,
        "names": subtheme.names(),
        "description": subtheme.description,
        "position": subtheme.position,
        "url": site_url("catalog:subtheme", theme=subtheme.theme.slug, slug=subtheme.slug),
    }


def period_list():
    return list(Period.objects.order_by("id"))


def period_get(*, pk):
    period = Period.objects.filter(pk=pk).first()
    if period is None:
        raise Http404(f"No period with id {pk}.")
    return period


def period_to_dict(period) -> dict:
    return {
        "id": period.pk,
        "code": period.code,
        "name": period.name,
        "names": period.names(),
        "starts_on": period.starts_on,
        "ends_on": period.ends_on,
    }


def _with_keyword_counts(keywords: list) -> list:
    # Counted once per catalog version for every keyword (annotating each page joined every
    # entry-keyword row to its entry: 3.5 s at 100,000 entries).
    counts = catalog_selectors.keyword_entry_counts()
    for keyword in keywords:
        keyword.entry_count = max(counts.get(keyword.pk, 0), 0)
    return keywords


def keyword_page(*, limit, offset=0, after=None, before=None):
    queryset = Keyword.objects.filter(approved=True)
    page = id_page(queryset, limit=limit, offset=offset, after=after, before=before)
    return queryset.count(), _with_keyword_counts(page.items), page


def keyword_get(*, pk):
    keyword = Keyword.objects.filter(approved=True, pk=pk).first()
    if keyword is None:
        raise Http404(f"No keyword with id {pk}.")
    return _with_keyword_counts([keyword])[0]


def keyword_to_dict(keyword) -> dict:
    return {
        "id": keyword.pk,
        "slug": keyword.slug,
        "name": keyword.name,
        "entry_count": keyword.entry_count,
        "url": site_url("catalog:keyword", slug=keyword.slug),
    }


# --------------------------------------------------------------------------------------------
# API tokens
# --------------------------------------------------------------------------------------------


def api_token_list(*, user):
    """The user's own tokens only: the token page never shows or touches anyone else's."""
    from .models import ApiToken

    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


# --------------------------------------------------------------------------------------------
# What's new since a published report (computed by reports, reached through catalog.extensions)
# --------------------------------------------------------------------------------------------


def _report_entry_to_dict(entry: dict) -> dict:
    return {key: entry.get(key) or "" for key in ("title", "kind", "language", "project", "url")} | {"id": entry["id"]}


def report_changes_to_dict(found: dict) -> dict:
    comparison = found["comparison"]
    return {
        "report": found["report"],
        "counts": {
            "added": len(comparison.new),
            "changed": len(comparison.changed),
            "removed": len(comparison.removed),
        },
        "added": [_report_entry_to_dict(change.entry) for change in comparison.new],
        "changed": [
            {
                **_report_entry_to_dict(change.entry),
                "fields": [{"key": field["key"], "label": str(field["label"])} for field in change.fields],
            }
            for change in comparison.changed
        ],
        "removed": [_report_entry_to_dict(change.entry) for change in comparison.removed],
    }
