"""SQLite's own work for each upload the HJ 212 server stores, without any Python around it.

    .venv/bin/python bench/hj212_sqlite.py

The monitoring tables as the migrations make them (copied from a freshly migrated
scratch database, with 200 registered points), and the statements the writer runs:
per upload one packet and five readings, ``INSERT … ON CONFLICT DO NOTHING``, 100 uploads
to a transaction, the 200 points' hours in order, as the closed-loop benchmark sends
them. Plain ``sqlite3`` with the settings' pragmas (WAL, synchronous FULL, foreign keys
on as Django has them). What is left per upload is the floor under the writer process's
CPU in ``bench/hj212.py``: most of it is pages written, because each upload changes a leaf
of both unique indexes (they begin with the point) and every commit writes the pages it
changed to the write-ahead log, and every checkpoint writes them again. So the run
also tries a checkpoint ten times as rare; the variants take turns, twice each, and the
median is reported. (The settings keep SQLite's default: with the rarer checkpoint the
HJ 212 server stored a few percent more in its closed loop, but each checkpoint held one
commit up longer, and the open loop's p99 rose from 15–16 ms to 20–47 ms.)
"""

import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import machine, write_section  # noqa: E402

TITLE = "Monitoring (issue 7): SQLite's own work per stored upload"
POINTS = 200
BATCH = 100  # uploads per transaction, as the closed loop's batches are
HOURS = 600  # 120,000 uploads: the tables grow past where the cost levels off
MEASURED_FROM = 300  # the second half is reported
CODES = ("w00000", "w01001", "w01018", "w21003", "w21011")
VARIANTS = {"1,000 pages (SQLite's default, as the settings have it)": 1000, "10,000 pages": 10000}


def migrated(scratch: Path) -> Path:
    """A migrated database with the registered points, made by Django as the server's is."""
    os.environ.update(ECOGOV_VAR_DIR=str(scratch), DJANGO_SETTINGS_MODULE="ecogov.settings",
                      DEBUG="False")  # fmt: skip
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from hj212 import register  # the HJ 212 benchmark's points, as it registers them

    call_command("migrate", verbosity=0)
    register(POINTS, "P")
    connection.close()
    return Path(connection.settings_dict["NAME"])


def run(template: Path, work: Path, checkpoint: int) -> tuple[float, float]:
    """(CPU, wall) µs per upload over the second half of the run."""
    path = work / "run.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    shutil.copy(template, path)
    db = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", f"wal_autocheckpoint={checkpoint}", "foreign_keys=ON"):
        db.execute(f"PRAGMA {pragma}")
    points = [row[0] for row in db.execute("SELECT id FROM monitoring_point ORDER BY id")]
    raw = "QN=20250101000000000;ST=32;CN=2061;PW=123456;MN=P00000000000000000000;Flag=5;" + (
        "x" * 340
    )  # a data segment's length
    packet_sql = (  # one statement for the batch, as the writer sends it
        "INSERT INTO monitoring_packet (point_id, cn, qn, data_time, received_at, raw) VALUES "
        + ", ".join(["(?, ?, ?, ?, ?, ?)"] * BATCH)
        + " ON CONFLICT DO NOTHING RETURNING point_id, cn, data_time"
    )
    reading_sql = (
        "INSERT INTO monitoring_reading (point_id, code, period, time, value, minimum, maximum,"
        " total, flag, valid, exceeded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING"
    )
    cpu = wall = 0.0
    uploads = 0
    for hour in range(HOURS):
        time_text = f"2025-{1 + hour // 720:02d}-{1 + hour // 24 % 30:02d} {hour % 24:02d}:00:00"
        for first in range(0, POINTS, BATCH):
            batch = points[first : first + BATCH]
            packets = [v for p in batch for v in (p, "2061", "q", time_text, time_text, raw)]
            readings = [
                (p, code, "hour", time_text, "38.100000", "34.290000", "41.910000", None, "N",
                 True, False)
                for p in batch
                for code in CODES
            ]  # fmt: skip
            began, began_cpu = time.perf_counter(), time.process_time()
            db.execute("BEGIN IMMEDIATE")
            db.execute(packet_sql, packets).fetchall()
            db.executemany(reading_sql, readings)
            db.execute("COMMIT")
            if hour >= MEASURED_FROM:
                cpu += time.process_time() - began_cpu
                wall += time.perf_counter() - began
                uploads += len(batch)
    db.close()
    return cpu / uploads * 1e6, wall / uploads * 1e6


def main() -> None:
    scratch = Path(tempfile.mkdtemp(prefix="ecogov-bench-sqlite-"))
    try:
        template = migrated(scratch)
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in VARIANTS}
        for _ in range(2):
            for name, checkpoint in VARIANTS.items():
                results[name].append(run(template, scratch, checkpoint))
                print(f"{name}: CPU {results[name][-1][0]:.1f}, wall {results[name][-1][1]:.1f} "
                      "µs per upload", flush=True)  # fmt: skip
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    cpu = {name: statistics.median(c for c, _ in runs) for name, runs in results.items()}
    wall = {name: statistics.median(w for _, w in runs) for name, runs in results.items()}
    default, rare = VARIANTS
    lines = [
        "Reproduce with `.venv/bin/python bench/hj212_sqlite.py`.",
        f"Machine: {machine()}; SQLite {sqlite3.sqlite_version}. The monitoring tables as "
        f"migrated, {POINTS} points, per upload one packet and {len(CODES)} readings, "
        f"{BATCH} uploads to a transaction, plain `sqlite3` (no Python around the "
        f"statements but the loop); CPU and wall time per upload over uploads "
        f"{MEASURED_FROM * POINTS:,}–{HOURS * POINTS:,}, median of two runs each, taking turns.",
        "",
        "| write-ahead log copied back every | CPU µs per upload | wall µs per upload | runs (CPU) |",
        "|---|---|---|---|",
    ]
    for name in VARIANTS:
        runs = ", ".join(f"{c:.1f}" for c, _ in results[name])
        lines.append(f"| {name} | {cpu[name]:.1f} | {wall[name]:.1f} | {runs} |")
    lines += [
        "",
        f"- A checkpoint ten times as rare: {cpu[rare] / cpu[default]:.2f}× the CPU per upload "
        f"({wall[rare] / wall[default]:.2f}× the wall time). The settings keep the default: "
        "each rarer checkpoint holds one commit up longer, and the HJ 212 server's open-loop "
        "p99 rose from 15–16 ms to 20–47 ms with it (`bench/hj212.py`, two runs each).",
        "- This is the floor under the HJ 212 writer process's CPU per upload on SQLite "
        "(the section *HJ 212 ingestion server, SQLite*): what it spends beyond this is Python.",
    ]
    sys.stdout.write(write_section(TITLE, "\n".join(lines)))


if __name__ == "__main__":
    main()
