import pytest

from ecogov.domain.unitnames import expand_shared_prefix, guess_kind, split_unit_list


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
