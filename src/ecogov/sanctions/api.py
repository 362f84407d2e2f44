"""API of the sanctions, role-checked like the pages: each kind's list and record, their
creation by the bureau, a notice's issue and a referral's acknowledgement and outcome."""

import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from ecogov import access
from ecogov.apitypes import Id, InputSchema, Limit, Offset, one_of
from ecogov.org.models import Jurisdiction, Unit
from ecogov.sanctions import forms, services
from ecogov.sanctions.models import Admonition, CriticismNotice, Referral, Restriction
from ecogov.sanctions.services import CommitmentInput, SummonsInput

router = Router(tags=["sanctions"])
Numbers = Annotated[list[Annotated[str, Field(max_length=30)]], Field(max_length=50)]
UnitIds = Annotated[list[Id], Field(max_length=100)]


def _home(user) -> Jurisdiction:
    if not user.unit_id:
        raise PermissionDenied(_("Your account has no unit: ask an administrator."))
    return user.unit.jurisdiction


def _units(jurisdiction, ids) -> list[Unit]:
    units = list(Unit.objects.filter(pk__in=ids, jurisdiction=jurisdiction))
    if len(units) != len(set(ids)):
        raise ValidationError(_("Choose %(what)s from the list.") % {"what": _("a unit concerned")})
    return units


def _unit(jurisdiction, pk) -> Unit | None:
    return _units(jurisdiction, [pk])[0] if pk else None


def _records(user, jurisdiction, numbers):
    return forms.records_field(user, jurisdiction, "\n".join(numbers))


def _page(queryset, limit, offset):
    return list(queryset[offset : offset + limit])


class SanctionCreatedOut(Schema):
    id: int
    number: str


# --- notices ------------------------------------------------------------------------


class SanctionNoticeOut(Schema):
    id: int
    number: str
    title: str
    facts: str
    units: list[str]
    issuer: str = Field(..., alias="issuer.name")
    state: one_of(*CriticismNotice.State.values)
    issued_on: datetime.date | None
    published: bool

    @staticmethod
    def resolve_units(notice):
        return [unit.name for unit in notice.units.all()]


@router.get("/sanctions/notices", response=list[SanctionNoticeOut])
def notice_list(request, limit: Limit = 100, offset: Offset = 0):
    notices = access.scope(request.user, CriticismNotice).select_related("issuer")
    return _page(notices.prefetch_related("units").distinct(), limit, offset)


@router.get("/sanctions/notices/{notice_id}", response=SanctionNoticeOut)
def notice_detail(request, notice_id: Id):
    return access.obtain(request.user, CriticismNotice, notice_id)


class SanctionNoticeIn(InputSchema):
    title: str = Field(..., max_length=200)
    facts: str = Field(..., max_length=8000)
    units: UnitIds
    number: str = Field("", max_length=60)
    items: Numbers = []
    cases: Numbers = []


@router.post("/sanctions/notices", response={201: SanctionCreatedOut})
def notice_create(request, payload: SanctionNoticeIn):
    home = _home(request.user)
    items, cases = _records(request.user, home, [*payload.items, *payload.cases])
    notice = services.notice_create(
        jurisdiction=home, title=payload.title, facts=payload.facts,
        units=_units(home, payload.units), number=payload.number, items=items, cases=cases,
        by=request.user,
    )  # fmt: skip
    return Status(201, {"id": notice.pk, "number": notice.number})


class SanctionIssueIn(InputSchema):
    issued_on: datetime.date | None = None
    publish: bool = False


@router.post("/sanctions/notices/{notice_id}/issue", response=SanctionNoticeOut)
def notice_issue(request, notice_id: Id, payload: SanctionIssueIn):
    notice = access.obtain(request.user, CriticismNotice, notice_id)
    return services.notice_issue(notice, issued_on=payload.issued_on, publish=payload.publish,
                                 by=request.user)  # fmt: skip


# --- admonitions --------------------------------------------------------------------


class SanctionSummonsOut(Schema):
    unit: str = Field(..., alias="unit.name")
    attendee: str


class SanctionCommitmentOut(Schema):
    item: int = Field(..., alias="item_id")
    number: str = Field(..., alias="item.number")
    title: str = Field(..., alias="item.title")
    unit: str = Field(..., alias="item.lead.name")
    deadline: datetime.date | None = Field(None, alias="item.deadline")
    state: str = Field(..., alias="item.state")
    colour: str = Field(..., alias="item.colour")


class SanctionAdmonitionOut(Schema):
    id: int
    number: str
    title: str
    convener: str = Field(..., alias="convener.name")
    convener_position: str
    held_at: datetime.datetime
    place: str
    problems: str
    summoned: list[SanctionSummonsOut]
    commitments: list[SanctionCommitmentOut]

    @staticmethod
    def resolve_summoned(talk):
        return list(talk.summoned.select_related("unit"))

    @staticmethod
    def resolve_commitments(talk):
        return list(talk.commitments.select_related("item__lead").order_by("pk"))


@router.get("/sanctions/admonitions", response=list[SanctionAdmonitionOut])
def admonition_list(request, limit: Limit = 100, offset: Offset = 0):
    talks = access.scope(request.user, Admonition).select_related("convener")
    return _page(talks, limit, offset)


@router.get("/sanctions/admonitions/{admonition_id}", response=SanctionAdmonitionOut)
def admonition_detail(request, admonition_id: Id):
    return access.obtain(request.user, Admonition, admonition_id)


class SanctionSummonsIn(InputSchema):
    unit: Id
    attendee: str = Field(..., max_length=100)


class SanctionCommitmentIn(InputSchema):
    unit: Id
    text: str = Field(..., max_length=200)
    deadline: datetime.date


class SanctionAdmonitionIn(InputSchema):
    title: str = Field(..., max_length=200)
    convener: Id
    convener_position: str = Field(..., max_length=100)
    held_at: datetime.datetime
    place: str = Field(..., max_length=200)
    problems: str = Field(..., max_length=8000)
    summoned: Annotated[list[SanctionSummonsIn], Field(max_length=50)]
    commitments: Annotated[list[SanctionCommitmentIn], Field(max_length=50)] = []
    number: str = Field("", max_length=60)
    items: Numbers = []
    cases: Numbers = []


@router.post("/sanctions/admonitions", response={201: SanctionCreatedOut})
def admonition_create(request, payload: SanctionAdmonitionIn):
    home = _home(request.user)
    items, cases = _records(request.user, home, [*payload.items, *payload.cases])
    held_at = payload.held_at
    if timezone.is_naive(held_at):
        held_at = timezone.make_aware(held_at)
    talk = services.admonition_create(
        jurisdiction=home, title=payload.title, convener=_unit(home, payload.convener),
        convener_position=payload.convener_position, held_at=held_at, place=payload.place,
        problems=payload.problems,
        summoned=[SummonsInput(_unit(home, s.unit), s.attendee) for s in payload.summoned],
        commitments=[CommitmentInput(_unit(home, c.unit), c.text, c.deadline)
                     for c in payload.commitments],
        number=payload.number, items=items, cases=cases, by=request.user,
    )  # fmt: skip
    return Status(201, {"id": talk.pk, "number": talk.number})


# --- restrictions -------------------------------------------------------------------


class SanctionRestrictionOut(Schema):
    id: int
    number: str
    jurisdiction: int = Field(..., alias="jurisdiction_id")
    place: str = Field(..., alias="jurisdiction.name")
    reason: str
    starts_on: datetime.date
    ends_on: datetime.date
    lifted_on: datetime.date | None
    lift_reason: str
    decided_by: str = Field(..., alias="decided_by.name")


@router.get("/sanctions/restrictions", response=list[SanctionRestrictionOut])
def restriction_list(request, limit: Limit = 100, offset: Offset = 0):
    found = access.scope(request.user, Restriction).select_related("jurisdiction", "decided_by")
    return _page(found, limit, offset)


@router.get("/sanctions/restrictions/{restriction_id}", response=SanctionRestrictionOut)
def restriction_detail(request, restriction_id: Id):
    return access.obtain(request.user, Restriction, restriction_id)


class SanctionRestrictionIn(InputSchema):
    jurisdiction: Id
    reason: str = Field(..., max_length=8000)
    starts_on: datetime.date
    ends_on: datetime.date
    number: str = Field("", max_length=60)


@router.post("/sanctions/restrictions", response={201: SanctionCreatedOut})
def restriction_create(request, payload: SanctionRestrictionIn):
    restriction = services.restriction_decide(
        jurisdiction=forms.township_field(request.user, payload.jurisdiction),
        reason=payload.reason, starts_on=payload.starts_on, ends_on=payload.ends_on,
        number=payload.number, by=request.user,
    )  # fmt: skip
    return Status(201, {"id": restriction.pk, "number": restriction.number})


# --- referrals ----------------------------------------------------------------------


class SanctionRecordOut(Schema):
    kind: str
    number: str

    @staticmethod
    def resolve_kind(record):
        return "item" if record.item_id else "case"

    @staticmethod
    def resolve_number(record):
        return (record.item or record.case).number


class SanctionReferralOut(Schema):
    id: int
    number: str
    target: one_of(*Referral.Target.values)
    units: list[str]
    people: str
    reason: str
    state: one_of(*Referral.State.values)
    referred_on: datetime.date
    acknowledged_at: datetime.datetime | None
    acknowledgement: str
    outcome: str
    records: list[SanctionRecordOut]

    @staticmethod
    def resolve_units(referral):
        return [unit.name for unit in referral.units.all()]

    @staticmethod
    def resolve_records(referral):
        return list(referral.records.select_related("item", "case"))


@router.get("/sanctions/referrals", response=list[SanctionReferralOut])
def referral_list(request, limit: Limit = 100, offset: Offset = 0):
    return _page(access.scope(request.user, Referral).prefetch_related("units"), limit, offset)


@router.get("/sanctions/referrals/{referral_id}", response=SanctionReferralOut)
def referral_detail(request, referral_id: Id):
    return access.obtain(request.user, Referral, referral_id)


class SanctionReferralIn(InputSchema):
    target: one_of(*Referral.Target.values)
    units: UnitIds
    people: str = Field("", max_length=1000)
    reason: str = Field(..., max_length=8000)
    items: Numbers = []
    cases: Numbers = []
    referred_on: datetime.date | None = None
    number: str = Field("", max_length=60)


@router.post("/sanctions/referrals", response={201: SanctionCreatedOut})
def referral_create(request, payload: SanctionReferralIn):
    home = _home(request.user)
    items, cases = _records(request.user, home, [*payload.items, *payload.cases])
    referral = services.referral_create(
        jurisdiction=home, target=payload.target, units=_units(home, payload.units),
        people=payload.people, reason=payload.reason, items=items, cases=cases,
        referred_on=payload.referred_on, number=payload.number, by=request.user,
    )  # fmt: skip
    return Status(201, {"id": referral.pk, "number": referral.number})


class SanctionNoteIn(InputSchema):
    text: str = Field("", max_length=8000)


@router.post("/sanctions/referrals/{referral_id}/acknowledge", response=SanctionReferralOut)
def referral_acknowledge(request, referral_id: Id, payload: SanctionNoteIn):
    referral = access.obtain(request.user, Referral, referral_id)
    return services.referral_acknowledge(referral, note=payload.text, by=request.user)


@router.post("/sanctions/referrals/{referral_id}/conclude", response=SanctionReferralOut)
def referral_conclude(request, referral_id: Id, payload: SanctionNoteIn):
    referral = access.obtain(request.user, Referral, referral_id)
    return services.referral_conclude(referral, outcome=payload.text, by=request.user)
