"""Who is behind (谁在拖后腿): for the leaders, by unit and by township/street, the red
and yellow items of every kind on the supervision ledger, the plan targets that lag,
the latest scores with the one before, and the open sanctions — each a click from its
records."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.utils import timezone

from ecogov import access
from ecogov.accounts.models import Role
from ecogov.assess.models import Assessment, Score
from ecogov.domain.progress import LIMITED, MOVING_AWAY, NOT_ACHIEVED, progress
from ecogov.domain.supervision import Colour
from ecogov.org.models import Unit
from ecogov.plans.models import Target, TaskUnit
from ecogov.supervision import ledger

LAGGING = (NOT_ACHIEVED, LIMITED, MOVING_AWAY)
READERS = (Role.DISPATCHER, Role.LEADER, Role.INSPECTOR)


def reads(user) -> bool:
    return access.is_admin(user) or (user.is_authenticated and user.role in READERS)


@dataclass
class Body:
    unit: Unit
    red: list = field(default_factory=list)
    yellow: list = field(default_factory=list)
    targets: list = field(default_factory=list)
    scores: list = field(default_factory=list)  # (latest, previous or None)
    sanctions: list = field(default_factory=list)

    @property
    def township(self) -> bool:
        return self.unit.kind in (Unit.Kind.TOWNSHIP_GOVERNMENT, Unit.Kind.STREET_OFFICE)

    @property
    def weight(self) -> tuple:
        return (-len(self.red), -len(self.yellow), -len(self.targets), -len(self.sanctions),
                self.unit.order)  # fmt: skip


def bodies_behind(user, today=None) -> list[Body]:
    today = today or timezone.localdate()
    bodies: dict[int, Body] = {}
    units = {unit.pk: unit for unit in access.scope(user, Unit)}

    def body(unit_id: int) -> Body | None:
        if unit_id not in bodies and unit_id in units:
            bodies[unit_id] = Body(units[unit_id])
        return bodies.get(unit_id)

    for row in ledger.rows(user, ledger.Filters(), today):
        if row.lead_id and row.colour in (Colour.RED, Colour.YELLOW):
            entry = body(row.lead_id)
            if entry:
                (entry.red if row.colour == Colour.RED else entry.yellow).append(row)
    for target, unit_id, status in lagging_targets(user, today):
        entry = body(unit_id)
        if entry:
            entry.targets.append((target, status))
    for latest, previous in latest_scores(user):
        entry = body(latest.unit_id)
        if entry:
            entry.scores.append((latest, previous))
    for sanction in open_sanctions(user):
        unit_id = getattr(sanction, "unit_id", None)
        entry = body(unit_id) if unit_id else None
        if entry:
            entry.sanctions.append(sanction)
    found = [b for b in bodies.values() if b.red or b.yellow or b.targets or b.sanctions
             or any(s.vetoed or s.grade == "failed" for s, _p in b.scores)]  # fmt: skip
    return sorted(found, key=lambda b: b.weight)


def lagging_targets(user, today):
    """(target, lead unit id, status) of each plan target whose progress lags."""
    targets = access.scope(user, Target).filter(task__isnull=False)
    targets = targets.prefetch_related("values").select_related("task", "feed")
    leads = defaultdict(list)
    for link in TaskUnit.objects.filter(
        task__in=targets.values("task"), role=TaskUnit.Role.LEAD, unit__isnull=False
    ):
        leads[link.task_id].append(link.unit_id)
    for target in targets:
        goal, op = target.goal
        values = sorted(target.values.all(), key=lambda v: v.date)
        if not values or goal is None:
            continue
        measured = progress([(v.date, v.value) for v in values], op=op, target=goal,
                            target_year=target.year, today=today)  # fmt: skip
        if measured.status in LAGGING:
            for unit_id in leads.get(target.task_id, []):
                yield target, unit_id, measured.status


def latest_scores(user):
    """Per body and scheme, the latest score the user may see and the one before."""
    scores = access.scope(user, Score).exclude(assessment__state=Assessment.State.DRAFT)
    scores = scores.select_related("assessment__scheme").order_by("assessment__end")
    runs = defaultdict(list)
    for score in scores:
        runs[(score.unit_id, score.assessment.scheme.code)].append(score)
    for series in runs.values():
        yield series[-1], series[-2] if len(series) > 1 else None


def open_sanctions(user) -> list:
    """The open sanctions the sanctions app lists, when it is installed."""
    if not apps.is_installed("ecogov.sanctions"):
        return []
    from ecogov.sanctions.selectors import open_sanctions as listed

    return list(listed(user))


def chart_of(bodies: list[Body]) -> dict:
    shown = bodies[:20]
    return {
        "units": [b.unit.name for b in shown],
        "red": [len(b.red) for b in shown],
        "yellow": [len(b.yellow) for b in shown],
        "targets": [len(b.targets) for b in shown],
    }
