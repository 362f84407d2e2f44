"""Task status from deadline and monthly reports (seed 004 §四.(三): 月调度、季督办、年通报)."""

import datetime
from decimal import Decimal

import pytest

from ecogov.domain.taskstatus import Report, month_end, previous_month, task_status

D = datetime.date
MARCH = D(2026, 3, 1)
IMPORTED = D(2025, 12, 15)  # dispatching began in December


def status(today, reports=(), deadline=None, ongoing=False, completed=False, started=IMPORTED):
    return task_status(
        deadline=deadline,
        ongoing=ongoing,
        completed=completed,
        reports=list(reports),
        today=today,
        started=started,
    )


@pytest.mark.parametrize(
    "case, kwargs, expected",
    [
        ("nothing due before the first month closes", dict(today=D(2025, 12, 20)), "not_started"),
        ("no report for a closed month", dict(today=D(2026, 3, 10)), "lagging"),
        ("reported last month with progress", dict(today=D(2026, 3, 10), reports=[
            Report(D(2026, 1, 1), Decimal(10)), Report(D(2026, 2, 1), Decimal(30))]), "on_track"),
        ("reported last month without progress", dict(today=D(2026, 3, 10), reports=[
            Report(D(2026, 1, 1), Decimal(30)), Report(D(2026, 2, 1), Decimal(30))]), "lagging"),
        ("a new milestone is progress", dict(today=D(2026, 3, 10), reports=[
            Report(D(2026, 1, 1), milestone="立项"), Report(D(2026, 2, 1), milestone="开工")]), "on_track"),
        ("the last report is too old", dict(today=D(2026, 3, 10), reports=[Report(D(2026, 1, 1), Decimal(50))]), "lagging"),
        ("past the deadline month", dict(today=D(2026, 4, 1), deadline=MARCH), "overdue"),
        ("still inside the deadline month", dict(today=D(2026, 3, 31), deadline=MARCH, reports=[
            Report(D(2026, 2, 1), Decimal(90))]), "on_track"),
        ("done beats overdue", dict(today=D(2026, 5, 1), deadline=MARCH, completed=True), "done"),
        ("ongoing is never overdue", dict(today=D(2030, 1, 10), deadline=MARCH, ongoing=True, reports=[
            Report(D(2029, 12, 1), Decimal(1))]), "on_track"),
        ("ongoing is never done", dict(today=D(2026, 3, 10), ongoing=True, completed=True), "lagging"),
        ("100 % is progress even when repeated", dict(today=D(2026, 3, 10), reports=[
            Report(D(2026, 1, 1), Decimal(100)), Report(D(2026, 2, 1), Decimal(100))]), "on_track"),
    ],
)  # fmt: skip
def test_task_status(case, kwargs, expected):
    assert status(**kwargs) == expected, case


def test_month_helpers():
    assert previous_month(D(2026, 1, 15)) == D(2025, 12, 1)
    assert month_end(D(2024, 2, 1)) == D(2024, 2, 29)
    assert month_end(D(2026, 12, 1)) == D(2026, 12, 31)
