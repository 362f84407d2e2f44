"""Scheduled jobs of online monitoring, run by the huey consumer (`ecogov run_huey`).

Exceedances and anomalies are found by the ingestion server as data arrives; these jobs
find what arrival cannot show (a point that has gone silent) and catch up on alarms
whose case could not be opened at the time. They count the days again for late data,
remove raw minute data past their retention and, on PostgreSQL, create the readings'
month partitions ahead.
"""

import datetime
import logging

from django.utils import timezone
from huey import crontab

from ecogov.jobs.services import periodic_job
from ecogov.monitoring.aggregates import point_days_refresh, readings_prune
from ecogov.monitoring.alarms import alarm_cases, silence_scan
from ecogov.monitoring.partitions import partitions_ensure
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


@periodic_job(crontab(minute="40"))
def monitoring_days():
    """Each hour: yesterday and today of every point counted again (late uploads, a
    writer's count that failed, a silent point's empty day)."""
    today = timezone.localdate()
    counted = point_days_refresh(since=today - datetime.timedelta(days=1), until=today)
    log.info("monitoring: %d point-days counted", counted)


@periodic_job(crontab(minute="50", hour="2"))
def monitoring_retention():
    """Each night: minute and real-time data past ECOGOV_MONITORING_MINUTE_DAYS removed."""
    deleted = readings_prune()
    log.info("monitoring: %(readings)d minute readings, %(packets)d packets deleted, "
             "partitions dropped: %(dropped)s", deleted)  # fmt: skip


@periodic_job(crontab(minute="30", hour="2"))
def monitoring_partitions():
    """Each night, on PostgreSQL: this month's and the next months' partitions of the
    readings and packets, created if missing (months ahead: a failed night is caught up
    by the next), and the rows that fell into a DEFAULT partition given their month."""
    created = partitions_ensure()
    log.info("monitoring: partitions created: %s", ", ".join(created) or "none")
