"""Contributors translate their own entries and projects on their own page: the same permissions
and workflow as editing the entry, and the versions and their diffs include the translations."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from methodbank.catalog.models import PracticeTranslation, PublicationStatus
from methodbank.catalog.workflow import EditConflict, WorkflowError
from methodbank.contributions import services
from methodbank.contributions.models import VersionStatus
from methodbank.contributions.selectors import version_diff

from .factories import ProjectFactory, complete_data

pytestmark = pytest.mark.django_db

SV = {"title": "Mentorskap för förstaårsstuderande", "summary": "Äldre studerande stöder de nya."}


def create(owner):
    practice = services.practice_create(by=owner, data=complete_data())
    practice.refresh_from_db()
    return practice


def published(owner, moderator):
    practice = create(owner)
    services.practice_submit(practice=practice, by=owner)
    services.practice_publish(practice=practice, by=moderator)
    practice.refresh_from_db()
    return practice


def test_a_draft_is_translated_in_place_with_a_new_version_and_a_diff(owner):
    practice = create(owner)
    version = services.practice_translation_save(
        practice=practice, by=owner, language="sv", fields=SV, lock_version=practice.lock_version
    )
    translation = PracticeTranslation.objects.get(practice=practice, language="sv")
    assert translation.title == SV["title"] and translation.summary == SV["summary"]
    assert version.status == VersionStatus.SAVED
    assert version.data["translations"]["sv"]["title"] == SV["title"]
    previous = practice.versions.get(number=version.number - 1)
    changes = {c["key"]: c for c in version_diff(previous.data, version.data)}
    assert set(changes) == {"translations.sv.title", "translations.sv.summary"}
    assert changes["translations.sv.title"]["label"] == "Name (Swedish translation)"
    assert ("added", SV["title"]) in changes["translations.sv.title"]["lines"]

    practice.refresh_from_db()
    removed = services.practice_translation_delete(
        practice=practice, by=owner, language="sv", lock_version=practice.lock_version
    )
    assert not practice.translations.exists()
    assert "translations.sv.title" in {c["key"] for c in version_diff(version.data, removed.data)}


def test_editing_the_entry_keeps_its_translations(owner):
    practice = create(owner)
    services.practice_translation_save(practice=practice, by=owner, language="en", lock_version=0,
                                       fields={"title": "Mentoring", "summary": "In English."})
    practice.refresh_from_db()
    services.practice_update(practice=practice, by=owner, data=complete_data(title="Mentorointi"),
                             lock_version=practice.lock_version)
    assert practice.translations.get().title == "Mentoring"


def test_a_published_entry_gets_a_moderated_revision(owner, moderator):
    practice = published(owner, moderator)
    services.practice_translation_save(
        practice=practice, by=owner, language="sv", fields=SV, lock_version=practice.lock_version
    )
    assert not practice.translations.exists(), "the published content stays as it was until moderated"
    # Editing the entry itself meanwhile keeps the pending translation in the new revision.
    practice.refresh_from_db()
    services.practice_update(practice=practice, by=owner, data=complete_data(summary="Changed."),
                             lock_version=practice.lock_version)
    services.practice_submit(practice=practice, by=owner)
    services.practice_publish(practice=practice, by=moderator)
    assert practice.translations.get(language="sv").title == SV["title"]
    assert practice.summary == "Changed."


def test_restoring_an_old_version_restores_its_translations(owner, moderator):
    practice = create(owner)
    first = services.practice_translation_save(
        practice=practice, by=owner, language="sv", fields=SV, lock_version=practice.lock_version
    )
    practice.refresh_from_db()
    services.practice_translation_save(practice=practice, by=owner, language="sv", lock_version=practice.lock_version,
                                       fields={**SV, "title": "Ett annat namn"})
    services.practice_version_restore(version=first, by=moderator)
    assert practice.translations.get().title == SV["title"]


def test_translation_rules(owner, other):
    practice = create(owner)
    with pytest.raises(ValidationError) as error:
        services.practice_translation_save(practice=practice, by=owner, language="fi", fields=SV, lock_version=0)
    assert "language" in error.value.message_dict  # the entry's own language
    with pytest.raises(ValidationError) as error:
        services.practice_translation_save(practice=practice, by=owner, language="xx", fields=SV, lock_version=0)
    with pytest.raises(ValidationError) as error:
        services.practice_translation_save(practice=practice, by=owner, language="sv", fields={"title": " "},
                                           lock_version=0)
    assert "title" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.practice_translation_save(practice=practice, by=other, language="sv", fields=SV, lock_version=0)
    with pytest.raises(EditConflict):
        services.practice_translation_save(practice=practice, by=owner, language="sv", fields=SV, lock_version=99)
    with pytest.raises(ValidationError):
        services.practice_translation_delete(practice=practice, by=owner, language="en", lock_version=0)


def test_project_translations_follow_the_project_rules(owner, other, moderator, team_project):
    team_project.status = PublicationStatus.DRAFT
    team_project.save()
    services.project_translation_save(project=team_project, by=owner, language="sv",
                                      fields={"name": "", "description": "Ett projekt."})
    assert team_project.translations.get().description == "Ett projekt."
    with pytest.raises(PermissionDenied):
        services.project_translation_save(project=team_project, by=other, language="en",
                                          fields={"description": "x"})
    with pytest.raises(ValidationError):
        services.project_translation_save(project=team_project, by=owner, language="en", fields={})
    published_project = ProjectFactory(owner=owner)
    published_project.members.add(owner)
    with pytest.raises(WorkflowError):  # a published project is corrected by a coordinator
        services.project_translation_save(project=published_project, by=owner, language="sv",
                                          fields={"description": "x"})
    services.project_translation_save(project=published_project, by=moderator, language="sv",
                                      fields={"description": "Korrigerad."})
    services.project_translation_delete(project=team_project, by=owner, language="sv")
    assert not team_project.translations.exists()


def test_the_own_page_adds_edits_and_removes_a_translation(client, owner, other):
    practice = create(owner)
    client.force_login(owner)
    detail = client.get(reverse("contributions:practice_detail", args=[practice.pk])).content.decode()
    add_url = reverse("contributions:practice_translation_edit", args=[practice.pk, "sv"])
    assert add_url in detail and "Add a translation (swedish)" in detail
    assert reverse("contributions:practice_translation_edit", args=[practice.pk, "fi"]) not in detail

    response = client.get(add_url)
    assert response.status_code == 200 and 'lang="sv"' in response.content.decode()
    response = client.post(add_url, {"title": "", "summary": "x", "lock_version": practice.lock_version})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    response = client.post(add_url, {**SV, "lock_version": practice.lock_version, "reason": "På svenska"})
    assert response.status_code == 302
    assert practice.translations.get().title == SV["title"]
    assert practice.versions.order_by("-number").first().reason == "På svenska"
    detail = client.get(reverse("contributions:practice_detail", args=[practice.pk])).content.decode()
    assert SV["title"] in detail

    versions = client.get(reverse("contributions:practice_versions", args=[practice.pk])).content.decode()
    assert "Name (Swedish translation)" in versions

    practice.refresh_from_db()
    delete_url = reverse("contributions:practice_translation_delete", args=[practice.pk, "sv"])
    assert client.post(delete_url, {"lock_version": practice.lock_version}).status_code == 302
    assert not practice.translations.exists()
    assert client.get(reverse("contributions:practice_translation_edit", args=[practice.pk, "fi"])).status_code == 404

    client.force_login(other)
    assert client.get(add_url).status_code == 404  # not theirs: the permission-checked getter


def test_the_project_form_links_to_its_translations(client, owner, team_project):
    team_project.status = PublicationStatus.DRAFT
    team_project.save()
    client.force_login(owner)
    url = reverse("contributions:project_translation_edit", args=[team_project.pk, "en"])
    assert url in client.get(reverse("contributions:project_edit", args=[team_project.pk])).content.decode()
    response = client.post(url, {"name": "Smooth paths", "description": "A project in English."})
    assert response.status_code == 302
    assert team_project.translations.get(language="en").name == "Smooth paths"
    delete_url = reverse("contributions:project_translation_delete", args=[team_project.pk, "en"])
    assert client.post(delete_url).status_code == 302
    assert not team_project.translations.exists()
