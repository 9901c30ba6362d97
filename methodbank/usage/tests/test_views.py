"""Who sees the figures: the entry's team on its own page, coordinators' top lists, nobody else."""

import pytest
from django.urls import reverse

from methodbank.catalog.tests.factories import PlacementFactory, PracticeFactory, ProjectFactory, ThemeFactory
from methodbank.usage.models import MonthlyUsage, UsageKind
from methodbank.usage.selectors import months_back


def add(practice, kind, count, months_ago=0):
    month = months_back(months_ago + 1)[0]
    MonthlyUsage.objects.create(practice=practice, kind=kind, month=month, count=count)


@pytest.fixture
def team_entry(contributor):
    project = ProjectFactory(owner=contributor)
    practice = PracticeFactory(project=project, title="Tiimin malli")
    add(practice, UsageKind.VIEW, 4321)
    add(practice, UsageKind.VIEW, 17, months_ago=2)
    add(practice, UsageKind.DOWNLOAD, 55)
    add(practice, UsageKind.VIEW, 999, months_ago=13)  # older than the own page's months
    return practice


def test_the_team_sees_its_entries_figures_on_the_own_page(client, contributor, team_entry):
    other = PracticeFactory(title="Toisen tiimin malli")
    add(other, UsageKind.VIEW, 777)
    client.force_login(contributor)
    html = client.get(reverse("contributions:own_page")).content.decode()
    assert "Tiimin malli" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" role="img"' in html
    assert "4321" in html and "4338" in html  # this month, and the 6 months' total in the table
    assert "55" in html
    assert "Toisen tiimin malli" not in html and "777" not in html
    assert "5337" not in html  # the 13-month-old views are outside the 6 months
    assert reverse("usage:practice", args=[team_entry.pk]) in html


def test_a_user_without_a_team_sees_no_usage_block(client, django_user_model):
    user = django_user_model.objects.create_user(username="lonely", email="l@example.org", password="pw-x-12345678")
    client.force_login(user)
    html = client.get(reverse("contributions:own_page")).content.decode()
    assert 'id="usage-heading"' not in html


def test_the_entry_usage_page_is_for_its_team_and_coordinators(client, contributor, coordinator, team_entry,
                                                                  django_user_model):
    url = reverse("usage:practice", args=[team_entry.pk])
    assert client.get(url).status_code == 302  # a visitor is sent to sign in
    stranger = django_user_model.objects.create_user(username="s", email="s@example.org", password="pw-s-12345678")
    client.force_login(stranger)
    assert client.get(url).status_code == 403
    assert client.get(reverse("usage:practice", args=[99999999])).status_code == 404
    for user in (contributor, coordinator):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count('class="bar-chart"') == 4
        assert "4321" in html and "55" in html
        assert "<caption>" in html


def test_the_usage_page_shows_only_the_last_twelve_months(client, contributor, team_entry):
    client.force_login(contributor)
    html = client.get(reverse("usage:practice", args=[team_entry.pk])).content.decode()
    assert html.count(">999<") == 0


def test_coordinators_see_the_most_used_entries_of_each_theme(client, coordinator, contributor):
    theme_a, theme_b = ThemeFactory(code="A"), ThemeFactory(code="B")
    popular, quiet, elsewhere = PracticeFactory(title="Suosittu"), PracticeFactory(title="Hiljainen"), PracticeFactory(title="Muualla")
    PlacementFactory(practice=popular, subtheme=None, theme=theme_a)
    PlacementFactory(practice=quiet, subtheme=None, theme=theme_a)
    PlacementFactory(practice=elsewhere, subtheme=None, theme=theme_b)
    add(popular, UsageKind.VIEW, 50)
    add(quiet, UsageKind.VIEW, 5)
    add(elsewhere, UsageKind.DOWNLOAD, 8)
    url = reverse("usage:top_lists")
    client.force_login(contributor)
    assert client.get(url).status_code == 403
    client.force_login(coordinator)
    html = client.get(url).content.decode()
    assert html.index("Suosittu") < html.index("Hiljainen")
    assert "Muualla" not in html  # no page views
    html = client.get(url, {"kind": "download", "months": "12"}).content.decode()
    assert "Muualla" in html and "Suosittu" not in html


@pytest.mark.parametrize("params", [{"kind": "<script>alert(1)</script>"}, {"months": "abc"}, {"months": "-1"},
                                    {"kind": "view", "months": "99999999999999999999"}])
def test_hostile_top_list_parameters_show_the_default_list(client, coordinator, params):
    client.force_login(coordinator)
    response = client.get(reverse("usage:top_lists"), params)
    assert response.status_code == 200
    assert b"<script>alert" not in response.content


@pytest.mark.parametrize(("language", "heading"), [("fi", "Tietosuojaseloste"), ("sv", "Dataskyddsbeskrivning"),
                                                   ("en", "Privacy notice")])
def test_the_privacy_notice_and_the_accessibility_statement_say_what_is_counted(client, db, language, heading):
    from django.utils import translation

    with translation.override(language):
        privacy, accessibility = reverse("core:privacy"), reverse("core:accessibility")
    html = client.get(privacy).content.decode()
    assert f'lang="{language}"' in html
    assert 'id="usage-heading"' in html and f"<h1>{heading}</h1>" in html
    footer = client.get(accessibility).content.decode()
    assert f'href="{privacy}"' in footer and 'id="usage-heading"' in footer
