"""Public catalog pages. Views parse the request, call selectors and render; nothing else."""

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from methodbank.core.cache import cache_public_page

from . import exports, selectors, translations
from .models import ProjectScope, Theme


@require_GET
@cache_public_page
def theme_detail(request, slug):
    theme = selectors.theme_get(slug=slug)
    sections = selectors.theme_sections(theme=theme)
    return render(
        request,
        "catalog/theme_detail.html",
        {
            "theme": theme,
            "sections": sections,
            "model_count": len({p.pk for s in sections for p in s.models}),
            "good_practice_count": len({p.pk for s in sections for g in s.period_groups for p in g.entries}),
        },
    )


@require_GET
@cache_public_page
def subtheme_detail(request, theme, slug):
    subtheme = selectors.subtheme_get(theme_slug=theme, slug=slug)
    return render(
        request,
        "catalog/subtheme_detail.html",
        {"subtheme": subtheme, "theme": subtheme.theme, "section": selectors.subtheme_section(subtheme=subtheme)},
    )


@require_GET
@cache_public_page
def practice_detail(request, slug):
    practice = selectors.practice_get_published(slug=slug)
    content = translations.practice_content(practice=practice)
    return render(request, "catalog/practice_detail.html", {"practice": practice, "content": content})


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
    projects = list(selectors.project_list(scope=scope, theme_code=theme_code))
    return render(
        request,
        "catalog/project_list.html",
        {
            "projects": projects,
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
    models, good_practices = selectors.project_entries_by_kind(project=project)
    return render(
        request,
        "catalog/project_detail.html",
        {
            "project": project,
            "content": translations.project_content(project=project),
            "models": models,
            "good_practices": good_practices,
        },
    )


@require_GET
@cache_public_page
def keyword_detail(request, slug):
    keyword = selectors.keyword_get(slug=slug)
    return render(
        request,
        "catalog/keyword_detail.html",
        {"keyword": keyword, "entries": list(selectors.keyword_entries(keyword=keyword))},
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
