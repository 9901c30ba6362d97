"""What changed between two sets of entry snapshots: entries added, changed (on which fields) and removed.

One diff for every comparison of published content: two versions of a report, a report version and
the catalog now (the report page and the API answer). An entry snapshot is a dict with at least
``id`` and ``title`` and, since reports freeze it, ``content``: ``public_contents()``'s
``PracticeContent`` as JSON. Fields are compared with the moderation queue's ``version_diff``, so
every field counts, translations included, with the same labels and line diff.

Reports published before their entries carried ``content`` froze only the title, the summary, the
project and the places in the report; where either side lacks ``content``, only those are compared,
so an old version never looks as if every field of every entry had changed.
"""

from dataclasses import dataclass, field

from .selectors import version_diff


@dataclass
class EntryChange:
    entry: dict  # the newer snapshot (the older one for a removed entry)
    previous: dict | None = None
    # version_diff's items: {"key", "label", "lines": [(op, text)], "too_large"?}
    fields: list = field(default_factory=list)

    @property
    def field_keys(self) -> list[str]:
        return [change["key"] for change in self.fields]


@dataclass
class EntriesComparison:
    new: list
    changed: list
    removed: list

    @property
    def has_differences(self) -> bool:
        return bool(self.new or self.changed or self.removed)


def _legacy_content(entry: dict) -> dict:
    """The fields an entry snapshot without ``content`` holds, under the content's keys."""
    return {
        "kind": entry.get("kind", ""),
        "title": entry.get("title", ""),
        "summary": entry.get("summary", ""),
        "project_name": entry.get("project", ""),
        "placements": [{"label": place} for place in sorted(entry.get("places") or [])],
    }


def entry_fields_changed(old: dict, new: dict) -> list[dict]:
    """version_diff of two snapshots of one entry (empty when nothing a visitor sees changed)."""
    old_content, new_content = old.get("content"), new.get("content")
    if old_content is None or new_content is None:
        old_content, new_content = _legacy_content(old), _legacy_content(new)
    if old_content == new_content:  # the common case, without diffing text
        return []
    return version_diff(old_content, new_content)


def entries_compare(*, old: dict, new: dict) -> EntriesComparison:
    """Compare {key: entry snapshot} mappings (a report context's ``entries``), sorted by title."""
    added = [EntryChange(entry=new[key]) for key in new.keys() - old.keys()]
    removed = [EntryChange(entry=old[key]) for key in old.keys() - new.keys()]
    changed = []
    for key in new.keys() & old.keys():
        fields = entry_fields_changed(old[key], new[key])
        if fields:
            changed.append(EntryChange(entry=new[key], previous=old[key], fields=fields))

    def by_title(change):
        return (change.entry["title"].casefold(), change.entry["id"])

    return EntriesComparison(
        new=sorted(added, key=by_title), changed=sorted(changed, key=by_title), removed=sorted(removed, key=by_title)
    )
