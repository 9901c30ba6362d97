"""The index's own vocabulary as a lookup structure for the fuzzy expansions (expansion.py).

Every term of the index (SearchTerm) gets a *key*: the term with its diacritics folded (ä→a, ö→o,
å→a) and then stemmed by Snowball Finnish. A query word typed without ä/ö or in a form Voikko does
not know gets a key the same way, so "tyoelamaan" meets *työelämä* (both "tyoelam") and
"ryhmyttämisen" meets "ryhmäyttämisen" only through a typo step. On the keys:

- ``same_key``: the terms whose key equals the word's (diacritics and inflection ignored);
- ``near``: the keys within Damerau–Levenshtein distance 1 (keys of 4–7 letters) or 2 (8 or more),
  found SymSpell-style: every key's deletions (of its first PREFIX letters, up to two) are stored,
  a word's deletions are looked up, and the few candidates are verified with the true distance. No
  query scans the vocabulary;
- ``with_prefix``: the most frequent keys starting with a stem (a sorted list and bisection), so a
  derived form meets its base ("pelillisyys" → "pelillistäminen");
- ``split``: an unknown compound cut into the fewest, longest parts that are keys of the index.

Built once per process from SearchTerm and rebuilt when the index changes (its version, see
indexing.index_version, or ``forget()`` from this process's own index writes).
"""

from __future__ import annotations

import bisect
import threading
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache

import snowballstemmer
from rapidfuzz.distance import OSA

from .analysis import analyse_word

FOLD = str.maketrans({"ä": "a", "ö": "o", "å": "a", "é": "e", "ü": "u"})
# SymSpell: deletions of the first PREFIX letters of a key only (more letters, same candidates
# after verification, three times the memory).
PREFIX = 7
MIN_FUZZY_LENGTH = 4
MAX_SPLIT_LENGTH = 40
# The last part of a cut is also read by its base form (Voikko) when it has at least this many letters.
MIN_BASE_PIECE = 5
_stemmer_lock = threading.Lock()
_stemmer = snowballstemmer.stemmer("finnish")


def fold(text: str) -> str:
    return text.lower().translate(FOLD)


@lru_cache(maxsize=200_000)
def key(word: str) -> str:
    """Diacritics folded, then the Snowball Finnish stem (letters and digits only)."""
    folded = "".join(c for c in fold(word) if c.isalnum())
    with _stemmer_lock:  # Snowball stemmer objects keep state between calls
        stem = _stemmer.stemWord(folded)
    # As analysis._fallback_stem: "-minen" nouns meet their other cases ("...mis").
    if folded.endswith("nen") and stem.endswith("in"):
        stem = stem[:-2] + "is"
    return stem


def max_distance(word: str) -> int:
    if len(word) < MIN_FUZZY_LENGTH:
        return 0
    return 1 if len(word) < 8 else 2


def _deletes(word: str, distance: int) -> set[str]:
    result, frontier = set(), {word[:PREFIX]}
    for _ in range(distance):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        result |= frontier
    return result


def damerau_levenshtein(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (an adjacent transposition counts 1), limit+1 above the
    limit (rapidfuzz, in C++: the verification of a few dozen candidates costs microseconds)."""
    return OSA.distance(a, b, score_cutoff=limit)


@dataclass(frozen=True)
class Near:
    key: str
    distance: int
    df: int  # the most frequent term's document frequency under the key


class Lexicon:
    def __init__(self, terms: dict[str, int]):
        """``terms``: every index term with its document frequency."""
        self.df = terms
        by_key: dict[str, list[str]] = defaultdict(list)
        for term in terms:
            if term.isdigit() or len(term) < 2:
                continue
            by_key[key(term)].append(term)
        # Most frequent term first under each key.
        self.by_key = {k: sorted(v, key=lambda t: (-terms[t], t)) for k, v in by_key.items()}
        self.key_df = {k: terms[v[0]] for k, v in self.by_key.items()}
        self.sorted_keys = sorted(self.by_key)
        self.deletes: dict[str, list[str]] = defaultdict(list)
        for k in self.by_key:
            distance = max_distance(k)
            if distance:
                for deleted in _deletes(k, distance) | {k[:PREFIX]}:
                    self.deletes[deleted].append(k)
        self.folded_terms = {fold(t) for t in terms}

    def same_key(self, word: str) -> list[str]:
        return self.by_key.get(key(word), [])

    def near(self, word: str, *, limit: int = 3) -> list[Near]:
        """The keys nearest to the word's key (excluding itself), nearest and most frequent first."""
        own = key(word)
        distance = max_distance(own)
        if not distance:
            return []
        candidates = set()
        for deleted in _deletes(own, distance) | {own[:PREFIX]}:
            candidates.update(self.deletes.get(deleted, ()))
        found = []
        for candidate in candidates:
            if candidate == own:
                continue
            d = damerau_levenshtein(own, candidate, distance)
            if d <= distance:
                found.append(Near(candidate, d, self.key_df[candidate]))
        found.sort(key=lambda n: (n.distance, -n.df, n.key))
        return found[:limit]

    def with_prefix(self, stem: str, *, limit: int = 4) -> list[str]:
        """The most frequent keys that start with ``stem`` (a bisection of the sorted keys)."""
        start = bisect.bisect_left(self.sorted_keys, stem)
        end = bisect.bisect_left(self.sorted_keys, stem + "\uffff")
        keys = self.sorted_keys[start:end]
        if len(keys) > 64:  # a short, common stem: not informative enough to widen a query with
            return []
        return sorted(keys, key=lambda k: (-self.key_df[k], k))[:limit]

    def closest(self, word: str, *, limit: int = 3) -> list[str]:
        """The most frequent terms sharing the longest beginning with the word's key (at least
        three letters): what to offer when nothing else is near. Reads at most 512 keys."""
        own = key(word)
        for length in range(min(len(own) - 1, 16), 2, -1):
            stem = own[:length]
            start = bisect.bisect_left(self.sorted_keys, stem)
            keys = []
            for k in self.sorted_keys[start : start + 512]:
                if not k.startswith(stem):
                    break
                keys.append(k)
            if keys:
                keys.sort(key=lambda k: (-self.key_df[k], k))
                return [self.by_key[k][0] for k in keys[:limit]]
        return []

    def split(self, word: str, *, shortest: int = 3) -> list[str]:
        """The word cut into the fewest parts known to the index, longest first, as keys: a part
        inside is an index term as written (diacritics folded), the last part may be inflected.
        [] if it cannot be cut so. "metallivideot" → keys of [metalli, video]."""
        folded = "".join(c for c in fold(word) if c.isalnum())
        plain = "".join(c for c in word.lower() if c.isalnum())  # letter for letter as folded
        n = len(folded)
        if n < 2 * shortest or n > MAX_SPLIT_LENGTH:  # the cut costs n² stems: no 500-letter words
            return []

        @cache
        def best(start: int) -> tuple[str, ...] | None:
            if start == n:
                return ()
            options = []
            for end in range(n, start + shortest - 1, -1):
                piece = folded[start:end]
                # A part inside: an index term as written, or (4+ letters) a form of one.
                known = end == n or piece in self.folded_terms or len(piece) >= 4
                found = key(piece) if known and key(piece) in self.by_key else None
                if not found and end == n and end - start >= MIN_BASE_PIECE and len(plain) == n:
                    found = self._last_by_base(plain[start:end])
                if found:
                    rest = best(end)
                    if rest is not None:
                        options.append((found, *rest))
                        if len(options) >= 3:
                            break
            return min(options, key=len) if options else None

        parts = best(0)
        return list(parts) if parts and len(parts) >= 2 else []

    def _last_by_base(self, piece: str) -> str | None:
        """The key of the last part's base form (its lemma, as the index keeps words), when its
        Snowball key is no index key: the index has "osaaminen" as "osata", so "digiosaaminen" was
        cut into digi + osa + amis (a form of "aminen"), a third part that is noise. Cached per
        piece (analyse_word)."""
        for lemma in analyse_word(piece).lemmas:
            if key(lemma) in self.by_key:
                return key(lemma)
        return None


_lock = threading.Lock()
_state: dict = {"version": None, "lexicon": None}
_generation = [0]


def forget() -> None:
    """This process changed the index: rebuild on next use."""
    _generation[0] += 1


def get_lexicon() -> Lexicon:
    from .indexing import index_version
    from .models import SearchTerm

    version = (index_version(), _generation[0])
    lexicon = _state["lexicon"]
    if lexicon is not None and _state["version"] == version:
        return lexicon
    with _lock:
        if _state["lexicon"] is None or _state["version"] != version:
            terms = dict(
                SearchTerm.objects.filter(df__gt=0).values_list("term", "df").iterator(chunk_size=20_000)
            )
            _state["lexicon"] = Lexicon(terms)
            _state["version"] = version
        return _state["lexicon"]
