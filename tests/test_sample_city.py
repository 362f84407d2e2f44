"""``ecogov sample city`` at a small size: the counts asked, the same seed gives the same
data, a leader's pages and the case list open on it, and a second run into a database
that is not empty is refused."""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from ecogov.accounts.models import User
from ecogov.cases.models import Case, CaseEvent, State
from ecogov.monitoring.models import Point, PointDay, Reading
from ecogov.org.models import Jurisdiction, Unit
from ecogov.patrols.models import Patrol
from ecogov.plans.models import Task
from ecogov.sources.models import Source
from ecogov.standards.uscc import is_valid
from ecogov.supervision.models import Item
from ecogov.web.city import CityExists, Size, city_generate

SMALL = Size(districts=2, cases=200, sources=30, points=5, days=3, minute_days=1, tasks=40,
             seed=7, service_cases=5, items=3)  # fmt: skip
TINY = Size(
    districts=1,
    cases=40,
    sources=8,
    points=2,
    days=2,
    minute_days=1,
    tasks=0,
    seed=3,
    service_cases=2,
    items=1,
)


def digest() -> str:
    """What the generator decided, without the database's ids and the random tracking codes."""
    parts = [
        list(Jurisdiction.objects.order_by("code", "name").values_list("name", "code")),
        list(Source.objects.order_by("name").values_list("name", "uscc", "lon", "lat", "grid__name")),
        list(Case.objects.order_by("number").values_list(
            "number", "state", "text", "registered_at", "lead__name", "due", "colour", "stage")),
        list(CaseEvent.objects.order_by("case__number", "at", "kind").values_list(
            "case__number", "kind", "at")),
        list(Task.objects.order_by("plan__title", "number").values_list("plan__title", "number",
                                                                        "title")),
        list(Point.objects.order_by("mn").values_list("mn", "name", "kind")),
        Reading.objects.count(),
        str(Reading.objects.aggregate(total=Sum("value"))["total"]),
        list(Patrol.objects.order_by("source__name", "patrolled_at").values_list(
            "source__name", "patrolled_at")),
    ]  # fmt: skip
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@pytest.mark.django_db(transaction=False)
def test_the_same_seed_gives_the_same_data(django_db_blocker):
    # Before the module's city exists (the generator refuses a database that is not empty).
    now, digests = timezone.now(), []
    for _run in range(2):
        with transaction.atomic():
            city_generate(TINY, now=now)
            digests.append(digest())
            transaction.set_rollback(True)
    assert digests[0] == digests[1]


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        counts = city_generate(SMALL)
        yield counts
        transaction.set_rollback(True)


def test_it_writes_the_counts_asked(city, db):
    assert Jurisdiction.objects.filter(parent__name="江源市").count() == 2
    assert Case.objects.count() == 200
    assert Source.objects.count() == 30
    assert Point.objects.count() == 5
    assert Task.objects.count() >= 40
    assert Item.objects.filter(kind__in=["instruction", "special"]).count() == 6
    assert Unit.objects.filter(jurisdiction__name="东湖区").count() == 23
    hourly, minute = SMALL.readings()
    assert Reading.objects.filter(period="hour").count() == pytest.approx(hourly, rel=0.15)
    assert Reading.objects.filter(period="minute").count() == pytest.approx(minute, rel=0.1)
    assert city["cases"] == 200 and city["readings"] == Reading.objects.count()
    # The days the pages read are counted, as the writer would have counted them.
    assert city["point_days"] == PointDay.objects.count() > 0
    assert all(
        is_valid(code) for code in Source.objects.exclude(uscc="").values_list("uscc", flat=True)
    )
    assert not Source.objects.filter(grid=None).exists()


def test_the_cases_are_in_every_state_with_their_timeline(city, db):
    states = set(Case.objects.values_list("state", flat=True))
    assert {State.REGISTERED, State.ASSIGNED, State.ACCEPTED, State.CLOSED} <= states
    # Disputed (no lead proposed) and overdue (red) cases are there, as the scan keeps them.
    assert Case.objects.filter(state=State.REGISTERED, lead=None).exists()
    assert Case.objects.filter(colour="red").exists()
    for case in Case.objects.filter(state=State.CLOSED)[:20]:
        kinds = list(case.events.values_list("kind", flat=True))
        assert kinds[0] == CaseEvent.Kind.REGISTERED and CaseEvent.Kind.CLOSED in kinds
        assert case.closed_at >= case.registered_at
    assert not Case.objects.exclude(state=State.REGISTERED).filter(lead=None).exists()
    # The services registered some, and wrote their history rows; the bulk ones have theirs.
    assert Case.history.count() >= Case.objects.count()


@pytest.mark.parametrize(
    "path", ["/", "/cases/", "/cases/overview/", "/supervision/", "/monitoring/", "/plans/"]
)
def test_a_leaders_pages_open(city, db, client, path):
    client.force_login(User.objects.get(username="city1-leader"))
    assert client.get(path).status_code == 200


def test_the_dispatchers_case_list_opens(city, db, client):
    client.force_login(User.objects.get(username="city1-dispatcher"))
    response = client.get("/cases/")
    assert response.status_code == 200
    assert "东湖区" in response.content.decode() or Case.objects.exists()


def test_a_second_run_is_refused(city, db):
    with pytest.raises(CityExists, match="江源市"):
        city_generate(SMALL)
    with pytest.raises(CommandError, match="江源市"):
        call_command("sample", "city", "--districts", "1", "--cases", "1", "--quiet",
                     stdout=io.StringIO())  # fmt: skip


def test_its_tasks_are_coloured_as_the_scan_colours_them(city, db):
    """The ledger reads a task's stored colour: the generator leaves what the scan would."""
    from ecogov.plans.models import Task
    from ecogov.plans.supervised import _judge
    from ecogov.supervision.clocks import calendar

    today, count = timezone.localdate(), calendar().workdays_between
    tasks = Task.objects.filter(completed_on=None).select_related("plan")
    assert tasks.exclude(colour="").exists()
    for task in tasks:
        assert (task.colour, task.stage) == _judge(task, today, count), task.number
