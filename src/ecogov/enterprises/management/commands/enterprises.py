"""ecogov enterprises — the enterprises from the command line.

ecogov enterprises blacklist list [--state in_force|expired|removed|all] [--as USERNAME] [--json]
ecogov enterprises blacklist candidates [--district NAME] [--violations N] [--months M] [--json]

Without --as, the whole blacklist (an operator at the machine); with it, what that
account may see. The candidates are proposals of the rule "N verified violations within
M months" (settings ECOGOV_BLACKLIST_VIOLATIONS, ECOGOV_BLACKLIST_MONTHS): a person lists.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ecogov import access
from ecogov.enterprises import services
from ecogov.enterprises.models import Listing
from ecogov.org.models import Jurisdiction
from ecogov.rectification.management.commands.rectification import _viewer


class Command(BaseCommand):
    help = "The environmental blacklist: its listings and the candidates the rule proposes."

    def add_arguments(self, parser):
        areas = parser.add_subparsers(dest="area", required=True)
        blacklist = areas.add_parser("blacklist", help="the environmental blacklist")
        actions = blacklist.add_subparsers(dest="action", required=True)
        show = actions.add_parser("list", help="the listings an account may see")
        show.add_argument("--state", choices=("in_force", "expired", "removed", "all"),
                          default="all")  # fmt: skip
        show.add_argument("--as", dest="username")
        show.add_argument("--json", action="store_true")
        propose = actions.add_parser("candidates", help="enterprises the rule proposes")
        propose.add_argument("--district", help="the district's name (the first one if left out)")
        propose.add_argument("--violations", type=int)
        propose.add_argument("--months", type=int)
        propose.add_argument("--json", action="store_true")

    def handle(self, *args, action, **options):
        rows = self._list(options) if action == "list" else self._candidates(options)
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            self.stdout.write("  ".join(str(value) for value in row.values()))
        if not rows:
            self.stdout.write("none")

    def _list(self, options) -> list[dict]:
        user = _viewer(options.get("username"))
        today = timezone.localdate()
        found = services.listings_in(access.scope(user, Listing), options["state"], today)
        return [{"id": x.pk, "uscc": x.uscc, "name": x.name, "number": x.decision_number,
                 "listed_on": str(x.listed_on), "bar_until": str(x.bar_until),
                 "state": services.listing_state(x, today)} for x in found]  # fmt: skip

    def _candidates(self, options) -> list[dict]:
        for name in ("violations", "months"):
            if options[name] is not None and not 1 <= options[name] <= 120:
                raise CommandError(f"--{name} must be between 1 and 120")
        districts = Jurisdiction.objects.filter(level=Jurisdiction.Level.COUNTY).order_by("pk")
        if options["district"]:
            districts = districts.filter(name=options["district"])
        district = districts.first()
        if district is None:
            raise CommandError("no such district")
        found = services.candidates(district, violations=options["violations"],
                                    months=options["months"])  # fmt: skip
        return [{"uscc": c.uscc, "name": c.name, "violations": c.violations,
                 "last": str(c.last), "cases": [case.number for case in c.cases]}
                for c in found]  # fmt: skip
