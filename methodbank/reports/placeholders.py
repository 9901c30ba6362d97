"""Counts inside coordinator-written text.

The seed report typed its counts by hand and contradicted itself (its preface and its theme
introductions give different numbers for the same themes). Here a text never holds a typed count:
it holds a placeholder such as ``{entries}`` or ``{B.models}`` and the builder fills it in from the
same numbers it prints in the theme headings.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Counts of one theme (in a theme introduction, bare: {models}; in the preface, prefixed: {A.models}).
THEME_KEYS = {
    "models": "distinct models",
    "good_practices": "distinct good practices",
    "entries": "distinct entries (models and good practices)",
    "new": "entries placed in the newest period",
    "earlier": "entries placed only in earlier periods",
}
# Counts of the whole report.
REPORT_KEYS = {
    **THEME_KEYS,
    "projects": "projects in the annexes",
    "projects_active": "projects in the annexes that had not ended when the report was built",
    "themes": "themes in the report",
}

PLACEHOLDER_RE = re.compile(r"\{([A-Za-z]\.)?([a-z_]+)\}")


def validate_placeholders(text: str, *, scope: str) -> None:
    """Raise ValidationError naming every placeholder the builder would not know how to fill."""
    from .authored import CONDITION_RE, PERIOD_KEYS, TEXT_PLACEHOLDER_RE, syntax_errors

    allowed = THEME_KEYS if scope == "theme" else REPORT_KEYS
    syntax = syntax_errors(text, scope=scope)
    if syntax:
        raise ValidationError(syntax)
    unknown = []
    # Block markers ({if …}, {else}, {end}) and period names are the template syntax, not counts.
    text = CONDITION_RE.sub(" ", text or "")
    text = TEXT_PLACEHOLDER_RE.sub(" ", text)
    for match in PLACEHOLDER_RE.finditer(text or ""):
        prefix, key = match.groups()
        known = key in (THEME_KEYS if prefix else allowed)
        if scope == "theme" and prefix:
            known = False
        if not known:
            unknown.append(match.group(0))
    if unknown:
        raise ValidationError(
            _("Unknown placeholder(s): %(names)s. Known: %(known)s.")
            % {
                "names": ", ".join(sorted(set(unknown))),
                "known": ", ".join(f"{{{k}}}" for k in [*allowed, *PERIOD_KEYS])
                + (", {A.models} …" if scope != "theme" else ""),
            }
        )


def fill_placeholders(text: str, *, counts: dict, theme_counts: dict) -> str:
    """Replace placeholders with numbers. ``theme_counts`` maps a theme code to that theme's counts.

    A theme the report does not include counts as zero: that is what the report contains for it.
    """

    def replace(match):
        prefix, key = match.groups()
        if prefix:
            return str(theme_counts.get(prefix[0].upper(), {}).get(key, 0))
        return str(counts.get(key, match.group(0)))

    return PLACEHOLDER_RE.sub(replace, text or "")
