"""The dossier of a referral (移交材料): for each record referred, its full history —
every step, who took it for which unit, when — and each of its clocks: the deadline,
when the step was done, and how late (days late when it was done, or overdue now).

Days late are calendar days, as a discipline commission counts them in its findings;
the supervision clocks' working-day colours are on each record's own page.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.cases.models import Case
from ecogov.sanctions.models import Referral
from ecogov.supervision.models import Item


@dataclass
class Clock:
    what: str
    deadline: datetime.date | None
    done_on: datetime.date | None
    late_days: int = 0  # days late when done, or overdue now
    open: bool = False

    @property
    def verdict(self) -> str:
        if self.deadline is None:
            return _("no deadline")
        if self.open:
            if self.late_days > 0:
                return _("overdue by %(n)d days now") % {"n": self.late_days}
            return _("not yet due")
        if self.late_days > 0:
            return _("late by %(n)d days") % {"n": self.late_days}
        return _("on time")


@dataclass
class Step:
    at: datetime.datetime
    what: str
    actor: str
    unit: str
    note: str


@dataclass
class History:
    kind: str
    number: str
    title: str
    lead: str
    state: str
    url: str
    clocks: list[Clock] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)

    @property
    def late(self) -> bool:
        return any(clock.late_days > 0 for clock in self.clocks)


def clock_of(what: str, deadline, done_at, today: datetime.date) -> Clock:
    done_on = timezone.localdate(done_at) if isinstance(done_at, datetime.datetime) else done_at
    if deadline is None:
        return Clock(what, None, done_on)
    if done_on is None:
        return Clock(what, deadline, None, max(0, (today - deadline).days), open=True)
    return Clock(what, deadline, done_on, max(0, (done_on - deadline).days))


def _person(user) -> str:
    return (user.name or user.username) if user is not None else _("the system")


def item_history(item: Item, today: datetime.date) -> History:
    events = item.events.select_related("actor", "unit").order_by("at", "pk")
    closed = item.closed_at if item.state == Item.State.CLOSED else None
    clocks = [clock_of(_("completion by the deadline"), item.deadline, closed, today)]
    if item.state == Item.State.CANCELLED:
        clocks = []
    return History(
        kind=item.get_kind_display(), number=item.number, title=item.title, lead=item.lead.name,
        state=item.get_state_display(), url=item.get_absolute_url(), clocks=clocks,
        steps=[Step(e.at, e.label, _person(e.actor), e.unit.name if e.unit else "", e.note)
               for e in events],
    )  # fmt: skip


def case_history(case: Case, today: datetime.date) -> History:
    events = case.events.select_related("actor", "unit").order_by("at", "pk")
    clocks = [
        clock_of(_("acceptance by %(unit)s") % {"unit": a.unit.name}, a.accept_due,
                 a.accepted_at, today)
        for a in case.assignments.select_related("unit").order_by("assigned_at", "pk")
    ]  # fmt: skip
    if case.finish_due:
        done = case.reported_at or case.closed_at
        clocks.append(clock_of(_("result by the time limit"), case.finish_due, done, today))
    return History(
        kind=_("case"), number=case.number, title=case.text[:80],
        lead=case.lead.name if case.lead else "", state=case.get_state_display(),
        url=case.get_absolute_url(), clocks=clocks,
        steps=[Step(e.at, e.get_kind_display(), _person(e.actor),
                    e.unit.name if e.unit else "", e.note) for e in events],
    )  # fmt: skip


def dossier_of(referral: Referral, today: datetime.date | None = None) -> list[History]:
    today = today or timezone.localdate()
    histories = []
    for record in referral.records.select_related("item__lead", "case__lead").order_by("pk"):
        if record.item_id:
            histories.append(item_history(record.item, today))
        else:
            histories.append(case_history(record.case, today))
    return histories
