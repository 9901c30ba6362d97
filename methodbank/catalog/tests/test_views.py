"""The public catalog pages, built from factories: what a visitor sees, and what it costs."""

import pytest
from django.urls import reverse
from django.utils import translation

from methodbank.catalog.models import PracticeKind, ProjectScope, PublicationStatus

from .factories import (
    KeywordFactory,
    ModelPracticeFactory,
    OldPeriodFactory,
    PeriodFactory,
    PlacementFactory,
    PracticeFactory,
    PracticeLinkFactory,
    ProjectFactory,
    SubthemeFactory,
    ThemeFactory,
    catalog_clear,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_catalog(request, db):
    # Factory-built tests start from an empty catalog even after the seed was imported.
    if "seeded_db" not in request.fixturenames:
        catalog_clear()


@pytest.fixture
def catalog():
    """Two subthemes under theme A, a model, good practices in both periods, and a draft."""
    theme = ThemeFactory(code="A", name="Sujuva siirtymä koulutukseen", slug="a-sujuva-siirtyma")
    sub1 = SubthemeFactory(theme=theme, name="Hakeutumisen ohjauspalvelut", slug="hakeutumisen-ohjaus", position=1)
    sub2 = SubthemeFactory(theme=theme, name="Avoimet oppimisympäristöt", slug="avoimet", position=2)
    new, old = PeriodFactory(), OldPeriodFactory()
    project = ProjectFactory(name="Siirtymät sujuviksi (SISU)", slug="sisu", themes=[theme])
    keyword = KeywordFactory(name="sujuvat siirtymät", slug="sujuvat-siirtymat")
    model = ModelPracticeFactory(title="NOPO – nivelvaiheen malli", slug="nopo", project=project, keywords=[keyword])
    PlacementFactory(practice=model, subtheme=sub1, period=old)
    new_gp = PracticeFactory(title="Uusi käytäntö", slug="uusi", project=project, applies_model=model,
                             keywords=[keyword])
    PlacementFactory(practice=new_gp, subtheme=sub1, period=new)
    old_gp = PracticeFactory(title="Vanha käytäntö", slug="vanha", project=project, keywords=[keyword])
    PlacementFactory(practice=old_gp, subtheme=sub1, period=old)
    # Listed twice in the report: one entry, two placements.
    twice = PracticeFactory(title="Kahdesti listattu", slug="kahdesti", project=project)
    PlacementFactory(practice=twice, subtheme=sub1, period=old)
    PlacementFactory(practice=twice, subtheme=sub2, period=old)
    draft = PracticeFactory(title="Luonnos ei näy", slug="luonnos", project=project,
                            status=PublicationStatus.DRAFT, published_at=None, keywords=[keyword])
    PlacementFactory(practice=draft, subtheme=sub1, period=new)
    return {"theme": theme, "sub1": sub1, "sub2": sub2, "project": project, "model": model,
            "new_gp": new_gp, "old_gp": old_gp, "twice": twice, "draft": draft, "keyword": keyword}


def test_home_shows_theme_counts_of_distinct_published_entries(client, catalog):
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    theme = next(t for t in response.context["themes"] if t.code == "A")
    # One model; three good practices (the twice-listed one counts once, the draft not at all).
    assert (theme.model_count, theme.good_practice_count) == (1, 3)
    assert response.context["totals"]["entries"] == 4
    assert "Luonnos ei näy" not in response.content.decode()


def test_home_keyword_cloud_counts_published_entries_and_links_to_keyword_page(client, catalog):
    response = client.get(reverse("core:home"))
    cloud = response.context["cloud"]
    assert [(c.keyword.name, c.count) for c in cloud] == [("sujuvat siirtymät", 3)]
    assert reverse("catalog:keyword", args=["sujuvat-siirtymat"]) in response.content.decode()


def test_keyword_page_lists_its_published_entries_only(client, catalog):
    response = client.get(reverse("catalog:keyword", args=["sujuvat-siirtymat"]))
    assert response.status_code == 200
    # Models first, then good practices, newest first (the factories publish them in creation order).
    assert [[e.slug for e in g.entries] for g in response.context["groups"]] == [["nopo"], ["vanha", "uusi"]]
    assert response.context["page"].paginator.count == 3


def test_unapproved_keyword_has_no_page(client, catalog):
    KeywordFactory(name="ehdotus", slug="ehdotus", approved=False)
    assert client.get(reverse("catalog:keyword", args=["ehdotus"])).status_code == 404


def test_theme_page_previews_each_subtheme_and_links_to_its_full_list(client, catalog):
    response = client.get(catalog["theme"].get_absolute_url())
    assert response.status_code == 200
    first = response.context["sections"][0]
    assert first.subtheme == catalog["sub1"]
    assert [m.slug for m in first.models] == ["nopo"]
    # The newest good practices first; the draft is not among them.
    assert [p.slug for p in first.newest] == ["kahdesti", "vanha", "uusi"]
    assert (first.model_count, first.good_practice_count) == (1, 3)
    html = response.content.decode()
    assert html.index("NOPO") < html.index("Kahdesti listattu") < html.index("Vanha käytäntö")
    assert f'href="{catalog["sub1"].get_absolute_url()}">Näytä kaikki osateeman Hakeutumisen ohjauspalvelut 4 kohdetta' in html
    assert "Luonnos ei näy" not in html
    assert html.count("<h1") == 1
    # The project is named in parentheses after each entry.
    assert "(Siirtymät sujuviksi (SISU))" in html


def test_theme_page_shows_a_bounded_preview_with_counts_of_the_whole_subtheme(client, catalog):
    from methodbank.catalog.selectors import PREVIEW_SIZE

    for number in range(PREVIEW_SIZE + 4):
        PlacementFactory(practice=PracticeFactory(title=f"Lisäkäytäntö {number:02}"), subtheme=catalog["sub2"])
        PlacementFactory(practice=ModelPracticeFactory(title=f"Lisämalli {number:02}"), subtheme=catalog["sub2"])
    response = client.get(catalog["theme"].get_absolute_url())
    second = response.context["sections"][1]
    assert len(second.models) == len(second.newest) == PREVIEW_SIZE
    assert [p.title for p in second.newest] == [f"Lisäkäytäntö {n:02}" for n in range(PREVIEW_SIZE + 3, 3, -1)]
    assert (second.model_count, second.good_practice_count) == (PREVIEW_SIZE + 4, PREVIEW_SIZE + 5)
    html = response.content.decode()
    assert "Uusimmat mallit" in html and "Uusimmat hyvät käytännöt" in html
    assert f"Näytä kaikki osateeman Avoimet oppimisympäristöt {2 * PREVIEW_SIZE + 9} kohdetta" in html
    # The theme's own counts are of distinct entries: the twice-listed one counts once.
    assert response.context["counts"] == {"models": PREVIEW_SIZE + 5, "good_practices": PREVIEW_SIZE + 7}


def test_twice_listed_entry_appears_under_both_subthemes(client, catalog):
    response = client.get(catalog["theme"].get_absolute_url())
    sections = {s.subtheme.slug: s for s in response.context["sections"]}
    assert "kahdesti" in [p.slug for p in sections["avoimet"].newest]
    assert response.context["counts"]["good_practices"] == 3


def test_subtheme_page_lists_models_first_then_good_practices_by_period_newest_first(client, catalog):
    response = client.get(catalog["sub1"].get_absolute_url())
    assert response.status_code == 200
    groups = response.context["groups"]
    assert [(g.is_models, g.period.code if g.period else None) for g in groups] == [
        (True, None), (False, "2019-2021"), (False, "2015-2019")
    ]
    assert [[p.slug for p in g.entries] for g in groups] == [["nopo"], ["uusi"], ["kahdesti", "vanha"]]
    assert response.context["counts"] == {"models": 1, "good_practices": 3, "good_practice_rows": 3}
    html = response.content.decode()
    assert html.index("NOPO") < html.index("Uusi käytäntö") < html.index("Vanha käytäntö")
    assert "Luonnos ei näy" not in html


def test_subtheme_page(client, catalog):
    response = client.get(catalog["sub2"].get_absolute_url())
    assert response.status_code == 200
    assert [p.slug for g in response.context["groups"] for p in g.entries] == ["kahdesti"]


def test_unknown_theme_and_subtheme_are_404(client, catalog):
    assert client.get(reverse("catalog:theme", args=["x"])).status_code == 404
    assert client.get(reverse("catalog:subtheme", args=[catalog["theme"].slug, "x"])).status_code == 404


def test_entry_page_shows_fields_placements_project_and_model(client, catalog):
    practice = catalog["new_gp"]
    practice.goal_and_target_group = "Nuoret nivelvaiheessa."
    practice.save()
    response = client.get(practice.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nuoret nivelvaiheessa." in html
    assert catalog["project"].get_absolute_url() in html
    assert catalog["project"].lead.name in html
    assert catalog["model"].get_absolute_url() in html
    assert catalog["sub1"].get_absolute_url() in html
    assert 'class="breadcrumbs"' in html


def test_missing_sections_box_lists_exactly_the_empty_sections(client, catalog):
    practice = catalog["new_gp"]
    practice.goal_and_target_group = "Tavoite."
    practice.resources = "Resurssit."
    practice.save()
    PracticeLinkFactory(practice=practice)
    response = client.get(practice.get_absolute_url())
    html = response.content.decode()
    box = html[html.index('class="missing"'):]
    box = box[: box.index("</section>")]
    expected_missing = ["Content and actions", "Deployment: staff motivation and onboarding",
                        "Deployment: marketing", "Deployment: onboarding materials",
                        "Results and indicators", "Contacts"]
    items = [part.split("</li>")[0] for part in box.split("<li>")[1:]]
    assert items == [str(h) for h in practice.missing_sections()]
    assert len(items) == len(expected_missing)
    assert "Goal and target group" not in box and "Resources" not in box
    assert "Links and attachments" not in box


def test_fully_described_entry_has_no_missing_box(client, catalog):
    practice = catalog["old_gp"]
    for name, _heading in practice.TEMPLATE_FIELDS:
        setattr(practice, name, f"Teksti {name}")
    practice.save()
    PracticeLinkFactory(practice=practice)
    html = client.get(practice.get_absolute_url()).content.decode()
    assert 'class="missing"' not in html


def test_model_page_lists_the_practices_that_apply_it(client, catalog):
    draft_application = catalog["draft"]
    draft_application.applies_model = catalog["model"]
    draft_application.save()
    response = client.get(catalog["model"].get_absolute_url())
    assert [p.slug for p in response.context["practice"].published_applications] == ["uusi"]


@pytest.mark.parametrize("status", [PublicationStatus.DRAFT, PublicationStatus.SUBMITTED, PublicationStatus.ARCHIVED])
def test_unpublished_entry_is_404(client, catalog, status):
    draft = catalog["draft"]
    draft.status = status
    draft.save()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_project_list_filters_by_scope_and_theme(client, catalog):
    theme_b = ThemeFactory(code="B", name="Ohjaus", slug="b-ohjaus")
    ProjectFactory(name="Alueellinen hanke", slug="alueellinen", scope=ProjectScope.REGIONAL, themes=[theme_b])
    ProjectFactory(name="Luonnoshanke", slug="luonnoshanke", status=PublicationStatus.DRAFT)
    url = reverse("catalog:project_list")

    all_names = [p.name for p in client.get(url).context["projects"]]
    assert "Luonnoshanke" not in all_names and len(all_names) == 2
    sisu = next(p for p in client.get(url).context["projects"] if p.slug == "sisu")
    assert sisu.entry_count == 4  # published entries only
    assert [p.slug for p in client.get(url, {"scope": "regional"}).context["projects"]] == ["alueellinen"]
    assert [p.slug for p in client.get(url, {"theme": "A"}).context["projects"]] == ["sisu"]
    assert client.get(url, {"scope": "national", "theme": "B"}).context["projects"] == []
    # An unknown value is ignored instead of silently emptying the list.
    assert len(client.get(url, {"scope": "bogus"}).context["projects"]) == 2
    html = client.get(url).content.decode()
    assert "12/2017" in html and '<label for="filter-scope">' in html


def test_project_page_shows_its_published_models_and_practices(client, catalog):
    response = client.get(catalog["project"].get_absolute_url())
    assert response.status_code == 200
    assert [[p.slug for p in g.entries] for g in response.context["groups"]] == [["nopo"], ["kahdesti", "uusi", "vanha"]]
    assert response.context["counts"] == {"models": 1, "good_practices": 3}
    html = response.content.decode()
    assert "12/2017" in html and "Kestävää kasvua ja työtä" in html


def test_draft_project_is_404(client):
    project = ProjectFactory(status=PublicationStatus.DRAFT)
    assert client.get(project.get_absolute_url()).status_code == 404


def _bigger_catalog(catalog, n):
    for i in range(n):
        sub = SubthemeFactory(theme=catalog["theme"])
        project = ProjectFactory(themes=[catalog["theme"]])
        entry = PracticeFactory(project=project, keywords=[catalog["keyword"], KeywordFactory()])
        PlacementFactory(practice=entry, subtheme=sub)
        PracticeLinkFactory(practice=entry)
        ModelPracticeFactory(project=catalog["project"], applies_model=None)
        applying = PracticeFactory(project=project, applies_model=catalog["model"])
        PlacementFactory(practice=applying, subtheme=catalog["sub1"], period=OldPeriodFactory())
        if i % 2:
            PracticeFactory(kind=PracticeKind.MODEL, project=project)


@pytest.mark.parametrize("size", [1, 12])
def test_list_pages_cost_a_bounded_number_of_queries(client, catalog, django_assert_max_num_queries, size):
    _bigger_catalog(catalog, size)
    urls = [
        reverse("core:home"),
        catalog["theme"].get_absolute_url(),
        catalog["sub1"].get_absolute_url(),
        reverse("catalog:project_list"),
        catalog["project"].get_absolute_url(),
        catalog["model"].get_absolute_url(),
        catalog["new_gp"].get_absolute_url(),
        reverse("catalog:keyword", args=["sujuvat-siirtymat"]),
    ]
    entry_urls = {catalog["model"].get_absolute_url(), catalog["new_gp"].get_absolute_url()}
    for url in urls:
        # Entry pages also rank similar entries (a fixed 7 queries), show the evaluation status (3) and
        # the project names of the entry, its applications and the similar entries in the visitor's
        # language (one query per list, 3) and, on a model's page, its approved adoption records (1).
        # A listing page: the list's counts, one page of entries (models and good practices, each
        # with their titles in the visitor's language, each kind's page read by id first), the
        # evaluation status of its models. The front page computing its shared figures (none kept
        # yet) also reads and writes each one's copy in the database (core/shared_figures.py).
        budget = 21 if url in entry_urls else 16 if url == reverse("core:home") else 15
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200


def test_open_data_page_names_the_licence_and_links_the_downloads(client, settings):
    response = client.get(reverse("catalog:open_data"))
    html = response.content.decode()
    assert settings.OPEN_DATA_LICENCE in html and settings.OPEN_DATA_LICENCE_URL in html
    for what in ("entries", "projects"):
        for fmt in ("json", "csv"):
            assert reverse("catalog:open_data_download", args=[what, fmt]) in html


def test_search_box_goes_to_the_search_seam(client, catalog):
    html = client.get(reverse("core:home")).content.decode()
    assert f'action="{reverse("search:search")}"' in html


# ---------------------------------------------------------------------------------------------
# The real Zoomi 2020 catalog (read-only: these tests never write)
# ---------------------------------------------------------------------------------------------


def test_seed_every_public_page_renders(client, seeded_db):
    from methodbank.catalog.models import Keyword, Practice, Project, Subtheme, Theme

    urls = [reverse("core:home"), reverse("catalog:project_list"), reverse("catalog:open_data")]
    urls += [t.get_absolute_url() for t in Theme.objects.all()]
    urls += [s.get_absolute_url() for s in Subtheme.objects.select_related("theme")]
    urls += [p.get_absolute_url() for p in Project.objects.filter(status=PublicationStatus.PUBLISHED)]
    urls += [p.get_absolute_url() for p in Practice.objects.filter(status=PublicationStatus.PUBLISHED)]
    urls += [reverse("catalog:keyword", args=[k.slug]) for k in Keyword.objects.filter(approved=True)]
    urls += [f"{reverse('catalog:project_list')}?scope={s}&theme={t}" for s in ProjectScope.values for t in "ABCD"]
    assert len(urls) > 300
    failures = [(url, status) for url in urls if (status := client.get(url).status_code) != 200]
    assert failures == []


def test_seed_theme_pages_reach_every_published_entry_of_the_theme(client, seeded_db):
    """Every entry of a theme is on one of the pages of its subtheme's list, and the counts the
    theme page shows are those of the whole subtheme."""
    from methodbank.catalog.models import Placement, Theme

    for theme in Theme.objects.all():
        response = client.get(theme.get_absolute_url())
        shown = set()
        for section in response.context["sections"]:
            url, models, good_practices = section.subtheme.get_absolute_url(), set(), set()
            while url:
                page_response = client.get(url)
                assert page_response.status_code == 200, url
                for group in page_response.context["groups"]:
                    (models if group.is_models else good_practices).update(p.pk for p in group.entries)
                page = page_response.context["page"]
                url = page.next_url
            assert (len(models), len(good_practices)) == (section.model_count, section.good_practice_count)
            shown |= models | good_practices
        expected = set(
            Placement.objects.filter(theme=theme, practice__status=PublicationStatus.PUBLISHED).values_list(
                "practice_id", flat=True
            )
        )
        assert shown == expected and expected, theme.code
        assert sum(response.context["counts"].values()) == len(expected)
        home_theme = next(t for t in client.get(reverse("core:home")).context["themes"] if t.pk == theme.pk)
        assert home_theme.entry_count == len(expected)


def test_seed_pages_cost_a_bounded_number_of_queries(client, seeded_db, django_assert_max_num_queries):
    from methodbank.catalog.models import Practice, Project, Subtheme, Theme

    big_project = max(Project.objects.all(), key=lambda p: p.practices.count())
    model = Practice.objects.filter(kind=PracticeKind.MODEL).first()
    urls = [
        reverse("core:home"),
        Theme.objects.get(code="B").get_absolute_url(),
        max(Subtheme.objects.select_related("theme"), key=lambda s: s.placements.count()).get_absolute_url(),
        reverse("catalog:project_list"),
        big_project.get_absolute_url(),
        model.get_absolute_url(),
        Practice.objects.filter(kind=PracticeKind.GOOD_PRACTICE).first().get_absolute_url(),
    ]
    entry_urls = set(urls[-2:])
    for url in urls:
        # Entry pages also rank similar entries (a fixed 7 queries), show the evaluation status (3) and
        # the project names of the entry, its applications and the similar entries in the visitor's
        # language (one query per list, 3) and, on a model's page, its approved adoption records (1).
        # A listing page: the list's counts, one page of entries (models and good practices, each
        # with their titles in the visitor's language, each kind's page read by id first), the
        # evaluation status of its models. The front page computing its shared figures (none kept
        # yet) also reads and writes each one's copy in the database (core/shared_figures.py).
        budget = 21 if url in entry_urls else 16 if url == reverse("core:home") else 15
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200


def test_seed_twice_listed_entry_has_one_page_with_both_placements(client, seeded_db):
    from django.db.models import Count

    from methodbank.catalog.models import Practice

    twice = Practice.objects.annotate(n=Count("placements")).filter(n__gt=1).first()
    assert twice is not None
    html = client.get(twice.get_absolute_url()).content.decode()
    for placement in twice.placements.select_related("subtheme__theme"):
        assert placement.subtheme.get_absolute_url() in html


def test_theme_listing_shows_the_evaluation_status_of_models(client, catalog):
    import datetime

    from methodbank.evaluation.models import ExpertRecommendation, Outcome
    from methodbank.evaluation.tests.factories import EvaluationEventFactory

    model = catalog["model"]
    ExpertRecommendation.objects.create(
        event=EvaluationEventFactory(models_on_agenda=[model]), practice=model, outcome=Outcome.RECOMMENDED,
        rationale="Valtakunnallisesti levitettävissä.", decided_on=datetime.date(2026, 11, 30),
        evaluated_lock_version=model.lock_version, evaluated_updated_at=model.updated_at,
    )
    with translation.override("en"):
        html = client.get(catalog["theme"].get_absolute_url()).content.decode()
    assert html.count("badge--evaluation") == 1
    assert "Recommended for national dissemination" in html


def test_kind_badge_is_built_once_per_kind_and_language(monkeypatch):
    from methodbank.catalog.models import Practice, PracticeKind
    from methodbank.catalog.templatetags import catalog_tags

    monkeypatch.setattr(catalog_tags, "_KIND_BADGES", {}, raising=False)  # none kept yet
    built = []
    display = Practice.get_kind_display

    def counted(self):
        built.append((self.kind, translation.get_language()))
        return display(self)

    monkeypatch.setattr(Practice, "get_kind_display", counted)
    model, other = Practice(kind=PracticeKind.MODEL), Practice(kind=PracticeKind.MODEL)
    with translation.override("fi"):
        fi = [catalog_tags.kind_badge(model), catalog_tags.kind_badge(other)]
    with translation.override("en"):
        en = catalog_tags.kind_badge(model)
    assert fi[0] == fi[1] and fi[0] != en
    assert en == '<span class="badge badge--model">model</span>'
    assert built == [("model", "fi"), ("model", "en")]
