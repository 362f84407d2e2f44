import datetime

from django.db import transaction

from ecogov.holidays.models import CalendarDay, CalendarYear
from ecogov.org.services import audited_save


@transaction.atomic
def calendar_day_set(*, date: datetime.date, kind: str, name: str = "", by=None) -> CalendarDay:
    day = CalendarDay.objects.filter(date=date).first()
    if day is None or (day.kind, day.name) != (kind, name):
        day = day or CalendarDay(date=date)
        day.kind, day.name = kind, name
        audited_save(day, by=by)
    return day


@transaction.atomic
def calendar_year_complete(*, year: int, source: str, by=None) -> CalendarYear:
    entry = CalendarYear.objects.filter(year=year).first() or CalendarYear(year=year)
    if entry.pk is None or entry.source != source:
        entry.source = source
        audited_save(entry, by=by)
    return entry
