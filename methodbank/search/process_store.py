"""Dictionaries kept in each web process until the catalog changes.

A search page reads, for its ranked entries, what only changes with the catalog: each entry's
facet values, and the entries shown with their translations. Reading them from the database on
every request cost more than the ranking itself, so each process keeps what it has read.

A store is valid while the shared cache holds the same token: a catalog change (which bumps the
catalog version, see core/cache.py) or a cleared cache starts a new token, and every process drops
its stores on its next request. Each store holds at most ``max_items`` keys and starts again empty
when full: a search touches few entries, and a bound keeps a process's memory flat at any catalog
size.
"""

import threading
import uuid

from methodbank.core.cache import cached_until_catalog_changes, request_memo

TOKEN_NAME = _TOKEN = "process-store-token"  # a figure kept until the catalog changes
_lock = threading.Lock()
_state: dict = {"token": None, "stores": {}}


def _current_stores() -> dict:
    global _state
    memo = request_memo()
    token = memo.get(_TOKEN) if memo is not None else None
    if token is None:
        token = cached_until_catalog_changes(_TOKEN, lambda: uuid.uuid4().hex)
        if memo is not None:
            memo[_TOKEN] = token
    state = _state
    if state["token"] != token:
        with _lock:
            if _state["token"] != token:
                _state = {"token": token, "stores": {}}
            state = _state
    return state["stores"]


def store(name: str, max_items: int) -> dict:
    """This process's dictionary ``name`` for the catalog as it is now. The caller reads and
    writes it; values must be treated as read-only (another request may be using them)."""
    stores = _current_stores()
    current = stores.setdefault(name, {})
    if len(current) >= max_items:
        # Replaced, not cleared: a request that still holds the full dict keeps a consistent one.
        current = stores[name] = {}
    return current
