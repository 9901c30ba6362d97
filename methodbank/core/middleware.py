"""A database that cannot be reached (a PostgreSQL restart, a failover) gives a friendly 503 with
Retry-After instead of the generic 500 page: the request was not carried out and can be repeated.
The response is rendered without touching the database or the session."""

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {
                    "type": "tag:menetelmapankki.fi,2026:problem/service-unavailable",
                    "title": "Service unavailable",
                    "status": 503,
                    "detail": _("The database cannot be reached right now. Nothing was changed; try again in a moment."),
                    "instance": request.get_full_path(),
                },
                status=503,
                content_type="application/problem+json",
            )
        else:
            response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        # The page must not be kept by a cache in front of the bank once the database is back.
        response["Cache-Control"] = "no-store"
        return response
