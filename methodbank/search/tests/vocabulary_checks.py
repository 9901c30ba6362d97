"""What the tests of the vocabulary's data migrations check alike (test_vocabulary_coverage.py,
test_vocabulary_field_terms.py, test_vocabulary_swedish_english.py): each migration ships a data
file under search/migrations/data whose labels must be well formed, whose words must reach their
concepts, and which going back must remove without touching what was there before it.
"""

import json
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from methodbank.search import migrations as search_migrations
from methodbank.search.models import ConceptCategory, ConceptProvenance, LabelKind, label_problem
from methodbank.search.thesaurus import _content_words, get_thesaurus

DATA_DIR = Path(search_migrations.__file__).parent / "data"
ALL_LANGUAGES = ("fi", "sv", "en", "")


def migration_data(name: str) -> dict:
    """The data file ``name`` of a vocabulary migration."""
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def shipped_labels(data: dict) -> list:
    """The labels a data file adds to concepts the vocabulary had already."""
    return [label for shipped in data["labels"].values() for label in shipped]


def check_labels(labels, languages=ALL_LANGUAGES) -> None:
    """Every label is a usable one, in one of ``languages``, of a known kind."""
    for text, language, kind in labels:
        assert not label_problem(text), text
        assert language in languages and kind in LabelKind.values, text


def check_new_concepts(data: dict) -> None:
    """The file's new concepts: unique identifiers, known categories and provenances, and a
    preferred label in each of the three languages."""
    identifiers = [item["identifier"] for item in data["concepts"]]
    assert len(identifiers) == len(set(identifiers))
    for item in data["concepts"]:
        assert item["category"] in ConceptCategory.values
        assert item["provenance"] in ConceptProvenance.values
        assert item["pref_label_fi"] and item["pref_label_sv"] and item["pref_label_en"]


def check_pairs(data: dict) -> None:
    for one, other in data["pairs"]:
        assert one != other


def check_data_file(data: dict, *, min_labels: int = 100) -> None:
    """A data file of new concepts, labels for shipped ones and related pairs is well formed."""
    check_new_concepts(data)
    labels = [label for item in data["concepts"] for label in item["labels"]] + shipped_labels(data)
    assert len(labels) >= min_labels
    check_labels(labels)
    check_pairs(data)


def reaches(text: str, concept: str) -> bool:
    """The words of ``text`` expand to ``concept`` (its preferred Finnish label)."""
    return concept in get_thesaurus().expansions(_content_words(text))


@pytest.fixture
def back_to_the_latest_schema():
    """Migrates back to the latest schema after a test that moved the search app's migrations."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def migrate(targets):
    """Migrates to ``targets`` and returns the historical models (apps) of that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def label_set(apps) -> set:
    """(concept identifier, text, language) of every label."""
    return set(
        apps.get_model("search", "ConceptLabel").objects.values_list(
            "concept__identifier", "text", "language"
        )
    )


def related_set(apps) -> set:
    """(identifier, identifier) of every related pair, both directions."""
    Concept = apps.get_model("search", "Concept")
    return set(
        Concept.related.through.objects.values_list("from_concept__identifier", "to_concept__identifier")
    )


def vocabulary_state(apps) -> tuple[set, set, set]:
    """(concept identifiers, labels, related pairs): what going back must restore."""
    identifiers = set(apps.get_model("search", "Concept").objects.values_list("identifier", flat=True))
    return identifiers, label_set(apps), related_set(apps)


def check_nothing_shipped_yet(data: dict, identifiers, labels) -> None:
    """Before the migration: every concept the file adds labels to exists, and none has any of them
    yet (compared case-insensitively), so going back cannot remove a label that was there."""
    present = {(identifier, text.lower(), language) for identifier, text, language in labels}
    for identifier, shipped in data["labels"].items():
        assert identifier in identifiers
        assert not present & {(identifier, text.lower(), language) for text, language, _kind in shipped}
