"""Grow the vocabulary with the field's terms from data/0016_vocabulary_field_terms.json beside it:
concepts a counsellor searches for that had no concept of their own (guidance of adults,
multicultural guidance, entrance examination preparation, articulating one's competence), the
colloquial ways students say what they mean (dropping out: "erota koulusta", "lopettaa koulu"; not
knowing what to choose: "en tiedä mitä haluan"), synonyms of parts of the compounds counsellors type
(ohjaustyökalu, ohjausväline; koulutusväylä, reitti), Swedish and English labels, and related pairs.

The same rules as 0015 (whose code this repeats: a migration keeps its own copy, see
core/tests/test_data_migrations.py): a concept whose identifier already exists is left as the
coordinators have it, a label a concept already has is not added twice, a pair whose concept a
coordinator has deleted is skipped, and going back removes only what this migration added."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent / "data" / "0016_vocabulary_field_terms.json"


def _norm(text):
    return " ".join(text.split())


def _data():
    return json.loads(DATA.read_text(encoding="utf-8"))


def _add_concepts(Concept, ConceptLabel, data):
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
        _add_labels(ConceptLabel, concept, item["labels"])


def _add_labels(ConceptLabel, concept, labels):
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


def _pairs(Concept, data):
    names = {name for pair in data["pairs"] for name in pair}
    concepts = Concept.objects.in_bulk(list(names), field_name="identifier")
    for one, other in data["pairs"]:
        if one in concepts and other in concepts and one != other:
            yield concepts[one], concepts[other]


def load(apps, schema_editor):
    Concept = apps.get_model("search", "Concept")
    ConceptLabel = apps.get_model("search", "ConceptLabel")
    data = _data()
    _add_concepts(Concept, ConceptLabel, data)
    concepts = Concept.objects.in_bulk(list(data["labels"]), field_name="identifier")
    for identifier, labels in data["labels"].items():
        if identifier in concepts:  # else a coordinator deleted it: not brought back
            _add_labels(ConceptLabel, concepts[identifier], labels)
    # Both directions by hand: the historical model's field points at "search.concept", not "self".
    for one, other in _pairs(Concept, data):
        one.related.add(other)
        other.related.add(one)


def unload(apps, schema_editor):
    Concept = apps.get_model("search", "Concept")
    ConceptLabel = apps.get_model("search", "ConceptLabel")
    data = _data()
    for one, other in _pairs(Concept, data):
        one.related.remove(other)
        other.related.remove(one)
    for identifier, labels in data["labels"].items():
        for text, language, kind in labels:
            ConceptLabel.objects.filter(
                concept__identifier=identifier, text=_norm(text), language=language, kind=kind
            ).delete()
    for item in data["concepts"]:
        Concept.objects.filter(
            identifier=item["identifier"], pref_label_fi=item["pref_label_fi"], provenance=item["provenance"]
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0015_vocabulary_coverage")]

    operations = [migrations.RunPython(load, unload)]
