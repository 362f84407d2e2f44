"""Who sees the supervision ledger's items (registered with ecogov.access).

- The bureau's dispatchers, leaders and discipline inspectors see every item of their
  jurisdiction (the inspectors read and change nothing: the services refuse them).
- A unit's people see the items their unit leads, supports or supervises.
- Notices are their recipient's alone.
Steps are checked by the services (``supervises``, ``handles``, ``contributes``).
"""

from django.db.models import Q

from ecogov import access
from ecogov.access import JURISDICTION_WIDE_ROLES, NOTHING, VIEW, home_jurisdictions
from ecogov.accounts.models import Role
from ecogov.supervision.models import Evidence, Item, ItemEvent, Notice


def item_rule(user, action: str, prefix: str = "") -> Q:
    path = f"{prefix}__" if prefix else ""
    if action != VIEW:
        return NOTHING
    if user.role in JURISDICTION_WIDE_ROLES:
        return Q(**{f"{path}jurisdiction__in": home_jurisdictions(user)})
    if user.unit_id and user.role != Role.GRID_WORKER:
        unit = user.unit_id
        mine = Q(lead=unit) | Q(support=unit) | Q(supervisor=unit)
        for also in _ALSO_SEEING:
            mine |= also(unit)
        return Q(**{f"{path}pk__in": Item.objects.filter(mine).values("pk")})
    return NOTHING


_ALSO_SEEING = []


def register_unit_viewing(condition) -> None:
    """A kind whose items another unit must read (a rectification problem's acceptance
    unit reads the self-check report and its evidence) adds ``condition(unit_id) -> Q``
    over items."""
    _ALSO_SEEING.append(condition)


def _event_rule(user, action: str) -> Q:
    return item_rule(user, action, "item")


def _evidence_rule(user, action: str) -> Q:
    return item_rule(user, action, "event__item")


def _notice_rule(user, action: str) -> Q:
    return Q(recipient=user.pk)


def register() -> None:
    access.register(Item, item_rule)
    access.register(ItemEvent, _event_rule)
    access.register(Evidence, _evidence_rule)
    access.register(Notice, _notice_rule)
