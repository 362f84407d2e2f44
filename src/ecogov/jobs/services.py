"""Scheduled jobs that run once per scheduled time, however many consumers enqueue them.

``periodic_job(crontab(...))`` is ``db_periodic_task`` whose run first claims the job's
scheduled time with a row (``JobRun``, unique per job and time): a second consumer's
insert is refused and it skips. A run that fails gives its claim back, so that a retry
can take it; the jobs also catch up at their next time (they are scans).
"""

import datetime
import functools
import logging
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
from huey.contrib.djhuey import HUEY, db_periodic_task

from ecogov.jobs.models import JobRun

log = logging.getLogger(__name__)

KEEP = datetime.timedelta(days=30)  # claims older than this are removed
_LOOK_BACK = 24 * 60 + 1  # minutes: the schedules are daily at the rarest
_MINUTE = datetime.timedelta(minutes=1)


def slot_of(schedule: Callable[[datetime.datetime], bool], now: datetime.datetime) -> str:
    """The latest minute at or before ``now`` that ``schedule`` (a huey crontab) names,
    as text; ``now``'s own minute if it names none within a day."""
    minute = now.replace(second=0, microsecond=0)
    for back in range(_LOOK_BACK):
        moment = minute - _MINUTE * back
        if schedule(moment):
            return f"{moment:%Y-%m-%d %H:%M}"
    return f"{minute:%Y-%m-%d %H:%M}"


def scheduler_now() -> datetime.datetime:
    """The clock huey's scheduler reads its crontabs by (naive: local, or UTC)."""
    if HUEY.utc:
        return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    return datetime.datetime.now()


def job_claim(*, job: str, slot: str) -> JobRun | None:
    """The claim of ``job`` for ``slot``, or None when another run holds it."""
    try:
        with transaction.atomic():
            return JobRun.objects.create(job=job, slot=slot)
    except IntegrityError:
        return None


def job_run_once(*, job: str, slot: str, work: Callable[[], object],
                 keep: datetime.timedelta = KEEP) -> bool:  # fmt: skip
    """Do ``work`` unless another run claimed ``job`` for ``slot``; True if it ran. The
    job's claims older than ``keep`` are removed."""
    claim = job_claim(job=job, slot=slot)
    if claim is None:
        log.info("%s for %s: run by another consumer, skipped", job, slot)
        return False
    try:
        work()
    except BaseException:
        claim.delete()  # a retry may take it
        raise
    claim.finished_at = timezone.now()
    claim.save(update_fields=["finished_at"])
    JobRun.objects.filter(job=job, claimed_at__lt=claim.finished_at - keep).delete()
    return True


def periodic_job(schedule: Callable[[datetime.datetime], bool], *,
                 keep: datetime.timedelta = KEEP):  # fmt: skip
    """``db_periodic_task(schedule)`` that runs once per scheduled time (see module); its
    claims are kept for ``keep``."""

    def decorate(function):
        job = f"{function.__module__}.{function.__name__}"

        @functools.wraps(function)
        def once() -> bool:
            slot = slot_of(schedule, scheduler_now())
            return job_run_once(job=job, slot=slot, work=function, keep=keep)

        task = db_periodic_task(schedule)(once)
        # A run asked for by hand (``call_local``: an operator's shell, a test) is nobody's
        # scheduled time: it always does the work. The consumers run ``once``.
        task.call_local = function
        return task

    return decorate


# Each minute a consumer's scheduler and a worker leave a claim of the heartbeat: when
# none is this recent, no consumer runs, and the clocks, reminders and scans stand still.
HEARTBEAT = "ecogov.jobs.tasks.jobs_heartbeat"
STALLED = datetime.timedelta(minutes=10)


def jobs_stalled(now: datetime.datetime | None = None) -> tuple[bool, datetime.datetime | None]:
    """Whether the scheduled jobs stand still, and when a consumer last ran (None: never)."""
    now = now or timezone.now()
    last = (
        JobRun.objects.filter(job=HEARTBEAT).order_by("-claimed_at")
        .values_list("claimed_at", flat=True).first()
    )  # fmt: skip
    return last is None or now - last > STALLED, last
