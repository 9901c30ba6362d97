"""Read endpoints (v1): everything published, public, rate-limited for anonymous clients.

Every list has stable ordering (id, or relevance then id for ``q``) and limit/offset pagination
with count and next/previous links. Every 200 carries an ETag (a hash of the body) and, where the
data has timestamps, Last-Modified; a matching If-None-Match / If-Modified-Since gives 304.
"""

from django.http import Http404, HttpResponse
from django.utils.http import http_date
from ninja import Path, Query, Router
from ninja.decorators import decorate_view

from methodbank.catalog import extensions
from methodbank.core.cache import cached_until_catalog_changes
from methodbank.core.shared_figures import catalog_changed_at

from . import entry_json, search_adapter, selectors
from .conditional import conditional_get
from .pagination import MAX_ID, check_cursor, id_page_envelope, page_envelope
from .schemas import (
    EntryFilters,
    EntryOut,
    EntryPage,
    FacetValueFilters,
    FacetValueOut,
    KeywordOut,
    KeywordPage,
    OrganisationOut,
    OrganisationPage,
    PageParams,
    PeriodOut,
    Problem,
    ProjectFilters,
    ProjectOut,
    ProjectPage,
    ReportChangesOut,
    SubthemeFilters,
    SubthemeOut,
    SubthemePage,
    ThemeOut,
)

router = Router(tags=["Catalog (read)"])

PUBLIC = (
    "\n\n**Permission:** public, no token needed. Only published content is returned. "
    "Anonymous clients are rate-limited (429 with Retry-After)."
)
LIST_ERRORS = {400: Problem, 429: Problem}
DETAIL_ERRORS = {400: Problem, 404: Problem, 429: Problem}


def _id_param(what):
    return Path(..., ge=1, le=MAX_ID, description=f"Id of the {what}.")


def _paging(params) -> dict:
    return {"limit": params.limit, "offset": params.offset, "after": params.after, "before": params.before}


def _id_envelope(request, params, count, items, page):
    return id_page_envelope(
        request, count=count, items=items, page=page, limit=params.limit, offset=params.offset,
        after=params.after,
    )


def _last_modified(response, *timestamps):
    stamps = [t for t in timestamps if t is not None]
    if stamps:
        response["Last-Modified"] = http_date(max(stamps).timestamp())


def _list_last_modified(response, *timestamps):
    """A list's Last-Modified: its entries' latest change, and no earlier than the catalog's last
    change. Withdrawing or deleting an entry changes the list without leaving a newer entry in it,
    and If-Modified-Since would have answered 304 to a client that must drop it. Read once per catalog
    version: a page of a kept count is its rows only."""
    _last_modified(response, *timestamps, cached_until_catalog_changes("catalog-changed-at", catalog_changed_at))


# --------------------------------------------------------------------------------------------
# Entries
# --------------------------------------------------------------------------------------------


@router.get(
    "/entries",
    response={200: EntryPage, 304: None, **LIST_ERRORS},
    operation_id="entry_list",
    summary="List models and good practices",
    description="Published models and good practices, filtered like the site's facets. Without `q` the "
    "order is by id; with `q` by relevance, then id." + PUBLIC,
)
@decorate_view(conditional_get)
def entry_list(request, response: HttpResponse, filters: Query[EntryFilters]):
    check_cursor(after=filters.after, before=filters.before, offset=filters.offset, q=filters.q)
    facets = filters.model_dump(exclude={"limit", "offset", "after", "before", "q", "lang", "view"})
    summary = filters.view == "summary"
    count, entries, last_modified, page = selectors.entry_page(
        filters=facets, q=filters.q, language=filters.lang, summary=summary, **_paging(filters)
    )
    if summary:
        # A summary says nothing of adoptions or evaluations: the filtered entries' latest change
        # is its Last-Modified.
        _list_last_modified(response, last_modified)
        detail_base = request.build_absolute_uri(request.path.rstrip("/"))
        items = [selectors.entry_summary_to_dict(entry, detail_base) for entry in entries]
    else:
        # Whole entries are kept as JSON until the catalog changes (entry_json): the page is their
        # texts in an envelope, not 100 entries loaded, validated and written again.
        items = []
        kept = entry_json.entries_json([entry.pk for entry in entries])
        _list_last_modified(response, last_modified, *(entry.adoptions_changed for entry in kept))
    if page is None:  # relevance order
        envelope = page_envelope(request, count=count, items=items, limit=filters.limit, offset=filters.offset)
    else:
        envelope = _id_envelope(request, filters, count, items, page)
    if filters.q:
        suggestion, others = search_adapter.suggestions(filters.q, count, language=filters.lang)
        envelope.update(did_you_mean=suggestion or None, other_searches=others)
    if summary:
        return envelope
    return _json_response(response, entry_json.page_text(EntryPage, envelope, [entry.text for entry in kept]))


def _json_response(response: HttpResponse, text: str) -> HttpResponse:
    """``response`` (ninja's, with the headers the view set) with JSON written by entry_json, which
    has been through the schema already: returned as it is, ninja neither validates nor renders it."""
    response.content = text
    return response


@router.get(
    "/entries/{id}",
    response={200: EntryOut, 304: None, **DETAIL_ERRORS},
    operation_id="entry_detail",
    summary="One model or good practice",
    description="A published entry with its placements, template sections, keywords, links, the model "
    "it applies and the practices that apply it." + PUBLIC,
)
@decorate_view(conditional_get)
def entry_detail(request, response: HttpResponse, id: int = _id_param("entry")):
    # The entry kept as the list keeps it: none kept means none published in this catalog version.
    kept = entry_json.entries_json([id])
    if not kept:
        raise Http404(f"No published entry with id {id}.")
    _last_modified(response, kept[0].updated_at, kept[0].adoptions_changed)
    return _json_response(response, kept[0].text)


# --------------------------------------------------------------------------------------------
# Projects and organisations
# --------------------------------------------------------------------------------------------


@router.get(
    "/projects",
    response={200: ProjectPage, 304: None, **LIST_ERRORS},
    operation_id="project_list",
    summary="List projects",
    description="Published projects (hankkeet), ordered by id, filtered like the site's project index."
    + PUBLIC,
)
@decorate_view(conditional_get)
def project_list(request, response: HttpResponse, filters: Query[ProjectFilters]):
    check_cursor(after=filters.after, before=filters.before, offset=filters.offset)
    count, projects, last_modified, page = selectors.project_page(
        scope=filters.scope, theme=filters.theme, **_paging(filters)
    )
    _list_last_modified(response, last_modified)
    items = [selectors.project_to_dict(project) for project in projects]
    return _id_envelope(request, filters, count, items, page)


@router.get(
    "/projects/{id}",
    response={200: ProjectOut, 304: None, **DETAIL_ERRORS},
    operation_id="project_detail",
    summary="One project",
    description="A published project with its lead implementer, end month, scope and themes. Its entries: "
    "`/api/v1/entries?project=<slug>`." + PUBLIC,
)
@decorate_view(conditional_get)
def project_detail(request, response: HttpResponse, id: int = _id_param("project")):
    project = selectors.project_get(pk=id)
    _last_modified(response, project.updated_at)
    return selectors.project_to_dict(project)


@router.get(
    "/organisations",
    response={200: OrganisationPage, 304: None, **LIST_ERRORS},
    operation_id="organisation_list",
    summary="List organisations",
    description="Organisations that lead at least one published project, ordered by id." + PUBLIC,
)
@decorate_view(conditional_get)
def organisation_list(request, response: HttpResponse, page: Query[PageParams]):
    check_cursor(after=page.after, before=page.before, offset=page.offset)
    count, organisations, last_modified, ids = selectors.organisation_page(**_paging(page))
    _list_last_modified(response, last_modified)
    items = [selectors.organisation_to_dict(o) for o in organisations]
    return _id_envelope(request, page, count, items, ids)


@router.get(
    "/organisations/{id}",
    response={200: OrganisationOut, 304: None, **DETAIL_ERRORS},
    operation_id="organisation_detail",
    summary="One organisation",
    description="An organisation that leads a published project." + PUBLIC,
)
@decorate_view(conditional_get)
def organisation_detail(request, response: HttpResponse, id: int = _id_param("organisation")):
    organisation = selectors.organisation_get(pk=id)
    _last_modified(response, organisation.updated_at)
    return selectors.organisation_to_dict(organisation)


# --------------------------------------------------------------------------------------------
# Browse facets
# --------------------------------------------------------------------------------------------


@router.get(
    "/facet-values",
    response={200: list[FacetValueOut], 304: None, **LIST_ERRORS},
    operation_id="facet_value_list",
    summary="List target groups, education levels and transition stages",
    description="The values of the three browse facets, from the bank's vocabulary, with the number of "
    "published entries that have each confirmed. Filter entries by them: "
    "`/api/v1/entries?target=<identifier>`, `level=`, `stage=`." + PUBLIC,
)
@decorate_view(conditional_get)
def facet_value_list(request, filters: Query[FacetValueFilters]):
    return [selectors.facet_value_to_dict(c) for c in selectors.facet_value_list(facet=filters.facet)]


# --------------------------------------------------------------------------------------------
# Themes, subthemes, periods, keywords
# --------------------------------------------------------------------------------------------


@router.get(
    "/themes",
    response={200: list[ThemeOut], 304: None, 429: Problem},
    operation_id="theme_list",
    summary="List themes",
    description="The four themes A–D with the number of published models and good practices." + PUBLIC,
)
@decorate_view(conditional_get)
def theme_list(request):
    return [selectors.theme_to_dict(theme) for theme in selectors.theme_list()]


@router.get(
    "/themes/{id}",
    response={200: ThemeOut, 304: None, **DETAIL_ERRORS},
    operation_id="theme_detail",
    summary="One theme",
    description="A theme. Its entries: `/api/v1/entries?theme=<code>`." + PUBLIC,
)
@decorate_view(conditional_get)
def theme_detail(request, id: int = _id_param("theme")):
    return selectors.theme_to_dict(selectors.theme_get(pk=id))


@router.get(
    "/subthemes",
    response={200: SubthemePage, 304: None, **LIST_ERRORS},
    operation_id="subtheme_list",
    summary="List subthemes",
    description="Subthemes (the report's headings under each theme), ordered by id." + PUBLIC,
)
@decorate_view(conditional_get)
def subtheme_list(request, filters: Query[SubthemeFilters]):
    check_cursor(after=filters.after, before=filters.before, offset=filters.offset)
    count, subthemes, page = selectors.subtheme_page(theme=filters.theme, **_paging(filters))
    items = [selectors.subtheme_to_dict(s) for s in subthemes]
    return _id_envelope(request, filters, count, items, page)


@router.get(
    "/subthemes/{id}",
    response={200: SubthemeOut, 304: None, **DETAIL_ERRORS},
    operation_id="subtheme_detail",
    summary="One subtheme",
    description="A subtheme." + PUBLIC,
)
@decorate_view(conditional_get)
def subtheme_detail(request, id: int = _id_param("subtheme")):
    return selectors.subtheme_to_dict(selectors.subtheme_get(pk=id))


@router.get(
    "/periods",
    response={200: list[PeriodOut], 304: None, 429: Problem},
    operation_id="period_list",
    summary="List coordination periods",
    description="The coordination periods good practices were collected in, ordered by id." + PUBLIC,
)
@decorate_view(conditional_get)
def period_list(request):
    return [selectors.period_to_dict(period) for period in selectors.period_list()]


@router.get(
    "/periods/{id}",
    response={200: PeriodOut, 304: None, **DETAIL_ERRORS},
    operation_id="period_detail",
    summary="One coordination period",
    description="A coordination period." + PUBLIC,
)
@decorate_view(conditional_get)
def period_detail(request, id: int = _id_param("period")):
    return selectors.period_to_dict(selectors.period_get(pk=id))


@router.get(
    "/keywords",
    response={200: KeywordPage, 304: None, **LIST_ERRORS},
    operation_id="keyword_list",
    summary="List keywords",
    description="Approved keywords with the number of published entries that carry them, ordered by id."
    + PUBLIC,
)
@decorate_view(conditional_get)
def keyword_list(request, page: Query[PageParams]):
    check_cursor(after=page.after, before=page.before, offset=page.offset)
    count, keywords, ids = selectors.keyword_page(**_paging(page))
    items = [selectors.keyword_to_dict(k) for k in keywords]
    return _id_envelope(request, page, count, items, ids)


@router.get(
    "/keywords/{id}",
    response={200: KeywordOut, 304: None, **DETAIL_ERRORS},
    operation_id="keyword_detail",
    summary="One keyword",
    description="An approved keyword. Its entries: `/api/v1/entries?keyword=<slug>`." + PUBLIC,
)
@decorate_view(conditional_get)
def keyword_detail(request, id: int = _id_param("keyword")):
    return selectors.keyword_to_dict(selectors.keyword_get(pk=id))


# --------------------------------------------------------------------------------------------
# Published reports
# --------------------------------------------------------------------------------------------


@router.get(
    "/reports/{slug}/versions/{version}/changes",
    response={200: ReportChangesOut, 304: None, **DETAIL_ERRORS},
    operation_id="report_changes",
    url_name="report_changes",
    tags=["Reports (read)"],
    summary="What's new since a published report",
    description="The entries added, changed and removed since a published version of a report: its frozen "
    "entries compared with those the report selects now. A changed entry names every field that changed "
    "(any field of its public content, translations included). The site's page of the same: "
    "/raportit/{slug}/v{version}/uutta/." + PUBLIC,
)
@decorate_view(conditional_get)
def report_changes(
    request,
    slug: str = Path(..., min_length=1, max_length=100, pattern=r"^[-a-zA-Z0-9_]+$", description="The report's slug."),
    version: int = Path(..., ge=1, le=2**31 - 1, description="The published version."),
):
    found = extensions.report_changes(slug=slug, version=version)
    if found is None:
        raise Http404(f"No published version {version} of a report {slug!r}.")
    return selectors.report_changes_to_dict(found)
