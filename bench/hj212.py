"""Benchmark of the HJ 212 ingestion server against a bare asyncio server, same client.

    .venv/bin/python bench/hj212.py                      # SQLite, a scratch file
    .venv/bin/python bench/hj212.py --start-postgres      # a private PostgreSQL on port 54339
    .venv/bin/python bench/hj212.py --database-url postgres://user@host:port/db
    .venv/bin/python bench/hj212.py --diagnose            # + where the stored server's time goes
                                                          #   (its writer as a thread: timers
                                                          #   cannot reach into the process)

Targets from issue 7:
- closed loop (each logger waits for its 9014 before the next frame), 200 connections:
  at least 0.5 × the rate of a bare asyncio server that answers every frame without
  storing it, measured in the same run with the same client;
- open loop, 1,000 connections each sending one frame per second, phases spread: p99
  answer latency under 100 ms;
- both with SQLite and with PostgreSQL.

Three processes so that nobody shares a GIL: the client (``simulator.run``, in this
process), the stored server (``ecogov hj212 serve``) and the bare server (this file with
``--bare-server``). The points are registered before the servers start; each stored run
sends data times earlier than the run before it, so that no run leaves a gap the next
would report as missing data. After each stored run the database must hold a packet for
every frame that was answered. The database is a scratch one: an SQLite file in a
temporary directory, or a database created for the run on the PostgreSQL server given
(dropped afterwards). The servers run with DEBUG=False as in production (``--debug``
keeps Django's development default, which records every query). Nothing is written to
docs/benchmarks.md when the measured code (``MEASURED``) changed during the run.
"""

import argparse
import asyncio
import contextlib
import datetime
import gc
import hashlib
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import ROOT, machine, write_section  # noqa: E402

TITLE = "Monitoring (issue 7): HJ 212 ingestion server, {database}"
PG_PORT = 54339
CLOSED_CONNECTIONS = 200
OPEN_CONNECTIONS = 1000
CODES = ("w00000", "w01001", "w01018", "w21003", "w21011")  # the simulator's "water" profile
LIMITS = {"w01018": "100", "w21003": "15", "w21011": "1"}  # well above what it sends
CLK_TCK = os.sysconf("SC_CLK_TCK")
# The code measured: the figures are only written when it did not change during the run.
MEASURED = ("src/ecogov/monitoring/server.py", "src/ecogov/monitoring/writer.py",
            "src/ecogov/monitoring/ingest.py", "src/ecogov/domain/monitorchecks.py",
            "src/ecogov/monitoring/simulator.py", "src/ecogov/standards/hj212.py")  # fmt: skip
# What --diagnose times, where src/ has it (wrapped from outside; src/ is not changed).
INGESTOR_STEPS = ("store", "_new_uploads", "_write", "_seed_last_hours", "_mark_seen", "_check",
                  "_history", "refresh")  # fmt: skip
MODULE_STEPS = ("_insert", "raise_alarms")
STEPS = (
    ("store", "`Ingestor.store`, in all (one transaction per batch)"),
    ("_new_uploads", "· `_new_uploads` (the duplicate check)"),
    ("_write", "· `_write`"),
    ("_insert", "· · `_insert` (the Packet and Reading INSERTs)"),
    ("bulk_create", "· · `QuerySet.bulk_create`"),
    ("_seed_last_hours", "· · `_seed_last_hours`"),
    ("_mark_seen", "· · `_mark_seen` (Point.last_seen, last_data_time)"),
    ("rest of _write", "· · the rest of `_write` (building the rows: `_decimal`, the limits)"),
    ("_check", "· · `_check` (the hourly checks)"),
    ("_history", "· · · `_history`"),
    ("raise_alarms", "· · · `raise_alarms`"),
    ("commit", "· commit"),
    ("refresh", "`Ingestor.refresh` (the catalogue)"),
)
INSIDE_WRITE = ("_insert", "bulk_create", "_seed_last_hours", "_mark_seen", "_check")


# --- the bare server (a child process) ---------------------------------------------------


def bare_server(host: str, port: int) -> None:
    """Answers every frame that asks for it, stores nothing: the ceiling of the client."""
    import resource

    from ecogov.standards import hj212

    # as server.raise_open_files_limit does (that module needs Django set up)
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    async def handle(reader, writer):
        decoder = hj212.StreamDecoder(crc="tolerant")
        try:
            while chunk := await reader.read(64 * 1024):
                answers = [
                    hj212.build(hj212.answer_data(item))
                    for item in decoder.feed(chunk)
                    if isinstance(item, hj212.Packet) and item.flag and item.flag.need_answer
                ]
                if answers:
                    writer.write(b"".join(answers))
                    await writer.drain()
        except OSError:
            pass
        finally:
            writer.close()

    async def main():
        server = await asyncio.start_server(handle, host, port, backlog=4096, reuse_address=True)
        print(f"bare server listening on {host}:{port}", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        async with server:
            await stop.wait()

    asyncio.run(main())


# --- the stored server, instrumented (a child process, --diagnose only) -------------------


def instrumented_server(
    host: str, port: int, out: Path, use_cprofile: bool, freeze: bool = False
) -> None:
    """``ecogov hj212 serve`` with timers around the steps of ``Ingestor`` (and cProfile,
    one profiler for the event loop thread and one for the writer thread). Diagnosis
    only: the timers wrap the methods from outside, nothing in src/ is changed."""
    import cProfile
    import json

    import django

    django.setup()
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models import QuerySet

    from ecogov.monitoring import ingest, server

    timings: dict[str, list[float]] = {}
    threads: dict[str, set[str]] = {}
    # (size, seconds in store_batch, when it began, CPU seconds of the writer thread in it)
    batches: list[tuple[int, float, float, float]] = []

    def timed(owner, name: str) -> None:
        original = getattr(owner, name, None)
        if original is None:
            return

        def wrapper(*args, **kwargs):
            began = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                timings.setdefault(name, []).append(time.perf_counter() - began)
                threads.setdefault(name, set()).add(threading.current_thread().name)

        setattr(owner, name, wrapper)

    writer_profile = cProfile.Profile() if use_cprofile else None
    store = server.store_batch

    def store_batch(ingestor, items):
        if writer_profile is not None:
            writer_profile.enable()
        began, cpu = time.perf_counter(), time.thread_time()
        try:
            return store(ingestor, items)
        finally:
            batches.append(
                (len(items), time.perf_counter() - began, began, time.thread_time() - cpu)
            )
            if writer_profile is not None:
                writer_profile.disable()

    server.store_batch = store_batch  # the writer thread calls it by this name
    for name in INGESTOR_STEPS:
        timed(ingest.Ingestor, name)
    for name in MODULE_STEPS:
        timed(ingest, name)
    timed(QuerySet, "bulk_create")
    timed(BaseDatabaseWrapper, "commit")

    # Stalls of the event loop (a 5 ms tick that came late) and garbage collections:
    # what, besides the writer, can hold answers back.
    stalls: list[tuple[float, float]] = []  # (when, seconds late)
    collections: list[tuple[int, float, float]] = []  # (generation, when, seconds)
    collecting = {}

    def on_gc(phase, info):
        if phase == "start":
            collecting["began"] = time.perf_counter()
        elif "began" in collecting:
            began = collecting.pop("began")
            collections.append((info["generation"], began, time.perf_counter() - began))

    gc.callbacks.append(on_gc)

    async def watch_loop():
        while True:
            began = time.perf_counter()
            await asyncio.sleep(0.005)
            late = time.perf_counter() - began - 0.005
            if late > 0.01:
                stalls.append((began, late))

    async def main():
        watcher = asyncio.create_task(watch_loop())

        def ready(_server):
            if freeze:  # an experiment: what is loaded by now is never collected again
                gc.collect()
                gc.freeze()
            print("listening", flush=True)

        await server.serve_until_stopped(host, port, ready=ready)
        watcher.cancel()

    loop_profile = cProfile.Profile() if use_cprofile else None
    if loop_profile is not None:
        loop_profile.enable()
    asyncio.run(main())
    if loop_profile is not None:
        loop_profile.disable()
        loop_profile.dump_stats(str(out) + ".loop.prof")
        writer_profile.dump_stats(str(out) + ".writer.prof")
    threads_seen = {name: sorted(names) for name, names in threads.items()}
    out.write_text(
        json.dumps(
            {
                "timings": timings,
                "threads": threads_seen,
                "batches": batches,
                "stalls": stalls,
                "collections": collections,
                "tracked": len(gc.get_objects()) + gc.get_freeze_count(),
                "frozen": gc.get_freeze_count(),
            }
        )
    )


# --- processes ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Child:
    """A server in its own process, ready once its port accepts connections."""

    def __init__(self, name: str, command: list[str], port: int, env: dict, logdir: Path):
        self.name, self.port = name, port
        self.log = logdir / f"{name}.log"
        self.process = subprocess.Popen(
            command, env=env, stdout=self.log.open("ab"), stderr=subprocess.STDOUT, cwd=ROOT
        )
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise SystemExit(f"{name} exited:\n{self.log.read_text()[-3000:]}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise SystemExit(f"{name} did not listen on {port}") from None
                time.sleep(0.1)

    def cpu(self) -> tuple[float, float]:
        """CPU seconds of the server's process and of its children (the writer process)."""
        return process_cpu(self.process.pid), children_cpu(self.process.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _stat(path: Path) -> list[str] | None:
    try:
        return path.read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of a process (all its threads)."""
    fields = _stat(Path(f"/proc/{pid}/stat"))
    return (int(fields[11]) + int(fields[12])) / CLK_TCK if fields else 0.0


def children_cpu(parent: int) -> float:
    """CPU seconds of the live children of a process (PostgreSQL's backends, the stored
    server's writer process)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        fields = _stat(stat)
        if fields and int(fields[1]) == parent:
            total += (int(fields[11]) + int(fields[12])) / CLK_TCK
    return total


def machine_ticks() -> tuple[int, int]:
    """(all CPU ticks, steal ticks) of the machine: time the hypervisor gave to others."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(fields[:8]), fields[7] if len(fields) > 7 else 0


# --- PostgreSQL ---------------------------------------------------------------------------


class PrivatePostgres:
    """initdb + pg_ctl in a temporary directory (as the postgres user when run as root),
    fsync left on: the default durability, as a production server has it."""

    def __init__(self, port: int = PG_PORT):
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        initdb = found[-1] if found else shutil.which("initdb")
        if not initdb:
            raise SystemExit("no PostgreSQL binaries: apt-get install -y postgresql")
        self.bin = Path(initdb).resolve().parent
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="ecogov-bench-pg-"))
        self.run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.run_as:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run("initdb", "-D", f"{self.dir}/data", "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--locale=C.UTF-8")  # fmt: skip
        self._run("pg_ctl", "-D", f"{self.dir}/data", "-l", f"{self.dir}/log", "-w", "-o",
                  f"-p {port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=50",
                  "start")  # fmt: skip
        self.url = f"postgres://postgres@127.0.0.1:{port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run([*self.run_as, str(self.bin / tool), *args], check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip

    def postmaster(self) -> int:
        return int((self.dir / "data" / "postmaster.pid").read_text().split()[0])

    def stop(self) -> None:
        self._run("pg_ctl", "-D", f"{self.dir}/data", "-m", "fast", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


def scratch_postgres(url: str):
    """A database of its own on the server of ``url``: (its URL, a function to drop it)."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = f"ecogov_bench_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


def postgres_settings(url: str) -> str:
    import psycopg

    with psycopg.connect(url) as conn:
        values = dict(
            conn.execute(
                "SELECT name, setting FROM pg_settings WHERE name IN "
                "('fsync', 'synchronous_commit', 'server_version')"
            ).fetchall()
        )
    return (
        f"PostgreSQL {values['server_version']}, fsync={values['fsync']}, "
        f"synchronous_commit={values['synchronous_commit']}"
    )


def postmaster_of(url: str) -> int | None:
    """The postmaster's pid when the server runs on this machine (for its CPU time)."""
    import psycopg

    with psycopg.connect(url) as conn:
        pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    fields = _stat(Path(f"/proc/{pid}/stat"))
    return int(fields[1]) if fields else None


# --- the runs -----------------------------------------------------------------------------


def fingerprint() -> dict[str, str]:
    return {path: hashlib.sha256((ROOT / path).read_bytes()).hexdigest()[:10] for path in MEASURED}


def register(count: int, prefix: str) -> list:
    """``count`` active source outlets with the water profile's pollutants; their loggers."""
    from decimal import Decimal

    from ecogov.monitoring import simulator
    from ecogov.monitoring.models import Factor, Point
    from ecogov.org.models import Jurisdiction

    area, _ = Jurisdiction.objects.get_or_create(
        name="基准区", parent=None, defaults={"level": 3, "code": "630199"}
    )
    Point.objects.bulk_create(
        Point(jurisdiction=area, kind=Point.Kind.SOURCE, name=f"{prefix} {i}",
              mn=f"{prefix}{i:020d}", password="123456")
        for i in range(count)
    )  # fmt: skip
    points = list(Point.objects.filter(mn__startswith=prefix).order_by("mn"))
    Factor.objects.bulk_create(
        Factor(point=point, code=code, unit="mg/L",
               limit=Decimal(LIMITS[code]) if code in LIMITS else None)
        for point in points
        for code in CODES
    )  # fmt: skip
    return [
        simulator.Logger(point.mn, point.password, "water",
                         {code: Decimal(limit) for code, limit in LIMITS.items()})
        for point in points
    ]  # fmt: skip


def stored_count(loggers, start: datetime.datetime) -> tuple[int, int]:
    """Packets and readings of these loggers from ``start`` on, up to a year."""
    import zoneinfo

    from django.conf import settings

    from ecogov.monitoring.models import Packet, Reading

    since = start.replace(tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
    until = since.replace(year=since.year + 1)
    mns = [logger.mn for logger in loggers]
    return (
        Packet.objects.filter(point__mn__in=mns, data_time__gte=since, data_time__lt=until).count(),
        Reading.objects.filter(point__mn__in=mns, time__gte=since, time__lt=until).count(),
    )


def drive(server: Child, loggers, *, rate: float, seconds: float, start, db_cpu=None) -> dict:
    """One run of the client against a server; latencies and CPU per answered frame."""
    from ecogov.monitoring import simulator

    frames = int(seconds * rate) + 5 if rate else int(seconds * 100) + 100
    ticks = machine_ticks()
    before = (*server.cpu(), time.process_time(), db_cpu() if db_cpu else 0.0)
    report = asyncio.run(
        simulator.run("127.0.0.1", server.port, loggers, frames=frames, start=start, rate=rate,
                      duration=seconds)
    )  # fmt: skip
    after = (*server.cpu(), time.process_time(), db_cpu() if db_cpu else 0.0)
    total, steal = (b - a for a, b in zip(ticks, machine_ticks(), strict=True))
    answered = max(report.answered, 1)
    # Open loop: the answers after the first 5 s (latencies are kept in answer order).
    later = sorted(report.latencies[int(5 * len(loggers) * rate) :]) if rate else []
    return {
        "server": server.name,
        "connections": len(loggers),
        "sent": report.sent,
        "answered": report.answered,
        "errors": report.errors,
        "seconds": report.seconds,
        "rate": report.rate,
        "p50": report.percentile(50),
        "p99": report.percentile(99),
        "max": max(report.latencies) if report.latencies else None,
        # CPU per answered frame, µs: the server (its process and its writer process), the
        # client, the database backends
        "cpu_server": (after[0] + after[1] - before[0] - before[1]) / answered * 1e6,
        "cpu_writer": (after[1] - before[1]) / answered * 1e6,
        "cpu_client": (after[2] - before[2]) / answered * 1e6,
        "cpu_db": (after[3] - before[3]) / answered * 1e6 if db_cpu else None,
        "steal": steal / total if total else 0.0,
        "p99_later": later[max(0, -(-99 * len(later) // 100) - 1)] if later else None,
    }


def ms(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds * 1e3:,.1f} ms"


def summary(result: dict) -> str:
    return (
        f"{result['server']:>8} {result['connections']:>5} conn: sent {result['sent']:,} "
        f"answered {result['answered']:,} in {result['seconds']:.1f} s = {result['rate']:,.0f}/s, "
        f"p50 {ms(result['p50'])}, p99 {ms(result['p99'])}, max {ms(result['max'])}, "
        + (f"p99 after 5 s {ms(result['p99_later'])}, " if result["p99_later"] else "")
        + f"CPU µs/frame server {result['cpu_server']:.0f}"
        + (f" (writer process {result['cpu_writer']:.0f})" if result["cpu_writer"] else "")
        + f" client {result['cpu_client']:.0f}"
        + (f" db {result['cpu_db']:.0f}" if result["cpu_db"] is not None else "")
        + f", steal {result['steal']:.0%}"
        + (f", {result['errors']} connections failed" if result["errors"] else "")
        + (f", stored {result['stored']:,}" if "stored" in result else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="postgres://… (a scratch database is created)")
    parser.add_argument("--start-postgres", action="store_true",
                        help=f"initdb and start a private PostgreSQL on port {PG_PORT}")  # fmt: skip
    parser.add_argument("--closed-seconds", type=float, default=20.0)
    parser.add_argument("--open-seconds", type=float, default=30.0)
    parser.add_argument("--repeat", type=int, default=3,
                        help="bare/stored pairs per mode; the median is reported")  # fmt: skip
    parser.add_argument("--debug", action="store_true", help="servers with DEBUG=True")
    parser.add_argument("--diagnose", action="store_true",
                        help="then run the stored server instrumented (timers, cProfile)")  # fmt: skip
    parser.add_argument("--diagnose-only", action="store_true", help="the diagnosis alone")
    parser.add_argument("--no-write", action="store_true", help="do not touch docs/benchmarks.md")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory (logs)")
    parser.add_argument("--bare-server", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--instrumented-server", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--cprofile", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--gc-freeze", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.bare_server:
        bare_server("127.0.0.1", args.bare_server)
        return
    if args.instrumented_server:
        instrumented_server(
            "127.0.0.1", args.instrumented_server, Path(args.out), args.cprofile, args.gc_freeze
        )
        return

    with bench_environment(prefix="ecogov-bench-hj212-", database_url=args.database_url,
                           start_postgres=args.start_postgres, debug=args.debug,
                           keep=args.keep) as (env, scratch, url, postgres):  # fmt: skip
        run(args, env, scratch, url, postgres)


@contextlib.contextmanager
def bench_environment(
    *, prefix: str, database_url=None, start_postgres=False, pg_port=PG_PORT, debug=False,
    keep=False,
):  # fmt: skip
    """A scratch directory, and a scratch database on the PostgreSQL given or started here
    (else SQLite in the directory); the servers' environment, set in this process too:
    (env, scratch directory, database URL or None, ``PrivatePostgres`` or None)."""
    scratch = Path(tempfile.mkdtemp(prefix=prefix))
    cleanup = []
    postgres = None
    try:
        url = database_url
        if start_postgres:
            postgres = PrivatePostgres(pg_port)
            cleanup.append(postgres.stop)
            url = postgres.url
        env = dict(os.environ)
        env.update(ECOGOV_VAR_DIR=str(scratch), DJANGO_SETTINGS_MODULE="ecogov.settings",
                   DEBUG="True" if debug else "False", LOG_LEVEL="WARNING")  # fmt: skip
        env.pop("DATABASE_URL", None)
        if url:
            url, drop = scratch_postgres(url)
            cleanup.insert(0, drop)
            env["DATABASE_URL"] = url
        os.environ.clear()
        os.environ.update(env)
        yield env, scratch, url, postgres
    finally:
        for step in cleanup:
            try:
                step()
            except Exception as error:  # noqa: BLE001 - clean up what can be
                print(f"cleanup: {error}", file=sys.stderr)
        if keep:
            print(f"scratch directory kept: {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)


def run(args, env: dict, scratch: Path, url: str | None, postgres) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from ecogov.monitoring.server import raise_open_files_limit

    code = fingerprint()
    limit = raise_open_files_limit()
    call_command("migrate", verbosity=0)
    database = "PostgreSQL" if url else "SQLite"
    db_note = postgres_settings(url) if url else "SQLite (WAL, the settings' default)"
    postmaster = postgres.postmaster() if postgres else (postmaster_of(url) if url else None)
    db_cpu = (lambda: children_cpu(postmaster)) if postmaster else None
    print(f"{database}: {db_note}; open files limit {limit}; code {code}", flush=True)
    if args.diagnose_only:
        diagnose(args, env, scratch, db_cpu, bare_cpu=None)
        return

    closed_loggers = register(CLOSED_CONNECTIONS, "BC")
    open_loggers = register(OPEN_CONNECTIONS, "BO")
    ecogov = str(Path(sys.executable).with_name("ecogov"))
    stored_port, bare_port = free_port(), free_port()
    stored = Child("stored", [ecogov, "hj212", "serve", "--host", "127.0.0.1",
                              "--port", str(stored_port)], stored_port, env, scratch)  # fmt: skip
    bare = Child("bare", [sys.executable, __file__, "--bare-server", str(bare_port)],
                 bare_port, env, scratch)  # fmt: skip
    results: dict[str, list[dict]] = {}
    start = datetime.datetime(2025, 1, 1)
    during = 0
    try:
        modes = [
            ("closed", closed_loggers, 0.0, args.closed_seconds),
            ("open", open_loggers, 1.0, args.open_seconds),
        ]
        for mode, loggers, rate, seconds in modes:
            for _ in range(args.repeat):
                for server in (bare, stored):
                    start = start.replace(year=start.year - 1)
                    result = drive(server, loggers, rate=rate, seconds=seconds, start=start,
                                   db_cpu=db_cpu if server is stored else None)  # fmt: skip
                    if server is stored:
                        result["stored"], result["readings"] = stored_count(loggers, start)
                        result["complete"] = result["stored"] >= result["answered"]
                    results.setdefault(f"{mode} {server.name}", []).append(result)
                    print(f"{mode:>6} {summary(result)}", flush=True)
        during = len(stored.log.read_bytes())
    finally:
        stored.stop()
        bare.stop()
    log = stored.log.read_bytes()[:during].decode(errors="replace")
    problems = [
        line
        for line in log.splitlines()
        if any(w in line for w in ("ERROR", "Traceback", "refused"))
    ]
    if problems:
        print(f"stored server log, during the runs ({len(problems)} lines):\n"
              + "\n".join(problems[:20]), flush=True)  # fmt: skip

    body = report(args, results, database, db_note, postgres, code)
    if args.diagnose:
        bare_cpu = statistics.median(r["cpu_server"] for r in results["closed bare"])
        body += "\n" + "\n".join(diagnose(args, env, scratch, db_cpu, bare_cpu))
    changed = [path for path, digest in fingerprint().items() if code[path] != digest]
    if changed:
        sys.stdout.write(body + "\n")
        raise SystemExit(
            f"{', '.join(changed)} changed during the run: the figures above mix two versions "
            "of the code, docs/benchmarks.md is left as it was."
        )
    if args.no_write:
        sys.stdout.write(body + "\n")
    else:
        sys.stdout.write(write_section(TITLE.format(database=database), body))


def median_result(runs: list[dict], key: str) -> dict:
    """The run whose ``key`` is the median (the lower one of an even count)."""
    ordered = sorted(runs, key=lambda r: r[key] if r[key] is not None else float("inf"))
    return ordered[(len(ordered) - 1) // 2]


def report(args, results: dict, database: str, db_note: str, postgres, code: dict) -> str:
    command = ".venv/bin/python bench/hj212.py"
    if database == "PostgreSQL":
        command += " --start-postgres" if postgres else " --database-url postgres://…"
    if args.debug:
        command += " --debug"
    # Closed loop: the ratio of each stored run to the bare run just before it; the pair
    # with the median ratio is shown.
    pairs = sorted(
        zip(results["closed bare"], results["closed stored"], strict=True),
        key=lambda pair: pair[1]["rate"] / pair[0]["rate"],
    )
    closed_bare, closed_stored = pairs[(len(pairs) - 1) // 2]
    ratio = closed_stored["rate"] / closed_bare["rate"]
    open_bare = median_result(results["open bare"], "p99")
    open_stored = median_result(results["open stored"], "p99")
    everything = [r for runs in results.values() for r in runs]
    steal = [r["steal"] for r in everything]
    stored_runs = results["closed stored"] + results["open stored"]
    complete = all(r["complete"] for r in stored_runs)
    versions = ", ".join(f"{Path(path).name} {digest}" for path, digest in code.items())
    lines = [
        f"Reproduce with `{command}`"
        + (" (as root: it runs initdb under `runuser -u postgres`)." if postgres else "."),
        f"Machine: {machine()}; {db_note}. Three programs: the client "
        "(`simulator.run`, water profile, 5 pollutants, no faults), `ecogov hj212 serve` "
        f"(DEBUG={args.debug}; its writer is a process of its own) and a bare asyncio server that answers every frame without "
        "storing it (the ceiling of the client). "
        f"Closed loop {args.closed_seconds:.0f} s, open loop {args.open_seconds:.0f} s per run; "
        f"{args.repeat} runs of each server, bare then stored, in turn; shown: the closed-loop "
        "pair with the median ratio, the open-loop runs with the median p99. CPU is per "
        "answered frame (the client's own; the server's, its writer process's in brackets; "
        "PostgreSQL's backends'). "
        f"CPU stolen by the host's other tenants during the runs: {min(steal):.0%}–"
        f"{max(steal):.0%}. Code measured (sha256): {versions}.",
        "",
        "| run | server | sent | answered | frames/s | p50 | p99 | max | CPU µs/frame server · "
        "client" + (" · database" if database == "PostgreSQL" else "") + " |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for label, result in (
        (f"closed loop, {CLOSED_CONNECTIONS} connections", closed_bare),
        ("", closed_stored),
        (f"open loop, {OPEN_CONNECTIONS:,} connections × 1 frame/s", open_bare),
        ("", open_stored),
    ):
        writer = f" ({result['cpu_writer']:.0f})" if result.get("cpu_writer") else ""
        cpu = f"{result['cpu_server']:.0f}{writer} · {result['cpu_client']:.0f}"
        if result["cpu_db"] is not None:
            cpu += f" · {result['cpu_db']:.0f}"
        elif database == "PostgreSQL":
            cpu += " · –"
        lines.append(
            f"| {label} | {result['server']} | {result['sent']:,} | {result['answered']:,} | "
            f"{result['rate']:,.0f} | {ms(result['p50'])} | {ms(result['p99'])} | "
            f"{ms(result['max'])} | {cpu} |"
        )
    all_closed = ", ".join(
        f"{s['rate']:,.0f}/{b['rate']:,.0f} = {s['rate'] / b['rate']:.2f}×"
        for b, s in zip(results["closed bare"], results["closed stored"], strict=True)
    )
    all_open = ", ".join(ms(s["p99"]) for s in results["open stored"])
    p99 = open_stored["p99"]
    cores = os.cpu_count() or 1
    per_frame = {  # µs of the machine's CPU per frame: server (with its writer), client, database
        name: r["cpu_server"] + r["cpu_client"] + (r["cpu_db"] or 0.0)
        for name, r in (("bare", closed_bare), ("stored", closed_stored))
    }
    busy = {
        name: r["rate"] * per_frame[name] / 1e6 / cores
        for name, r in (("bare", closed_bare), ("stored", closed_stored))
    }
    ceiling = busy["bare"] * cores * 1e6 / per_frame["stored"]
    lines += [
        "",
        f"- Closed loop: stored {closed_stored['rate']:,.0f} frames/s = **{ratio:.2f}×** the bare "
        f"server (target ≥ 0.5×: {'met' if ratio >= 0.5 else 'NOT met'}); every pair, "
        f"stored/bare: {all_closed}.",
        f"- Closed loop, CPU: all programs together spent {per_frame['stored']:.0f} µs per stored "
        f"frame against {per_frame['bare']:.0f} per bare one, and kept the {cores} cores "
        f"{busy['stored']:.0%} busy against {busy['bare']:.0%}. Even as busy as the bare run, "
        f"this code could not store more than {ceiling:,.0f} frames/s here "
        f"({ceiling / closed_bare['rate']:.2f}× the bare server).",
        f"- Open loop: stored p99 **{ms(p99)}** (target < 100 ms: "
        f"{'met' if p99 is not None and p99 < 0.1 else 'NOT met'}), "
        f"{(p99 or float('inf')) / open_bare['p99']:.1f}× the bare server's p99; every run: "
        f"{all_open}. Without the answers of the first 5 s (the loggers are new to the server "
        "in the first run only): "
        + ", ".join(ms(s["p99_later"]) for s in results["open stored"])
        + ".",
    ]
    if complete:
        lines.append("- Every answered frame was found stored after each run: yes.")
    else:
        missing = "; ".join(
            f"{r['answered']:,} answered, {r['stored']:,} stored"
            for r in stored_runs
            if not r["complete"]
        )
        lines.append(f"- Every answered frame was found stored after each run: **NO**: {missing}.")
    return "\n".join(lines)


# --- diagnosis ----------------------------------------------------------------------------


def diagnose(args, env: dict, scratch: Path, db_cpu, bare_cpu: float | None) -> list[str]:
    """The stored server again, instrumented (timers, then cProfile), and ``Ingestor``
    alone in this process; prints the details, returns a summary for the report."""
    import json
    import pstats

    from ecogov.monitoring.models import Point

    refresh_ms, refresh_points, alone = store_alone()
    runs = [
        (False, "closed", CLOSED_CONNECTIONS, 0.0, args.closed_seconds),
        (False, "open", OPEN_CONNECTIONS, 1.0, args.open_seconds),
        (True, "closed", CLOSED_CONNECTIONS, 0.0, args.closed_seconds),
        # the same closed loop, its points registered after the server started
        (False, "new points", CLOSED_CONNECTIONS, 0.0, args.closed_seconds),
        # the open loop again, gc.freeze() called once the server listens (an experiment)
        (False, "open, gc.freeze", OPEN_CONNECTIONS, 1.0, args.open_seconds),
    ]
    found = {}
    for number, (use_cprofile, mode, connections, rate, seconds) in enumerate(runs):
        port = free_port()
        out = scratch / f"diagnose-{number}.json"
        command = [sys.executable, __file__, "--instrumented-server", str(port), "--out", str(out)]
        if use_cprofile:
            command.append("--cprofile")
        if "gc.freeze" in mode:
            command.append("--gc-freeze")
        if mode != "new points":
            loggers = register(connections, f"D{number}")
        server = Child("instrumented", command, port, env, scratch)
        try:
            if mode == "new points":
                loggers = register(connections, f"D{number}")
                time.sleep(3)  # as a logger that comes online a little after its registration
            start = datetime.datetime(2026, 1, 1)
            result = drive(server, loggers, rate=rate, seconds=seconds, start=start,
                           db_cpu=db_cpu)  # fmt: skip
        finally:
            server.stop()
        result["stored"], _ = stored_count(loggers, start)
        result["points"] = Point.objects.count()
        label = "timers + cProfile" if use_cprofile else "timers"
        print(f"\ndiagnose ({label}) {mode:>6} {summary(result)}", flush=True)
        timings = print_timings(json.loads(out.read_text()), result, mode)
        if use_cprofile:
            for which in ("writer", "loop"):
                stats = pstats.Stats(str(out) + f".{which}.prof")
                print(f"\n--- cProfile, {which} thread, by own time ---")
                stats.sort_stats("tottime").print_stats(25)
                print(f"--- cProfile, {which} thread, by cumulative time ---")
                stats.sort_stats("cumulative").print_stats(45)
        else:
            found[mode] = (result, timings)
    return diagnosis_lines(found, refresh_ms, refresh_points, alone, bare_cpu)


def diagnosis_lines(
    found: dict, refresh_ms: float, refresh_points: int, alone: dict, bare_cpu: float | None
) -> list[str]:
    _closed, closed_t = found["closed"]
    _open, open_t = found["open"]
    new, new_t = found["new points"]
    bare = f" (the bare server: {bare_cpu:,.0f} µs)" if bare_cpu is not None else ""
    lines = [
        "",
        "Where the time goes (`--diagnose`: the stored server run again with timers around "
        "the steps of `Ingestor`, wrapped from outside; cProfile details are printed, not "
        f"kept here). In the closed loop the writer thread is busy {closed_t['busy_share']:.0%} "
        f"of the time, with {closed_t['writer_cpu']:,.0f} µs of CPU per frame, against "
        f"{closed_t['loop_cpu']:,.0f} µs for the rest of the server process (the event loop, and "
        "the catalogue reloads where they have a thread of their own)"
        f"{bare}. `Ingestor.store` alone in the benchmark's process, batches of distinct "
        f"points: {alone[200]:,.0f} µs per frame (200 a batch), {alone[1000]:,.0f} µs (1,000).",
        "",
        "| step (wall time per answered frame) | closed loop µs | open loop µs |",
        "|---|---|---|",
    ]
    for timings in (closed_t, open_t):
        steps = timings["steps"]
        if "_write" in steps:
            steps["rest of _write"] = steps["_write"] - sum(steps.get(n, 0) for n in INSIDE_WRITE)
    for name, label in STEPS:
        if name in closed_t["steps"] or name in open_t["steps"]:
            if name == "refresh":
                label += f", thread {', '.join(closed_t['threads'].get(name, ['?']))}"
            lines.append(
                f"| {label} | {closed_t['steps'].get(name, 0):,.0f} | "
                f"{open_t['steps'].get(name, 0):,.0f} |"
            )
    lines += [
        "",
        f"Batches: closed loop median {closed_t['size']:.0f} uploads in "
        f"{closed_t['batch_ms']:.0f} ms (max {closed_t['batch_max_ms']:.0f} ms); open loop "
        f"median {open_t['size']:.0f} uploads in {open_t['batch_ms']:.0f} ms (max "
        f"{open_t['batch_max_ms']:.0f} ms), {open_t['slow_batches']} batches over 50 ms. "
        "In the open loop the event loop (a 5 ms tick) came late by more than 10 ms "
        f"{open_t['stalls']} times, by more than 50 ms {open_t['stalls_50']} times (max "
        f"{open_t['stall_max'] * 1e3:.0f} ms); garbage collection took "
        f"{open_t['gc_seconds']:.2f} s, {open_t['gc2']} full collections (max "
        f"{open_t['gc2_max'] * 1e3:.0f} ms). `Ingestor.refresh()` of {refresh_points:,} "
        f"points: {refresh_ms:.0f} ms in the benchmark's process.",
        "",
    ]
    if "open, gc.freeze" in found:
        frozen, frozen_t = found["open, gc.freeze"]
        _, open_t = found["open"]
        lines += [
            f"The server's process has {open_t['tracked']:,} objects tracked by the garbage "
            "collector at the end of the open loop. The same open loop with `gc.freeze()` "
            "called once the "
            f"server listens (a benchmark experiment; {frozen_t['frozen']:,} objects frozen): "
            f"p99 {ms(frozen['p99'])} (after 5 s: {ms(frozen['p99_later'])}) against "
            f"{ms(found['open'][0]['p99'])} (after 5 s: {ms(found['open'][0]['p99_later'])}), "
            f"{frozen_t['gc2']} full collections (max {frozen_t['gc2_max'] * 1e3:.0f} ms), "
            f"event loop late by > 50 ms {frozen_t['stalls_50']} times.",
            "",
        ]
    if new["answered"]:
        lines.append(
            f"Points registered while the server runs ({CLOSED_CONNECTIONS} new loggers "
            "connecting at once, 3 s after their registration, closed loop): "
            f"{new_t.get('refresh_calls', 0)} calls of `Ingestor.refresh()` "
            f"({new_t.get('refresh_seconds', 0):.1f} s in all, {new['points']:,} points "
            f"registered); answers: p50 {ms(new['p50'])}, max {ms(new['max'])}; "
            f"{new['rate']:,.0f} frames/s over the {new['seconds']:.0f} s."
        )
    else:
        lines.append(
            f"Points registered while the server runs: no answer within {new['seconds']:.0f} s "
            f"({new_t.get('refresh_calls', 0)} calls of `Ingestor.refresh()`)."
        )
    return lines


def store_alone() -> tuple[float, int, dict]:
    """In this process, without the network or the event loop: ``Ingestor.refresh`` of
    the runs' catalogue, and ``Ingestor.store`` on batches of distinct points (as the
    closed loop makes them), µs per frame, medians of 7 batches."""
    import random

    from django.utils import timezone

    from ecogov.monitoring import ingest, simulator
    from ecogov.standards import hj212

    ingestor = ingest.Ingestor()
    began = time.perf_counter()
    ingestor.refresh()  # the catalogue of the runs above
    refresh_ms = (time.perf_counter() - began) * 1e3
    refresh_points = len(ingestor.points)
    print(f"\nIngestor.refresh() of {refresh_points:,} points: {refresh_ms:.0f} ms")
    loggers = register(1000, "AB")
    ingestor.refresh()
    rng = random.Random(7)
    hours = iter(range(10**6))
    start = datetime.datetime(2027, 1, 1)

    def batch(size: int) -> list:
        when = start + datetime.timedelta(hours=next(hours))
        uploads = []
        for logger in loggers[:size]:
            packet = hj212.parse(hj212.build(simulator.hourly_packet(logger, when, rng)))
            info = ingestor.points[logger.mn]
            uploads.append(ingest.Upload.of(info.id, packet, timezone.now()))
        return uploads

    alone = {}
    for size in (200, 1000):
        ingestor.store(batch(size))  # history of these points loaded, as in a running server
        times = []
        for _ in range(7):
            uploads = batch(size)
            began = time.perf_counter()
            report = ingestor.store(uploads)
            times.append(time.perf_counter() - began)
            assert report.stored == size, report
        alone[size] = statistics.median(times) / size * 1e6
        print(f"Ingestor.store alone, batches of {size:,} distinct points: "
              f"{alone[size]:.0f} µs/frame")  # fmt: skip
    return refresh_ms, refresh_points, alone


def print_timings(data: dict, result: dict, mode: str) -> dict:
    batches = data["batches"]
    answered = max(result["answered"], 1)
    summary = {
        "refresh_calls": len(data["timings"].get("refresh", [])),
        "refresh_seconds": sum(data["timings"].get("refresh", [])),
        "threads": data.get("threads", {}),
        "steps": {},
    }
    if batches:
        first, last = batches[0][2], batches[-1][2] + batches[-1][1]
        busy = sum(batch[1] for batch in batches)
        writer_cpu = sum(batch[3] for batch in batches) / answered * 1e6
        sizes = [batch[0] for batch in batches]
        summary.update(
            busy_share=busy / max(last - first, 1e-9),
            writer_cpu=writer_cpu,
            loop_cpu=result["cpu_server"] - writer_cpu,
            size=statistics.median(sizes),
            batch_ms=statistics.median(b[1] for b in batches) * 1e3,
            batch_max_ms=max(b[1] for b in batches) * 1e3,
        )
        print(
            f"  {mode}: {len(batches)} batches, size median {summary['size']:.0f} "
            f"(max {max(sizes)}); writer busy {busy:.1f} s of {last - first:.1f} s "
            f"({summary['busy_share']:.0%}); batch time median {summary['batch_ms']:.1f} ms, "
            f"max {summary['batch_max_ms']:.1f} ms\n"
            f"  CPU per frame: writer thread {writer_cpu:.0f} µs, the rest of the server "
            f"process (event loop, catalogue) {summary['loop_cpu']:.0f} µs"
        )
    stalls = [late for _, late in data.get("stalls", [])]
    full = [seconds for generation, _, seconds in data.get("collections", []) if generation == 2]
    summary.update(
        stalls=len(stalls),
        stalls_50=sum(1 for late in stalls if late > 0.05),
        stall_max=max(stalls, default=0.0),
        stall_seconds=sum(stalls),
        gc2=len(full),
        gc2_max=max(full, default=0.0),
        gc_seconds=sum(seconds for _, _, seconds in data.get("collections", [])),
        slow_batches=sum(1 for b in batches if b[1] > 0.05),
    )
    print(
        f"  event loop late by > 10 ms: {len(stalls)} times ({summary['stalls_50']} by > 50 ms, "
        f"max {summary['stall_max'] * 1e3:.0f} ms, {summary['stall_seconds']:.2f} s in all); "
        f"garbage collections {summary['gc_seconds']:.2f} s in all, {len(full)} full ones "
        f"(max {summary['gc2_max'] * 1e3:.0f} ms), {data.get('tracked', 0):,} objects tracked "
        f"at the end ({data.get('frozen', 0):,} frozen); batches over 50 ms: "
        f"{summary['slow_batches']}"
    )
    summary.update(tracked=data.get("tracked", 0), frozen=data.get("frozen", 0))
    for name, values in sorted(data["timings"].items(), key=lambda item: -sum(item[1])):
        summary["steps"][name] = sum(values) / answered * 1e6
        where = ", ".join(summary["threads"].get(name, []))
        print(
            f"    {name:<18} {len(values):>6} calls {sum(values):7.2f} s "
            f"{sum(values) / answered * 1e6:7.0f} µs/frame, max {max(values) * 1e3:7.1f} ms"
            f"  [{where}]"
        )
    return summary


if __name__ == "__main__":
    main()
