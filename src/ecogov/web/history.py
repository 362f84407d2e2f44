"""The audit trail of an object as people read it: who, when, what changed.

The records come from django-simple-history; every registered model keeps them forever.
"""

import json
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalChanges

from ecogov.domain.notation import formula_text, plain
from ecogov.org.models import DutyItem, Unit, UnitName

LIMIT = 500

_ACTIONS = {
    "+": gettext_lazy("created"),
    "~": gettext_lazy("changed"),
    "-": gettext_lazy("deleted"),
}


def _value(field, value, names: dict) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field.many_to_one:
        # What the key pointed to, when it was looked up (names_of); else its number.
        return names.get((field.related_model, value), f"#{value}")
    if isinstance(value, Decimal):
        return plain(value)  # 32.1, not the stored 32.100000
    if isinstance(value, dict | list):  # a JSON field: its content, readable
        return json.dumps(value, ensure_ascii=False, default=str)
    choices = dict(field.flatchoices) if field.choices else {}
    return formula_text(str(choices.get(value, value)))


def diff_of(record, previous) -> list[tuple]:
    """(field, old, new) for each field that differs from the record before it."""
    if record.history_type != "~" or previous is None:
        return []
    meta = record.instance_type._meta
    return [
        (meta.get_field(change.field), change.old, change.new)
        for change in record.diff_against(previous).changes
    ]


def names_of(diffs) -> dict:
    """The names of the objects the changed keys point to: one query per related model."""
    wanted: dict[type, set] = {}
    for field, old, new in diffs:
        if field.many_to_one:
            wanted.setdefault(field.related_model, set()).update({old, new} - {None})
    return {
        (model, pk): name_without_queries(obj)
        for model, pks in wanted.items()
        for pk, obj in model._base_manager.in_bulk(pks).items()
    }


class _QueryBlocked(Exception):
    pass


def _no_queries(execute, sql, params, many, context):
    raise _QueryBlocked


def name_without_queries(obj) -> str:
    """str() of an object, or its number when its name needs the database (names of
    many rows must not cost a query each)."""
    try:
        with connection.execute_wrapper(_no_queries):
            return str(obj)
    except (_QueryBlocked, ObjectDoesNotExist, AttributeError, TypeError):
        return f"#{obj.pk}"


def changes_of(record, diff: list[tuple], names: dict) -> list[str]:
    """ "field: old → new" for each change; for a created or deleted duty clause, its
    wording (what an inspector needs)."""
    if record.history_type in "+-" and getattr(record, "text", ""):
        return [formula_text(record.text)]
    return [
        f"{field.verbose_name}: {_value(field, old, names)} → {_value(field, new, names)}"
        for field, old, new in diff
    ]


def action_of(record) -> str:
    return str(_ACTIONS.get(record.history_type, record.history_type))


def who_of(record) -> str:
    user = record.history_user
    return str(user) if user else _("system")


def _describe(record) -> dict:
    diff = diff_of(record, record.prev_record)
    return {
        "when": record.history_date,
        "who": who_of(record),
        "what": action_of(record),
        "object": f"{record.instance._meta.verbose_name}: {record.instance}",
        "changes": changes_of(record, diff, names_of(diff)),
        "reason": record.history_change_reason or "",
    }


# The parts whose history shows with their whole: a unit's names and duties, a task's
# units and reports. Apps add theirs with register_parts().
_PARTS: dict[type, list[tuple[type, str]]] = {Unit: [(UnitName, "unit_id"), (DutyItem, "unit_id")]}


def register_parts(model: type, parts: list[tuple[type, str]]) -> None:
    _PARTS.setdefault(model, []).extend(parts)


def _records(obj) -> list[HistoricalChanges]:
    sources = [type(obj).history.filter(id=obj.pk)]
    sources += [part.history.filter(**{field: obj.pk}) for part, field in _PARTS.get(type(obj), [])]
    records = [
        record
        for source in sources
        for record in source.select_related("history_user").order_by("-history_date")[:LIMIT]
    ]
    records.sort(key=lambda record: record.history_date, reverse=True)
    return records[:LIMIT]


def history_entries(obj) -> list[dict]:
    return [_describe(record) for record in _records(obj)]
