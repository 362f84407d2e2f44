"""The plan parser against seeds 004 and 001. No database."""

import datetime

import pytest

from ecogov.domain.plandoc import PlanError, expand_units, parse_deadline, parse_plan
from ecogov.domain.textfile import read_text
from ecogov.org.sample import SAMPLE_DIR

CHENGZHONG = read_text(SAMPLE_DIR / "chengzhong_2024_action_plan.txt")  # seed 004
WUHAI = read_text(SAMPLE_DIR / "wuhai_2022_improvement_plan.txt")  # seed 001

# Seed 004 §三: 19 numbered tasks; 7, 9 and 11 hold sub-items with their own units.
NUMBERS_004 = [
    "1", "2", "3", "4", "5", "6", "7(1)", "7(2)", "7(3)", "8", "9(1)", "9(2)", "10",
    "11(1)", "11(2)", "12", "13", "14", "15", "16", "17", "18", "19",
]  # fmt: skip


@pytest.fixture(scope="module")
def chengzhong():
    return parse_plan(CHENGZHONG, known_units={"城中公安分局"})


@pytest.fixture(scope="module")
def wuhai():
    return parse_plan(WUHAI)


def task(document, number):
    return next(t for t in document.tasks if t.number == number)


def test_004_has_its_23_task_records(chengzhong):
    assert [t.number for t in chengzhong.tasks] == NUMBERS_004
    assert chengzhong.title == "城中区巩固提升生态环境保护成效三年行动实施方案（2024—2026年）"
    assert chengzhong.area == ["城中区"] and chengzhong.doc_number is None


@pytest.mark.parametrize(
    "number, title, lead, support, deadline",
    [
        ("1", "提高政治站位", ["区委组织部", "区委宣传部"], ["区委各部门", "区直各单位"], "ongoing"),
        ("3", "扎实推进“三北”工程建设", ["区自然资源和林业局"], [], "2026-12"),
        ("5", "加快排放场排查整治", ["区生态环境局"], [], "2024-12"),
        ("7(3)", "以湟水流域为重点，加快推进入河排污口排查整治", ["区生态环境局"], ["区城乡建设局", "区农业农村局", "各涉河镇办"], "2025-12"),
        ("9(1)", "提升危险废物鉴别和危险废物风险排查能力", ["区生态环境局"], [], "2026-12"),
        # seed 004 line 147: the unit name is split by a page break ("区市政公用服务" / "中心")
        ("11(2)", "学习运用“千万工程”经验", ["区生态环境局", "区农业农村局", "区市政公用服务中心"], [], "2026-12"),
        ("16", "强化问题联动查处", ["区生态环境局", "区人民法院", "区人民检察院", "城中公安分局"], [], "2025-12"),
    ],
)  # fmt: skip
def test_004_tasks(chengzhong, number, title, lead, support, deadline):
    found = task(chengzhong, number)
    assert (found.title, found.lead, found.support, found.deadline) == (
        title,
        lead,
        support,
        deadline,
    )


def test_004_joins_text_split_by_page_breaks(chengzhong):
    assert "因地制宜确定绿化方式，精准提升森林质量" in task(chengzhong, "3").text
    assert task(chengzhong, "7(1)").text.endswith(
        "确保到2026年，水生态环境质量综合评价结果达到“基本稳定”以上。"
    )


def test_004_goals_section(chengzhong):
    ((line, goals),) = chengzhong.goals
    assert line == 19 and goals.startswith("到2026年，全区森林覆盖率达到31.48%以上")


def test_001_reads_its_metadata(wuhai):
    assert wuhai.title == "“美丽乌海”生态环境提质实施方案(征求意见稿)"
    assert wuhai.issuer == "乌海市生态环境局"
    assert wuhai.date == datetime.date(2022, 11, 21)
    assert wuhai.area == ["乌海市"]


def test_001_tasks_carry_supervising_units_and_the_document_default(wuhai):
    first = task(wuhai, "二(一)1.1")
    assert first.title == "严把项目准入关"
    # "（责任单位:各区委、区政府,以下均需各区委、区政府落实,不再列出。监管部门:…）"
    assert first.lead == ["各区委", "各区政府"]
    assert first.supervising == ["市发改委", "市工信局", "市自然资源局", "市生态环境局", "市水务局"]
    assert all(t.lead == ["各区委", "各区政府"] for t in wuhai.tasks)
    assert all(t.supervising for t in wuhai.tasks)
    # No deadline field: the latest "…前" date of the paragraph ("2023年底前,基本完成…").
    assert task(wuhai, "二(四)1.1").deadline == "2023-12"
    assert task(wuhai, "二(四)3.1").deadline == "2025-12"  # 2023年底前…, 2025年底前…
    assert task(wuhai, "二(一)1.4").deadline is None  # "2025年,…达到" is a target year
    # "(监管单位:住房和城乡建设局、能源局、财政局、农牧局、乌海供电公司)": 监管单位 too
    assert task(wuhai, "二(二)2.1").supervising == [
        "市住房和城乡建设局", "市能源局", "市财政局", "市农牧局", "乌海供电公司",
    ]  # fmt: skip
    assert task(wuhai, "二(四)1.1").title == "基本完成市域范围内矿权(包括三权不变)整合工作"


def test_001_has_a_task_per_supervised_paragraph(wuhai):
    assert len(wuhai.tasks) == WUHAI.count("监管部门") + WUHAI.count("监管单位")
    assert wuhai.goals and "黄河流域水生态系统得到有效保护" in wuhai.goals[0][1]


@pytest.mark.parametrize(
    "text, known, expected",
    [
        ("市发改委、工信局、能源局", set(), ["市发改委", "市工信局", "市能源局"]),
        ("市工信局、市场监督管理局", set(), ["市工信局", "市市场监督管理局"]),
        ("市发改委、工信局、区域经济合作局", set(), ["市发改委", "市工信局", "市区域经济合作局"]),
        ("各区委、区政府", set(), ["各区委", "各区政府"]),
        ("市自然资源局、海勃湾黄河水利枢纽管理中心", set(), ["市自然资源局", "海勃湾黄河水利枢纽管理中心"]),
        ("交警二大队、八大队", {"交警二大队", "交警八大队"}, ["交警二大队", "交警八大队"]),
    ],
)  # fmt: skip
def test_expand_units(text, known, expected):
    assert expand_units(text, level_prefix="市", known=known) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026年12月底", "2026-12"), ("2026 年 12 月底", "2026-12"), ("2024年底", "2024-12"),
        ("2025年6月", "2025-06"), ("持续推进", "ongoing"), ("长期坚持", "ongoing"), ("", None), ("另行通知", None),
    ],
)  # fmt: skip
def test_parse_deadline(text, expected):
    assert parse_deadline(text) == expected


def test_a_document_that_is_not_a_plan_is_refused():
    with pytest.raises(PlanError, match="not a plan"):
        parse_plan("会议纪要\n\n今天开会。\n")
    with pytest.raises(PlanError, match="not a plan"):
        parse_plan("一、总体要求\n\n做好工作。\n二、保障措施\n\n加强领导。\n")


def test_a_unit_line_outside_any_task_names_its_line():
    text = "一、主要任务\n\n责任单位：区生态环境局\n\n1、做好工作。内容。\n"
    with pytest.raises(PlanError) as error:
        parse_plan(text)
    assert error.value.line == 3
