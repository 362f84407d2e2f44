"""The retention of a month of minute data on PostgreSQL: dropping its partition against
deleting it in batches, in the same run.

    .venv/bin/python bench/partitions.py --database-url postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/partitions.py --start-postgres   # a private server (as root)

A scratch database with 200 registered points (those of ``bench/hj212.py``) gets, for a
past local month, one pollutant's minute readings of every point (the rows in the order
they arrive: minute by minute, every point) and five pollutants' hourly readings, by
``INSERT … SELECT generate_series`` one day at a time. Twice:

1. on the plain tables (the migrations up to 0005): ``readings_prune`` deletes the month
   in batches, as before partitions (and as SQLite still does): 10,000 rows per
   transaction, point by point; then ``VACUUM`` gives the space back to the table, work
   that deleting leaves behind;
2. the same rows, then the migration ``0006_partitions`` (which copies them into the
   partitioned tables: its time is shown, for those who migrate a large database), then
   ``readings_prune`` drops the month's partition.

Each time the hourly readings of the month are all there afterwards.
"""

import argparse
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import machine, write_section  # noqa: E402

TITLE = "Monitoring (issue 24): retention by dropping a month's partition, PostgreSQL"
POINTS = 200
HOURLY_CODES = ("w00000", "w01001", "w01018", "w21003", "w21011")
MINUTE_CODE = "w01018"
MONTHS_BACK = 3  # the month measured: well past any retention


def load() -> str:
    return Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"


def generate(month: datetime.date) -> tuple[int, int, float]:
    """A month of minute and hourly readings of every point; (minute rows, hourly rows,
    seconds)."""
    from django.db import connection

    from ecogov.monitoring.partitions import month_bounds

    start, end = month_bounds(month)
    began = time.perf_counter()
    minute = hourly = 0
    with connection.cursor() as cursor:
        day = start
        while day < end:
            following = min(day + datetime.timedelta(days=1), end)
            cursor.execute(
                "INSERT INTO monitoring_reading (point_id, code, period, time, value, flag, "
                "valid, exceeded) SELECT p.id, %s, 'minute', t, round((40 + random() * 20)"
                "::numeric, 3), 'N', true, false FROM generate_series(%s::timestamptz, "
                "%s::timestamptz - interval '1 minute', interval '1 minute') t, "
                "monitoring_point p ORDER BY t, p.id",
                [MINUTE_CODE, day, following],
            )
            minute += cursor.rowcount
            cursor.execute(
                "INSERT INTO monitoring_reading (point_id, code, period, time, value, flag, "
                "valid, exceeded) SELECT p.id, c, 'hour', t, round((40 + random() * 20)"
                "::numeric, 3), 'N', true, false FROM generate_series(%s::timestamptz, "
                "%s::timestamptz - interval '1 hour', interval '1 hour') t, "
                "monitoring_point p, unnest(%s::text[]) c ORDER BY t, p.id, c",
                [day, following, list(HOURLY_CODES)],
            )
            hourly += cursor.rowcount
            day = following
        cursor.execute("ANALYZE monitoring_reading")
    return minute, hourly, time.perf_counter() - began


def counts(month: datetime.date) -> dict[str, int]:
    from ecogov.monitoring.models import Period, Reading
    from ecogov.monitoring.partitions import month_bounds

    start, end = month_bounds(month)
    rows = Reading.objects.filter(time__gte=start, time__lt=end)
    return {
        "minute": rows.filter(period=Period.MINUTE).count(),
        "hour": rows.filter(period=Period.HOUR).count(),
    }


def table_size() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size('monitoring_reading')")  # a plain table
        return int(cursor.fetchone()[0])


def timed(function) -> tuple[object, float, str]:
    before = load()
    began = time.perf_counter()
    result = function()
    return result, time.perf_counter() - began, f"{before}→{load()}"


def run(points: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from hj212 import register

    from ecogov.monitoring.aggregates import readings_prune
    from ecogov.monitoring.partitions import month_after, month_of, partitioned

    now = timezone.now()
    month = month_after(month_of(now), -MONTHS_BACK)
    call_command("migrate", verbosity=0)
    call_command("migrate", "monitoring", "0005_point_days", verbosity=0)
    register(points, "P")
    results: dict = {"month": month, "points": points}

    print(f"plain tables: generating {month:%Y-%m}", flush=True)
    minute, hourly, seconds = generate(month)
    results.update(minute=minute, hourly=hourly, generate=seconds)
    size = table_size()
    print(f"  {minute:,} minute and {hourly:,} hourly readings in {seconds:.0f} s", flush=True)
    assert not partitioned()
    pruned, results["delete"], results["delete_load"] = timed(lambda: readings_prune(now=now))
    assert pruned["readings"] == minute, pruned
    print(f"  batch delete: {results['delete']:.1f} s", flush=True)
    with connection.cursor() as cursor:
        _, results["vacuum"], _ = timed(lambda: cursor.execute("VACUUM monitoring_reading"))
    print(f"  vacuum: {results['vacuum']:.1f} s", flush=True)
    assert counts(month) == {"minute": 0, "hour": hourly}
    results["size_plain"] = size

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE monitoring_reading")
    print("partitioned tables: generating the same month", flush=True)
    assert generate(month)[:2] == (minute, hourly)
    _, results["migrate"], results["migrate_load"] = timed(
        lambda: call_command("migrate", "monitoring", verbosity=0)
    )
    assert partitioned()
    assert counts(month) == {"minute": minute, "hour": hourly}
    print(f"  migration (copying {minute + hourly:,} rows): {results['migrate']:.1f} s", flush=True)
    pruned, results["drop"], results["drop_load"] = timed(lambda: readings_prune(now=now))
    assert (
        pruned["readings"] == 0
        and f"monitoring_reading_subhourly_{month:%Y_%m}" in (pruned["dropped"])
    ), pruned
    print(f"  drop: {results['drop'] * 1000:.1f} ms ({', '.join(pruned['dropped'])})", flush=True)
    assert counts(month) == {"minute": 0, "hour": hourly}
    return results


def report(results: dict, database: str, command: str) -> str:
    month, minute, hourly = results["month"], results["minute"], results["hourly"]
    delete, vacuum, drop = results["delete"], results["vacuum"], results["drop"]
    lines = [
        f"Reproduce with `{command}`.",
        f"Machine: {machine()}; {database}. {results['points']} points; the month {month:%Y-%m} "
        f"(local): {minute:,} minute readings (one pollutant a point, every minute) and "
        f"{hourly:,} hourly ones (five pollutants), inserted minute by minute as they "
        f"arrive ({results['generate']:.0f} s); the retention run by `readings_prune` with "
        "the settings' 30 days. Load average (1 min) before→after each step, the machine "
        "being shared.",
        "",
        "| the month's minute data removed by | time | load |",
        "|---|---|---|",
        f"| batch delete, plain table (before partitions; SQLite's way) | {delete:.1f} s "
        f"({minute / delete:,.0f} rows/s) | {results['delete_load']} |",
        f"| … and the VACUUM it leaves behind | {vacuum:.1f} s | |",
        f"| dropping the month's partition | {drop * 1000:.0f} ms | {results['drop_load']} |",
        "",
        f"- Dropping the partition took **1/{delete / drop:,.0f}** of the batch delete's time "
        f"(1/{(delete + vacuum) / drop:,.0f} with its VACUUM), and leaves no dead rows.",
        f"- The hourly readings of the month ({hourly:,}) were all there after both.",
        f"- The migration that partitions the tables copied the {minute + hourly:,} rows in "
        f"{results['migrate']:.0f} s ({(minute + hourly) / results['migrate']:,.0f} rows/s, "
        f"load {results['migrate_load']}), the writers waiting meanwhile.",
        f"- The readings table held {results['size_plain'] / 2**20:,.0f} MiB with its indexes.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="postgres://… (a scratch database is created)")
    parser.add_argument("--start-postgres", action="store_true",
                        help="initdb and start a private PostgreSQL (bench/hj212.py's)")  # fmt: skip
    parser.add_argument("--points", type=int, default=POINTS)
    parser.add_argument("--no-write", action="store_true", help="do not touch docs/benchmarks.md")
    args = parser.parse_args()
    from hj212 import PrivatePostgres, postgres_settings, scratch_postgres

    scratch = Path(tempfile.mkdtemp(prefix="ecogov-bench-partitions-"))
    cleanup = [lambda: shutil.rmtree(scratch, ignore_errors=True)]
    try:
        url = args.database_url or os.getenv("DATABASE_URL", "")
        if args.start_postgres:
            postgres = PrivatePostgres()
            cleanup.insert(0, postgres.stop)
            url = postgres.url
        if not url.startswith("postgres"):
            raise SystemExit("PostgreSQL only: --database-url postgres://… or --start-postgres")
        url, drop = scratch_postgres(url)
        cleanup.insert(0, drop)
        os.environ.update(ECOGOV_VAR_DIR=str(scratch), DJANGO_SETTINGS_MODULE="ecogov.settings",
                          DEBUG="False", DATABASE_URL=url)  # fmt: skip
        database = postgres_settings(url)
        results = run(args.points)
        from django.db import connection

        connection.close()
    finally:
        for step in cleanup:
            step()
    command = (
        ".venv/bin/python bench/partitions.py "
        + ("--start-postgres" if args.start_postgres else "--database-url postgres://…")
        + ("" if args.points == POINTS else f" --points {args.points}")
    )
    body = report(results, database, command)
    print(write_section(TITLE, body) if not args.no_write else body)
    subprocess.run(["uptime"], check=False)


if __name__ == "__main__":
    main()
