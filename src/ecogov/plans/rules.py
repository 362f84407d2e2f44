"""Who may see and act on plans, tasks and targets (registered with ecogov.access).

Everyone working in a jurisdiction sees its plans: tasks are shared work. A lead
unit's liaison reports progress on the unit's tasks and marks them done; the
ecology-bureau dispatcher, who runs the dispatch, may do so for every task of the
jurisdiction and manages the plans.
"""

from django.db.models import Q

from ecogov import access
from ecogov.access import MANAGE, NOTHING, VIEW, home_jurisdictions
from ecogov.accounts.models import Role
from ecogov.plans.models import (
    ImplementationPlan,
    Plan,
    Target,
    TargetValue,
    Task,
    TaskReport,
    TaskUnit,
)


def _area(prefix: str):
    def rule(user, action: str) -> Q:
        home = home_jurisdictions(user)
        if action == VIEW or user.role == Role.DISPATCHER:
            return Q(**{f"{prefix}__in": home})
        return NOTHING

    return rule


def _view_only(prefix: str):
    def rule(user, action: str) -> Q:
        return Q(**{f"{prefix}__in": home_jurisdictions(user)}) if action == VIEW else NOTHING

    return rule


def _task_rule(user, action: str) -> Q:
    home = home_jurisdictions(user)
    if action == VIEW or user.role == Role.DISPATCHER:
        return Q(plan__jurisdiction__in=home)
    if action == MANAGE or not user.unit_id or user.role != Role.LIAISON:
        return NOTHING
    return Q(plan__jurisdiction__in=home, units__role=TaskUnit.Role.LEAD, units__unit=user.unit_id)


def _target_rule(user, action: str) -> Q:
    """Measured values are entered by the dispatcher or the lead unit of the target's task."""
    home = home_jurisdictions(user)
    if action == VIEW or user.role == Role.DISPATCHER:
        return Q(plan__jurisdiction__in=home)
    if action == MANAGE or not user.unit_id or user.role != Role.LIAISON:
        return NOTHING
    return Q(
        plan__jurisdiction__in=home,
        task__units__role=TaskUnit.Role.LEAD,
        task__units__unit=user.unit_id,
    )


def register() -> None:
    access.register(Plan, _area("jurisdiction"))
    # Seen with the plan; uploaded through plans.implementation, which checks who.
    access.register(ImplementationPlan, _view_only("plan__jurisdiction"))
    access.register(Target, _target_rule)
    access.register(TargetValue, _area("target__plan__jurisdiction"))
    access.register(Task, _task_rule)
    access.register(TaskUnit, _area("task__plan__jurisdiction"))
    access.register(TaskReport, _area("task__plan__jurisdiction"))
