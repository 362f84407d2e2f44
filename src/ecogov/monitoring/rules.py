"""Who sees which monitoring points, their data and alarms (registered with ecogov.access).

The bureau's dispatchers keep the points of their jurisdiction; leaders and the
discipline commission see them all. A township's liaison and a grid worker see the
source outlets in their grids, like the sources themselves. Environmental quality
(air stations, river sections) is seen by every staff member of the jurisdiction: it
is information the government publishes anyway (seed 003 §三.(七)).
"""

from django.db.models import Q

from ecogov import access
from ecogov.access import JURISDICTION_WIDE_ROLES, NOTHING, VIEW, home_jurisdictions
from ecogov.accounts.models import Role
from ecogov.grid.models import within
from ecogov.monitoring.models import Alarm, Point


def point_rule(user, action: str, prefix: str = "") -> Q:
    home = home_jurisdictions(user)
    jurisdiction = Q(**{f"{prefix}jurisdiction__in": home})
    if user.role == Role.DISPATCHER or (action == VIEW and user.role in JURISDICTION_WIDE_ROLES):
        return jurisdiction
    if action != VIEW:
        return NOTHING
    quality = jurisdiction & ~Q(**{f"{prefix}kind": Point.Kind.SOURCE})
    if user.role == Role.LIAISON and user.unit_id:
        return quality | (
            jurisdiction & within(user.unit.grids.values("pk"), prefix=f"{prefix}grid")
        )
    if user.role == Role.GRID_WORKER:
        return quality | within(user.grids.values("pk"), prefix=f"{prefix}grid")
    return quality if home else NOTHING


def _alarm_rule(user, action: str) -> Q:
    return point_rule(user, action, prefix="point__")


def register() -> None:
    access.register(Point, point_rule)
    access.register(Alarm, _alarm_rule)
