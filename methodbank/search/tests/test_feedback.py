"""Pseudo-relevance feedback for long queries (feedback.py, rel11): the words the best entries of a
question share bring up the entry that answers it with few of the question's own words."""

import pytest

from methodbank.catalog.models import Practice
from methodbank.catalog.tests.factories import PracticeFactory
from methodbank.search import feedback
from methodbank.search.query import parse_query
from methodbank.search.selectors import search_entries


def titles(text, language="fi"):
    names = dict(Practice.objects.values_list("pk", "title"))
    return [names[e.practice_id] for e in search_entries(text=text, language=language).entries]


def _catalog():
    # Enough other entries that the feedback words are rare (MAX_TERM_SHARE).
    for number in range(30):
        PracticeFactory(title=f"Koulun kerho {number}", summary="Koulussa on kerhoja iltapäivisin.")
    for number in range(2):
        PracticeFactory(
            title=f"Valmistuvat opiskelijat työelämään {number}",
            summary="Työnhaku, ansioluettelo ja työhaastattelu harjoitellaan ryhmässä.",
        )
    for number in range(10):
        PracticeFactory(title=f"Opiskelijan tuki {number}", summary="Opiskelija saa tukea opintoihin.")
    # The answer shares only the commonest word of the question, and the best entries' own words.
    PracticeFactory(title="Työnhakuinfot", summary="Työnhaku, ansioluettelo ja työhaastattelu tutuiksi opiskelijalle.")


@pytest.mark.django_db
def test_a_question_finds_the_entry_sharing_the_best_entries_words():
    _catalog()
    found = titles("miten tukea valmistuvaa opiskelijaa työelämään")
    assert found[0].startswith("Valmistuvat opiskelijat työelämään")
    assert "Työnhakuinfot" in found[:10]


@pytest.mark.django_db
def test_a_short_query_ranks_as_without_feedback(monkeypatch):
    _catalog()
    with_feedback = titles("opiskelijaa työelämään")
    monkeypatch.setattr(feedback, "FEEDBACK_MIN_CLAUSES", 99)
    assert titles("opiskelijaa työelämään") == with_feedback


def test_only_queries_of_three_typed_words_get_feedback():
    assert feedback.applies(parse_query("miten tukea valmistuvaa opiskelijaa työelämään"))
    assert not feedback.applies(parse_query("opiskelijaa työelämään"))
    assert not feedback.applies(parse_query("miten ohjata opiskelijaa"))  # "miten" is a question word
