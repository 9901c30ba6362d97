"""Plain Django views of the API app: the /api/ index, the bulk downloads, the JSON 404 for
unknown API addresses, and the own-page view where a user creates and revokes API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.static import serve

from . import opendata, selectors
from .forms import ApiTokenCreateForm
from .problems import problem_response
from .services import api_token_create, api_token_revoke


@require_GET
def api_index(request):
    def absolute(path):
        return request.build_absolute_uri(path)

    return JsonResponse(
        {
            "name": "Menetelmäpankki API",
            "schema": absolute(reverse("api:openapi-json")),
            "docs": absolute(reverse("api:openapi-view")),
            "v1": {name: absolute(f"/api/v1/{name}") for name in V1_RESOURCES},
            "v1_root": absolute(reverse("api-v1-root")),
            "dumps": {name: absolute(reverse("api-dump", args=[name])) for name in opendata.DUMP_FILES},
            "licence": opendata.licence(),
        },
        json_dumps_params={"ensure_ascii": False},
    )


# The resources of /api/v1/, with what each lists (the root answers with links to them).
V1_RESOURCES = {
    "entries": "Published models and good practices, filtered like the site's facets; q searches.",
    "projects": "Published projects.",
    "organisations": "Organisations that lead or take part in projects.",
    "themes": "The main themes (A-D), with names in Finnish, Swedish and English.",
    "subthemes": "Subthemes of the themes.",
    "periods": "Collection periods, named by their dates.",
    "keywords": "Approved keywords.",
}
# Contributors' own drafts (Authorization: Bearer <token>).
V1_OWN_RESOURCES = {
    "me": "The token's user.",
    "me/entries": "The user's own entries: list, create, update, submit.",
}


@require_GET
def api_v1_root(request):
    """/api/v1/: what version 1 of the API offers, as links a client can follow."""

    def absolute(path):
        return request.build_absolute_uri(path)

    def described(resources, **extra):
        return [
            {"name": name, "href": absolute(f"/api/v1/{name}"), "description": text, **extra}
            for name, text in resources.items()
        ]

    return JsonResponse(
        {
            "name": "Menetelmäpankki API",
            "version": "1",
            "resources": described(V1_RESOURCES, auth="none"),
            "own_resources": described(V1_OWN_RESOURCES, auth="bearer token"),
            "links": {
                "self": absolute("/api/v1/"),
                "schema": absolute(reverse("api:openapi-json")),
                "docs": absolute(reverse("api:openapi-view")),
                "dumps": {name: absolute(reverse("api-dump", args=[name])) for name in opendata.DUMP_FILES},
            },
            "licence": opendata.licence(),
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def dump_download(request, filename):
    """A bulk download. Built on first request if no publish has built it yet; served with
    Last-Modified (If-Modified-Since gives 304) and the licence in a Link header."""
    if filename not in opendata.DUMP_FILES:
        return problem_response(
            request, 404, f"No download '{filename}'. Available: {', '.join(opendata.DUMP_FILES)}."
        )
    directory = opendata.dump_directory()
    if not (directory / filename).exists() or not opendata.dumps_match_site_url(directory):
        # Not built yet, or built for another address than the bank's now: every link would be wrong.
        opendata.open_data_build()
    response = serve(request, filename, document_root=directory)
    fmt = filename.rsplit(".", 1)[-1]
    if response.status_code == 200:
        response["Content-Type"] = opendata.CONTENT_TYPES[fmt]
    response["Link"] = opendata.licence_link_header()
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=300)
    return response


def api_not_found(request):
    return problem_response(
        request, 404, f"No API endpoint at {request.path}. See {request.build_absolute_uri('/api/docs')}."
    )


# --------------------------------------------------------------------------------------------
# Own page: API tokens
# --------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    new_token = None
    form = ApiTokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, new_token = api_token_create(user=request.user, name=form.cleaned_data["name"])
        except (ValidationError, PermissionDenied) as error:
            form.add_error("name", error.messages[0] if hasattr(error, "messages") else str(error))
        else:
            form = ApiTokenCreateForm()
    response = render(
        request,
        "api/token_list.html",
        {
            "form": form,
            "tokens": selectors.api_token_list(user=request.user),
            "new_token": new_token,
            "docs_url": reverse("api:openapi-view"),
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )
    # The page can show a token once: it must not be kept in any cache.
    patch_cache_control(response, no_store=True, private=True)
    return response


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(selectors.api_token_list(user=request.user), pk=pk)
    try:
        api_token_revoke(token=token, by=request.user)
    except PermissionDenied as error:
        raise Http404 from error
    messages.success(
        request, _("The token “%(name)s” was revoked. Programs using it stop working.") % {"name": token.name}
    )
    return redirect("apitokens:list")
