"""Monthly partitions of the readings and packets, on PostgreSQL.

A city's minute data are hundreds of millions of rows a month; deleting them row by row
when their retention ends costs as much as writing them did, and leaves the tables to
vacuum. On PostgreSQL ``monitoring_reading`` and ``monitoring_packet`` are partitioned
(declarative partitioning) so that the retention drops a month's table instead:

    monitoring_reading                        LIST (period)
      monitoring_reading_subhourly            'rtd', 'minute'; RANGE (time)
        monitoring_reading_subhourly_2026_03  one local month (settings.TIME_ZONE)
        …
        monitoring_reading_subhourly_default  any time outside the months created
      monitoring_reading_kept                 every other period (hour, day); RANGE (time)
        monitoring_reading_kept_2026_03 … monitoring_reading_kept_default

and ``monitoring_packet`` the same way by LIST (cn) — CN 2011 and 2051 are the uploads
of real-time and minute data — and RANGE (data_time). Hourly and daily data are kept for
ever; their months are partitions too, so that each month's indexes stay the size of a
month. A DEFAULT partition at the end of each branch takes what no month holds (a
logger whose clock is years off, a packet without a data time): no upload is refused.

A job creates this month's and the next ``AHEAD_MONTHS`` months' partitions every day
(``partitions_ensure``; ``ecogov monitoring partitions --create`` by hand), and gives
the rows that landed in a DEFAULT partition a month of their own. The retention
(``aggregates.readings_prune``) drops a sub-hourly month once the whole month is past
ECOGOV_MONITORING_MINUTE_DAYS and deletes, in batches, the expired rows of the DEFAULT
partitions only: on PostgreSQL minute data stay until their month goes, between
ECOGOV_MONITORING_MINUTE_DAYS days and a month more. (Deleting the expired days of the
current month every night, too, would leave the drop nothing but empty tables.)

The key of a partitioned table must contain its partition columns. ``reading_unique``
(point, period, time, code) and ``packet_unique_upload`` (point, cn, data_time) do; the
primary key of the readings becomes (id, period, time) in the database while Django
keeps ``id`` as the model's key (ids come from one identity sequence, so they stay
unique). A packet's data time may be NULL, which no primary key column may be: the
packets' parent has no primary key, and each of its partitions has its own on ``id``.
Nothing refers to a reading or a packet by a foreign key.

The migration ``0006_partitions`` builds all this (``tables_partition``) from the plain
tables, moving their rows, and back (``tables_unpartition``). SQLite has no partitions:
there the retention deletes in batches and none of this runs.
"""

import contextlib
import datetime
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from ecogov.monitoring.models import Packet, Period, Reading
from ecogov.monitoring.stats import midnight

log = logging.getLogger(__name__)

# Real-time and minute data: what the retention removes (HJ 212 CN 2011 and 2051).
SUBHOURLY_PERIODS = (Period.REALTIME, Period.MINUTE)
SUBHOURLY_COMMANDS = ("2011", "2051")
# Months created after the current one: the daily job has this many months to succeed.
AHEAD_MONTHS = 2
# DDL on a partition locks its parent briefly; rather than queue the writers behind a
# long query for longer, give up and try again the next day.
LOCK_TIMEOUT = "2s"
SUBHOURLY, KEPT, DEFAULT = "subhourly", "kept", "default"


@dataclass(frozen=True)
class Layout:
    """How one table is partitioned: by ``kind`` into the sub-hourly branch (``values``)
    and the kept one, each by ``time`` into months."""

    table: str
    kind: str  # the LIST column
    values: tuple[str, ...]  # the sub-hourly branch's values of ``kind``
    time: str  # the RANGE column
    # The parent's primary key, or None: each partition gets PRIMARY KEY (id).
    primary_key: tuple[str, ...] | None

    def branch(self, name: str) -> str:
        return f"{self.table}_{name}"

    def leaf(self, branch: str, month: datetime.date) -> str:
        return f"{self.branch(branch)}_{month:%Y_%m}"

    def default(self, branch: str) -> str:
        return f"{self.branch(branch)}_{DEFAULT}"


READINGS = Layout(Reading._meta.db_table, "period", tuple(p.value for p in SUBHOURLY_PERIODS),
                  "time", ("id", "period", "time"))  # fmt: skip
PACKETS = Layout(Packet._meta.db_table, "cn", SUBHOURLY_COMMANDS, "data_time", None)
LAYOUTS = (READINGS, PACKETS)


@dataclass
class Partition:
    """One month's table (or a DEFAULT one: ``start`` None) and its size."""

    table: str  # the partitioned table: READINGS.table or PACKETS.table
    branch: str  # SUBHOURLY or KEPT
    name: str
    start: datetime.datetime | None
    end: datetime.datetime | None
    rows: int  # PostgreSQL's estimate (pg_class.reltuples), -1 before the first ANALYZE
    size: int  # bytes, with its indexes


# --- months ----------------------------------------------------------------------------


def month_of(moment: datetime.datetime) -> datetime.date:
    """The first day of the local month of ``moment``."""
    return timezone.localtime(moment).date().replace(day=1)


def month_after(month: datetime.date, count: int = 1) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of a local month."""
    return midnight(month), midnight(month_after(month))


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months = []
    while first <= last:
        months.append(first)
        first = month_after(first)
    return months


# --- what there is ---------------------------------------------------------------------


def partitioned() -> bool:
    """True where the readings are partitioned (PostgreSQL, migrated)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [READINGS.table])
        row = cursor.fetchone()
    return row is not None and row[0] == "p"


def partitions_list() -> list[Partition]:
    """Every month and DEFAULT partition of the readings and the packets, in order."""
    found = []
    with connection.cursor() as cursor:
        for layout in LAYOUTS:
            for branch in (SUBHOURLY, KEPT):
                for name, start, end, rows, size in _leaves(cursor, layout.branch(branch)):
                    found.append(Partition(layout.table, branch, name, start, end, rows, size))
    return found


_BOUNDS = re.compile(r"FROM \('([^']+)'\) TO \('([^']+)'\)")


def _leaves(cursor, parent: str) -> list[tuple]:
    """(name, start, end, estimated rows, bytes) of ``parent``'s partitions, months in
    order, then the DEFAULT one (start and end None)."""
    cursor.execute(
        "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid), c.reltuples::bigint, "
        "pg_total_relation_size(c.oid) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = to_regclass(%s)",
        [parent],
    )
    leaves = []
    for name, bound, rows, size in cursor.fetchall():
        match = _BOUNDS.search(bound)
        start, end = (
            (datetime.datetime.fromisoformat(match[1]), datetime.datetime.fromisoformat(match[2]))
            if match
            else (None, None)
        )
        leaves.append((name, start, end, rows, size))
    far = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    return sorted(leaves, key=lambda leaf: leaf[1] or far)


# --- creating months ahead -------------------------------------------------------------


def partitions_ensure(
    *,
    now: datetime.datetime | None = None,
    ahead: int = AHEAD_MONTHS,
    since: datetime.datetime | None = None,
) -> list[str]:
    """Create the month partitions from ``since``'s month (default: this month) to
    ``ahead`` months after this one, and a month for each month of rows in a DEFAULT
    partition up to then (those rows are moved into it). Idempotent: what exists is left
    alone. Returns the names of the partitions created; nothing on SQLite.

    Each month is created in a transaction of its own, as a table that is then attached
    (a lighter lock on the parent than CREATE TABLE … PARTITION OF takes), with the
    DEFAULT partition locked meanwhile: PostgreSQL refuses a month while the DEFAULT
    partition holds rows of it, so those move in the same transaction. A month whose
    locks are not granted within LOCK_TIMEOUT is left for the next run."""
    if not partitioned():
        return []
    this_month = month_of(now or timezone.now())
    last = month_after(this_month, ahead)
    wanted = months_between(month_of(since) if since else this_month, last)
    created = []
    for layout in LAYOUTS:
        for branch in (SUBHOURLY, KEPT):
            with connection.cursor() as cursor:
                stray = [m for m in _default_months(cursor, layout, branch) if m <= last]
            for month in sorted({*wanted, *stray}):
                try:
                    if _leaf_create(layout, branch, month):
                        created.append(layout.leaf(branch, month))
                except OperationalError as error:
                    if not _lock_refused(error):
                        raise
                    log.warning("partition %s: locks not granted, left for the next run",
                                layout.leaf(branch, month))  # fmt: skip
    return created


def _default_months(cursor, layout: Layout, branch: str) -> list[datetime.date]:
    """The local months of the rows in a branch's DEFAULT partition."""
    cursor.execute(
        f"SELECT DISTINCT date_trunc('month', {_q(layout.time)} AT TIME ZONE %s)::date "
        f"FROM {_q(layout.default(branch))} WHERE {_q(layout.time)} IS NOT NULL",
        [settings.TIME_ZONE],
    )
    return [month for (month,) in cursor.fetchall()]


def _leaf_create(layout: Layout, branch: str, month: datetime.date) -> bool:
    """Create one month's partition unless it exists; True if created."""
    name = layout.leaf(branch, month)
    default = layout.default(branch)
    start, end = month_bounds(month)
    time = _q(layout.time)
    within = f"{time} >= %s AND {time} < %s"
    key = "" if layout.primary_key else f", CONSTRAINT {_q(name + '_pkey')} PRIMARY KEY (id)"
    with _impatient() as cursor:
        # First, and held to the end: rows of the month arriving meanwhile wait here
        # rather than land in the DEFAULT partition after the move.
        cursor.execute(f"LOCK TABLE {_q(default)} IN ACCESS EXCLUSIVE MODE")
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
        if cursor.fetchone()[0]:
            return False
        cursor.execute(
            f"CREATE TABLE {_q(name)} (LIKE {_q(layout.table)} INCLUDING DEFAULTS "
            f"INCLUDING STORAGE{key})"
        )
        columns = ", ".join(_q(c) for c in _columns(cursor, layout.table))
        cursor.execute(
            f"WITH moved AS (DELETE FROM {_q(default)} WHERE {within} RETURNING {columns}) "
            f"INSERT INTO {_q(name)} ({columns}) SELECT {columns} FROM moved",
            [start, end],
        )
        if cursor.rowcount:
            log.info("partition %s: %d rows moved from %s", name, cursor.rowcount, default)
        cursor.execute(
            f"ALTER TABLE {_q(layout.branch(branch))} ATTACH PARTITION {_q(name)} "
            f"FOR VALUES FROM ({_literal(start)}) TO ({_literal(end)})"
        )
    return True


@contextlib.contextmanager
def _impatient():
    """A transaction (or a savepoint) that waits LOCK_TIMEOUT at most for each lock; an
    enclosing transaction gets its own lock_timeout back."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('lock_timeout')")
        (before,) = cursor.fetchone()
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [LOCK_TIMEOUT])
        yield cursor
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [before])


def _columns(cursor, table: str) -> list[str]:
    cursor.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attnum > 0 "
        "AND NOT attisdropped ORDER BY attnum",
        [table],
    )
    return [name for (name,) in cursor.fetchall()]


def _lock_refused(error: OperationalError) -> bool:
    return getattr(error.__cause__, "sqlstate", None) == "55P03"  # lock_not_available


# --- the retention ---------------------------------------------------------------------


def partitions_drop(*, before: datetime.datetime) -> list[str]:
    """Drop the sub-hourly months (readings and packets) that end at or before ``before``;
    their names. A month whose parent cannot be locked within LOCK_TIMEOUT stays for the
    next run."""
    dropped = []
    for layout in LAYOUTS:
        with connection.cursor() as cursor:
            leaves = _leaves(cursor, layout.branch(SUBHOURLY))
        for name, _start, end, _rows, _size in leaves:
            if end is None or end > before:
                continue
            try:
                with _impatient() as cursor:
                    cursor.execute(f"DROP TABLE {_q(name)}")
            except OperationalError as error:
                if not _lock_refused(error):
                    raise
                log.warning("partition %s: lock not granted, dropped at the next run", name)
                continue
            dropped.append(name)
    return dropped


def defaults_prune(*, before: datetime.datetime, batch: int) -> dict[str, int]:
    """Delete the sub-hourly rows older than ``before`` from the DEFAULT partitions,
    ``batch`` rows per transaction: rows no month holds. The counts, by table."""
    deleted = {}
    for layout, label in ((READINGS, "readings"), (PACKETS, "packets")):
        default = _q(layout.default(SUBHOURLY))
        deleted[label] = 0
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    f"DELETE FROM {default} WHERE ctid = ANY(ARRAY(SELECT ctid FROM {default} "
                    f"WHERE {_q(layout.time)} < %s LIMIT %s))",
                    [before, batch],
                )
                count = cursor.rowcount
            deleted[label] += count
            if count < batch:
                break
    return deleted


# --- the migration ---------------------------------------------------------------------


def tables_partition(schema_editor) -> None:
    """Rebuild the plain readings and packets tables as partitioned ones, with their rows,
    constraints, indexes, grants and identity sequence's position, in the migration's
    transaction. The months created: those of the rows there are (up to AHEAD_MONTHS
    after this one; later ones stay in the DEFAULT partitions) and this one to
    AHEAD_MONTHS after it."""
    with schema_editor.connection.cursor() as cursor:
        for layout in LAYOUTS:
            _rebuild(cursor, layout, partitioned=True)


def tables_unpartition(schema_editor) -> None:
    """The migration backwards: plain tables again, with every row."""
    with schema_editor.connection.cursor() as cursor:
        for layout in LAYOUTS:
            _rebuild(cursor, layout, partitioned=False)


def _rebuild(cursor, layout: Layout, *, partitioned: bool) -> None:
    table = layout.table
    new = f"{table}_rebuilt"
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = to_regclass(%s) AND contype IN ('c', 'f', 'u', 'x') ORDER BY conname",
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = to_regclass(%s) "
        "AND indexrelid NOT IN (SELECT conindid FROM pg_constraint WHERE conrelid = "
        "to_regclass(%s))",
        [table, table],
    )
    indexes = [definition.replace(" ON ONLY ", " ON ") for (definition,) in cursor.fetchall()]
    cursor.execute(
        "SELECT grantee, privilege_type FROM information_schema.role_table_grants g "
        "JOIN pg_class c ON c.oid = to_regclass(%s) "
        "WHERE g.table_schema = current_schema() AND g.table_name = %s "
        "AND g.grantee <> pg_get_userbyid(c.relowner)",
        [table, table],
    )
    grants = cursor.fetchall()
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    (sequence,) = cursor.fetchone()
    if sequence:
        cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
    else:  # ids given by hand only
        cursor.execute(f"SELECT COALESCE(max(id), 0) + 1, false FROM {_q(table)}")
    position = cursor.fetchone()

    how = f" PARTITION BY LIST ({_q(layout.kind)})" if partitioned else ""
    cursor.execute(
        f"CREATE TABLE {_q(new)} (LIKE {_q(table)} INCLUDING DEFAULTS INCLUDING STORAGE){how}"
    )
    leaves = []
    if partitioned:
        leaves = _tree_create(cursor, layout, new, _months_of(cursor, layout))
    cursor.execute(f"INSERT INTO {_q(new)} SELECT * FROM {_q(table)}")
    cursor.execute(f"DROP TABLE {_q(table)}")
    cursor.execute(f"ALTER TABLE {_q(new)} RENAME TO {_q(table)}")
    cursor.execute(f"ALTER TABLE {_q(table)} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY")
    cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, %s)", [table, *position])
    if not partitioned:
        cursor.execute(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(table + '_pkey')} "
                       "PRIMARY KEY (id)")  # fmt: skip
    elif layout.primary_key:
        columns = ", ".join(_q(c) for c in layout.primary_key)
        cursor.execute(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(table + '_pkey')} "
                       f"PRIMARY KEY ({columns})")  # fmt: skip
    else:
        for leaf in leaves:
            cursor.execute(f"ALTER TABLE {_q(leaf)} ADD CONSTRAINT {_q(leaf + '_pkey')} "
                           "PRIMARY KEY (id)")  # fmt: skip
    for name, definition in constraints:
        cursor.execute(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(name)} {definition}")
    for definition in indexes:
        cursor.execute(definition)
    for grantee, privilege in grants:
        who = "PUBLIC" if grantee == "PUBLIC" else _q(grantee)
        cursor.execute(f"GRANT {privilege} ON {_q(table)} TO {who}")
    cursor.execute(f"ANALYZE {_q(table)}")


def _months_of(cursor, layout: Layout) -> dict[str, set[datetime.date]]:
    """The local months of a plain table's rows, by branch, up to AHEAD_MONTHS after
    this one; and this month to then in both branches."""
    this_month = month_of(timezone.now())
    last = month_after(this_month, AHEAD_MONTHS)
    ahead = set(months_between(this_month, last))
    months = {SUBHOURLY: set(ahead), KEPT: set(ahead)}
    cursor.execute(
        f"SELECT DISTINCT {_q(layout.kind)} = ANY(%s), "
        f"date_trunc('month', {_q(layout.time)} AT TIME ZONE %s)::date "
        f"FROM {_q(layout.table)} WHERE {_q(layout.time)} IS NOT NULL",
        [list(layout.values), settings.TIME_ZONE],
    )
    for subhourly, month in cursor.fetchall():
        if month <= last:
            months[SUBHOURLY if subhourly else KEPT].add(month)
    return months


def _tree_create(cursor, layout: Layout, parent: str, months) -> list[str]:
    """The branches of an empty partitioned table, their months and DEFAULT partitions;
    the names of the leaves."""
    values = ", ".join(_literal(v) for v in layout.values)
    time = _q(layout.time)
    leaves = []
    for branch, bound in ((SUBHOURLY, f"FOR VALUES IN ({values})"), (KEPT, "DEFAULT")):
        name = layout.branch(branch)
        cursor.execute(
            f"CREATE TABLE {_q(name)} PARTITION OF {_q(parent)} {bound} PARTITION BY RANGE ({time})"
        )
        for month in sorted(months[branch]):
            start, end = month_bounds(month)
            leaves.append(layout.leaf(branch, month))
            cursor.execute(
                f"CREATE TABLE {_q(leaves[-1])} PARTITION OF {_q(name)} "
                f"FOR VALUES FROM ({_literal(start)}) TO ({_literal(end)})"
            )
        leaves.append(layout.default(branch))
        cursor.execute(f"CREATE TABLE {_q(leaves[-1])} PARTITION OF {_q(name)} DEFAULT")
    return leaves


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _literal(value) -> str:
    """A partition bound as SQL (DDL takes no parameters): our own times and codes."""
    text = value.isoformat() if isinstance(value, datetime.datetime) else str(value)
    return "'" + text.replace("'", "''") + "'"
