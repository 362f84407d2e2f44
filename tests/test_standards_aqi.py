"""HJ 633-2012 AQI and GB 3095-2012 limits: pure functions, no database.

The tables below are typed out again from standards.md §2.1 and §4, independently of the module,
so that a typo in either shows up as a failure.
"""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from ecogov.standards import aqi as air
from ecogov.standards.aqi import (
    HJ633_2012,
    OutOfRange,
    aqi,
    exceeds_gb3095,
    gb3095_limit,
    gb3095_table_for,
    iaqi,
    table_for,
)

# HJ 633-2012 Table 1: IAQI row and every concentration column, as (pollutant, period) -> values.
IAQI_ROW = (0, 50, 100, 150, 200, 300, 400, 500)
TABLE_1 = {
    ("SO2", "24h"): (0, 50, 150, 475, 800, 1600, 2100, 2620),
    ("SO2", "1h"): (0, 150, 500, 650, 800),  # note 2: not computed above 800
    ("NO2", "24h"): (0, 40, 80, 180, 280, 565, 750, 940),
    ("NO2", "1h"): (0, 100, 200, 700, 1200, 2340, 3090, 3840),
    ("PM10", "24h"): (0, 50, 150, 250, 350, 420, 500, 600),
    ("CO", "24h"): (0, 2, 4, 14, 24, 36, 48, 60),
    ("CO", "1h"): (0, 5, 10, 35, 60, 90, 120, 150),
    ("O3", "1h"): (0, 160, 200, 300, 400, 800, 1000, 1200),
    ("O3_8h", "24h"): (0, 100, 160, 215, 265, 800),  # note 3: not computed above 800
    ("PM2.5", "24h"): (0, 35, 75, 115, 150, 250, 350, 500),
}
BREAKPOINTS = [
    pytest.param(pollutant, period, c, IAQI_ROW[i], id=f"{pollutant}-{period}-{c}")
    for (pollutant, period), column in TABLE_1.items()
    for i, c in enumerate(column)
]


# HJ 633-2012 Table 1: every breakpoint gives exactly its IAQI, in every input type.
@pytest.mark.parametrize("pollutant, period, c, expected", BREAKPOINTS)
def test_it_gives_each_breakpoint_exactly_its_iaqi(pollutant, period, c, expected):
    for value in (c, float(c), Decimal(c), Decimal(f"{c}.000"), Fraction(c), str(c)):
        assert iaqi(pollutant, value, period) == expected, value


# HJ 633-2012 Table 1, rounded up (全部进位取整): just above a breakpoint the IAQI is the next integer,
# which pins the segment that starts there; just above the top there is no IAQI.
@pytest.mark.parametrize("pollutant, period, c, expected", BREAKPOINTS)
def test_it_rounds_up_just_above_each_breakpoint(pollutant, period, c, expected):
    above = Decimal(c) + Decimal("0.001")
    if expected == IAQI_ROW[len(TABLE_1[pollutant, period]) - 1]:
        if (pollutant, period) in {("SO2", "1h"), ("O3_8h", "24h")}:
            assert iaqi(pollutant, above, period) is None
        else:
            with pytest.raises(OutOfRange):
                iaqi(pollutant, above, period)
    else:
        assert iaqi(pollutant, above, period) == expected + 1


@pytest.mark.parametrize(
    "pollutant, period, c, expected",
    [
        # standards.md §2.4 derived vectors (HJ 633-2012 Table 1, formula (1), round up)
        ("PM2.5", "24h", 35.1, 51),
        ("PM2.5", "24h", 36, 52),
        ("PM2.5", "24h", 50, 69),
        ("PM2.5", "24h", 76, 102),
        ("PM10", "24h", 88, 69),
        ("PM10", "24h", 151, 101),
        ("CO", "24h", 2.5, 63),
        ("CO", "1h", 0.8, 8),
        ("CO", "1h", 4.9, 49),
        ("O3_8h", "24h", 150, 92),
        ("O3_8h", "24h", 801, None),  # note 3: use the O3 1-hour value
        ("O3", "1h", 801, 301),
        ("SO2", "1h", 801, None),  # note 2: use the SO2 24-hour mean
        ("SO2", "24h", 100, 75),
        ("NO2", "1h", 150, 75),
        ("NO2", "24h", 81, 101),
        # A float is its decimal text: as binary fractions these three lie just above an integer
        # IAQI and would round up to 102, 53 and 2.
        ("CO", "24h", 4.2, 101),
        ("NO2", "24h", 41.6, 52),
        ("CO", "1h", 0.1, 1),
        # The smallest positive value already rounds up to 1.
        ("PM2.5", "24h", Decimal("0.001"), 1),
        # PM has no 1-hour rows; the 24-hour ones are applied (UNVERIFIED, standards.md §2.1).
        ("PM2.5", "1h", 36, 52),
        ("PM10", "1h", 88, 69),
        # O3 is always the 1-hour column, O3_8h always the 8-hour one.
        ("O3", "24h", 180, 75),
        ("O3_8h", "1h", 130, 75),
    ],
)
def test_it_matches_the_derived_vectors(pollutant, period, c, expected):
    assert iaqi(pollutant, c, period) == expected


def test_it_does_not_round_a_decimal_quotient_up_on_a_breakpoint():
    # standards.md §2.2: with Decimal, 50/35*35 = 50.00…01, which rounds up to 51.
    assert Decimal(50) / Decimal(35) * Decimal(35) > 50
    assert iaqi("PM2.5", Decimal("35"), "24h") == 50


@pytest.mark.parametrize(
    "pollutant, period, c, here, python_aqi",
    [
        # python-aqi 0.6.1 (standards.md §5, deviations 1 and 2) is not an HJ 633 oracle:
        # its EPA-style segments start at 36 ↔ 51, giving PM2.5 36 -> 51; HJ 633 gives 52.
        ("PM2.5", "24h", 36, 52, 51),
        # It truncates the input to an integer: CO 24h 2.5 -> 2 -> 50; HJ 633 gives 63.
        ("CO", "24h", 2.5, 63, 50),
        ("CO", "1h", 0.8, 8, 0),
    ],
)
def test_it_diverges_from_python_aqi_where_python_aqi_is_wrong(
    pollutant, period, c, here, python_aqi
):
    assert iaqi(pollutant, c, period) == here != python_aqi


def test_it_reproduces_the_go_aqi_worked_example():
    # go-aqi mep/mep_test.go: 1-hour values, PM on the 24-hour breakpoints -> AQI 69, PM10.
    result = aqi(
        {"PM2.5": 16, "PM10": 88, "CO": Decimal("0.2"), "SO2": 3, "NO2": 11, "O3": 75},
        period="1h",
    )
    assert result.iaqi == {"PM2.5": 23, "PM10": 69, "CO": 2, "SO2": 1, "NO2": 6, "O3": 24}
    assert (result.aqi, result.primary, result.level, result.category) == (69, ["PM10"], 2, "良")


@pytest.mark.parametrize(
    "pm25, expected, level, category, category_en, color",
    [
        # HJ 633-2012 Table 2: the AQI bands, each edge from both sides. Colours UNVERIFIED.
        (0, 0, 1, "优", "Excellent", "#00E400"),
        (35, 50, 1, "优", "Excellent", "#00E400"),
        (Decimal("35.1"), 51, 2, "良", "Good", "#FFFF00"),
        (75, 100, 2, "良", "Good", "#FFFF00"),
        (Decimal("75.5"), 101, 3, "轻度污染", "Lightly polluted", "#FF7E00"),
        (115, 150, 3, "轻度污染", "Lightly polluted", "#FF7E00"),
        (Decimal("115.1"), 151, 4, "中度污染", "Moderately polluted", "#FF0000"),
        (150, 200, 4, "中度污染", "Moderately polluted", "#FF0000"),
        (Decimal("150.1"), 201, 5, "重度污染", "Heavily polluted", "#99004C"),
        (250, 300, 5, "重度污染", "Heavily polluted", "#99004C"),
        (Decimal("250.1"), 301, 6, "严重污染", "Severely polluted", "#7E0023"),
        (500, 500, 6, "严重污染", "Severely polluted", "#7E0023"),
    ],
)
def test_it_gives_the_level_of_the_aqi(pm25, expected, level, category, category_en, color):
    result = aqi({"PM2.5": pm25})
    assert (result.aqi, result.level, result.category) == (expected, level, category)
    assert (result.category_en, result.color) == (category_en, color)


@pytest.mark.parametrize(
    "conc, primary",
    [
        # HJ 633-2012 首要污染物 (standards.md §2.2): the primary pollutant is the top IAQI, only when AQI > 50; ties all count.
        ({"PM2.5": 35, "PM10": 50}, []),  # 50 and 50: AQI 50, no primary
        ({"PM2.5": 75, "PM10": 150, "NO2": 20}, ["PM2.5", "PM10"]),  # 100 and 100
        ({"NO2": 81, "PM10": 151, "SO2": 10}, ["NO2", "PM10"]),  # 101 and 101
        ({"PM2.5": 36, "PM10": 52}, ["PM2.5"]),  # 52 and 51
    ],
)
def test_it_names_every_tied_primary_pollutant_above_50(conc, primary):
    assert aqi(conc).primary == primary


def test_it_leaves_out_what_the_standard_does_not_compute():
    # HJ 633-2012 Table 1 notes 2 and 3
    result = aqi({"SO2": 801, "O3_8h": 900, "O3": 900, "NO2": 100}, period="1h")
    assert result.iaqi == {"O3": 350, "NO2": 50}
    assert (result.aqi, result.primary) == (350, ["O3"])


def test_it_refuses_when_nothing_is_computable():
    with pytest.raises(ValueError, match="not computed"):
        aqi({"SO2": 801}, period="1h")
    with pytest.raises(ValueError, match="no concentrations"):
        aqi({})


@pytest.mark.parametrize(
    "key, name",
    [
        ("pm2.5", "PM2.5"),
        ("PM25", "PM2.5"),
        ("pm25", "PM2.5"),
        ("PM2_5", "PM2.5"),
        ("O3_8H", "O3_8h"),
        ("o3-8h", "O3_8h"),
        ("so2", "SO2"),
        (" No2 ", "NO2"),
        # HJ 212-2017 Table B.2
        ("a21026", "SO2"),
        ("a21004", "NO2"),
        ("a34002", "PM10"),
        ("a34004", "PM2.5"),
        ("a21005", "CO"),
        ("a05024", "O3"),  # from HJ 524-2009, UNVERIFIED (standards.md §1.10)
    ],
)
def test_it_accepts_aliases_and_hj212_codes(key, name):
    assert list(aqi({key: 1}).iaqi) == [name]
    assert iaqi(key, 1) == iaqi(name, 1)


def test_it_refuses_a_pollutant_given_twice_through_aliases():
    with pytest.raises(ValueError, match="PM2.5 is given twice"):
        aqi({"PM25": 10, "pm2.5": 10})


def test_it_names_the_valid_pollutants_and_periods():
    with pytest.raises(ValueError, match="unknown pollutant 'PM1'.*PM2.5"):
        iaqi("PM1", 10)
    with pytest.raises(ValueError, match="unknown period '8h'.*24h, 1h"):
        iaqi("PM2.5", 10, "8h")
    with pytest.raises(ValueError, match="no IAQI for 'TSP'"):
        aqi({"TSP": 100})


def test_it_raises_out_of_range_above_the_top_so_the_caller_decides():
    # standards.md §2.2: nothing is defined above the top; a caller may cap at 500.
    with pytest.raises(OutOfRange) as caught:
        iaqi("PM2.5", 501, "24h")
    assert isinstance(caught.value, ValueError)
    assert (caught.value.pollutant, caught.value.top) == ("PM2.5", 500)
    with pytest.raises(OutOfRange):
        aqi({"PM10": 20, "PM2.5": Decimal("500.0001")})


@pytest.mark.parametrize("bad", [-1, -0.1, Decimal("-0.001"), "-5", float("nan"), "NaN", "x"])
def test_it_refuses_negative_and_non_numbers(bad):
    with pytest.raises(ValueError):
        iaqi("PM2.5", bad)


@pytest.mark.parametrize("bad", [True, None, [1]])
def test_it_refuses_other_types(bad):
    with pytest.raises(TypeError):
        iaqi("PM2.5", bad)


def test_it_uses_the_table_in_force_on_the_day():
    assert table_for(date(2016, 1, 1)) is HJ633_2012
    assert table_for(date(2030, 1, 1)) is HJ633_2012
    with pytest.raises(ValueError, match="no AQI table is in force on 2015-12-31"):
        table_for(date(2015, 12, 31))
    with pytest.raises(ValueError):
        iaqi("PM2.5", 36, on=date(2015, 12, 31))
    assert iaqi("PM2.5", 36, on=date(2016, 1, 1)) == 52
    assert aqi({"PM2.5": 36}, on=date(2020, 5, 1)).aqi == 52


def test_the_module_table_matches_table_1():
    columns = dict(zip(TABLE_1.values(), HJ633_2012.columns.values(), strict=True))
    assert all(tuple(a) == tuple(b) for a, b in columns.items())
    assert HJ633_2012.iaqi == IAQI_ROW
    assert list(air.TABLES) == [date(2016, 1, 1)]


# GB 3095-2012 Table 1 (basic items) and Table 2 (other items): (grade 1, grade 2),
# µg/m³, CO mg/m³.
GB3095_LIMITS = {
    ("SO2", "annual"): ("20", "60"),
    ("SO2", "24h"): ("50", "150"),
    ("SO2", "1h"): ("150", "500"),
    ("NO2", "annual"): ("40", "40"),
    ("NO2", "24h"): ("80", "80"),
    ("NO2", "1h"): ("200", "200"),
    ("CO", "24h"): ("4", "4"),
    ("CO", "1h"): ("10", "10"),
    ("O3", "8h"): ("100", "160"),
    ("O3", "1h"): ("160", "200"),
    ("PM10", "annual"): ("40", "70"),
    ("PM10", "24h"): ("50", "150"),
    ("PM2.5", "annual"): ("15", "35"),
    ("PM2.5", "24h"): ("35", "75"),
    ("TSP", "annual"): ("80", "200"),
    ("TSP", "24h"): ("120", "300"),
    ("NOx", "annual"): ("50", "50"),
    ("NOx", "24h"): ("100", "100"),
    ("NOx", "1h"): ("250", "250"),
    ("Pb", "annual"): ("0.5", "0.5"),
    ("Pb", "quarterly"): ("1", "1"),
    ("BaP", "annual"): ("0.001", "0.001"),
    ("BaP", "24h"): ("0.0025", "0.0025"),
}


@pytest.mark.parametrize(
    "pollutant, averaging, grade1, grade2",
    [pytest.param(*key, *pair, id="-".join(key)) for key, pair in GB3095_LIMITS.items()],
)
def test_it_pins_every_gb3095_limit(pollutant, averaging, grade1, grade2):
    limit = Decimal(grade2)
    assert gb3095_limit(pollutant, averaging) == limit
    assert gb3095_limit(pollutant, averaging, grade=1) == Decimal(grade1)
    # A value equal to the limit does not exceed it; the smallest step above does.
    for equal in (limit, str(limit), float(limit), Fraction(limit)):
        assert not exceeds_gb3095(pollutant, equal, averaging)
    step = Decimal(1).scaleb(limit.as_tuple().exponent - 6)
    assert exceeds_gb3095(pollutant, limit + step, averaging)
    assert exceeds_gb3095(pollutant, Fraction(limit) + Fraction(1, 10**12), averaging)
    assert not exceeds_gb3095(pollutant, limit - step, averaging)


def test_it_reads_the_o3_8h_alias_as_the_8_hour_limit():
    assert gb3095_limit("O3_8h", "8h") == 160
    assert exceeds_gb3095("a05024", 201, "1h")
    with pytest.raises(ValueError, match="averaging is '8h'"):
        gb3095_limit("O3_8h", "1h")


def test_it_names_the_valid_averagings():
    with pytest.raises(ValueError, match="no 'annual' limit for CO; valid: 24h, 1h"):
        exceeds_gb3095("CO", 1, "annual")
    with pytest.raises(ValueError, match="grade must be 1 or 2"):
        gb3095_limit("CO", "1h", grade=3)
    with pytest.raises(ValueError, match="must not be negative"):
        exceeds_gb3095("CO", -1, "1h")


def test_the_gb3095_table_is_in_force_from_2016():
    assert gb3095_table_for(date(2016, 1, 1)).standard == "GB 3095-2012"
    with pytest.raises(ValueError):
        gb3095_limit("PM2.5", "24h", on=date(2015, 12, 31))
