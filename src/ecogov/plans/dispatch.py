"""Monthly dispatch, quarterly supervision and the annual notice (seed 004 §四.(三):
月调度、季督办、年通报; seed 001 §三.(二): 按月调度、按季考核, ranking published).

The dispatch of month M opens when M closes; the units that lead or support an open
task report on M by the ``ECOGOV_DISPATCH_DUE_WORKDAY``-th working day of M+1.
Reminders go to the units whose reports are missing (recorded here, and told to the
units' liaisons through the one notifier): once shortly before the due day and once
after it. ``dispatch_run`` does all of it for a day and can run any number of times: it
changes nothing the second time.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ecogov.domain.taskstatus import LAGGING, OVERDUE, month_end, month_start, previous_month
from ecogov.holidays.selectors import calendar_refusal, work_calendar
from ecogov.org.models import Unit
from ecogov.plans.models import Dispatch, Plan, Reminder, Task, TaskReport, TaskUnit
from ecogov.plans.selectors import due_date, last_due, task_status_of
from ecogov.standards.workdays import CalendarUnknown, WorkCalendar
from ecogov.supervision.notify import Message, notify, people_of

log = logging.getLogger(__name__)
REPORTING_ROLES = (TaskUnit.Role.LEAD, TaskUnit.Role.SUPPORT)


def open_tasks(plan: Plan, period: datetime.date):
    """Tasks that must be reported on for ``period``: not done before it ended."""
    return plan.tasks.exclude(completed_on__lte=month_end(period), ongoing=False)


def dispatch_missing(dispatch: Dispatch) -> dict[Unit, list[Task]]:
    """Per registered unit, the open tasks it has not reported on for the month."""
    reported = set(
        TaskReport.objects.filter(task__plan=dispatch.plan, period=dispatch.period).values_list(
            "task_id", "unit_id"
        )
    )
    missing: dict[Unit, list[Task]] = {}
    links = (
        TaskUnit.objects.filter(
            task__in=open_tasks(dispatch.plan, dispatch.period),
            role__in=REPORTING_ROLES,
            unit__isnull=False,
        )
        .select_related("unit", "task")
        .order_by("unit__order", "task__order")
    )
    for link in links:
        if (link.task_id, link.unit_id) not in reported:
            tasks = missing.setdefault(link.unit, [])
            if link.task not in tasks:
                tasks.append(link.task)
    return missing


@dataclass
class RunReport:
    opened: list[Dispatch] = field(default_factory=list)
    reminders: list[Reminder] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def dispatch_run(*, today: datetime.date, calendar: WorkCalendar | None = None) -> RunReport:
    """Open the dispatch of the month that just closed and send the reminders that are due."""
    calendar = calendar or work_calendar()
    report = RunReport()
    period = previous_month(today)
    for plan in Plan.objects.all():
        if month_start(plan.imported_on) > period:
            continue  # the plan arrived after that month: nothing to report on yet
        try:
            due = due_date(period, calendar)
            remind_from = calendar.add_workdays(due, -settings.ECOGOV_DISPATCH_REMIND_BEFORE)
        except CalendarUnknown as error:
            report.problems.append(f"{plan}: {calendar_refusal(error)}")
            log.error("dispatch of %s: %s", plan, error)
            continue
        dispatch, created = Dispatch.objects.get_or_create(
            plan=plan, period=period, defaults={"opened_on": today, "due_on": due}
        )
        if created:
            report.opened.append(dispatch)
        if today < remind_from:
            continue
        kind = Reminder.Kind.DUE_SOON if today <= dispatch.due_on else Reminder.Kind.OVERDUE
        for unit, tasks in dispatch_missing(dispatch).items():
            reminder = _remind(dispatch, unit, kind, tasks, today)
            if reminder is not None:
                report.reminders.append(reminder)
    return report


def _remind(dispatch: Dispatch, unit: Unit, kind: str, tasks: list[Task], today) -> Reminder | None:
    # Claimed by the unique constraint, so that two runs never send the same reminder.
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                dispatch=dispatch, unit=unit, kind=kind, sent_on=today
            )
    except IntegrityError:
        return None
    reminder.tasks.set(tasks)
    subject = _("%(plan)s: the progress reports on %(month)s are due %(due)s (%(n)d tasks)") % {
        "plan": dispatch.plan.title, "month": f"{dispatch.period:%Y-%m}",
        "due": dispatch.due_on, "n": len(tasks),
    }  # fmt: skip
    body = "\n".join(f"{task.number} {task.title}" for task in tasks)
    notify(people_of(units=[unit]), Message(subject, body, dispatch.plan.get_absolute_url()))
    return reminder


def reminders_for(unit: Unit, *, today: datetime.date) -> list[Reminder]:
    """The latest reminder of each dispatch whose reports the unit still owes."""
    latest: dict[int, Reminder] = {}
    reminders = Reminder.objects.filter(unit=unit, sent_on__lte=today).select_related(
        "dispatch", "dispatch__plan"
    )
    for reminder in reminders.order_by("sent_on"):
        latest[reminder.dispatch_id] = reminder
    return [r for r in latest.values() if unit in dispatch_missing(r.dispatch)]


@dataclass
class SupervisionEntry:
    unit: Unit | str
    tasks: list[tuple[Task, str]]


def supervision_list(plan: Plan, *, quarter_end: datetime.date) -> list[SupervisionEntry]:
    """季督办: per lead unit, its lagging and overdue tasks as of the quarter's end."""
    entries: dict[object, SupervisionEntry] = {}
    tasks = (
        plan.tasks.prefetch_related("reports", "units__unit")
        .select_related("plan")
        .order_by("order")
    )
    due = last_due(quarter_end)
    for task in tasks:
        status = task_status_of(task, today=quarter_end, due=due)
        if status not in (LAGGING, OVERDUE):
            continue
        for link in task.units.all():
            if link.role != TaskUnit.Role.LEAD:
                continue
            key = link.unit or link.name
            entries.setdefault(key, SupervisionEntry(key, [])).tasks.append((task, status))
    return sorted(entries.values(), key=lambda entry: -len(entry.tasks))


@dataclass
class RankingRow:
    unit: Unit
    expected: int = 0
    on_time: int = 0
    due_tasks: int = 0
    done: int = 0
    overdue: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.expected if self.expected else None

    @property
    def completion_rate(self) -> float | None:
        return self.done / self.due_tasks if self.due_tasks else None

    @property
    def score(self) -> float | None:
        """On-time reporting and completion of the tasks due, equally weighted (out of 100),
        minus 5 points per overdue task; None when the year asked nothing of the unit yet."""
        parts = [rate for rate in (self.on_time_rate, self.completion_rate) if rate is not None]
        if not parts:
            return None
        return round(100 * sum(parts) / len(parts) - 5 * self.overdue, 1)


def annual_ranking(plan: Plan, *, year: int, today: datetime.date) -> list[RankingRow]:
    """年通报: the lead units ranked by on-time reporting, completion and overdue tasks."""
    rows: dict[int, RankingRow] = {}
    dispatches = list(plan.dispatches.filter(period__year=year))
    links = TaskUnit.objects.filter(
        task__plan=plan, role=TaskUnit.Role.LEAD, unit__isnull=False
    ).select_related("unit", "task")
    reports = {
        (r.task_id, r.unit_id, r.period): r.reported_at.date()
        for r in TaskReport.objects.filter(task__plan=plan, period__year=year)
    }
    end = min(today, datetime.date(year, 12, 31))
    for link in links:
        row = rows.setdefault(link.unit_id, RankingRow(link.unit))
        task = link.task
        for dispatch in dispatches:
            if (
                task.completed_on
                and not task.ongoing
                and task.completed_on <= month_end(dispatch.period)
            ):
                continue
            row.expected += 1
            filed = reports.get((task.pk, link.unit_id, dispatch.period))
            if filed is not None and filed <= dispatch.due_on:
                row.on_time += 1
        if task.deadline and task.deadline.year == year and not task.ongoing:
            # A task counts once it is done or its deadline month has passed.
            if task.completed_on:
                row.due_tasks += 1
                row.done += 1
            elif end > month_end(task.deadline):
                row.due_tasks += 1
                row.overdue += 1
    return sorted(
        rows.values(), key=lambda row: (row.score is None, -(row.score or 0), row.unit.order)
    )
