"""Sample grid people, patrol history and evaluations for the sample district.

The people are fictional (示例网格长, 示例网格员) and cannot sign in: they have no usable
password, so the sample ships no known credentials. An administrator who wants to try
the phone pages gives one of them a password in the back office, or creates a real
grid worker.

The history is generated, reproducibly (seeded by the source's name), for the last 200
days before the day it is loaded: patrols at each source's interval with some missed,
a few problems found, reports arriving within hours. Loading again adds nothing once
any sample source has a patrol.
"""

import datetime
import random
import uuid

from django.db import transaction
from django.utils import timezone

from ecogov.accounts.models import Role, User
from ecogov.accounts.services import user_create
from ecogov.grid.models import Grid, GridMember
from ecogov.org.models import Jurisdiction
from ecogov.patrols.evaluation import Kind, evaluation_save, quarter_figures, quarter_of
from ecogov.patrols.models import Patrol
from ecogov.patrols.services import checklist_for, every_days, patrol_record
from ecogov.sources.models import Source

HISTORY_DAYS = 200
NAMESPACE = uuid.UUID("6f1d7a52-2f8e-4c55-9a57-0c3f3e1b2a10")  # sample patrols' client ids
PROBLEMS = {
    "restaurant": ["油烟净化设施未开启，油烟直排", "店外露天烧烤"],
    "construction_site": ["裸土未覆盖，现场扬尘明显", "渣土车未密闭运输"],
    "industrial_enterprise": ["危险废物贮存间标识不全", "除尘设施未运行"],
    "river_outfall": ["排口出水浑浊、有异味"],
    "livestock_farm": ["粪污外溢至沟渠"],
    "medical_institution": ["医疗废物暂存超过48小时"],
}
MISSED = 0.15  # share of due patrols the sample's workers missed
FINDING = 0.06  # share of patrols that found a problem


def _person(username: str, name: str, unit, grids: list[Grid], member_role: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(
            username=username, role=Role.GRID_WORKER, unit=unit, name=name, password=None
        )
    user.grids.add(*grids)
    for grid in grids:
        GridMember.objects.get_or_create(grid=grid, user=user, role=member_role)
    return user


def sample_people(district: Jurisdiction) -> dict[int, tuple[User, User]]:
    """A grid leader (of the level-2 grid) and a grid worker (of its level-3 grids) for
    each township and street, keyed by the level-2 grid's id."""
    people = {}
    townships = Grid.objects.filter(jurisdiction=district, level=2).order_by("name")
    for n, township in enumerate(townships, start=1):
        villages = list(township.children.order_by("name"))
        leader = _person(
            f"sample-leader-{n}", f"示例网格长（{township.name}）", township.unit, [township],
            GridMember.Role.LEADER,
        )  # fmt: skip
        worker = _person(
            f"sample-worker-{n}", f"示例网格员（{township.name}）", township.unit, villages,
            GridMember.Role.WORKER,
        )  # fmt: skip
        people[township.pk] = (leader, worker)
    return people


def _patrols(source: Source, worker: User, today: datetime.date) -> int:
    rng = random.Random(source.name)
    interval = every_days(source)
    day = today - datetime.timedelta(days=HISTORY_DAYS - rng.randrange(interval))
    created = 0
    n = 0
    while day <= today - datetime.timedelta(days=1):
        n += 1
        if rng.random() >= MISSED:
            found = rng.random() < FINDING
            problems = PROBLEMS.get(source.type.code, ["现场发现环境问题"])
            moment = timezone.make_aware(
                datetime.datetime.combine(
                    day, datetime.time(rng.randrange(8, 18), rng.randrange(60))
                )
            )
            patrol, fresh = patrol_record(
                client_id=uuid.uuid5(NAMESPACE, f"{source.name}:{n}"), source=source,
                worker=worker, patrolled_at=moment,
                checklist={item: not found for item in checklist_for(source)},
                finding=found, note=rng.choice(problems) if found else "",
            )  # fmt: skip
            if fresh:
                # Sent from the field: it arrived within hours (or when the phone came
                # back into coverage), not when the sample was loaded.
                delay = datetime.timedelta(minutes=rng.choice((2, 5, 20, 90, 240)))
                Patrol.objects.filter(pk=patrol.pk).update(received_at=moment + delay)
                created += 1
        day += datetime.timedelta(days=max(1, interval + rng.randint(-2, 2)))
    return created


def _evaluations(district: Jurisdiction, people, today: datetime.date) -> None:
    """The last finished quarter: villages evaluated by themselves and by their township,
    townships by themselves; the district's evaluation of the townships is left to do."""
    year, quarter = quarter_of(today)
    year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    townships = Grid.objects.filter(jurisdiction=district, level=2, pk__in=people.keys())
    villages = Grid.objects.filter(parent__in=townships)
    figures = quarter_figures([*townships, *villages], year=year, quarter=quarter, today=today)
    for grid in [*villages.select_related("parent"), *townships]:
        leader, worker = people[grid.parent_id if grid.level == 3 else grid.pk]
        completion = figures[grid.pk].completion
        score = max(40, min(100, round(completion if completion is not None else 80)))
        remarks = f"本季度按期巡查率{completion}%，发现问题{figures[grid.pk].findings}起。"
        done = [(Kind.SELF, worker if grid.level == 3 else leader, score)]
        if grid.level == 3:
            done.append((Kind.UPPER, leader, max(0, score - 3)))
        for kind, user, value in done:
            evaluation_save(
                user=user, grid=grid, year=year, quarter=quarter, kind=kind, score=value,
                remarks=remarks, improvements="加强重点时段巡查，按期完成巡查任务。"
                if value < 90 else "",
                today=today,
            )  # fmt: skip


@transaction.atomic
def patrols_sample_load(district: Jurisdiction, *, today: datetime.date | None = None) -> int:
    """Create the sample people, patrol history and evaluations; returns the patrols added."""
    today = today or timezone.localdate()
    people = sample_people(district)
    sources = list(
        Source.objects.filter(jurisdiction=district, name__startswith="示例")
        .select_related("type", "grid", "grid__parent", "grid__parent__parent")
        .order_by("name")
    )
    if Patrol.objects.filter(source__in=sources).exists():
        return 0
    created = 0
    for source in sources:
        if source.grid is None or source.grid.level != 3:
            continue
        _leader, worker = people[source.grid.parent_id]
        created += _patrols(source, worker, today)
    _evaluations(district, people, today)
    return created
