from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ecogov.sources.models import Source, SourceType


@admin.register(SourceType)
class SourceTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "order")


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ("name", "type", "grid", "key", "status")
    list_filter = ("type", "key", "status")
    search_fields = ("name", "uscc", "address")
