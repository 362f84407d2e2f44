"""The one list of everything supervised (督办台账): the ledger's own items, cases and plan
tasks and the rectification problems, as rows of one shape with the same colours
and escalation, filtered by kind, unit, level and colour, over what the user may see.

Each kind contributes its rows through a ``Source``; a new kind registers one.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import partial

from django.db import models
from django.db.models import Count, F, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov import access
from ecogov.accounts.models import Role
from ecogov.cases.models import OPEN_STATES, Assignment, Case, Channel, State
from ecogov.domain.supervision import Colour, Level, Stage
from ecogov.domain.taskstatus import month_end
from ecogov.links import detail_url
from ecogov.plans.models import Task, TaskStatus, TaskUnit
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
    # Only these records (of the kind asked): how a page of the ledger builds its rows.
    pks: frozenset[int] = frozenset()


Source = Callable[[object, Filters, datetime.date], Iterable[Row]]
# How many unfiltered rows a kind has, by colour, and how many went to the discipline
# commission — in the database, for the kinds whose colour and stage are stored.
Counter = Callable[[object, datetime.date], "Counts"]


@dataclass(frozen=True)
class Keys:
    """How a kind whose colour and stage are stored is found in the database: ``rows``
    gives the records its source would make rows of (the user's scope, the unit and
    closed filters applied); ``level`` names the field of the supervision level (empty:
    always general); ``due`` the field the row's deadline comes from, and ``due_of``
    turns it into the row's (a task's deadline month into its last day)."""

    rows: Callable[[object, Filters, datetime.date], QuerySet]
    level: str = "level"
    due: str = "deadline"
    due_of: Callable[[datetime.date | None], datetime.date | None] = lambda due: due
    # Kinds kept in one table with a ``kind`` column (the ledger's own items) and the same
    # ``together``, which gives the records of several kinds at once, are counted and
    # ordered by one query for all of them rather than one a kind.
    together: Callable[[object, Filters, datetime.date, list[str]], QuerySet] | None = None


_SOURCES: dict[str, Source] = {}
_COUNTERS: dict[str, Counter] = {}
_KEYS: dict[str, Keys] = {}


@dataclass
class Counts:
    total: int = 0
    discipline: int = 0
    colours: dict[str, int] = field(default_factory=dict)

    def add(self, colour: str, stage: int, number: int = 1) -> None:
        self.total += number
        self.discipline += number if stage >= Stage.DISCIPLINE else 0
        self.colours[colour] = self.colours.get(colour, 0) + number


def register(kind: str, source: Source, counter: Counter | None = None,
             keys: Keys | None = None) -> None:  # fmt: skip
    _SOURCES[kind] = source
    if counter is not None:
        _COUNTERS[kind] = counter
    if keys is not None:
        _KEYS[kind] = keys


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


def _order(colour: str, due: datetime.date | None, kind: str, pk) -> tuple:
    """Red first, then by deadline; ties in a fixed order (kind, then record)."""
    return (COLOUR_ORDER.get(colour, 3), due or datetime.date.max, _kind_index(kind), pk or 0)


def _kind_index(kind: str) -> int:
    return list(_SOURCES).index(kind) if kind in _SOURCES else len(_SOURCES)


def _passes(row: Row, filters: Filters) -> bool:
    return (
        (not filters.level or row.level == filters.level)
        and (not filters.colour or row.colour == filters.colour)
        and row.stage >= filters.escalated
    )


def rows(user, filters: Filters, today: datetime.date | None = None) -> list[Row]:
    """Every supervised row the user may see that passes the filters, red first, then by
    deadline (the export and the API's whole list; a page of it is ``page``)."""
    today = today or timezone.localdate()
    found = [
        row
        for kind, source in _SOURCES.items()
        if not filters.kinds or kind in filters.kinds
        for row in source(user, filters, today)
        if _passes(row, filters)
    ]
    found.sort(key=lambda row: _order(row.colour, row.due, row.kind, row.pk))
    return found


@dataclass
class Page:
    """``limit`` rows of the ledger from ``offset``, with what the whole list holds."""

    rows: list[Row]
    offset: int  # as asked, or the last page's when that was past the end
    total: int
    colours: dict[str, int]


def page(user, filters: Filters, *, offset: int, limit: int,
         today: datetime.date | None = None) -> Page:  # fmt: skip
    """A page of ``rows(user, filters)``, in the same order, without building every row:
    the kinds whose colour and stage are stored (``Keys``: cases, the ledger's items,
    plan tasks) are counted, filtered and ordered in the database, which gives only the
    first ``offset + limit`` of each; the small kinds without keys are made into rows.
    An offset past the end gives the last page."""
    today = today or timezone.localdate()
    entries: list[tuple] = []  # (order, kind, pk or row)
    groups: dict[object, list[str]] = {}  # kinds whose keys one query reads
    total, colours = 0, {}
    for kind, source in _SOURCES.items():
        if filters.kinds and kind not in filters.kinds:
            continue
        keys = _KEYS.get(kind)
        if keys is None:
            for row in source(user, filters, today):
                if _passes(row, filters):
                    total += 1
                    colours[row.colour] = colours.get(row.colour, 0) + 1
                    entries.append((_order(row.colour, row.due, kind, row.pk), kind, row))
            continue
        groups.setdefault(keys.together or kind, []).append(kind)
    stored: list[tuple[Keys, list[str], QuerySet]] = []
    for kinds in groups.values():
        keys = _KEYS[kinds[0]]
        records = (keys.together(user, filters, today, kinds) if keys.together
                   else keys.rows(user, filters, today))  # fmt: skip
        found = _filtered_keys(keys, records, filters)
        stored.append((keys, kinds, found))
        for colour, number in found.order_by().values_list("colour").annotate(Count("pk")):
            total += number
            colours[colour] = colours.get(colour, 0) + number
    if offset >= total:
        offset = max(0, (total - 1) // limit * limit)
    rank = models.Case(*(When(colour=colour, then=Value(order))
                         for colour, order in COLOUR_ORDER.items()), default=Value(3))  # fmt: skip
    for keys, kinds, found in stored:
        # The ledger's order within the group: colour, deadline, kind, record.
        of_kind = (models.Case(*(When(kind=kind, then=Value(_kind_index(kind))) for kind in kinds))
                   if keys.together else Value(_kind_index(kinds[0])))  # fmt: skip
        first = found.annotate(_rank=rank, _kind=of_kind).order_by(
            "_rank", F(keys.due).asc(nulls_last=True), "_kind", "pk"
        ).values_list("pk", "colour", keys.due, "_kind")[: offset + limit]  # fmt: skip
        for pk, colour, due, index in first:
            kind = list(_SOURCES)[index]
            entries.append((_order(colour, keys.due_of(due), kind, pk), kind, pk))
    entries.sort(key=lambda entry: entry[0])
    shown = entries[offset : offset + limit]
    made: dict[tuple[str, int], Row] = {}
    for kind in {kind for _order_, kind, pk in shown if not isinstance(pk, Row)}:
        pks = frozenset(pk for _order_, of, pk in shown if of == kind)
        for row in _SOURCES[kind](user, replace(filters, pks=pks), today):
            made[(kind, row.pk)] = row
    page_rows = [
        pk if isinstance(pk, Row) else made[(kind, pk)]
        for _order_, kind, pk in shown
        if isinstance(pk, Row) or (kind, pk) in made
    ]
    return Page(page_rows, offset, total, colours)


def _filtered_keys(keys: Keys, found: QuerySet, filters: Filters) -> QuerySet:
    if filters.level:
        if keys.level:
            found = found.filter(**{keys.level: filters.level})
        elif filters.level != Level.GENERAL:
            found = found.none()
    if filters.colour:
        found = found.filter(colour=filters.colour)
    if filters.escalated:
        found = found.filter(stage__gte=filters.escalated)
    return found


# --- the ledger's own items ---------------------------------------------------------


def item_records(user, filters: Filters, today, kind: str) -> QuerySet:
    """The items of ``kind`` that ``item_rows`` makes rows of."""
    return items_records(user, filters, today, [kind])


def items_records(user, filters: Filters, today, kinds: list[str]) -> QuerySet:
    """The items of ``kinds`` that ``item_rows`` makes rows of."""
    items = access.scope(user, Item.objects.filter(kind__in=kinds))
    if not filters.include_closed:
        items = items.filter(state__in=[Item.State.OPEN, Item.State.COMPLETION_ASKED])
    if filters.unit:
        items = items.filter(
            Q(lead=filters.unit) | Q(pk__in=Item.support.through.objects.filter(
                unit=filters.unit).values("item"))
        )  # fmt: skip
    if filters.pks:
        items = items.filter(pk__in=filters.pks)
    return items


def item_keys(kind: str) -> Keys:
    return Keys(partial(item_records, kind=kind), together=items_records)


def item_rows(user, filters: Filters, today, kind: str) -> Iterable[Row]:
    items = item_records(user, filters, today, kind)
    items = items.select_related("lead").prefetch_related("support")
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
    register(_kind, partial(item_rows, kind=_kind), partial(item_counts, kind=_kind),
             item_keys(_kind))  # fmt: skip


# --- cases --------------------------------------------------------------------------


def _case_records(user, filters: Filters, today) -> QuerySet:
    cases = access.scope(user, Case)
    if not filters.include_closed:
        cases = cases.filter(state__in=OPEN_STATES)
    if filters.unit:
        cases = cases.filter(
            Q(lead=filters.unit)
            | Q(pk__in=Assignment.objects.filter(unit=filters.unit).values("case"))
        )
    if filters.pks:
        cases = cases.filter(pk__in=filters.pks)
    return cases


def _case_rows(user, filters: Filters, today) -> Iterable[Row]:
    cases = _case_records(user, filters, today)
    # Plain values, not cases: a city's ledger has thousands of them, and a Case with its
    # text and history costs more to build than its row.
    states, channels = dict(State.choices), dict(Channel.choices)
    url = detail_url("case_detail")
    bureau = _("the bureau (not yet assigned)")
    fields = ("pk", "number", "text", "lead_id", "lead__name", "supervision", "due", "colour",
              "stage", "state", "channel")  # fmt: skip
    for case in cases.order_by("pk").values(*fields):
        yield Row(
            kind=Kind.CASE, number=case["number"], title=case["text"][:60],
            url=url(case["pk"]), lead=case["lead__name"] or bureau,
            lead_id=case["lead_id"], level=case["supervision"], due=case["due"],
            colour=case["colour"], stage=case["stage"], state=str(states[case["state"]]),
            source=str(channels[case["channel"]]), pk=case["pk"],
        )  # fmt: skip


def _case_counts(user, today) -> list[tuple[str, int, int]]:
    return _grouped(access.scope(user, Case).filter(state__in=OPEN_STATES))


register(Kind.CASE, _case_rows, _case_counts, Keys(_case_records, level="supervision", due="due"))


# --- plan tasks ---------------------------------------------------------------------


def _task_records(user, filters: Filters, today) -> QuerySet:
    tasks = access.scope(user, Task)
    if user.role == Role.LIAISON:  # a liaison's ledger is its unit's
        tasks = tasks.filter(pk__in=TaskUnit.objects.filter(unit=user.unit_id).values("task"))
    if not filters.include_closed:
        tasks = tasks.filter(Q(completed_on=None) | Q(ongoing=True))
    if filters.unit:
        tasks = tasks.filter(pk__in=TaskUnit.objects.filter(unit=filters.unit).values("task"))
    if filters.pks:
        tasks = tasks.filter(pk__in=filters.pks)
    return tasks


def _task_rows(user, filters: Filters, today) -> Iterable[Row]:
    """A task's row has the status, colour and escalation the one scan stored (as cases
    and items do; filing a report or completing a task times it at once). Read as plain
    values, as cases are: a task with its text, plan and units costs more than its row."""
    statuses = dict(TaskStatus.choices)
    url = detail_url("task_detail")
    fields = ("pk", "number", "title", "deadline", "ongoing", "colour", "stage", "status",
              "plan__title")  # fmt: skip
    tasks = list(_task_records(user, filters, today).order_by("plan", "order").values(*fields))
    names: dict[int, dict[str, list]] = {}
    links = TaskUnit.objects.filter(
        task__in=[task["pk"] for task in tasks], role__in=[TaskUnit.Role.LEAD, TaskUnit.Role.SUPPORT]
    ).order_by("role", "order").values_list("task", "role", "name", "unit", "unit__name")  # fmt: skip
    for task_id, role, name, unit_id, unit_name in links if tasks else ():
        names.setdefault(task_id, {}).setdefault(role, []).append((unit_id, unit_name or name))
    for task in tasks:
        leads = names.get(task["pk"], {}).get(TaskUnit.Role.LEAD, [])
        yield Row(
            kind=Kind.TASK, number=task["number"], title=task["title"],
            url=url(task["pk"]), lead="、".join(name for _unit, name in leads),
            lead_id=leads[0][0] if leads else None,
            support=[name for _unit, name in names.get(task["pk"], {}).get(TaskUnit.Role.SUPPORT, [])],
            level=Level.GENERAL, due=month_end(task["deadline"]) if task["deadline"] else None,
            ongoing=task["ongoing"], colour=task["colour"] or Colour.NONE, stage=task["stage"],
            state=str(statuses.get(task["status"], "")), source=task["plan__title"], pk=task["pk"],
        )  # fmt: skip


register(
    Kind.TASK,
    _task_rows,
    lambda user, today: _grouped(_task_records(user, Filters(), today)),
    Keys(_task_records, level="", due="deadline",
         due_of=lambda deadline: month_end(deadline) if deadline else None),
)  # fmt: skip
