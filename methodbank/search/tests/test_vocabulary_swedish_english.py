"""Swedish and English labels (migration 0018): the Swedish preferred labels three concepts lacked,
Swedish labels for the catalog's frequent field concepts and Swedish and English labels for the
concepts that had neither; a preferred label a coordinator wrote is kept, and going back removes
only what the migration added."""

import pytest

from methodbank.catalog.tests.factories import PracticeFactory
from methodbank.search.models import Concept
from methodbank.search.selectors import search_entries

from .vocabulary_checks import (
    back_to_the_latest_schema,  # noqa: F401 (a fixture)
    check_labels,
    check_nothing_shipped_yet,
    label_set,
    migrate,
    migration_data,
    reaches,
    shipped_labels,
)

DATA = "0018_vocabulary_swedish_english.json"
BEFORE = [("search", "0017_reindex_for_analysis")]
AFTER = [("search", "0018_vocabulary_swedish_english")]


def test_the_data_file_is_well_formed():
    data = migration_data(DATA)
    labels = shipped_labels(data)
    assert len(labels) >= 100
    # Swedish and English only: this step is about the other two languages.
    check_labels(labels, languages=("sv", "en"))
    for preferred in data["preferred"].values():
        assert set(preferred) <= {"sv", "en"} and all(preferred.values())


@pytest.mark.django_db
def test_no_concept_lacks_a_swedish_or_english_preferred_label():
    assert not Concept.objects.filter(pref_label_sv="").exists()
    assert not Concept.objects.filter(pref_label_en="").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("ledstudier", "väyläopinnot"),  # the preferred labels that were empty
        ("öppna YH-leden", "väyläopinnot"),
        ("omskolning", "muuntokoulutus"),
        ("ledsagad överföring", "saattaen vaihto"),
        ("studiepenning", "opintotuki"),  # Kela's words
        ("krävande särskilt stöd", "erityinen tuki"),
        ("arbetsplatshandledare", "työpaikkaohjaaja"),
        ("ensamkommande barn", "ilman huoltajaa tullut alaikäinen"),
        ("anställningsintervju", "työhaastattelu"),
        ("enhanced support", "tehostettu tuki"),
        ("project learning", "projektioppiminen"),
        ("risk för studieavbrott", "keskeyttämisvaarassa oleva opiskelija"),
    ],
)
def test_a_swedish_or_english_word_reaches_its_concept(text, concept):
    assert reaches(text, concept)


@pytest.mark.django_db
def test_a_swedish_query_finds_the_finnish_only_entry():
    pathway = PracticeFactory(title="Väyläopinnot toisen asteen opiskelijoille", summary="AMK-opintoja lukion aikana.")
    support = PracticeFactory(title="Opintotuen hakeminen", summary="Opintoraha ja asumislisä tutuiksi.")
    PracticeFactory(title="Koulun kerhot", summary="Koulussa on kerhoja iltapäivisin.")
    # Without the labels the words match nothing and every entry is offered as a partial match.
    assert [e.practice_id for e in search_entries(text="ledstudier", language="sv").entries] == [pathway.pk]
    assert [e.practice_id for e in search_entries(text="studiepenning", language="sv").entries] == [support.pk]


def _state(apps):
    Concept = apps.get_model("search", "Concept")
    preferred = set(Concept.objects.values_list("identifier", "pref_label_sv", "pref_label_en"))
    return label_set(apps), preferred


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("back_to_the_latest_schema")
def test_going_back_removes_only_what_the_migration_added():
    data = migration_data(DATA)
    apps = migrate(BEFORE)
    Concept = apps.get_model("search", "Concept")
    # A coordinator wrote a Swedish preferred label of their own for one of the three.
    Concept.objects.filter(identifier="muuntokoulutus").update(pref_label_sv="omskolningsprogram")
    labels, preferred = _state(apps)
    # The file lists only what the shipped vocabulary lacks: going back cannot remove a shipped label.
    check_nothing_shipped_yet(data, {identifier for identifier, _sv, _en in preferred}, labels)

    after_labels, after_preferred = _state(migrate(AFTER))
    assert ("opintotuki", "studiepenning", "sv") in after_labels
    assert ("vaylaopinnot", "ledstudier", "pathway studies") in after_preferred
    assert ("muuntokoulutus", "omskolningsprogram", "conversion training") in after_preferred  # theirs kept

    assert _state(migrate(BEFORE)) == (labels, preferred)
