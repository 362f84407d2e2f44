"""API of the blacklist and the project register, role-checked like the pages: the
listings (created as a multipart form with the decision document), their removal, the
candidates, and the projects (a refused registration answers 422 with the reason)."""

import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from ecogov import access
from ecogov.apitypes import Id, InputSchema, Limit, Offset, one_of
from ecogov.cases.models import Case
from ecogov.enterprises import services
from ecogov.enterprises.models import Listing, Project
from ecogov.meetings.models import Meeting
from ecogov.org.models import Jurisdiction
from ecogov.sanctions.forms import numbers_of
from ecogov.sources.models import Source

router = Router(tags=["enterprises"])


def _home(user) -> Jurisdiction:
    if not user.unit_id:
        raise PermissionDenied(_("Your account has no unit: ask an administrator."))
    return user.unit.jurisdiction


class EnterpriseListingOut(Schema):
    id: int
    uscc: str
    name: str
    ground: one_of(*Listing.Ground.values)
    grounds: str
    decision_number: str
    listed_on: datetime.date
    bar_until: datetime.date
    removed_on: datetime.date | None
    removal_reason: str
    published: bool
    source: int | None = Field(None, alias="source_id")
    cases: list[str]
    state: str

    @staticmethod
    def resolve_cases(listing):
        return [case.number for case in listing.cases.all()]

    @staticmethod
    def resolve_state(listing):
        return services.listing_state(listing, datetime.date.today())


@router.get("/enterprises/listings", response=list[EnterpriseListingOut])
def listing_list(request, state: one_of("in_force", "expired", "removed", "all") = "all",
                 limit: Limit = 100, offset: Offset = 0):  # fmt: skip
    found = services.listings_in(access.scope(request.user, Listing), state, datetime.date.today())
    return list(found.prefetch_related("cases")[offset : offset + limit])


@router.get("/enterprises/listings/{listing_id}", response=EnterpriseListingOut)
def listing_detail(request, listing_id: Id):
    return access.obtain(request.user, Listing, listing_id)


@router.post("/enterprises/listings", response={201: EnterpriseListingOut})
def listing_create(
    request, uscc: Form[str], name: Form[str], ground: Form[str], grounds: Form[str],
    decision_number: Form[str], document: File[UploadedFile],
    listed_on: Form[datetime.date | None] = None, source: Form[int | None] = None,
    cases: Form[str] = "", published: Form[bool] = True,
):  # fmt: skip
    """A multipart form: the listing's fields, ``cases`` as numbers separated by commas,
    and one ``document``, the decision (PDF, Word or an image, checked by its bytes)."""
    home = _home(request.user)
    found_source = None
    if source is not None:
        found_source = access.scope(request.user, Source).filter(pk=source).first()
        if found_source is None:
            raise PermissionDenied(_("No such pollution source, or it is not yours to see."))
    found_cases = []
    for number in numbers_of(cases):
        case = access.scope(request.user, Case).filter(number=number).first()
        if case is None:
            raise PermissionDenied(_("No case %(number)s that you may see.") % {"number": number})
        found_cases.append(case)
    listing = services.listing_create(
        jurisdiction=home, uscc=uscc, name=name, ground=ground, grounds=grounds,
        decision_number=decision_number, files=[document], listed_on=listed_on,
        source=found_source, cases=found_cases, published=published, by=request.user,
    )  # fmt: skip
    return Status(201, listing)


class EnterpriseRemoveIn(InputSchema):
    reason: str = Field(..., max_length=4000)
    on: datetime.date | None = None


@router.post("/enterprises/listings/{listing_id}/remove", response=EnterpriseListingOut)
def listing_remove(request, listing_id: Id, payload: EnterpriseRemoveIn):
    listing = access.obtain(request.user, Listing, listing_id)
    return services.listing_remove(listing, reason=payload.reason, on=payload.on, by=request.user)


class EnterpriseCandidateOut(Schema):
    uscc: str
    name: str
    source: int
    violations: int
    last: datetime.date
    cases: list[str]


@router.get("/enterprises/candidates", response=list[EnterpriseCandidateOut])
def candidate_list(request, violations: Annotated[int, Field(ge=1, le=100)] | None = None,
                   months: Annotated[int, Field(ge=1, le=120)] | None = None):  # fmt: skip
    home = _home(request.user)
    if not services.may_list(request.user, home):
        raise PermissionDenied(_("Only the ecology bureau's dispatchers decide the blacklist."))
    return [
        {"uscc": c.uscc, "name": c.name, "source": c.source.pk, "violations": c.violations,
         "last": c.last, "cases": [case.number for case in c.cases]}
        for c in services.candidates(home, violations=violations, months=months)
    ]  # fmt: skip


class EnterpriseProjectOut(Schema):
    id: int
    name: str
    builder: str
    builder_uscc: str
    jurisdiction: int = Field(..., alias="jurisdiction_id")
    address: str
    lon: float | None
    lat: float | None
    grid: int | None = Field(None, alias="grid_id")
    eia: one_of(*Project.Eia.values)
    eia_number: str
    meeting: int | None = Field(None, alias="meeting_id")
    override: int | None = Field(None, alias="override_id")
    registered_on: datetime.date


@router.get("/enterprises/projects", response=list[EnterpriseProjectOut])
def project_list(request, limit: Limit = 100, offset: Offset = 0):
    return list(access.scope(request.user, Project)[offset : offset + limit])


@router.get("/enterprises/projects/{project_id}", response=EnterpriseProjectOut)
def project_detail(request, project_id: Id):
    return access.obtain(request.user, Project, project_id)


class EnterpriseProjectIn(InputSchema):
    jurisdiction: Id = Field(..., description="the township or street")
    name: str = Field(..., max_length=200)
    builder: str = Field(..., max_length=200)
    builder_uscc: str = Field(..., max_length=30)
    eia: str = Field(..., max_length=12)
    eia_number: str = Field("", max_length=60)
    address: str = Field("", max_length=300)
    lon: float | None = Field(None, ge=-180, le=180)
    lat: float | None = Field(None, ge=-90, le=90)
    meeting: Id | None = None
    override: str = Field("", max_length=4000, description="the reason to override the bar")


@router.post("/enterprises/projects", response={201: EnterpriseProjectOut})
def project_register(request, payload: EnterpriseProjectIn):
    """Refused with 422 and the reason when the township is under a regional approval
    restriction or the builder is barred by the blacklist without an override."""
    township = access.scope(request.user, Jurisdiction).filter(
        pk=payload.jurisdiction, level=Jurisdiction.Level.TOWNSHIP).first()  # fmt: skip
    if township is None:
        raise PermissionDenied(_("No such township or street, or it is not yours."))
    meeting = None
    if payload.meeting is not None:
        meeting = access.scope(request.user, Meeting).filter(pk=payload.meeting).first()
        if meeting is None:
            raise PermissionDenied(_("No such meeting, or it is not yours to see."))
    project = services.project_register(
        jurisdiction=township, name=payload.name, builder=payload.builder,
        builder_uscc=payload.builder_uscc, eia=payload.eia, eia_number=payload.eia_number,
        address=payload.address, lon=payload.lon, lat=payload.lat, meeting=meeting,
        override=payload.override, by=request.user,
    )  # fmt: skip
    return Status(201, project)
