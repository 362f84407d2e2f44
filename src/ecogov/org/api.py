"""API of the registry: jurisdictions, units, their other names and duty items."""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from ecogov import access
from ecogov.access import CHANGE, MANAGE
from ecogov.apitypes import Id, InputSchema, patch_fields
from ecogov.org.models import DutyItem, Jurisdiction, Unit, UnitName
from ecogov.org.selectors import unit_search, unit_with_names
from ecogov.org.services import (
    UNIT_CONTACT_FIELDS,
    duty_item_create,
    duty_item_delete,
    duty_item_update,
    unit_add_name,
    unit_rename,
    unit_update,
)
from ecogov.web.history import history_entries

router = Router(tags=["registry"])


class JurisdictionOut(Schema):
    id: int
    name: str
    level: int
    code: str
    parent_id: int | None


class NameOut(Schema):
    name: str
    kind: str
    until: datetime.date | None
    note: str


class DutyOut(Schema):
    id: int
    unit_id: int
    number: int
    text: str
    source: str
    section: str
    line: int | None


class UnitOut(Schema):
    id: int
    name: str
    kind: str
    jurisdiction_id: int
    parent_id: int | None
    contact_section: str
    member: str
    member_position: str
    liaison: str
    liaison_phone: str
    is_active: bool
    other_names: list[NameOut] = Field(..., alias="other_names_list")


class UnitDetailOut(UnitOut):
    duties: list[DutyOut] = Field(..., alias="duties_list")


class UnitPatch(InputSchema):
    contact_section: str | None = None
    member: str | None = None
    member_position: str | None = None
    liaison: str | None = None
    liaison_phone: str | None = None
    kind: Unit.Kind | None = None
    order: int | None = None
    is_active: bool | None = None


class RenameIn(InputSchema):
    new_name: str = Field(..., min_length=2, max_length=100)
    until: datetime.date | None = None
    note: str = ""


class NameIn(InputSchema):
    name: str = Field(..., min_length=2, max_length=100)
    note: str = ""


class DutyIn(InputSchema):
    text: str = Field(..., min_length=2)
    source: str = ""


class DutyPatch(InputSchema):
    text: str = Field(..., min_length=2)


class HistoryOut(Schema):
    when: datetime.datetime
    who: str
    what: str
    object: str
    changes: list[str]
    reason: str


def _unit_out(unit: Unit) -> Unit:
    unit.other_names_list = list(unit.other_names.all())
    unit.duties_list = list(unit.duties.all())
    return unit


@router.get("/jurisdictions", response=list[JurisdictionOut])
def jurisdiction_list(request):
    return access.scope(request.user, Jurisdiction)


@router.get("/jurisdictions/{jurisdiction_id}", response=JurisdictionOut)
def jurisdiction_detail(request, jurisdiction_id: Id):
    return access.obtain(request.user, Jurisdiction, jurisdiction_id)


@router.get("/units", response=list[UnitOut])
@paginate(LimitOffsetPagination)
def unit_list(request, jurisdiction_id: Id | None = None, q: str = ""):
    units = access.scope(request.user, Unit)
    if jurisdiction_id is not None:
        units = units.filter(jurisdiction_id=jurisdiction_id)
    return [_unit_out(unit) for unit in unit_with_names(unit_search(units, q))]


@router.get("/units/{unit_id}", response=UnitDetailOut)
def unit_detail(request, unit_id: Id):
    return _unit_out(access.obtain(request.user, unit_with_names(Unit.objects.all()), unit_id))


@router.patch("/units/{unit_id}", response=UnitDetailOut)
def unit_patch(request, unit_id: Id, payload: UnitPatch):
    fields = patch_fields(payload, nullable=())
    defining = set(fields) - set(UNIT_CONTACT_FIELDS)
    unit = access.obtain(request.user, Unit, unit_id, MANAGE if defining else CHANGE)
    unit_update(unit=unit, by=request.user, **fields)
    return unit_detail(request, unit_id)


@router.post("/units/{unit_id}/rename", response=UnitDetailOut)
def unit_rename_endpoint(request, unit_id: Id, payload: RenameIn):
    unit = access.obtain(request.user, Unit, unit_id, MANAGE)
    unit_rename(
        unit=unit,
        new_name=payload.new_name,
        until=payload.until,
        note=payload.note,
        by=request.user,
    )
    return unit_detail(request, unit_id)


@router.post("/units/{unit_id}/aliases", response={201: NameOut})
def unit_alias_add(request, unit_id: Id, payload: NameIn):
    unit = access.obtain(request.user, Unit, unit_id, MANAGE)
    name = unit_add_name(
        unit=unit, name=payload.name, kind=UnitName.Kind.ALIAS, note=payload.note, by=request.user
    )
    return Status(201, name)


@router.get("/units/{unit_id}/duties", response=list[DutyOut])
def unit_duties(request, unit_id: Id):
    unit = access.obtain(request.user, Unit, unit_id)
    return unit.duties.order_by("source", "number")


@router.post("/units/{unit_id}/duties", response={201: DutyOut})
def duty_create(request, unit_id: Id, payload: DutyIn):
    unit = access.obtain(request.user, Unit, unit_id, MANAGE)
    return Status(
        201, duty_item_create(unit=unit, text=payload.text, source=payload.source, by=request.user)
    )


@router.get("/duties/{duty_id}", response=DutyOut)
def duty_detail(request, duty_id: Id):
    return access.obtain(request.user, DutyItem, duty_id)


@router.patch("/duties/{duty_id}", response=DutyOut)
def duty_patch(request, duty_id: Id, payload: DutyPatch):
    item = access.obtain(request.user, DutyItem, duty_id, MANAGE)
    return duty_item_update(item=item, text=payload.text, by=request.user)


@router.delete("/duties/{duty_id}", response={204: None})
def duty_delete(request, duty_id: Id):
    item = access.obtain(request.user, DutyItem, duty_id, MANAGE)
    duty_item_delete(item=item, by=request.user)
    return Status(204, None)


@router.get("/units/{unit_id}/history", response=list[HistoryOut])
def unit_history(request, unit_id: Id):
    unit = access.obtain(request.user, Unit, unit_id)
    if not access.can_see_history(request.user):
        raise PermissionDenied(_("Only administrators and discipline inspectors read the history."))
    return history_entries(unit)
