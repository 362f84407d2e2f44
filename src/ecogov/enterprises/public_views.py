"""The public pages of the key enterprises (重点排污单位), without an account, at
/public/enterprises/: what 企业事业单位环境信息公开办法 (环境保护部令第31号) has a key
discharging unit publish and seeds 002 §四.7 and 003 §(五).2 make public.

- the list of key sources still in operation, with their township and grid and whether
  their latest hourly data met the limits;
- each one's page: its basic information, its valid discharge permits, its outlets with
  the hourly averages of the last days against the limits and the hours over them, the
  monthly compliance rates of the last 12 months, and the administrative penalties it
  received whose result the bureau disclosed.

Every field is chosen here (``enterprise_list``, ``enterprise_record``), so that nothing
internal reaches a page by accident: never a patrol, a case's text, its reporter or
staff, a source's ``attributes`` (which hold the outlets' MN), a point's MN or password.
Each page has a JSON alternate for other systems, with the same query parameters and
data: ``/public/enterprises/index.json`` and ``/public/enterprises/<id>.json``.

The pages make a fixed number of queries whatever the data, and may be kept by browsers
and shared caches for five minutes.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from ecogov.cases.models import Case, Outcome, State
from ecogov.domain.monitorchecks import exceedance_ratio
from ecogov.domain.notation import plain
from ecogov.domain.supervision import add_months
from ecogov.domain.taskstatus import month_start
from ecogov.enterprises.models import Permit
from ecogov.grid.models import Grid
from ecogov.monitoring import stats
from ecogov.monitoring.models import Period, Point, Reading
from ecogov.params import BadQuery, page_query, query_int
from ecogov.sources.models import Source
from ecogov.standards import hj212_codes

PAGE_SIZE = 50
DEFAULT_DAYS, MAX_DAYS = 7, 31
MONTHS = 12
# The exceedance table lists at most this many hours (newest first); the total is given.
EXCEEDANCES_SHOWN = 200
# A latest hour older than this says nothing about the present: "no recent data".
RECENT = datetime.timedelta(hours=48)
CACHE_SECONDS = 300
MEAN_PLACES = Decimal("0.001")


def key_sources():
    """What may be shown: key sources not closed."""
    return (
        Source.objects.filter(key=True)
        .exclude(status=Source.Status.CLOSED)
        .select_related("type", "grid__parent", "jurisdiction")
        .only(
            "pk", "name", "uscc", "address", "status", "type__name", "jurisdiction__name",
            "grid__name", "grid__level", "grid__parent__name",
        )
        .order_by("name", "pk")
    )  # fmt: skip


def _place(source: Source) -> dict:
    """The township (or street) and the village grid a source lies in."""
    grid = source.grid
    township = village = None
    if grid is not None and grid.level == Grid.Level.VILLAGE:
        village = grid.name
        township = grid.parent.name if grid.parent_id else None
    elif grid is not None and grid.level == Grid.Level.TOWNSHIP:
        township = grid.name
    return {"district": source.jurisdiction.name, "township": township, "grid": village}


def _identity(source: Source) -> dict:
    return {
        "id": source.pk,
        "name": source.name,
        "uscc": source.uscc,
        "address": source.address,
        "type": source.type.name,
        "status": source.status,
        "status_label": str(source.get_status_display()),
        **_place(source),
        "url": reverse("public_enterprise", args=[source.pk]),
        "json": reverse("public_enterprise_json", args=[source.pk]),
    }


def _latest_state(rows: list[tuple], now: datetime.datetime) -> tuple[str, object]:
    """(state, time) of a source's newest hourly values, one (time, value, exceeded) per
    pollutant of its outlets: "over" if one exceeded its limit, "within" if every one
    with a limit kept it, "no_limit", or "no_data" when nothing came in RECENT."""
    if not rows:
        return "no_data", None
    newest = max(time for time, _value, _exceeded in rows)
    if now - newest > RECENT:
        return "no_data", timezone.localtime(newest)
    recent = [exceeded for time, _value, exceeded in rows if now - time <= RECENT]
    if any(exceeded for exceeded in recent):
        return "over", timezone.localtime(newest)
    if any(exceeded is False for exceeded in recent):
        return "within", timezone.localtime(newest)
    return "no_limit", timezone.localtime(newest)


STATE_LABELS = {
    "over": lambda: _("over a limit"),
    "within": lambda: _("within the limits"),
    "no_limit": lambda: _("no limit applies"),
    "no_data": lambda: _("no recent data"),
}


def enterprise_list(sources, now: datetime.datetime) -> list[dict]:
    """Each source's identity and the state of its latest hourly data (three queries)."""
    sources = list(sources)
    points = list(
        Point.objects.filter(source__in=sources, kind=Point.Kind.SOURCE, active=True)
        .only("pk", "source_id")
        .order_by()
    )
    newest = stats.latest(points)
    by_source: dict[int, list[tuple]] = defaultdict(list)
    for point in points:
        by_source[point.source_id].extend(newest.get(point.pk, {}).values())
    rows = []
    for source in sources:
        state, time = _latest_state(by_source[source.pk], now)
        rows.append({**_identity(source), "latest": state,
                     "latest_label": str(STATE_LABELS[state]()), "latest_time": time})  # fmt: skip
    return rows


# --- one enterprise -------------------------------------------------------------------


def _permits(source: Source, today: datetime.date) -> list[dict]:
    """The permits valid today, with their pollutants' limits and annual amounts."""
    valid = (
        Permit.objects.filter(source=source, valid_from__lte=today, valid_until__gte=today)
        .filter(Q(revoked_on=None) | Q(revoked_on__gt=today))
        .order_by("-valid_until", "-pk")
    )
    out = []
    for permit in valid:
        pollutants = [
            {key: str(row.get(key) or "") for key in ("factor", "name", "limit", "unit", "tonnes")}
            for row in permit.pollutants
            if isinstance(row, dict)
        ]
        out.append({
            "number": permit.number, "management": permit.management,
            "management_label": str(permit.get_management_display()), "issuer": permit.issuer,
            "issued_on": permit.issued_on, "valid_from": permit.valid_from,
            "valid_until": permit.valid_until, "pollutants": pollutants,
        })  # fmt: skip
    return out


def _hours(points: list[Point], start, end) -> dict[int, dict[str, list[tuple]]]:
    """point id → code → [(time, value, valid, exceeded)] of the hourly averages, oldest
    first, in one query for all the outlets."""
    rows = (
        Reading.objects.filter(point__in=points, period=Period.HOUR, time__gte=start, time__lt=end)
        .order_by("time")
        .values_list("point_id", "code", "time", "value", "valid", "exceeded")
    )
    out: dict[int, dict[str, list[tuple]]] = defaultdict(lambda: defaultdict(list))
    for point_id, code, time, value, valid, exceeded in rows:
        out[point_id][code].append((timezone.localtime(time), value, valid, exceeded))
    return out


def _pollutant_name(code: str) -> str:
    pollutant = hj212_codes.pollutant(code)
    return pollutant.name if pollutant else code


def _outlets(points: list[Point], start, end) -> tuple[list[dict], list[dict]]:
    """The outlets with their pollutants' hourly averages against the limits, and every
    valid hour over a limit, newest first."""
    hours = _hours(points, start, end)
    outlets, exceedances = [], []
    for point in points:
        factors = {factor.code: factor for factor in point.factors.all()}
        series = hours.get(point.pk, {})
        rows = []
        for code in [*factors, *sorted(set(series) - set(factors))]:
            factor = factors.get(code)
            data = series.get(code, [])
            if factor is None and not data:
                continue
            valid = [value for _t, value, ok, _e in data if ok and value is not None]
            over = [(t, value) for t, value, ok, exceeded in data if ok and exceeded]
            limit = factor.limit if factor else None
            unit = factor.unit if factor else ""
            rows.append({
                "code": code, "name": _pollutant_name(code), "unit": unit, "limit": limit,
                "standard": factor.standard if factor else "",
                "valid_hours": len(valid), "exceeded_hours": len(over),
                "mean": (sum(valid) / len(valid)).quantize(MEAN_PLACES) if valid else None,
                "max": max(valid) if valid else None,
                "hours": [{"time": t, "value": value, "valid": ok, "exceeded": exceeded}
                          for t, value, ok, exceeded in data],
            })  # fmt: skip
            for time, value in over:
                exceedances.append({
                    "time": time, "outlet": point.name, "code": code,
                    "name": _pollutant_name(code), "value": value, "limit": limit, "unit": unit,
                    "multiple": exceedance_ratio(value, limit),
                })  # fmt: skip
        if point.active or series:  # a logger taken away long ago is no outlet now
            outlets.append({"name": point.name, "active": point.active, "pollutants": rows})
    exceedances.sort(key=lambda row: (row["time"], row["outlet"], row["code"]), reverse=True)
    return outlets, exceedances


def _month_start(day: datetime.date, back: int) -> datetime.date:
    """The first day of the month ``back`` months before ``day``'s."""
    return add_months(month_start(day), -back)


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _monthly(source: Source, points, now: datetime.datetime) -> list[dict]:
    """The compliance rates of the last MONTHS months (this one so far), oldest first,
    by ``stats.rates``: four queries a month."""
    today = timezone.localdate(now)
    _start, end = stats.window(0, now)
    out = []
    for back in range(MONTHS - 1, -1, -1):
        first = _month_start(today, back)
        following = _month_start(today, back - 1)
        rates = stats.rates(points, _midnight(first), min(_midnight(following), end))
        own = rates.sources.get(source.pk, stats.Rates())
        out.append({
            "month": f"{first:%Y-%m}", "compliance_rate": own.compliance,
            "checked_hours": own.checked, "exceeded_hours": own.exceeded,
            "transmission_rate": own.transmission,
        })  # fmt: skip
    return out


def _penalties(source: Source) -> list[dict]:
    """The administrative penalties it received whose result the bureau disclosed: the
    decision's number, day and amount and the disclosed result, nothing else of the case."""
    rows = (
        Case.objects.filter(source=source, state=State.CLOSED, outcome=Outcome.PENALTY)
        .exclude(disclosed_at=None)
        .order_by("-closed_at", "-pk")
        .values("decision_number", "closed_at", "penalty_amount", "public_summary")
    )
    return [
        {
            "decision_number": row["decision_number"],
            "date": timezone.localdate(row["closed_at"]) if row["closed_at"] else None,
            "amount": row["penalty_amount"],
            "violation": row["public_summary"],
        }
        for row in rows
    ]


def _credit(source: Source) -> dict | None:
    """The latest credit grade a public rating published, as it stands after any repair."""
    from ecogov.assess.credit import credit_scores
    from ecogov.assess.models import Grade

    score = credit_scores(source).filter(assessment__scheme__public=True).first()
    if score is None:
        return None
    standing = score.repaired_grade or score.grade
    return {"period": score.assessment.period, "grade": standing,
            "label": str(Grade(standing).label), "repaired": bool(score.repaired_grade),
            "published_as": str(Grade(score.grade).label)}  # fmt: skip


def _blacklist(source: Source, today: datetime.date) -> dict | None:
    """The published listing that bars the enterprise today, if any."""
    from ecogov.enterprises.services import public_listings

    if not source.uscc:
        return None
    listing = public_listings().filter(uscc=source.uscc).order_by("-listed_on").first()
    if listing is None or not listing.in_force_on(today):
        return None
    return {"decision_number": listing.decision_number, "ground": listing.get_ground_display(),
            "listed_on": listing.listed_on, "bar_until": listing.bar_until}  # fmt: skip


def enterprise_record(source: Source, days: int, now: datetime.datetime) -> dict:
    """What the public page of a key source shows, as plain values (a fixed number of
    queries: the permits, the outlets and their pollutants, the hours, the months, the
    penalties)."""
    start, end = stats.window(days, now)
    points_query = Point.objects.filter(source=source, kind=Point.Kind.SOURCE)
    points = list(
        points_query.only("pk", "name", "kind", "active", "source_id")
        .prefetch_related("factors")
        .order_by("name", "pk")
    )
    outlets, exceedances = _outlets(points, start, end)
    return {
        "enterprise": _identity(source),
        "permits": _permits(source, timezone.localdate(now)),
        "days": days,
        "start": timezone.localtime(start),
        "end": timezone.localtime(end),
        "outlets": outlets,
        "exceedance_total": len(exceedances),
        "exceedances": exceedances[:EXCEEDANCES_SHOWN],
        "monthly": _monthly(source, points_query, now),
        "penalties": _penalties(source),
        "credit": _credit(source),
        "blacklist": _blacklist(source, timezone.localdate(now)),
    }


def _chart(record: dict) -> dict:
    """The valid hourly averages of each outlet's pollutants for ECharts, by outlet and
    pollutant in the order of the page, and the monthly compliance rates."""
    return {
        "labels": {"limit": _("limit"), "compliance": _("Compliance rate (%)")},
        "outlets": [
            [
                {
                    "name": row["name"],
                    "limit": None if row["limit"] is None else float(row["limit"]),
                    "valid": [
                        [f"{hour['time']:%Y-%m-%d %H:%M}", float(hour["value"])]
                        for hour in row["hours"]
                        if hour["valid"] and hour["value"] is not None
                    ],
                }
                for row in outlet["pollutants"]
            ]
            for outlet in record["outlets"]
        ],
        "monthly": [[row["month"], row["compliance_rate"]] for row in record["monthly"]],
    }


# --- views ----------------------------------------------------------------------------


def _cached(response):
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


class _Encoder(DjangoJSONEncoder):
    """Decimals as people write them, in a string that keeps their precision ("0.55")."""

    def default(self, o):
        if isinstance(o, Decimal):
            return plain(o)
        return super().default(o)


def _json(data: dict):
    return _cached(JsonResponse(data, encoder=_Encoder, json_dumps_params={"ensure_ascii": False}))


def _listed(request):
    text = request.GET.get("q", "").strip()[:50]
    sources = key_sources()
    if text:
        sources = sources.filter(name__icontains=text)
    page = Paginator(sources, PAGE_SIZE).get_page(query_int(request, "page", default=1))
    return text, page, enterprise_list(page.object_list, timezone.now())


def enterprise_list_page(request):
    text, page, rows = _listed(request)
    context = {"q": text, "page": page, "rows": rows, "query": page_query(request)}
    return _cached(render(request, "enterprises/public_list.html", context))


def enterprise_list_json(request):
    try:
        text, page, rows = _listed(request)
    except BadQuery as bad:
        return JsonResponse({"detail": str(bad)}, status=400)
    return _json({"q": text, "page": page.number, "pages": page.paginator.num_pages,
                  "count": page.paginator.count, "enterprises": rows})  # fmt: skip


def _record(request, pk: int) -> dict:
    days = query_int(request, "days", min=1, max=MAX_DAYS, default=DEFAULT_DAYS)
    source = key_sources().filter(pk=pk).first()
    if source is None:
        raise Http404(_("No key enterprise has this number."))
    return enterprise_record(source, days, timezone.now())


def enterprise_page(request, pk: int):
    record = _record(request, pk)
    context = {
        **record,
        "source_id": pk,
        "chart": _chart(record),
        "day_choices": (1, DEFAULT_DAYS, 14, MAX_DAYS),
        "shown": len(record["exceedances"]),
    }
    return _cached(render(request, "enterprises/public_enterprise.html", context))


def enterprise_json(request, pk: int):
    try:
        record = _record(request, pk)
    except BadQuery as bad:
        return JsonResponse({"detail": str(bad)}, status=400)
    except Http404 as missing:
        return JsonResponse({"detail": str(missing)}, status=404)
    return _json(record)


# --- the blacklist (/public/blacklist/) ----------------------------------------------------
# The published listings in force, with the enterprise, its credit code, the ground and
# grounds, the decision number and the period of the bar. Never who entered them, the
# cases behind them or anyone who reported a problem; the decision document stays internal.


def blacklist(request):
    from ecogov.enterprises.services import public_listings

    listings = public_listings().only(
        "pk", "uscc", "name", "ground", "grounds", "decision_number", "listed_on", "bar_until"
    )
    return render(request, "enterprises/public_blacklist.html", {"listings": listings[:500]})
