"""Pages of online monitoring: the overview (its live part refreshed by htmx), a point
with its series, AQI or water class, and the alarms.

Every figure is computed by ``ecogov.monitoring.stats`` over the points the user may see
(``access.scope``); a point or an alarm outside the user's scope is a 404 like any
other object. A point's password (PW) is never put in a context: the templates could
not show it by mistake.

Query parameters of the pages are forgiving, like the case lists: a value the page does
not offer (``?days=5``) falls back to the default. The API is strict instead.
"""

import dataclasses
import datetime
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import Case as Choose
from django.db.models import Count, IntegerField, Q, Value, When
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from ecogov import access
from ecogov.cases.models import Case
from ecogov.domain.monitorchecks import Limits, exceedance_ratio, rate_exceeded
from ecogov.domain.notation import plain, with_unit
from ecogov.monitoring import stats
from ecogov.monitoring.alarms import describe, pollutant_label, units
from ecogov.monitoring.models import Alarm, Point
from ecogov.monitoring.stats import midnight
from ecogov.org.models import Jurisdiction
from ecogov.params import page_query, query_choice, query_int
from ecogov.sources.models import Source
from ecogov.standards import aqi as aqi_standard
from ecogov.standards import hj212_codes, water

# A point is online when its last upload arrived at most this long ago.
ONLINE_WITHIN = datetime.timedelta(hours=2)
# The rates of the overview, of the point list and of a point: the last 30 days.
RATE_DAYS = 30
# Seed 001: the online monitoring of key enterprises reaches a compliance rate ≥ 96 %.
COMPLIANCE_GOAL = 96
# The windows a point's page offers: hourly values, daily means and classes.
SERIES_DAYS = (1, 7, 30)
DEFAULT_SERIES_DAYS = 7
MEAN_DAYS = (30, 90)
DEFAULT_MEAN_DAYS = 30
# The AQI calendar covers the last 365 days.
CALENDAR_DAYS = 365
# How far back the overview looks for a station's latest hourly AQI and a section's class.
LATEST_AQI_WINDOW = datetime.timedelta(hours=24)
LATEST_CLASS_DAYS = 7
OPEN_ALARMS_SHOWN = 20
# The overview's list of points is paged, those that need a look first.
POINT_PAGE_SIZE = 50
# The overview's sources: the lowest compliance first, as many as its chart shows.
SOURCES_SHOWN = 20
POINT_ALARMS_SHOWN = 20
ALARM_PAGE_SIZE = 50
# An alarm's page shows its hours and this much before and after, at most MAX_ALARM_SPAN.
ALARM_MARGIN = datetime.timedelta(hours=6)
MAX_ALARM_SPAN = datetime.timedelta(days=14)
# Longer tables of an alarm's hours are folded (opened with a click).
FOLD_HOURS = 48
HOUR = datetime.timedelta(hours=1)
# The colours of the water classes in quality reports (common practice, not GB 3838).
CLASS_COLOURS = {
    "I": "#CCFFFF", "II": "#00CCFF", "III": "#00FF00", "IV": "#FFFF00", "V": "#FF9B00",
    "劣V": "#FF0000",
}  # fmt: skip
CLASS_NAMES = (*water.CLASSES, water.WORSE_THAN_V)
_PARAMETER_CODES = {name: code for code, (name, _unit) in water.HJ212_CODES.items()}


def _now() -> datetime.datetime:
    return timezone.now()


# --- small helpers shared with the API ------------------------------------------------


def is_online(point: Point, now: datetime.datetime) -> bool:
    return seen_within(point.last_seen, now)


def seen_within(last_seen: datetime.datetime | None, now: datetime.datetime) -> bool:
    """Online: the last upload arrived at most ONLINE_WITHIN ago."""
    return last_seen is not None and now - last_seen <= ONLINE_WITHIN


def number(value) -> float | None:
    return None if value is None else float(value)


def stamp(moment: datetime.datetime, zone=None) -> str:
    """A local time as ECharts reads it (no offset: shown as the bureau's clock). A chart
    of many hours passes the ``zone`` it looked up once: looking it up per hour was most
    of a point page's time spent on its charts."""
    return moment.astimezone(zone or timezone.get_current_timezone()).strftime("%Y-%m-%d %H:%M")


def pollutant_name(code: str) -> str:
    pollutant = hj212_codes.pollutant(code)
    return pollutant.name if pollutant else code


def parameter_name(name: str) -> str:
    """A GB 3838 parameter (``NH3-N``) by its pollutant name (氨氮)."""
    code = _PARAMETER_CODES.get(name)
    return pollutant_name(code) if code else name


def category(result) -> str:
    """The AQI category in the page's language (HJ 633 names it in Chinese)."""
    return result.category if (translation.get_language() or "zh").startswith("zh") else (
        result.category_en
    )  # fmt: skip


def _luminance(colour: str) -> float:
    """Relative luminance (WCAG 2.1) of a #RRGGBB colour."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    red, green, blue = (
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    )
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def ink(colour: str) -> str:
    """Dark or white text on a level's colour, whichever contrasts more (WCAG 2.1): dark
    on the bright green of 优 and of class III, white on red and purple."""
    dark, light = "#1d2421", "#ffffff"
    background = _luminance(colour) + 0.05
    on_dark = background / (_luminance(dark) + 0.05)
    on_light = (_luminance(light) + 0.05) / background
    return dark if on_dark >= on_light else light


def aqi_pieces() -> list[dict]:
    """The AQI levels of HJ 633 as ECharts visualMap pieces."""
    pieces, lower = [], 0
    for level in aqi_standard.table_for(timezone.localdate()).levels:
        pieces.append({"min": lower, "max": level.upper, "color": level.color,
                       "label": f"{lower}–{level.upper} {category(level)}",
                       "category": category(level)})  # fmt: skip
        lower = level.upper + 1
    return pieces


# What the lists of points show of a point, its source and its grid: not the grid's
# boundary nor the source's attributes, whose JSON took most of a list's time. With
# ``days_from``, without which ``stats`` reads a point's days raw.
LISTED_FIELDS = ("jurisdiction_id", "kind", "name", "mn", "source__name", "grid__name",
                 "waterbody", "active", "last_seen", "last_data_time", "days_from")  # fmt: skip


def listed_points(user):
    """The points ``user`` may see, loaded as the lists show them."""
    return access.scope(user, Point).select_related("source", "grid").only(*LISTED_FIELDS)


def decorate_alarms(user, alarms) -> list[Alarm]:
    """Labels, values with their units, the exceedance multiple, and the case only where
    the user may open it."""
    alarms = list(alarms)
    case_ids = {a.case_id for a in alarms if a.case_id}
    visible = set(access.scope(user, Case).filter(pk__in=case_ids).values_list("pk", flat=True))
    for alarm, (unit, limit_unit) in zip(alarms, units(alarms), strict=True):
        alarm.pollutant = pollutant_label(alarm.code) if alarm.code else ""
        alarm.ratio = exceedance_ratio(alarm.worst, alarm.limit) if alarm.over_limit else None
        alarm.visible_case = alarm.case if alarm.case_id in visible else None
        alarm.worst_text = with_unit(alarm.worst, unit)
        alarm.limit_text = with_unit(alarm.limit, limit_unit)
    return alarms


def open_alarms(user):
    """The open alarms the user may see, values over a limit first, then serious ones,
    newest."""
    return (
        access.scope(user, Alarm)
        .filter(state=Alarm.State.OPEN)
        .select_related("point__source", "case")
        .annotate(
            exceedance_last=Choose(
                When(kind__in=Alarm.OVER_LIMIT, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("exceedance_last", "-serious", "-last_time", "-pk")
    )


def station_aqi(point: Point, now: datetime.datetime):
    """(time, AqiResult) of the station's latest computable hour, or None."""
    series = stats.hourly_aqi(point, now - LATEST_AQI_WINDOW, now)
    return series[-1] if series else None


def section_class(point: Point, now: datetime.datetime):
    """(day, WaterClass) of the section's latest classified day, or None."""
    start = midnight(timezone.localdate(now) - datetime.timedelta(days=LATEST_CLASS_DAYS))
    classes = stats.daily_classes(point, start, now)
    return classes[-1] if classes else None


def live_figures(user, now: datetime.datetime) -> dict:
    """What changes from minute to minute: points online, open alarms, the latest AQI of
    the air stations and the latest class of the river sections."""
    figures = access.scope(user, Point).aggregate(  # names unlike the fields'
        n_points=Count("pk"),
        n_active=Count("pk", filter=Q(active=True)),
        # ``seen_within`` in the database: no point loaded to count them.
        n_online=Count("pk", filter=Q(active=True, last_seen__gte=now - ONLINE_WITHIN)),
    )
    alarms = open_alarms(user)
    counts = alarms.aggregate(
        total=Count("pk"),
        exceedances=Count("pk", filter=Q(kind__in=Alarm.OVER_LIMIT)),
        serious=Count("pk", filter=Alarm.GRAVE),
        with_case=Count("pk", filter=Q(case__isnull=False)),
    )
    # All stations and sections at once: no query per point.
    quality = list(
        listed_points(user).filter(
            active=True, kind__in=(Point.Kind.AIR_STATION, Point.Kind.WATER_SECTION)
        )
    )
    air = [p for p in quality if p.kind == Point.Kind.AIR_STATION]
    aqi = stats.latest_aqi(air, now - LATEST_AQI_WINDOW, now)
    stations = [
        {"point": point, "online": is_online(point, now),
         "time": aqi[point.pk][0] if point.pk in aqi else None,
         "aqi": aqi[point.pk][1] if point.pk in aqi else None}
        for point in air
    ]  # fmt: skip
    river = [p for p in quality if p.kind == Point.Kind.WATER_SECTION]
    start = midnight(timezone.localdate(now) - datetime.timedelta(days=LATEST_CLASS_DAYS))
    classes = stats.latest_classes(river, start, now)
    sections = [
        {"point": point, "online": is_online(point, now),
         "day": classes[point.pk][0] if point.pk in classes else None,
         "result": classes[point.pk][1] if point.pk in classes else None}
        for point in river
    ]  # fmt: skip
    for row in stations:
        if row["aqi"] is not None:
            row["category"] = category(row["aqi"])
            row["ink"] = ink(row["aqi"].color)
    for row in sections:
        if row["result"] is not None:
            row["colour"] = CLASS_COLOURS.get(row["result"].cls, "#eceeed")
            row["limiting"] = [parameter_name(n) for n in row["result"].limiting]
    return {
        "now": now,
        "points_total": figures["n_active"],
        "online": figures["n_online"],
        "offline": figures["n_active"] - figures["n_online"],
        "inactive": figures["n_points"] - figures["n_active"],
        "alarm_counts": counts,
        "open_alarms": decorate_alarms(user, alarms[:OPEN_ALARMS_SHOWN]),
        "stations": stations,
        "sections": sections,
    }


def _by_compliance(row) -> tuple:
    """Lowest compliance first; rows without a limit-bearing hour last."""
    compliance = row["rates"].compliance
    return (compliance is None, compliance if compliance is not None else 0, row["name"])


def rate_figures(user, now: datetime.datetime) -> dict:
    """The rates of the last RATE_DAYS days: per point (``rollup``), per source and in
    total."""
    start, end = stats.window(RATE_DAYS, now)
    rollup = stats.rates(access.scope(user, Point), start, end)
    # Unordered: the sources' order joins their jurisdictions and types for nothing.
    sources = Source.objects.only("name").order_by().in_bulk(list(rollup.sources))
    by_source = sorted(
        (
            {"id": pk, "name": sources[pk].name, "source": sources[pk], "rates": rates}
            for pk, rates in rollup.sources.items()
        ),
        key=_by_compliance,
    )
    names = dict(Jurisdiction.objects.filter(pk__in=rollup.jurisdictions).values_list("pk", "name"))
    by_jurisdiction = sorted(
        (
            {"id": pk, "name": names.get(pk, ""), "rates": rates}
            for pk, rates in rollup.jurisdictions.items()
        ),
        key=lambda row: row["name"],
    )
    return {
        "start": start,
        "end": end,
        "rate_days": RATE_DAYS,
        "by_source": by_source,
        "by_jurisdiction": by_jurisdiction,
        "rollup": rollup,
        "total": rollup.total,
        "goal": COMPLIANCE_GOAL,
    }


def point_page(user, rollup: stats.Rollup, now: datetime.datetime, number) -> Page:
    """A page of the points ``user`` may see, those that need a look first: the active
    points that are offline, then by compliance, lowest first (points without a
    limit-bearing hour after those with one), then in the usual order (jurisdiction,
    kind, name). The order is taken over every point, so no problem waits on a later
    page; only the page's points are loaded."""
    rows = access.scope(user, Point).order_by(*Point._meta.ordering, "pk")
    rows = rows.values_list("pk", "active", "last_seen")

    def attention(item) -> tuple:
        index, (pk, active, last_seen) = item
        rates = rollup.points.get(pk)
        compliance = rates.compliance if rates is not None else None
        offline = active and not seen_within(last_seen, now)
        return (not offline, compliance is None, compliance or 0, index)

    ordered = [pk for _index, (pk, *_rest) in sorted(enumerate(rows), key=attention)]
    page = Paginator(ordered, POINT_PAGE_SIZE).get_page(number)
    loaded = listed_points(user).in_bulk(page.object_list)
    page.object_list = [
        {"point": loaded[pk], "online": is_online(loaded[pk], now), "rates": rollup.points.get(pk)}
        for pk in page.object_list
        if pk in loaded
    ]
    return page


# --- the overview ----------------------------------------------------------------------


@login_required
def monitoring_overview(request):
    """Points online, open alarms, the month's rates by source, air and water quality."""
    request.section = "monitoring"
    user = request.user
    now = _now()
    live = live_figures(user, now)
    if request.headers.get("HX-Request"):
        response = render(request, "monitoring/_live.html", live)
    else:
        rates = rate_figures(user, now)
        by_source = rates["by_source"]
        shown = by_source[:SOURCES_SHOWN]
        chart = {
            "labels": {
                "compliance": _("Compliance rate (%)"),
                "transmission": _("Transmission rate (%)"),
                "validity": _("Validity rate (%)"),
                "goal": _("Goal %(goal)s%%") % {"goal": COMPLIANCE_GOAL},
            },
            "goal": COMPLIANCE_GOAL,
            "sources": [
                {
                    "name": row["name"],
                    "compliance": row["rates"].compliance,
                    "transmission": row["rates"].transmission,
                    "validity": row["rates"].validity,
                }
                for row in shown
            ],
        }
        below = sum(
            1
            for row in by_source
            if row["rates"].compliance is not None and row["rates"].compliance < COMPLIANCE_GOAL
        )
        context = {
            **live,
            **rates,
            "sources_shown": shown,
            "sources_below": below,
            "points": point_page(user, rates["rollup"], now, query_int(request, "page", default=1)),
            "chart": chart,
        }
        response = render(request, "monitoring/overview.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- a point ---------------------------------------------------------------------------


def _charts(factors: dict, data: dict):
    """(the head of a pollutant's chart, its data) for each pollutant with data: the
    point's own factors first, in their order, then any other code it sent."""
    for code in [*factors, *sorted(set(data) - set(factors))]:
        if not data.get(code):
            continue
        factor = factors.get(code)
        head = {
            "code": code,
            "name": pollutant_name(code),
            "unit": factor.unit if factor else "",
            "limit": number(factor.limit) if factor else None,
        }
        yield head, factor, data[code]


def _hourly_chart(factors: dict, series: dict) -> list[dict]:
    """One small chart per pollutant: valid values as a line, invalid ones as dots."""
    zone = timezone.get_current_timezone()
    return [
        {
            **head,
            "limit_text": plain(factor.limit) if factor else "",
            "valid": [[stamp(t, zone), number(v)] for t, v, _f, valid, _e in rows if valid],
            "invalid": [
                [stamp(t, zone), number(v), flag]
                for t, v, flag, valid, _e in rows
                if not valid and v is not None
            ],
            "exceeded": sum(1 for *_rest, exceeded in rows if exceeded),
        }  # fmt: skip
        for head, factor, rows in _charts(factors, series)
    ]


def _daily_chart(factors: dict, means: dict) -> list[dict]:
    return [
        {
            **head,
            "data": [[f"{day:%Y-%m-%d}", number(value)] for day, value in sorted(days.items())],
        }
        for head, _factor, days in _charts(factors, means)
    ]


def _air_context(point: Point, series: dict, now) -> dict:
    """``series``: the hours of the page's window (``stats.hourly``)."""
    today = timezone.localdate(now)
    hourly = stats.hourly_aqi_of(point, series)
    zone = timezone.get_current_timezone()
    calendar_start = today - datetime.timedelta(days=CALENDAR_DAYS - 1)
    daily = stats.daily_aqi(point, midnight(calendar_start), now)
    good = sum(1 for _day, result in daily if result.level <= 2)
    latest = hourly[-1] if hourly else station_aqi(point, now)
    return {
        "latest_aqi": latest[1] if latest else None,
        "latest_aqi_time": latest[0] if latest else None,
        "latest_aqi_category": category(latest[1]) if latest else "",
        "latest_aqi_ink": ink(latest[1].color) if latest else "",
        "aqi_days": len(daily),
        "good_days": good,
        "good_share": round(100 * good / len(daily), 1) if daily else None,
        "aqi_chart": {
            "hourly_aqi": [
                [stamp(t, zone), r.aqi, r.color, category(r), "、".join(r.primary)]
                for t, r in hourly
            ],
            "calendar": {
                "range": [f"{calendar_start:%Y-%m-%d}", f"{today:%Y-%m-%d}"],
                "data": [
                    [f"{day:%Y-%m-%d}", r.aqi, category(r), "、".join(r.primary)]
                    for day, r in daily
                ],
                "pieces": aqi_pieces(),
            },
        },
    }


def _water_context(point: Point, mean_start, now) -> dict:
    today = timezone.localdate(now)
    classes = stats.daily_classes(point, mean_start, now)
    # Each month of the year so far and the year: one read of the year's days.
    by_month, year = stats.period_classes(point, midnight(datetime.date(today.year, 1, 1)), now)
    months = []
    for month in range(1, today.month + 1):
        first = datetime.date(today.year, month, 1)
        result = by_month.get(first)
        months.append({"month": first, "result": result,
                       "colour": CLASS_COLOURS.get(result.cls) if result else None,
                       "limiting": [parameter_name(n) for n in result.limiting] if result else []})  # fmt: skip
    latest = classes[-1] if classes else section_class(point, now)
    return {
        "classes": [
            {"day": day, "result": result, "limiting": [parameter_name(n) for n in result.limiting]}
            for day, result in classes[-10:][::-1]
        ],
        "months": months,
        "year": year,
        "year_colour": CLASS_COLOURS.get(year.cls) if year else None,
        "year_limiting": [parameter_name(n) for n in year.limiting] if year else [],
        "latest_class": latest[1] if latest else None,
        "latest_class_day": latest[0] if latest else None,
        "latest_class_colour": CLASS_COLOURS.get(latest[1].cls) if latest else None,
        "class_chart": {
            "classes": list(CLASS_NAMES),
            "colours": CLASS_COLOURS,
            "data": [
                [
                    f"{day:%Y-%m-%d}",
                    result.cls,
                    "、".join(parameter_name(n) for n in result.limiting),
                ]
                for day, result in classes
            ],
        },
    }


@login_required
def monitoring_point(request, pk: int):
    """A point: its facts, pollutants and limits, series, alarms and rates; for an air
    station its AQI, for a river section its water class."""
    request.section = "monitoring"
    user = request.user
    point = access.obtain(
        user,
        # The factors once for the page, the AQI's units and the charts.
        Point.objects.select_related("source", "grid", "jurisdiction").prefetch_related("factors"),
        pk,
    )
    now = _now()
    today = timezone.localdate(now)
    days = query_choice(request, "days", SERIES_DAYS, DEFAULT_SERIES_DAYS)
    mean_days = query_choice(request, "mean", MEAN_DAYS, DEFAULT_MEAN_DAYS)
    start = now - datetime.timedelta(days=days)
    mean_start = midnight(today - datetime.timedelta(days=mean_days))
    factors = {f.code: f for f in point.factors.all()}
    latest = stats.latest([point]).get(point.pk, {})
    rows = []
    for code, factor in factors.items():
        time, value, exceeded = latest.get(code, (None, None, None))
        rows.append({"factor": factor, "label": pollutant_label(code), "time": time,
                     "value": plain(value), "exceeded": exceeded, "limit": plain(factor.limit),
                     "range": plain(factor.range_max), "rate_limit": plain(factor.rate_limit)})  # fmt: skip
    rollup = stats.rates(Point.objects.filter(pk=point.pk), *stats.window(RATE_DAYS, now))
    alarms = decorate_alarms(
        user,
        access.scope(user, Alarm)
        .filter(point=point)
        .select_related("case")
        .order_by("-last_time", "-pk")[:POINT_ALARMS_SHOWN],
    )
    context = {
        "point": point,
        "online": is_online(point, now),
        "now": now,
        "factors": rows,
        # Columns no pollutant of the point fills are left out.
        "columns": {
            "limit": any(f.limit is not None for f in factors.values()),
            "standard": any(f.standard for f in factors.values()),
            "range": any(f.range_max is not None for f in factors.values()),
            "rate_limit": any(f.rate_limit is not None for f in factors.values()),
        },
        "days": days,
        "series_days": SERIES_DAYS,
        "mean_days": mean_days,
        "mean_choices": MEAN_DAYS,
        "rates": rollup.points.get(point.pk),
        "rate_days": RATE_DAYS,
        "alarms": alarms,
        "alarm_total": access.scope(user, Alarm).filter(point=point).count(),
        "open_alarm_total": access.scope(user, Alarm)
        .filter(point=point, state=Alarm.State.OPEN)
        .count(),
    }
    series = stats.hourly(point, start, now)
    chart = {
        "labels": {
            "limit": _("limit"),
            "invalid": _("invalid (flag)"),
            "aqi": _("AQI"),
            "primary": _("primary pollutant"),
            "cls": _("water class"),
            "limiting": _("limiting"),
            "mean": _("daily mean"),
        },
        "hourly": _hourly_chart(factors, series),
        "daily": _daily_chart(factors, stats.point_daily_means(point, mean_start, now)),
    }
    if point.kind == Point.Kind.AIR_STATION:
        air = _air_context(point, series, now)
        chart.update(air.pop("aqi_chart"))
        context.update(air)
    elif point.kind == Point.Kind.WATER_SECTION:
        water_context = _water_context(point, mean_start, now)
        chart["water"] = water_context.pop("class_chart")
        context.update(water_context)
    context["chart"] = chart
    return render(request, "monitoring/point.html", context)


# --- alarms ----------------------------------------------------------------------------


def filtered_alarms(alarms, state: str, kind: str, point: int | None):
    """The list filters; values the page does not offer are ignored."""
    if state in Alarm.State.values:
        alarms = alarms.filter(state=state)
    if kind in Alarm.Kind.values:
        alarms = alarms.filter(kind=kind)
    if point is not None:
        alarms = alarms.filter(point=point)
    return alarms


@login_required
def monitoring_alarms(request):
    request.section = "monitoring"
    user = request.user
    get = request.GET
    alarms = filtered_alarms(
        access.scope(user, Alarm)
        .select_related("point__source", "case")
        .order_by("-last_time", "-pk"),
        get.get("state", ""),
        get.get("kind", ""),
        query_int(request, "point"),
    )
    page = Paginator(alarms, ALARM_PAGE_SIZE).get_page(query_int(request, "page", default=1))
    page.object_list = decorate_alarms(user, page.object_list)
    point = None
    if query_int(request, "point") is not None:
        point = access.scope(user, Point).filter(pk=query_int(request, "point")).first()
    context = {
        "page": page,
        "query": page_query(request),
        "states": Alarm.State.choices,
        "kinds": Alarm.Kind.choices,
        "selected": {"state": get.get("state", ""), "kind": get.get("kind", "")},
        "point": point,
    }
    return render(request, "monitoring/alarms.html", context)


def alarm_window(alarm: Alarm) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of the hours an alarm's page shows."""
    start = max(alarm.first_time - ALARM_MARGIN, alarm.last_time - MAX_ALARM_SPAN)
    return start, alarm.last_time + ALARM_MARGIN + HOUR


@dataclasses.dataclass(frozen=True)
class _Amounts:
    """A pollutant's hourly amounts (Cou, kg in the hour) as the alarm page's chart and
    table show them in place of its values: against the mass-rate limit."""

    unit: str
    limit: Decimal | None


@login_required
def monitoring_alarm(request, pk: int):
    """An alarm: what, since when, how bad, its case, and the readings of its hours."""
    request.section = "monitoring"
    user = request.user
    alarm = access.obtain(
        user, Alarm.objects.select_related("point__source", "point__grid", "case"), pk
    )
    (alarm,) = decorate_alarms(user, [alarm])
    point = alarm.point
    start, end = alarm_window(alarm)
    codes = [alarm.code] if alarm.code else None
    factors = {f.code: f for f in point.factors.all()}
    if alarm.kind == Alarm.Kind.RATE:  # the hours' amounts against the mass-rate limit
        series = {}
        for code, rows in stats.hourly(point, start, end, codes, field="total").items():
            limits = Limits(rate_limit=factors[code].rate_limit if code in factors else None)
            series[code] = [(time, total, flag, valid, rate_exceeded(total, valid, limits))
                            for time, total, flag, valid, _e in rows]  # fmt: skip
        factors = {code: _Amounts(_("kg/h"), f.rate_limit) for code, f in factors.items()}
    else:
        series = stats.hourly(point, start, end, codes)
    shown = [c for c in factors if c in series] + sorted(set(series) - set(factors))
    if alarm.code and alarm.code not in shown:
        shown = [alarm.code]
    values = {(code, row[0]): row for code, rows in series.items() for row in rows}
    hours = []
    moment = start.replace(minute=0, second=0, microsecond=0)
    while moment < end:
        inside = alarm.first_time <= moment <= alarm.last_time
        cells = []
        for code in shown:
            row = values.get((code, moment))
            cells.append(None if row is None else {"value": plain(row[1]), "flag": row[2],
                                                   "valid": row[3], "exceeded": row[4]})  # fmt: skip
        hours.append({"time": moment, "inside": inside, "cells": cells})
        moment += HOUR
    chart = {
        "labels": {"limit": _("limit"), "alarm": _("alarm"), "invalid": _("invalid (flag)")},
        "span": [stamp(alarm.first_time), stamp(alarm.last_time + HOUR)],
        "range": [stamp(start), stamp(end)],
        "series": _hourly_chart({c: factors[c] for c in shown if c in factors}, series),
    }
    context = {
        "alarm": alarm,
        "point": point,
        "description": describe(alarm),
        "columns": [
            {
                "code": c,
                "label": pollutant_label(c),
                "unit": factors[c].unit if c in factors else "",
                "limit": plain(factors[c].limit) if c in factors else "",
            }
            for c in shown
        ],
        "hours": hours,
        "fold_hours": len(hours) > FOLD_HOURS,
        "chart": chart,
        "start": start,
        "end": end,
    }
    return render(request, "monitoring/alarm.html", context)
