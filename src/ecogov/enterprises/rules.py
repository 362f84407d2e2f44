"""Who may do what with the blacklist and the project register."""

from django.db.models import Q

from ecogov import access
from ecogov.access import CHANGE, NOTHING, VIEW, home_jurisdictions
from ecogov.accounts.models import Role
from ecogov.enterprises.models import Listing, Override, Project

WIDE = frozenset({Role.DISPATCHER, Role.LEADER, Role.INSPECTOR})


def may_override(user, listing) -> bool:
    """The bureau's dispatcher of the listing's jurisdiction (or above), or an administrator."""
    if user is None:
        return False
    return access.dispatches(user, listing.jurisdiction_id)


def _listing_rule(user, action: str, path: str = "") -> Q:
    """The bureau, leaders and discipline inspectors of the jurisdiction read the
    blacklist; the dispatchers change it. Others read only the public list."""
    if user.role not in WIDE or not user.unit_id:
        return NOTHING
    if action == VIEW or (action == CHANGE and user.role == Role.DISPATCHER):
        return Q(**{f"{path}jurisdiction__in": home_jurisdictions(user)})
    return NOTHING


def _project_rule(user, action: str) -> Q:
    """The bureau, leaders and inspectors, and the liaisons of units above the township
    (the approving departments) read the register of its area."""
    if not user.unit_id:
        return NOTHING
    if user.role in WIDE or (user.role == Role.LIAISON and action == VIEW):
        if action == VIEW or user.role == Role.DISPATCHER:
            return Q(jurisdiction__in=home_jurisdictions(user))
    return NOTHING


def register() -> None:
    access.register(Listing, _listing_rule)
    access.register(Override, lambda user, action: _listing_rule(user, action, "listing__"))
    access.register(Project, _project_rule)
