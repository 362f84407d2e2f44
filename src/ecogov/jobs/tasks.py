"""The scheduled jobs' own heartbeat, run by the huey consumers (`ecogov run_huey`)."""

import datetime

from huey import crontab

from ecogov.jobs.services import periodic_job


@periodic_job(crontab(), keep=datetime.timedelta(hours=1))
def jobs_heartbeat():
    """Every minute. Its claim is the work: it tells that a consumer's scheduler enqueued
    and a worker ran the scheduled jobs (``jobs_stalled``), which an administrator's home
    page warns about when they stand still."""
