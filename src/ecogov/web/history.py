"""The audit trail of an object as people read it: who, when, what changed.

The records come from django-simple-history; every registered model keeps them forever.
"""

from decimal import Decimal

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


def _written(value) -> str:
    """A changed field's value as the pages write it: 32.1, not the stored 32.100000."""
    if isinstance(value, Decimal):
        return plain(value)
    return formula_text(str(value)) if value not in (None, "") else "—"


def _describe(record) -> dict:
    changes = []
    if record.history_type == "~" and (previous := record.prev_record) is not None:
        meta = record.instance._meta
        for change in record.diff_against(previous).changes:
            label = meta.get_field(change.field).verbose_name
            changes.append(f"{label}: {_written(change.old)} → {_written(change.new)}")
    elif record.history_type in "+-" and getattr(record, "text", ""):
        # A duty clause created or deleted: its wording is what an inspector needs.
        changes.append(formula_text(record.text))
    user = record.history_user
    return {
        "when": record.history_date,
        "who": str(user) if user else _("system"),
        "what": str(_ACTIONS.get(record.history_type, record.history_type)),
        "object": f"{record.instance._meta.verbose_name}: {record.instance}",
        "changes": changes,
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
