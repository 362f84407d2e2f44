"""API of the assessment, scoped like the pages (``ecogov.access``): the schemes with
their indicators and vetoes, the periods assessed with their ranking, a body's score
with every line, the records behind each point and the objections; and the steps:
compute a period, release, publish, object (with one file of evidence) and decide."""

import datetime
from decimal import Decimal

from django.db.models import Prefetch
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from ecogov import access
from ecogov.apitypes import Id, InputSchema, Limit, Offset, one_of
from ecogov.assess import services
from ecogov.assess.models import (
    Assessment,
    Bodies,
    Grade,
    Line,
    Method,
    Objection,
    PeriodKind,
    Scheme,
    Score,
    Trace,
)

router = Router(tags=["assessment"])


class AssessIndicatorOut(Schema):
    id: int
    order: int
    name: str
    rule: str
    method: one_of(*Method.values)
    weight: Decimal
    per_event: Decimal
    cap: Decimal | None
    params: dict
    description: str


class AssessVetoOut(Schema):
    id: int
    name: str
    rule: str


class AssessSchemeOut(Schema):
    id: int
    code: str
    version: int
    name: str
    source: str
    period: one_of(*PeriodKind.values)
    bodies: one_of(*Bodies.values)
    state: one_of(*Scheme.State.values)
    total: Decimal
    bonus_cap: Decimal
    excellent: Decimal
    good: Decimal
    pass_mark: Decimal
    objection_workdays: int
    public: bool


class AssessSchemeDetailOut(AssessSchemeOut):
    indicators: list[AssessIndicatorOut]
    vetoes: list[AssessVetoOut]
    units: list[str]
    problems: list[str]

    @staticmethod
    def resolve_indicators(scheme):
        return list(scheme.indicators.all())

    @staticmethod
    def resolve_vetoes(scheme):
        return list(scheme.vetoes.all())

    @staticmethod
    def resolve_units(scheme):
        return [unit.name for unit in scheme.units.order_by("order", "pk")]

    @staticmethod
    def resolve_problems(scheme):
        return services.scheme_problems(scheme)


@router.get("/assess/schemes", response=list[AssessSchemeOut])
def scheme_list(request, limit: Limit = 100, offset: Offset = 0):
    schemes = access.scope(request.user, Scheme).order_by("code", "-version")
    return list(schemes[offset : offset + limit])


@router.get("/assess/schemes/{scheme_id}", response=AssessSchemeDetailOut)
def scheme_detail(request, scheme_id: Id):
    return access.obtain(request.user, Scheme, scheme_id)


class AssessmentOut(Schema):
    id: int
    scheme: int = Field(..., alias="scheme_id")
    name: str = Field(..., alias="scheme.name")
    version: int = Field(..., alias="scheme.version")
    period: str
    start: datetime.date
    end: datetime.date
    state: one_of(*Assessment.State.values)
    computed_at: datetime.datetime
    released_at: datetime.datetime | None
    objections_until: datetime.date | None
    published_at: datetime.datetime | None
    notice_number: str


class AssessRankOut(Schema):
    """One body's row of the ranking; its lines are at /assess/scores/{id}."""

    id: int
    unit: str = Field(..., alias="body.name")
    total: Decimal
    grade: one_of("", *Grade.values)
    vetoed: bool
    rank: int | None


class AssessmentDetailOut(AssessmentOut):
    ranking: list[AssessRankOut]


def _assessments(user):
    return access.scope(user, Assessment).select_related("scheme")


@router.get("/assess/assessments", response=list[AssessmentOut])
def assessment_list(request, scheme: Id | None = None,
                    state: one_of(*Assessment.State.values) | None = None,
                    limit: Limit = 100, offset: Offset = 0):  # fmt: skip
    """The periods assessed that the user may see (a draft only by the bureau, its
    leaders and the discipline commission)."""
    assessments = _assessments(request.user)
    if scheme:
        assessments = assessments.filter(scheme=scheme)
    if state:
        assessments = assessments.filter(state=state)
    return list(assessments.order_by("-end", "scheme__code", "pk")[offset : offset + limit])


def _with_ranking(user, assessment: Assessment) -> Assessment:
    scores = access.scope(user, assessment.scores.select_related("unit", "source"))
    assessment.ranking = list(scores.order_by("rank", "unit__order", "source__name", "pk"))
    return assessment


@router.get("/assess/assessments/{assessment_id}", response=AssessmentDetailOut)
def assessment_detail(request, assessment_id: Id):
    """A period's result with the ranking of the scores the user may see (an assessed
    unit sees only its own until the result is published)."""
    assessment = access.obtain(request.user, _assessments(request.user), assessment_id)
    return _with_ranking(request.user, assessment)


class AssessTraceOut(Schema):
    points: Decimal
    ref: str
    label: str
    url: str
    note: str
    on: datetime.date | None


class AssessObjectionOut(Schema):
    id: int
    text: str
    points_claimed: Decimal | None
    state: one_of(*Objection.State.values)
    entered_by: str = Field(..., alias="entered_by.name")
    entered_at: datetime.datetime
    decision: str
    points_before: Decimal | None
    points_after: Decimal | None
    decided_at: datetime.datetime | None


class AssessLineOut(Schema):
    id: int
    kind: one_of(*Line.Kind.values)
    name: str
    indicator: int | None = Field(None, alias="indicator_id")
    veto: int | None = Field(None, alias="veto_id")
    computed: Decimal | None
    points: Decimal
    changed: bool
    summary: str
    reason: str
    traces: list[AssessTraceOut]
    objections: list[AssessObjectionOut]

    @staticmethod
    def resolve_traces(line):
        return list(line.traces.all())

    @staticmethod
    def resolve_objections(line):
        return list(line.objections.all())


class AssessScoreOut(AssessRankOut):
    assessment: int = Field(..., alias="assessment_id")
    period: str = Field(..., alias="assessment.period")
    state: one_of(*Assessment.State.values) = Field(..., alias="assessment.state")
    lines: list[AssessLineOut]

    @staticmethod
    def resolve_lines(score):
        return list(score.lines_seen)


@router.get("/assess/scores/{score_id}", response=AssessScoreOut)
def score_detail(request, score_id: Id):
    """A body's score: every line, the records that moved its points, its objections."""
    user = request.user
    score = access.obtain(
        user, Score.objects.select_related("assessment", "unit", "source"), score_id
    )
    lines = access.scope(user, score.lines.select_related("indicator", "veto"))
    score.lines_seen = lines.prefetch_related(
        Prefetch("traces", queryset=Trace.objects.order_by("on", "pk")),
        Prefetch("objections", queryset=Objection.objects.select_related("entered_by")),
    )  # fmt: skip
    return score


class AssessRunIn(InputSchema):
    period: str = Field(..., max_length=8, description="2026 for a year, 2026Q4 for a quarter")


@router.post("/assess/schemes/{scheme_id}/run", response=AssessmentOut)
def scheme_run(request, scheme_id: Id, payload: AssessRunIn):
    """Compute a period's draft from the record, or compute the draft again."""
    scheme = access.obtain(request.user, Scheme, scheme_id)
    return services.assessment_run(scheme, payload.period, by=request.user)


@router.post("/assess/assessments/{assessment_id}/release", response=AssessmentOut)
def assessment_release(request, assessment_id: Id):
    """Release the draft to the assessed bodies; their window for objections opens."""
    assessment = access.obtain(request.user, _assessments(request.user), assessment_id)
    return services.assessment_release(assessment, by=request.user)


class AssessPublishIn(InputSchema):
    number: str = Field("", max_length=60, description="the notice's document number")


@router.post("/assess/assessments/{assessment_id}/publish", response=AssessmentOut)
def assessment_publish(request, assessment_id: Id, payload: AssessPublishIn):
    assessment = access.obtain(request.user, _assessments(request.user), assessment_id)
    return services.assessment_publish(assessment, by=request.user, number=payload.number)


@router.post("/assess/lines/{line_id}/objections", response={201: AssessObjectionOut})
def objection_create(request, line_id: Id, text: Form[str], file: File[UploadedFile],
                     points: Form[str] = ""):  # fmt: skip
    """The assessed unit's liaison objects to one of its lines while the window is open:
    a multipart form with ``text``, the points claimed (optional) and one ``file`` of
    evidence (photo, PDF, Word or Excel, checked by its bytes)."""
    line = access.obtain(request.user, Line.objects.select_related("score__assessment"), line_id)
    objection = services.objection_enter(line, text=text, points=points, files=[file],
                                         by=request.user)  # fmt: skip
    return Status(201, objection)


class AssessDecideIn(InputSchema):
    accept: bool
    reason: str = Field(..., max_length=4000)
    points: Decimal | None = Field(
        None, description="the line's points if accepted; the points claimed if left out"
    )


@router.post("/assess/objections/{objection_id}/decide", response=AssessObjectionOut)
def objection_decide(request, objection_id: Id, payload: AssessDecideIn):
    """The bureau accepts an objection (the line takes the new points, its history kept)
    or rejects it, with a reason."""
    objection = access.obtain(
        request.user, Objection.objects.select_related("line__score__assessment"), objection_id
    )
    return services.objection_decide(objection, accept=payload.accept, reason=payload.reason,
                                     points=payload.points, by=request.user)  # fmt: skip
