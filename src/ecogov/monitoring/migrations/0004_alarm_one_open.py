from django.db import migrations, models


def close_all_but_the_latest_open(apps, schema_editor):
    """Before the constraint: the ingestion used to leave an older alarm of a point,
    pollutant and kind open behind a newer one (a new episode beyond the merge window,
    a second gap); of each key's open alarms the latest stays open, the others close."""
    Alarm = apps.get_model("monitoring", "Alarm")
    open_alarms = Alarm.objects.filter(state="open")
    keys = (
        open_alarms.values("point_id", "code", "kind")
        .annotate(n=models.Count("id"))
        .filter(n__gt=1)
        .values_list("point_id", "code", "kind")
    )
    for point_id, code, kind in list(keys):
        alarms = open_alarms.filter(point_id=point_id, code=code, kind=kind)
        latest = alarms.order_by("-last_time", "-id").values_list("id", flat=True).first()
        alarms.exclude(id=latest).update(state="closed")


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0003_alarm_kind_rate"),
    ]

    operations = [
        migrations.RunPython(close_all_but_the_latest_open, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="alarm",
            constraint=models.UniqueConstraint(
                condition=models.Q(("state", "open")),
                fields=("point", "code", "kind"),
                name="alarm_one_open",
            ),
        ),
    ]
