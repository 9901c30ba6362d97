"""Translations are searchable, each language analysed with its own analyser, and a hit is shown in
the visitor's language."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from methodbank.catalog.tests.factories import (
    PracticeFactory,
    PracticeTranslationFactory,
    ProjectFactory,
    ProjectTranslationFactory,
)
from methodbank.search.analysis import index_terms
from methodbank.search.indexing import practice_document_fields, term_frequencies
from methodbank.search.models import SearchDocument, SearchPosting, SearchTerm
from methodbank.search.selectors import search_entries, search_hits

pytestmark = pytest.mark.django_db


def found(text, language="fi"):
    return [e.practice_id for e in search_entries(text=text, language=language).entries]


@pytest.fixture
def nopo():
    practice = PracticeFactory(
        title="Nivelvaiheen ohjausmalli",
        summary="Opinto-ohjaaja tukee nuorta siirtymässä toiselle asteelle.",
        content_and_actions="Ohjauskeskustelut ja tutustumispäivät.",
    )
    PracticeTranslationFactory(
        practice=practice,
        language="sv",
        title="Handledningsmodell för övergångsskedet",
        summary="Studiehandledaren stöder den unga i övergången till andra stadiet.",
        content_and_actions="Handledningssamtal och bekantningsdagar.",
    )
    PracticeTranslationFactory(
        practice=practice,
        language="en",
        title="Transition guidance model",
        summary="The guidance counsellor supports young people moving on to upper secondary education.",
        content_and_actions="",
    )
    return practice


def test_each_language_version_is_analysed_with_its_own_analyser(nopo):
    fields = practice_document_fields(nopo)
    fi, en, sv = fields.summary.split("\n\n")  # the original first, then by language code
    assert "opintoohjaaja" in fi.split()  # Voikko: base form of the compound
    assert "ohjaaja" in fi.split()  # and its last part
    assert "studiehandled" in sv.split()  # Swedish Snowball: "Studiehandledaren"
    assert "counsellor" in en.split() and "guidanc" in en.split()  # English Snowball
    assert fields.language == "fi"


def test_a_swedish_or_english_query_finds_the_translation(nopo):
    other = PracticeFactory(title="Työpaikkaohjaajan opas", summary="Opas työpaikalle.")
    assert found("studiehandledare", "sv") == [nopo.pk]
    assert found("handledningssamtal", "sv") == [nopo.pk]
    assert found("guidance counsellor", "en") == [nopo.pk]
    assert found('"guidance counsellor"', "en") == [nopo.pk]
    # Finnish queries work as before, and find nothing in the translations by accident.
    assert found("opinto-ohjaajalle") == [nopo.pk]
    assert found("oppaat") == [other.pk]


def test_term_frequency_is_that_of_the_best_version_not_the_sum(nopo):
    # "nopo" stays the same in every language: it counts once, as in a one-language entry.
    nopo.title = "NOPO ohjausmalli"
    nopo.save()
    translation_sv = nopo.translations.get(language="sv")
    translation_sv.title = "NOPO handledningsmodell"
    translation_sv.save()
    posting = SearchPosting.objects.get(practice=nopo, term="nopo")
    assert (posting.tf_title, posting.tf_summary, posting.tf_body) == (1, 0, 0)
    assert term_frequencies("a b\n\na a", "", "")["a"] == [2, 0, 0]
    # The field length is the longest version's, not the sum of the versions.
    document = SearchDocument.objects.get(practice=nopo)
    assert document.title_len == max(len(v.split()) for v in document.title_terms.split("\n\n"))


def test_translation_hit_ranks_above_a_thesaurus_expansion_and_below_nothing_else(nopo):
    # The seed thesaurus joins opinto-ohjaaja, studiehandledare and guidance counsellor.
    finnish_only = PracticeFactory(title="Opinto-ohjaaja verkossa", summary="Opinto-ohjaaja vastaa chatissa.")
    ranked = found("studiehandledare", "sv")
    # Both are found (the Finnish entry through the thesaurus); the Swedish text itself ranks first.
    assert ranked[:2] == [nopo.pk, finnish_only.pk]


def test_saving_and_deleting_a_translation_reindexes_the_entry(nopo):
    assert found("bekantningsdagar", "sv") == [nopo.pk]
    translation_sv = nopo.translations.get(language="sv")
    translation_sv.content_and_actions = "Studiebesök på yrkesinstitutet."
    translation_sv.save()
    assert found("bekantningsdagar", "sv") == []
    assert found("studiebesök", "sv") == [nopo.pk]
    translation_sv.delete()
    # (The thesaurus still leads "studiehandledare" to the Finnish "opinto-ohjaaja".)
    assert not SearchPosting.objects.filter(practice=nopo, term__in=index_terms("studiebesök", "sv")).exists()
    assert not SearchTerm.objects.filter(term="studiehandled").exists()
    assert found("counsellor", "en") == [nopo.pk]


def test_deleting_a_translated_entry_leaves_nothing_behind(nopo):
    nopo.delete()
    assert not SearchDocument.objects.exists()
    assert not SearchPosting.objects.exists()
    assert not SearchTerm.objects.filter(term="studiehandled").exists()


def test_a_translated_project_name_is_indexed_in_its_language():
    project = ProjectFactory(name="Lumiukkohanke")
    practice = PracticeFactory(title="Malli", project=project)
    project_translation = ProjectTranslationFactory(project=project, language="sv", name="Snögubbsprojektet")
    assert found("snögubbsprojektet", "sv") == [practice.pk]
    project_translation.delete()
    assert found("snögubbsprojektet", "sv") == []


def test_rebuild_indexes_the_translations(nopo):
    SearchDocument.objects.all().delete()
    SearchPosting.objects.all().delete()
    call_command("rebuild_search_index", verbosity=0)
    assert found("studiehandledare", "sv") == [nopo.pk]
    assert found("counsellor", "en") == [nopo.pk]


def test_hits_show_the_visitors_language(nopo):
    results = search_entries(text="studiehandledare", language="sv")
    [hit] = search_hits(results, results.entries, language="sv")
    assert str(hit.title_html) == "Handledningsmodell för övergångsskedet"
    assert "<mark>Studiehandledaren</mark>" in hit.snippet_html
    assert "lang=" not in hit.snippet_html  # already the page's language

    results = search_entries(text="ohjausmalli", language="fi")
    [hit] = search_hits(results, results.entries, language="en")
    # An English visitor sees the English title even when the words were found in the Finnish one.
    assert "Transition guidance model" in hit.title_html
    assert 'lang="fi"' not in hit.title_html

    # ("ohjauskeskustelut" is no longer found only in Finnish: the vocabulary names it
    # handledningssamtal, which the Swedish version has.)
    results = search_entries(text="tutustumispäivät", language="sv")
    [hit] = search_hits(results, results.entries, language="sv")
    # Found only in the Finnish original: the passage shown is that one, tagged as Finnish.
    assert '<span lang="fi">' in hit.snippet_html and "<mark>tutustumispäivät</mark>" in hit.snippet_html


def test_search_page_in_swedish_shows_the_swedish_title(client, nopo):
    with translation.override("sv"):
        url = reverse("search:search")
    response = client.get(url, {"q": "studiehandledare"})
    html = response.content.decode()
    assert "Handledningsmodell för övergångsskedet" in html
    assert "<mark>Studiehandledaren</mark>" in html


def test_search_page_shows_the_project_name_in_the_visitors_language(client, nopo):
    project = nopo.project
    project.name = "Sujuvat siirtymät -hanke"
    project.save()
    ProjectTranslationFactory(project=project, language="sv", name="Smidiga övergångar-projektet")
    untranslated = PracticeFactory(
        title="Ohjausmalli verkossa",
        summary="Ohjausmalli chatissa.",
        project=ProjectFactory(name="Verkko-ohjaushanke"),
    )

    def page(code):
        with translation.override(code):
            url = reverse("search:search")
        return client.get(url, {"q": "ohjausmalli"}).content.decode()

    html = page("sv")
    # The result's project line is in Swedish; the facet lists it in Swedish too.
    assert '<span class="entry__project">Smidiga övergångar-projektet</span>' in html
    assert "Sujuvat siirtymät -hanke" not in html
    # A project without a Swedish name keeps its own, marked as Finnish for screen readers.
    assert '<span class="entry__project"><span lang="fi">Verkko-ohjaushanke</span></span>' in html
    assert '<span lang="fi">Verkko-ohjaushanke</span> <span class="facet__count">' in html
    assert untranslated.project.slug in html

    html = page("fi")
    assert '<span class="entry__project">Sujuvat siirtymät -hanke</span>' in html
    assert "Smidiga övergångar-projektet" not in html
    # English: no English name, so the Finnish one, with lang="fi".
    assert '<span class="entry__project"><span lang="fi">Sujuvat siirtymät -hanke</span></span>' in page("en")


def test_search_hits_load_project_names_in_a_fixed_number_of_queries(nopo, django_assert_num_queries):
    for n in range(4):
        project = ProjectFactory(name=f"Ohjaushanke {n}")
        ProjectTranslationFactory(project=project, language="sv", name=f"Handledningsprojekt {n}")
        PracticeFactory(title=f"Ohjausmalli {n}", project=project)
    results = search_entries(text="ohjausmalli", language="sv")
    with django_assert_num_queries(3):  # entries, their translations, their projects' translations
        hits = search_hits(results, results.entries, language="sv")
    from methodbank.catalog.translations import project_name

    with translation.override("sv"):
        names = sorted(str(project_name(project=hit.practice.project)) for hit in hits)
    assert "Handledningsprojekt 3" in names
