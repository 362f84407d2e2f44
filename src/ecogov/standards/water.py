"""GB 3838-2002 surface-water quality class (地表水环境质量标准), single-factor evaluation.

Pure standard library, no Django, no I/O. Glossary: 水质类别 = water class (I … V, 劣V = worse
than V); 单因子评价 = single-factor evaluation; 基本项目 = basic items (Table 1); 湖、库 = lakes and
reservoirs.

Units: mg/L, except pH (dimensionless) and fecal coliform (个/L). ``classify`` takes those units
only. HJ 212-2017 reports several metals in µg/L by default, so a value keyed by such a code is
refused by ``classify``; ``from_hj212`` converts HJ 212 codes and units to what ``classify``
takes. Nothing is converted silently.

Comparisons are exact: limits are Decimals, a measurement is read as the number its decimal text
denotes (a float 0.1 is 1/10, not 0.1000000000000000055...).

Tables are versioned by the day they come into force (``TABLES``); a revision is a new table.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Context, Decimal, Inexact, InvalidOperation
from fractions import Fraction
from types import MappingProxyType

__all__ = [
    "CLASSES",
    "GRADES",
    "GB3838_2002",
    "HJ212_CODES",
    "PARAMETERS",
    "TABLES",
    "WORSE_THAN_V",
    "Item",
    "WaterClass",
    "WaterTable",
    "classify",
    "from_hj212",
    "table_for",
]

CLASSES = ("I", "II", "III", "IV", "V")
WORSE_THAN_V = "劣V"
_GRADES = GRADES = (*CLASSES, WORSE_THAN_V)  # best first; a class's number is its place
_WATERBODIES = {"river": "river", "lake": "lake", "reservoir": "lake"}

# The English short names, in the order of GB 3838-2002 Table 1.
PARAMETERS = (
    "pH",
    "DO",
    "CODMn",
    "COD",
    "BOD5",
    "NH3-N",
    "TP",
    "TN",
    "Cu",
    "Zn",
    "F",
    "Se",
    "As",
    "Hg",
    "Cd",
    "Cr6+",
    "Pb",
    "CN",
    "phenol",
    "petroleum",
    "LAS",
    "sulfide",
    "fecal_coliform",
)
# Table 1 item 1: the water-temperature limit is on man-made change (weekly mean rise <= 1 °C,
# fall <= 2 °C), not on a value, so a temperature is accepted and not classified.
_NOT_CLASSIFIED = "temperature"


@dataclass(frozen=True, slots=True)
class Item:
    """One row of GB 3838 Table 1.

    ``kind``: "max" (value <= limit, the usual ≤ rows), "min" (value >= limit: dissolved oxygen)
    or "range" (low <= value <= high for every class: pH). ``limits``: classes I … V, or
    (low, high) for "range". ``waterbodies``: where the row applies ("river", "lake").
    """

    name: str
    kind: str
    limits: tuple[Decimal, ...]
    waterbodies: frozenset[str] = frozenset({"river", "lake"})


@dataclass(frozen=True)
class WaterTable:
    standard: str
    effective: date
    items: tuple[Item, ...]

    def __post_init__(self) -> None:
        by_waterbody: dict[str, dict[str, Item]] = {"river": {}, "lake": {}}
        for item in self.items:
            if item.kind not in ("max", "min", "range"):
                raise ValueError(f"{item.name}: unknown kind {item.kind!r}")
            for waterbody in item.waterbodies:
                if item.name in by_waterbody[waterbody]:
                    raise ValueError(f"{item.name} is given twice for {waterbody}")
                by_waterbody[waterbody][item.name] = item
        object.__setattr__(self, "_by_waterbody", by_waterbody)

    def items_for(self, waterbody: str) -> Mapping[str, Item]:
        return MappingProxyType(self._by_waterbody[_waterbody(waterbody)])


def _row(name: str, kind: str, *limits: str, waterbodies=("river", "lake")) -> Item:
    return Item(name, kind, tuple(Decimal(v) for v in limits), frozenset(waterbodies))


GB3838_2002 = WaterTable(
    standard="GB 3838-2002",
    # Issued 2002-04-28, in force 2002-06-01.
    effective=date(2002, 6, 1),
    # GB 3838-2002 Table 1 (地表水环境质量标准基本项目标准限值), classes I … V, mg/L unless noted.
    # Cross-checked in two transcriptions (standards.md §3.1); the PDF was not read.
    items=(
        _row("pH", "range", "6", "9"),  # 6~9 for every class
        # DO is "≥". Class I is printed 饱和率90%（或7.5）: saturation 90 % or 7.5 mg/L. Only
        # 7.5 mg/L is used here (no temperature or salinity is at hand to compute saturation),
        # as other implementations do.
        _row("DO", "min", "7.5", "6", "5", "3", "2"),
        _row("CODMn", "max", "2", "4", "6", "10", "15"),
        _row("COD", "max", "15", "15", "20", "30", "40"),
        _row("BOD5", "max", "3", "3", "4", "6", "10"),
        _row("NH3-N", "max", "0.15", "0.5", "1.0", "1.5", "2.0"),
        # Total phosphorus (以P计) has separate limits for lakes and reservoirs (湖、库).
        _row("TP", "max", "0.02", "0.1", "0.2", "0.3", "0.4", waterbodies=("river",)),
        _row("TP", "max", "0.01", "0.025", "0.05", "0.1", "0.2", waterbodies=("lake",)),
        # Total nitrogen is a lake-and-reservoir item (湖、库, 以N计); for rivers it is skipped.
        _row("TN", "max", "0.2", "0.5", "1.0", "1.5", "2.0", waterbodies=("lake",)),
        _row("Cu", "max", "0.01", "1.0", "1.0", "1.0", "1.0"),
        _row("Zn", "max", "0.05", "1.0", "1.0", "2.0", "2.0"),
        _row("F", "max", "1.0", "1.0", "1.0", "1.5", "1.5"),  # 氟化物（以F⁻计）
        _row("Se", "max", "0.01", "0.01", "0.01", "0.02", "0.02"),
        _row("As", "max", "0.05", "0.05", "0.05", "0.1", "0.1"),
        _row("Hg", "max", "0.00005", "0.00005", "0.0001", "0.001", "0.001"),
        _row("Cd", "max", "0.001", "0.005", "0.005", "0.005", "0.01"),
        _row("Cr6+", "max", "0.01", "0.05", "0.05", "0.05", "0.1"),
        _row("Pb", "max", "0.01", "0.01", "0.05", "0.05", "0.1"),
        _row("CN", "max", "0.005", "0.05", "0.2", "0.2", "0.2"),
        _row("phenol", "max", "0.002", "0.002", "0.005", "0.01", "0.1"),
        _row("petroleum", "max", "0.05", "0.05", "0.05", "0.5", "1.0"),
        _row("LAS", "max", "0.2", "0.2", "0.2", "0.3", "0.3"),
        _row("sulfide", "max", "0.05", "0.1", "0.2", "0.5", "1.0"),
        # 个/L. The 2011 evaluation rules (环办〔2011〕22号) leave fecal coliform, TN and water
        # temperature out of the section class (UNVERIFIED, standards.md §3.2); GB 3838 Table 1
        # lists it, so it is classified when given. Leave it out of the input to follow 22号.
        _row("fecal_coliform", "max", "200", "2000", "10000", "20000", "40000"),
    ),
)

TABLES: Mapping[date, WaterTable] = MappingProxyType({GB3838_2002.effective: GB3838_2002})


def table_for(day: date) -> WaterTable:
    """The GB 3838 table in force on ``day``."""
    in_force = [effective for effective in TABLES if effective <= day]
    if not in_force:
        raise ValueError(f"no surface-water table is in force on {day.isoformat()}")
    return TABLES[max(in_force)]


# ---------------------------------------------------------------------------------------------
# Names and HJ 212 codes

# HJ 212-2017 Table B.1 codes for the Table 1 items, with the default unit printed there.
# Pairs such as w20138 / w20122 are the newer and the older code (铜 / 总铜) of one GB 3838 item.
HJ212_CODES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "w01001": ("pH", "1"),
        "w01009": ("DO", "mg/L"),
        "w01010": (_NOT_CLASSIFIED, "°C"),
        "w01019": ("CODMn", "mg/L"),
        "w01018": ("COD", "mg/L"),
        "w01017": ("BOD5", "mg/L"),
        "w21003": ("NH3-N", "mg/L"),
        "w21011": ("TP", "mg/L"),
        "w21001": ("TN", "mg/L"),
        "w20138": ("Cu", "mg/L"),
        "w20122": ("Cu", "mg/L"),
        "w20139": ("Zn", "mg/L"),
        "w20123": ("Zn", "mg/L"),
        "w21017": ("F", "mg/L"),
        "w20140": ("Se", "mg/L"),
        "w20128": ("Se", "µg/L"),
        "w20141": ("As", "mg/L"),
        "w20119": ("As", "µg/L"),
        "w20142": ("Hg", "µg/L"),
        "w20111": ("Hg", "µg/L"),
        "w20143": ("Cd", "µg/L"),
        "w20115": ("Cd", "µg/L"),
        "w20117": ("Cr6+", "µg/L"),
        "w20144": ("Pb", "mg/L"),
        "w20120": ("Pb", "µg/L"),
        "w21016": ("CN", "mg/L"),
        "w23002": ("phenol", "mg/L"),
        "w22001": ("petroleum", "mg/L"),
        "w19002": ("LAS", "mg/L"),
        "w21019": ("sulfide", "mg/L"),
        "w02003": ("fecal_coliform", "个/L"),
    }
)

_CHINESE = {
    "pH值": "pH",
    "溶解氧": "DO",
    "高锰酸盐指数": "CODMn",
    "化学需氧量": "COD",
    "五日生化需氧量": "BOD5",
    "氨氮": "NH3-N",
    "总磷": "TP",
    "总氮": "TN",
    "铜": "Cu",
    "锌": "Zn",
    "氟化物": "F",
    "硒": "Se",
    "砷": "As",
    "汞": "Hg",
    "镉": "Cd",
    "铬（六价）": "Cr6+",
    "铬(六价)": "Cr6+",
    "六价铬": "Cr6+",
    "铅": "Pb",
    "氰化物": "CN",
    "挥发酚": "phenol",
    "石油类": "petroleum",
    "阴离子表面活性剂": "LAS",
    "硫化物": "sulfide",
    "粪大肠菌群": "fecal_coliform",
    "水温": _NOT_CLASSIFIED,
}
_ENGLISH_ALIASES = {
    "codcr": "COD",
    "nh3n": "NH3-N",
    "nh3_n": "NH3-N",
    "cr(vi)": "Cr6+",
    "cr6": "Cr6+",
    "volatile_phenol": "phenol",
    "fecal coliform": "fecal_coliform",
    "water_temperature": _NOT_CLASSIFIED,
    "temperature": _NOT_CLASSIFIED,
}
# Keys are matched case-insensitively (no two English names differ only in case).
_NAMES = {name.lower(): name for name in PARAMETERS}
_NAMES.update(_ENGLISH_ALIASES)
_NAMES.update(_CHINESE)
_NAMES.update((code, name) for code, (name, unit) in HJ212_CODES.items() if unit != "µg/L")
_NAMES.update({name: name for name in PARAMETERS})
_MICROGRAM_CODES = {code: name for code, (name, unit) in HJ212_CODES.items() if unit == "µg/L"}


def _parameter(key) -> str | None:
    """The English short name of ``key``, or None if unknown."""
    name = _NAMES.get(key)
    if name is None and type(key) is str:
        name = _NAMES.get(key.strip().lower()) or _NAMES.get(key.strip())
    return name


def _exact(value):
    """``value`` as a Decimal (or Fraction), reading floats as their decimal text."""
    kind = type(value)
    if kind is Decimal or kind is int:
        number = value
    elif kind is float:
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        # repr() is the shortest text that reads back as the same float: the value as measured.
        number = Decimal(repr(value))
    elif isinstance(value, Fraction):
        number = value
    elif kind is str:
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"not a number: {value!r}") from None
    elif isinstance(value, bool):
        raise TypeError(f"a measurement cannot be a bool: {value!r}")
    elif isinstance(value, int | Decimal):
        number = Decimal(value)
    else:
        raise TypeError(f"a measurement must be int, float, Decimal, Fraction or str: {value!r}")
    if type(number) is Decimal and not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    if number < 0:
        raise ValueError(f"a measurement must not be negative: {value!r}")
    return number


def _waterbody(waterbody: str) -> str:
    key = _WATERBODIES.get(waterbody)
    if key is None:
        raise ValueError(f"unknown waterbody {waterbody!r}; valid: {', '.join(_WATERBODIES)}")
    return key


# ---------------------------------------------------------------------------------------------
# Classification


@dataclass(frozen=True, slots=True)
class WaterClass:
    """The class of one sample (GB 3838-2002, single-factor evaluation)."""

    cls: str  # "I" … "V" or "劣V"
    limiting: list[str]  # the parameters whose class is the sample's class; [] for class I
    per_parameter: dict[str, str]  # each classified parameter's own class, in the order given


def _grade(item: Item, value) -> int:
    """Index into _GRADES of ``value`` for ``item``; limits are inclusive."""
    limits = item.limits
    if item.kind == "max":
        for index, limit in enumerate(limits):
            if value <= limit:
                return index
        return 5
    if item.kind == "min":
        for index, limit in enumerate(limits):
            if value >= limit:
                return index
        return 5
    # pH: GB 3838-2002 Table 1 item 2 gives 6~9 for every class, so a pH in range meets class I
    # and a pH outside it meets none.
    return 0 if limits[0] <= value <= limits[1] else 5


def classify(
    measurements: Mapping[str, object], waterbody: str = "river", *, on: date | None = None
) -> WaterClass:
    """The GB 3838-2002 class of a sample: every parameter's own class, and the worst wins.

    ``measurements``: parameter -> value in mg/L (pH dimensionless, fecal coliform 个/L). Keys may
    be English short names (``PARAMETERS``, case-insensitive), Chinese names, or HJ 212 codes whose
    default unit is mg/L; a µg/L code (e.g. w20111 Hg) is refused: convert with ``from_hj212``.
    ``waterbody``: "river", "lake" or "reservoir" (lakes and reservoirs share the TP and TN rows).

    Limits are inclusive (a value equal to a class limit is in that class); DO is "≥"; pH must be
    6–9 for any class. Total nitrogen is evaluated for lakes and reservoirs only and is skipped
    (absent from ``per_parameter``) for rivers; water temperature is never classified. Raises
    ValueError naming unknown parameters, a parameter given twice, a negative value, or a sample
    with nothing to classify.
    """
    table = table_for(date.today() if on is None else on)
    items = table._by_waterbody[_waterbody(waterbody)]
    unknown = []
    in_micrograms = []
    grades: dict[str, int] = {}
    seen: set[str] = set()
    for key, value in measurements.items():
        name = _parameter(key)
        if name is None:
            if key in _MICROGRAM_CODES:
                in_micrograms.append(key)
            else:
                unknown.append(key)
            continue
        if name in seen:
            raise ValueError(f"{name} is given twice (check names, codes and aliases)")
        seen.add(name)
        number = _exact(value)
        item = items.get(name)
        if item is None:  # temperature; TN in a river
            continue
        grades[name] = _grade(item, number)
    if in_micrograms:
        raise ValueError(
            f"{', '.join(map(str, in_micrograms))}: HJ 212-2017 reports these in µg/L by default "
            "and GB 3838-2002 is in mg/L; convert with from_hj212() first"
        )
    if unknown:
        raise ValueError(
            f"unknown water parameter(s): {', '.join(map(repr, unknown))}; "
            f"valid: {', '.join(PARAMETERS)}, their Chinese names or HJ 212 codes"
        )
    if not grades:
        raise ValueError(f"nothing to classify for a {waterbody}: {list(measurements)!r}")
    # 环办〔2011〕22号: the class is set by the item with the worst class (单因子评价法).
    worst = max(grades.values())
    return WaterClass(
        cls=_GRADES[worst],
        limiting=[name for name, grade in grades.items() if grade == worst] if worst else [],
        per_parameter={name: _GRADES[grade] for name, grade in grades.items()},
    )


_UNITS = {"mg/l": 1, "µg/l": 1000, "ug/l": 1000, "μg/l": 1000}


def from_hj212(
    values: Mapping[str, object],
    *,
    units: Mapping[str, str] | None = None,
    ignore_unknown: bool = False,
) -> dict[str, Decimal]:
    """HJ 212 codes and their default units -> English names and the units ``classify`` takes.

    Each value is converted with the default unit of its code in HJ 212-2017 Table B.1
    (``HJ212_CODES``): µg/L values are divided by 1000 to give mg/L. ``units`` overrides the unit
    of a code ("mg/L" or "µg/L") for a device configured otherwise. Codes outside GB 3838 Table 1
    (flow w00000, suspended solids w01012, …) raise ValueError unless ``ignore_unknown``.
    """
    units = dict(units or {})
    converted: dict[str, Decimal] = {}
    unknown = []
    for code, value in values.items():
        entry = HJ212_CODES.get(code.strip().lower() if type(code) is str else code)
        if entry is None:
            unknown.append(code)
            continue
        name, unit = entry
        unit = units.pop(code, unit)
        divisor = _UNITS.get(unit.lower(), None) if unit not in ("1", "°C", "个/L") else 1
        if divisor is None:
            raise ValueError(f"{code}: unit {unit!r} is not one of mg/L, µg/L")
        if name in converted:
            raise ValueError(
                f"{code}: {name} is given twice (check code pairs such as w20111 and w20142)"
            )
        number = _exact(value)
        if isinstance(number, Fraction):
            number = _fraction_to_decimal(code, number)
        converted[name] = Decimal(number).scaleb(-3) if divisor == 1000 else Decimal(number)
    if unknown and not ignore_unknown:
        raise ValueError(
            f"HJ 212 code(s) not in GB 3838-2002 Table 1: {', '.join(map(repr, unknown))}"
        )
    if units:
        raise ValueError(f"units given for codes that were not converted: {', '.join(units)}")
    return converted


def _fraction_to_decimal(code: str, number: Fraction) -> Decimal:
    context = Context(prec=100, traps=[Inexact])
    try:
        return context.divide(Decimal(number.numerator), Decimal(number.denominator))
    except Inexact:
        raise ValueError(f"{code}: {number} has no exact decimal value") from None
