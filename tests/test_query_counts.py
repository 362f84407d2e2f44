"""The main pages and API lists ask the database the same number of questions however many
rows they show (issue 24 item 3): no query per row. Each page is read, more rows of every
kind it lists are added (cases, supervised items of each own kind, sources, plan tasks),
and it is read again: the number of queries must not grow. A city has 100,000 cases; a
query per row would be 100,000 queries."""

import datetime
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ecogov.cases import oversight
from ecogov.cases import services as cases
from ecogov.cases.models import Case, Channel, State
from ecogov.domain.supervision import Colour, Stage
from ecogov.monitoring import simulator
from ecogov.monitoring.ingest import Ingestor, Upload
from ecogov.monitoring.models import Alarm, Factor, Point
from ecogov.org.selectors import unit_find
from ecogov.plans.models import Plan, Task, TaskReport, TaskUnit
from ecogov.plans.sample import plans_sample_load
from ecogov.sources import views as source_views
from ecogov.sources.models import Source, SourceType
from ecogov.sources.services import source_save
from ecogov.supervision import ledger
from ecogov.supervision import services as supervision
from ecogov.supervision.models import Item, Kind

TEXTS = (
    "南滩街道一个家属院后面的排洪渠常年是黑水，一到夏天臭得受不了",
    "仁和口腔诊所门口的垃圾桶里经常能看见带血的棉球和手套",
    "南川东路某小区楼下烧烤店油烟很大，晚上熏得开不了窗",
    "礼让街拆迁工地晚上十一点还在施工，噪音很大",
    "楼道里的灯坏了很久没人修",
)

# (persona, address): what each role opens first, and the lists of the API.
PAGES = [
    ("dora", "/"),
    ("dora", "/cases/"),
    ("dora", "/cases/overview/"),
    ("dora", "/cases/supervision/"),
    ("dora", "/supervision/"),
    ("dora", "/tasks/"),
    ("dora", "/sources/"),
    ("dora", "/notices/"),
    ("lena", "/"),
    ("lena", "/supervision/"),
    ("lena", "/cases/overview/"),
    ("liam", "/"),
    ("liam", "/cases/"),
    ("liam", "/supervision/"),
    ("ian", "/cases/supervision/"),
    ("dora", "/api/cases"),
    ("dora", "/api/tasks"),
    ("dora", "/api/sources"),
    ("dora", "/api/supervision/items"),
    ("dora", "/api/supervision/ledger"),
    ("dora", "/api/notices"),
    ("liam", "/api/cases"),
    ("liam", "/api/supervision/items"),
]


def _grow(personas, rounds: int, *, offset: int) -> None:
    """Rows of every kind the pages list, each with its units, people and events."""
    now = timezone.now()
    restaurant = SourceType.objects.get(code="restaurant")
    office = unit_find(personas.district, "区政府办公室")
    for n in range(offset, offset + rounds):
        for text in TEXTS:
            case = cases.case_register(
                jurisdiction=personas.district, channel=Channel.HOTLINE, text=f"{text}（{n}）",
                reporter={"name": "王某", "phone": "13900001111"}, by=personas.dora, now=now,
            )  # fmt: skip
            if case.state == State.REGISTERED:  # disputed: the bureau decides
                cases.case_assign(case, lead=personas.construction, by=personas.dora, now=now)
        for kind in (Kind.INSTRUCTION, Kind.SPECIAL, Kind.RESOLUTION):
            supervision.item_create(
                jurisdiction=personas.district, kind=kind, title=f"{kind.label} {n}",
                lead=personas.construction, support=[personas.health], supervisor=office,
                deadline=now.date() + datetime.timedelta(days=n - 3), by=personas.dora,
            )  # fmt: skip
        source_save(
            jurisdiction=personas.district, type=restaurant, name=f"第{n}号饭店",
            lon=Decimal("101.78"), lat=Decimal("36.60"),
        )  # fmt: skip


@pytest.fixture
def district(personas):
    plans_sample_load()  # the plans' tasks, with their units and supervised items
    _grow(personas, 2, offset=0)
    return personas


def _queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200, (address, response.status_code)
    return len(queries)


def test_the_main_pages_ask_as_many_queries_for_more_rows(district, client_for):
    clients = {
        name: client_for(getattr(district, name)) for name in ("dora", "lena", "liam", "ian")
    }
    for name, address in PAGES:
        _queries(clients[name], address)  # warm what is cached per process
    before = {(name, address): _queries(clients[name], address) for name, address in PAGES}
    _grow(district, 3, offset=2)
    after = {(name, address): _queries(clients[name], address) for name, address in PAGES}
    grown = {key: (before[key], after[key]) for key in PAGES if after[key] > before[key]}
    assert not grown, f"queries grew with the rows (before, after): {grown}"


# The paged lists, on their first, a middle and a page past their last.
PAGED = [
    ("dora", "/sources/"),
    ("dora", "/sources/?type=restaurant&page=2"),
    ("dora", "/sources/?page=99"),
    ("dora", "/cases/supervision/"),
    ("dora", "/cases/supervision/?list=discipline&page=2"),
    ("ian", "/cases/supervision/?list=reopened&page=99"),
    ("dora", "/api/sources?offset=2&limit=3"),
]


def _watch(count: int) -> None:
    """The first ``count`` cases in every list of the supervision view."""
    first = Case.objects.order_by("pk").values("pk")[:count]
    Case.objects.filter(pk__in=first).update(
        colour=Colour.RED, stage=Stage.DISCIPLINE, returned=1, reopened=1
    )


def test_the_paged_lists_ask_as_many_queries_for_more_rows_on_every_page(
    district, client_for, monkeypatch
):
    """The sources and the supervision view's lists, with pages small enough that the rows
    fill several: a page asks as many queries whichever it is and however long the list.
    Read first with fewer rows than a page holds, so that a query per row would show."""
    monkeypatch.setattr(source_views, "PAGE_SIZE", 3)
    monkeypatch.setattr(oversight, "SUPERVISION_PAGE_SIZE", 2)
    clients = {name: client_for(getattr(district, name)) for name in ("dora", "ian")}
    assert Source.objects.count() == 2
    _watch(1)
    for name, address in PAGED:
        _queries(clients[name], address)  # warm what is cached per process
    before = {(name, address): _queries(clients[name], address) for name, address in PAGED}
    _grow(district, 3, offset=2)
    _watch(9)
    after = {(name, address): _queries(clients[name], address) for name, address in PAGED}
    grown = {key: (before[key], after[key]) for key in PAGED if after[key] > before[key]}
    assert not grown, f"queries grew with the rows (before, after): {grown}"
    page = clients["ian"].get("/cases/supervision/?list=discipline&page=2").content.decode()
    assert page.count('class="case-row"') == 8  # four lists of two, their histories read


# The task ledger and the tasks API, on their first, a middle and a page past their last.
TASK_PAGES = [
    ("dora", "/tasks/"),
    ("dora", "/tasks/?page=2"),
    ("dora", "/tasks/?page=99"),
    ("dora", "/tasks/?status=not_started&page=2"),
    ("liam", "/tasks/"),
    ("dora", "/api/tasks"),
    ("dora", "/api/tasks?offset=1&limit=4"),
    ("liam", "/api/tasks?offset=1&limit=3"),
]


def _tasks(personas, plan, rounds: int, *, offset: int) -> None:
    """Tasks naming units in every role, in and outside the registry, with reports."""
    office = unit_find(personas.district, "区政府办公室")
    named = [
        (TaskUnit.Role.LEAD, personas.construction), (TaskUnit.Role.LEAD, None),
        (TaskUnit.Role.SUPPORT, personas.health), (TaskUnit.Role.SUPERVISING, office),
        (TaskUnit.Role.IMPLEMENTING, None),
    ]  # fmt: skip
    for n in range(offset, offset + rounds):
        task = Task.objects.create(plan=plan, number=f"新{n}", order=1000 + n, title=f"新增任务{n}",
                                   text="新增任务。", deadline=datetime.date(2026, 12, 1),
                                   status="not_started")  # fmt: skip
        for order, (role, unit) in enumerate(named):
            name = unit.name if unit else f"第{order}个单位"
            TaskUnit.objects.create(task=task, role=role, name=name, unit=unit, order=order)
        for month in (10, 11):
            TaskReport.objects.create(task=task, unit=personas.construction, text="按计划推进。",
                                      period=datetime.date(2026, month, 1))  # fmt: skip


def test_the_task_lists_ask_as_many_queries_for_more_tasks_on_every_page(
    district, client_for, monkeypatch
):
    """The task ledger (paged by 3) and the tasks API read a page of tasks, the units
    they name and their latest reports with one query each, however many tasks. Read
    first with two tasks, fewer than a page holds, so that a query per row would show."""
    from ecogov.plans import views as plan_views

    monkeypatch.setattr(plan_views, "PAGE_SIZE", 3)
    clients = {name: client_for(getattr(district, name)) for name in ("dora", "liam")}
    plan = Plan.objects.filter(jurisdiction=district.district).order_by("pk").first()
    kept = Task.objects.filter(plan=plan).order_by("order").values_list("pk", flat=True)[:2]
    Task.objects.exclude(pk__in=list(kept)).delete()
    Task.objects.update(status="not_started")
    pages = [*TASK_PAGES, ("dora", plan.get_absolute_url())]
    for name, address in pages:
        _queries(clients[name], address)  # warm what is cached per process
    before = {(name, address): _queries(clients[name], address) for name, address in pages}
    _tasks(district, plan, 12, offset=0)
    after = {(name, address): _queries(clients[name], address) for name, address in pages}
    grown = {key: (before[key], after[key]) for key in pages if after[key] > before[key]}
    assert not grown, f"queries grew with the tasks (before, after): {grown}"
    page = clients["dora"].get("/tasks/?page=2").content.decode()
    assert page.count("第1个单位") == 3 and page.count("按计划推进。") == 3  # every row read


def test_the_ledgers_counts_in_the_database_are_its_rows_counted(district):
    """The home page counts the ledger in the database; what it counts is the ledger."""
    Case.objects.filter(pk__in=Case.objects.order_by("pk").values("pk")[:3]).update(
        colour=Colour.RED, stage=Stage.DISCIPLINE
    )
    Case.objects.filter(pk__in=Case.objects.order_by("pk").values("pk")[3:6]).update(
        state=State.CLOSED
    )
    Item.objects.filter(pk__in=Item.objects.order_by("pk").values("pk")[2:4]).update(
        state=Item.State.CLOSED
    )
    Item.objects.filter(pk__in=Item.objects.order_by("pk").values("pk")[:2]).update(
        colour=Colour.YELLOW, stage=Stage.UPPER
    )
    for name in ("dora", "lena", "liam", "ian"):
        user = getattr(district, name)
        rows = ledger.rows(user, ledger.Filters())
        expected = ledger.Counts()
        for row in rows:
            expected.add(row.colour, row.stage)
        assert ledger.counts(user) == expected, name
        assert expected.total and (name == "liam" or expected.discipline)


FILTERS = [
    ledger.Filters(),
    ledger.Filters(include_closed=True),
    ledger.Filters(colour="red"),
    ledger.Filters(kinds=frozenset({Kind.TASK})),
    ledger.Filters(kinds=frozenset({Kind.CASE}), include_closed=True),
    ledger.Filters(level="general"),
    ledger.Filters(level="special"),
    ledger.Filters(escalated=1),
]


def test_a_page_of_the_ledger_is_that_slice_of_the_whole_list(district):
    """The ledger's page is counted, filtered and ordered in the database for the kinds
    that store their colour; it must be exactly the slice of the list built row by row."""
    Case.objects.filter(pk__in=Case.objects.order_by("pk").values("pk")[:3]).update(
        colour=Colour.RED, stage=Stage.UPPER
    )
    Item.objects.filter(pk__in=Item.objects.order_by("pk").values("pk")[:4]).update(
        colour=Colour.YELLOW
    )
    for name in ("dora", "lena", "liam"):
        user = getattr(district, name)
        for filters in FILTERS:
            whole = [(row.kind, row.pk) for row in ledger.rows(user, filters)]
            for offset, limit in ((0, 7), (5, 7), (len(whole) - 3, 7), (0, 1000)):
                offset = max(offset, 0)
                found = ledger.page(user, filters, offset=offset, limit=limit)
                assert found.total == len(whole), (name, filters)
                if offset >= len(whole):  # past the end: the last page
                    offset = max(0, (len(whole) - 1) // limit * limit)
                assert found.offset == offset
                got = [(row.kind, row.pk) for row in found.rows]
                assert got == whole[offset : offset + limit], (name, filters)
        kinds = {row.kind for row in ledger.rows(user, ledger.Filters(include_closed=True))}
        assert {Kind.TASK, Kind.CASE} <= kinds, name  # the kinds that page in the database
        past = ledger.page(user, ledger.Filters(), offset=10**6, limit=7)
        assert past.offset == (past.total - 1) // 7 * 7  # past the end: the last page


def test_a_report_times_the_task_at_once(district):
    """The lists read a task's stored status and colour: a report must bring them to what
    the scan would give without waiting for the scan."""
    from ecogov.plans.models import Task, TaskUnit
    from ecogov.plans.services import task_report_file
    from ecogov.plans.supervised import _judge, _status
    from ecogov.supervision.clocks import calendar

    today = timezone.localdate()
    count = calendar().workdays_between
    leads = TaskUnit.objects.filter(role=TaskUnit.Role.LEAD, unit__isnull=False)
    tasks = Task.objects.filter(completed_on=None, ongoing=False, pk__in=leads.values("task"))
    task = next(task for task in tasks.select_related("plan")
                if _judge(task, today, count) != (Colour.RED, 2))  # fmt: skip
    Task.objects.filter(pk=task.pk).update(colour=Colour.RED, stage=Stage.DISCIPLINE,
                                           status="overdue")  # stale  # fmt: skip
    lead = leads.filter(task=task).first().unit
    task_report_file(task=task, unit=lead, period=today.replace(day=1), text="按计划推进。",
                     percent=50, by=district.dora)  # fmt: skip
    task = Task.objects.select_related("plan").get(pk=task.pk)
    assert (task.colour, task.stage) == _judge(task, today, count) != (Colour.RED, 2)
    assert task.status == _status(task, today) != "overdue"
    row = next(row for row in ledger.rows(district.dora, ledger.Filters()) if row.pk == task.pk
               and row.kind == Kind.TASK)  # fmt: skip
    assert (row.colour, row.stage) == (task.colour, task.stage)


@pytest.mark.parametrize("name", ["dora", "liam"])
def test_the_tasks_api_pages_are_slices_of_the_whole_list(district, client_for, name):
    """The tasks are filtered on their stored status and paged in the database (a
    liaison's own first): a page is that slice of the whole list."""
    client = client_for(getattr(district, name))
    for status in ("", "&status=not_started", "&status=on_track"):
        whole = [task["id"] for task in client.get(f"/api/tasks?limit=500{status}").json()]
        assert whole or status, "the sample's tasks are listed"
        for offset, limit in ((0, 5), (3, 5), (len(whole) - 2, 5)):
            offset = max(offset, 0)
            found = client.get(f"/api/tasks?offset={offset}&limit={limit}{status}").json()
            assert [task["id"] for task in found] == whole[offset : offset + limit], status
    assert len(client.get("/api/tasks").json()) <= 100  # a default page


def _monitor(personas, rounds: int, *, offset: int) -> None:
    """Outlets of new sources (and, the first time, an air station and a river section),
    each with yesterday's and today's hours stored through the ingestion: yesterday is
    read from the daily aggregates, today raw. The outlets' COD limit sits near its
    typical value, so some hours exceed it and alarms open."""
    now = timezone.now()
    kind = SourceType.objects.order_by("pk").first()
    made = []
    for n in range(offset, offset + rounds):
        source = source_save(
            jurisdiction=personas.district, type=kind, name=f"第{n}号排污企业",
            lon=Decimal("101.78"), lat=Decimal("36.60"),
        )  # fmt: skip
        made.append((Point.objects.create(
            jurisdiction=personas.district, kind=Point.Kind.SOURCE, name=f"第{n}号排口",
            mn=f"630103{n:08d}", password=f"pw-{n}", source=source, grid=source.grid,
        ), [("w01018", "mg/L", Decimal(40)), ("w21003", "mg/L", Decimal(5))]))  # fmt: skip
    if offset == 0:
        for kind_, profile in ((Point.Kind.AIR_STATION, "air_station"),
                               (Point.Kind.WATER_SECTION, "water_section")):  # fmt: skip
            point = Point.objects.create(
                jurisdiction=personas.district, kind=kind_, name=f"示例{kind_.label}",
                mn=f"63010399{len(made):06d}", password="pw-quality",
            )  # fmt: skip
            made.append((point, [(c, "", None) for c, *_r in simulator.PROFILES[profile]]))
    uploads = []
    rng = random.Random(offset)
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    start -= datetime.timedelta(days=1)
    for point, factors in made:
        for code, unit, limit in factors:
            Factor.objects.create(point=point, code=code, unit=unit, limit=limit)
        logger = simulator.logger_for(point)
        when = start
        while when < now:
            packet = simulator.hourly_packet(logger, when, rng)
            uploads.append(Upload.of(point.pk, packet, now))
            when += datetime.timedelta(hours=1)
    ingestor = Ingestor()
    ingestor.refresh()
    assert ingestor.store(uploads).stored == len(uploads)


MONITORING = [
    "/monitoring/",
    "/monitoring/?page=2",
    "/monitoring/alarms/",
    "/api/monitoring/points",
    "/api/monitoring/overview",
]


def test_the_monitoring_pages_ask_as_many_queries_for_more_points(personas, client_for):
    _monitor(personas, 2, offset=0)
    client = client_for(personas.dora)
    for address in MONITORING:
        _queries(client, address)  # warm what is cached per process
    before = {address: _queries(client, address) for address in MONITORING}
    _monitor(personas, 3, offset=2)
    assert Point.objects.count() == 7 and Alarm.objects.exists()
    after = {address: _queries(client, address) for address in MONITORING}
    grown = {key: (before[key], after[key]) for key in MONITORING if after[key] > before[key]}
    assert not grown, f"queries grew with the points (before, after): {grown}"


def test_a_page_of_the_monitoring_points_api_is_that_slice_of_the_whole_list(personas, client_for):
    """Only a page's points are counted: each point's rates on a page are those it has
    in the whole list."""
    _monitor(personas, 4, offset=0)
    client = client_for(personas.dora)
    for query in ("", "&kind=source", "&days=1"):
        whole = client.get(f"/api/monitoring/points?limit=500{query}").json()
        assert len(whole) >= 4 and any(p["rates"]["checked_hours"] for p in whole)
        for offset, limit in ((0, 2), (1, 2), (len(whole) - 1, 2), (0, 500)):
            found = client.get(f"/api/monitoring/points?offset={offset}&limit={limit}{query}")
            assert found.json() == whole[offset : offset + limit], (query, offset)
    assert client.get("/api/monitoring/points?limit=501").status_code == 422
