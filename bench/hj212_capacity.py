"""HJ 212 capacity against a province's load, on PostgreSQL (issue 24 item 5).

    .venv/bin/python bench/hj212_capacity.py --start-postgres      # private PostgreSQL, port 54342
    .venv/bin/python bench/hj212_capacity.py --database-url postgres://user@host:port/db
    .venv/bin/python bench/hj212_capacity.py --start-postgres --loggers 5000 --minutes 1 \\
        --closed-seconds 10 --floor-uploads 10000                # a quick look (not written)

Run as root or with a hard open-files limit above twice ``--loggers``: the benchmark
raises its limit (inherited by the server and the client processes it starts) up to
``fs.nr_open``.

Three measurements, in turn:

1. **Open loop, the real load.** ``--loggers`` (50,000) registered points, one ``ecogov
   hj212 serve`` (DEBUG off, its writer a process of its own) and the loggers spread over
   ``--client-processes`` processes of ``simulator.run``, each connecting from its own
   loopback address (127.0.0.2, .3, …: one source address has some 28,000 ephemeral
   ports). Once every connection is up, each logger sends a real-time upload (CN=2011)
   every ``--interval`` seconds (30), the loggers' phases spread evenly over the interval,
   for ``--minutes`` (3). Open loop: send times are fixed in advance and latency runs from
   the time a frame was due, so a slow server (or a client behind its schedule) shows up
   as latency, not as a lower rate. Reported: sent, answered, stored and found, p50/p99/
   max, connections held (``ss``) before and after, and the CPU per stored upload of the
   server's process, its writer process, PostgreSQL's backends and the client processes.
   Every answered upload must be stored exactly once (its packet and its five readings).
2. **Two servers on one PostgreSQL, closed loop.** ``--closed-connections`` loggers wait
   for each answer before sending the next: first all on one server, then half on each of
   two servers (each with its own writer process), the same client processes. On 2 cores
   the machine itself is the limit of both, so the pair runs again with every server
   (with its writer) held to ``--server-cpu`` cores by a cgroup (cgroup v1 ``cpu`` quota,
   as root): what two servers add when each has its own share of CPU, as two machines
   would.
3. **PostgreSQL's floor.** The statements the writer runs for a batch of real-time
   uploads (lock the points, the packets, the readings, the points' last times), 100
   uploads to a transaction, by plain psycopg without Django: the backend's CPU per upload
   is the database's own floor, this process's the least any Python around it costs.

Figures are written to docs/benchmarks.md only for the issue's sizes (the defaults) and
when the measured code did not change during the run (``--no-write``: printed only).
"""

import argparse
import asyncio
import datetime
import os
import pickle
import resource
import subprocess
import sys
import time
import zoneinfo
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import ROOT, machine, write_section  # noqa: E402
from hj212 import (  # noqa: E402
    Child,
    bench_environment,
    children_cpu,
    fingerprint,
    free_port,
    machine_ticks,
    ms,
    postgres_settings,
    process_cpu,
    register,
)

TITLE = "Monitoring (issue 24): HJ 212 capacity, 50,000 loggers on PostgreSQL"
PG_PORT = 54342
DEFAULTS = {"loggers": 50_000, "minutes": 3.0, "interval": 30.0}  # the load
CN = "2011"  # real-time data
READINGS = 5  # per upload: the water profile's pollutants
CGROUP_ROOT = Path("/sys/fs/cgroup/cpu")
PERIOD_US = 20_000  # of the cgroups' CPU quota
# DataTime advances by this from one upload of a logger to the next, whatever the interval
# (HJ 212 data times are whole seconds)
DATA_STEP = datetime.timedelta(seconds=30)


# --- a client process ---------------------------------------------------------------------


def client_process(spec_path: str) -> None:
    """One share of the loggers (``simulator.run``), told when to begin on stdin."""
    from ecogov.monitoring import simulator

    spec = pickle.loads(Path(spec_path).read_bytes())

    async def begin() -> float:
        print(f"connected {len(spec['loggers'])}", flush=True)
        line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        cpu[0] = time.process_time()
        return float(line)

    cpu = [0.0]
    report = asyncio.run(
        simulator.run(
            spec["host"],
            spec["port"],
            spec["loggers"],
            frames=spec["frames"],
            start=spec["start"],
            rate=spec["rate"],
            duration=spec["duration"],
            cn=CN,
            step=spec["step"],
            local_hosts=spec["local_hosts"],
            phase_offset=spec["phase_offset"],
            begin=begin,
        )  # fmt: skip
    )
    result = {
        "sent": report.sent, "answered": report.answered, "errors": report.errors,
        "connected": report.connected, "seconds": report.seconds,
        "latencies": report.latencies, "lags": report.lags,
        "cpu": time.process_time() - cpu[0],
        "answered_times": {logger.mn: logger.answered for logger in spec["loggers"]},
    }  # fmt: skip
    Path(spec["out"]).write_bytes(pickle.dumps(result, pickle.HIGHEST_PROTOCOL))


class Clients:
    """The client processes of one run, each with its share of the loggers (every
    ``count``-th, so that their phases interleave) and its own source address."""

    def __init__(self, count: int, loggers, ports: list[int], scratch: Path, env: dict, **run):
        self.processes, self.outs = [], []
        run_id = time.monotonic_ns()
        for number in range(count):
            share = loggers[number::count]
            if not share:
                continue
            out = scratch / f"client-{run_id}-{number}.result"
            spec = scratch / f"client-{run_id}-{number}.spec"
            spec.write_bytes(pickle.dumps({
                "host": "127.0.0.1", "port": ports[number % len(ports)], "loggers": share,
                "local_hosts": [f"127.0.0.{2 + number}"], "out": str(out),
                # logger i of this share is logger i * count + number of all
                "phase_offset": number / len(loggers) / run["rate"] if run["rate"] else 0.0,
                **run,
            }))  # fmt: skip
            log = (scratch / f"client-{number}.log").open("ab")
            self.processes.append(subprocess.Popen(
                [sys.executable, __file__, "--client", str(spec)], env=env, cwd=ROOT,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
            ))  # fmt: skip
            self.outs.append(out)

    def wait_connected(self, timeout: float) -> float:
        """Until every process has its connections up; seconds it took."""
        began = time.monotonic()
        for process in self.processes:
            line = process.stdout.readline()  # blocks: the processes connect meanwhile
            if not line.startswith(b"connected"):
                self.kill()
                raise SystemExit(f"a client process failed (see its log): {line!r}")
            if time.monotonic() - began > timeout:
                self.kill()
                raise SystemExit("the clients did not connect in time")
        return time.monotonic() - began

    def begin(self, at: float) -> None:
        for process in self.processes:
            process.stdin.write(f"{at}\n".encode())
            process.stdin.flush()

    def cpu(self) -> float:
        return sum(process_cpu(process.pid) for process in self.processes)

    def results(self) -> dict:
        for process in self.processes:
            if process.wait() != 0:
                raise SystemExit("a client process failed: see client-*.log (--keep)")
        merged = {"sent": 0, "answered": 0, "errors": 0, "connected": 0, "cpu": 0.0,
                  "latencies": [], "lags": [], "answered_times": {}}  # fmt: skip
        for out in self.outs:
            result = pickle.loads(out.read_bytes())
            for key in ("sent", "answered", "errors", "connected", "cpu"):
                merged[key] += result[key]
            for key in ("latencies", "lags"):
                merged[key] += result[key]
            merged["answered_times"].update(result["answered_times"])
            merged["seconds"] = max(merged.get("seconds", 0.0), result["seconds"])
        return merged

    def kill(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()


# --- measuring ----------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, -(-int(p * len(ordered)) // 100) - 1))]


def established(port: int) -> int:
    """TCP connections established to ``port`` on this machine (the server's side)."""
    out = subprocess.run(
        ["ss", "-Htn", "state", "established", f"( sport = :{port} )"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return sum(1 for line in out.splitlines() if line.strip())


def kernel_drops() -> dict:
    """Packets the kernel dropped (loopback goes through each CPU's backlog queue, of
    ``net.core.netdev_max_backlog``) and connections it gave up on (TCPAbortOnTimeout)."""
    dropped = sum(int(line.split()[1], 16)
                  for line in Path("/proc/net/softnet_stat").read_text().splitlines())  # fmt: skip
    lines = [line.split() for line in Path("/proc/net/netstat").read_text().splitlines()]
    aborted = 0
    for names, values in zip(lines[::2], lines[1::2], strict=False):
        if names[0] == "TcpExt:" and "TCPAbortOnTimeout" in names:
            aborted = int(values[names.index("TCPAbortOnTimeout")])
    return {"dropped": dropped, "aborted": aborted}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def raise_files_limit(needed: int) -> tuple[int, bool]:
    """Soft and hard open-files limit to at least ``needed`` (root with CAP_SYS_RESOURCE
    may go up to ``fs.nr_open``), else to the hard limit; inherited by every process
    started from here. (the limit, whether ``needed`` was reached)"""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= needed:
        return soft, True
    want = min(max(needed, hard), int(Path("/proc/sys/fs/nr_open").read_text()))
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, max(want, hard)))
        return want, want >= needed
    except (ValueError, OSError):  # the hard limit cannot be raised here
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        return hard, False


def idle_ticks() -> int:
    """Idle and I/O-wait ticks of all CPUs (/proc/stat)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    return int(fields[3]) + int(fields[4])


class Usage:
    """CPU seconds of every program between two moments."""

    def __init__(self, servers: list[Child], clients: Clients, db_cpu):
        self.servers, self.clients, self.db_cpu = servers, clients, db_cpu

    def sample(self) -> dict:
        sample = {"server": 0.0, "writer": 0.0, "ticks": machine_ticks(), "idle": idle_ticks()}
        for server in self.servers:
            own, children = server.cpu()
            sample["server"] += own
            sample["writer"] += children
        sample["client"] = self.clients.cpu()
        sample["db"] = self.db_cpu()
        sample["at"] = time.monotonic()
        return sample

    @staticmethod
    def between(before: dict, after: dict, uploads: int) -> dict:
        """µs per upload of each program, and the machine's busy and stolen shares."""
        per = {
            name: (after[name] - before[name]) / max(uploads, 1) * 1e6
            for name in ("server", "writer", "db", "client")
        }
        seconds = after["at"] - before["at"]
        total, steal = (b - a for a, b in zip(before["ticks"], after["ticks"], strict=True))
        per["all"] = sum(per[name] for name in ("server", "writer", "db", "client"))
        per["busy"] = sum(after[n] - before[n] for n in ("server", "writer", "db", "client"))
        per["busy"] /= seconds * (os.cpu_count() or 1)
        per["steal"] = steal / total if total else 0.0
        # the whole machine's busy share: ours and the other tenants' programs
        per["machine"] = 1 - (after["idle"] - before["idle"]) / total if total else 0.0
        return per


# --- 1. the open loop ---------------------------------------------------------------------


def measured(usage: "Usage", clients: "Clients", seconds: float, *, lead: float):
    """Start the clients ``lead`` seconds from now and sample the CPU at their start and
    ``seconds`` later: the run's window, the same for the open and the closed loops."""
    at = time.monotonic() + lead
    clients.begin(at)
    time.sleep(max(0.0, at - time.monotonic()))
    before = usage.sample()
    time.sleep(max(0.0, at + seconds - time.monotonic()))
    return before, usage.sample()


def open_loop(args, env: dict, scratch: Path, db_cpu, prefix: str, *, servers: int,
              count: int, interval: float, start: datetime.datetime) -> dict:  # fmt: skip
    from ecogov.monitoring.models import Point

    began = time.monotonic()
    loggers = register(count, prefix)
    registered = time.monotonic() - began
    print(f"{len(loggers):,} points registered in {registered:.0f} s "
          f"({Point.objects.count():,} in all)", flush=True)  # fmt: skip
    children = [serve(env, scratch, f"server-{n}") for n in range(servers)]
    drops = kernel_drops()
    step = DATA_STEP
    duration = args.minutes * 60
    clients = Clients(
        args.client_processes or max(servers, 2), loggers, [c.port for c in children], scratch,
        env, frames=int(duration / interval) + 2, start=start, rate=1 / interval,
        step=step, duration=duration,
    )  # fmt: skip
    try:
        connect_seconds = clients.wait_connected(timeout=900)
        held_before = [established(c.port) for c in children]
        rss_before = sum(rss_mb(c.process.pid) for c in children)
        print(f"{held_before} connections up in {connect_seconds:.0f} s; servers "
              f"{rss_before:,.0f} MB", flush=True)  # fmt: skip
        before, after = measured(Usage(children, clients, db_cpu), clients, duration, lead=2)
        held_after = [established(c.port) for c in children]
        rss_after = sum(rss_mb(c.process.pid) for c in children)
        result = clients.results()
    finally:
        clients.kill()
        for child in children:
            child.stop()
    result.update(
        loggers=len(loggers), registered=registered, connect_seconds=connect_seconds,
        held_before=held_before, held_after=held_after, rss=(rss_before, rss_after),
        cpu=Usage.between(before, after, result["answered"]), duration=duration,
        problems=[line for c in children for line in log_problems(c)], servers=servers,
        interval=interval,
        kernel={k: v - drops[k] for k, v in kernel_drops().items()},
    )  # fmt: skip
    result.update(check_stored(prefix, start, start + step * (int(duration / interval) + 2),
                               result["answered_times"]))  # fmt: skip
    warm = int(len(result["latencies"]) * interval / duration)  # the first round
    later = result["latencies"][warm:]
    result.update(
        p50=percentile(result["latencies"], 50), p99=percentile(result["latencies"], 99),
        max=max(result["latencies"], default=None), p99_later=percentile(later, 99),
        lag_p99=percentile(result["lags"], 99), lag_max=max(result["lags"], default=None),
        rate=result["answered"] / duration,
    )  # fmt: skip
    del result["answered_times"], result["latencies"], result["lags"]
    return result


def serve(env: dict, scratch: Path, name: str, cgroup: Path | None = None) -> Child:
    """``ecogov hj212 serve`` as production runs it (its writer a process of its own);
    in ``cgroup`` (with the writer it starts) when given."""
    port = free_port()
    command = [str(Path(sys.executable).with_name("ecogov")), "hj212", "serve",
               "--host", "127.0.0.1", "--port", str(port)]  # fmt: skip
    if cgroup is not None:  # the shell joins the group, then becomes the server
        command = ["sh", "-c", f'echo $$ > {cgroup}/cgroup.procs && exec "$@"', "sh", *command]
    return Child(name, command, port, env, scratch)


def log_problems(server: Child) -> list[str]:
    text = server.log.read_text(errors="replace")
    return [
        line
        for line in text.splitlines()
        if any(word in line for word in ("ERROR", "Traceback", "refused", "not stored"))
    ]


def check_stored(prefix: str, since, until, answered: dict) -> dict:
    """Every answered upload found stored, once, with its readings."""
    from django.conf import settings
    from django.db import connection

    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    window = (since.replace(tzinfo=zone), until.replace(tzinfo=zone))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.mn, k.data_time, count(*) FROM monitoring_packet k "
            "JOIN monitoring_point p ON p.id = k.point_id WHERE p.mn LIKE %s AND k.cn = %s "
            "AND k.data_time >= %s AND k.data_time < %s GROUP BY 1, 2",
            [prefix + "%", CN, *window],
        )
        packets = {(mn, t.astimezone(zone).replace(tzinfo=None)): n for mn, t, n in cursor}
        cursor.execute(
            "SELECT count(*), count(DISTINCT (r.point_id, r.code, r.time)) "
            "FROM monitoring_reading r JOIN monitoring_point p ON p.id = r.point_id "
            "WHERE p.mn LIKE %s AND r.period = 'rtd' AND r.time >= %s AND r.time < %s",
            [prefix + "%", *window],
        )
        readings, distinct_readings = cursor.fetchone()
    keys = [(mn, when) for mn, times in answered.items() for when in times]
    found = sum(1 for key in keys if key in packets)
    return {
        "stored": sum(packets.values()),
        "found": found,
        "answered_twice": len(keys) - len(set(keys)),
        "packets_twice": sum(1 for n in packets.values() if n > 1),
        "readings": readings,
        "readings_twice": readings - distinct_readings,
        "once": found == len(keys) == len(set(keys))
        and all(n == 1 for n in packets.values())
        and readings == distinct_readings == READINGS * sum(packets.values()),
    }


# --- 2. two servers, closed loop ----------------------------------------------------------


class CpuGroup:
    """A cgroup (v1 ``cpu``) that holds its processes to ``cores`` CPUs."""

    def __init__(self, name: str, cores: float):
        self.path = CGROUP_ROOT / f"ecogov-bench-{os.getpid()}-{name}"
        self.path.mkdir()
        # a short period: the group is held back often and briefly, not for 100 ms at once
        (self.path / "cpu.cfs_period_us").write_text(str(PERIOD_US))
        (self.path / "cpu.cfs_quota_us").write_text(str(int(PERIOD_US * cores)))

    def remove(self) -> None:
        for _ in range(50):  # its processes may take a moment to be gone
            try:
                self.path.rmdir()
                return
            except OSError:
                time.sleep(0.1)


def closed_loops(args, env: dict, scratch: Path, db_cpu) -> list[dict]:
    loggers = register(args.closed_connections, "CL")
    runs = []
    start = datetime.datetime(2040, 1, 1)
    capped = args.server_cpu if CGROUP_ROOT.is_dir() and os.geteuid() == 0 else None
    for cores in (None, capped) if capped else (None,):
        for _ in range(args.repeat):
            for count in (1, 2):
                groups = [CpuGroup(f"s{n}", cores) for n in range(count)] if cores else []
                servers = [
                    serve(env, scratch, f"closed-{n}", groups[n].path if groups else None)
                    for n in range(count)
                ]
                start += datetime.timedelta(days=400)  # data times no run used before
                try:  # a few seconds first: the writers load the catalogue, and so on
                    closed_loop(args, env, scratch, db_cpu, servers, loggers,
                                start - datetime.timedelta(days=200), seconds=3)  # fmt: skip
                    result = closed_loop(args, env, scratch, db_cpu, servers, loggers, start,
                                         seconds=args.closed_seconds)  # fmt: skip
                finally:
                    for server in servers:
                        server.stop()
                    for group in groups:
                        group.remove()
                result.update(servers=count, cores=cores)
                runs.append(result)
                print(f"closed loop, {count} server(s)"
                      + (f", {cores} cores each" if cores else "")
                      + f": {result['rate']:,.0f} uploads/s, p50 {ms(result['p50'])}, "
                      f"p99 {ms(result['p99'])}; stored and found {result['found']:,} of "
                      f"{result['answered']:,}; CPU µs/upload server {result['cpu']['server']:.0f}"
                      f" writer {result['cpu']['writer']:.0f} PostgreSQL {result['cpu']['db']:.0f}"
                      f" client {result['cpu']['client']:.0f}", flush=True)  # fmt: skip
    return runs


def closed_loop(
    args, env, scratch, db_cpu, servers: list[Child], loggers, start, *, seconds: float
) -> dict:
    step = DATA_STEP
    clients = Clients(
        args.client_processes or 2, loggers, [s.port for s in servers], scratch, env,
        frames=int(seconds * 200) + 100, start=start, rate=0.0, step=step,
        duration=seconds,
    )  # fmt: skip
    try:
        clients.wait_connected(timeout=120)
        before, after = measured(Usage(servers, clients, db_cpu), clients, seconds, lead=1)
        result = clients.results()
    finally:
        clients.kill()
    until = start + step * (int(seconds * 200) + 100)
    result.update(check_stored("CL", start, until, result["answered_times"]))
    result.update(
        rate=result["answered"] / result["seconds"], cpu=Usage.between(before, after,
                                                                         result["answered"]),
        p50=percentile(result["latencies"], 50), p99=percentile(result["latencies"], 99),
    )  # fmt: skip
    del result["answered_times"], result["latencies"], result["lags"]
    return result


# --- 3. PostgreSQL's floor ----------------------------------------------------------------


def floor(url: str, uploads: int, prefix: str) -> dict:
    """The writer's statements for batches of real-time uploads, by plain psycopg: CPU per
    upload of this process and of the backend, and wall time, over the second half."""
    import psycopg
    from django.db import connection

    from ecogov.monitoring.models import Packet, Point, Reading

    def types(model, names):
        fields = [model._meta.get_field(name) for name in names]
        return (", ".join(f.column for f in fields),
                ", ".join(f"%b::{f.db_type(connection)}[]" for f in fields))  # fmt: skip

    packet_columns, packet_arrays = types(Packet, ("point", "cn", "qn", "data_time",
                                                   "received_at", "raw"))  # fmt: skip
    reading_columns, reading_arrays = types(Reading, (
        "point", "code", "period", "time", "value", "minimum", "maximum", "total", "flag",
        "valid", "exceeded"))  # fmt: skip
    statements = {  # as ingest.py sends them (set up by Django; run without it)
        "lock": "SELECT 1 FROM monitoring_point WHERE id = ANY(%s::bigint[]) ORDER BY id "
        "FOR NO KEY UPDATE",
        "packets": f"INSERT INTO monitoring_packet ({packet_columns}) SELECT * FROM "
        f"unnest({packet_arrays}) ON CONFLICT DO NOTHING RETURNING point_id, cn, data_time",
        "readings": f"INSERT INTO monitoring_reading ({reading_columns}) SELECT * FROM "
        f"unnest({reading_arrays}) ON CONFLICT DO NOTHING",
        "seen": "UPDATE monitoring_point SET last_seen = CASE WHEN v.column2 IS NOT NULL AND "
        "(last_seen IS NULL OR last_seen < v.column2) THEN v.column2 ELSE last_seen END, "
        "last_data_time = CASE WHEN v.column3 IS NOT NULL AND (last_data_time IS NULL OR "
        "last_data_time < v.column3) THEN v.column3 ELSE last_data_time END FROM "
        "unnest(%b::bigint[], %b::timestamptz[], %b::timestamptz[]) AS v (column1, column2, "
        "column3) WHERE monitoring_point.id = v.column1",
    }
    points = list(
        Point.objects.filter(mn__startswith=prefix).order_by("id").values_list("id", flat=True)
    )
    from decimal import Decimal

    zone = zoneinfo.ZoneInfo("Asia/Shanghai")
    raw = ("QN=20310101000000000;ST=32;CN=2011;PW=123456;MN=" + prefix + "0" * 18 +
           ";Flag=5;CP=&&DataTime=20310101000000;" + "w00000-Rtd=8.25,w00000-Flag=N;" * 5
           )[:230]  # fmt: skip
    codes = ("w00000", "w01001", "w01018", "w21003", "w21011")
    batch = 100
    start = datetime.datetime(2036, 1, 1, tzinfo=zone)
    cpu = wall = backend = 0.0
    measured = 0
    with psycopg.connect(url, prepare_threshold=0) as db:
        backend_pid = db.execute("SELECT pg_backend_pid()").fetchone()[0]
        db.commit()
        count = uploads // batch
        for number in range(count):
            first = number * batch % len(points)
            ids = sorted(points[(first + i) % len(points)] for i in range(batch))
            when = start + datetime.timedelta(seconds=30 * (number * batch // len(points)))
            now = datetime.datetime.now(datetime.UTC)
            values = [Decimal("8.250000"), Decimal("7.350000"), Decimal("33.500000"),
                      Decimal("1.680000"), Decimal("0.218000")]  # fmt: skip
            readings = [(p, c, "rtd", when, v, None, None, None, "N", True, None)
                        for p in ids for c, v in zip(codes, values, strict=True)]  # fmt: skip
            began, began_cpu = time.perf_counter(), time.process_time()
            began_backend = process_cpu(backend_pid)
            with db.transaction():
                db.execute(statements["lock"], [ids]).fetchall()
                db.execute(statements["packets"], [ids, [CN] * batch, ["q"] * batch,
                                                   [when] * batch, [now] * batch,
                                                   [raw] * batch]).fetchall()  # fmt: skip
                db.execute(statements["readings"], [list(c) for c in zip(*readings, strict=True)])
                db.execute(statements["seen"], [ids, [now] * batch, [when] * batch])
            if number >= count // 2:
                cpu += time.process_time() - began_cpu
                wall += time.perf_counter() - began
                backend += process_cpu(backend_pid) - began_backend
                measured += batch
    return {
        "uploads": count * batch,
        "measured": measured,
        "python": cpu / measured * 1e6,
        "backend": backend / measured * 1e6,
        "wall": wall / measured * 1e6,
    }


# --- the run ------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="postgres://… (a scratch database is created)")
    parser.add_argument("--start-postgres", action="store_true",
                        help="initdb and start a private PostgreSQL (--pg-port)")  # fmt: skip
    parser.add_argument("--pg-port", type=int, default=PG_PORT)
    parser.add_argument("--loggers", type=int, default=DEFAULTS["loggers"])
    parser.add_argument("--interval", type=float, default=DEFAULTS["interval"],
                        help="seconds between a logger's real-time uploads")  # fmt: skip
    parser.add_argument("--minutes", type=float, default=DEFAULTS["minutes"],
                        help="of the open loop, once every connection is up")  # fmt: skip
    parser.add_argument("--servers", type=int,
                        help="server processes for the open loop (default: one, or as many as "
                        "the open-files limit requires)")  # fmt: skip
    parser.add_argument("--client-processes", type=int,
                        help="default: one per server, at least 2")  # fmt: skip
    parser.add_argument("--closed-connections", type=int, default=400)
    parser.add_argument("--closed-seconds", type=float, default=20.0)
    parser.add_argument(
        "--server-cpu",
        type=float,
        default=0.25,
        help="cores per server (with its writer) in the capped closed loops",
    )
    parser.add_argument("--repeat", type=int, default=2, help="closed-loop runs of each kind")
    parser.add_argument("--floor-uploads", type=int, default=60_000)
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=("open", "closed", "floor"),
        help="leave a part out",
    )
    parser.add_argument("--no-write", action="store_true", help="do not touch docs/benchmarks.md")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory (logs)")
    parser.add_argument("--client", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        client_process(args.client)
        return
    if not (args.start_postgres or args.database_url):
        raise SystemExit("PostgreSQL: --start-postgres or --database-url")

    limit, raised = raise_files_limit(args.loggers + 2_000)
    if not raised:
        print(
            f"open files: the hard limit {limit:,} cannot be raised here (no "
            "CAP_SYS_RESOURCE): the loggers are spread over several servers",
            flush=True,
        )
    with bench_environment(prefix="ecogov-bench-capacity-", database_url=args.database_url,
                           start_postgres=args.start_postgres, pg_port=args.pg_port,
                           keep=args.keep) as (env, scratch, url, postgres):  # fmt: skip
        run(args, env, scratch, url, postgres, limit, raised)


def run(args, env: dict, scratch: Path, url: str, postgres, limit: int, raised: bool) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from hj212 import postmaster_of

    code = fingerprint()
    load = os.getloadavg()
    call_command("migrate", verbosity=0)
    db_note = postgres_settings(url)
    postmaster = postgres.postmaster() if postgres else postmaster_of(url)
    if postmaster is None:
        raise SystemExit("PostgreSQL must run on this machine: its CPU is measured")

    def db_cpu() -> float:
        return children_cpu(postmaster)

    print(f"{db_note}; open files limit {limit:,}; load {load[0]:.2f}", flush=True)
    began = time.monotonic()
    found = {"load": load, "limit": limit, "raised": raised}
    if "open" not in args.skip:
        most = limit - 1000  # connections one process can hold here
        servers = args.servers or -(-args.loggers // most)
        found["open"] = open_loop(args, env, scratch, db_cpu, "P", servers=servers,
                                  count=args.loggers, interval=args.interval,
                                  start=datetime.datetime(2031, 1, 1))  # fmt: skip
        print_open(found["open"])
        if servers > 1 and not args.servers:  # the same rate through one server process
            count = most // 1000 * 1000
            found["one"] = open_loop(args, env, scratch, db_cpu, "S", servers=1, count=count,
                                     interval=args.interval * count / args.loggers,
                                     start=datetime.datetime(2032, 1, 1))  # fmt: skip
            print_open(found["one"])
    if "closed" not in args.skip:
        found["closed"] = closed_loops(args, env, scratch, db_cpu)
    if "floor" not in args.skip:
        found["floor"] = floor(url, args.floor_uploads, "P" if "open" in found else "CL")
        print(f"PostgreSQL floor: {found['floor']}", flush=True)
    found["minutes_total"] = (time.monotonic() - began) / 60
    found["load_after"] = os.getloadavg()
    body = report(args, found, db_note, postgres, code)
    changed = [path for path, digest in fingerprint().items() if code[path] != digest]
    full = all(getattr(args, k) == v for k, v in DEFAULTS.items()) and not args.skip
    if changed or args.no_write or not full:
        sys.stdout.write(body + "\n")
        if changed:
            raise SystemExit(f"{', '.join(changed)} changed during the run: not written")
        return
    sys.stdout.write(write_section(TITLE, body))


def print_open(r: dict) -> None:
    print(
        f"open loop: {r['loggers']:,} loggers, {r['servers']} server(s), held "
        f"{sum(r['held_before']):,} → {sum(r['held_after']):,} {r['held_after']}, one upload "
        f"every {r['interval']:.1f} s; "
        f"sent {r['sent']:,}, answered {r['answered']:,} ({r['rate']:,.0f}/s), stored "
        f"{r['stored']:,}, found {r['found']:,}, once: {r['once']}; p50 {ms(r['p50'])}, "
        f"p99 {ms(r['p99'])} (after the first round {ms(r['p99_later'])}), max {ms(r['max'])}; "
        f"client behind its schedule p99 {ms(r['lag_p99'])}, max {ms(r['lag_max'])}; CPU µs "
        f"per upload: server {r['cpu']['server']:.0f}, writer {r['cpu']['writer']:.0f}, "
        f"PostgreSQL {r['cpu']['db']:.0f}, client {r['cpu']['client']:.0f}; machine busy "
        f"{r['cpu']['busy']:.0%} (all programs {r['cpu']['machine']:.0%}), stolen "
        f"{r['cpu']['steal']:.0%}; server RSS "
        f"{r['rss'][0]:,.0f} → {r['rss'][1]:,.0f} MB; errors {r['errors']}; log problems "
        f"{len(r['problems'])}; kernel: {r['kernel']}",
        flush=True,
    )
    for line in r["problems"][:10]:
        print("   ", line)


def met(ok: bool) -> str:
    return "met" if ok else "**NOT met**"


def report(args, found: dict, db_note: str, postgres, code: dict) -> str:
    command = ".venv/bin/python bench/hj212_capacity.py " + (
        "--start-postgres" if postgres else "--database-url postgres://…"
    )
    load, after = found["load"], found["load_after"]
    versions = ", ".join(f"{Path(path).name} {digest}" for path, digest in code.items())
    lines = [
        f"Reproduce with `{command}` (as root; about {found.get('minutes_total', 0):.0f} "
        "minutes). Figures from one run.",
        f"Machine: {machine()}; {db_note}, PostgreSQL's other settings as initdb leaves them. "
        f"Load average before the run: {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (1 / 5 / "
        f"15 min; the machine is shared), after it: {after[0]:.2f} / {after[1]:.2f} / "
        f"{after[2]:.2f}. The servers are `ecogov hj212 serve` with DEBUG=False, "
        "each with its writer process; the client is `simulator.run` (water profile, 5 "
        "pollutants, real-time uploads CN=2011) in several processes, each connecting from "
        f"its own loopback address. Code measured (sha256): {versions}.",
    ]
    if not found["raised"]:
        lines.append(
            f"Open files: one process may hold at most {found['limit']:,} descriptors here, "
            "and the hard limit cannot be raised (the sandbox withholds CAP_SYS_RESOURCE, "
            "so neither `setrlimit` nor `prlimit` may go past it, even as root). So the "
            "50,000 connections are spread over as many server processes as that takes, all "
            "on this machine and this PostgreSQL (each its own `ecogov hj212 serve` on its "
            "own port, as `deploy/ecogov-hj212@.service` runs several behind nginx), and the "
            "full rate is sent through one server process in a second run with as many "
            "loggers as one process may hold. In production the service file's "
            "`LimitNOFILE` lets one process hold them all."
        )
    lines += [
        "",
        "| open loop | servers | connections held (start → end) | one upload every | sent | "
        "answered | per second | stored, found | p50 | p99 | p99 after the first round | "
        "max | client behind schedule, p99 | CPU µs per stored upload: server · writer · "
        "PostgreSQL · client = all | machine busy: these programs, all |",
        "|" + "---|" * 15,
    ]
    opens = [found[k] for k in ("open", "one") if k in found]
    for r in opens:
        cpu = r["cpu"]
        lines.append(
            f"| {r['loggers']:,} loggers | {r['servers']} | {sum(r['held_before']):,} → "
            f"{sum(r['held_after']):,} | {r['interval']:.1f} s | {r['sent']:,} | "
            f"{r['answered']:,} | {r['rate']:,.0f} | {r['found']:,} of {r['answered']:,}"
            f"{', once' if r['once'] else ', **not once**'} | {ms(r['p50'])} | {ms(r['p99'])} "
            f"| {ms(r['p99_later'])} | {ms(r['max'])} | {ms(r['lag_p99'])} | "
            f"{cpu['server']:.0f} · {cpu['writer']:.0f} · {cpu['db']:.0f} · "
            f"{cpu['client']:.0f} = {cpu['all']:.0f} | {cpu['busy']:.0%}, {cpu['machine']:.0%} |"
        )
    lines.append("")
    if "open" in found:
        r = found["open"]
        held = sum(r["held_after"]) >= r["loggers"] and sum(r["held_before"]) >= r["loggers"]
        lines += [
            f"- {r['loggers']:,} connections held on one 2-core machine for "
            f"{r['duration'] / 60:.0f} minutes: {met(held)} ({r['servers']} server "
            f"process{'es' if r['servers'] > 1 else ''}; {r['connect_seconds']:.0f} s to "
            f"connect them all; the servers' memory {r['rss'][0]:,.0f} MB with the "
            f"connections up, {r['rss'][1]:,.0f} MB at the end; {r['errors']:,} connections "
            f"lost; the kernel dropped {r['kernel']['dropped']:,} loopback packets and gave up "
            f"on {r['kernel']['aborted']:,} connections meanwhile).",
        ]
    for r in opens:
        lines.append(
            f"- {r['loggers']:,} loggers on {r['servers']} server(s): open-loop p99 "
            f"{ms(r['p99'])} (target < 100 ms: {met(r['p99'] is not None and r['p99'] < 0.1)})"
            f"; every answered upload stored exactly once (its packet and {READINGS} readings):"
            f" {'yes' if r['once'] else '**NO**'} ({r['found']:,} of {r['answered']:,} found; "
            f"{r['stored']:,} packets, {r['readings']:,} readings stored)."
        )
    for r in opens:
        if r["problems"]:
            lines.append(f"- Server log lines with errors or refusals: {len(r['problems'])}, "
                         f"e.g. `{r['problems'][0][:150]}`.")  # fmt: skip
    if "closed" in found:
        lines += closed_lines(args, found["closed"])
    if "floor" in found:
        lines += floor_lines(found)
    lines += [
        "",
        "The closed-loop ratio of issue 7 (stored ≥ 0.5 × a bare asyncio server's rate with "
        "the same client) is retired by issue 24: what counts is the capacity above against "
        "the load a province sends, and the CPU per upload next to the database's floor. The "
        "sections of issue 7 stay as history.",
    ]
    return "\n".join(lines)


def closed_lines(args, runs: list[dict]) -> list[str]:
    lines = [
        "",
        f"Closed loop, {args.closed_connections} loggers (each sends its next upload once the "
        f"last is answered), {args.closed_seconds:.0f} s a run, {args.repeat} runs of each, "
        "one server then two in turn; the median of each:",
        "",
        "| servers | CPU per server (with its writer) | uploads/s (runs) | p50 | p99 | CPU µs "
        "per upload: server · writer · PostgreSQL · client | machine busy: these programs, "
        "all | stored, found |",
        "|---|---|---|---|---|---|---|---|",
    ]
    ratios = []
    for cores in sorted({r["cores"] for r in runs}, key=lambda c: c or 99):
        rates = {}
        for count in (1, 2):
            same = [r for r in runs if r["cores"] == cores and r["servers"] == count]
            middle = sorted(same, key=lambda r: r["rate"])[(len(same) - 1) // 2]
            rates[count] = middle["rate"]
            cpu = middle["cpu"]
            lines.append(
                f"| {count} | {f'{cores} core' if cores else 'unlimited'} | "
                f"{middle['rate']:,.0f} ({', '.join(format(r['rate'], ',.0f') for r in same)}) | "
                f"{ms(middle['p50'])} | {ms(middle['p99'])} | {cpu['server']:.0f} · "
                f"{cpu['writer']:.0f} · {cpu['db']:.0f} · {cpu['client']:.0f} | "
                f"{cpu['busy']:.0%}, {cpu['machine']:.0%} | "
                f"{'all' if all(r['once'] for r in same) else '**NOT all**'} |"
            )
        ratios.append((cores, rates[2] / rates[1]))
    lines.append("")
    for cores, ratio in ratios:
        if cores is None:
            lines.append(
                f"- Two servers against one, each as much CPU as it takes: **{ratio:.2f}×**. "
                "On 2 cores the machine is the limit of both: the client, PostgreSQL and "
                "the servers share the same two cores."
            )
        else:
            lines.append(
                f"- Two servers against one, each server (with its writer) held to {cores} "
                f"core by a cgroup, as on a machine of its own: **{ratio:.2f}×** (target: "
                f"close to 2×: {met(ratio >= 1.8)})."
            )
    return lines


def floor_lines(found: dict) -> list[str]:
    f = found["floor"]
    lines = [
        "",
        f"PostgreSQL's floor: the writer's statements for a batch of real-time uploads (lock "
        f"the points, the packets, the {READINGS} readings each, the points' last times), 100 "
        f"uploads to a transaction, by plain psycopg without Django; {f['uploads']:,} uploads "
        f"into the tables the run above filled, the second half measured: the backend "
        f"**{f['backend']:.0f} µs** of CPU per upload, psycopg's Python {f['python']:.0f} µs, "
        f"{f['wall']:.0f} µs of wall time per upload (each commit waits for its WAL flush).",
    ]
    if "open" in found:
        cpu = found["open"]["cpu"]
        lines.append(
            f"- Against it, in the open loop above: PostgreSQL {cpu['db']:.0f} µs per stored "
            f"upload ({cpu['db'] / f['backend']:.1f}× the floor: batches are smaller at this "
            f"rate, and every batch costs a commit), the writer processes' Python "
            f"{cpu['writer']:.0f} µs ({cpu['writer'] / f['python']:.1f}× psycopg's alone), the "
            f"servers' event loops {cpu['server']:.0f} µs (reading, decoding, authenticating, "
            f"answering), the client's {cpu['client']:.0f} µs (building the frames, reading "
            "the answers). SQLite's floor for the same upload is in *SQLite's own work per "
            "stored upload* (issue 7)."
        )
    return lines


if __name__ == "__main__":
    main()
