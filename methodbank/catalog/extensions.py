"""What the apps above catalog add to its pages, without catalog importing them.

Dependencies run one way (core ← accounts ← catalog ← search, contributions, evaluation ← reports,
api): catalog never imports a higher app, not even inside a function. Where a catalog page shows
something a higher app owns (a model's evaluation status, the entries most like this one), that app
registers a function here in its ``AppConfig.ready()``, and catalog's views and templates call what is
registered. With nothing registered the pages still render, without those parts.

- Listing annotators: ``annotator(entries)`` sets attributes on the listed entries, in a fixed number
  of queries whatever their number (evaluation sets ``entry.evaluation``).
- Entry page blocks: ``block(request, practice) -> str`` renders HTML into a named slot of an entry's
  page (``"status"`` under its facts, ``"related"`` after its links, ``"claim"`` in an imported entry's
  invitation, ``"adoption"`` in a model's adoption section: contributions' "we adopted this model").
- Search facets: search, contributions and evaluation are siblings that never import each other, so
  evaluation's facet reaches the search page through here. A facet is any object with ``param``,
  ``label``, ``filter(queryset, values)`` and ``counts(queryset)`` (search.facets.Facet's shape).
- Duplicate finders: ``finder(*, title, summary, text, exclude_pk)`` returns entries or
  (entry, score) pairs like the given text; search registers one, the coordinator's queue shows them.
- Followable page blocks: ``block(request, *, kind, key, obj=None) -> str`` renders HTML into a slot
  of a page someone can follow (slot ``"head"`` inside ``<head>``, ``"follow"`` under the heading). ``kind`` names
  what the page shows (``"all"`` for the front page, ``"theme"``, ``"subtheme"``, ``"project"``,
  ``"search"``, ``"concept"``) and ``key`` which one; ``obj`` is the object the page shows (its theme,
  subtheme or project), so a block needs no query to name it. Follows adds its feed links and follow
  button.
- Own page sections: ``section(request) -> str`` renders a section of the signed-in user's own page
  (contributions' page; follows lists the user's follows there, usage shows the monthly figures of
  the user's team entries).
- Report changes: reports and api are siblings, so the API's answer to "what is new since this
  published report version" reaches reports through here. Reports registers
  ``provider(*, slug, version)``, which returns None for no such published version, else
  ``{"report": {slug, version, title, language, published_at, url}, "comparison":
  contributions.changes.EntriesComparison}``.
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

ENTRY_SLOTS = ("status", "related", "claim", "adoption")

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


FOLLOWABLE_SLOTS = ("head", "follow")
_followable_blocks: dict[str, list[Callable]] = {slot: [] for slot in FOLLOWABLE_SLOTS}


def register_followable_block(slot: str, block: Callable) -> Callable:
    if slot not in _followable_blocks:
        raise ValueError(f"Unknown followable page slot {slot!r}; the slots are {FOLLOWABLE_SLOTS}")
    if block not in _followable_blocks[slot]:
        _followable_blocks[slot].append(block)
    return block


def followable_blocks(slot: str, *, request, kind: str, key: str = "", obj=None) -> SafeString:
    # Each block renders its own template, which escapes what it shows.
    return mark_safe(  # noqa: S308
        "".join(str(block(request, kind=kind, key=str(key), obj=obj)) for block in _followable_blocks[slot])
    )


_own_page_sections: list[Callable] = []


def register_own_page_section(section: Callable) -> Callable:
    if section not in _own_page_sections:
        _own_page_sections.append(section)
    return section


def own_page_sections(request) -> SafeString:
    return mark_safe("".join(str(section(request)) for section in _own_page_sections))  # noqa: S308


_report_changes_providers: list[Callable] = []


def register_report_changes(provider: Callable) -> Callable:
    if provider not in _report_changes_providers:
        _report_changes_providers.append(provider)
    return provider


def report_changes(*, slug: str, version: int) -> dict | None:
    """What changed since a published report version (None: no such version, or no reports app)."""
    for provider in _report_changes_providers:
        found = provider(slug=slug, version=version)
        if found is not None:
            return found
    return None


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
