"""Deterministic matching of project names that the report spells in several ways.

The report names the same project differently in its entries and in its two annexes:
"Siirtymät sujuviksi SISU" / "Siirtymät sujuviksi (SISU)", "Vetovoimalla" / "VETOVOIMALA – ...",
"Erlaisia polkuja pitkin ammattiin (EPPA)" / "Erilaisia Polkuja Pitkin Ammattiin –hanke (EPPA)".
The stages go from strict to loose and the first stage with exactly one candidate wins; a stage with
several candidates is skipped rather than guessed, so two clearly different projects
("Opin portailta työelämään" and "Opin portailta työelämään Satakunnassa") are never merged.
"""

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass

# Two names closer than this (difflib ratio of the normalised forms) are the same project, provided
# no other project comes within FUZZY_MARGIN. Measured on the seed: true typos score >= 0.9
# ("Amisyrietyksessä" / "Amisyrityksessä" 0.96) and the closest different projects score <= 0.82
# ("Opin portailta työelämään Satakunnassa" / "Opin portailla Satakunnassa").
FUZZY_THRESHOLD = 0.86
FUZZY_MARGIN = 0.04

# Words that only say "this is a project" and make no difference to which project is meant.
_NOISE_WORDS = {"hanke", "hankkeen", "projekti"}
_DASH_RE = re.compile(r"\s[-–—]\s?|\s?[-–—]\s")
_STOP_RE = re.compile(r"[.:]\s")
_ACRONYM_RE = re.compile(r"\(([A-ZÅÄÖŠ0-9][A-ZÅÄÖŠ0-9.!]+)\)")


@functools.lru_cache(maxsize=4096)
def normalise(name: str) -> str:
    """Case, accents, punctuation, dashes, parentheses and the word "hanke" do not matter."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"[^\w\s]|_", " ", text)
    return " ".join(token for token in text.split() if token not in _NOISE_WORDS)


def name_head(name: str) -> str:
    """The words before the first dash ("Vamos 2. aste – opintoihin ..." -> "Vamos 2. aste"), or
    else before the first full stop or colon ("Löydä sun juttu. Yhteisöllisestä ..."), if they are
    one to three words; otherwise ""."""
    for pattern in (_DASH_RE, _STOP_RE):
        head = pattern.split(name, maxsplit=1)[0].strip()
        if head != name.strip():
            return head if 1 <= len(normalise(head).split()) <= 3 else ""
    return ""


@functools.lru_cache(maxsize=4096)
def short_names(name: str) -> frozenset[str]:
    """Normalised short forms of a name: its acronym, the part before a dash or after a comma."""
    keys = {normalise(m) for m in _ACRONYM_RE.findall(name)}
    head = name_head(name)
    if head:
        keys.add(normalise(head))
    if "," in name:
        tail = name.rsplit(",", 1)[1]
        if 1 <= len(normalise(tail).split()) <= 3:
            keys.add(normalise(tail))
    keys.discard("")
    return frozenset(keys)


@dataclass(frozen=True)
class Match:
    key: str  # the candidate's identifier, as given to ProjectMatcher
    stage: str  # exact, normalised, short name, prefix, compound, similar

    @property
    def loose(self) -> bool:
        return self.stage != "exact"


class ProjectMatcher:
    """Finds which known project a spelling refers to. Candidates are (key, [names...])."""

    def __init__(self):
        self._names: dict[str, list[str]] = {}

    def add(self, key: str, names: list[str]) -> None:
        self._names.setdefault(key, [])
        for name in names:
            if name not in self._names[key]:
                self._names[key].append(name)

    def match(self, query: str, *, allowed=None, loose_words=True) -> Match | None:
        """The unique best candidate for ``query``, or None. ``allowed`` filters candidate keys;
        ``loose_words=False`` skips the prefix and compound stages (used between the annexes, whose
        rows name projects in full: "OPINTIE" there is not "Opintie sujuvaksi - ...")."""
        candidates = {k: v for k, v in self._names.items() if allowed is None or allowed(k)}
        for stage, test in self._stages(query):
            if not loose_words and stage in ("prefix", "compound"):
                continue
            hits = sorted(k for k, names in candidates.items() if any(test(n) for n in names))
            if stage == "prefix" and hits:
                hits = self._longest_prefix(query, hits, candidates)
            if len(hits) == 1:
                return Match(hits[0], stage)
        return self._similar(query, candidates)

    def _stages(self, query):
        q_norm = normalise(query)
        q_tokens = q_norm.split()
        q_short = short_names(query) | {q_norm}
        q_sorted = sorted(q_tokens)
        yield "exact", lambda n: n == query
        yield (
            "normalised",
            lambda n: normalise(n) == q_norm or sorted(normalise(n).split()) == q_sorted,
        )
        yield "short name", lambda n: bool(q_short & (short_names(n) | {normalise(n)}))
        yield "prefix", lambda n: _token_prefix(q_tokens, normalise(n).split()) > 0
        yield "compound", lambda n: _compound_match(q_tokens, normalise(n).split())

    @staticmethod
    def _longest_prefix(query, hits, candidates):
        """Of several prefix candidates keep the one sharing most words ("Opintie sujuvaksi" is
        "Opintie sujuvaksi - etnisiin ..." rather than "OPINTIE")."""
        q_tokens = normalise(query).split()
        scores = {k: max(_token_prefix(q_tokens, normalise(n).split()) for n in candidates[k]) for k in hits}
        best = max(scores.values())
        return [k for k, score in scores.items() if score == best]

    @staticmethod
    def _similar(query, candidates):
        q_keys = {normalise(query)} | short_names(query)
        scores = {}
        for key, names in candidates.items():
            keys = set()
            for name in names:
                keys |= {normalise(name)} | short_names(name)
            scores[key] = max(_similarity(a, b) for a in q_keys for b in keys)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        if not ranked or ranked[0][1] < FUZZY_THRESHOLD:
            return None
        if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < FUZZY_MARGIN:
            return None
        return Match(ranked[0][0], "similar")


@functools.lru_cache(maxsize=65536)
def _similarity(a: str, b: str) -> float:
    """difflib's ratio, or 0 when even its cheap upper bounds show the pair cannot matter (below
    the threshold minus the margin, it neither wins nor spoils another candidate's margin)."""
    matcher = difflib.SequenceMatcher(None, a, b)
    floor = FUZZY_THRESHOLD - FUZZY_MARGIN
    if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
        return 0.0
    return matcher.ratio()


def _token_prefix(a: list[str], b: list[str]) -> int:
    """Number of shared words when the shorter word list is a prefix of the longer one, else 0."""
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    if shorter and longer[: len(shorter)] == shorter:
        return len(shorter)
    return 0


def _compound_match(query: list[str], name: list[str]) -> bool:
    """Same number of words, each equal or a Finnish compound ending in the other
    ("Yhdessä koulutustakuuseen" / "Yhdessä takuuseen")."""
    if len(query) != len(name) or len(query) < 2 or query == name:
        return False
    for q, n in zip(query, name, strict=True):
        longer, shorter = (q, n) if len(q) >= len(n) else (n, q)
        if q != n and not (len(shorter) >= 5 and longer.endswith(shorter)):
            return False
    return True
