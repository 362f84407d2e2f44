"""Scheduled jobs of the consultations, run by the huey consumer (`ecogov run_huey`)."""

import logging

from huey import crontab

from ecogov.consultations.services import consultations_close_due
from ecogov.jobs.services import periodic_job

log = logging.getLogger(__name__)


@periodic_job(crontab(hour="0", minute="5"))
def consultations_close():
    """Just after midnight: the consultations whose last day has passed close."""
    log.info("consultations closed: %d", consultations_close_due())
