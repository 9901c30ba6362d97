"""Revised Swedish and English names of the seed's themes, subthemes and periods (catalog/names.py
at the time, frozen in data/0005_seed_names.json: Finland-Swedish "handledning" for ohjaus,
"personlig anpassning", "stigstudier", ...).

Migration 0005 filled the first versions into existing catalogs. This one replaces a name only where
it still is that first version, so a name a coordinator has edited in the admin is kept, and an
upgraded catalog ends up with the same names as a fresh import.
"""

import json
from pathlib import Path

from django.db import migrations

# The revised names as they were when this migration was written (catalog/names.py is the
# importer's live copy, which may change later): data/0005_seed_names.json beside it, which 0005 reads
# too (it was written after the revision, so 0005 already fills these names into a fresh catalog).
DATA = Path(__file__).resolve().parent / "data" / "0005_seed_names.json"


def seed_names(obj, kind):
    """{"name_sv": ..., "name_en": ...} for a theme, subtheme or period of the seed, or {}."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    if kind == "theme":
        names = data["themes"].get(obj.code)
    elif kind == "subtheme":
        names = next(((sv, en) for t, fi, sv, en in data["subthemes"] if (t, fi) == (obj.theme.code, obj.name)), None)
    else:
        names = data["periods"].get(obj.code)
    return {"name_sv": names[0], "name_en": names[1]} if names else {}

# The names 0005 wrote that have since been revised: (kind, key) -> (Swedish, English).
FIRST_VERSIONS = {
    ("theme", "B"): ("Vägledning för smidiga övergångar under utbildningen", None),
    ("subtheme", ("A", "Hakeutumisen ohjauspalvelut")): ("Vägledningstjänster för att söka till utbildning", None),
    ("subtheme", ("A", "Hakeutumisvaiheen henkilökohtaistaminen, koulutustutustumisen ja perehdyttäminen")): (
        "Individuell anpassning, bekantskap med utbildningen och introduktion i ansökningsskedet",
        "Personalisation, introduction to the programme and induction at the application stage",
    ),
    ("subtheme", ("B", "Ohjausta tukevat työkalut")): ("Verktyg som stöder vägledningen", None),
    ("subtheme", ("B", "Ohjauspalvelut sekä ohjausta kehittävät uudet toimintatavat")): (
        "Vägledningstjänster och nya arbetssätt som utvecklar vägledningen",
        "Guidance services and new ways of working that develop guidance",
    ),
    ("subtheme", ("B", "HOKS ja henkilökohtaistaminen")): ("PUK och individuell anpassning", None),
    ("subtheme", ("B", "Osaamisen tunnistaminen ja yksilöllisten opintopolkujen tukeminen")): (
        None,
        "Recognising prior learning and supporting individual study paths",
    ),
    ("subtheme", ("C", "Keskeyttämistilanteessa olevien opiskelijoiden tunnistaminen ja ohjaus")): (
        "Att identifiera och vägleda studerande som riskerar att avbryta studierna",
        None,
    ),
    ("subtheme", ("C", "Jatkuvan hakeutumisen ohjaus")): ("Vägledning vid kontinuerlig ansökan", None),
    ("subtheme", ("D", "Väyläopinnot ammatillisesta koulutuksesta ammattikorkeakouluun")): (
        "Vägstudier från yrkesutbildning till yrkeshögskola",
        None,
    ),
    ("subtheme", ("D", "Uraohjaus ja työhakutaitojen vahvistaminen")): (
        "Karriärvägledning och starkare färdigheter i att söka arbete",
        "Career guidance and stronger job-seeking skills",
    ),
    ("subtheme", ("D", "Työllistymisen tukeminen")): ("Stöd för sysselsättning", None),
    ("period", "2019-2021"): ("ZOOMI – för smidiga övergångar", "ZOOMI – promoting smooth transitions"),
}


def _key(obj, kind):
    if kind == "theme":
        return obj.code
    if kind == "subtheme":
        return (obj.theme.code, obj.name)
    return obj.code


def revise(apps, schema_editor):
    Theme = apps.get_model("catalog", "Theme")
    Subtheme = apps.get_model("catalog", "Subtheme")
    Period = apps.get_model("catalog", "Period")
    for model, kind in ((Theme, "theme"), (Subtheme, "subtheme"), (Period, "period")):
        queryset = model.objects.select_related("theme") if kind == "subtheme" else model.objects.all()
        for obj in queryset:
            first = FIRST_VERSIONS.get((kind, _key(obj, kind)))
            current = seed_names(obj, kind)
            if not first or not current:
                continue
            values = {
                field: current[field]
                for field, old in (("name_sv", first[0]), ("name_en", first[1]))
                if old is not None and getattr(obj, field) == old
            }
            if values:
                model.objects.filter(pk=obj.pk).update(**values)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0005_fill_names_sv_en")]

    operations = [migrations.RunPython(revise, migrations.RunPython.noop)]
