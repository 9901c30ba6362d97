"""Parse a method report in the Zoomi 2020 format (text extracted from a PDF) into plain dataclasses.

The format, as found in data/zoomi-2020/report.txt:

* front matter (title, table of contents, foreword, introduction with its own "Mikä on malli?"
  headings and bullet lists) up to the first theme heading — nothing in it is an entry;
* theme headings "A. ..." to "D. ..." (any heading depth, with or without ``**``), each with an
  introduction and subtheme headings; headings are not nested consistently, so a heading's meaning
  comes from its text, never from its depth;
* model headings: a heading whose text ends with the project in parentheses, optionally followed by
  "MALLI"; the model's description is the first paragraph after it (plus paragraphs that continue it
  after a page break, i.e. start with a lower-case letter); later paragraphs are the subtheme's prose;
* period headings "Zoomi - ... kootut hyvät käytännöt (1.8.2015–30.4.2019)": the list items after
  one are good practices of that period, "- [Title](#) (Project)" with the summary on the next lines
  (up to the next list item or heading, blank lines and page breaks included);
* annex "LIITE: Hankekuvaukset teemoittain": per theme, national and regional projects as
  ``name<TAB>lead<TAB>description`` rows (a row starting with tabs continues the previous one);
* annex "LIITE: Hankelistaus": ``name<TAB>lead<TAB>MM/YYYY`` rows for national and regional
  projects, then "Muut raportissa mukana olevat ESR-hankkeet" with a fourth description column.

A file the parser cannot read raises ParseError(line, reason) and nothing of it is imported.
"Cannot parse" means: no theme found; a period or model heading before the first theme; a list item
under a period heading without a project in parentheses, or a list item in a theme outside any
period list; an entry with no description; a second theme with the same letter; an annex heading or
row that does not fit the annex (wrong number of tab fields, a bad MM/YYYY date, text outside a
table, a row before its theme or section heading); a file that ends before both annexes (truncated).
Characters garbled by the PDF extraction are not errors: they are kept and reported as warnings.
"""

import datetime
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from .matching import ProjectMatcher, name_head

NATIONAL, REGIONAL, OTHER_ESF = "national", "regional", "other_esf"

HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
LIST_ITEM_RE = re.compile(r"^\s*[-*]\s+(.*?)\s*$")
THEME_RE = re.compile(r"^([A-Z])\.\s+(\S.*)$")
PERIOD_RE = re.compile(
    r"^(?P<name>zoomi\b.*?)\s+-koordinaa\w*\s+aikana\s+kootut\s+hyvät\s+käytännöt\s*"
    r"\((?P<start>\d{1,2}\.\d{1,2}\.\d{4})\s*[-–—]\s*(?P<end>\d{1,2}\.\d{1,2}\.\d{4})\)$",
    re.IGNORECASE,
)
MODEL_MARKER_RE = re.compile(r"\s+MALLI$")
LINK_RE = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")
MONTH_RE = re.compile(r"^(\d{1,2})/(\d{4})$")
SEPARATOR_ROW_RE = re.compile(r"^-+$")

ANNEX_DESCRIPTIONS = "hankekuvaukset"
ANNEX_LIST = "hankelistaus"


class ParseError(Exception):
    def __init__(self, line: int, reason: str):
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


@dataclass
class Notice:
    line: int
    message: str

    def __str__(self):
        return f"line {self.line}: {self.message}"


@dataclass
class ParsedTheme:
    code: str
    name: str
    line: int
    description: str = ""


@dataclass
class ParsedSubtheme:
    theme_code: str
    name: str
    position: int
    line: int
    description: str = ""


@dataclass
class ParsedPeriod:
    code: str
    name: str
    starts_on: datetime.date
    ends_on: datetime.date
    line: int


@dataclass
class ParsedPlacement:
    theme_code: str
    subtheme_position: int | None  # position of the subtheme within its theme
    period_code: str | None
    position: int  # order of the listing in the report
    line: int


@dataclass
class ParsedEntry:
    kind: str  # "model" or "good_practice"
    title: str
    project_name: str  # as spelled in the report
    line: int
    summary: str = ""
    placements: list[ParsedPlacement] = field(default_factory=list)
    project_key: str = ""  # canonical project name, set when projects are linked


@dataclass
class ParsedProject:
    name: str
    line: int
    lead: str = ""
    ends_on: datetime.date | None = None
    scope: str = ""
    description: str = ""
    themes: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    listed: bool = False  # found in "Hankelistaus"
    short_name: str = ""


@dataclass
class LooseMatch:
    line: int
    spelling: str
    project: str
    stage: str
    where: str  # "entry" or "annex"

    def __str__(self):
        return f"line {self.line}: '{self.spelling}' -> '{self.project}' ({self.stage}, {self.where})"


@dataclass
class ParsedReport:
    title: str = ""  # the first heading of the front matter: the report's own name
    title_line: int = 0
    themes: list[ParsedTheme] = field(default_factory=list)
    subthemes: list[ParsedSubtheme] = field(default_factory=list)
    periods: list[ParsedPeriod] = field(default_factory=list)
    entries: list[ParsedEntry] = field(default_factory=list)
    projects: list[ParsedProject] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)
    notes: list[Notice] = field(default_factory=list)  # shown with --verbosity 2
    loose_matches: list[LooseMatch] = field(default_factory=list)
    created_projects: list[ParsedProject] = field(default_factory=list)  # named only in entries
    relisted: list[tuple[ParsedEntry, int]] = field(default_factory=list)  # (entry, line of the 2nd listing)

    def placement_count(self) -> int:
        return sum(len(e.placements) for e in self.entries)


# --- text helpers -------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """UTF-8 text with normalised newlines; undecodable bytes raise ParseError with their line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ParseError(line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x})") from exc
    # A text file never holds NUL, and PostgreSQL text cannot store it (the load would crash halfway).
    if "\x00" in text:
        raise ParseError(text[: text.index("\x00")].count("\n") + 1, "contains a NUL byte: not a text file")
    # Composing decomposed letters (a + U+0308 -> ä) changes no visible text: an unambiguous fix.
    return unicodedata.normalize("NFC", text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))


def clean_inline(text: str) -> str:
    """Heading/title text without Markdown: bold markers, [text](#) links, backslash escapes."""
    text = LINK_RE.sub(lambda m: m.group(1), text)
    text = text.replace("**", "").replace("__", "")
    text = re.sub(r"\\([()\[\]*_#.!-])", r"\1", text)
    return " ".join(text.split())


def clean_prose(text: str) -> str:
    """Body text: links become their text (and the address when it is a real one)."""

    def link(m):
        label, url = m.group(1), m.group(2)
        if url in ("", "#") or url.rstrip("/").endswith(label.rstrip("/")):
            return label
        return f"{label} ({url})"

    text = LINK_RE.sub(link, text)
    text = re.sub(r"\\([()\[\]*_#.!-])", r"\1", text)
    return " ".join(text.split())


def split_trailing_parens(text: str) -> tuple[str, str] | None:
    """'Title (Project (ACR))' -> ('Title', 'Project (ACR)'); None when it does not end in parens."""
    text = text.rstrip()
    if not text.endswith(")"):
        return None
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        char = text[index]
        if char == ")" and (index == 0 or text[index - 1] != "\\"):
            depth += 1
        elif char == "(" and (index == 0 or text[index - 1] != "\\"):
            depth -= 1
            if depth == 0:
                head, inner = text[:index], text[index + 1 : -1]
                if not head.strip() or not inner.strip():
                    return None
                return head, inner
    return None


def split_title_project(raw: str) -> tuple[str, str] | None:
    """A list item or model heading: title (bold and/or link) followed by '(Project)'."""
    # Links first: "[Title](#)" must not be read as a title followed by a project "(#)".
    unlinked = LINK_RE.sub(lambda m: m.group(1), raw)
    parts = split_trailing_parens(unlinked.replace("**", " ").strip())
    if parts is None:
        return None
    title, project = clean_inline(parts[0]), clean_inline(parts[1])
    if not title or not project:
        return None
    return title, project


def short_name_of(name: str) -> str:
    """The short form the report itself uses for a project, taken from its name: the acronym in
    parentheses ("Siirtymät sujuviksi (SISU)" -> "SISU"), else the words before a dash or a full
    stop ("SOPU - Sujuvat omat polut" -> "SOPU"), else a short tail after a comma
    ("Ennaltaehkäisevä monitoimijuus, EMOK" -> "EMOK"); empty when the name has none."""
    acronym = re.search(r"\(([A-ZÅÄÖŠ0-9][A-ZÅÄÖŠ0-9.!]+)\)", name)
    if acronym:
        return acronym.group(1)
    head = name_head(name)
    if head:
        return head
    if "," in name:
        tail = name.rsplit(",", 1)[1].strip()
        if 1 <= len(tail.split()) <= 3:
            return tail
    return ""


def garbled_characters(line: str) -> list[str]:
    """Characters that cannot belong to the report's Finnish/Swedish text: other scripts,
    U+FFFD, control, private-use and unassigned code points."""
    found = []
    for char in line:
        if char == "\t" or (" " <= char <= "~"):
            continue
        category = unicodedata.category(char)
        name = unicodedata.name(char, "")
        if char == "\ufffd" or category in ("Cc", "Cf", "Cs", "Co", "Cn"):
            found.append(char)
        elif category[0] in "LM" and not (name.startswith("LATIN") or 0x300 <= ord(char) <= 0x36F):
            found.append(char)
    return found


def describe_char(char: str) -> str:
    return f"'{char}' (U+{ord(char):04X} {unicodedata.name(char, 'unnamed')})"


def parse_date(text: str) -> datetime.date:
    day, month, year = (int(part) for part in text.split("."))
    return datetime.date(year, month, day)


def starts_lowercase(text: str) -> bool:
    first = text.lstrip("\"'”“(")[:1]
    return first.isalpha() and first.islower()


# --- the parser ---------------------------------------------------------------------------------


class _Paragraphs:
    """Collects text lines into paragraphs; a paragraph starting in lower case after a blank line
    continues the previous one (the PDF's page breaks split sentences)."""

    def __init__(self):
        self.paragraphs: list[list] = []  # [text, first line]
        self.broken = True

    def add(self, text: str, line: int) -> None:
        if self.paragraphs and (not self.broken or starts_lowercase(text)):
            self.paragraphs[-1][0] += " " + text
        else:
            self.paragraphs.append([text, line])
        self.broken = False

    def blank(self) -> None:
        self.broken = True

    def text(self, warnings: list[Notice], elsewhere: dict[str, int] | None = None) -> str:
        """The paragraphs; a paragraph repeated by the PDF extraction (right after itself, or as a
        copy of an entry's description in ``elsewhere``) is kept once, with a warning."""
        kept = []
        for text, line in self.paragraphs:
            if kept and text == kept[-1][0]:
                warnings.append(Notice(line, f"paragraph repeats the one on line {kept[-1][1]}; kept once"))
                continue
            if elsewhere and text in elsewhere:
                warnings.append(
                    Notice(line, f"paragraph repeats the description on line {elsewhere[text]}; kept once")
                )
                continue
            kept.append((text, line))
        return "\n\n".join(text for text, _ in kept)


class ReportParser:
    def __init__(self, text: str):
        self.lines = text.split("\n")
        self.report = ParsedReport()
        self.theme: ParsedTheme | None = None
        self.subtheme: ParsedSubtheme | None = None
        self.period: ParsedPeriod | None = None
        self.entry: ParsedEntry | None = None
        self.entry_text: _Paragraphs | None = None
        self.model_open = False  # a model takes only its first paragraph (and its continuations)
        self.prose: dict[int, _Paragraphs] = {}  # id(theme or subtheme) -> paragraphs
        self.prose_target = None
        self.section = "front"
        self.periods: dict[str, ParsedPeriod] = {}
        self.period_names: dict[str, Counter] = {}
        self.entry_texts: list[tuple[ParsedEntry, _Paragraphs]] = []
        self.annex_rows: list[dict] = []  # raw annex rows, merged into projects at the end
        self.annex_theme: str | None = None
        self.annex_scope: str | None = None
        self.seen_annexes: set[str] = set()
        self.position = 0

    # The main loop ------------------------------------------------------------------------------

    def parse(self) -> ParsedReport:
        for number, raw in enumerate(self.lines, start=1):
            line = raw.rstrip()
            self._check_garbled(number, line)
            if self.section in (ANNEX_DESCRIPTIONS, ANNEX_LIST):
                self._annex_line(number, raw.rstrip("\n"))
            else:
                self._body_line(number, line)
        self._finish()
        return self.report

    def _check_garbled(self, number: int, line: str) -> None:
        chars = garbled_characters(line)
        if chars:
            words = sorted({w for w in line.split() if any(c in w for c in chars)})
            described = ", ".join(describe_char(c) for c in dict.fromkeys(chars))
            self.report.warnings.append(
                Notice(
                    number,
                    f"garbled characters from the PDF extraction: {described} in "
                    f"{', '.join(repr(w) for w in words[:3])}; kept as in the report",
                )
            )

    # Body ---------------------------------------------------------------------------------------

    def _body_line(self, number: int, line: str) -> None:
        if not line.strip():
            if self.entry_text is not None:
                self.entry_text.blank()
            if self.prose_target is not None:
                self.prose_target.blank()
            return
        heading = HEADING_RE.match(line)
        if heading:
            self._heading(number, clean_inline(heading.group(2)), heading.group(2))
            return
        if self.section == "front":
            return
        item = LIST_ITEM_RE.match(line)
        if item:
            self._list_item(number, item.group(1))
            return
        self._text(number, clean_prose(line))

    def _heading(self, number: int, text: str, raw: str) -> None:
        self._close_entry()
        if self.section == "front" and not self.report.title and text and not THEME_RE.match(text):
            self.report.title, self.report.title_line = text, number
        if text.upper().startswith("LIITE"):
            self._start_annex(number, text)
            return
        theme = THEME_RE.match(text)
        period = PERIOD_RE.match(text)
        model = split_title_project(MODEL_MARKER_RE.sub("", raw.strip())) if not period else None
        if theme and not period:
            self._start_theme(number, theme.group(1), theme.group(2))
        elif self.section == "front":
            if period or model:
                raise ParseError(
                    number, f"entry heading '{text}' outside any theme (before the first theme heading)"
                )
        elif period:
            self._start_period(number, period)
        elif model:
            self._start_model(number, *model)
        elif MODEL_MARKER_RE.search(raw.strip()):
            # Read as a subtheme, it would lose the model and invent a subtheme "... MALLI".
            raise ParseError(
                number, f"model heading without its project in parentheses: '{text}' "
                "(expected 'Title (Project) MALLI')"
            )
        else:
            self._start_subtheme(number, text)

    def _start_theme(self, number: int, code: str, name: str) -> None:
        if any(t.code == code for t in self.report.themes):
            raise ParseError(number, f"theme {code} appears twice")
        self.section = "body"
        self.theme = ParsedTheme(code=code, name=name.strip(), line=number)
        self.report.themes.append(self.theme)
        self.subtheme = None
        self.period = None
        self.prose_target = self.prose.setdefault(id(self.theme), _Paragraphs())

    def _start_subtheme(self, number: int, name: str) -> None:
        position = sum(1 for s in self.report.subthemes if s.theme_code == self.theme.code) + 1
        self.subtheme = ParsedSubtheme(theme_code=self.theme.code, name=name, position=position, line=number)
        self.report.subthemes.append(self.subtheme)
        self.period = None
        self.prose_target = self.prose.setdefault(id(self.subtheme), _Paragraphs())

    def _start_period(self, number: int, match: re.Match) -> None:
        starts_on, ends_on = parse_date(match.group("start")), parse_date(match.group("end"))
        code = f"{starts_on.year}-{ends_on.year}"
        period = self.periods.get(code)
        if period is None:
            period = ParsedPeriod(code=code, name="", starts_on=starts_on, ends_on=ends_on, line=number)
            self.periods[code] = period
            self.report.periods.append(period)
        elif (period.starts_on, period.ends_on) != (starts_on, ends_on):
            raise ParseError(number, f"period {code} has other dates than on line {period.line}")
        name = re.sub(r"\s+", " ", match.group("name")).strip()
        self.period_names.setdefault(code, Counter())[name] += 1
        self.period = period
        # Text between a period heading and its first item belongs to the subtheme's prose.
        self.prose_target = self._container_prose()

    def _start_model(self, number: int, title: str, project: str) -> None:
        # Models stand outside the period lists and the report never says in which period a model
        # was made, so their placement has no period (we do not guess one from the text around).
        self.period = None
        self._open_entry("model", title, project, number, period_code=None)
        self.model_open = True

    def _list_item(self, number: int, raw: str) -> None:
        self._close_entry()
        if self.period is None:
            raise ParseError(
                number, "list item in a theme outside any period list (no period heading before it)"
            )
        parsed = split_title_project(raw)
        if parsed is None:
            raise ParseError(number, f"list item without a project in parentheses: '{clean_inline(raw)}'")
        self._open_entry("good_practice", *parsed, number, period_code=self.period.code)

    def _open_entry(self, kind, title, project, number, *, period_code) -> None:
        self.position += 1
        entry = ParsedEntry(kind=kind, title=title, project_name=project, line=number)
        entry.placements.append(
            ParsedPlacement(
                theme_code=self.theme.code,
                subtheme_position=self.subtheme.position if self.subtheme else None,
                period_code=period_code,
                position=self.position,
                line=number,
            )
        )
        self.entry = entry
        self.entry_text = _Paragraphs()
        self.entry_texts.append((entry, self.entry_text))
        self.report.entries.append(entry)
        self.prose_target = None

    def _close_entry(self) -> None:
        self.entry = None
        self.entry_text = None
        self.model_open = False

    def _container_prose(self) -> _Paragraphs:
        owner = self.subtheme or self.theme
        return self.prose.setdefault(id(owner), _Paragraphs())

    def _text(self, number: int, text: str) -> None:
        if self.entry_text is not None:
            if (
                self.model_open
                and self.entry_text.paragraphs
                and self.entry_text.broken
                and not starts_lowercase(text)
            ):
                # The model's description ended; what follows is the subtheme's prose.
                self._close_entry()
                self.prose_target = self._container_prose()
            else:
                self.entry_text.add(text, number)
                return
        if self.prose_target is None:
            self.prose_target = self._container_prose()
        self.prose_target.add(text, number)

    # Annexes ------------------------------------------------------------------------------------

    def _start_annex(self, number: int, text: str) -> None:
        lowered = text.casefold()
        if ANNEX_DESCRIPTIONS in lowered:
            kind = ANNEX_DESCRIPTIONS
        elif ANNEX_LIST in lowered:
            kind = ANNEX_LIST
        else:
            raise ParseError(number, f"unknown annex '{text}'")
        if not self.report.themes:
            raise ParseError(number, "annex before any theme: no theme headings found")
        if kind in self.seen_annexes:
            raise ParseError(number, f"annex '{text}' appears twice")
        self.seen_annexes.add(kind)
        self.section = kind
        self.annex_theme = None
        self.annex_scope = None
        self.prose_target = None

    def _annex_line(self, number: int, line: str) -> None:
        if not line.strip():
            return
        heading = HEADING_RE.match(line)
        if heading:
            self._annex_heading(number, clean_inline(heading.group(2)))
            return
        fields = line.split("\t")
        if len(fields) < 2:
            raise ParseError(
                number, f"unexpected text in the annex (expected a tab-separated row): '{line[:60]}'"
            )
        if all(SEPARATOR_ROW_RE.match(f.strip()) for f in fields if f.strip()):
            return  # a table rule such as "--<TAB>--<TAB>--"
        if self.section == ANNEX_DESCRIPTIONS:
            self._description_row(number, fields)
        else:
            self._list_row(number, fields)

    def _annex_heading(self, number: int, text: str) -> None:
        if text.upper().startswith("LIITE"):
            self._start_annex(number, text)
            return
        lowered = text.casefold()
        theme = THEME_RE.match(text)
        if self.section == ANNEX_DESCRIPTIONS and theme:
            code = theme.group(1)
            if not any(t.code == code for t in self.report.themes):
                raise ParseError(number, f"annex theme {code} is not a theme of the report")
            self.annex_theme, self.annex_scope = code, None
        elif self.section == ANNEX_DESCRIPTIONS and lowered.startswith("valtakunnalliset"):
            self.annex_scope = NATIONAL
        elif self.section == ANNEX_DESCRIPTIONS and lowered.startswith("alueelliset"):
            self.annex_scope = REGIONAL
        elif self.section == ANNEX_LIST and lowered.startswith("muut"):
            self.annex_scope = OTHER_ESF
        else:
            raise ParseError(number, f"unexpected heading in the annex: '{text}'")

    def _continuation(self, number: int, fields: list[str]) -> bool:
        """A row whose first column is empty continues the previous row's description."""
        if fields[0].strip():
            return False
        text = " ".join(f.strip() for f in fields if f.strip())
        if not self.annex_rows or self.annex_rows[-1]["section"] != self.section:
            raise ParseError(number, "continuation row without a row before it")
        previous = self.annex_rows[-1]
        if not previous.get("description") and self.section == ANNEX_LIST and previous["scope"] != OTHER_ESF:
            raise ParseError(number, "continuation row in a table without descriptions")
        previous["description"] = (previous.get("description", "") + " " + text).strip()
        return True

    def _description_row(self, number: int, fields: list[str]) -> None:
        if self._continuation(number, fields):
            return
        if fields[0].strip().casefold() == "hankkeen nimi":
            return  # the table's header row
        if self.annex_theme is None or self.annex_scope is None:
            raise ParseError(
                number, "project row before its theme and 'Valtakunnalliset/Alueelliset hankkeet' heading"
            )
        if len(fields) != 3:
            raise ParseError(
                number, f"expected 3 tab-separated fields (name, lead, description), found {len(fields)}"
            )
        name, lead, description = (f.strip() for f in fields)
        if not name or not lead:
            raise ParseError(number, "project row without a name or a lead")
        self.annex_rows.append(
            {
                "section": ANNEX_DESCRIPTIONS,
                "line": number,
                "name": name,
                "lead": lead,
                "description": clean_prose(description),
                "scope": self.annex_scope,
                "theme": self.annex_theme,
            }
        )

    def _list_row(self, number: int, fields: list[str]) -> None:
        if self._continuation(number, fields):
            return
        first = fields[0].strip().casefold()
        if first.startswith("valtakunnalliset"):
            self.annex_scope = NATIONAL
            return
        if first.startswith("alueelliset"):
            self.annex_scope = REGIONAL
            return
        if self.annex_scope is None:
            raise ParseError(number, "project row before a 'Valtakunnalliset/Alueelliset hankkeet' header")
        expected = 4 if self.annex_scope == OTHER_ESF else 3
        if len(fields) != expected:
            what = "name, lead, MM/YYYY, description" if expected == 4 else "name, lead, MM/YYYY"
            raise ParseError(
                number, f"expected {expected} tab-separated fields ({what}), found {len(fields)}"
            )
        name, lead, month = (f.strip() for f in fields[:3])
        if not name or not lead:
            raise ParseError(number, "project row without a name or a lead")
        match = MONTH_RE.match(month)
        if not match or not 1 <= int(match.group(1)) <= 12:
            raise ParseError(number, f"bad end date '{month}' (expected MM/YYYY)")
        row = {
            "section": ANNEX_LIST,
            "line": number,
            "name": name,
            "lead": lead,
            "scope": self.annex_scope,
            "ends_on": datetime.date(int(match.group(2)), int(match.group(1)), 1),
        }
        if expected == 4:
            row["description"] = clean_prose(fields[3])
        self.annex_rows.append(row)

    # After the last line -------------------------------------------------------------------------

    def _finish(self) -> None:
        last = len(self.lines)
        if not self.report.themes:
            raise ParseError(last, "no theme headings ('A. ...') found: not a report in the expected format")
        for kind, title in (
            (ANNEX_DESCRIPTIONS, "LIITE: Hankekuvaukset teemoittain"),
            (ANNEX_LIST, "LIITE: Hankelistaus"),
        ):
            if kind not in self.seen_annexes:
                raise ParseError(last, f"the file ends before the annex '{title}' (truncated?)")
        if not any(r["section"] == ANNEX_LIST for r in self.annex_rows):
            raise ParseError(last, "the annex 'LIITE: Hankelistaus' has no project rows (truncated?)")
        for entry, paragraphs in self.entry_texts:
            entry.summary = paragraphs.text(self.report.warnings)
            if not entry.summary:
                raise ParseError(entry.line, f"entry '{entry.title}' has no description (truncated?)")
        described = {text: line for _, paragraphs in self.entry_texts for text, line in paragraphs.paragraphs}
        for owner in [*self.report.themes, *self.report.subthemes]:
            owner.description = self.prose.get(id(owner), _Paragraphs()).text(self.report.warnings, described)
        for period in self.report.periods:
            # The most frequent spelling of the heading names the period (typos lose the vote).
            counts = self.period_names[period.code]
            period.name = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]
        self._build_projects()
        self._link_entries()

    def _build_projects(self) -> None:
        projects: dict[str, ParsedProject] = {}
        matcher = ProjectMatcher()

        def same_scope(scope):
            return lambda key: projects[key].scope == scope

        for row in self.annex_rows:
            # The same project appears under several themes and in both annexes, spelled differently;
            # only projects of the same scope can be the same project.
            match = matcher.match(row["name"], allowed=same_scope(row["scope"]), loose_words=False)
            if match is None:
                project = ParsedProject(name=row["name"], line=row["line"], scope=row["scope"])
                projects[project.name] = project
                matcher.add(project.name, [project.name])
            else:
                project = projects[match.key]
                if row["name"] != project.name:
                    self._rename_or_alias(project, row["name"], matcher, projects)
                    self.report.loose_matches.append(
                        LooseMatch(row["line"], row["name"], project.name, match.stage, "annex")
                    )
            if row.get("theme") and row["theme"] not in project.themes:
                project.themes.append(row["theme"])
            if row.get("description") and not project.description:
                project.description = row["description"]
            if row["section"] == ANNEX_LIST:
                if project.lead and project.lead != row["lead"]:
                    self.report.notes.append(
                        Notice(
                            row["line"],
                            f"lead of '{project.name}': '{row['lead']}' (Hankelistaus) "
                            f"used instead of '{project.lead}' (Hankekuvaukset)",
                        )
                    )
                project.lead = row["lead"]  # Hankelistaus is the official list of leads and dates.
                project.ends_on = row["ends_on"]
                project.listed = True
            elif not project.lead:
                project.lead = row["lead"]
        # "Lapin Yliopisto" and "Lapin yliopisto" are one organisation: leads that differ only in
        # case or spacing take the first spelling in the report.
        spellings: dict[str, str] = {}
        for project in sorted(projects.values(), key=lambda p: p.line):
            if project.lead:
                project.lead = spellings.setdefault(" ".join(project.lead.casefold().split()), project.lead)
            project.short_name = short_name_of(project.name)
        self.report.projects = list(projects.values())
        self._project_matcher = matcher
        self._projects_by_name = projects

    @staticmethod
    def _rename_or_alias(project, spelling, matcher, projects) -> None:
        """Keep the first spelling as the name unless the new one has every word of it and more
        ("#Hyvinvoiva amis. Peruskoulusta ..." completes "#Hyvinvoiva Peruskoulusta ...")."""
        from .matching import normalise

        old, new = set(normalise(project.name).split()), set(normalise(spelling).split())
        if old < new:
            project.aliases.append(project.name)
            projects.pop(project.name)
            matcher._names.pop(project.name)
            project.name = spelling
            projects[spelling] = project
            matcher.add(spelling, [spelling, *project.aliases])
        elif spelling not in project.aliases:
            project.aliases.append(spelling)
            matcher.add(project.name, [spelling])

    def _link_entries(self) -> None:
        matcher, projects = self._project_matcher, self._projects_by_name
        by_key: dict[tuple[str, str], ParsedEntry] = {}
        merged: list[ParsedEntry] = []
        for entry in self.report.entries:
            match = matcher.match(entry.project_name)
            if match is None:
                project = ParsedProject(name=entry.project_name, line=entry.line)
                projects[project.name] = project
                matcher.add(project.name, [project.name])
                self.report.projects.append(project)
                self.report.created_projects.append(project)
                self.report.warnings.append(
                    Notice(
                        entry.line,
                        f"project '{entry.project_name}' is in neither annex; "
                        "created without lead, end date or scope",
                    )
                )
                key = project.name
            else:
                key = match.key
                if match.loose:
                    project = projects[key]
                    if entry.project_name not in project.aliases and entry.project_name != project.name:
                        project.aliases.append(entry.project_name)
                        matcher.add(key, [entry.project_name])
                    self.report.loose_matches.append(
                        LooseMatch(entry.line, entry.project_name, key, match.stage, "entry")
                    )
            entry.project_key = key
            natural = (" ".join(entry.title.casefold().split()), key)
            first = by_key.get(natural)
            if first is None:
                by_key[natural] = entry
                merged.append(entry)
                continue
            # Listed a second time: one entry with one more placement.
            self._merge_listing(first, entry)
        self.report.entries = merged

    def _merge_listing(self, first: ParsedEntry, again: ParsedEntry) -> None:
        place = again.placements[0]
        duplicate = any(
            (p.theme_code, p.subtheme_position, p.period_code)
            == (place.theme_code, place.subtheme_position, place.period_code)
            for p in first.placements
        )
        if duplicate:
            self.report.warnings.append(
                Notice(
                    again.line,
                    f"'{again.title}' is listed twice in the same place (line {first.line}); kept once",
                )
            )
        else:
            first.placements.append(place)
        self.report.relisted.append((first, again.line))
        # A model heading is the entry's main description: one listing as a model makes it a model.
        if again.kind == "model":
            first.kind = "model"
        if again.summary and again.summary not in first.summary:
            first.summary = f"{first.summary}\n\n{again.summary}"


def parse_report(data: bytes | str) -> ParsedReport:
    """Parse a report; raises ParseError(line, reason) when the file cannot be imported."""
    text = decode(data) if isinstance(data, bytes) else data
    return ReportParser(text).parse()
