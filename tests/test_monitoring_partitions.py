"""Monthly partitions of the readings and packets on PostgreSQL (issue 24 item 2).

The migration keeps every row; uploads stored through the ``Ingestor`` land in their
local month's partition and are still stored once; the daily job creates months ahead
and does nothing the second time; the retention drops a past month of minute data and
leaves that month's hourly readings alone; rows that fell into a DEFAULT partition move
to their month when it is created. On SQLite nothing is partitioned and the retention
deletes in batches (test_monitoring_aggregates).
"""

import datetime
import io
import os
import zoneinfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from ecogov.monitoring import partitions
from ecogov.monitoring.aggregates import readings_prune
from ecogov.monitoring.ingest import Ingestor, Upload
from ecogov.monitoring.models import Packet, Period, Point, Reading
from ecogov.monitoring.partitions import month_after, month_bounds, partitions_ensure
from ecogov.monitoring.tasks import monitoring_partitions
from test_monitoring_aggregates import make_point, upload

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
postgres_only = pytest.mark.skipif(
    not os.getenv("DATABASE_URL", "").startswith("postgres"),
    reason="partitions: PostgreSQL",
)


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=TZ)


# --- months (no database) --------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "count", "expected"),
    [((2026, 3), 1, (2026, 4)), ((2026, 12), 1, (2027, 1)), ((2026, 11), 2, (2027, 1)),
     ((2027, 1), -1, (2026, 12)), ((2026, 5), 0, (2026, 5))],
)  # fmt: skip
def test_month_after(month, count, expected):
    assert month_after(datetime.date(*month, 1), count) == datetime.date(*expected, 1)


def test_a_month_is_a_local_month(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    start, end = month_bounds(datetime.date(2026, 3, 1))
    assert (start, end) == (at(2026, 3, 1), at(2026, 4, 1))
    assert start.astimezone(datetime.UTC) == datetime.datetime(2026, 2, 28, 16, tzinfo=datetime.UTC)


# --- both databases --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_says_what_there_is():
    out = _command("partitions", "--create")
    if connection.vendor == "postgresql":
        assert "monitoring_reading_subhourly_default" in out
        assert "monitoring_packet_kept_default" in out
    else:
        assert "not partitioned" in out
        assert partitions_ensure() == []


# --- PostgreSQL ------------------------------------------------------------------------


def _command(*args) -> str:
    out = io.StringIO()
    call_command("monitoring", *args, stdout=out)
    return out.getvalue()


def _stored_checks() -> None:
    """The deferred foreign-key checks of what the test stored, made now: PostgreSQL
    refuses DDL on a table with checks pending in the same transaction, which only a test
    that writes and then drops or rebuilds in one transaction has."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _where(model, **filters) -> dict[str, int]:
    """Rows by the partition that holds them."""
    table = model._meta.db_table
    ids = list(model.objects.filter(**filters).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT tableoid::regclass::text, count(*) FROM {table} WHERE id = ANY(%s) GROUP BY 1",
            [ids],
        )
        return dict(cursor.fetchall())


def _store(point: Point, moments, *, cn: str) -> Ingestor:
    ingestor = Ingestor()
    ingestor.refresh()
    report = ingestor.store([upload(point, when, {"w01018": "50"}, cn=cn) for when in moments])
    assert report.stored == len(moments)
    return ingestor


@pytest.fixture
def point(personas):
    return make_point(personas, 1, Point.Kind.SOURCE)


@postgres_only
@pytest.mark.django_db
def test_the_migration_keeps_every_row(point, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: at(2025, 2, 10))  # months ahead: to April
    executor = MigrationExecutor(connection)
    executor.migrate([("monitoring", "0005_point_days")])
    assert not partitions.partitioned()
    ingestor = _store(point, [at(2025, 1, 31, 23, 30), at(2025, 2, 1, 0, 30)], cn="2061")
    _store(point, [at(2025, 2, 3, 8, 5), at(2031, 5, 1)], cn="2051")
    without_time = Upload(point.pk, "9014", "", None, (), "QN=1;CN=9014", timezone.now())
    ingestor.store([without_time])
    readings = set(Reading.objects.values_list())
    packets = set(Packet.objects.values_list())
    assert (len(readings), len(packets)) == (4, 5)
    _stored_checks()

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("monitoring", "0006_partitions")])

    assert partitions.partitioned()
    assert set(Reading.objects.values_list()) == readings
    assert set(Packet.objects.values_list()) == packets
    assert _where(Reading, period=Period.HOUR) == {
        "monitoring_reading_kept_2025_01": 1, "monitoring_reading_kept_2025_02": 1,
    }  # fmt: skip
    # the far future (beyond the months ahead) waits in the DEFAULT partition
    assert _where(Reading, period=Period.MINUTE) == {
        "monitoring_reading_subhourly_2025_02": 1, "monitoring_reading_subhourly_default": 1,
    }  # fmt: skip
    assert _where(Packet, cn="9014") == {"monitoring_packet_kept_default": 1}
    # the identity sequence goes on where it was
    _store(point, [at(2025, 2, 4)], cn="2061")
    assert Reading.objects.order_by("-pk").first().pk > max(r[0] for r in readings)
    assert Packet.objects.order_by("-pk").first().pk > max(p[0] for p in packets)


@postgres_only
@pytest.mark.django_db
def test_uploads_land_in_their_local_month_and_are_stored_once(point):
    partitions_ensure(now=at(2020, 2, 10), since=at(2020, 1, 1))
    hours = [at(2020, 1, 31, 23), at(2020, 2, 1, 0)]  # one local month each, one UTC day
    _store(point, hours, cn="2061")
    _store(point, hours, cn="2051")
    assert _where(Reading, period=Period.HOUR) == {
        "monitoring_reading_kept_2020_01": 1, "monitoring_reading_kept_2020_02": 1,
    }  # fmt: skip
    assert _where(Reading, period=Period.MINUTE) == {
        "monitoring_reading_subhourly_2020_01": 1, "monitoring_reading_subhourly_2020_02": 1,
    }  # fmt: skip
    assert _where(Packet, cn="2051") == {
        "monitoring_packet_subhourly_2020_01": 1, "monitoring_packet_subhourly_2020_02": 1,
    }  # fmt: skip

    # ON CONFLICT across the partitioned tables: a repeat is acknowledged, not stored
    ingestor = Ingestor()
    ingestor.refresh()
    again = ingestor.store([upload(point, when, {"w01018": "50"}, cn=cn)
                            for when in hours for cn in ("2061", "2051")])  # fmt: skip
    assert (again.stored, again.duplicates, again.readings) == (0, 4, 0)
    assert Reading.objects.count() == Packet.objects.count() == 4


@postgres_only
@pytest.mark.django_db
def test_the_job_creates_months_ahead_once(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: at(2031, 11, 20))
    months = ("2031_11", "2031_12", "2032_01")
    monitoring_partitions.call_local()
    there = [leaf.name for leaf in partitions.partitions_list() if leaf.name.endswith(months)]
    assert sorted(there) == sorted(
        f"monitoring_{table}_{branch}_{month}"
        for table in ("reading", "packet")
        for branch in ("subhourly", "kept")
        for month in months
    )
    names = [leaf.name for leaf in partitions.partitions_list()]
    monitoring_partitions.call_local()  # a second run changes nothing
    assert [leaf.name for leaf in partitions.partitions_list()] == names
    assert partitions_ensure() == []


@postgres_only
@pytest.mark.django_db
def test_the_retention_drops_a_past_minute_month_and_keeps_its_hours(point, settings):
    settings.ECOGOV_MONITORING_MINUTE_DAYS = 30
    now = at(2020, 3, 15, 12)  # the cut-off: 2020-02-14 12:00
    partitions_ensure(now=now, since=at(2020, 1, 1))
    january = [at(2020, 1, day, 10) for day in (1, 15, 31)]
    _store(point, january, cn="2061")
    _store(point, january, cn="2051")
    # Before the cut-off, but February is not over: its minutes wait for the month to go.
    _store(point, [at(2020, 2, 5), at(2020, 2, 20)], cn="2051")
    _store(point, [at(2019, 6, 1)], cn="2051")  # no month for it: in DEFAULT
    _stored_checks()

    pruned = readings_prune(now=now)

    assert pruned == {
        "readings": 1, "packets": 1,
        "dropped": ["monitoring_reading_subhourly_2020_01", "monitoring_packet_subhourly_2020_01"],
    }  # fmt: skip
    assert sorted(Reading.objects.filter(period=Period.MINUTE).values_list("time", flat=True)) == [
        at(2020, 2, 5), at(2020, 2, 20),
    ]  # fmt: skip
    assert Reading.objects.filter(period=Period.HOUR).count() == 3
    assert Packet.objects.filter(cn="2061").count() == 3
    assert Packet.objects.filter(cn="2051").count() == 2
    assert "monitoring_reading_kept_2020_01" in {p.name for p in partitions.partitions_list()}
    assert readings_prune(now=now) == {"readings": 0, "packets": 0, "dropped": []}


@postgres_only
@pytest.mark.django_db
def test_rows_in_a_default_partition_move_to_their_month(point):
    months = [at(2019, 6, 3), at(2019, 6, 30, 23, 59), at(2018, 3, 1), at(2099, 1, 1)]
    _store(point, months, cn="2061")
    _store(point, months, cn="2051")
    assert set(_where(Reading)) == {
        "monitoring_reading_kept_default", "monitoring_reading_subhourly_default",
    }  # fmt: skip
    rows = set(Reading.objects.values_list())

    created = partitions_ensure(now=at(2019, 6, 20))

    assert {"monitoring_reading_kept_2019_06", "monitoring_reading_subhourly_2018_03",
            "monitoring_packet_subhourly_2019_06"} <= set(created)  # fmt: skip
    assert set(Reading.objects.values_list()) == rows
    assert _where(Reading, period=Period.HOUR) == {
        "monitoring_reading_kept_2019_06": 2,
        "monitoring_reading_kept_2018_03": 1,
        "monitoring_reading_kept_default": 1,  # 2099: beyond the months ahead
    }
    assert _where(Packet, cn="2051") == {
        "monitoring_packet_subhourly_2019_06": 2,
        "monitoring_packet_subhourly_2018_03": 1,
        "monitoring_packet_subhourly_default": 1,
    }
    # and still once: the moved rows refuse their repeats
    _stored_checks()
    ingestor = Ingestor()
    ingestor.refresh()
    again = ingestor.store([upload(point, months[0], {"w01018": "50"}, cn="2061")])
    assert again.duplicates == 1
    assert set(Reading.objects.values_list()) == rows
