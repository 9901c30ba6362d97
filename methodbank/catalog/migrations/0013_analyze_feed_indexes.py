# SQLite's statistics for the indexes of 0012, apart from them (as 0011 for 0010): a migration that
# runs code refers to nothing of the live project (core/tests/test_data_migrations.py).

from django.db import migrations


def analyze_new_indexes(apps, schema_editor):
    # Without statistics SQLite takes status=? on the new (status, updated_at) index for a selective
    # condition: the theme page's preview (a few placements by id) then read every published entry
    # in that index, 1.1 s instead of 2 ms at 100,000 entries (bench/browse_bench.py). Analysing
    # only these two indexes spares counting the whole table again. PostgreSQL keeps its own.
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("ANALYZE practice_status_updated_idx")
        schema_editor.execute("ANALYZE practice_project_status_idx")


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0012_listing_indexes_feeds_projects"),
    ]

    operations = [
        migrations.RunPython(analyze_new_indexes, migrations.RunPython.noop, elidable=True),
    ]
