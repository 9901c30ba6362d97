"""The version diff runs in linear time and says when a field is too large to show inline; the
site's forms hold texts to the same length limit as the API (methodbank/catalog/limits.py)."""

import pytest
from django.urls import reverse

from methodbank.catalog.limits import SECTION_MAX_CHARS
from methodbank.catalog.models import Practice
from methodbank.contributions import selectors
from methodbank.contributions.models import PracticeVersion
from methodbank.contributions.selectors import version_diff

from .factories import complete_data
from .test_views import form_data

pytestmark = pytest.mark.django_db


def _lines(change, op):
    return [text for kind, text in change["lines"] if kind == op]


def test_diff_shows_the_removed_added_and_unchanged_lines():
    old = complete_data(summary="Yksi\nKaksi\nKolme\nNeljä")
    new = complete_data(summary="Yksi\nKaksi muutettu\nKolme\nNeljä\nViisi")
    (change,) = [c for c in version_diff(old, new) if c["key"] == "summary"]
    assert _lines(change, "removed") == ["Kaksi"]
    assert _lines(change, "added") == ["Kaksi muutettu", "Viisi"]
    assert _lines(change, "equal") == ["Yksi", "Kolme", "Neljä"]
    # Lines keep their order: every old line, then the new ones where they were added.
    assert [t for op, t in change["lines"] if op != "added"] == ["Yksi", "Kaksi", "Kolme", "Neljä"]
    assert [t for op, t in change["lines"] if op != "removed"] == ["Yksi", "Kaksi muutettu", "Kolme", "Neljä", "Viisi"]


def test_past_the_time_budget_the_diff_is_coarser_but_complete(monkeypatch):
    """The deadline never drops a change: a late field shows all of its old lines removed and new
    lines added, so what the moderator reads is still true."""
    monkeypatch.setattr(selectors, "DIFF_TIME_BUDGET_SECONDS", -1)
    old_lines = [f"rivi {n}" for n in range(300)]
    new_lines = [f"rivi {n}" if n % 2 else f"muutettu {n}" for n in range(300)]
    (change,) = [c for c in version_diff(complete_data(summary="\n".join(old_lines)),
                                        complete_data(summary="\n".join(new_lines))) if c["key"] == "summary"]
    kept = [t for op, t in change["lines"] if op != "added"]
    shown = [t for op, t in change["lines"] if op != "removed"]
    assert kept == old_lines and shown == new_lines


def test_a_field_over_the_limit_is_too_large_to_compare_inline(client, owner, draft):
    """Older data (before the limits) may hold a field of megabytes: the versions page then says so
    instead of computing a diff for minutes."""
    huge_old = "\n".join(f"vanha rivi {n}" for n in range(20_000))
    huge_new = "\n".join(f"uusi rivi {n}" for n in range(20_000))
    PracticeVersion.objects.create(practice=draft, number=1, author=owner, data=complete_data(summary=huge_old))
    PracticeVersion.objects.create(practice=draft, number=2, author=owner, data=complete_data(summary=huge_new))
    changes = version_diff(complete_data(summary=huge_old), complete_data(summary=huge_new))
    (change,) = [c for c in changes if c["key"] == "summary"]
    assert change["too_large"] and change["lines"] == []
    client.force_login(owner)
    response = client.get(reverse("contributions:practice_versions", kwargs={"pk": draft.pk}) + "?a=1&b=2")
    html = response.content.decode()
    assert response.status_code == 200
    assert "too large to compare inline" in html
    assert f"{len(huge_old)} characters before" in html
    assert "vanha rivi 19999" not in html


def test_the_entry_form_refuses_a_section_longer_than_the_limit(client, owner):
    client.force_login(owner)
    response = client.post(reverse("contributions:practice_create"),
                           form_data(content_and_actions="x" * (SECTION_MAX_CHARS + 1)))
    assert response.status_code == 400
    assert not Practice.objects.filter(title="Kesäkoulu").exists()
    assert f'maxlength="{SECTION_MAX_CHARS}"' in response.content.decode()
    response = client.post(reverse("contributions:practice_create"),
                           form_data(content_and_actions="x" * SECTION_MAX_CHARS))
    assert Practice.objects.filter(title="Kesäkoulu").exists()


def test_the_api_uses_the_same_limit(client, owner):
    from methodbank.api.services import api_token_create

    _token, raw = api_token_create(user=owner, name="avain")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    too_long = client.post("/api/v1/me/entries", {"kind": "good_practice", "title": "Liian pitkä",
                                                  "summary": "x" * (SECTION_MAX_CHARS + 1)},
                           content_type="application/json", **auth)
    assert too_long.status_code == 400
    assert too_long.json()["errors"][0]["name"] == "summary"
    longest = client.post("/api/v1/me/entries", {"kind": "good_practice", "title": "Pisin sallittu",
                                                 "summary": "x" * SECTION_MAX_CHARS},
                          content_type="application/json", **auth)
    assert longest.status_code == 201


def test_translation_and_project_forms_are_limited_too(client, owner, team_project, draft):
    client.force_login(owner)
    response = client.post(reverse("contributions:project_edit", kwargs={"pk": team_project.pk}),
                           {"name": team_project.name, "description": "y" * (SECTION_MAX_CHARS + 1)})
    team_project.refresh_from_db()
    assert len(team_project.description) <= SECTION_MAX_CHARS
    response = client.post(
        reverse("contributions:practice_translation_edit", kwargs={"pk": draft.pk, "language": "sv"}),
        {"title": "Sommarskola", "summary": "z" * (SECTION_MAX_CHARS + 1), "lock_version": draft.lock_version})
    assert response.status_code in (200, 400)
    assert not draft.translations.filter(summary__startswith="zzz").exists()
