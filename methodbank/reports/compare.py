"""Comparing two published versions of a report: what is new, what changed, what was removed.

Works on the frozen contexts only, so a comparison never depends on today's catalog.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

COMPARED_FIELDS = {
    "title": _("title"),
    "summary": _("summary"),
    "project": _("project"),
    "places": _("placements"),
}


@dataclass
class EntryChange:
    entry: dict
    previous: dict | None = None
    fields: list = field(default_factory=list)  # [(label, old, new)]


@dataclass
class ReportComparison:
    new: list
    changed: list
    removed: list

    @property
    def has_differences(self):
        return bool(self.new or self.changed or self.removed)


def report_compare(*, new_context: dict, old_context: dict) -> ReportComparison:
    new_entries = new_context.get("entries", {})
    old_entries = old_context.get("entries", {})
    added = [EntryChange(entry=new_entries[k]) for k in new_entries.keys() - old_entries.keys()]
    removed = [EntryChange(entry=old_entries[k]) for k in old_entries.keys() - new_entries.keys()]
    changed = []
    for key in new_entries.keys() & old_entries.keys():
        now, before = new_entries[key], old_entries[key]
        fields = []
        for name, label in COMPARED_FIELDS.items():
            old_value, new_value = before.get(name), now.get(name)
            if name == "places":
                old_value, new_value = sorted(old_value or []), sorted(new_value or [])
                if old_value != new_value:
                    fields.append((label, "; ".join(old_value), "; ".join(new_value)))
            elif old_value != new_value:
                fields.append((label, old_value, new_value))
        if fields:
            changed.append(EntryChange(entry=now, previous=before, fields=fields))

    def by_title(change):
        return (change.entry["title"].casefold(), change.entry["id"])

    return ReportComparison(new=sorted(added, key=by_title), changed=sorted(changed, key=by_title), removed=sorted(removed, key=by_title))
