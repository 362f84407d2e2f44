"""API of people: who works where, in which role."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from ecogov import access
from ecogov.access import CHANGE, MANAGE
from ecogov.accounts.models import Role, User
from ecogov.accounts.services import PERSON_CONTACT_FIELDS, user_create, user_update
from ecogov.apitypes import Id, InputSchema, patch_fields
from ecogov.org.models import Unit

router = Router(tags=["people"])


class PersonOut(Schema):
    id: int
    username: str
    name: str
    role: str
    unit_id: int | None
    unit: str | None = Field(None, alias="unit.name")
    position: str
    phone: str
    email: str
    is_active: bool
    grid_ids: list[int] = Field(..., alias="grid_id_list")


class PersonIn(InputSchema):
    username: str = Field(..., min_length=2, max_length=150, pattern=r"^[\w.@+-]+$")
    password: str | None = Field(None, min_length=8)
    name: str = ""
    role: Role
    unit_id: Id | None = None
    position: str = ""
    phone: str = ""
    email: str = ""


class PersonPatch(InputSchema):
    name: str | None = None
    phone: str | None = None
    position: str | None = None
    email: str | None = None
    role: Role | None = None
    unit_id: Id | None = None
    is_active: bool | None = None


def _out(person: User) -> User:
    person.grid_id_list = [grid.pk for grid in person.grids.all()]
    return person


@router.get("/me", response=PersonOut)
def me(request):
    return _out(request.user)


@router.get("", response=list[PersonOut])
@paginate(LimitOffsetPagination)
def person_list(request, unit_id: Id | None = None):
    people = access.scope(request.user, User).select_related("unit").prefetch_related("grids")
    if unit_id is not None:
        people = people.filter(unit_id=unit_id)
    return [_out(person) for person in people.order_by("unit__order", "username")]


@router.get("/{person_id}", response=PersonOut)
def person_detail(request, person_id: Id):
    return _out(access.obtain(request.user, User.objects.select_related("unit"), person_id))


def _unit(request, unit_id: Id | None) -> Unit | None:
    if unit_id is None:
        return None
    return access.obtain(request.user, Unit, unit_id)


@router.post("", response={201: PersonOut})
def person_create(request, payload: PersonIn):
    if not access.is_admin(request.user):
        raise PermissionDenied(_("Only administrators create accounts."))
    data = payload.dict()
    unit = _unit(request, data.pop("unit_id"))
    if data["password"]:
        validate_password(data["password"])
    person = user_create(unit=unit, by=request.user, **data)
    return Status(201, _out(person))


@router.patch("/{person_id}", response=PersonOut)
def person_patch(request, person_id: Id, payload: PersonPatch):
    fields = patch_fields(payload, nullable=("unit_id",))
    defining = set(fields) - set(PERSON_CONTACT_FIELDS)
    person = access.obtain(request.user, User, person_id, MANAGE if defining else CHANGE)
    if "unit_id" in fields:
        fields["unit"] = _unit(request, fields.pop("unit_id"))
    if fields.get("is_active") is False and person == request.user:
        raise ValidationError(_("You cannot deactivate your own account."))
    user_update(user=person, by=request.user, **fields)
    return person_detail(request, person_id)
