"""Who sees the rectification ledger (registered with ecogov.access).

- A batch is seen by the people of its jurisdiction and the areas above (every unit
  there may be asked to rectify something in it).
- A problem, its measures, milestones, objections and look-backs are seen by whoever
  sees its supervised item: the bureau's dispatchers, leaders and discipline inspectors
  of the jurisdiction, and the units that rectify or supervise it — and its acceptance
  unit, which reads the item, its history and evidence too.
- Who may take which step is decided by the services (``runs``, ``signs``, ``accepts``).
"""

from django.db.models import Q

from ecogov import access
from ecogov.access import NOTHING, VIEW, home_jurisdictions
from ecogov.accounts.models import Role
from ecogov.rectification.models import (
    Batch,
    LookBack,
    Measure,
    Milestone,
    Objection,
    Problem,
    TransferredCase,
)
from ecogov.supervision.models import Item
from ecogov.supervision.rules import item_rule, register_unit_viewing


def _batch_rule(user, action: str) -> Q:
    if action != VIEW or not user.unit_id or user.role == Role.GRID_WORKER:
        return NOTHING
    return Q(jurisdiction__in=home_jurisdictions(user)) | Q(jurisdiction=user.unit.jurisdiction_id)


def _problem_rule(user, action: str, prefix: str = "") -> Q:
    path = f"{prefix}__" if prefix else ""
    if action != VIEW:
        return NOTHING
    items = Item.objects.filter(item_rule(user, action)).values("pk")
    return Q(**{f"{path}item__in": items})


def _part(prefix: str):
    return lambda user, action: _problem_rule(user, action, prefix)


def _transfer_rule(user, action: str) -> Q:
    if action != VIEW:
        return NOTHING
    return Q(batch__in=Batch.objects.filter(_batch_rule(user, action)).values("pk"))


def register() -> None:
    # The acceptance unit reads the problem, its self-check report and the evidence.
    register_unit_viewing(lambda unit: Q(problem__acceptance_unit=unit))
    access.register(Batch, _batch_rule)
    access.register(Problem, _problem_rule)
    for model in (Measure, Milestone, Objection, LookBack):
        access.register(model, _part("problem"))
    access.register(TransferredCase, _transfer_rule)
