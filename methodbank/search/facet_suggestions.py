"""Which browse values an entry's text names: the labels of each value and of its narrower concepts,
in every language, matched as phrases against the entry's text.

Both sides go through the search's own analysis (analysis.analyse: Voikko base forms for Finnish,
Snowball for Swedish and English), so "maahanmuuttajataustaisille nuorille" matches the label
"maahanmuuttajataustainen nuori". A word matches by its base form only, not by the parts of a
compound: "työnhaku" is not "haku" (applying to education), and "opintojen aikana" keeps its
"aikana", which the index drops as a stopword. Each language version of an entry is read with its
own language's analyser.

Each label found counts once per field with the field's weight (the title most, as in ranking); a
value is suggested when its score reaches SUGGEST_MIN. The precision and recall are measured on a
hand-judged sample of the Zoomi catalog (tests/test_facet_suggestions.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .analysis import analyse
from .indexing import practice_language_versions
from .models import FACET_CATEGORIES, Concept

FIELD_WEIGHTS = (3.0, 2.0, 1.0)  # title, summary, body (project names, keywords, template sections)
# A value named once in the body alone (often in a project's name) is enough: the imported entries
# are a title and one paragraph, and a coordinator confirms every suggestion anyway.
SUGGEST_MIN = 1.0
# A phrase is a run of word keys (base forms); a key matches an entry word with that base form.
Phrase = tuple[str, ...]


@dataclass
class FacetValueMatcher:
    concept_id: int
    phrases: dict[Phrase, str] = field(default_factory=dict)  # phrase -> the label it came from


def _phrase(text: str, language: str) -> Phrase:
    """A label as word keys: each word's first base form."""
    return tuple(word.lemmas[0] for word in analyse(text, language or "fi", keep_stopwords=True))


def facet_matchers(concepts=None) -> list[FacetValueMatcher]:
    """One matcher per browse value, from its labels and its narrower concepts' labels."""
    if concepts is None:
        concepts = Concept.objects.filter(facet_value=True, category__in=FACET_CATEGORIES).prefetch_related(
            "labels", "narrower__labels"
        )
    matchers = []
    for concept in concepts:
        matcher = FacetValueMatcher(concept.pk)
        for source in [concept, *concept.narrower.all()]:
            texts = [(text, lang) for lang, text in source.pref_labels()]
            texts += [(label.text, label.language) for label in source.labels.all()]
            for text, language in texts:
                phrase = _phrase(text, language)
                if phrase:
                    matcher.phrases.setdefault(phrase, text)
        matchers.append(matcher)
    return matchers


def _words(text: str, language: str) -> list[frozenset]:
    """A text as the base forms of each of its words."""
    return [frozenset(word.lemmas) for word in analyse(text, language, keep_stopwords=True)]


def _occurs(phrase: Phrase, words: list[frozenset]) -> bool:
    n = len(phrase)
    first = phrase[0]
    for start in range(len(words) - n + 1):
        if first in words[start] and all(phrase[i] in words[start + i] for i in range(1, n)):
            return True
    return False


@dataclass
class Suggestion:
    concept_id: int
    score: float
    evidence: list[str]


def suggest_for_versions(versions: list[tuple[str, str, str, str]], matchers: list[FacetValueMatcher]) -> list[Suggestion]:
    """The values whose labels occur in the (language, title, summary, body) versions of an entry,
    best first. A label counts once per field (repeating a word does not make it more of a target
    group), found in any language version."""
    by_field = [[_words(version[number], version[0]) for version in versions] for number in (1, 2, 3)]
    suggestions = []
    for matcher in matchers:
        score, evidence = 0.0, []
        for weight, field_versions in zip(FIELD_WEIGHTS, by_field, strict=True):
            for phrase, label in matcher.phrases.items():
                if any(_occurs(phrase, words) for words in field_versions):
                    score += weight
                    if label not in evidence:
                        evidence.append(label)
        if score >= SUGGEST_MIN:
            suggestions.append(Suggestion(matcher.concept_id, score, evidence))
    return sorted(suggestions, key=lambda s: -s.score)


def practice_suggestions(practice, matchers: list[FacetValueMatcher]) -> list[Suggestion]:
    """``practice`` with its project, keywords and translations loaded (indexing.with_indexed_relations)."""
    return suggest_for_versions(practice_language_versions(practice), matchers)
