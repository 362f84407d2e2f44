"""Plan tasks on the one supervision scan: their colour comes from the monthly dispatch
status and the deadline month by the shared rules (``selectors.task_colour_and_stage``);
when it changes the lead units are told, and an overdue task escalates to the leaders
and the discipline commission like every other supervised item. The change is kept in
the task's history."""

import datetime

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from ecogov.domain.supervision import Clock, Colour, Level
from ecogov.domain.taskstatus import month_end
from ecogov.plans.models import Task, TaskReport, TaskUnit
from ecogov.plans.selectors import STATUS_LABELS, last_due, task_colour_and_stage, task_status_of
from ecogov.supervision import clocks
from ecogov.supervision.models import Kind
from ecogov.supervision.notify import Message


def _rows():
    return (
        Task.objects.filter(Q(completed_on=None) | Q(ongoing=True))
        .select_related("plan", "plan__jurisdiction")
        .prefetch_related(Prefetch("reports", queryset=TaskReport.objects.order_by("period")))
    )


def _clock(task: Task) -> Clock | None:
    start = task.plan.imported_on
    due = month_end(task.deadline) if task.deadline and not task.ongoing else start
    return Clock(min(start, due), due, workdays=False)


def _status(task: Task, today: datetime.date) -> str:
    return task_status_of(task, today=today, due=last_due(today))


def _judge(task: Task, today: datetime.date, count):
    return task_colour_and_stage(task, _status(task, today), today, count)


def _leads(task: Task) -> list:
    return [
        link.unit
        for link in TaskUnit.objects.filter(task=task, role=TaskUnit.Role.LEAD).select_related(
            "unit"
        )
        if link.unit is not None
    ]


def _record(task: Task, what: str, colour, note: str, at) -> None:
    label = _("supervision notice") if what == clocks.NOTICE else _("escalated")
    task._change_reason = f"{label}：{note}" if note else label


def _message(task: Task, colour) -> Message:
    status = STATUS_LABELS["overdue" if colour == Colour.RED else "lagging"]
    return Message(
        _("Plan task %(number)s “%(title)s”: %(status)s")
        % {"number": task.number, "title": task.title, "status": status},
        task.plan.title, task.get_absolute_url(), str(colour),
    )  # fmt: skip


def register() -> None:
    clocks.register(
        clocks.Timed(
            kind=Kind.TASK,
            rows=_rows,
            clock=_clock,
            level=lambda task: Level.GENERAL,
            step=lambda task: (task.deadline, task.ongoing, task.completed_on),
            owing=_leads,
            record=_record,
            message=_message,
            judge=_judge,
            area=lambda task: task.plan.jurisdiction,
            facts=lambda task, today: {"status": _status(task, today)},
        )  # fmt: skip
    )
