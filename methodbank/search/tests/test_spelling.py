"""The spelling stage (spelling.py): unknown Finnish words read as what the user meant, before the
thesaurus widens them; words the index or the vocabulary knows are left alone."""

import pytest

from methodbank.catalog.tests.factories import PracticeFactory
from methodbank.search.selectors import search_entries, search_query_parse
from methodbank.search.spelling import restorations, suggestions

pytestmark = pytest.mark.django_db


def ranked(text, language="fi"):
    return [e.practice_id for e in search_entries(text=text, language=language).entries]


def test_missing_diacritics_are_restored_to_a_word_voikko_knows():
    assert restorations("syrjaytyminen")[0] == "syrjäytyminen"
    assert "työelämään" in restorations("tyoelamaan")
    assert restorations("xyz") == ()
    assert "vertaistuki" in suggestions("vertaistkui")


def test_a_restored_word_is_widened_by_the_thesaurus():
    literal = PracticeFactory(title="Syrjäytymisen ehkäisy", summary="Nuoret syrjäytyvät.")
    # Only the vocabulary's other labels of the concept reach this one (syrjäytyminen: marginalisoituminen).
    related = PracticeFactory(title="Marginalisoitumisen tunnistaminen", summary="Nuorten tukeminen.")
    results = search_entries(text="syrjaytyminen")
    ids = [e.practice_id for e in results.entries]
    assert ids[0] == literal.pk and related.pk in ids
    assert results.suggestion == "syrjäytyminen"  # the word as a user types it, not an index key


def test_a_misspelt_word_is_corrected_by_voikko_when_the_index_has_the_word_meant():
    practice = PracticeFactory(title="Vertaistuki opinnoissa", summary="Vertaistuki auttaa.")
    results = search_entries(text="vertaistkui")
    assert [e.practice_id for e in results.entries] == [practice.pk]
    assert results.suggestion == "vertaistuki"


def test_known_words_and_vocabulary_labels_are_not_corrected():
    PracticeFactory(title="Kuvataide", summary="Kuvata ja piirtää.")
    assert search_query_parse("TUVA").corrections == {}  # an acronym of the vocabulary, not "kuvata"
    PracticeFactory(title="Amis tutuksi", summary="Amis.")
    assert search_query_parse("amis").corrections == {}
    parsed = search_query_parse("työelämä")
    assert parsed.corrections == {}


def test_a_correction_is_never_shown_as_a_folded_index_key():
    from methodbank.search.expansion import _display

    # The near key of a Swedish word lost its ä: the page shows the index's own term instead.
    assert _display("tillämpningarna", "tillampning", "tillämpning") == "tillämpning"
    # The typed word with the near stem, when that is a word: what a user would type.
    assert _display("mentroointi", "mentoroint", "mentoroint") == "mentorointi"
