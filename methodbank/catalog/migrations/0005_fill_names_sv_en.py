"""Swedish and English names for the seed's themes, subthemes and periods already in the catalog
(a new catalog gets them from the importer). Names a coordinator has set are kept."""

import json
from pathlib import Path

from django.db import migrations

# The names as they were when this migration was written (catalog/names.py is the importer's live
# copy, which may change later): data/0005_seed_names.json beside it; 0006 reads the same file.
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


def fill(apps, schema_editor):
    Theme = apps.get_model("catalog", "Theme")
    Subtheme = apps.get_model("catalog", "Subtheme")
    Period = apps.get_model("catalog", "Period")
    for model, kind in ((Theme, "theme"), (Subtheme, "subtheme"), (Period, "period")):
        queryset = model.objects.select_related("theme") if kind == "subtheme" else model.objects.all()
        for obj in queryset:
            values = {k: v for k, v in seed_names(obj, kind).items() if not getattr(obj, k)}
            if values:
                model.objects.filter(pk=obj.pk).update(**values)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_theme_subtheme_period_names")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
