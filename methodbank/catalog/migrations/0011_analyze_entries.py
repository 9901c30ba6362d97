# SQLite's statistics for the indexes of 0010, apart from them: a migration that runs code refers to
# nothing of the live project (core/tests/test_data_migrations.py), while 0010 refers to the index
# class of catalog.models by Django's design.

from django.db import migrations


def analyze_entries(apps, schema_editor):
    # SQLite plans by the statistics of its last ANALYZE: an index added since has none, and it then
    # takes status=? on the new (status, ...) indexes for a selective condition, reading every
    # published entry in title order to find five ids (a database that had statistics before the
    # migration, as a grown one does). Counting the entries' table again costs a second at 100,000
    # entries. PostgreSQL keeps its own statistics up to date.
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("ANALYZE catalog_practice")


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0010_listing_indexes"),
    ]

    operations = [
        migrations.RunPython(analyze_entries, migrations.RunPython.noop, elidable=True),
    ]
