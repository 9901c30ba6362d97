"""The vocabulary covers what the catalog's entries are about in three languages (migration 0015):
official Swedish and English terms, colloquial and abbreviated forms, target groups written as
compounds, and related concepts; going back removes only what the migration added."""

import pytest

from methodbank.catalog.tests.factories import PracticeFactory
from methodbank.search.selectors import search_entries

from .vocabulary_checks import (
    back_to_the_latest_schema,  # noqa: F401 (a fixture)
    check_data_file,
    check_nothing_shipped_yet,
    migrate,
    migration_data,
    reaches,
    vocabulary_state,
)

DATA = "0015_vocabulary_coverage.json"
BEFORE = [("search", "0014_facet_values")]
AFTER = [("search", "0015_vocabulary_coverage")]


def test_the_data_file_is_well_formed():
    check_data_file(migration_data(DATA))


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
    assert reaches(text, concept)


@pytest.mark.django_db
def test_a_related_concept_brings_its_neighbours_entries():
    game = PracticeFactory(title="Urapeli", summary="Lautapeli yläkoululaisille ammateista.")
    fair = PracticeFactory(title="Koulutusmessut", summary="Oppilaitokset esittäytyvät messuilla.")
    PracticeFactory(title="Kerhotoiminta", summary="Koulun kerhot iltapäivisin.")
    assert [e.practice_id for e in search_entries(text="pelillistäminen").entries] == [game.pk]
    assert [e.practice_id for e in search_entries(text="mässa", language="sv").entries] == [fair.pk]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("back_to_the_latest_schema")
def test_going_back_removes_only_what_the_migration_added():
    data = migration_data(DATA)
    apps = migrate(BEFORE)
    # A coordinator's own label on a concept the migration extends.
    apps.get_model("search", "ConceptLabel").objects.create(
        concept=apps.get_model("search", "Concept").objects.get(identifier="ammattiopisto"),
        text="ammattiopistokoulutus", language="fi", kind="alt",
    )
    concepts, labels, related = vocabulary_state(apps)
    # The file lists only what the shipped vocabulary lacks: going back cannot remove a shipped label.
    assert not concepts & {item["identifier"] for item in data["concepts"]}
    check_nothing_shipped_yet(data, concepts, labels)

    after = vocabulary_state(migrate(AFTER))
    assert {item["identifier"] for item in data["concepts"]} <= after[0]
    assert ("ammattiopisto", "AO", "fi") in after[1]
    assert ("peli", "pelillistaminen") in after[2] and ("pelillistaminen", "peli") in after[2]

    assert vocabulary_state(migrate(BEFORE)) == (concepts, labels, related)
