"""Daily aggregates: the rates and daily figures read from them equal those read from the
raw readings; the overview asks as many queries for 10 points as for 3; minute data
past their retention are deleted, hourly data never.

Generated data (Beijing time, "now" 2026-03-10 10:20): five days and ten hours of hourly
uploads of an outlet (COD limit 100, some hours over it, some flagged invalid), an air
station and a river section, each with gaps; one upload of an old gap arrives late.
"""

import datetime
import random
import zoneinfo
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ecogov.monitoring import stats
from ecogov.monitoring.aggregates import point_days_count, point_days_refresh, readings_prune
from ecogov.monitoring.ingest import Ingestor, Upload
from ecogov.monitoring.models import Factor, Packet, Period, Point, PointDay, Reading
from ecogov.sources.models import Source, SourceType
from ecogov.standards import hj212

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 3, 10, 10, 20, tzinfo=TZ)
FIRST = datetime.datetime(2026, 3, 5, tzinfo=TZ)
LATE = datetime.datetime(2026, 3, 7, 13, tzinfo=TZ)  # a gap filled after the rest
ST = {Point.Kind.SOURCE: "32", Point.Kind.AIR_STATION: "22", Point.Kind.WATER_SECTION: "21"}
KINDS = {
    Point.Kind.SOURCE: {"w01018": (85, 30), "w21003": (5, 2)},
    Point.Kind.AIR_STATION: {"a34004": (55, 20), "a34002": (70, 20), "a21026": (10, 3),
                             "a21004": (20, 5), "a21005": (Decimal("0.8"), Decimal("0.3")),
                             "a05024": (60, 30)},
    Point.Kind.WATER_SECTION: {"w01009": (6, 1), "w01019": (4, 1), "w01018": (15, 3),
                               "w21003": (Decimal("0.6"), Decimal("0.3")),
                               "w21011": (Decimal("0.12"), Decimal("0.05"))},
}  # fmt: skip


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW.astimezone(datetime.UTC))


def upload(point: Point, when: datetime.datetime, values: dict, *, cn="2061", flags=None):
    cp = [{"DataTime": when.strftime("%Y%m%d%H%M%S")}]
    cp += [{f"{code}-Avg": f"{value}", f"{code}-Flag": (flags or {}).get(code, "N")}
           for code, value in values.items()]  # fmt: skip
    packet = hj212.Packet.make(
        qn=when.strftime("%Y%m%d%H%M%S000"), st=ST[point.kind], cn=cn, pw=point.password,
        mn=point.mn, flag=hj212.Flag.make(need_answer=True), cp=cp,
    )  # fmt: skip
    return Upload.of(point.pk, packet, NOW)


def make_point(personas, number: int, kind: str, source=None, created=None) -> Point:
    point = Point.objects.create(
        jurisdiction=personas.district, kind=kind, name=f"点位{number}",
        mn=f"6301039{number:07d}", password=f"pw-{number}", source=source,
        grid=source.grid if source else None,
    )  # fmt: skip
    point.created_at = created or FIRST - datetime.timedelta(days=30)
    point.save(update_fields=["created_at"])
    for code in KINDS[kind]:
        unit = (
            "mg/m³" if code == "a21005" else "μg/m³" if kind == Point.Kind.AIR_STATION else "mg/L"
        )
        limit = Decimal(100) if kind == Point.Kind.SOURCE and code == "w01018" else None
        Factor.objects.create(point=point, code=code, unit=unit, limit=limit)
    return point


def hours_of(point: Point, rng: random.Random, *, late: bool):
    """The uploads of the point's hours from FIRST to NOW: gaps, invalid flags, values
    over the limit; the LATE hour only if ``late``."""
    uploads = []
    when = FIRST
    while when < NOW.replace(minute=0):
        hour, when = when, when + datetime.timedelta(hours=1)
        if (hour == LATE) != late:
            continue
        if not late and rng.random() < 0.08:
            continue  # the logger was down
        values = {code: Decimal(mean) + Decimal(rng.uniform(-1, 1)) * spread
                  for code, (mean, spread) in KINDS[point.kind].items()}  # fmt: skip
        values = {code: value.quantize(Decimal("0.001")) for code, value in values.items()}
        flags = {code: "D" for code in values if rng.random() < 0.03}  # flagged invalid
        uploads.append(upload(point, hour, values, flags=flags))
    return uploads


@pytest.fixture
def generated(personas):
    kind = SourceType.objects.order_by("pk").first()
    source = Source.objects.create(jurisdiction=personas.district, type=kind, name="生成化工厂",
                                   grid=personas.grid)  # fmt: skip
    points = [
        make_point(personas, 1, Point.Kind.SOURCE, source),
        # registered after its first data: its hours count from those
        make_point(
            personas, 2, Point.Kind.SOURCE, source, created=FIRST + datetime.timedelta(hours=12)
        ),
        make_point(personas, 3, Point.Kind.AIR_STATION),
        make_point(personas, 4, Point.Kind.WATER_SECTION),
    ]
    rng = random.Random(24)
    ingestor = Ingestor()
    ingestor.refresh()
    for point in points:
        ingestor.store(hours_of(point, rng, late=False))
    for point in points:
        ingestor.store(hours_of(point, rng, late=True))  # late: counted again by the writer
    return list(Point.objects.filter(pk__in=[p.pk for p in points]).order_by("pk"))


WINDOWS = {
    "the pages' 3 days": stats.window(3, NOW),
    "whole days": (datetime.datetime(2026, 3, 5, tzinfo=TZ), datetime.datetime(2026, 3, 9, tzinfo=TZ)),
    "within a day": (datetime.datetime(2026, 3, 7, 2, tzinfo=TZ), datetime.datetime(2026, 3, 7, 20, tzinfo=TZ)),
    "from a late registration": stats.window(30, NOW),
}  # fmt: skip


@pytest.mark.parametrize("name", WINDOWS)
def test_it_gives_the_same_figures_from_aggregates_as_from_raw_readings(generated, name):
    start, end = WINDOWS[name]
    points = Point.objects.filter(pk__in=[p.pk for p in generated])
    fast, slow = stats.rates(points, start, end), stats.rates(points, start, end, aggregates=False)
    assert fast == slow
    assert slow.total.exceeded > 0 and slow.total.valid_hours < slow.total.received
    assert all(p.days_from == FIRST.date() for p in generated)  # the aggregates are asked
    _outlet, _new, air, river = generated
    daily = stats.daily_aqi(air, start, end)
    assert daily == stats.daily_aqi(air, start, end, aggregates=False)
    assert daily or name == "within a day"
    classes = stats.daily_classes(river, start, end)
    assert classes == stats.daily_classes(river, start, end, aggregates=False)
    year = stats.period_class(river, start, end)
    assert year == stats.period_class(river, start, end, aggregates=False)
    assert year is not None or name == "within a day"
    # The month's classes of one read are each month's own (the pages' months of the year).
    by_month, whole = stats.period_classes(river, start, end)
    assert whole == year and (by_month or name == "within a day")
    for month, result in by_month.items():
        following = (month + datetime.timedelta(days=31)).replace(day=1)
        begin, finish = max(start, stats.midnight(month)), min(end, stats.midnight(following))
        assert result == stats.period_class(river, begin, finish, aggregates=False), month
    for code in ("a34004", "a05024"):
        assert stats.point_daily_means(air, start, end, [code]) == stats.point_daily_means(
            air, start, end, [code], aggregates=False
        )


CUT_WINDOWS = {
    "from a midnight into the day": (datetime.datetime(2026, 3, 8, tzinfo=TZ),
                                     datetime.datetime(2026, 3, 8, 15, tzinfo=TZ)),
    "across a midnight": (datetime.datetime(2026, 3, 7, 18, tzinfo=TZ),
                          datetime.datetime(2026, 3, 8, 6, tzinfo=TZ)),
    "into today": (datetime.datetime(2026, 3, 6, 9, tzinfo=TZ), NOW),
}  # fmt: skip


@pytest.mark.parametrize("name", CUT_WINDOWS)
def test_the_rates_of_days_a_window_cuts_are_those_of_the_raw_readings(generated, name):
    start, end = CUT_WINDOWS[name]
    points = Point.objects.filter(pk__in=[p.pk for p in generated])
    fast = stats.rates(points, start, end)
    with CaptureQueriesContext(connection) as queries:
        slow = stats.rates(points, start, end, aggregates=False)
    assert fast == slow and slow.total.received > 0
    assert any("monitoring_reading" in q["sql"] for q in queries)


def test_the_days_a_window_cuts_are_read_from_their_hours(generated):
    outlet = generated[0]
    start, end = stats.window(3, NOW)  # from 10:00 of 03-07 to 10:00 of 03-10
    points = Point.objects.filter(pk=outlet.pk)
    before = stats.rates(points, start, end)
    with CaptureQueriesContext(connection) as queries:
        stats.rates(points, start, end)
    assert not any("monitoring_reading" in q["sql"] for q in queries)  # nothing raw
    cut = PointDay.objects.get(point=outlet, date=datetime.date(2026, 3, 7))
    figures = cut.by_hour.split(",")  # up to the end of each hour
    assert len(figures) == 4 * 24 and figures[-4:] == [
        str(getattr(cut, name)) for name in ("received", "valid_hours", "checked", "exceeded")
    ]
    morning = figures[4 * 11 : 4 * 12]
    assert int(morning[0]) < int(figures[-4])  # it sent in the afternoon
    cut.by_hour = ",".join(figures[: 4 * 12] + morning * 12)  # the afternoon lost
    cut.save(update_fields=["by_hour"])
    assert stats.rates(points, start, end).total.received < before.total.received
    # A day counted before its hours were kept is read raw.
    PointDay.objects.filter(pk=cut.pk).update(by_hour="")
    assert stats.rates(points, start, end) == before


def test_a_day_with_a_data_time_off_the_hours_is_read_raw_where_a_window_cuts_it(generated):
    outlet = generated[0]
    odd = datetime.datetime(2026, 3, 8, 10, 30, tzinfo=TZ)
    Reading.objects.create(point=outlet, code="w01018", period=Period.HOUR, time=odd,
                           value=Decimal(120), flag="N", valid=True, exceeded=True)  # fmt: skip
    point_days_count([(outlet.pk, odd.date())])
    assert PointDay.objects.get(point=outlet, date=odd.date()).by_hour == ""
    start, end = datetime.datetime(2026, 3, 7, 8, tzinfo=TZ), odd.replace(hour=12, minute=0)
    points = Point.objects.filter(pk=outlet.pk)
    with CaptureQueriesContext(connection) as queries:
        fast = stats.rates(points, start, end)
    assert any("monitoring_reading" in q["sql"] for q in queries)
    assert fast == stats.rates(points, start, end, aggregates=False)


def test_the_late_upload_is_counted_in_its_day(generated):
    outlet = generated[0]
    begin = LATE.replace(hour=0)
    times = set(
        Reading.objects.filter(
            point=outlet, period=Period.HOUR, time__gte=begin,
            time__lt=begin + datetime.timedelta(days=1),
        ).values_list("time", flat=True)
    )  # fmt: skip
    assert LATE in times
    assert PointDay.objects.get(point=outlet, date=LATE.date()).received == len(times)


def test_whole_days_are_read_from_the_aggregates(generated):
    outlet = generated[0]
    start, end = WINDOWS["whole days"]
    points = Point.objects.filter(pk=outlet.pk)
    before = stats.rates(points, start, end).total.received
    PointDay.objects.filter(point=outlet, date=datetime.date(2026, 3, 6)).update(received=0)
    assert stats.rates(points, start, end).total.received < before
    # A day without a row is read raw: the aggregates are an optimisation, not a source.
    PointDay.objects.filter(point=outlet, date=datetime.date(2026, 3, 6)).delete()
    assert stats.rates(points, start, end).total.received == before


def test_counting_again_and_the_command_give_the_same_rows(generated):
    def rows():
        return sorted(PointDay.objects.values_list("point", "date", "received", "valid_hours",
                                                   "checked", "exceeded", "first_time",
                                                   "by_hour"))  # fmt: skip

    counted = rows()
    assert point_days_refresh(since=datetime.date(2026, 3, 9)) == 2 * len(generated)
    assert rows() == counted
    PointDay.objects.all().delete()
    call_command("monitoring", "aggregates", "--since", "2026-03-05")
    assert rows() == counted


def _overview_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/monitoring/").status_code == 200
        assert client.get("/api/monitoring/points").status_code == 200
    return len(queries)


def test_the_overview_and_the_rate_table_ask_no_query_per_point(personas, client_for):
    kind = SourceType.objects.order_by("pk").first()
    source = Source.objects.create(jurisdiction=personas.district, type=kind, name="生成化工厂",
                                   grid=personas.grid)  # fmt: skip
    kinds = [Point.Kind.SOURCE, Point.Kind.AIR_STATION, Point.Kind.WATER_SECTION]
    rng = random.Random(3)
    ingestor = Ingestor()

    def add(numbers):
        points = [make_point(personas, n, kinds[n % 3], source if n % 3 == 0 else None)
                  for n in numbers]  # fmt: skip
        ingestor.refresh()
        for point in points:
            ingestor.store(
                [u for u in hours_of(point, rng, late=False) if u.data_time >= "20260308"]
            )

    client = client_for(personas.dora)
    add(range(3))
    _overview_queries(client)  # caches warm
    three = _overview_queries(client)
    add(range(3, 10))
    assert _overview_queries(client) == three


def test_minute_data_past_their_retention_are_deleted_in_batches_hourly_data_kept(
    personas, settings
):
    settings.ECOGOV_MONITORING_MINUTE_DAYS = 2
    point = make_point(personas, 1, Point.Kind.SOURCE)
    ingestor = Ingestor()
    ingestor.refresh()
    uploads = []
    for day in range(5):
        for minute in range(0, 30, 10):
            when = FIRST + datetime.timedelta(days=day, minutes=minute)
            uploads.append(upload(point, when, {"w01018": "50"}, cn="2051"))
        uploads.append(upload(point, FIRST + datetime.timedelta(days=day), {"w01018": "50"}))
    ingestor.store(uploads)
    hourly = Reading.objects.filter(period=Period.HOUR).count()
    deleted = readings_prune(batch=2)
    cutoff = NOW - datetime.timedelta(days=2)
    assert deleted == {"readings": 12, "packets": 12, "dropped": []}  # 4 days × 3 minutes
    assert not Reading.objects.filter(period=Period.MINUTE, time__lt=cutoff).exists()
    assert Reading.objects.filter(period=Period.MINUTE).count() == 3
    assert Reading.objects.filter(period=Period.HOUR).count() == hourly == 5
    assert Packet.objects.filter(cn="2061").count() == 5
