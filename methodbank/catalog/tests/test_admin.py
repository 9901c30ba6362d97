"""Coordinators correct records in the admin; the admin pages and autocomplete work."""

import pytest
from django.urls import reverse

from methodbank.catalog.models import Keyword
from methodbank.core.models import AuditEvent

from .factories import (
    KeywordFactory,
    ModelPracticeFactory,
    PlacementFactory,
    PracticeFactory,
    ProjectFactory,
    SubthemeFactory,
    catalog_clear,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_catalog(request, db):
    # Factory-built tests start from an empty catalog even after the seed was imported.
    if "seeded_db" not in request.fixturenames:
        catalog_clear()


@pytest.fixture
def staff_client(client, coordinator):
    # The coordinator role's own permissions (accounts' role migration), nothing granted here.
    client.force_login(coordinator)
    return client


def test_admin_changelists_and_forms_render(admin_client):
    staff_client = admin_client
    practice = PracticeFactory()
    PlacementFactory(practice=practice)
    for model in ["practice", "project", "organisation", "theme", "subtheme", "period", "keyword"]:
        assert staff_client.get(reverse(f"admin:catalog_{model}_changelist")).status_code == 200, model
        assert staff_client.get(reverse(f"admin:catalog_{model}_add")).status_code == 200, model
    assert staff_client.get(reverse("admin:catalog_practice_change", args=[practice.pk])).status_code == 200
    theme = practice.placements.first().theme
    url = reverse("admin:catalog_practice_changelist")
    assert staff_client.get(url, {"placements__theme__id__exact": theme.pk, "kind": "good_practice"}).status_code == 200


def test_theme_filter_lists_a_twice_placed_entry_once(admin_client):
    practice = PracticeFactory(title="Kahdesti")
    first = PlacementFactory(practice=practice)
    PlacementFactory(practice=practice, subtheme=SubthemeFactory(theme=first.theme))
    response = admin_client.get(
        reverse("admin:catalog_practice_changelist"), {"placements__theme__id__exact": first.theme.pk}
    )
    assert [p.pk for p in response.context["cl"].result_list] == [practice.pk]


def test_coordinator_corrects_a_title_and_it_is_audited(staff_client):
    practice = PracticeFactory(title="Kirjoitusvirhe")
    url = reverse("admin:catalog_practice_change", args=[practice.pk])
    response = staff_client.get(url)
    form = response.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in {"keywords"}}
    data.update({
        "title": "Korjattu otsikko",
        "slug": practice.slug,
        "kind": practice.kind,
        "project": practice.project.pk,
        "status": practice.status,
        "language": "fi",
        "published_at_0": "1.1.2024", "published_at_1": "12:00:00",
    })
    # Every inline the role may see posts its management form (placements, links, translations, ...).
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    for key in list(data):
        if key in {"submitted_at", "published_at", "archived_at", "owner", "applies_model", "model_criteria"}:
            data.pop(key)
    data["model_criteria"] = "[]"
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    practice.refresh_from_db()
    assert practice.title == "Korjattu otsikko"
    assert AuditEvent.objects.filter(verb="admin_change", target_id=str(practice.pk)).exists()


def test_applies_model_autocomplete_offers_models_only(staff_client):
    ModelPracticeFactory(title="Ohjausmalli")
    PracticeFactory(title="Ohjauskäytäntö")
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "catalog", "model_name": "practice", "field_name": "applies_model", "term": "Ohjaus"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Ohjausmalli"]


def test_approve_keywords_action(staff_client):
    pending = KeywordFactory(name="ehdotus", slug="ehdotus", approved=False)
    ProjectFactory()
    response = staff_client.post(
        reverse("admin:catalog_keyword_changelist"),
        {"action": "approve", "_selected_action": [pending.pk]},
    )
    assert response.status_code == 302
    assert Keyword.objects.get(pk=pending.pk).approved
    # The same service and audit verb as the coordinator's keyword page.
    assert AuditEvent.objects.filter(verb="keyword.approve").count() == 1


def test_visitor_cannot_open_the_admin(client):
    response = client.get(reverse("admin:catalog_practice_changelist"))
    assert response.status_code == 302 and "login" in response["Location"]
