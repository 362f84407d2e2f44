from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ecogov.grid.models import Grid


@admin.register(Grid)
class GridAdmin(SimpleHistoryAdmin):
    list_display = ("name", "level", "parent", "unit", "jurisdiction")
    list_filter = ("level", "jurisdiction")
    search_fields = ("name", "code")
