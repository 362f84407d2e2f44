"""The public pages of environmental quality and of the plan targets, under /public/
(no account), each with a JSON alternate of the same data for other systems:

- /public/quality/ (index.json): today's air quality at each station, each section's
  class this month and in the last 12 months against its goal;
- /public/quality/air/<id>/ (<id>.json): a station's daily AQI over a year, its month;
- /public/quality/water/<id>/ (<id>.json): a section's class by month against its goal;
- /public/targets/ (index.json): every plan target with its latest value and status;
- /public/targets/<id>/ (<id>.json): a target, its values over time and its units.

The figures come from ``ecogov.disclosure.quality``, whose row functions the open data
sets use too. The pages make a number of queries that does not grow with the days or
months shown, and may be kept by browsers and shared caches for five minutes.
"""

import datetime

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.disclosure import quality as figures
from ecogov.disclosure.datasets import as_of, dataset, marker
from ecogov.disclosure.freshness import public_page
from ecogov.domain.supervision import add_months
from ecogov.enterprises.public_views import _json
from ecogov.monitoring.models import Point, TargetFeed
from ecogov.monitoring.views import CLASS_COLOURS
from ecogov.params import MIN_YEAR, BadQuery, query_choice, query_month

# A section's page shows the last 12 or 24 months.
MONTH_CHOICES = (12, 24)


def _point(pk: int, kind: str) -> Point:
    point = figures.public_points(kind).filter(pk=pk).first()
    if point is None:
        raise Http404(
            _("No air quality station has this number.")
            if kind == Point.Kind.AIR_STATION
            else _("No river section has this number.")
        )
    return point


def _overview(request) -> dict:
    return figures.overview(timezone.now())


def _station(request, pk: int) -> dict:
    now = timezone.now()
    this_month = figures.month_first(timezone.localdate(now))
    month = query_month(request, "month", default=this_month)
    if month > this_month or month.year < MIN_YEAR:
        raise BadQuery(_("“month” must be a month up to this one, such as %(month)s.")
                       % {"month": f"{this_month:%Y-%m}"})  # fmt: skip
    return figures.station_record(_point(pk, Point.Kind.AIR_STATION), month, now)


def _section(request, pk: int) -> dict:
    months = query_choice(request, "months", MONTH_CHOICES, default=MONTH_CHOICES[0])
    point = _point(pk, Point.Kind.WATER_SECTION)
    return {**figures.section_record(point, months, timezone.now()), "months_shown": months}


def _targets(request) -> dict:
    rows = [figures.labelled(row) for row in figures.target_progress()]
    return {"targets": rows}


def _target(request, pk: int) -> dict:
    target = figures.public_targets().filter(pk=pk).first()
    if target is None:
        raise Http404(_("No public plan target has this number."))
    return figures.target_record(target, timezone.localdate())


def _readings(request, **kwargs) -> tuple:
    """The hour's data, and the points and the targets they feed as they stand."""
    return (*as_of(), *marker(Point.objects.all(), "pk"), *marker(TargetFeed.objects.all(), "pk"))


def _target_values(request, **kwargs) -> tuple:
    return dataset("target-progress").version()


def _json_view(build, version=_readings):
    """The JSON alternate of a page: its data, 400 or 404 with a ``detail``."""

    @public_page(version=version)
    def view(request, **kwargs):
        try:
            data = build(request, **kwargs)
        except BadQuery as bad:
            return JsonResponse({"detail": str(bad)}, status=400)
        except Http404 as missing:
            return JsonResponse({"detail": str(missing)}, status=404)
        return _json(data)

    return view


quality_json = _json_view(_overview)
air_station_json = _json_view(_station)
water_section_json = _json_view(_section)
targets_json = _json_view(_targets, _target_values)
target_json = _json_view(_target, _target_values)


def _page(request, template: str, context: dict):
    return render(request, template, context)


@public_page(version=_readings)
def quality(request):
    return _page(request, "disclosure/quality.html", _overview(request))


@public_page(version=_readings)
def air_station(request, pk: int):
    record = _station(request, pk)
    month = datetime.date.fromisoformat(record["month"] + "-01")
    this_month = figures.month_first(timezone.localdate())
    context = {
        **record,
        "previous": f"{add_months(month, -1):%Y-%m}",
        "next": f"{add_months(month, 1):%Y-%m}" if month < this_month else None,
    }
    return _page(request, "disclosure/quality_air.html", context)


@public_page(version=_readings)
def water_section(request, pk: int):
    context = {**_section(request, pk), "month_choices": MONTH_CHOICES,
               "class_colours": CLASS_COLOURS}  # fmt: skip
    return _page(request, "disclosure/quality_water.html", context)


@public_page(version=_target_values)
def targets(request):
    rows = _targets(request)["targets"]
    context = {"plans": figures.grouped_targets(rows), "total": len(rows)}
    return _page(request, "disclosure/targets.html", context)


@public_page(version=_target_values)
def target(request, pk: int):
    return _page(request, "disclosure/targets_detail.html", _target(request, pk))
