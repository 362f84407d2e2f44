"""Who may see and change what: the one place where object-level rules live.

Pages, the API and the command line ask here and nowhere else. A rule is a filter on a
model's rows for a user and an action, so a list shows exactly the rows a user may open
and a check is the same filter applied to one row.

Actions:
- ``view``: read the object.
- ``change``: edit its everyday details (a unit's contact section and liaison, a
  person's phone).
- ``manage``: edit what defines it (a unit's name, kind and duty list, a person's role
  and unit), create and deactivate.

Scopes: an administrator sees everything; the ecology-bureau dispatcher, leaders and
discipline inspectors see their own jurisdiction and the areas below it; a liaison
sees the units of that jurisdiction but only the people of their own unit; a grid
worker sees the units of the jurisdiction, their own grids and themselves. The
anonymous public sees nothing here: what it may see comes through public pages that
select public fields deliberately.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ecogov.accounts.models import Role, User
from ecogov.grid.models import Grid, within
from ecogov.org.models import DutyItem, Jurisdiction, Unit, UnitName
from ecogov.org.selectors import jurisdiction_ancestor_ids, jurisdiction_subtree_ids

VIEW = "view"
CHANGE = "change"
MANAGE = "manage"
ACTIONS = (VIEW, CHANGE, MANAGE)

JURISDICTION_WIDE_ROLES = frozenset({Role.DISPATCHER, Role.LEADER, Role.INSPECTOR})
NOTHING = Q(pk__in=[])
EVERYTHING = Q()


def is_admin(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role == Role.ADMINISTRATOR)
    )


def dispatches(user, jurisdiction_id: int) -> bool:
    """The ecology bureau's dispatchers of this jurisdiction (or of one above it), and
    administrators: they run cases, suggestions, campaigns and the rectification ledger."""
    if is_admin(user):
        return True
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role == Role.DISPATCHER
        and jurisdiction_id in home_jurisdictions(user)
    )


def home_jurisdictions(user) -> frozenset[int]:
    """The ids of the user's jurisdiction and every area below it (cached on the user)."""
    cached = getattr(user, "_ecogov_home_jurisdictions", None)
    if cached is None:
        unit = user.unit if user.is_authenticated and user.unit_id else None
        cached = frozenset(jurisdiction_subtree_ids(unit.jurisdiction_id)) if unit else frozenset()
        user._ecogov_home_jurisdictions = cached
    return cached


def can_see_history(user) -> bool:
    """Seed 000 §四.(二).3: the discipline commission supervises; it and administrators
    read who changed what."""
    return is_admin(user) or (user.is_authenticated and user.role == Role.INSPECTOR)


def _jurisdiction_rule(user: User, action: str) -> Q:
    if action != VIEW:
        return NOTHING
    home = home_jurisdictions(user)
    if not home:
        return NOTHING
    unit_jurisdiction = user.unit.jurisdiction_id
    return Q(pk__in=home) | Q(pk__in=jurisdiction_ancestor_ids(unit_jurisdiction))


def _unit_rule(user: User, action: str) -> Q:
    home = home_jurisdictions(user)
    if action == VIEW:
        return Q(jurisdiction__in=home)
    if user.role == Role.DISPATCHER:
        return Q(jurisdiction__in=home)
    if action == CHANGE and user.role == Role.LIAISON and user.unit_id:
        return Q(pk=user.unit_id)
    return NOTHING


def _unit_part_rule(user: User, action: str) -> Q:
    """Duty items and other names belong to their unit; they define it (manage)."""
    home = home_jurisdictions(user)
    if action == VIEW or user.role == Role.DISPATCHER:
        return Q(unit__jurisdiction__in=home)
    return NOTHING


def _person_rule(user: User, action: str) -> Q:
    own = Q(pk=user.pk)
    if action == MANAGE:
        return NOTHING
    if action == CHANGE:
        if user.role == Role.LIAISON and user.unit_id:
            return own | Q(unit=user.unit_id, is_superuser=False)
        return own
    if user.role in JURISDICTION_WIDE_ROLES:
        return own | Q(unit__jurisdiction__in=home_jurisdictions(user))
    if user.role == Role.LIAISON and user.unit_id:
        return own | Q(unit=user.unit_id)
    return own


def _grid_rule(user: User, action: str) -> Q:
    home = home_jurisdictions(user)
    if user.role == Role.DISPATCHER or (action == VIEW and user.role in JURISDICTION_WIDE_ROLES):
        return Q(jurisdiction__in=home)
    if action == MANAGE:
        return NOTHING
    if user.role == Role.LIAISON and user.unit_id:
        # A township's grid and the village grids below it.
        unit = user.unit_id
        own = Q(unit=unit) | Q(parent__unit=unit) | Q(parent__parent__unit=unit)
        if action == VIEW:
            return own & Q(jurisdiction__in=home)
        # Its five fixes, people and contracts, and those of the village grids below.
        return (Q(unit=unit) | Q(parent__unit=unit)) & Q(jurisdiction__in=home)
    if user.role == Role.GRID_WORKER and action == VIEW:
        own = list(user.grids.values_list("pk", flat=True))
        return within(own, prefix="")
    return NOTHING


_RULES: dict[type[Model], Callable[[User, str], Q]] = {
    Jurisdiction: _jurisdiction_rule,
    Unit: _unit_rule,
    DutyItem: _unit_part_rule,
    UnitName: _unit_part_rule,
    User: _person_rule,
    Grid: _grid_rule,
}


def register(model: type[Model], rule: Callable[[User, str], Q]) -> None:
    """Later apps register the rule of each model they add."""
    _RULES[model] = rule


def governs(model: type[Model]) -> bool:
    """Whether a rule says who sees ``model`` (without one, only administrators do)."""
    return model in _RULES


def rule(user, model: type[Model], action: str = VIEW) -> Q:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if not (user.is_authenticated and user.is_active):
        return NOTHING
    if is_admin(user):
        return EVERYTHING
    return _RULES[model](user, action)


def scope(user, queryset: QuerySet | type[Model], action: str = VIEW) -> QuerySet:
    """The rows of ``queryset`` the user may act on."""
    if not isinstance(queryset, QuerySet):
        queryset = queryset._default_manager.all()
    return queryset.filter(rule(user, queryset.model, action))


def can(user, action: str, obj: Model) -> bool:
    return scope(user, type(obj), action).filter(pk=obj.pk).exists()


def obtain(user, model: type[Model] | QuerySet, pk, action: str = VIEW):
    """The object if the user may act on it.

    Raises Http404 when the user may not even see it (so its existence is not given
    away) and PermissionDenied when they see it but may not do ``action``.
    """
    queryset = model if isinstance(model, QuerySet) else model._default_manager.all()
    try:
        obj = scope(user, queryset, VIEW).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404(_("No such object, or it is not yours to see.")) from None
    if action != VIEW and not can(user, action, obj):
        raise PermissionDenied(_("You may see this but not change it."))
    return obj
