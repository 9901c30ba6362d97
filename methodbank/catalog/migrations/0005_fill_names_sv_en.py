"""Swedish and English names for the seed's themes, subthemes and periods already in the catalog
(a new catalog gets them from the importer). Names a coordinator has set are kept."""

from django.db import migrations

from methodbank.catalog import names


def fill(apps, schema_editor):
    Theme = apps.get_model("catalog", "Theme")
    Subtheme = apps.get_model("catalog", "Subtheme")
    Period = apps.get_model("catalog", "Period")
    for model, kind in ((Theme, "theme"), (Subtheme, "subtheme"), (Period, "period")):
        queryset = model.objects.select_related("theme") if kind == "subtheme" else model.objects.all()
        for obj in queryset:
            values = {k: v for k, v in names.seed_names(obj, kind).items() if not getattr(obj, k)}
            if values:
                model.objects.filter(pk=obj.pk).update(**values)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_theme_subtheme_period_names")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
