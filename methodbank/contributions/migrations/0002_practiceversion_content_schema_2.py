"""Stored versions to the content's schema 2 (``methodbank.contributions.content.SCHEMA_VERSION``).

Schema 1 had no number, and snapshots saved before translations were versioned had no
"translations": reading them meant "leave the entry's translations as they are". This migration
writes what that meant at the time it runs (the entry's translations then) and every key a reader
expects, so no reader handles old shapes. The lists below are copied here on purpose: a migration
must do the same thing whenever it runs, whatever the live code later becomes.
"""

from django.db import migrations

SCHEMA_VERSION = 2
TEXT_FIELDS = [
    "title", "summary", "goal_and_target_group", "content_and_actions", "deployment_staff",
    "deployment_marketing", "deployment_materials", "resources", "results_and_indicators", "contacts",
]
DEFAULTS = {
    "model_criteria": list,
    "project": lambda: None,
    "project_name": str,
    "applies_model": lambda: None,
    "applies_model_title": str,
    "placements": list,
    "keywords": list,
    "links": list,
    "attachments": list,
}


def upgrade(apps, schema_editor):
    PracticeVersion = apps.get_model("contributions", "PracticeVersion")
    PracticeTranslation = apps.get_model("catalog", "PracticeTranslation")
    translations_by_practice = {}
    for t in PracticeTranslation.objects.order_by("practice_id", "language"):
        translations_by_practice.setdefault(t.practice_id, {})[t.language] = {
            name: getattr(t, name) for name in TEXT_FIELDS
        }
    for version in PracticeVersion.objects.iterator():
        data = dict(version.data or {})
        if data.get("schema_version") == SCHEMA_VERSION:
            continue
        for name in TEXT_FIELDS:
            data[name] = data.get(name) or ""
        for name, default in DEFAULTS.items():
            if data.get(name) is None:
                data[name] = default()
        if data.get("translations") is None:
            data["translations"] = translations_by_practice.get(version.practice_id, {})
        data["schema_version"] = SCHEMA_VERSION
        version.data = data
        version.save(update_fields=["data"])


def downgrade(apps, schema_editor):
    # Schema 2 is a superset of schema 1: older code reads it as it is.
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0001_initial"),
        ("catalog", "0008_seed_intros_sv_en"),
    ]

    operations = [migrations.RunPython(upgrade, downgrade)]
