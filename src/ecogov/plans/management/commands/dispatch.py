"""ecogov dispatch run — what the nightly job does, for cron or by hand (idempotent)."""

import datetime

from django.core.management.base import BaseCommand

from ecogov.plans.dispatch import dispatch_run


class Command(BaseCommand):
    help = "Open the monthly dispatch and send the reminders due today (safe to run again)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        run = actions.add_parser("run")
        run.add_argument(
            "--today", type=datetime.date.fromisoformat, help="YYYY-MM-DD (default: today)"
        )

    def handle(self, *args, today, **options):
        report = dispatch_run(today=today or datetime.date.today())
        for dispatch in report.opened:
            self.stdout.write(f"opened {dispatch} (reports due {dispatch.due_on})")
        for reminder in report.reminders:
            self.stdout.write(f"reminded {reminder}")
        for problem in report.problems:
            self.stderr.write(f"problem: {problem}")
