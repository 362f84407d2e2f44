"""What other pages show of the sanctions: a restriction in force on an area's page, and
the link to the sanctions for those who keep or read them."""

from django import template
from django.utils import timezone

from ecogov import access
from ecogov.accounts.models import Role
from ecogov.sanctions.services import restriction_on

register = template.Library()

READERS = frozenset({Role.DISPATCHER, Role.LEADER, Role.INSPECTOR})


@register.inclusion_tag("sanctions/_restriction_banner.html", takes_context=True)
def restriction_banner(context, area):
    """A regional approval restriction in force on the area (or an area above it)."""
    restriction = restriction_on(area, timezone.localdate())
    user = context.get("user")
    linked = bool(user and restriction and access.can(user, access.VIEW, restriction))
    return {"restriction": restriction, "linked": linked}


@register.simple_tag(takes_context=True)
def sees_sanctions(context) -> bool:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return False
    return access.is_admin(user) or user.role in READERS
