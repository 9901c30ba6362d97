"""Swedish and English labels (migration 0018): the Swedish preferred labels three concepts lacked,
Swedish labels for the catalog's frequent field concepts and Swedish and English labels for the
concepts that had neither; a preferred label a coordinator wrote is kept, and going back removes
only what the migration added."""

import json
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from methodbank.catalog.tests.factories import PracticeFactory
from methodbank.search import migrations as search_migrations
from methodbank.search.models import Concept, LabelKind, label_problem
from methodbank.search.selectors import search_entries
from methodbank.search.thesaurus import _content_words, get_thesaurus

DATA = Path(search_migrations.__file__).parent / "data" / "0018_vocabulary_swedish_english.json"
BEFORE = [("search", "0017_reindex_for_analysis")]
AFTER = [("search", "0018_vocabulary_swedish_english")]


def _data():
    return json.loads(DATA.read_text(encoding="utf-8"))


def test_the_data_file_is_well_formed():
    data = _data()
    labels = [label for shipped in data["labels"].values() for label in shipped]
    assert len(labels) >= 100
    for text, language, kind in labels:
        assert not label_problem(text), text
        # Swedish and English only: this step is about the other two languages.
        assert language in ("sv", "en") and kind in LabelKind.values, text
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
    assert concept in get_thesaurus().expansions(_content_words(text))


@pytest.mark.django_db
def test_a_swedish_query_finds_the_finnish_only_entry():
    pathway = PracticeFactory(title="Väyläopinnot toisen asteen opiskelijoille", summary="AMK-opintoja lukion aikana.")
    support = PracticeFactory(title="Opintotuen hakeminen", summary="Opintoraha ja asumislisä tutuiksi.")
    PracticeFactory(title="Koulun kerhot", summary="Koulussa on kerhoja iltapäivisin.")
    # Without the labels the words match nothing and every entry is offered as a partial match.
    assert [e.practice_id for e in search_entries(text="ledstudier", language="sv").entries] == [pathway.pk]
    assert [e.practice_id for e in search_entries(text="studiepenning", language="sv").entries] == [support.pk]


@pytest.fixture
def back_to_the_latest_schema():
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def _state(apps):
    Concept = apps.get_model("search", "Concept")
    ConceptLabel = apps.get_model("search", "ConceptLabel")
    labels = set(ConceptLabel.objects.values_list("concept__identifier", "text", "language"))
    preferred = set(Concept.objects.values_list("identifier", "pref_label_sv", "pref_label_en"))
    return labels, preferred


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_going_back_removes_only_what_the_migration_added(back_to_the_latest_schema):
    data = _data()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Concept = apps.get_model("search", "Concept")
    # A coordinator wrote a Swedish preferred label of their own for one of the three.
    Concept.objects.filter(identifier="muuntokoulutus").update(pref_label_sv="omskolningsprogram")
    labels, preferred = _state(apps)
    # The file lists only what the shipped vocabulary lacks: going back cannot remove a shipped label.
    identifiers = {identifier for identifier, _sv, _en in preferred}
    for identifier, shipped in data["labels"].items():
        assert identifier in identifiers
        assert not {(i, t.lower(), lang) for i, t, lang in labels} & {
            (identifier, text.lower(), language) for text, language, _kind in shipped
        }

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    after_labels, after_preferred = _state(executor.loader.project_state(AFTER).apps)
    assert ("opintotuki", "studiepenning", "sv") in after_labels
    assert ("vaylaopinnot", "ledstudier", "pathway studies") in after_preferred
    assert ("muuntokoulutus", "omskolningsprogram", "conversion training") in after_preferred  # theirs kept

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(BEFORE)
    assert _state(executor.loader.project_state(BEFORE).apps) == (labels, preferred)
