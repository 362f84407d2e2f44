"""ecogov monitoring points import|stats|aggregates|prune|partitions — registering points,
counting what arrived, counting days again (backfill), removing old minute data, and the
month partitions of the readings on PostgreSQL."""

import datetime
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ecogov.monitoring import partitions
from ecogov.monitoring.aggregates import point_days_refresh, readings_prune
from ecogov.monitoring.models import Packet, Point, Reading, Rejection
from ecogov.monitoring.services import points_import, table_rows
from ecogov.monitoring.stats import midnight
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
        months = actions.add_parser(
            "partitions",
            help="PostgreSQL: list the month partitions of the readings and packets",
        )
        months.add_argument(
            "--create",
            action="store_true",
            help="first create this month's and the next months' partitions (as the daily "
            "job does), and months for the rows in a DEFAULT partition",
        )
        months.add_argument(
            "--since",
            type=_date,
            help="with --create: from this date's month (before loading older data)",
        )
        months.add_argument("--ahead", type=int, default=partitions.AHEAD_MONTHS,
                            help="with --create: months after this one")  # fmt: skip

    def handle(self, *args, action, **options):
        if action == "aggregates":
            counted = point_days_refresh(since=options["since"], until=options["until"])
            self.stdout.write(f"{counted} point-days counted")
            return
        if action == "prune":
            deleted = readings_prune()
            self.stdout.write(
                f"{deleted['readings']} readings, {deleted['packets']} packets deleted"
                + "".join(f"\n{name} dropped" for name in deleted["dropped"])
            )
            return
        if action == "partitions":
            self._partitions(**options)
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

    def _partitions(self, *, create: bool, since, ahead: int, **options) -> None:
        if not partitions.partitioned():
            self.stdout.write("the readings are not partitioned (PostgreSQL only); the "
                              "retention deletes them in batches")  # fmt: skip
            return
        if create:
            since = since and midnight(since)
            for name in partitions.partitions_ensure(since=since, ahead=ahead):
                self.stdout.write(f"{name} created")
        for leaf in partitions.partitions_list():
            span = (
                f"{timezone.localtime(leaf.start):%Y-%m-%d} – {timezone.localtime(leaf.end):%Y-%m-%d}"
                if leaf.start
                else "default"
            )
            rows = "?" if leaf.rows < 0 else f"~{leaf.rows}"
            self.stdout.write(
                f"{leaf.name:<40} {span:<23} {rows:>12} rows {leaf.size / 2**20:10.1f} MiB"
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
