"""Selectors: published-only reads, grouping and counts."""

import pytest
from django.db.models import F
from django.http import Http404

from methodbank.catalog import selectors
from methodbank.catalog.models import Practice, PublicationStatus

from .factories import (
    KeywordFactory,
    ModelPracticeFactory,
    OldPeriodFactory,
    PeriodFactory,
    PlacementFactory,
    PracticeFactory,
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


def test_theme_counts_are_distinct_and_published_only():
    theme = ThemeFactory(code="C", slug="c")
    sub1, sub2 = SubthemeFactory(theme=theme), SubthemeFactory(theme=theme)
    twice = PracticeFactory()
    PlacementFactory(practice=twice, subtheme=sub1)
    PlacementFactory(practice=twice, subtheme=sub2, period=OldPeriodFactory())
    PlacementFactory(practice=ModelPracticeFactory(), subtheme=sub1, period=None)
    PlacementFactory(practice=PracticeFactory(status=PublicationStatus.SUBMITTED), subtheme=sub1)
    counted = next(t for t in selectors.theme_list_with_counts() if t.pk == theme.pk)
    assert (counted.model_count, counted.good_practice_count, counted.entry_count) == (1, 1, 2)
    assert selectors.catalog_totals() == {"models": 1, "good_practices": 1, "entries": 2, "projects": 3}


def test_subtheme_list_puts_entries_without_period_last_and_empty_subthemes_stay():
    theme = ThemeFactory(code="D", slug="d")
    sub, empty = SubthemeFactory(theme=theme, position=1), SubthemeFactory(theme=theme, position=2)
    PlacementFactory(practice=PracticeFactory(title="Ilman kautta"), subtheme=sub, period=None)
    PlacementFactory(practice=PracticeFactory(title="Vanha"), subtheme=sub, period=OldPeriodFactory())
    PlacementFactory(practice=PracticeFactory(title="Uusi"), subtheme=sub, period=PeriodFactory())
    groups = selectors.list_groups(selectors.subtheme_entries(subtheme=sub)[0:10])
    assert [[p.title for p in g.entries] for g in groups] == [["Uusi"], ["Vanha"], ["Ilman kautta"]]
    sections = selectors.theme_overview(theme=theme)
    assert [s.subtheme for s in sections] == [sub, empty]
    assert (sections[1].models, sections[1].newest, sections[1].entry_count) == ([], [], 0)


def test_model_placed_in_two_periods_of_a_subtheme_is_listed_and_counted_once():
    sub = SubthemeFactory()
    model = ModelPracticeFactory(title="Kahden kauden malli")
    PlacementFactory(practice=model, subtheme=sub, period=PeriodFactory())
    PlacementFactory(practice=model, subtheme=sub, period=OldPeriodFactory())
    entries = selectors.subtheme_entries(subtheme=sub)
    assert [p.title for p in entries[0:10]] == ["Kahden kauden malli"]
    assert selectors.subtheme_counts(subtheme=sub) == {"models": 1, "good_practices": 0, "good_practice_rows": 0}
    assert [m.title for m in selectors.theme_overview(theme=sub.theme)[0].models] == ["Kahden kauden malli"]


def test_subtheme_pages_read_by_segments_are_the_whole_lists_slices(monkeypatch):
    # Segments of two rows, so pages fall across segments, positions and periods.
    monkeypatch.setattr(selectors, "SEGMENT_ROWS", 2)
    sub = SubthemeFactory()
    new, old = PeriodFactory(), OldPeriodFactory()
    for number in range(13):
        period = (new, old, None)[number % 3]
        title = f"Käytäntö {number % 4}"  # titles repeat: the id settles the order
        PlacementFactory(practice=PracticeFactory(title=title, slug=f"kaytanto-{number}"), subtheme=sub, period=period, position=number % 5)
    PlacementFactory(practice=ModelPracticeFactory(title="Malli"), subtheme=sub, period=new)
    PlacementFactory(practice=PracticeFactory(status=PublicationStatus.SUBMITTED), subtheme=sub, period=new)
    whole = [p.practice.pk for p in selectors._published_placements_qs().filter(subtheme=sub, practice__kind="good_practice")
             .order_by(F("period__starts_on").desc(nulls_last=True), "position", "practice__title", "id")]
    entries = selectors.subtheme_entries(subtheme=sub)
    assert len(entries) == 1 + 13
    assert len(selectors._good_practice_segments(subtheme=sub)) > 3
    for per_page in (1, 3, 4, 14):
        pages = [entries[low : low + per_page] for low in range(0, 14, per_page)]
        listed = [item.pk if isinstance(item, Practice) else item.practice.pk for page in pages for item in page]
        assert listed == [Practice.objects.get(title="Malli").pk, *whole], per_page


def test_entry_without_subtheme_gets_its_own_section():
    theme = ThemeFactory(code="A", slug="a")
    PlacementFactory(practice=PracticeFactory(title="Teematasolla"), theme=theme, subtheme=None)
    sections = selectors.theme_overview(theme=theme)
    assert sections[-1].subtheme is None and sections[-1].good_practice_count == 1
    assert [p.practice.title for p in selectors.theme_loose_entries(theme=theme)] == ["Teematasolla"]


def test_unpublished_model_is_not_shown_as_applied_model():
    model = ModelPracticeFactory(status=PublicationStatus.ARCHIVED)
    practice = PracticeFactory(applies_model=model)
    assert selectors.practice_get_published(slug=practice.slug).published_model is None
    with pytest.raises(Http404):
        selectors.practice_get_published(slug=model.slug)


def test_project_list_theme_filter_does_not_multiply_entry_counts():
    a, b = ThemeFactory(code="A", slug="a"), ThemeFactory(code="B", slug="b")
    project = ProjectFactory(themes=[a, b])
    PracticeFactory.create_batch(3, project=project)
    PracticeFactory(project=project, status=PublicationStatus.DRAFT)
    assert [p.entry_count for p in selectors.project_entry_counts(selectors.project_list(theme_code="B"))] == [3]
    assert [p.entry_count for p in selectors.project_entry_counts(selectors.project_list())] == [3]


def test_keyword_cloud_leaves_out_unapproved_and_unused_keywords():
    used = KeywordFactory(name="käytössä")
    pending = KeywordFactory(name="odottaa", approved=False)
    KeywordFactory(name="käyttämätön")
    PracticeFactory(keywords=[used, pending])
    PracticeFactory(keywords=[KeywordFactory(name="vain luonnoksessa")], status=PublicationStatus.DRAFT)
    assert [(c.keyword.name, c.count, c.weight) for c in selectors.keyword_cloud()] == [("käytössä", 1, 5)]


@pytest.mark.parametrize("share", [0, 10**9], ids=["read from the keyword", "read in order from the entries"])
def test_keyword_entries_are_the_same_list_whichever_way_they_are_read(monkeypatch, share):
    """keyword_entries reads a common keyword's list from the entries' side (in order, keeping
    those with the keyword) and a rarer one from the keyword's side: both give the published
    entries with the keyword, models first, each kind newest first, undated last, ties by id."""
    import datetime

    from django.utils import timezone

    monkeypatch.setattr(selectors, "COMMON_KEYWORD_SHARE", share)  # 0: never common; 10**9: always
    keyword, other = KeywordFactory(), KeywordFactory()
    now = timezone.now()
    day = datetime.timedelta(days=1)
    old_model = ModelPracticeFactory(keywords=[keyword], published_at=now - 3 * day)
    new_model = ModelPracticeFactory(keywords=[keyword, other], published_at=now - day)
    undated = PracticeFactory(keywords=[keyword], published_at=None)
    tie_a = PracticeFactory(keywords=[keyword], published_at=now - 2 * day)
    tie_b = PracticeFactory(keywords=[keyword], published_at=now - 2 * day)
    newest = PracticeFactory(keywords=[keyword], published_at=now)
    PracticeFactory(keywords=[other])
    ModelPracticeFactory(keywords=[other])
    PracticeFactory(keywords=[keyword], status=PublicationStatus.DRAFT, published_at=now + day)
    entries = selectors.keyword_entries(keyword=keyword)
    expected = [new_model.pk, old_model.pk, newest.pk, tie_b.pk, tie_a.pk, undated.pk]
    assert entries.count() == len(expected)
    assert [e.pk for e in entries[0:6]] == expected
    # A page in the second half is read backwards from the other end: the same entries.
    assert [e.pk for e in entries[4:6]] == expected[4:]


@pytest.mark.parametrize("share", [0, 10**9], ids=["gathered and sorted", "read in order from the entries"])
def test_placed_entries_are_the_same_whichever_way_they_are_read(monkeypatch, share):
    """placed_entries reads a large theme's or subtheme's entries from the entries' side (EXISTS)
    and a small one's through their placements (IN): the same published entries either way."""
    monkeypatch.setattr(selectors, "COMMON_PLACEMENT_SHARE", share)  # 0: never large; 10**9: always
    theme = ThemeFactory(code="B", slug="b")
    sub, other_sub = SubthemeFactory(theme=theme), SubthemeFactory(theme=theme)
    twice = PracticeFactory()
    PlacementFactory(practice=twice, subtheme=sub)
    PlacementFactory(practice=twice, subtheme=sub, period=OldPeriodFactory())
    model = ModelPracticeFactory()
    PlacementFactory(practice=model, subtheme=sub)
    elsewhere = PracticeFactory()
    PlacementFactory(practice=elsewhere, subtheme=other_sub)
    PlacementFactory(practice=PracticeFactory(status=PublicationStatus.DRAFT), subtheme=sub)
    PracticeFactory()  # placed nowhere
    in_sub = selectors.placed_entries(subtheme=sub)
    in_theme = selectors.placed_entries(theme=theme)
    assert sorted(in_sub.values_list("pk", flat=True)) == sorted([twice.pk, model.pk])
    assert sorted(in_theme.values_list("pk", flat=True)) == sorted([twice.pk, model.pk, elsewhere.pk])
    assert [p.pk for p in in_sub.order_by("-updated_at", "-pk")] == [model.pk, twice.pk]
    assert ("EXISTS" in str(in_theme.query)) == (share > 0)
