"""Who sees assessments (registered with ecogov.access).

- Schemes are read by the staff of their jurisdiction and the areas above (an assessed
  unit reads what it is assessed on), grid workers aside.
- A draft result is the bureau's, its leaders' and the discipline commission's; once
  released, each assessed unit reads its own score, lines and traces and objects to
  them; once published, every staff member reads the ranking.
- Who may take a step is decided by the services (``runs``, ``may_object``).
"""

from django.db.models import Q

from ecogov import access
from ecogov.access import NOTHING, VIEW, home_jurisdictions
from ecogov.accounts.models import Role
from ecogov.assess.models import Assessment, Line, Objection, Repair, Scheme, Score, Trace

OVERSEERS = (Role.DISPATCHER, Role.LEADER, Role.INSPECTOR)


def _scheme_rule(user, action: str, prefix: str = "") -> Q:
    path = f"{prefix}__" if prefix else ""
    if action != VIEW or not user.unit_id or user.role == Role.GRID_WORKER:
        return NOTHING
    areas = set(home_jurisdictions(user)) | {user.unit.jurisdiction_id}
    return Q(**{f"{path}jurisdiction__in": areas})


def _assessment_rule(user, action: str) -> Q:
    seen = _scheme_rule(user, action, "scheme")
    if seen == NOTHING or user.role in OVERSEERS:
        return seen
    return seen & ~Q(state=Assessment.State.DRAFT)


def _score_rule(user, action: str, prefix: str = "") -> Q:
    path = f"{prefix}__" if prefix else ""
    seen = _scheme_rule(user, action, f"{path}assessment__scheme")
    if seen == NOTHING or user.role in OVERSEERS:
        return seen
    state = f"{path}assessment__state"
    own = Q(**{f"{path}unit": user.unit_id}) & ~Q(**{state: Assessment.State.DRAFT})
    if prefix:  # lines, traces, objections: the unit's own
        return seen & own
    return seen & (own | Q(**{state: Assessment.State.PUBLISHED}))


def _part(prefix: str):
    return lambda user, action: _score_rule(user, action, prefix)


def register() -> None:
    access.register(Scheme, _scheme_rule)
    access.register(Assessment, _assessment_rule)
    access.register(Score, _score_rule)
    access.register(Line, _part("score"))
    access.register(Trace, _part("line__score"))
    access.register(Objection, _part("line__score"))
    access.register(Repair, _part("score"))
