"""Where an imported entry came from, told to its readers.

An imported entry's ``published_at`` is the day of the import; its readers need the report's own
date, and to know why the entry is only a summary: the report gave one paragraph per entry and
linked to the full descriptions on arjenarkki.fi, which closed on 1.12.2020.
"""

import datetime
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class SourceReport:
    key: str  # the prefix of Practice.source ("zoomi-2020:line 150")
    name: Promise
    # The report names a season, not a day: shown as the season, machine-readable as the year.
    published: Promise
    published_iso: str
    original_site: str
    original_site_closed: datetime.date


SOURCE_REPORTS = {
    "zoomi-2020": SourceReport(
        key="zoomi-2020",
        name=_("the Zoomi report"),
        published=_("autumn 2020"),
        published_iso="2020",
        original_site="arjenarkki.fi",
        original_site_closed=datetime.date(2020, 12, 1),
    ),
}


def practice_source_report(practice) -> SourceReport | None:
    """The report an imported entry came from (None for an entry written in the bank)."""
    key = (practice.source or "").split(":", 1)[0]
    return SOURCE_REPORTS.get(key) if key else None
