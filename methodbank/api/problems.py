"""RFC 9457 problem details for every error the API returns.

Each error is ``application/problem+json`` with ``type``, ``title``, ``status``, ``detail`` and
``instance``; invalid parameters add an ``errors`` list that names each bad parameter. ninja's own
error shapes (``{"detail": ...}`` and 422 for validation) are replaced here, so a client sees one
format for everything, and a bad parameter is a 400 that names it.
"""

import logging
import math

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled, ValidationError

from .throttling import token_user

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
# Non-dereferenceable tag URIs (RFC 4151), as RFC 9457 §3.1.1 allows: the types are documented in
# the OpenAPI schema, not at an address.
TYPE_BASE = "tag:menetelmapankki.fi,2026:problem/"

TITLES = {
    400: "Invalid request",
    401: "Authentication required",
    403: "Permission denied",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request too large",
    422: "Unprocessable request",
    429: "Too many requests",
    500: "Server error",
    503: "Service unavailable",
}
TYPES = {
    400: "invalid-parameters",
    401: "authentication-required",
    403: "permission-denied",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "too-large",
    422: "unprocessable",
    429: "rate-limited",
    500: "server-error",
    503: "service-unavailable",
}


class ApiProblem(Exception):
    """Raised by endpoints for an error the client can act on."""

    def __init__(self, status: int, detail: str, *, errors: list | None = None, problem_type: str = ""):
        self.status = status
        self.detail = detail
        self.errors = errors
        self.problem_type = problem_type
        super().__init__(detail)


def invalid_parameter(name: str, detail: str, *, location: str = "query") -> ApiProblem:
    return ApiProblem(
        400,
        f"Parameter '{name}' is not valid: {detail}",
        errors=[{"name": name, "location": location, "detail": detail}],
    )


def problem_response(
    request: HttpRequest,
    status: int,
    detail: str,
    *,
    errors: list | None = None,
    problem_type: str = "",
    headers: dict | None = None,
) -> HttpResponse:
    body = {
        "type": TYPE_BASE + (problem_type or TYPES.get(status, "error")),
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.get_full_path(),
    }
    if errors is not None:
        body["errors"] = errors
    response = JsonResponse(
        body, status=status, content_type=PROBLEM_CONTENT_TYPE, json_dumps_params={"ensure_ascii": False}
    )
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def _parameter_name(loc) -> tuple[str, str]:
    """ninja's error location, e.g. ("query", "limit") or ("body", "payload", "title"), as
    (parameter name, where it was)."""
    location = str(loc[0]) if loc else "query"
    parts = [str(part) for part in loc[1:]]
    if location == "body" and len(parts) > 1:
        parts = parts[1:]  # drop the endpoint's argument name ("payload")
    return ".".join(parts) or location, location


def _validation_errors(errors: list) -> list:
    result = []
    for error in errors:
        name, location = _parameter_name(error.get("loc", ()))
        result.append({"name": name, "location": location, "detail": error.get("msg", "invalid value")})
    return result


def handle_validation_error(request, exc: ValidationError) -> HttpResponse:
    errors = _validation_errors(exc.errors)
    if len(errors) == 1:
        detail = f"Parameter '{errors[0]['name']}' is not valid: {errors[0]['detail']}"
    else:
        names = ", ".join(dict.fromkeys(f"'{e['name']}'" for e in errors))
        detail = f"Parameters {names} are not valid: " + "; ".join(
            f"{e['name']}: {e['detail']}" for e in errors
        )
    return problem_response(request, 400, detail, errors=errors)


def handle_api_problem(request, exc: ApiProblem) -> HttpResponse:
    return problem_response(request, exc.status, exc.detail, errors=exc.errors, problem_type=exc.problem_type)


def handle_http_error(request, exc: HttpError) -> HttpResponse:
    if isinstance(exc, Throttled):
        wait = math.ceil(exc.wait) if exc.wait is not None else None
        if token_user(request) is not None:
            detail = "This API token has made too many requests."
            if wait is not None:
                detail += f" Try again in {wait} seconds."
        else:
            detail = "Anonymous clients are rate-limited."
            if wait is not None:
                detail += f" Try again in {wait} seconds, or use a personal API token."
        headers = {"Retry-After": str(wait)} if wait is not None else None
        return problem_response(request, 429, detail, headers=headers)
    if isinstance(exc, AuthenticationError):
        return problem_response(
            request,
            401,
            "This operation needs a personal API token: send 'Authorization: Bearer <token>'. "
            "The token is missing, unknown or revoked.",
            headers={"WWW-Authenticate": 'Bearer realm="menetelmapankki"'},
        )
    if isinstance(exc, AuthorizationError):
        return problem_response(request, 403, str(exc))
    detail = str(exc)
    if exc.status_code == 400 and "body" in detail.lower():
        return problem_response(
            request,
            400,
            f"Request body is not valid JSON: {detail}",
            errors=[{"name": "body", "location": "body", "detail": detail}],
        )
    return problem_response(request, exc.status_code, detail)


def handle_404(request, exc: Http404) -> HttpResponse:
    return problem_response(request, 404, str(exc) or "No such object.")


def request_too_large(request) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return problem_response(
        request, 413,
        f"The request body is larger than the {limit} bytes the API accepts. Nothing was changed.",
        errors=[{"name": "body", "location": "body", "detail": f"at most {limit} bytes"}],
    )


def handle_request_too_large(request, exc: RequestDataTooBig) -> HttpResponse:
    return request_too_large(request)


def handle_server_error(request, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s", request.get_full_path(), exc_info=exc)
    return problem_response(
        request, 500, "The server could not complete the request. The error has been logged."
    )


def handle_database_unavailable(request, exc: Exception) -> HttpResponse:
    """The database is restarting or unreachable: nothing was changed, and the client may retry."""
    logger.warning("API: database unavailable on %s: %s", request.get_full_path(), exc)
    return problem_response(
        request,
        503,
        "The database cannot be reached right now. Nothing was changed; try again in a moment "
        "(with the same Idempotency-Key, if you sent one).",
        headers={"Retry-After": "30"},
    )


def install(api) -> None:
    api.add_exception_handler(ValidationError, handle_validation_error)
    api.add_exception_handler(ApiProblem, handle_api_problem)
    api.add_exception_handler(HttpError, handle_http_error)
    api.add_exception_handler(Http404, handle_404)
    api.add_exception_handler(Exception, handle_server_error)
    api.add_exception_handler(RequestDataTooBig, handle_request_too_large)
    api.add_exception_handler(OperationalError, handle_database_unavailable)
    api.add_exception_handler(InterfaceError, handle_database_unavailable)
