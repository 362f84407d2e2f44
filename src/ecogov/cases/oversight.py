"""Oversight of cases: the leaders' overview, the discipline commission's view and the
Excel ledger. Every figure is counted over the cases the user may see
(``access.scope``), so a liaison's overview is their unit's and an outsider's is empty.
The ledger never carries the reporter's identity (it lives in ``Reporter``, which only
the bureau's dispatchers read, and only on the case's page)."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case as DbCase
from django.db.models import Count, Prefetch, Q, When, prefetch_related_objects
from django.db.models.functions import Coalesce, TruncMonth
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov import access
from ecogov.accounts.models import Role
from ecogov.cases.models import OPEN_STATES, WATCHED, Case, CaseEvent, Category, State
from ecogov.cases.services import clock_of
from ecogov.domain.supervision import Colour, Stage, overdue_workdays
from ecogov.grid.models import Grid
from ecogov.holidays.selectors import work_calendar
from ecogov.params import query_choice, query_int
from ecogov.spreadsheets import download, table_workbook
from ecogov.standards.workdays import CalendarUnknown

TREND_MONTHS = 12
# What the overview counts: a column of its indexes that is never null (see case_overview).
INDEXED = "jurisdiction"
MOST_OVERDUE = 10
# Cases in each list of the supervision view at a time: each one carries its whole history.
SUPERVISION_PAGE_SIZE = 20
# What the view shows of a case and what its days late are counted from (clock_of).
SUPERVISION_FIELDS = ("number", "lead__name", "state", "due", "colour", "stage", "returned",
                      "reopened", "clock_start", "clock_workdays")  # fmt: skip
# What the history rows show of a step (``{% case_history %}``).
HISTORY_FIELDS = ("case", "at", "kind", "note", "colour", "unit__name", "actor__name",
                  "actor__username")  # fmt: skip
# Who opens the discipline commission's view besides the commission's inspectors.
SUPERVISION_ROLES = frozenset({Role.INSPECTOR, Role.DISPATCHER, Role.LEADER})


def _month_start(day: datetime.date, back: int = 0) -> datetime.date:
    """The first day of the month ``back`` months before ``day``'s month."""
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def _today() -> datetime.date:
    return timezone.localdate()


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _late(case: Case, today: datetime.date, calendar) -> int | None:
    """Working days past the case's deadline, or None when it has no running clock (or the
    holiday table does not reach today yet: the page still opens)."""
    clock = clock_of(case)
    if clock is None:
        return None
    try:
        return overdue_workdays(clock, today, calendar.workdays_between)
    except CalendarUnknown:
        return None


def _by_lead(open_cases) -> list[dict]:
    rows = (
        open_cases.values("lead", "lead__name")
        .annotate(total=Count("pk"), overdue=Count("pk", filter=Q(colour=Colour.RED)))
        .order_by("-total", "-overdue", "lead__name")
    )
    return [
        {
            "label": row["lead__name"] or _("No lead unit yet (the bureau decides)"),
            "total": row["total"],
            "overdue": row["overdue"],
        }
        for row in rows
    ]


def _by_category(open_cases) -> list[dict]:
    labels = dict(Category.choices)
    rows = (
        open_cases.values("category")
        .annotate(total=Count("pk"), overdue=Count("pk", filter=Q(colour=Colour.RED)))
        .order_by("-total", "category")
    )
    return [
        {
            "label": str(labels.get(row["category"], row["category"])),
            "total": row["total"],
            "overdue": row["overdue"],
        }
        for row in rows
    ]


def _by_grid(open_cases) -> list[dict]:
    """Open cases by level-2 grid (township or street): a village grid's case counts for
    its parent; cases without a grid make their own bucket, listed last."""
    rows = open_cases.values(
        "grid", "grid__level", "grid__name", "grid__parent", "grid__parent__name"
    ).annotate(total=Count("pk"), overdue=Count("pk", filter=Q(colour=Colour.RED)))
    buckets: dict[int | None, dict] = {}
    for row in rows:
        if row["grid"] is None:
            key, label = None, _("No grid")
        elif row["grid__level"] > Grid.Level.TOWNSHIP and row["grid__parent"]:
            key, label = row["grid__parent"], row["grid__parent__name"]
        else:
            key, label = row["grid"], row["grid__name"]
        bucket = buckets.setdefault(key, {"label": label, "total": 0, "overdue": 0})
        bucket["total"] += row["total"]
        bucket["overdue"] += row["overdue"]
    return sorted(
        buckets.values(),
        key=lambda b: (b["label"] == _("No grid"), -b["total"], -b["overdue"], b["label"]),
    )


def _trend(cases, today: datetime.date) -> list[dict]:
    """Cases registered and closed in each of the last twelve months (this one included)."""
    first = _month_start(today, TREND_MONTHS - 1)
    months = [_month_start(today, back) for back in range(TREND_MONTHS - 1, -1, -1)]
    counts = {month: {"registered": 0, "closed": 0} for month in months}
    since = _aware(first)
    tz = timezone.get_current_timezone()
    for field, name in (("registered_at", "registered"), ("closed_at", "closed")):
        rows = (
            cases.filter(**{f"{field}__gte": since})
            .annotate(month=TruncMonth(field, tzinfo=tz))
            .values("month")
            .annotate(n=Count(INDEXED))
            .order_by()
        )
        for row in rows:
            month = row["month"]
            key = datetime.date(month.year, month.month, 1)
            if key in counts:
                counts[key][name] += row["n"]
    return [{"month": f"{month:%Y-%m}", **counts[month]} for month in months]


@login_required
def case_overview(request):
    """The leaders' overview: open and overdue cases at a glance, by unit, category,
    grid and month."""
    request.section = "cases"
    user = request.user
    today = _today()
    cases = access.scope(user, Case)
    open_cases = cases.filter(state__in=OPEN_STATES)
    # Counted on the jurisdiction (never null), not the id: the figures and the trend are
    # read from indexes alone (case_figures, case_recent), not from a city's tens of
    # thousands of case rows.
    figures = cases.aggregate(
        open=Count(INDEXED, filter=Q(state__in=OPEN_STATES)),
        red=Count(INDEXED, filter=Q(colour=Colour.RED)),
        yellow=Count(INDEXED, filter=Q(colour=Colour.YELLOW)),
        blue=Count(INDEXED, filter=Q(colour=Colour.BLUE)),
        closed_this_month=Count(
            INDEXED, filter=Q(state=State.CLOSED, closed_at__gte=_aware(_month_start(today)))
        ),
        escalated=Count(INDEXED, filter=Q(stage__gte=Stage.UPPER)),
        discipline=Count(INDEXED, filter=Q(stage__gte=Stage.DISCIPLINE)),
    )
    by_lead = _by_lead(open_cases)
    by_category = _by_category(open_cases)
    by_grid = _by_grid(open_cases)
    trend = _trend(cases, today)
    calendar = work_calendar()
    overdue = list(
        open_cases.filter(colour=Colour.RED)
        .select_related("lead")
        .order_by("due", "registered_at", "pk")[:MOST_OVERDUE]
    )
    for case in overdue:
        case.late = _late(case, today, calendar)
    chart = {
        "labels": {
            "open": _("Open"),
            "overdue": _("Overdue"),
            "registered": _("Registered"),
            "closed": _("Closed"),
        },
        "lead": by_lead,
        "category": by_category,
        "grid": by_grid,
        "trend": trend,
    }
    context = {
        "today": today,
        "figures": figures,
        "by_lead": by_lead,
        "by_category": by_category,
        "by_grid": by_grid,
        "trend": trend,
        "overdue": overdue,
        "chart": chart,
        "may_supervise": _may_supervise(user),
    }
    return render(request, "cases/overview.html", context)


def _may_supervise(user) -> bool:
    return access.is_admin(user) or (user.is_authenticated and user.role in SUPERVISION_ROLES)


def _lists(today: datetime.date) -> list[dict]:
    """The discipline commission's four lists: which cases, in which order."""
    running = ~Q(due=None) & ~Q(clock_start=None) & ~Q(state=State.SUSPENDED)
    # Working days late only grow as the deadline lies further back: the most late first is
    # the earliest deadline first among the cases whose running clock has passed it; the
    # others (no clock, 0 or unknown days late) follow, as _late gives them no days.
    by_lateness = (
        DbCase(When(running & Q(due__lt=today), then=0), default=1),
        Coalesce("due", today),
        "pk",
    )
    by_due = ("due", "registered_at", "pk")
    return [
        {
            "key": "overdue",
            "title": _("Overdue cases"),
            "hint": _("The deadline of the step the case is in has passed (red)."),
            "where": Q(colour=Colour.RED),
            "order": by_lateness,
        },
        {
            "key": "discipline",
            "title": _("Escalated to the discipline commission"),
            "hint": _("Red for long enough that the supervision level sends it here."),
            "where": Q(stage=Stage.DISCIPLINE),
            "order": by_due,
        },
        {
            "key": "returned",
            "title": _("Returned at least once"),
            "hint": _("A unit sent the case back to the bureau as not its duty."),
            "where": Q(returned__gt=0),
            "order": by_due,
        },
        {
            "key": "reopened",
            "title": _("Reopened"),
            "hint": _("The result was rejected on verification or the reporter was dissatisfied."),
            "where": Q(reopened__gt=0),
            "order": by_due,
        },
    ]


@login_required
def case_supervision(request):
    """The discipline commission's view: overdue, escalated, returned and reopened cases,
    each with its full history, a page of each list at a time (``list`` and ``page`` move
    one list through its pages)."""
    user = request.user
    if not _may_supervise(user):
        raise PermissionDenied(_("This view is for the discipline commission and the bureau."))
    request.section = "cases"
    today = _today()
    lists = _lists(today)
    paged = query_choice(request, "list", [each["key"] for each in lists], default="overdue")
    number = query_int(request, "page", default=1)
    # Every query names WATCHED itself, so that SQLite too reads the index of the watched.
    cases = access.scope(user, Case).filter(WATCHED)
    counts = cases.aggregate(**{each["key"]: Count("pk", filter=each["where"]) for each in lists})
    for each in lists:
        page = Paginator(range(counts[each["key"]]), SUPERVISION_PAGE_SIZE).get_page(
            number if each["key"] == paged else 1
        )
        offset = (page.number - 1) * SUPERVISION_PAGE_SIZE
        each["page"] = page
        each["cases"] = (
            list(
                cases.filter(each["where"])
                .select_related("lead")
                .only(*SUPERVISION_FIELDS)
                .order_by(*each["order"])[offset : offset + SUPERVISION_PAGE_SIZE]
            )
            if page.paginator.count
            else []
        )
    shown = [case for each in lists for case in each["cases"]]
    events = access.scope(user, CaseEvent.objects.select_related("actor", "unit")).only(
        *HISTORY_FIELDS
    )
    prefetch_related_objects(
        shown, Prefetch("events", queryset=events.order_by("at", "pk"), to_attr="timeline")
    )
    calendar = work_calendar()
    for case in lists[0]["cases"]:
        case.late = _late(case, today, calendar)
    return render(request, "cases/supervision.html", {"lists": lists, "today": today})


EXPORT_HEADER = (
    "案件编号", "登记时间", "渠道", "类别", "子类", "地点", "网格", "牵头单位", "状态", "期限",
    "预警", "督办级别", "办结时间", "处理结果", "处罚决定书文号", "罚款金额", "答复时间", "满意度",
    "退回次数", "重办次数",
)  # fmt: skip
EXPORT_WIDTHS = (
    18, 16, 12, 8, 12, 28, 14, 18, 12, 11, 6, 14, 16, 16, 20, 10, 16, 10, 8, 8,
)  # fmt: skip
COLOUR_NAMES = {Colour.BLUE: "蓝", Colour.YELLOW: "黄", Colour.RED: "红"}


def _when(moment: datetime.datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def _export_row(case: Case) -> list:
    """One ledger row. Deliberately no field of the reporter."""
    return [
        case.number,
        _when(case.registered_at),
        case.get_channel_display(),
        case.get_category_display(),
        case.subcategory,
        case.address,
        case.grid.name if case.grid else "",
        case.lead.name if case.lead else "",
        case.get_state_display(),
        f"{case.due:%Y-%m-%d}" if case.due else "",
        COLOUR_NAMES.get(case.colour, ""),
        case.get_supervision_display(),
        _when(case.closed_at),
        case.get_outcome_display() if case.outcome else "",
        case.decision_number,
        case.penalty_amount,
        _when(case.answered_at),
        case.get_satisfaction_display() if case.satisfaction else "",
        case.returned,
        case.reopened,
    ]


def _filtered(request, cases):
    """The GET filters the ledger understands; unknown values are ignored."""
    state = request.GET.get("state", "")
    if state in State.values:
        cases = cases.filter(state=state)
    category = request.GET.get("category", "")
    if category in Category.values:
        cases = cases.filter(category=category)
    lead = query_int(request, "lead")
    if lead is not None:
        cases = cases.filter(lead=lead)
    colour = request.GET.get("colour", "")
    if colour in {c.value for c in Colour if c.value}:
        cases = cases.filter(colour=colour)
    return cases


@login_required
def case_export(request):
    """The case ledger (.xlsx) of the cases the user may see."""
    cases = _filtered(request, access.scope(request.user, Case))
    cases = cases.select_related("grid", "lead").order_by("registered_at", "number")
    now = timezone.localtime()
    data = table_workbook(
        sheet_title="案件台账",
        title="生态环境问题案件台账",
        subtitle=f"导出时间：{now:%Y-%m-%d %H:%M}",
        header=EXPORT_HEADER,
        rows=(_export_row(case) for case in cases.iterator()),
        widths=EXPORT_WIDTHS,
    )
    return download(data, f"案件台账-{now:%Y%m%d}.xlsx", ascii_name=f"cases-{now:%Y%m%d}.xlsx")
