"""System checks for a scaled-out bank.

The log-in locks (allauth's ACCOUNT_RATE_LIMITS), the API and evaluation rate limits and the page
cache's version all live in the cache. A process-local cache (local memory, or the dummy cache that
keeps nothing) gives each gunicorn worker its own counters: with four workers a client gets four
times the log-in attempts, and a publish retires the cached pages of one worker only. That is
invisible in a test on one process, so the bank refuses it whenever more than one process serves it.
"""

from django.conf import settings
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

# Backends whose data one process cannot share with another (subclasses included, so a project
# wrapper of either is caught too; Redis, Memcached, database and file caches are shared).
PROCESS_LOCAL_CACHES = (LocMemCache, DummyCache)


def _is_process_local(backend_path: str) -> bool:
    try:
        backend = import_string(backend_path)
    except ImportError:
        return False  # Django's own cache check reports a backend that cannot be imported.
    return isinstance(backend, type) and issubclass(backend, PROCESS_LOCAL_CACHES)


def process_local_cache_problem() -> str | None:
    """Why this configuration would multiply the limits, or None when it is safe."""
    processes = getattr(settings, "APP_PROCESSES", 1)
    if settings.DEBUG or processes <= 1:
        return None
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if not _is_process_local(backend):
        return None
    return (
        f"The cache ({backend}) is local to each process, but WEB_CONCURRENCY says {processes} "
        "processes serve the bank: every worker would count log-in locks and rate limits on its own "
        "(multiplying them) and keep its own page-cache version. Set CACHE_URL to a shared cache "
        "(redis://...)."
    )


@register(Tags.caches, Tags.security)
def check_shared_cache(app_configs=None, **kwargs):
    # Not deploy-only: `manage.py check`, runserver and migrate show it as well as `check --deploy`.
    problem = process_local_cache_problem()
    if problem is None:
        return []
    return [Error(problem, id="core.E001", hint="See docs/deployment.md, 'Several app servers'.")]


def refuse_process_local_cache() -> None:
    """Called by config/wsgi.py: an app server never starts with limits it would multiply."""
    problem = process_local_cache_problem()
    if problem is not None:
        raise ImproperlyConfigured(problem)
