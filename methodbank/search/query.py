"""The query language and its translation to both engines.

    ohjaus nuoret          every word must match (entries matching most words follow if few match all)
    "ohjaava opettajuus"   phrase: the words next to each other (compared after analysis)
    ohjaa*                 prefix
    -romani  -"ohjaava opettajuus"   exclude entries matching the word or phrase

A query becomes a list of *clauses*, one per word, phrase or prefix. A clause matches an entry when
one of its *alternatives* does; an alternative is a conjunction of *slots*, and a slot is a set of
terms of which one must be present ("term*" is a prefix). For "romaninuoret" the alternatives are
[{romaninuori}] and, weighted lower, [{romani}, {nuori}]; thesaurus expansions are further
alternatives with a weight below 1. Retrieval reads the postings for it and the ranker scores it in
Python, so SQLite and PostgreSQL answer alike. (bench/fulltext.py compiles it to FTS5 and tsquery
expressions for the benchmark's baseline.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .analysis import LANGUAGES, analyse, analyse_word, normalise_term, words

# Weights of the alternatives of a clause, relative to the exact word.
COMPOUND_PARTS_WEIGHT = 0.8
OTHER_LANGUAGE_WEIGHT = 0.9
EXPANSION_WEIGHT = 0.5

Slot = frozenset  # of terms; "abc*" is a prefix term

# Words that frame a question or a request rather than say what it is about ("miten tukea
# maahanmuuttajaopiskelijaa", "hur kan lärare bli bättre handledare", "how can we help roma
# students"). In a long query they only made entries that happen to use "tehdä" or "haluta" match
# more words than the entry that answers the question. Query-side only (the index keeps them), and
# dropped only when at least MIN_CONTENT_WORDS other words remain, so "miten" alone still searches.
FRAMING_LEMMAS_FI = frozenset(
    """miten kuinka miksi milloin missä mistä mihin millainen mikä onko löytyä tehdä haluta saada
    löytää kannattaa pitää voida tarvita jokin joku apu auttaa vinkki""".split()
)
FRAMING_WORDS = frozenset(
    """vad var när varför vilka vilken bli göra få hitta finns vill ska skulle måste bättre kunna
    hur man får fick gör gjorde kan hittar hjälp hjälpa hjälper behöver bör sätt tips idéer exempel
    how what where when why which can could should would do does did we i you my our your get
    find make help there any ways way tips ideas examples""".split()
)
MIN_CONTENT_WORDS = 2


@dataclass(frozen=True)
class Alternative:
    slots: tuple[frozenset, ...]
    weight: float = 1.0
    expansion: bool = False
    # A related concept's label (thesaurus.py): kept only when the word finds few entries itself.
    related: bool = False


@dataclass
class Clause:
    text: str  # what the user typed, for messages
    kind: str  # "word" | "phrase" | "prefix"
    alternatives: list[Alternative] = field(default_factory=list)
    excluded: bool = False
    # For phrases: one slot per word, checked for adjacency by the ranker.
    phrase: tuple[frozenset, ...] = ()
    # Surface words (plain words only), for the thesaurus.
    surface: tuple[str, ...] = ()

    def terms(self, *, with_expansions: bool = True) -> set[str]:
        result = set()
        for alternative in self.alternatives:
            if alternative.expansion and not with_expansions:
                continue
            for slot in alternative.slots:
                result |= slot
        return result


@dataclass
class ParsedQuery:
    text: str
    clauses: list[Clause]
    # Words the expansion stage (expansion.py) read as another: typed word -> the index's term(s).
    corrections: dict[str, str] = field(default_factory=dict)

    @property
    def positive(self) -> list[Clause]:
        return [c for c in self.clauses if not c.excluded]

    @property
    def excluded(self) -> list[Clause]:
        return [c for c in self.clauses if c.excluded]

    @property
    def is_empty(self) -> bool:
        return not self.positive

    @property
    def has_expansions(self) -> bool:
        return any(a.expansion for c in self.clauses for a in c.alternatives)

    def without_expansions(self) -> ParsedQuery:
        """The query as typed (base forms, compound parts), thesaurus expansions left out."""
        clauses = []
        for clause in self.clauses:
            alternatives = [a for a in clause.alternatives if not a.expansion] or clause.alternatives[:1]
            clauses.append(
                Clause(clause.text, clause.kind, alternatives, clause.excluded, clause.phrase, clause.surface)
            )
        return ParsedQuery(self.text, clauses, dict(self.corrections))

    @property
    def typed_count(self) -> int:
        """How many of the positive clauses are words the user typed (phrases and prefixes count, a
        label of several typed words counts once): the parts an unknown compound is cut into
        (expansion.py) are one word typed, not several (a query seldom has two such compounds)."""
        typed = set(words(self.text.lower()))
        own = [clause.kind != "word" or typed.issuperset(words(clause.text.lower())) for clause in self.positive]
        return sum(own) + (not all(own))

    def highlight_terms(self) -> set[str]:
        result = set()
        for clause in self.positive:
            result |= clause.terms()
        return result


_TOKEN_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def query_languages(language: str) -> list[str]:
    # The catalog is mostly Finnish: every query is analysed as Finnish, and also in the interface
    # language when that is Swedish or English (Swedish and English entries are stemmed that way).
    languages = ["fi"]
    if language in LANGUAGES and language != "fi":
        languages.append(language)
    return languages


def word_alternatives(word: str, languages: list[str]) -> list[Alternative]:
    alternatives: list[Alternative] = []
    for language in languages:
        analysis = analyse_word(word, language)
        if not analysis.lemmas:
            continue
        weight = 1.0 if language == "fi" else OTHER_LANGUAGE_WEIGHT
        alternatives.append(Alternative((frozenset(analysis.lemmas),), weight))
        if language == "fi" and len(analysis.lemmas) == 1 and len(analysis.parts) >= 2:
            alternatives.append(Alternative(_part_slots(word, analysis.parts), COMPOUND_PARTS_WEIGHT))
    return alternatives


def _part_slots(word: str, parts: tuple[str, ...]) -> tuple[frozenset, ...]:
    """The slots of a compound's parts. A hyphenated word has one slot per piece holding all the
    piece's readings: "ravintola-ala" is ravintola + {ala, alkaa}, not three parts of which an
    entry must have every one (Voikko reads "ala" also as a form of "alkaa")."""
    pieces = [piece for piece in word.lower().split("-") if piece]
    if len(pieces) >= 2:
        slots = tuple(frozenset(lemmas) for piece in pieces if (lemmas := analyse_word(piece, "fi").lemmas))
        if len(slots) >= 2:
            return slots
    return tuple(frozenset([p]) for p in parts)


def phrase_slots(text: str, language: str = "fi") -> tuple[frozenset, ...]:
    """One slot per (non-stopword) word of a phrase: the word's base forms."""
    return tuple(frozenset(a.lemmas) for a in analyse(text, language))


def parse_query(text: str, *, language: str = "fi", thesaurus=None) -> ParsedQuery:
    """Parse the query language. ``thesaurus`` (see thesaurus.py) adds expansions; None = no expansion."""
    text = (text or "").strip()
    languages = query_languages(language)
    clauses: list[Clause] = []
    for match in _TOKEN_RE.finditer(text):
        negated, phrase, bare = match.group(1), match.group(2), match.group(3)
        if phrase is not None:
            slots = phrase_slots(phrase, "fi")
            if not slots:
                continue
            if len(slots) == 1:
                clause = Clause(phrase, "word", [Alternative(slots)], excluded=bool(negated))
            else:
                clause = Clause(phrase, "phrase", [Alternative(slots)], excluded=bool(negated), phrase=slots)
            clauses.append(clause)
            continue
        excluded = bare.startswith("-") and len(bare) > 1
        token = bare[1:] if excluded else bare
        if token.endswith("*"):
            prefix = normalise_term(token.rstrip("*"))
            if len(prefix) >= 2:
                clauses.append(Clause(token, "prefix", [Alternative((frozenset([prefix + "*"]),))], excluded))
            continue
        for word in words(token):
            analysis = analyse_word(word, "fi")
            if not analysis.lemmas:
                continue
            if not excluded and _is_stop(word, languages):
                continue
            alternatives = word_alternatives(word, languages)
            if alternatives:
                clauses.append(Clause(word, "word", alternatives, excluded, surface=(word.lower(),)))
    clauses = _without_framing(clauses)
    if thesaurus is not None:
        clauses = thesaurus.expand(clauses, languages)
    return ParsedQuery(text, clauses)


def _is_framing(clause: Clause) -> bool:
    if clause.kind != "word" or clause.excluded:
        return False
    word = clause.text.lower()
    if word in FRAMING_WORDS:
        return True
    lemmas = analyse_word(word, "fi").lemmas
    return bool(lemmas) and all(lemma in FRAMING_LEMMAS_FI for lemma in lemmas)


def _without_framing(clauses: list[Clause]) -> list[Clause]:
    framing = [_is_framing(clause) for clause in clauses]
    content = sum(1 for clause, frame in zip(clauses, framing, strict=True) if not frame and not clause.excluded)
    if not any(framing) or content < MIN_CONTENT_WORDS:
        return clauses
    return [clause for clause, frame in zip(clauses, framing, strict=True) if not frame]


def _is_stop(word: str, languages: list[str]) -> bool:
    from .analysis import is_stopword

    return any(is_stopword(analyse_word(word, lang), lang) for lang in languages)
