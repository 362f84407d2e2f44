from django.db import migrations

from ecogov.sources.catalog import ensure_default_types


def create(apps, schema_editor):
    ensure_default_types(apps.get_model("sources", "SourceType"))


class Migration(migrations.Migration):
    dependencies = [("sources", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
