"""Public catalog pages. Views parse the request, call selectors and render; nothing else."""

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from methodbank.core.cache import cache_public_page
from methodbank.core.pagination import paginate

from . import documents, exports, extensions, selectors, translations
from .models import ProjectScope, Theme


def _annotated(groups):
    """List groups with what the apps above catalog add to listed models (their evaluation status)."""
    extensions.annotate_listing(p for g in groups if g.is_models for p in g.entries)
    return groups


@require_GET
@cache_public_page
def home(request):
    """The front page (URL name core:home, see config/urls.py): themes, totals and the keyword cloud."""
    return render(request, "catalog/home.html", selectors.front_page_figures())


@require_GET
@cache_public_page
def theme_detail(request, slug):
    theme = selectors.theme_get(slug=slug)
    sections = selectors.theme_overview(theme=theme)
    extensions.annotate_listing(m for section in sections for m in section.models)
    # Entries placed in the theme without a subtheme have no subtheme page: they page here.
    loose = next((s for s in sections if s.subtheme is None), None)
    page = paginate(request, selectors.theme_loose_entries(theme=theme) if loose else [], per_page=selectors.LIST_PAGE_SIZE)
    return render(
        request,
        "catalog/theme_detail.html",
        {
            "theme": theme,
            "sections": sections,
            "page": page,
            "loose_groups": _annotated(selectors.list_groups(page.object_list)),
            # Distinct entries: one listed under two subthemes counts once.
            "counts": selectors.theme_counts(theme=theme),
        },
    )


@require_GET
@cache_public_page
def subtheme_detail(request, theme, slug):
    subtheme = selectors.subtheme_get(theme_slug=theme, slug=slug)
    counts = selectors.subtheme_counts(subtheme=subtheme)
    page = paginate(
        request, selectors.subtheme_entries(subtheme=subtheme, counts=counts), per_page=selectors.LIST_PAGE_SIZE
    )
    return render(
        request,
        "catalog/subtheme_detail.html",
        {
            "subtheme": subtheme,
            "theme": subtheme.theme,
            "counts": counts,
            "page": page,
            "groups": _annotated(selectors.list_groups(page.object_list)),
        },
    )


@require_GET
@cache_public_page
def practice_detail(request, slug):
    practice = selectors.practice_get_published(slug=slug)
    content = translations.practice_content(practice=practice)
    adoptions = selectors.model_adoptions(model=practice) if practice.is_model else None
    return render(
        request, "catalog/practice_detail.html", {"practice": practice, "content": content, "adoptions": adoptions}
    )


@require_GET
def practice_pdf(request, slug):
    """The entry as a tagged PDF (catalog/documents.py); published entries only, like its page."""
    practice = selectors.practice_get_published(slug=slug)
    response = HttpResponse(documents.practice_pdf(practice=practice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{documents.practice_pdf_filename(practice)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@cache_public_page
def project_list(request):
    scope = request.GET.get("scope", "")
    theme_code = request.GET.get("theme", "")
    themes = list(Theme.objects.order_by("code"))
    # Unknown filter values are ignored rather than returning an empty list that looks like "no projects".
    if scope not in ProjectScope.values:
        scope = ""
    if theme_code not in {t.code for t in themes}:
        theme_code = ""
    page = paginate(
        request,
        selectors.project_list(scope=scope, theme_code=theme_code),
        per_page=selectors.LIST_PAGE_SIZE,
        keep=("scope", "theme"),
    )
    return render(
        request,
        "catalog/project_list.html",
        {
            "page": page,
            "projects": selectors.project_entry_counts(page.object_list),
            "themes": themes,
            "scopes": ProjectScope.choices,
            "scope": scope,
            "theme_code": theme_code,
            "filtered": bool(scope or theme_code),
        },
    )


@require_GET
@cache_public_page
def project_detail(request, slug):
    project = selectors.project_get_published(slug=slug)
    counts = selectors.project_counts(project=project)
    page = paginate(request, selectors.project_entries(project=project, counts=counts), per_page=selectors.LIST_PAGE_SIZE)
    return render(
        request,
        "catalog/project_detail.html",
        {
            "project": project,
            "content": translations.project_content(project=project),
            "counts": counts,
            "page": page,
            "groups": _annotated(selectors.kind_groups(page.object_list)),
        },
    )


@require_GET
@cache_public_page
def keyword_detail(request, slug):
    keyword = selectors.keyword_get(slug=slug)
    page = paginate(request, selectors.keyword_entries(keyword=keyword), per_page=selectors.LIST_PAGE_SIZE)
    return render(
        request,
        "catalog/keyword_detail.html",
        {"keyword": keyword, "page": page, "groups": _annotated(selectors.kind_groups(page.object_list))},
    )


@require_GET
@cache_public_page
def open_data(request):
    return render(
        request,
        "catalog/open_data.html",
        {
            "entry_fields": exports.ENTRY_FIELDS,
            "project_fields": exports.PROJECT_FIELDS,
            "entry_columns": exports.csv_columns("entries"),
            "project_columns": exports.csv_columns("projects"),
        },
    )


@require_GET
def open_data_download(request, what, fmt):
    if what not in exports.WHATS or fmt not in exports.FORMATS:
        raise Http404("No such download")
    chunks = exports.export_chunks(what=what, fmt=fmt)
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") if isinstance(chunk, str) else chunk for chunk in chunks),
        content_type=exports.CONTENT_TYPES[fmt],
    )
    response["Content-Disposition"] = f'attachment; filename="{exports.export_filename(what=what, fmt=fmt)}"'
    return response
