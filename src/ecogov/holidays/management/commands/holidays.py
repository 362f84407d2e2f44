"""ecogov holidays add|complete|list — the holiday table for years the package lacks."""

import datetime
import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ecogov.holidays.models import CalendarDay, CalendarYear
from ecogov.holidays.services import calendar_day_set, calendar_year_complete


class Command(BaseCommand):
    help = "Keep the working-day calendar: days off, exchanged working days, complete years."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="record a day off or an exchanged working day")
        add.add_argument("dates", nargs="+", type=datetime.date.fromisoformat, help="YYYY-MM-DD …")
        add.add_argument("--kind", choices=CalendarDay.Kind.values, required=True)
        add.add_argument("--name", default="", help="e.g. 春节")
        complete = actions.add_parser("complete", help="declare a year's arrangement complete")
        complete.add_argument("year", type=int)
        complete.add_argument("--source", required=True, help="the State Council notice")
        lst = actions.add_parser("list")
        lst.add_argument("--json", action="store_true")

    def handle(self, *args, action, **options):
        try:
            if action == "add":
                for day in options["dates"]:
                    calendar_day_set(date=day, kind=options["kind"], name=options["name"])
                self.stdout.write(f"{len(options['dates'])} days recorded as {options['kind']}")
            elif action == "complete":
                calendar_year_complete(year=options["year"], source=options["source"])
                self.stdout.write(f"{options['year']} is complete: deadlines may cross into it")
            else:
                days = [
                    {"date": day.date.isoformat(), "kind": day.kind, "name": day.name}
                    for day in CalendarDay.objects.all()
                ]
                years = list(CalendarYear.objects.values("year", "source"))
                if options["json"]:
                    self.stdout.write(
                        json.dumps({"days": days, "complete_years": years}, ensure_ascii=False)
                    )
                else:
                    for day in days:
                        self.stdout.write(f"{day['date']} {day['kind']} {day['name']}")
                    for year in years:
                        self.stdout.write(f"{year['year']} complete ({year['source']})")
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
