"""Importing plans: the document's tasks, units and targets into the registry."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ecogov import access
from ecogov.domain.plandoc import ONGOING, PlanDocument, parse_plan
from ecogov.domain.plantargets import plan_targets
from ecogov.domain.targets import Target as ParsedTarget
from ecogov.domain.unitnames import guess_kind, is_collective
from ecogov.org.models import Jurisdiction, Unit
from ecogov.org.selectors import unit_find
from ecogov.org.services import audited_delete, audited_save, unit_create
from ecogov.plans.models import Plan, Target, TargetValue, Task, TaskReport, TaskUnit
from ecogov.supervision import clocks
from ecogov.supervision.models import Kind

# The roles a plan gives its units, in the order of TaskUnit.Role.
ROLES = ("lead", "support", "supervising", "implementing")


@dataclass
class Resolution:
    """Each name the plan uses, and the registry's unit for it (None when unknown):
    found by name, alias or former name, mapped by the operator, or registered."""

    units: dict[str, Unit | None] = field(default_factory=dict)
    mapped: list[str] = field(default_factory=list)  # names the operator mapped
    created: list[str] = field(default_factory=list)  # names registered by this import
    remembered: list[str] = field(default_factory=list)  # mapped when last imported

    def display(self, name: str) -> str:
        unit = self.units.get(name)
        return unit.name if unit is not None else name

    @property
    def unresolved(self) -> list[str]:
        return [
            name for name, unit in self.units.items() if unit is None and not is_collective(name)
        ]

    @property
    def collective(self) -> list[str]:
        """Mentions of several units (各区政府): kept as the task's text, never registered."""
        return [name for name, unit in self.units.items() if unit is None and is_collective(name)]


def plan_unit_names(document: PlanDocument) -> list[str]:
    names: list[str] = []
    for task in document.tasks:
        for role in ROLES:
            names.extend(name for name in getattr(task, role) if name not in names)
    return names


def plan_resolve(
    *,
    document: PlanDocument,
    jurisdiction: Jurisdiction | None,
    create_units: bool,
    mapping: dict[str, Unit] | None = None,
    create: Iterable[str] = (),
    keep: Iterable[str] = (),
    by=None,
) -> Resolution:
    """Find every unit of the plan: the operator's ``mapping`` (a name as written → a
    unit of the area) first, then the registry by name, alias or former name, then the
    unit the name was mapped to when this plan was last imported (unless ``keep`` says
    to keep the name as written now). A name still unknown is registered when
    ``create_units`` says so for all or ``create`` names it, and otherwise kept as
    written. Collective mentions ("各县（市、区）人民政府") are never registered: they
    stand for several units."""
    mapping = {name.strip(): unit for name, unit in (mapping or {}).items()}
    create = {name.strip() for name in create}
    keep = {name.strip() for name in keep}
    before = _units_mapped_before(document, jurisdiction)
    resolution = Resolution()
    for name in plan_unit_names(document):
        unit = mapping.get(name)
        if unit is not None:
            if jurisdiction is not None and unit.jurisdiction_id != jurisdiction.pk:
                raise ValidationError(
                    _("%(unit)s is no unit of %(area)s.") % {"unit": unit, "area": jurisdiction}
                )
            resolution.mapped.append(name)
        elif jurisdiction is not None:
            unit = unit_find(jurisdiction, name)
        if unit is None and name in before and name not in keep:
            unit = before[name]
            resolution.remembered.append(name)
        wanted = create_units or name in create
        if unit is None and wanted and jurisdiction is not None and not is_collective(name):
            unit = unit_create(
                jurisdiction=jurisdiction,
                name=name,
                kind=guess_kind(name),
                source=document.title[:200],
                by=by,
                reason=_("named by the plan %(title)s") % {"title": document.title},
            )
            resolution.created.append(name)
        resolution.units[name] = unit
    return resolution


def _units_mapped_before(document: PlanDocument, jurisdiction) -> dict[str, Unit]:
    """The units the names of this plan were mapped to when it was last imported (a name
    the registry does not know, which the operator mapped): importing the plan again,
    from the same or another file, keeps them."""
    if jurisdiction is None:
        return {}
    links = TaskUnit.objects.filter(
        task__plan__jurisdiction=jurisdiction, task__plan__title=document.title,
        unit__isnull=False, unit__jurisdiction=jurisdiction,
    ).select_related("unit").order_by("pk")  # fmt: skip
    before: dict[str, Unit] = {}
    for link in links:
        if link.name != link.unit.name:
            before.setdefault(link.name, link.unit)
    return before


def known_units(jurisdiction: Jurisdiction | None) -> frozenset[str]:
    """The names and other names of the area's units, which the plan parser recognises."""
    if jurisdiction is None:
        return frozenset()
    units = Unit.objects.filter(jurisdiction=jurisdiction)
    names = set(units.values_list("name", flat=True))
    names.update(units.values_list("other_names__name", flat=True))
    names.discard(None)
    return frozenset(names)


def task_deadline(value: str | None) -> tuple[datetime.date | None, bool]:
    """A parsed deadline ("2025-06", ongoing or none) as (first day of the month, ongoing)."""
    if value == ONGOING:
        return None, True
    if value:
        year, month = value.split("-")
        return datetime.date(int(year), int(month), 1), False
    return None, False


@transaction.atomic
def plan_import(
    *,
    document: PlanDocument,
    targets: list[tuple[ParsedTarget, str | None]],
    jurisdiction: Jurisdiction,
    resolution: Resolution,
    source: str = "",
    by=None,
    obligations_from=None,
) -> Plan:
    """Create or update the plan of this title in this area, its tasks, units and targets,
    and the implementation plans its lead units owe (from ``obligations_from``, a
    datetime; by default the plan's date, or now).

    Re-importing updates in place: tasks are matched by number and targets by
    indicator, year and task, so what later work attached to them (reports, measured
    values) stays attached. What the document no longer holds is deleted, and the
    history keeps it.
    """
    reason = _("imported from %(source)s") % {"source": source or document.title}
    plan = Plan.objects.filter(jurisdiction=jurisdiction, title=document.title).first()
    fields = {
        "issuer": document.issuer or "",
        "doc_number": document.doc_number or "",
        "date": document.date,
        "source": source[:200],
    }
    if plan is None:
        plan = Plan(jurisdiction=jurisdiction, title=document.title, **fields)
        audited_save(plan, by=by, reason=reason)
    elif any(getattr(plan, key) != value for key, value in fields.items()):
        for key, value in fields.items():
            setattr(plan, key, value)
        audited_save(plan, by=by, reason=reason)

    # Sub-tasks come from the units' implementation plans, not from this document.
    existing = {task.number: task for task in plan.tasks.filter(parent=None)}
    tasks_by_number: dict[str, Task] = {}
    for order, parsed in enumerate(document.tasks, start=1):
        deadline, ongoing = task_deadline(parsed.deadline)
        wanted = {
            "order": order,
            "title": parsed.title[:200],
            "text": parsed.text,
            "section": parsed.section[:200],
            "deadline": deadline,
            "ongoing": ongoing,
            "line": parsed.line,
        }
        task = existing.pop(parsed.number, None)
        if task is None:
            task = Task(plan=plan, number=parsed.number, **wanted)
            audited_save(task, by=by, reason=reason)
        elif any(getattr(task, key) != value for key, value in wanted.items()):
            for key, value in wanted.items():
                setattr(task, key, value)
            audited_save(task, by=by, reason=reason)
        tasks_by_number[parsed.number] = task
        _sync_units(task, parsed, resolution, by=by, reason=reason)
    for task in existing.values():
        audited_delete(task, by=by, reason=reason)

    _sync_targets(plan, targets, tasks_by_number, by=by, reason=reason)
    from ecogov.plans.implementation import implementation_obligations

    implementation_obligations(plan, by=by, at=obligations_from)
    # Timed at once, not at the next scan: the lists read the stored status and colour.
    clocks.scan_some(Kind.TASK, lambda tasks: tasks.filter(plan=plan))
    return plan


def _sync_units(task: Task, parsed, resolution: Resolution, *, by, reason: str) -> None:
    existing = {(link.role, link.name): link for link in task.units.all()}
    for role in ROLES:
        for order, name in enumerate(getattr(parsed, role), start=1):
            unit = resolution.units.get(name)
            link = existing.pop((role, name), None)
            if link is None:
                audited_save(
                    TaskUnit(task=task, role=role, name=name, unit=unit, order=order),
                    by=by,
                    reason=reason,
                )
            elif (link.unit_id, link.order) != (unit.pk if unit else None, order):
                link.unit, link.order = unit, order
                audited_save(link, by=by, reason=reason)
    for link in existing.values():
        audited_delete(link, by=by, reason=reason)


def _sync_targets(
    plan: Plan, targets, tasks_by_number: dict[str, Task], *, by, reason: str
) -> None:
    existing: dict[tuple, Target] = {}
    for target in plan.targets.select_related("task"):
        existing.setdefault(
            (target.indicator, target.year, target.task.number if target.task else None), target
        )
    for order, (parsed, task_number) in enumerate(targets, start=1):
        wanted = {
            "order": order,
            "op": parsed.op,
            "value": parsed.value,
            "reference": parsed.reference or "",
            "unit": parsed.unit or "",
            "text": parsed.text,
            "aspirational": parsed.aspirational,
            "task": tasks_by_number.get(task_number) if task_number else None,
        }
        target = existing.pop((parsed.indicator[:200], parsed.year, task_number), None)
        if target is None:
            target = Target(plan=plan, indicator=parsed.indicator[:200], year=parsed.year, **wanted)
            audited_save(target, by=by, reason=reason)
        elif any(getattr(target, key) != value for key, value in wanted.items()):
            for key, value in wanted.items():
                setattr(target, key, value)
            audited_save(target, by=by, reason=reason)
    for target in existing.values():
        audited_delete(target, by=by, reason=reason)


@dataclass
class PlanReading:
    """What a document gives: the plan read, its targets, its units found; and the plan
    imported (None on a dry run)."""

    document: PlanDocument
    targets: list[tuple[ParsedTarget, str | None]]
    resolution: Resolution
    plan: Plan | None = None

    @property
    def unresolved(self) -> list[str]:
        return self.resolution.unresolved


def plan_read(text: str, *, jurisdiction: Jurisdiction | None) -> PlanDocument:
    """The plan in a document's text, its units named as the area's registry knows them.
    Raises ``PlanError`` for a text that is not a plan."""
    return parse_plan(text, known_units=known_units(jurisdiction))


def plan_document_import(
    *,
    text: str,
    jurisdiction: Jurisdiction | None,
    source: str = "",
    mapping: dict[str, Unit] | None = None,
    create: Iterable[str] = (),
    keep: Iterable[str] = (),
    create_units: bool = False,
    dry_run: bool = False,
    by=None,
) -> PlanReading:
    """Read a plan document's text and import it into ``jurisdiction``, all or nothing.

    A dry run does everything (registering the units asked for too) and rolls back, so
    that the preview shows what the import will do; without a jurisdiction it only reads.
    Raises ``PlanError`` (not a plan) or ValidationError; either way nothing is written;
    PermissionDenied for anyone (``by``) but the district's dispatchers (the command,
    run by the operator at the machine, passes nobody).
    """
    if by is not None and jurisdiction is not None and not access.dispatches(by, jurisdiction.pk):
        raise PermissionDenied(_("The ecology bureau's dispatchers import plans."))
    document = plan_read(text, jurisdiction=jurisdiction)
    targets = plan_targets(document)
    with transaction.atomic():
        resolution = plan_resolve(
            document=document, jurisdiction=jurisdiction, create_units=create_units,
            mapping=mapping, create=create, keep=keep, by=by,
        )  # fmt: skip
        reading = PlanReading(document, targets, resolution)
        if jurisdiction is not None:
            reading.plan = plan_import(
                document=document, targets=targets, jurisdiction=jurisdiction,
                resolution=resolution, source=source, by=by,
            )  # fmt: skip
        if dry_run:
            transaction.set_rollback(True)
            reading.plan = None
    return reading


def plan_report(
    document: PlanDocument, targets: list[tuple[ParsedTarget, str | None]], resolution: Resolution
) -> dict:
    """The shape printed by ``ecogov plan import --json``."""
    return {
        "plan": {
            "title": document.title,
            "issuer": document.issuer,
            "doc_number": document.doc_number,
            "date": document.date.isoformat() if document.date else None,
        },
        "tasks": [
            {
                "number": task.number,
                "title": task.title,
                "text": task.text,
                "lead": [resolution.display(name) for name in task.lead],
                "support": [resolution.display(name) for name in task.support],
                "supervising": [resolution.display(name) for name in task.supervising],
                "implementing": [resolution.display(name) for name in task.implementing],
                "deadline": task.deadline,
            }
            for task in document.tasks
        ],
        "targets": [
            {
                "indicator": target.indicator,
                "op": target.op,
                "value": _number(target.value),
                "reference": target.reference,
                "unit": target.unit,
                "year": target.year,
                "task": task_number,
            }
            for target, task_number in targets
        ],
        "unresolved_units": resolution.unresolved,
        "collective_mentions": resolution.collective,
    }


def _number(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


@transaction.atomic
def task_report_file(
    *,
    task: Task,
    unit: Unit,
    period: datetime.date,
    text: str,
    percent=None,
    milestone: str = "",
    by=None,
    today: datetime.date | None = None,
) -> TaskReport:
    """File (or correct) a unit's progress report on a task for one month."""
    today = today or datetime.date.today()
    period = period.replace(day=1)
    if period > today.replace(day=1):
        raise ValidationError(_("A report cannot be filed for a month that has not begun."))
    if not task.units.filter(
        unit=unit, role__in=(TaskUnit.Role.LEAD, TaskUnit.Role.SUPPORT)
    ).exists():
        raise ValidationError(
            _("%(unit)s is neither a lead nor a supporting unit of this task.") % {"unit": unit}
        )
    if task.completed_on is not None and not task.ongoing:
        raise ValidationError(_("The task is done; no more reports are needed."))
    report = TaskReport.objects.filter(task=task, unit=unit, period=period).first() or TaskReport(
        task=task, unit=unit, period=period
    )
    report.text, report.percent, report.milestone = text.strip(), percent, milestone.strip()
    report.reported_by = by if by is not None and by.is_authenticated else None
    audited_save(report, by=by)
    _time_now(task, today)
    return report


@transaction.atomic
def task_complete(*, task: Task, evidence: str, by=None, on: datetime.date | None = None) -> Task:
    """Mark a task done with the evidence of its completion (验收销号 needs evidence)."""
    if task.ongoing:
        raise ValidationError(_("An ongoing task (持续推进) reports forever; it is never done."))
    if not evidence.strip():
        raise ValidationError(_("Say what shows that the task is done."))
    task.completed_on = on or datetime.date.today()
    task.evidence = evidence.strip()
    audited_save(task, by=by, reason=_("completed"))
    _time_now(task, on)
    return task


def _time_now(task: Task, today: datetime.date | None) -> None:
    """A report or a completion changes a task's status: its stored status, colour and
    escalation, which the lists read, follow at once rather than at the next scan."""
    clocks.time_now(Kind.TASK, Task.objects.select_related("plan").get(pk=task.pk), today)


@transaction.atomic
def target_value_record(
    *, target: Target, date: datetime.date, value, source: str = "", by=None, fed: bool = False
) -> TargetValue:
    """Record (or correct) the measured value of a target on a day. A qualitative goal
    takes values only from a monitoring feed (``fed``), which says what it means in
    numbers ("III类" → class 3)."""
    if target.value is None and not fed:
        raise ValidationError(_("This goal is qualitative (%(reference)s): it has no measured values.") % {
            "reference": target.reference})  # fmt: skip
    entry = TargetValue.objects.filter(target=target, date=date).first() or TargetValue(
        target=target, date=date
    )
    if entry.pk is not None and entry.value == value and entry.source == source:
        return entry
    entry.value, entry.source = value, source
    entry.entered_by = by if by is not None and by.is_authenticated else None
    audited_save(entry, by=by)
    return entry
