"""Content in the visitor's language: translated entries and projects, and the notice when a
translation is missing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from methodbank.catalog import translations
from methodbank.catalog.models import PracticeTranslation

from .factories import (
    PlacementFactory,
    PracticeFactory,
    PracticeTranslationFactory,
    ProjectFactory,
    ProjectTranslationFactory,
    catalog_clear,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_catalog(db):
    catalog_clear()


def url_in(code, name, **kwargs):
    with translation.override(code):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def entry():
    practice = PracticeFactory(
        title="Opinto-ohjaajan jalkautuminen",
        slug="jalkautuminen",
        summary="Opinto-ohjaaja kulkee nuoren rinnalla.",
        goal_and_target_group="Perusopetuksen päättävät nuoret.",
        resources="Yksi opinto-ohjaaja.",
        language="fi",
    )
    PlacementFactory(practice=practice)
    return practice


def test_a_translated_entry_is_shown_in_the_visitors_language(client, entry):
    PracticeTranslationFactory(
        practice=entry,
        language="sv",
        title="Studiehandledaren på plats",
        summary="Studiehandledaren går vid den ungas sida.",
        goal_and_target_group="Unga som avslutar den grundläggande utbildningen.",
    )
    html = client.get(url_in("sv", "catalog:practice", slug=entry.slug)).content.decode()
    assert '<h1 lang="sv">Studiehandledaren på plats</h1>' in html
    assert '<div lang="sv"><p>Studiehandledaren går vid den ungas sida.</p></div>' in html
    assert "Unga som avslutar den grundläggande utbildningen." in html
    assert "finns inte på svenska" not in html
    # A section the translator left empty shows the original, marked as Finnish for screen readers.
    assert '<div lang="fi"><p>Yksi opinto-ohjaaja.</p></div>' in html
    # The Finnish page still shows the original and offers the Swedish version.
    fi_html = client.get(url_in("fi", "catalog:practice", slug=entry.slug)).content.decode()
    assert '<h1 lang="fi">Opinto-ohjaajan jalkautuminen</h1>' in fi_html
    assert "Saatavilla myös:" in fi_html
    assert f'<a href="/sv/menetelmat/{entry.slug}/" lang="sv" hreflang="sv">Svenska</a>' in fi_html


def test_an_untranslated_entry_says_so_and_shows_the_original(client, entry):
    html = client.get(url_in("sv", "catalog:practice", slug=entry.slug)).content.decode()
    assert '<html lang="sv">' in html
    assert "Den här metoden finns inte på svenska; den visas på finska." in html
    assert '<h1 lang="fi">Opinto-ohjaajan jalkautuminen</h1>' in html
    assert '<div lang="fi"><p>Opinto-ohjaaja kulkee nuoren rinnalla.</p></div>' in html
    en_html = client.get(url_in("en", "catalog:practice", slug=entry.slug)).content.decode()
    assert "This entry is not available in English; shown in Finnish." in en_html
    # In its own language there is nothing to explain.
    fi_html = client.get(url_in("fi", "catalog:practice", slug=entry.slug)).content.decode()
    assert "ei ole saatavilla" not in fi_html


def test_a_swedish_original_is_shown_with_a_notice_on_the_finnish_site(client):
    practice = PracticeFactory(title="Smidiga övergångar i Svenskfinland", slug="smidiga", language="sv")
    PlacementFactory(practice=practice)
    html = client.get(url_in("fi", "catalog:practice", slug="smidiga")).content.decode()
    assert "Tätä menetelmää ei ole saatavilla suomeksi; se näytetään ruotsiksi." in html
    assert '<h1 lang="sv">Smidiga övergångar i Svenskfinland</h1>' in html


def test_project_description_in_the_visitors_language(client):
    translated = ProjectFactory(name="Siirtymät sujuviksi", slug="sisu", description="Hanke tukee nivelvaihetta.")
    ProjectTranslationFactory(project=translated, language="en", description="The project supports transitions.")
    plain = ProjectFactory(name="Oppimisen tuki", slug="tuki", description="Tukea oppimiseen.")

    html = client.get(url_in("en", "catalog:project", slug="sisu")).content.decode()
    assert '<div lang="en"><p>The project supports transitions.</p></div>' in html
    # No English name was given: the Finnish name stays, marked as Finnish.
    assert '<span lang="fi">Siirtymät sujuviksi</span>' in html
    assert "not available in English" not in html

    html = client.get(url_in("en", "catalog:project", slug=plain.slug)).content.decode()
    assert "This project description is not available in English; shown in Finnish." in html
    assert '<div lang="fi"><p>Tukea oppimiseen.</p></div>' in html


def test_a_translation_in_the_entrys_own_language_is_refused(entry):
    with pytest.raises(ValidationError) as excinfo:
        PracticeTranslation(practice=entry, language="fi", title="Kopio").full_clean()
    assert "language" in excinfo.value.message_dict


def test_one_translation_per_language(entry):
    from django.db import IntegrityError, transaction

    PracticeTranslationFactory(practice=entry, language="en")
    with pytest.raises(IntegrityError), transaction.atomic():
        PracticeTranslationFactory(practice=entry, language="en")


def test_texts_by_language_give_search_each_language_separately(entry):
    PracticeTranslationFactory(practice=entry, language="sv", title="Studiehandledaren på plats", summary="")
    texts = translations.practice_texts_by_language(practice=entry)
    assert set(texts) == {"fi", "sv"}
    assert texts["fi"]["title"] == "Opinto-ohjaajan jalkautuminen"
    assert texts["sv"]["title"] == "Studiehandledaren på plats"
    # Only text written in Swedish: the untranslated summary is not the Finnish one.
    assert texts["sv"]["summary"] == "" and texts["sv"]["resources"] == ""
    assert list(texts["fi"]) == PracticeTranslation.TRANSLATED_FIELDS


def test_content_follows_the_active_language_by_default(entry):
    PracticeTranslationFactory(practice=entry, language="en", title="Guidance counsellor on the move")
    with translation.override("en"):
        content = translations.practice_content(practice=entry)
    assert str(content.title) == "Guidance counsellor on the move" and content.title.language == "en"
    assert content.language == "en" and content.is_translation and not content.notice
    assert content.other_languages == ["fi"]
    with translation.override("sv"):
        content = translations.practice_content(practice=entry)
        assert content.language == "fi"
        assert str(content.notice) == "Den här metoden finns inte på svenska; den visas på finska."
        assert str(content.sections[0][0]) == "Mål och målgrupp"


def test_translations_cost_no_extra_queries_per_language(client, entry):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = url_in("sv", "catalog:practice", slug=entry.slug)

    def queries():
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    queries()  # the first request warms per-process lookups
    before = queries()
    PracticeTranslationFactory(practice=entry, language="sv")
    PracticeTranslationFactory(practice=entry, language="en")
    assert queries() == before


def test_lists_show_titles_in_the_visitors_language(client, entry):
    PracticeTranslationFactory(practice=entry, language="sv", title="Studiehandledaren på plats", summary="")
    other = PracticeFactory(title="Oppimisen tuki", slug="tuki", project=entry.project)
    PlacementFactory(practice=other, subtheme=entry.placements.get().subtheme)
    theme_url = entry.placements.get().theme.get_absolute_url().replace("/fi/", "/sv/")
    html = client.get(theme_url).content.decode()
    assert '<a href="/sv/menetelmat/jalkautuminen/" lang="sv">Studiehandledaren på plats</a>' in html
    # No Swedish summary: the Finnish one, marked as Finnish.
    assert '<p class="entry__summary" lang="fi">Opinto-ohjaaja kulkee nuoren rinnalla.</p>' in html
    assert '<a href="/sv/menetelmat/tuki/" lang="fi">Oppimisen tuki</a>' in html
    project_html = client.get(entry.project.get_absolute_url().replace("/fi/", "/sv/")).content.decode()
    assert "Studiehandledaren på plats" in project_html
    # The Finnish list keeps the original.
    assert "Opinto-ohjaajan jalkautuminen" in client.get(theme_url.replace("/sv/", "/fi/")).content.decode()


def test_project_names_follow_the_visitors_language_on_every_page(client, entry):
    from .factories import KeywordFactory

    project = entry.project
    ProjectTranslationFactory(project=project, language="sv", name="Smidiga övergångar-projektet")
    keyword = KeywordFactory(name="ohjaus", slug="ohjaus")
    entry.keywords.add(keyword)
    model = PracticeFactory(title="Malli", slug="malli", kind="model", project=project)
    entry.applies_model = model
    entry.save()
    swedish = '<span lang="sv">Smidiga övergångar-projektet</span>'

    page = client.get(url_in("sv", "catalog:practice", slug=entry.slug)).content.decode()
    assert f'<a href="/sv/hankkeet/{project.slug}/">Smidiga övergångar-projektet</a>' in page
    project_list = client.get(url_in("sv", "catalog:project_list")).content.decode()
    assert f'<a href="/sv/hankkeet/{project.slug}/">Smidiga övergångar-projektet</a>' in project_list
    keyword_page = client.get(url_in("sv", "catalog:keyword", slug="ohjaus")).content.decode()
    assert '<span class="entry__project">(Smidiga övergångar-projektet)</span>' in keyword_page
    theme_page = client.get(entry.placements.get().theme.get_absolute_url().replace("/fi/", "/sv/")).content.decode()
    assert '<span class="entry__project">(Smidiga övergångar-projektet)</span>' in theme_page
    # The entry page's list of applications and the model's page list the project in Swedish too.
    model_page = client.get(url_in("sv", "catalog:practice", slug="malli")).content.decode()
    assert '<span class="entry__project">(Smidiga övergångar-projektet)</span>' in model_page

    # English: no English name, so the Finnish name, marked as Finnish.
    page = client.get(url_in("en", "catalog:practice", slug=entry.slug)).content.decode()
    assert f'<span lang="fi">{project.name}</span></a>' in page
    # Finnish: the Finnish name, no lang attribute needed.
    page = client.get(url_in("fi", "catalog:practice", slug=entry.slug)).content.decode()
    assert f'<a href="/fi/hankkeet/{project.slug}/">{project.name}</a>' in page and swedish not in page


def test_project_name_helper_uses_only_prefetched_translations(entry, django_assert_num_queries):
    from methodbank.catalog.models import Project

    ProjectTranslationFactory(project=entry.project, language="en", name="Transitions project")
    plain = Project.objects.get(pk=entry.project.pk)
    with django_assert_num_queries(0):
        assert translations.project_name(project=plain, language="en") == translations.Text(plain.name, "fi")
    prefetched = Project.objects.prefetch_related("translations").get(pk=entry.project.pk)
    with django_assert_num_queries(0):
        assert translations.project_name(project=prefetched, language="en") == translations.Text(
            "Transitions project", "en"
        )
        assert translations.project_name(project=prefetched, language="sv").text == plain.name
        assert translations.project_name(project=prefetched, language="fi").language == "fi"


def test_theme_and_subtheme_introductions_in_the_visitors_language_or_finnish_with_a_notice(client):
    from .factories import SubthemeFactory, ThemeFactory

    theme = ThemeFactory(code="A", description="Suomenkielinen johdanto.", description_en="The English introduction.")
    subtheme = SubthemeFactory(theme=theme, description="Osateeman johdanto.")

    english = client.get(url_in("en", "catalog:theme", slug=theme.slug)).content.decode()
    assert '<div class="intro"><p>The English introduction.</p></div>' in english
    assert "not available in English" not in english

    swedish = client.get(url_in("sv", "catalog:theme", slug=theme.slug)).content.decode()
    assert "Den här inledningen finns inte på svenska; den visas på finska." in swedish
    assert '<div class="intro" lang="fi"><p>Suomenkielinen johdanto.</p></div>' in swedish

    finnish = client.get(url_in("fi", "catalog:theme", slug=theme.slug)).content.decode()
    assert '<div class="intro"><p>Suomenkielinen johdanto.</p></div>' in finnish and 'role="note"' not in finnish

    sub_en = client.get(url_in("en", "catalog:subtheme", theme=theme.slug, slug=subtheme.slug)).content.decode()
    assert '<div class="intro" lang="fi"><p>Osateeman johdanto.</p></div>' in sub_en
    assert "This introduction is not available in English; shown in Finnish." in sub_en

