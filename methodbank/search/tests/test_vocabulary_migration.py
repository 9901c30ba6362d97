"""Migrating the old thesaurus into the vocabulary keeps what coordinators added to it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("search", "0005_termvectors")]
AFTER = [("search", "0008_remove_synonymgroup")]


@pytest.fixture
def back_to_the_latest_schema():
    """The test leaves the database at the latest migrations whatever happens: later tests (and the
    serialized rollback that reloads the vocabulary with its related concepts) need every table."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_coordinators_thesaurus_edits_survive_the_migration(back_to_the_latest_schema):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    SynonymGroup = old_apps.get_model("search", "SynonymGroup")
    shipped = SynonymGroup.objects.get(label="opinto-ohjaaja")
    shipped.terms += "\nopokoordinaattori"
    shipped.save()
    SynonymGroup.objects.create(label="sirkuskoulu", kind="synonym", terms="sirkuskoulutus\ncircus school")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new_apps = executor.loader.project_state(AFTER).apps
    Concept = new_apps.get_model("search", "Concept")
    ConceptLabel = new_apps.get_model("search", "ConceptLabel")

    guidance = Concept.objects.get(identifier="opinto-ohjaaja")
    added = ConceptLabel.objects.filter(concept=guidance, text="opokoordinaattori").get()
    assert added.language == ""
    # The shipped group's own words are not poured back into the finer concepts.
    assert not ConceptLabel.objects.filter(concept=guidance, text="career counsellor", language="").exists()
    circus = Concept.objects.get(pref_label_fi="sirkuskoulu")
    assert circus.provenance == "coordinators"
    assert set(ConceptLabel.objects.filter(concept=circus).values_list("text", flat=True)) == {
        "sirkuskoulutus", "circus school"}
    assert Concept.objects.count() == 365
