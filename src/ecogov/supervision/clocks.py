"""The one scan that times every supervised record: recompute its colour and escalation
from its stored deadline, record the change in the record's own history, and tell the
people concerned through the notifier.

Each kind that stores a clock registers a ``Timed`` (cases do from their app, the ledger's
own items below). The deadlines live in the database, so a consumer that was down for
days catches up at its next run, and running twice changes nothing the second time.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.accounts.models import Role
from ecogov.domain import supervision as rules
from ecogov.domain.supervision import Clock, Colour, Level, Stage
from ecogov.holidays.selectors import work_calendar
from ecogov.supervision.notify import Message, notify, people_of

NOTICE = "notice"
ESCALATED = "escalated"


@dataclass(frozen=True)
class Timed:
    """How one kind of record is timed.

    ``rows``: the records that may run a clock; ``clock``: the clock that runs now (None
    when none does, e.g. suspended); ``level``: its supervision level; ``step``: what
    identifies the step a clock belongs to (a record that moved on meanwhile is left to
    the next run); ``owing``: the unit that must act (None: the supervisor/bureau);
    ``record``: writes the notice or escalation into the record's own history;
    ``message``: what the notice says and links to; ``owing`` may give several units.
    """

    kind: str
    rows: Callable[[], QuerySet]
    clock: Callable[[Model], Clock | None]
    level: Callable[[Model], Level]
    step: Callable[[Model], tuple]
    owing: Callable[[Model], Model | None]
    record: Callable[[Model, str, Colour, str, datetime.datetime], None]
    message: Callable[[Model, Colour], Message]
    # A kind whose colour is not its clock's alone (a plan task lagging in the monthly
    # dispatch is yellow) judges it here: (colour, stage) for the row on the day.
    judge: Callable[[Model, datetime.date, Callable], tuple[Colour, Stage]] | None = None
    area: Callable[[Model], Model] = lambda row: row.jurisdiction
    # Other fields kept current with the colour, by name, for the row on the day (a plan
    # task's dispatch status, which its lists filter on): saved when they change, silently.
    facts: Callable[[Model, datetime.date], dict[str, object]] | None = None


_TIMED: dict[str, Timed] = {}


def register(timed: Timed) -> None:
    _TIMED[timed.kind] = timed


@dataclass
class ScanReport:
    checked: int = 0
    notices: int = 0
    escalations: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


def calendar():
    """Clocks must run even in a year whose holidays nobody has entered yet (the package
    knows a year only once the State Council publishes it): such a year counts Monday to
    Friday until an administrator adds its holidays."""
    return work_calendar(weekdays_when_unknown=True)


def day_and_moment(today: datetime.date | None) -> tuple[datetime.date, datetime.datetime]:
    now = timezone.now()
    if today is None or today == timezone.localdate(now):
        return timezone.localdate(now), now
    # A run for another day (tests, sample data) dates its notices on that day.
    return today, timezone.make_aware(datetime.datetime.combine(today, datetime.time(8, 0)))


def _escalation_note(stage: Stage) -> str:
    if stage == Stage.DISCIPLINE:
        return _("to the discipline commission")
    return _("to the bureau's leaders")


def scan(today: datetime.date | None = None, kinds: Iterable[str] | None = None) -> ScanReport:
    """Recompute the colour and escalation of every running clock of ``kinds`` (all)."""
    return _scan([timed for kind, timed in _TIMED.items() if kinds is None or kind in kinds],
                 today)  # fmt: skip


def scan_some(kind: str, narrow: Callable[[QuerySet], QuerySet],
              today: datetime.date | None = None) -> ScanReport:  # fmt: skip
    """Time at once the records of ``kind`` that ``narrow`` keeps of those the scan times
    (a plan's tasks when it is imported), as the scan would, with its prefetching."""
    timed = _TIMED[kind]
    return _scan([replace(timed, rows=lambda: narrow(timed.rows()))], today)


def _scan(kinds: Iterable[Timed], today: datetime.date | None) -> ScanReport:
    today, at = day_and_moment(today)
    count = calendar().workdays_between
    report = ScanReport()
    for timed in kinds:
        for row in timed.rows().iterator(chunk_size=500):
            _time(timed, row, today, at, count, report)
    return report


def time_now(kind: str, row, today: datetime.date | None = None) -> ScanReport:
    """Time one record at once, as the scan would (a decision that raised it must not
    wait a quarter of an hour for its notices); ``today`` another day, for the sample
    data's past."""
    today, at = day_and_moment(today)
    report = ScanReport()
    _time(_TIMED[kind], row, today, at, calendar().workdays_between, report)
    return report


def _time(timed: Timed, row, today, at, count, report: ScanReport) -> None:
    clock = timed.clock(row)
    if clock is None:
        return
    report.checked += 1
    report.by_kind[timed.kind] = report.by_kind.get(timed.kind, 0) + 1
    level = timed.level(row)
    if timed.judge is not None:
        colour, stage = timed.judge(row, today, count)
    else:
        colour = rules.colour(clock, today, count)
        stage = rules.stage(clock, today, level, count)
    facts = timed.facts(row, today) if timed.facts is not None else {}
    same = all(getattr(row, name) == value for name, value in facts.items())
    if colour == row.colour and stage == row.stage and same:
        return
    _apply(timed, row, colour, stage, level, at, report, facts)


def _apply(timed: Timed, row, colour: Colour, stage: Stage, level: Level, at, report,
           facts: dict[str, object]) -> None:  # fmt: skip
    model = type(row)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=row.pk)
        if timed.step(locked) != timed.step(row):
            return  # it moved on meanwhile; the next run sees its new clock
        rule = rules.SUPERVISION[level]
        owing = timed.owing(locked)
        owing = list(owing) if isinstance(owing, list | tuple) else [owing] if owing else []
        area = timed.area(locked)
        if colour != locked.colour and colour in rule.notify:
            report.notices += 1
            timed.record(locked, NOTICE, colour, "", at)
            notify(
                people_of(units=owing, jurisdiction=area, roles=() if owing else [Role.DISPATCHER]),
                timed.message(locked, colour), at,
            )  # fmt: skip
        if stage > locked.stage:
            report.escalations += 1
            timed.record(locked, ESCALATED, colour, _escalation_note(stage), at)
            roles = [Role.DISPATCHER, Role.LEADER]
            if stage == Stage.DISCIPLINE:
                roles.append(Role.INSPECTOR)
            message = timed.message(locked, colour)
            notify(
                people_of(roles=roles, jurisdiction=area),
                Message(_("%(subject)s (escalated %(whom)s)")
                        % {"subject": message.subject, "whom": _escalation_note(stage)},
                        message.body, message.url, colour),
                at,
            )  # fmt: skip
        locked.colour, locked.stage = colour, stage
        for name, value in facts.items():
            setattr(locked, name, value)
        locked.save(update_fields=["colour", "stage", *facts])
