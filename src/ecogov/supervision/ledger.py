"""The one list of everything supervised (督办台账): the ledger's own items, cases and plan
tasks and the rectification problems, as rows of one shape with the same colours
and escalation, filtered by kind, unit, level and colour, over what the user may see.

Each kind contributes its rows through a ``Source``; a new kind registers one.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial

from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov import access
from ecogov.accounts.models import Role
from ecogov.cases.models import OPEN_STATES, Assignment, Case, Channel, State
from ecogov.domain.supervision import Colour, Level, Stage
from ecogov.domain.taskstatus import month_end
from ecogov.plans.models import Task, TaskReport, TaskUnit
from ecogov.plans.selectors import STATUS_LABELS, last_due, task_colour_and_stage, task_status_of
from ecogov.supervision.clocks import calendar
from ecogov.supervision.models import Item, Kind, LevelChoice

COLOUR_ORDER = {Colour.RED: 0, Colour.YELLOW: 1, Colour.BLUE: 2, Colour.NONE: 3}
COLOUR_NAMES = {Colour.BLUE: "蓝", Colour.YELLOW: "黄", Colour.RED: "红"}


@dataclass
class Row:
    kind: str
    number: str
    title: str
    url: str
    lead: str
    lead_id: int | None
    support: list[str] = field(default_factory=list)
    level: str = Level.GENERAL
    due: datetime.date | None = None
    ongoing: bool = False
    colour: str = Colour.NONE
    stage: int = Stage.NONE
    state: str = ""
    source: str = ""
    pk: int | None = None

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)

    @property
    def level_label(self) -> str:
        return str(LevelChoice(self.level).label).split("：")[0].split(":")[0]

    @property
    def escalated(self) -> str:
        if self.stage == Stage.DISCIPLINE:
            return _("discipline commission")
        if self.stage == Stage.UPPER:
            return _("leaders")
        return ""


@dataclass(frozen=True)
class Filters:
    kinds: frozenset[str] = frozenset()
    unit: int | None = None
    level: str = ""
    colour: str = ""
    include_closed: bool = False
    escalated: int = Stage.NONE  # at least this far escalated (1 leaders, 2 discipline)


Source = Callable[[object, Filters, datetime.date], Iterable[Row]]
# How many unfiltered rows a kind has, by colour, and how many went to the discipline
# commission — in the database, for the kinds whose colour and stage are stored.
Counter = Callable[[object, datetime.date], "Counts"]
_SOURCES: dict[str, Source] = {}
_COUNTERS: dict[str, Counter] = {}


@dataclass
class Counts:
    total: int = 0
    discipline: int = 0
    colours: dict[str, int] = field(default_factory=dict)

    def add(self, colour: str, stage: int, number: int = 1) -> None:
        self.total += number
        self.discipline += number if stage >= Stage.DISCIPLINE else 0
        self.colours[colour] = self.colours.get(colour, 0) + number


def register(kind: str, source: Source, counter: Counter | None = None) -> None:
    _SOURCES[kind] = source
    if counter is not None:
        _COUNTERS[kind] = counter


def counts(user, today: datetime.date | None = None) -> Counts:
    """What ``rows(user, Filters())`` holds, counted: by the kinds' counters where they
    have one (a city's 100,000 cases are not made into rows to be counted)."""
    today = today or timezone.localdate()
    found = Counts()
    for kind, source in _SOURCES.items():
        if kind in _COUNTERS:
            for colour, stage, number in _COUNTERS[kind](user, today):
                found.add(colour, stage, number)
        else:
            for row in source(user, Filters(), today):
                found.add(row.colour, row.stage)
    return found


def _grouped(queryset) -> list[tuple[str, int, int]]:
    return [
        (row["colour"], row["stage"], row["number"])
        for row in queryset.order_by().values("colour", "stage").annotate(number=Count("pk"))
    ]


def rows(user, filters: Filters, today: datetime.date | None = None) -> list[Row]:
    """Every supervised row the user may see that passes the filters, red first, then by
    deadline."""
    today = today or timezone.localdate()
    found: list[Row] = []
    for kind, source in _SOURCES.items():
        if filters.kinds and kind not in filters.kinds:
            continue
        for row in source(user, filters, today):
            if filters.level and row.level != filters.level:
                continue
            if filters.colour and row.colour != filters.colour:
                continue
            if row.stage < filters.escalated:
                continue
            found.append(row)
    found.sort(
        key=lambda row: (COLOUR_ORDER.get(row.colour, 3), row.due or datetime.date.max, row.number)
    )
    return found


# --- the ledger's own items ---------------------------------------------------------


def item_rows(user, filters: Filters, today, kind: str) -> Iterable[Row]:
    items = access.scope(user, Item.objects.filter(kind=kind))
    items = items.select_related("lead").prefetch_related("support")
    if not filters.include_closed:
        items = items.filter(state__in=[Item.State.OPEN, Item.State.COMPLETION_ASKED])
    if filters.unit:
        items = items.filter(Q(lead=filters.unit) | Q(support=filters.unit)).distinct()
    for item in items.order_by("pk"):
        yield Row(
            kind=item.kind, number=item.number, title=item.title, url=item.get_absolute_url(),
            lead=item.lead.name, lead_id=item.lead_id,
            support=[unit.name for unit in item.support.all()], level=item.level,
            due=item.deadline, ongoing=item.ongoing, colour=item.colour, stage=item.stage,
            state=item.get_state_display(), source=item.source, pk=item.pk,
        )  # fmt: skip


def item_counts(user, today, kind: str) -> list[tuple[str, int, int]]:
    """``item_rows`` of the unfiltered ledger, counted."""
    items = access.scope(user, Item.objects.filter(kind=kind))
    return _grouped(items.filter(state__in=[Item.State.OPEN, Item.State.COMPLETION_ASKED]))


# Rectification problems register their own rows (the problem's state, not the item's).
for _kind in (Kind.RESOLUTION, Kind.INSTRUCTION, Kind.SPECIAL, Kind.SUGGESTION,
              Kind.IMPLEMENTATION):  # fmt: skip
    register(_kind, partial(item_rows, kind=_kind), partial(item_counts, kind=_kind))


# --- cases --------------------------------------------------------------------------


def _case_rows(user, filters: Filters, today) -> Iterable[Row]:
    cases = access.scope(user, Case).select_related("lead")
    if not filters.include_closed:
        cases = cases.filter(state__in=OPEN_STATES)
    if filters.unit:
        cases = cases.filter(
            Q(lead=filters.unit)
            | Q(pk__in=Assignment.objects.filter(unit=filters.unit).values("case"))
        )
    # Plain values, not cases: a city's ledger has thousands of them, and a Case with its
    # text and history costs more to build than its row.
    states, channels = dict(State.choices), dict(Channel.choices)
    url = reverse("case_detail", args=[0]).removesuffix("0/")
    bureau = _("the bureau (not yet assigned)")
    fields = ("pk", "number", "text", "lead_id", "lead__name", "supervision", "due", "colour",
              "stage", "state", "channel")  # fmt: skip
    for case in cases.order_by("pk").values(*fields):
        yield Row(
            kind=Kind.CASE, number=case["number"], title=case["text"][:60],
            url=f"{url}{case['pk']}/", lead=case["lead__name"] or bureau,
            lead_id=case["lead_id"], level=case["supervision"], due=case["due"],
            colour=case["colour"], stage=case["stage"], state=str(states[case["state"]]),
            source=str(channels[case["channel"]]), pk=case["pk"],
        )  # fmt: skip


def _case_counts(user, today) -> list[tuple[str, int, int]]:
    return _grouped(access.scope(user, Case).filter(state__in=OPEN_STATES))


register(Kind.CASE, _case_rows, _case_counts)


# --- plan tasks ---------------------------------------------------------------------


def _task_rows(user, filters: Filters, today) -> Iterable[Row]:
    tasks = access.scope(user, Task)
    if user.role == Role.LIAISON:  # a liaison's ledger is its unit's
        tasks = tasks.filter(pk__in=TaskUnit.objects.filter(unit=user.unit_id).values("task"))
    if not filters.include_closed:
        tasks = tasks.filter(Q(completed_on=None) | Q(ongoing=True))
    if filters.unit:
        tasks = tasks.filter(pk__in=TaskUnit.objects.filter(unit=filters.unit).values("task"))
    tasks = tasks.select_related("plan").prefetch_related(
        Prefetch("units", queryset=TaskUnit.objects.select_related("unit").order_by("role", "order")),
        Prefetch("reports", queryset=TaskReport.objects.order_by("period")),
    )  # fmt: skip
    count = calendar().workdays_between
    due_reports = last_due(today)
    for task in tasks.distinct().order_by("plan", "order"):
        status = task_status_of(task, today=today, due=due_reports)
        colour, stage = task_colour_and_stage(task, status, today, count)
        links = list(task.units.all())
        leads = [link for link in links if link.role == TaskUnit.Role.LEAD]
        yield Row(
            kind=Kind.TASK, number=task.number,
            title=task.title, url=task.get_absolute_url(),
            lead="、".join(link.unit.name if link.unit else link.name for link in leads),
            lead_id=leads[0].unit_id if leads else None,
            support=[link.unit.name if link.unit else link.name for link in links
                     if link.role == TaskUnit.Role.SUPPORT],
            level=Level.GENERAL, due=month_end(task.deadline) if task.deadline else None,
            ongoing=task.ongoing, colour=colour, stage=stage,
            state=str(STATUS_LABELS[status]), source=task.plan.title, pk=task.pk,
        )  # fmt: skip


register(Kind.TASK, _task_rows)
