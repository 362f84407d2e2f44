import datetime

from django.conf import settings
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from ecogov.holidays.models import CalendarDay, CalendarYear
from ecogov.standards.workdays import CalendarUnknown, HolidayTable, WorkCalendar, table_from

_cache: dict[tuple, WorkCalendar] = {}


def holiday_table() -> HolidayTable:
    days = CalendarDay.objects.values_list("date", "kind")
    return table_from(
        holidays=[day for day, kind in days if kind == CalendarDay.Kind.HOLIDAY],
        workdays=[day for day, kind in days if kind == CalendarDay.Kind.WORKDAY],
        complete_years=CalendarYear.objects.values_list("year", flat=True),
    )


def work_calendar(*, weekdays_when_unknown: bool = False) -> WorkCalendar:
    """The calendar deadlines use: the package plus the administrator's table.

    Rebuilt only when the table changed (its size or last history entry moved), so that
    every process sees an administrator's entry at its next deadline computation.
    """
    key = (
        CalendarDay.objects.aggregate(n=Count("pk"))["n"],
        CalendarDay.history.aggregate(last=Max("history_date"))["last"],
        CalendarYear.objects.aggregate(n=Count("pk"))["n"],
        CalendarYear.history.aggregate(last=Max("history_date"))["last"],
        weekdays_when_unknown,
    )
    calendar = _cache.get(key)
    if calendar is None:
        if len(_cache) > 4:
            _cache.clear()
        calendar = _cache[key] = WorkCalendar(
            holiday_table(), weekdays_when_unknown=weekdays_when_unknown
        )
    return calendar


def calendar_refusal(error: CalendarUnknown) -> str:
    """What a refused deadline says, in the reader's language: workdays.py raises
    CalendarUnknown with the year and no Django, the Django layer words it here."""
    return _(
        "No working-day calendar for %(year)d yet: the deadline cannot be computed until an "
        "administrator enters that year's public holidays and exchanged working days (the "
        "State Council's notice on holiday arrangements) in the holiday table and declares "
        "the year complete."
    ) % {"year": error.year}


def years_to_declare(*, today: datetime.date) -> list[int]:
    """The years whose holiday table must be entered soon: the current year whenever no
    calendar knows it (its deadlines are refused already), and the next year from
    ``ECOGOV_HOLIDAYS_WARN_FROM`` (1 October) on."""
    calendar = work_calendar()
    month, day = (int(part) for part in settings.ECOGOV_HOLIDAYS_WARN_FROM.split("-"))
    years = [today.year]
    if (today.month, today.day) >= (month, day):
        years.append(today.year + 1)
    return [year for year in years if not calendar.knows(year)]
