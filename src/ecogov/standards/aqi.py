"""HJ 633-2012 air quality index (AQI) and GB 3095-2012 ambient air quality limits.

Pure standard library, no Django, no I/O. Glossary: 空气质量分指数 IAQI = individual AQI of one
pollutant; 首要污染物 = primary pollutant; 日报 = daily report (24-hour means); 实时报 = real-time
report (1-hour means).

Units: µg/m³ for every pollutant except CO, which is in mg/m³ (HJ 633-2012 Table 1, GB 3095-2012
Table 1).

Arithmetic is exact. A concentration is read as the fraction its decimal text denotes (a float
35.1 is 351/10, not the binary value 35.100000000000001...), the slope of each segment is a
Fraction computed once, and the interpolation runs on integer numerators and denominators,
which is what Fraction does internally without the object overhead. A concentration exactly on a
breakpoint therefore gives exactly that breakpoint's IAQI; with Decimal, 50/35*35 would be
50.000...01 and round up to 51.

Tables are versioned by the day they come into force (``TABLES``, ``GB3095_TABLES``). A revision
is a new table with its own date, never an edit: the MEE published a draft revision of HJ 633-2012
and GB 3095-2012 on 2025-12-15, which is not in force and is not encoded here.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from types import MappingProxyType
from typing import NamedTuple

__all__ = [
    "GB3095_2012",
    "GB3095_TABLES",
    "HJ633_2012",
    "POLLUTANTS",
    "TABLES",
    "AirLimitTable",
    "AqiResult",
    "AqiTable",
    "Level",
    "OutOfRange",
    "aqi",
    "exceeds_gb3095",
    "gb3095_limit",
    "gb3095_table_for",
    "iaqi",
    "table_for",
]

POLLUTANTS = ("SO2", "NO2", "PM10", "CO", "O3", "O3_8h", "PM2.5")
PERIODS = ("24h", "1h")


class OutOfRange(ValueError):
    """A concentration above the top breakpoint of HJ 633-2012 Table 1.

    The standard defines no IAQI above the top row (IAQI 500), so none is invented here. A caller
    that wants the common display practice of capping at 500 catches this exception and uses
    500; the decision then shows in the caller's code.
    """

    def __init__(self, pollutant: str, concentration, top: Fraction, standard: str) -> None:
        self.pollutant = pollutant
        self.concentration = concentration
        self.top = top
        super().__init__(
            f"{pollutant} {concentration} is above the top breakpoint {top} of {standard} "
            "Table 1, which defines no IAQI there (catch OutOfRange to cap at 500)"
        )


def _ratio(value) -> tuple[int, int]:
    """The exact value of a number as (numerator, denominator), reading floats as decimal text."""
    kind = type(value)
    if kind is int:
        return value, 1
    if kind is float:
        if value.is_integer():
            return int(value), 1
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        # repr() is the shortest text that reads back as the same float: the value as measured.
        return Decimal(repr(value)).as_integer_ratio()
    if kind is Decimal:
        if not value.is_finite():
            raise ValueError(f"not a finite number: {value!r}")
        return value.as_integer_ratio()
    if isinstance(value, Fraction):
        return value.numerator, value.denominator
    if kind is str:
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"not a number: {value!r}") from None
        return _ratio(number)
    if isinstance(value, bool):
        raise TypeError(f"a concentration cannot be a bool: {value!r}")
    if isinstance(value, int):
        return int(value), 1
    if isinstance(value, Decimal):
        return _ratio(Decimal(value))
    raise TypeError(f"a concentration must be int, float, Decimal, Fraction or str: {value!r}")


# ---------------------------------------------------------------------------------------------
# HJ 633-2012: the table


@dataclass(frozen=True, slots=True)
class Level:
    """One row of HJ 633-2012 Table 2 (空气质量指数及相关信息)."""

    level: int  # 级别 一级 … 六级
    upper: int  # highest AQI of the level; the last level is open-ended up to the top IAQI
    category: str  # 类别
    category_en: str
    color: str  # hex RGB of the colour named in the table


class _Column:
    """One concentration column of Table 1, compiled for the hot path."""

    __slots__ = ("name", "scale", "breakpoints", "iaqis", "segments", "top", "none_above")

    def __init__(self, name: str, breakpoints: tuple, iaqis: tuple[int, ...], none_above: bool):
        values = [Fraction(str(b)) for b in breakpoints]
        if values[0] != 0 or any(a >= b for a, b in zip(values, values[1:], strict=False)):
            raise ValueError(f"{name}: breakpoints must start at 0 and increase: {breakpoints}")
        # Work in units of 1/scale so that every breakpoint is an integer.
        scale = math.lcm(*(v.denominator for v in values))
        scaled = tuple(int(v * scale) for v in values)
        self.name = name
        self.scale = scale
        self.breakpoints = scaled
        self.iaqis = iaqis[: len(scaled)]
        # segments[i] covers (breakpoints[i-1], breakpoints[i]]; the slope is exact.
        segments = [None]
        for i in range(1, len(scaled)):
            slope = Fraction(iaqis[i] - iaqis[i - 1], scaled[i] - scaled[i - 1])
            segments.append((scaled[i - 1], slope.numerator, slope.denominator, iaqis[i - 1]))
        self.segments = tuple(segments)
        self.top = values[-1]
        self.none_above = none_above


@dataclass(frozen=True)
class AqiTable:
    """HJ 633 Table 1 (breakpoints) and Table 2 (levels), in force from ``effective``."""

    standard: str
    effective: date
    iaqi: tuple[int, ...]  # the IAQI row shared by every column
    columns: Mapping[str, tuple]  # column -> concentration breakpoints, low to high
    none_above_top: frozenset[str]  # columns whose values above the top are "not computed"
    column_for: Mapping[tuple[str, str], str]  # (pollutant, period) -> column
    levels: tuple[Level, ...]

    def __post_init__(self) -> None:
        compiled = {
            name: _Column(name, bps, self.iaqi, name in self.none_above_top)
            for name, bps in self.columns.items()
        }
        by_period: dict[str, dict[str, _Column]] = {}
        for (pollutant, period), column in self.column_for.items():
            by_period.setdefault(period, {})[pollutant] = compiled[column]
        object.__setattr__(self, "_by_period", by_period)
        if self.levels[-1].upper != self.iaqi[-1]:
            raise ValueError("the last level must end at the top IAQI")
        by_aqi = tuple(
            next(level for level in self.levels if value <= level.upper)
            for value in range(self.iaqi[-1] + 1)
        )
        object.__setattr__(self, "_level_by_aqi", by_aqi)

    def column(self, pollutant: str, period: str = "24h") -> _Column:
        columns = self._by_period.get(period)
        if columns is None:
            columns = self._by_period.get(period.strip().lower()) if type(period) is str else None
            if columns is None:
                raise ValueError(f"unknown period {period!r}; valid: {', '.join(self._by_period)}")
        name = _canonical(pollutant)
        column = columns.get(name)
        if column is None:
            valid = ", ".join(columns)
            raise ValueError(f"{self.standard} gives no IAQI for {name!r}; valid: {valid}")
        return column

    def level(self, value: int) -> Level:
        return self._level_by_aqi[value]


_IAQI = (0, 50, 100, 150, 200, 300, 400, 500)

HJ633_2012 = AqiTable(
    standard="HJ 633-2012",
    # Issued 2012-02-29; in force nationwide with GB 3095-2012 from 2016-01-01.
    effective=date(2016, 1, 1),
    iaqi=_IAQI,
    # HJ 633-2012 Table 1 (空气质量分指数及对应的污染物项目浓度限值). µg/m³, CO mg/m³.
    # Cross-checked in two independent transcriptions (standards.md §2.1); the PDF was not read.
    columns=MappingProxyType(
        {
            "SO2_24h": (0, 50, 150, 475, 800, 1600, 2100, 2620),
            # Table 1 note 2: above 800 the SO2 1-hour IAQI is not computed; the 24-hour mean
            # is used instead. The column therefore stops at IAQI 200.
            "SO2_1h": (0, 150, 500, 650, 800),
            "NO2_24h": (0, 40, 80, 180, 280, 565, 750, 940),
            "NO2_1h": (0, 100, 200, 700, 1200, 2340, 3090, 3840),
            "PM10_24h": (0, 50, 150, 250, 350, 420, 500, 600),
            "CO_24h": (0, 2, 4, 14, 24, 36, 48, 60),
            "CO_1h": (0, 5, 10, 35, 60, 90, 120, 150),
            "O3_1h": (0, 160, 200, 300, 400, 800, 1000, 1200),
            # Table 1 note 3: above 800 the O3 8-hour IAQI is not computed; the 1-hour value is
            # used instead. The column therefore stops at IAQI 300.
            "O3_8h": (0, 100, 160, 215, 265, 800),
            "PM2.5_24h": (0, 35, 75, 115, 150, 250, 350, 500),
        }
    ),
    none_above_top=frozenset({"SO2_1h", "O3_8h"}),
    column_for=MappingProxyType(
        {
            ("SO2", "24h"): "SO2_24h",
            ("SO2", "1h"): "SO2_1h",
            ("NO2", "24h"): "NO2_24h",
            ("NO2", "1h"): "NO2_1h",
            ("CO", "24h"): "CO_24h",
            ("CO", "1h"): "CO_1h",
            ("PM10", "24h"): "PM10_24h",
            ("PM2.5", "24h"): "PM2.5_24h",
            # Table 1 has no 1-hour rows for PM10 and PM2.5. For the real-time report the
            # 24-hour breakpoints are applied to 1-hour values, as go-aqi does. UNVERIFIED
            # against the HJ 633 text (standards.md §2.1).
            ("PM10", "1h"): "PM10_24h",
            ("PM2.5", "1h"): "PM2.5_24h",
            # "O3" is always the 1-hour column: the real-time report uses the 1-hour mean and
            # the daily report the daily maximum 1-hour mean (the daily-report list is
            # UNVERIFIED, standards.md §2.1). "O3_8h" is always the 8-hour moving-mean column.
            ("O3", "24h"): "O3_1h",
            ("O3", "1h"): "O3_1h",
            ("O3_8h", "24h"): "O3_8h",
            ("O3_8h", "1h"): "O3_8h",
        }
    ),
    # HJ 633-2012 Table 2. Names and categories agree in several sources (standards.md §2.3).
    # The RGB values are UNVERIFIED: Appendix A was not read, and green is (0,228,0) in some
    # sources and (0,255,0) in go-aqi.
    levels=(
        Level(1, 50, "优", "Excellent", "#00E400"),
        Level(2, 100, "良", "Good", "#FFFF00"),
        Level(3, 150, "轻度污染", "Lightly polluted", "#FF7E00"),
        Level(4, 200, "中度污染", "Moderately polluted", "#FF0000"),
        Level(5, 300, "重度污染", "Heavily polluted", "#99004C"),
        Level(6, 500, "严重污染", "Severely polluted", "#7E0023"),
    ),
)

TABLES: Mapping[date, AqiTable] = MappingProxyType({HJ633_2012.effective: HJ633_2012})


def _in_force(tables: Mapping[date, object], day: date, what: str):
    best = None
    for effective in tables:
        if effective <= day and (best is None or effective > best):
            best = effective
    if best is None:
        raise ValueError(f"no {what} table is in force on {day.isoformat()}")
    return tables[best]


def table_for(day: date) -> AqiTable:
    """The AQI table in force on ``day``."""
    return _in_force(TABLES, day, "AQI")


# The latest table is in force from its date on; while no table with a later date exists, the
# table in force today is known without asking the clock on every call.
_LATEST = TABLES[max(TABLES)]
_IMPORTED_ON = date.today()


def _current() -> AqiTable:
    return _LATEST if _LATEST.effective <= _IMPORTED_ON else table_for(date.today())


# ---------------------------------------------------------------------------------------------
# Pollutant names

_ALIASES = {
    "so2": "SO2",
    "no2": "NO2",
    "pm10": "PM10",
    "co": "CO",
    "o3": "O3",
    "o3_1h": "O3",
    "o3-1h": "O3",
    "o3_8h": "O3_8h",
    "o3-8h": "O3_8h",
    "o38h": "O3_8h",
    "o3_8": "O3_8h",
    "pm2.5": "PM2.5",
    "pm25": "PM2.5",
    "pm2_5": "PM2.5",
    "pm2,5": "PM2.5",
    # HJ 212-2017 Table B.2 codes.
    "a21026": "SO2",
    "a21004": "NO2",
    "a34002": "PM10",
    "a34004": "PM2.5",
    "a21005": "CO",
    # a05024 is not in HJ 212-2017 Table B.2; it comes from HJ 524-2009, which was not read.
    # Several codebases and real packets use it for O3. UNVERIFIED (standards.md §1.10).
    "a05024": "O3",
    # GB 3095-2012 Table 2 items (no IAQI; used by gb3095_limit).
    "tsp": "TSP",
    "a34001": "TSP",
    "nox": "NOx",
    "a21002": "NOx",
    "pb": "Pb",
    "bap": "BaP",
    "b[a]p": "BaP",
    "benzo[a]pyrene": "BaP",
}
# Canonical spellings hit the first dict lookup without lowercasing.
_ALIASES.update({name: name for name in set(_ALIASES.values())})


def _canonical(pollutant) -> str:
    name = _ALIASES.get(pollutant)
    if name is None:
        if type(pollutant) is str:
            name = _ALIASES.get(pollutant.strip().lower())
        if name is None:
            raise ValueError(f"unknown pollutant {pollutant!r}; valid: {', '.join(POLLUTANTS)}")
    return name


# ---------------------------------------------------------------------------------------------
# IAQI and AQI


def _evaluate(column: _Column, name: str, value, standard: str) -> int | None:
    # The hot path of aqi(): ints (and integral floats) skip the general conversion.
    kind = type(value)
    if kind is int:
        p, q = value, 1
    elif kind is float and value.is_integer():
        p, q = int(value), 1
    else:
        p, q = _ratio(value)
    if p < 0:
        raise ValueError(f"{name} concentration must not be negative: {value!r}")
    if column.scale != 1:
        p *= column.scale
    breakpoints = column.breakpoints
    # First breakpoint >= C; for a non-integer C that is the first one >= ceil(C).
    i = bisect_left(breakpoints, p if q == 1 else -(-p // q))
    if i == len(breakpoints):
        if column.none_above:
            return None
        raise OutOfRange(name, value, column.top, standard)
    if breakpoints[i] * q == p:
        return column.iaqis[i]
    low, slope_num, slope_den, iaqi_low = column.segments[i]
    # HJ 633-2012 IAQI formula, IAQI = IAQI_Lo + (IAQI_Hi - IAQI_Lo)/(BP_Hi - BP_Lo) * (C - BP_Lo)
    # (standards.md §2.2), rounded up to an integer: "全部进位取整", quoted as HJ 633 §6.2 in
    # python-aqi issue #4 (clause number UNVERIFIED). Numerator slope_num*(p - low*q),
    # denominator slope_den*q.
    return iaqi_low - (-(slope_num * (p - low * q)) // (slope_den * q))


def iaqi(
    pollutant: str, concentration, period: str = "24h", *, on: date | None = None
) -> int | None:
    """The individual AQI of one pollutant (HJ 633-2012 Table 1 and the IAQI formula).

    ``pollutant``: SO2, NO2, PM10, CO, O3, O3_8h or PM2.5 (or an alias such as PM25, a34004).
    ``concentration``: µg/m³ (CO mg/m³) as int, Decimal, Fraction, str, or float (read as its
    decimal text). ``period``: "24h" (daily report) or "1h" (real-time report); "O3" always
    uses the 1-hour column and "O3_8h" the 8-hour column.

    Returns None where the standard says the IAQI is not computed: SO2 1-hour above 800 (use the
    24-hour mean) and O3 8-hour above 800 (use the 1-hour value). Raises OutOfRange above the top
    breakpoint, ValueError for a negative value or an unknown pollutant or period.
    ``on``: use the table in force on that day (default: today).
    """
    table = _current() if on is None else table_for(on)
    name = _canonical(pollutant)
    return _evaluate(table.column(name, period), name, concentration, table.standard)


class AqiResult(NamedTuple):
    """The AQI of one set of concentrations (HJ 633-2012, levels from Table 2).

    A NamedTuple rather than a frozen dataclass: it is as immutable and three times cheaper to
    build, which matters at 100,000 results/s.
    """

    aqi: int
    level: int  # 1 (一级) … 6 (六级)
    category: str  # 优, 良, 轻度污染, 中度污染, 重度污染, 严重污染
    category_en: str
    color: str  # hex RGB; UNVERIFIED, see HJ633_2012.levels
    primary: list[str]  # 首要污染物: all pollutants with the top IAQI, only when AQI > 50
    iaqi: dict[str, int]  # canonical pollutant -> IAQI, in the order given; None results left out


def aqi(conc: Mapping[str, object], period: str = "24h", *, on: date | None = None) -> AqiResult:
    """The AQI of ``conc`` (pollutant -> concentration), HJ 633-2012.

    AQI = max of the IAQIs (standards.md §2.2). The primary pollutants are every pollutant whose IAQI equals the
    AQI, listed only when the AQI is above 50. Pollutants whose IAQI is not computed (SO2 1-hour
    or O3 8-hour above 800, see ``iaqi``) are left out; ValueError if ``conc`` is empty, names a
    pollutant twice (through aliases) or nothing in it is computable. OutOfRange propagates.
    """
    table = _current() if on is None else table_for(on)
    columns = table._by_period.get(period)
    if columns is None:
        table.column("SO2", period)  # raises the error naming the valid periods
        columns = table._by_period[period.strip().lower()]
    if not conc:
        raise ValueError("no concentrations given")
    standard = table.standard
    results: dict[str, int | None] = {}
    skipped = False
    for key, value in conc.items():
        name = _ALIASES.get(key) or _canonical(key)
        column = columns.get(name)
        if column is None:
            table.column(name, period)  # raises the error naming the valid pollutants
        if name in results:
            raise ValueError(f"{name} is given twice (check aliases such as PM25 and PM2.5)")
        value = _evaluate(column, name, value, standard)
        if value is None:
            skipped = True
        results[name] = value
    if skipped:
        results = {name: value for name, value in results.items() if value is not None}
        if not results:
            raise ValueError(
                "no IAQI is computable: SO2 1-hour and O3 8-hour values above 800 are not "
                "computed (HJ 633-2012 Table 1 notes 2 and 3); give the 24-hour SO2 or 1-hour O3"
            )
    top = max(results.values())
    level = table._level_by_aqi[top]
    primary = [name for name, value in results.items() if value == top] if top > 50 else []
    return AqiResult(
        top, level.level, level.category, level.category_en, level.color, primary, results
    )


# ---------------------------------------------------------------------------------------------
# GB 3095-2012 limits


@dataclass(frozen=True)
class AirLimitTable:
    """GB 3095 concentration limits, in force from ``effective``.

    ``limits`` maps (pollutant, averaging) to (grade 1, grade 2) limits. Averaging: "annual",
    "24h", "1h", "8h" (O3 daily maximum 8-hour mean), "quarterly" (Pb).
    """

    standard: str
    effective: date
    limits: Mapping[tuple[str, str], tuple[Decimal, Decimal]]

    def __post_init__(self) -> None:
        ratios = {
            key: tuple(v.as_integer_ratio() for v in pair) for key, pair in self.limits.items()
        }
        object.__setattr__(self, "_ratios", ratios)

    def averagings(self, pollutant: str) -> list[str]:
        return [averaging for (name, averaging) in self.limits if name == pollutant]


def _limits(rows: dict[tuple[str, str], tuple[str, str]]):
    return MappingProxyType({key: (Decimal(a), Decimal(b)) for key, (a, b) in rows.items()})


GB3095_2012 = AirLimitTable(
    standard="GB 3095-2012",
    effective=date(2016, 1, 1),
    # Cross-checked in two transcriptions (standards.md §4); the PDF was not read.
    # µg/m³, CO mg/m³. (grade 1 一级, grade 2 二级)
    limits=_limits(
        {
            # Table 1, basic items (基本项目)
            ("SO2", "annual"): ("20", "60"),
            ("SO2", "24h"): ("50", "150"),
            ("SO2", "1h"): ("150", "500"),
            ("NO2", "annual"): ("40", "40"),
            ("NO2", "24h"): ("80", "80"),
            ("NO2", "1h"): ("200", "200"),
            ("CO", "24h"): ("4", "4"),
            ("CO", "1h"): ("10", "10"),
            ("O3", "8h"): ("100", "160"),  # 日最大8小时平均
            ("O3", "1h"): ("160", "200"),
            ("PM10", "annual"): ("40", "70"),
            ("PM10", "24h"): ("50", "150"),
            ("PM2.5", "annual"): ("15", "35"),
            ("PM2.5", "24h"): ("35", "75"),
            # Table 2, other items (其他项目)
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
    ),
)

GB3095_TABLES: Mapping[date, AirLimitTable] = MappingProxyType({GB3095_2012.effective: GB3095_2012})


def gb3095_table_for(day: date) -> AirLimitTable:
    """The GB 3095 limit table in force on ``day``."""
    return _in_force(GB3095_TABLES, day, "GB 3095")


def _limit_key(table: AirLimitTable, pollutant: str, averaging: str, grade: int):
    name = _canonical(pollutant)
    if type(averaging) is str:
        averaging = averaging.strip().lower()
    if name == "O3_8h":
        if averaging != "8h":
            raise ValueError(f"O3_8h is the 8-hour mean; its averaging is '8h', not {averaging!r}")
        name = "O3"
    if grade not in (1, 2):
        raise ValueError(f"grade must be 1 or 2, not {grade!r}")
    key = (name, averaging)
    if key not in table.limits:
        valid = table.averagings(name)
        if not valid:
            items = sorted({n for n, _ in table.limits})
            raise ValueError(
                f"{table.standard} has no limit for {name!r}; valid: {', '.join(items)}"
            )
        raise ValueError(
            f"{table.standard} has no {averaging!r} limit for {name}; valid: {', '.join(valid)}"
        )
    return key


def gb3095_limit(
    pollutant: str, averaging: str, grade: int = 2, *, on: date | None = None
) -> Decimal:
    """The GB 3095-2012 concentration limit (µg/m³, CO mg/m³) for ``grade`` 1 or 2."""
    table = gb3095_table_for(date.today() if on is None else on)
    return table.limits[_limit_key(table, pollutant, averaging, grade)][grade - 1]


def exceeds_gb3095(
    pollutant: str, value, averaging: str, *, grade: int = 2, on: date | None = None
) -> bool:
    """Whether ``value`` exceeds the GB 3095-2012 limit (grade 2, 二级, unless told).

    A value equal to the limit does not exceed it: the limits are maxima (浓度限值).
    """
    table = gb3095_table_for(date.today() if on is None else on)
    key = _limit_key(table, pollutant, averaging, grade)
    p, q = _ratio(value)
    if p < 0:
        raise ValueError(f"{pollutant} concentration must not be negative: {value!r}")
    limit_p, limit_q = table._ratios[key][grade - 1]
    return p * limit_q > limit_p * q
