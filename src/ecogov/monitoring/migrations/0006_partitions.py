"""On PostgreSQL, the readings and packets tables become partitioned tables (by kind of
data, then by local month) with every row they hold: see ``ecogov.monitoring.partitions``.
Nothing changes on SQLite, nor in Django's models: the database's primary key of the
readings becomes (id, period, time) and the packets' parent has none, while the models
keep ``id``.

The rows are copied once, in the migration's transaction; the tables are locked
meanwhile (writers wait: stop the HJ 212 servers for it on a large database).
"""

from django.db import migrations

from ecogov.monitoring.partitions import tables_partition, tables_unpartition


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        tables_partition(schema_editor)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        tables_unpartition(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0005_point_days"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
