"""What the readings add up to: compliance, transmission and validity rates, series,
the AQI of air stations and the water class of river sections, and the plan targets
they feed.

Definitions (stated, because offices compute them differently):

- transmission rate (传输率): hours with an hourly upload ÷ hours expected, from the
  start of the period (or from the point's registration, if later; from its first
  data if that came before the registration) to the period's end;
- validity rate (有效率): hours whose every value is valid (flag N) ÷ hours received;
- compliance rate (达标率): valid pollutant-hours within the limit ÷ valid
  pollutant-hours that have a limit, over hourly averages. A source's, a grid's and a
  jurisdiction's rates add up their points' hours; they are not means of rates.
- daily means need 20 valid hours (GB 3095-2012 §7.2 for the 24-hour mean); the
  8-hour O3 needs 6 of 8 hours; the daily AQI is HJ 633-2012's 日报 from them and from
  the day's highest 1-hour O3. A concentration above the top of HJ 633 Table 1, which
  defines no IAQI there, is shown as IAQI 500 (the usual display practice), flagged.
- a section's class (GB 3838-2002, single factor) is the class of its mean values over
  the day, the month or the year so far.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Max, Min, Q
from django.utils import timezone, translation

from ecogov.monitoring.models import Period, Point, Reading, TargetFeed
from ecogov.standards import aqi as aqi_standard
from ecogov.standards import water

HOUR = datetime.timedelta(hours=1)
DAY_MIN_HOURS = 20
O3_8H_MIN_HOURS = 6
AIR_CODES = ("a34004", "a34002", "a21026", "a21004", "a21005", "a05024")
CLASS_NUMBER = {name: number for number, name in enumerate((*water.CLASSES, water.WORSE_THAN_V), 1)}


@dataclass
class Rates:
    expected: int = 0
    received: int = 0
    valid_hours: int = 0
    checked: int = 0  # valid pollutant-hours that have a limit
    compliant: int = 0
    exceeded: int = 0

    def add(self, other: "Rates") -> None:
        for name in ("expected", "received", "valid_hours", "checked", "compliant", "exceeded"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def transmission(self) -> float | None:
        return self._rate(min(self.received, self.expected), self.expected)

    @property
    def validity(self) -> float | None:
        return self._rate(self.valid_hours, self.received)

    @property
    def compliance(self) -> float | None:
        return self._rate(self.compliant, self.checked)

    def as_dict(self) -> dict:
        return {
            "expected_hours": self.expected, "received_hours": self.received,
            "valid_hours": self.valid_hours, "checked_hours": self.checked,
            "compliant_hours": self.compliant, "exceeded_hours": self.exceeded,
            "transmission_rate": self.transmission, "validity_rate": self.validity,
            "compliance_rate": self.compliance,
        }  # fmt: skip


@dataclass
class Rollup:
    points: dict[int, Rates] = field(default_factory=dict)
    sources: dict[int, Rates] = field(default_factory=dict)
    grids: dict[int, Rates] = field(default_factory=dict)
    jurisdictions: dict[int, Rates] = field(default_factory=dict)
    total: Rates = field(default_factory=Rates)


def rates(points, start: datetime.datetime, end: datetime.datetime) -> Rollup:
    """The rates of ``points`` (a queryset) over [start, end), rolled up; three queries."""
    points = list(points.select_related("grid"))
    ids = [p.pk for p in points]
    hourly = Reading.objects.filter(
        point_id__in=ids, period=Period.HOUR, time__gte=start, time__lt=end
    )
    per_hour = (
        hourly.values("point_id", "time")
        .annotate(values=Count("pk"), valid=Count("pk", filter=Q(valid=True)))
        .values_list("point_id", "valid", "values")
    )
    received: dict[int, int] = defaultdict(int)
    valid_hours: dict[int, int] = defaultdict(int)
    for point_id, valid, values in per_hour:
        received[point_id] += 1
        valid_hours[point_id] += valid == values
    checks = {
        row["point_id"]: row
        for row in hourly.filter(valid=True, exceeded__isnull=False)
        .values("point_id")
        .annotate(checked=Count("pk"), exceeded=Count("pk", filter=Q(exceeded=True)))
    }
    first = dict(
        Reading.objects.filter(point_id__in=ids, period=Period.HOUR)
        .values("point_id")
        .annotate(first=Min("time"))
        .values_list("point_id", "first")
    )
    rollup = Rollup()
    for point in points:
        begin = max(start, min(first.get(point.pk) or point.created_at, point.created_at))
        begin = begin.replace(minute=0, second=0, microsecond=0)
        expected = max(0, int((end - begin) / HOUR)) if point.active else received[point.pk]
        row = checks.get(point.pk, {"checked": 0, "exceeded": 0})
        own = Rates(expected, received[point.pk], valid_hours[point.pk], row["checked"],
                    row["checked"] - row["exceeded"], row["exceeded"])  # fmt: skip
        rollup.points[point.pk] = own
        for key, table in (
            (point.source_id, rollup.sources),
            (_township_grid(point), rollup.grids),
            (point.jurisdiction_id, rollup.jurisdictions),
        ):
            if key is not None:
                table.setdefault(key, Rates()).add(own)
        rollup.total.add(own)
    return rollup


def _township_grid(point: Point) -> int | None:
    """The level-2 grid a point's figures add up to (a village grid's parent)."""
    grid = point.grid
    if grid is None:
        return None
    return grid.parent_id if grid.level == grid.Level.VILLAGE else grid.pk


def window(days: int, now: datetime.datetime | None = None):
    """[start, end) of the last ``days`` days up to the current hour."""
    end = (now or timezone.now()).replace(minute=0, second=0, microsecond=0)
    return end - datetime.timedelta(days=days), end


# --- series --------------------------------------------------------------------------


def hourly(point: Point, start, end, codes=None, field="value") -> dict[str, list[tuple]]:
    """code → [(time, value, flag, valid, exceeded)] of the hourly averages, oldest first
    (``field="total"``: the hours' amounts, Cou, in place of the values)."""
    rows = Reading.objects.filter(
        point=point, period=Period.HOUR, time__gte=start, time__lt=end
    ).order_by("time")
    if codes:
        rows = rows.filter(code__in=codes)
    series: dict[str, list[tuple]] = defaultdict(list)
    for code, time, value, flag, valid, exceeded in rows.values_list(
        "code", "time", field, "flag", "valid", "exceeded"
    ):
        series[code].append((time, value, flag, valid, exceeded))
    return dict(series)


def daily_means(series: dict[str, list[tuple]], minimum: int = DAY_MIN_HOURS):
    """code → {local date: mean of the valid hourly values} for days with ``minimum`` hours."""
    means: dict[str, dict[datetime.date, Decimal]] = {}
    for code, rows in series.items():
        days: dict[datetime.date, list[Decimal]] = defaultdict(list)
        for time, value, _flag, valid, _exceeded in rows:
            if valid and value is not None:
                days[timezone.localtime(time).date()].append(value)
        means[code] = {
            day: (sum(values) / len(values)).quantize(Decimal("0.001"))
            for day, values in days.items()
            if len(values) >= minimum
        }
    return means


def _daily_max(rows: list[tuple]) -> dict[datetime.date, Decimal]:
    """The day's highest valid hourly value (O3 1-hour maximum of the daily report)."""
    best: dict[datetime.date, Decimal] = {}
    for time, value, _flag, valid, _e in rows:
        if valid and value is not None:
            day = timezone.localtime(time).date()
            best[day] = max(best.get(day, value), value)
    return best


def _o3_8h(rows: list[tuple]) -> dict[datetime.date, Decimal]:
    """The day's highest 8-hour running mean of O3 (windows ending at 08:00–24:00)."""
    values = {timezone.localtime(t): v for t, v, _f, valid, _e in rows if valid and v is not None}
    best: dict[datetime.date, Decimal] = {}
    for end in values:
        window_values = [values[end - HOUR * k] for k in range(8) if end - HOUR * k in values]
        if len(window_values) < O3_8H_MIN_HOURS or end.hour < 7:
            continue
        mean = sum(window_values) / len(window_values)
        day = end.date()
        if day not in best or mean > best[day]:
            best[day] = mean.quantize(Decimal("0.1"))
    return best


def _air_units(point: Point) -> dict[str, int]:
    """Multipliers to the AQI units (µg/m³, CO mg/m³) from the point's registered units."""
    factors = {}
    for factor in point.factors.all():
        unit = factor.unit.replace("μ", "µ").lower()
        if factor.code != "a21005" and unit == "mg/m³":
            factors[factor.code] = 1000
    return factors


AQI_NAMES = {"a34004": "PM2.5", "a34002": "PM10", "a21026": "SO2", "a21004": "NO2",
             "a21005": "CO", "a05024": "O3"}  # fmt: skip


def capped_aqi(conc: dict[str, Decimal], period: str, on=None):
    """The AQI, with a concentration above HJ 633 Table 1 counted at its top breakpoint
    (IAQI 500); the result says which were capped in ``capped``."""
    conc = {AQI_NAMES.get(code, code): value for code, value in conc.items()}
    capped = []
    while True:
        try:
            result = aqi_standard.aqi(conc, period, on=on)
        except aqi_standard.OutOfRange as error:
            conc[error.pollutant] = Decimal(error.top.numerator) / error.top.denominator
            capped.append(error.pollutant)
            continue
        return Capped(result, capped)


@dataclass(frozen=True)
class Capped:
    result: object  # AqiResult
    capped: list[str]

    def __getattr__(self, name):
        return getattr(self.result, name)


def hourly_aqi(point: Point, start, end) -> list[tuple[datetime.datetime, object]]:
    """[(time, AqiResult)] of the real-time report (HJ 633: 1-hour values)."""
    series = hourly(point, start, end, AIR_CODES)
    scale = _air_units(point)
    by_time: dict[datetime.datetime, dict[str, Decimal]] = defaultdict(dict)
    for code, rows in series.items():
        for time, value, _flag, valid, _e in rows:
            if valid and value is not None and value >= 0:
                by_time[time][code] = value * scale.get(code, 1)
    out = []
    for time in sorted(by_time):
        try:
            out.append((time, capped_aqi(by_time[time], "1h")))
        except ValueError:
            continue  # nothing computable that hour
    return out


def daily_aqi(point: Point, start, end) -> list[tuple[datetime.date, object]]:
    """[(day, AqiResult)] of the daily report (24-hour means, O3 8-hour maximum)."""
    series = hourly(point, start, end, AIR_CODES)
    scale = _air_units(point)
    means = daily_means({c: r for c, r in series.items() if c != "a05024"})
    o3 = _o3_8h(series.get("a05024", []))
    o3_1h = _daily_max(series.get("a05024", []))
    days = sorted({d for values in means.values() for d in values} | set(o3))
    out = []
    for day in days:
        conc = {c: values[day] * scale.get(c, 1) for c, values in means.items() if day in values}
        if day in o3:
            conc["O3_8h"] = o3[day]
        if day in o3_1h:
            conc["O3"] = o3_1h[day] * scale.get("a05024", 1)
        if "a34004" not in conc and "a34002" not in conc:
            continue
        try:
            out.append((day, capped_aqi(conc, "24h", on=day)))
        except ValueError:
            continue
    return out


def water_class(means: dict[str, Decimal], waterbody: str = "river"):
    """The GB 3838 class of mean values keyed by HJ 212 code, or None."""
    try:
        values = water.from_hj212(means, ignore_unknown=True)
        return water.classify(values, waterbody) if values else None
    except ValueError:
        return None


def daily_classes(point: Point, start, end) -> list[tuple[datetime.date, object]]:
    """[(day, WaterClass)] of a river section."""
    means = daily_means(hourly(point, start, end))
    days = sorted({d for values in means.values() for d in values})
    out = []
    for day in days:
        result = water_class({c: v[day] for c, v in means.items() if day in v}, point.waterbody)
        if result is not None:
            out.append((day, result))
    return out


def _class_of_days(means: dict[str, dict], waterbody: str):
    """The class of the mean of daily means (code → {day: mean})."""
    overall = {
        code: (sum(values.values()) / len(values)).quantize(Decimal("0.001"))
        for code, values in means.items()
        if values
    }
    return water_class(overall, waterbody) if overall else None


def period_class(point: Point, start, end):
    """The class of a section's mean values over a period (a month, the year so far)."""
    return _class_of_days(daily_means(hourly(point, start, end)), point.waterbody)


def monthly_classes(point: Point, start, end) -> list[tuple[datetime.date, object]]:
    """[(first day of the month, WaterClass)] of each month in [start, end) with a
    classified day, each as ``period_class`` of that month; one query for all months."""
    means = daily_means(hourly(point, start, end))
    months = sorted({day.replace(day=1) for values in means.values() for day in values})
    out = []
    for month in months:
        part = {
            code: {day: value for day, value in values.items() if day.replace(day=1) == month}
            for code, values in means.items()
        }
        result = _class_of_days(part, point.waterbody)
        if result is not None:
            out.append((month, result))
    return out


def year_mean(point: Point, code: str, year: int) -> Decimal | None:
    """The mean of a year's valid daily means (the annual mean of GB 3095)."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=tz)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=tz)
    days = daily_means(hourly(point, start, end, [code])).get(code, {})
    if not days:
        return None
    value = sum(days.values()) / len(days)
    return value.quantize(Decimal("0.1"))


# --- plan targets --------------------------------------------------------------------


def feed_value(feed: TargetFeed, today: datetime.date) -> Decimal | None:
    """What a feed says on ``today`` about its target's year."""
    if feed.metric == TargetFeed.Metric.ANNUAL_MEAN:
        return year_mean(feed.point, feed.code, today.year)
    tz = timezone.get_current_timezone()
    start = datetime.datetime(today.year, 1, 1, tzinfo=tz)
    end = datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time(), tz)
    result = period_class(feed.point, start, end)
    return Decimal(CLASS_NUMBER[result.cls]) if result else None


def feeds_run(today: datetime.date | None = None) -> int:
    """Record today's value of every fed target; a value that has not changed is kept."""
    from ecogov.plans.services import target_value_record

    today = today or timezone.localdate()
    recorded = 0
    for feed in TargetFeed.objects.select_related("target", "point"):
        value = feed_value(feed, today)
        if value is None:
            continue
        with translation.override(settings.LANGUAGE_CODE):  # stored text: the office's language
            target_value_record(
                target=feed.target, date=today, value=value,
                source=f"{feed.point.name}（{feed.get_metric_display()}）", fed=True,
            )  # fmt: skip
        recorded += 1
    return recorded


def latest(points) -> dict[int, dict[str, tuple]]:
    """point id → code → (time, value, exceeded) of the newest hourly value."""
    ids = [p.pk for p in points]
    newest = dict(
        Reading.objects.filter(point_id__in=ids, period=Period.HOUR)
        .values("point_id")
        .annotate(time=Max("time"))
        .values_list("point_id", "time")
    )
    out: dict[int, dict[str, tuple]] = defaultdict(dict)
    rows = Reading.objects.filter(
        point_id__in=newest, time__in=set(newest.values()), period=Period.HOUR
    ).values_list("point_id", "code", "time", "value", "exceeded")
    for point_id, code, time, value, exceeded in rows:
        if newest[point_id] == time:  # the query is a superset: another point's newest hour
            out[point_id][code] = (time, value, exceeded)
    return dict(out)
