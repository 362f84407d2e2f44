"""API of joint enforcement campaigns, role-checked like the pages: the list and one
campaign with its inspections and figures, setting one up or changing it (the bureau's
dispatchers), an inspection (a participating unit), a finding to a case, closing with
the summary. A change to a closed campaign is answered 409."""

import datetime
from functools import wraps

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from ecogov import access
from ecogov.apitypes import Id, InputSchema, one_of
from ecogov.campaigns import inputs, services
from ecogov.campaigns.models import Campaign, Inspection

router = Router(tags=["campaigns"])


def _conflict(view):
    """A closed campaign's refusal is a conflict with its state: 409, not 422."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except services.CampaignClosed as error:
            raise HttpError(409, "; ".join(error.messages)) from None

    return wrapped


class CampaignOut(Schema):
    id: int
    title: str
    jurisdiction: str = Field(..., alias="jurisdiction.name")
    state: one_of(*Campaign.State.values)
    start: datetime.date
    end: datetime.date
    units: list[str]
    source_types: list[str]
    grids: list[str]

    @staticmethod
    def resolve_units(campaign):
        return [unit.name for unit in campaign.units.all()]

    @staticmethod
    def resolve_source_types(campaign):
        return [kind.name for kind in campaign.source_types.all()]

    @staticmethod
    def resolve_grids(campaign):
        return [grid.name for grid in campaign.grids.all()]


class CampaignInspectionOut(Schema):
    id: int
    inspected_at: datetime.datetime = Field(..., alias="patrol.patrolled_at")
    source_id: int = Field(..., alias="patrol.source_id")
    source: str = Field(..., alias="patrol.source.name")
    units: list[str]
    inspectors: str
    finding: bool = Field(..., alias="patrol.finding")
    note: str = Field(..., alias="patrol.note")
    case: str | None

    @staticmethod
    def resolve_units(inspection):
        return [unit.name for unit in inspection.units.all()]

    @staticmethod
    def resolve_case(inspection):
        finding = getattr(inspection.patrol, "report", None)
        case = getattr(finding, "case", None) if finding is not None else None
        return case.number if case is not None else None


class CampaignDetailOut(CampaignOut):
    action_plan: str
    summary: str
    figures: services.CampaignFigures
    inspections: list[CampaignInspectionOut]

    @staticmethod
    def resolve_figures(campaign):
        if campaign.is_open:
            return services.campaign_figures(campaign)
        return services.CampaignFigures(**campaign.figures)

    @staticmethod
    def resolve_inspections(campaign):
        return campaign.inspections.select_related("patrol__source").order_by(
            "patrol__patrolled_at", "pk"
        )


class CampaignIn(InputSchema):
    title: str = Field(..., max_length=200)
    action_plan: str = Field(..., max_length=8000)
    start: datetime.date
    end: datetime.date
    units: list[Id] = Field(..., max_length=100)
    source_types: list[Id] = Field([], max_length=100)
    grids: list[Id] = Field([], max_length=100)


class CampaignInspectionIn(InputSchema):
    source: Id
    inspected_at: datetime.datetime
    inspectors: str = Field(..., max_length=200)
    units: list[Id] = Field([], max_length=100)
    finding: bool = False
    note: str = Field("", max_length=8000)
    checklist: list[str] = Field([], max_length=20)


class CampaignCloseIn(InputSchema):
    summary: str = Field(..., max_length=8000)


class CampaignCaseOut(Schema):
    number: str
    detail: str


def _setup_data(payload: CampaignIn) -> dict:
    data = payload.dict()
    data["start"], data["end"] = data["start"].isoformat(), data["end"].isoformat()
    return data


def _campaign(request, campaign_id: int) -> Campaign:
    return access.obtain(request.user, Campaign.objects.select_related("jurisdiction"), campaign_id)


@router.get("/campaigns", response=list[CampaignOut])
def campaign_list(request):
    return access.scope(request.user, Campaign).select_related("jurisdiction")


@router.get("/campaigns/{campaign_id}", response=CampaignDetailOut)
def campaign_detail(request, campaign_id: Id):
    return _campaign(request, campaign_id)


@router.post("/campaigns", response={201: CampaignDetailOut})
def campaign_create(request, payload: CampaignIn):
    """The bureau's dispatchers set up a campaign of their district."""
    user = request.user
    if not user.unit_id:
        raise ValidationError(_("Your account has no unit: ask an administrator."))
    jurisdiction = user.unit.jurisdiction
    setup = inputs.setup_from(jurisdiction, _setup_data(payload))
    campaign = services.campaign_create(jurisdiction=jurisdiction, setup=setup, by=user)
    return Status(201, campaign)


@router.put("/campaigns/{campaign_id}", response=CampaignDetailOut)
@_conflict
def campaign_update(request, campaign_id: Id, payload: CampaignIn):
    campaign = _campaign(request, campaign_id)
    setup = inputs.setup_from(campaign.jurisdiction, _setup_data(payload))
    return services.campaign_update(campaign, setup=setup, by=request.user)


@router.post("/campaigns/{campaign_id}/inspections", response={201: CampaignInspectionOut})
@_conflict
def inspection_create(request, campaign_id: Id, payload: CampaignInspectionIn):
    campaign = _campaign(request, campaign_id)
    data = payload.dict()
    data["source"] = [data["source"]]
    data["inspected_at"] = data["inspected_at"].isoformat()
    fields = inputs.inspection_fields(campaign, data)
    inspection = services.inspection_record(campaign, by=request.user, **fields)
    return Status(201, inspection)


@router.post("/campaigns/inspections/{inspection_id}/case", response={201: CampaignCaseOut})
@_conflict
def inspection_case(request, inspection_id: Id):
    inspection = access.obtain(
        request.user, Inspection.objects.select_related("campaign"), inspection_id
    )
    case = services.inspection_to_case(inspection, by=request.user)
    return Status(201, {"number": case.number, "detail": _("The finding is now case %(number)s.") % {
        "number": case.number}})  # fmt: skip


@router.post("/campaigns/{campaign_id}/close", response=CampaignDetailOut)
@_conflict
def campaign_close(request, campaign_id: Id, payload: CampaignCloseIn):
    campaign = _campaign(request, campaign_id)
    return services.campaign_close(campaign, summary=payload.summary, by=request.user)
