"""Plan tasks store their dispatch status, so that their lists filter and page on it in the
database. The existing tasks get theirs here as of the day the migration runs, without the
working-day calendar (a report on last month counts as missing from the 1st, not from its
due day); the supervision scan, which runs every quarter of an hour, refines it."""

import datetime

from django.db import migrations, models

from ecogov.domain.taskstatus import Report, task_status


def store_statuses(apps, schema_editor):
    Task = apps.get_model("plans", "Task")
    TaskReport = apps.get_model("plans", "TaskReport")
    today = datetime.date.today()
    reports = {}
    for report in TaskReport.objects.order_by("period").iterator(chunk_size=2000):
        reports.setdefault(report.task_id, []).append(
            Report(report.period, report.percent, report.milestone)
        )
    tasks = list(Task.objects.select_related("plan"))
    for task in tasks:
        task.status = task_status(
            deadline=task.deadline, ongoing=task.ongoing, completed=task.completed_on is not None,
            reports=reports.get(task.pk, []), today=today, started=task.plan.imported_on,
        )  # fmt: skip
    Task.objects.bulk_update(tasks, ["status"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0007_target_aspirational"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicaltask",
            name="status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("not_started", "not started"),
                    ("on_track", "on track"),
                    ("lagging", "lagging"),
                    ("overdue", "overdue"),
                    ("done", "done"),
                ],
                max_length=12,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="task",
            name="status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("not_started", "not started"),
                    ("on_track", "on track"),
                    ("lagging", "lagging"),
                    ("overdue", "overdue"),
                    ("done", "done"),
                ],
                max_length=12,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(store_statuses, migrations.RunPython.noop),
    ]
