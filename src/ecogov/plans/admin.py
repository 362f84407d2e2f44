from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ecogov.plans.models import Plan, Target, Task, TaskUnit


class TaskUnitInline(admin.TabularInline):
    model = TaskUnit
    extra = 0


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ("title", "jurisdiction", "issuer", "doc_number", "date")
    list_filter = ("jurisdiction",)
    search_fields = ("title",)


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    list_display = ("number", "title", "plan", "deadline", "ongoing")
    list_filter = ("plan", "ongoing")
    search_fields = ("title", "text")
    inlines = (TaskUnitInline,)


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ("indicator", "op", "value", "reference", "unit", "year", "task", "plan")
    list_filter = ("plan", "year")
    search_fields = ("indicator", "text")
