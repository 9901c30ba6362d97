"""The vocabulary names what counsellors mean (migration 0016): concepts that had none of their own
(guidance of adults, multicultural guidance, entrance examination preparation, articulating one's
competence), the colloquial ways students say it, synonyms of compound parts, Swedish and English
labels and related pairs; going back removes only what the migration added."""

import json
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from methodbank.catalog.tests.factories import PracticeFactory
from methodbank.search import migrations as search_migrations
from methodbank.search.models import ConceptCategory, ConceptProvenance, LabelKind, label_problem
from methodbank.search.selectors import search_entries
from methodbank.search.thesaurus import _content_words, get_thesaurus

DATA = Path(search_migrations.__file__).parent / "data" / "0016_vocabulary_field_terms.json"
BEFORE = [("search", "0015_vocabulary_coverage")]
AFTER = [("search", "0016_vocabulary_field_terms")]


def _data():
    return json.loads(DATA.read_text(encoding="utf-8"))


def test_the_data_file_is_well_formed():
    data = _data()
    identifiers = [item["identifier"] for item in data["concepts"]]
    assert len(identifiers) == len(set(identifiers))
    for item in data["concepts"]:
        assert item["category"] in ConceptCategory.values
        assert item["provenance"] in ConceptProvenance.values
        assert item["pref_label_fi"] and item["pref_label_sv"] and item["pref_label_en"]
    labels = [label for item in data["concepts"] for label in item["labels"]]
    labels += [label for shipped in data["labels"].values() for label in shipped]
    assert len(labels) >= 100
    for text, language, kind in labels:
        assert not label_problem(text), text
        assert language in ("fi", "sv", "en", "") and kind in LabelKind.values, text
    for one, other in data["pairs"]:
        assert one != other


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("erota koulusta", "opintojen keskeyttäminen"),  # how a student says it
        ("lopettaa koulun", "opintojen keskeyttäminen"),
        ("hoppa av skolan", "opintojen keskeyttäminen"),
        ("en tiedä mitä haluan", "koulutusvalinta"),
        ("vägledning för vuxna", "aikuisohjaus"),  # a concept of its own now
        ("aikuisten ohjaus", "aikuisohjaus"),
        ("kulttuurisensitiivinen ohjaus", "monikulttuurinen ohjaus"),
        ("pääsykoevalmennus", "valmennuskurssi"),
        ("oman osaamisen esittely", "osaamisen sanoittaminen"),
        ("ohjaustyökalut", "menetelmä"),  # työkalu / väline: synonyms of a compound's part
        ("ohjausväline", "menetelmä"),
        ("koulutusväylä", "koulutuspolku"),  # väylä / polku
        ("svenskstudier", "ruotsin kieli"),
    ],
)
def test_what_a_counsellor_says_reaches_its_concept(text, concept):
    assert concept in get_thesaurus().expansions(_content_words(text))


@pytest.mark.django_db
def test_a_question_in_a_students_words_finds_the_entry_in_the_fields_words():
    dropping_out = PracticeFactory(title="Opintojen keskeyttämisen prosessi", summary="Kun opinnot uhkaavat katketa.")
    PracticeFactory(title="Koulun kerhot", summary="Koulussa on kerhoja iltapäivisin.")
    found = [e.practice_id for e in search_entries(text="opiskelija haluaa erota koulusta").entries]
    assert found[:1] == [dropping_out.pk]
    adults = PracticeFactory(title="Aikuisten ohjaustoiminta", summary="Ohjausta aikuisille opiskelijoille.")
    assert [e.practice_id for e in search_entries(text="vägledning för vuxna", language="sv").entries][:1] == [adults.pk]


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
    related = set(
        Concept.related.through.objects.values_list("from_concept__identifier", "to_concept__identifier")
    )
    return set(Concept.objects.values_list("identifier", flat=True)), labels, related


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_going_back_removes_only_what_the_migration_added(back_to_the_latest_schema):
    data = _data()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    # A coordinator's own label on a concept the migration extends.
    apps.get_model("search", "ConceptLabel").objects.create(
        concept=apps.get_model("search", "Concept").objects.get(identifier="menetelma"),
        text="ohjauskeino", language="fi", kind="alt",
    )
    concepts, labels, related = _state(apps)
    # The file lists only what the shipped vocabulary lacks: going back cannot remove a shipped label.
    assert not concepts & {item["identifier"] for item in data["concepts"]}
    for identifier, shipped in data["labels"].items():
        assert identifier in concepts
        assert not {(i, t.lower(), lang) for i, t, lang in labels} & {
            (identifier, text.lower(), language) for text, language, _kind in shipped
        }
    for one, other in data["pairs"]:
        assert (one, other) not in related

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    after = _state(executor.loader.project_state(AFTER).apps)
    assert {item["identifier"] for item in data["concepts"]} <= after[0]
    assert ("opintojen-keskeyttaminen", "erota koulusta", "fi") in after[1]
    assert ("aikuisohjaus", "koulutusneuvonta") in after[2] and ("koulutusneuvonta", "aikuisohjaus") in after[2]

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(BEFORE)
    assert _state(executor.loader.project_state(BEFORE).apps) == (concepts, labels, related)
