"""The public disclosure hub, the open data (catalogue, dictionary, CSV and JSON), the
enforcement results (administrative penalties) and the complaint handling statistics,
under /public/, without an account (seed 002 §四.7, seed 003 §(五).2; issue 22 §2–3).

The selections (what a page or a download may show) are the functions at the top; every
field is chosen there. No reporter, no case text, no staff member, no internal note.
"""

import codecs
import csv
import datetime
import io
from decimal import Decimal
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import ExtractYear, TruncMonth
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecogov.assess.credit import PUBLIC_CHANNELS, VIOLATION_OUTCOMES
from ecogov.cases.models import Case, Category, Outcome, Satisfaction, State
from ecogov.disclosure.datasets import dataset, datasets, local_day
from ecogov.disclosure.freshness import public_page
from ecogov.domain.notation import plain
from ecogov.domain.supervision import add_months
from ecogov.domain.taskstatus import month_start
from ecogov.params import query_choice, query_int, query_year

PAGE_SIZE = 50
CHART_MONTHS = 12
# A cell that starts so is a formula to Excel and WPS (CSV injection): written as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# --- selections -------------------------------------------------------------------------


def disclosed_cases():
    """The closed cases whose result the bureau published (as /public/cases/ lists them)."""
    from ecogov.cases.portal import _disclosed

    return _disclosed().only(
        "pk", "number", "category", "subcategory", "address", "outcome", "closed_at",
        "disclosed_at", "public_summary", "lead__name",
    )  # fmt: skip


def penalty_cases():
    """Administrative penalty decisions: closed cases in which a violation was found and a
    penalty decision taken (its number given)."""
    return (
        Case.objects.filter(state=State.CLOSED, outcome__in=VIOLATION_OUTCOMES)
        .exclude(decision_number="")
        .select_related("source", "lead")
        .only(
            "pk", "number", "category", "subcategory", "outcome", "decision_number",
            "penalty_amount", "closed_at", "disclosed_at", "public_summary",
            "source__name", "source__uscc", "lead__name",
        )
        .order_by("-closed_at", "-pk")
    )  # fmt: skip


def penalty_rows(cases) -> list[dict]:
    """What penalty disclosure allows of each: the enterprise (a legal person: name and
    code; no party when the case has none, so no individual is named), the decision, the
    violation (its kind, and the published summary only if the result was published), the
    fine, the day and the deciding authority."""
    cases = penalty_cases() if cases is None else cases
    categories, outcomes = dict(Category.choices), dict(Outcome.choices)
    return [
        {
            "enterprise": case.source.name if case.source_id else "",
            "uscc": case.source.uscc if case.source_id else "",
            "decision_number": case.decision_number,
            "category": case.category,
            "category_label": str(categories.get(case.category, case.category)),
            "subcategory": case.subcategory,
            "violation": case.public_summary if case.disclosed_at else "",
            "outcome_label": str(outcomes.get(case.outcome, "")),
            "amount": case.penalty_amount,
            "date": local_day(case.closed_at),
            "authority": case.lead.name if case.lead_id else "",
        }  # fmt: skip
        for case in cases
    ]


def complaint_cases():
    """The reports the public made (web, hotline, petitions, representatives)."""
    return Case.objects.filter(channel__in=PUBLIC_CHANNELS)


def _since(months: int) -> datetime.datetime:
    first = add_months(month_start(timezone.localdate()), -(months - 1))
    return timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))


def _closed_figures(prefix: str = "") -> dict:
    closed = Q(**{f"{prefix}state": State.CLOSED})
    return {
        "closed": Count("pk", filter=closed),
        "closed_on_time": Count("pk", filter=closed & Q(
            **{f"{prefix}reported_at__date__lte": F(f"{prefix}finish_due")})),
        "average": Avg(ExpressionWrapper(F(f"{prefix}closed_at") - F(f"{prefix}registered_at"),
                                         output_field=DurationField()), filter=closed),
        "rated": Count("pk", filter=closed & ~Q(**{f"{prefix}satisfaction": ""})),
        "satisfied": Count("pk", filter=closed & Q(**{f"{prefix}satisfaction__in": (
            Satisfaction.SATISFIED, Satisfaction.BASICALLY)})),
    }  # fmt: skip


def _figures(row: dict) -> dict:
    average = row.get("average")
    if average is not None and not isinstance(average, datetime.timedelta):
        average = datetime.timedelta(microseconds=average)
    rated = row.get("rated") or 0
    return {
        "received": row.get("received", 0), "closed": row.get("closed", 0),
        "closed_on_time": row.get("closed_on_time", 0),
        "average_days": (Decimal(average.total_seconds() / 86400).quantize(Decimal("0.1"))
                         if average is not None else None),
        "rated": rated,
        "satisfaction_rate": (Decimal(100 * row["satisfied"] / rated).quantize(Decimal("0.1"))
                              if rated else None),
    }  # fmt: skip


def complaint_statistics(dimension: str, *, months: int = 24) -> list[dict]:
    """Counts of the public's reports in the last ``months`` months by month (received
    in the month; closed, on time, days and satisfaction of those closed in it), by kind
    of problem or by lead unit (of those received in the period), grouped in the
    database: a fixed number of queries."""
    since = _since(months)
    cases = complaint_cases().order_by()
    if dimension == "month":
        received = {
            row["month"]: row["n"]
            for row in cases.filter(registered_at__gte=since)
            .annotate(month=TruncMonth("registered_at")).values("month").annotate(n=Count("pk"))
        }  # fmt: skip
        closed = {
            row["month"]: row
            for row in cases.filter(state=State.CLOSED, closed_at__gte=since)
            .annotate(month=TruncMonth("closed_at")).values("month").annotate(**_closed_figures())
        }  # fmt: skip
        first = timezone.localdate(since)
        rows = []
        for back in range(months):
            month = add_months(first, back)
            found = {"received": _month_value(received, month), **_month_value(closed, month, {})}
            rows.append({"month": f"{month:%Y-%m}", **_figures(found)})
        return rows
    key = {"category": "category", "unit": "lead__name"}[dimension]
    grouped = (
        cases.filter(registered_at__gte=since).values(key)
        .annotate(received=Count("pk"), **_closed_figures()).order_by("-received", key)
    )  # fmt: skip
    categories = dict(Category.choices)
    rows = []
    for row in grouped:
        if dimension == "category":
            label = {"category_label": str(categories.get(row[key], row[key]))}
        else:
            label = {"lead_unit": row[key] or _("not yet assigned")}
        rows.append({**label, **_figures(row)})
    return rows


def _month_value(by_month: dict, month: datetime.date, default=0):
    """TruncMonth gives a datetime or a date depending on the database."""
    for key, value in by_month.items():
        if (key.date() if isinstance(key, datetime.datetime) else key) == month:
            return value
    return default


def reward_months() -> list[dict]:
    """The monthly reward statistics as /public/rewards/ shows them, newest first."""
    from ecogov.cases.models import Reward
    from ecogov.cases.portal import _monthly

    decided = _monthly(Reward.objects.all(), "decided_on")
    paid = _monthly(Reward.objects.exclude(paid_on=None), "paid_on")
    return [
        {"month": f"{month:%Y-%m}", "decided": decided.get(month, (0, 0))[0],
         "decided_amount": decided.get(month, (0, 0))[1],
         "paid": paid.get(month, (0, 0))[0], "paid_amount": paid.get(month, (0, 0))[1]}
        for month in sorted(set(decided) | set(paid), reverse=True)
    ]  # fmt: skip


def published_scores():
    """The scores of the assessments published on the portal (as /public/assessments/)."""
    from ecogov.assess.models import Score
    from ecogov.assess.views import _published

    return (
        Score.objects.filter(assessment__in=_published())
        .select_related("assessment__scheme__jurisdiction", "unit", "source")
        .order_by("-assessment__end", "assessment__scheme__code", "rank", "pk")
    )


def grid_people() -> list[dict]:
    """Every grid with its responsible body and its people by role, as /public/grids/
    shows them (a phone only where its owner agreed)."""
    from ecogov.grid.models import Grid, GridMember
    from ecogov.grid.public import responsible_body

    grids = list(Grid.objects.select_related("parent", "unit", "jurisdiction")
                 .order_by("level", "name", "pk"))  # fmt: skip
    members: dict[int, list] = {}
    for member in GridMember.objects.select_related("user").order_by("role", "user__name"):
        members.setdefault(member.grid_id, []).append(member)
    rows = []
    for grid in grids:
        base = {"grid": grid.name, "level": str(grid.get_level_display()),
                "parent": grid.parent.name if grid.parent_id else "",
                "responsible": responsible_body(grid) or ""}  # fmt: skip
        people = members.get(grid.pk) or [None]
        for member in people:
            if member is None:
                rows.append({**base, "role": "", "name": "", "phone": ""})
                continue
            user = member.user
            rows.append({**base, "role": str(member.get_role_display()),
                         "name": user.name or user.username,
                         "phone": user.phone if member.publish_phone and user.phone else ""})  # fmt: skip
    return rows


# --- the downloads ----------------------------------------------------------------------


def csv_cell(value) -> str:
    """A value as a CSV cell: decimals as people write them, dates in ISO, and text that
    Excel or WPS would run as a formula prefixed with ' (CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, (int, float, datetime.date)):
        return str(value) if not isinstance(value, datetime.date) else value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _json_value(value):
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value


def _found(slug: str):
    found = dataset(slug)
    if found is None:
        raise Http404(_("No data set has this name."))
    return found


def _dataset_version(request, slug: str):
    found = dataset(slug)
    return found.version() if found else None


@public_page(version=_dataset_version)
def dataset_csv(request, slug: str):
    found = _found(slug)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(found.names)
    for row in found.table():
        writer.writerow([csv_cell(value) for value in row])
    # The BOM makes Excel and WPS read the file as UTF-8 (else Chinese is garbled).
    response = HttpResponse(codecs.BOM_UTF8 + buffer.getvalue().encode(),
                            content_type="text/csv; charset=utf-8")  # fmt: skip
    response["Content-Disposition"] = f'attachment; filename="{found.slug}.csv"'
    return response


@public_page(version=_dataset_version)
def dataset_json(request, slug: str):
    found = _found(slug)
    data = {
        "dataset": found.slug, "title": str(found.title), "description": str(found.description),
        "source": str(found.source),
        "columns": [{"name": c.name, "type": c.type, "description": str(c.description)}
                    for c in found.columns],
        "rows": [{name: _json_value(value) for name, value in zip(found.names, row, strict=True)}
                 for row in found.table()],
    }  # fmt: skip
    return JsonResponse(data, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False})


def _all_versions(request, **kwargs):
    return tuple(found.slug for found in datasets())


@public_page(version=_all_versions)
def data_catalogue(request):
    return render(request, "disclosure/data.html", {"datasets": datasets()})


# --- the penalties ----------------------------------------------------------------------


def _penalty_years() -> list[int]:
    years = penalty_cases().exclude(closed_at=None).annotate(y=ExtractYear("closed_at"))
    return sorted({year for year in years.values_list("y", flat=True).distinct()}, reverse=True)


def _penalty_version(request, **kwargs):
    from ecogov.disclosure.datasets import marker

    return marker(penalty_cases(), "closed_at", "disclosed_at")


@public_page(version=_penalty_version)
def penalties(request):
    year = query_year(request)
    category = query_choice(request, "category", Category.values)
    cases = penalty_cases()
    if year:
        cases = cases.filter(closed_at__year=year)
    if category:
        cases = cases.filter(category=category)
    page = Paginator(cases, PAGE_SIZE).get_page(query_int(request, "page", default=1))
    filters = urlencode({k: v for k, v in (("year", year or ""), ("category", category)) if v})
    context = {
        "page": page, "rows": penalty_rows(page.object_list), "year": year,
        "category": category, "years": _penalty_years(), "categories": Category.choices,
        "filters": filters,
    }  # fmt: skip
    return render(request, "disclosure/penalties.html", context)


# --- the complaint statistics -----------------------------------------------------------


def _complaint_version(request, **kwargs):
    return dataset("complaints-by-month").version()


@public_page(version=_complaint_version)
def complaints(request):
    months = complaint_statistics("month", months=24)
    recent = months[-CHART_MONTHS:]
    chart = {
        "months": [row["month"] for row in recent],
        "received": [row["received"] for row in recent],
        "closed": [row["closed"] for row in recent],
        "on_time": [row["closed_on_time"] for row in recent],
        "labels": {"received": _("received"), "closed": _("closed"),
                   "on_time": _("closed on time")},
    }  # fmt: skip
    context = {
        "months": list(reversed(months)), "chart": chart,
        "categories": complaint_statistics("category", months=24),
        "units": complaint_statistics("unit", months=24),
    }  # fmt: skip
    return render(request, "disclosure/complaints.html", context)


# --- the hub ----------------------------------------------------------------------------


def link(name: str, label, note="") -> dict | None:
    """A link to a page by its URL name, or None while that page does not exist (the
    quality pages and the consultations come from other work)."""
    try:
        return {"url": reverse(name), "label": label, "note": note}
    except NoReverseMatch:
        return None


# The hub's groups: (title, [(URL name, label, note)]), in the order a citizen asks.
HUB = (
    (gettext_lazy("Report a problem and follow it"), (
        ("public_report", gettext_lazy("Report a problem"), gettext_lazy("no account needed")),
        ("public_track", gettext_lazy("Follow my report"), gettext_lazy("with the tracking code")),
    )),
    (gettext_lazy("Results of reports and enforcement"), (
        ("public_disclosed", gettext_lazy("Published results of reports"), ""),
        ("disclosure:complaints", gettext_lazy("Complaint handling statistics"),
         gettext_lazy("by month, kind of problem and unit")),
        ("disclosure:penalties", gettext_lazy("Administrative penalties"), ""),
        ("public_rewards", gettext_lazy("Rewards for reports"), ""),
    )),
    (gettext_lazy("Environmental quality and targets"), (
        ("disclosure:quality", gettext_lazy("Air and water quality"), ""),
        ("disclosure:targets", gettext_lazy("The plan's targets and their progress"), ""),
    )),
    (gettext_lazy("Enterprises"), (
        ("public_enterprises", gettext_lazy("Key enterprises and their discharges"), ""),
        ("public_blacklist", gettext_lazy("Environmental blacklist"), ""),
        ("public_assessments", gettext_lazy("Assessment and credit results"), ""),
    )),
    (gettext_lazy("Supervision of the government's work"), (
        ("public_notices", gettext_lazy("Criticism notices"), ""),
        ("public_rectification", gettext_lazy("Inspection problems and their rectification"), ""),
    )),
    (gettext_lazy("Grids and their people"), (
        ("public_grids", gettext_lazy("Who is responsible for my place"), ""),
    )),
    (gettext_lazy("Have your say"), (
        ("public_consultations:index", gettext_lazy("Public consultations"),
         gettext_lazy("drafts open for comment, hearings and the responses")),
    )),
    (gettext_lazy("Open data"), (
        ("disclosure:data", gettext_lazy("Open data and its dictionary"),
         gettext_lazy("every public table as CSV and JSON")),
        ("disclosure:feed", gettext_lazy("Feed of new disclosures (Atom)"), ""),
    )),
)  # fmt: skip


def hub_groups() -> list[dict]:
    groups = []
    for title, entries in HUB:
        links = [found for found in (link(*entry) for entry in entries) if found]
        if links:
            groups.append({"title": title, "links": links})
    return groups


@public_page(version=lambda request, **kwargs: "hub")
def index(request):
    return render(request, "disclosure/index.html", {"groups": hub_groups()})
