"""The one text analyser used by indexing, queries, snippets, similarity and the thesaurus.

Finnish words are lemmatised with Voikko; a compound also yields its parts ("romaninuoret" ->
romaninuori, romani, nuori), so a search for "nuoret" finds it and "romaninuoret" finds "romani
nuoret" written apart. Words Voikko does not know (names, abbreviations, typos) fall back to the
Snowball Finnish stemmer. Swedish and English text uses the Snowball stemmers of those languages.

Terms are plain lower-case runs of letters and digits (no hyphens, no punctuation): the engines
(SQLite FTS5's unicode61 tokenizer, PostgreSQL's 'simple' configuration) then see exactly the same
tokens, which is what makes the two engines give the same results.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

try:  # Voikko is a Debian library (libvoikko1 + voikko-fi); without it Finnish falls back to Snowball.
    import libvoikko
except ImportError:  # pragma: no cover - exercised only on machines without the Python binding
    libvoikko = None

LANGUAGES = ("fi", "sv", "en")
_SNOWBALL_NAMES = {"fi": "finnish", "sv": "swedish", "en": "english"}

# A word: letters/digits, possibly joined by hyphens ("opinto-ohjaaja", "ESR-hankkeiden").
WORD_RE = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_TERM_CLEAN_RE = re.compile(r"[\W_]+")

# Stopwords are compared with the lemma (fi) or the lower-case word (sv, en): short function words
# that only add noise to ranking. Kept deliberately short: words like "ohjaus" or "nuori" are never
# stopwords in this field even though they are everywhere.
STOPWORDS = {
    "fi": frozenset(
        """ja tai sekä eli että kuin kun jos vaan vaikka mutta sillä koska joten
        olla ei en et emme ette eivät se ne tämä nämä tuo nuo joka jotka mikä mitkä kuka ketkä
        hän he me te minä sinä oma itse myös vielä jo niin näin siten sitten kanssa mukaan
        kautta avulla osalta aikana ennen jälkeen sekä esim mm ym yms jne tms kaikki
        muu moni usea eri sama aina nyt siis vain oleva voida varten kuten""".split()
    ),
    "sv": frozenset(
        """och att det som en ett är av för med till den på om har de inte eller
        så men var sig från vid kan där hur vad han hon vi ni dem detta denna dessa
        också samt i""".split()
    ),
    "en": frozenset(
        """a an and are as at be by for from has have in is it its of on or that the
        their this to was were will with which who into also than then these those such""".split()
    ),
}


@dataclass(frozen=True)
class WordAnalysis:
    """What one written word contributes: its base form(s) and the parts of a compound."""

    surface: str
    lemmas: tuple[str, ...]
    parts: tuple[str, ...]
    terms: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        # Computed once: the analysis is cached and its terms are read for every occurrence.
        object.__setattr__(self, "terms", self.lemmas + tuple(p for p in self.parts if p not in self.lemmas))


_local = threading.local()


def _voikko():
    """One Voikko handle per thread: the C library is not safe to share between threads."""
    if libvoikko is None:
        return None
    handle = getattr(_local, "voikko", None)
    if handle is None:
        try:
            handle = libvoikko.Voikko("fi")
        except OSError:  # pragma: no cover - dictionary missing
            handle = False
        _local.voikko = handle
    return handle or None


_stemmers_lock = threading.Lock()
_stemmers: dict[tuple[int, str], object] = {}


def _stem(word: str, language: str) -> str:
    # Snowball stemmer objects keep internal state, so each thread gets its own.
    key = (threading.get_ident(), language)
    stemmer = _stemmers.get(key)
    if stemmer is None:
        with _stemmers_lock:
            stemmer = _stemmers.setdefault(key, snowballstemmer.stemmer(_SNOWBALL_NAMES[language]))
    return stemmer.stemWord(word)


def normalise_term(text: str) -> str:
    """Lower-case and drop everything but letters and digits ("opinto-ohjaaja" -> "opintoohjaaja")."""
    return _TERM_CLEAN_RE.sub("", text.lower())


def _morphemes(wordbases: str):
    """Split Voikko's WORDBASES ('+työllist(työllistää)ymis(+yä)+suunnitelma(suunnitelma)') into
    (starts_with_plus, surface, base) triples."""
    result = []
    position = 0
    while position < len(wordbases):
        plus = wordbases[position] == "+"
        if plus:
            position += 1
        end = position
        while end < len(wordbases) and wordbases[end] not in "+(":
            end += 1
        surface, base = wordbases[position:end], ""
        if end < len(wordbases) and wordbases[end] == "(":
            close = wordbases.find(")", end)
            close = len(wordbases) if close < 0 else close
            base, end = wordbases[end + 1 : close], close + 1
        result.append((plus, surface, base))
        position = end
    return result


# A compound part without a base form is at least this long: shorter bare pieces are endings.
MIN_BARE_PART = 3


def _bare_part(surface: str, base: str) -> bool:
    """A first part Voikko gives no base form: a clipped word ("digi") or a bound prefix ("ylä",
    "etä"), not an adjective's compound form in -is ("yhteis", "erityis"), which makes a set term
    of the field with the next part (yhteistyö is no kind of työ)."""
    return not base and len(surface) >= MIN_BARE_PART and not surface.lower().endswith("is")


def _starts_part(morphemes, number: int) -> bool:
    if number >= len(morphemes):
        return False
    plus, surface, base = morphemes[number]
    return plus and bool(surface) and bool(base) and not base.startswith("+")


def _compound_parts(baseform: str, wordbases: str, *, bare: bool = True) -> list[str]:
    """Parts of a compound from Voikko's WORDBASES, e.g. '+romani(romani)+nuoret(nuori)'.

    Each part starts with a morpheme that has its own base form; derivational suffixes ('(+ja)',
    bare letters) stick to the part before them. Non-final parts are given as their base form; the
    final part is what is left of the whole base form, so "opinto-ohjaajalle" yields "ohjaaja".
    Compounds of three or more parts also yield their inner compounds ("oppisopimuspaikka" ->
    oppisopimus, sopimuspaikka), so a search for "oppisopimus" finds "oppisopimuspaikat".
    """
    components: list[list] = []  # [surface, base, derived, without a base form]
    morphemes = [m for m in _morphemes(wordbases) if not (m[1] == "-" and not m[2])]
    for number, (plus, surface, base) in enumerate(morphemes):
        if plus and base and not base.startswith("+") and (not components or surface):
            components.append([surface, base, False, False])
        elif bare and plus and _bare_part(surface, base) and _starts_part(morphemes, number + 1):
            # A part Voikko gives no base form of ("+digi+osata(osata)", "+ylä+koulu(koulu)"): it
            # is its own base when a part with a base form follows it at once (a derivational
            # ending, "+lli+nen(+nen)" or "+v+ä(+ä)", is no part: what follows has no base).
            components.append([surface, surface, False, True])
        elif components:
            components[-1][0] += surface
            components[-1][2] = True
    if len(components) < 2:
        return []
    if components[0][3] and morphemes[-1][2] == "+inen":
        # An adjective in -inen after a part without a base form is one word of the language
        # ("+ensi+sija(sija)+inen", "+tasa+puol(puoli)+inen"), not a compound of the field.
        return _compound_parts(baseform, wordbases, bare=False)
    base_lower = baseform.lower().replace("-", "")
    surfaces = [c[0].lower().replace("-", "") for c in components]
    prefix = "".join(surfaces[:-1])
    final = base_lower[len(prefix) :] if base_lower.startswith(prefix) else ""
    # The form a part has at the end of a (sub)compound: its base; the last part: what the
    # whole base form ends with.
    ends = [c[1] for c in components[:-1]] + [final or ("" if components[-1][2] else components[-1][1])]
    parts = [surface if derived else base for surface, base, derived, _bare in components[:-1]] + [ends[-1]]
    if len(components) >= 3:
        for start in range(len(components)):
            for stop in range(start + 1, len(components)):
                if stop - start + 1 == len(components):
                    continue
                # An inner compound ends with its last part as written ("valmennus" in
                # "hyvinvointivalmennusprosessi"), or with the word's own ending.
                end = ends[-1] if stop == len(components) - 1 else surfaces[stop]
                if end:
                    parts.append("".join(surfaces[start:stop]) + end)
    result = []
    for part in parts:
        term = normalise_term(part)
        if len(term) > 1 and term not in result:
            result.append(term)
    return result


def _voikko_analyses(word: str):
    voikko = _voikko()
    if voikko is None:
        return []
    analyses = voikko.analyze(word)
    if not analyses and word.islower():
        analyses = voikko.analyze(word[:1].upper() + word[1:])
    return analyses


@lru_cache(maxsize=300_000)
def analyse_word(word: str, language: str = "fi") -> WordAnalysis:
    """Analyse one word (letters, digits and inner hyphens). Cached: the vocabulary is small."""
    lower = word.lower()
    if language != "fi":
        stem = normalise_term(_stem(lower, language))
        return WordAnalysis(lower, (stem,) if stem else (), ())
    if lower.isdigit():
        return WordAnalysis(lower, (lower,), ())
    analyses = _voikko_analyses(lower)
    if any(a.get("CLASS") == "seikkasana" for a in analyses):
        # An adverb that is also a numeral's case form ("yhdessä", "yksin", "yhtä": yksi) means the
        # adverb: the numeral would meet every entry that counts one of something.
        analyses = [a for a in analyses if a.get("CLASS") != "lukusana"]
    if analyses:
        # Several readings are common ("väyläopinnoista": väyläopinto, väyläopinta, väyläopinnoki).
        # Keep the readings with the fewest compound parts: the exotic splits are the wrong ones.
        # (Counted without the parts that have no base form: Voikko marks them in some readings of
        # a word and not in others, "+yksin+kerta(kerta)+inen" beside "yksinkertaistaa", and the
        # count must not prefer a reading for that.)
        # A reading that starts with a part without a base form is split there only when no other
        # reading knows the word's beginning ("+esimerkki(esimerkki)" beside "+esi+merkki(merkki)",
        # "+riippu(riippua)+ma+ton" beside "+riippu+matto(matto)"): then the word is one word.
        lexical = any(_starts_part(_morphemes(a.get("WORDBASES") or ""), 0) for a in analyses)
        readings = []
        for analysis in analyses:
            base = analysis.get("BASEFORM") or lower
            wordbases = analysis.get("WORDBASES", "")
            parts = _compound_parts(base, wordbases, bare=not lexical)
            readings.append((len(_compound_parts(base, wordbases, bare=False)), normalise_term(base), parts))
        fewest = min(r[0] for r in readings)
        lemmas, parts = [], []
        for count, base, reading_parts in readings:
            if count != fewest:
                continue
            if base and base not in lemmas:
                lemmas.append(base)
            parts.extend(p for p in reading_parts if p not in parts and p != base)
        if "-" in lower:
            for piece in lower.split("-"):
                for term in analyse_word(piece, "fi").lemmas:
                    if term not in parts and term not in lemmas:
                        parts.append(term)
        return WordAnalysis(lower, tuple(lemmas), tuple(parts))
    if "-" in lower:
        # Unknown hyphenated word ("ESR-hankkeiden", "valma-koulutuksen"): analyse the pieces and
        # index their base forms and the whole made of them.
        pieces = [analyse_word(piece, "fi") for piece in lower.split("-") if piece]
        parts = []
        for piece in pieces:
            for term in piece.lemmas[:1] + piece.parts:
                if term not in parts:
                    parts.append(term)
        whole = "".join(p.lemmas[0] for p in pieces if p.lemmas)
        return WordAnalysis(lower, (whole,) if whole else (), tuple(p for p in parts if p != whole))
    return _unknown_finnish_word(lower)


_ALNUM_RE = re.compile(r"[^\W\d_]+|\d+")


def _fallback_stem(word: str) -> str:
    stem = normalise_term(_stem(word, "fi"))
    # Snowball leaves "-minen"/"-nen" nouns as "...min"/"...in" but their other cases as
    # "...mis"/"...is" ("henkilökohtaistaminen" vs "henkilökohtaistamisen"): make them meet.
    if word.endswith("nen") and stem.endswith("in"):
        stem = stem[:-2] + "is"
    return stem


def _unknown_finnish_word(word: str) -> WordAnalysis:
    """A word Voikko does not know: a name, an abbreviation, a new compound or a typo."""
    stem = _fallback_stem(word)
    parts: list[str] = []
    pieces = _ALNUM_RE.findall(word)
    if len(pieces) > 1:  # "AMIS9", "K2K": the letters are the searchable part
        parts = [normalise_term(_stem(p, "fi")) for p in pieces if not p.isdigit() and len(p) > 1]
    elif len(word) >= 10:
        # An unknown compound ending in a known word ("henkilökohtaistamisprosessin"): the shortest
        # known tail is its last part, the rest is analysed on its own.
        for split in range(len(word) - 5, 3, -1):
            # Names hide everywhere inside words ("...prosessin" ends in "Essin"): common words only.
            tail = [a for a in _voikko_analyses(word[split:]) if not a.get("CLASS", "").endswith("nimi")]
            if tail:
                head = analyse_word(word[:split], "fi")
                parts = [*head.lemmas[:1], normalise_term(tail[0].get("BASEFORM") or word[split:])]
                break
    parts = [p for p in dict.fromkeys(parts) if p and p != stem]
    return WordAnalysis(word, (stem,) if stem else (), tuple(parts))


def is_stopword(analysis: WordAnalysis, language: str = "fi") -> bool:
    stop = STOPWORDS.get(language, frozenset())
    return analysis.surface in stop or bool(analysis.lemmas) and analysis.lemmas[0] in stop


def words(text: str) -> list[str]:
    """The words of a text, hyphenated words kept whole; leading/trailing hyphens dropped."""
    return WORD_RE.findall(text or "")


def analyse(text: str, language: str = "fi", *, keep_stopwords: bool = False) -> list[WordAnalysis]:
    """Analyse a text into one WordAnalysis per word, stopwords left out."""
    language = language if language in LANGUAGES else "fi"
    result = []
    for word in words(text):
        analysis = analyse_word(word, language)
        if not analysis.lemmas:
            continue
        if not keep_stopwords and is_stopword(analysis, language):
            continue
        result.append(analysis)
    return result


@lru_cache(maxsize=300_000)
def _word_index_terms(word: str, language: str) -> tuple[str, ...]:
    analysis = analyse_word(word, language)
    return () if is_stopword(analysis, language) else analysis.terms


def index_terms(text: str, language: str = "fi") -> list[str]:
    """The term stream stored in the index: for each word its base forms, then compound parts."""
    language = language if language in LANGUAGES else "fi"
    terms: list[str] = []
    for word in WORD_RE.findall(text or ""):
        terms.extend(_word_index_terms(word, language))
    return terms


def index_text(text: str, language: str = "fi") -> tuple[str, int]:
    """The analysed text as stored in the index, and its number of terms.

    The terms of one word are separated by spaces and words by newlines: the engines' tokenizers
    treat both as separators, while the ranker can still tell which terms stand next to each other
    (phrases) without re-reading the entry.
    """
    language = language if language in LANGUAGES else "fi"
    words = [_word_index_terms(word, language) for word in WORD_RE.findall(text or "")]
    words = [w for w in words if w]
    return "\n".join(" ".join(w) for w in words), sum(len(w) for w in words)


def cache_clear() -> None:
    analyse_word.cache_clear()
    _word_index_terms.cache_clear()


def cache_stats() -> dict:
    info = _word_index_terms.cache_info()
    lookups = info.hits + info.misses
    return {
        "hits": info.hits,
        "misses": info.misses,
        "size": info.currsize,
        "hit_rate": info.hits / lookups if lookups else 0.0,
    }
