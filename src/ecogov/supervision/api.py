"""API of the supervision ledger, role-checked like the pages: the one list of every
kind, the ledger's own items with their history and steps, new instructions and special
items, and one's notices."""

import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Body, Field, Router, Schema, Status

from ecogov import access
from ecogov.apitypes import Id, InputSchema, Limit, Offset, RowOut, StepOut, one_of
from ecogov.domain.supervision import Colour
from ecogov.supervision import actions, ledger, services
from ecogov.supervision.models import Item, ItemEvent, Kind, LevelChoice, Notice
from ecogov.text import clean_value

router = Router(tags=["supervision"])

KindName = one_of(*Kind.values)
LevelName = one_of(*LevelChoice.values)
ColourName = one_of(*(colour.value for colour in Colour if colour.value))


class LedgerRowOut(RowOut):
    kind: KindName
    number: str
    title: str
    url: str
    lead: str
    support: list[str]
    level: LevelName
    due: datetime.date | None
    ongoing: bool
    colour: str
    stage: int
    state: str
    source: str


@router.get("/supervision/ledger", response=list[LedgerRowOut])
def ledger_list(request, kind: KindName | None = None, unit: Id | None = None,
                level: LevelName | None = None, colour: ColourName | None = None,
                closed: bool = False, escalated: Annotated[int, Field(ge=0, le=2)] = 0,
                limit: Limit = 100, offset: Offset = 0):  # fmt: skip
    """Every supervised item of every kind the user may see (plan tasks, cases, the
    ledger's own items), red first, then by deadline."""
    filters = ledger.Filters(
        kinds=frozenset({kind}) if kind else frozenset(), unit=unit, level=level or "",
        colour=colour or "", include_closed=closed, escalated=escalated,
    )  # fmt: skip
    found = ledger.page(request.user, filters, offset=offset, limit=limit)
    return found.rows if found.offset == offset else []


class ItemOut(RowOut):
    id: int
    kind: KindName
    number: str
    title: str
    text: str
    source: str
    lead: str = Field(..., alias="lead_name")
    supervisor: str = Field(..., alias="supervisor_name")
    level: LevelName
    deadline: datetime.date | None
    ongoing: bool
    report_every: int
    state: one_of(*Item.State.values)
    due: datetime.date | None
    colour: str
    stage: int
    created_at: datetime.datetime
    closed_at: datetime.datetime | None


# The units' names, for a row or an item.
UNIT_NAMES = {"lead_name": F("lead__name"), "supervisor_name": F("supervisor__name")}


class ItemEventOut(Schema):
    at: datetime.datetime
    kind: one_of(*ItemEvent.Kind.values)
    unit: str | None = Field(None, alias="unit.name")
    note: str
    percent: int | None
    colour: str


class ItemDetailOut(ItemOut, Schema):
    support: list[str]
    events: list[ItemEventOut]

    @staticmethod
    def resolve_support(item):
        return [unit.name for unit in item.support.all()]

    @staticmethod
    def resolve_events(item):
        return list(item.events.select_related("unit").order_by("at", "pk"))


@router.get("/supervision/items", response=list[ItemOut])
def item_list(request, kind: KindName | None = None, state: one_of(*Item.State.values) | None = None,
              limit: Limit = 100, offset: Offset = 0):  # fmt: skip
    items = access.scope(request.user, Item).annotate(**UNIT_NAMES)
    if kind:
        items = items.filter(kind=kind)
    if state:
        items = items.filter(state=state)
    rows = items.order_by("-created_at", "-pk").values(*ItemOut.columns())
    return list(rows[offset : offset + limit])


@router.get("/supervision/items/{item_id}", response=ItemDetailOut)
def item_detail(request, item_id: Id):
    return access.obtain(request.user, Item.objects.annotate(**UNIT_NAMES), item_id)


class ItemIn(InputSchema):
    kind: one_of(Kind.INSTRUCTION, Kind.SPECIAL)
    title: str = Field(..., max_length=200)
    text: str = Field("", max_length=8000)
    source: str = Field("", max_length=300)
    lead: Id
    support: list[Id] = Field(default_factory=list, max_length=50)
    level: LevelName = LevelChoice.GENERAL
    deadline: datetime.date | None = None
    ongoing: bool = False
    report_every: int = Field(1, ge=1, le=12)


class ItemCreatedOut(Schema):
    id: int
    number: str


@router.post("/supervision/items", response={201: ItemCreatedOut})
def item_create(request, payload: ItemIn):
    """A leader's instruction or a special supervision item, entered by the bureau or the
    government office."""
    user = request.user
    if not services.may_create(user):
        raise PermissionDenied(_("The bureau and the government office enter supervised items."))
    fields = payload.dict()
    fields.update(
        lead=str(payload.lead), support=[str(pk) for pk in payload.support],
        deadline=payload.deadline.isoformat() if payload.deadline else "",
        ongoing="1" if payload.ongoing else "", report_every=str(payload.report_every),
    )  # fmt: skip
    item = services.item_from_form(user, user.unit.jurisdiction, fields)
    return Status(201, {"id": item.pk, "number": item.number})


@router.post("/supervision/items/{item_id}/steps/{action}", response=StepOut)
def item_step(request, item_id: Id, action: one_of(*actions.ACTIONS), payload: Body[dict]):
    """Take a step: report ({"text", "percent"}), complete ({"text"}), verify ({"note"}),
    send_back ({"note"}), extend ({"deadline", "reason"}), reassign ({"lead", "reason"}),
    cancel ({"reason"}). Evidence files are uploaded on the item's page."""
    item = access.obtain(request.user, Item, item_id)
    message = actions.perform(request.user, item, action, clean_value(payload))
    item.refresh_from_db()
    return {"detail": message, "state": item.state}


class NoticeOut(Schema):
    id: int
    at: datetime.datetime
    subject: str
    body: str
    url: str
    colour: str
    read_at: datetime.datetime | None


@router.get("/notices", response=list[NoticeOut])
def notice_list(request, unread: bool = False, limit: Limit = 100, offset: Offset = 0):
    notices = Notice.objects.filter(recipient=request.user)
    if unread:
        notices = notices.filter(read_at=None)
    return list(notices.order_by("-at", "-pk")[offset : offset + limit])


@router.post("/notices/read")
def notices_read(request):
    count = Notice.objects.filter(recipient=request.user, read_at=None).update(
        read_at=timezone.now()
    )
    return {"detail": _("%(n)d notices marked as read.") % {"n": count}}
