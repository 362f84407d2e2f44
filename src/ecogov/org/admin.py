from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ecogov.org.models import DutyItem, Jurisdiction, Unit, UnitName


@admin.register(Jurisdiction)
class JurisdictionAdmin(SimpleHistoryAdmin):
    list_display = ("name", "level", "code", "parent")
    list_filter = ("level",)
    search_fields = ("name", "code")


class UnitNameInline(admin.TabularInline):
    model = UnitName
    extra = 0


class DutyItemInline(admin.TabularInline):
    model = DutyItem
    extra = 0
    fields = ("source", "number", "text", "section", "line")


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "jurisdiction", "liaison", "is_active", "order")
    list_filter = ("kind", "jurisdiction", "is_active")
    search_fields = ("name", "other_names__name", "duties__text")
    inlines = (UnitNameInline, DutyItemInline)

    def get_readonly_fields(self, request, obj=None):
        # A rename keeps the old name as a former name: use `ecogov units rename` or the API.
        return ("name",) if obj else ()


@admin.register(DutyItem)
class DutyItemAdmin(SimpleHistoryAdmin):
    list_display = ("unit", "number", "text", "source")
    list_filter = ("unit__jurisdiction", "source")
    search_fields = ("text", "unit__name")
