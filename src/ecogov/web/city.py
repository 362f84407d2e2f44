"""``ecogov sample city``: a fictional prefecture-level city's year, at the size of a real one.

The city (示例省 › 江源市, fictional division codes 99xxxx) has ``districts`` districts and
counties, each a copy of the sample district with its own names: the 2021 duty list of
城中区 with the district's name in it (23 member units, 104 duty clauses), the sample
grid moved to the district's place with its own street and township names, and its
action plan. What a year leaves behind is then generated from one seed, so the same
arguments give the same data (except the random tracking codes of cases):

- through the services, which hold the rules: jurisdictions, units and duty lists
  (``duty_list_import``), grids (``grid_import``), accounts (``user_create``), monitoring
  points and their pollutants (``points_import``), plans and their tasks
  (``plan_import``), leaders' instructions and special items (``item_create``), and a
  few hundred cases registered and routed through ``case_register`` (which routes by the
  duty lists and assigns) and accepted through ``case_accept``;
- in bulk, where the services would take hours: pollution sources, cases with their
  reporters, assignments and timeline events, patrols, monthly task reports and the
  readings. The bulk rows are written as the services would leave them: history rows for
  the audited models (``bulk_create_with_history``), a case's clock (start, due, finish
  due) set by the same rules as its services (``cases.services.clocks_for`` of its channel
  and category, ``finish_due``; verify in 5 and close in 2 working days), its colour and
  escalation computed by ``domain.supervision`` for today, and an event for every step.

Readings: hourly values of every pollutant of every point for ``days`` days, and minute
values of each point's main pollutant for the last ``minute_days`` days, with a daily
rhythm, noise and exceedance episodes (the simulator's value model); no packets (the
frames a logger would have sent) are written for them. On PostgreSQL they go in by COPY.
"""

import csv
import datetime
import functools
import io
import json
import math
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from ecogov.accounts.models import Role, User
from ecogov.accounts.services import user_create
from ecogov.cases import services as case_services
from ecogov.cases.models import (
    Assignment,
    Case,
    CaseEvent,
    Category,
    Channel,
    Outcome,
    Reporter,
    Satisfaction,
    State,
)
from ecogov.domain import supervision as rules
from ecogov.domain.dutylist import parse_duty_list
from ecogov.domain.gridgeo import GridFeature, geometry_from_geojson
from ecogov.domain.plandoc import PlanDocument, PlanTask, parse_plan
from ecogov.domain.plantargets import plan_targets
from ecogov.domain.textfile import read_text
from ecogov.grid.models import Grid, GridMember
from ecogov.grid.services import grid_import
from ecogov.monitoring import simulator
from ecogov.monitoring.aggregates import point_days_refresh
from ecogov.monitoring.models import Point, Reading
from ecogov.monitoring.partitions import partitions_ensure
from ecogov.monitoring.services import points_import
from ecogov.org.models import Jurisdiction, Unit
from ecogov.org.sample import DUTY_LIST, SAMPLE_DIR
from ecogov.org.services import duty_list_import, jurisdiction_ensure
from ecogov.patrols.models import Patrol
from ecogov.plans.models import Task, TaskReport, TaskUnit
from ecogov.plans.services import known_units, plan_import, plan_resolve
from ecogov.sources.catalog import ensure_default_types
from ecogov.sources.models import Source, SourceType
from ecogov.standards.uscc import check_character
from ecogov.supervision import clocks
from ecogov.supervision.models import Kind as ItemKind
from ecogov.supervision.services import item_create

PROVINCE = ("示例省", "990000")
CITY = ("江源市", "990100")
# District and county names of the fictional city, in order.
DISTRICTS = (
    "东湖区", "西山区", "南河区", "北塔区", "清江区", "白石区", "青川县", "云溪县", "安平县",
    "长岭县", "临水县", "石门县", "柳林县", "枫桥县", "高阳县", "宁远县",
)  # fmt: skip
STREET_WORDS = (
    "人民", "解放", "建设", "和平", "新华", "胜利", "光明", "文化", "滨河", "朝阳", "长安",
    "红旗", "东风", "兴华", "前进", "幸福", "民主", "团结", "育才", "花园", "春晓", "望江",
)  # fmt: skip
TOWN_WORDS = ("双河", "马坊", "石桥", "柳湾", "杨庄", "龙泉", "桃园", "金沙", "平安", "新店")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌海燕"
ENTERPRISE_WORDS = (
    "恒达", "宏盛", "鑫源", "华润", "金泰", "永兴", "天成", "瑞丰", "博远", "嘉禾", "正大",
    "安泰", "德隆", "中信", "汇通", "新材", "利民", "东方", "西域", "昆仑", "青云", "盛世",
)  # fmt: skip
SOURCE_KINDS = {
    # type code: (share, name suffixes, key share)
    "industrial_enterprise": (0.30, ("化工有限公司", "建材有限公司", "机械制造有限公司",
                                     "食品有限公司", "印染有限公司", "热力有限公司"), 0.35),
    "construction_site": (0.15, ("建设项目工地", "住宅小区项目工地", "道路改造工程工地"), 0.05),
    "restaurant": (0.30, ("餐厅", "烧烤店", "火锅店", "饭庄"), 0.0),
    "medical_institution": (0.08, ("诊所", "社区卫生服务中心", "口腔门诊"), 0.1),
    "river_outfall": (0.05, ("入河排污口",), 0.5),
    "livestock_farm": (0.07, ("养殖场", "养殖专业合作社"), 0.2),
    "entertainment_venue": (0.05, ("KTV", "娱乐会所"), 0.0),
}  # fmt: skip
# Points per kind: an air station and a river section for every ~40 points (at least
# one each per district); the rest are outlets of key sources.
STATION_SHARE = 0.025
# Limits of the outlets (GB 8978-1996 / GB 13271-2014 in size), as the sample's points.
OUTLET_FACTORS = {
    "water": (("w00000", "", "L/s"), ("w01001", "", "无量纲"), ("w01018", "100", "mg/L"),
              ("w21003", "15", "mg/L"), ("w21011", "0.5", "mg/L")),
    "air": (("a00000", "", "m³/s"), ("a21026", "300", "mg/m³"), ("a21002", "300", "mg/m³"),
            ("a34013", "50", "mg/m³")),
    "air_station": (("a34004", "", "μg/m³"), ("a34002", "", "μg/m³"), ("a21026", "", "μg/m³"),
                    ("a21004", "", "μg/m³"), ("a21005", "", "mg/m³"), ("a05024", "", "μg/m³")),
    "water_section": (("w01001", "", "无量纲"), ("w01009", "", "mg/L"), ("w01019", "", "mg/L"),
                      ("w01018", "", "mg/L"), ("w21003", "", "mg/L"), ("w21011", "", "mg/L")),
}  # fmt: skip
EXCEEDANCES_PER_YEAR = 6  # episodes of a few hours per point with a limit
CASE_TEXTS = {
    Category.AIR: ("{place}附近{src}夜间排放刺鼻气味，影响居民休息", "{place}{src}锅炉冒黑烟",
                   "{place}露天焚烧垃圾，烟雾很大", "{place}{src}油烟直排，楼上无法开窗"),
    Category.WATER: ("{place}附近河道出现大量泡沫，水体发黑发臭", "{src}向河道偷排污水",
                     "{place}雨水管道排出污水，有异味"),
    Category.NOISE: ("{place}{src}夜间施工噪音扰民", "{place}{src}音响声音过大，深夜不停"),
    Category.SOLID_WASTE: ("{place}路边倾倒建筑垃圾", "{src}危险废物随意堆放"),
    Category.SOIL: ("{place}农田旁堆放不明废渣",),
    Category.ECOLOGY: ("{place}河岸边有人私自挖沙", "{place}山坡林地被毁"),
}  # fmt: skip
CATEGORY_WEIGHTS = {Category.AIR: 40, Category.WATER: 20, Category.NOISE: 22,
                    Category.SOLID_WASTE: 12, Category.SOIL: 3, Category.ECOLOGY: 3}  # fmt: skip
CHANNEL_WEIGHTS = {Channel.HOTLINE: 40, Channel.PUBLIC: 25, Channel.PATROL: 15,
                   Channel.PETITION: 8, Channel.REPRESENTATIVE: 3, Channel.INSPECTION: 4,
                   Channel.LEADER: 3, Channel.MONITORING: 2}  # fmt: skip
TASK_TITLES = (
    "开展{x}专项整治行动", "推进{x}治理工程", "完成{x}排查整改", "建立{x}长效监管机制",
    "加强{x}执法检查", "实施{x}提标改造", "落实{x}网格化监管", "开展{x}联合执法",
)  # fmt: skip
TASK_SUBJECTS = (
    "餐饮油烟", "建筑工地扬尘", "散煤燃烧", "黑臭水体", "入河排污口", "工业企业废气",
    "医疗废物", "畜禽养殖污染", "噪声污染", "危险废物", "农村生活污水", "机动车尾气",
    "挥发性有机物", "城镇污水处理厂", "饮用水水源地", "秸秆焚烧",
)  # fmt: skip


@dataclass
class Size:
    districts: int = 7
    cases: int = 100_000
    sources: int = 5_000
    points: int = 1_000
    days: int = 365
    minute_days: int = 7
    tasks: int = 1_000
    seed: int = 1
    # Per district: cases registered through the services, and supervised items.
    service_cases: int = 30
    items: int = 12

    def readings(self) -> tuple[int, int]:
        """(hourly, minute) readings this size writes, about."""
        stations = max(2 * self.districts, round(self.points * STATION_SHARE) * 2)
        stations = min(stations, self.points)
        outlets = self.points - stations
        per_point = (outlets * 4.5 + stations * 6) / max(self.points, 1)
        hourly = round(self.points * per_point * 24 * self.days)
        minute = self.points * 1440 * min(self.minute_days, self.days)
        return hourly, minute


@dataclass
class District:
    jurisdiction: Jurisdiction
    stem: str  # 东湖 for 东湖区: the prefix of its units' own names
    index: int
    units: dict[str, Unit] = field(default_factory=dict)
    villages: list[Grid] = field(default_factory=list)
    dispatcher: User | None = None
    liaisons: dict[int, User] = field(default_factory=dict)  # unit id → liaison
    workers: dict[int, User] = field(default_factory=dict)  # township grid id → worker
    sources: list[Source] = field(default_factory=list)


class CityExists(Exception):
    pass


def city_refusal() -> str | None:
    """Why the city cannot be generated into this database, or None."""
    if Jurisdiction.objects.filter(name=CITY[0], parent__name=PROVINCE[0]).exists():
        return _("The database already holds the generated city %(city)s; generate it into "
                 "a new, empty database (migrate one first).") % {"city": CITY[0]}  # fmt: skip
    if Case.objects.exists() or Reading.objects.exists() or Source.objects.exists():
        return _("The database already holds cases, sources or readings; generate the city "
                 "into a new, empty database (migrate one first).")  # fmt: skip
    return None


class _Progress:
    """One progress bar over the phases (tqdm), quiet when ``out`` is None."""

    def __init__(self, total: int, out):
        self.bar = None
        if out is not None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="row", unit_scale=True, file=out, smoothing=0.05)
        self.started = time.monotonic()
        self.timings: list[tuple[str, float]] = []
        self._phase_start = self.started

    def phase(self, name: str) -> None:
        now = time.monotonic()
        if self.timings:
            self.timings[-1] = (self.timings[-1][0], now - self._phase_start)
        self.timings.append((name, 0.0))
        self._phase_start = now
        if self.bar is not None:
            self.bar.set_description(name)

    def add(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def close(self) -> None:
        self.phase("done")
        self.timings.pop()
        if self.bar is not None:
            self.bar.close()


def city_generate(size: Size, *, now: datetime.datetime | None = None, out=None) -> dict:
    """Generate the city into an empty database; the counts written, by table."""
    refusal = city_refusal()
    if refusal:
        raise CityExists(refusal)
    now = timezone.localtime(now or timezone.now()).replace(minute=0, second=0, microsecond=0)
    hourly, minute = size.readings()
    progress = _Progress(size.cases + size.sources + hourly + minute + size.tasks, out)
    counts: dict[str, int] = {}
    rng = random.Random(size.seed)
    with transaction.atomic():
        progress.phase("units")
        districts = _districts(size, rng)
        progress.phase("grids")
        for district in districts:
            _grid(district, rng)
        progress.phase("people")
        for district in districts:
            _people(district, size.seed)
        progress.phase("sources")
        _sources(districts, size, rng, progress)
        progress.phase("points")
        points = _points(districts, size, rng)
        progress.phase("plans")
        counts["tasks"], counts["task_reports"] = _plans(districts, size, rng, now, progress)
        progress.phase("supervision")
        counts["items"] = _items(districts, size, rng, now)
        progress.phase("patrols")
        counts["patrols"] = _patrols(districts, size, rng, now)
        progress.phase("cases")
        counts["cases"] = _cases(districts, size, rng, now, progress)
    progress.phase("readings")
    # PostgreSQL: the past months' partitions first, or the year would land in DEFAULT.
    partitions_ensure(since=now - datetime.timedelta(days=size.days))
    counts["readings"] = _readings(points, size, now, progress)
    # The pages read whole days from the points' daily aggregates, as the writer keeps them.
    progress.phase("days")
    first = timezone.localtime(now - datetime.timedelta(days=size.days)).date()
    counts["point_days"] = point_days_refresh(
        since=first,
        until=timezone.localtime(now).date(),
        points=Point.objects.filter(pk__in=[p.pk for p in points]),
    )
    progress.close()
    counts.update(
        districts=len(districts),
        sources=Source.objects.filter(jurisdiction__parent__name=CITY[0]).count(),
        points=len(points),
        seconds=round(time.monotonic() - progress.started, 1),
    )
    counts["phases"] = {name: round(seconds, 1) for name, seconds in progress.timings}
    return counts


# --- the registry ----------------------------------------------------------------------


def _districts(size: Size, rng: random.Random) -> list[District]:
    province = jurisdiction_ensure(name=PROVINCE[0], level=Jurisdiction.Level.PROVINCE,
                                   code=PROVINCE[1])  # fmt: skip
    city = jurisdiction_ensure(name=CITY[0], level=Jurisdiction.Level.CITY, parent=province,
                               code=CITY[1])  # fmt: skip
    template = read_text(DUTY_LIST)
    names = _names(size.districts)
    districts = []
    for index, name in enumerate(names):
        code = f"9901{index + 1:02d}" if index < 99 else f"99{index + 1:04d}"
        area = jurisdiction_ensure(name=name, level=Jurisdiction.Level.COUNTY, parent=city,
                                   code=code)  # fmt: skip
        stem = name[:-1]
        town = TOWN_WORDS[index % len(TOWN_WORDS)]
        # The district's own names in the sample's duty list: its public security bureau
        # (城中公安分局) and its township (总寨镇).
        text = template.replace("城中", stem).replace("总寨", town)
        duty_list_import(document=parse_duty_list(text), jurisdiction=area,
                         source=f"{name} duty list (from the sample)")  # fmt: skip
        district = District(area, stem, index)
        district.units = {u.name: u for u in Unit.objects.filter(jurisdiction=area)}
        districts.append(district)
    return districts


def _names(count: int) -> list[str]:
    names = list(DISTRICTS[:count])
    while len(names) < count:
        names.append(f"第{len(names) + 1}区")
    return names


def _grid(district: District, rng: random.Random) -> None:
    """The sample grid moved east by the district's place, with the district's names."""
    data = json.loads((SAMPLE_DIR / "chengzhong_grid.geojson").read_text(encoding="utf-8"))
    shift = 0.2 * district.index
    words = rng.sample(STREET_WORDS, 12)
    town = TOWN_WORDS[district.index % len(TOWN_WORDS)]
    renamed: dict[str, str] = {}
    streets = iter(words)

    def rename(name: str) -> str:
        if name == "城中区":
            return district.jurisdiction.name
        if name.endswith("街道") and name not in renamed:
            renamed[name] = f"{next(streets)}街道"
        for old, new in renamed.items():
            name = name.replace(old, new)
        return name.replace("总寨", town)

    features = []
    for index, feature in enumerate(data["features"]):
        props = feature["properties"]
        geometry = feature["geometry"]
        geometry = {"type": geometry["type"], "coordinates": [
            [[round(x + shift, 6), y] for x, y in ring] for ring in geometry["coordinates"]
        ]}  # fmt: skip
        features.append(GridFeature(
            name=rename(props["name"]), level=props["level"],
            parent=rename(props["parent"]) if props.get("parent") else None,
            code=district.jurisdiction.code if props["level"] == 1 else None,
            geometry=geometry_from_geojson(geometry), index=index,
        ))  # fmt: skip
    grid_import(features=features, jurisdiction=district.jurisdiction, source="sample city")
    bureau = district.units.get("区生态环境局")
    streets_office = district.units.get("各街道办事处")
    township = district.units.get(f"{town}镇政府")
    for grid in Grid.objects.filter(jurisdiction=district.jurisdiction, level__lte=2):
        grid.unit = (
            bureau if grid.level == 1 else (township if town in grid.name else streets_office)
        )
        grid.save(update_fields=["unit"])
    district.villages = list(
        Grid.objects.filter(jurisdiction=district.jurisdiction, level=3).order_by("name")
    )


def _person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def _people(district: District, seed: int) -> None:
    """The bureau's dispatcher, a leader, an inspector, a liaison per unit and a grid
    worker per township: fictional, with no usable password."""
    rng = random.Random(f"{seed}-people-{district.index}")
    area, prefix = district.jurisdiction, f"city{district.index + 1}"
    bureau = district.units["区生态环境局"]
    district.dispatcher = user_create(username=f"{prefix}-dispatcher", role=Role.DISPATCHER,
                                      unit=bureau, name=_person_name(rng))  # fmt: skip
    government = district.units.get("区政府办公室")
    user_create(username=f"{prefix}-leader", role=Role.LEADER, unit=government,
                name=_person_name(rng))  # fmt: skip
    inspectors = district.units.get("区纪委监委")
    user_create(username=f"{prefix}-inspector", role=Role.INSPECTOR, unit=inspectors,
                name=_person_name(rng))  # fmt: skip
    for number, unit in enumerate(sorted(district.units.values(), key=lambda u: u.pk), 1):
        district.liaisons[unit.pk] = user_create(
            username=f"{prefix}-liaison-{number}", role=Role.LIAISON, unit=unit,
            name=_person_name(rng), phone=f"1390{area.code[-2:]}{number:05d}",
        )  # fmt: skip
    townships = Grid.objects.filter(jurisdiction=area, level=2).order_by("name")
    for number, township in enumerate(townships, 1):
        worker = user_create(username=f"{prefix}-grid-{number}", role=Role.GRID_WORKER,
                             unit=township.unit, name=_person_name(rng))  # fmt: skip
        villages = list(township.children.all())
        worker.grids.add(*villages)
        GridMember.objects.bulk_create(
            [GridMember(grid=g, user=worker, role=GridMember.Role.WORKER) for g in villages]
        )
        district.workers[township.pk] = worker


# --- sources and points --------------------------------------------------------------


def _uscc(division: str, serial: int) -> str:
    body = f"91{division}{serial:08d}"
    org = body[8:16]
    # GB 11714 check digit of the organisation code (8 digits + 1).
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    check = 11 - sum(int(c) * w for c, w in zip(org, weights, strict=True)) % 11
    body += {10: "X", 11: "0"}.get(check, str(check))
    return body + check_character(body)


def _point_in(grid: Grid, rng: random.Random) -> tuple[Decimal, Decimal]:
    ring = grid.boundary["coordinates"][0]
    xs, ys = [x for x, _y in ring], [y for _x, y in ring]
    lon = rng.uniform(min(xs) + 0.001, max(xs) - 0.001)
    lat = rng.uniform(min(ys) + 0.001, max(ys) - 0.001)
    return Decimal(f"{lon:.6f}"), Decimal(f"{lat:.6f}")


def _sources(districts: list[District], size: Size, rng: random.Random, progress) -> None:
    """Bulk: the source base, each with a valid credit code (GB 32100-2015) and the
    village grid its location lies in (as ``source_save`` derives it)."""
    ensure_default_types(SourceType)
    types = {t.code: t for t in SourceType.objects.all()}
    kinds = [k for k in SOURCE_KINDS if k in types]
    weights = [SOURCE_KINDS[k][0] for k in kinds]
    rows = []
    serial = 0
    for number in range(size.sources):
        district = districts[number % len(districts)]
        kind = rng.choices(kinds, weights)[0]
        _share, suffixes, key_share = SOURCE_KINDS[kind]
        grid = rng.choice(district.villages)
        lon, lat = _point_in(grid, rng)
        serial += 1
        name = f"{district.stem}{rng.choice(ENTERPRISE_WORDS)}{rng.choice(ENTERPRISE_WORDS)}" \
               f"{rng.choice(suffixes)}（{serial}号）"  # fmt: skip
        enterprise = kind not in ("river_outfall", "construction_site")
        rows.append(Source(
            jurisdiction=district.jurisdiction, type=types[kind], name=name,
            uscc=_uscc(district.jurisdiction.code, serial) if enterprise else "",
            address=f"{district.jurisdiction.name}{grid.parent.name}{rng.choice(STREET_WORDS)}路"
                    f"{rng.randint(1, 300)}号",
            lon=lon, lat=lat, grid=grid, key=rng.random() < key_share,
            status=Source.Status.ACTIVE if rng.random() < 0.95 else Source.Status.SUSPENDED,
        ))  # fmt: skip
    for start in range(0, len(rows), 2000):
        bulk_create_with_history(rows[start : start + 2000], Source, batch_size=1000,
                                 default_change_reason="sample city")  # fmt: skip
        progress.add(len(rows[start : start + 2000]))
    by_area = {d.jurisdiction.pk: d for d in districts}
    for source in Source.objects.filter(jurisdiction__in=list(by_area)).select_related("type"):
        by_area[source.jurisdiction_id].sources.append(source)


def _points(districts: list[District], size: Size, rng: random.Random) -> list[Point]:
    """Through ``points_import``: per district its air stations and river sections,
    the rest outlets of key industrial sources and river outfalls."""
    per_district = [size.points // len(districts)] * len(districts)
    for i in range(size.points % len(districts)):
        per_district[i] += 1
    for district, count in zip(districts, per_district, strict=True):
        stations = min(count, max(2, round(count * STATION_SHARE) * 2))
        rows = [("mn", "pw", "name", "kind", "source", "pollutant", "limit", "unit")]
        code = district.jurisdiction.code
        candidates = [s for s in district.sources if s.type.code in ("industrial_enterprise",
                                                                     "river_outfall")]  # fmt: skip
        candidates.sort(key=lambda s: (not s.key, s.pk))
        for n in range(count):
            mn = f"{code}{n + 1:08d}"
            pw = f"{rng.randint(0, 999999):06d}"
            if n < stations or not candidates:
                kind = "air_station" if n % 2 == 0 else "water_section"
                label = f"{district.stem}{rng.choice(STREET_WORDS)}" + (
                    "空气自动监测站" if kind == "air_station" else "河断面"
                )
                name, source_name, profile = f"{label}（{n + 1}）", "", kind
            else:
                source = candidates[(n - stations) % len(candidates)]
                profile = "water" if source.type.code == "river_outfall" or n % 2 else "air"
                outlet = "废水总排口" if profile == "water" else "废气排放口"
                name = f"{outlet}{(n - stations) // len(candidates) + 1}号"
                kind, source_name = "source", source.name
            for pollutant, limit, unit in OUTLET_FACTORS[profile]:
                rows.append((mn, pw, name, kind, source_name, pollutant, limit, unit))
        points_import(rows=rows, jurisdiction=district.jurisdiction)
    # Registered when their data begin, as points that have reported for a year were:
    # a point registered after its data would have its rates counted from its first.
    Point.objects.filter(jurisdiction__parent__name=CITY[0]).update(
        created_at=timezone.now() - datetime.timedelta(days=size.days + 1)
    )
    return list(
        Point.objects.filter(jurisdiction__parent__name=CITY[0])
        .prefetch_related("factors")
        .order_by("mn")
    )


# --- plans, supervision, patrols -------------------------------------------------------


def _plans(districts, size: Size, rng: random.Random, now, progress) -> tuple[int, int]:
    """Each district's action plan (the sample's, with the district's names) and a
    generated annual work plan for the rest of ``tasks``, both through ``plan_import``;
    monthly progress reports of the lead units in bulk."""
    template = read_text(SAMPLE_DIR / "chengzhong_2024_action_plan.txt")
    year = now.year
    plans = []
    # The sample's action plan (about 60 tasks) in each district only where the size asks
    # for that many tasks; small sizes have the generated plan alone.
    for district in districts if size.tasks >= SAMPLE_PLAN_TASKS * len(districts) else ():
        area = district.jurisdiction
        text = template.replace("城中", district.stem)
        document = parse_plan(text, known_units=known_units(area))
        plans.append((district, document))
    per_district = max(0, size.tasks - sum(len(d.tasks) for _d, d in plans)) // len(districts)
    for district, document in plans:
        _import(district.jurisdiction, document)
    for district in districts if per_district else ():
        _import(district.jurisdiction, _work_plan(district, per_district, year, rng))
    tasks = Task.objects.filter(plan__jurisdiction__parent__name=CITY[0])
    progress.add(tasks.count())
    leads = {}
    for task_unit in TaskUnit.objects.filter(task__in=tasks, role=TaskUnit.Role.LEAD,
                                             unit__isnull=False).order_by("pk"):  # fmt: skip
        leads.setdefault(task_unit.task_id, task_unit.unit_id)
    liaisons = {uid: user for d in districts for uid, user in d.liaisons.items()}
    first_month = (now - datetime.timedelta(days=size.days)).date().replace(day=1)
    months = []
    month = first_month
    while month < now.date().replace(day=1):
        months.append(month)
        month = rules.add_months(month, 1)
    reports = []
    for task_id, unit_id in sorted(leads.items()):
        percent = 0
        for month in months:
            if rng.random() < 0.1:  # a month not reported: the dispatch's reminders
                continue
            percent = min(100, percent + rng.randint(3, 15))
            reports.append(TaskReport(
                task_id=task_id, unit_id=unit_id, period=month, percent=percent,
                text=f"{month:%Y年%m月}：按计划推进，完成{percent}%。",
                reported_by=liaisons.get(unit_id),
            ))  # fmt: skip
    bulk_create_with_history(reports, TaskReport, batch_size=2000,
                             default_change_reason="sample city")  # fmt: skip
    # The reports came in bulk: the tasks' colours and escalations as the scan gives them.
    clocks.scan(kinds=[ItemKind.TASK])
    return tasks.count(), len(reports)


SAMPLE_PLAN_TASKS = 100


def _import(area, document: PlanDocument) -> None:
    resolution = plan_resolve(document=document, jurisdiction=area, create_units=False)
    plan_import(document=document, targets=plan_targets(document), jurisdiction=area,
                resolution=resolution, source="sample city")  # fmt: skip


def _work_plan(district: District, count: int, year: int, rng: random.Random) -> PlanDocument:
    units = [n for n in district.units if n.startswith("区") and n != "区政府办公室"]
    tasks = []
    for number in range(1, count + 1):
        subject = rng.choice(TASK_SUBJECTS)
        title = rng.choice(TASK_TITLES).format(x=subject)
        lead = rng.choice(units)
        support = rng.sample([u for u in units if u != lead], 2)
        deadline = "ongoing" if rng.random() < 0.2 else f"{year}-{rng.randint(1, 12):02d}"
        tasks.append(PlanTask(
            number=str(number), title=title, line=number,
            text=f"{title}，{lead}牵头，{'、'.join(support)}配合。", section="重点任务",
            lead=[lead], support=support, deadline=deadline,
        ))  # fmt: skip
    return PlanDocument(
        title=f"{district.jurisdiction.name}{year}年生态环境保护重点工作任务清单",
        issuer=f"{district.jurisdiction.name}生态环境保护委员会办公室", doc_number=None,
        date=datetime.date(year, 1, 15), tasks=tasks, goals=[],
        area=[district.jurisdiction.name], level_prefix="区", year=year,
    )  # fmt: skip


def _items(districts, size: Size, rng: random.Random, now) -> int:
    """Leaders' instructions and special items through ``item_create`` (a dozen per
    district, created over the last months; their clocks run from then)."""
    created = 0
    for district in districts:
        bureau = district.units["区生态环境局"]
        office = district.units.get("区政府办公室", bureau)
        units = [u for n, u in district.units.items() if n.startswith("区")]
        for _n in range(size.items):
            at = now - datetime.timedelta(days=rng.randint(1, 120), hours=rng.randint(0, 8))
            kind = rng.choice((ItemKind.INSTRUCTION, ItemKind.SPECIAL))
            subject = rng.choice(TASK_SUBJECTS)
            ongoing = rng.random() < 0.2
            item_create(
                jurisdiction=district.jurisdiction, kind=kind, lead=rng.choice(units),
                supervisor=office if kind == ItemKind.INSTRUCTION else bureau,
                title=f"关于{subject}问题的{'批示' if kind == ItemKind.INSTRUCTION else '专项督办'}",
                text=f"请抓紧研究{subject}问题，按期报送办理情况。",
                deadline=None if ongoing else timezone.localdate(at) + datetime.timedelta(
                    days=rng.randint(15, 90)),
                ongoing=ongoing, level=rng.choice(list(rules.Level)), at=at, notify_lead=False,
            )  # fmt: skip
            created += 1
    return created


def _patrols(districts, size: Size, rng: random.Random, now) -> int:
    """Bulk: each source patrolled by its township's grid worker about monthly (weekly for
    key sources) over the period, some patrols missed; no findings (those are cases)."""
    rows = []
    start = now - datetime.timedelta(days=size.days)
    for district in districts:
        for source in district.sources:
            worker = district.workers.get(source.grid.parent_id)
            if worker is None:
                continue
            every = 7 if source.key else 30
            when = start + datetime.timedelta(days=rng.uniform(0, every))
            while when < now:
                if rng.random() > 0.15:
                    at = when.replace(hour=rng.randint(8, 17), minute=rng.randint(0, 59))
                    rows.append(Patrol(
                        client_id=_uuid(rng), source=source, grid=source.grid, worker=worker,
                        patrolled_at=at, lon=source.lon, lat=source.lat,
                        checklist={}, note="现场检查，未发现问题。",
                    ))  # fmt: skip
                when += datetime.timedelta(days=every)
    for begin in range(0, len(rows), 5000):
        bulk_create_with_history(rows[begin : begin + 5000], Patrol, batch_size=1000,
                                 default_change_reason="sample city")  # fmt: skip
    return len(rows)


def _uuid(rng: random.Random):
    import uuid

    return uuid.UUID(int=rng.getrandbits(128), version=4)


# --- cases -----------------------------------------------------------------------------

CASE_DAYS_MIN = 60


@dataclass
class _Timeline:
    """When each step of one case happened (None: not yet)."""

    registered: datetime.datetime
    assigned: datetime.datetime | None = None
    accepted: datetime.datetime | None = None
    reported: datetime.datetime | None = None
    verified: datetime.datetime | None = None
    closed: datetime.datetime | None = None
    answered: datetime.datetime | None = None


def _cases(districts, size: Size, rng: random.Random, now, progress) -> int:
    calendar = clocks.calendar()
    count = calendar.workdays_between
    today = now.date()
    # Over at least 60 days, so that even a small size has closed and overdue cases.
    start = now - datetime.timedelta(days=max(size.days, CASE_DAYS_MIN))
    service_share = min(size.cases, size.service_cases * len(districts))
    # Through the services: registration routes by the duty lists and assigns; the lead
    # unit's liaison accepts most of them.
    made = 0
    for number in range(service_share):
        district = districts[number % len(districts)]
        at = now - datetime.timedelta(hours=rng.randint(3, 24 * 20))
        category, text, source, grid = _complaint(district, rng)
        lon, lat = _point_in(grid, rng) if source is None else (source.lon, source.lat)
        case = case_services.case_register(
            jurisdiction=district.jurisdiction, channel=Channel.HOTLINE, text=text,
            category=category, address=source.address if source else grid.name, lon=lon, lat=lat,
            source=source, reporter={"name": _person_name(rng) + "先生"},
            by=district.dispatcher, now=at,
        )  # fmt: skip
        made += 1
        if case.state == State.ASSIGNED and case.lead_id and rng.random() < 0.6:
            liaison = district.liaisons.get(case.lead_id)
            accept_at = min(now, at + datetime.timedelta(hours=rng.randint(1, 30)))
            case_services.case_accept(case, by=liaison, now=accept_at)
    progress.add(made)
    # In bulk: the rest, spread over the period.
    remaining = size.cases - made
    batch = 5000
    numbers: dict[tuple[int, int], int] = {}
    for begin in range(0, remaining, batch):
        n = min(batch, remaining - begin)
        _case_batch(districts, n, rng, start, now, today, calendar, count, numbers)
        progress.add(n)
    return Case.objects.filter(jurisdiction__parent__name=CITY[0]).count()


def _complaint(district: District, rng: random.Random):
    category = rng.choices(list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values()))[0]
    source = rng.choice(district.sources) if district.sources and rng.random() < 0.6 else None
    grid = source.grid if source is not None else rng.choice(district.villages)
    text = rng.choice(CASE_TEXTS[category]).format(
        place=grid.parent.name if grid.parent else grid.name,
        src=source.name if source else "一家店",
    )
    return category, text, source, grid


def _at(day: datetime.datetime, rng: random.Random, hours=(8, 19)) -> datetime.datetime:
    return day.replace(hour=rng.randint(*hours), minute=rng.randint(0, 59),
                       second=rng.randint(0, 59))  # fmt: skip


def _timeline(registered, rng: random.Random, calendar, now) -> _Timeline:
    """Each step after the one before, as the services' clocks expect it most of the time
    (some late: the overdue and escalated cases)."""
    line = _Timeline(registered)

    def after(moment, workdays_low, workdays_high):
        day = calendar.add_workdays(moment.date(), rng.randint(workdays_low, workdays_high))
        result = _at(datetime.datetime.combine(day, datetime.time(), moment.tzinfo), rng)
        return max(result, moment + datetime.timedelta(minutes=5))

    if rng.random() < 0.03:  # disputed: waits for the bureau
        line.assigned = registered + datetime.timedelta(hours=rng.randint(2, 60))
        if line.assigned > now:
            line.assigned = None
            return line
    else:
        line.assigned = registered + datetime.timedelta(minutes=rng.randint(1, 30))
    late = rng.random() < 0.12
    steps = (
        ("accepted", (0, 4) if late else (0, 2)),
        ("reported", (22, 35) if late else (3, 20)),
        ("verified", (1, 8) if late else (1, 5)),
        ("closed", (0, 3) if late else (0, 2)),
        ("answered", (1, 5) if late else (0, 3)),
    )
    moment = line.assigned
    for name, (low, high) in steps:
        moment = after(moment, low, high)
        if moment > now:
            break
        setattr(line, name, moment)
    return line


def _case_batch(districts, n, rng, start, now, today, calendar, count, numbers) -> None:
    clock_rules = functools.cache(case_services.clocks_for)  # a query per channel, category
    span = (now - start).total_seconds()
    channels = list(CHANNEL_WEIGHTS)
    channel_weights = list(CHANNEL_WEIGHTS.values())
    cases, lines, extras = [], [], []
    for _i in range(n):
        district = districts[rng.randrange(len(districts))]
        registered = _at(start + datetime.timedelta(seconds=rng.uniform(0, span)), rng, (7, 21))
        if registered > now:
            registered = now - datetime.timedelta(minutes=rng.randint(5, 600))
        category, text, source, grid = _complaint(district, rng)
        line = _timeline(registered, rng, calendar, now)
        disputed = line.assigned is None
        lead = None if disputed else _lead(district, category, grid, rng)
        support = (
            []
            if disputed or rng.random() < 0.8
            else [rng.choice([u for u in district.units.values() if u.pk != lead.pk])]
        )
        key = (district.index, registered.year)
        numbers[key] = numbers.get(key, 0) + 1
        state, fields = _state_of(line, rng)
        lon, lat = _point_in(grid, rng) if source is None else (source.lon, source.lat)
        case = Case(
            jurisdiction=district.jurisdiction,
            number=f"{district.jurisdiction.code}-{registered.year}-B{numbers[key]:06d}",
            channel=rng.choices(channels, channel_weights)[0], text=text, category=category,
            address=source.address if source else f"{grid.parent.name}{grid.name}",
            lon=lon, lat=lat, grid=grid, source=source,
            supervision=rng.choices(list(rules.Level), (1, 1, 10))[0], state=state,
            lead=lead, routing={} if disputed else {"lead": lead.name, "support": [
                u.name for u in support], "rule": "sample city"},
            registered_at=registered, registered_by=district.dispatcher, **fields,
        )  # fmt: skip
        _clock(case, line, calendar, count, today, clock_rules)
        cases.append(case)
        lines.append(line)
        extras.append((district, lead, support))
    bulk_create_with_history(cases, Case, batch_size=1000, default_change_reason="sample city")
    Reporter.objects.bulk_create(
        [Reporter(case=c, anonymous=rng.random() < 0.4) for c in cases], batch_size=2000
    )
    assignments, events = [], []
    for case, line, (district, lead, support) in zip(cases, lines, extras, strict=True):
        _case_rows(case, line, district, lead, support, assignments, events, calendar,
                   clock_rules)  # fmt: skip
    bulk_create_with_history(assignments, Assignment, batch_size=1000,
                             default_change_reason="sample city")  # fmt: skip
    CaseEvent.objects.bulk_create(events, batch_size=2000)


def _lead(district: District, category: str, grid: Grid, rng: random.Random) -> Unit:
    """Who leads: the bureau mostly; noise and restaurants' smoke to the city management
    bureau, the township for its own area now and then (as the router proposes)."""
    units = district.units
    choice = {
        Category.NOISE: "区城市管理综合行政执法局",
        Category.ECOLOGY: "区自然资源和林业局",
        Category.SOIL: "区农业农村局",
    }.get(category)
    if rng.random() < 0.2 and grid.parent and grid.parent.unit_id:
        return grid.parent.unit
    for name in (choice, "区生态环境局"):
        if name and name in units:
            return units[name]
    return next(iter(units.values()))


def _state_of(line: _Timeline, rng: random.Random) -> tuple[str, dict]:
    fields: dict = {}
    if line.answered:
        fields["answered_at"] = line.answered
        fields["answer"] = "经调查核实，已责令整改到位，感谢您的监督。"
        fields["satisfaction"] = rng.choices(
            [Satisfaction.SATISFIED, Satisfaction.BASICALLY, Satisfaction.DISSATISFIED,
             ""], (60, 20, 4, 16))[0]  # fmt: skip
    if line.closed:
        fields["closed_at"] = line.closed
    if line.verified:
        fields["verified_at"] = line.verified
        fields["verification"] = "现场核查属实，整改到位。"
    if line.reported:
        fields["reported_at"] = line.reported
        fields["investigation"] = "现场调查，情况属实。"
        fields["measures"] = "责令立即整改，并跟踪复查。"
        fields["outcome"] = rng.choices(
            [Outcome.RECTIFIED, Outcome.NO_VIOLATION, Outcome.PENALTY, Outcome.SEALED],
            (60, 25, 12, 3))[0]  # fmt: skip
        if fields["outcome"] == Outcome.PENALTY:
            fields["penalty_amount"] = Decimal(rng.randrange(10_000, 200_000, 1000))
    if line.closed:
        return State.CLOSED, fields
    if line.verified:
        return State.VERIFIED, fields
    if line.reported:
        return State.REPORTED, fields
    if line.accepted:
        return (State.IN_PROGRESS if rng.random() < 0.7 else State.ACCEPTED), fields
    if line.assigned:
        return State.ASSIGNED, fields
    return State.REGISTERED, fields


def _clock(case: Case, line: _Timeline, calendar, count, today, clock_rules) -> None:
    """The clock the case's services would have left, and its colour and escalation today
    (``domain.supervision``, as the scan computes them)."""
    day = lambda moment: timezone.localdate(moment)  # noqa: E731
    own = clock_rules(case.channel, case.category)  # the channel's and category's clocks
    if line.accepted:
        case.finish_due = case_services.finish_due(own, day(line.accepted))
    if line.closed:
        start = day(line.closed)
        due = None if line.answered else calendar.add_workdays(start, own.answer_workdays)
        workdays = True
    elif line.verified:
        start, workdays = day(line.verified), True
        due = calendar.add_workdays(start, case_services.CLOSE_WORKDAYS)
    elif line.reported:
        start, workdays = day(line.reported), True
        due = calendar.add_workdays(start, case_services.VERIFY_WORKDAYS)
    elif line.accepted:
        start, workdays = day(line.accepted), own.finish_in_workdays
        due = case.finish_due
    else:
        start, workdays = day(line.assigned or line.registered), True
        due = calendar.add_workdays(start, own.accept_workdays)
    case.clock_start, case.due, case.clock_workdays = start, due, workdays
    if due is not None:
        clock = rules.Clock(start, due, workdays)
        case.colour = rules.colour(clock, today, count)
        case.stage = rules.stage(clock, today, rules.Level(case.supervision), count)


def _case_rows(
    case, line, district, lead, support, assignments, events, calendar, clock_rules
) -> None:
    bureau = district.units["区生态环境局"]
    dispatcher = district.dispatcher
    liaison = district.liaisons.get(lead.pk) if lead else None

    def event(kind, at, *, actor=None, unit=None, note="", public_note=None):
        events.append(CaseEvent(
            case=case, kind=kind, at=at, actor=actor, unit=unit, note=note,
            public=public_note is not None, public_note=public_note or "",
        ))  # fmt: skip

    event(CaseEvent.Kind.REGISTERED, line.registered, actor=dispatcher,
          note=str(case.get_channel_display()),
          public_note=f"您的举报已登记，案件编号{case.number}。")  # fmt: skip
    event(
        CaseEvent.Kind.ROUTED,
        line.registered,
        unit=lead,
        note=f"{lead.name}: sample city" if lead else "无单位或多个单位匹配：由生态环境局决定。",
    )
    if line.assigned is None:
        return
    accept_due = calendar.add_workdays(
        timezone.localdate(line.assigned),
        clock_rules(case.channel, case.category).accept_workdays,
    )
    for unit, role in [(lead, Assignment.Role.LEAD)] + [(u, Assignment.Role.SUPPORT)
                                                        for u in support]:  # fmt: skip
        assignments.append(Assignment(
            case=case, unit=unit, role=role, assigned_at=line.assigned, accept_due=accept_due,
            accepted_at=line.accepted,
            status=(Assignment.Status.REPORTED if line.reported else Assignment.Status.ACCEPTED)
            if line.accepted else Assignment.Status.PENDING,
        ))  # fmt: skip
    event(CaseEvent.Kind.ASSIGNED, line.assigned, actor=dispatcher, unit=lead,
          public_note=f"已交办{lead.name}。")  # fmt: skip
    steps = (
        (CaseEvent.Kind.ACCEPTED, line.accepted, liaison, lead, "已受理。"),
        (CaseEvent.Kind.RESULT, line.reported, liaison, lead, None),
        (CaseEvent.Kind.VERIFIED, line.verified, dispatcher, bureau, None),
        (CaseEvent.Kind.CLOSED, line.closed, dispatcher, bureau, "已办结。"),
        (CaseEvent.Kind.ANSWERED, line.answered, dispatcher, bureau, case.answer or None),
    )
    for kind, at, actor, unit, public in steps:
        if at is None:
            break
        event(kind, at, actor=actor, unit=unit, public_note=public)


# --- readings --------------------------------------------------------------------------


def _readings(points: list[Point], size: Size, now, progress) -> int:
    """Hourly values of every factor for ``days`` days and minute values of the main
    factor for ``minute_days``, written point by point (COPY on PostgreSQL)."""
    end = now.replace(tzinfo=None)
    written = 0
    postgres = connection.vendor == "postgresql"
    for point in points:
        rng = random.Random(f"{size.seed}-{point.mn}")
        logger = simulator.logger_for(point)
        profile = logger.profile
        factors = {f.code: f for f in point.factors.all()}
        main = simulator.MAIN[profile]
        hours = size.days * 24
        first = end - datetime.timedelta(hours=hours)
        episodes = set()
        if any(f.limit is not None for f in factors.values()):
            for _n in range(max(1, round(EXCEEDANCES_PER_YEAR * size.days / 365))):
                begin = rng.randrange(hours)
                episodes.update(range(begin, begin + rng.randint(1, 4)))
        rows = []
        for h in range(hours):
            when = first + datetime.timedelta(hours=h)
            if rng.random() < 0.004:  # the logger was down that hour
                continue
            excess = _excess(logger, main) if h in episodes else 1.0
            for code, _b, _s, decimals in simulator.PROFILES[profile]:
                if code not in factors:
                    continue
                value = simulator.value_for(profile, code, when, rng,
                                            excess if code == main else 1.0)  # fmt: skip
                rows.append(_row(point, factors[code], "hour", when, value, decimals))
        minutes = min(size.minute_days, size.days) * 1440
        first_minute = end - datetime.timedelta(minutes=minutes)
        decimals = next(d for c, _b, _s, d in simulator.PROFILES[profile] if c == main)
        if main in factors:
            base, spread = next((b, s) for c, b, s, _d in simulator.PROFILES[profile] if c == main)
            for m in range(minutes):
                when = first_minute + datetime.timedelta(minutes=m)
                daily = 1 + 0.25 * spread / 0.3 * math.sin(
                    (when.hour + when.minute / 60 - 9) / 24 * 2 * math.pi
                )
                value = round(max(base * daily * (1 + rng.gauss(0, spread / 2)), 0.0), decimals)
                rows.append(_row(point, factors[main], "minute", when, value, decimals))
        if postgres:
            _copy(rows)
        else:
            _insert(rows)
        written += len(rows)
        progress.add(len(rows))
        Point.objects.filter(pk=point.pk).update(
            last_seen=timezone.make_aware(end), last_data_time=timezone.make_aware(end)
        )
    return written


def _excess(logger, main: str) -> float:
    limit = logger.limits.get(main)
    base = next(b for c, b, _s, _d in simulator.PROFILES[logger.profile] if c == main)
    return max(2.0, float(limit) / base * 1.8) if limit else 2.5


def _row(point, factor, period, when, value, decimals) -> tuple:
    exceeded = None if factor.limit is None else value > factor.limit
    return (point.pk, factor.code, period, when, f"{value:.{decimals}f}", "N", True, exceeded)


COLUMNS = ("point_id", "code", "period", "time", "value", "flag", "valid", "exceeded")


def _copy(rows: list[tuple]) -> None:
    """PostgreSQL COPY: the readings as text, times in the server's zone-aware form."""
    zone = timezone.get_current_timezone()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    offset = None
    for point_id, code, period, when, value, flag, valid, exceeded in rows:
        if offset is None:
            offset = when.replace(tzinfo=zone).strftime("%z")
        writer.writerow((point_id, code, period, f"{when:%Y-%m-%d %H:%M:%S}{offset}", value,
                         flag, "t" if valid else "f",
                         "" if exceeded is None else ("t" if exceeded else "f")))  # fmt: skip
    table = Reading._meta.db_table
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN WITH (FORMAT csv)") as copy:
            copy.write(buffer.getvalue())


def _insert(rows: list[tuple]) -> None:
    adapt = connection.ops.adapt_datetimefield_value
    zone = timezone.get_current_timezone()
    cache: dict = {}

    def moment(when):
        value = cache.get(when)
        if value is None:
            value = cache[when] = adapt(when.replace(tzinfo=zone))
        return value

    table = Reading._meta.db_table
    marks = ", ".join(["%s"] * len(COLUMNS))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({marks})",
            [(p, c, period, moment(w), v, f, valid, e) for p, c, period, w, v, f, valid, e in rows],
        )
