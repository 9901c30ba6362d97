"""Query expansion with the field's vocabulary (Concept rows and their labels, edited by coordinators).

A run of up to four query words that matches a thesaurus term - compared after analysis, in
Finnish, Swedish or English, so "opolle", "gymnasiet" and "guidance counsellors" all match - is
merged into one clause whose extra alternatives are the group's other terms, weighted below 1.
"""

from __future__ import annotations

import threading

from .analysis import STOPWORDS, analyse_word, words
from .query import EXPANSION_WEIGHT, Alternative, Clause

MAX_WORDS = 4
_ALL_STOPWORDS = frozenset().union(*STOPWORDS.values())


def _content_words(text: str) -> list[str]:
    return [w.lower() for w in words(text) if w.lower() not in _ALL_STOPWORDS]


def _keys(surfaces: list[str]) -> set[tuple]:
    """Ways a run of words can match: surface, Finnish lemma, Swedish and English stems."""
    keys = {("s", *surfaces)}
    for language in ("fi", "sv", "en"):
        lemmas = []
        for word in surfaces:
            analysis = analyse_word(word, language)
            if not analysis.lemmas:
                break
            lemmas.append(analysis.lemmas[0])
        else:
            keys.add((language, *lemmas))
    return keys


def _term_alternative(term: str) -> Alternative | None:
    slots = []
    for word in _content_words(term):
        analysis = analyse_word(word, "fi")
        if analysis.lemmas:
            slots.append(frozenset(analysis.lemmas))
    if not slots:
        return None
    return Alternative(tuple(slots), EXPANSION_WEIGHT, expansion=True)


class Thesaurus:
    def __init__(self, groups: list[list[str]]):
        self.groups = groups
        self.index: dict[tuple, set[int]] = {}
        for number, terms in enumerate(groups):
            for term in terms:
                surfaces = _content_words(term)
                if 0 < len(surfaces) <= MAX_WORDS:
                    for key in _keys(surfaces):
                        self.index.setdefault(key, set()).add(number)

    def lookup(self, surfaces: list[str]) -> set[int]:
        found: set[int] = set()
        for key in _keys(surfaces):
            found |= self.index.get(key, set())
        return found

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
                groups = self.lookup(surfaces)
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

    from .models import Concept, ConceptLabel

    version = cache.get(THESAURUS_VERSION_KEY)
    if version is None:
        concepts = Concept.objects.aggregate(changed=Max("updated_at"), count=Count("id"), top=Max("id"))
        labels = ConceptLabel.objects.aggregate(changed=Max("updated_at"), count=Count("id"), top=Max("id"))
        version = tuple(concepts.values()) + tuple(labels.values())
        cache.set(THESAURUS_VERSION_KEY, version, THESAURUS_RECHECK_SECONDS)
    return version


def thesaurus_changed() -> None:
    from django.core.cache import cache

    cache.delete(THESAURUS_VERSION_KEY)


def get_thesaurus() -> Thesaurus:
    """The thesaurus, built once per process and rebuilt after a coordinator edits it."""
    from .models import Concept

    version = thesaurus_version()
    with _lock:
        if _loaded["version"] != version or _loaded["thesaurus"] is None:
            # Every label of a concept, in every language: a Swedish, English, colloquial or
            # abbreviated query word reaches the Finnish text.
            groups = [concept.term_list() for concept in Concept.objects.prefetch_related("labels")]
            _loaded["thesaurus"] = Thesaurus(groups)
            _loaded["version"] = version
        return _loaded["thesaurus"]
