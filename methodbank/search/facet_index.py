"""The facets' inverted index: for each facet value, the published entries having it, as numpy
arrays of entry positions (what Lucene, Solr and Elasticsearch count facets from).

The search page of a selection (a keyword, a subtheme, a period, any combination of facet values)
counted each facet with one grouped SQL query over the selection: up to a second at 100,000 entries
for a selection nobody had asked for since the cache last had it. From this index a selection is a
boolean mask over the published entries, and a facet's counts are one gather and one bincount over
its postings (milliseconds at 100,000 entries, whatever the selection).

The counts are those of facets.facet_counts exactly: the same values (facet.entry_values gives each
entry's values, labels and sort keys), each facet counted with its own selection left out, the same
order. A facet without entry_values, and a selected value the index lacks (a keyword not approved,
which filters but is not counted; an id written "07"), is read from SQL as before.

The index is built once per catalog version (facet_index_build reads every entry's values: about a
second at 100,000 entries), by the warm-up the worker runs after a change and by `migrate` and the
import (core/cache.py warm_shared_figures), and kept like the other shared figures: in the cache,
in the database with the catalog generation (core/shared_figures.py), and in each web process for
the version (process_store). A previous version's index may serve an anonymous GET within
SHARED_FIGURES_STALE_SECONDS (cached_until_catalog_changes); signed-in users and other requests get
the current one.
"""

from __future__ import annotations

import gc
import logging
import pickle
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation

from methodbank.catalog.models import Practice
from methodbank.core.cache import cached_until_catalog_changes, served_stale_figures

from . import process_store

logger = logging.getLogger(__name__)

FIGURE_NAME = "search-facet-index"
# An IN list of entry ids per query when reading the labels of the other languages.
_LABEL_BATCH = 2000


@dataclass
class FacetPostings:
    """One facet's values (codes 0..k-1) and the positions of the entries having each one, grouped by
    value: value c's entries are positions[offsets[c]:offsets[c + 1]]."""

    param: str
    values: list[str]
    keys: list[tuple]  # each value's sort key (facet.entry_values)
    labels: dict[str, list]  # language -> each value's label
    offsets: np.ndarray
    positions: np.ndarray
    # Derived on first use in a process (not stored: they double the size kept in the cache).
    _codes: np.ndarray | None = field(default=None, repr=False)
    _lookup: dict | None = field(default=None, repr=False)

    def __getstate__(self):
        return {**self.__dict__, "_codes": None, "_lookup": None}

    @property
    def codes(self) -> np.ndarray:
        """The value code of each posting (parallel to positions)."""
        if self._codes is None:
            self._codes = np.repeat(np.arange(len(self.values), dtype=np.int32), np.diff(self.offsets))
        return self._codes

    @property
    def lookup(self) -> dict[str, int]:
        if self._lookup is None:
            self._lookup = {value: code for code, value in enumerate(self.values)}
        return self._lookup

    def entries_of(self, code: int) -> np.ndarray:
        return self.positions[self.offsets[code] : self.offsets[code + 1]]

    @property
    def nbytes(self) -> int:
        return self.offsets.nbytes + self.positions.nbytes + self.codes.nbytes


@dataclass
class FacetIndex:
    ids: np.ndarray  # the published entries' ids, ascending (an entry's position is its index here)
    facets: dict[str, FacetPostings]
    # The positions in the order of the search page's list (title, then id), as the database sorts
    # them (its collation, not Python's): a selection's list is then read from the index, whatever its
    # size. None in an index kept by older code (the list is read in SQL).
    by_title: np.ndarray | None = None

    @property
    def nbytes(self) -> int:
        """The arrays' memory (the values, keys and labels are a few thousand small objects)."""
        listed = self.by_title.nbytes if self.by_title is not None else 0
        return self.ids.nbytes + listed + sum(p.nbytes for p in self.facets.values())

    def mask_of_ids(self, ids) -> np.ndarray:
        """The published entries among ``ids`` (others are ignored)."""
        wanted = np.asarray(list(ids), dtype=np.int64)
        mask = np.zeros(len(self.ids), dtype=bool)
        if len(wanted) and len(self.ids):
            positions = np.searchsorted(self.ids, wanted).clip(0, len(self.ids) - 1)
            mask[positions[self.ids[positions] == wanted]] = True
        return mask


def _published() -> QuerySet:
    return Practice.objects.published()


def facet_index_build() -> FacetIndex:
    """Read every published entry's values of each facet (one query per facet: facet.index_pairs,
    or facet.entry_values for a facet without it), then each value's label and sort key in every
    language from one entry having it (facet.entry_values, a few queries)."""
    from .facets import _has_entry_values, all_facets

    ids = np.fromiter(_published().order_by("pk").values_list("pk", flat=True), dtype=np.int64)
    facets = {}
    for facet in all_facets():
        if not _has_entry_values(facet):
            continue
        published = _published().values("pk")
        if hasattr(facet, "index_pairs"):
            pairs = facet.index_pairs(published)
        else:
            pairs = [(pk, value) for pk, values in facet.entry_values(published).items() for value, _l, _k in values]
        entry_ids = np.fromiter((pk for pk, _value in pairs), dtype=np.int64, count=len(pairs))
        codes = {value: code for code, value in enumerate(dict.fromkeys(value for _pk, value in pairs))}
        entry_codes = np.fromiter((codes[value] for _pk, value in pairs), dtype=np.int64, count=len(pairs))
        del pairs
        positions, offsets = _postings(ids, entry_ids, entry_codes, len(codes))
        # Each value's first entry (a value whose entries all left meanwhile has none: dropped).
        values, representative = [], []
        for value, code in codes.items():
            if offsets[code + 1] > offsets[code]:
                values.append(value)
                representative.append(int(ids[positions[offsets[code]]]))
        if len(values) < len(codes):
            kept = [codes[value] for value in values]
            positions = np.concatenate([positions[offsets[c] : offsets[c + 1]] for c in kept] or [positions[:0]])
            offsets = np.concatenate([[0], np.cumsum([offsets[c + 1] - offsets[c] for c in kept])]).astype(np.int64)
        keys, labels = _labels_and_keys(facet, values, representative)
        facets[facet.param] = FacetPostings(facet.param, values, keys, labels, offsets, positions)
    return FacetIndex(ids, facets, _title_order(ids))


def _title_order(ids) -> np.ndarray:
    """The positions of ``ids`` in the list's order (title, id), read from the database so that the
    order is its collation's; an entry published or withdrawn while the index was read (it is then a
    version behind, never used as exact) is left out."""
    ordered = np.fromiter(_published().order_by("title", "pk").values_list("pk", flat=True), dtype=np.int64)
    if not len(ids) or not len(ordered):
        return np.zeros(0, dtype=np.int32)
    positions = np.searchsorted(ids, ordered).clip(0, len(ids) - 1)
    return positions[ids[positions] == ordered].astype(np.int32)


def _postings(ids, entry_ids, entry_codes, count) -> tuple[np.ndarray, np.ndarray]:
    """(positions grouped by value and ascending within, offsets) of the (entry, value) pairs, each
    pair once; entries no longer published (changed while this was read) are left out."""
    if not len(ids) or not len(entry_ids):
        return np.zeros(0, dtype=np.int32), np.zeros(count + 1, dtype=np.int64)
    positions = np.searchsorted(ids, entry_ids).clip(0, len(ids) - 1)
    found = ids[positions] == entry_ids
    pairs = np.unique(entry_codes[found] * len(ids) + positions[found])
    codes = pairs // len(ids)
    offsets = np.searchsorted(codes, np.arange(count + 1, dtype=np.int64))
    return (pairs % len(ids)).astype(np.int32), offsets.astype(np.int64)


def _labels_and_keys(facet, values, representative) -> tuple[list[tuple], dict[str, list]]:
    """Each value's sort key and its label in every language, as facet.entry_values gives them for
    one entry having it (a label is the value's, the same on every entry: a theme's name, a
    project's translated name)."""
    wanted = sorted(set(representative))
    keys, labels = {}, {}
    for language, _name in settings.LANGUAGES:
        found = {}
        with translation.override(language):
            for start in range(0, len(wanted), _LABEL_BATCH):
                for pk, entry_values in facet.entry_values(wanted[start : start + _LABEL_BATCH]).items():
                    for value, label, key in entry_values:
                        found[(pk, value)] = (label, key)
        pairs = [found.get((pk, value), (value, (value,))) for pk, value in zip(representative, values, strict=True)]
        labels[language] = [label for label, _key in pairs]
        keys = keys or [key for _label, key in pairs]
    return keys, labels


def facet_index() -> tuple[FacetIndex | None, bool]:
    """(the index, exact): exact unless a previous version's was served to this anonymous GET
    (then its counts are off by the last few seconds' changes, and a selection's count, which its
    list of entries must match, is read from SQL). An exact index is kept in this process for the
    catalog version. None within a page view when neither the cache nor the database has one (a
    build costs more than one page's SQL counts): it is built after the response."""
    store = process_store.store(FIGURE_NAME, 2)
    index = store.get(FIGURE_NAME)
    if index is not None:
        return index, True
    stale_before = served_stale_figures()
    packed = cached_until_catalog_changes(FIGURE_NAME, _packed_build, stale_while_revalidate=True, defer_in_page=True)
    if packed is None:
        return None, False
    try:
        # Without the collector: its thousands of labels set off a full collection of the process
        # (100 ms at 100,000 entries, in one cold page of ten); the index holds no reference cycle.
        collecting = gc.isenabled()
        gc.disable()
        try:
            index = pickle.loads(packed)  # noqa: S301 - written by _packed_build only
        finally:
            if collecting:
                gc.enable()
    except Exception:  # noqa: BLE001 - kept by older code (migrate recomputes it): this page counts in SQL
        logger.warning("the facet index kept does not load")
        return None, False
    if not isinstance(index, FacetIndex):
        return None, False
    exact = not stale_before and not served_stale_figures()
    if exact:
        store[FIGURE_NAME] = index
    return index, exact


def facet_index_if_loaded() -> FacetIndex | None:
    """The index if this process holds the current one (no query, no cache read beyond the store's
    token): for a search with words and filters, which must not wait for a build."""
    return process_store.store(FIGURE_NAME, 2).get(FIGURE_NAME)


def facet_index_warm() -> None:
    """The warmer registered in SearchConfig.ready (run after a catalog change, by `migrate`, by the
    import and by `manage.py warm_shared_figures`)."""
    cached_until_catalog_changes(FIGURE_NAME, _packed_build, stale_while_revalidate=True)


def _packed_build() -> bytes:
    """The index pickled once: the cache (and the database) then keep bytes, which a cache stores
    in a copy (pickling the index's thousands of labels cost a cold page 37 ms at 100,000 entries,
    twice per write)."""
    return pickle.dumps(facet_index_build(), protocol=pickle.HIGHEST_PROTOCOL)


@dataclass
class IndexedCounts:
    count: int  # entries in the whole selection
    counted: dict[str, list[tuple[str, object, int]]]  # param -> (value, label, count), in the facet's order
    ids: list[int] | None = None  # the selection's entries, when it has at most SELECTED_IDS_MAX
    listed: np.ndarray | None = None  # the selection's ids in the list's order (FacetIndex.by_title)


# A selection this small is listed from its ids (selectors.search_entries): PostgreSQL planned the
# IN subqueries of a theme and a keyword (146 entries) at 130-200 ms at 100,000 entries.
SELECTED_IDS_MAX = 2000


def index_counts(index: FacetIndex, facets, filters, *, ids=None, language: str) -> IndexedCounts:
    """Each indexed facet's (value, label, count) over the published entries (among ``ids`` if
    given) of the selection ``filters``, the facet's own selection left out; facets the index lacks
    are not in ``counted`` (the caller counts them in SQL)."""
    base = np.ones(len(index.ids), dtype=bool) if ids is None else index.mask_of_ids(ids)
    by_param = {facet.param: facet for facet in facets}
    masks = {
        param: _selected_mask(index, by_param[param], values) for param, values in filters.items() if param in by_param
    }
    everything = base.copy()
    for mask in masks.values():
        everything &= mask
    counted = {}
    for facet in facets:
        postings = index.facets.get(facet.param)
        if postings is None:
            continue
        if facet.param in masks:
            selection = base.copy()
            for param, mask in masks.items():
                if param != facet.param:
                    selection &= mask
        else:
            selection = everything
        counts = np.bincount(postings.codes[selection[postings.positions]], minlength=len(postings.values))
        present = np.flatnonzero(counts).tolist()
        if getattr(facet, "order", "count") == "key":
            present.sort(key=lambda c: postings.keys[c])
        else:
            present.sort(key=lambda c: (-counts[c], postings.keys[c]))
        labels = postings.labels.get(language) or next(iter(postings.labels.values()))
        counted[facet.param] = [(postings.values[c], labels[c], int(counts[c])) for c in present]
    count = int(everything.sum())
    listed = None
    if index.by_title is not None and ids is None:
        listed = index.ids[index.by_title[everything[index.by_title]]]
    return IndexedCounts(count, counted, index.ids[everything].tolist() if count <= SELECTED_IDS_MAX else None, listed)


def _selected_mask(index: FacetIndex, facet, values) -> np.ndarray:
    """The published entries having one of ``values`` of the facet: from the postings, and in SQL
    (facet.filter, as apply_filters) for values the postings lack, so that the selection is the
    one the SQL filters make."""
    mask = np.zeros(len(index.ids), dtype=bool)
    postings = index.facets.get(facet.param)
    unknown = []
    for value in values:
        code = postings.lookup.get(value) if postings is not None else None
        if code is None:
            unknown.append(value)
        else:
            mask[postings.entries_of(code)] = True
    if unknown:
        mask |= index.mask_of_ids(facet.filter(_published(), unknown).order_by().values_list("pk", flat=True))
    return mask
