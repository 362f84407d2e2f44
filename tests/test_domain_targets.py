"""Goals read from the text of action plans (seeds 001 and 004). No database."""

from decimal import Decimal

import pytest

from ecogov.domain.targets import Target, extract_targets
from ecogov.domain.textfile import read_text
from ecogov.org.sample import SAMPLE_DIR

# The seeds ship as sample data (src/ecogov/sample/README.md says where they come from).
SEED_001 = "wuhai_2022_improvement_plan.txt"  # 美丽乌海 提质方案
SEED_004 = "chengzhong_2024_action_plan.txt"  # 城中区 三年行动


def seed(name: str) -> str:
    return read_text(SAMPLE_DIR / name)


def summary(target: Target) -> tuple:
    value = None if target.value is None else str(target.value)
    return (target.indicator, target.op, value, target.reference, target.unit, target.year)


@pytest.mark.parametrize(
    "text, expected",
    [
        # seed 004 §三.3
        (
            "到2026年，全区森林覆盖率达到31.48%以上",
            [("森林覆盖率", ">=", "31.48", None, "%", 2026)],
        ),
        # seed 001 §二.(一).4: a ceiling
        ("管网漏损率持续控制在10%以内", [("管网漏损率", "<=", "10", None, "%", None)]),
        # seed 001 §二.(五).2: 万 before a counted unit multiplies
        ("累计推广电动重卡1.4万台", [("累计推广电动重卡", ">=", "14000", None, "台", None)]),
        # seed 001 §二.(一).4: 亿 stays in the unit
        ("用水总量控制在2.33亿立方米以内", [("用水总量", "<=", "2.33", None, "亿立方米", None)]),
        # seed 004 §三.7(1): a water class is the reference, "=="
        (
            "六一桥入湟断面年均水质达到III类",
            [("六一桥入湟断面年均水质", "==", None, "III类", None, None)],
        ),
        (
            "六一桥入湟断面年均水质达到Ⅲ类标准",
            [("六一桥入湟断面年均水质", "==", None, "III类", None, None)],
        ),
        ("断面水质达到或优于III类", [("断面水质", ">=", None, "III类", None, None)]),
        # seed 004 §三.7(1)
        (
            "水生态环境质量综合评价结果达到“基本稳定”以上",
            [("水生态环境质量综合评价结果", ">=", None, "基本稳定", None, None)],
        ),
        # seed 004 §三.8
        (
            "PM2.5年平均浓度控制在市控标准以内",
            [("PM2.5年平均浓度", "<=", None, "市控标准", None, None)],
        ),
        # seed 004 §三.11(2)
        ("农村污水处理率达到市定标准", [("农村污水处理率", ">=", None, "市定标准", None, None)]),
        # seed 004 §三.15
        (
            "主要污染物减排和碳排放强度控制在国家下达指标之内",
            [("主要污染物减排和碳排放强度", "<=", None, "国家下达指标", None, None)],
        ),
        # seed 004 §三.9(1): two goals in one sentence, spaces from the PDF
        (
            "一般工业固体废物综合利用率达到 60%以上，工业危险废物安全处置率达到 100%",
            [
                ("一般工业固体废物综合利用率", ">=", "60", None, "%", None),
                ("工业危险废物安全处置率", ">=", "100", None, "%", None),
            ],
        ),
        # seed 001 §二.(二).2: "分别" with the separator missing between the values
        (
            "2023年底前建成区清洁供暖率、农区清洁供暖率分别达到97%45%以上",
            [
                ("建成区清洁供暖率", ">=", "97", None, "%", 2023),
                ("农区清洁供暖率", ">=", "45", None, "%", 2023),
            ],
        ),
        # seed 001 §二.(一).4: the second indicator stays as written
        (
            "生活污水收集率达到82%,处理率达到98%以上",
            [
                ("生活污水收集率", ">=", "82", None, "%", None),
                ("处理率", ">=", "98", None, "%", None),
            ],
        ),
        # seed 001 §二.(一).2
        (
            "主要农作物化肥利用率稳定在41%以上",
            [("主要农作物化肥利用率", ">=", "41", None, "%", None)],
        ),
        # seed 001 §二.(一).4: a reduction is a floor on the change; the baseline is no year
        (
            "万元GDP用水量较2020年下降20%",
            [("万元GDP用水量较2020年下降", ">=", "20", None, "%", None)],
        ),
        # seed 001 §二.(二).1: "不低于", a unit other than %
        (
            "城镇人均公园绿地面积不低于15平方米",
            [("城镇人均公园绿地面积", ">=", "15", None, "平方米", None)],
        ),
        # seed 001 §二.(二).1: "突破" is strictly more
        ("星级绿色建筑占比突破30%", [("星级绿色建筑占比", ">", "30", None, "%", None)]),
        # seed 001 §二.(一).4: a coefficient has no unit
        (
            "2025年农田灌溉水有效利用系数达到0.605",
            [("农田灌溉水有效利用系数", ">=", "0.605", None, None, 2025)],
        ),
        # concentrations, with a space before the unit
        ("二氧化硫浓度控制在20 mg/m³以下", [("二氧化硫浓度", "<=", "20", None, "mg/m³", None)]),
    ],
)
def test_it_reads_a_goal(text, expected):
    assert [summary(t) for t in extract_targets(text)] == expected


# Seed 004 §二 (line 19): one "到 2026 年" governs every goal of the paragraph.
SEED_004_GOALS = [
    ("森林覆盖率", ">=", "31.48", None, "%", 2026),
    ("六一桥入湟断面年均水质", "==", None, "III类", None, 2026),
    ("水生态环境质量综合评价结果", ">=", None, "基本稳定", None, 2026),
    ("污水处理率", ">=", "95", None, "%", 2026),
    ("空气细颗粒物(PM2.5)年平均浓度", "<=", None, "市控标准", None, 2026),
    ("一般工业固体废物综合利用率", ">=", "60", None, "%", 2026),
    ("工业危险废物安全处置率", ">=", "100", None, "%", 2026),
    ("规模养殖场粪污处理设施设备配套率", ">=", "100", None, "%", 2026),
    ("粪污综合利用率", ">=", "85", None, "%", 2026),
    ("农田残膜回收率", ">=", "92", None, "%", 2026),
    ("农村污水处理率", ">=", None, "市定标准", None, 2026),
    ("城市生活垃圾无害化处理率", ">=", "100", None, "%", 2026),
    ("主要污染物减排和碳排放强度", "<=", None, "国家下达指标", None, 2026),
]


def seed_004_goals_paragraph() -> str:
    lines = seed(SEED_004).splitlines()
    start = lines.index("二、工作目标")
    return next(line for line in lines[start + 1 :] if line.strip())


def test_it_reads_every_goal_of_seed_004_section_2():
    targets = extract_targets(seed_004_goals_paragraph())
    assert [summary(t) for t in targets] == SEED_004_GOALS
    assert targets[0].text == "到2026年，全区森林覆盖率达到31.48%以上"
    assert targets[4].text == "全区空气细颗粒物（PM_{2.5}）年平均浓度控制在市控标准以内"


def test_a_year_in_the_text_overrides_the_default_year():
    targets = extract_targets(seed_004_goals_paragraph(), default_year=2024)
    assert {t.year for t in targets} == {2026}


@pytest.fixture(scope="module")
def seed_001_targets():
    return {summary(t)[:3] + summary(t)[4:] for t in extract_targets(seed(SEED_001))}


# Seed 001, dated goals: (indicator, op, value, unit, year), with the line they are on.
@pytest.mark.parametrize(
    "expected",
    [
        ("国控和省控考核断面水质达到或优于类水体比例", ">=", "75", "%", 2025),  # line 49
        ("城镇集中饮用水水源地水质达到或优于类比例", ">=", "100", "%", 2025),  # line 49
        ("生活污水治理率", ">=", "60", "%", 2025),  # line 51
        ("生活垃圾无害化处理率", ">=", "100", "%", 2025),  # line 51
        ("主要农作物化肥利用率", ">=", "41", "%", 2025),  # line 51
        ("测土配方施肥技术覆盖率", ">=", "90", "%", 2025),  # line 51
        ("废旧地膜回收率", ">=", "85", "%", 2025),  # line 51
        ("畜禽粪污综合利用率", ">=", "90", "%", 2025),  # line 51
        ("规模养殖场粪污处理设施装备配套率", ">=", "100", "%", 2025),  # line 51
        ("生态环境状况指数", ">=", "35", "%", 2025),  # line 57, "到达到35%"
        ("森林覆盖率", ">=", "3.78", "%", 2025),  # line 57
        ("草原综合植被覆盖度", ">=", "21", "%", 2025),  # line 57
        ("林草覆盖率", ">=", "35", "%", 2025),  # line 57
        ("水土保持率", ">=", "43.42", "%", 2025),  # line 59
        ("国家重点保护野生动植物保护率", ">=", "95", "%", 2025),  # line 59
        ("用水总量", "<=", "2.33", "亿立方米", 2025),  # line 63, "(不含应急生态补水)" dropped
        ("万元GDP用水量和万元工业增加值较2020年下降", ">=", "20", "%", 2025),  # line 63
        ("完成节水技术改造企业", ">=", "14", "家", 2025),  # line 63
        ("创建国家(自治区)节水型企业", ">=", "11", "家", 2025),  # line 63
        ("节水型器具比例", ">=", "100", "%", 2025),  # line 63
        ("城区生活污水收集率", ">=", "82", "%", 2025),  # line 65
        ("处理率", ">=", "98", "%", 2025),  # line 65
        ("污水达标尾水使用率", ">=", "100", "%", 2025),  # line 65, "100%2030年"
        ("收集率", ">=", "90", "%", 2030),  # line 65
        ("园区工业污水收集处理率", ">=", "100", "%", 2025),  # line 65, two rates "均达到"
        ("中水回用率", ">=", "100", "%", 2025),  # line 65
        ("替代比例", ">=", "10", "%", 2030),  # line 65
        ("替代比例", ">=", "50", "%", 2035),  # line 65
        ("疏干水利用率", ">=", "80", "%", 2025),  # line 65
        ("新建建筑绿色建筑占比", ">=", "100", "%", 2025),  # line 73
        ("装配式建筑占新建建筑面积比例", ">=", "30", "%", 2025),  # line 73
        ("建成区清洁供暖率", ">=", "97", "%", 2023),  # line 77
        ("农区清洁供暖率", ">=", "45", "%", 2023),  # line 77
        ("建成区清洁供暖率", ">=", "98", "%", 2025),  # line 77, indicators carried over
        ("农区清洁供暖率", ">=", "60", "%", 2025),  # line 77
        ("机械化清扫率", ">=", "100", "%", 2025),  # line 81
        ("城镇生活垃圾无害化处理率", ">=", "100", "%", 2025),  # line 85
        ("大宗固废综合利用率", ">=", "65", "%", 2025),  # line 93
        ("园区和重点企业涉气环境信访量较2021年下降", ">=", "50", "%", 2023),  # line 101
        (
            "污染物排放自动监控、主要生产设施和污染治理设施用电监控",
            ">=",
            "100",
            "%",
            2023,
        ),  # line 107
        ("煤炭洗选企业与煤矿配套率", ">=", "85", "%", 2024),  # line 119
        ("原煤本地入洗率", ">=", "90", "%", 2024),  # line 119
        ("原煤本地入洗率", ">=", "100", "%", 2035),  # line 119, "2035年达到100%"
        ("重点行业铁路外运比例", ">=", "85", "%", 2025),  # line 135, year after indicator
        ("公交新增及更新车辆中新能源车辆占比", ">=", "50", "%", 2023),  # line 139
        ("公交新增及更新车辆中新能源车辆占比", ">=", "60", "%", 2025),  # line 139
        ("累计推广电动重卡", ">=", "14000", "台", 2025),  # line 141
        ("累计新建充换电站", ">=", "120", "座", 2025),  # line 141
    ],
)
def test_it_reads_the_dated_goals_of_seed_001(seed_001_targets, expected):
    assert expected in seed_001_targets


# Seed 001, goals in sentences without a year: they take default_year.
@pytest.mark.parametrize(
    "expected",
    [
        ("重点涉水企业在线监测达标率", ">=", "96", "%", None),  # line 49
        ("城市管网漏损率", "<=", "10", "%", None),  # line 63
        ("建成区公园绿地500米服务半径覆盖率", ">=", "80", "%", None),  # line 73
        ("绿地率", ">=", "36", "%", None),  # line 73
        ("城镇人均公园绿地面积", ">=", "15", "平方米", None),  # line 73
        ("城市建成区新增及更新的公交、出租汽车中新能源车比例", ">=", "100", "%", None),  # l. 139
        ("建成区公交站点500米覆盖率", ">=", "90", "%", None),  # line 139
    ],
)
def test_it_reads_the_undated_goals_of_seed_001(seed_001_targets, expected):
    assert expected in seed_001_targets


def test_seed_001_notes_stay_out_of_the_goals():
    for target in extract_targets(seed(SEED_001)):
        assert "监管" not in target.text  # "(监管部门:…)" closes most paragraphs
        assert target.year not in (2020, 2021, 2022)  # baselines and the publication date


@pytest.mark.parametrize(
    "text",
    [
        "不再受理35蒸吨以下燃煤锅炉安装告知申请，取消办理35蒸吨以下燃煤锅炉使用登记。",  # 004 §三.8
        "对主城区 237 处混错接点位及入河排口污水混入问题",  # seed 004 §三.10
        "各部门要严格对照本方案明确的主要任务，细化工作措施，3个月内制定具体实施方案",  # 004 §四.二
        "聚焦打造2个千亿级产业集群、5个超百亿级产业链群",  # seed 001 §二.(一).1
        "严格落实黄河干流河道管理范围边界线外侧200米范围沿黄生态廊道",  # seed 001 §二.(一).3
        "主要货运道路两侧5米范围内达到无垃圾、无杂物、无积尘、硬化绿化",  # seed 001 §二.(五).3
        "督促建筑施工工地严格落实“10个百分百”工作要求",  # seed 004 §三.8
        "根据（宁办发〔2024〕9号）文件要求",  # a document number
        "完成时限：2026年12月底",  # a date alone
        "发布时间:2022年11月21日",
        "黄河乌海段水质稳定保持在类",  # seed 001 §一.(三): the class numeral is missing
    ],
)
def test_it_takes_no_goal_from_other_numbers(text):
    assert extract_targets(text) == []


@pytest.mark.parametrize(
    "text, default_year, years",
    [
        # no year in the sentence
        ("森林覆盖率达到30%", 2030, [2030]),
        # a year holds until the end of its sentence, not beyond
        ("到2025年，绿地率达到36%。森林覆盖率达到30%。", 2024, [2025, 2024]),
        # a later year in the same sentence takes over
        ("2023年达标率达到50%以上，2025年达标率达到60%以上", None, [2023, 2025]),
        # a baseline is not a target year
        ("信访量较2021年下降50%以上", 2023, [2023]),
        # a line broken by a page is one sentence (seed 004 §三.3)
        ("因地制宜确定绿化方式，精\n\n准提升森林质量。到2026年，森林覆盖率达到31%", None, [2026]),
    ],
)
def test_years(text, default_year, years):
    assert [t.year for t in extract_targets(text, default_year=default_year)] == years


def test_values_are_decimals_as_written():
    (target,) = extract_targets("到 2026 年，全区森林覆盖率达到 31.48%以上")
    assert target.value == Decimal("31.48")
    assert str(target.value) == "31.48"
    assert target.text == "到2026年，全区森林覆盖率达到31.48%以上"


# --- Forms of real plans (issue 23; documents in tests/data/plans/tune/).


@pytest.mark.parametrize(
    "text, expected",
    [
        # 肥城 2017: "左右" is about, not at least
        ("到2020年,受污染耕地和污染地块安全利用率达到90%左右",
         [("受污染耕地和污染地块安全利用率", "==", "90", None, "%", 2020)]),
        # 屯昌 2018: "达" alone, a goal without a verb
        ("到2020年,受污染耕地安全利用率达90%左右", [("受污染耕地安全利用率", "==", "90", None, "%", 2020)]),
        ("到2020年,城镇空气质量优良天数98%以上", [("城镇空气质量优良天数", ">=", "98", None, "%", 2020)]),
        ("到2020年,县城生活污水处理率85%", [("县城生活污水处理率", "==", "85", None, "%", 2020)]),
        # 平顶山 2018: two changes against one baseline
        ("到2020年,全市万元国内生产总值用水量、万元工业增加值用水量比2015年分别下降24%、25%以上",
         [("万元国内生产总值用水量比2015年下降", ">=", "24", None, "%", 2020),
          ("万元工业增加值用水量比2015年下降", ">=", "25", None, "%", 2020)]),
        # 铜陵 2014: 净削减, and a change of about 5 %
        ("到2017年,现役燃煤设施煤炭消费总量比2013年净削减50万吨,煤炭占能源消费总量比重下降5%左右",
         [("现役燃煤设施煤炭消费总量比2013年净削减", ">=", "50", None, "万吨", 2017),
          ("煤炭占能源消费总量比重下降", "==", "5", None, "%", 2017)]),
        # 浙江 2020: counts before their object; a share before what it measures
        ("淘汰50家企业落后产能,整治300家“低散乱”企业",
         [("淘汰企业落后产能", ">=", "50", None, "家", None),
          ("整治“低散乱”企业", ">=", "300", None, "家", None)]),
        ("2020年,100%的县级以上城市建成清新空气示范区",
         [("县级以上城市建成清新空气示范区比例", "==", "100", None, "%", 2020)]),
        # forms of the same plans' objectives: values joined by 和, 分别 before a shared change
        ("到2020年,城市生活污水处理率、生活垃圾无害化处理率分别不低于95%和90%",
         [("城市生活污水处理率", ">=", "95", None, "%", 2020),
          ("生活垃圾无害化处理率", ">=", "90", None, "%", 2020)]),
        ("化学需氧量、氨氮排放总量分别比2020年下降8%、8%",
         # the measure (排放总量) is both pollutants'
         [("化学需氧量排放总量比2020年下降", ">=", "8", None, "%", None),
          ("氨氮排放总量比2020年下降", ">=", "8", None, "%", None)]),
        ("每年完成造林面积2万亩", [("每年完成造林面积", ">=", "2", None, "万亩", None)]),
        # 宁波 2025: an edition year is no target year
        ("严格落实《产业结构调整指导目录(2024年本)》要求,废钢比达到15%",
         [("废钢比", ">=", "15", None, "%", None)]),
    ],
)  # fmt: skip
def test_real_plans_forms(text, expected):
    assert [summary(t) for t in extract_targets(text)] == expected


def test_a_goal_striven_for_is_aspirational():
    # 浙江 2020 and seed 001 §二.(二).1: 力争 in the clause, or in the year that heads it
    targets = extract_targets(
        "市区PM2.5年均浓度保持在30微克/立方米以下,力争保持在25微克/立方米以下。"
        "力争到2025年,新建建筑绿色建筑占比100%,星级绿色建筑占比突破30%。"
        "2030年,收集率达到90%。"
    )
    assert [t.aspirational for t in targets] == [False, True, True, True, False]


def test_per_area_values_listed_with_fen_bie_wei():
    # tests/data/plans/tune/43-yulin-air-targets-2019.txt
    targets = extract_targets(
        "玉州区、福绵区、玉东新区2019年度环境空气质量目标PM10分别为57、54、55微克/立方米,"
        "PM2.5分别为36、34、35微克/立方米。"
    )
    assert [(t.indicator, t.op, str(t.value), t.unit, t.year) for t in targets] == [
        ("玉州区PM10浓度", "<=", "57", "微克/立方米", 2019),
        ("福绵区PM10浓度", "<=", "54", "微克/立方米", 2019),
        ("玉东新区PM10浓度", "<=", "55", "微克/立方米", 2019),
        ("玉州区PM2.5浓度", "<=", "36", "微克/立方米", 2019),
        ("福绵区PM2.5浓度", "<=", "34", "微克/立方米", 2019),
        ("玉东新区PM2.5浓度", "<=", "35", "微克/立方米", 2019),
    ]


def test_rates_as_units_month_end_years_and_shares_of_a_design_capacity():
    # tests/data/plans/tune/58-bijie-emission-cuts-2009.txt
    targets = extract_targets(
        "确保毕节市污水处理厂到2009年3月底处理能力达到5.2万吨/日以上,2010年6月底前处理能力"
        "达到6.0万吨/日以上;威宁县污水处理厂到2009年底处理能力达到设计能力的60%。"
    )
    assert [(t.indicator, t.op, str(t.value), t.unit, t.year) for t in targets] == [
        ("毕节市污水处理厂处理能力", ">=", "5.2", "万吨/日", 2009),
        ("处理能力", ">=", "6.0", "万吨/日", 2010),
        ("威宁县污水处理厂处理能力达到设计能力", ">=", "60", "%", 2009),
    ]


def test_a_period_counted_from_an_event_is_no_target_year():
    # tests/data/plans/tune/31-tunchang-six-campaigns-2018.txt
    (target,) = extract_targets(
        "其他7个建制镇污水处理厂建成投入运行三年内生活污水处理率达到60%以上。", default_year=2020
    )
    assert (target.op, str(target.value), target.year) == (">=", "60", None)


def test_pollutants_joined_by_he_share_their_measure_and_their_values_pair_up():
    # tests/data/plans/tune/42-ningxia-env-dept-division-2010.txt
    targets = extract_targets(
        "主要污染物中二氧化硫和化学需氧量排放总量分别削减4.5%和3.6%。", default_year=2010
    )
    assert [(t.indicator, t.op, str(t.value), t.year) for t in targets] == [
        ("主要污染物中二氧化硫排放总量削减", ">=", "4.5", 2010),
        ("化学需氧量排放总量削减", ">=", "3.6", 2010),
    ]


def test_two_rates_with_one_value_are_two_goals():
    # seed 001 (tests/data/plans/seeds/001-wuhai.txt): "…均达到100%"
    targets = extract_targets("到2025年,园区工业污水收集处理率和中水回用率均达到100%。")
    assert [(t.indicator, str(t.value), t.year) for t in targets] == [
        ("园区工业污水收集处理率", "100", 2025),
        ("中水回用率", "100", 2025),
    ]
    (whole,) = extract_targets("集中供汽和供热率均达到100%。")
    assert whole.indicator == "集中供汽和供热率"


def test_a_count_in_words_after_zhishao():
    # seed 001 (tests/data/plans/seeds/001-wuhai.txt)
    (target,) = extract_targets("到2023年底,各区至少完成一个示范项目建设。")
    assert (target.op, str(target.value), target.unit, target.year) == (">=", "1", "个", 2023)
    assert extract_targets("建立一个长效机制。") == []
