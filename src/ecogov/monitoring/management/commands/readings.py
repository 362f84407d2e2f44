"""ecogov readings export --mn MN [--since ISO] [--period hour] [--json|--csv]."""

import csv
import datetime
import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ecogov.monitoring.models import Period, Point, Reading

FIELDS = (
    "time",
    "code",
    "period",
    "value",
    "minimum",
    "maximum",
    "total",
    "flag",
    "valid",
    "exceeded",
)


class Command(BaseCommand):
    help = "Export the readings of one monitoring point."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="readings of a point, oldest first")
        export.add_argument("--mn", required=True)
        export.add_argument("--since", help="ISO date or time (local time when no offset)")
        export.add_argument("--period", choices=Period.values, help="default: every period")
        form = export.add_mutually_exclusive_group()
        form.add_argument("--json", action="store_true", help="JSON lines (the default)")
        form.add_argument("--csv", action="store_true")

    def handle(self, *args, action, mn, since, period, **options):
        point = Point.objects.filter(mn=mn).first()
        if point is None:
            raise CommandError(f"no monitoring point with MN {mn}")
        readings = Reading.objects.filter(point=point).order_by("time", "period", "code")
        if since:
            try:
                moment = datetime.datetime.fromisoformat(since)
            except ValueError:
                raise CommandError(f"--since {since!r} is not an ISO date or time") from None
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            readings = readings.filter(time__gte=moment)
        if period:
            readings = readings.filter(period=period)
        rows = (
            {
                "time": timezone.localtime(r.time).isoformat(), "code": r.code, "period": r.period,
                "value": _text(r.value), "minimum": _text(r.minimum), "maximum": _text(r.maximum),
                "total": _text(r.total), "flag": r.flag, "valid": r.valid, "exceeded": r.exceeded,
            }
            for r in readings.iterator(chunk_size=2000)
        )  # fmt: skip
        out = self.stdout
        if options["csv"]:
            writer = csv.DictWriter(out, FIELDS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        else:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False))
        if out is sys.stdout:
            out.flush()


def _text(value):
    return None if value is None else f"{value.normalize():f}"
