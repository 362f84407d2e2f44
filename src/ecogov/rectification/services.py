"""A rectification problem's life (seed 004 task 17: 清单式管理、定期调度、实地督导、严格验收销号),
on the supervision ledger:

1. the bureau enters a batch's problems (imported from the list, or one by one, or
   raised from a case, a patrol finding or a campaign): each becomes a supervised item
   of kind "rectification" led by its lead unit, with its measures (each with its unit
   and deadline) and, for a long-term problem, its milestones;
2. the units report progress on their measures and milestones, with evidence; whether
   the problem is completed, on schedule (达到序时进度) or behind is computed from them;
3. the lead unit applies for acceptance with its self-check report once every measure is
   done; the acceptance unit — never a rectifying one — checks on site and accepts, or
   refuses with its reasons and the problem is rectified again;
4. the district signs the acceptance off; the problem is publicised for the batch's
   number of days; an objection upheld sends it back to rectification;
5. after the publicity, with no objection pending, the bureau closes it out (销号) with
   the close-out document;
6. a share of the closed-out problems (and every one the bureau picks) is looked back on
   later; a relapse reopens the problem, counts against the unit and the batch, and
   raises it, red, to the discipline commission.

Bad input raises ValidationError and changes nothing; a step the person may not take
raises PermissionDenied. Dates are those of ``at`` (now by default).
"""

import datetime
import math
import random
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecogov import access
from ecogov.accounts.models import Role
from ecogov.domain.supervision import Clock, Level, Stage
from ecogov.org.models import Unit
from ecogov.org.selectors import bureau_of
from ecogov.org.services import audited_save
from ecogov.rectification.models import (
    Batch,
    LookBack,
    Measure,
    MeasureReport,
    Milestone,
    Objection,
    Origin,
    Problem,
)
from ecogov.supervision import clocks, ledger
from ecogov.supervision import services as supervision
from ecogov.supervision.models import EVENT_LABELS, Item, ItemEvent, Kind
from ecogov.supervision.notify import Message, notify, people_of
from ecogov.uploads import DOCUMENTS, IMAGES, checked_uploads

ACCEPT_WORKDAYS = 10  # the acceptance unit checks on site within ten working days
SIGN_OFF_WORKDAYS = 5  # the district signs an acceptance off within five
AT_ONCE_DAYS = 30  # 立行立改 with no date given: within a month of the list's arrival
MAX_MEASURES = 30
# Problems of the central inspection and the warning films are supervised throughout.
IMPORTANT_ORIGINS = frozenset({Origin.CENTRAL, Origin.WARNING_FILM})

require = supervision.require
text_of = supervision.text_of


moment = supervision.moment


def _actor(by):
    return by if by is not None and by.is_authenticated else None


def _documents(files, what: str):
    return checked_uploads(
        files, IMAGES | DOCUMENTS,
        _("%(what)s must be PDF, Word (.docx), Excel (.xlsx) files or photos (JPEG, PNG, "
          "WebP).") % {"what": what},
    )  # fmt: skip


# --- who may do what ----------------------------------------------------------------


# The bureau's dispatchers of the jurisdiction (and administrators) keep the ledger:
# batches, problems, acceptance units, objections, close-out and look-backs.
runs = access.dispatches


def signs(user, problem: Problem) -> bool:
    """The district's sign-off: the bureau's dispatchers or the leaders of the
    jurisdiction — never someone of a unit that rectifies the problem (when the bureau
    leads it, the government's leaders sign)."""
    if access.is_admin(user):
        return True
    if not (user.is_authenticated and user.unit_id) or user.unit_id in rectifying_units(problem):
        return False
    return runs(user, problem.batch.jurisdiction_id) or bool(
        user.role == Role.LEADER
        and problem.batch.jurisdiction_id in access.home_jurisdictions(user)
    )


def rectifying_units(problem: Problem) -> set[int]:
    """The lead unit, the supporting units and every measure's unit."""
    ids = {problem.item.lead_id, *problem.item.support.values_list("pk", flat=True)}
    ids.update(problem.measures.values_list("unit_id", flat=True))
    return ids


def accepts(user, problem: Problem) -> bool:
    """The named acceptance unit's people (not its grid workers), never a rectifying one."""
    return bool(
        user.is_authenticated
        and user.is_active
        and problem.acceptance_unit_id
        and user.unit_id == problem.acceptance_unit_id
        and user.role in (Role.LIAISON, Role.DISPATCHER, Role.LEADER, Role.ADMINISTRATOR)
        and user.unit_id not in rectifying_units(problem)
    )


def _require_runs(user, jurisdiction_id: int) -> None:
    require(runs(user, jurisdiction_id),
            _("The ecology bureau's dispatchers keep the rectification ledger."),
            permission=True)  # fmt: skip


def _require_state(problem: Problem, *states: str, message: str) -> None:
    require(problem.state in states, message)


# --- batches and problems -----------------------------------------------------------


def batch_create(*, jurisdiction, origin: str, title: str, received_on: datetime.date, by,
                 team: str = "", publicity_days: int = 7, lookback_percent: int = 20,
                 lookback_days: int = 180, public: bool = True, at=None) -> Batch:  # fmt: skip
    _require_runs(by, jurisdiction.pk)
    require(origin in Origin.values, _("Choose who found the problems."))
    title = text_of(title, _("The batch's title"), limit=200)
    require(not Batch.objects.filter(jurisdiction=jurisdiction, title=title).exists(),
            _("A batch of this title exists already: add the problems to it."))  # fmt: skip
    require(received_on is not None, _("Give the day the list was received."))
    require(1 <= int(publicity_days) <= 60, _("The publicity lasts 1 to 60 days."))
    require(0 <= int(lookback_percent) <= 100, _("The look-back share is 0 to 100 per cent."))
    require(1 <= int(lookback_days) <= 1100, _("The look-back comes 1 to 1,100 days later."))
    at, _today = moment(at)
    batch = Batch(
        jurisdiction=jurisdiction, origin=origin, title=title, received_on=received_on,
        team=text_of(team, _("The inspection team"), required=False, limit=100),
        publicity_days=int(publicity_days), lookback_percent=int(lookback_percent),
        lookback_days=int(lookback_days), public=bool(public), created_at=at,
        created_by=_actor(by),
    )  # fmt: skip
    audited_save(batch, by=by)
    return batch


@dataclass(frozen=True)
class MeasureInput:
    text: str
    unit: Unit | None
    deadline: datetime.date | None = None


@dataclass(frozen=True)
class MilestoneInput:
    text: str
    due: datetime.date | None


def _bureau_unit(by, jurisdiction) -> Unit:
    """The unit that supervises the batch's items: the entering person's own."""
    unit = by.unit if getattr(by, "unit_id", None) else None
    if unit is None or unit.jurisdiction_id != jurisdiction.pk:
        unit = bureau_of(jurisdiction)
    require(unit is not None, _("The jurisdiction has no ecology bureau to supervise it."))
    return unit


def _title(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first if len(first) <= 80 else first[:79] + "…"


def problem_create(batch: Batch, *, text: str, stage: str, lead: Unit | None, by,
                   measures=(), milestones=(), target: str = "", leader: str = "",
                   support=(), deadline: datetime.date | None = None, seq: int | None = None,
                   acceptance_unit: Unit | None = None, level: str | None = None, case=None,
                   finding=None, campaign=None, public_text: str = "", at=None,
                   notify_units: bool = True) -> Problem:  # fmt: skip
    """A problem of the batch on the ledger, with its measures and milestones.

    A problem to rectify at once with no date is due ``AT_ONCE_DAYS`` after the list
    arrived; one by a date is due by ``deadline`` or its last measure's; a long-term one
    is ongoing, reporting monthly, and needs at least one milestone."""
    _require_runs(by, batch.jurisdiction_id)
    require(stage in Problem.Stage.values, _("Choose the stage: at once, by a date or long-term."))
    text = text_of(text, _("The problem"))
    measures = [m for m in measures if (m.text or "").strip()]
    require(measures, _("Give at least one rectification measure."))
    require(len(measures) <= MAX_MEASURES,
            _("At most %(n)d measures per problem.") % {"n": MAX_MEASURES})  # fmt: skip
    for number, measure in enumerate(measures, 1):
        require(measure.unit is not None,
                _("Measure %(n)d names no responsible unit.") % {"n": number})  # fmt: skip
    milestones = [m for m in milestones if (m.text or "").strip()]
    for number, milestone in enumerate(milestones, 1):
        require(milestone.due is not None,
                _("Milestone %(n)d has no date.") % {"n": number})  # fmt: skip
    at, today = moment(at)
    ongoing = stage == Problem.Stage.LONG_TERM
    if ongoing:
        require(milestones, _("A long-term problem needs at least one milestone with a date."))
        deadline = None
    else:
        dated = [m.deadline for m in measures if m.deadline]
        if deadline is None and dated:
            deadline = max(dated)
        if deadline is None and stage == Problem.Stage.AT_ONCE:
            deadline = max(batch.received_on, today) + datetime.timedelta(days=AT_ONCE_DAYS)
        require(deadline is not None, _("A problem rectified by a date needs its deadline."))
        late = [n for n, m in enumerate(measures, 1) if m.deadline and m.deadline > deadline]
        require(not late, _("Measures %(list)s are due after the problem's deadline.")
                % {"list": "、".join(map(str, late))})  # fmt: skip
    units = [m.unit for m in measures]
    support = [u for u in [*support, *units] if u is not None and u != lead]
    support = list(dict.fromkeys(support))
    level = level or (Level.IMPORTANT if batch.origin in IMPORTANT_ORIGINS else Level.GENERAL)
    with transaction.atomic():
        if seq is None:
            last = batch.problems.aggregate(last=Max("seq"))["last"] or 0
            seq = last + 1
        require(not batch.problems.filter(seq=seq).exists(),
                _("The batch has a problem no. %(n)d already.") % {"n": seq})  # fmt: skip
        item = supervision.item_create(
            jurisdiction=batch.jurisdiction, kind=Kind.RECTIFICATION, title=_title(text),
            text=text, source=f"{batch.title} 第{seq}项", lead=lead,
            supervisor=_bureau_unit(by, batch.jurisdiction), support=support,
            deadline=deadline, ongoing=ongoing, report_every=1, level=level, by=by, at=at,
            notify_lead=notify_units,
        )  # fmt: skip
        problem = Problem(
            batch=batch, item=item, seq=seq, text=text, stage=stage,
            target=text_of(target, _("The target"), required=False),
            leader=text_of(leader, _("The responsible leader"), required=False, limit=100),
            case=case, finding=finding, campaign=campaign,
            public_text=text_of(public_text, _("The text for publication"), required=False),
        )  # fmt: skip
        audited_save(problem, by=by)
        for order, measure in enumerate(measures, 1):
            [unit] = supervision.units_of(batch.jurisdiction, [measure.unit], _("A measure's unit"))
            Measure.objects.create(
                problem=problem, order=order, unit=unit, deadline=measure.deadline,
                text=text_of(measure.text, _("A measure")),
            )  # fmt: skip
        for milestone in milestones:
            Milestone.objects.create(problem=problem, due=milestone.due,
                                     text=text_of(milestone.text, _("A milestone"), limit=300))  # fmt: skip
        if acceptance_unit is not None:
            _set_acceptance_unit(problem, acceptance_unit)
            problem.save(update_fields=["acceptance_unit"])
    return problem


def _set_acceptance_unit(problem: Problem, unit: Unit) -> None:
    [unit] = supervision.units_of(problem.batch.jurisdiction, [unit], _("The acceptance unit"))
    require(unit.pk not in rectifying_units(problem),
            _("The acceptance unit must be another than the units that rectify the problem: "
              "name an independent unit."))  # fmt: skip
    problem.acceptance_unit = unit


def acceptance_unit_set(problem: Problem, *, unit: Unit | None, by) -> Problem:
    _require_runs(by, problem.batch.jurisdiction_id)
    require(unit is not None, _("Choose the acceptance unit."))
    _require_state(problem, Problem.State.RECTIFYING, Problem.State.APPLIED,
                   message=_("The acceptance is over: its unit cannot change now."))  # fmt: skip
    with transaction.atomic():
        _set_acceptance_unit(problem, unit)
        audited_save(problem, by=by, reason=_("acceptance unit named"))
    return problem


def public_text_set(problem: Problem, *, text: str, by) -> Problem:
    """What the portal shows of the problem (the bureau words it for publication)."""
    _require_runs(by, problem.batch.jurisdiction_id)
    problem.public_text = text_of(text, _("The text for publication"), required=False)
    audited_save(problem, by=by, reason=_("text for publication"))
    return problem


# --- progress -----------------------------------------------------------------------


class Progress(StrEnum):
    COMPLETED = "completed"  # 已完成整改
    ON_SCHEDULE = "on_schedule"  # 达到序时进度
    BEHIND = "behind"  # 滞后


PROGRESS_LABELS = {
    Progress.COMPLETED: "已完成",
    Progress.ON_SCHEDULE: "达到序时进度",
    Progress.BEHIND: "滞后",
}


def progress_of(problem: Problem, today: datetime.date | None = None, *, measures=None,
                milestones=None) -> Progress:  # fmt: skip
    """Completed when acceptance was applied for (or it is closed out), or when every
    measure is done and, for a long-term problem, every milestone reached; behind when a
    measure, a milestone or the problem itself is past its date undone; else on schedule.
    ``measures`` and ``milestones`` may be given when they were prefetched."""
    today = today or timezone.localdate()
    if problem.state != Problem.State.RECTIFYING:
        return Progress.COMPLETED
    measures = list(problem.measures.all()) if measures is None else measures
    milestones = list(problem.milestones.all()) if milestones is None else milestones
    all_done = all(m.done_on for m in measures) and all(m.reached_on for m in milestones)
    if all_done and measures:
        return Progress.COMPLETED
    late = any(m.deadline and not m.done_on and m.deadline < today for m in measures) or any(
        not m.reached_on and m.due < today for m in milestones
    )
    if late or (problem.item.deadline and problem.item.deadline < today):
        return Progress.BEHIND
    return Progress.ON_SCHEDULE


def _report_target(problem: Problem, by, unit_id) -> None:
    require(problem.state == Problem.State.RECTIFYING,
            _("Progress is reported while the problem is being rectified."))  # fmt: skip
    own_unit = getattr(by, "unit_id", None) == unit_id and by.role in (
        Role.LIAISON, Role.DISPATCHER)  # fmt: skip
    require(
        supervision.handles(by, problem.item) or own_unit,
        _("Only the measure's responsible unit or the lead unit reports on it."),
        permission=True,
    )


def measure_report(measure: Measure, *, text: str, by, done: bool = False, percent=None,
                   files=(), at=None) -> ItemEvent:  # fmt: skip
    """A report on one measure, with evidence; ``done`` marks the measure carried out."""
    problem = measure.problem
    _report_target(problem, by, measure.unit_id)
    at, today = moment(at)
    with transaction.atomic():
        event = supervision.item_report(
            problem.item, text=f"【措施{measure.order}】{text_of(text, _('The progress report'))}",
            by=by, percent=100 if done else percent, files=files, at=at,
        )  # fmt: skip
        MeasureReport.objects.create(event=event, measure=measure)
        if done and not measure.done_on:
            measure.done_on = today
            audited_save(measure, by=by, reason=_("measure carried out"))
    return event


def milestone_reach(milestone: Milestone, *, text: str, by, files=(), at=None) -> ItemEvent:
    problem = milestone.problem
    _report_target(problem, by, problem.item.lead_id)
    require(milestone.reached_on is None, _("This milestone was reported reached already."))
    at, today = moment(at)
    with transaction.atomic():
        event = supervision.item_report(
            problem.item, by=by, files=files, at=at,
            text=f"【节点 {milestone.due}】{milestone.text}：{text_of(text, _('What was reached'))}",
        )  # fmt: skip
        milestone.reached_on = today
        audited_save(milestone, by=by, reason=_("milestone reached"))
    return event


# --- acceptance, sign-off, publicity, close-out -------------------------------------


def acceptance_apply(problem: Problem, *, text: str, by, files=(), at=None) -> Problem:
    """The lead unit applies for acceptance with its self-check report (自查报告)."""
    _require_state(problem, Problem.State.RECTIFYING,
                   message=_("Acceptance is applied for while the problem is being rectified."))  # fmt: skip
    require(supervision.handles(by, problem.item),
            _("The lead unit applies for the acceptance."), permission=True)  # fmt: skip
    undone = [str(m.order) for m in problem.measures.all() if not m.done_on]
    require(not undone, _("Measures %(list)s are not reported done yet: report them first.")
            % {"list": "、".join(undone)})  # fmt: skip
    unreached = [str(m.due) for m in problem.milestones.all() if not m.reached_on]
    require(not unreached, _("The milestones of %(list)s are not reached yet.")
            % {"list": "、".join(unreached)})  # fmt: skip
    require(problem.acceptance_unit_id is not None,
            _("No acceptance unit is named yet: the bureau names one first."))  # fmt: skip
    at, _today = moment(at)
    with transaction.atomic():
        supervision.item_ask_completion(
            problem.item, text=text, by=by, files=files, at=at, workdays=ACCEPT_WORKDAYS
        )
        problem.state = Problem.State.APPLIED
        audited_save(problem, by=by, reason=_("acceptance applied for"))
    notify(people_of(units=[problem.acceptance_unit]), _message(problem, _(
        "%(problem)s: acceptance on site requested")), at)  # fmt: skip
    return problem


def acceptance_decide(problem: Problem, *, accept: bool, note: str, by, files=(),
                      at=None) -> Problem:  # fmt: skip
    """The acceptance unit accepts on site (the district then signs off) or refuses with
    its reasons (the units rectify again, their deadline as it was)."""
    _require_state(problem, Problem.State.APPLIED,
                   message=_("Only a problem whose acceptance was applied for can be accepted."))  # fmt: skip
    if getattr(by, "unit_id", None) in rectifying_units(problem):
        raise ValidationError(_("A unit does not accept its own rectification: the named "
                                "acceptance unit checks it."))  # fmt: skip
    require(accepts(by, problem), _("Only the named acceptance unit accepts this problem."),
            permission=True)  # fmt: skip
    applied = problem.item.events.filter(kind=ItemEvent.Kind.COMPLETION_ASKED).last()
    if applied is not None and applied.actor_id and applied.actor.unit_id == by.unit_id:
        raise ValidationError(_("Your unit applied for this acceptance on the lead unit's "
                                "behalf: another unit must accept it."))  # fmt: skip
    note = text_of(note, _("The acceptance opinion"), required=not accept)
    checked = _documents(files, _("The acceptance record"))
    at, today = moment(at)
    with transaction.atomic():
        if accept:
            due = clocks.calendar().add_workdays(today, SIGN_OFF_WORKDAYS)
            supervision.item_phase(
                problem.item, kind=ItemEvent.Kind.ACCEPTED, due=due, workdays=True, by=by,
                unit=problem.acceptance_unit, note=note or _("accepted on site"), at=at,
                files=checked,
            )  # fmt: skip
            problem.state = Problem.State.ACCEPTED
            audited_save(problem, by=by, reason=_("accepted on site"))
        else:
            supervision.item_verify(problem.item, accept=False, note=note, by=by, at=at,
                                    verifier_checked=True)  # fmt: skip
            problem.state = Problem.State.RECTIFYING
            audited_save(problem, by=by, reason=note)
    if accept:
        notify(people_of(roles=[Role.DISPATCHER, Role.LEADER],
                         jurisdiction=problem.batch.jurisdiction),
               _message(problem, _("%(problem)s: accepted, awaiting the sign-off")), at)  # fmt: skip
    return problem


def sign_off(problem: Problem, *, note: str = "", by, at=None) -> Problem:
    """The district signs the acceptance off; the publicity starts that day."""
    _require_state(problem, Problem.State.ACCEPTED,
                   message=_("Only an accepted problem can be signed off."))  # fmt: skip
    require(signs(by, problem), _("The district's leaders or the bureau sign it off."),
            permission=True)  # fmt: skip
    at, today = moment(at)
    end = today + datetime.timedelta(days=problem.batch.publicity_days - 1)
    with transaction.atomic():
        supervision.item_phase(
            problem.item, kind=ItemEvent.Kind.SIGNED_OFF, due=end, workdays=False, by=by,
            note=text_of(note, _("The note"), required=False)
            or _("publicised from %(start)s to %(end)s") % {"start": today, "end": end}, at=at,
        )  # fmt: skip
        problem.state = Problem.State.PUBLICITY
        problem.publicity_start, problem.publicity_end = today, end
        audited_save(problem, by=by, reason=_("signed off; publicity started"))
    return problem


def objection_enter(problem: Problem, *, text: str, by, received_on=None, at=None) -> Objection:
    """An objection received during the publicity (by letter, telephone, the portal)."""
    _require_runs(by, problem.batch.jurisdiction_id)
    _require_state(problem, Problem.State.PUBLICITY,
                   message=_("Objections are received while the problem is publicised."))  # fmt: skip
    at, today = moment(at)
    received_on = received_on or today
    require(problem.publicity_start <= received_on <= max(problem.publicity_end, today),
            _("The objection must have been received during the publicity."))  # fmt: skip
    text = text_of(text, _("The objection"))
    with transaction.atomic():
        objection = Objection.objects.create(problem=problem, received_on=received_on,
                                             text=text, entered_by=_actor(by))  # fmt: skip
        supervision.record(problem.item, ItemEvent.Kind.OBJECTION, by=by, note=text, at=at)
    return objection


def objection_decide(objection: Objection, *, uphold: bool, note: str, by,
                     deadline: datetime.date | None = None, at=None) -> Objection:  # fmt: skip
    """An upheld objection sends the problem back to rectification by ``deadline``; a
    dismissed one needs its reason."""
    problem = objection.problem
    _require_runs(by, problem.batch.jurisdiction_id)
    require(objection.decision == Objection.Decision.PENDING,
            _("This objection was decided already."))  # fmt: skip
    require(problem.state == Problem.State.PUBLICITY, _("The problem is no longer publicised."))
    note = text_of(note, _("The reason of the decision"))
    at, _today = moment(at)
    with transaction.atomic():
        objection.decision = Objection.Decision.UPHELD if uphold else Objection.Decision.DISMISSED
        objection.note, objection.decided_at = note, at
        objection.save()
        if uphold:
            require(deadline is not None, _("Give the deadline of the renewed rectification."))
            # The others pending go back with it: the rectification starts over.
            problem.objections.filter(decision=Objection.Decision.PENDING).update(
                decision=Objection.Decision.UPHELD, decided_at=at,
                note=_("rectified again with the objection upheld on %(day)s")
                % {"day": timezone.localdate(at)},
            )  # fmt: skip
            _back_to_rectifying(problem, deadline=deadline, by=by, at=at,
                                reason=_("objection upheld: %(note)s") % {"note": note})  # fmt: skip
        else:
            supervision.record(problem.item, ItemEvent.Kind.NOTE, by=by, at=at,
                               note=_("objection dismissed: %(note)s") % {"note": note})  # fmt: skip
    return objection


def _back_to_rectifying(problem: Problem, *, deadline, by, at, reason: str,
                        raise_to: Stage = Stage.NONE, files=()) -> None:  # fmt: skip
    """Rectify again: every measure is to be carried out and reported anew by the new
    deadline."""
    supervision.item_reopen(problem.item, deadline=deadline, reason=reason, by=by, at=at,
                            raise_to=raise_to, files=files)  # fmt: skip
    problem.state = Problem.State.RECTIFYING
    problem.publicity_start = problem.publicity_end = problem.closed_on = None
    audited_save(problem, by=by, reason=reason)
    for measure in problem.measures.all():
        measure.done_on, measure.deadline = None, deadline
        audited_save(measure, by=by, reason=reason)
    problem.milestones.exclude(reached_on=None).update(reached_on=None)


def close_out(problem: Problem, *, files, by, note: str = "", at=None) -> Problem:
    """销号: after the publicity, no objection pending, with the close-out document."""
    _require_runs(by, problem.batch.jurisdiction_id)
    _require_state(problem, Problem.State.PUBLICITY,
                   message=_("A problem is closed out after its acceptance, sign-off and "
                             "publicity."))  # fmt: skip
    at, today = moment(at)
    require(today > problem.publicity_end,
            _("The publicity runs until %(end)s: close it out after that.")
            % {"end": problem.publicity_end})  # fmt: skip
    require(not problem.objections.filter(decision=Objection.Decision.PENDING).exists(),
            _("An objection awaits a decision: decide it first."))  # fmt: skip
    checked = _documents(files, _("The close-out document"))
    require(len(checked) == 1, _("Attach the close-out document (销号文件), one file."))
    [(upload, _kind)] = checked
    with transaction.atomic():
        problem.state, problem.closed_on = Problem.State.CLOSED, today
        problem.closeout_file, problem.closeout_name = upload, (upload.name or "")[:200]
        audited_save(problem, by=by, reason=_("closed out"))
        supervision.item_close_by_rule(
            problem.item, by=by, at=at,
            note=text_of(note, _("The note"), required=False) or _("closed out"),
        )  # fmt: skip
        lookback_draw(problem.batch, at=at)
    return problem


# --- the regular dispatch of progress (定期调度进展) -----------------------------------

DISPATCH_DAY = 20  # from this day of the month, units that have not reported are asked


def progress_dispatch(today: datetime.date | None = None) -> int:
    """Ask for this month's progress: from ``DISPATCH_DAY`` on, every problem being
    rectified on which nobody has reported since the month began gets one reminder to
    its lead unit and the units of its undone measures (written in its history, so a
    second run in the month asks nothing again). The number of problems asked."""
    today, at = clocks.day_and_moment(today)
    if today.day < DISPATCH_DAY:
        return 0
    month = today.replace(day=1)
    asked = 0
    problems = (
        Problem.objects.filter(state=Problem.State.RECTIFYING)
        .exclude(  # one event that is both (exclude() would not join them to one row)
            item__in=ItemEvent.objects.filter(
                kind__in=[ItemEvent.Kind.REPORTED, ItemEvent.Kind.NOTICE], at__date__gte=month
            ).values("item")
        )
        .select_related("item__lead", "batch")
        .prefetch_related("measures__unit")
    )
    for problem in problems:
        undone = [m.unit for m in problem.measures.all() if not m.done_on]
        units = list(dict.fromkeys([problem.item.lead, *undone]))
        note = _("this month's progress is asked for by the end of the month (regular dispatch)")
        with transaction.atomic():
            supervision.record(problem.item, ItemEvent.Kind.NOTICE, unit=problem.item.lead,
                               note=note, at=at)  # fmt: skip
        notify(people_of(units=units), _message(problem, _(
            "%(problem)s: report this month's rectification progress")), at)  # fmt: skip
        asked += 1
    return asked


# --- the look-back ------------------------------------------------------------------


def _current_lookbacks(batch: Batch):
    """Look-backs of the problems' present close-out (not of one before a relapse)."""
    return LookBack.objects.filter(problem__batch=batch, problem__state=Problem.State.CLOSED,
                                   due__gt=F("problem__closed_on"))  # fmt: skip


def lookback_draw(batch: Batch, *, at=None, rng=None) -> list[LookBack]:
    """Draw at random among the batch's closed-out problems until the batch's share of
    them is due for a look-back (those the bureau picked count towards it)."""
    at, _today = moment(at)
    closed = list(batch.problems.filter(state=Problem.State.CLOSED).select_related("item"))
    wanted = math.ceil(len(closed) * batch.lookback_percent / 100)
    current = set(_current_lookbacks(batch).values_list("problem_id", flat=True))
    candidates = [p for p in closed if p.pk not in current]
    missing = max(0, wanted - len(current))
    drawn = (rng or random.SystemRandom()).sample(candidates, min(missing, len(candidates)))
    return [
        LookBack.objects.create(
            problem=problem,
            unit=problem.item.lead,
            picked=False,
            due=problem.closed_on + datetime.timedelta(days=batch.lookback_days),
        )  # fmt: skip
        for problem in sorted(drawn, key=lambda p: p.seq)
    ]


def lookback_pick(problem: Problem, *, by, due: datetime.date | None = None, at=None) -> LookBack:
    """The bureau picks a closed-out problem for a look-back (any day it chooses)."""
    _require_runs(by, problem.batch.jurisdiction_id)
    _require_state(problem, Problem.State.CLOSED,
                   message=_("Only a closed-out problem is looked back on."))  # fmt: skip
    at, today = moment(at)
    due = due or problem.closed_on + datetime.timedelta(days=problem.batch.lookback_days)
    require(due > problem.closed_on, _("A look-back comes after the close-out."))
    pending = problem.lookbacks.filter(result=LookBack.Result.PENDING).first()
    if pending is not None:
        pending.picked, pending.due = True, min(pending.due, due)
        pending.save(update_fields=["picked", "due"])
        return pending
    return LookBack.objects.create(problem=problem, unit=problem.item.lead, picked=True, due=due)


def lookback_record(lookback: LookBack, *, relapsed: bool, note: str, by, files=(),
                    deadline: datetime.date | None = None, at=None) -> LookBack:  # fmt: skip
    """What the look-back found. A relapse (整改后反弹) reopens the problem by
    ``deadline``, counts against the unit and the batch, and raises it, red, to the
    discipline commission."""
    problem = lookback.problem
    _require_runs(by, problem.batch.jurisdiction_id)
    require(lookback.result == LookBack.Result.PENDING, _("This look-back was recorded already."))
    require(problem.state == Problem.State.CLOSED, _("The problem is open already."))
    note = text_of(note, _("The findings"))
    checked = _documents(files, _("The check record"))
    at, today = moment(at)
    if relapsed:
        require(deadline is not None, _("Give the deadline of the renewed rectification."))
    with transaction.atomic():
        lookback.result = LookBack.Result.RELAPSED if relapsed else LookBack.Result.HOLDS
        lookback.checked_on, lookback.checked_by, lookback.note = today, _actor(by), note
        if checked:
            upload, _kind = checked[0]
            lookback.file, lookback.file_name = upload, (upload.name or "")[:200]
        lookback.save()
        if relapsed:
            problem.relapses += 1
            _back_to_rectifying(
                problem, deadline=deadline, by=by, at=at, raise_to=Stage.DISCIPLINE,
                reason=_("relapse found on the look-back: %(note)s") % {"note": note},
            )  # fmt: skip
        else:
            supervision.record(problem.item, ItemEvent.Kind.LOOKED_BACK, by=by, at=at,
                               note=note, files=checked)  # fmt: skip
    return lookback


def _lookback_message(lookback: LookBack, colour) -> Message:
    problem = lookback.problem
    return Message(
        _("%(problem)s: the look-back is due %(due)s") % {"problem": problem, "due": lookback.due},
        problem.text[:500], problem.get_absolute_url(), str(colour),
    )  # fmt: skip


# The look-backs' clocks (close-out to the day due): the bureau's dispatchers are
# reminded as the day nears and chased, as for any supervised step, once it has passed.
clocks.register(
    clocks.Timed(
        kind="lookback",
        rows=lambda: LookBack.objects.filter(
            result=LookBack.Result.PENDING, problem__state=Problem.State.CLOSED
        ).select_related("problem__batch__jurisdiction"),
        clock=lambda lb: Clock(lb.problem.closed_on, lb.due) if lb.problem.closed_on else None,
        level=lambda lb: Level.GENERAL,
        step=lambda lb: (lb.due, lb.result),
        owing=lambda lb: None,
        record=lambda lb, what, colour, note, at: None,  # the notices are the record
        message=_lookback_message,
        area=lambda lb: lb.problem.batch.jurisdiction,
    )
)


# --- how it looks from the ledger and the notices -----------------------------------


def _message(problem: Problem, subject: str) -> Message:
    return Message(subject % {"problem": str(problem)}, problem.text[:500],
                   problem.get_absolute_url(), "")  # fmt: skip


def _origin(item: Item):
    problem = Problem.objects.filter(item=item).select_related("batch").first()
    return (str(problem), problem.get_absolute_url()) if problem else None


def _step_guard(item: Item, step: str) -> str | None:
    if step in ("complete", "verify", "send_back"):
        return _("A rectification problem is accepted, signed off and closed out on its own "
                 "page.")  # fmt: skip
    if step == "cancel":
        return _("A problem an inspection found is closed out, not cancelled.")
    if step == "reassign":
        return _("Change a problem's units on its own page, where its measures are kept.")
    return None


EVENT_LABELS[Kind.RECTIFICATION] = {
    ItemEvent.Kind.COMPLETION_ASKED: gettext_lazy("acceptance applied for"),
    ItemEvent.Kind.SENT_BACK: gettext_lazy("acceptance refused"),
    ItemEvent.Kind.CLOSED: gettext_lazy("closed out"),
}


def _owing(item: Item):
    """After the application: the acceptance unit checks; once accepted the district
    signs off and the publicity runs (the bureau's dispatchers are told)."""
    problem = Problem.objects.filter(item=item).select_related("acceptance_unit").first()
    if problem is not None and problem.state == Problem.State.APPLIED:
        return problem.acceptance_unit
    return None


supervision.register_owing(Kind.RECTIFICATION, _owing)
supervision.register_origin(Kind.RECTIFICATION, _origin)
supervision.register_steps(Kind.RECTIFICATION, _step_guard)


def _problem_rows(user, filters, today):
    """The ledger's rows of the problems: the item's row with the problem's own state."""
    rows = list(ledger.item_rows(user, filters, today, kind=Kind.RECTIFICATION))
    states = dict(
        Problem.objects.filter(item__in=[row.pk for row in rows]).values_list("item", "state")
    )
    for row in rows:
        if row.pk in states:
            row.state = str(Problem.State(states[row.pk]).label)
        yield row


ledger.register(Kind.RECTIFICATION, _problem_rows, keys=ledger.item_keys(Kind.RECTIFICATION))
