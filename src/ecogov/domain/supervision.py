"""The clocks of everything supervised (督办): when it is due, what colour it shows, when
it escalates. Cases, plan tasks, meeting resolutions, leaders' instructions, suggestions
and (next) rectification problems all use these rules; nothing else computes a colour.

An item owes one thing at a time (a case: acceptance, the result, the answer to the
reporter; a resolution: its completion, or for an ongoing one its next progress report),
each with a deadline counted in working days or in calendar days from the day it began. Seed 002 §四.(二) asks that
important items be supervised throughout, urgent items at once and general items
periodically; the issue fixes the colours:

- blue: the deadline approaches (half of the time is used);
- yellow: the unit is behind (four fifths of the time is used, or the deadline is today);
- red: the deadline has passed.

A red item that stays red escalates: first to the upper level (the bureau's dispatchers
and the leaders), then to the discipline commission's view. How soon depends on the
supervision level. Pure: the calendar arithmetic is passed in, so this runs without
Django and is tested on its own.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum, StrEnum

from ecogov.domain import taskstatus

BLUE_AT = 0.5
YELLOW_AT = 0.8


class Colour(StrEnum):
    NONE = ""
    BLUE = "blue"
    YELLOW = "yellow"
    RED = "red"


class Level(StrEnum):
    IMPORTANT = "important"  # 重要事项全程督办
    URGENT = "urgent"  # 紧急事项迅速督办
    GENERAL = "general"  # 一般事项定期督办


class Stage(IntEnum):
    NONE = 0
    UPPER = 1  # the upper level: the bureau's dispatchers and the leaders
    DISCIPLINE = 2  # the discipline commission's view


@dataclass(frozen=True)
class Supervision:
    """How one supervision level is followed."""

    notify: frozenset[Colour]  # colours whose arrival sends a notice to the unit
    upper_after: int  # working days red before the upper level is told
    discipline_after: int  # working days red before the discipline commission is


SUPERVISION = {
    Level.URGENT: Supervision(frozenset({Colour.BLUE, Colour.YELLOW, Colour.RED}), 1, 2),
    Level.IMPORTANT: Supervision(frozenset({Colour.BLUE, Colour.YELLOW, Colour.RED}), 2, 4),
    Level.GENERAL: Supervision(frozenset({Colour.YELLOW, Colour.RED}), 3, 6),
}


@dataclass(frozen=True)
class Clock:
    """A deadline: from ``start`` to ``due`` (both dates), counted in working days or not."""

    start: datetime.date
    due: datetime.date
    workdays: bool = True


Count = Callable[[datetime.date, datetime.date], int]  # days d with a < d ≤ b


def _calendar_days(a: datetime.date, b: datetime.date) -> int:
    return (b - a).days


def colour(clock: Clock, today: datetime.date, count_workdays: Count) -> Colour:
    if today > clock.due:
        return Colour.RED
    if today == clock.due:
        return Colour.YELLOW
    count = count_workdays if clock.workdays else _calendar_days
    total = count(clock.start, clock.due)
    if total <= 0:
        return Colour.YELLOW
    used = count(clock.start, today) / total
    if used >= YELLOW_AT:
        return Colour.YELLOW
    if used >= BLUE_AT:
        return Colour.BLUE
    return Colour.NONE


def overdue_workdays(clock: Clock, today: datetime.date, count_workdays: Count) -> int:
    """Working days past the deadline (0 while it has not passed)."""
    if today <= clock.due:
        return 0
    return max(count_workdays(clock.due, today), 1)


def stage(clock: Clock, today: datetime.date, level: Level, count_workdays: Count) -> Stage:
    """How far an overdue item has escalated by ``today``."""
    if today <= clock.due:
        return Stage.NONE
    late = overdue_workdays(clock, today, count_workdays)
    rule = SUPERVISION[level]
    if late >= rule.discipline_after:
        return Stage.DISCIPLINE
    if late >= rule.upper_after:
        return Stage.UPPER
    return Stage.NONE


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (the month's last day when it has fewer days)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    first_next = datetime.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    last = (first_next - datetime.timedelta(days=1)).day
    return datetime.date(year, month + 1, min(day.day, last))


def next_report_due(since: datetime.date, every_months: int) -> datetime.date:
    """An ongoing item (持续推进) reports every ``every_months`` months: its next report is
    due that many months after ``since`` (the assignment or the last report)."""
    return add_months(since, max(every_months, 1))


def task_colour(
    *,
    status: str,
    due: datetime.date | None,
    today: datetime.date,
    start: datetime.date | None,
    count_workdays: Count,
) -> Colour:
    """A plan task's colour from its dispatch status (``domain.taskstatus``) and its
    deadline (the last day of its deadline month): overdue is red, lagging in the monthly
    dispatch at least yellow, and otherwise the clock from the plan's issue to the
    deadline gives blue and yellow as for every other item."""
    if status == taskstatus.DONE:
        return Colour.NONE
    if status == taskstatus.OVERDUE:
        return Colour.RED
    timed = Colour.NONE
    if due is not None and start is not None and start <= due:
        timed = colour(Clock(start, due, workdays=False), today, count_workdays)
    if status == taskstatus.LAGGING and timed in (Colour.NONE, Colour.BLUE):
        return Colour.YELLOW
    return timed
