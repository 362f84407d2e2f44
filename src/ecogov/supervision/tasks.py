"""Scheduled jobs of supervision, run by the huey consumer (`ecogov run_huey`).

The deadlines are stored with the records, so the job only recomputes colours and
escalations of every kind (cases, the ledger's items): a consumer that was stopped
catches up at its next run and loses no timer.
"""

import logging

from huey import crontab

from ecogov.jobs.services import periodic_job
from ecogov.supervision.clocks import scan

log = logging.getLogger(__name__)


@periodic_job(crontab(minute="*/15"))
def supervision_clocks():
    report = scan()
    log.info(
        "supervision clocks: %d checked, %d notices, %d escalations",
        report.checked,
        report.notices,
        report.escalations,
    )
