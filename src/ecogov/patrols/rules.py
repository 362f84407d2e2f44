"""Who sees and records patrols (registered with ecogov.access).

Jurisdiction-wide roles see every patrol of the area; a township's liaison those of
the township's grids; a grid worker those of his grids. Patrols are recorded by grid
workers (and township liaisons) for the sources of their grids.
"""

from django.db.models import Q

from ecogov import access
from ecogov.access import JURISDICTION_WIDE_ROLES, NOTHING, VIEW, home_jurisdictions
from ecogov.accounts.models import Role
from ecogov.grid.models import Grid, within
from ecogov.patrols.models import Finding, GridEvaluation, Patrol


def _rule(prefix: str, area: str):
    def rule(user, action: str) -> Q:
        if action != VIEW:
            return NOTHING  # patrols are records: nobody edits them after the fact
        if user.role in JURISDICTION_WIDE_ROLES:
            return Q(**{f"{area}__in": home_jurisdictions(user)})
        if user.role == Role.LIAISON and user.unit_id:
            return within(user.unit.grids.values("pk"), prefix)
        if user.role == Role.GRID_WORKER:
            return within(user.grids.values("pk"), prefix)
        return NOTHING

    return rule


def _evaluation_rule(user, action: str) -> Q:
    """Evaluations are seen by whoever sees the grid; they are written through
    ``evaluation_save``, which checks who evaluates whom."""
    if action != VIEW:
        return NOTHING
    return Q(grid__in=access.scope(user, Grid).values("pk"))


def register() -> None:
    access.register(Patrol, _rule("grid", "grid__jurisdiction"))
    access.register(Finding, _rule("patrol__grid", "to_grid__jurisdiction"))
    access.register(GridEvaluation, _evaluation_rule)
