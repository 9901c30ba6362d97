"""Whole entries as JSON, each kept until the catalog changes (issue 23).

A page of 100 whole entries (/api/v1/entries?limit=100) cost 50-70 ms of CPU at every request at
100,000 entries: loading each entry's relations (six prefetches, most of it Django's per-object
bookkeeping), building its dict, and ninja's validation of the page against the schema (a fifth of
it). None of that changes until the catalog does, so each entry's JSON text is kept, per entry and
per language (the evaluation's label, the source report's name and the regions' names are in the
request's language), under the catalog version (core.cache): every write to the catalog, search,
evaluation or reports apps retires every kept entry at once, as it retires the cached pages. Nothing
else of the request changes an entry's JSON (addresses use the default language and SITE_URL).

A page then reads its ids (one query), the kept entries (one get_many) and renders only those it
lacks, and writes the page around them without taking them apart again.

One shape: each entry is validated and dumped through ``schemas.EntryOut`` and written by the API's
own renderer, exactly what ninja does with the same dict, and the envelope through
``schemas.EntryPage``. The OpenAPI schema is unchanged; tests/test_entry_json.py checks that the
pages equal the schema path's output for varied entries in every language.
"""

import uuid
from dataclasses import dataclass

from django.utils.translation import get_language

from methodbank.core.cache import many_cached_until_catalog_changes

from . import selectors
from .renderers import render_json
from .schemas import EntryOut

# Each kept entry is about 2.5 KB: a client walking the whole bank leaves 250 MB per language in the
# cache. A catalog change makes them unreachable at once; the timeout frees them soon after (and a
# page read by many is rendered again only once per timeout).
ENTRY_JSON_SECONDS = 15 * 60
# Their cache (config/settings.py): their own beside a process-local default cache, else the default.
ENTRY_CACHE = "api-entries"


@dataclass(frozen=True)
class EntryJSON:
    """An entry's JSON text and the times its Last-Modified is made of."""

    pk: int
    text: str
    updated_at: object
    adoptions_changed: object  # when its adoption records last changed (None: none, or not a model)


def entries_json(pks) -> list[EntryJSON]:
    """The published entries among ``pks``, in that order, as JSON: kept ones from the cache, the
    others rendered (and kept). An id that is not a published entry is left out."""
    language = get_language()
    names = {pk: f"api-entry:{language}:{pk}" for pk in pks}
    by_name = {name: pk for pk, name in names.items()}

    def render(missing_names):
        rendered = _render([by_name[name] for name in missing_names])
        return {names[pk]: value for pk, value in rendered.items()}

    kept = many_cached_until_catalog_changes(
        list(names.values()), render, timeout=ENTRY_JSON_SECONDS, using=ENTRY_CACHE
    )
    return [EntryJSON(pk, *kept[names[pk]]) for pk in pks if names[pk] in kept]


def _render(pks) -> dict:
    """{pk: (JSON text, updated_at, adoptions changed)} for the published entries among ``pks``: the
    relations in a fixed number of queries, whatever their number."""
    entries = list(selectors.entry_queryset().filter(pk__in=pks).order_by("pk"))
    adoptions, adoptions_changed = selectors.entry_adoptions_by_entry(entries)
    evaluations = selectors.entry_evaluations(entries)
    return {
        entry.pk: (
            entry_text(selectors.entry_to_dict(entry, evaluations.get(entry.pk), adoptions.get(entry.pk))),
            entry.updated_at,
            adoptions_changed.get(entry.pk),
        )
        for entry in entries
    }


def entry_text(entry: dict) -> str:
    """An entry's dict as ninja answers it for a response of ``EntryOut``: validated, dumped with
    ninja's defaults (no aliases, nothing excluded), and rendered."""
    return render_json(EntryOut.model_validate(entry).model_dump())


def page_text(schema, envelope: dict, results: list[str]) -> str:
    """A page's JSON with ``results`` (JSON texts of its items) in it as they are: the envelope is
    validated and dumped through ``schema`` with no results, and the items are put where its
    ``results`` member is, without being parsed and written again. The same bytes as ninja's."""
    marker = uuid.uuid4().hex  # a string no member of the envelope can hold
    dumped = schema.model_validate({**envelope, "results": []}).model_dump()
    dumped["results"] = marker
    head, tail = render_json(dumped).split(f'"{marker}"')
    return f"{head}[{','.join(results)}]{tail}"
