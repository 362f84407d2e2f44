"""Working days on the Chinese calendar, with 调休 and the administrator's holiday table.

Dates of 2025 and 2026 from the State Council arrangements as the chinese-calendar
package records them (shared/reference/standards.md §6).
"""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecogov.standards import workdays
from ecogov.standards.workdays import CalendarUnknown, HolidayTable, WorkCalendar, table_from

D = datetime.date


@pytest.mark.parametrize(
    "day, working",
    [
        (D(2025, 9, 28), True),   # Sunday worked for National Day (调休上班)
        (D(2025, 10, 1), False),  # National Day
        (D(2025, 10, 8), False),  # Wednesday off in exchange
        (D(2025, 10, 9), True),
        (D(2025, 10, 11), True),  # Saturday worked
        (D(2025, 10, 12), False),  # ordinary Sunday
        (D(2026, 2, 14), True),   # Saturday worked for Spring Festival
        (D(2026, 2, 16), False),  # Spring Festival, a Monday
        (D(2026, 2, 28), True),
        (D(2026, 10, 10), True),
        (D(2026, 11, 23), True),  # an ordinary Monday
    ],
)  # fmt: skip
def test_is_workday(day, working):
    assert workdays.is_workday(day) is working


@pytest.mark.parametrize(
    "start, n, expected",
    [
        (D(2025, 9, 30), 1, D(2025, 10, 9)),   # the holiday week is skipped
        (D(2025, 9, 26), 1, D(2025, 9, 28)),   # the exchanged Sunday counts
        (D(2025, 9, 26), 2, D(2025, 9, 29)),
        (D(2025, 10, 1), 0, D(2025, 10, 1)),
        (D(2025, 10, 9), -1, D(2025, 9, 30)),  # counting backwards
        (D(2025, 10, 4), -1, D(2025, 9, 30)),  # from inside the holiday
        (D(2026, 11, 20), 2, D(2026, 11, 24)),  # Friday + 2 = Tuesday
        (D(2025, 12, 30), 3, D(2026, 1, 5)),   # across New Year into 2026
    ],
)  # fmt: skip
def test_add_workdays(start, n, expected):
    assert workdays.add_workdays(start, n) == expected


def test_a_datetime_counts_as_its_day():
    assert workdays.add_workdays(datetime.datetime(2025, 9, 30, 17, 45), 1) == D(2025, 10, 9)


def test_a_deadline_into_an_unknown_year_is_refused_not_guessed():
    calendar = WorkCalendar()
    with pytest.raises(CalendarUnknown) as error:
        calendar.add_workdays(D(2026, 12, 28), 5)
    assert error.value.year == 2027
    assert "2027" in str(error.value)
    with pytest.raises(CalendarUnknown):
        calendar.is_workday(D(2027, 1, 4))
    with pytest.raises(CalendarUnknown):
        calendar.workdays_between(D(2026, 12, 1), D(2027, 1, 10))


def test_the_administrators_table_extends_the_calendar_to_a_new_year():
    # As an administrator would enter it once the 2027 arrangement is published
    # (illustrative days: New Year's Day 2027 is a Friday).
    table = table_from(holidays=[D(2027, 1, 1)], complete_years=[2027])
    calendar = WorkCalendar(table)
    assert calendar.add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert calendar.add_workdays(D(2026, 12, 28), 5) == D(2027, 1, 5)
    assert calendar.workdays_between(D(2026, 12, 31), D(2027, 1, 4)) == 1


def test_the_tables_entries_win_over_the_package():
    table = table_from(holidays=[D(2026, 5, 6)], workdays=[D(2026, 5, 10)])
    calendar = WorkCalendar(table)
    assert not calendar.is_workday(D(2026, 5, 6))  # the package says Wednesday works
    assert calendar.is_workday(D(2026, 5, 10))  # the package says Sunday is off
    assert calendar.add_workdays(D(2026, 5, 5), 1) == D(2026, 5, 7)


def test_a_day_cannot_be_both_holiday_and_workday():
    with pytest.raises(ValueError):
        HolidayTable(frozenset({D(2026, 1, 1)}), frozenset({D(2026, 1, 1)}))


def test_configure_installs_the_table_for_the_module_functions():
    try:
        workdays.configure(table_from(holidays=[D(2027, 1, 1)], complete_years=[2027]))
        assert workdays.add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)
    finally:
        workdays.configure(HolidayTable())
    with pytest.raises(CalendarUnknown):
        workdays.add_workdays(D(2026, 12, 31), 1)


def test_workdays_between():
    assert workdays.workdays_between(D(2025, 9, 26), D(2025, 10, 12)) == 6
    assert workdays.workdays_between(D(2025, 10, 12), D(2025, 9, 26)) == -6
    assert workdays.workdays_between(D(2025, 10, 1), D(2025, 10, 1)) == 0


days = st.dates(min_value=D(2005, 6, 1), max_value=D(2026, 6, 30))
ONE = datetime.timedelta(days=1)


@given(days, st.integers(min_value=-300, max_value=120))
@settings(max_examples=500, deadline=None)
def test_between_inverts_add(start, n):
    end = workdays.add_workdays(start, n)
    if n >= 0:  # working days in (start, end]
        assert workdays.workdays_between(start, end) == n
    else:  # working days in [end, start)
        assert workdays.workdays_between(end - ONE, start - ONE) == -n
    if n:
        assert workdays.is_workday(end)
        assert (end > start) == (n > 0)


@given(days, st.integers(min_value=1, max_value=40))
@settings(max_examples=200, deadline=None)
def test_add_agrees_with_a_day_by_day_walk(start, n):
    day, remaining = start, n
    while remaining:
        day += ONE
        if workdays.is_workday(day):
            remaining -= 1
    assert workdays.add_workdays(start, n) == day


def test_an_unknown_year_counts_weekdays_when_asked():
    strict = WorkCalendar()
    with pytest.raises(CalendarUnknown):
        strict.add_workdays(datetime.date(2099, 12, 31), 1)
    lenient = WorkCalendar(weekdays_when_unknown=True)
    assert lenient.add_workdays(datetime.date(2099, 12, 31), 1) == datetime.date(2100, 1, 1)
    assert lenient.workdays_between(datetime.date(2100, 1, 1), datetime.date(2100, 1, 8)) == 5
