"""ecogov monitoring points import|stats|aggregates|prune — registering points, counting
what arrived, counting days again (backfill), removing old minute data."""

import datetime
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ecogov.monitoring.aggregates import point_days_refresh, readings_prune
from ecogov.monitoring.models import Packet, Point, Reading, Rejection
from ecogov.monitoring.services import points_import, table_rows
from ecogov.org.management.commands.units import find_jurisdiction


class Command(BaseCommand):
    help = "Register monitoring points from a table, or count what the server stored."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        points = actions.add_parser("points", help="monitoring points")
        what = points.add_subparsers(dest="what", required=True)
        imp = what.add_parser(
            "import",
            help="register points: CSV or XLSX, columns mn,pw,name,kind,source,pollutant,limit,unit",
        )
        imp.add_argument("path")
        imp.add_argument("--jurisdiction", help="name or code; default: the only one there is")
        stats = actions.add_parser("stats", help="packets, readings, rejections and points stored")
        stats.add_argument("--json", action="store_true")
        days = actions.add_parser(
            "aggregates", help="count the daily aggregates again from the hourly readings"
        )
        days.add_argument("--since", required=True, type=_date, help="YYYY-MM-DD")
        days.add_argument("--until", type=_date, help="YYYY-MM-DD; default: today")
        actions.add_parser(
            "prune",
            help="delete minute and real-time data older than ECOGOV_MONITORING_MINUTE_DAYS",
        )

    def handle(self, *args, action, **options):
        if action == "aggregates":
            counted = point_days_refresh(since=options["since"], until=options["until"])
            self.stdout.write(f"{counted} point-days counted")
            return
        if action == "prune":
            deleted = readings_prune()
            self.stdout.write(
                f"{deleted['readings']} readings, {deleted['packets']} packets deleted"
            )
            return
        if action == "stats":
            counts = {
                "packets": Packet.objects.count(),
                "readings": Reading.objects.count(),
                "rejected": Rejection.objects.count(),
                "points": Point.objects.count(),
            }
            if options["json"]:
                self.stdout.write(json.dumps(counts))
            else:
                self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
            return
        path = Path(options["path"])
        try:
            rows = table_rows(path.read_bytes(), path.name)
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror or error}; nothing imported") from None
        except ValidationError as error:
            raise CommandError(f"{path}: {'; '.join(error.messages)}; nothing imported") from None
        area = _jurisdiction(options.get("jurisdiction"))
        try:
            report = points_import(rows=rows, jurisdiction=area)
        except ValidationError as error:
            raise CommandError(
                f"{path}: {len(error.messages)} problems, nothing imported:\n  "
                + "\n  ".join(error.messages)
            ) from None
        self.stdout.write(
            f"{len(report.created)} points created, {len(report.updated)} updated, "
            f"{report.unchanged} unchanged"
        )


def _jurisdiction(name: str | None):
    from ecogov.org.models import Jurisdiction

    if name:
        return find_jurisdiction(name)
    areas = list(Jurisdiction.objects.all()[:2])
    if len(areas) != 1:
        raise CommandError("say which jurisdiction with --jurisdiction")
    return areas[0]


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date (YYYY-MM-DD)") from None
