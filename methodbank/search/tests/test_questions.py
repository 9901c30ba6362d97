"""Questions and word forms the index does not have (rel10): question words in Swedish and English
are dropped, a verb meets the nouns derived from it, a compound with a part no entry has still
finds the entries of its parts, a form only the catalog has meets its family, and the entries
matching some of the words fill a page that too few entries match wholly."""

import pytest

from methodbank.catalog.models import Practice
from methodbank.catalog.tests.factories import PracticeFactory
from methodbank.search import expansion, selectors
from methodbank.search.query import parse_query
from methodbank.search.selectors import search_entries


def expansion_lexicon():
    from methodbank.search.lexicon import get_lexicon

    return get_lexicon()


def titles(text, language="fi"):
    names = dict(Practice.objects.values_list("pk", "title"))
    return [names[e.practice_id] for e in search_entries(text=text, language=language).entries]


@pytest.mark.parametrize(
    ("text", "language", "kept"),
    [
        ("hur får man unga att söka till yrkesutbildning", "sv", ["unga", "söka", "yrkesutbildning"]),
        (
            "hur hittar man tips för studiehandledning i grundskolan",
            "sv",
            ["studiehandledning", "grundskolan"],
        ),
        ("ways to help roma students", "en", ["roma", "students"]),
        ("miten auttaa nuorta hakemaan koulutukseen", "fi", ["nuorta", "hakemaan", "koulutukseen"]),
    ],
)
def test_question_words_are_dropped_in_every_language(text, language, kept):
    assert [clause.text for clause in parse_query(text, language=language).clauses] == kept


@pytest.mark.parametrize(
    ("verb", "nouns"),
    [
        ("ohjata", ("ohjaus",)),
        ("markkinoida", ("markkinointi",)),
        ("perehdyttää", ("perehdytys",)),
        ("valmentaa", ("valmennus",)),
        ("suunnitella", ("suunnittelu",)),
        ("kehittää", ("kehitys",)),
        ("ohjaus", ()),  # a noun
        ("hakea", ()),  # "haku" is no derivation of it to Voikko: no guessed noun
    ],
)
def test_a_verb_has_the_nouns_voikko_derives_from_it(verb, nouns):
    assert expansion.verb_nouns(verb) == nouns


@pytest.mark.django_db
def test_a_verb_of_the_question_meets_the_entrys_noun():
    # The verb is in several entries (a rare word also meets the keys of its stem, a common one not).
    for number in range(5):
        PracticeFactory(title=f"Ohjaajat voivat kartoittaa {number}", summary="Oppilaitos esittäytyy.")
    PracticeFactory(title="Kartoitus yläkoululaisille", summary="Videot ammateista.")
    entries = search_entries(text="miten kartoittaa yläkoululaisten toiveita").entries
    found = dict(Practice.objects.values_list("pk", "title"))
    assert found[entries[0].practice_id] == "Kartoitus yläkoululaisille"
    assert entries[0].matched == 2  # the noun counts as the verb's clause


@pytest.mark.django_db
def test_a_compound_with_a_part_no_entry_has_finds_its_parts():
    PracticeFactory(title="Valmentaja uran suunnitteluun", summary="Opiskelijan ura ja valmentaja.")
    PracticeFactory(title="Koulun kerhot", summary="Koulussa on kerhoja iltapäivisin.")
    # "valmentautua" is in no entry: the word found nothing.
    assert titles("uravalmentautuminen") == ["Valmentaja uran suunnitteluun"]


@pytest.mark.django_db
def test_a_form_only_the_catalog_has_meets_its_family():
    PracticeFactory(title="Mentoritoiminta", summary="Mentorit toimivat mentoroitavien tukena.")
    PracticeFactory(title="Mentorointi valmentavassa koulutuksessa", summary="Mentorointi on ohjausmuoto.")
    PracticeFactory(title="Koulun kerhot", summary="Koulussa on kerhoja iltapäivisin.")
    assert set(titles("mentoroitava")) == {"Mentoritoiminta", "Mentorointi valmentavassa koulutuksessa"}


@pytest.mark.django_db
def test_a_page_too_few_entries_fill_gets_the_partial_matches():
    for number in range(6):
        PracticeFactory(title=f"Ehkäisevä ryhmä {number}", summary="Ryhmä ehkäisee keskeyttämistä.")
    PracticeFactory(title="Keskeyttämisen prosessi", summary="Kun opiskelija keskeyttää.")
    assert selectors.MIN_COMPLETE_MATCHES >= 10
    assert "Keskeyttämisen prosessi" in titles("ehkäistä keskeyttäminen")


@pytest.mark.django_db
def test_a_quality_noun_meets_the_adjective_it_is_derived_from():
    PracticeFactory(title="Ohjauksellinen työote", summary="Opettaja ohjaa opiskelijaa.")
    PracticeFactory(title="Uusia opiskelijoita", summary="Uusia opiskelijoita tulee syksyllä.")
    PracticeFactory(title="Koulun kerhot", summary="Koulussa on kerhoja iltapäivisin.")
    # Neither Voikko nor the index has "ohjauksellisuus": it was cut into ohjauksellinen + "uusia".
    assert expansion._quality_base("ohjauksellisuus", set(), expansion_lexicon()) == ["ohjauksellinen"]
    assert titles("ohjauksellisuus") == ["Ohjauksellinen työote"]


@pytest.mark.django_db
def test_a_label_cut_into_known_parts_keeps_its_concepts_labels():
    wanted = "Moniammatillinen tiimi"
    PracticeFactory(title=wanted, summary="Moniammatillinen yhteistyö tukee opiskelijaa.")
    PracticeFactory(title="Moni kerho", summary="Moni käy kerhossa. Alaisuus ja esimiehet.")
    PracticeFactory(title="Koulun kerhot", summary="Koulussa on kerhoja iltapäivisin.")
    # "monialaisuus" is a label of the vocabulary and in no entry; Voikko cuts it into moni +
    # alaisuus, which entries have. It stays one clause, with its concept's labels.
    query = selectors.search_query_parse("monialaisuus")
    assert [clause.text for clause in query.clauses] == ["monialaisuus"]
    assert titles("monialaisuus")[0] == wanted
