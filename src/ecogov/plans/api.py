"""API of plans: plans, the task ledger, progress reports, completion, targets."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from ecogov import access
from ecogov.access import CHANGE
from ecogov.accounts.models import Role
from ecogov.apitypes import Id, InputSchema, Limit, Offset, RowOut, one_of
from ecogov.domain.taskstatus import STATUSES
from ecogov.org.models import Unit
from ecogov.plans import implementation
from ecogov.plans.models import ImplementationPlan, Plan, Target, Task, TaskUnit
from ecogov.plans.selectors import ListedTask, ledger_rows, ledger_tasks
from ecogov.plans.services import task_complete, task_report_file

router = Router(tags=["plans"])


class PlanOut(Schema):
    id: int
    jurisdiction_id: int
    title: str
    issuer: str
    doc_number: str
    date: datetime.date | None


# The task lists answer dicts (apitypes.RowOut).
class TaskUnitOut(RowOut):
    role: str
    name: str
    unit_id: int | None


class TaskOut(RowOut):
    id: int
    plan_id: int
    number: str
    title: str
    text: str
    deadline: str | None
    status: str
    completed_on: datetime.date | None
    evidence: str
    units: list[TaskUnitOut]


class ReportIn(InputSchema):
    unit_id: Id
    period: datetime.date = Field(..., description="any day of the month reported on")
    text: str = Field(..., min_length=2)
    percent: Decimal | None = Field(None, ge=0, le=100, max_digits=5, decimal_places=1)
    milestone: str = Field("", max_length=200)


class ReportOut(Schema):
    id: int
    task_id: int
    unit_id: int
    period: datetime.date
    text: str
    percent: Decimal | None
    milestone: str


class CompleteIn(InputSchema):
    evidence: str = Field(..., min_length=2)


class TargetOut(Schema):
    id: int
    plan_id: int
    task_id: int | None
    indicator: str
    op: str
    value: Decimal | None
    reference: str
    aspirational: bool
    unit: str
    year: int | None
    text: str


def _task_out(task: Task | ListedTask, units) -> dict:
    """A task, a model's or a listed one, with the units it names (``units``)."""
    return {
        "id": task.pk,
        "plan_id": task.plan_id,
        "number": task.number,
        "title": task.title,
        "text": task.text,
        "deadline": task.deadline_label,
        "status": task.status,  # as the supervision scan stored it (a report at once)
        "completed_on": task.completed_on,
        "evidence": task.evidence,
        "units": [
            {"role": link.role, "name": link.name, "unit_id": link.unit_id} for link in units
        ],
    }


@router.get("/plans", response=list[PlanOut])
def plan_list(request):
    return access.scope(request.user, Plan)


@router.get("/plans/{plan_id}", response=PlanOut)
def plan_detail(request, plan_id: Id):
    return access.obtain(request.user, Plan, plan_id)


@router.get("/plans/{plan_id}/targets", response=list[TargetOut])
def plan_targets(request, plan_id: Id):
    plan = access.obtain(request.user, Plan, plan_id)
    return access.scope(request.user, Target).filter(plan=plan)


@router.get("/tasks", response=list[TaskOut])
def task_list(
    request,
    plan_id: Id | None = None,
    unit_id: Id | None = None,
    role: TaskUnit.Role | None = None,
    status: one_of(*STATUSES) | None = None,
    due_by: datetime.date | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
):
    if status is not None and status not in STATUSES:
        raise ValidationError(
            _("Unknown status %(status)s; use one of %(all)s")
            % {"status": status, "all": ", ".join(STATUSES)}
        )
    tasks = access.scope(request.user, Task)
    if plan_id is not None:
        tasks = tasks.filter(plan_id=plan_id)
    tasks = ledger_tasks(
        tasks,
        unit_id=unit_id,
        role=role,
        status=status,
        first_for_unit=request.user.unit_id if request.user.role == Role.LIAISON else None,
        due_by=due_by.replace(day=1) if due_by else None,
    )
    # The rows of the ledger's pages, without the latest report the API does not show.
    rows = ledger_rows(tasks[offset : offset + limit], reports=False)
    return [_task_out(row, row.units) for row in rows]


@router.get("/tasks/{task_id}", response=TaskOut)
def task_detail(request, task_id: Id):
    task = access.obtain(request.user, Task.objects.select_related("plan"), task_id)
    return _task_out(task, task.units.all())


@router.post("/tasks/{task_id}/reports", response={201: ReportOut})
def task_report(request, task_id: Id, payload: ReportIn):
    task = access.obtain(request.user, Task.objects.select_related("plan"), task_id, CHANGE)
    unit = access.obtain(request.user, Unit, payload.unit_id)
    if request.user.role == Role.LIAISON and unit.pk != request.user.unit_id:
        raise PermissionDenied(_("A liaison reports for their own unit."))
    report = task_report_file(
        task=task,
        unit=unit,
        period=payload.period,
        text=payload.text,
        percent=payload.percent,
        milestone=payload.milestone,
        by=request.user,
    )
    return Status(201, report)


@router.post("/tasks/{task_id}/complete", response=TaskOut)
def task_done(request, task_id: Id, payload: CompleteIn):
    task = access.obtain(request.user, Task.objects.select_related("plan"), task_id, CHANGE)
    task_complete(task=task, evidence=payload.evidence, by=request.user)
    task.refresh_from_db(fields=["status", "colour", "stage"])  # timed by the completion
    return _task_out(task, task.units.all())


# --- the units' implementation plans --------------------------------------------------


class ImplementationOut(Schema):
    id: int
    plan_id: int
    unit: str = Field(..., alias="unit.name")
    item: str = Field(..., alias="item.number")
    deadline: datetime.date = Field(..., alias="item.deadline")
    state: str = Field(..., alias="item.state")
    colour: str = Field(..., alias="item.colour")
    uploaded_at: datetime.datetime | None
    late: bool
    tasks_imported: int


@router.get("/plans/{plan_id}/implementations", response=list[ImplementationOut])
def implementation_list(request, plan_id: Id):
    """The implementation plans the plan's lead units owe, with their state and colour."""
    plan = access.obtain(request.user, Plan, plan_id)
    return plan.implementations.select_related("unit", "item")


@router.post("/implementations/{implementation_id}/document", response=ImplementationOut)
def implementation_upload(request, implementation_id: Id, file: File[UploadedFile]):
    """The unit's liaison uploads its implementation plan (Word or PDF, multipart field
    ``file``); the supervised item closes."""
    obligation = access.obtain(
        request.user, ImplementationPlan.objects.select_related("unit", "item"), implementation_id
    )
    return implementation.implementation_upload(obligation, files=[file], by=request.user)
