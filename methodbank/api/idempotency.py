"""Write requests that are safe to retry: one transaction per request, and ``Idempotency-Key``.

A client that gets no answer, or a 503 while the database restarts, cannot know whether its write
was stored. Two things make a retry safe:

- ``atomic_write`` runs the whole operation, including the read that builds the answer, in one
  transaction: an acknowledged write is committed, and a request that fails on the way rolls back.
  Only a commit whose acknowledgement is lost stays ambiguous.
- For that case the client sends ``Idempotency-Key: <unique string>`` (the IETF httpapi draft's
  header) and repeats it on every retry of the same request. The first successful answer is stored
  in the same transaction as the write; a retry gets that answer back (``Idempotent-Replayed:
  true``) instead of a second draft. Keys are scoped to the API token and kept for
  ``RETENTION``; the same key with a different request is refused (422), and a retry that arrives
  while the first attempt is still running gets 409.

Errors (4xx) are not stored: nothing was written, so the client may fix the request and send it
again with the same key.
"""

import functools
import hashlib
import re
from datetime import timedelta

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.http import HttpResponse
from django.utils import timezone

from .models import IdempotencyRecord
from .problems import handle_database_unavailable, problem_response, request_too_large
from .services import api_token_authenticate, token_hash

HEADER = "Idempotency-Key"
RETENTION = timedelta(hours=24)
# Visible ASCII, as in the draft's examples (UUIDs, random strings); bounded so it fits the column.
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")

OPENAPI_PARAMETER = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "description": "A unique string (e.g. a UUID) that makes a retry of this request safe: repeat the same "
    "key when you resend the same request after a timeout or a 503, and you get the first answer back "
    "instead of a second change. Kept for 24 hours per API token.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7e]+$"},
}
OPENAPI_EXTRA = {"parameters": [OPENAPI_PARAMETER]}


def _scope(request) -> str | None:
    """Keys belong to the credential that sent them, so two clients cannot see each other's answers.

    This runs before ninja authenticates the request, so the token is checked here too: a revoked
    token (or one of a deactivated account) gets no scope, the request then goes through the normal
    authentication, which refuses it, and a stored answer is never replayed to it."""
    scheme, _, credential = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        return None
    if api_token_authenticate(raw=credential.strip()) is None:
        return None
    return token_hash(credential.strip())


def _fingerprint(request) -> str:
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.get_full_path().encode(), request.body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _replay(request, record: IdempotencyRecord, fingerprint: str) -> HttpResponse:
    if record.fingerprint != fingerprint:
        return problem_response(
            request,
            422,
            f"This {HEADER} was already used for a different request. Use a new key for a new request.",
            problem_type="idempotency-key-reused",
        )
    response = HttpResponse(bytes(record.body), status=record.status, content_type=record.content_type)
    response["Idempotent-Replayed"] = "true"
    return response


def atomic_write(run):
    """Decorator for a write operation's ``run`` (ninja's ``decorate_view``)."""

    @functools.wraps(run)
    def wrapper(request, *args, **kwargs):
        try:
            request.body  # noqa: B018 (read once here: the fingerprint needs it before ninja parses it)
        except RequestDataTooBig:
            return request_too_large(request)
        key = request.headers.get(HEADER)
        if key is not None and not KEY_PATTERN.fullmatch(key):
            return problem_response(
                request,
                400,
                f"{HEADER} must be 1–255 visible ASCII characters, e.g. a UUID.",
                errors=[{"name": HEADER, "location": "header", "detail": "1–255 visible ASCII characters"}],
            )
        scope = _scope(request) if key is not None else None
        try:
            with transaction.atomic():
                if scope is None:
                    response = run(request, *args, **kwargs)
                else:
                    response = _run_once(run, request, scope, key, args, kwargs)
                if response.status_code >= 500:
                    transaction.set_rollback(True)
                return response
        except (OperationalError, InterfaceError) as error:  # the commit itself failed
            return handle_database_unavailable(request, error)

    return wrapper


def _run_once(run, request, scope, key, args, kwargs):
    fingerprint = _fingerprint(request)
    now = timezone.now()
    record = IdempotencyRecord.objects.filter(scope=scope, key=key, created_at__gte=now - RETENTION).first()
    if record is not None:
        return _replay(request, record, fingerprint)
    response = run(request, *args, **kwargs)
    if not 200 <= response.status_code < 300:
        return response
    try:
        with transaction.atomic():
            # An expired record of the same key makes room for the new one.
            IdempotencyRecord.objects.filter(scope=scope, created_at__lt=now - RETENTION).delete()
            IdempotencyRecord.objects.create(
                scope=scope,
                key=key,
                fingerprint=fingerprint,
                status=response.status_code,
                content_type=response.get("Content-Type", "application/json"),
                body=response.content,
            )
    except IntegrityError:
        # Another request with this key committed first (it was still running when this one looked):
        # undo this one's write, so there is only one.
        transaction.set_rollback(True)
        return problem_response(
            request,
            409,
            f"A request with this {HEADER} was being processed at the same time. Nothing was changed by this "
            "one; send it again to get the first request's answer.",
            problem_type="idempotency-key-in-use",
        )
    return response
