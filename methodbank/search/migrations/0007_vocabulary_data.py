"""Seed the vocabulary from data/0007_vocabulary.json beside it, and carry over what coordinators
changed in the old thesaurus: the words a group has beyond the shipped version of it (0003's data)
become labels of the concept that shares the most words with the group (language unknown), and a
group that shares none becomes a concept of its own. So nothing a coordinator added is lost, while
the shipped groups, whose words the new concepts already hold (split into finer concepts), are not
merged back into them."""

import json
from pathlib import Path

from django.db import migrations
from django.utils.text import slugify

DATA = Path(__file__).resolve().parent / "data" / "0007_vocabulary.json"
SHIPPED_GROUPS = Path(__file__).resolve().parent / "data" / "0003_thesaurus.json"


def _norm(text):
    return " ".join(text.split()).lower()


def _unique_identifier(base, taken):
    identifier, n = base[:110] or "concept", 1
    while identifier in taken:
        n += 1
        identifier = f"{base[:110]}-{n}"
    taken.add(identifier)
    return identifier


def load(apps, schema_editor):
    Concept = apps.get_model("search", "Concept")
    ConceptLabel = apps.get_model("search", "ConceptLabel")
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    data = json.loads(DATA.read_text(encoding="utf-8"))

    taken = set(Concept.objects.values_list("identifier", flat=True))
    words = {}  # concept id -> its labels, normalised
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
        ConceptLabel.objects.bulk_create(
            [ConceptLabel(concept=concept, text=text, language=language, kind=kind)
             for text, language, kind in item["labels"]]
        )
        words[concept.pk] = {_norm(item[f"pref_label_{lang}"]) for lang in ("fi", "sv", "en")} | {
            _norm(text) for text, _language, _kind in item["labels"]
        }

    shipped = {
        _norm(g["label"]): {_norm(t) for t in [g["label"], *g["terms"]]}
        for g in json.loads(SHIPPED_GROUPS.read_text(encoding="utf-8"))["groups"]
    }
    for group in SynonymGroup.objects.order_by("pk"):
        terms, seen = [], set()
        for line in [group.label, *group.terms.splitlines()]:
            if _norm(line) and _norm(line) not in seen:
                seen.add(_norm(line))
                terms.append(" ".join(line.split())[:200])
        added = seen - shipped.get(_norm(group.label), set())
        if not added:
            continue
        terms = [t for t in terms if _norm(t) in added or _norm(group.label) not in shipped]
        overlap = {pk: len(seen & own) for pk, own in words.items()}
        best = max(overlap, key=lambda pk: (overlap[pk], _norm(group.label) in words[pk], -pk), default=None)
        kind = "colloquial" if group.kind == "colloquial" else "alt"
        if best is not None and overlap[best]:
            missing = [t for t in terms if _norm(t) not in words[best]]
            ConceptLabel.objects.bulk_create(
                [ConceptLabel(concept_id=best, text=t, language="", kind=kind) for t in missing]
            )
            words[best] |= {_norm(t) for t in missing}
            continue
        concept = Concept.objects.create(
            identifier=_unique_identifier(slugify(group.label), taken),
            pref_label_fi=terms[0],
            category="method",
            provenance="coordinators",
            notes=group.notes,
        )
        ConceptLabel.objects.bulk_create(
            [ConceptLabel(concept=concept, text=t, language="", kind=kind) for t in terms[1:]]
        )
        words[concept.pk] = set(seen)


def unload(apps, schema_editor):
    """Back to thesaurus groups: one per concept, named by its Finnish label, with all other labels."""
    Concept = apps.get_model("search", "Concept")
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    existing = {_norm(label) for label in SynonymGroup.objects.values_list("label", flat=True)}
    for concept in Concept.objects.prefetch_related("labels").order_by("pk"):
        if _norm(concept.pref_label_fi) in existing:
            continue
        existing.add(_norm(concept.pref_label_fi))
        others = [t for t in (concept.pref_label_sv, concept.pref_label_en) if t]
        others += [label.text for label in concept.labels.all()]
        SynonymGroup.objects.create(label=concept.pref_label_fi, kind="synonym", terms="\n".join(others),
                                    notes=concept.notes)
    Concept.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0006_concepts")]

    operations = [migrations.RunPython(load, unload)]
