"""Who sees the sanctions (registered with ecogov.access).

- The bureau's dispatchers, leaders and discipline inspectors of the jurisdiction (and
  the areas above) read every notice, admonition, restriction and referral; the
  dispatchers change them (administrators everything).
- A unit's liaison reads the issued notices and the admonitions that concern its own
  unit, never a restriction record or a referral and its dossier.
- Grid workers see nothing here; the public reads issued, published notices on the
  portal only (``CriticismNotice.public_objects``).
Who may take which step is decided by the services.
"""

from django.db.models import Q

from ecogov import access
from ecogov.access import CHANGE, NOTHING, VIEW, home_jurisdictions
from ecogov.accounts.models import Role
from ecogov.sanctions.models import (
    Admonition,
    Commitment,
    CriticismNotice,
    Referral,
    ReferredRecord,
    Restriction,
    Summons,
)

WIDE = frozenset({Role.DISPATCHER, Role.LEADER, Role.INSPECTOR})


def _wide(user, action: str, path: str = "") -> Q | None:
    """The rule for the bureau, leaders and inspectors; None for other roles."""
    if user.role not in WIDE or not user.unit_id:
        return None
    if action == VIEW or (action == CHANGE and user.role == Role.DISPATCHER):
        return Q(**{f"{path}jurisdiction__in": home_jurisdictions(user)})
    return NOTHING


def _notice_rule(user, action: str) -> Q:
    wide = _wide(user, action)
    if wide is not None:
        return wide
    if action == VIEW and user.role == Role.LIAISON and user.unit_id:
        return Q(units=user.unit_id, state=CriticismNotice.State.ISSUED)
    return NOTHING


def _admonition_rule(user, action: str, path: str = "") -> Q:
    wide = _wide(user, action, path)
    if wide is not None:
        return wide
    if action == VIEW and user.role == Role.LIAISON and user.unit_id:
        summoned = Summons.objects.filter(unit=user.unit_id).values("admonition")
        return Q(**{f"{path}pk__in": summoned})
    return NOTHING


def _bureau_only(user, action: str, path: str = "") -> Q:
    wide = _wide(user, action, path)
    return NOTHING if wide is None else wide


def register() -> None:
    access.register(CriticismNotice, _notice_rule)
    access.register(Admonition, _admonition_rule)
    access.register(Summons, lambda user, action: _admonition_rule(user, action, "admonition__"))
    access.register(Commitment, lambda user, action: _admonition_rule(user, action, "admonition__"))
    access.register(Restriction, _bureau_only)
    access.register(Referral, _bureau_only)
    access.register(ReferredRecord, lambda user, action: _bureau_only(user, action, "referral__"))
