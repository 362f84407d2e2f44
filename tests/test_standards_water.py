"""GB 3838-2002 water class: pure functions, no database.

Table 1 is typed out again below from standards.md §3.1, independently of the module, so that a
typo in either shows up as a failure.
"""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from ecogov.standards.water import (
    GB3838_2002,
    HJ212_CODES,
    PARAMETERS,
    WaterClass,
    classify,
    from_hj212,
    table_for,
)

GRADES = ("I", "II", "III", "IV", "V", "劣V")

# GB 3838-2002 Table 1, "≤" rows: classes I … V, mg/L (fecal coliform 个/L).
MAXIMA = {
    "CODMn": ("2", "4", "6", "10", "15"),
    "COD": ("15", "15", "20", "30", "40"),
    "BOD5": ("3", "3", "4", "6", "10"),
    "NH3-N": ("0.15", "0.5", "1.0", "1.5", "2.0"),
    "Cu": ("0.01", "1.0", "1.0", "1.0", "1.0"),
    "Zn": ("0.05", "1.0", "1.0", "2.0", "2.0"),
    "F": ("1.0", "1.0", "1.0", "1.5", "1.5"),
    "Se": ("0.01", "0.01", "0.01", "0.02", "0.02"),
    "As": ("0.05", "0.05", "0.05", "0.1", "0.1"),
    "Hg": ("0.00005", "0.00005", "0.0001", "0.001", "0.001"),
    "Cd": ("0.001", "0.005", "0.005", "0.005", "0.01"),
    "Cr6+": ("0.01", "0.05", "0.05", "0.05", "0.1"),
    "Pb": ("0.01", "0.01", "0.05", "0.05", "0.1"),
    "CN": ("0.005", "0.05", "0.2", "0.2", "0.2"),
    "phenol": ("0.002", "0.002", "0.005", "0.01", "0.1"),
    "petroleum": ("0.05", "0.05", "0.05", "0.5", "1.0"),
    "LAS": ("0.2", "0.2", "0.2", "0.3", "0.3"),
    "sulfide": ("0.05", "0.1", "0.2", "0.5", "1.0"),
    "fecal_coliform": ("200", "2000", "10000", "20000", "40000"),
}
TP_RIVER = ("0.02", "0.1", "0.2", "0.3", "0.4")  # GB 3838-2002 Table 1 item 8
TP_LAKE = ("0.01", "0.025", "0.05", "0.1", "0.2")  # item 8, 湖、库
TN_LAKE = ("0.2", "0.5", "1.0", "1.5", "2.0")  # item 9, 湖、库
DO = ("7.5", "6", "5", "3", "2")  # item 3, "≥"; class I 饱和率90%（或7.5）

# A step far below the precision of every limit.
STEP = Decimal("1e-9")


def max_rows():
    rows = [(name, "river", limits) for name, limits in MAXIMA.items()]
    rows += [("TP", "river", TP_RIVER), ("TP", "lake", TP_LAKE), ("TN", "lake", TN_LAKE)]
    for name, waterbody, limits in rows:
        for k in range(len(limits)):
            yield pytest.param(name, waterbody, limits, k, id=f"{name}-{waterbody}-{GRADES[k]}")


# GB 3838-2002 Table 1: every "≤" limit of every class. Equal to the limit -> the best class whose
# limit admits it (COD 15 is class I, since classes I and II share 15); just above -> the class of
# the next larger limit, or 劣V above class V.
@pytest.mark.parametrize("name, waterbody, limits, k", max_rows())
def test_it_pins_every_maximum(name, waterbody, limits, k):
    limit = Decimal(limits[k])
    on_limit = GRADES[limits.index(limits[k])]
    above = next((GRADES[j] for j in range(k, 5) if Decimal(limits[j]) > limit), "劣V")
    assert classify({name: limit}, waterbody).per_parameter == {name: on_limit}
    assert classify({name: float(limit)}, waterbody).cls == on_limit
    assert classify({name: Fraction(limit)}, waterbody).cls == on_limit
    assert classify({name: limit + STEP}, waterbody).per_parameter == {name: above}


# GB 3838-2002 Table 1 item 3: dissolved oxygen is "≥", so the step goes the other way.
@pytest.mark.parametrize("k", range(5), ids=GRADES[:5])
def test_it_pins_every_dissolved_oxygen_minimum(k):
    limit = Decimal(DO[k])
    assert classify({"DO": limit}).cls == GRADES[k]
    assert classify({"DO": limit - STEP}).cls == GRADES[k + 1]
    assert classify({"DO": limit + STEP}).cls == GRADES[k]


@pytest.mark.parametrize(
    "ph, expected",
    [
        # GB 3838-2002 Table 1 item 2: 6–9 for every class, limits included.
        ("6", "I"),
        ("7.4", "I"),
        ("9", "I"),
        (Decimal(6) - STEP, "劣V"),
        (Decimal(9) + STEP, "劣V"),
        ("0", "劣V"),
        ("14", "劣V"),
    ],
)
def test_it_requires_ph_6_to_9_for_any_class(ph, expected):
    result = classify({"pH": ph})
    assert result.cls == expected
    assert result.limiting == ([] if expected == "I" else ["pH"])


def test_the_worst_class_wins_and_names_every_limiting_parameter():
    # 环办〔2011〕22号 single-factor evaluation: the worst item sets the class.
    sample = {
        "pH": "7.6",
        "DO": "6.8",  # II
        "CODMn": "5.1",  # III
        "COD": "14",  # I
        "BOD5": "2.6",  # I
        "NH3-N": "1.2",  # IV
        "TP": "0.28",  # IV (river)
        "Cu": "0.005",  # I
        "Zn": "0.02",  # I
        "F": "0.4",  # I
    }
    result = classify(sample)
    assert result == WaterClass(
        cls="IV",
        limiting=["NH3-N", "TP"],
        per_parameter={
            "pH": "I",
            "DO": "II",
            "CODMn": "III",
            "COD": "I",
            "BOD5": "I",
            "NH3-N": "IV",
            "TP": "IV",
            "Cu": "I",
            "Zn": "I",
            "F": "I",
        },
    )


def test_class_i_has_no_limiting_parameter():
    assert classify({"DO": 8, "CODMn": 1, "NH3-N": "0.1"}) == WaterClass(
        "I", [], {"DO": "I", "CODMn": "I", "NH3-N": "I"}
    )


def test_one_parameter_worse_than_v_makes_the_sample_worse_than_v():
    result = classify({"DO": "1.9", "COD": "12"})
    assert (result.cls, result.limiting) == ("劣V", ["DO"])


@pytest.mark.parametrize(
    "waterbody, expected",
    [
        # GB 3838-2002 Table 1 items 8 and 9: TP has lake/reservoir limits; TN applies to lakes
        # and reservoirs only and is skipped for rivers (left out of per_parameter).
        ("river", {"TP": "II"}),
        ("lake", {"TP": "IV", "TN": "III"}),
        ("reservoir", {"TP": "IV", "TN": "III"}),
    ],
)
def test_tp_and_tn_depend_on_the_waterbody(waterbody, expected):
    assert classify({"TP": "0.1", "TN": "0.8"}, waterbody).per_parameter == expected


def test_a_float_is_read_as_its_decimal_text():
    # 0.1 as a binary float is 0.1000000000000000055…, which would be river class III.
    assert Fraction(0.1) > Fraction(1, 10)
    assert classify({"TP": 0.1}).cls == "II"


def test_water_temperature_is_accepted_and_not_classified():
    # GB 3838-2002 Table 1 item 1 limits man-made change, not the value.
    assert classify({"水温": 31, "DO": 8}).per_parameter == {"DO": "I"}
    assert classify({"w01010": 31, "DO": 8}).per_parameter == {"DO": "I"}


@pytest.mark.parametrize(
    "key, name",
    [
        ("pH值", "pH"),
        ("PH", "pH"),
        ("溶解氧", "DO"),
        ("高锰酸盐指数", "CODMn"),
        ("化学需氧量", "COD"),
        ("五日生化需氧量", "BOD5"),
        ("氨氮", "NH3-N"),
        ("nh3-n", "NH3-N"),
        ("总磷", "TP"),
        ("铜", "Cu"),
        ("锌", "Zn"),
        ("氟化物", "F"),
        ("硒", "Se"),
        ("砷", "As"),
        ("汞", "Hg"),
        ("镉", "Cd"),
        ("铬（六价）", "Cr6+"),
        ("六价铬", "Cr6+"),
        ("铅", "Pb"),
        ("氰化物", "CN"),
        ("挥发酚", "phenol"),
        ("石油类", "petroleum"),
        ("阴离子表面活性剂", "LAS"),
        ("硫化物", "sulfide"),
        ("粪大肠菌群", "fecal_coliform"),
        # HJ 212-2017 Table B.1 codes whose default unit is mg/L
        ("w01001", "pH"),
        ("w01009", "DO"),
        ("w01019", "CODMn"),
        ("w01018", "COD"),
        ("w01017", "BOD5"),
        ("w21003", "NH3-N"),
        ("w21011", "TP"),
        ("w20138", "Cu"),
        ("w20122", "Cu"),
        ("w20139", "Zn"),
        ("w20123", "Zn"),
        ("w21017", "F"),
        ("w20140", "Se"),
        ("w20141", "As"),
        ("w20144", "Pb"),
        ("w21016", "CN"),
        ("w23002", "phenol"),
        ("w22001", "petroleum"),
        ("w19002", "LAS"),
        ("w21019", "sulfide"),
        ("w02003", "fecal_coliform"),
    ],
)
def test_it_accepts_chinese_names_and_mg_per_litre_codes(key, name):
    assert list(classify({key: "7"}).per_parameter) == [name]


def test_total_nitrogen_by_chinese_name_and_code_counts_for_lakes():
    assert classify({"总氮": "0.5", "DO": 8}, "lake").per_parameter == {"TN": "II", "DO": "I"}
    assert classify({"w21001": "0.5"}, "lake").cls == "II"


@pytest.mark.parametrize(
    "code", ["w20111", "w20115", "w20117", "w20119", "w20120", "w20128", "w20142", "w20143"]
)
def test_it_refuses_codes_reported_in_micrograms(code):
    # HJ 212-2017 Table B.1 default unit µg/L, GB 3838 in mg/L: no silent conversion.
    with pytest.raises(ValueError, match=f"{code}.*µg/L.*from_hj212"):
        classify({code: "0.05"})


@pytest.mark.parametrize(
    "code, value, name, mg_per_litre",
    [
        # HJ 212-2017 Table B.1 µg/L codes -> mg/L
        ("w20111", "0.05", "Hg", Decimal("0.00005")),
        ("w20142", "0.1", "Hg", Decimal("0.0001")),
        ("w20115", "1", "Cd", Decimal("0.001")),
        ("w20143", "5", "Cd", Decimal("0.005")),
        ("w20117", "50", "Cr6+", Decimal("0.05")),
        ("w20119", "50", "As", Decimal("0.05")),
        ("w20120", "10", "Pb", Decimal("0.01")),
        ("w20128", "10", "Se", Decimal("0.01")),
        # mg/L codes are unchanged
        ("w20144", "0.01", "Pb", Decimal("0.01")),
        ("w21003", 0.5, "NH3-N", Decimal("0.5")),
        ("w02003", 2000, "fecal_coliform", Decimal("2000")),
    ],
)
def test_from_hj212_converts_to_milligrams_per_litre(code, value, name, mg_per_litre):
    assert from_hj212({code: value}) == {name: mg_per_litre}


def test_from_hj212_output_classifies_on_the_limit():
    # Hg 0.05 µg/L is exactly the class I/II limit 0.00005 mg/L.
    assert classify(from_hj212({"w20111": "0.05", "w01001": "7.1"})).cls == "I"
    assert classify(from_hj212({"w20111": "0.06"})).cls == "III"


def test_from_hj212_takes_a_unit_override_and_refuses_unknown_codes():
    assert from_hj212({"w20111": "0.0001"}, units={"w20111": "mg/L"}) == {"Hg": Decimal("0.0001")}
    with pytest.raises(ValueError, match="w00000"):
        from_hj212({"w00000": 3, "w01009": 8})
    assert from_hj212({"w00000": 3, "w01009": 8}, ignore_unknown=True) == {"DO": Decimal(8)}
    with pytest.raises(ValueError, match="Hg is given twice"):
        from_hj212({"w20111": 1, "w20142": 1})
    with pytest.raises(ValueError, match="unit 'g/L'"):
        from_hj212({"w20111": 1}, units={"w20111": "g/L"})


def test_it_names_unknown_parameters():
    with pytest.raises(ValueError, match="'turbidity', 'w01012'"):
        classify({"DO": 8, "turbidity": 3, "w01012": 20})


@pytest.mark.parametrize(
    "sample, message",
    [
        ({"DO": 8, "溶解氧": 8}, "DO is given twice"),
        ({"DO": -1}, "must not be negative"),
        ({"DO": "abc"}, "not a number"),
        ({"DO": float("inf")}, "not a finite number"),
        ({}, "nothing to classify"),
        ({"TN": 1}, "nothing to classify"),  # TN alone in a river
    ],
)
def test_it_refuses_bad_samples(sample, message):
    with pytest.raises(ValueError, match=message):
        classify(sample)


def test_it_refuses_an_unknown_waterbody():
    with pytest.raises(ValueError, match="valid: river, lake, reservoir"):
        classify({"DO": 8}, "sea")


def test_it_uses_the_table_in_force_on_the_day():
    assert table_for(date(2002, 6, 1)) is GB3838_2002
    with pytest.raises(ValueError, match="2002-05-31"):
        classify({"DO": 8}, on=date(2002, 5, 31))


def test_the_module_table_matches_table_1():
    river = GB3838_2002.items_for("river")
    lake = GB3838_2002.items_for("lake")
    for name, limits in MAXIMA.items():
        assert river[name].limits == tuple(map(Decimal, limits)) == lake[name].limits
    assert river["TP"].limits == tuple(map(Decimal, TP_RIVER))
    assert lake["TP"].limits == tuple(map(Decimal, TP_LAKE))
    assert lake["TN"].limits == tuple(map(Decimal, TN_LAKE)) and "TN" not in river
    assert river["DO"].limits == tuple(map(Decimal, DO))
    assert set(river) | {"TN"} == set(PARAMETERS)
    assert {name for name, _ in HJ212_CODES.values()} == set(PARAMETERS) | {"temperature"}
