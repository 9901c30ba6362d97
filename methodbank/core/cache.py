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

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

VERSION_KEY = "catalog-version"


def _safe(call, default=None):
    try:
        return call()
    except Exception as exc:  # noqa: BLE001 - any cache backend failure means "no cache"
        logger.warning("cache unavailable: %s", exc)
        return default


def catalog_version() -> int:
    version = _safe(lambda: cache.get(VERSION_KEY))
    if version is None:
        version = 1
        _safe(lambda: cache.add(VERSION_KEY, version, None))
    return version


def catalog_changed(**kwargs):
    """Signal receiver: retire every cached public page."""

    def bump():
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, 2, None)

    _safe(bump)


def cached_until_catalog_changes(name: str, compute):
    """``compute()``, kept in the cache until the next catalog change (the same version as the
    pages). For figures every page view would otherwise recompute over the whole catalog, such as
    the front page's counts: signed-in users are never served a cached page, and they need not
    pay for the counts either."""
    key = f"data:{catalog_version()}:{name}"
    value = _safe(lambda: cache.get(key))
    if value is None:
        value = compute()
        _safe(lambda: cache.set(key, value, None))
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
    from django.db.models.signals import m2m_changed, post_delete, post_save

    post_save.connect(_receiver, dispatch_uid="core-cache-save")
    post_delete.connect(_receiver, dispatch_uid="core-cache-delete")
    m2m_changed.connect(_receiver, dispatch_uid="core-cache-m2m")
