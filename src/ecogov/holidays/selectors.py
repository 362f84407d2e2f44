from django.db.models import Count, Max

from ecogov.holidays.models import CalendarDay, CalendarYear
from ecogov.standards.workdays import HolidayTable, WorkCalendar, table_from

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
