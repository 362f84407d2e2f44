"""Next year's holiday table: the home page warns from the autumn on, and a deadline
refused for want of it says so in Chinese (issue 17, the December dispatch)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from ecogov.holidays.services import calendar_year_complete
from ecogov.plans.dispatch import dispatch_run
from ecogov.plans.models import Dispatch
from ecogov.plans.sample import plans_sample_load
from ecogov.standards.workdays import CalendarUnknown, WorkCalendar
from ecogov.web import views

pytestmark = pytest.mark.django_db
D = datetime.date
WARNING = 'id="holiday-warning"'


@pytest.fixture
def today(monkeypatch):
    """Sets the day the home page believes it is."""

    def set_today(day: datetime.date):
        monkeypatch.setattr(views, "_today", lambda: day)

    return set_today


def home(client_for, user) -> str:
    response = client_for(user).get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def plan(personas):
    plan = plans_sample_load()[0]
    type(plan).objects.filter(pk=plan.pk).update(imported_on=D(2026, 1, 1))
    plan.refresh_from_db()
    return plan


def test_a_dispatch_refused_for_an_undeclared_year_says_so_in_chinese(plan):
    report = dispatch_run(today=D(2027, 1, 4), calendar=WorkCalendar())
    assert report.problems
    problem = report.problems[0]
    assert "2027" in problem and "节假日" in problem
    assert "no working-day calendar" not in problem
    assert not Dispatch.objects.filter(period=D(2026, 12, 1)).exists()


def test_the_dispatch_command_reports_the_refusal_in_chinese(plan):
    err = io.StringIO()
    call_command("dispatch", "run", "--today", "2027-01-04", stdout=io.StringIO(), stderr=err)
    assert "2027" in err.getvalue() and "工作日历" in err.getvalue()
    assert "no working-day calendar" not in err.getvalue()


def test_the_plan_page_says_why_the_dispatch_did_not_open(plan, personas, client_for, monkeypatch):
    from ecogov.plans import views as plan_views

    monkeypatch.setattr(plan_views, "_today", lambda: D(2027, 1, 4))
    page = client_for(personas.dora).get(plan.get_absolute_url()).content.decode()
    assert "2026-12" in page and "节假日" in page


def test_the_refusal_carries_the_year():
    with pytest.raises(CalendarUnknown) as error:
        WorkCalendar().add_workdays(D(2026, 12, 31), 3)
    assert error.value.year == 2027


@pytest.mark.parametrize("role", ["ada", "dora"])
def test_administrators_and_dispatchers_are_warned_from_october(role, personas, client_for, today):
    user = getattr(personas, role)
    today(D(2026, 9, 30))
    assert WARNING not in home(client_for, user)
    today(D(2026, 10, 1))
    page = home(client_for, user)
    assert WARNING in page and "2027" in page and "节假日" in page


def test_only_the_administrator_gets_the_link_to_the_back_office(personas, client_for, today):
    today(D(2026, 12, 3))
    link = reverse("admin:holidays_calendarday_changelist")
    assert link in home(client_for, personas.ada)
    page = home(client_for, personas.dora)
    assert WARNING in page and link not in page
    assert "管理员" in page and str(personas.ada) in page  # who can enter it


@pytest.mark.parametrize("role", ["liam", "gary", "lena", "ian"])
def test_other_roles_are_not_warned(role, personas, client_for, today):
    today(D(2026, 12, 3))
    assert WARNING not in home(client_for, getattr(personas, role))


def test_the_warning_goes_once_the_year_is_declared_complete(personas, client_for, today):
    today(D(2026, 11, 20))
    assert WARNING in home(client_for, personas.ada)
    calendar_year_complete(year=2027, source="国办发明电〔2026〕×号", by=personas.ada)
    assert WARNING not in home(client_for, personas.ada)


def test_in_january_the_current_year_is_warned_about_if_still_undeclared(
    personas, client_for, today
):
    today(D(2027, 1, 4))
    page = home(client_for, personas.dora)
    assert WARNING in page and "2027" in page
    calendar_year_complete(year=2027, source="国办发明电〔2026〕×号", by=personas.ada)
    assert WARNING not in home(client_for, personas.dora)


def test_the_warning_starts_on_the_configured_day(personas, client_for, today, settings):
    settings.ECOGOV_HOLIDAYS_WARN_FROM = "11-15"
    today(D(2026, 11, 14))
    assert WARNING not in home(client_for, personas.ada)
    today(D(2026, 11, 15))
    assert WARNING in home(client_for, personas.ada)
