"""The vocabulary covers what the catalog's entries are about in three languages (migration 0015):
official Swedish and English terms, colloquial and abbreviated forms, target groups written as
compounds, and related concepts; going back removes only what the migration added."""

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

DATA = Path(search_migrations.__file__).parent / "data" / "0015_vocabulary_coverage.json"
BEFORE = [("search", "0014_facet_values")]
AFTER = [("search", "0015_vocabulary_coverage")]


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
        ("mässa", "messut"),  # Swedish word for a topic only Finnish entries name
        ("job fair", "messut"),
        ("avbrott i studierna", "opintojen keskeyttäminen"),  # Swedish official term
        ("hux", "tutkintokoulutukseen valmentava koulutus"),  # Finland-Swedish abbreviation of TUVA
        ("ao", "ammattiopisto"),
        ("romaniaikuiskoulutus", "romaniaikuinen"),  # a target group written as one compound
        ("ysiluokkalainen", "perusopetuksen päättövaihe"),  # colloquial
        ("opinto-ohjaja", "opinto-ohjaaja"),  # a common misspelling, hidden
        ("elevhälsa", "opiskeluhuolto"),
        ("on-the-job training", "työpaikalla tapahtuva oppiminen"),
    ],
)
def test_words_of_three_languages_reach_their_concept(text, concept):
    assert concept in get_thesaurus().expansions(_content_words(text))


@pytest.mark.django_db
def test_a_related_concept_brings_its_neighbours_entries():
    game = PracticeFactory(title="Urapeli", summary="Lautapeli yläkoululaisille ammateista.")
    fair = PracticeFactory(title="Koulutusmessut", summary="Oppilaitokset esittäytyvät messuilla.")
    PracticeFactory(title="Kerhotoiminta", summary="Koulun kerhot iltapäivisin.")
    assert [e.practice_id for e in search_entries(text="pelillistäminen").entries] == [game.pk]
    assert [e.practice_id for e in search_entries(text="mässa", language="sv").entries] == [fair.pk]


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
    related = {
        (one, other)
        for one, other in Concept.related.through.objects.values_list(
            "from_concept__identifier", "to_concept__identifier"
        )
    }
    return set(Concept.objects.values_list("identifier", flat=True)), labels, related


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_going_back_removes_only_what_the_migration_added(back_to_the_latest_schema):
    data = _data()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    # A coordinator's own label on a concept the migration extends.
    apps.get_model("search", "ConceptLabel").objects.create(
        concept=apps.get_model("search", "Concept").objects.get(identifier="ammattiopisto"),
        text="ammattiopistokoulutus", language="fi", kind="alt",
    )
    concepts, labels, related = _state(apps)
    # The file lists only what the shipped vocabulary lacks: going back cannot remove a shipped label.
    assert not concepts & {item["identifier"] for item in data["concepts"]}
    for identifier, shipped in data["labels"].items():
        assert identifier in concepts
        assert not labels & {(identifier, text, language) for text, language, _kind in shipped}

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    after = _state(executor.loader.project_state(AFTER).apps)
    assert {item["identifier"] for item in data["concepts"]} <= after[0]
    assert ("ammattiopisto", "AO", "fi") in after[1]
    assert ("peli", "pelillistaminen") in after[2] and ("pelillistaminen", "peli") in after[2]

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(BEFORE)
    assert _state(executor.loader.project_state(BEFORE).apps) == (concepts, labels, related)
