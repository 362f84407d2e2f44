from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ecogov.holidays.models import CalendarDay, CalendarYear


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    list_display = ("date", "kind", "name")
    list_filter = ("kind",)
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(SimpleHistoryAdmin):
    list_display = ("year", "source")
