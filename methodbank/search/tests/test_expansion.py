"""The fuzzy expansion stage and the index vocabulary it reads (expansion.py, lexicon.py)."""

import pytest

from methodbank.catalog.tests.factories import PracticeFactory
from methodbank.search.lexicon import Lexicon, get_lexicon
from methodbank.search.query import parse_query
from methodbank.search.selectors import search_entries, search_query_parse
from methodbank.search.thesaurus import get_thesaurus

pytestmark = pytest.mark.django_db


def test_lexicon_finds_transpositions_missing_diacritics_and_prefixes_without_scanning():
    lexicon = Lexicon({"mentorointi": 3, "työelämä": 9, "pelillistäminen": 1, "ohjaus": 40, "romani": 2})
    assert lexicon.same_key("tyoelamaan") == ["työelämä"]  # no ä, another case
    near = lexicon.near("mentroointi")  # two letters swapped
    assert [(lexicon.by_key[n.key][0], n.distance) for n in near] == [("mentorointi", 1)]
    assert lexicon.near("xyzzyxyzzy") == []
    assert lexicon.with_prefix("pelilli") and lexicon.by_key[lexicon.with_prefix("pelilli")[0]] == [
        "pelillistäminen"
    ]
    assert [lexicon.by_key[k][0] for k in lexicon.split("romaniohjaus")] == ["romani", "ohjaus"]


def test_split_reads_the_last_part_by_its_base_form():
    # The index keeps "osaaminen" as its lemma "osata": the last part of "digiosaaminen" is read by
    # its base form, not cut again into "osa" + "amis" (a form of "aminen" that is no part of it).
    lexicon = Lexicon({"digi": 5, "osata": 40, "osa": 30, "amis": 11})
    assert [lexicon.by_key[k][0] for k in lexicon.split("digiosaaminen")] == ["digi", "osata"]
    assert [lexicon.by_key[k][0] for k in lexicon.split("digiamis")] == ["digi", "amis"]


def test_literal_words_are_left_alone_and_unknown_ones_expanded(db):
    PracticeFactory(title="Työelämään siirtyminen", summary="Mentorointi tukee nuoria.")
    literal = search_query_parse("työelämä")
    parsed = parse_query("työelämä", thesaurus=get_thesaurus())  # before the fuzzy stage
    assert literal.corrections == {} and literal.clauses[0].alternatives == parsed.clauses[0].alternatives
    fuzzy = search_query_parse("tyoelamaan")
    # The correction is the word as typed with its ä restored: what a user would type.
    assert fuzzy.corrections == {"tyoelamaan": "työelämään"}
    assert all(a.weight < 1 for a in fuzzy.clauses[0].alternatives[1:])


def test_an_exact_match_ranks_above_a_fuzzy_one(db):
    exact = PracticeFactory(title="Ohjaamo", summary="Ohjaamo neuvoo nuoria.")
    near = PracticeFactory(title="Ohjaamon kahvila", summary="Kahvila.")
    PracticeFactory(title="Opastamo", summary="Opastamo neuvoo.")
    ids = [e.practice_id for e in search_entries(text="ohjaamo").entries]
    assert ids[:2] == [exact.pk, near.pk]
    typo = search_entries(text="ohjamo")
    assert typo.suggestion == "ohjaamo" and exact.pk in [e.practice_id for e in typo.entries]


def test_the_vocabulary_lookup_is_built_once_and_rebuilt_when_the_index_changes(db):
    PracticeFactory(title="Kanoottiohjaus", summary="Kanootti.")
    first = get_lexicon()
    assert get_lexicon() is first
    PracticeFactory(title="Purjehdusleiri", summary="Purjehdus.")
    second = get_lexicon()
    assert second is not first and second.same_key("purjehdusleirit")


def test_an_unknown_compound_finds_entries_with_its_parts(db):
    both = PracticeFactory(title="Mentorointi maahanmuuttajille", summary="Mentorit ja maahanmuuttajat.")
    one = PracticeFactory(title="Mentorointi", summary="Mentorit opiskelijoille.")
    results = search_entries(text="maahanmuuttajamentorointi")
    ids = [e.practice_id for e in results.entries]
    assert ids[0] == both.pk and one.pk in ids


def test_a_compound_with_a_part_no_entry_has_finds_its_longest_known_part(db):
    # "avaus" is in no entry, so the index cannot cut the word and no term is near it: the longest
    # part Voikko gives that an entry has stands for it, rather than nothing at all.
    practice = PracticeFactory(title="Työpajojen oppimisympäristöt", summary="Oppimisympäristö pajalla.")
    PracticeFactory(title="Liikunnan iltapäivä", summary="Kuvaus.")
    results = search_entries(text="oppimisympäristöavaus")
    assert [e.practice_id for e in results.entries] == [practice.pk]
    assert results.query.corrections == {"oppimisympäristöavaus": "oppimisympäristö"}


def test_a_corrected_word_is_widened_with_its_concept_as_the_word_itself_would_be(db):
    spelled = PracticeFactory(title="Mentorointi opinnoissa", summary="Mentorointi auttaa.")
    mentors = PracticeFactory(title="Mentoritoiminta", summary="Aikuinen mentori nuorelle.")
    PracticeFactory(title="Liikunnan iltapäivä", summary="Kuvaus.")
    assert [e.practice_id for e in search_entries(text="mentorointi").entries] == [spelled.pk, mentors.pk]
    # The typo is corrected after the thesaurus stage; its concept's labels still reach "mentori",
    # below the corrected word itself.
    assert [e.practice_id for e in search_entries(text="mentroointi").entries] == [spelled.pk, mentors.pk]


def test_a_colloquial_word_made_of_an_acronym_finds_the_acronyms_concept(db):
    hops = PracticeFactory(title="Visuaalinen HOPS", summary="Opintosuunnitelma kuvina.")
    PracticeFactory(title="Liikunnan iltapäivä", summary="Kuvaus.")
    # "hopsi" and "hoksaaja" are in no label: HOPS + -i, HOKS + -aaja.
    assert [e.practice_id for e in search_entries(text="hopsi").entries] == [hops.pk]
    thesaurus = get_thesaurus()
    assert thesaurus.acronym_alternatives("hoksaaja")
    # A word that only starts like an acronym with a long ending is not read as one.
    assert not thesaurus.acronym_alternatives("hopsahtaminen")


def test_a_known_word_meets_the_catalogs_own_misspelling_of_it_lower(db):
    right = PracticeFactory(title="Opiskeluhuolto", summary="Opiskeluhuolto tukee opiskelijaa.")
    # Written by hand in the catalog: "opiskeluhoollolle" for opiskeluhuollolle.
    misspelt = PracticeFactory(title="Hyvinvointityö", summary="Yhteiselle opiskeluhoollolle peruspilarit.")
    PracticeFactory(title="Opiskelijan hyvinvointi", summary="Ei tästä.")
    ids = [e.practice_id for e in search_entries(text="opiskeluhuolto").entries]
    assert ids == [right.pk, misspelt.pk]
    # A correctly spelt near word is not a misspelling: "ohjaus" does not meet "ohjaava".
    PracticeFactory(title="Ohjaava opettaja", summary="Ohjaava työote.")
    assert all(
        not (a.expansion and "ohjaava" in a.slots[0])
        for a in search_query_parse("ohjaus").clauses[0].alternatives
    )
    # Short terms Voikko rejects are names and acronyms, not misspellings of each other.
    tamk = PracticeFactory(title="Opinnot TAMKissa", summary="TAMK ja Tredu.")
    PracticeFactory(title="Opinnot SAMKissa", summary="SAMK ja WinNova.")
    assert [e.practice_id for e in search_entries(text="TAMK").entries] == [tamk.pk]


def test_a_rare_word_meets_longer_compounds_beginning_with_it():
    from methodbank.search.expansion import _longer_compounds

    lexicon = Lexicon(
        {"vertaisryhmä": 4, "vertaisryhmätoiminta": 1, "vertaisryhmäläinen": 1, "ohjaus": 40, "ohjausmalli": 3}
    )
    # Voikko reads "vertais-" as a derivation and never cuts "vertaisryhmätoiminta" there.
    assert sorted(_longer_compounds("vertaisryhmä", lexicon)) == ["vertaisryhmäläinen", "vertaisryhmätoiminta"]
    # A common word has entries enough of its own; a short one is no compound head.
    assert _longer_compounds("ohjaus", lexicon) == []
    assert _longer_compounds("vertaisryhmätoiminta", lexicon) == []


def test_a_derived_compound_meets_its_derivational_family(db):
    from methodbank.search.expansion import derivation_root

    # Voikko's WORDBASES: vertais + valmenta(valmentaa) + ja / + valmenn(valmentaa) + us.
    assert derivation_root("vertaisvalmentaja")[0] == derivation_root("vertaisvalmennus")[0]
    assert derivation_root("ohjaus") == ((), "")  # one root: no family of compounds
    family = PracticeFactory(title="Vertaisvalmennus", summary="Opiskelijat tukevat toisiaan.")
    PracticeFactory(title="Valmentaja", summary="Valmentaja ohjaa.")
    parsed = search_query_parse("vertaisvalmentaja")
    assert parsed.corrections == {}  # read as its family, not cut into "vertais" and "valmentaja"
    assert [e.practice_id for e in search_entries(text="vertaisvalmentaja").entries] == [family.pk]


def test_a_derived_form_meets_its_family_by_the_longest_shared_beginning(db):
    """Derivations that change the stem's vowel share no prefix of the whole stem: the entry on
    "pelillistäminen" is still found by "pelillistetty" and the one on "yrittäjämäinen" by
    "yrittäjämäisyys", at a weight below a literal match; a word sharing under half its stem with
    any term meets none."""
    games = PracticeFactory(title="Urapeli", summary="Pelillistäminen ohjauksessa.")
    attitude = PracticeFactory(title="Asennekasvatus", summary="Yrittäjämäinen asenne kasvaa leirillä.")
    assert [e.practice_id for e in search_entries(text="pelillistetty").entries] == [games.pk]
    assert [e.practice_id for e in search_entries(text="yrittäjämäisyys").entries] == [attitude.pk]
    parsed = search_query_parse("yrittäjämäisyys")
    assert 0 < max(a.weight for a in parsed.clauses[0].alternatives[1:]) < 1
    assert search_entries(text="pelitalousohjelmisto").entries == []


def test_a_derivation_of_one_root_meets_the_indexs_words_of_that_root(db):
    from methodbank.search.expansion import lexical_roots

    # Voikko's WORDBASES: +keskeyttä(keskeyttää)+jä(+jä), a derivation of keskeyttää.
    assert lexical_roots("keskeyttäjät")[0] == lexical_roots("keskeyttäminen")[0] == ("keskeyttää",)
    dropping_out = PracticeFactory(title="Keskeyttämisen ehkäisy", summary="Moni haluaa keskeyttää opinnot.")
    PracticeFactory(title="Jatko-opinnot", summary="Jatko-opintoihin hakeutuminen ja jatko.")
    PracticeFactory(title="Ajotaito", summary="Opiskelijat ajaa autoa.")
    parsed = search_query_parse("keskeyttäjät")
    # Read as its root's words, not cut into index words ("keskeyttä" + "jät": jatko).
    assert parsed.corrections == {}
    assert [e.practice_id for e in search_entries(text="keskeyttäjät").entries] == [dropping_out.pk]


def test_a_foreign_word_of_a_longer_label_finds_the_concepts_entries(db):
    team = PracticeFactory(title="Moniammatillinen yhteistyö", summary="Moniammatillinen tiimi tukee opiskelijaa.")
    PracticeFactory(title="Liikunnan iltapäivä", summary="Kuvaus.")
    # No entry and no label is "multiprofessional"; the vocabulary's "multiprofessional
    # cooperation" is moniammatillinen yhteistyö.
    assert [e.practice_id for e in search_entries(text="multiprofessional", language="en").entries] == [team.pk]


def test_a_part_of_an_unknown_compound_reaches_the_entries_naming_it_by_a_synonym():
    # "korkeakouluväylä" is in no entry and no label: it is cut into korkeakoulu + väylä, and
    # "väylä" is a label of väyläopinnot, whose label "polkuopinnot" the wanted entry uses.
    wanted = PracticeFactory(title="Polkuopinnot toisella asteella", summary="Opintoja ennen valmistumista.")
    literal = PracticeFactory(title="Väylä työelämään", summary="Opintoja ennen valmistumista.")
    PracticeFactory(title="Korkeakoulun kirjasto", summary="Lainaa kirjoja.")
    PracticeFactory(title="Kuntosali", summary="Liikuntaa kaikille.")
    query = search_query_parse("korkeakouluväylä")
    assert [c.text for c in query.clauses] == ["korkeakoulu", "väylä"]
    assert any(a.weight < 0.8 and frozenset({"polkuopinto"}) in a.slots for a in query.clauses[1].alternatives)
    found = [e.practice_id for e in search_entries(text="korkeakouluväylä").entries]
    # Below the part itself: the entry that has "väylä" ranks above the one that has its synonym.
    assert wanted.pk in found and found.index(literal.pk) < found.index(wanted.pk)
