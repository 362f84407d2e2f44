"""ecogov supervision — the supervision ledger from the command line.

ecogov supervision scan [--today YYYY-MM-DD]      what the job does every 15 minutes
ecogov supervision list [--kind K] [--colour red] [--unit ID] [--as USER] [--json]
ecogov supervision export LEDGER.xlsx [--kind K] [--colour red] [--as USER]
"""

import dataclasses
import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ecogov.accounts.models import User
from ecogov.spreadsheets import table_workbook
from ecogov.supervision import ledger
from ecogov.supervision.clocks import scan
from ecogov.supervision.exchange import EXPORT_HEADER, EXPORT_WIDTHS, export_row
from ecogov.supervision.models import Kind


def _person(username: str | None) -> User:
    """Whose view: a named account, or the whole ledger (an operator at the machine)."""
    if not username:
        return User(username="operator", is_superuser=True, is_active=True)
    try:
        return User.objects.get(username=username, is_active=True)
    except User.DoesNotExist:
        raise CommandError(f"no active account {username!r}") from None


class Command(BaseCommand):
    help = "The supervision ledger: run the clocks, list or export every supervised item."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        run = actions.add_parser("scan", help="recompute colours and escalations (idempotent)")
        run.add_argument("--today", type=datetime.date.fromisoformat, help="YYYY-MM-DD")
        for name in ("list", "export"):
            sub = actions.add_parser(name)
            if name == "export":
                sub.add_argument("path", type=Path)
            sub.add_argument("--kind", choices=Kind.values)
            sub.add_argument("--colour", choices=["red", "yellow", "blue"])
            sub.add_argument("--unit", type=int, help="a unit's id (lead or supporting)")
            sub.add_argument("--closed", action="store_true", help="closed items too")
            sub.add_argument("--as", dest="username", help="list what this account sees")
            if name == "list":
                sub.add_argument("--json", action="store_true")

    def handle(self, *args, action, **options):
        if action == "scan":
            report = scan(options.get("today"))
            self.stdout.write(
                f"{report.checked} clocks checked, {report.notices} notices, "
                f"{report.escalations} escalations"
            )
            return
        filters = ledger.Filters(
            kinds=frozenset({options["kind"]}) if options.get("kind") else frozenset(),
            unit=options.get("unit"), colour=options.get("colour") or "",
            include_closed=options.get("closed", False),
        )  # fmt: skip
        rows = ledger.rows(_person(options.get("username")), filters)
        if action == "export":
            data = table_workbook(sheet_title="督办台账", title="督办事项台账", header=EXPORT_HEADER,
                                  rows=(export_row(row) for row in rows), widths=EXPORT_WIDTHS)  # fmt: skip
            options["path"].write_bytes(data)
            self.stdout.write(f"{len(rows)} items written to {options['path']}")
        elif options.get("json"):
            self.stdout.write(
                json.dumps(
                    [dataclasses.asdict(row) for row in rows],
                    ensure_ascii=False,
                    indent=2,
                    default=str,
                )  # fmt: skip
            )
        else:
            for row in rows:
                due = "持续推进" if row.ongoing else (row.due or "")
                self.stdout.write(f"{row.colour or '-':6} {row.number:24} {row.kind_label}  "
                                  f"{row.title[:40]}  {row.lead}  {due}")  # fmt: skip
