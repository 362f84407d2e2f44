"""Scheduled jobs of online monitoring, run by the huey consumer (`ecogov run_huey`).

Exceedances and anomalies are found by the ingestion server as data arrives; these jobs
find what arrival cannot show (a point that has gone silent) and catch up on alarms
whose case could not be opened at the time.
"""

import logging

from huey import crontab

from ecogov.jobs.services import periodic_job
from ecogov.monitoring.alarms import alarm_cases, silence_scan
from ecogov.monitoring.stats import feeds_run

log = logging.getLogger(__name__)


@periodic_job(crontab(minute="*/10"))
def monitoring_scan():
    silent = silence_scan()
    opened = alarm_cases()
    log.info("monitoring: %d points silent, %d cases opened", silent, len(opened))


@periodic_job(crontab(minute="20", hour="1"))
def monitoring_targets():
    """Each night: the plan targets fed by monitoring get the value of the year so far."""
    log.info("monitoring: %d plan targets updated", feeds_run())
