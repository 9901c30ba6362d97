"""The contributor's duplicate check: similar entries while writing (an HTMX fragment) and again on
submit, where the contributor confirms theirs is different or links it to the model it applies."""

import pytest
from django.urls import reverse

from methodbank.catalog import extensions
from methodbank.catalog.models import Practice, PracticeKind, PublicationStatus
from methodbank.contributions import services

from .factories import PracticeFactory, complete_data
from .test_views import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def existing_model():
    return PracticeFactory(title="Kesäkoulu hakijoille", kind=PracticeKind.MODEL, status=PublicationStatus.PUBLISHED)


@pytest.fixture
def finder(monkeypatch, existing_model):
    """Search's finder stands in for the index: an entry is similar when its title mentions summer
    school (kesäkoulu), as the existing model's does."""
    calls = []

    def find(*, title, summary, text="", exclude_pk=None):
        calls.append({"title": title, "summary": summary, "exclude_pk": exclude_pk})
        hit = "kesäkoulu" in f"{title} {summary}".lower() and exclude_pk != existing_model.pk
        return [(existing_model, 0.91)] if hit else []

    monkeypatch.setattr(extensions, "_duplicate_finders", [find])
    return calls


def test_fragment_lists_similar_entries_while_typing(client, owner, finder, existing_model):
    url = reverse("contributions:practice_similar")
    assert client.get(url, {"title": "Kesäkoulu"}).status_code == 302  # signed-in contributors only
    client.force_login(owner)
    html = client.get(url, {"title": "Kesäkoulu", "summary": ""}).content.decode()
    assert f'href="{existing_model.get_absolute_url()}"' in html
    assert f'data-applies-model="{existing_model.pk}"' in html  # it is a model: "mine applies it"
    assert "Kesäkoulu hakijoille" not in client.get(url, {"title": "Mentorointi"}).content.decode()
    # The model the entry already applies is not offered as its duplicate.
    html = client.get(url, {"title": "Kesäkoulu", "applies_model": existing_model.pk}).content.decode()
    assert "Kesäkoulu hakijoille" not in html
    # Nothing typed: no lookup at all.
    finder.clear()
    client.get(url, {"title": " ", "summary": ""})
    assert finder == []


def test_form_shows_similar_entries_and_updates_them_with_htmx(client, owner, draft, finder):
    services.practice_update(practice=draft, by=owner, data=complete_data(title="Kesäkoulu lukiolaisille"),
                             lock_version=draft.lock_version)
    client.force_login(owner)
    html = client.get(reverse("contributions:practice_edit", kwargs={"pk": draft.pk})).content.decode()
    assert 'id="similar-entries"' in html and "Kesäkoulu hakijoille" in html
    assert f'hx-get="{reverse("contributions:practice_similar")}"' in html and "delay:800ms" in html
    assert finder[-1]["exclude_pk"] == draft.pk  # an entry is never its own duplicate


def test_submit_with_similar_entries_asks_for_confirmation(client, owner, finder):
    client.force_login(owner)
    url = reverse("contributions:practice_create")
    response = client.post(url, form_data(action="submit"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Similar entries exist" in html and 'name="not_duplicate"' in html and "Kesäkoulu hakijoille" in html
    assert not owner.practice_versions.exists()  # nothing saved, nothing lost: the form is shown as typed
    assert 'value="Summer school for applicants."' in html or "Summer school for applicants." in html
    # Saving a draft is never held up by the check.
    assert client.post(url, form_data(action="save")).status_code == 302
    # Confirmed as different: submitted.
    response = client.post(url, form_data(title="Kesäkoulu 2", action="submit", not_duplicate="on"))
    assert response.status_code == 302

    assert Practice.objects.get(title="Kesäkoulu 2").status == PublicationStatus.SUBMITTED


def test_a_local_application_of_the_similar_model_needs_no_confirmation(client, owner, finder, existing_model):
    client.force_login(owner)
    response = client.post(reverse("contributions:practice_create"),
                           form_data(action="submit", applies_model=str(existing_model.pk)))
    assert response.status_code == 302

    practice = Practice.objects.get(title="Kesäkoulu")
    assert practice.status == PublicationStatus.SUBMITTED and practice.applies_model == existing_model


def test_submit_button_on_own_page_asks_again(client, owner, draft, finder, existing_model):
    services.practice_update(practice=draft, by=owner, data=complete_data(title="Kesäkoulu lukiolaisille"),
                             lock_version=draft.lock_version)
    client.force_login(owner)
    detail = reverse("contributions:practice_detail", kwargs={"pk": draft.pk})
    html = client.get(detail).content.decode()
    assert "Kesäkoulu hakijoille" in html and 'name="not_duplicate"' in html
    submit = reverse("contributions:practice_submit", kwargs={"pk": draft.pk})
    client.post(submit)
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.DRAFT
    client.post(submit, {"not_duplicate": "on"})
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.SUBMITTED


def test_fragment_ignores_ids_that_are_not_ids(client, owner, finder):
    client.force_login(owner)
    url = reverse("contributions:practice_similar")
    for junk in ("99999999999999999999999", "-1", "x"):
        response = client.get(url, {"title": "Kesäkoulu", "practice": junk, "applies_model": junk})
        assert response.status_code == 200 and "Kesäkoulu hakijoille" in response.content.decode()
