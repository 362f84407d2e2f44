"""Scheduled jobs of the rectification ledger, run by the huey consumer (`ecogov
run_huey`). The look-backs' clocks are timed by the one supervision scan."""

import logging

from huey import crontab

from ecogov.jobs.services import periodic_job
from ecogov.rectification.services import progress_dispatch

log = logging.getLogger(__name__)


@periodic_job(crontab(hour="8", minute="30"))
def rectification_dispatch():
    log.info("rectification progress dispatch: %d problems asked", progress_dispatch())
