"""How numbers and indicator names are written, framework-free.

Numbers: a stored decimal carries the column's storage precision (32.100000); people
write 32.1, and a value is worth only the decimals its indicator measures (a yearly mean
of PM2.5 to 0.1 μg/m³). ``plain`` and ``with_unit`` are the one way to write a number.

Names: plan documents converted from PDF write subscripts and superscripts as TeX-like
markup ("PM_{2.5}", "m^{3}"), and the indicators the extractor keeps write the usual
formulas flat ("PM2.5", "NO2"). ``formula_parts`` reads both; a page renders the parts
as <sub>/<sup> (the template filter ``formula``), a chart label or a spreadsheet as
Unicode (``formula_text``: "PM₂.₅", "m³").
"""

import re
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["formula_parts", "formula_text", "plain", "with_unit"]


def plain(value, places: int | None = None) -> str:
    """A stored decimal as people write it: 100, 0.5, 148.3 (no trailing zeros), rounded
    to ``places`` decimals when given."""
    if value is None:
        return ""
    number = Decimal(value)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{number.normalize():f}"
    return "0" if text == "-0" else text


def with_unit(value, unit: str, places: int | None = None) -> str:
    """``plain`` and the unit: 148.3 mg/L."""
    text = plain(value, places)
    return f"{text} {unit}" if text and unit else text


# Explicit markup, "_{2.5}" and "^{3}"; and the formulas of the indicators and pollutants
# that plans and standards write flat: PM2.5, PM10, O3, NO2, SO2, CO2, NH3(-N), CH4.
_MARKUP = re.compile(
    r"(?P<mark>[_^])\{(?P<marked>[^{}]*)\}"
    r"|(?<![A-Za-z0-9.])(?P<base>PM|O|NO|SO|CO|NH|CH)(?P<index>2\.5|10|[234])(?![0-9.A-Za-z])"
)
_SUB = str.maketrans("0123456789+-=()x", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₓ")
_SUP = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
_WRITABLE = {"sub": set("0123456789+-=()x."), "sup": set("0123456789+-=()n")}


def formula_parts(text: str) -> list[tuple[str, str]]:
    """The text as (kind, text) parts, kind "" for plain text, "sub" or "sup":
    "PM_{2.5}浓度" → [("", "PM"), ("sub", "2.5"), ("", "浓度")]."""
    parts: list[tuple[str, str]] = []
    position = 0
    for match in _MARKUP.finditer(text or ""):
        if match["mark"]:
            before, kind, inner = "", "sub" if match["mark"] == "_" else "sup", match["marked"]
        else:
            before, kind, inner = match["base"], "sub", match["index"]
        parts.append(("", text[position : match.start()] + before))
        parts.append((kind, inner))
        position = match.end()
    parts.append(("", (text or "")[position:]))
    return [(kind, part) for kind, part in parts if part]


def formula_text(text: str) -> str:
    """The text in plain characters: subscripts and superscripts as Unicode where every
    character has a form ("PM₂.₅", "m³"), else written flat ("PM2.5")."""
    out = []
    for kind, part in formula_parts(text):
        if kind and set(part) <= _WRITABLE[kind]:
            part = part.translate(_SUB if kind == "sub" else _SUP)
        out.append(part)
    return "".join(out)
