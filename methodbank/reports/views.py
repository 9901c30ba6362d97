"""Report pages. Coordinator pages go through ``coordinator_required`` (the one rule lives in
accounts.roles); published reports are public."""


from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from methodbank.accounts.roles import coordinator_required
from methodbank.core.errors import form_add_service_error

from . import selectors, services
from .builder import EmptySelectionError, build_report_context, report_for_site
from .compare import published_report_changes, report_compare
from .forms import BuildForm, CompareForm, ReportDefinitionForm
from .models import BuildStatus, ReportDefinition
from .renderers import CONTENT_TYPES


def _attachment(field, filename, content_type):
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------------------------------------
# Coordinator: definitions and builds
# ---------------------------------------------------------------------------------------------


@coordinator_required
def definition_list(request):
    definitions = selectors.report_definition_list(user=request.user)
    return render(request, "reports/definition_list.html", {"definitions": definitions})


@coordinator_required
def definition_edit(request, slug=None):
    definition = selectors.report_definition_get_for_edit(user=request.user, slug=slug) if slug else ReportDefinition()
    form = ReportDefinitionForm(request.POST or None, instance=definition)
    if request.method == "POST" and form.is_valid():
        try:
            definition = services.report_definition_save(
                definition=form.save(commit=False),
                selection=form.selection(),
                theme_intros=form.theme_intros(),
                by=request.user,
            )
        except ValidationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("The report definition was saved."))
            return redirect(definition)
    return render(request, "reports/definition_form.html", {"form": form, "definition": definition})


@coordinator_required
def definition_detail(request, slug):
    definition = selectors.report_definition_get_for_edit(user=request.user, slug=slug)
    return render(request, "reports/definition_detail.html", _detail_context(definition))


def _detail_context(definition, *, build_form=None):
    return {
        "definition": definition,
        "selection_count": selectors.report_selection_count(definition=definition),
        "builds": selectors.report_build_list(definition=definition),
        "build_form": build_form or BuildForm(),
        "versions": selectors.published_report_versions(definition=definition),
    }


@coordinator_required
def definition_preview(request, slug):
    definition = selectors.report_definition_get_for_edit(user=request.user, slug=slug)
    try:
        report = build_report_context(definition)
    except EmptySelectionError as exc:
        messages.error(request, str(exc))
        return redirect(definition)
    for problem in report["contradictions"]:
        # Shown before publishing, which refuses while any remain.
        messages.error(request, f"{problem['where']}: “{problem['sentence']}” — {problem['reason']}")
    return render(request, "reports/report_page.html", {"report": report, "preview": True, "definition": definition})


@require_POST
@coordinator_required
def build_request(request, slug):
    definition = selectors.report_definition_get_for_edit(user=request.user, slug=slug)
    form = BuildForm(request.POST)
    if form.is_valid():
        try:
            services.report_build_request(definition=definition, fmt=form.cleaned_data["format"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The report is being built. This page shows its progress."))
            return redirect(definition)
    return render(request, "reports/definition_detail.html", _detail_context(definition, build_form=form), status=400)


@coordinator_required
def build_status(request, pk):
    build = selectors.report_build_get_for_user(user=request.user, pk=pk)
    if request.htmx:
        return render(request, "reports/_build_row.html", {"build": build})
    return redirect(build.definition)


@require_POST
@coordinator_required
def build_retry(request, pk):
    build = selectors.report_build_get_for_user(user=request.user, pk=pk)
    try:
        services.report_build_retry(build=build, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The build was queued again."))
    return redirect(build.definition)


@coordinator_required
def build_download(request, pk):
    build = selectors.report_build_get_for_user(user=request.user, pk=pk)
    if build.status != BuildStatus.DONE:
        raise Http404
    return _attachment(build.file, build.filename, CONTENT_TYPES[build.format])


@require_POST
@coordinator_required
def publish(request, slug):
    definition = selectors.report_definition_get_for_edit(user=request.user, slug=slug)
    try:
        published = services.report_publish(definition=definition, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(definition)
    messages.success(request, _("Version %(version)s was published.") % {"version": published.version})
    return redirect(published)


# ---------------------------------------------------------------------------------------------
# Public: published reports
# ---------------------------------------------------------------------------------------------


def published_list(request):
    return render(request, "reports/published_list.html", {"reports": selectors.published_report_list()})


def published_detail(request, slug, version):
    published = selectors.published_report_get(slug=slug, version=version)
    versions = [v.version for v in selectors.published_report_versions(definition=published.definition)]
    earlier = [v for v in versions if v < version]
    return render(
        request,
        "reports/report_page.html",
        {
            "report": report_for_site(published.context),
            "published": published,
            "version": published.version,
            "compare_form": CompareForm(versions=earlier) if earlier else None,
        },
    )


def published_download(request, slug, version, fmt):
    published = selectors.published_report_get(slug=slug, version=version)
    if fmt not in CONTENT_TYPES:
        raise Http404
    field = published.file_for(fmt)
    if report_for_site(published.context) is not published.context:
        # Published under another address: the same frozen content, links rebased (made once per address).
        field = services.published_report_file_for_site(published=published, fmt=fmt)
    return _attachment(field, f"{slug}-v{version}.{fmt}", CONTENT_TYPES[fmt])


def published_compare(request, slug, version):
    published = selectors.published_report_get(slug=slug, version=version)
    earlier_versions = [v.version for v in selectors.published_report_versions(definition=published.definition) if v.version < version]
    form = CompareForm(request.GET or None, versions=earlier_versions)
    comparison = earlier = None
    if form.is_bound and form.is_valid():
        earlier = get_object_or_404(published.definition.published_versions, version=form.cleaned_data["earlier"])
        comparison = report_compare(
            new_context=report_for_site(published.context), old_context=report_for_site(earlier.context)
        )
    return render(
        request,
        "reports/compare.html",
        {"published": published, "earlier": earlier, "form": form, "comparison": comparison},
    )


def published_changes(request, slug, version):
    published = selectors.published_report_get(slug=slug, version=version)
    return render(
        request, "reports/changes_since.html", {"published": published, "comparison": published_report_changes(published=published)}
    )
