from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ecogov.accounts.models import ApiToken, User

# Roles are EcoGov's own (User.role, enforced in ecogov.access), not Django groups.
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    list_display = ("username", "name", "role", "unit", "is_active")
    list_filter = ("role", "is_active", "unit__jurisdiction")
    search_fields = ("username", "name", "unit__name")
    ordering = ("unit", "username")
    filter_horizontal = ("grids",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("name", "email", "phone", "position")}),
        (_("Work"), {"fields": ("role", "unit", "grids")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "password1", "password2", "name", "role", "unit")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created", "last_used", "expires", "revoked")
    readonly_fields = ("prefix", "created", "last_used")
    exclude = ("digest",)

    def has_add_permission(self, request):
        # Tokens are made by `ecogov tokens create`, which shows the key once.
        return False
