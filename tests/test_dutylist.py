"""The duty-list parser against seed 000 and against what breaks it. No database."""

import datetime

import pytest

from ecogov.domain.dutylist import DutyListError, parse_duty_list, split_clauses
from ecogov.domain.textfile import read_text
from ecogov.org.sample import DUTY_LIST

SEED = read_text(DUTY_LIST)

# Seed 000 §二: the member units in the order the document lists them.
MEMBERS = [
    "区政府办公室",
    "区生态环境局",
    "区发展改革和工业信息化局",
    "区自然资源局",
    "区城乡建设局",
    "区农业农村和扶贫开发局",
    "区文体旅游科技局",
    "区城市管理综合行政执法局",
    "区市政公用服务中心",
    "区卫生健康局",
    "区市场监督管理局",
    "区应急管理局",
    "城中公安分局",
    "交警二大队",
    "交警八大队",
    "区财政局",
    "区统计局",
    "区审计局",
    "区人民检察院",
    "区法院",
    "区纪委监委",
    "总寨镇政府",
    "各街道办事处",
]


@pytest.fixture(scope="module")
def document():
    return parse_duty_list(SEED)


def units(document):
    return {unit.name: unit for unit in document.units}


def test_it_reads_the_23_member_units_in_order(document):
    assert [unit.name for unit in document.units] == MEMBERS


def test_it_reads_the_document_metadata(document):
    assert document.issuer == "西宁市城中区人民政府办公室"
    assert document.doc_number == "城中政办〔2021〕18号"
    assert document.title == "西宁市城中区生态环境保护协调议事机制（试行）"
    assert document.date == datetime.date(2021, 5, 7)
    assert document.jurisdiction_path == ["西宁市", "城中区"]


@pytest.mark.parametrize(
    "name, kind",
    [
        ("区政府办公室", "government_office"),
        ("区生态环境局", "department"),
        ("区市政公用服务中心", "centre"),
        ("区法院", "court"),
        ("区人民检察院", "procuratorate"),
        ("城中公安分局", "police"),
        ("交警八大队", "police"),
        ("区纪委监委", "discipline_commission"),
        ("总寨镇政府", "township_government"),
        ("各街道办事处", "street_office"),
    ],
)
def test_it_knows_each_kind_of_unit(document, name, kind):
    assert units(document)[name].kind == kind


def test_it_gives_both_traffic_brigades_the_shared_paragraph(document):
    # Seed 000 §三: "交警二大队、八大队：配合生态环境部门开展机动车尾气排放监督管理…"
    second, eighth = units(document)["交警二大队"], units(document)["交警八大队"]
    assert [c.text for c in second.duties] == [c.text for c in eighth.duties]
    assert second.duties[0].text.startswith("配合生态环境部门开展机动车尾气排放监督管理")
    assert len(second.duties) == 2


def test_it_gives_townships_and_streets_the_paragraph_of_all_zhenban(document):
    # "各镇办：" stands for 总寨镇政府 and 各街道办事处.
    township, streets = units(document)["总寨镇政府"], units(document)["各街道办事处"]
    assert [c.text for c in township.duties] == [c.text for c in streets.duties]
    assert len(township.duties) == 6
    assert "建立污染源基础数据库并及时更新" in township.duties[1].text


def test_it_joins_sentences_split_by_page_breaks(document):
    development = units(document)["区发展改革和工业信息化局"]
    assert development.duties[0].text == (
        "落实全区协调发展战略任务，建立健全区域协调发展机制，促进区域协调发展向更高水平和更高质量迈进；"
    )
    urban = units(document)["区城市管理综合行政执法局"]
    assert urban.duties[-1].text == "督促餐饮服务经营者对餐厨废弃物及餐饮油烟、废水进行规范处置。"


def test_it_splits_a_paragraph_into_its_clauses(document):
    bureau = units(document)["区生态环境局"]
    duty_texts = [c.text for c in bureau.duties if c.section == "三、工作职责"]
    assert len(duty_texts) == 11
    assert duty_texts[2] == "牵头组织协调开展全区大气污染防治工作；"


def test_it_keeps_the_line_on_which_each_clause_starts(document):
    construction = units(document)["区城乡建设局"]
    lines = SEED.splitlines()
    for clause in construction.duties:
        assert clause.text[:4] in lines[clause.line - 1]


def test_it_gives_the_discipline_commission_its_supervision_duty(document):
    # Seed 000 §四.(二).3 is the commission's only duty in the document.
    (duty,) = units(document)["区纪委监委"].duties
    assert duty.section == "四、工作保障"
    assert duty.text.startswith("协调议事会议邀请区纪委监委参加")
    assert duty.text.endswith("进行监督。")


def test_it_records_who_convenes_which_meeting(document):
    # Seed 000 §四.(一): the bureau convenes daily meetings, the office the annual one.
    bureau = [c.text for c in units(document)["区生态环境局"].duties]
    office = [c.text for c in units(document)["区政府办公室"].duties]
    assert any("会议由区生态环境局组织召开" in text for text in bureau)
    assert any("会议由区政府办公室组织各成员单位召开" in text for text in office)


def test_every_unit_has_duties(document):
    assert all(unit.duties for unit in document.units)
    assert document.warnings == ()


def test_it_names_the_line_of_an_unknown_unit():
    text = SEED.replace("区财政局：加大", "区教育局：加大")
    with pytest.raises(DutyListError) as error:
        parse_duty_list(text)
    assert (
        error.value.line
        == SEED.splitlines().index(
            next(line for line in SEED.splitlines() if line.startswith("区财政局："))
        )
        + 1
    )
    assert "区教育局" in str(error.value)


def test_it_refuses_a_document_without_member_units():
    with pytest.raises(DutyListError, match="成员单位") as error:
        parse_duty_list("关于印发某方案的通知\n\n一、总体要求\n做好工作。\n")
    assert error.value.line == 1


def test_it_refuses_a_member_list_entry_that_is_no_unit():
    text = SEED.replace("区统计局、区审计局", "区统计局、认真贯彻落实")
    with pytest.raises(DutyListError, match="认真贯彻落实") as error:
        parse_duty_list(text)
    assert (
        "认真贯彻落实"
        in SEED.replace("区统计局、区审计局", "区统计局、认真贯彻落实").splitlines()[
            error.value.line - 1
        ]
    )


def test_it_refuses_text_before_the_first_duty_paragraph():
    text = SEED.replace("三、工作职责\n", "三、工作职责\n\n各单位要高度重视。\n")
    with pytest.raises(DutyListError, match="first duty paragraph"):
        parse_duty_list(text)


def test_it_refuses_binary_files():
    with pytest.raises(DutyListError):
        parse_duty_list("\x00\x01")


@pytest.mark.parametrize(
    "paragraph, clauses",
    [
        ("甲；乙。", ["甲；", "乙。"]),
        ("做好畜禽养殖禁（限）养区划定；推进。", ["做好畜禽养殖禁（限）养区划定；", "推进。"]),
        ("推进“无废城市；建设”；完善", ["推进“无废城市；建设”；", "完善"]),
        ("", []),
        ("。；", []),
    ],
)
def test_split_clauses(paragraph, clauses):
    assert split_clauses(paragraph) == clauses
    assert "".join(clauses) == paragraph.strip("。；") or "".join(clauses) == paragraph
