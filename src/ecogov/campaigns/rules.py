"""Who sees joint enforcement campaigns (registered with ecogov.access).

- The dispatchers, leaders and discipline inspectors of the jurisdiction see every
  campaign of it (only the dispatchers run them: ``services.may_run``).
- A participating unit's people see the campaigns their unit takes part in (its
  liaison records inspections: ``services.may_record``).
Nothing is changed through a generic rule: every change goes through the services.
"""

from django.db.models import Q

from ecogov import access
from ecogov.access import JURISDICTION_WIDE_ROLES, NOTHING, VIEW, home_jurisdictions
from ecogov.accounts.models import Role
from ecogov.campaigns.models import Campaign, Inspection


def _rule(prefix: str = ""):
    path = f"{prefix}__" if prefix else ""

    def rule(user, action: str) -> Q:
        if action != VIEW:
            return NOTHING
        if user.role in JURISDICTION_WIDE_ROLES:
            return Q(**{f"{path}jurisdiction__in": home_jurisdictions(user)})
        if user.role == Role.LIAISON and user.unit_id:
            return Q(**{f"{path}units": user.unit_id})
        return NOTHING

    return rule


def register() -> None:
    access.register(Campaign, _rule())
    access.register(Inspection, _rule("campaign"))
