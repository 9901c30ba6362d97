"""A small catalog for the API tests: two themes, two periods, a model and a good practice that
applies it (published), and unpublished entries that must never show."""

import pytest
from django.core.cache import cache

from methodbank.api.services import api_token_create
from methodbank.catalog.models import PublicationStatus
from methodbank.catalog.tests.factories import (
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
)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    # Rate-limit counters live in the cache; dumps go to a throwaway MEDIA_ROOT.
    cache.clear()
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.API_THROTTLE_ANON_RATE = "1000/min"
    yield
    cache.clear()


@pytest.fixture
def catalog(db, contributor):
    theme_a = ThemeFactory(code="A", name="Sujuva siirtymä koulutukseen", slug="a-koulutukseen")
    theme_b = ThemeFactory(code="B", name="Sujuva siirtymä työelämään", slug="b-tyoelamaan")
    sub_a = SubthemeFactory(theme=theme_a, name="Hakeutumisen ohjaus", slug="hakeutumisen-ohjaus")
    sub_b = SubthemeFactory(theme=theme_b, name="Työelämäyhteistyö", slug="tyoelamayhteistyo")
    new_period = PeriodFactory()
    old_period = OldPeriodFactory()
    keyword = KeywordFactory(name="sujuvat siirtymät", slug="sujuvat-siirtymat")
    other_keyword = KeywordFactory(name="ohjaus", slug="ohjaus")
    project = ProjectFactory(name="Siirtymät sujuviksi (SISU)", slug="sisu", owner=contributor)
    project.members.add(contributor)
    other_project = ProjectFactory(name="Toinen hanke", slug="toinen-hanke")
    draft_project = ProjectFactory(
        name="Luonnoshanke", slug="luonnoshanke", status=PublicationStatus.DRAFT, published_at=None
    )

    model = ModelPracticeFactory(
        title="Ohjaamomalli",
        slug="ohjaamomalli",
        project=project,
        owner=contributor,
        goal_and_target_group="Nuoret.",
        keywords=[keyword, other_keyword],
    )
    PlacementFactory(practice=model, subtheme=sub_a, period=new_period)
    PracticeLinkFactory(practice=model, url="https://example.org/malli", title="Mallin kuvaus")
    practice = PracticeFactory(
        title="Paikallinen sovellus",
        slug="paikallinen-sovellus",
        project=other_project,
        applies_model=model,
        keywords=[keyword],
    )
    # The report lists some practices twice: one entry, two placements.
    PlacementFactory(practice=practice, subtheme=sub_a, period=old_period)
    PlacementFactory(practice=practice, subtheme=sub_b, period=new_period)

    draft = PracticeFactory(
        title="Salainen luonnos",
        slug="salainen-luonnos",
        status=PublicationStatus.DRAFT,
        published_at=None,
        owner=contributor,
        project=project,
        keywords=[keyword],
    )
    PlacementFactory(practice=draft, subtheme=sub_a, period=new_period)
    submitted = PracticeFactory(
        title="Odottaa moderointia",
        slug="odottaa",
        status=PublicationStatus.SUBMITTED,
        published_at=None,
        project=draft_project,
    )
    PlacementFactory(practice=submitted, subtheme=sub_b, period=new_period)
    return {
        "theme_a": theme_a,
        "theme_b": theme_b,
        "sub_a": sub_a,
        "sub_b": sub_b,
        "new_period": new_period,
        "old_period": old_period,
        "keyword": keyword,
        "other_keyword": other_keyword,
        "project": project,
        "other_project": other_project,
        "draft_project": draft_project,
        "model": model,
        "practice": practice,
        "draft": draft,
        "submitted": submitted,
    }


@pytest.fixture
def contributor_token(contributor):
    _token, raw = api_token_create(user=contributor, name="Hankkeen sivusto")
    return raw


@pytest.fixture
def other_user(django_user_model):
    return django_user_model.objects.create_user(
        username="other", email="other.person@example.org", password="pw-other-12345", full_name="Olli Muu"
    )


@pytest.fixture
def other_token(other_user):
    _token, raw = api_token_create(user=other_user, name="Toisen avain")
    return raw


@pytest.fixture
def coordinator_token(coordinator):
    _token, raw = api_token_create(user=coordinator, name="Koordinaattorin avain")
    return raw
