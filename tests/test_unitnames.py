import pytest

from ecogov.domain.unitnames import (
    expand_shared_prefix,
    guess_kind,
    is_collective,
    split_unit_list,
)


@pytest.mark.parametrize(
    "items, known, expected",
    [
        (["交警二大队", "八大队"], {"交警二大队", "交警八大队"}, ["交警二大队", "交警八大队"]),
        (
            ["市发改委", "工信局", "能源局"],
            {"市发改委", "市工信局", "市能源局"},
            ["市发改委", "市工信局", "市能源局"],
        ),
        (["区财政局", "统计局"], {"区财政局"}, ["区财政局", "统计局"]),  # unknown: as written
        ([], set(), []),
    ],
)
def test_expand_shared_prefix(items, known, expected):
    assert expand_shared_prefix(items, known) == expected


@pytest.mark.parametrize(
    "name, kind",
    [
        ("区委宣传部", "party_organ"),
        ("团区委", "party_organ"),
        ("区人民法院", "court"),
        ("总寨镇人民政府", "township_government"),
        ("南滩街道办事处", "street_office"),
        ("区自然资源和林业局", "department"),
        ("某某有限公司", "other"),
    ],
)
def test_guess_kind(name, kind):
    assert guess_kind(name) == kind


def test_split_unit_list():
    assert split_unit_list("区法院，区纪委监委，总寨镇政府、各街道办事处。") == [
        "区法院",
        "区纪委监委",
        "总寨镇政府",
        "各街道办事处",
    ]


@pytest.mark.parametrize(
    "name",
    ["各区委", "各区政府", "各县市区人民政府", "各旗区", "各有关部门", "各街道办事处", "各成员单位",
     "相关部门", "有关单位", "市直各部门", "市直相关部门", "区直有关单位", "各镇办", "镇办",
     "其他成员单位", "生态环境等部门"],
)  # fmt: skip
def test_a_collective_mention_is_not_a_unit(name):
    assert is_collective(name)


@pytest.mark.parametrize(
    "name",
    ["区政府办公室", "市生态环境局", "团区委", "区委宣传部", "总寨镇政府", "南滩街道办事处",
     "乌海供电公司", "海勃湾黄河水利枢纽管理中心", "区人民检察院"],
)  # fmt: skip
def test_a_units_own_name_is_not_a_collective_mention(name):
    assert not is_collective(name)
