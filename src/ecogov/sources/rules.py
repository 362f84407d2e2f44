"""Who sees and keeps which sources (registered with ecogov.access).

Jurisdiction-wide roles see every source of the area; the dispatcher keeps them all.
A township's liaison keeps the sources of the township's grids (seed 000: 各镇办
建立污染源基础数据库并及时更新); a grid worker sees the sources of their grids.
"""

from django.db.models import Q

from ecogov import access
from ecogov.access import JURISDICTION_WIDE_ROLES, MANAGE, NOTHING, VIEW, home_jurisdictions
from ecogov.accounts.models import Role
from ecogov.grid.models import within
from ecogov.sources.models import Source


def _source_rule(user, action: str) -> Q:
    home = home_jurisdictions(user)
    if user.role == Role.DISPATCHER or (action == VIEW and user.role in JURISDICTION_WIDE_ROLES):
        return Q(jurisdiction__in=home)
    if action == MANAGE:
        return NOTHING
    if user.role == Role.LIAISON and user.unit_id:
        return Q(jurisdiction__in=home) & within(user.unit.grids.values("pk"))
    if user.role == Role.GRID_WORKER and action == VIEW:
        return within(user.grids.values("pk"))
    return NOTHING


def register() -> None:
    access.register(Source, _source_rule)
