"""Scheduled jobs run once per scheduled time, however many huey consumers enqueue them."""

import datetime

import pytest
from huey import crontab
from huey.contrib import djhuey

from ecogov.jobs.models import JobRun
from ecogov.jobs.services import job_run_once, slot_of
from ecogov.monitoring.tasks import monitoring_scan

EVERY_TEN = crontab(minute="*/10")
NIGHTLY = crontab(hour="1", minute="10")


@pytest.mark.parametrize(
    "schedule, now, slot",
    [
        (EVERY_TEN, datetime.datetime(2026, 3, 2, 1, 17, 59), "2026-03-02 01:10"),
        (EVERY_TEN, datetime.datetime(2026, 3, 2, 1, 20, 0, 5), "2026-03-02 01:20"),
        (NIGHTLY, datetime.datetime(2026, 3, 2, 5, 0), "2026-03-02 01:10"),
        (NIGHTLY, datetime.datetime(2026, 3, 2, 0, 30), "2026-03-01 01:10"),
    ],
)
def test_it_names_the_scheduled_time_a_late_worker_still_belongs_to(schedule, now, slot):
    assert slot_of(schedule, now) == slot


@pytest.mark.django_db
def test_it_does_the_work_once_for_the_same_time_and_again_for_the_next():
    done = []
    assert job_run_once(job="scan", slot="2026-03-02 01:10", work=lambda: done.append(1))
    # the second consumer's copy of the same scheduled run
    assert not job_run_once(job="scan", slot="2026-03-02 01:10", work=lambda: done.append(2))
    assert job_run_once(job="scan", slot="2026-03-02 01:20", work=lambda: done.append(3))
    assert done == [1, 3]
    assert JobRun.objects.filter(finished_at__isnull=False).count() == 2


@pytest.mark.django_db
def test_a_run_that_fails_gives_its_time_back_for_a_retry():
    def fail():
        raise RuntimeError("database away")

    with pytest.raises(RuntimeError):
        job_run_once(job="scan", slot="2026-03-02 01:10", work=fail)
    assert job_run_once(job="scan", slot="2026-03-02 01:10", work=lambda: None)


@pytest.fixture
def consumer(monkeypatch):
    """Tasks executed as a consumer executes them, but for the closing of stale database
    connections around each task, which would close the test's own (on PostgreSQL)."""
    monkeypatch.setattr(djhuey, "close_old_connections", lambda: None)


@pytest.mark.django_db
def test_a_periodic_task_enqueued_by_two_consumers_runs_once(consumer):
    # What a consumer does with a task it dequeued: execute it.
    assert monitoring_scan.s().execute() is True
    assert monitoring_scan.s().execute() is False
    assert JobRun.objects.get().job == "ecogov.monitoring.tasks.monitoring_scan"


@pytest.mark.django_db
def test_a_run_asked_for_by_hand_always_does_the_work(consumer):
    assert monitoring_scan.s().execute() is True  # the schedule's run
    monitoring_scan.call_local()  # an operator's, in the same minute
    assert JobRun.objects.count() == 1


@pytest.mark.django_db
def test_an_administrator_is_warned_when_no_consumer_runs_the_jobs(personas, client_for,
                                                                   consumer):  # fmt: skip
    import datetime as dt

    from django.utils import timezone

    from ecogov.jobs.services import HEARTBEAT
    from ecogov.jobs.tasks import jobs_heartbeat

    def warned(user) -> bool:
        return 'id="jobs-warning"' in client_for(user).get("/").content.decode()

    assert warned(personas.ada)  # no consumer has run yet
    assert jobs_heartbeat.s().execute() is True  # a consumer's worker runs the heartbeat
    assert JobRun.objects.get().job == HEARTBEAT  # the job the warning reads
    assert not warned(personas.ada)
    assert not warned(personas.dora)  # only administrators can start a consumer
    JobRun.objects.update(claimed_at=timezone.now() - dt.timedelta(minutes=11))
    assert warned(personas.ada) and not warned(personas.dora)
