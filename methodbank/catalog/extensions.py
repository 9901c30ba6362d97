"""What the apps above catalog add to its pages, without catalog importing them.

Dependencies run one way (core ← accounts ← catalog ← search, contributions, evaluation ← reports,
api): catalog never imports a higher app, not even inside a function. Where a catalog page shows
something a higher app owns (a model's evaluation status, the entries most like this one), that app
registers a function here in its ``AppConfig.ready()``, and catalog's views and templates call what is
registered. With nothing registered the pages still render, without those parts.

- Listing annotators: ``annotator(entries)`` sets attributes on the listed entries, in a fixed number
  of queries whatever their number (evaluation sets ``entry.evaluation``).
- Entry page blocks: ``block(request, practice) -> str`` renders HTML into a named slot of an entry's
  page (``"status"`` under its facts, ``"related"`` after its links).
- Search facets: search, contributions and evaluation are siblings that never import each other, so
  evaluation's facet reaches the search page through here. A facet is any object with ``param``,
  ``label``, ``filter(queryset, values)`` and ``counts(queryset)`` (search.facets.Facet's shape).
- Duplicate finders: ``finder(*, title, summary, text, exclude_pk)`` returns entries or
  (entry, score) pairs like the given text; search registers one, the coordinator's queue shows them.
- Front page blocks: ``block(request) -> str`` renders HTML beside the themes on the front page
  (search's "browse by target group, education level and transition stage").
- Entry form parts: fields a higher app adds to the contributor's entry form (search's browse
  values). A part has ``fields(practice) -> dict[name, forms.Field]``, ``initial(practice) -> dict``
  and ``save(*, practice, cleaned_data, by)``, called after the entry itself is saved.
- Export fields: columns a higher app adds to the open data exports of entries (search's browse
  values): ``columns`` as (name, type, description) and ``provider(ids) -> {id: {name: value}}``,
  called once per chunk of exported entries. A value is a string or a list of strings.
- Erasure steps of an account are accounts' own registry (accounts.erasure), not here.
"""

from collections.abc import Callable, Iterable

from django.utils.safestring import SafeString, mark_safe

ENTRY_SLOTS = ("status", "related", "claim")

_listing_annotators: list[Callable] = []
_entry_blocks: dict[str, list[Callable]] = {slot: [] for slot in ENTRY_SLOTS}


def register_listing_annotator(annotator: Callable) -> Callable:
    if annotator not in _listing_annotators:  # ready() may run twice in tests
        _listing_annotators.append(annotator)
    return annotator


def annotate_listing(entries: Iterable) -> list:
    """Let each registered app add its part to a page of listed entries; returns them as a list."""
    entries = list(entries)
    if entries:
        for annotator in _listing_annotators:
            annotator(entries)
    return entries


def register_entry_block(slot: str, block: Callable) -> Callable:
    if slot not in _entry_blocks:
        raise ValueError(f"Unknown entry page slot {slot!r}; the slots are {ENTRY_SLOTS}")
    if block not in _entry_blocks[slot]:
        _entry_blocks[slot].append(block)
    return block


def entry_blocks(slot: str, *, request, practice) -> SafeString:
    # Each block renders its own template, which escapes what it shows.
    return mark_safe("".join(str(block(request, practice)) for block in _entry_blocks[slot]))  # noqa: S308


_search_facets: list[tuple[object, str | None]] = []


def register_search_facet(facet, *, before: str | None = None):
    """``before``: the param of the facet this one is shown in front of (by default it goes last)."""
    if all(registered.param != facet.param for registered, _before in _search_facets):
        _search_facets.append((facet, before))
    return facet


def registered_search_facets() -> list[tuple[object, str | None]]:
    return list(_search_facets)


_duplicate_finders: list[Callable] = []


def register_duplicate_finder(finder: Callable) -> Callable:
    if finder not in _duplicate_finders:
        _duplicate_finders.append(finder)
    return finder


def find_duplicates(*, title: str, summary: str, text: str = "", exclude_pk=None) -> list:
    """Possible duplicates of a submitted text from every registered finder (none registered: none)."""
    results = []
    for finder in _duplicate_finders:
        results.extend(finder(title=title, summary=summary, text=text, exclude_pk=exclude_pk) or [])
    return results


_front_page_blocks: list[Callable] = []


def register_front_page_block(block: Callable) -> Callable:
    if block not in _front_page_blocks:
        _front_page_blocks.append(block)
    return block


def front_page_blocks(*, request) -> SafeString:
    # Each block renders its own template, which escapes what it shows.
    return mark_safe("".join(str(block(request)) for block in _front_page_blocks))  # noqa: S308


_entry_form_parts: list = []


def register_entry_form_part(part):
    if part not in _entry_form_parts:
        _entry_form_parts.append(part)
    return part


def entry_form_parts() -> list:
    return list(_entry_form_parts)


_export_fields: dict[str, list[tuple[list, Callable]]] = {}


def register_export_fields(what: str, *, columns: list[tuple[str, str, str]], provider: Callable):
    registered = _export_fields.setdefault(what, [])
    if all(existing != columns for existing, _provider in registered):
        registered.append((columns, provider))
    return provider


def export_fields(what: str) -> list[tuple[list, Callable]]:
    return list(_export_fields.get(what, []))
