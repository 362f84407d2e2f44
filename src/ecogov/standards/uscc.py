"""统一社会信用代码 (unified social credit code), GB 32100-2015.

18 characters: registration authority (1), organization type (1), administrative
division code (6), organization code (9), check character (1). The alphabet has 31
characters: the digits and the capitals without I, O, Z, S and V. The check character
makes sum(value_i × 3^(i-1) mod 31) + check ≡ 0 (mod 31) over the first 17 positions.
"""

import re

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {char: value for value, char in enumerate(ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, 16, …
_SHAPE = re.compile(rf"[{ALPHABET}]{{18}}")


class InvalidCode(ValueError):
    pass


def check_character(first17: str) -> str:
    total = sum(VALUES[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalize(code: str) -> str:
    """Upper-case, without blanks; full-width letters and digits made ASCII."""
    code = code.strip().translate({0x3000: None, 0x20: None})
    code = "".join(chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c for c in code)
    return code.upper()


def validate(code: str) -> str:
    """The normalized code, or InvalidCode saying what is wrong."""
    code = normalize(code)
    if len(code) != 18:
        raise InvalidCode(f"a unified social credit code has 18 characters, not {len(code)}")
    if not _SHAPE.fullmatch(code):
        bad = sorted({c for c in code if c not in VALUES})
        raise InvalidCode(
            f"characters not used in the code: {''.join(bad)} (I, O, Z, S and V are never used)"
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise InvalidCode(f"the check character should be {expected}, not {code[17]}")
    return code


def is_valid(code: str) -> bool:
    try:
        validate(code)
    except InvalidCode:
        return False
    return True
