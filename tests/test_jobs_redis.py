"""Two huey consumers on one Redis, as production runs them (issue 24 item 4): each
consumer's scheduler enqueues every periodic job at its time, and the job runs once.

``ecogov run_huey`` twice against a real ``redis-server`` (a Debian package that
``.ci/run`` installs) and the test database on PostgreSQL (the CI's PostgreSQL run: on
SQLite the consumers could not share the test's database). The every-minute heartbeat
is the job watched: the test waits for the next minute to pass in both consumers.
"""

import datetime
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest
from django.db import connection

from ecogov.jobs.models import JobRun
from ecogov.jobs.services import HEARTBEAT, jobs_stalled

pytestmark = [
    pytest.mark.skipif(
        not os.getenv("DATABASE_URL", "").startswith("postgres"),
        reason="two consumers share the test database: PostgreSQL",
    ),
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server"),
    pytest.mark.django_db(transaction=True),  # the consumers read what the test commits
]

SKIPPED = "run by another consumer, skipped"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis(tmp_path):
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(10)


def consumer(env: dict, log) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ecogov", "run_huey", "--workers", "2"],
                            env=env, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip


def test_two_consumers_on_one_redis_run_each_scheduled_time_once(redis, tmp_path):
    s = connection.settings_dict  # the test database, migrated
    env = {**os.environ, "ECOGOV_VAR_DIR": str(tmp_path), "HUEY_REDIS_URL": redis,
           "LOG_LEVEL": "INFO", "DJANGO_SETTINGS_MODULE": "ecogov.settings",
           "DATABASE_URL": f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:"
                           f"{s['PORT']}/{s['NAME']}"}  # fmt: skip
    assert jobs_stalled()[0]  # no consumer has run yet
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    files = [path.open("wb") for path in logs]
    consumers = [consumer(env, file) for file in files]
    try:
        # Both schedulers pass a minute boundary: wait for a heartbeat claimed after the
        # start of the next whole minute, and a few seconds for the second copy to arrive.
        started = datetime.datetime.now()
        deadline = time.monotonic() + 100
        slot = None
        while time.monotonic() < deadline and slot is None:
            time.sleep(1)
            assert all(process.poll() is None for process in consumers), [
                path.read_text(errors="replace")[-2000:] for path in logs]  # fmt: skip
            slots = JobRun.objects.filter(job=HEARTBEAT, finished_at__isnull=False).values_list(
                "slot", flat=True)  # fmt: skip
            later = [one for one in slots if one > f"{started:%Y-%m-%d %H:%M}"]
            slot = min(later) if later else None
        assert slot is not None, "no heartbeat ran within 100 s"
        time.sleep(8)
    finally:
        for process in consumers:
            process.send_signal(signal.SIGINT)  # huey's graceful stop
        for process in consumers:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        for file in files:
            file.close()
    texts = [path.read_text(errors="replace") for path in logs]
    enqueued = ["Enqueueing periodic task ecogov.jobs.tasks.jobs_heartbeat" in text
                for text in texts]  # fmt: skip
    assert all(enqueued), "each consumer's scheduler enqueues the heartbeat"
    # One claim of that minute did the work; the other copy found it and skipped.
    assert JobRun.objects.filter(job=HEARTBEAT, slot=slot).count() == 1
    skipped = sum(text.count(f"{HEARTBEAT} for {slot}: {SKIPPED}") for text in texts)
    assert skipped == 1, texts
    assert not jobs_stalled()[0]
