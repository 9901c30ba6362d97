"""The spelling stage of the search pipeline: parse (query.py) → **spell** → thesaurus
(thesaurus.py) → fuzzy expansion (expansion.py) → retrieve → score → page.

A Finnish query word that Voikko does not know and whose terms no entry has is read, before the
thesaurus sees it, as the word the user meant, so that the thesaurus widens the corrected word
("syrjaytyminen" → syrjäytyminen → syrjäytymisvaara, marginalisoituminen …):

1. the word in another language of the catalog: its Swedish or English stem is an index term (a
   Swedish or English translation has it), "tillämpningarna" → tillämpning;
2. its ä, ö and å restored, when Voikko then knows the word: "tyoelamaan" → työelämään. Voikko
   knows every inflected form, so the restored word is analysed exactly as the text was;
3. Voikko's own spelling suggestion (a letter missing, doubled, swapped or wrong): "vertaistkui"
   → vertaistuki, "maahanmuutajataustaiset" → maahanmuuttajataustaiset.

A correction is taken only when its base forms are index terms or a vocabulary label, so the
stage never turns a word into one that finds nothing. The corrected word is what a user would
type, and it is what "Did you mean …?" shows. Words the index or the vocabulary has are left
alone. Voikko's suggestions are cached per word (a few milliseconds each, for unknown words only).
"""

from __future__ import annotations

from functools import lru_cache
from itertools import product

from .analysis import _voikko, _voikko_analyses, analyse_word
from .query import OTHER_LANGUAGE_WEIGHT, Alternative, Clause, ParsedQuery, word_alternatives

# Weights of a corrected word's alternatives, relative to the word as typed.
RESTORED_WEIGHT = 0.9
SUGGESTED_WEIGHT = 0.7
# Restored spellings tried at most: 2^8 (a, o and u of eight positions; Voikko's spell check costs
# microseconds).
MAX_RESTORED_POSITIONS = 8
MAX_SUGGESTIONS = 5
# Voikko's suggestions cost 1-10 ms for a word of ten letters, more the longer it is (30 ms for 23
# letters on a busy machine; cached per word): longer words are left to the index's own typo
# lookup (lexicon.py), which costs microseconds.
MIN_SUGGESTED_LENGTH = 4
MAX_SUGGESTED_LENGTH = 24
MIN_LENGTH = 3
# Words of one query corrected at most (a pasted paragraph of unknown words costs no more).
MAX_CORRECTED_WORDS = 8
_RESTORE = {"a": "aä", "o": "oö", "A": "AÄ", "O": "OÖ"}


def _spell(word: str) -> bool:
    voikko = _voikko()
    return bool(voikko and voikko.spell(word))


_VOWELS = "aeiouyäöå"


@lru_cache(maxsize=20_000)
def is_misspelt(term: str) -> bool:
    """Voikko rejects the index term as written, and with a hyphen between two equal vowels too (the
    index drops hyphens: "opintoohjaus" is "opinto-ohjaus"). Without Voikko nothing is misspelt."""
    if _voikko() is None or _spell(term):
        return False
    return not any(
        term[i - 1] == term[i] and term[i] in _VOWELS and _spell(f"{term[:i]}-{term[i:]}")
        for i in range(1, len(term))
    )


@lru_cache(maxsize=20_000)
def restorations(word: str) -> tuple[str, ...]:
    """The spellings of ``word`` with some a → ä and o → ö that Voikko accepts, fewest changes first."""
    positions = [i for i, c in enumerate(word) if c in _RESTORE]
    if not positions or len(positions) > MAX_RESTORED_POSITIONS:
        return ()
    found = []
    for choice in product(*(_RESTORE[word[i]] for i in positions)):
        letters = list(word)
        for i, c in zip(positions, choice, strict=True):
            letters[i] = c
        candidate = "".join(letters)
        if candidate != word and _spell(candidate):
            found.append((sum(a != b for a, b in zip(candidate, word, strict=True)), candidate))
    return tuple(c for _n, c in sorted(found))


@lru_cache(maxsize=20_000)
def suggestions(word: str) -> tuple[str, ...]:
    """Voikko's spelling suggestions for a word it does not know (best first)."""
    voikko = _voikko()
    if voikko is None:
        return ()
    return tuple(s for s in voikko.suggest(word)[:MAX_SUGGESTIONS] if s.lower() != word.lower())


def _terms_known(word: str, df: dict[str, int], thesaurus) -> bool:
    analysis = analyse_word(word, "fi")
    if any(df.get(t, 0) > 0 for t in analysis.lemmas):
        return True
    return thesaurus is not None and bool(thesaurus.lookup([word.lower()]))


def _scaled(alternatives: list[Alternative], weight: float) -> list[Alternative]:
    return [Alternative(a.slots, a.weight * weight, a.expansion) for a in alternatives]


def correct_word(word: str, df: dict[str, int], thesaurus=None) -> tuple[str, float] | None:
    """(the word meant, its weight) for an unknown Finnish word, or None."""
    for candidate in restorations(word):
        if _terms_known(candidate, df, thesaurus):
            return candidate, RESTORED_WEIGHT
    if not MIN_SUGGESTED_LENGTH <= len(word) <= MAX_SUGGESTED_LENGTH:
        return None
    for candidate in suggestions(word):
        # A suggestion that splits the word ("opinto-ohja ja") is another query, not a spelling.
        if " " in candidate or not candidate.replace("-", "").isalpha():
            continue
        if _terms_known(candidate, df, thesaurus):
            return candidate, SUGGESTED_WEIGHT
    return None


def _unknown(clause: Clause, df: dict[str, int], thesaurus) -> bool:
    if clause.excluded or clause.kind != "word" or len(clause.surface) != 1:
        return False
    word = clause.surface[0]
    if len(word) < MIN_LENGTH or word.isdigit() or _voikko_analyses(word):
        return False
    if any(df.get(t, 0) > 0 for t in clause.terms()):
        return False
    return not (thesaurus is not None and thesaurus.lookup([word]))


def correct_query(
    query: ParsedQuery, df: dict[str, int], *, languages: list[str], thesaurus=None
) -> ParsedQuery:
    """The query with its unknown Finnish words read as another language or corrected (see the
    module's docstring). ``df``: the index terms' document frequencies (lexicon.Lexicon.df)."""
    clauses, corrections, budget = [], dict(query.corrections), MAX_CORRECTED_WORDS
    for clause in query.clauses:
        if budget <= 0 or not _unknown(clause, df, thesaurus):
            clauses.append(clause)
            continue
        budget -= 1
        word = clause.surface[0]
        # The word in the catalog's other languages, as a Swedish or English translation has it.
        foreign = []
        for language in ("sv", "en"):
            if language in languages:
                continue
            stems = analyse_word(word, language).lemmas
            if any(df.get(t, 0) > 0 for t in stems):
                foreign.append(Alternative((frozenset(stems),), OTHER_LANGUAGE_WEIGHT))
        if foreign:
            clauses.append(
                Clause(clause.text, clause.kind, [*foreign, *clause.alternatives], surface=clause.surface)
            )
            continue
        corrected = correct_word(clause.text, df, thesaurus)
        if corrected is None:
            clauses.append(clause)
            continue
        meant, weight = corrected
        alternatives = _scaled(word_alternatives(meant, languages), weight)
        clauses.append(
            # The word as typed goes: its terms are in no entry, and the parts of a misspelt word
            # are no parts of what was meant.
            Clause(clause.text, clause.kind, alternatives, surface=(meant.lower(),))
        )
        corrections[clause.text] = meant
    return ParsedQuery(query.text, clauses, corrections)
