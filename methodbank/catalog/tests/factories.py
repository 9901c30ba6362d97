"""factory_boy factories for the catalog. Published by default: most tests look at the public site."""

import datetime

import factory
from django.utils import timezone
from django.utils.text import slugify

from methodbank.catalog.models import (
    Adoption,
    AdoptionStatus,
    Keyword,
    Organisation,
    Period,
    Placement,
    Practice,
    PracticeKind,
    PracticeLink,
    PracticeTranslation,
    Project,
    ProjectScope,
    ProjectTranslation,
    PublicationStatus,
    Subtheme,
    Theme,
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Koulutuskuntayhtymä {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("code",)

    code = factory.Iterator(["A", "B", "C", "D"])
    name = factory.LazyAttribute(lambda o: f"Teema {o.code}")
    slug = factory.LazyAttribute(lambda o: slugify(f"{o.code}-{o.name}"))
    description = "Teeman johdanto."


class SubthemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subtheme

    theme = factory.SubFactory(ThemeFactory)
    name = factory.Sequence(lambda n: f"Osateema {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    position = factory.Sequence(lambda n: n)


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Period
        django_get_or_create = ("code",)

    code = "2019-2021"
    name = "Zoomi – sujuvia siirtymiä edistämässä"
    starts_on = datetime.date(2019, 5, 1)
    ends_on = datetime.date(2021, 12, 31)


class OldPeriodFactory(PeriodFactory):
    code = "2015-2019"
    name = "Zoomi – sujuvien siirtymien kansallinen koordinointi"
    starts_on = datetime.date(2015, 8, 1)
    ends_on = datetime.date(2019, 4, 30)


class KeywordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Keyword
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"avainsana {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Hanke {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    short_name = ""
    lead = factory.SubFactory(OrganisationFactory)
    ends_on = datetime.date(2017, 12, 1)
    scope = ProjectScope.NATIONAL
    description = "Hankkeen kuvaus."
    funding_programme = "Kestävää kasvua ja työtä 2014–2020"
    status = PublicationStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practice
        skip_postgeneration_save = True

    kind = PracticeKind.GOOD_PRACTICE
    title = factory.Sequence(lambda n: f"Käytäntö {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    project = factory.SubFactory(ProjectFactory)
    summary = "Lyhyt kuvaus käytännöstä."
    status = PublicationStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def keywords(self, create, extracted, **kwargs):
        if create and extracted:
            self.keywords.set(extracted)


class ModelPracticeFactory(PracticeFactory):
    kind = PracticeKind.MODEL
    title = factory.Sequence(lambda n: f"Malli {n}")


class AdoptionFactory(factory.django.DjangoModelFactory):
    """An approved adoption record (only approved ones count); the region follows the municipality."""

    class Meta:
        model = Adoption

    model = factory.SubFactory(ModelPracticeFactory)
    organisation = factory.Sequence(lambda n: f"Koulu {n}")
    municipality = "091"  # Helsinki, Uusimaa
    region = factory.LazyAttribute(lambda o: Adoption(municipality=o.municipality).place.region_code)
    year = 2023
    status = AdoptionStatus.APPROVED


class PracticeLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticeLink

    practice = factory.SubFactory(PracticeFactory)
    url = factory.Sequence(lambda n: f"https://example.org/materiaali/{n}")
    title = "Materiaali"


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    practice = factory.SubFactory(PracticeFactory)
    subtheme = factory.SubFactory(SubthemeFactory)
    theme = factory.LazyAttribute(lambda o: o.subtheme.theme if o.subtheme else ThemeFactory())
    period = factory.SubFactory(PeriodFactory)


class PracticeTranslationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticeTranslation

    practice = factory.SubFactory(PracticeFactory)
    language = "sv"
    title = factory.LazyAttribute(lambda o: f"{o.practice.title} ({o.language})")
    summary = "Kort beskrivning av praxisen."


class ProjectTranslationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectTranslation

    project = factory.SubFactory(ProjectFactory)
    language = "sv"
    name = ""
    description = "Projektets beskrivning."


def catalog_clear():
    """Empty the catalog inside the current test's transaction (rolled back afterwards).

    The session-wide ``seeded_db`` import stays in the test database once a test has asked for it;
    factory-built tests call this first so their counts do not depend on test order.
    """
    if not (Theme.objects.exists() or Practice.objects.exists() or Project.objects.exists()):
        return
    for model in (Placement, PracticeLink, Practice, Project, Organisation, Keyword, Subtheme, Period, Theme):
        model.objects.all().delete()
