"""Quarterly evaluation of the grids (seed 002 §三.(五).5 评价).

Every grid evaluates its own operation each quarter, the grid above evaluates it, and the
results are reported level by level. The form is filled in advance with the quarter's
figures, computed here for every grid at once: patrols due against patrols done, the
sources nobody patrolled, the problems found and how long their reports took to arrive.

Patrols due: each active source of the grid (and of the grids below it) is due
``max(1, days // interval)`` times in the days of the quarter so far, with the interval
of ``patrols.services.every_days`` (the grid's 定任务, else the defaults). A patrol done
counts towards the schedule at most as often as the source was due, so ten patrols of
one restaurant do not make up for an outfall nobody visited.
"""

import datetime
from dataclasses import asdict, dataclass, field, fields

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov import access
from ecogov.accounts.models import Role
from ecogov.grid.models import Grid, GridMember, within
from ecogov.grid.selectors import depth_first
from ecogov.org.services import audited_save
from ecogov.patrols.models import GridEvaluation, Patrol
from ecogov.patrols.services import every_days
from ecogov.sources.models import Source

Kind = GridEvaluation.Kind
Grade = GridEvaluation.Grade

# The grade a score earns: this project's default, the bands common in grid assessments.
GRADE_FLOORS = ((90, Grade.EXCELLENT), (80, Grade.GOOD), (60, Grade.PASS), (0, Grade.FAIL))


def grade_for(score: int) -> str:
    return next(grade for floor, grade in GRADE_FLOORS if score >= floor)


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    if quarter not in (1, 2, 3, 4) or not 2000 <= year <= 2100:
        raise ValidationError(_("There is no quarter %(quarter)s of %(year)s.") % locals())
    start = datetime.date(year, 3 * quarter - 2, 1)
    following = datetime.date(year + quarter // 4, 3 * quarter % 12 + 1, 1)
    return start, following - datetime.timedelta(days=1)


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


@dataclass
class Figures:
    """A grid's figures of a quarter (its own sources and those of the grids below)."""

    sources: int = 0
    due: int = 0
    done: int = 0
    on_schedule: int = 0  # patrols done, each source counted at most as often as it was due
    not_patrolled: int = 0
    findings: int = 0
    report_hours: float = 0.0  # summed over the findings, for the average
    period_days: int = 0

    @property
    def completion(self) -> float | None:
        """Patrols done on schedule as a percentage of the patrols due."""
        return round(100 * self.on_schedule / self.due, 1) if self.due else None

    @property
    def average_report_hours(self) -> float | None:
        return round(self.report_hours / self.findings, 1) if self.findings else None

    def add(self, other: "Figures") -> None:
        """Sum another grid's counts into these (the period is the same)."""
        for name in (f.name for f in fields(self) if f.name != "period_days"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        return {
            **asdict(self),
            "completion": self.completion,
            "average_report_hours": self.average_report_hours,
        }


def quarter_figures(grids, *, year: int, quarter: int, today: datetime.date) -> dict[int, Figures]:
    """Figures per grid id for the quarter up to today, each grid including its subtree.

    A handful of queries whatever the number of grids: the sources and patrols are read
    once and summed up the tree.
    """
    start, end = quarter_bounds(year, quarter)
    if start > today:
        raise ValidationError(_("This quarter has not begun."))
    end = min(end, today)
    days = (end - start).days + 1
    grids = list(grids)
    parents = dict(Grid.objects.filter(jurisdiction__in={g.jurisdiction_id for g in grids})
                   .values_list("pk", "parent_id"))  # fmt: skip
    own: dict[int, Figures] = {}
    asked = [grid.pk for grid in grids]
    sources = Source.objects.filter(within(asked), status=Source.Status.ACTIVE).select_related(
        "type", "grid", "grid__parent", "grid__parent__parent"
    )
    patrols = dict(
        Patrol.objects.filter(
            source__in=sources, patrolled_at__date__gte=start, patrolled_at__date__lte=end
        )
        .values("source_id")
        .annotate(n=Count("pk"))
        .values_list("source_id", "n")
    )
    for source in sources:
        figures = own.setdefault(source.grid_id, Figures(period_days=days))
        due = max(1, days // every_days(source))
        done = patrols.get(source.pk, 0)
        figures.sources += 1
        figures.due += due
        figures.done += done
        figures.on_schedule += min(done, due)
        figures.not_patrolled += done == 0
    findings = Patrol.objects.filter(
        within(asked),
        finding=True,
        patrolled_at__date__gte=start,
        patrolled_at__date__lte=end,
    ).values_list("grid_id", "patrolled_at", "received_at")
    for grid_id, patrolled_at, received_at in findings:
        figures = own.setdefault(grid_id, Figures(period_days=days))
        figures.findings += 1
        figures.report_hours += max(0.0, (received_at - patrolled_at).total_seconds() / 3600)
    totals = {grid.pk: Figures(period_days=days) for grid in grids}
    for grid_id, figures in own.items():
        node = grid_id
        while node is not None:  # add the grid's own figures to itself and every grid above
            if node in totals:
                totals[node].add(figures)
            node = parents.get(node)
    return totals


def acting_grids(user) -> frozenset[int]:
    """The grids the user answers for: those whose responsible unit is theirs (a
    township's officer, the bureau for the district grid), those they lead (定人员), and
    the village grids they work on. Administrators act for every grid."""
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    if access.is_admin(user):
        return frozenset(Grid.objects.values_list("pk", flat=True))
    ids = set()
    if user.unit_id and user.role in (Role.LIAISON, Role.DISPATCHER):
        ids.update(
            Grid.objects.filter(
                unit=user.unit_id, jurisdiction__in=access.home_jurisdictions(user)
            ).values_list("pk", flat=True)
        )
    ids.update(
        GridMember.objects.filter(user=user, role=GridMember.Role.LEADER).values_list(
            "grid_id", flat=True
        )
    )
    if user.role == Role.GRID_WORKER:
        ids.update(user.grids.filter(level=Grid.Level.VILLAGE).values_list("pk", flat=True))
    return frozenset(ids)


def may_evaluate(user, grid: Grid, kind: str, acting: frozenset[int] | None = None) -> bool:
    """Self-evaluation by the grid's own people; evaluation by the upper grid's people."""
    acting = acting_grids(user) if acting is None else acting
    if kind == Kind.SELF:
        return grid.pk in acting
    return grid.parent_id is not None and grid.parent_id in acting


@transaction.atomic
def evaluation_save(
    *,
    user,
    grid: Grid,
    year: int,
    quarter: int,
    kind: str,
    score,
    remarks: str = "",
    improvements: str = "",
    today: datetime.date | None = None,
) -> GridEvaluation:
    """Record (or correct) an evaluation, with the quarter's figures as they stand now."""
    today = today or timezone.localdate()
    if kind not in Kind.values:
        raise ValidationError(_("Unknown kind of evaluation."))
    if not may_evaluate(user, grid, kind):
        raise PermissionDenied(
            _(
                "Only the grid's own people evaluate it; the upper grid's people evaluate it from above."
            )
            if kind == Kind.SELF
            else _("Only the people of the upper grid evaluate a grid from above.")
        )
    try:
        score = int(score)
    except (TypeError, ValueError):
        raise ValidationError(_("The score is a whole number from 0 to 100.")) from None
    if not 0 <= score <= 100:
        raise ValidationError(_("The score is a whole number from 0 to 100."))
    figures = quarter_figures([grid], year=year, quarter=quarter, today=today)[grid.pk]
    evaluation = GridEvaluation.objects.filter(
        grid=grid, year=year, quarter=quarter, kind=kind
    ).first() or GridEvaluation(grid=grid, year=year, quarter=quarter, kind=kind)
    evaluation.score = score
    evaluation.grade = grade_for(score)
    evaluation.remarks = remarks.strip()
    evaluation.improvements = improvements.strip()
    evaluation.figures = figures.as_dict()
    evaluation.evaluator = user
    audited_save(evaluation, by=user)
    return evaluation


@dataclass
class RollupRow:
    grid: Grid
    figures: Figures
    self_evaluation: GridEvaluation | None = None
    upper_evaluation: GridEvaluation | None = None
    children: int = 0
    children_evaluated: int = 0  # evaluated from above
    children_scores: list[int] = field(default_factory=list)
    may_self: bool = False
    may_upper: bool = False

    @property
    def children_average(self) -> float | None:
        scores = self.children_scores
        return round(sum(scores) / len(scores), 1) if scores else None


def evaluation_rollup(user, *, year: int, quarter: int, today: datetime.date) -> list[RollupRow]:
    """The grids the user sees, depth first, with the quarter's figures, both
    evaluations and, for each grid, how its lower grids were evaluated (逐级上报)."""
    grids = depth_first(
        list(access.scope(user, Grid).select_related("parent", "unit").order_by("level", "name"))
    )
    figures = quarter_figures(grids, year=year, quarter=quarter, today=today) if grids else {}
    evaluations = GridEvaluation.objects.filter(
        grid__in=[g.pk for g in grids], year=year, quarter=quarter
    ).select_related("evaluator")
    found = {(e.grid_id, e.kind): e for e in evaluations}
    acting = acting_grids(user)
    rows = {
        grid.pk: RollupRow(
            grid=grid,
            figures=figures[grid.pk],
            self_evaluation=found.get((grid.pk, Kind.SELF)),
            upper_evaluation=found.get((grid.pk, Kind.UPPER)),
            may_self=may_evaluate(user, grid, Kind.SELF, acting),
            may_upper=may_evaluate(user, grid, Kind.UPPER, acting),
        )
        for grid in grids
    }
    for row in rows.values():
        parent = rows.get(row.grid.parent_id)
        if parent is not None:
            parent.children += 1
            if row.upper_evaluation is not None:
                parent.children_evaluated += 1
                parent.children_scores.append(row.upper_evaluation.score)
    return list(rows.values())
