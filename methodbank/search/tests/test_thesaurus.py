"""Thesaurus: abbreviations, colloquial words and other languages find the entries; an expansion
ranks below an exact match; coordinators edit it in the admin."""

import pytest
from django.urls import reverse

from methodbank.catalog.tests.factories import PracticeFactory
from methodbank.search.models import Concept
from methodbank.search.selectors import search_entries
from methodbank.search.thesaurus import get_thesaurus

pytestmark = pytest.mark.django_db


def ranked(text, language="fi"):
    return [e.practice_id for e in search_entries(text=text, language=language).entries]


def test_shipped_thesaurus_is_loaded():
    assert Concept.objects.count() >= 300
    thesaurus = get_thesaurus()
    assert "opinto-ohjaaja" in thesaurus.expansions(["opo"])
    assert "ammattikorkeakoulu" in thesaurus.expansions(["amk"])
    assert "työelämään tutustuminen" in thesaurus.expansions(["tet"])
    assert "lukio" in thesaurus.expansions(["upper", "secondary", "school"])


def test_abbreviation_finds_the_written_out_term():
    practice = PracticeFactory(title="Ohjausmalli", summary="Opinto-ohjaajat tapaavat jokaisen nuoren.")
    assert ranked("opo") == [practice.pk]
    assert ranked("opolle") == [practice.pk]


def test_other_languages_find_finnish_entries():
    practice = PracticeFactory(title="Lukion ja ammatillisen koulutuksen yhteistyö", summary="Yhteistyö.")
    assert practice.pk in ranked("gymnasiet", "sv")
    assert practice.pk in ranked("upper secondary school", "en")
    assert practice.pk in ranked("yrkesutbildning", "sv")
    assert practice.pk in ranked("amis")


def test_expansion_ranks_below_exact_match():
    exact = PracticeFactory(title="Opo koulussa", summary="Opo kiertää luokissa.")
    expanded = PracticeFactory(title="Opinto-ohjaaja koulussa", summary="Opinto-ohjaaja kiertää luokissa.")
    assert ranked("opo") == [exact.pk, expanded.pk]
    assert ranked("opinto-ohjaaja") == [expanded.pk, exact.pk]


def test_a_coordinator_edits_the_thesaurus_and_search_follows(client, coordinator):
    practice = PracticeFactory(title="Kipinämalli", summary="Kipinä syttyy.")
    assert ranked("leimahdus") == []
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:search_concept_add"),
        {
            "pref_label_fi": "kipinä",
            "pref_label_sv": "gnista",
            "pref_label_en": "spark",
            "identifier": "kipina",
            "category": "method",
            "provenance": "coordinators",
            "notes": "",
            "labels-TOTAL_FORMS": "1",
            "labels-INITIAL_FORMS": "0",
            "labels-0-text": "leimahdus",
            "labels-0-language": "fi",
            "labels-0-kind": "colloquial",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ranked("leimahdus") == [practice.pk]


def test_visitors_cannot_edit_the_thesaurus(client, contributor):
    client.force_login(contributor)
    response = client.get(reverse("admin:search_concept_changelist"))
    assert response.status_code == 302  # to the admin login


def test_labels_match_in_any_order_within_a_longer_label_and_as_swedish_compounds():
    thesaurus = get_thesaurus()
    workplace_instructor = thesaurus.lookup(["työpaikkaohjaaja"])
    # "handledare på arbetsplatsen" as one Swedish compound, and its words in another order.
    assert thesaurus.lookup(["arbetsplatshandledare"], compounds=True) == workplace_instructor
    assert thesaurus.lookup(["arbetsplatsen", "handledare"]) == workplace_instructor
    # Two words of "personlig utvecklingsplan för kunnandet" (HOKS), which no label has alone.
    assert thesaurus.within(["personlig", "utvecklingsplan"]) == thesaurus.lookup(["hoks"])
    # A compound with a part no label has: its known part stands for it (läroavtal: oppisopimus).
    assert thesaurus.lookup(["oppisopimus"]) <= thesaurus.lookup(["läroavtalsplats"], compounds=True)
    assert thesaurus.lookup(["xyzzyplats"], compounds=True) == set()
    # Only Swedish queries are split so: a Finnish typo is no Swedish compound.
    assert thesaurus.lookup(["läroavtalsplats"]) == set()
    assert thesaurus.lookup(["mentroointi"], compounds=True) == set()


def test_a_swedish_compound_finds_the_finnish_entry():
    practice = PracticeFactory(
        title="Työpaikkaohjaajan opas", summary="Työpaikkaohjaajat ohjaavat opiskelijoita."
    )
    PracticeFactory(title="Kahvila", summary="Kahvila.")
    assert ranked("arbetsplatshandledare", "sv") == [practice.pk]
    hoks = PracticeFactory(title="HOKS-keskustelu", summary="Opiskelijan HOKS laaditaan yhdessä.")
    assert ranked("personlig utvecklingsplan", "sv") == [hoks.pk]


def test_closest_concepts_by_letter_trigrams():
    """A word that finds nothing meets the concept whose label is spelt nearest, shown by its
    preferred label in the asked language; a word sharing too few trigrams meets none."""
    from methodbank.search.thesaurus import Thesaurus

    thesaurus = Thesaurus(
        [["oppisopimuskoulutus", "läroavtalsutbildning", "apprenticeship"], ["lukio", "gymnasium"]],
        preferred=[{"fi": "oppisopimuskoulutus", "sv": "läroavtalsutbildning"}, {"fi": "lukio"}],
    )
    assert thesaurus.closest_concepts("lärlingsutbildning", "sv") == ["läroavtalsutbildning"]
    assert thesaurus.closest_concepts("lärlingsutbildning", "fi") == ["oppisopimuskoulutus"]
    assert thesaurus.closest_concepts("lärlingsutbildning", "en") == ["oppisopimuskoulutus"]
    assert thesaurus.closest_concepts("gymnasiun", "fi") == ["lukio"]
    assert thesaurus.closest_concepts("xqzzyv", "fi") == []
    assert thesaurus.closest_concepts("ab", "fi") == []


def test_words_of_many_labels_stand_for_the_concepts_of_the_shortest():
    from methodbank.search.thesaurus import Thesaurus

    thesaurus = Thesaurus(
        [
            ["lukio", "upper secondary school"],
            ["toinen aste", "upper secondary education"],
            ["ammatillinen perustutkinto", "upper secondary vocational qualification"],
            ["aikuislukio", "adult upper secondary school"],
            ["moniammatillinen yhteistyö", "multiprofessional cooperation"],
        ]
    )
    # Four concepts have a label with both words: too many, but two of them in a label of only one
    # more word, so those two.
    assert thesaurus.within(["upper", "secondary"]) == {0, 1}
    # One word of a two-word label, when asked for (a word no entry and no label has as it is).
    assert thesaurus.within(["multiprofessional"], single=True) == {4}
    assert thesaurus.within(["multiprofessional"]) == set()
