"""Scheduled jobs of cases, run by the huey consumer (`ecogov run_huey`).

Thin: they call the service, which can run twice without doing anything twice.
"""

import logging

from huey import crontab

from ecogov.cases.learning import router_train_all
from ecogov.jobs.services import periodic_job

log = logging.getLogger(__name__)


@periodic_job(crontab(hour="2", minute="40"))
def router_retrain_nightly():
    """Every night: retrain each jurisdiction's router on its bureau's latest decisions."""
    for area, model in router_train_all():
        if model is None:
            log.info("router %s: too few labelled units to learn from", area)
        else:
            log.info("router %s: %d examples (%d decisions), model %s", area, model.examples,
                     model.decisions, model.digest[:12])  # fmt: skip
