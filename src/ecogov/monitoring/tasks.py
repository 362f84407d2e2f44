"""Scheduled jobs of online monitoring, run by the huey consumer (`ecogov run_huey`).

Exceedances and anomalies are found by the ingestion server as data arrives; these jobs
find what arrival cannot show (a point that has gone silent) and catch up on alarms
whose case could not be opened at the time.
"""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ecogov.monitoring.alarms import alarm_cases, silence_scan

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*/10"))
def monitoring_scan():
    silent = silence_scan()
    opened = alarm_cases()
    log.info("monitoring: %d points silent, %d cases opened", silent, len(opened))
