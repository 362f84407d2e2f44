"""Scheduled jobs of cases, run by the huey consumer (`ecogov run_huey`).

The deadlines are stored with the cases, so the job only recomputes colours and
escalations: a consumer that was stopped catches up at its next run and loses no timer.
"""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ecogov.cases.services import clocks_run

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*/15"))
def case_clocks():
    report = clocks_run()
    log.info(
        "case clocks: %d checked, %d notices, %d escalations",
        report.checked,
        report.notices,
        report.escalations,
    )
