"""The status of a plan task, from its deadline and its progress reports.

Framework-free. Seed 004 §四.(三) and seed 001 §三.(二): tasks are dispatched monthly
(月调度); a unit that does not report, or reports no progress, is lagging (进度明显
滞后), and is named in the quarterly supervision list and the annual notice.

- done: completed, with the evidence of completion;
- overdue: past the end of its deadline month and not done;
- lagging: no report for the last closed month, or the last two reports show no
  progress;
- on track: reported for the last closed month, with progress;
- not started: no report yet and nothing due yet.
Ongoing tasks (持续推进) report forever: they are never overdue nor done.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

NOT_STARTED = "not_started"
ON_TRACK = "on_track"
LAGGING = "lagging"
OVERDUE = "overdue"
DONE = "done"
STATUSES = (NOT_STARTED, ON_TRACK, LAGGING, OVERDUE, DONE)


@dataclass(frozen=True)
class Report:
    period: datetime.date  # the first day of the month reported on
    percent: Decimal | None = None
    milestone: str = ""


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def previous_month(day: datetime.date) -> datetime.date:
    first = month_start(day)
    return (first - datetime.timedelta(days=1)).replace(day=1)


def month_end(first: datetime.date) -> datetime.date:
    following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def task_status(
    *,
    deadline: datetime.date | None,
    ongoing: bool,
    completed: bool,
    reports: list[Report],
    today: datetime.date,
    started: datetime.date | None = None,
    last_due: datetime.date | None = None,
) -> str:
    """The status on ``today``. ``deadline`` is the first day of the deadline month.

    ``started`` is when dispatching began for the task (the plan's import): a month
    closed before it cannot be missed. ``last_due`` is the day the reports on the
    month that last closed are due: until then, that month's report is not missing.
    """
    if completed and not ongoing:
        return DONE
    if deadline is not None and not ongoing and today > month_end(deadline):
        return OVERDUE
    required = previous_month(today)
    if last_due is not None and today <= last_due:
        required = previous_month(required)
    ordered = sorted(reports, key=lambda report: report.period)
    if not ordered:
        if started is not None and month_start(started) > required:
            return NOT_STARTED  # no report has fallen due since dispatching began
        return LAGGING if started is not None else NOT_STARTED
    if ordered[-1].period < required:
        return LAGGING
    if len(ordered) >= 2 and not _progressed(ordered[-2], ordered[-1]):
        return LAGGING
    return ON_TRACK


def _progressed(before: Report, after: Report) -> bool:
    if before.percent is not None and after.percent is not None:
        return after.percent > before.percent or after.percent >= 100
    return bool(after.milestone) and after.milestone != before.milestone
