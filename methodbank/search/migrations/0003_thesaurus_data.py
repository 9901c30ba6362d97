"""Seed the thesaurus from data/0003_thesaurus.json beside it (coordinators edit it in the admin
afterwards; re-running only adds groups whose name is not there yet)."""

import json
from pathlib import Path

from django.db import migrations

# The seed groups as they were shipped with this migration (the vocabulary now lives in Concept).
DATA = Path(__file__).resolve().parent / "data" / "0003_thesaurus.json"


def load(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    existing = set(SynonymGroup.objects.values_list("label", flat=True))
    SynonymGroup.objects.bulk_create(
        [
            SynonymGroup(label=g["label"], kind=g["kind"], terms="\n".join(g["terms"]))
            for g in data["groups"]
            if g["label"] not in existing
        ]
    )


def unload(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    SynonymGroup.objects.filter(label__in=[g["label"] for g in data["groups"]]).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [migrations.RunPython(load, unload)]
