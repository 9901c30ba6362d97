"""Swedish and English labels from data/0018_vocabulary_swedish_english.json beside it: the Swedish
preferred labels three concepts lacked (väyläopinnot, muuntokoulutus, saattaen vaihto), Swedish
labels for the catalog's frequent field concepts that had none besides the preferred one, and
Swedish and English labels for the concepts that had neither. A Swedish or English query reaches a
Finnish-only entry only through such labels.

The same rules as 0016 (whose code this repeats: a migration keeps its own copy, see
core/tests/test_data_migrations.py): a label a concept already has is not added twice and a concept
a coordinator has deleted is not brought back. A preferred label is filled only where it is empty:
one a coordinator has written is theirs. Going back removes only what this migration added: the
labels, and a preferred label only while it is still the one this migration wrote."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent / "data" / "0018_vocabulary_swedish_english.json"


def _norm(text):
    return " ".join(text.split())


def _data():
    return json.loads(DATA.read_text(encoding="utf-8"))


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


def load(apps, schema_editor):
    Concept = apps.get_model("search", "Concept")
    ConceptLabel = apps.get_model("search", "ConceptLabel")
    data = _data()
    concepts = Concept.objects.in_bulk(list(data["preferred"]), field_name="identifier")
    for identifier, preferred in data["preferred"].items():
        concept = concepts.get(identifier)
        if concept is None:
            continue
        changed = [f"pref_label_{lang}" for lang, text in preferred.items() if not getattr(concept, f"pref_label_{lang}")]
        for field in changed:
            setattr(concept, field, _norm(preferred[field.removeprefix("pref_label_")]))
        if changed:
            concept.save(update_fields=[*changed, "updated_at"])  # a new time stamp: the thesaurus reloads
    concepts = Concept.objects.in_bulk(list(data["labels"]), field_name="identifier")
    for identifier, labels in data["labels"].items():
        if identifier in concepts:  # else a coordinator deleted it: not brought back
            _add_labels(ConceptLabel, concepts[identifier], labels)


def unload(apps, schema_editor):
    Concept = apps.get_model("search", "Concept")
    ConceptLabel = apps.get_model("search", "ConceptLabel")
    data = _data()
    for identifier, labels in data["labels"].items():
        for text, language, kind in labels:
            ConceptLabel.objects.filter(
                concept__identifier=identifier, text=_norm(text), language=language, kind=kind
            ).delete()
    for identifier, preferred in data["preferred"].items():
        for language, text in preferred.items():
            for concept in Concept.objects.filter(identifier=identifier, **{f"pref_label_{language}": _norm(text)}):
                setattr(concept, f"pref_label_{language}", "")
                concept.save(update_fields=[f"pref_label_{language}", "updated_at"])


class Migration(migrations.Migration):
    dependencies = [("search", "0017_reindex_for_analysis")]

    operations = [migrations.RunPython(load, unload)]
