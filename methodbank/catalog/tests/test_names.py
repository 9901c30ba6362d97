"""Theme, subtheme and period names in the visitor's language (Finnish where not translated): the
seed's names from the importer and the data migration, pages, facets, reports and the admin."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import translation

from methodbank.catalog import names
from methodbank.catalog.models import Period, Subtheme, Theme
from methodbank.search.facets import facet_counts
from methodbank.search.selectors import search_entries

from .factories import (
    PeriodFactory,
    PlacementFactory,
    PracticeFactory,
    SubthemeFactory,
    ThemeFactory,
    catalog_clear,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed():
    catalog_clear()
    theme = ThemeFactory(code="A", name="Sujuva siirtymä koulutukseen", slug="a-sujuva",
                         name_sv="Smidig övergång till utbildning", name_en="Smooth transition into education")
    subtheme = SubthemeFactory(theme=theme, name="Avoimet oppimisympäristöt", slug="avoimet", name_en="Open learning environments")
    period = PeriodFactory(name="Zoomi", name_sv="Zoomi på svenska", starts_on=datetime.date(2019, 5, 1),
                           ends_on=datetime.date(2021, 12, 31))
    practice = PracticeFactory(title="Kesäkoulu")
    PlacementFactory(practice=practice, theme=theme, subtheme=subtheme, period=period)
    return theme, subtheme, period, practice


def test_local_name_follows_the_language_and_falls_back_to_finnish(placed):
    theme, subtheme, period, _practice = placed
    with translation.override("sv"):
        assert theme.local_name == "Smidig övergång till utbildning" and str(theme) == "A. Smidig övergång till utbildning"
        assert subtheme.local_name == "Avoimet oppimisympäristöt"  # no Swedish name
        assert str(period) == "Zoomi på svenska (1.5.2019–31.12.2021)"
    with translation.override("en"):
        assert subtheme.local_name == "Open learning environments"
        assert str(period) == "Zoomi (1 May 2019–31 Dec 2021)"
    with translation.override("fi"):
        assert theme.local_name == "Sujuva siirtymä koulutukseen"
    assert theme.names() == {"fi": "Sujuva siirtymä koulutukseen", "sv": "Smidig övergång till utbildning",
                             "en": "Smooth transition into education"}


def test_pages_show_the_names_in_the_visitors_language(client, placed):
    theme, subtheme, _period, practice = placed
    for language, expected in (("sv", "Smidig övergång till utbildning"), ("en", "Smooth transition into education"),
                               ("fi", "Sujuva siirtymä koulutukseen")):
        with translation.override(language):
            home = client.get(reverse("core:home")).content.decode()
            theme_page = client.get(theme.get_absolute_url()).content.decode()
            entry_page = client.get(practice.get_absolute_url()).content.decode()
            subtheme_page = client.get(subtheme.get_absolute_url()).content.decode()
        assert expected in home and expected in theme_page and expected in entry_page and expected in subtheme_page
    with translation.override("en"):
        assert "Open learning environments" in client.get(theme.get_absolute_url()).content.decode()


def test_facets_show_the_names_in_the_visitors_language(placed):
    with translation.override("sv"):
        results = search_entries(text="", language="sv")
        labels = {v.label for facet in results.facets for v in facet.values}
    assert "A. Smidig övergång till utbildning" in labels
    assert "A: Avoimet oppimisympäristöt" in labels
    assert "Zoomi på svenska (2019–)" in labels
    from methodbank.catalog.models import Practice

    with translation.override("en"):
        labels = {v.label for f in facet_counts(Practice.objects.all(), {}) for v in f.values}
    assert "A: Open learning environments" in labels and "Zoomi (2019–)" in labels


def test_the_seed_gets_swedish_and_english_names(seeded_db):
    assert Theme.objects.count() == 4 and not Theme.objects.filter(name_sv="").exists()
    assert not Theme.objects.filter(name_en="").exists()
    assert Subtheme.objects.count() == len(names.SUBTHEMES)
    assert not Subtheme.objects.filter(name_sv="").exists() and not Subtheme.objects.filter(name_en="").exists()
    assert not Period.objects.filter(name_sv="").exists() and not Period.objects.filter(name_en="").exists()
    assert Theme.objects.get(code="D").name_sv == "Smidig övergång till arbetslivet och fortsatta studier"


def test_the_data_migration_fills_only_empty_names(placed):
    theme, subtheme, period, _practice = placed
    theme.name_en = ""  # empty: filled; the Swedish name a coordinator wrote: kept
    theme.name_sv = "Egen översättning"
    theme.save()
    Subtheme.objects.filter(pk=subtheme.pk).update(name="Avoimet oppimisympäristöt", name_en="", name_sv="")
    Period.objects.filter(pk=period.pk).update(code="2015-2019", name_sv="", name_en="")
    migration = importlib.import_module("methodbank.catalog.migrations.0005_fill_names_sv_en")
    migration.fill(django_apps, None)
    theme.refresh_from_db()
    assert theme.name_sv == "Egen översättning" and theme.name_en == "Smooth transition into education"
    subtheme.refresh_from_db()
    assert (subtheme.name_sv, subtheme.name_en) == ("Öppna lärmiljöer", "Open learning environments")
    period.refresh_from_db()
    assert period.name_en == "Zoomi – national coordination of smooth transitions"


def test_names_are_editable_in_the_admin(admin_client, placed):
    theme, *_rest = placed
    page = admin_client.get(reverse("admin:catalog_theme_change", args=[theme.pk])).content.decode()
    assert 'name="name_sv"' in page and 'name="name_en"' in page
    page = admin_client.get(reverse("admin:catalog_period_add")).content.decode()
    assert 'name="name_sv"' in page


def _all_names():
    """(Finnish name, Swedish, English) for every theme, subtheme and period of the seed."""
    finnish_themes = {"A": "Sujuva siirtymä koulutukseen", "B": "Sujuvien siirtymien ohjaus koulutuksen aikana",
                      "C": "Varhainen puuttuminen, keskeyttämisen tuki sekä jatkuva hakeutuminen",
                      "D": "Sujuva siirtyminen työelämään ja jatko-opintoihin"}
    finnish_periods = {"2019-2021": "Zoomi – sujuvia siirtymiä edistämässä",
                       "2015-2019": "Zoomi – sujuvien siirtymien kansallinen koordinointi"}
    rows = [(finnish_themes[code], sv, en) for code, (sv, en) in names.THEMES.items()]
    rows += [(fi, sv, en) for (_code, fi), (sv, en) in names.SUBTHEMES.items()]
    rows += [(finnish_periods[code], sv, en) for code, (sv, en) in names.PERIODS.items()]
    return rows


@pytest.mark.parametrize(
    "finnish, swedish, english",
    [
        ("ohja", "handled", "guid"),  # ohjaus, ohjauspalvelut, uraohjaus: guidance, guiding
        ("henkilökohtaista", "personlig anpassning", "personalisation"),
        ("ammatilli", "yrkes", "vocational"),
        ("väyläopinnot", "stigstudier", "pathway studies"),
        ("osaamisen tunnistaminen", "identifiering av kunnande", "identifying competence"),
        ("jatkuva", "kontinuerlig ansökan", "continuous application"),
    ],
)
def test_names_use_the_established_terms_of_finnish_education(finnish, swedish, english):
    checked = 0
    for fi, sv, en in _all_names():
        if finnish in fi.lower():
            checked += 1
            assert swedish in sv.lower(), (fi, sv)
            assert english in en.lower(), (fi, en)
    assert checked


def test_swedish_names_say_handledning_as_in_finland():
    # Finland-Swedish says "handledning" for ohjaus ("vägledning" is the Sweden-Swedish word).
    assert not [sv for _fi, sv, _en in _all_names() if "vägled" in sv.lower()]


def test_period_names_keep_the_projects_spelling():
    for fi, sv, en in _all_names():
        if fi.startswith("Zoomi"):
            assert sv.startswith("Zoomi – ") and en.startswith("Zoomi – "), (sv, en)


def test_revised_names_replace_the_first_versions_unless_edited(placed):
    theme, subtheme, period, _practice = placed
    migration = importlib.import_module("methodbank.catalog.migrations.0006_revise_names_sv_en")
    Theme.objects.filter(pk=theme.pk).update(
        code="B", name_sv="Vägledning för smidiga övergångar under utbildningen", name_en="Own English name"
    )
    Subtheme.objects.filter(pk=subtheme.pk).update(
        name="Ohjauspalvelut sekä ohjausta kehittävät uudet toimintatavat",  # under theme B now
        name_sv="Vägledningstjänster och nya arbetssätt som utvecklar vägledningen",
        name_en="Guidance services and new ways of working that develop guidance",
    )
    Period.objects.filter(pk=period.pk).update(code="2019-2021", name_sv="Egen svensk", name_en=(
        "ZOOMI – promoting smooth transitions"))
    migration.revise(django_apps, None)
    theme.refresh_from_db()
    subtheme.refresh_from_db()
    period.refresh_from_db()
    # First versions give way to the revised names (the same a fresh import writes) ...
    assert theme.name_sv == names.THEMES["B"][0] == "Handledning för smidiga övergångar under utbildningen"
    assert (subtheme.name_sv, subtheme.name_en) == names.SUBTHEMES[
        ("B", "Ohjauspalvelut sekä ohjausta kehittävät uudet toimintatavat")
    ]
    assert period.name_en == "Zoomi – promoting smooth transitions"
    # ... names a coordinator wrote stay.
    assert theme.name_en == "Own English name" and period.name_sv == "Egen svensk"


def test_every_revised_name_is_still_a_seed_name_and_differs_from_its_first_version():
    from methodbank.catalog.migrations import __name__ as package

    migration = importlib.import_module(f"{package}.0006_revise_names_sv_en")
    tables = {"theme": names.THEMES, "subtheme": names.SUBTHEMES, "period": names.PERIODS}
    for (kind, key), first in migration.FIRST_VERSIONS.items():
        current = tables[kind][key]
        for old, new in zip(first, current, strict=True):
            assert old is None or old != new, (key, old)


def test_a_fresh_import_writes_the_revised_names(seeded_db):
    for kind, model in (("theme", Theme), ("subtheme", Subtheme), ("period", Period)):
        for obj in model.objects.all():
            expected = names.seed_names(obj, kind)
            assert {"name_sv": obj.name_sv, "name_en": obj.name_en} == expected, obj.name


def test_the_seed_gets_swedish_and_english_introductions(seeded_db):
    # Every theme and subtheme of the seed has an introduction in Finnish, and the importer gives
    # the Swedish and English ones as well.
    for model in (Theme, Subtheme):
        assert not model.objects.filter(description="").exists()
        assert not model.objects.filter(description_sv="").exists()
        assert not model.objects.filter(description_en="").exists()
    theme_a = Theme.objects.get(code="A")
    assert theme_a.intro_in("sv").text.startswith("I de projekt som Zoomi-projektet koordinerar")
    assert theme_a.intro_in("en").language == "en" and not theme_a.intro_in("en").notice
    # The paragraphs stay paragraphs in every language.
    subtheme = Subtheme.objects.get(theme__code="A", name="Hakeutumisen ohjauspalvelut")
    assert subtheme.description.count("\n\n") == subtheme.description_sv.count("\n\n") == subtheme.description_en.count("\n\n")


def test_the_intro_migration_fills_only_empty_introductions(placed):
    theme, subtheme, _period, _practice = placed
    Theme.objects.filter(pk=theme.pk).update(description="Johdanto.", description_sv="Egen inledning.", description_en="")
    Subtheme.objects.filter(pk=subtheme.pk).update(description_sv="", description_en="")
    migration = importlib.import_module("methodbank.catalog.migrations.0008_seed_intros_sv_en")
    migration.fill(django_apps, None)
    theme.refresh_from_db()
    assert theme.description_sv == "Egen inledning."
    assert theme.description_en.startswith("The projects coordinated by the Zoomi project")
    subtheme.refresh_from_db()
    assert subtheme.description_sv.startswith("Att skapa öppna lärmiljöer")
    assert subtheme.description_en.startswith("Creating open learning environments")
