"""Back office: the deadline rules and reward rules an administrator sets. Cases are run
on their pages, not here; reporters are deliberately absent (confidential)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ecogov.cases.models import ClockRule, RewardRule


@admin.register(ClockRule)
class ClockRuleAdmin(SimpleHistoryAdmin):
    list_display = ("channel", "category", "accept_workdays", "finish_days", "answer_workdays")


@admin.register(RewardRule)
class RewardRuleAdmin(SimpleHistoryAdmin):
    list_display = ("name", "minimum", "maximum", "active")
