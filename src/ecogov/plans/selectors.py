"""Reads of plans: the task ledger with each task's status."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ecogov.domain import supervision as rules
from ecogov.domain.notation import formula_text, plain, with_unit
from ecogov.domain.supervision import Clock, Colour, Level, Stage
from ecogov.domain.taskstatus import DONE, Report, month_end, previous_month, task_status
from ecogov.holidays.selectors import calendar_refusal, work_calendar
from ecogov.links import detail_url
from ecogov.plans.models import (
    Target,
    TargetValue,
    Task,
    TaskReport,
    TaskStatus,
    TaskUnit,
    deadline_label,
)
from ecogov.standards import water
from ecogov.standards.workdays import CalendarUnknown, WorkCalendar
from ecogov.supervision.clocks import calendar

STATUS_LABELS = dict(TaskStatus.choices)


PROGRESS_LABELS = {
    "target_achieved": _("target achieved"),
    "on_track": _("on track: met so far, the period is not over"),
    "target_not_achieved": _("target not achieved"),
    "substantial_progress": _("substantial progress"),
    "moderate_progress": _("moderate progress"),
    "limited_progress": _("limited progress"),
    "moving_away": _("moving away from the target"),
    "not_enough_data": _("not enough data"),
}


@dataclass
class LedgerRow:
    task: Task
    status: str
    lead: list[TaskUnit] = field(default_factory=list)
    support: list[TaskUnit] = field(default_factory=list)
    supervising: list[TaskUnit] = field(default_factory=list)
    # The governments below that carry the task out (负责落实), often collective.
    implementing: list[TaskUnit] = field(default_factory=list)
    last_report: TaskReport | None = None
    mine: bool = False
    colour: str = Colour.NONE  # by the shared supervision rules, as in the one ledger
    stage: int = Stage.NONE

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, "")  # "": never timed yet


def due_date(period: datetime.date, calendar: WorkCalendar) -> datetime.date:
    """When reports on the month ``period`` are due: a working day of the next month."""
    return calendar.add_workdays(month_end(period), settings.ECOGOV_DISPATCH_DUE_WORKDAY)


def last_due(today: datetime.date) -> datetime.date | None:
    """When the reports on the month that last closed are due (None if no calendar knows)."""
    try:
        return due_date(previous_month(today), work_calendar())
    except CalendarUnknown:
        return None


def dispatch_refusal(plan, period: datetime.date) -> str | None:
    """Why the dispatch of ``period`` has not opened, when no calendar knows its due day."""
    if plan.dispatches.filter(period=period).exists():
        return None
    try:
        due_date(period, work_calendar())
    except CalendarUnknown as error:
        return calendar_refusal(error)
    return None


def task_status_of(task: Task, *, today: datetime.date, due: datetime.date | None = None) -> str:
    """The status of one task whose reports are loaded (prefetched or not)."""
    reports = [Report(r.period, r.percent, r.milestone) for r in task.reports.all()]
    return task_status(
        deadline=task.deadline,
        ongoing=task.ongoing,
        completed=task.completed_on is not None,
        reports=reports,
        today=today,
        started=task.plan.imported_on,
        last_due=due,
    )


def task_colour_and_stage(
    task: Task, status: str, today: datetime.date, count
) -> tuple[Colour, Stage]:
    """A plan task's colour and escalation by the shared rules: its clock runs from the
    plan's import to the end of its deadline month; plan tasks are supervised as
    general items (monthly dispatch, quarterly supervision)."""
    due = month_end(task.deadline) if task.deadline and not task.ongoing else None
    start = task.plan.imported_on
    colour = rules.task_colour(status=status, due=due, today=today, start=start,
                               count_workdays=count)  # fmt: skip
    stage = Stage.NONE
    if due is not None and status != DONE and start is not None:
        # A plan imported after a task's deadline: the task was late before it arrived.
        clock = Clock(min(start, due), due, workdays=False)
        stage = rules.stage(clock, today, Level.GENERAL, count)
    return colour, stage


def _filtered(tasks: QuerySet[Task], *, unit_id, role, first_for_unit, due_by) -> QuerySet[Task]:
    """The tasks a ledger lists, in its order: a liaison's own first, then by plan."""
    if due_by is not None:
        tasks = tasks.filter(deadline__lte=due_by, ongoing=False)
    if unit_id is not None:
        links = TaskUnit.objects.filter(unit_id=unit_id)
        if role:
            links = links.filter(role=role)
        tasks = tasks.filter(pk__in=links.values("task_id"))
    if first_for_unit is not None:
        mine = Exists(TaskUnit.objects.filter(task=OuterRef("pk"), unit=first_for_unit))
        return tasks.distinct().annotate(_mine=mine).order_by("-_mine", "plan", "order")
    return tasks.distinct().order_by("plan", "order")


def _row(task: Task, status: str, last_report, first_for_unit) -> LedgerRow:
    links = list(task.units.all())
    return LedgerRow(
        task=task,
        status=status,
        lead=[link for link in links if link.role == TaskUnit.Role.LEAD],
        support=[link for link in links if link.role == TaskUnit.Role.SUPPORT],
        supervising=[link for link in links if link.role == TaskUnit.Role.SUPERVISING],
        implementing=[link for link in links if link.role == TaskUnit.Role.IMPLEMENTING],
        last_report=last_report,
        mine=first_for_unit is not None and any(link.unit_id == first_for_unit for link in links),
    )


@dataclass(slots=True)
class ListedUnit:
    """A unit a listed task names, as written, with the registry's name when it is known."""

    role: str
    name: str
    unit_id: int | None
    unit_name: str | None

    @property
    def shown(self) -> str:
        return self.unit_name or self.name


@dataclass(slots=True)
class LatestReport:
    month: str  # the month reported on, as 2026-05
    unit: str
    text: str
    percent: Decimal | None


@dataclass(slots=True)
class ListedTask:
    """A task as the lists of now show it (the ledger's pages, the API), read as plain
    values: a task built with its plan and full unit records cost more than its row."""

    pk: int
    plan_id: int
    plan: str  # its title, as a Plan is written
    number: str
    title: str
    text: str
    deadline: datetime.date | None
    ongoing: bool
    completed_on: datetime.date | None
    evidence: str
    status: str
    colour: str
    stage: int
    url: str
    units: list[ListedUnit] = field(default_factory=list)  # by role, then as listed
    lead: list[ListedUnit] = field(default_factory=list)
    support: list[ListedUnit] = field(default_factory=list)
    supervising: list[ListedUnit] = field(default_factory=list)
    implementing: list[ListedUnit] = field(default_factory=list)
    last_report: LatestReport | None = None
    mine: bool = False

    @property
    def deadline_label(self) -> str | None:
        return deadline_label(self.deadline, ongoing=self.ongoing)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, "")  # "": never timed yet

    # The units of a role as one text: the page writes them joined, as a loop over each
    # unit in the template did, at a fraction of its cost per row.
    @property
    def support_names(self) -> str:
        return "、".join(link.shown for link in self.support)

    @property
    def supervising_names(self) -> str:
        return "、".join(link.shown for link in self.supervising)

    @property
    def implementing_names(self) -> str:
        return "、".join(link.shown for link in self.implementing)


LISTED_FIELDS = ("pk", "plan_id", "plan__title", "number", "title", "text", "deadline", "ongoing",
                 "completed_on", "evidence", "status", "colour", "stage")  # fmt: skip


def ledger_tasks(
    tasks: QuerySet[Task],
    *,
    unit_id: int | None = None,
    role: str | None = None,
    status: str | None = None,
    first_for_unit: int | None = None,
    due_by: datetime.date | None = None,
) -> QuerySet:
    """The tasks of the ledger now, filtered and ordered in the database, as plain values
    to be paged there and shown by ``ledger_rows``. The status is the one the supervision
    scan stores (a report or a completion stores it at once); ``due_by`` keeps the tasks
    whose deadline month is that month or earlier."""
    tasks = _filtered(tasks, unit_id=unit_id, role=role, first_for_unit=first_for_unit,
                      due_by=due_by)  # fmt: skip
    if status is not None:
        tasks = tasks.filter(status=status)
    return tasks.values(*LISTED_FIELDS)


def ledger_rows(
    tasks: Iterable[dict], *, first_for_unit: int | None = None, reports: bool = True
) -> list[ListedTask]:
    """The rows of tasks from ``ledger_tasks`` (or a page of them), as stored now, with
    the units each names and, with ``reports``, its latest progress report: one query
    each, whatever the number of rows."""
    url = detail_url("task_detail")
    rows = {}
    for values in tasks:
        pk = values["pk"]
        rows[pk] = ListedTask(
            pk=pk, plan_id=values["plan_id"], plan=values["plan__title"],
            number=values["number"], title=values["title"], text=values["text"],
            deadline=values["deadline"], ongoing=values["ongoing"],
            completed_on=values["completed_on"], evidence=values["evidence"],
            status=values["status"], colour=values["colour"] or Colour.NONE,
            stage=values["stage"], url=url(pk),
        )  # fmt: skip
    if not rows:
        return []
    links = (
        TaskUnit.objects.filter(task__in=list(rows))
        .order_by("role", "order")
        .values_list("task_id", "role", "name", "unit_id", "unit__name")
    )
    for task_id, role, name, unit_id, unit_name in links:
        row, link = rows[task_id], ListedUnit(role, name, unit_id, unit_name)
        row.units.append(link)
        getattr(row, role).append(link)  # a role's list is named by its value: row.lead
        if first_for_unit is not None and unit_id == first_for_unit:
            row.mine = True
    if reports:
        latest = Window(RowNumber(), partition_by="task", order_by=("-period", "-pk"))
        last = (
            TaskReport.objects.filter(task__in=list(rows))
            .annotate(latest=latest)
            .filter(latest=1)
            .order_by()  # not the model's: it joins each report's task, plan and unit to sort
            .values_list("task_id", "period", "unit__name", "text", "percent")
        )
        for task_id, period, unit, text, percent in last:
            rows[task_id].last_report = LatestReport(f"{period:%Y-%m}", unit, text, percent)
    return list(rows.values())


def ledger(
    tasks: QuerySet[Task],
    *,
    today: datetime.date,
    unit_id: int | None = None,
    role: str | None = None,
    status: str | None = None,
    first_for_unit: int | None = None,
    due_by: datetime.date | None = None,
) -> list[LedgerRow]:
    """The ledger as of ``today``, its statuses computed from the reports: for the
    documents about a day (the dispatch list, the quarterly supervision, the export).
    The lists of now read the stored statuses instead (``ledger_tasks``)."""
    tasks = _filtered(tasks, unit_id=unit_id, role=role, first_for_unit=first_for_unit,
                      due_by=due_by).select_related("plan").prefetch_related(
        Prefetch("units", queryset=TaskUnit.objects.select_related("unit").order_by("role", "order")),
        Prefetch("reports", queryset=TaskReport.objects.select_related("unit").order_by("period")),
    )  # fmt: skip
    rows = []
    due = last_due(today)
    count = calendar().workdays_between
    for task in tasks:
        reports = list(task.reports.all())
        computed = task_status_of(task, today=today, due=due)
        if status is not None and computed != status:
            continue
        row = _row(task, computed, reports[-1] if reports else None, first_for_unit)
        row.colour, row.stage = task_colour_and_stage(task, computed, today, count)
        rows.append(row)
    return rows


# A time axis labelled by month up to this many years, by year beyond.
MONTHLY_AXIS_YEARS = 3


def _is_class_target(target: Target) -> bool:
    """A water-quality class goal ("III类"): values are classes I … 劣V, not quantities."""
    feed = getattr(target, "feed", None)  # monitoring fills the values (ecogov.monitoring)
    return feed is not None and feed.metric == type(feed).Metric.WATER_CLASS


def _grades() -> list[str]:
    return [gettext("Class %(cls)s") % {"cls": grade} for grade in water.GRADES]


def _grade(number) -> str | None:
    """A class number of GB 3838-2002 (1 … 6, as monitoring.stats stores it) as its class."""
    grades, index = _grades(), int(number) - 1
    return grades[index] if 0 <= index < len(grades) else None


def target_value_texts(target: Target, values: list[TargetValue]) -> list[str]:
    """The measured values as the page writes them: 32.1, "Class III"."""
    if _is_class_target(target):
        return [_grade(v.value) or plain(v.value) for v in values]
    return [plain(v.value, target.places) for v in values]


def target_chart(
    target: Target,
    values: list[TargetValue],
    trend: list[tuple[datetime.date, float]],
    *,
    today: datetime.date,
) -> dict:
    """What the target's ECharts chart draws: the measured values, the trend, the goal,
    and axes that fit the target. The time axis spans the target's period in whole years
    (a 2026 target: 2026-01-01 to 2026-12-31, labelled by month), never the hours between
    two values; a class target has the classes I … 劣V on a category axis."""
    goal = target.goal[0]
    years = [v.date.year for v in values] + [target.year or today.year]
    first, last = min(years), max(years)
    monthly = last - first < MONTHLY_AXIS_YEARS
    x_axis = {
        "type": "time",
        "min": datetime.date(first, 1, 1).isoformat(),
        "max": datetime.date(last, 12, 31).isoformat(),
        "granularity": "month" if monthly else "year",
        "format": "{yyyy}-{MM}" if monthly else "{yyyy}",
        "minIntervalDays": 28 if monthly else 365,
    }
    chart = {
        "name": formula_text(target.indicator),
        "unit": formula_text(target.unit),
        "xAxis": x_axis,
        "labels": {
            "measured": str(_("measured")),
            "trend": str(_("trend")),
            "target": str(_("target")),
        },
    }
    if _is_class_target(target):
        # GB 3838-2002: class numbers 1 … 6 stand for I … V and 劣V (monitoring.stats).
        grade = _grade
        chart |= {
            "yAxis": {"type": "category", "data": _grades()},
            "values": [[v.date.isoformat(), grade(v.value)] for v in values],
            "trend": [],
            "target": grade(goal) if goal is not None else None,
            "targetText": grade(goal) if goal is not None else "",
        }
        return chart
    places = target.places
    chart |= {
        "yAxis": {"type": "value", "name": chart["unit"]},
        "values": [[v.date.isoformat(), float(round(v.value, places))] for v in values],
        "trend": [[day.isoformat(), round(value, places)] for day, value in trend],
        "target": float(goal) if goal is not None else None,
        "targetText": with_unit(goal, chart["unit"], places) if goal is not None else "",
    }
    return chart
