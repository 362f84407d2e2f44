"""Units registered by a plan import or by hand were all numbered 0 in the units list;
number them after the jurisdiction's last number, in the order they were registered."""

from django.db import migrations
from django.db.models import Max


def number_units(apps, schema_editor):
    Unit = apps.get_model("org", "Unit")
    unnumbered = Unit.objects.filter(order=0).order_by("pk")
    areas = unnumbered.order_by().values_list("jurisdiction_id", flat=True).distinct()
    for jurisdiction_id in list(areas):
        last = Unit.objects.filter(jurisdiction_id=jurisdiction_id).aggregate(Max("order"))
        number = last["order__max"] or 0
        for unit in unnumbered.filter(jurisdiction_id=jurisdiction_id):
            number += 1
            Unit.objects.filter(pk=unit.pk).update(order=number)


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]

    operations = [migrations.RunPython(number_units, migrations.RunPython.noop)]
