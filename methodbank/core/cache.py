"""Caching of public pages, with invalidation on every catalog change.

Anonymous visitors all see the same page, so a rendered public page is cached under its path,
query, language and the *catalog version*. Any change to published content bumps the version
(see ``catalog_changed``), which retires every cached page at once: no stale page survives a
publish, and no per-page bookkeeping is needed.

Behind nginx, ``EDGE_CACHE_SECONDS`` lets nginx keep the same pages for a few seconds
(``X-Accel-Expires``, see deploy/nginx/): the header goes only on what this module would share among
anonymous visitors, so nginx never stores a page that belongs to one person.

The cache is optional: when Redis is down every call here degrades to "not cached" and the page is
rendered as usual (a warning is logged, not an error page).
"""

import functools
import hashlib
import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

VERSION_KEY = "catalog-version"


def _safe(call, default=None):
    try:
        return call()
    except Exception as exc:  # noqa: BLE001 - any cache backend failure means "no cache"
        logger.warning("cache unavailable: %s", exc)
        return default


# Within one request the version is read once: a search page asked the cache for it five times (the
# page key, each shared figure, each per-process store), each a round trip to Redis. A request that
# changes the catalog forgets it (catalog_changed); outside requests (commands, tasks) nothing is kept.
_request = threading.local()


def _request_begins(**kwargs):
    _request.memo = {}


def _request_ends(**kwargs):
    _request.memo = None


def request_memo() -> dict | None:
    """A dict that lives for the current request (None outside a request), for values that are the
    same for the whole request, such as the catalog version."""
    return getattr(_request, "memo", None)


def catalog_version() -> int:
    memo = request_memo()
    if memo is not None and VERSION_KEY in memo:
        return memo[VERSION_KEY]
    version = _safe(lambda: cache.get(VERSION_KEY))
    if version is None:
        version = 1
        _safe(lambda: cache.add(VERSION_KEY, version, None))
    if memo is not None:
        memo[VERSION_KEY] = version
    return version


def _forget_version():
    memo = request_memo()
    if memo is not None:
        memo.clear()


def catalog_changed(**kwargs):
    """Signal receiver: retire every cached public page."""

    def bump():
        _forget_version()
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, 2, None)

    _safe(bump)
    # Until this transaction commits, a reader on another connection still sees the catalog as it
    # was and could cache it under the new version, where it would stay until the next change:
    # retire what was cached meanwhile once the change is visible (at once in autocommit).
    transaction.on_commit(lambda: _safe(bump), robust=True)
    _warm_after_commit()


# --- Shared figures, recomputed in the background after a change ---------------------------------
# Some figures every visitor shares read the whole catalog (the front page's counts, the search
# page's facets: most of a second at 100,000 entries). Each change retires them with the pages, and
# without help the first visitor after a publish would wait for them. The apps register a "warmer"
# for each (a function that reads the figure through cached_until_catalog_changes), and a background
# task (django-tasks) runs them once after the transaction that changed the catalog commits. A page
# that finds a figure missing (no worker, a change during the warm-up) still computes it itself.

WARM_PENDING_KEY = "warm-pending"
# At most one warm-up waits in the queue: a burst of changes (an import) schedules one.
WARM_PENDING_SECONDS = 300
_warmers: dict[str, Callable[[], object]] = {}


def register_warmer(name: str, warm: Callable[[], object]) -> None:
    _warmers[name] = warm


def warm_shared_figures() -> list[str]:
    """Compute every registered figure for the current catalog version; returns the names done."""
    # First: a change made while this runs schedules the next warm-up.
    _safe(lambda: cache.delete(WARM_PENDING_KEY))
    done = []
    for name, warm in list(_warmers.items()):
        try:
            warm()
        except Exception:  # noqa: BLE001 - the page computes a figure that failed here
            logger.exception("warming %s failed", name)
        else:
            done.append(name)
    return done


def _warm_after_commit():
    if settings.WARM_SHARED_FIGURES and _warmers:
        # robust: a queue that cannot be written must not fail the change that was just committed.
        transaction.on_commit(_enqueue_warm, robust=True)


def _enqueue_warm():
    if _safe(lambda: cache.add(WARM_PENDING_KEY, 1, WARM_PENDING_SECONDS), default=False):
        from .tasks import warm_shared_figures_task

        warm_shared_figures_task.enqueue()


def cached_until_catalog_changes(name: str, compute, *, timeout=None):
    """``compute()``, kept in the cache until the next catalog change (the same version as the
    pages). For figures every page view would otherwise recompute over the whole catalog, such as
    the front page's counts: signed-in users are never served a cached page, and they need not
    pay for the counts either. ``timeout`` (seconds) for values kept per object, such as an entry's
    PDF: a catalog change leaves them unreachable, and they must not pile up until the cache is full."""
    key = f"data:{catalog_version()}:{name}"
    value = _safe(lambda: cache.get(key))
    if value is None:
        value = compute()
        _safe(lambda: cache.set(key, value, timeout))
    return value


def _page_key(request) -> str:
    raw = f"{get_language()}|{request.get_full_path()}|{request.headers.get('HX-Request', '')}"
    return f"page:{catalog_version()}:{hashlib.sha256(raw.encode()).hexdigest()}"


def cache_public_page(view):
    """Serve anonymous GETs of a public page from the cache.

    Logged-in users get fresh pages (their header differs). A response that set cookies or used a
    CSRF token is never stored: it belongs to one visitor.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        timeout = settings.PUBLIC_PAGE_CACHE_SECONDS
        cacheable = (
            timeout > 0
            and request.method in ("GET", "HEAD")
            and not request.user.is_authenticated
            # A pending flash message belongs to one visitor.
            and "messages" not in request.COOKIES
            and not request.session.get("_messages")
        )
        if not cacheable:
            return view(request, *args, **kwargs)
        key = _page_key(request)
        cached = _safe(lambda: cache.get(key))
        if cached is not None:
            return _shared(cached)
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        ):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            _safe(lambda: cache.set(key, response, timeout))
            _shared(response)
        return response

    return wrapper


def _shared(response):
    """Mark a page every anonymous visitor shares as storable by nginx for EDGE_CACHE_SECONDS."""
    if settings.EDGE_CACHE_SECONDS > 0:
        response["X-Accel-Expires"] = str(settings.EDGE_CACHE_SECONDS)
    return response


# Apps whose rows appear on public pages; a write to any of them retires the cached pages.
PUBLIC_APPS = {"catalog", "search", "evaluation", "reports"}


def _receiver(sender, **kwargs):
    if sender._meta.app_label in PUBLIC_APPS:
        catalog_changed()


def connect_invalidation():
    from django.core.signals import request_finished, request_started
    from django.db.models.signals import m2m_changed, post_delete, post_save

    request_started.connect(_request_begins, dispatch_uid="core-cache-request-begins")
    request_finished.connect(_request_ends, dispatch_uid="core-cache-request-ends")

    post_save.connect(_receiver, dispatch_uid="core-cache-save")
    post_delete.connect(_receiver, dispatch_uid="core-cache-delete")
    m2m_changed.connect(_receiver, dispatch_uid="core-cache-m2m")
