"""The audit trail across objects: who changed what, and when, in every kind of object
that keeps a history (django-simple-history), for the discipline commission
(seed 000 §四.(二).3) and administrators.

Reading it costs a bounded number of queries whatever the page holds: each kind's
historical table is asked once for its newest ``offset + limit`` matching records
(newest first), the lists are merged in Python, then each kind on the page is asked
once more for the records before those shown (the "old" side of a change), and each
related model once for what the rows name. Never a query per row.

Who sees which records:
- administrators: every kind and every record, deleted objects included;
- discipline inspectors: the records of the objects they may see (``ecogov.access``), the
  parts of an object (a unit's duty clauses, a task's reports, a grid's members) with
  their object even once deleted, and the shared settings (holiday table, case deadline
  and reward rules); a kind their role may not see at all (rewards) is not offered.
- nobody: confidential tables (the reporters of cases, 003 §三.(五).5). Reporter keeps
  no history today; it is named here so that giving it one does not open it up.

The unit filter is the unit of the person who made the change, at the time of the
change (their history record then), falling back to their unit now.
"""

import datetime
from dataclasses import dataclass

from django.db.models import F, IntegerField, Model, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from simple_history.models import registered_models

from ecogov import access
from ecogov.accounts.models import User
from ecogov.org.models import Unit
from ecogov.web.history import (
    _PARTS,
    action_of,
    changes_of,
    diff_of,
    name_without_queries,
    names_of,
    who_of,
)

CONFIDENTIAL = frozenset({"cases.reporter"})
# Settings shared by every jurisdiction, with nothing confidential in them.
SHARED = frozenset(
    {"holidays.calendarday", "holidays.calendaryear", "cases.clockrule", "cases.rewardrule"}
)
# Parts without an access rule of their own, seen with their object.
_EXTRA_PARTS = {
    "grid.gridmember": ("grid.grid", "grid_id"),
    "grid.responsibilitycontract": ("grid.grid", "lower_id"),
    "plans.dispatch": ("plans.plan", "plan_id"),
}


def key_of(model: type[Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


@dataclass(frozen=True)
class Kind:
    model: type[Model]
    key: str
    label: str
    parent: tuple[type[Model], str] | None  # (the object it belongs to, its field)

    @property
    def history(self):
        return self.model.history.model


def _parents() -> dict[type[Model], tuple[type[Model], str]]:
    by_key = {key_of(model): model for model in registered_models.values()}
    parents = {part: (parent, field) for parent, parts in _PARTS.items() for part, field in parts}
    for part, (parent, field) in _EXTRA_PARTS.items():
        if part in by_key and parent in by_key:
            parents[by_key[part]] = (by_key[parent], field)
    return parents


def all_kinds() -> list[Kind]:
    """Every model that keeps a history, but the confidential ones."""
    parents = _parents()
    kinds = [
        Kind(model, key_of(model), str(model._meta.verbose_name_plural), parents.get(model))
        for model in registered_models.values()
        if key_of(model) not in CONFIDENTIAL
    ]
    return sorted(kinds, key=lambda kind: kind.label)


def _visible(user, kind: Kind) -> Q | None:
    """The records of ``kind`` the user may read, as a filter on its historical table;
    None when the kind is not for them."""
    if access.is_admin(user):
        return Q()
    if not access.can_see_history(user):
        return None
    if kind.parent is not None:
        parent, field = kind.parent
        return Q(**{f"{field}__in": access.scope(user, parent).values("pk")})
    if access.governs(kind.model):
        if access.rule(user, kind.model) == access.NOTHING:
            return None
        return Q(id__in=access.scope(user, kind.model).values("pk"))
    return Q() if kind.key in SHARED else None


def kinds_for(user) -> list[Kind]:
    return [kind for kind in all_kinds() if _visible(user, kind) is not None]


@dataclass(frozen=True)
class Filters:
    person: int | None = None
    unit: int | None = None
    kind: str | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None


def _unit_then():
    """The unit of the person who made the change, as their own history had it then."""
    people = User.history.model.objects.filter(
        id=OuterRef("history_user_id"), history_date__lte=OuterRef("history_date")
    ).order_by("-history_date")
    return Coalesce(
        Subquery(people.values("unit_id")[:1]),
        F("history_user__unit_id"),
        output_field=IntegerField(),
    )


def _matching(user, kind: Kind, filters: Filters):
    visible = _visible(user, kind)
    records = kind.history.objects.filter(visible).annotate(changer_unit=_unit_then())
    if filters.person is not None:
        records = records.filter(history_user_id=filters.person)
    if filters.unit is not None:
        records = records.filter(changer_unit=filters.unit)
    if filters.since is not None:
        records = records.filter(history_date__date__gte=filters.since)
    if filters.until is not None:
        records = records.filter(history_date__date__lte=filters.until)
    prior = kind.history.objects.filter(
        id=OuterRef("id"), history_date__lt=OuterRef("history_date")
    ).order_by("-history_date", "-history_id")
    return (
        records.annotate(prior_id=Subquery(prior.values("history_id")[:1]))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def audit_records(user, filters: Filters, *, offset: int, limit: int) -> list:
    """The matching records from ``offset`` on, at most ``limit``, newest first."""
    kinds = [kind for kind in kinds_for(user) if filters.kind in (None, kind.key)]
    records = []
    for kind in kinds:
        for record in _matching(user, kind, filters)[: offset + limit]:
            record.audit_kind = kind  # not .kind: that may be the object's own field
            records.append(record)
    records.sort(key=lambda record: record.history_date, reverse=True)
    return records[offset : offset + limit]


def _instance(record) -> Model:
    """The object as the record has it, without asking the database (simple-history's
    ``instance`` reads excluded fields back, a query per row)."""
    kind = record.audit_kind
    return kind.model(**{f.attname: getattr(record, f.attname) for f in record.tracked_fields})


def _foreign_keys(model: type[Model]):
    return [f for f in model._meta.concrete_fields if f.many_to_one and f.related_model]


def _prime(instances: list[Model]) -> None:
    """Load what the objects' names mention: one query per related model and kind."""
    by_model: dict[type[Model], list[Model]] = {}
    for instance in instances:
        by_model.setdefault(type(instance), []).append(instance)
    for model, group in by_model.items():
        for field in _foreign_keys(model):
            ids = {getattr(i, field.attname) for i in group} - {None}
            related = field.related_model._base_manager.in_bulk(ids) if ids else {}
            for instance in group:
                value = getattr(instance, field.attname)
                field.set_cached_value(instance, related.get(value))


def _anchor(kind: Kind, record) -> tuple[type[Model], int] | None:
    """The page a row links to: the object's own, else the first object it belongs to."""
    if hasattr(kind.model, "get_absolute_url"):
        return kind.model, record.id
    for field in _foreign_keys(kind.model):
        target = field.related_model
        if hasattr(target, "get_absolute_url") and access.governs(target):
            value = getattr(record, field.attname)
            return (target, value) if value is not None else None
    return None


def _links(user, anchors: set[tuple[type[Model], int]]) -> dict[tuple[type[Model], int], str]:
    """The URLs of the anchors that exist and that the user may open: one query per model."""
    ids: dict[type[Model], set[int]] = {}
    for model, pk in anchors:
        ids.setdefault(model, set()).add(pk)
    links = {}
    for model, pks in ids.items():
        # Whole rows: a page's address may need more than the key (a plan's section).
        for obj in access.scope(user, model).filter(pk__in=pks):
            links[(model, obj.pk)] = obj.get_absolute_url()
    return links


@dataclass
class Entry:
    when: datetime.datetime
    who: str
    unit: str
    what: str
    kind: str
    object: str
    url: str | None
    changes: list[str]
    reason: str


def audit_entries(user, filters: Filters, *, offset: int, limit: int) -> list[Entry]:
    """The page of the audit trail: the records described for people."""
    records = audit_records(user, filters, offset=offset, limit=limit)
    previous: dict[Kind, dict] = {}
    for kind in {record.audit_kind for record in records}:
        wanted = [r.prior_id for r in records if r.audit_kind == kind and r.history_type == "~"]
        previous[kind] = kind.history.objects.in_bulk([pk for pk in wanted if pk is not None])
    instances = [_instance(record) for record in records]
    _prime(instances)
    anchors = {_anchor(record.audit_kind, record) for record in records} - {None}
    links = _links(user, anchors)
    units = Unit.objects.in_bulk({r.changer_unit for r in records} - {None})
    diffs = [diff_of(r, previous[r.audit_kind].get(r.prior_id)) for r in records]
    names = names_of(change for diff in diffs for change in diff)
    entries = []
    for record, instance, diff in zip(records, instances, diffs, strict=True):
        unit = units.get(record.changer_unit)
        entries.append(
            Entry(
                when=record.history_date,
                who=who_of(record),
                unit=unit.name if unit else "",
                what=action_of(record),
                kind=str(record.audit_kind.model._meta.verbose_name),
                object=name_without_queries(instance),
                url=links.get(_anchor(record.audit_kind, record)),
                changes=changes_of(record, diff, names),
                reason=record.history_change_reason or "",
            )
        )
    return entries
