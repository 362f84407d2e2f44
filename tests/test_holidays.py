"""The administrator's holiday table feeds the working-day calendar of deadlines."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from ecogov.holidays.models import CalendarDay
from ecogov.holidays.selectors import work_calendar
from ecogov.standards.workdays import CalendarUnknown

pytestmark = pytest.mark.django_db
D = datetime.date


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_a_deadline_into_2027_waits_for_the_administrator():
    with pytest.raises(CalendarUnknown):
        work_calendar().add_workdays(D(2026, 12, 30), 3)
    # As the administrator enters the arrangement once published (illustrative days).
    run("holidays", "add", "2027-01-01", "--kind", "holiday", "--name", "元旦")
    with pytest.raises(CalendarUnknown):  # entries alone do not make the year known
        work_calendar().add_workdays(D(2026, 12, 30), 3)
    run("holidays", "complete", "2027", "--source", "国办发明电〔2026〕×号")
    assert work_calendar().add_workdays(D(2026, 12, 30), 3) == D(2027, 1, 5)


def test_an_entry_overrides_the_package_at_once():
    calendar = work_calendar()
    assert calendar.is_workday(D(2026, 5, 6))
    run("holidays", "add", "2026-05-06", "--kind", "holiday")
    assert not work_calendar().is_workday(D(2026, 5, 6))
    run("holidays", "add", "2026-05-06", "--kind", "workday")
    assert work_calendar().is_workday(D(2026, 5, 6))
    assert CalendarDay.objects.count() == 1
    assert CalendarDay.history.count() == 2


def test_list_and_bad_input():
    run("holidays", "add", "2027-02-06", "2027-02-07", "--kind", "holiday", "--name", "春节")
    listed = json.loads(run("holidays", "list", "--json"))
    assert [day["date"] for day in listed["days"]] == ["2027-02-06", "2027-02-07"]
    with pytest.raises(CommandError):
        run("holidays", "add", "2027-02-30", "--kind", "holiday")
    with pytest.raises(CommandError):
        run("holidays", "add", "2027-02-08", "--kind", "vacation")
