"""API of the rectification ledger, role-checked like the pages: the batches, a batch's
problems with their computed progress, one problem with its measures, milestones,
objections, look-backs and history, a new batch and problem, and the steps."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Body, Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from ecogov import access
from ecogov.apitypes import Id, InputSchema, Limit, Offset, one_of
from ecogov.org.models import Unit
from ecogov.rectification import actions, services
from ecogov.rectification.models import Batch, Measure, Origin, Problem
from ecogov.rectification.services import MeasureInput, MilestoneInput, Progress
from ecogov.supervision.api import ItemEventOut
from ecogov.text import clean_value

router = Router(tags=["rectification"])
StateName = one_of(*Problem.State.values)
StageName = one_of(*Problem.Stage.values)


class BatchOut(Schema):
    id: int
    title: str
    origin: one_of(*Origin.values)
    team: str
    received_on: datetime.date
    publicity_days: int
    lookback_percent: int
    lookback_days: int
    public: bool


@router.get("/rectification/batches", response=list[BatchOut])
def batch_list(request, limit: Limit = 100, offset: Offset = 0):
    batches = access.scope(request.user, Batch).order_by("-received_on", "-pk")
    return list(batches[offset : offset + limit])


class BatchIn(InputSchema):
    title: str = Field(..., max_length=200)
    origin: one_of(*Origin.values)
    team: str = Field("", max_length=100)
    received_on: datetime.date
    publicity_days: int = Field(7, ge=1, le=60)
    lookback_percent: int = Field(20, ge=0, le=100)
    lookback_days: int = Field(180, ge=1, le=1100)
    public: bool = True


class RectificationCreatedOut(Schema):
    id: int


def _home(user):
    if not user.unit_id:
        raise PermissionDenied(_("Your account has no unit: ask an administrator."))
    return user.unit.jurisdiction


@router.post("/rectification/batches", response={201: RectificationCreatedOut})
def batch_create(request, payload: BatchIn):
    batch = services.batch_create(jurisdiction=_home(request.user), by=request.user,
                                  **payload.dict())  # fmt: skip
    return Status(201, {"id": batch.pk})


class MeasureOut(Schema):
    id: int
    order: int
    text: str
    unit: str = Field(..., alias="unit.name")
    deadline: datetime.date | None
    done_on: datetime.date | None


class MilestoneOut(Schema):
    id: int
    due: datetime.date
    text: str
    reached_on: datetime.date | None


class ProblemOut(Schema):
    id: int
    batch: int = Field(..., alias="batch_id")
    seq: int
    text: str
    target: str
    stage: StageName
    leader: str
    state: StateName
    progress: one_of(*(p.value for p in Progress))
    lead: str = Field(..., alias="item.lead.name")
    acceptance_unit: str | None = Field(None, alias="acceptance_unit.name")
    deadline: datetime.date | None = Field(None, alias="item.deadline")
    ongoing: bool = Field(..., alias="item.ongoing")
    colour: str = Field(..., alias="item.colour")
    stage_escalated: int = Field(..., alias="item.stage")
    item: int = Field(..., alias="item_id")
    publicity_start: datetime.date | None
    publicity_end: datetime.date | None
    closed_on: datetime.date | None
    relapses: int

    @staticmethod
    def resolve_progress(problem):
        return services.progress_of(problem, timezone.localdate(),
                                    measures=list(problem.measures.all()),
                                    milestones=list(problem.milestones.all()))  # fmt: skip


class ObjectionOut(Schema):
    id: int
    received_on: datetime.date
    text: str
    decision: str
    note: str


class LookBackOut(Schema):
    id: int
    picked: bool
    due: datetime.date
    result: str
    checked_on: datetime.date | None
    unit: str = Field(..., alias="unit.name")
    note: str


class ProblemDetailOut(ProblemOut):
    measures: list[MeasureOut]
    milestones: list[MilestoneOut]
    objections: list[ObjectionOut]
    lookbacks: list[LookBackOut]
    events: list[ItemEventOut]
    steps: list[str] = []

    @staticmethod
    def resolve_measures(problem):
        return list(problem.measures.all())

    @staticmethod
    def resolve_milestones(problem):
        return list(problem.milestones.all())

    @staticmethod
    def resolve_objections(problem):
        return list(problem.objections.all())

    @staticmethod
    def resolve_lookbacks(problem):
        return list(problem.lookbacks.select_related("unit"))

    @staticmethod
    def resolve_events(problem):
        return list(problem.item.events.select_related("unit").order_by("at", "pk"))


def _problems(user):
    return access.scope(user, Problem).select_related(
        "item__lead", "acceptance_unit"
    ).prefetch_related(
        Prefetch("measures", queryset=Measure.objects.select_related("unit")), "milestones"
    )  # fmt: skip


@router.get("/rectification/problems", response=list[ProblemOut])
def problem_list(request, batch: Id | None = None, state: StateName | None = None,
                 limit: Limit = 100, offset: Offset = 0):  # fmt: skip
    """The problems the user may see, by batch and number."""
    problems = _problems(request.user)
    if batch:
        problems = problems.filter(batch=batch)
    if state:
        problems = problems.filter(state=state)
    return list(problems.order_by("batch", "seq")[offset : offset + limit])


@router.get("/rectification/problems/{problem_id}", response=ProblemDetailOut)
def problem_detail(request, problem_id: Id):
    problem = access.obtain(request.user, _problems(request.user), problem_id)
    problem.steps = actions.allowed(request.user, problem)
    return problem


class MeasureIn(InputSchema):
    text: str = Field(..., max_length=2000)
    unit: Id
    deadline: datetime.date | None = None


class MilestoneIn(InputSchema):
    text: str = Field(..., max_length=300)
    due: datetime.date


class ProblemIn(InputSchema):
    batch: Id
    text: str = Field(..., max_length=8000)
    target: str = Field("", max_length=8000)
    stage: StageName
    lead: Id
    leader: str = Field("", max_length=100)
    deadline: datetime.date | None = None
    acceptance_unit: Id | None = None
    measures: list[MeasureIn] = Field(..., min_length=1, max_length=services.MAX_MEASURES)
    milestones: list[MilestoneIn] = Field(default_factory=list, max_length=30)


def _unit(batch: Batch, pk: int | None, what: str) -> Unit | None:
    if pk is None:
        return None
    unit = Unit.objects.filter(pk=pk, jurisdiction=batch.jurisdiction).first()
    services.require(unit is not None, _("Choose %(what)s from the list.") % {"what": what})
    return unit


@router.post("/rectification/problems", response={201: RectificationCreatedOut})
def problem_create(request, payload: ProblemIn):
    """A problem entered by hand, with its measures (and milestones if long-term)."""
    batch = access.obtain(request.user, Batch, payload.batch)
    problem = services.problem_create(
        batch, text=payload.text, target=payload.target, stage=payload.stage,
        lead=_unit(batch, payload.lead, _("the lead unit")), leader=payload.leader,
        deadline=payload.deadline, by=request.user,
        acceptance_unit=_unit(batch, payload.acceptance_unit, _("the acceptance unit")),
        measures=[MeasureInput(m.text, _unit(batch, m.unit, _("a measure's unit")), m.deadline)
                  for m in payload.measures],
        milestones=[MilestoneInput(m.text, m.due) for m in payload.milestones],
    )  # fmt: skip
    return Status(201, {"id": problem.pk})


class ProblemStepOut(Schema):
    detail: str
    state: StateName


@router.post("/rectification/problems/{problem_id}/steps/{action}", response=ProblemStepOut)
def problem_step(request, problem_id: Id, action: one_of(*actions.ACTIONS), payload: Body[dict]):
    """Take a step: report ({"measure", "text", "percent", "done"}), milestone
    ({"milestone", "text"}), acceptance_unit ({"unit"}), apply ({"text"}), accept and
    refuse ({"note"}), sign_off ({"note"}), objection ({"text", "received_on"}), uphold
    and dismiss ({"objection", "note", "deadline"}), pick ({"due"}), look_back
    ({"lookback", "result": "holds"|"relapsed", "note", "deadline"}). Steps with files
    (evidence, the close-out document, a check record) go to ``…/upload``."""
    problem = access.obtain(request.user, Problem.objects.select_related("batch", "item"),
                            problem_id)  # fmt: skip
    message = actions.perform(request.user, problem, action, clean_value(payload))
    problem.refresh_from_db()
    return {"detail": message, "state": problem.state}


@router.post("/rectification/problems/{problem_id}/steps/{action}/upload", response=ProblemStepOut)
def problem_step_upload(request, problem_id: Id, action: one_of(*actions.ACTIONS),
                        files: File[list[UploadedFile]]):  # fmt: skip
    """The same steps as multipart forms: the fields as form fields, the files (at most
    five, checked by their bytes) as ``files``; close_out needs its document here."""
    problem = access.obtain(request.user, Problem.objects.select_related("batch", "item"),
                            problem_id)  # fmt: skip
    message = actions.perform(request.user, problem, action, request.POST, files)
    problem.refresh_from_db()
    return {"detail": message, "state": problem.state}
