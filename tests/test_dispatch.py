"""A simulated year of monthly dispatch on the working-day calendar (seed 004 §四.(三)).

Every day from December 2025 to the end of 2026 runs the nightly job. 区城乡建设局 reports on each of its tasks on
the last working day of each month; 区农业农村局 never reports. The year is simulated
once for the module, in a transaction rolled back at its end.
"""

import datetime

import pytest
from django.db import transaction
from django.test import override_settings

from ecogov.org.selectors import unit_find
from ecogov.plans.dispatch import annual_ranking, dispatch_missing, dispatch_run, supervision_list
from ecogov.plans.models import Dispatch, Reminder, Task, TaskReport, TaskUnit
from ecogov.plans.sample import plans_sample_load
from ecogov.plans.selectors import ledger
from ecogov.plans.services import task_report_file
from ecogov.standards.workdays import WorkCalendar
from ecogov.testing import make_personas

D = datetime.date
ONE = datetime.timedelta(days=1)


pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def year(django_db_setup, django_db_blocker):
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), transaction.atomic(), fast:
        yield _simulate(make_personas())
        transaction.set_rollback(True)


def last_workday(calendar: WorkCalendar, day: datetime.date) -> datetime.date:
    last = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - ONE
    while not calendar.is_workday(last):
        last -= ONE
    return last


def _simulate(personas):
    plans = plans_sample_load()
    plan = plans[0]  # 城中区 2024–2026 action plan
    type(plan).objects.filter(pk=plan.pk).update(imported_on=D(2025, 12, 1))
    plan.refresh_from_db()
    type(plan).objects.exclude(pk=plan.pk).delete()  # Wuhai's plan is not part of this story
    calendar = WorkCalendar()
    construction = personas.construction
    agriculture = unit_find(personas.district, "区农业农村局")
    diligent_tasks = list(
        Task.objects.filter(
            plan=plan, units__unit=construction, units__role__in=["lead", "support"]
        ).distinct()
    )
    day = D(2025, 12, 1)  # the plan entered EcoGov on 1 December 2025
    runs = []
    while day <= D(2026, 12, 31):
        runs.append((day, dispatch_run(today=day, calendar=calendar)))
        if day == last_workday(calendar, day):
            period = day.replace(day=1)  # the last working day of the month
            for task in diligent_tasks:
                if not TaskReport.objects.filter(
                    task=task, unit=construction, period=period
                ).exists():
                    report = task_report_file(
                        task=task, unit=construction, period=period, text=f"{period:%Y-%m} 进展",
                        percent=min(100, (period.month + 1) * 8), by=personas.liam, today=day,
                    )  # fmt: skip
                    TaskReport.objects.filter(pk=report.pk).update(
                        reported_at=datetime.datetime.combine(
                            day, datetime.time(9), tzinfo=datetime.UTC
                        )
                    )
        day += ONE
    return plan, construction, agriculture, runs


def test_twelve_dispatches_open_once_each(year):
    plan, *_ = year
    periods = list(
        Dispatch.objects.filter(plan=plan).order_by("period").values_list("period", flat=True)
    )
    assert periods == [D(2025, 12, 1)] + [D(2026, month, 1) for month in range(1, 12)]


@pytest.mark.parametrize(
    "period, due",
    [
        (D(2026, 1, 1), D(2026, 2, 4)),  # Jan 31 is a Saturday: Feb 2, 3, 4
        (D(2026, 9, 1), D(2026, 10, 10)),  # National Day: Oct 8, 9 and Saturday Oct 10 (调休上班)
        (D(2026, 4, 1), D(2026, 5, 8)),  # Labour Day May 1–5: May 6, 7, 8
    ],
)
def test_reports_are_due_on_working_days(year, period, due):
    plan, *_ = year
    assert Dispatch.objects.get(plan=plan, period=period).due_on == due


def test_the_unit_that_never_reports_is_reminded_twice_a_month_and_only_twice(year):
    plan, construction, agriculture, runs = year
    reminders = Reminder.objects.filter(unit=agriculture)
    assert reminders.filter(kind="due_soon").count() == 12
    assert reminders.filter(kind="overdue").count() == 12
    first = reminders.get(dispatch__period=D(2026, 1, 1), kind="due_soon")
    assert first.sent_on == D(2026, 2, 2)  # two working days before Feb 4
    assert {task.number for task in first.tasks.all()} >= {"9(2)", "11(2)", "12"}
    assert not Reminder.objects.filter(unit=construction).exists()


def test_nothing_is_missing_for_the_diligent_unit(year):
    plan, construction, agriculture, _ = year
    dispatch = Dispatch.objects.get(plan=plan, period=D(2026, 6, 1))
    missing = dispatch_missing(dispatch)
    assert construction not in missing and agriculture in missing


def test_statuses_at_the_end_of_the_year(year):
    plan, construction, agriculture, _ = year
    rows = {row.task.number: row.status for row in ledger(plan.tasks.all(), today=D(2026, 12, 31))}
    assert rows["10"] == "on_track"  # 区城乡建设局 leads, reports monthly with progress
    assert rows["9(2)"] == "lagging"  # 区农业农村局 leads, never reports
    assert rows["5"] == "overdue"  # due 2024-12, never done


def test_quarterly_supervision_names_the_lagging_unit(year):
    plan, construction, agriculture, _ = year
    entries = {entry.unit: entry for entry in supervision_list(plan, quarter_end=D(2026, 6, 30))}
    assert agriculture in entries
    assert {task.number for task, _status in entries[agriculture].tasks} >= {"9(2)", "11(2)"}
    assert construction not in entries or all(
        status == "overdue" or task.units.filter(role="lead", unit=construction).count() == 0
        for task, status in entries[construction].tasks
    )


def test_the_annual_notice_ranks_the_diligent_unit_above_the_silent_one(year):
    plan, construction, agriculture, _ = year
    ranking = annual_ranking(plan, year=2026, today=D(2026, 12, 31))
    units = [row.unit for row in ranking]
    assert units.index(construction) < units.index(agriculture)
    silent = next(row for row in ranking if row.unit == agriculture)
    diligent = next(row for row in ranking if row.unit == construction)
    assert silent.on_time == 0 and silent.expected > 0
    assert diligent.on_time == diligent.expected


def test_running_again_changes_nothing(year):
    plan, *_ = year
    before = (Dispatch.objects.count(), Reminder.objects.count())
    report = dispatch_run(today=D(2026, 12, 31), calendar=WorkCalendar())
    assert report.opened == [] and report.reminders == []
    assert (Dispatch.objects.count(), Reminder.objects.count()) == before


def test_a_month_whose_due_day_lies_in_an_unknown_year_is_reported_not_guessed(year):
    report = dispatch_run(today=D(2027, 1, 2), calendar=WorkCalendar())
    assert report.problems and "2027" in report.problems[0]
    assert not Dispatch.objects.filter(period=D(2026, 12, 1)).exists()


def test_supporting_units_report_too_but_only_registered_ones_are_reminded(year):
    plan, *_ = year
    assert not Reminder.objects.filter(unit__isnull=True).exists()
    assert TaskUnit.objects.filter(task__plan=plan, unit__isnull=True).exists()
