"""The implementation plans (实施方案) a plan's lead units owe: seed 004 §四.(二) asks
each department to write its own within three months of the plan. Each obligation is an
item of the supervision ledger (kind "implementation"), timed, coloured and escalated
there; the unit's liaison fulfils it by uploading the document (.docx or PDF), which
closes the item with the document as its evidence, late or not. A Word document that
the plan parser reads can add its tasks under the unit's task of the plan.
"""

import datetime
import tempfile
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.domain.plandoc import PlanDocument, PlanError, parse_plan
from ecogov.domain.supervision import add_months
from ecogov.domain.textfile import UnreadableFile
from ecogov.org.models import Unit
from ecogov.org.selectors import bureau_of, unit_find
from ecogov.org.services import audited_save
from ecogov.plans.documents import read_document
from ecogov.plans.models import ImplementationPlan, Plan, Task, TaskUnit
from ecogov.plans.services import known_units, task_deadline
from ecogov.supervision import clocks
from ecogov.supervision import services as supervision
from ecogov.supervision.models import Item, ItemEvent, Kind
from ecogov.uploads import checked_uploads

MONTHS_TO_WRITE = 3  # seed 004 §四.(二): 3个月内制定具体实施方案
DOCUMENT_KINDS = frozenset({"docx", "pdf"})


def obligation_deadline(plan: Plan, start: datetime.datetime) -> datetime.date:
    """Three months from the plan's date, or from when it entered EcoGov."""
    return add_months(plan.date or timezone.localdate(start), MONTHS_TO_WRITE)


def lead_units(plan: Plan) -> list[Unit]:
    """The registered units that lead at least one of the plan's own tasks, in task order."""
    links = (
        TaskUnit.objects.filter(task__plan=plan, task__parent=None, role=TaskUnit.Role.LEAD)
        .exclude(unit=None)
        .select_related("unit")
        .order_by("task__order", "order")
    )
    units: dict[int, Unit] = {}
    for link in links:
        units.setdefault(link.unit_id, link.unit)
    return list(units.values())


def _start(plan: Plan, at):
    """The three months run from the plan's issue: an obligation of a plan issued before
    it entered EcoGov is dated on the plan's date, so its clock is the real one."""
    if at is not None:
        return at
    now = timezone.now()
    if plan.date is not None and plan.date < timezone.localdate(now):
        moment = datetime.datetime.combine(plan.date, datetime.time(9, 0))
        return timezone.make_aware(moment)
    return now


@transaction.atomic
def implementation_obligations(plan: Plan, *, by=None, at=None) -> list[ImplementationPlan]:
    """One supervised item per lead unit of the plan that has none yet (idempotent);
    returns the obligations created. None when the area has no ecology bureau to
    supervise them."""
    supervisor = bureau_of(plan.jurisdiction)
    if supervisor is None:
        return []
    have = set(plan.implementations.values_list("unit_id", flat=True))
    source = f"《{plan.title}》{plan.doc_number}".strip()
    created, start = [], _start(plan, at)
    for unit in lead_units(plan):
        if unit.pk in have or unit.jurisdiction_id != plan.jurisdiction_id:
            continue
        title = _("%(unit)s: implementation plan of “%(plan)s”") % {
            "unit": unit.name, "plan": plan.title}  # fmt: skip
        item = supervision.item_create(
            jurisdiction=plan.jurisdiction, kind=Kind.IMPLEMENTATION, title=title[:200],
            text=_("Within three months of the plan, write the unit's own implementation plan "
                   "with concrete measures and upload it (seed 004 §四.(二))."),
            source=source[:300], lead=unit, supervisor=supervisor,
            deadline=obligation_deadline(plan, start), by=by, at=start,
        )  # fmt: skip
        obligation = ImplementationPlan(plan=plan, unit=unit, item=item)
        audited_save(obligation, by=by)
        created.append(obligation)
    return created


def may_upload(user, obligation: ImplementationPlan) -> bool:
    """The unit's liaison (and the bureau for it) fulfils the obligation."""
    return supervision.handles(user, obligation.item)


def implementation_upload(
    obligation: ImplementationPlan, *, files, by, at=None
) -> ImplementationPlan:
    """The unit's implementation plan uploaded: the item closes with the document as its
    evidence; after the deadline it still closes, marked late."""
    if not may_upload(by, obligation):
        raise PermissionDenied(_("Only the unit's liaison uploads its implementation plan."))
    files = list(files or [])
    if len(files) != 1:
        raise ValidationError(_("Choose the implementation plan's document (one file)."))
    checked = checked_uploads(
        files, DOCUMENT_KINDS, _("The implementation plan must be a Word (.docx) or PDF file.")
    )
    at = at or timezone.now()
    with transaction.atomic():
        obligation = ImplementationPlan.objects.select_for_update().get(pk=obligation.pk)
        item = obligation.item
        if not item.is_open:
            raise ValidationError(_("The implementation plan is already uploaded."))
        late_days = (timezone.localdate(at) - item.deadline).days if item.deadline else 0
        if late_days > 0:
            note = _("Implementation plan uploaded, %(days)d days after the deadline.") % {
                "days": late_days}  # fmt: skip
        else:
            note = _("Implementation plan uploaded in time.")
        supervision.item_close_by_rule(item, note=note, by=by, at=at, files=checked)
        event = item.events.filter(kind=ItemEvent.Kind.CLOSED).order_by("-at", "-pk").first()
        obligation.document = event.evidence.order_by("pk").first()
        obligation.uploaded_at, obligation.late = at, late_days > 0
        obligation.uploaded_by = by if by is not None and by.is_authenticated else None
        audited_save(obligation, by=by, reason=note)
    return obligation


# --- the tasks of a readable Word document --------------------------------------------


def parent_tasks(obligation: ImplementationPlan):
    """The plan's own tasks the unit leads: where its implementation plan's tasks go."""
    return Task.objects.filter(
        plan=obligation.plan_id, parent=None, units__role=TaskUnit.Role.LEAD,
        units__unit=obligation.unit_id,
    ).order_by("order")  # fmt: skip


def implementation_read(obligation: ImplementationPlan) -> PlanDocument:
    """The tasks of the uploaded Word document, or a ValidationError saying why not."""
    document = obligation.document
    if document is None or document.kind != "docx":
        raise ValidationError(_("Only an uploaded Word (.docx) document can be read for tasks."))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.docx"
        with document.file.open("rb") as stored:
            path.write_bytes(stored.read())
        try:
            parsed = parse_plan(
                read_document(path), known_units=known_units(obligation.plan.jurisdiction)
            )
        except (PlanError, UnreadableFile):
            parsed = None
    if parsed is None or not parsed.tasks:
        raise ValidationError(_("EcoGov found no numbered tasks in this document."))
    return parsed


@transaction.atomic
def implementation_import_tasks(obligation: ImplementationPlan, *, parent: Task, by) -> list[Task]:
    """The document's tasks become sub-tasks of ``parent``, led by the unit (once)."""
    if not may_upload(by, obligation):
        raise PermissionDenied(_("Only the unit's liaison imports its implementation plan."))
    obligation = ImplementationPlan.objects.select_for_update().get(pk=obligation.pk)
    if obligation.tasks_imported:
        raise ValidationError(_("The tasks of this implementation plan are already imported."))
    if not parent_tasks(obligation).filter(pk=parent.pk).exists():
        raise ValidationError(_("Choose one of the plan's tasks that the unit leads."))
    parsed = implementation_read(obligation)
    reason = _("from the implementation plan of %(unit)s") % {"unit": obligation.unit}
    order = Task.objects.filter(plan=obligation.plan_id).aggregate(last=Max("order"))["last"] or 0
    taken = set(Task.objects.filter(plan=obligation.plan_id).values_list("number", flat=True))
    created, serial = [], 0
    for entry in parsed.tasks:
        serial += 1
        number = f"{parent.number}-{serial}"
        while number in taken:
            serial += 1
            number = f"{parent.number}-{serial}"
        deadline, ongoing = task_deadline(entry.deadline)
        task = Task(
            plan=obligation.plan, parent=parent, number=number, order=order + len(created) + 1,
            title=entry.title[:200], text=entry.text, section=parent.title[:200],
            deadline=deadline or parent.deadline, ongoing=ongoing or (deadline is None and parent.ongoing),
        )  # fmt: skip
        audited_save(task, by=by, reason=reason)
        audited_save(TaskUnit(task=task, role=TaskUnit.Role.LEAD, name=obligation.unit.name,
                              unit=obligation.unit, order=1), by=by, reason=reason)  # fmt: skip
        supporting = [name for name in entry.support if name != obligation.unit.name]
        for position, name in enumerate(supporting, start=1):
            unit = unit_find(obligation.plan.jurisdiction, name)
            audited_save(TaskUnit(task=task, role=TaskUnit.Role.SUPPORT, name=name[:200],
                                  unit=unit, order=position), by=by, reason=reason)  # fmt: skip
        created.append(task)
    obligation.tasks_imported = len(created)
    audited_save(obligation, by=by, reason=reason)
    # Timed at once, as a plan's own tasks are: the lists read the stored status.
    clocks.scan_some(Kind.TASK, lambda tasks: tasks.filter(pk__in=[task.pk for task in created]))
    return created


def implementation_origin(item: Item):
    obligation = ImplementationPlan.objects.filter(item=item).select_related("plan").first()
    if obligation is None:
        return None
    return obligation.plan.title, obligation.get_absolute_url()


def implementation_steps(item: Item, step: str) -> str | None:
    """An implementation plan is fulfilled by uploading it on the plan page, not by asking
    completion on the item's page."""
    if step in ("complete", "verify", "send_back"):
        return _(
            "An implementation plan is fulfilled by uploading the unit's plan on the plan page."
        )
    return None
