"""What the importer found wrong in a report, as findings tied to the entry or project they concern.

The import command prints them; the apps above catalog get them through the ``import_findings``
signal (contributions turns each into an item of the coordinators' data-quality queue). A finding's
``key`` is stable across runs of the same report, so a re-import finds the same findings again and the
queue can tell them from new ones.
"""

import bisect
import re
from dataclasses import dataclass

from methodbank.catalog.models import Practice, Project

from .parser import ParsedReport, describe_char, garbled_characters

GARBLED = "garbled"
LOOSE_MATCH = "loose_match"
REPEATED_PARAGRAPH = "repeated_paragraph"
POSSIBLE_DUPLICATE = "possible_duplicate"
MISSING_SECTIONS = "missing_sections"

_LINE_RE = re.compile(r"on line (\d+)")


@dataclass(frozen=True)
class Finding:
    kind: str
    key: str
    detail: str = ""
    practice: Practice | None = None
    project: Project | None = None


def _garbled(text: str) -> tuple[str, str] | None:
    """(key, detail) for the garbled characters of ``text``, or None."""
    chars = list(dict.fromkeys(c for line in text.split("\n") for c in garbled_characters(line)))
    if not chars:
        return None
    words = sorted({w for w in text.split() if any(c in w for c in chars)})
    detail = ", ".join(describe_char(c) for c in chars) + " in " + ", ".join(repr(w) for w in words[:3])
    return "".join(sorted(chars)), detail


class _Owners:
    """Which entry a line of the report's body belongs to: the last entry (or heading) starting on
    or before it. A theme's or subtheme's own prose belongs to no entry."""

    def __init__(self, report: ParsedReport, practices_by_line: dict[int, Practice]):
        starts = {e.line: practices_by_line.get(e.line) for e in report.entries}
        for first, line in report.relisted:
            starts[line] = practices_by_line.get(first.line)
        for heading in [*report.themes, *report.subthemes, *report.periods, *report.projects]:
            starts.setdefault(heading.line, None)
        self.lines = sorted(starts)
        self.owners = [starts[line] for line in self.lines]

    def __call__(self, line: int) -> Practice | None:
        index = bisect.bisect_right(self.lines, line) - 1
        return self.owners[index] if index >= 0 else None


def report_findings(report: ParsedReport, *, practices_by_line: dict[int, Practice],
                    projects: dict[str, Project], near_duplicates) -> list[Finding]:
    """Every finding of one import: garbled characters, loose project-name matches, repeated
    paragraphs, possible duplicates and missing sections, each tied to its entry or project.

    Garbled characters and missing sections are read from the rows as they are now, so what a
    coordinator has corrected is not found again."""
    findings = []
    # Read again whole (the loader fetched existing rows with a few columns), links for the sections.
    fresh = Practice.objects.prefetch_related("links").in_bulk({p.pk for p in practices_by_line.values()})
    practices_by_line = {line: fresh[p.pk] for line, p in practices_by_line.items()}
    practices = list({p.pk: p for p in practices_by_line.values()}.values())
    for practice in practices:
        garbled = _garbled(f"{practice.title}\n{practice.summary}")
        if garbled:
            findings.append(Finding(GARBLED, garbled[0], garbled[1], practice=practice))
    for project in {p.pk: p for p in projects.values()}.values():
        garbled = _garbled(f"{project.name}\n{project.description}")
        if garbled:
            findings.append(Finding(GARBLED, garbled[0], garbled[1], project=project))

    owner = _Owners(report, practices_by_line)
    for match in report.loose_matches:
        project = projects.get(match.project)
        practice = owner(match.line) if match.where == "entry" else None
        detail = f"line {match.line}: '{match.spelling}' was read as '{match.project}' ({match.stage})"
        findings.append(Finding(LOOSE_MATCH, f"{match.where}:{match.spelling}", detail,
                                practice=practice, project=project))
    for warning in report.warnings:
        if "paragraph repeats" not in warning.message:
            continue
        practice = owner(warning.line)
        if practice is None:  # a theme's prose repeating an entry's description: that entry's
            other = _LINE_RE.search(warning.message)
            practice = owner(int(other.group(1))) if other else None
        if practice is not None:
            findings.append(Finding(REPEATED_PARAGRAPH, f"line:{warning.line}", str(warning), practice=practice))
    for practice, other, score in near_duplicates:
        findings.append(Finding(POSSIBLE_DUPLICATE, f"other:{other.pk}",
                                f"reads like '{other.title}' (similarity {score:.2f})", practice=fresh.get(practice.pk, practice)))
    for practice in practices:
        if practice.missing_sections():
            # The queue lists the sections as they are when it is read (they get filled in).
            findings.append(Finding(MISSING_SECTIONS, "sections", practice=practice))
    return findings
