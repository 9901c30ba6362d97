"""The typed content of an entry: a round trip through an entry and a version, the form's input,
the versions' own transition table, and the migration that upgrades stored versions."""

import importlib

import pytest
from django.apps import apps

from methodbank.catalog.models import PracticeTranslation
from methodbank.catalog.workflow import WorkflowError
from methodbank.contributions import services
from methodbank.contributions.content import SCHEMA_VERSION, PracticeContent
from methodbank.contributions.models import PracticeVersion, VersionStatus

from .factories import complete_data

pytestmark = pytest.mark.django_db


def test_content_round_trips_through_the_entry_and_the_stored_version(owner):
    practice = services.practice_create(by=owner, data=complete_data(keywords=["b", "A"]))
    content = PracticeContent.from_practice(practice)
    stored = practice.versions.get().data
    assert stored["schema_version"] == SCHEMA_VERSION
    assert PracticeContent.from_json(stored) == content
    assert content.keywords == ["A", "b"] and content.links[0].url == "https://example.org/guide"

    changed = content.model_copy(update={"title": "Toinen nimi", "translations": {"sv": {"title": "Annat namn"}}})
    changed.apply_to(practice)
    practice.refresh_from_db()
    assert practice.title == "Toinen nimi"
    assert PracticeTranslation.objects.get(practice=practice, language="sv").title == "Annat namn"
    # Applying the same content again writes the same entry back.
    assert PracticeContent.from_practice(practice).title == "Toinen nimi"


def test_content_without_translations_leaves_the_entry_translations_alone(owner):
    practice = services.practice_create(by=owner, data=complete_data())
    PracticeTranslation.objects.create(practice=practice, language="sv", title="Mentorskap")
    PracticeContent.model_validate(complete_data(title="Uusi")).apply_to(practice)
    assert practice.translations.get().title == "Mentorskap"


def test_a_published_revision_cannot_go_back_to_submitted(owner, moderator):
    practice = services.practice_create(by=owner, data=complete_data())
    services.practice_submit(practice=practice, by=owner)
    services.practice_publish(practice=practice, by=moderator)
    version = practice.versions.order_by("-number").first()
    assert version.status == VersionStatus.PUBLISHED
    with pytest.raises(WorkflowError):
        services.version_status_set(version, VersionStatus.SUBMITTED)
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED


def test_migration_upgrades_a_version_saved_before_translations_were_versioned(owner):
    practice = services.practice_create(by=owner, data=complete_data())
    PracticeTranslation.objects.create(practice=practice, language="sv", title="Mentorskap")
    legacy = {key: value for key, value in complete_data().items() if key not in ("links", "project_name")}
    version = PracticeVersion.objects.create(
        practice=practice, number=2, data=legacy, author=owner, status=VersionStatus.SAVED
    )
    migration = importlib.import_module(
        "methodbank.contributions.migrations.0002_practiceversion_content_schema_2"
    )
    migration.upgrade(apps, None)
    version.refresh_from_db()
    assert version.data["schema_version"] == SCHEMA_VERSION
    assert version.data["links"] == [] and version.data["project_name"] == ""
    assert version.data["translations"]["sv"]["title"] == "Mentorskap"
    assert PracticeContent.from_json(version.data).translations["sv"]["title"] == "Mentorskap"
