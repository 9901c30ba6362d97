"""Broaden the vocabulary from data/0010_vocabulary_field.json beside it: new concepts (general words
of the field in three languages, guidance methods and topics, school subjects with their colloquial
names) and more labels of shipped concepts (colloquial, Swedish and English).

A concept whose identifier already exists is left as the coordinators have it, and a label a
concept already has (same text and language) is not added twice. Going back removes only the
concepts and labels this migration added and that nobody has edited since."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent / "data" / "0010_vocabulary_field.json"


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
        taken.add(item["identifier"])
        concept = Concept.objects.create(
            identifier=item["identifier"],
            pref_label_fi=item["pref_label_fi"],
            pref_label_sv=item["pref_label_sv"],
            pref_label_en=item["pref_label_en"],
            category=item["category"],
            provenance=item["provenance"],
        )
        seen = set()
        labels = []
        for text, language, kind in item["labels"]:
            if (_norm(text).lower(), language) not in seen:
                seen.add((_norm(text).lower(), language))
                labels.append(ConceptLabel(concept=concept, text=_norm(text), language=language, kind=kind))
        ConceptLabel.objects.bulk_create(labels)

    concepts = Concept.objects.in_bulk(list(data["labels"]), field_name="identifier")
    for identifier, labels in data["labels"].items():
        concept = concepts.get(identifier)
        if concept is None:  # a coordinator deleted it: not brought back
            continue
        have = {(text.lower(), language) for text, language in concept.labels.values_list("text", "language")}
        have |= {(t.lower(), lang) for lang, t in
                 (("fi", concept.pref_label_fi), ("sv", concept.pref_label_sv), ("en", concept.pref_label_en))}
        new = []
        for text, language, kind in labels:
            key = (_norm(text).lower(), language)
            if key not in have:
                have.add(key)
                new.append(ConceptLabel(concept=concept, text=_norm(text), language=language, kind=kind))
        ConceptLabel.objects.bulk_create(new)


def unload(apps, schema_editor):
    Concept = apps.get_model("search", "Concept")
    ConceptLabel = apps.get_model("search", "ConceptLabel")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    for item in data["concepts"]:
        Concept.objects.filter(
            identifier=item["identifier"], pref_label_fi=item["pref_label_fi"], provenance=item["provenance"]
        ).delete()
    for identifier, labels in data["labels"].items():
        for text, language, kind in labels:
            ConceptLabel.objects.filter(
                concept__identifier=identifier, text=_norm(text), language=language, kind=kind
            ).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0009_drop_fulltext_engines")]

    operations = [migrations.RunPython(load, unload)]
