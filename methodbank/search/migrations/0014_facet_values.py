"""The browse facets' values, from data/0014_facet_values.json beside it: the few new concepts the
catalog needs (preparatory education as one level, the "into education" and "during studies"
stages), which concepts of the target group, education and transition categories are browse
values, and the narrower concepts whose labels suggest each value (skos:broader).

A concept a coordinator has deleted is skipped; one that already exists is left as it is, only
marked. Going back unmarks the values, removes the broader links listed here and the new concepts
nobody has edited since."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent / "data" / "0014_facet_values.json"


def _norm(text):
    return " ".join(text.split())


def load(apps, schema_editor):
    Concept = apps.get_model("search", "Concept")
    ConceptLabel = apps.get_model("search", "ConceptLabel")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    taken = set(Concept.objects.values_list("identifier", flat=True))
    for item in data["concepts"]:
        if item["identifier"] in taken:
            continue
        concept = Concept.objects.create(
            identifier=item["identifier"],
            pref_label_fi=item["pref_label_fi"],
            pref_label_sv=item["pref_label_sv"],
            pref_label_en=item["pref_label_en"],
            category=item["category"],
            provenance=item["provenance"],
        )
        ConceptLabel.objects.bulk_create(
            ConceptLabel(concept=concept, text=_norm(text), language=language, kind=kind)
            for text, language, kind in item["labels"]
        )
    Concept.objects.filter(identifier__in=data["facet_values"]).update(facet_value=True)
    names = set(data["broader"]) | {name for narrower in data["broader"].values() for name in narrower}
    concepts = Concept.objects.in_bulk(list(names), field_name="identifier")
    for broader, narrower in data["broader"].items():
        if broader in concepts:
            concepts[broader].narrower.add(*[concepts[n] for n in narrower if n in concepts and n != broader])


def unload(apps, schema_editor):
    Concept = apps.get_model("search", "Concept")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    concepts = Concept.objects.in_bulk(list(data["broader"]), field_name="identifier")
    for broader, narrower in data["broader"].items():
        if broader in concepts:
            concepts[broader].narrower.remove(*Concept.objects.filter(identifier__in=narrower))
    Concept.objects.filter(identifier__in=data["facet_values"]).update(facet_value=False)
    for item in data["concepts"]:
        Concept.objects.filter(
            identifier=item["identifier"], pref_label_fi=item["pref_label_fi"], provenance=item["provenance"]
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0013_facets")]

    operations = [migrations.RunPython(load, unload)]
