"""Relate concepts of the vocabulary (skos:related, symmetric) from data/0012_vocabulary_related.json
beside it: a search for one concept also finds, ranked below its own labels, entries naming the
other (thesaurus.py).

A pair whose concept a coordinator has deleted is skipped. Going back removes only the pairs this
migration lists."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent / "data" / "0012_vocabulary_related.json"


def _pairs(apps):
    Concept = apps.get_model("search", "Concept")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    names = {name for pair in data["pairs"] for name in pair}
    concepts = Concept.objects.in_bulk(list(names), field_name="identifier")
    for one, other in data["pairs"]:
        if one in concepts and other in concepts and one != other:
            yield concepts[one], concepts[other]


# Both directions by hand: the historical model's field points at "search.concept", not "self", so
# it is not symmetrical and adds only the row asked for.
def load(apps, schema_editor):
    for one, other in _pairs(apps):
        one.related.add(other)
        other.related.add(one)


def unload(apps, schema_editor):
    for one, other in _pairs(apps):
        one.related.remove(other)
        other.related.remove(one)


class Migration(migrations.Migration):
    dependencies = [("search", "0011_concept_related")]

    operations = [migrations.RunPython(load, unload)]
