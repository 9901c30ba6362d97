"""Factories for report definitions and a small catalog shaped like the seed.

The small catalog uses its own subthemes and periods, and tests select by those subthemes, so the
imported seed (a session-wide fixture other tests may have loaded) never leaks into the numbers.
"""

import datetime

import factory

from methodbank.catalog.models import Period, ProjectScope
from methodbank.catalog.tests.factories import (
    ModelPracticeFactory,
    PlacementFactory,
    PracticeFactory,
    ProjectFactory,
    SubthemeFactory,
    ThemeFactory,
)
from methodbank.reports.models import ReportDefinition


class ReportDefinitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportDefinition
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"raportti-{n}")
    title = factory.Sequence(lambda n: f"Raportti {n}")
    subtitle = "Alaotsikko"
    preface = "<p>Raportissa on {entries} kuvausta, joista {new} uusia. Teemassa A on {A.entries}, teemassa B {B.models} mallia.</p>"
    introduction = "<p>Johdanto.</p>"
    language = "en"

    @factory.post_generation
    def subthemes(self, create, extracted, **kwargs):
        if create and extracted:
            self.subthemes.set(extracted)


def small_catalog():
    """Two themes, three subthemes, two periods.

    - a model placed in A/Hakeutuminen and B/Työkalut (under the newest period);
    - a good practice placed twice in theme A (two subthemes, the older period);
    - a good practice in the newest period; a draft that must never show.
    """
    new = Period.objects.create(code="test-new", name="Uusi kausi", starts_on=datetime.date(2030, 1, 1),
                                ends_on=datetime.date(2031, 12, 31))
    old = Period.objects.create(code="test-old", name="Vanha kausi", starts_on=datetime.date(2028, 1, 1),
                                ends_on=datetime.date(2029, 12, 31))
    theme_a, theme_b = ThemeFactory(code="A"), ThemeFactory(code="B")
    sub_a1 = SubthemeFactory(theme=theme_a, name="Testi: Hakeutuminen", position=1, description="Osateeman johdanto.")
    sub_a2 = SubthemeFactory(theme=theme_a, name="Testi: Avoimet ympäristöt", position=2)
    sub_b1 = SubthemeFactory(theme=theme_b, name="Testi: Työkalut", position=1)
    national = ProjectFactory(name="Testi SOPU", scope=ProjectScope.NATIONAL, themes=[theme_a])
    regional = ProjectFactory(name="Testi Vetovoimala", scope=ProjectScope.REGIONAL, themes=[theme_b])
    model = ModelPracticeFactory(title="Tutustujan perehdytys", project=national, summary="Mallin kuvaus.")
    PlacementFactory(practice=model, theme=theme_a, subtheme=sub_a1, period=new)
    PlacementFactory(practice=model, theme=theme_b, subtheme=sub_b1, period=new)
    twice = PracticeFactory(title="Koulutuskokeilu", project=regional)
    PlacementFactory(practice=twice, theme=theme_a, subtheme=sub_a1, period=old)
    PlacementFactory(practice=twice, theme=theme_a, subtheme=sub_a2, period=old)
    newer = PracticeFactory(title="Vertaisryhmät", project=regional)
    PlacementFactory(practice=newer, theme=theme_a, subtheme=sub_a1, period=new)
    draft = PracticeFactory(title="Luonnos", project=regional, status="draft")
    PlacementFactory(practice=draft, theme=theme_a, subtheme=sub_a1, period=new)
    return {
        "themes": (theme_a, theme_b),
        "subthemes": (sub_a1, sub_a2, sub_b1),
        "periods": (new, old),
        "projects": (national, regional),
        "model": model,
        "twice": twice,
        "newer": newer,
        "draft": draft,
    }


def small_report_definition(catalog, **kwargs):
    return ReportDefinitionFactory(subthemes=list(catalog["subthemes"]), **kwargs)


def published_version(definition, *, version=1):
    """A published version with its frozen context but without rendering its files (fast)."""
    from django.utils import timezone

    from methodbank.reports.builder import build_report_context
    from methodbank.reports.models import PublishedReport

    return PublishedReport.objects.create(
        definition=definition, version=version, title=definition.title, published_at=timezone.now(),
        context=build_report_context(definition),
    )
