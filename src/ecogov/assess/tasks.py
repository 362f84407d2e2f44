"""Scheduled jobs of the assessment, run by the huey consumer (`ecogov run_huey`): when a
period ends, every scheme in force computes it as a draft for the bureau (once)."""

import logging

from huey import crontab

from ecogov.assess.services import period_end_run
from ecogov.jobs.services import periodic_job

log = logging.getLogger(__name__)


@periodic_job(crontab(hour="6", minute="10"))
def assessment_period_end():
    log.info("assessment: %d periods computed", len(period_end_run()))
