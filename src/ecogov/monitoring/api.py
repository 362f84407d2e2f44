"""API of online monitoring: points with their rates, readings, AQI and water class,
alarms, and the overview's figures. Read-only; every answer is filtered by
``access.scope`` like the pages, and a point's password (PW) is in none of them.

Bad input is a 422 with a message: an unknown period, state or kind, a date that is not
ISO 8601, a window the wrong way round.
"""

import datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from ecogov import access
from ecogov.apitypes import Id, Limit, Offset, RowOut, one_of
from ecogov.monitoring import stats
from ecogov.monitoring import views as pages
from ecogov.monitoring.models import Alarm, Period, Point, Reading

router = Router(tags=["monitoring"])

# The most readings one request returns; ask again from the last time for more.
MAX_READINGS = 10_000
DEFAULT_READING_DAYS = 7
MAX_DAYS = 366

Days = Annotated[int, Field(ge=1, le=MAX_DAYS)]


class RatesOut(RowOut):
    expected_hours: int
    received_hours: int
    valid_hours: int
    checked_hours: int
    compliant_hours: int
    exceeded_hours: int
    transmission_rate: float | None
    validity_rate: float | None
    compliance_rate: float | None


class PointOut(RowOut):
    """A point as listed. Deliberately no password."""

    id: int
    name: str
    kind: str
    mn: str
    jurisdiction_id: int
    source_id: int | None
    source: str | None
    grid_id: int | None
    grid: str | None
    waterbody: str
    active: bool
    online: bool
    last_seen: datetime.datetime | None
    last_data_time: datetime.datetime | None
    rates: RatesOut | None = None


class FactorOut(RowOut):
    code: str
    name: str
    unit: str
    limit: Decimal | None
    rate_limit: Decimal | None
    range_max: Decimal | None
    standard: str


class LatestOut(RowOut):
    code: str
    time: datetime.datetime
    value: Decimal | None
    exceeded: bool | None


class PointDetailOut(PointOut):
    factors: list[FactorOut]
    latest: list[LatestOut]
    rate_days: int


class ReadingOut(Schema):
    code: str
    time: datetime.datetime
    value: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None
    total: Decimal | None
    flag: str
    valid: bool
    exceeded: bool | None


class ReadingsOut(Schema):
    point_id: int
    period: str
    since: datetime.datetime
    until: datetime.datetime
    count: int
    truncated: bool = Field(..., description="more readings than returned: ask from the last time")
    items: list[ReadingOut]


class AqiOut(Schema):
    time: datetime.datetime | None = None
    date: datetime.date | None = None
    aqi: int
    level: int
    category: str
    category_en: str
    color: str
    primary: list[str]
    iaqi: dict[str, int]
    # Pollutants above the top of HJ 633 Table 1, counted at IAQI 500.
    capped: list[str] = []


class AqiSeriesOut(Schema):
    point_id: int
    daily: bool
    since: datetime.datetime
    until: datetime.datetime
    items: list[AqiOut]


class ClassOut(Schema):
    cls: str
    limiting: list[str]


class DayClassOut(ClassOut):
    date: datetime.date


class MonthClassOut(Schema):
    month: str
    cls: str | None
    limiting: list[str]


class ClassesOut(Schema):
    point_id: int
    waterbody: str
    days: list[DayClassOut]
    months: list[MonthClassOut]
    year: int
    year_so_far: ClassOut | None


class AlarmOut(Schema):
    id: int
    point_id: int
    point: str
    source_id: int | None
    code: str
    pollutant: str
    kind: str
    state: str
    first_time: datetime.datetime
    last_time: datetime.datetime
    count: int
    worst: Decimal | None
    limit: Decimal | None
    ratio: Decimal | None
    serious: bool
    case_id: int | None = Field(None, description="only when the case is yours to see")
    case_number: str | None = None


class AlarmDetailOut(AlarmOut):
    description: str
    readings: list[ReadingOut]


class NamedRatesOut(Schema):
    id: int
    name: str
    rates: RatesOut


class StationOut(Schema):
    point_id: int
    name: str
    online: bool
    time: datetime.datetime | None
    aqi: int | None
    category: str | None
    color: str | None
    primary: list[str]


class SectionOut(Schema):
    point_id: int
    name: str
    online: bool
    date: datetime.date | None
    cls: str | None
    limiting: list[str]


class OverviewOut(Schema):
    time: datetime.datetime
    points: int
    online: int
    offline: int
    inactive: int
    open_alarms: int
    open_exceedances: int
    serious_alarms: int
    alarms: list[AlarmOut]
    rate_days: int
    since: datetime.datetime
    until: datetime.datetime
    total: RatesOut
    jurisdictions: list[NamedRatesOut]
    sources: list[NamedRatesOut]
    stations: list[StationOut]
    sections: list[SectionOut]


# --- helpers ---------------------------------------------------------------------------


# The fields of a listed point (``PointOut`` but its rates and whether it is online).
LISTED = ("id", "name", "kind", "mn", "jurisdiction_id", "source_id", "source__name", "grid_id",
          "grid__name", "waterbody", "active", "last_seen", "last_data_time")  # fmt: skip


def _points_out(points, now, days: int) -> list[dict]:
    """``points`` (a queryset, ordered and cut as asked) as ``PointOut`` gives them, with
    their rates of the last ``days`` days: rows, not model instances (a point, its source
    and its grid each), and only these points' rates counted."""
    # The fields the rates need too, in the same query: no second read of the points.
    extra = [name for name in stats.RATE_FIELDS if name != "pk" and name not in LISTED]
    rows = list(points.values(*LISTED, *extra))
    rollup = stats.rates_of(
        [(row["id"], *(row[name] for name in stats.RATE_FIELDS[1:])) for row in rows],
        *stats.window(days, now),
    )
    for row in rows:
        for name in extra:
            del row[name]
        row["source"], row["grid"] = row.pop("source__name"), row.pop("grid__name")
        row["online"] = pages.seen_within(row["last_seen"], now)
        rates = rollup.points.get(row["id"])
        row["rates"] = rates.as_dict() if rates is not None else None
    return rows


def _alarm_out(alarm: Alarm) -> dict:
    case = alarm.visible_case
    return {
        "id": alarm.pk, "point_id": alarm.point_id, "point": alarm.point.name,
        "source_id": alarm.point.source_id, "code": alarm.code, "pollutant": alarm.pollutant,
        "kind": alarm.kind, "state": alarm.state, "first_time": alarm.first_time,
        "last_time": alarm.last_time, "count": alarm.count, "worst": alarm.worst,
        "limit": alarm.limit, "ratio": alarm.ratio, "serious": alarm.serious,
        "case_id": case.pk if case else None, "case_number": case.number if case else None,
    }  # fmt: skip


def _aqi_out(result, *, time=None, day=None) -> dict:
    return {"time": time, "date": day, "aqi": result.aqi, "level": result.level,
            "category": result.category, "category_en": result.category_en,
            "color": result.color, "primary": list(result.primary),
            "iaqi": dict(result.iaqi), "capped": list(result.capped)}  # fmt: skip


def _moment(text: str | None, name: str) -> datetime.datetime | None:
    """An ISO 8601 date or time; a time without offset is the bureau's local time."""
    if text is None or text == "":
        return None
    try:
        if len(text) == 10:
            moment = datetime.datetime.combine(datetime.date.fromisoformat(text), datetime.time())
        else:
            moment = datetime.datetime.fromisoformat(text)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        # Far-away years would overflow the arithmetic of the window.
        if not 1900 <= moment.year <= 9000:
            raise ValueError
        # PostgreSQL takes offsets up to 16 hours, Python up to 24.
        moment = moment.astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        raise ValidationError(
            _("%(name)s is not an ISO 8601 date or time (e.g. 2026-03-02T10:00).") % {"name": name}
        ) from None
    return moment


def _window(since: str | None, until: str | None, default_days: int):
    end = _moment(until, "until") or timezone.now()
    start = _moment(since, "since") or end - datetime.timedelta(days=default_days)
    if start >= end:
        raise ValidationError(_("since must be before until."))
    return start, end


def _days_window(days: int) -> tuple[datetime.datetime, datetime.datetime]:
    now = timezone.now()
    return now - datetime.timedelta(days=days), now


def _point(request, point_id: int) -> Point:
    return access.obtain(
        request.user, Point.objects.select_related("source", "grid", "jurisdiction"), point_id
    )


# --- points ----------------------------------------------------------------------------


@router.get("/points", response=list[PointOut])
def point_list(request, days: Days = pages.RATE_DAYS,
               kind: one_of(*Point.Kind.values) | None = None, limit: Limit = 100,
               offset: Offset = 0):  # fmt: skip
    """The points you may see with their rates of the last ``days`` days, by jurisdiction,
    kind and name; ``limit`` points from ``offset``."""
    points = access.scope(request.user, Point)
    if kind:
        if kind not in Point.Kind.values:
            raise ValidationError(
                _("kind must be one of %(kinds)s.") % {"kinds": ", ".join(Point.Kind.values)}
            )
        points = points.filter(kind=kind)
    # The page is cut in the database.
    page = points.order_by(*Point._meta.ordering, "pk")[offset : offset + limit]
    return _points_out(page, timezone.now(), days)


@router.get("/points/{point_id}", response=PointDetailOut)
def point_detail(request, point_id: Id):
    point = _point(request, point_id)
    now = timezone.now()
    factors = [
        {"code": f.code, "name": pages.pollutant_name(f.code), "unit": f.unit, "limit": f.limit,
         "rate_limit": f.rate_limit, "range_max": f.range_max, "standard": f.standard}
        for f in point.factors.all()
    ]  # fmt: skip
    latest = [
        {"code": code, "time": time, "value": value, "exceeded": exceeded}
        for code, (time, value, exceeded) in sorted(stats.latest([point]).get(point.pk, {}).items())
    ]
    (listed,) = _points_out(Point.objects.filter(pk=point.pk), now, pages.RATE_DAYS)
    return {**listed, "factors": factors, "latest": latest,
            "rate_days": pages.RATE_DAYS}  # fmt: skip


@router.get("/points/{point_id}/readings", response=ReadingsOut)
def point_readings(request, point_id: Id, period: one_of(*Period.values) = Period.HOUR.value,
                   since: str | None = None,
                   until: str | None = None, code: str = "",
                   limit: Annotated[int, Field(ge=1, le=MAX_READINGS)] = MAX_READINGS):  # fmt: skip
    """Readings of [since, until), oldest first (default: the last 7 days, hourly)."""
    point = _point(request, point_id)
    if period not in Period.values:
        raise ValidationError(
            _("period must be one of %(periods)s.") % {"periods": ", ".join(Period.values)}
        )
    if code and (len(code) > 16 or not code.isascii() or not code.isalnum()):
        raise ValidationError(_("code must be an HJ 212 pollutant code such as w01018."))
    start, end = _window(since, until, DEFAULT_READING_DAYS)
    rows = Reading.objects.filter(point=point, period=period, time__gte=start, time__lt=end)
    if code:
        rows = rows.filter(code=code)
    items = list(rows.order_by("time", "code")[: limit + 1])
    truncated = len(items) > limit
    items = items[:limit]
    return {"point_id": point.pk, "period": period, "since": start, "until": end,
            "count": len(items), "truncated": truncated, "items": items}  # fmt: skip


@router.get("/points/{point_id}/aqi", response=AqiSeriesOut)
def point_aqi(request, point_id: Id, daily: bool = False, days: Days | None = None):
    """An air station's hourly AQI (real-time report) or, with ``daily=true``, its daily
    AQI (daily report); the last ``days`` days (7 hourly, 30 daily)."""
    point = _point(request, point_id)
    if point.kind != Point.Kind.AIR_STATION:
        raise ValidationError(_("This point is not an air quality station."))
    start, end = _days_window(days or (30 if daily else 7))
    if daily:
        start = pages.midnight(timezone.localdate(start))
        items = [_aqi_out(r, day=day) for day, r in stats.daily_aqi(point, start, end)]
    else:
        items = [_aqi_out(r, time=time) for time, r in stats.hourly_aqi(point, start, end)]
    return {"point_id": point.pk, "daily": daily, "since": start, "until": end, "items": items}


@router.get("/points/{point_id}/classes", response=ClassesOut)
def point_classes(request, point_id: Id, days: Days = 30):
    """A river section's daily class over the last ``days`` days, the class of each month
    of this year and of the year so far (GB 3838-2002, single factor)."""
    point = _point(request, point_id)
    if point.kind != Point.Kind.WATER_SECTION:
        raise ValidationError(_("This point is not a river section."))
    now = timezone.now()
    today = timezone.localdate(now)
    start = pages.midnight(today - datetime.timedelta(days=days))
    day_rows = [
        {"date": day, "cls": r.cls, "limiting": list(r.limiting)}
        for day, r in stats.daily_classes(point, start, now)
    ]
    by_month, year = stats.period_classes(
        point, pages.midnight(datetime.date(today.year, 1, 1)), now
    )
    months = []
    for month in range(1, today.month + 1):
        first = datetime.date(today.year, month, 1)
        result = by_month.get(first)
        months.append({"month": f"{first:%Y-%m}", "cls": result.cls if result else None,
                       "limiting": list(result.limiting) if result else []})  # fmt: skip
    return {"point_id": point.pk, "waterbody": point.waterbody, "days": day_rows,
            "months": months, "year": today.year,
            "year_so_far": {"cls": year.cls, "limiting": list(year.limiting)} if year else None}  # fmt: skip


# --- alarms ----------------------------------------------------------------------------


@router.get("/alarms", response=list[AlarmOut])
def alarm_list(request, state: one_of(*Alarm.State.values) | None = None,
               kind: one_of(*Alarm.Kind.values) | None = None, point: Id | None = None,
               limit: Limit = 100, offset: Offset = 0):  # fmt: skip
    """Alarms, newest first; ``state`` open or closed, ``kind`` exceedance, negative,
    range, flat or missing."""
    if state and state not in Alarm.State.values:
        raise ValidationError(
            _("state must be one of %(states)s.") % {"states": ", ".join(Alarm.State.values)}
        )
    if kind and kind not in Alarm.Kind.values:
        raise ValidationError(
            _("kind must be one of %(kinds)s.") % {"kinds": ", ".join(Alarm.Kind.values)}
        )
    alarms = pages.filtered_alarms(
        access.scope(request.user, Alarm).select_related("point", "case"),
        state, kind, point,
    ).order_by("-last_time", "-pk")  # fmt: skip
    return [
        _alarm_out(a) for a in pages.decorate_alarms(request.user, alarms[offset : offset + limit])
    ]


@router.get("/alarms/{alarm_id}", response=AlarmDetailOut)
def alarm_detail(request, alarm_id: Id):
    """An alarm with its description and the hourly readings of its hours and around."""
    alarm = access.obtain(request.user, Alarm.objects.select_related("point", "case"), alarm_id)
    (alarm,) = pages.decorate_alarms(request.user, [alarm])
    start, end = pages.alarm_window(alarm)
    readings = Reading.objects.filter(
        point=alarm.point_id, period=Period.HOUR, time__gte=start, time__lt=end
    )
    if alarm.code:
        readings = readings.filter(code=alarm.code)
    return {**_alarm_out(alarm), "description": pages.describe(alarm),
            "readings": list(readings.order_by("time", "code")[:MAX_READINGS])}  # fmt: skip


# --- the overview ----------------------------------------------------------------------


@router.get("/overview", response=OverviewOut)
def overview(request):
    """The overview page's figures: points online, open alarms, the rates of the last 30
    days by jurisdiction and source, the latest AQI of stations and class of sections."""
    now = timezone.now()
    live = pages.live_figures(request.user, now)
    rates = pages.rate_figures(request.user, now)
    counts = live["alarm_counts"]
    return {
        "time": now, "points": live["points_total"], "online": live["online"],
        "offline": live["offline"], "inactive": live["inactive"],
        "open_alarms": counts["total"], "open_exceedances": counts["exceedances"],
        "serious_alarms": counts["serious"],
        "alarms": [_alarm_out(a) for a in live["open_alarms"]],
        "rate_days": rates["rate_days"], "since": rates["start"], "until": rates["end"],
        "total": rates["total"].as_dict(),
        "jurisdictions": [{"id": r["id"], "name": r["name"], "rates": r["rates"].as_dict()}
                          for r in rates["by_jurisdiction"]],
        "sources": [{"id": r["id"], "name": r["name"], "rates": r["rates"].as_dict()}
                    for r in rates["by_source"]],
        "stations": [
            {"point_id": s["point"].pk, "name": s["point"].name, "online": s["online"],
             "time": s["time"], "aqi": s["aqi"].aqi if s["aqi"] else None,
             "category": s["aqi"].category if s["aqi"] else None,
             "color": s["aqi"].color if s["aqi"] else None,
             "primary": list(s["aqi"].primary) if s["aqi"] else []}
            for s in live["stations"]
        ],
        "sections": [
            {"point_id": s["point"].pk, "name": s["point"].name, "online": s["online"],
             "date": s["day"], "cls": s["result"].cls if s["result"] else None,
             "limiting": list(s["result"].limiting) if s["result"] else []}
            for s in live["sections"]
        ],
    }  # fmt: skip
