"""统一社会信用代码 check character (GB 32100-2015)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecogov.standards.uscc import (
    ALPHABET,
    WEIGHTS,
    InvalidCode,
    check_character,
    is_valid,
    normalize,
    validate,
)


def test_the_weights_are_powers_of_three_mod_31():
    # GB 32100-2015 §4.2: 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert len(ALPHABET) == 31 and not set("IOZSV") & set(ALPHABET)


def test_the_standards_example_is_valid():
    assert validate("91350100M000100Y43") == "91350100M000100Y43"


@pytest.mark.parametrize(
    "code, message",
    [
        ("91350100M000100Y44", "check character should be 3"),
        ("91350100M000100Y4", "18 characters"),
        ("91350100M0001O0Y43", "never used"),
    ],
)
def test_invalid_codes_say_why(code, message):
    with pytest.raises(InvalidCode, match=message):
        validate(code)


def test_blanks_case_and_full_width_characters_are_normalized():
    assert normalize(" 91350100m000100y43 ") == "91350100M000100Y43"
    assert is_valid("９１３５０１００Ｍ０００１００Ｙ４３")


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17))
def test_any_body_with_its_check_character_is_valid_and_any_other_is_not(body):
    right = check_character(body)
    assert is_valid(body + right)
    wrong = ALPHABET[(ALPHABET.index(right) + 1) % 31]
    assert not is_valid(body + wrong)
