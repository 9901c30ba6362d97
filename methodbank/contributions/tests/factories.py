import datetime

import factory
from django.contrib.auth import get_user_model

from methodbank.catalog.models import (
    Period,
    Practice,
    PracticeKind,
    Project,
    PublicationStatus,
    Subtheme,
    Theme,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password("pw-secret-12345")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["code"]

    code = "A"
    name = factory.LazyAttribute(lambda o: f"Theme {o.code}")
    slug = factory.LazyAttribute(lambda o: f"teema-{o.code.lower()}")


class SubthemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subtheme

    theme = factory.SubFactory(ThemeFactory)
    name = factory.Sequence(lambda n: f"Subtheme {n}")
    slug = factory.Sequence(lambda n: f"alateema-{n}")


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Period
        django_get_or_create = ["code"]

    code = "2019-2021"
    name = "Zoomi"
    starts_on = datetime.date(2019, 5, 1)
    ends_on = datetime.date(2021, 12, 31)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Project {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    status = PublicationStatus.PUBLISHED
    description = "A project."


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practice

    kind = PracticeKind.GOOD_PRACTICE
    title = factory.Sequence(lambda n: f"Practice {n}")
    slug = factory.Sequence(lambda n: f"practice-{n}")
    status = PublicationStatus.DRAFT
    summary = "Summary."


def complete_data(**overrides):
    """A snapshot that passes the submission checks for a good practice."""
    theme = ThemeFactory()
    data = {
        "kind": PracticeKind.GOOD_PRACTICE,
        "title": "Mentoring for first-year students",
        "summary": "Older students mentor first-year students.",
        "goal_and_target_group": "First-year vocational students who risk dropping out.",
        "content_and_actions": "Weekly meetings with a trained mentor.",
        "deployment_staff": "",
        "deployment_marketing": "",
        "deployment_materials": "",
        "resources": "",
        "results_and_indicators": "",
        "contacts": "",
        "model_criteria": [],
        "project": None,
        "project_name": "",
        "applies_model": None,
        "applies_model_title": "",
        "placements": [{"theme": theme.pk, "subtheme": None, "period": None, "label": "A"}],
        "keywords": ["mentoring"],
        "links": [{"url": "https://example.org/guide", "title": "Guide"}],
    }
    data.update(overrides)
    return data
