"""/api/...: the REST API, its schema and docs, and the bulk open-data downloads. Mounted outside
i18n_patterns, so addresses do not depend on the language."""

from functools import wraps

from django.urls import URLPattern, path, re_path

from . import views
from .api import api
from .problems import problem_response


def _method_not_allowed_as_problem(view):
    """ninja answers a wrong method with a plain-text 405; make it a problem+json like every other error."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/problem"
        ):
            allowed = response.get("Allow", "")
            return problem_response(
                request,
                405,
                f"Method {request.method} is not allowed here. Allowed: {allowed}.",
                headers={"Allow": allowed},
            )
        return response

    return wrapper


def _api_patterns():
    patterns, app_name, namespace = api.urls
    wrapped = [
        URLPattern(p.pattern, _method_not_allowed_as_problem(p.callback), p.default_args, p.name)
        if isinstance(p, URLPattern)
        else p
        for p in patterns
    ]
    return wrapped, app_name, namespace


urlpatterns = [
    path("", views.api_index, name="api-index"),
    path("v1/", views.api_v1_root, name="api-v1-root"),
    path("v1", views.api_v1_root),
    path("dumps/<str:filename>", views.dump_download, name="api-dump"),
    path("", _api_patterns()),
    # Anything else under /api/ is a problem+json 404, not the site's HTML error page.
    re_path(r"^.*$", views.api_not_found),
]
