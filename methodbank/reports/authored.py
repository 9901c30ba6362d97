"""Authored report text that follows its data, and the check that it does not contradict it.

Texts a coordinator writes into a report definition (preface, introduction, theme introductions)
are rich text with a small template syntax. Nothing else; it is not a programming language:

``{models}``, ``{good_practices}``, ``{entries}``, ``{new}``, ``{earlier}``
    A count computed from the report's entries (the theme's own in a theme introduction, the whole
    report's in the preface and introduction, which also know ``{projects}``, ``{projects_active}``,
    ``{themes}`` and a theme's counts as ``{A.models}``). See ``placeholders.py``.
``{newest_period}``, ``{newest_period_dates}``
    The newest period the report covers, named by its dates: "ZOOMI … (1.5.2019–31.12.2021)" and
    "1.5.2019–31.12.2021". Periods are never called "current": a report outlives its period.
``{if models}…{end}``, ``{if no models}…{end}``, ``{if A.new}…{else}…{end}``
    A conditional block: shown only when the count is above zero (``{if no …}``: only when it is
    zero), with an optional ``{else}``. Blocks do not nest.

Subtheme descriptions come from the catalog and are printed in the report as they are; they take
no syntax but are checked like the rest.

The check (``check_report_texts``) reads every text as the report will print it, sentence by
sentence, against the computed numbers, and reports (where, sentence, reason) when:

1. a sentence claims that a set is empty while it is not, or lists a set that is empty (see
   ``EMPTY_CLAIMS`` and ``NONEMPTY_CLAIMS``: Finnish, Swedish and English wordings);
2. a literal number counts entries, models, practices, projects or results where a computed value
   exists (``25 mallia``; write ``{models} mallia``);
3. a period is called current (``nykyinen kausi``, ``current period``, ``innevarande period``) when
   the newest period of the report has ended.

Publishing a report and ``manage.py build_report`` refuse while any problem remains.
"""

import html
import re
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .placeholders import PLACEHOLDER_RE, REPORT_KEYS, THEME_KEYS

PERIOD_KEYS = {
    "newest_period": "the newest period, its name and dates",
    "newest_period_dates": "the dates of the newest period",
}
TEXT_PLACEHOLDER_RE = re.compile(r"\{(newest_period|newest_period_dates)\}")
CONDITION_RE = re.compile(r"\{if (no )?([A-Za-z]\.)?([a-z_]+)\}|\{else\}|\{end\}")


# ---------------------------------------------------------------------------------------------
# Syntax: validation and rendering
# ---------------------------------------------------------------------------------------------


def _known(prefix, key, scope) -> bool:
    if scope == "theme":
        return not prefix and key in THEME_KEYS
    return key in (THEME_KEYS if prefix else REPORT_KEYS)


def syntax_errors(text: str, *, scope: str) -> list[str]:
    """What is wrong with the template syntax of ``text`` (empty when nothing is)."""
    errors = []
    depth = 0
    for match in CONDITION_RE.finditer(text or ""):
        token = match.group(0)
        if token.startswith("{if "):
            if depth:
                errors.append(_("Conditional blocks cannot be nested: %(token)s") % {"token": token})
            depth += 1
            _no, prefix, key = match.groups()
            if not _known(prefix, key, scope):
                errors.append(_("Unknown count in %(token)s.") % {"token": token})
        elif token == "{else}" and depth == 0:
            errors.append(_("{else} without {if …}."))
        elif token == "{end}":
            if depth == 0:
                errors.append(_("{end} without {if …}."))
            depth = max(depth - 1, 0)
    if depth:
        errors.append(_("{if …} without {end}."))
    return errors


def validate_authored(text: str, *, scope: str) -> None:
    errors = syntax_errors(text, scope=scope)
    if errors:
        raise ValidationError(errors)


def _count(prefix, key, counts, theme_counts):
    if prefix:
        return theme_counts.get(prefix[0].upper(), {}).get(key, 0)
    return counts.get(key, 0)


def _apply_conditions(text: str, counts: dict, theme_counts: dict) -> str:
    """Keep the branch of each {if}/{else}/{end} block that the counts choose."""
    out, pos = [], 0
    keep_stack = []  # None outside a block; True/False for the branch being read
    keeping = True
    for match in CONDITION_RE.finditer(text):
        if keeping:
            out.append(text[pos:match.start()])
        token = match.group(0)
        if token.startswith("{if "):
            negated, prefix, key = match.groups()
            value = _count(prefix, key, counts, theme_counts)
            condition = (value == 0) if negated else (value > 0)
            keep_stack.append(condition)
            keeping = condition
        elif token == "{else}" and keep_stack:
            keep_stack[-1] = not keep_stack[-1]
            keeping = keep_stack[-1]
        elif token == "{end}" and keep_stack:
            keep_stack.pop()
            keeping = True
        pos = match.end()
    if keeping:
        out.append(text[pos:])
    return "".join(out)


def period_names(period) -> dict:
    """{newest_period} and {newest_period_dates} for a period (empty strings without one)."""
    if period is None:
        return {"newest_period": "", "newest_period_dates": ""}
    dates = f"{date_format(period.starts_on, 'SHORT_DATE_FORMAT')}–{date_format(period.ends_on, 'SHORT_DATE_FORMAT')}"
    return {"newest_period": str(period), "newest_period_dates": dates}


def render_authored(text: str, *, counts: dict, theme_counts: dict, periods: dict) -> str:
    """The text as the report prints it: blocks chosen, counts and period names filled in."""
    from .richtext import sanitize_rich_text

    chosen = _apply_conditions(text or "", counts, theme_counts)

    def fill(match):
        prefix, key = match.groups()
        if prefix:
            return str(theme_counts.get(prefix[0].upper(), {}).get(key, 0))
        return str(counts.get(key, match.group(0)))

    filled = PLACEHOLDER_RE.sub(fill, chosen)
    filled = TEXT_PLACEHOLDER_RE.sub(lambda m: html.escape(periods.get(m.group(1), "")), filled)
    # A block that took a whole paragraph's content leaves an empty paragraph behind.
    cleaned = sanitize_rich_text(filled)
    return re.sub(r"<(p|li)>\s*</\1>\s*", "", cleaned).strip()


# ---------------------------------------------------------------------------------------------
# The check
# ---------------------------------------------------------------------------------------------

_SET_WORDS = {
    "models": r"mall(?:eja|ia|it)|models?|modell(?:er|erna)?",
    "good_practices": r"hyv(?:iä|ää) käytäntö(?:jä|ä)|hyvät käytännöt|käytäntöjä|good practices?|practices|"
    r"goda (?:praxis|exempel)|praxis",
    "entries": r"menetelmiä|entries|metoder",
}
_WORD = {key: f"(?:{words})" for key, words in _SET_WORDS.items()}

# A sentence that says a set is empty: "Malleja tähän ei ole vielä kuvattu", "no models", "inga modeller".
EMPTY_CLAIMS = {
    key: [
        re.compile(rf"\b{word}\b[^.!?]*\bei ole\b", re.I),
        re.compile(rf"\bei ole\b[^.!?]*\b{word}\b", re.I),
        re.compile(rf"\bei (?:vielä )?(?:yhtään )?{word}\b", re.I),
        re.compile(rf"\b(?:no|not any|none of the)\s+(?:\w+\s+)?{word}\b", re.I),
        re.compile(rf"\b{word}\b[^.!?]*\b(?:have|has) not (?:yet )?been\b", re.I),
        re.compile(rf"\b(?:inga|ingen|inte några)\s+(?:\w+\s+)?{word}\b", re.I),
        re.compile(rf"\b{word}\b[^.!?]*\bhar (?:ännu )?inte\b", re.I),
    ]
    for key, word in _WORD.items()
}
# A sentence that presents a set as there: "the following models", "seuraavat mallit", "följande modeller".
NONEMPTY_CLAIMS = {
    key: [
        re.compile(rf"\b(?:seuraavat|alla olevat|alla kuvatut|the following|följande)\s+(?:\w+\s+)?{word}\b", re.I),
        re.compile(rf"\b{word}\s+(?:are|is)\s+(?:listed|described)\s+below\b", re.I),
        re.compile(rf"\b{word}\s+(?:on|ovat)\s+(?:esitelty|kuvattu|lueteltu)\s+alla\b", re.I),
    ]
    for key, word in _WORD.items()
}
# A number written by hand in front of what the report counts ("34 käytäntöä", "7 uutta mallia").
LITERAL_COUNT_RE = re.compile(
    r"(?<![\d.,/–-])\b(\d+)\s+(?:(?:uutta|uusia|new|nya|hyvää|good|goda|eri)\s+)?"
    r"(mall\w*|käytän\w*|hank\w*|kappale\w*|menetelm\w*|hanketulo\w*|tulos\w*|sisält\w*|"
    r"models?|practices?|entr(?:y|ies)|projects?|results?|items?|"
    r"modell\w*|praxis|projekt\w*|metod\w*|resultat\w*|st\.|stycken)\b",
    re.I,
)
# A period called current: "nykyisellä kaudella", "current period", "innevarande period".
CURRENT_PERIOD_RE = re.compile(
    r"\b(?:nykyi\w*|kuluva\w*|tämänhetki\w*|meneillään ole\w*|current|present|ongoing|"
    r"nuvarande|innevarande|pågående)\s+(?:\w+\s+)?(?:kau\w*|jakso\w*|rahoituskau\w*|hankekau\w*|"
    r"periods?|rounds?|terms?|perioden?)\b",
    re.I,
)


@dataclass
class Problem:
    where: str
    sentence: str
    reason: str

    def __str__(self):
        return f"{self.where}: “{self.sentence}” — {self.reason}"


def sentences(rich_text: str) -> list[str]:
    """Plain sentences of a rich text: tags become breaks, then split after . ! ? and line ends."""
    plain = html.unescape(re.sub(r"<(?:br|/p|/li|/h\d|/ul|/ol)[^>]*>", "\n", rich_text or ""))
    plain = re.sub(r"<[^>]+>", " ", plain)
    result = []
    for block in plain.split("\n"):
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9“”\"(])", block):
            sentence = " ".join(sentence.split())
            if sentence:
                result.append(sentence)
    return result


def _set_label(key: str) -> str:
    return {"models": _("models"), "good_practices": _("good practices"), "entries": _("entries")}[key]


def check_text(
    *, where: str, source: str, rendered: str, counts: dict, newest_period, today, authored: bool = True
) -> list[Problem]:
    """The problems of one text. ``source`` is what was written (checked for literal numbers when
    ``authored``), ``rendered`` what the report prints; ``counts`` are the numbers of its scope."""
    problems = []
    for sentence in sentences(rendered):
        for key, patterns in EMPTY_CLAIMS.items():
            value = counts.get(key)
            if value and any(p.search(sentence) for p in patterns):
                problems.append(Problem(where, sentence, _(
                    "It says there are no %(set)s, but the report lists %(count)s here. Put the sentence in "
                    "{if no %(key)s}…{end}, or remove it."
                ) % {"set": _set_label(key), "count": value, "key": key}))
                break
        for key, patterns in NONEMPTY_CLAIMS.items():
            if counts.get(key) == 0 and any(p.search(sentence) for p in patterns):
                problems.append(Problem(where, sentence, _(
                    "It presents %(set)s, but the report lists none here. Put the sentence in "
                    "{if %(key)s}…{end}, or remove it."
                ) % {"set": _set_label(key), "key": key}))
                break
        if newest_period is not None and newest_period.ends_on < today and CURRENT_PERIOD_RE.search(sentence):
            problems.append(Problem(where, sentence, _(
                "It calls a period current, but the newest period of the report ended on %(date)s. Name the "
                "period by its dates: {newest_period} or {newest_period_dates}."
            ) % {"date": date_format(newest_period.ends_on, "SHORT_DATE_FORMAT")}))
    if authored:
        for sentence in sentences(TEXT_PLACEHOLDER_RE.sub("", CONDITION_RE.sub(" ", source or ""))):
            match = LITERAL_COUNT_RE.search(sentence)
            if match:
                problems.append(Problem(where, sentence, _(
                    "“%(literal)s” is a number written by hand where the report computes one; it goes stale "
                    "when the data changes. Write a count such as {entries}, {models}, {good_practices}, {new} "
                    "or {projects} instead."
                ) % {"literal": match.group(0)}))
    return problems


def check_report_texts(texts: list[dict], *, newest_period, today) -> list[dict]:
    """Check every text of a report; ``texts`` are dicts of ``check_text``'s keyword arguments
    (without the period and date). Returns the problems as JSON-able dicts."""
    problems = []
    for text in texts:
        problems += check_text(**text, newest_period=newest_period, today=today)
    return [asdict(p) for p in problems]


def problems_message(problems: list[dict]) -> str:
    """One message naming every problem, for a refused publish or build."""
    lines = [_("The report contradicts its data; fix these texts first:")]
    lines += [f"- {p['where']}: “{p['sentence']}” — {p['reason']}" for p in problems]
    return "\n".join(lines)
