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

Whole local days of a window are read from the daily aggregates (``PointDay``,
``PointDayValue``, kept by ``ecogov.monitoring.aggregates``); the rates of the days a window
cuts at its edges from the same rows' hours (``PointDay.by_hour``), their values from the
raw hourly readings, as any day not counted yet. ``aggregates=False`` reads everything raw
(the tests compare both).
"""

import datetime
import functools
import operator
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone, translation

from ecogov.grid.models import Grid
from ecogov.monitoring.models import (
    Factor,
    Period,
    Point,
    PointDay,
    PointDayValue,
    Reading,
    TargetFeed,
)
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
        self.expected += other.expected
        self.received += other.received
        self.valid_hours += other.valid_hours
        self.checked += other.checked
        self.compliant += other.compliant
        self.exceeded += other.exceeded

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


# What ``rates`` reads of each point (values, not model instances: a city's district has
# hundreds of points, a city thousands).
RATE_FIELDS = ("pk", "active", "created_at", "days_from", "source_id", "jurisdiction_id",
               "grid_id", "grid__level", "grid__parent_id")  # fmt: skip


def rates(
    points, start: datetime.datetime, end: datetime.datetime, *, aggregates: bool = True
) -> Rollup:
    """The rates of ``points`` (a queryset) over [start, end), rolled up. The hours are
    added up in the database, a row per point: whole days from the aggregates, the days
    the window cuts from their hours, the rest raw; at most six queries whatever the
    number of points (the raw readings, the days of the points with an uncounted whole
    day, and the first data of points registered in the window, only when there are
    such)."""
    return rates_of(list(points.values_list(*RATE_FIELDS)), start, end, aggregates=aggregates)


def rates_of(listed: list[tuple], start, end, *, aggregates: bool = True) -> Rollup:
    """``rates`` of points already read as ``RATE_FIELDS`` rows (a list that reads them
    with its own fields asks no second query)."""
    last = timezone.localtime(end).date()
    with_days = [row[0] for row in listed if _has_days(row[3], last)]
    counts: dict[int, Rates] = defaultdict(Rates)
    counted, complete, cut = {}, set(), {}
    if aggregates:
        counted, complete = _summed_days(with_days, start, end, counts)
        cut = _summed_hours(with_days, start, end, counts)
    raw = _raw_part([row[0] for row in listed], start, end, counted, complete, cut)
    if raw is not None:
        checked = Q(valid=True, exceeded__isnull=False)
        # An hour is valid when every value of it is: the hours received less those with
        # an invalid value (names unlike the fields', which the filters mean).
        per_point = (
            Reading.objects.filter(raw, period=Period.HOUR)
            .values("point_id")
            .annotate(
                n_hours=Count("time", distinct=True),
                n_invalid_hours=Count("time", distinct=True, filter=Q(valid=False)),
                n_checked=Count("pk", filter=checked),
                n_exceeded=Count("pk", filter=checked & Q(exceeded=True)),
            )
            .values_list("point_id", "n_hours", "n_invalid_hours", "n_checked", "n_exceeded")
        )
        for point_id, received, invalid, checked, exceeded in per_point:
            counts[point_id].add(
                Rates(0, received, received - invalid, checked, checked - exceeded, exceeded)
            )
    # The first data matter only to a point registered after the start (see the module's
    # definition), and only data from before its registration: a new point, read raw.
    new = [(row[0], row[2]) for row in listed if row[2] > start]
    first = dict(
        Reading.objects.filter(
            point_id__in=[pk for pk, _created in new],
            period=Period.HOUR,
            time__lt=max((created for _pk, created in new), default=start),
        )  # fmt: skip
        .values("point_id")
        .annotate(first=Min("time"))
        .values_list("point_id", "first")
    )
    rollup = Rollup()
    for pk, active, created_at, _days, source_id, jurisdiction_id, grid_id, level, parent in listed:
        begin = max(start, min(first.get(pk) or created_at, created_at))
        begin = begin.replace(minute=0, second=0, microsecond=0)
        own = counts.get(pk) or Rates()
        own.expected = max(0, int((end - begin) / HOUR)) if active else own.received
        rollup.points[pk] = own
        # A point's figures add up to its level-2 grid (a village grid's parent).
        township = parent if level == Grid.Level.VILLAGE else grid_id
        for key, table in (
            (source_id, rollup.sources),
            (township, rollup.grids),
            (jurisdiction_id, rollup.jurisdictions),
        ):
            if key is not None:
                table.setdefault(key, Rates()).add(own)
        rollup.total.add(own)
    return rollup


def _summed_days(ids, start, end, counts: dict[int, "Rates"]):
    """Add the counted whole days of [start, end) of points ``ids`` to ``counts``, summed
    in the database; returns (point id → its counted days, for the points with some day
    missing; the ids of the points with every whole day counted)."""
    days = _whole_days(start, end)
    if days is None or not ids:
        return {}, set()
    whole = (days[1] - days[0]).days
    complete, partial = set(), []
    for point_id, n_days, received, valid_hours, checked, exceeded in (
        PointDay.objects.filter(point_id__in=ids, date__gte=days[0], date__lt=days[1])
        .values("point_id")
        .annotate(
            n_days=Count("pk"),
            n_received=Sum("received"),
            n_valid=Sum("valid_hours"),
            n_checked=Sum("checked"),
            n_exceeded=Sum("exceeded"),
        )  # fmt: skip
        .values_list("point_id", "n_days", "n_received", "n_valid", "n_checked", "n_exceeded")
    ):
        counts[point_id].add(Rates(0, received, valid_hours, checked, checked - exceeded, exceeded))
        (complete.add if n_days == whole else partial.append)(point_id)
    counted: dict[int, set[datetime.date]] = defaultdict(set)
    if partial:  # which days: the others are read raw
        for point_id, day in PointDay.objects.filter(
            point_id__in=partial, date__gte=days[0], date__lt=days[1]
        ).values_list("point_id", "date"):
            counted[point_id].add(day)
    return counted, complete


def _summed_hours(ids, start, end, counts: dict[int, "Rates"]) -> dict[int, set[datetime.date]]:
    """Add the hours of the days that [start, end) cuts (its first and last, when it does
    not begin or end at a midnight) of points ``ids`` to ``counts``, from the hours of
    their aggregates (``PointDay.by_hour``): one query. Returns point id → the cut days
    added (the others are read raw)."""
    pieces = {}
    for day, begin, finish in _cut_days(start, end):
        # Which whole hours from the day's midnight (a part off the hours is read raw).
        first, off_begin = divmod(begin - midnight(day), HOUR)
        last, off_end = divmod(finish - midnight(day), HOUR)
        if not off_begin and not off_end:
            pieces[day] = (4 * first, 4 * last)
    added: dict[int, set[datetime.date]] = defaultdict(set)
    if not pieces or not ids:
        return added
    for point_id, day, by_hour in (
        PointDay.objects.filter(point_id__in=ids, date__in=list(pieces))
        .exclude(by_hour="")
        .values_list("point_id", "date", "by_hour")
    ):
        # The day's figures up to the end of each hour: the part is the difference.
        parts = by_hour.split(",")
        low, high = pieces[day]
        before = [int(n) for n in parts[low - 4 : low]] if low else [0, 0, 0, 0]
        received, valid, checked, exceeded = (
            int(n) - b for n, b in zip(parts[high - 4 : high], before, strict=True)
        )
        counts[point_id].add(Rates(0, received, valid, checked, checked - exceeded, exceeded))
        added[point_id].add(day)
    return added


def _cut_days(start, end) -> list[tuple[datetime.date, datetime.datetime, datetime.datetime]]:
    """(local day, begin, end) of the days that [start, end) covers only in part, with
    the part it covers: its first day when it does not begin at a midnight, its last
    when it does not end at one."""
    out = []
    first = timezone.localtime(start).date()
    if midnight(first) < start:
        out.append((first, start, min(end, midnight(first + datetime.timedelta(days=1)))))
    last = timezone.localtime(end).date()
    # (Within one day that it begins at the midnight of, the window cuts that day here.)
    if midnight(last) < end and (last != first or midnight(first) == start):
        out.append((last, max(start, midnight(last)), end))
    return out


def midnight(day: datetime.date) -> datetime.datetime:
    """The local midnight that begins ``day`` (the bureau's time zone)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _whole_days(start, end) -> tuple[datetime.date, datetime.date] | None:
    """[first, last) of the local days wholly inside [start, end), or None."""
    first = timezone.localtime(start).date()
    if midnight(first) < start:
        first += datetime.timedelta(days=1)
    last = timezone.localtime(end).date()
    return (first, last) if first < last else None


def _with_days(points, end) -> list[int]:
    """The points with daily aggregates before ``end``: only theirs are asked for. A point
    loaded without ``days_from`` (``only()``) is read raw: right, only slower, and
    without a query per point to load the field."""
    last = timezone.localtime(end).date()
    return [
        p.pk
        for p in points
        if "days_from" not in p.get_deferred_fields() and _has_days(p.days_from, last)
    ]


def _has_days(days_from: datetime.date | None, last: datetime.date) -> bool:
    """Whether a point whose aggregates begin on ``days_from`` has any before the day
    ``last`` (the local day of the window's end)."""
    return days_from is not None and days_from < last


def _raw_part(
    ids,
    start,
    end,
    counted: dict[int, set[datetime.date]],
    complete: set[int] = frozenset(),
    cut: dict[int, set[datetime.date]] | None = None,
) -> Q | None:
    """Which readings of [start, end) to read raw: the days at the edges that the window
    cuts (unless ``cut``, point id → those days, says they were added from the hours of
    their aggregates) and the whole days without aggregates (``counted``: a point's
    counted days; ``complete``: points with every whole day counted), as a condition on
    point and time (None: nothing). Points with the same days share one clause: at most
    a few in practice."""
    days = _whole_days(start, end)
    pieces = _cut_days(start, end)  # the same for every point
    groups: dict[tuple, list[int]] = defaultdict(list)
    for point_id in ids:
        added = cut.get(point_id, ()) if cut else ()
        ranges = [(begin, finish) for day, begin, finish in pieces if day not in added]
        if days is not None and point_id not in complete:
            have = counted.get(point_id, set())
            day, last = days
            while day < last:
                if day not in have:
                    ranges.append((midnight(day), midnight(day + datetime.timedelta(days=1))))
                day += datetime.timedelta(days=1)
        merged: list[tuple] = []
        for begin, finish in sorted(ranges):
            if merged and merged[-1][1] == begin:
                merged[-1] = (merged[-1][0], finish)
            else:
                merged.append((begin, finish))
        if merged:
            groups[tuple(merged)].append(point_id)
    clauses = [
        Q(point_id__in=members)
        & functools.reduce(operator.or_, (Q(time__gte=a, time__lt=b) for a, b in ranges))
        for ranges, members in groups.items()
    ]
    return functools.reduce(operator.or_, clauses) if clauses else None


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
    tz = timezone.get_current_timezone()  # once: localtime() looks it up per call
    for code, rows in series.items():
        days: dict[datetime.date, list[Decimal]] = defaultdict(list)
        for time, value, _flag, valid, _exceeded in rows:
            if valid and value is not None:
                days[time.astimezone(tz).date()].append(value)
        means[code] = {
            day: (sum(values) / len(values)).quantize(Decimal("0.001"))
            for day, values in days.items()
            if len(values) >= minimum
        }
    return means


@dataclass(frozen=True)
class DayValue:
    """A pollutant's valid hourly values of one local day (``PointDayValue``)."""

    hours: int
    mean: Decimal  # rounded as ``daily_means`` rounds it
    highest: Decimal
    highest_8h: Decimal | None  # O3 only


def day_values_of(rows) -> dict[tuple[int, str], dict[datetime.date, DayValue]]:
    """(point id, code) → {local day: DayValue} of hourly rows (point id, code, time,
    value, valid): the one computation behind the aggregates and the raw edges."""
    kept: dict[tuple[int, str], list[tuple]] = defaultdict(list)
    for point_id, code, time, value, valid in rows:
        if valid and value is not None:
            kept[(point_id, code)].append((time, value, "", valid, None))
    out: dict[tuple[int, str], dict[datetime.date, DayValue]] = {}
    tz = timezone.get_current_timezone()  # once: localtime() looks it up per call
    for (point_id, code), series in kept.items():
        by_day: dict[datetime.date, list[Decimal]] = defaultdict(list)
        for time, value, *_rest in series:
            by_day[time.astimezone(tz).date()].append(value)
        o3 = _o3_8h(series) if code == "a05024" else {}
        out[(point_id, code)] = {
            day: DayValue(
                len(values),
                (sum(values) / len(values)).quantize(Decimal("0.001")),
                max(values),
                o3.get(day),
            )  # fmt: skip
            for day, values in by_day.items()
        }
    return out


def day_values(
    points: list[Point], start, end, codes=None, *, aggregates: bool = True
) -> dict[int, dict[str, dict[datetime.date, DayValue]]]:
    """point id → code → {local day: DayValue} over [start, end): whole counted days from
    the aggregates, the rest from the raw hourly readings; three queries at most."""
    ids = [p.pk for p in points]
    counted_ids = _with_days(points, end)
    out: dict[int, dict[str, dict]] = defaultdict(lambda: defaultdict(dict))
    counted: dict[int, set[datetime.date]] = defaultdict(set)
    days = _whole_days(start, end) if aggregates and counted_ids else None
    if days is not None:
        for point_id, day in PointDay.objects.filter(
            point_id__in=counted_ids, date__gte=days[0], date__lt=days[1]
        ).values_list("point_id", "date"):
            counted[point_id].add(day)
        stored = PointDayValue.objects.filter(point_id__in=ids, date__gte=days[0], date__lt=days[1])
        if codes:
            stored = stored.filter(code__in=codes)
        for point_id, code, day, *figures in stored.values_list(
            "point_id", "code", "date", "hours", "mean", "highest", "highest_8h"
        ):
            if day in counted[point_id]:
                out[point_id][code][day] = DayValue(*figures)
    raw = _raw_part(ids, start, end, counted)
    if raw is not None:
        rows = Reading.objects.filter(raw, period=Period.HOUR)
        if codes:
            rows = rows.filter(code__in=codes)
        found = day_values_of(rows.values_list("point_id", "code", "time", "value", "valid"))
        for (point_id, code), values in found.items():
            out[point_id][code].update(values)
    return {point_id: dict(by_code) for point_id, by_code in out.items()}


def means_of(values: dict[str, dict[datetime.date, DayValue]], minimum: int = DAY_MIN_HOURS):
    """code → {day: mean} of the days with ``minimum`` valid hours (as ``daily_means``)."""
    means = {
        code: {day: v.mean for day, v in days.items() if v.hours >= minimum}
        for code, days in values.items()
    }
    return {code: days for code, days in means.items() if days}


def point_daily_means(point: Point, start, end, codes=None, *, aggregates: bool = True):
    """code → {local day: daily mean} of a point over [start, end)."""
    found = day_values([point], start, end, codes, aggregates=aggregates)
    return means_of(found.get(point.pk, {}))


def _o3_8h(rows: list[tuple]) -> dict[datetime.date, Decimal]:
    """The day's highest 8-hour running mean of O3 (windows ending at 08:00–24:00)."""
    tz = timezone.get_current_timezone()
    values = {t.astimezone(tz): v for t, v, _f, valid, _e in rows if valid and v is not None}
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
    return _scale({f.code: f.unit for f in point.factors.all()})


def _air_units_of(ids) -> dict[int, dict[str, int]]:
    """``_air_units`` of several points, in one query."""
    units: dict[int, dict[str, str]] = defaultdict(dict)
    # Unordered: the factors' order joins their points and jurisdictions for nothing.
    for point_id, code, unit in (
        Factor.objects.filter(point_id__in=ids).order_by().values_list("point_id", "code", "unit")
    ):
        units[point_id][code] = unit
    return {point_id: _scale(own) for point_id, own in units.items()}


def _scale(units: dict[str, str]) -> dict[str, int]:
    factors = {}
    for code, unit in units.items():
        if code != "a21005" and unit.replace("μ", "µ").lower() == "mg/m³":
            factors[code] = 1000
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
    return hourly_aqi_of(point, hourly(point, start, end, AIR_CODES))


def hourly_aqi_of(point: Point, series: dict[str, list[tuple]]) -> list[tuple]:
    """``hourly_aqi`` of a series already read (``hourly``; other codes are ignored)."""
    return _hourly_aqi({c: rows for c, rows in series.items() if c in AIR_CODES}, _air_units(point))


def _hourly_aqi(series: dict[str, list[tuple]], scale: dict[str, int]) -> list[tuple]:
    return list(_each_hourly_aqi(series, scale))


def _each_hourly_aqi(series: dict[str, list[tuple]], scale: dict[str, int], *, newest=False):
    """(time, AqiResult) of each computable hour, oldest first (``newest``: newest first)."""
    by_time: dict[datetime.datetime, dict[str, Decimal]] = defaultdict(dict)
    for code, rows in series.items():
        for time, value, _flag, valid, _e in rows:
            if valid and value is not None and value >= 0:
                by_time[time][code] = value * scale.get(code, 1)
    for time in sorted(by_time, reverse=newest):
        try:
            yield time, capped_aqi(by_time[time], "1h")
        except ValueError:
            continue  # nothing computable that hour


def latest_aqi(points: list[Point], start, end) -> dict[int, tuple]:
    """point id → (time, AqiResult) of each station's latest computable hour in
    [start, end); two queries for all of them."""
    ids = [p.pk for p in points]
    series: dict[int, dict[str, list[tuple]]] = defaultdict(lambda: defaultdict(list))
    for point_id, code, time, value, flag, valid, exceeded in (
        Reading.objects.filter(
            point_id__in=ids, period=Period.HOUR, time__gte=start, time__lt=end,
            code__in=AIR_CODES,
        )
        .order_by("time")
        .values_list("point_id", "code", "time", "value", "flag", "valid", "exceeded")
    ):  # fmt: skip
        series[point_id][code].append((time, value, flag, valid, exceeded))
    units = _air_units_of(ids)
    out = {}
    for point_id, by_code in series.items():
        # From the newest hour back to the first computable one, not every hour's AQI.
        found = next(_each_hourly_aqi(by_code, units.get(point_id, {}), newest=True), None)
        if found is not None:
            out[point_id] = found
    return out


def daily_aqi(point: Point, start, end, *, aggregates: bool = True) -> list[tuple]:
    """[(day, AqiResult)] of the daily report (24-hour means, O3 8-hour maximum)."""
    values = day_values([point], start, end, AIR_CODES, aggregates=aggregates)
    values = values.get(point.pk, {})
    scale = _air_units(point)
    means = means_of({c: v for c, v in values.items() if c != "a05024"})
    o3_days = values.get("a05024", {})
    o3 = {day: v.highest_8h for day, v in o3_days.items() if v.highest_8h is not None}
    days = sorted({d for values in means.values() for d in values} | set(o3))
    out = []
    for day in days:
        conc = {c: values[day] * scale.get(c, 1) for c, values in means.items() if day in values}
        if day in o3:
            conc["O3_8h"] = o3[day]
        if day in o3_days:
            conc["O3"] = o3_days[day].highest * scale.get("a05024", 1)
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


def daily_classes(point: Point, start, end, *, aggregates: bool = True) -> list[tuple]:
    """[(day, WaterClass)] of a river section."""
    return _classes_of(point_daily_means(point, start, end, aggregates=aggregates),
                       point.waterbody)  # fmt: skip


def latest_classes(points: list[Point], start, end) -> dict[int, tuple]:
    """point id → (day, WaterClass) of each section's latest classified day in
    [start, end); three queries for all of them."""
    found = day_values(points, start, end)
    out = {}
    for point in points:
        # From the newest day back to the first classified one, not every day's class.
        means = means_of(found.get(point.pk, {}))
        latest = next(_each_class(means, point.waterbody, newest=True), None)
        if latest is not None:
            out[point.pk] = latest
    return out


def _classes_of(means: dict[str, dict], waterbody: str) -> list[tuple]:
    return list(_each_class(means, waterbody))


def _each_class(means: dict[str, dict], waterbody: str, *, newest=False):
    """(day, WaterClass) of each classified day, oldest first (``newest``: newest first)."""
    for day in sorted({d for values in means.values() for d in values}, reverse=newest):
        result = water_class({c: v[day] for c, v in means.items() if day in v}, waterbody)
        if result is not None:
            yield day, result


def _class_of_days(means: dict[str, dict], waterbody: str):
    """The class of the mean of daily means (code → {day: mean})."""
    overall = {
        code: (sum(values.values()) / len(values)).quantize(Decimal("0.001"))
        for code, values in means.items()
        if values
    }
    return water_class(overall, waterbody) if overall else None


def period_class(point: Point, start, end, *, aggregates: bool = True):
    """The class of a section's mean values over a period (a month, the year so far)."""
    means = point_daily_means(point, start, end, aggregates=aggregates)
    return _class_of_days(means, point.waterbody)


def monthly_classes(point: Point, start, end) -> list[tuple[datetime.date, object]]:
    """[(first day of the month, WaterClass)] of each month in [start, end) with a
    classified day, each as ``period_class`` of that month; one query for all months."""
    return _monthly_classes(point, point_daily_means(point, start, end))


def _monthly_classes(point: Point, means: dict[str, dict]) -> list[tuple[datetime.date, object]]:
    by_month: dict[datetime.date, dict[str, dict]] = defaultdict(lambda: defaultdict(dict))
    for code, values in means.items():
        for day, value in values.items():
            by_month[day.replace(day=1)][code][day] = value
    out = []
    for month in sorted(by_month):
        result = _class_of_days(by_month[month], point.waterbody)
        if result is not None:
            out.append((month, result))
    return out


def period_classes(point: Point, start, end) -> tuple[dict[datetime.date, object], object]:
    """({first day of the month: WaterClass} of the months of [start, end) with a
    classified day, the WaterClass of the whole period or None), each as ``period_class``
    of that month or period when [start, end) begins on a month's first midnight; one read
    of the days for all of them."""
    means = point_daily_means(point, start, end)
    return dict(_monthly_classes(point, means)), _class_of_days(means, point.waterbody)


def year_mean(point: Point, code: str, year: int) -> Decimal | None:
    """The mean of a year's valid daily means (the annual mean of GB 3095)."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=tz)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=tz)
    days = point_daily_means(point, start, end, [code]).get(code, {})
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
