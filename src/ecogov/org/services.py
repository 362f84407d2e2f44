"""Writes to the registry. Every change is validated, runs in a transaction and lands in
the audit history with who made it and why."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Model
from django.utils.translation import gettext as _

from ecogov.domain.dutylist import DutyListDocument
from ecogov.org.models import DutyItem, Jurisdiction, Unit, UnitName
from ecogov.org.selectors import unit_find

UNIT_CONTACT_FIELDS = ("contact_section", "member", "member_position", "liaison", "liaison_phone")
UNIT_DEFINING_FIELDS = ("name", "kind", "parent", "order", "is_active")


def _check_text(instance: Model) -> None:
    """Refuse text no database stores faithfully: NUL characters and lone surrogates."""
    errors = {}
    for model_field in instance._meta.concrete_fields:
        value = getattr(instance, model_field.attname)
        if isinstance(value, str):
            if "\x00" in value:
                errors[model_field.name] = _("Text may not contain NUL characters.")
            elif not encodable(value):
                errors[model_field.name] = _("Text must be valid Unicode.")
    if errors:
        raise ValidationError(errors)


def encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def audited_save(instance: Model, *, by=None, reason: str = "") -> None:
    """Validate and save; the history row records ``by`` and ``reason``."""
    _check_text(instance)
    instance.full_clean()
    if by is not None and by.is_authenticated:
        instance._history_user = by
    if reason:
        instance._change_reason = reason
    instance.save()


def audited_delete(instance: Model, *, by=None, reason: str = "") -> None:
    if by is not None and by.is_authenticated:
        instance._history_user = by
    if reason:
        instance._change_reason = reason
    instance.delete()


@transaction.atomic
def jurisdiction_create(
    *, name: str, level: int, parent: Jurisdiction | None = None, code: str = "", by=None
) -> Jurisdiction:
    if parent is not None and level <= parent.level:
        raise ValidationError(
            _("%(name)s must be at a lower level than its parent %(parent)s.")
            % {"name": name, "parent": parent.name}
        )
    area = Jurisdiction(name=name.strip(), level=level, parent=parent, code=code.strip())
    audited_save(area, by=by)
    return area


@transaction.atomic
def jurisdiction_ensure(
    *, name: str, level: int, parent: Jurisdiction | None = None, code: str = "", by=None
) -> Jurisdiction:
    """The area with that name under that parent, created if missing (idempotent)."""
    existing = Jurisdiction.objects.filter(name=name, parent=parent).first()
    if existing is not None:
        return existing
    return jurisdiction_create(name=name, level=level, parent=parent, code=code, by=by)


def _check_name_free(jurisdiction: Jurisdiction, name: str, unit: Unit | None = None) -> None:
    taken = unit_find(jurisdiction, name)
    if taken is not None and taken != unit:
        raise ValidationError(
            _("The name %(name)s already belongs to %(unit)s.") % {"name": name, "unit": taken}
        )


@transaction.atomic
def unit_create(
    *,
    jurisdiction: Jurisdiction,
    name: str,
    kind: str = Unit.Kind.OTHER,
    by=None,
    reason: str = "",
    **fields,
) -> Unit:
    name = name.strip()
    _check_name_free(jurisdiction, name)
    if not fields.get("order"):
        # The list's number: a duty list gives its own; any other unit comes next, so
        # that no unit shows a misleading 0.
        last = Unit.objects.filter(jurisdiction=jurisdiction).aggregate(Max("order"))
        fields["order"] = (last["order__max"] or 0) + 1
    unit = Unit(jurisdiction=jurisdiction, name=name, kind=kind, **fields)
    audited_save(unit, by=by, reason=reason)
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, by=None, reason: str = "", **fields) -> Unit:
    """Change a unit's fields. Renames go through unit_rename, which keeps the old name."""
    if "name" in fields and fields["name"] != unit.name:
        raise ValidationError(_("Use rename to change a unit's name: the old name is kept."))
    unknown = set(fields) - set(UNIT_CONTACT_FIELDS) - set(UNIT_DEFINING_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(unknown)})
    changed = [key for key, value in fields.items() if getattr(unit, key) != value]
    if not changed:
        return unit
    for key in changed:
        setattr(unit, key, fields[key])
    audited_save(unit, by=by, reason=reason)
    return unit


@transaction.atomic
def unit_rename(
    *,
    unit: Unit,
    new_name: str,
    until: datetime.date | None = None,
    note: str = "",
    by=None,
) -> Unit:
    """Give a unit its new name and keep the old one as a former name, findable forever."""
    new_name = new_name.strip()
    if new_name == unit.name:
        return unit
    _check_name_free(unit.jurisdiction, new_name, unit)
    old_name = unit.name
    # The new name may have been recorded as an alias before the rename was official.
    UnitName.objects.filter(unit=unit, name=new_name).delete()
    former = UnitName(unit=unit, name=old_name, kind=UnitName.Kind.FORMER, until=until, note=note)
    audited_save(former, by=by, reason=note)
    unit.name = new_name
    audited_save(unit, by=by, reason=note or _("renamed from %(old)s") % {"old": old_name})
    return unit


@transaction.atomic
def unit_add_name(
    *, unit: Unit, name: str, kind: str = UnitName.Kind.ALIAS, note: str = "", by=None
) -> UnitName:
    name = name.strip()
    existing = UnitName.objects.filter(unit=unit, name=name).first()
    if existing is not None:
        return existing
    if name == unit.name:
        raise ValidationError(_("%(name)s is already the unit's name.") % {"name": name})
    _check_name_free(unit.jurisdiction, name, unit)
    other = UnitName(unit=unit, name=name, kind=kind, note=note)
    audited_save(other, by=by, reason=note)
    return other


@transaction.atomic
def duty_item_create(*, unit: Unit, text: str, source: str = "", by=None) -> DutyItem:
    last = DutyItem.objects.filter(unit=unit, source=source).order_by("-number").first()
    item = DutyItem(
        unit=unit, text=text.strip(), source=source, number=(last.number + 1) if last else 1
    )
    audited_save(item, by=by)
    return item


@transaction.atomic
def duty_item_update(*, item: DutyItem, text: str, by=None, reason: str = "") -> DutyItem:
    if item.text != text.strip():
        item.text = text.strip()
        audited_save(item, by=by, reason=reason)
    return item


@transaction.atomic
def duty_item_delete(*, item: DutyItem, by=None, reason: str = "") -> None:
    audited_delete(item, by=by, reason=reason)


@dataclass
class ImportReport:
    jurisdiction: str
    source: str
    units_created: list[str] = field(default_factory=list)
    units_found: list[str] = field(default_factory=list)
    duties_added: int = 0
    duties_changed: int = 0
    duties_removed: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.units_created or self.duties_added or self.duties_changed or self.duties_removed
        )


def _source_label(document: DutyListDocument) -> str:
    parts = [document.doc_number, document.title and f"《{document.title}》"]
    return " ".join(part for part in parts if part)[:200]


@transaction.atomic
def duty_list_import(
    *, document: DutyListDocument, jurisdiction: Jurisdiction, by=None, source: str = ""
) -> ImportReport:
    """Create the document's member units and make their duty items those of the document.

    Idempotent: units are found by current, alias or former name, so a unit renamed
    since keeps its new name; its duty items from this document are replaced only
    where their text differs. Items from other documents are left alone.
    """
    source = source or _source_label(document)
    report = ImportReport(jurisdiction=str(jurisdiction), source=source)
    report.warnings.extend(document.warnings)
    reason = _("imported from %(source)s") % {"source": source}
    for parsed in document.units:
        unit = unit_find(jurisdiction, parsed.name)
        if unit is None:
            unit = unit_create(
                jurisdiction=jurisdiction,
                name=parsed.name,
                kind=parsed.kind,
                order=parsed.order,
                source=source,
                by=by,
                reason=reason,
            )
            report.units_created.append(unit.name)
        else:
            report.units_found.append(unit.name)
        existing = {item.number: item for item in DutyItem.objects.filter(unit=unit, source=source)}
        for number, clause in enumerate(parsed.duties, start=1):
            item = existing.pop(number, None)
            wanted = {"text": clause.text, "section": clause.section, "line": clause.line}
            if item is None:
                audited_save(
                    DutyItem(unit=unit, number=number, source=source, **wanted),
                    by=by,
                    reason=reason,
                )
                report.duties_added += 1
            elif any(getattr(item, key) != value for key, value in wanted.items()):
                for key, value in wanted.items():
                    setattr(item, key, value)
                audited_save(item, by=by, reason=reason)
                report.duties_changed += 1
        for item in existing.values():
            audited_delete(item, by=by, reason=reason)
            report.duties_removed += 1
    return report
