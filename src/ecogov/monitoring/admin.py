"""Back office: monitoring points and their limits, the alarm rules that make an alarm a
case at once, and which plan targets monitoring feeds. Data and alarms are read on the
monitoring pages; an administrator does not edit them here."""

from django.contrib import admin

from ecogov.monitoring.models import AlarmRule, Factor, Point, TargetFeed


class FactorInline(admin.TabularInline):
    model = Factor
    extra = 0
    fields = ("code", "unit", "limit", "rate_limit", "standard", "range_max")


@admin.register(Point)
class PointAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "mn", "source", "jurisdiction", "active", "last_seen")
    list_filter = ("kind", "active", "jurisdiction")
    search_fields = ("name", "mn", "source__name")
    readonly_fields = ("created_at", "last_seen", "last_data_time")
    autocomplete_fields = ()
    raw_id_fields = ("source", "grid")
    inlines = [FactorInline]


@admin.register(AlarmRule)
class AlarmRuleAdmin(admin.ModelAdmin):
    list_display = ("kind", "code", "ratio", "key_sources_only")


@admin.register(TargetFeed)
class TargetFeedAdmin(admin.ModelAdmin):
    list_display = ("target", "point", "metric", "code", "goal")
    raw_id_fields = ("target", "point")
