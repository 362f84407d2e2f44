"""Who sees and acts on cases (registered with ecogov.access), and who may read the
reporter's identity.

- The bureau's dispatchers see and run every case of their jurisdiction; leaders and
  discipline inspectors see them all.
- A unit's liaison sees the cases its unit was ever assigned (including those it
  transferred or returned) and, for a township or street office, the cases in its
  grids; it acts on its unit's assignments.
- A grid worker sees the cases in their grids (the result is told to the lower grid).
- The reporter's identity and contact: the dispatchers of the case's jurisdiction, and
  nobody else — not the handling unit, not an administrator, not the API of any other
  role (003 §三.(五).5).
"""

from django.db.models import Q

from ecogov import access
from ecogov.access import CHANGE, JURISDICTION_WIDE_ROLES, NOTHING, VIEW, home_jurisdictions
from ecogov.accounts.models import Role
from ecogov.cases.models import Assignment, Attachment, Case, CaseEvent, Reporter, Reward
from ecogov.grid.models import within


def _case_rule(user, action: str, prefix: str = "") -> Q:
    path = f"{prefix}__" if prefix else ""
    home = home_jurisdictions(user)
    if user.role == Role.DISPATCHER:
        return Q(**{f"{path}jurisdiction__in": home})
    if action != VIEW and action != CHANGE:
        return NOTHING
    if user.role in JURISDICTION_WIDE_ROLES:
        return Q(**{f"{path}jurisdiction__in": home}) if action == VIEW else NOTHING
    if user.role == Role.LIAISON and user.unit_id:
        mine = Q(assignments__unit=user.unit_id)
        if action == VIEW:
            mine |= within(user.unit.grids.values("pk"))
        return Q(**{f"{path}pk__in": Case.objects.filter(mine).values("pk")})
    if user.role == Role.GRID_WORKER and action == VIEW:
        ids = Case.objects.filter(within(user.grids.values("pk"))).values("pk")
        return Q(**{f"{path}pk__in": ids})
    return NOTHING


def _part_rule(user, action: str) -> Q:
    """Events, assignments and attachments are read with their case and written only
    through the case's services."""
    if action != VIEW:
        return NOTHING
    return _case_rule(user, VIEW, "case")


def _reward_rule(user, action: str) -> Q:
    if user.role == Role.DISPATCHER:
        return Q(case__jurisdiction__in=home_jurisdictions(user))
    return NOTHING


def may_see_reporter(user, case: Case) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role == Role.DISPATCHER
        and case.jurisdiction_id in home_jurisdictions(user)
    )


def reporter_for(user, case: Case) -> Reporter | None:
    """The reporter of ``case`` if ``user`` may know who it is, else None."""
    if not may_see_reporter(user, case):
        return None
    return Reporter.objects.filter(case=case).first()


def is_dispatcher(user) -> bool:
    """The bureau's dispatchers run cases; administrators may act for them (without
    reading reporters)."""
    return access.is_admin(user) or (user.is_authenticated and user.role == Role.DISPATCHER)


dispatches = access.dispatches


def is_dispatcher_of(user, case: Case) -> bool:
    return dispatches(user, case.jurisdiction_id)


def register() -> None:
    access.register(Case, _case_rule)
    access.register(CaseEvent, _part_rule)
    access.register(Assignment, _part_rule)
    access.register(Attachment, _part_rule)
    access.register(Reward, _reward_rule)
