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

import contextlib
import contextvars
import functools
import hashlib
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import InvalidCacheBackendError, cache, caches
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import translation
from django.utils.translation import get_language

from .shared_figures import figure_read, figure_write, generation_advance, generation_read

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


def read_into_request_memo(keys) -> None:
    """Read these cache keys in one round trip (those the request memo lacks), each value found kept
    in the memo under its own key, where the functions that read them one by one look first
    (catalog_version, cached_until_catalog_changes, the search's versions and statistics). A page that
    needs several of them paid a round trip to Redis each, most of its time in the cache under load.
    A key missing from the cache is left to its own function (which reads, computes or defaults)."""
    memo = request_memo()
    if memo is None:
        return
    wanted = [key for key in dict.fromkeys(keys) if key not in memo]
    if wanted:
        for key, value in (_safe(lambda: cache.get_many(wanted)) or {}).items():
            if value is not None:
                memo[key] = value


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


# When each catalog version was retired (seconds since the epoch): how long a shared figure of that
# version has been out of date (see _stale_figure). Kept an hour, far beyond any bound a figure may be
# served stale; a missing time counts as "too old".
RETIRED_KEY = "catalog-version-retired:{}"
RETIRED_SECONDS = 3600


def catalog_changed(*, in_migration=False, **kwargs):
    """Signal receiver: retire every cached public page. ``in_migration``: a migration's change (its
    models are historical), made when the database's generation table may not exist yet: migrate
    moves the generation once at its end instead (advance_generation_after_migrate)."""

    def bump():
        _forget_version()
        try:
            version = cache.incr(VERSION_KEY)
        except ValueError:
            version = 2
            cache.set(VERSION_KEY, version, None)
        if isinstance(version, int):  # a Redis that ignores its errors answers None
            # add: the first retirement of a version is the time it went out of date.
            cache.add(RETIRED_KEY.format(version - 1), time.time(), RETIRED_SECONDS)

    _safe(bump)
    # The generation the figures kept in the database are checked against (core/shared_figures.py):
    # here, inside the change's transaction, so that it commits (or rolls back) with the change.
    # (Nor while `migrate` runs, whatever models a migration uses: see _migrating below.)
    if not in_migration and not _migrating:
        generation_advance()
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
# that finds a figure missing (no worker, a change during the warm-up) is served the figure of the
# version before for a few seconds, while it is recomputed ("Stale while revalidate" below); without
# any earlier value, or past that bound, the page computes it itself.

WARM_PENDING_KEY = "warm-pending"
# At most one warm-up waits in the queue: a burst of changes (an import) schedules one.
WARM_PENDING_SECONDS = 300
_warmers: dict[str, Callable[[], object]] = {}


def register_warmer(name: str, warm: Callable[[], object]) -> None:
    _warmers[name] = warm


def registered_warmers() -> list[str]:
    return list(_warmers)


def warm_shared_figures(*, recompute=False) -> list[str]:
    """Compute every registered figure for the current catalog version; returns the names done.
    A figure the cache has, or the database has for the current catalog generation, is not computed
    again, unless ``recompute`` (after a deploy whose code may count differently)."""
    # First: a change made while this runs schedules the next warm-up.
    _safe(lambda: cache.delete(WARM_PENDING_KEY))
    token = _recomputing.set(set()) if recompute else None
    done = []
    try:
        for name, warm in list(_warmers.items()):
            try:
                warm()
            except Exception:  # noqa: BLE001 - the page computes a figure that failed here
                logger.exception("warming %s failed", name)
            else:
                done.append(name)
    finally:
        if token is not None:
            _recomputing.reset(token)
    return done


# While `migrate` runs, the data migrations that change the catalog must not queue a warm-up: the
# task queue's own table may not exist yet (a fresh database), and the figures of a half-migrated
# catalog are worth nothing. Set from pre_migrate until the first post_migrate (connect_invalidation).
_migrating = False


def _migration_begins(**kwargs):
    global _migrating
    _migrating = True


def _migration_ends(**kwargs):
    global _migrating
    _migrating = False


def _warm_after_commit():
    if settings.WARM_SHARED_FIGURES and _warmers and not _migrating:
        # robust: a queue that cannot be written must not fail the change that was just committed.
        transaction.on_commit(_enqueue_warm, robust=True)


def _enqueue_warm():
    if _safe(lambda: cache.add(WARM_PENDING_KEY, 1, WARM_PENDING_SECONDS), default=False):
        from .tasks import warm_shared_figures_task

        try:
            warm_shared_figures_task.enqueue()
        except Exception as exc:  # noqa: BLE001 - the change is committed; the pages compute the figures
            # Without this the pending mark would stop every warm-up for WARM_PENDING_SECONDS.
            _safe(lambda: cache.delete(WARM_PENDING_KEY))
            logger.warning("could not queue the warm-up of the shared figures: %s", exc)


def figure_key(name: str, version: int) -> str:
    """The cache key of a figure kept until the catalog changes (cached_until_catalog_changes)."""
    return f"data:{version}:{name}"


def cached_until_catalog_changes(
    name: str, compute, *, timeout=None, stale_while_revalidate=False, persist: bool | None = None,
    defer_in_page: bool = False,
):
    """``compute()``, kept in the cache until the next catalog change (the same version as the
    pages). For figures every page view would otherwise recompute over the whole catalog, such as
    the front page's counts: signed-in users are never served a cached page, and they need not
    pay for the counts either. ``timeout`` (seconds) for values kept per object, such as an entry's
    PDF: a catalog change leaves them unreachable, and they must not pile up until the cache is full.

    ``stale_while_revalidate``: for the shared figures the warm-up recomputes (see below), an
    anonymous visitor who finds the current version's value missing may be served the previous
    version's, for at most SHARED_FIGURES_STALE_SECONDS after that version was retired.

    ``persist``: the value is also kept in the database with the catalog generation it was
    computed at (core/shared_figures.py), for a cache that has lost it (a deploy, a Redis restart):
    served exact while the generation has not moved, or stale as above. By default the shared
    figures kept for a whole version (stale_while_revalidate without a timeout): one row per
    figure. Those kept per object or per selection (a timeout) would make rows without end.

    ``defer_in_page``: within a page view, a figure that would be computed is not: None is returned
    (the caller has a cheaper way for this one page, e.g. the facet index's SQL counts) and the figure
    is computed after the response is sent, as a stale one is."""
    if persist is None:
        persist = stale_while_revalidate and timeout is None
    version = catalog_version()
    key = figure_key(name, version)
    recomputing = _recomputing.get()
    if recomputing is None or name in recomputing:
        memo = request_memo()
        value = memo.get(key) if memo is not None else None  # read ahead (read_into_request_memo)
        if value is None:
            value = _safe(lambda: cache.get(key))
        if value is not None:
            return value
    may_be_stale = stale_while_revalidate and not _computing.get() and recomputing is None
    if may_be_stale:
        # The cache's value of the version before, first: right after a change the database's copy
        # is of that version too (they are written together), not worth a query.
        value = _stale_figure(name, version, compute, timeout, persist=persist)
        if value is not None:
            return value
    stored = None
    if persist and recomputing is None:
        stored = figure_read(name)
        if stored.exact:  # the catalog has not changed since it was computed
            _store(name, version, stored.value, timeout=timeout, keep_latest=stale_while_revalidate)
            return stored.value
        if may_be_stale:
            value = _stale_figure(name, version, compute, timeout, stored=stored, persist=persist)
            if value is not None:
                return value
    page = _page.get()
    if defer_in_page and page is not None and recomputing is None:
        page.refresh.setdefault(name, (compute, get_language(), timeout, persist))
        return None
    value = _compute_and_store(
        name, version, compute, timeout=timeout, keep_latest=stale_while_revalidate, persist=persist,
        generation=stored.generation if stored is not None else None,
    )
    if recomputing is not None:
        recomputing.add(name)
    return value


def many_cached_until_catalog_changes(names, compute_missing, *, timeout, using: str = "default") -> dict:
    """{name: value} for ``names``, each kept as cached_until_catalog_changes keeps one (the same
    version, the same keys, retired by the same change), but read in one round trip to the cache and
    the missing ones computed together: ``compute_missing(missing names)`` gives {name: value} for
    those that exist (a name it leaves out is not kept, and is not in the answer). For values kept
    per object and read by the page, such as the API's whole entries: one get_many for a page of
    100, not 100 round trips. Never stale, never persisted: values per object would be rows without end.

    ``using``: a cache alias of their own (settings.CACHES), for values numerous enough to push the
    pages, figures and rate-limit counters out of a process-local default cache; the default cache
    if the alias is not configured."""
    version = catalog_version()
    store, prefix = _per_object_cache(using)
    keys = {name: figure_key(prefix + name, version) for name in dict.fromkeys(names)}
    found = _safe(lambda: store.get_many(list(keys.values()))) or {}
    values = {name: found[key] for name, key in keys.items() if found.get(key) is not None}
    missing = [name for name in keys if name not in values]
    if missing:
        computed = _compute(lambda: compute_missing(missing))
        if computed:
            _safe(lambda: store.set_many({keys[name]: value for name, value in computed.items()}, timeout))
        values.update(computed)
    return values


def _per_object_cache(using: str):
    """(the cache, a key prefix) for values kept per object in the cache alias ``using``. In another
    cache than the default, the keys also carry a token kept in the default cache for the version:
    a default cache that lost the version (cleared or restarted: the version starts again at 1) must
    never meet what an earlier version of the same number left in the other cache."""
    if using == "default" or using not in settings.CACHES:
        return cache, ""
    try:
        store = caches[using]
    except InvalidCacheBackendError:
        return cache, ""
    return store, cached_until_catalog_changes(f"kept-elsewhere:{using}", lambda: uuid.uuid4().hex) + ":"


def _compute_and_store(name, version, compute, *, timeout, keep_latest, persist, generation=None):
    if persist and generation is None:
        generation = generation_read()  # before computing: a change made meanwhile is not in it
    value = _compute(compute)
    _store(name, version, value, timeout=timeout, keep_latest=keep_latest)
    if persist:
        figure_write(name, generation, value)
    return value


def _compute(compute):
    # What a figure is computed from is read exactly: a figure made of another one (the search
    # page's common topics of the front page's keyword cloud) is kept for the whole version, and
    # must not be built on a stale value.
    token = _computing.set(True)
    try:
        return compute()
    finally:
        _computing.reset(token)


def _store(name, version, value, *, timeout=None, keep_latest=False):
    values = {figure_key(name, version): value}
    if keep_latest:
        values[LATEST_KEY.format(name)] = (version, value)
    _safe(lambda: cache.set_many(values, timeout))


# --- Stale while revalidate ------------------------------------------------------------------------
# Right after a publish the shared figures of the new version are missing until the worker's warm-up
# has run (3 to 5 s at 100,000 entries), or for good when no worker runs: a visitor would then compute
# them (the search page's facets: a second at 100,000 entries). Instead, an anonymous visitor gets the
# figure of the version before (kept under LATEST_KEY), off by the changes of the last few seconds,
# and the page says nothing it would not have said a moment earlier. Bounds:
# - A stale figure is served only for SHARED_FIGURES_STALE_SECONDS after its version was retired (a
#   burst of changes does not extend it: the clock starts at the first change it lacks). Past that,
#   or with no earlier value at all (a cold cache), the request computes it as before.
# - The figure is recomputed right after the response that served it stale is sent (a closer on the
#   response, run by the WSGI server once the body is out), by one process per figure and version.
#   With a worker expected (WARM_SHARED_FIGURES), the pages first leave it to the warm-up, and
#   recompute only once a third of the bound has passed without it (no worker running).
# - Signed-in users (the contributors and coordinators who change the catalog, and should see their
#   own publish counted) and requests outside a page view (tasks, commands, tests of selectors) always
#   get the exact figure. So does the test suite, where SHARED_FIGURES_STALE_SECONDS is 0 unless a
#   test asks (conftest.py).
# - A page that showed a stale figure is not kept in the page cache, nor offered to nginx.
# - The whole-catalog figures are also kept in the database with the catalog generation they were
#   computed at (core/shared_figures.py). When the cache has nothing of a figure (it lost everything:
#   a deploy, a Redis restart, Redis down), the database's is served exact if the generation has not
#   moved since, or stale as above if it lacks only the last change and that was made within the
#   bound (the time of an earlier one is not kept). Otherwise the page computes, and keeps the result
#   in the database too: with the cache down, the next pages read it there.

LATEST_KEY = "latest:{}"
REFRESHING_KEY = "refreshing:{}:{}"


@dataclass
class _PageFigures:
    """What one page view did with the shared figures (SharedFiguresMiddleware sets it up)."""

    request: object
    served_stale: bool = False
    refresh: dict = field(default_factory=dict)  # name -> (compute, language, timeout, persist)

    def may_be_stale(self) -> bool:
        user = getattr(self.request, "user", None)
        return self.request.method in ("GET", "HEAD") and not (user is not None and user.is_authenticated)


_page: contextvars.ContextVar[_PageFigures | None] = contextvars.ContextVar("shared_figures_page", default=None)
_computing: contextvars.ContextVar[bool] = contextvars.ContextVar("shared_figures_computing", default=False)
# Within warm_shared_figures(recompute=True): the names recomputed so far (each once, whatever the
# cache or the database holds for it); None otherwise.
_recomputing: contextvars.ContextVar[set | None] = contextvars.ContextVar("shared_figures_recomputing", default=None)


def _stale_figure(name, version, compute, timeout, *, stored=None, persist=False):
    """The value of ``name`` before the last change if this page may be served it: the cache's, or
    when the cache has none at all, ``stored`` (the database's copy, if given)."""
    page = _page.get()
    bound = settings.SHARED_FIGURES_STALE_SECONDS
    if page is None or bound <= 0 or not page.may_be_stale():
        return None
    latest = _safe(lambda: cache.get(LATEST_KEY.format(name)))
    if latest:
        value, age = _stale_from_cache(latest, version)
    elif stored is not None:
        # The cache has nothing of it (it lost everything since): the database's value, if it
        # lacks only the last change, made within the bound.
        value, age = stored.value, stored.stale_age()
    else:
        return None
    if age is None or age > bound:
        return None
    page.served_stale = True
    if not settings.WARM_SHARED_FIGURES or age > bound / 3:
        page.refresh.setdefault(name, (compute, get_language(), timeout, persist))
    return value


def _stale_from_cache(latest, version):
    """(the cache's last value of a figure, ``latest``, seconds since its version was retired), or
    (None, None) if it is not of a version before or that time is unknown."""
    if latest[0] >= version:  # none, or of this version and evicted, or a reset version
        return None, None
    retired = _safe(lambda: cache.get(RETIRED_KEY.format(latest[0])))
    if retired is None:
        return None, None
    return latest[1], time.time() - retired


@contextlib.contextmanager
def page_view(request):
    """The shared figures read within are those of a view of a page for ``request``."""
    page = _PageFigures(request)
    token = _page.set(page)
    try:
        yield page
    finally:
        _page.reset(token)


def served_stale_figures() -> bool:
    page = _page.get()
    return page is not None and page.served_stale


def refresh_stale_figures(refresh: dict) -> None:
    """Recompute the figures a page served stale (after its response was sent): each by one process
    per catalog version, skipped if someone has already done it."""
    for name, (compute, language, timeout, persist) in refresh.items():
        version = catalog_version()
        if _safe(lambda name=name, version=version: cache.get(figure_key(name, version))) is not None:
            continue
        lock = REFRESHING_KEY.format(version, name)
        bound = max(1, settings.SHARED_FIGURES_STALE_SECONDS)
        if not _safe(lambda lock=lock, bound=bound: cache.add(lock, 1, bound), default=False):
            continue
        try:
            with translation.override(language):
                _compute_and_store(name, version, compute, timeout=timeout, keep_latest=True, persist=persist)
        except Exception:  # noqa: BLE001 - the next page computes it once the bound has passed
            logger.exception("recomputing %s failed", name)
            continue


class SharedFiguresMiddleware:
    """Sets up _PageFigures for each request, and recomputes what the page served stale once the
    response has been sent. Near the outside of MIDDLEWARE, so that the response it hooks is the
    one the server sends."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with page_view(request) as page:
            response = self.get_response(request)
        if page.refresh:
            # Closers run in response.close(), which the WSGI server calls once the body is sent
            # (Django's own hook for that: FileResponse closes its file there).
            response._resource_closers.append(functools.partial(refresh_stale_figures, page.refresh))
        return response


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
            # A page with a figure of the version before must not stay for the whole version.
            and not served_stale_figures()
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
        # A migration's models are rendered in the module "__fake__" (django.db.migrations.state).
        catalog_changed(in_migration=sender.__module__ == "__fake__")


def advance_generation_after_migrate(sender, *, apps=None, using=None, **kwargs):
    """post_migrate of core: a migration may have changed the catalog (data migrations, or a search
    migration that empties the index), without moving the generation (see catalog_changed). Once
    per `migrate`, when every table exists. `flush` sends the signal without ``apps``: nothing to do."""
    if apps is None:
        return
    try:
        apps.get_model("core", "CatalogGeneration")
    except LookupError:  # migrated back to before it existed
        return
    if (using or DEFAULT_DB_ALIAS) == DEFAULT_DB_ALIAS:
        generation_advance()


def connect_invalidation():
    from django.core.signals import request_finished, request_started
    from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_migrate

    pre_migrate.connect(_migration_begins, dispatch_uid="core-cache-migration-begins")
    post_migrate.connect(_migration_ends, dispatch_uid="core-cache-migration-ends")
    request_started.connect(_request_begins, dispatch_uid="core-cache-request-begins")
    request_finished.connect(_request_ends, dispatch_uid="core-cache-request-ends")

    post_save.connect(_receiver, dispatch_uid="core-cache-save")
    post_delete.connect(_receiver, dispatch_uid="core-cache-delete")
    m2m_changed.connect(_receiver, dispatch_uid="core-cache-m2m")
