"""The plan parser against seeds 004 and 001. No database."""

import datetime

import pytest

from ecogov.domain.plandoc import (
    PlanError,
    expand_units,
    ledger_deadline,
    parse_deadline,
    parse_plan,
    read_deadline,
)
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


# --- Conventions of real plans (issue 23), each with a snippet of the plan it comes from.
# The documents are in tests/data/plans/tune/ with their addresses.


def only_task(text, **options):
    (found,) = parse_plan(text, **options).tasks
    return found


def test_a_bracket_names_lead_supporting_and_implementing_units_and_a_standing_default():
    # 浙江 2020 (tune/09): "牵头 … 参与 … 负责落实。以下均需…落实，不再列出"
    plan = parse_plan(
        "一、主要工作任务\n（一）打好产业结构优化战役\n"
        "1.严格环境准入。落实高耗能、高污染和资源型行业准入条件。（市生态环境局牵头，市发改委、"
        "市经信局、市自然资源和规划局等参与，县（市、区）政府负责落实。以下均需县（市、区）"
        "政府落实，不再列出）\n"
        "2.严控“两高”行业产能。严禁新增钢铁产能。（市经信局、市发改委牵头，市生态环境局、"
        "市应急管理局、市市场监管局等参与）\n"
    )
    first, second = plan.tasks
    assert first.text.endswith("准入条件。") and first.lead == ["市生态环境局"]
    assert first.support == ["市发改委", "市经信局", "市自然资源和规划局"]
    assert first.implementing == ["县（市、区）政府"]
    assert second.lead == ["市经信局", "市发改委"]
    assert second.support == ["市生态环境局", "市应急管理局", "市市场监管局"]
    assert second.implementing == ["县（市、区）政府"]  # the standing default


def test_a_square_bracket_closed_twice_in_pdf_text():
    # 佳木斯 2018 (tune/23): "[市水务局牵头,…配合,各县(市)区政府负责落实。以下均需…不再列出)]"
    found = only_task(
        "佳木斯市2018年度水污染防治重点工作实施方案\n二、工作任务\n(一)实施最严格水资源管理。\n"
        "1.控制用水总量。强化用水监督管理。[市水务局牵头,市工信委、城乡建设局配合,各县(市)区政府"
        "负责落实。以下均需各县(市)区政府落实,区政府无相关工作职能的,由市政府直属责任部门负责"
        "相关工作,不再列出)]\n"
    )
    assert (found.lead, found.support, found.implementing) == (
        ["市水务局"], ["市工信委", "市城乡建设局"], ["各县(市)区政府"],
    )  # fmt: skip


def test_a_responsible_list_in_groups_with_the_front_group_leading():
    # 肥城 2017 (tune/03): "（责任单位:A、B,C、D、E,各镇街区。以下均需各镇街区落实,不再列出。
    # 排在前位为牵头部门,下同。）"; the deadline is the latest date the text sets.
    found = only_task(
        "肥城市土壤污染防治工作方案\n二、主要任务\n(一)开展土壤污染调查。\n"
        "1.深入开展土壤环境质量调查。2018年10月底前查明农用地土壤污染面积;2020年10月底前掌握"
        "污染地块分布。(责任单位:市环保局、市国土资源局,市财政局、市农业局、市卫生计生局,"
        "各镇街区。以下均需各镇街区落实,不再列出。排在前位为牵头部门,下同。)\n"
    )
    assert found.lead == ["市环保局", "市国土资源局"]
    assert found.support == ["市财政局", "市农业局", "市卫生计生局"]
    assert found.implementing == ["各镇街区"] and found.deadline == "2020-10"


def test_field_lines_and_an_unlabelled_line_of_local_governments():
    # 浚县 2018 (tune/05): 牵头单位 / 配合单位 lines with a shared prefix, then the townships
    found = only_task(
        "浚县2018年水污染防治攻坚战实施方案\n三、工作任务\n(一)实施流域环境综合治理\n"
        "1. 深入开展城市黑臭水体整治。2018年10月底前,县城建成区全面消除黑臭水体。\n"
        "牵头单位:县住建局\n配合单位:县发改委、环保局、水利局、农业局\n各乡镇(街道)、黎阳建管办\n"
    )
    assert found.lead == ["县住建局"]
    assert found.support == ["县发改委", "县环保局", "县水利局", "县农业局"]
    assert found.implementing == ["各乡镇(街道)", "黎阳建管办"]
    assert found.deadline == "2018-10"


def test_a_single_responsible_line_the_first_unit_leads():
    # 将乐 2022 (tune/07): bare department names of a county plan, completed with 县
    plan = parse_plan(
        "- 发布机构: 将乐县人民政府办公室\n一、坚持绿色发展\n(一)强化绿色管控\n"
        "1.加强生态环境分区管控,推进“三线一单”成果应用。\n责任单位:生态环境局,自然资源局\n"
        "2.落实能耗“双控”制度。\n责任单位:发改局、工信局、开发区\n"
    )
    first, second = plan.tasks
    assert (first.lead, first.support) == (["县生态环境局"], ["县自然资源局"])
    assert (second.lead, second.support) == (["县发改局"], ["县工信局", "开发区"])


def test_local_governments_in_a_responsible_list_carry_the_task_out():
    # 南昌县 2021 (tune/25): "(责任单位:乡镇政府、开发区管委会、县生态环境局、…)" on its own line
    found = only_task(
        "县入河排污口分类整治攻坚方案\n三、攻坚措施1. 梳理分类,查漏补缺。\n"
        "各乡镇、开发区应针对前期已排查出的入河排污口进行梳理分类。\n"
        "(责任单位:乡镇政府、开发区管委会、县生态环境局、县水利局)\n"
    )
    assert found.text.startswith("梳理分类")  # the heading run into its first item
    assert (found.lead, found.support, found.implementing) == (
        ["县生态环境局"], ["县水利局"], ["乡镇政府", "开发区管委会"],
    )  # fmt: skip


def test_a_division_of_labour_table_with_a_single_responsible_column():
    # 遂宁 2016 (tune/10): 序号/工作任务/负责部门/时间进度, TAB-separated as read_document gives it
    plan = parse_plan(
        "序号\t工作任务\t负责部门\t时间进度\n"
        "2\t完善城市工作机制\t市住建局,各县(区)政府、市直园区管委会\t2016 年 6 底前\n"
        "7\t加快环境卫生设施建设\t市住建局、市发改委、市财政局,各县(区)政府、市直园区管委会\t"
        "2016—2018 年底前\n"
        "8\t防止过度包装\t市质监局、市商务局\t常态工作\n"
    )
    second, seventh, eighth = plan.tasks
    assert second.number == "2" and second.lead == ["市住建局"] and second.deadline == "2016-06"
    assert second.implementing == ["各县(区)政府", "市直园区管委会"]
    assert seventh.support == ["市发改委", "市财政局"] and seventh.deadline == "2018-12"
    assert (eighth.lead, eighth.support, eighth.deadline) == (["市质监局"], ["市商务局"], "ongoing")


def test_a_table_with_lead_and_governments_columns_and_section_rows():
    # 北京 2021 (tune/12): 牵头部门 / 主责单位 (the district governments) / 协办单位; "年底前"
    plan = parse_plan(
        "大气污染防治2021年行动计划\n"
        "序号\t重点任务\t工作措施\t牵头部门\t主责单位\t协办单位\t完成时限\n"
        "二\t实施挥发性有机物(VOCs)专项治理行动\t\t\t\t\t\n"
        "2\t完善VOCs环境监测网络\t完善覆盖街道(乡镇)、主要工业园区等VOCs高密度监测网。\t市生态环境局"
        "\t各区政府(含北京经济技术开发区管委会)\t市经济和信息化局\t年底前\n"
    )
    (found,) = plan.tasks
    assert found.text.startswith("完善覆盖街道") and found.section == "完善VOCs环境监测网络"
    assert (found.lead, found.support) == (["市生态环境局"], ["市经济和信息化局"])
    assert found.implementing == ["各区政府(含北京经济技术开发区管委会)"]
    assert found.deadline == "2021-12"


def test_a_table_named_by_its_main_task_with_shared_suffixes():
    # 平顶山 2018 (tune/06): 类别/主要任务/细化措施/牵头单位/参与单位/责任单位
    (found,) = parse_plan(
        "序号\t类别\t主要任务\t细化措施\t牵头单位\t参与单位\t责任单位\n"
        "1\t加强水资源保护\t严守水资源开发利用控制红线\t实施水资源消耗总量和强度双控行动。\t市水利局"
        "\t市发展改革委、工业和信息化委、农业局等\t各县(市、区)党委和人民政府,城乡一体化示范区、"
        "高新区党工委和管委会\n"
    ).tasks
    assert found.text.startswith("严守水资源开发利用控制红线")
    assert found.support == ["市发展改革委", "市工业和信息化委", "市农业局"]
    assert found.implementing == [
        "各县(市、区)党委和人民政府", "城乡一体化示范区党工委和管委会", "高新区党工委和管委会",
    ]  # fmt: skip


def test_a_rectification_sheet_of_field_rows():
    # 潼南 2022 (tune/28): 整改任务概述 / 整改责任单位 / 整改时间, one field per row
    found = only_task(
        "整改任务概述\t部分区县生活垃圾及渗滤液处理能力不足。\n整改责任单位\t潼南区\n"
        "整改目标\t在2020年底前完成生活垃圾填埋场扩容。\n整改时间\t2020年6月至2021年12月\n"
    )
    assert found.text.startswith("部分区县") and found.lead == ["潼南区"]
    assert found.deadline == "2021-12"


def test_items_run_together_in_pdf_text_with_a_bracket_over_two_lines():
    # 宝安 2016 (tune/11): "(牵头单位:…;" + "协办单位:…)" and a page number inside "每年"
    plan = parse_plan(
        "(五)加快推进海绵城市建设行动 22.出台《宝安区海绵城市试点详细规划》.按照工作部署,\n\n"
        "2017 年5月底前, 编制完成《宝安区海绵城市试点详细规划》. (牵头单位:市规划国土委宝安管理局;\n\n"
        "协办单位:区发改 局、区环保水务局、宝安交通运输局、各街道办) 23.编制年度海绵城市建设计划."
        "每―10 ― 年3月底前,制定我区年度海绵城市建设计划. (牵头单位:区环保水务局;\n\n"
        "协办单位:区发改局、城市更新局)\n"
    )
    first, second = plan.tasks
    assert first.number == "22" and first.lead == ["市规划国土委宝安管理局"]
    assert first.support == ["区发改局", "区环保水务局", "宝安交通运输局", "各街道办"]
    assert first.deadline == "2017-05"
    assert second.lead == ["区环保水务局"] and second.support == ["区发改局", "城市更新局"]
    assert (second.due, second.deadline) == ("yearly-03", "ongoing")


def test_a_letters_numbered_requirements_are_done_by_its_addressees():
    # 宿州 2019 (tune/26): a 函 with no unit inside its three requirements
    plan = parse_plan(
        "宿州市生态环境局 宿州市水利局关于转发…的函\n各县区生态环境局、水利(水务)局:\n"
        "现将通知转发给你们,并提出以下工作要求。\n"
        "一、2019年12月20日前完成饮用水水源地保护区环境状况排查工作。\n"
        "二、2020年11月底前完成整治工作,不能按期完成的,各县应于2020年10月底前申请延期。\n"
    )
    first, second = plan.tasks
    assert first.lead == ["各县区生态环境局", "各县区水利(水务)局"]
    assert (first.deadline, second.deadline) == ("2019-12", "2020-11")


def test_a_plans_covering_notice_names_no_unit_of_its_tasks():
    # 宁波 2025 (tune/18): the task list with units is issued separately
    plan = parse_plan(
        "各区(县、市)人民政府,市直及部省属驻甬各单位:\n现将《行动计划》印发给你们。\n"
        "二、主要任务\n(一)优化产业结构和规划布局\n1.严格项目源头管理。坚决遏制项目盲目上马。\n"
        "2.推进产业结构升级调整。到2025年,力争钢铁生产废钢比达到15%。\n"
    )
    assert [t.lead for t in plan.tasks] == [[], []]
    assert [t.deadline for t in plan.tasks] == [None, None]  # a target year is no deadline


@pytest.mark.parametrize(
    "text, year, expected",
    [
        ("2025年6月底前", None, "2025-06"), ("2019年9月30日前", None, "2019-09"),
        ("2016—2018年底前", None, "2018-12"), ("2021-2025年", None, "2025-12"),
        ("每年6月底前", None, "yearly-06"), ("每年年底前", None, "yearly-12"),
        ("年底前", 2021, "2021-12"), ("9月底前", 2021, "2021-09"), ("2025年上半年", None, "2025-06"),
        ("常态工作", None, "ongoing"), ("持续开展", None, "ongoing"), ("立即", None, None),
        ("2016 年 6 底前", None, "2016-06"),  # 遂宁 2016: 月 missing as written
        ("2023年起", None, "ongoing"), ("2024年第三季度", None, "2024-09"),
    ],
)  # fmt: skip
def test_read_deadline(text, year, expected):
    assert read_deadline(text, year=year) == expected


def test_a_yearly_deadline_is_ongoing_on_the_ledger():
    assert parse_deadline("每年年底前") == "ongoing" and ledger_deadline("yearly-03") == "ongoing"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("各县（市、区）人民政府、市生态环境局", ["各县（市、区）人民政府", "市生态环境局"]),
        ("各市、县人民政府", ["各市、县人民政府"]),
        ("市住建局、市供销社等", ["市住建局", "市供销社"]),
        ("市生态环境局和市住房城乡建设局", ["市生态环境局", "市住房城乡建设局"]),
        ("各区委、区政府", ["各区委", "各区政府"]),
        ("各县区生态环境局、水利(水务)局", ["各县区生态环境局", "各县区水利(水务)局"]),
    ],
)
def test_expand_units_keeps_collective_units_whole(text, expected):
    assert expand_units(text, level_prefix="市") == expected


def test_a_sub_item_under_an_item_with_no_units_of_its_own():
    # seed 004 §三.7: "7、系统推进水生态环境保护。" heads (1)(2)(3), each with its fields
    plan = parse_plan(
        "三、主要任务\n7、系统推进水生态环境保护。\n（1）坚决打好湟水河流域水污染治理攻坚战。\n"
        "责任单位：区生态环境局\n完成时限：2026年12月底\n（2）落实复苏行动。\n责任单位：区自然资源和林业局\n"
        "配合单位：各涉河镇办\n完成时限：持续推进\n"
    )
    assert [(t.number, t.lead, t.support, t.deadline) for t in plan.tasks] == [
        ("7(1)", ["区生态环境局"], [], "2026-12"),
        ("7(2)", ["区自然资源和林业局"], ["各涉河镇办"], "ongoing"),
    ]


def test_roles_in_a_closing_sentence_a_marked_lead_and_a_governments_column():
    # Forms of the same provincial plans without brackets: "由…牵头，…配合，…负责落实。",
    # "责任单位：…（牵头）、…", "（牵头单位：…；责任单位：各县区政府、…）"; a section run
    # into its first item ("（一）大气污染防治1.加强…", PDF text).
    plan = parse_plan(
        "一、主要任务\n（一）大气污染防治1.加强扬尘管控。落实六个百分百。由市住建局牵头，市城管局、"
        "市生态环境局配合，各县（市、区）人民政府负责落实。\n"
        "2.加强秸秆禁烧。严禁露天焚烧。\n责任单位：市农业农村局（牵头）、市生态环境局\n"
        "3.治理VOCs。推进源头替代。（牵头单位：市生态环境局；责任单位：各县区政府、市工信局）\n"
    )
    first, second, third = plan.tasks
    assert first.text == "加强扬尘管控。落实六个百分百。"
    assert (first.lead, first.support, first.implementing) == (
        ["市住建局"], ["市城管局", "市生态环境局"], ["各县（市、区）人民政府"],
    )  # fmt: skip
    assert (second.lead, second.support) == (["市农业农村局"], ["市生态环境局"])
    assert (third.lead, third.support, third.implementing) == (
        ["市生态环境局"], ["市工信局"], ["各县区政府"],
    )  # fmt: skip


def test_fields_after_the_last_sub_item_close_the_item():
    plan = parse_plan(
        "一、主要任务\n3、加强固废管理。\n（1）规范贮存。\n（2）严格转移。\n"
        "责任单位：市生态环境局\n完成时限：2025年底前\n4、推进垃圾分类。全面推行。\n责任单位：市住建局\n"
    )
    assert [(t.number, t.lead, t.deadline) for t in plan.tasks] == [
        ("3", ["市生态环境局"], "2025-12"),
        ("4", ["市住建局"], None),
    ]
    assert plan.tasks[0].text == "加强固废管理。\n规范贮存。\n严格转移。"


def test_a_table_whose_unit_columns_sit_under_a_merged_header():
    # A Word table: "责任单位" merged over "牵头单位 | 配合单位" (two header rows)
    (found,) = parse_plan(
        "序号\t重点任务\t责任单位\t\t完成时限\n\t\t牵头单位\t配合单位\t\n"
        "1\t加强扬尘管控\t市住建局\t市城管局、市生态环境局\t2024年6月底前\n"
    ).tasks
    assert (found.lead, found.support, found.deadline) == (
        ["市住建局"], ["市城管局", "市生态环境局"], "2024-06",
    )  # fmt: skip


def test_a_word_table_read_as_the_importer_reads_it(tmp_path):
    # A division-of-labour table in .docx, through ecogov.plans.documents.read_document; the
    # lead unit's cell is merged over two rows, as Word tables often do.
    import docx

    from ecogov.plans.documents import read_document

    document = docx.Document()
    document.add_paragraph("XX市2024年大气污染防治工作任务分工")
    table = document.add_table(rows=4, cols=5)
    rows = [
        ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"],
        ["1", "加强扬尘管控。落实六个百分百。", "市住建局", "市城管局、市生态环境局", "2024年6月底前"],
        ["2", "强化渣土车监管。", "", "市公安局", "长期坚持"],
        ["3", "推进秸秆综合利用。", "市农业农村局", "各县（市、区）人民政府", "每年年底前"],
    ]  # fmt: skip
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    table.cell(1, 2).merge(table.cell(2, 2))  # 市住建局 leads tasks 1 and 2
    path = tmp_path / "plan.docx"
    document.save(path)
    plan = parse_plan(read_document(path))
    assert [(t.number, t.lead, t.support, t.implementing, t.due) for t in plan.tasks] == [
        ("1", ["市住建局"], ["市城管局", "市生态环境局"], [], "2024-06"),
        ("2", ["市住建局"], ["市公安局"], [], "ongoing"),
        ("3", ["市农业农村局"], ["各县（市、区）人民政府"], [], "yearly-12"),  # as labelled
    ]


def test_the_beginning_of_a_plan_with_goals_and_no_task_yet_keeps_its_goals():
    # 屯昌 2018 (tune/31): the stored copy ends before the first task
    plan = parse_plan(
        "为深入贯彻…,结合我县实际,持续深化六大专项整治。\n"
        "具体指标:到2020年,城镇空气质量优良天数98%以上,主要河流湖库水质优良率不低于95%。\n"
    )
    assert plan.tasks == [] and plan.goals[0][1].startswith("具体指标")
    with pytest.raises(PlanError, match="not a plan"):
        parse_plan("会议纪要\n\n目标:今年空气质量优良率达到80%。\n")  # one number is no plan


def test_units_of_a_heading_pass_to_its_items_and_a_table_replaces_unitless_items():
    # The provincial 大气十条 plans: "（一）…（省环保厅牵头）。" heads items that add their own
    plan = parse_plan(
        "一、主要任务\n（一）加强工业企业大气污染综合治理（省环保厅牵头）。\n"
        "1.全面整治燃煤小锅炉。到2017年基本淘汰10蒸吨及以下的燃煤锅炉。（省质监局、省住房城乡"
        "建设厅等配合，各市、县人民政府负责落实。以下均需各市、县人民政府落实，不再列出）\n"
        "2.加快重点行业脱硫脱硝除尘改造。2015年底前完成。\n"
    )
    assert [(t.lead, t.support, t.implementing, t.due) for t in plan.tasks] == [
        (["省环保厅"], ["省质监局", "省住房城乡建设厅"], ["各市、县人民政府"], None),
        (["省环保厅"], [], ["各市、县人民政府"], "2015-12"),
    ]
    # A body without units and its attached division of labour: the table's rows are the tasks.
    plan = parse_plan(
        "一、主要任务\n1.全面整治燃煤小锅炉。加快推进集中供热。\n2.综合整治城市扬尘。\n附件：任务分工\n"
        "序号\t重点任务\t牵头单位\t配合单位\n1\t全面整治燃煤小锅炉\t市生态环境局\t市住建局\n"
        "2\t综合整治城市扬尘\t市住建局\t\n"
    )
    assert [(t.number, t.lead) for t in plan.tasks] == [
        ("1", ["市生态环境局"]),
        ("2", ["市住建局"]),
    ]


def test_labels_in_square_brackets_and_a_list_shared_by_duty():
    plan = parse_plan(
        "一、主要任务\n1.加强扬尘管控。内容。\n【牵头单位】市生态环境局\n【配合单位】市住建局\n"
        "2.加强秸秆禁烧。内容。\n责任单位：市生态环境局、市发展改革委（按职责分工负责）\n"
    )
    assert [(t.lead, t.support) for t in plan.tasks] == [
        (["市生态环境局"], ["市住建局"]),
        (["市生态环境局", "市发展改革委"], []),
    ]


def test_a_unit_list_that_goes_on_after_a_line_break_and_page_footers():
    # PDF text: a list broken after "、", and a footer "第 3 页 共 9 页" between the lines
    plan = parse_plan(
        "一、主要任务\n1.加强扬尘管控。内容。\n牵头单位：市生态环境局\n"
        "配合单位：市发展改革委、市工业和信息化局、\n市住建局、市城管局\n第 3 页 共 9 页\n"
        "2.加强秸秆禁烧。内容。\n牵头单位：市住建局\n"
    )
    assert plan.tasks[0].support == ["市发展改革委", "市工业和信息化局", "市住建局", "市城管局"]
    assert plan.tasks[1].text == "加强秸秆禁烧。内容。"


def test_task_numbers_are_unique_for_the_importer():
    table = "序号\t工作任务\t牵头单位\n1\t加强扬尘管控\t市住建局\n2\t加强秸秆禁烧\t市农业农村局\n"
    plan = parse_plan(table + "\n" + table + "\n" + table)
    assert [t.number for t in plan.tasks] == ["1", "2", "表1", "表2", "表1-2", "表2-2"]


def test_a_collective_with_a_note_in_brackets_carries_the_task_out():
    # The shape of COMMON's example (潮州 2019): "各县、区人民政府（管委会）负责落实，…前完成"
    (found,) = parse_plan(
        "二、主要任务\n（一）严格环境准入\n1.制定实施准入清单。根据“三线一单”制定环境准入清单。"
        "（市生态环境局牵头，市发展和改革局、工业和信息化局、市自然资源局配合，各县、区人民政府"
        "（管委会）负责落实，2019年9月30日前完成）\n"
    ).tasks
    assert (found.lead, found.support, found.implementing, found.deadline) == (
        ["市生态环境局"],
        ["市发展和改革局", "市工业和信息化局", "市自然资源局"],
        ["各县、区人民政府（管委会）"],
        "2019-09",
    )


def test_paragraphs_under_a_heading_with_units_inherit_them():
    plan = parse_plan(
        "一、主要任务\n（一）加强工业企业大气污染综合治理（省环保厅牵头）。\n"
        "全面整治燃煤小锅炉。加快推进集中供热。（省质监局配合）\n"
        "加快重点行业脱硫脱硝除尘改造。推进改造。（省经信委配合，2015年底前完成）\n"
    )
    assert [(t.number, t.lead, t.support, t.due) for t in plan.tasks] == [
        ("一(一).1", ["省环保厅"], ["省质监局"], None),
        ("一(一).2", ["省环保厅"], ["省经信委"], "2015-12"),
    ]


def test_sub_items_without_units_are_part_of_the_item_that_has_them():
    plan = parse_plan(
        "一、主要任务\n1.加强固废管理（市生态环境局牵头）。\n（1）规范贮存，到2025年，综合利用率达到60%以上。\n"
        "（2）严格转移。\n2.推进垃圾分类。全面推行。（市住建局牵头）\n"
    )
    first, second = plan.tasks
    assert (first.number, first.lead) == ("1", ["市生态环境局"])
    assert "综合利用率达到60%以上" in first.text and "严格转移" in first.text
    assert (second.number, second.lead) == ("2", ["市住建局"])


# --- Pages of law databases that start mid-document (tune/42–58) ------------------------


def test_labels_after_a_comma_and_lower_areas_in_a_responsible_list():
    # tune/57-ezhou-garden-city-field-lines-2009: "责任单位:…,完成时间:…" on one line; a street
    # office and a district in the list carry the task out; the first department leads.
    plan = parse_plan(
        "(八)环境绿化、生态防护林及绿化隔离带建设\n"
        "1、完成葛山森林公园规划及核心区域建设工作。责任单位:市林业局、西山街办、市旅游局、"
        "鄂城区,完成时间:2009年9月30日前。\n"
        "2、完成洲尾江滩防护林、长港绿化带建设。责任单位:鄂州开发区管委会、市水利局,完成时间:"
        "2009年5月10日前。3、完成鄂州大道绿化隔离带建设。责任单位:市林业局、市交通局、鄂城区、"
        "西山街办,完成时间:2009年5月10日前。\n"
    )
    assert [(t.lead, t.support, t.implementing, t.due) for t in plan.tasks] == [
        (["市林业局"], ["市旅游局"], ["西山街办", "鄂城区"], "2009-09"),
        (["市水利局"], [], ["鄂州开发区管委会"], "2009-05"),
        (["市林业局"], ["市交通局"], ["鄂城区", "西山街办"], "2009-05"),
    ]
    assert plan.tasks[2].text.startswith("完成鄂州大道绿化隔离带建设")


def test_the_first_listed_leads_when_the_plan_says_so_and_a_section_coordinator_does_not():
    # tune/55-zhejiang-air-division-first-listed-leads-2014
    plan = parse_plan(
        "浙江省大气污染防治行动计划重点工作部门分工方案\n"
        "一、加快调整能源结构(省发改委总牵头)\n(一)制订实施全省煤炭消费总量控制方案。\n"
        "1.制订煤炭消费总量中长期控制目标,实现煤炭消费总量负增长。(省经信委、省发改委(省能源局)。"
        "列第一位者为牵头部门,下同)\n"
    )
    (task,) = plan.tasks
    assert (task.lead, task.support) == (["省经信委"], ["省发改委(省能源局)"])


def test_roles_in_the_opening_clauses_leave_the_person_out():
    # tune/47-lanzhou-vice-mayor-lead-matters: no 一、 sections; the item heading is the task,
    # its paragraph opens with a vice-mayor (a person) and the units.
    plan = parse_plan(
        "1、兰州市大气污染成因及防治对策研究项目\n"
        "由吴继德副市长负责,市环保局牵头,相关部门配合,细化分工、落实责任,尽快完成项目报批。\n"
        "2、兰州城市轨道交通项目\n"
        "由吴继德副市长负责,市建设局牵头,市发改委配合,按照要求进一步修改完善项目建设方案。\n"
    )
    assert [(t.text[:8], t.lead, t.support) for t in plan.tasks] == [
        ("兰州市大气污染成", ["市环保局"], ["相关部门"]),
        ("兰州城市轨道交通", ["市建设局"], ["市发改委"]),
    ]
    # the same form with the title before the name
    (task,) = parse_plan(
        "1、污水管网项目\n由市委常委、副市长张某负责,市建委牵头,相关部门配合,尽快完成。\n"
    ).tasks
    assert (task.lead, task.support) == (["市建委"], ["相关部门"])


def test_a_sentence_after_the_bracket_names_a_person_and_the_divisions_that_carry_it_out():
    # tune/42-ningxia-env-dept-division-2010
    plan = parse_plan(
        "环保厅落实自治区党委、政府2010年环保工作主要目标任务分工\n"
        "一、落实党委2010年工作要点主要工作目标任务涉及我厅的具体任务分工(共6项)\n"
        "(一)我厅牵头的工作任务(2项)\n"
        "2、继续抓好中南部水土流失治理工程。推进农村环境综合治理(牵头单位:区环保厅)。"
        "由鲁国会、郑忠安副厅长分别负责,环境监测处、环境影响评价处和农村环境监督管理处分别落实。\n"
    )
    (task,) = plan.tasks
    assert (task.lead, task.support) == (["区环保厅"], [])
    assert task.implementing == ["环境监测处", "环境影响评价处", "农村环境监督管理处"]


def test_a_table_without_its_header_row_is_read_by_its_cells():
    # tune/45-jinan-energy-saving-table-2014: the header is on another page; merged cells
    # (类别, 责任单位) are empty below their first row and inherit it; 日常工作 is ongoing.
    plan = parse_plan(
        "节能减排\t1\t单位GDP能耗达到0.9吨标煤/万元以下\t2014年\t调整优化产业结构。\t市经济和信息化委\n"
        "\t2\t工业固废处置利用率达到90%以上\t2014年\t开展工业固废综合利用。\t\n"
        "\t5\t实施强制性清洁生产审核的企业通过验收率达到100%\t2014年\t督促企业。\t市环保局\n"
        "\t6\t严格执行国家产业政策\t日常工作\t严格执行目录。\t市经济和信息化委、市发改委\n"
    )
    assert [(t.number, t.lead, t.support, t.due) for t in plan.tasks] == [
        ("1", ["市经济和信息化委"], [], "2014-12"),
        ("2", ["市经济和信息化委"], [], "2014-12"),
        ("5", ["市环保局"], [], "2014-12"),
        ("6", ["市经济和信息化委"], ["市发改委"], "ongoing"),
    ]
    assert plan.tasks[0].text.startswith("单位GDP能耗达到0.9吨标煤/万元以下")


def test_a_name_column_a_person_column_and_two_deadline_columns():
    # tune/52-tonghua-black-odorous-water-table-2018: the water body names the task, the
    # completion (the last deadline column) is its deadline, 责任人 is a person.
    plan = parse_plan(
        "序号\t黑臭水体名称\t整治工程牵头单位\t责任人\t初见成效时限\t长制久清时限\t进展情况\n"
        "1\t玉带河\t通化市城乡建设局\t耿春峰\t2017年末\t2020年末\t完成截污纳管。\n"
    )
    (task,) = plan.tasks
    assert (task.text[:3], task.lead, task.support, task.due) == (
        "玉带河",
        ["通化市城乡建设局"],
        [],
        "2020-12",
    )


def test_duty_lines_opened_by_their_unit_are_tasks_and_the_standards_after_them_are_not():
    # tune/50-weifang-dust-unit-duties: 会同X — X supports.
    plan = parse_plan(
        "市规划局:负责白浪河河道整治等工程的扬尘污染防治。\n"
        "市公安局:负责对尾气污染严重的车辆强制安排尾气检测;会同市经贸委做好老旧汽车报废工作。\n"
        "五、标准要求\n(一)扬尘污染防治。\n"
        "1、建筑施工扬尘防治。施工现场破土处和裸地要洒水并压实,防止大风扬尘。\n"
    )
    assert [(t.text[:6], t.lead, t.support) for t in plan.tasks] == [
        ("负责白浪河河", ["市规划局"], []),
        ("负责对尾气污", ["市公安局"], ["市经贸委"]),
    ]


def test_a_year_set_for_the_work_with_yu_is_its_deadline():
    # tune/58-bijie-emission-cuts-2009
    plan = parse_plan(
        "4、进一步加大其他重点工业污染源治理力度。所有洗煤厂必须于2009年实现废水闭路循环不外排。\n"
        "责任单位:地区环保局、地区煤炭局。\n"
    )
    (task,) = plan.tasks
    assert (task.lead, task.support, task.due) == (["地区环保局"], ["地区煤炭局"], "2009-12")


def test_the_beginning_of_a_plan_with_quantified_objectives_is_read_for_them():
    # tune/43-yulin-air-targets-2019: the copy stops before the first task.
    from ecogov.domain.plantargets import plan_targets

    plan = parse_plan(
        "玉林市2019年度大气污染防治攻坚实施计划\n一、工作目标\n(一)环境空气质量目标\n"
        "2019年,全市空气质量优良天数比率不低于90.8%,PM2.5平均浓度不高于36微克/立方米。\n"
    )
    assert plan.tasks == []
    assert [(t.indicator, t.op, str(t.value)) for t, _n in plan_targets(plan)] == [
        ("空气质量优良天数比率", ">=", "90.8"),
        ("PM2.5平均浓度", "<=", "36"),
    ]


def test_a_single_line_addressed_to_a_unit_is_still_not_a_plan():
    with pytest.raises(PlanError, match="not a plan"):
        parse_plan("市环保局:我家楼下的饭店油烟很大,请尽快处理。\n谢谢。\n")


def test_a_units_heading_over_its_duties_and_a_this_task_clause():
    # Forms of the same law-database pages (no tune document carries them whole; the units
    # are those of tune/50-weifang-dust-unit-duties): "N、X负责：" with its duties as
    # sub-items, on the next lines or on the same one, and "此项工作由X牵头，Y配合".
    plan = parse_plan(
        "1、市建设局负责：(1)对旧城改造施工扬尘进行监督管理；(2)减少扬尘污染。\n"
        "2、市公安局负责：\n（1）强制安排尾气检测，2009年底前完成。\n"
    )
    assert [(t.number, t.lead, t.due) for t in plan.tasks] == [
        ("1(1)", ["市建设局"], None),
        ("1(2)", ["市建设局"], None),
        ("2(1)", ["市公安局"], "2009-12"),
    ]
    plan = parse_plan(
        "一、主要任务\n（一）加强扬尘污染防治。全面整治施工扬尘。此项工作由市建设局牵头，市规划局配合。\n"
        "（二）加强机动车尾气治理。强制安排尾气检测。此项工作由市公安局牵头。\n"
    )
    assert [(t.lead, t.support) for t in plan.tasks] == [
        (["市建设局"], ["市规划局"]),
        (["市公安局"], []),
    ]


def test_a_group_clause_gives_its_units_to_the_items_before_it():
    # "以上工作由X牵头，Y配合" after a group of items (a form named in issue 23's notes on
    # the law-database pages; the units are those of tune/50-weifang-dust-unit-duties).
    plan = parse_plan(
        "一、主要任务\n（一）扬尘污染防治。\n1.建筑施工扬尘防治。\n2.拆迁扬尘防治。\n"
        "以上工作由市建设局牵头，市规划局配合。\n（二）交通扬尘防治。\n1.车辆运输覆盖。\n"
        "以上任务由市公安局负责。\n二、保障措施\n"
    )
    assert [(t.number, t.lead, t.support) for t in plan.tasks] == [
        ("一(一)1", ["市建设局"], ["市规划局"]),
        ("一(一)2", ["市建设局"], ["市规划局"]),
        ("一(二)1", ["市公安局"], []),
    ]


def test_a_bracketed_unit_name_keeps_its_bracket_when_the_field_closes_its_own():
    text = (
        "某区大气污染防治工作方案\n一、重点任务\n"
        "1.加强扬尘管控。严格落实施工工地六个百分百。（牵头单位：区住建局；配合单位：区城管局、各街道(园区)）\n"
        "2.加强油烟治理。推进餐饮油烟净化。（牵头单位：区城管局；配合单位：区市场监管局）\n"
    )
    first, second = parse_plan(text).tasks
    assert first.support == ["区城管局", "各街道(园区)"]
    assert second.support == ["区市场监管局"]


def test_beside_a_named_lead_the_units_sharing_the_duty_support_it():
    text = (
        "吉林省空气质量改善实施方案\n一、重点任务\n"
        "1.完善重污染天气应对机制。修订应急预案。（省生态环境厅牵头，省气象局等部门按职责分工负责）\n"
        "2.提升监测能力。加强空气质量预报。（省生态环境厅、省林草局、省气象局等部门按职责分工负责）\n"
    )
    first, second = parse_plan(text).tasks
    assert (first.lead, first.support) == (["省生态环境厅"], ["省气象局"])
    assert (second.lead, second.support) == (["省生态环境厅", "省林草局", "省气象局"], [])


def test_a_page_that_opens_inside_a_section_keeps_the_items_before_its_first_heading():
    text = (
        "2.加强危险化学品的监管。对企业进行排查。由市安监局负责,市环保局配合。\n"
        "3.加强医疗垃圾管理。实行集中无害化处置。由市环保局、市卫生局牵头,各县区政府负责实施。\n"
        "三、实施步骤\n第一阶段:组织部署(2008年11月5日之前)。制订实施计划。\n"
    )
    first, second = parse_plan(text).tasks
    assert (first.number, first.lead, first.support) == ("2", ["市安监局"], ["市环保局"])
    assert (second.lead, second.implementing) == (["市环保局", "市卫生局"], ["各县区政府"])
