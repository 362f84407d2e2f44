from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ecogov.grid.models import Grid, GridMember, ResponsibilityContract


class GridMemberInline(admin.TabularInline):
    model = GridMember
    extra = 0


@admin.register(ResponsibilityContract)
class ResponsibilityContractAdmin(SimpleHistoryAdmin):
    list_display = ("upper", "lower", "signed_on")


@admin.register(Grid)
class GridAdmin(SimpleHistoryAdmin):
    inlines = (GridMemberInline,)
    list_display = ("name", "level", "parent", "unit", "jurisdiction")
    list_filter = ("level", "jurisdiction")
    search_fields = ("name", "code")
