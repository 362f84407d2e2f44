"""API of grids, pollution sources and patrols (role-checked like the pages)."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from ecogov import access
from ecogov.apitypes import Id, InputSchema, Limit, Offset, Quarter, RowOut, Year, one_of
from ecogov.grid.models import Grid
from ecogov.grid.selectors import grid_chain
from ecogov.patrols.evaluation import evaluation_save
from ecogov.patrols.models import GridEvaluation, Patrol
from ecogov.patrols.services import patrols_due
from ecogov.sources.models import Source

router = Router(tags=["grids"])


class GridOut(Schema):
    id: int
    name: str
    level: int
    code: str
    parent_id: int | None
    unit_id: int | None


class GridDetailOut(GridOut):
    boundary: dict | None
    area_description: str
    duties: str
    patrol_tasks: list
    rewards_penalties: str


class SourceOut(RowOut):
    id: int
    name: str
    type: str = Field(..., alias="type_code")
    uscc: str
    address: str
    lon: Decimal | None
    lat: Decimal | None
    grid_id: int | None
    key: bool
    status: str


class PatrolOut(Schema):
    id: int
    source_id: int
    grid_id: int
    worker_id: int
    patrolled_at: datetime.datetime
    finding: bool
    note: str


class DueOut(Schema):
    source_id: int
    source: str
    last: datetime.date | None
    due_on: datetime.date
    overdue: bool


@router.get("/grids", response=list[GridOut])
def grid_list(request, level: Annotated[int, Field(ge=1, le=3)] | None = None):
    grids = access.scope(request.user, Grid)
    return grids.filter(level=level) if level else grids


@router.get("/grids/locate", response=list[GridOut])
def grid_locate(request, lon: Annotated[float, Field(ge=-180, le=180)],
                lat: Annotated[float, Field(ge=-90, le=90)]):  # fmt: skip
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValidationError(_("Longitude must lie within ±180 and latitude within ±90."))
    visible = set(access.scope(request.user, Grid).values_list("pk", flat=True))
    return [grid for grid in grid_chain(lon, lat) if grid.pk in visible]


@router.get("/grids/{grid_id}", response=GridDetailOut)
def grid_detail(request, grid_id: Id):
    return access.obtain(request.user, Grid, grid_id)


@router.get("/sources", response=list[SourceOut])
def source_list(request, type: str | None = None, grid_id: Id | None = None,
                limit: Limit = 100, offset: Offset = 0):  # fmt: skip
    """The sources the user may see, by id, a page at a time (a city has thousands)."""
    sources = access.scope(request.user, Source).annotate(type_code=F("type__code"))
    if type:
        sources = sources.filter(type__code=type)
    if grid_id:
        sources = sources.filter(grid_id=grid_id)
    # Rows as dicts: serialised from model instances, a page spent most of its time building
    # the instances and resolving the type's code through a template variable, row by row.
    return list(sources.order_by("pk").values(*SourceOut.columns())[offset : offset + limit])


@router.get("/sources/{source_id}", response=SourceOut)
def source_detail(request, source_id: Id):
    sources = Source.objects.annotate(type_code=F("type__code"))
    return access.obtain(request.user, sources, source_id)


@router.get("/patrols", response=list[PatrolOut])
def patrol_list(request, source_id: Id | None = None):
    patrols = access.scope(request.user, Patrol)
    return patrols.filter(source_id=source_id)[:500] if source_id else patrols[:500]


@router.get("/patrols/due", response=list[DueOut])
def patrol_due(request):
    return [
        {
            "source_id": item.source.pk,
            "source": item.source.name,
            "last": item.last,
            "due_on": item.due_on,
            "overdue": item.overdue,
        }  # fmt: skip
        for item in patrols_due(request.user, today=timezone.localdate())
    ]


class EvaluationOut(Schema):
    id: int
    grid_id: int
    year: int
    quarter: int
    kind: one_of(*GridEvaluation.Kind.values)
    score: int
    grade: one_of(*GridEvaluation.Grade.values)
    remarks: str
    improvements: str
    figures: dict
    evaluator_id: int
    evaluated_at: datetime.datetime


class EvaluationIn(InputSchema):
    year: Year
    quarter: Quarter
    kind: one_of(*GridEvaluation.Kind.values) = Field(..., description="self or upper")
    score: int = Field(..., ge=0, le=100)
    remarks: str = ""
    improvements: str = ""


@router.get("/grid-evaluations", response=list[EvaluationOut])
def evaluation_list(
    request, year: Year | None = None, quarter: Quarter | None = None, grid_id: Id | None = None
):
    evaluations = access.scope(request.user, GridEvaluation)
    if year:
        evaluations = evaluations.filter(year=year)
    if quarter:
        evaluations = evaluations.filter(quarter=quarter)
    if grid_id:
        evaluations = evaluations.filter(grid_id=grid_id)
    return evaluations[:1000]


@router.post("/grids/{grid_id}/evaluations", response={201: EvaluationOut})
def evaluation_create(request, grid_id: Id, payload: EvaluationIn):
    """Record or correct the grid's evaluation of a quarter (self, or by the upper grid)."""
    grid = access.obtain(request.user, Grid, grid_id)
    evaluation = evaluation_save(user=request.user, grid=grid, **payload.dict())
    return Status(201, evaluation)
