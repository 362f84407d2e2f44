"""What an indicator counts, computed from the record (the ledgers, cases, plan reports,
rectification problems, monitoring and grid evaluations), for a set of assessed bodies
over a period.

Each rule gives, per body, the ``Fact``s it found: one record each, how much it weighs in
the rate (1 for a case, the checked hours for a monitoring point) and how good it was
(1 on time, 0 late; a compliance rate; a grid's score / 100). The scoring method turns
the facts into points and keeps every fact that cost a point as a trace, so a score
stands up to an appeal: this case was finished 6 days late, −1.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecogov.assess.models import Bodies

ONE = Decimal(1)


@dataclass
class Fact:
    ref: str  # "case:12"
    label: str  # the record's number
    url: str
    note: str  # what was right or wrong with it
    on: datetime.date | None = None
    weight: Decimal = ONE
    score: Decimal = ONE  # 1 right … 0 wrong

    @property
    def wrong(self) -> bool:
        return self.score < ONE


Compute = Callable[[list, datetime.date, datetime.date, datetime.date, dict], dict[int, list[Fact]]]


@dataclass(frozen=True)
class Rule:
    name: str
    label: object  # lazy text
    compute: Compute
    bodies: frozenset[str] = frozenset({Bodies.UNITS, Bodies.TOWNSHIPS})
    # The settings it reads, with what they mean (shown on the scheme page).
    params: tuple[str, ...] = ()


RULES: dict[str, Rule] = {}
VETO_RULES: dict[str, Rule] = {}
# A veto the bureau records with its evidence (a major environmental incident).
INCIDENT = "incident"


def rule(name: str, label, *, bodies=None, params=(), veto=False):
    def register(compute: Compute) -> Compute:
        table = VETO_RULES if veto else RULES
        table[name] = Rule(name, label, compute, frozenset(bodies or RULES_BODIES), tuple(params))
        return compute

    return register


RULES_BODIES = (Bodies.UNITS, Bodies.TOWNSHIPS)


def local_day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def _late(done: datetime.date | None, due: datetime.date, until: datetime.date):
    """How a record due on ``due`` stands: (score, note) or None when it is not yet due
    and not done (it counts in a later period)."""
    if done is not None:
        days = (done - due).days
        if days <= 0:
            return ONE, _("on time")
        return Decimal(0), _("%(days)d days late") % {"days": days}
    if due < until:
        return Decimal(0), _("not done, %(days)d days overdue") % {"days": (until - due).days}
    return None


# --- supervised items (resolutions, instructions, suggestions, commitments …) ---------------


@rule("items_on_time", gettext_lazy("supervised items finished on time"), params=("kinds",))
def items_on_time(bodies, start, end, today, params):
    from ecogov.supervision.models import Item

    until = min(end + datetime.timedelta(days=1), today)
    items = Item.objects.filter(
        lead__in=bodies, deadline__gte=start, deadline__lte=end, ongoing=False
    ).exclude(state=Item.State.CANCELLED)
    if params.get("kinds"):
        items = items.filter(kind__in=params["kinds"])
    found = defaultdict(list)
    for item in items.order_by("deadline", "pk"):
        done = local_day(item.closed_at) if item.state == Item.State.CLOSED else None
        judged = _late(done, item.deadline, until)
        if judged is None:
            continue
        score, note = judged
        found[item.lead_id].append(Fact(
            f"item:{item.pk}", item.number, item.get_absolute_url(),
            f"{item.get_kind_display()}「{item.title[:30]}」{note}", item.deadline, score=score,
        ))  # fmt: skip
    return found


# --- cases -----------------------------------------------------------------------------


@rule("cases_accepted_on_time", gettext_lazy("cases accepted on time"))
def cases_accepted_on_time(bodies, start, end, today, params):
    from ecogov.cases.models import Assignment

    found = defaultdict(list)
    assignments = Assignment.objects.filter(
        unit__in=bodies, accept_due__gte=start, accept_due__lte=end
    ).exclude(status__in=[Assignment.Status.RETURNED, Assignment.Status.ENDED],
              accepted_at=None).select_related("case")  # fmt: skip
    until = min(end + datetime.timedelta(days=1), today)
    for assignment in assignments.order_by("accept_due", "pk"):
        judged = _late(local_day(assignment.accepted_at), assignment.accept_due, until)
        if judged is None:
            continue
        score, note = judged
        case = assignment.case
        found[assignment.unit_id].append(Fact(
            f"case:{case.pk}", case.number, case.get_absolute_url(),
            _("accepted: %(note)s") % {"note": note}, assignment.accept_due, score=score,
        ))  # fmt: skip
    return found


@rule("cases_finished_on_time", gettext_lazy("cases finished on time"))
def cases_finished_on_time(bodies, start, end, today, params):
    from ecogov.cases.models import Case, State

    found = defaultdict(list)
    until = min(end + datetime.timedelta(days=1), today)
    cases = Case.objects.filter(lead__in=bodies, finish_due__gte=start, finish_due__lte=end)
    for case in cases.exclude(state=State.SUSPENDED).order_by("finish_due", "pk"):
        judged = _late(local_day(case.reported_at), case.finish_due, until)
        if judged is None:
            continue
        score, note = judged
        found[case.lead_id].append(Fact(
            f"case:{case.pk}", case.number, case.get_absolute_url(),
            _("finished: %(note)s") % {"note": note}, case.finish_due, score=score,
        ))  # fmt: skip
    return found


@rule("returns_overruled", gettext_lazy("cases returned without reason"))
def returns_overruled(bodies, start, end, today, params):
    """A return the bureau overruled: the case came back to the unit that returned it."""
    from ecogov.cases.models import Assignment

    found = defaultdict(list)
    returned = Assignment.objects.filter(
        unit__in=bodies, status=Assignment.Status.RETURNED, role=Assignment.Role.LEAD,
        assigned_at__date__gte=start, assigned_at__date__lte=end,
    ).select_related("case")  # fmt: skip
    returned = list(returned.order_by("assigned_at", "pk"))
    leads = defaultdict(list)
    for case_id, unit_id, at in Assignment.objects.filter(
        case__in={a.case_id for a in returned}, role=Assignment.Role.LEAD
    ).values_list("case", "unit", "assigned_at"):
        leads[(case_id, unit_id)].append(at)
    for assignment in returned:
        again = any(at > assignment.assigned_at
                    for at in leads[(assignment.case_id, assignment.unit_id)])  # fmt: skip
        if again:
            case = assignment.case
            found[assignment.unit_id].append(Fact(
                f"case:{case.pk}", case.number, case.get_absolute_url(),
                _("returned, and assigned back to the unit by the bureau"),
                local_day(assignment.assigned_at), score=Decimal(0),
            ))  # fmt: skip
    return found


@rule("reopened_or_dissatisfied", gettext_lazy("cases reopened or rated dissatisfied"))
def reopened_or_dissatisfied(bodies, start, end, today, params):
    from ecogov.cases.models import Case, Satisfaction

    found = defaultdict(list)
    cases = Case.objects.filter(lead__in=bodies, closed_at__date__gte=start,
                                closed_at__date__lte=end)  # fmt: skip
    cases = cases.filter(Q(reopened__gt=0) | Q(satisfaction=Satisfaction.DISSATISFIED))
    for case in cases.order_by("closed_at", "pk"):
        notes = []
        if case.reopened:
            notes.append(_("reopened %(n)d times") % {"n": case.reopened})
        if case.satisfaction == Satisfaction.DISSATISFIED:
            notes.append(_("the reporter was dissatisfied"))
        found[case.lead_id].append(Fact(
            f"case:{case.pk}", case.number, case.get_absolute_url(), "；".join(notes),
            local_day(case.closed_at), score=Decimal(0),
        ))  # fmt: skip
    return found


# --- plan tasks: the monthly dispatch --------------------------------------------------


@rule("monthly_reports_on_time", gettext_lazy("monthly reports on plan tasks on time"))
def monthly_reports_on_time(bodies, start, end, today, params):
    from ecogov.domain.taskstatus import month_end
    from ecogov.plans.dispatch import REPORTING_ROLES
    from ecogov.plans.models import Dispatch, TaskReport, TaskUnit

    found = defaultdict(list)
    dispatches = Dispatch.objects.filter(due_on__gte=start, due_on__lte=end).select_related("plan")
    dispatches = list(dispatches.order_by("due_on", "pk"))
    plans = {d.plan_id for d in dispatches}
    links = list(TaskUnit.objects.filter(
        unit__in=bodies, role__in=REPORTING_ROLES, task__plan__in=plans,
    ).select_related("task"))  # fmt: skip
    reports = {
        (r.task_id, r.unit_id, r.period): local_day(r.reported_at)
        for r in TaskReport.objects.filter(task__plan__in=plans, unit__in=bodies)
    }
    until = min(end + datetime.timedelta(days=1), today)
    for dispatch in dispatches:
        for link in links:
            task = link.task
            if task.plan_id != dispatch.plan_id:
                continue
            if (
                task.completed_on
                and not task.ongoing
                and task.completed_on <= month_end(dispatch.period)
            ):
                continue
            filed = reports.get((task.pk, link.unit_id, dispatch.period))
            judged = _late(filed, dispatch.due_on, until)
            if judged is None:
                continue
            score, note = judged
            month = f"{dispatch.period.year}-{dispatch.period.month:02d}"
            found[link.unit_id].append(Fact(
                f"task:{task.pk}:{month}", f"{task.number} {month}", task.get_absolute_url(),
                _("report on %(month)s: %(note)s") % {"month": month, "note": note},
                dispatch.due_on, score=score,
            ))  # fmt: skip
    return found


# --- rectification ---------------------------------------------------------------------


@rule("rectification_on_schedule", gettext_lazy("rectification problems on schedule"))
def rectification_on_schedule(bodies, start, end, today, params):
    from ecogov.rectification.models import Problem
    from ecogov.rectification.services import PROGRESS_LABELS, Progress, progress_of

    found = defaultdict(list)
    as_of = min(end, today)
    problems = Problem.objects.filter(item__lead__in=bodies, item__created_at__date__lte=end)
    problems = problems.exclude(closed_on__lt=start).select_related("item", "batch")
    for problem in problems.prefetch_related("measures", "milestones").order_by("pk"):
        progress = progress_of(problem, as_of)
        label = PROGRESS_LABELS[progress]
        found[problem.item.lead_id].append(Fact(
            f"problem:{problem.pk}", problem.item.number, problem.get_absolute_url(),
            f"「{problem.text[:30]}」{label}", problem.item.deadline,
            score=Decimal(0) if progress == Progress.BEHIND else ONE,
        ))  # fmt: skip
    return found


def _relapses(bodies, start, end, today, params):
    from ecogov.rectification.models import LookBack

    found = defaultdict(list)
    relapsed = LookBack.objects.filter(
        unit__in=bodies, result=LookBack.Result.RELAPSED, checked_on__gte=start,
        checked_on__lte=end,
    ).select_related("problem__item")  # fmt: skip
    for lookback in relapsed.order_by("checked_on", "pk"):
        problem = lookback.problem
        found[lookback.unit_id].append(Fact(
            f"problem:{problem.pk}", problem.item.number, problem.get_absolute_url(),
            _("relapsed at the look-back of %(day)s") % {"day": lookback.checked_on},
            lookback.checked_on, score=Decimal(0),
        ))  # fmt: skip
    return found


rule("relapses", gettext_lazy("rectified problems that relapsed"))(_relapses)
rule("relapse", gettext_lazy("a rectified problem relapsed"), veto=True)(_relapses)


# --- townships: monitoring and the grid -------------------------------------------------


def _township_grids(bodies) -> dict[int, list[int]]:
    """Each township body's level-2 grids (the grid it runs)."""
    from ecogov.grid.models import Grid

    grids = defaultdict(list)
    for grid in Grid.objects.filter(unit__in=bodies, level=Grid.Level.TOWNSHIP).order_by("pk"):
        grids[grid.unit_id].append(grid.pk)
    return grids


def period_moments(start, end, today) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end] as local moments, the end not after today."""
    zone = timezone.get_current_timezone()
    begin = datetime.datetime.combine(start, datetime.time(), zone)
    stop = datetime.datetime.combine(min(end, today) + datetime.timedelta(days=1),
                                     datetime.time(), zone)  # fmt: skip
    return begin, stop


def compliance_facts(points, start, end, today) -> list[tuple[object, Fact]]:
    """Each source point's checked hours in the period and the share within the limits."""
    from ecogov.monitoring.models import Point
    from ecogov.monitoring.stats import rates

    points = points.filter(kind=Point.Kind.SOURCE)
    rollup = rates(points, *period_moments(start, end, today))
    facts = []
    for point in points.order_by("pk"):
        own = rollup.points.get(point.pk)
        if own is None or not own.checked:
            continue
        rate = Decimal(own.compliant) / Decimal(own.checked)
        facts.append((point, Fact(
            f"point:{point.pk}", point.name, point.get_absolute_url(),
            _("%(compliant)d of %(checked)d checked hours within the limits") % {
                "compliant": own.compliant, "checked": own.checked},
            None, weight=Decimal(own.checked), score=rate,
        )))  # fmt: skip
    return facts


@rule("monitoring_compliance", gettext_lazy("online-monitoring compliance of the sources"),
      bodies=[Bodies.TOWNSHIPS])  # fmt: skip
def monitoring_compliance(bodies, start, end, today, params):
    from ecogov.monitoring.models import Point

    found = defaultdict(list)
    for unit_id, grids in _township_grids(bodies).items():
        points = Point.objects.filter(Q(grid__in=grids) | Q(grid__parent__in=grids))
        found[unit_id] = [fact for _point, fact in compliance_facts(points, start, end, today)]
    return found


@rule("grid_evaluation", gettext_lazy("evaluation of the grid by the upper grid"),
      bodies=[Bodies.TOWNSHIPS])  # fmt: skip
def grid_evaluation(bodies, start, end, today, params):
    from ecogov.patrols.evaluation import quarter_of
    from ecogov.patrols.models import GridEvaluation

    found = defaultdict(list)
    quarters = set()
    day = start
    while day <= end:
        quarters.add(quarter_of(day))
        day += datetime.timedelta(days=28)
    grids = _township_grids(bodies)
    owner = {grid: unit for unit, ids in grids.items() for grid in ids}
    evaluations = GridEvaluation.objects.filter(
        grid__in=owner, kind=GridEvaluation.Kind.UPPER
    ).select_related("grid")
    for evaluation in evaluations.order_by("year", "quarter", "pk"):
        if (evaluation.year, evaluation.quarter) not in quarters:
            continue
        found[owner[evaluation.grid_id]].append(Fact(
            f"evaluation:{evaluation.pk}", f"{evaluation.grid.name} {evaluation.year}Q{evaluation.quarter}",
            evaluation.grid.get_absolute_url(),
            _("evaluated %(score)d points (%(grade)s)") % {
                "score": evaluation.score, "grade": evaluation.get_grade_display()},
            None, score=Decimal(evaluation.score) / 100,
        ))  # fmt: skip
    return found


# --- vetoes computed from the record ---------------------------------------------------


@rule("discipline", gettext_lazy("an item was escalated to the discipline commission"),
      veto=True)  # fmt: skip
def escalated_to_discipline(bodies, start, end, today, params):
    from ecogov.domain.supervision import Stage
    from ecogov.supervision.models import Item, ItemEvent

    found = defaultdict(list)
    events = ItemEvent.objects.filter(
        item__lead__in=bodies, kind=ItemEvent.Kind.ESCALATED, at__date__gte=start,
        at__date__lte=end, item__stage__gte=Stage.DISCIPLINE,
    ).exclude(item__state=Item.State.CANCELLED).select_related("item")  # fmt: skip
    seen = set()
    for event in events.order_by("at", "pk"):
        if event.item_id in seen:
            continue
        seen.add(event.item_id)
        item = event.item
        found[item.lead_id].append(Fact(
            f"item:{item.pk}", item.number, item.get_absolute_url(),
            _("escalated to the discipline commission"), local_day(event.at), score=Decimal(0),
        ))  # fmt: skip
    return found


# --- sanctions ---------------------------------------------------------------------------


@rule("sanctions", gettext_lazy("criticism notices and admonition talks"))
def sanctioned(bodies, start, end, today, params):
    """Each criticism notice issued about the body and each admonition talk it was
    summoned to in the period."""
    from ecogov.sanctions.models import Admonition, CriticismNotice, Summons

    found = defaultdict(list)
    ids = {unit.pk for unit in bodies}
    notices = CriticismNotice.private_objects.filter(
        state=CriticismNotice.State.ISSUED, issued_on__gte=start, issued_on__lte=end,
        units__in=bodies,
    ).distinct().prefetch_related("units")  # fmt: skip
    for notice in notices.order_by("issued_on", "pk"):
        for unit in notice.units.all():
            if unit.pk in ids:
                found[unit.pk].append(Fact(
                    f"notice:{notice.pk}", notice.number, notice.get_absolute_url(),
                    _("criticised in notice “%(title)s”") % {"title": notice.title[:40]},
                    notice.issued_on, score=Decimal(0),
                ))  # fmt: skip
    summoned = Summons.objects.filter(
        unit__in=bodies, admonition__held_at__date__gte=start, admonition__held_at__date__lte=end
    ).select_related("admonition")
    for summons in summoned.order_by("admonition__held_at", "pk"):
        talk: Admonition = summons.admonition
        found[summons.unit_id].append(Fact(
            f"admonition:{talk.pk}", talk.number, talk.get_absolute_url(),
            _("summoned to the admonition talk “%(title)s”") % {"title": talk.title[:40]},
            local_day(talk.held_at), score=Decimal(0),
        ))  # fmt: skip
    return found


@rule("referral", gettext_lazy("referred to the discipline commission or the judiciary"),
      veto=True)  # fmt: skip
def referred(bodies, start, end, today, params):
    from ecogov.sanctions.models import Referral

    found = defaultdict(list)
    ids = {unit.pk for unit in bodies}
    referrals = (
        Referral.objects.filter(referred_on__gte=start, referred_on__lte=end, units__in=bodies)
        .distinct()
        .prefetch_related("units")
    )
    for referral in referrals.order_by("referred_on", "pk"):
        for unit in referral.units.all():
            if unit.pk in ids:
                found[unit.pk].append(Fact(
                    f"referral:{referral.pk}", referral.number, referral.get_absolute_url(),
                    _("referred to the %(target)s") % {"target": referral.get_target_display()},
                    referral.referred_on, score=Decimal(0),
                ))  # fmt: skip
    return found
