"""Scheduled jobs of plans, run by the huey consumer (`ecogov run_huey`).

Thin: they call the service, which can run twice without doing anything twice.
"""

import datetime
import logging

from huey import crontab

from ecogov.jobs.services import periodic_job
from ecogov.plans.dispatch import dispatch_run

log = logging.getLogger(__name__)


@periodic_job(crontab(hour="1", minute="10"))
def monthly_dispatch_daily():
    """Every night: open the month's dispatch when a month closes, send due reminders."""
    report = dispatch_run(today=datetime.date.today())
    log.info(
        "dispatch: %d opened, %d reminders, %d problems",
        len(report.opened),
        len(report.reminders),
        len(report.problems),
    )
