"""How numbers and indicator names are written (ecogov.domain.notation), without a database."""

from decimal import Decimal

import pytest

from ecogov.domain.notation import formula_parts, formula_text, plain, with_unit


@pytest.mark.parametrize(
    "text, parts, flat",
    [
        # seed 004's plan as converted from PDF, and the indicator the extractor keeps
        (
            "细颗粒物(PM_{2.5})浓度",
            [("", "细颗粒物(PM"), ("sub", "2.5"), ("", ")浓度")],
            "细颗粒物(PM₂.₅)浓度",
        ),
        (
            "细颗粒物(PM2.5)浓度",
            [("", "细颗粒物(PM"), ("sub", "2.5"), ("", ")浓度")],
            "细颗粒物(PM₂.₅)浓度",
        ),
        ("PM10和NO2", [("", "PM"), ("sub", "10"), ("", "和NO"), ("sub", "2")], "PM₁₀和NO₂"),
        ("万m^{3}", [("", "万m"), ("sup", "3")], "万m³"),
        ("X_{ab}", [("", "X"), ("sub", "ab")], "Xab"),  # no Unicode subscript: written flat
        ("COD、VOCs、CO2023", [("", "COD、VOCs、CO2023")], "COD、VOCs、CO2023"),
        ("", [], ""),
    ],
)
def test_formulas_are_read_from_markup_and_from_flat_names(text, parts, flat):
    assert formula_parts(text) == parts
    assert formula_text(text) == flat


@pytest.mark.parametrize(
    "value, places, written",
    [
        (Decimal("32.200000"), None, "32.2"),
        (Decimal("100.000000"), None, "100"),
        (Decimal("30.123456"), 2, "30.12"),
        (Decimal("32.15"), 1, "32.2"),  # half up, as statistics round
        (Decimal("-0.0001"), 2, "0"),
        (None, None, ""),
    ],
)
def test_a_number_is_written_without_its_storage_zeros(value, places, written):
    assert plain(value, places) == written


def test_with_unit():
    assert with_unit(Decimal("148.300000"), "mg/L") == "148.3 mg/L"
    assert with_unit(Decimal("3"), "") == "3"
