"""API of cases (role-checked like the pages) and of the public portal (no sign-in).

The reporter's identity appears only in ``GET /api/cases/{id}`` for the dispatchers of
the case's jurisdiction; every other answer leaves it out.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Body, Field, Router, Schema, Status

from ecogov import access, limits
from ecogov.apitypes import Id, InputSchema, Limit, Offset, RowOut, StepOut, one_of
from ecogov.cases import portal, services
from ecogov.cases.actions import ACTIONS, perform
from ecogov.cases.models import (
    OPEN_STATES,
    Assignment,
    Case,
    CaseEvent,
    Category,
    Channel,
    Satisfaction,
    State,
    Supervision,
)
from ecogov.cases.rules import reporter_for
from ecogov.cases.views import intake_jurisdiction
from ecogov.domain.supervision import Colour
from ecogov.text import clean_value

router = Router(tags=["cases"])
public_router = Router(tags=["public portal"])


ChannelName = one_of(*Channel.values)
CategoryName = one_of(*Category.values)
StateName = one_of(*State.values)
SupervisionLevel = one_of(*Supervision.values)
ColourName = one_of(*(colour.value for colour in Colour))
SatisfactionName = one_of(*Satisfaction.values)


class CaseOut(RowOut):
    id: int
    number: str
    channel: ChannelName
    text: str
    category: CategoryName
    subcategory: str
    address: str
    lon: Decimal | None
    lat: Decimal | None
    grid_id: int | None
    source_id: int | None
    state: StateName
    lead: str | None = Field(None, alias="lead_name")
    joint: bool
    supervision: SupervisionLevel
    due: datetime.date | None
    finish_due: datetime.date | None
    colour: str
    stage: int
    hotspot: bool
    duplicate_of_id: int | None
    registered_at: datetime.datetime
    closed_at: datetime.datetime | None


class AssignmentOut(Schema):
    unit: str = Field(..., alias="unit.name")
    role: one_of(*Assignment.Role.values)
    status: one_of(*Assignment.Status.values)
    assigned_at: datetime.datetime
    accept_due: datetime.date
    accepted_at: datetime.datetime | None
    transferred_from_id: int | None
    reason: str
    part: str


class CaseEventOut(Schema):
    at: datetime.datetime
    kind: one_of(*CaseEvent.Kind.values)
    unit: str | None = Field(None, alias="unit.name")
    note: str
    colour: str


class ReporterOut(Schema):
    anonymous: bool
    name: str
    phone: str
    email: str
    organisation: str


class CaseDetailOut(CaseOut, Schema):
    routing: dict
    investigation: str
    measures: str
    outcome: str
    decision_number: str
    penalty_amount: Decimal | None
    verification: str
    answer: str
    satisfaction: str
    public_summary: str
    assignments: list[AssignmentOut]
    events: list[CaseEventOut]
    reporter: ReporterOut | None

    @staticmethod
    def resolve_reporter(case, context):
        # Never the attribute itself: the dispatchers of the case's area alone read it.
        return reporter_for(context["request"].user, case)


class CaseIn(InputSchema):
    channel: ChannelName
    text: str
    category: one_of("", *Category.values) = ""
    address: str = ""
    lon: Decimal | None = None
    lat: Decimal | None = None
    supervision: SupervisionLevel = "general"
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_organisation: str = ""
    jurisdiction_id: Id | None = None


class CaseCreatedOut(Schema):
    id: int
    number: str
    state: str
    lead: str | None


@router.get("/cases", response=list[CaseOut])
def case_list(request, state: one_of("open", *State.values) | None = None,
              category: CategoryName | None = None, colour: ColourName | None = None,
              lead: Id | None = None, limit: Limit = 100, offset: Offset = 0):  # fmt: skip
    cases = access.scope(request.user, Case).annotate(lead_name=F("lead__name"))
    if state == "open":
        cases = cases.filter(state__in=OPEN_STATES)
    elif state:
        cases = cases.filter(state=state)
    if category:
        cases = cases.filter(category=category)
    if colour is not None:
        cases = cases.filter(colour=colour)
    if lead:
        cases = cases.filter(lead=lead)
    # Rows as dicts, as the sources' list: serialised from model instances, a page spent
    # most of its time building them and resolving the lead's name through a template
    # variable, row by row.
    return list(cases.values(*CaseOut.columns())[offset : offset + limit])


DETAIL_FIELDS = (
    "routing",
    "investigation",
    "measures",
    "outcome",
    "decision_number",
    "penalty_amount",
    "verification",
    "answer",
    "satisfaction",
    "public_summary",
)


@router.get("/cases/{case_id}", response=CaseDetailOut)
def case_detail(request, case_id: Id):
    return access.obtain(request.user, Case.objects.annotate(lead_name=F("lead__name")), case_id)


@router.post("/cases", response={201: CaseCreatedOut})
def case_create(request, payload: CaseIn):
    """The bureau registers a report from a staff channel (hotline, petition, …)."""
    if payload.channel not in services.STAFF_CHANNELS:
        raise ValidationError(_("Choose the channel."))
    jurisdiction = intake_jurisdiction(request.user, payload.jurisdiction_id)
    case = services.case_register(
        jurisdiction=jurisdiction, channel=payload.channel, text=payload.text,
        category=payload.category, address=payload.address, lon=payload.lon, lat=payload.lat,
        supervision=payload.supervision,
        reporter={"name": payload.reporter_name, "phone": payload.reporter_phone,
                  "organisation": payload.reporter_organisation},
        by=request.user,
    )  # fmt: skip
    return Status(201, {"id": case.pk, "number": case.number, "state": case.state,
                        "lead": case.lead.name if case.lead else None})  # fmt: skip


@router.post("/cases/{case_id}/steps/{action}", response=StepOut)
def case_step(request, case_id: Id, action: one_of(*ACTIONS), payload: Body[dict]):
    """Take a step: assign, accept, return, transfer, start, part, report, verify, close,
    answer, disclose, suspend_request, suspend, resume, unlink, note, reward. The body
    has the step's fields, e.g. ``{"reason": "…"}`` for return."""
    case = access.obtain(request.user, Case, case_id)
    message = perform(request.user, case, action, clean_value(payload))
    case.refresh_from_db()
    return {"detail": message, "state": case.state}


# --- the public portal --------------------------------------------------------------


class PublicReportIn(InputSchema):
    text: str
    category: one_of("", *Category.values) = ""
    address: str = ""
    lon: Decimal | None = None
    lat: Decimal | None = None
    name: str = ""
    phone: str = ""
    jurisdiction_id: Id | None = None


class ReceiptOut(Schema):
    number: str
    tracking_code: str


class PublicEventOut(Schema):
    at: datetime.datetime
    kind: str
    note: str

    @staticmethod
    def resolve_note(event):
        return event.public_note  # never the staff's internal note


class PublicCaseOut(Schema):
    number: str
    state: str
    category: str
    subcategory: str
    address: str
    registered_at: datetime.datetime
    answer: str
    satisfaction: str
    timeline: list[PublicEventOut]


class RatingIn(InputSchema):
    satisfaction: one_of(*(value for value in Satisfaction.values if value))
    comment: str = ""


class TooMany(Schema):
    detail: str


def _public_case(case: Case) -> dict:
    return {
        "number": case.number, "state": case.state, "category": case.category,
        "subcategory": case.subcategory, "address": case.address,
        "registered_at": case.registered_at, "answer": case.answer,
        "satisfaction": case.satisfaction,
        "timeline": list(case.events.filter(public=True).order_by("at", "pk")),
    }  # fmt: skip


@public_router.post("/reports", auth=None, response={201: ReceiptOut, 429: TooMany})
@limits.report_budget
def public_report(request, payload: PublicReportIn):
    """Report a problem without signing in; keep the tracking code to follow it."""
    jurisdictions = list(portal.portal_jurisdictions())
    chosen = [j for j in jurisdictions if j.pk == payload.jurisdiction_id] or (
        jurisdictions if len(jurisdictions) == 1 and payload.jurisdiction_id is None else []
    )
    if not chosen:
        raise ValidationError(_("Choose the district where the problem is."))
    if payload.lon is None and not payload.address.strip():
        raise ValidationError(_("Say where the problem is: an address or a point on the map."))
    case = services.case_register(
        jurisdiction=chosen[0], channel=Channel.PUBLIC, text=payload.text,
        category=payload.category, address=payload.address, lon=payload.lon, lat=payload.lat,
        reporter={"name": payload.name, "phone": payload.phone},
    )  # fmt: skip
    return Status(201, {"number": case.number, "tracking_code": case.tracking_code})


@public_router.get("/cases/{code}", auth=None, response={200: PublicCaseOut, 429: TooMany})
def public_case(request, code: str):
    if limits.LOOKUPS.spend(request):
        return limits.LOOKUPS.refusal(request)
    return _public_case(get_object_or_404(Case, tracking_code=code.strip().upper()[:12]))


@public_router.post("/cases/{code}/rating", auth=None,
                    response={200: PublicCaseOut, 429: TooMany})  # fmt: skip
def public_rating(request, code: str, payload: RatingIn):
    # A rating looks the code up too: it spends from the lookups' budget as well.
    for budget in (limits.LOOKUPS, limits.RATINGS):
        if budget.spend(request):
            return budget.refusal(request)
    case = get_object_or_404(Case, tracking_code=code.strip().upper()[:12])
    case = services.case_rate(case, satisfaction=payload.satisfaction, comment=payload.comment)
    return _public_case(case)


@public_router.get("/statistics", auth=None)
def public_statistics(request):
    """Counts the public may know: cases registered, closed and disclosed."""
    cases = Case.objects.all()
    return {
        "registered": cases.count(),
        "open": cases.filter(state__in=OPEN_STATES).count(),
        "closed": cases.filter(state=State.CLOSED).count(),
        "disclosed": cases.exclude(disclosed_at=None).count(),
    }
