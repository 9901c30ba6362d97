"""The query language: parsing, and what each construct finds in a small catalog."""

import pytest

from bench.fulltext import to_fts5, to_tsquery
from methodbank.catalog.tests.factories import PracticeFactory, ProjectFactory
from methodbank.search.query import parse_query
from methodbank.search.selectors import search_entries


def titles(text, **kwargs):
    from methodbank.catalog.models import Practice

    results = search_entries(text=text, **kwargs)
    names = dict(Practice.objects.values_list("pk", "title"))
    return [names[e.practice_id] for e in results.entries]


def test_parse_phrase_prefix_and_exclusion():
    query = parse_query('"ohjaava opettajuus" ohjaa* -romanit nuorille')
    kinds = [(c.kind, c.excluded) for c in query.clauses]
    assert kinds == [("phrase", False), ("prefix", False), ("word", True), ("word", False)]
    phrase, prefix, excluded, word = query.clauses
    assert [set(s) for s in phrase.phrase] == [{"ohjaava"}, {"opettajuus"}]
    assert prefix.terms() == {"ohjaa*"}
    assert "romani" in excluded.terms()
    assert "nuori" in word.terms()


def test_stopwords_and_punctuation_do_not_make_clauses():
    query = parse_query("ja opiskelijat, sekä !")
    assert [c.text for c in query.clauses] == ["opiskelijat"]


def test_compiles_to_both_engines():
    # The benchmark's full-text baseline (bench/fulltext.py) compiles the same query structure.
    query = parse_query('romaninuoret ohjaa* -"ohjaava opettajuus"')
    fts = to_fts5(query, require_all=True)
    assert fts == '(("romaninuori" OR ("romani" AND "nuori")) AND "ohjaa"*) NOT ("ohjaava" AND "opettajuus")'
    pg = to_tsquery(query, require_all=True)
    assert pg == "(('romaninuori' | ('romani' & 'nuori')) & 'ohjaa':*) & !('ohjaava' & 'opettajuus')"
    assert " OR " in to_fts5(query, require_all=False)


@pytest.fixture
def catalog(db):
    project = ProjectFactory(name="Tšetanes Naal")
    return {
        "romani": PracticeFactory(
            title="Ohjauskahvila romaneille",
            summary="Romanitaustaiset nuoret saavat ohjausta koulutukseen.",
            project=project,
        ),
        "teacher": PracticeFactory(
            title="Ohjaava opettajuus", summary="Opettaja ohjaa opiskelijaa työpaikalla."
        ),
        "split": PracticeFactory(
            title="Opettajuus ja ohjaus", summary="Ohjaava työote ja uusi opettajuus, mutta eri paikoissa."
        ),
        "bridge": PracticeFactory(
            title="Väyläopinnot ammattikorkeakouluun",
            summary="Ammatillisen koulutuksen opiskelijat opiskelevat.",
        ),
    }


def test_inflected_and_compound_queries_find_entries(catalog):
    assert titles("romaninuoret") == ["Ohjauskahvila romaneille"]
    assert titles("väyläopinnoista") == ["Väyläopinnot ammattikorkeakouluun"]


def test_phrase_needs_the_words_next_to_each_other(catalog):
    assert titles('"ohjaava opettajuus"') == ["Ohjaava opettajuus"]
    # Without quotes both entries with both words match.
    assert set(titles("ohjaava opettajuus")) == {"Ohjaava opettajuus", "Opettajuus ja ohjaus"}


def test_prefix_matches_word_beginnings(catalog):
    assert set(titles("ammattikork*")) == {"Väyläopinnot ammattikorkeakouluun"}
    assert "Ohjaava opettajuus" in titles("opettaj*")


def test_exclusion_leaves_entries_out(catalog):
    found = titles("ohjaus -romanit")
    assert "Ohjauskahvila romaneille" not in found
    assert "Opettajuus ja ohjaus" in found


def test_entries_matching_all_words_come_first_then_most_words(catalog):
    results = search_entries(text="opettajuus ohjaus tšetanes")
    # Nothing has all three words: the page must not be empty.
    assert results.entries
    assert results.partial
    assert all(not e.complete for e in results.entries)
    assert results.entries[0].matched == 2


def test_rare_third_word_does_not_empty_a_query(catalog):
    assert titles("ohjaava opettajuus xylofoni")[:2] == ["Ohjaava opettajuus", "Opettajuus ja ohjaus"]


def test_only_exclusions_finds_nothing(catalog):
    results = search_entries(text="-romani")
    assert results.query.is_empty and not results.entries


def test_question_words_leave_a_long_query_but_not_a_short_one():
    question = parse_query("miten tukea maahanmuuttajaopiskelijaa amk-opinnoissa")
    assert [c.text for c in question.positive] == ["tukea", "maahanmuuttajaopiskelijaa", "amk-opinnoissa"]
    english = parse_query("how can we help roma students", language="en")
    assert [c.text for c in english.positive] == ["roma", "students"]
    # Too few other words: the framing words are what the visitor searches for.
    assert [c.text for c in parse_query("miten tehdä").positive] == ["miten", "tehdä"]
    assert [c.text for c in parse_query("tehdä hops").positive] == ["tehdä", "hops"]


def test_a_hyphenated_word_has_one_slot_per_piece():
    # Voikko reads "ala" also as a form of "alkaa": both readings fill the piece's one slot, so an
    # entry about "ravintola-ala" need not also say "alkaa", and the fuzzy stage, cutting the
    # word into clauses, makes one clause per piece.
    (clause,) = parse_query("ravintola-ala").positive
    parts = [a for a in clause.alternatives if len(a.slots) >= 2]
    assert parts and parts[0].slots == (frozenset(["ravintola"]), frozenset(["ala", "alkaa"]))
