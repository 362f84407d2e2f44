"""Who sees suggestions and proposals (registered with ecogov.access), who runs them and
who reads the authors' contacts.

- The bureau's dispatchers run every suggestion of their jurisdiction (register, assign,
  reassign, decide extensions, enter the authors' ratings); leaders and discipline
  inspectors read them all and change nothing.
- A unit's liaison sees those its unit was ever assigned (main or co-handling, returned
  ones included) and acts for its unit while it handles one.
- The authors' contacts: the dispatchers of the jurisdiction and the people of the units
  handling it now; no list, export, API list or command shows them.
Steps are checked by the services.
"""

from django.db.models import Q

from ecogov import access
from ecogov.access import JURISDICTION_WIDE_ROLES, NOTHING, VIEW, home_jurisdictions
from ecogov.accounts.models import Role
from ecogov.suggestions.models import (
    Answer,
    Author,
    Extension,
    Handler,
    Opinion,
    Rating,
    Suggestion,
)

UNIT_ROLES = (Role.LIAISON, Role.DISPATCHER)  # who acts for a unit (as supervision.notify)


def _suggestion_rule(user, action: str, prefix: str = "") -> Q:
    path = f"{prefix}__" if prefix else ""
    if action != VIEW:
        return NOTHING  # every change goes through the services
    if user.role in JURISDICTION_WIDE_ROLES:
        return Q(**{f"{path}jurisdiction__in": home_jurisdictions(user)})
    if user.role == Role.LIAISON and user.unit_id:
        mine = Handler.objects.filter(unit=user.unit_id).values("suggestion")
        return Q(**{f"{path}pk__in": mine})
    return NOTHING


def _part_rule(user, action: str) -> Q:
    return _suggestion_rule(user, action, "suggestion")


def _opinion_rule(user, action: str) -> Q:
    return _suggestion_rule(user, action, "handler__suggestion")


def _rating_rule(user, action: str) -> Q:
    return _suggestion_rule(user, action, "answer__suggestion")


runs = access.dispatches  # the bureau registers, assigns and rates


def acts_for(user, unit) -> bool:
    """A person of ``unit`` who acts for it: its liaison (or its dispatcher)."""
    return bool(
        unit is not None
        and user.is_authenticated
        and user.is_active
        and user.unit_id == unit.pk
        and user.role in UNIT_ROLES
    )


def may_see_contacts(user, suggestion: Suggestion) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if user.role == Role.DISPATCHER and suggestion.jurisdiction_id in home_jurisdictions(user):
        return True
    return bool(
        user.role in UNIT_ROLES
        and user.unit_id
        and suggestion.handlers.filter(unit=user.unit_id, ended_on=None).exists()
    )


def register() -> None:
    access.register(Suggestion, _suggestion_rule)
    for model in (Author, Handler, Extension, Answer):
        access.register(model, _part_rule)
    access.register(Opinion, _opinion_rule)
    access.register(Rating, _rating_rule)
