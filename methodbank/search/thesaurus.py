"""Query expansion with the field's vocabulary (Concept rows and their labels, edited by coordinators).

A run of up to four query words that matches a thesaurus term - compared after analysis, in
Finnish, Swedish or English, so "opolle", "gymnasiet" and "guidance counsellors" all match - is
merged into one clause whose extra alternatives are the group's other terms, weighted below 1.

The words of a label match in any order; a few words no label has one by one match a label of a
few more words that has them all ("personlig utvecklingsplan" → personlig utvecklingsplan för
kunnandet, HOKS); in a Swedish query a compound no label has is split into the words of Swedish
labels ("arbetsplatshandledare" → handledare på arbetsplatsen).

The labels of a matched concept's related concepts (skos:related) are alternatives too, weighted
below its own labels (RELATED_WEIGHT): "TUVA" also finds the VALMA and kymppiluokka entries written
before TUVA replaced them, "NEET" the entries on outreach youth work and social exclusion.
"""

from __future__ import annotations

import threading
from functools import cache, lru_cache

from .analysis import STOPWORDS, analyse_word, words
from .lexicon import fold
from .query import EXPANSION_WEIGHT, Alternative, Clause

# A related concept's label, relative to the word itself: below the concept's own labels
# (EXPANSION_WEIGHT), so that an entry naming what was asked for ranks above its neighbours.
RELATED_WEIGHT = 0.3
# Related concepts taken per matched concept at most (a hub concept would flood the query).
MAX_RELATED = 6

MAX_WORDS = 4
# Concepts a few words or a Swedish compound's parts may stand for at most (more: too common).
MAX_WITHIN = 3
# The known beginning or end standing for a Swedish compound with an unknown part: at least this long.
MIN_KNOWN_PART = 5
MAX_REMEMBERED = 20_000
# An acronym a colloquial word is made of: 3-6 capitals; the ending added to it, at most 5 letters.
MIN_ACRONYM, MAX_ACRONYM, MAX_ACRONYM_ENDING = 3, 6, 5
ACRONYM_WEIGHT = 0.4
_ALL_STOPWORDS = frozenset().union(*STOPWORDS.values())


# A label is offered as a closest concept when this share of letter trigrams is common (Dice): high
# enough that "xqzzyv" offers none, low enough that a compound with one part changed still meets.
CLOSEST_MIN_DICE = 0.45

def _trigrams(text: str) -> set[str]:
    """The letter trigrams of each word, lower-cased, diacritics folded, with word edges marked."""
    grams: set[str] = set()
    for word in fold(text).split():
        letters = "".join(c for c in word if c.isalnum())
        padded = f" {letters} "
        grams |= {padded[i : i + 3] for i in range(len(padded) - 2)} if letters else set()
    return grams


def _content_words(text: str) -> list[str]:
    return [w.lower() for w in words(text) if w.lower() not in _ALL_STOPWORDS]


def _lemma(word: str, language: str) -> str:
    """The word's first base form or stem; Swedish stems without a final s, which Snowball keeps
    in some forms only ("arbetsplatsen" → arbetsplats, "arbetsplats" → arbetsplat)."""
    analysis = analyse_word(word, language)
    if not analysis.lemmas:
        return ""
    lemma = analysis.lemmas[0]
    if language == "sv" and len(lemma) > 3 and lemma.endswith("s"):
        lemma = lemma[:-1]
    return lemma


def _keys(surfaces: list[str]) -> set[tuple]:
    """Ways a run of words can match: surface, Finnish lemma, Swedish and English stems, in order,
    and the same base forms in any order ("handledare på arbetsplatsen" for "arbetsplats handledare")."""
    keys = {("s", *surfaces)}
    for language in ("fi", "sv", "en"):
        lemmas = [_lemma(word, language) for word in surfaces]
        if all(lemmas):
            keys.add((language, *lemmas))
            keys.add(("set", language, *sorted(set(lemmas))))
    return keys


# Labels are analysed once per process: a matched concept brings its own and its neighbours' labels,
# dozens of words, on every search that names it.
@lru_cache(maxsize=50_000)
def _term_alternative(term: str, weight: float = EXPANSION_WEIGHT, related: bool = False) -> Alternative | None:
    slots = []
    for word in _content_words(term):
        analysis = analyse_word(word, "fi")
        if analysis.lemmas:
            slots.append(frozenset(analysis.lemmas))
    if not slots:
        return None
    return Alternative(tuple(slots), weight, expansion=True, related=related)


class Thesaurus:
    def __init__(
        self,
        groups: list[list[str]],
        swedish: list[str] = (),
        related: dict[int, list[int]] | None = None,
        preferred: list[dict[str, str]] | None = None,
    ):
        """``groups``: the labels of each concept; ``swedish``: the Swedish labels among them (their
        words are the parts a Swedish compound is split into); ``related``: group number -> the
        numbers of its related concepts' groups; ``preferred``: each group's preferred label per
        language (what a "closest concepts" offer shows; the first label where it has none)."""
        self.groups = groups
        self.preferred = preferred or [{} for _ in groups]
        self._grams: dict[str, list[tuple[int, int]]] | None = None
        self._gram_counts: list[int] = []
        self.related = related or {}
        self.index: dict[tuple, set[int]] = {}
        # (language, base form) -> the (group, number of content words) of the labels having it.
        self.containing: dict[tuple, set[tuple[int, int]]] = {}
        for number, terms in enumerate(groups):
            for term in terms:
                surfaces = _content_words(term)
                if 0 < len(surfaces) <= MAX_WORDS:
                    for key in _keys(surfaces):
                        self.index.setdefault(key, set()).add(number)
                if len(surfaces) >= 2:
                    for language in ("fi", "sv", "en"):
                        for word in surfaces:
                            lemma = _lemma(word, language)
                            if lemma:
                                entry = (number, len(surfaces))
                                self.containing.setdefault((language, lemma), set()).add(entry)
        self.swedish_parts = {
            _lemma(word, "sv") for label in swedish for word in _content_words(label) if len(word) >= 3
        }
        self.swedish_parts.discard("")
        self._compounds: dict[str, frozenset[int]] = {}
        # Acronyms among the labels ("HOPS", "TET"), lower-cased -> their concepts: the stems of
        # the colloquial words made of them ("hopsi", "hoksaaja", "tetti").
        self.acronyms: dict[str, set[int]] = {}
        for number, terms in enumerate(groups):
            for term in terms:
                if MIN_ACRONYM <= len(term) <= MAX_ACRONYM and term.isalpha() and term.isupper():
                    self.acronyms.setdefault(term.lower(), set()).add(number)

    def lookup(self, surfaces: list[str], *, compounds: bool = False) -> set[int]:
        """The concepts having a label of these words; ``compounds``: a Swedish compound split into
        the words of Swedish labels as well (Swedish queries only: a Finnish typo is no Swedish
        compound)."""
        found: set[int] = set()
        for key in _keys(surfaces):
            found |= self.index.get(key, set())
        if not found and compounds and len(surfaces) == 1:
            found = self.swedish_compound(surfaces[0])
        return found

    def within(self, surfaces: list[str], *, single: bool = False) -> set[int]:
        """The concepts with a label of at most two more words that has all of these words, in any
        order ("personlig utvecklingsplan" in "personlig utvecklingsplan för kunnandet"); at most
        MAX_WITHIN of them. When more concepts have such a label, those whose label has the fewest
        other words, if they are at most MAX_WITHIN ("upper secondary": upper secondary school,
        upper secondary education, not every label about it); else none (the words are too common
        to name a concept). ``single``: one word is enough (expansion.py asks this for a word no
        entry and no label has as it is: "multiprofessional" in "multiprofessional cooperation")."""
        if len(surfaces) < (1 if single else 2):
            return set()
        # concept -> the fewest content words of a label of it that has all the words
        sizes: dict[int, int] = {}
        for language in ("fi", "sv", "en"):
            lemmas = {_lemma(word, language) for word in surfaces}
            if "" in lemmas:
                continue
            labels = None
            for lemma in lemmas:
                having = {e for e in self.containing.get((language, lemma), ()) if e[1] <= len(lemmas) + 2}
                labels = having if labels is None else labels & having
                if not labels:
                    break
            for number, size in labels or ():
                sizes[number] = min(size, sizes.get(number, size))
        if len(sizes) <= MAX_WITHIN:
            return set(sizes)
        fewest = min(sizes.values())
        found = {number for number, size in sizes.items() if size == fewest}
        return found if len(found) <= MAX_WITHIN else set()

    def swedish_compound(self, word: str) -> frozenset[int]:
        """As _swedish_compound, remembered per word (a bounded number of words per thesaurus)."""
        found = self._compounds.get(word)
        if found is None:
            found = frozenset(self._swedish_compound(word))
            if len(self._compounds) < MAX_REMEMBERED:
                self._compounds[word] = found
        return found

    def _swedish_compound(self, word: str) -> set[int]:
        """A Swedish compound none of whose labels has: split into the fewest words of Swedish
        labels (with the linking s: "läroavtal|s|plats"), the concept having all its parts in one
        label ("arbetsplatshandledare": handledare på arbetsplatsen), else the concepts of its
        parts (läroavtal: oppisopimus)."""
        letters = word.lower()
        n = len(letters)
        if n < 7 or n > 40 or not letters.isalpha():
            return set()

        @cache
        def best(start: int) -> tuple[str, ...] | None:
            if start == n:
                return ()
            options = []
            for end in range(n, start + 2, -1):
                piece = letters[start:end]
                candidates = [piece] if end == n else [piece, piece[:-1]] if piece.endswith("s") else [piece]
                for candidate in candidates:
                    lemma = _lemma(candidate, "sv")
                    if len(candidate) >= 3 and lemma in self.swedish_parts:
                        rest = best(end)
                        if rest is not None:
                            options.append((lemma, *rest))
                        break
            return min(options, key=len) if options else None

        parts = best(0)
        if parts and len(parts) >= 2:
            whole = self.index.get(("set", "sv", *sorted(set(parts))), set())
            if whole:
                return set(whole)
        else:
            # A part no label has ("plats" in "läroavtalsplats"): the longest known beginning and
            # the longest known end stand for the word.
            parts = []
            for end in range(n - 3, MIN_KNOWN_PART - 1, -1):
                piece = letters[:end]
                lemmas = {_lemma(piece, "sv"), _lemma(piece[:-1], "sv") if piece.endswith("s") else ""}
                if lemmas & self.swedish_parts:
                    parts.append(next(iter(lemmas & self.swedish_parts)))
                    break
            for start in range(3, n - MIN_KNOWN_PART + 1):
                lemma = _lemma(letters[start:], "sv")
                if lemma in self.swedish_parts:
                    parts.append(lemma)
                    break
        found: set[int] = set()
        for part in parts:
            found |= self.index.get(("set", "sv", part), set())
        return found if len(found) <= MAX_WITHIN else set()

    def alternatives_for(self, text: str, weight: float) -> list[Alternative]:
        """The labels of the concepts ``text`` (a correction of a typed word) is a label of, as
        alternatives of ``weight``: the typo "mentroointi" read as mentorointi also reaches the
        entries on mentors, as "mentorointi" itself would."""
        surfaces = _content_words(text)
        if not surfaces or len(surfaces) > MAX_WORDS:
            return []
        alternatives = []
        for number in sorted(self.lookup(surfaces)):
            for term in self.groups[number]:
                alternative = _term_alternative(term, weight)
                if alternative is not None:
                    alternatives.append(alternative)
        return alternatives

    def acronym_alternatives(self, word: str) -> list[Alternative]:
        """A word made of an acronym and an ending ("hopsi", "hoksaaja", "tetti", "amkssa") that
        neither the index nor a label has as it is: the acronym's concepts' labels, weighted
        ACRONYM_WEIGHT (below a label matched as typed)."""
        letters = word.lower()
        if not letters.isalpha():
            return []
        groups: set[int] = set()
        for cut in range(min(MAX_ACRONYM, len(letters) - 1), MIN_ACRONYM - 1, -1):
            if len(letters) - cut <= MAX_ACRONYM_ENDING and letters[:cut] in self.acronyms:
                groups = self.acronyms[letters[:cut]]
                break
        alternatives, seen = [], set()
        for number in sorted(groups):
            for term in self.groups[number]:
                alternative = _term_alternative(term, ACRONYM_WEIGHT)
                if alternative is not None and alternative.slots not in seen:
                    seen.add(alternative.slots)
                    alternatives.append(alternative)
        return alternatives

    def _label_grams(self) -> dict[str, list[tuple[int, int]]]:
        """Trigram -> (group, label number) of every label, built once per thesaurus (a few
        thousand labels): the closest-concept lookup reads postings, never the whole vocabulary."""
        if self._grams is None:
            grams: dict[str, list[tuple[int, int]]] = {}
            counts: list[int] = []
            for number, terms in enumerate(self.groups):
                for term in terms:
                    own = _trigrams(term)
                    for gram in own:
                        grams.setdefault(gram, []).append((number, len(counts)))
                    counts.append(len(own))
            self._gram_counts, self._grams = counts, grams
        return self._grams

    def closest_concepts(self, word: str, language: str, *, limit: int = 3) -> list[str]:
        """The preferred labels (in ``language``) of the concepts having a label whose letters are
        closest to a word that finds nothing: "lärlingsutbildning" → läroavtalsutbildning. Closeness
        is the Dice coefficient of letter trigrams, diacritics folded, at least CLOSEST_MIN_DICE."""
        own = _trigrams(word)
        if len(own) < 3:
            return []
        grams = self._label_grams()
        shared: dict[tuple[int, int], int] = {}
        for gram in own:
            for posting in grams.get(gram, ()):
                shared[posting] = shared.get(posting, 0) + 1
        best: dict[int, float] = {}
        for (number, label), count in shared.items():
            dice = 2 * count / (len(own) + self._gram_counts[label])
            if dice >= CLOSEST_MIN_DICE and dice > best.get(number, 0):
                best[number] = dice
        result = []
        for number in sorted(best, key=lambda n: (-best[n], n)):
            label = self.preferred[number].get(language) or self.groups[number][0]
            if label not in result:
                result.append(label)
        return result[:limit]

    def expansions(self, surfaces: list[str]) -> list[str]:
        """The other terms of every group the words belong to (for display and tests)."""
        result = []
        own = {" ".join(surfaces)}
        for number in sorted(self.lookup(surfaces)):
            result += [t for t in self.groups[number] if t.lower() not in own and t not in result]
        return result

    def expand(self, clauses: list[Clause], languages: list[str]) -> list[Clause]:
        result: list[Clause] = []
        i = 0
        while i < len(clauses):
            clause = clauses[i]
            if clause.excluded or clause.kind != "word" or not clause.surface:
                result.append(clause)
                i += 1
                continue
            # Longest run of plain words first: "upper secondary school" before "school".
            for size in range(min(MAX_WORDS, len(clauses) - i), 0, -1):
                run = clauses[i : i + size]
                if any(c.excluded or c.kind != "word" or not c.surface for c in run):
                    continue
                surfaces = [s for c in run for s in c.surface]
                groups = self.lookup(surfaces, compounds="sv" in languages)
                if groups:
                    result.append(self._merged(run, surfaces, groups))
                    i += size
                    break
            else:
                # No label has these words as they are: a label with all of a few words that no
                # label has one by one ("personlig utvecklingsplan").
                for size in range(min(MAX_WORDS, len(clauses) - i), 1, -1):
                    run = clauses[i : i + size]
                    if any(c.excluded or c.kind != "word" or not c.surface for c in run):
                        continue
                    surfaces = [s for c in run for s in c.surface]
                    if any(self.lookup([word]) for word in surfaces):
                        continue
                    groups = self.within(surfaces)
                    if groups:
                        result.append(self._merged(run, surfaces, groups))
                        i += size
                        break
                else:
                    result.append(clause)
                    i += 1
        return result

    def _merged(self, run: list[Clause], surfaces: list[str], groups: set[int]) -> Clause:
        if len(run) == 1:
            alternatives = list(run[0].alternatives)
        else:
            # The words themselves, all of them (each with its first alternative: the base forms).
            alternatives = [Alternative(tuple(s for c in run for s in c.alternatives[0].slots))]
        seen = {a.slots for a in alternatives}
        for number in sorted(groups):
            for term in self.groups[number]:
                alternative = _term_alternative(term)
                if alternative is not None and alternative.slots not in seen:
                    seen.add(alternative.slots)
                    alternatives.append(alternative)
        # Then the neighbours' labels, lower (one step only: a neighbour's neighbour is another topic).
        for number in sorted(groups):
            for other in self.related.get(number, ())[:MAX_RELATED]:
                for term in self.groups[other]:
                    alternative = _term_alternative(term, RELATED_WEIGHT, related=True)
                    if alternative is not None and alternative.slots not in seen:
                        seen.add(alternative.slots)
                        alternatives.append(alternative)
        return Clause(" ".join(c.text for c in run), "word", alternatives, surface=tuple(surfaces))


_lock = threading.Lock()
_loaded: dict = {"version": None, "thesaurus": None}


# The thesaurus' version is looked up in the database at most this often per cache (every search
# needs it); saving or deleting a concept or a label through the ORM forgets it at once (signals.py).
THESAURUS_VERSION_KEY = "search:thesaurus-version"
THESAURUS_RECHECK_SECONDS = 30


def thesaurus_version():
    """Changes whenever a concept or a label is added, edited or deleted - in any process: two cheap
    queries, cached for THESAURUS_RECHECK_SECONDS (bulk writes that send no signal show within that
    time)."""
    from django.core.cache import cache
    from django.db.models import Count, Max

    from methodbank.core.cache import request_memo

    from .models import Concept, ConceptLabel

    memo = request_memo()
    version = memo.get(THESAURUS_VERSION_KEY) if memo is not None else None  # read ahead
    if version is None:
        version = cache.get(THESAURUS_VERSION_KEY)
    if version is None:
        concepts = Concept.objects.aggregate(changed=Max("updated_at"), count=Count("id"), top=Max("id"))
        labels = ConceptLabel.objects.aggregate(changed=Max("updated_at"), count=Count("id"), top=Max("id"))
        # Relations have no time stamp: their number and newest row (a bulk change sends no signal).
        related = Concept.related.through.objects.aggregate(count=Count("id"), top=Max("id"))
        version = tuple(concepts.values()) + tuple(labels.values()) + tuple(related.values())
        cache.set(THESAURUS_VERSION_KEY, version, THESAURUS_RECHECK_SECONDS)
    return version


def thesaurus_changed() -> None:
    from django.core.cache import cache

    from methodbank.core.cache import request_memo

    memo = request_memo()
    if memo is not None:  # this request reads the new version too
        memo.pop(THESAURUS_VERSION_KEY, None)
    cache.delete(THESAURUS_VERSION_KEY)


def get_thesaurus() -> Thesaurus:
    """The thesaurus, built once per process and rebuilt after a coordinator edits it."""
    from .models import Concept

    version = thesaurus_version()
    with _lock:
        if _loaded["version"] != version or _loaded["thesaurus"] is None:
            # Every label of a concept, in every language: a Swedish, English, colloquial or
            # abbreviated query word reaches the Finnish text.
            groups, swedish, numbers, preferred = [], [], {}, []
            for concept in Concept.objects.prefetch_related("labels"):
                labels = concept.labels.all()
                numbers[concept.pk] = len(groups)
                groups.append(concept.term_list(labels))
                preferred.append(dict(concept.pref_labels()))
                swedish += [concept.pref_label_sv] + [
                    label.text for label in labels if label.language == "sv"
                ]
            related: dict[int, list[int]] = {}
            pairs = Concept.related.through.objects.values_list("from_concept_id", "to_concept_id")
            for one, other in pairs.order_by("from_concept_id", "to_concept_id"):
                if one in numbers and other in numbers:
                    related.setdefault(numbers[one], []).append(numbers[other])
            _loaded["thesaurus"] = Thesaurus(groups, [label for label in swedish if label], related, preferred)
            _loaded["version"] = version
        return _loaded["thesaurus"]
