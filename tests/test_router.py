"""The case router: the duty list decides, assisting clauses count less, near-ties are
disputed, and the command prints the documented JSON."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ecogov.domain.router import Clause, Router, bigrams

CLAUSES = [
    Clause(
        "城管局",
        "负责全区露天烧烤、焚烧落叶、枯草等环境违法行为的监督管理；督促餐饮服务经营者对餐厨废弃物及餐饮油烟、废水进行规范处置。",
        "L1",
    ),
    Clause(
        "市场监管局",
        "配合相关部门督促餐饮服务经营者对餐厨废弃物及餐饮油烟、废水进行规范处置；加强辖区范围内加油站燃油质量监督。",
        "L2",
    ),
    Clause("建设局", "督促建筑施工工地严格落实“10个100%”扬尘污染防控措施。", "L3"),
    Clause(
        "交警一大队",
        "配合生态环境部门开展机动车尾气排放监督管理，加强对超标排放机动车辆的检查。",
        "L4",
    ),
    Clause(
        "交警二大队",
        "配合生态环境部门开展机动车尾气排放监督管理，加强对超标排放机动车辆的检查。",
        "L4",
    ),
    Clause(
        "甲镇政府", "负责辖区内垃圾、树叶、秸秆焚烧以及其他各类环境污染问题的处置、上报工作。", "L5"
    ),
    Clause(
        "乙街道办事处",
        "负责辖区内垃圾、树叶、秸秆焚烧以及其他各类环境污染问题的处置、上报工作。",
        "L5",
    ),
    Clause("公安分局", "依法查处涉生态安全案件。", "L6"),
]
TERRITORIAL = {"甲镇政府": "township", "乙街道办事处": "street"}


@pytest.fixture(scope="module")
def router():
    return Router(CLAUSES, territorial=TERRITORIAL)


def test_bigrams_ignore_punctuation():
    assert bigrams("油烟，扰民！") == {"油烟": 1, "扰民": 1}


@pytest.mark.parametrize(
    "text, lead, subcategory",
    [
        ("楼下烧烤摊每天晚上冒烟", "城管局", "露天烧烤"),
        ("小区门口的工地灰尘太大，土堆也没盖", "建设局", "施工扬尘"),
        ("乙街道有人在空地上烧垃圾", "乙街道办事处", "焚烧垃圾"),
    ],
)
def test_the_duty_list_decides(router, text, lead, subcategory):
    routing = router.route(text)
    assert routing.lead == lead and routing.subcategory == subcategory
    assert routing.clause and routing.clause in " ".join(c.text for c in CLAUSES)


def test_an_assisting_clause_supports_and_does_not_lead(router):
    routing = router.route("饭店油烟直排，熏得窗户都不敢开")
    assert routing.lead == "城管局" and routing.support == ["市场监管局"]
    assert routing.clause.startswith("督促餐饮服务经营者")


def test_units_sharing_one_clause_are_one_candidate(router):
    routing = router.route("一辆大货车一路冒黑烟")
    assert routing.lead in ("交警一大队", "交警二大队") and not routing.disputed


def test_the_place_picks_the_territorial_unit(router):
    text = "有人在地里烧秸秆"
    assert router.route(text, locality="乙街道办事处").lead == "乙街道办事处"
    assert router.route(text, locality="甲镇政府").lead == "甲镇政府"


def test_no_match_is_disputed_and_noise_falls_back_to_the_usual_unit(router):
    assert router.route("你好，请问今天天气怎么样").disputed
    assert router.route("晚上广场舞音响太吵").lead == "公安分局"
    assert router.route("").lead is None


def test_the_route_command_prints_the_documented_json(personas):
    out = StringIO()
    call_command(
        "route", "饭店油烟直接排到居民楼里", "--json", "--jurisdiction", "城中区", stdout=out
    )
    answer = json.loads(out.getvalue())
    assert set(answer) == {"lead", "support", "clause", "candidates", "category"}
    assert answer["lead"] == "区城市管理综合行政执法局"
    assert "餐饮油烟" in answer["clause"] and answer["category"] == "air"
    assert all(set(c) == {"unit", "score"} for c in answer["candidates"])
    with pytest.raises(CommandError):
        call_command("route", "   ", "--jurisdiction", "城中区")
    with pytest.raises(CommandError):
        call_command("route", "油烟", "--jurisdiction", "城东区")  # no duty list there


def test_the_labelled_complaints_name_registry_units(personas):
    import csv

    from ecogov.org.models import Unit
    from ecogov.org.sample import SAMPLE_DIR

    with (SAMPLE_DIR / "chengzhong_complaints.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    names = set(Unit.objects.filter(jurisdiction=personas.district).values_list("name", flat=True))
    assert len(rows) >= 150 and {row["split"] for row in rows} == {"tune", "holdout"}
    for row in rows:
        assert row["lead"] in names, row["id"]
        assert all(unit in names for unit in filter(None, row["support"].split("、"))), row["id"]
