"""The vocabulary names what counsellors mean (migration 0016): concepts that had none of their own
(guidance of adults, multicultural guidance, entrance examination preparation, articulating one's
competence), the colloquial ways students say it, synonyms of compound parts, Swedish and English
labels and related pairs; going back removes only what the migration added."""

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

DATA = "0016_vocabulary_field_terms.json"
BEFORE = [("search", "0015_vocabulary_coverage")]
AFTER = [("search", "0016_vocabulary_field_terms")]


def test_the_data_file_is_well_formed():
    check_data_file(migration_data(DATA))


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
    assert reaches(text, concept)


@pytest.mark.django_db
def test_a_question_in_a_students_words_finds_the_entry_in_the_fields_words():
    dropping_out = PracticeFactory(title="Opintojen keskeyttämisen prosessi", summary="Kun opinnot uhkaavat katketa.")
    PracticeFactory(title="Koulun kerhot", summary="Koulussa on kerhoja iltapäivisin.")
    found = [e.practice_id for e in search_entries(text="opiskelija haluaa erota koulusta").entries]
    assert found[:1] == [dropping_out.pk]
    adults = PracticeFactory(title="Aikuisten ohjaustoiminta", summary="Ohjausta aikuisille opiskelijoille.")
    assert [e.practice_id for e in search_entries(text="vägledning för vuxna", language="sv").entries][:1] == [adults.pk]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("back_to_the_latest_schema")
def test_going_back_removes_only_what_the_migration_added():
    data = migration_data(DATA)
    apps = migrate(BEFORE)
    # A coordinator's own label on a concept the migration extends.
    apps.get_model("search", "ConceptLabel").objects.create(
        concept=apps.get_model("search", "Concept").objects.get(identifier="menetelma"),
        text="ohjauskeino", language="fi", kind="alt",
    )
    concepts, labels, related = vocabulary_state(apps)
    # The file lists only what the shipped vocabulary lacks: going back cannot remove a shipped label.
    assert not concepts & {item["identifier"] for item in data["concepts"]}
    check_nothing_shipped_yet(data, concepts, labels)
    for one, other in data["pairs"]:
        assert (one, other) not in related

    after = vocabulary_state(migrate(AFTER))
    assert {item["identifier"] for item in data["concepts"]} <= after[0]
    assert ("opintojen-keskeyttaminen", "erota koulusta", "fi") in after[1]
    assert ("aikuisohjaus", "koulutusneuvonta") in after[2] and ("koulutusneuvonta", "aikuisohjaus") in after[2]

    assert vocabulary_state(migrate(BEFORE)) == (concepts, labels, related)
