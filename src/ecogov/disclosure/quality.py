"""The environment's quality and the plan targets' progress, as the public sees them
(seeds 002 §四.7 and 003 §(五).2: publish environmental quality; seed 001: the targets).

Three row functions give the figures as plain rows, each with the description of its
columns beside it: ``air_days`` (each air station's daily AQI, HJ 633-2012),
``section_months`` (each river or lake section's monthly class, GB 3838-2002, against the
plan's goal for it) and ``target_progress`` (each plan target with its latest value and
status). The public pages (``quality_views``) and the open data sets are built from the
same functions, so that a page and a download cannot disagree.

What is public: air stations and river sections, and the plans, of the areas the
citizens' portal serves (``ecogov.cases.portal.portal_jurisdictions``); plans have no
publication flag of their own, and a plan in force is a public document. Rows carry
names, numbers and dates only: never a point's MN or password, a value's author, a
progress report's text or a person.

Status of a target (the plans app's own measure, ``ecogov.domain.progress``, the method
of Open SDG), in four groups for the public: met (target achieved); on track (met so
far within the period, or substantial progress); off track (moderate or limited
progress, moving away, or not achieved); not enough data.
"""

import calendar
import datetime
from collections import Counter, defaultdict

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ecogov.cases.portal import portal_jurisdictions
from ecogov.domain import progress as measures
from ecogov.domain.notation import formula_text, plain
from ecogov.domain.supervision import add_months
from ecogov.monitoring import stats
from ecogov.monitoring.models import Point, TargetFeed
from ecogov.monitoring.views import CLASS_COLOURS, CLASS_NAMES, ink, midnight, parameter_name
from ecogov.monitoring.views import category as aqi_category
from ecogov.plans.models import Target, TaskUnit
from ecogov.plans.selectors import PROGRESS_LABELS, target_chart, target_value_texts
from ecogov.standards import aqi as aqi_standard

MET, ON_TRACK, OFF_TRACK, NO_DATA = "met", "on_track", "off_track", "no_data"
STATUS_OF_PROGRESS = {
    measures.ACHIEVED: MET,
    measures.ON_TRACK: ON_TRACK,
    measures.SUBSTANTIAL: ON_TRACK,
    measures.MODERATE: OFF_TRACK,
    measures.LIMITED: OFF_TRACK,
    measures.MOVING_AWAY: OFF_TRACK,
    measures.NOT_ACHIEVED: OFF_TRACK,
    measures.NOT_ENOUGH: NO_DATA,
}
STATUS_LABELS = {
    MET: _("met"),
    ON_TRACK: _("on track"),
    OFF_TRACK: _("off track"),
    NO_DATA: _("not enough data"),
}

# The areas targets are grouped by, in the order of the page. A target fed by a station
# belongs to the station's area; others by words of their indicator, first match wins
# (水土保持 is ecology before 水 is water).
AREAS = {
    "air": _("air"),
    "ecology": _("ecology"),
    "water": _("water"),
    "soil_waste": _("soil and waste"),
    "climate": _("climate and emissions"),
    "other": _("other"),
}
AREA_WORDS = (
    ("air", ("PM", "空气", "优良天", "臭氧", "颗粒物", "重污染", "大气", "扬尘")),
    ("ecology", ("水土保持", "森林", "植被", "林草", "绿地", "野生动植物", "生态环境状况", "湿地")),
    ("water", ("水", "断面", "河", "湖")),
    ("soil_waste", ("土壤", "固体废物", "固废", "危险废物", "垃圾", "残膜", "地膜", "粪污", "化肥")),
    ("climate", ("碳", "减排", "排放", "能耗")),
)  # fmt: skip
GOOD_DAYS_WORDS = ("优良天数",)


# --- what is public --------------------------------------------------------------------


def public_jurisdiction_ids() -> list[int]:
    return list(portal_jurisdictions().values_list("pk", flat=True))


def public_points(kind: str | None = None, jurisdictions: list[int] | None = None):
    """Air stations and river sections of the portal's areas, their public fields only."""
    kinds = [kind] if kind else [Point.Kind.AIR_STATION, Point.Kind.WATER_SECTION]
    if jurisdictions is None:
        jurisdictions = public_jurisdiction_ids()
    return (
        Point.objects.filter(kind__in=kinds, jurisdiction_id__in=jurisdictions)
        .select_related("jurisdiction")
        .only("pk", "name", "kind", "waterbody", "active", "days_from", "jurisdiction__name")
        .prefetch_related("factors")
        .order_by("jurisdiction__name", "name", "pk")
    )


def public_targets(jurisdictions: list[int] | None = None):
    """Every target of the plans of the portal's areas, with what its status needs."""
    if jurisdictions is None:
        jurisdictions = public_jurisdiction_ids()
    units = TaskUnit.objects.filter(role__in=[TaskUnit.Role.LEAD, TaskUnit.Role.SUPPORT])
    return (
        Target.objects.filter(plan__jurisdiction_id__in=jurisdictions)
        .select_related("plan__jurisdiction", "task", "feed__point")
        .prefetch_related("values", Prefetch("task__units", queryset=units.order_by("order")))
        .order_by("plan__jurisdiction__name", "-plan__date", "plan_id", "order", "pk")
    )


def point_link(point: Point) -> dict:
    name = "air_station" if point.kind == Point.Kind.AIR_STATION else "water_section"
    return {
        "id": point.pk,
        "name": point.name,
        "url": reverse(f"disclosure:{name}", args=[point.pk]),
        "json": reverse(f"disclosure:{name}_json", args=[point.pk]),
    }


# --- air: the daily AQI of each station -----------------------------------------------

AIR_DAYS_COLUMNS = (
    ("station", "string", _("Air quality station")),
    ("station_id", "integer", _("Number of the station on this site")),
    ("district", "string", _("District or county of the station")),
    ("date", "date", _("Day (Beijing time)")),
    ("aqi", "integer", _("Daily AQI (HJ 633-2012): 24-hour means of days with at least 20 valid hours and the highest 8-hour O3 mean")),
    ("level", "integer", _("AQI level, 1 (excellent) to 6 (severely polluted)")),
    ("category", "string", _("AQI category as HJ 633-2012 names it (优, 良, 轻度污染 …)")),
    ("primary_pollutant", "string", _("Primary pollutants, when the AQI is above 50, separated by 、")),
)  # fmt: skip


def air_days(start: datetime.date, end: datetime.date, *, points=None) -> list[dict]:
    """The daily AQI of each public air station from ``start`` to ``end`` (both
    included), by station then day; one query per station whatever the days."""
    if points is None:
        points = public_points(Point.Kind.AIR_STATION)
    rows = []
    for point in points:
        for day, result in stats.daily_aqi(
            point, midnight(start), midnight(end + datetime.timedelta(days=1))
        ):
            rows.append({
                "station": point.name, "station_id": point.pk,
                "district": point.jurisdiction.name, "date": day, "aqi": result.aqi,
                "level": result.level, "category": result.category,
                "primary_pollutant": "、".join(result.primary),
            })  # fmt: skip
    return rows


def level_of(number: int, day: datetime.date):
    """The HJ 633 level (its colour and names) of a level number on a day."""
    levels = aqi_standard.table_for(day).levels
    return next((level for level in levels if level.level == number), levels[-1])


def aqi_view(result_or_row, day: datetime.date) -> dict:
    """An AQI as a page shows it: the number, level, category in the page's language,
    its colour and the text colour on it, the primary pollutants."""
    if isinstance(result_or_row, dict):
        aqi, number = result_or_row["aqi"], result_or_row["level"]
        primary = result_or_row["primary_pollutant"]
    else:
        aqi, number, primary = (
            result_or_row.aqi,
            result_or_row.level,
            "、".join(result_or_row.primary),
        )
    level = level_of(number, day)
    return {"aqi": aqi, "level": number, "category": aqi_category(level), "colour": level.color,
            "ink": ink(level.color), "primary_pollutant": primary}  # fmt: skip


def level_counts(rows: list[dict], day: datetime.date) -> list[dict]:
    counts = Counter(row["level"] for row in rows)
    return [
        {
            "level": number,
            "category": aqi_category(level),
            "colour": level.color,
            "ink": ink(level.color),
            "days": counts.get(number, 0),
        }  # fmt: skip
        for level in aqi_standard.table_for(day).levels
        for number in [level.level]
    ]


def good_share(rows: list[dict]) -> float | None:
    """Share of days with a daily AQI that were excellent or good (优良天数比例), %."""
    good = sum(1 for row in rows if row["level"] <= 2)
    return round(100 * good / len(rows), 1) if rows else None


# --- water: the monthly class of each section -----------------------------------------

SECTION_MONTHS_COLUMNS = (
    ("section", "string", _("River or lake section")),
    ("section_id", "integer", _("Number of the section on this site")),
    ("district", "string", _("District or county of the section")),
    ("month", "string", _("Month, YYYY-MM")),
    ("class", "string", _("Water class of the month's mean values (GB 3838-2002, single factor): I, II, III, IV, V or 劣V")),
    ("worst_factor", "string", _("Parameters whose class is the month's class, separated by 、 (none for class I)")),
    ("target_class", "string", _("Class the plan sets as the section's goal (empty when no plan names the section)")),
    ("meets_target", "boolean", _("Whether the month's class is the goal's or better")),
)  # fmt: skip


def month_first(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def section_goals(points) -> dict[int, dict]:
    """Section id → the public plan target fed by it with a class goal: its id, class,
    year; one query."""
    feeds = TargetFeed.objects.filter(
        point__in=[p.pk for p in points],
        metric=TargetFeed.Metric.WATER_CLASS,
        target__plan__jurisdiction_id__in=public_jurisdiction_ids(),
        goal__isnull=False,
    ).select_related("target")
    goals = {}
    for feed in feeds.order_by("-target__year", "pk"):
        number = int(feed.goal)
        if feed.point_id not in goals and 1 <= number <= len(CLASS_NAMES):
            goals[feed.point_id] = {"target_id": feed.target_id, "class": CLASS_NAMES[number - 1],
                                    "year": feed.target.year,
                                    "url": reverse("disclosure:target", args=[feed.target_id])}  # fmt: skip
    return goals


def meets(cls: str | None, goal: str | None) -> bool | None:
    if cls is None or goal is None:
        return None
    return CLASS_NAMES.index(cls) <= CLASS_NAMES.index(goal)


def section_months(start: datetime.date, end: datetime.date, *, points=None) -> list[dict]:
    """The class of each public section in each month that [start, end] touches (whole
    months), by section then month; months without a classified day are left out. One
    query per section whatever the months, and one for the goals."""
    if points is None:
        points = public_points(Point.Kind.WATER_SECTION)
    points = list(points)
    goals = section_goals(points)
    first, following = month_first(start), add_months(month_first(end), 1)
    rows = []
    for point in points:
        goal = goals.get(point.pk, {}).get("class")
        for month, result in stats.monthly_classes(point, midnight(first), midnight(following)):
            rows.append({
                "section": point.name, "section_id": point.pk,
                "district": point.jurisdiction.name, "month": f"{month:%Y-%m}",
                "class": result.cls,
                "worst_factor": "、".join(parameter_name(n) for n in result.limiting),
                "target_class": goal or "", "meets_target": meets(result.cls, goal),
            })  # fmt: skip
    return rows


def month_series(rows: list[dict], first: datetime.date, last: datetime.date) -> list[dict]:
    """Every month from ``first`` to ``last`` (first days), with its row or none, and the
    colour of its class."""
    by_month = {row["month"]: row for row in rows}
    out, month = [], month_first(first)
    while month <= last:
        row = by_month.get(f"{month:%Y-%m}")
        out.append({"month": f"{month:%Y-%m}", "class": row["class"] if row else None,
                    "worst_factor": row["worst_factor"] if row else "",
                    "meets_target": row["meets_target"] if row else None,
                    "colour": CLASS_COLOURS.get(row["class"]) if row else None,
                    "ink": ink(CLASS_COLOURS[row["class"]]) if row else None})  # fmt: skip
        month = add_months(month, 1)
    return out


# --- targets ---------------------------------------------------------------------------

TARGET_PROGRESS_COLUMNS = (
    ("plan", "string", _("Plan that sets the target")),
    ("plan_id", "integer", _("Number of the plan on this site")),
    ("district", "string", _("Area of the plan")),
    ("target_id", "integer", _("Number of the target on this site")),
    ("area", "string", _("Area of the environment: air, ecology, water, soil_waste, climate or other")),
    ("indicator", "string", _("Indicator")),
    ("op", "string", _("Comparison of the value with the goal: >=, <=, ==, > or <")),
    ("value", "decimal", _("Goal as a number (empty for a goal in words)")),
    ("reference", "string", _("Goal in words, where the plan gives no number (III类, 市控标准)")),
    ("unit", "string", _("Unit of the indicator")),
    ("year", "integer", _("Year by which the goal is to be met")),
    ("latest_value", "decimal", _("Latest measured value (a water class as its number, I = 1 … 劣V = 6)")),
    ("latest_text", "string", _("Latest measured value as written (Class III)")),
    ("latest_date", "date", _("Date of the latest measured value")),
    ("status", "string", _("met, on_track, off_track or no_data (not enough data)")),
    ("progress", "string", _("Progress measure of Open SDG: target_achieved, on_track, substantial_progress, moderate_progress, limited_progress, moving_away, target_not_achieved, not_enough_data")),
)  # fmt: skip


def target_area(target: Target) -> str:
    feed = getattr(target, "feed", None)  # monitoring fills the values (ecogov.monitoring)
    if feed is not None:
        return "air" if feed.point.kind == Point.Kind.AIR_STATION else "water"
    words = formula_text(target.indicator)
    for area, keys in AREA_WORDS:
        if any(key in words for key in keys):
            return area
    return "other"


def target_measure(target: Target, today: datetime.date):
    """(values oldest first, Progress) by the plans app's measure (as target_detail)."""
    values = sorted(target.values.all(), key=lambda v: v.date)
    goal, op = target.goal
    measured = measures.progress(
        [(v.date, v.value) for v in values], op=op, target=goal, target_year=target.year,
        today=today,
    )  # fmt: skip
    return values, measured


def target_row(target: Target, today: datetime.date) -> dict:
    values, measured = target_measure(target, today)
    latest = values[-1] if values else None
    plan = target.plan
    return {
        "plan": plan.title, "plan_id": plan.pk, "district": plan.jurisdiction.name,
        "target_id": target.pk, "area": target_area(target),
        "indicator": formula_text(target.indicator), "op": target.op, "value": target.value,
        "reference": target.reference, "unit": formula_text(target.unit), "year": target.year,
        "latest_value": latest.value if latest else None,
        "latest_text": target_value_texts(target, [latest])[0] if latest else "",
        "latest_date": latest.date if latest else None,
        "status": STATUS_OF_PROGRESS[measured.status], "progress": measured.status,
    }  # fmt: skip


def target_progress(*, today: datetime.date | None = None, targets=None) -> list[dict]:
    """Every public plan target with its latest value and status; three queries."""
    today = today or timezone.localdate()
    if targets is None:
        targets = public_targets()
    return [target_row(target, today) for target in targets]


def labelled(row: dict) -> dict:
    """A target row with what a page writes: the goal, status and area in words, links."""
    return {
        **row,
        "goal_text": " ".join(
            part
            for part in (
                # "= III类" reads as a formula: an equal goal is its value alone.
                "" if row["op"] == Target.Op.EQUAL else dict(Target.Op.choices)[row["op"]],
                plain(row["value"]) if row["value"] is not None else row["reference"],
                row["unit"],
            )
            if part
        ),  # fmt: skip
        "latest_shown": " ".join(part for part in (row["latest_text"], row["unit"]) if part)
        if row["latest_date"]
        else "",
        "status_label": str(STATUS_LABELS[row["status"]]),
        "progress_label": str(PROGRESS_LABELS[row["progress"]]),
        "area_label": str(AREAS[row["area"]]),
        "url": reverse("disclosure:target", args=[row["target_id"]]),
        "json": reverse("disclosure:target_json", args=[row["target_id"]]),
    }


def grouped_targets(rows: list[dict]) -> list[dict]:
    """Rows by plan (in their order), then by area (in the order of AREAS)."""
    plans: dict[int, dict] = {}
    for row in rows:
        plan = plans.setdefault(row["plan_id"], {"plan": row["plan"], "plan_id": row["plan_id"],
                                                 "district": row["district"], "areas": defaultdict(list),
                                                 "counts": Counter()})  # fmt: skip
        plan["areas"][row["area"]].append(row)
        plan["counts"][row["status"]] += 1
    out = []
    for plan in plans.values():
        areas = [{"area": key, "label": str(AREAS[key]), "targets": plan["areas"][key]}
                 for key in AREAS if plan["areas"].get(key)]  # fmt: skip
        counts = [{"status": key, "label": str(STATUS_LABELS[key]), "count": plan["counts"][key]}
                  for key in STATUS_LABELS]  # fmt: skip
        out.append({**{k: plan[k] for k in ("plan", "plan_id", "district")},
                    "areas": areas, "counts": counts})  # fmt: skip
    return out


def target_record(target: Target, today: datetime.date) -> dict:
    """A target's public page: its row, wording, values with their source, the chart
    (plans.selectors.target_chart, as the staff page draws it), the units named by its
    task (lead and supporting, as the plan writes them) and the station feeding it."""
    values, measured = target_measure(target, today)
    feed = getattr(target, "feed", None)
    units = list(target.task.units.all()) if target.task_id else []
    method = (
        gettext("Computed daily from online monitoring: %(metric)s at %(point)s.")
        % {"metric": feed.get_metric_display(), "point": feed.point.name}
        if feed is not None
        else gettext("Entered by the bureau from the source named with each value.")
    )
    texts = target_value_texts(target, values)
    return {
        "target": labelled(target_row(target, today)),
        "wording": formula_text(target.text),
        "task": {"number": target.task.number, "title": target.task.title}
        if target.task_id
        else None,
        "lead_units": [u.name for u in units if u.role == TaskUnit.Role.LEAD],
        "supporting_units": [u.name for u in units if u.role == TaskUnit.Role.SUPPORT],
        "method": method,
        "station": point_link(feed.point) if feed is not None else None,
        "values": [
            {"date": v.date, "value": v.value, "text": text, "source": v.source}
            for v, text in zip(values, texts, strict=True)
        ][::-1],  # fmt: skip
        "chart": target_chart(target, values, measured.trend, today=today),
    }


def station_targets(point: Point, today: datetime.date, rows: list[dict]) -> list[dict]:
    """The public targets a station feeds, and those about good days (优良天数) of its
    area, as rows, from ``rows`` (``target_progress``)."""
    fed = set(TargetFeed.objects.filter(point=point).values_list("target_id", flat=True))
    return [
        labelled(row)
        for row in rows
        if row["target_id"] in fed
        or (row["district"] == point.jurisdiction.name
            and any(word in row["indicator"] for word in GOOD_DAYS_WORDS))
    ]  # fmt: skip


# --- the pages' records ---------------------------------------------------------------


def overview(now: datetime.datetime) -> dict:
    """/public/quality/: each station's latest hourly AQI and latest daily AQI, each
    section's class this month and in the last 12 months against its goal."""
    from ecogov.monitoring.views import station_aqi

    today = timezone.localdate(now)
    jurisdictions = public_jurisdiction_ids()
    points = list(public_points(jurisdictions=jurisdictions).filter(active=True))
    stations = [p for p in points if p.kind == Point.Kind.AIR_STATION]
    sections = [p for p in points if p.kind == Point.Kind.WATER_SECTION]
    days = air_days(today - datetime.timedelta(days=2), today, points=stations)
    air = []
    for point in stations:
        latest = station_aqi(point, now)
        own = [row for row in days if row["station_id"] == point.pk]
        day = own[-1] if own else None
        air.append({
            **point_link(point), "district": point.jurisdiction.name,
            "hour": timezone.localtime(latest[0]) if latest else None,
            "hourly": aqi_view(latest[1], today) if latest else None,
            "day": day["date"] if day else None,
            "daily": aqi_view(day, day["date"]) if day else None,
        })  # fmt: skip
    first = add_months(month_first(today), -11)
    months = section_months(first, today, points=sections)
    goals = section_goals(sections)
    water = []
    for point in sections:
        series = month_series([r for r in months if r["section_id"] == point.pk], first, today)
        water.append({**point_link(point), "district": point.jurisdiction.name,
                      "waterbody": str(point.get_waterbody_display()),
                      "goal": goals.get(point.pk), "this_month": series[-1],
                      "months": series})  # fmt: skip
    return {"now": timezone.localtime(now), "stations": air, "sections": water}


def _calendar_cell(day: datetime.date, by_day: dict) -> dict:
    return {"date": day, **aqi_view(by_day[day], day)} if day in by_day else {"date": day}


def station_record(point: Point, month: datetime.date, now: datetime.datetime) -> dict:
    """/public/quality/air/<pk>/: the daily AQI of ``month``'s year (to today), its
    calendar, the month's days, days by level, the good-day share and the targets."""
    from ecogov.monitoring.views import station_aqi

    today = timezone.localdate(now)
    start = datetime.date(month.year, 1, 1)
    end = min(datetime.date(month.year, 12, 31), today)
    rows = air_days(start, end, points=[point])
    by_day = {row["date"]: row for row in rows}
    latest = station_aqi(point, now) if month.year == today.year else None
    months = []
    for number in range(1, end.month + 1):
        weeks = calendar.Calendar().monthdatescalendar(month.year, number)
        months.append({
            "month": f"{month.year}-{number:02d}",
            "days": sum(1 for day in by_day if day.month == number),
            "weeks": [[_calendar_cell(day, by_day) if day.month == number else None
                       for day in week] for week in weeks],
        })  # fmt: skip
    in_month = [
        {**row, **aqi_view(row, row["date"])} for row in rows if month_first(row["date"]) == month
    ]
    return {
        "station": {**point_link(point), "district": point.jurisdiction.name},
        "year": month.year, "month": f"{month:%Y-%m}",
        "hour": timezone.localtime(latest[0]) if latest else None,
        "hourly": aqi_view(latest[1], today) if latest else None,
        "days": len(rows), "good_share": good_share(rows),
        "levels": level_counts(rows, end),
        "month_days": in_month,
        "calendar": months,
        "targets": station_targets(point, today, target_progress(today=today)),
    }  # fmt: skip


def section_record(point: Point, months: int, now: datetime.datetime) -> dict:
    """/public/quality/water/<pk>/: the class of each of the last ``months`` months
    against the goal, with the parameters that decided it, and the targets it feeds."""
    today = timezone.localdate(now)
    first = add_months(month_first(today), -(months - 1))
    rows = section_months(first, today, points=[point])
    fed = target_progress(today=today, targets=public_targets().filter(feed__point=point))
    return {
        "section": {**point_link(point), "district": point.jurisdiction.name,
                    "waterbody": str(point.get_waterbody_display())},
        "goal": section_goals([point]).get(point.pk),
        "months": month_series(rows, first, today)[::-1],
        "targets": [labelled(row) for row in fed],
    }  # fmt: skip
