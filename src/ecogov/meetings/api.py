"""API of coordination meetings, role-checked like the pages: meetings, their topics,
agenda, attendance and minutes; the steps of each (``/steps/{action}``) take the same
fields as the page's forms. A change to issued minutes answers 409."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Body, Field, Router, Schema, Status
from ninja.errors import HttpError

from ecogov import access
from ecogov.apitypes import Id, InputSchema, Limit, Offset, StepOut, one_of
from ecogov.meetings import actions, services
from ecogov.meetings.exports import minutes_document
from ecogov.meetings.models import Meeting, MeetingKind, Minutes, Topic
from ecogov.meetings.views import DOCX, meeting_from_form
from ecogov.spreadsheets import download
from ecogov.text import clean_value

router = Router(tags=["meetings"])


class MeetingOut(Schema):
    id: int
    title: str
    kind: str
    convener: str
    starts_at: datetime.datetime
    place: str
    chair: str
    state: str

    @staticmethod
    def resolve_convener(meeting):
        return meeting.convener.name


class AgendaOut(Schema):
    order: int
    kind: str
    title: str
    topic_id: int | None
    case_id: int | None
    item_id: int | None


class InvitationOut(Schema):
    unit_id: int
    unit: str
    attendance: str
    person: str
    position: str

    @staticmethod
    def resolve_unit(invitation):
        return invitation.unit.name


class TopicOut(Schema):
    id: int
    meeting_id: int | None
    unit: str
    title: str
    text: str
    state: str
    reason: str

    @staticmethod
    def resolve_unit(topic):
        return topic.unit.name


class MinutesBriefOut(Schema):
    id: int
    title: str
    number: str
    state: str
    corrects_id: int | None


class MeetingDetailOut(MeetingOut):
    agenda: list[AgendaOut]
    invitations: list[InvitationOut]
    topics: list[TopicOut]
    minutes: list[MinutesBriefOut]

    @staticmethod
    def resolve_agenda(meeting):
        return list(meeting.agenda.order_by("order", "pk"))

    @staticmethod
    def resolve_invitations(meeting):
        return list(meeting.invitations.select_related("unit"))

    @staticmethod
    def resolve_topics(meeting, context):
        user = context["request"].user
        return list(access.scope(user, Topic).filter(meeting=meeting).select_related("unit"))

    @staticmethod
    def resolve_minutes(meeting, context):
        user = context["request"].user
        return list(
            access.scope(user, Minutes).filter(meeting=meeting).order_by("created_at", "pk")
        )


class ResolutionOut(Schema):
    order: int
    text: str
    lead: str
    support: list[str]
    deadline: datetime.date | None
    ongoing: bool
    report_every: int
    level: str
    item_id: int | None
    item_number: str | None
    item_state: str | None
    item_colour: str | None


class CorrectionOut(Schema):
    unit: str
    text: str
    at: datetime.datetime


class MinutesOut(MinutesBriefOut):
    meeting_id: int
    text: str
    issued_at: datetime.datetime | None
    resolutions: list[ResolutionOut]
    corrections: list[CorrectionOut]


class MinutesStepOut(StepOut):
    minutes_id: int


class ErrorOut(Schema):
    detail: str


class MeetingCreatedOut(Schema):
    id: int
    state: str


class MeetingIn(InputSchema):
    kind: one_of(*MeetingKind.values)
    title: str = Field(max_length=200)
    starts_at: datetime.datetime
    convener_id: Id | None = None
    place: str = Field("", max_length=200)
    chair: str = Field("", max_length=100)
    invite: list[Id] = Field(default_factory=list, max_length=200)


class TopicIn(InputSchema):
    title: str = Field(max_length=200)
    text: str = Field("", max_length=8000)
    meeting_id: Id | None = None


class DecideIn(InputSchema):
    accept: bool
    reason: str = Field("", max_length=300)
    meeting_id: Id | None = None


def _home(request):
    user = request.user
    if not user.unit_id:
        raise ValidationError(_("Your account has no unit: ask an administrator."))
    return user.unit.jurisdiction


@router.get("/meetings", response=list[MeetingOut])
def meeting_list(request, kind: one_of(*MeetingKind.values) | None = None,
                 state: one_of(*Meeting.State.values) | None = None, limit: Limit = 100,
                 offset: Offset = 0):  # fmt: skip
    meetings = access.scope(request.user, Meeting).select_related("convener")
    if kind:
        meetings = meetings.filter(kind=kind)
    if state:
        meetings = meetings.filter(state=state)
    return list(meetings[offset : offset + limit])


@router.post("/meetings", response={201: MeetingCreatedOut})
def meeting_create(request, payload: MeetingIn):
    """Call a meeting; the convening unit defaults to the one the seeds name for its kind."""
    fields = payload.dict()
    post = {
        "kind": fields["kind"], "title": fields["title"], "place": fields["place"],
        "chair": fields["chair"], "convener": fields["convener_id"] or "",
        "starts_at": fields["starts_at"].isoformat(), "invite": fields["invite"],
    }  # fmt: skip
    meeting = meeting_from_form(request.user, _home(request), post)
    return Status(201, {"id": meeting.pk, "state": meeting.state})


@router.post("/meetings/topics", response={201: MeetingCreatedOut})
def topic_propose(request, payload: TopicIn):
    """议题申报 for the caller's unit, for a planned meeting or (without one) the next."""
    meeting = None
    if payload.meeting_id is not None:
        meeting = access.obtain(request.user, Meeting, payload.meeting_id)
    topic = services.topic_propose(unit=None, title=payload.title, text=payload.text,
                                   meeting=meeting, by=request.user)  # fmt: skip
    return Status(201, {"id": topic.pk, "state": topic.state})


@router.post("/meetings/topics/{topic_id}/decide", response=MeetingCreatedOut)
def topic_decide(request, topic_id: Id, payload: DecideIn):
    topic = access.obtain(request.user, Topic, topic_id)
    meeting = None
    if payload.meeting_id is not None:
        meeting = access.obtain(request.user, Meeting, payload.meeting_id)
    topic = services.topic_decide(topic, accept=payload.accept, reason=payload.reason,
                                  meeting=meeting, by=request.user)  # fmt: skip
    return {"id": topic.pk, "state": topic.state}


@router.get("/meetings/minutes/{minutes_id}", response=MinutesOut)
def minutes_detail(request, minutes_id: Id):
    minutes = access.obtain(request.user, Minutes, minutes_id)
    return {
        **MinutesBriefOut.from_orm(minutes).dict(),
        "meeting_id": minutes.meeting_id, "text": minutes.text, "issued_at": minutes.issued_at,
        "resolutions": [
            {
                "order": r.order, "text": r.text, "lead": r.lead.name,
                "support": [unit.name for unit in r.support.all()], "deadline": r.deadline,
                "ongoing": r.ongoing, "report_every": r.report_every, "level": r.level,
                "item_id": r.item_id, "item_number": r.item.number if r.item else None,
                "item_state": r.item.state if r.item else None,
                "item_colour": r.item.colour if r.item else None,
            }
            for r in minutes.resolutions.select_related("lead", "item").order_by("order")
        ],
        "corrections": [
            {"unit": c.unit.name, "text": c.text, "at": c.at}
            for c in minutes.comments.select_related("unit")
        ],
    }  # fmt: skip


@router.post("/meetings/minutes/{minutes_id}/steps/{action}",
             response={200: MinutesStepOut, 409: ErrorOut})  # fmt: skip
def minutes_step(request, minutes_id: Id, action: one_of(*actions.MINUTES_ACTIONS),
                 payload: Body[dict]):  # fmt: skip
    """edit, resolution_add, resolution_change, resolution_remove, circulate, comment,
    issue, correct. A resolution's fields: text, lead (unit id), support (ids), deadline
    (YYYY-MM-DD) or ongoing with report_every (months), level. Issued minutes answer
    409; ``correct`` answers the new draft that corrects them."""
    minutes = access.obtain(request.user, Minutes, minutes_id)
    try:
        message, shown = actions.perform_minutes(
            request.user, minutes, action, clean_value(payload)
        )
    except services.MinutesIssued as error:
        raise HttpError(409, "; ".join(error.messages)) from None
    shown.refresh_from_db()
    return {"detail": message, "state": shown.state, "minutes_id": shown.pk}


@router.get("/meetings/minutes/{minutes_id}/docx")
def minutes_docx(request, minutes_id: Id):
    """The minutes as the Word document offices issue (a draft is marked 草稿)."""
    minutes = access.obtain(request.user, Minutes, minutes_id)
    return download(minutes_document(minutes), f"{minutes.title}.docx", DOCX,
                    ascii_name=f"minutes-{minutes.pk}.docx")  # fmt: skip


@router.get("/meetings/{meeting_id}", response=MeetingDetailOut)
def meeting_detail(request, meeting_id: Id):
    meeting = access.obtain(request.user, Meeting.objects.select_related("convener"), meeting_id)
    return meeting


@router.post("/meetings/{meeting_id}/steps/{action}", response=StepOut)
def meeting_step(request, meeting_id: Id, action: one_of(*actions.MEETING_ACTIONS),
                 payload: Body[dict]):  # fmt: skip
    """hold, cancel, invite (units: ids), uninvite (invitation), attend (unit, attendance
    present/substitute/absent, person, position), agenda_add (kind topic/case/item/review
    with ref, or text), agenda_remove/agenda_up/agenda_down (entry), decide (topic,
    decision accept/decline, reason), draft (title, text)."""
    meeting = access.obtain(request.user, Meeting, meeting_id)
    message = actions.perform_meeting(request.user, meeting, action, clean_value(payload))
    meeting.refresh_from_db()
    return {"detail": message, "state": meeting.state}
