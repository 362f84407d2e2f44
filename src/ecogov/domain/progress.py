"""Will a target be met? The progress measure of Open SDG (Statistics Canada's method,
after Eurostat), framework-free.

Growth is the compound annual growth rate between the first and the latest measured
value, CAGR = (y_i / y_0) ** (1 / (t_i - t_0)) - 1. With a numeric target, it is
compared with the rate required to reach the target on time,
CAGR_T = (y_T / y_0) ** (1 / (t_T - t_0)) - 1, as R = CAGR / CAGR_T:

- the latest value meets the target → target achieved, once the target's period (its
  year) is over; before, a year-to-date value that meets it is only on track (按序时进度):
  a mean of January to November says nothing yet about December
- the period is over and the latest value does not meet the target → target not achieved
- R ≥ 0.95 → substantial progress (on track)
- 0.6 ≤ R < 0.95 → moderate progress (acceleration needed)
- 0 ≤ R < 0.6 → limited progress
- R < 0 → moving away
Without a numeric target (a qualitative goal), the growth in the desired direction is
compared with fixed rates: ≥ 1.5 % a year substantial, ≥ 0.5 % moderate, ≥ 0 limited,
below 0 moving away. Fewer than two values, or two in the same year: not enough data.

Where a value is zero or negative the ratio of compound rates is undefined; the
linear yearly change is compared instead (a simplification of ours, said on the page).
Open SDG's scaling factor for indicators near a natural limit (100 %) is not applied.
"""

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal

ACHIEVED = "target_achieved"
ON_TRACK = "on_track"  # meets the target so far, within its period
NOT_ACHIEVED = "target_not_achieved"
SUBSTANTIAL = "substantial_progress"
MODERATE = "moderate_progress"
LIMITED = "limited_progress"
MOVING_AWAY = "moving_away"
NOT_ENOUGH = "not_enough_data"
STATUSES = (
    ACHIEVED,
    ON_TRACK,
    NOT_ACHIEVED,
    SUBSTANTIAL,
    MODERATE,
    LIMITED,
    MOVING_AWAY,
    NOT_ENOUGH,
)

DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class Progress:
    status: str
    ratio: float | None = None  # observed over required growth
    growth: float | None = None  # observed yearly growth (compound, or linear when values ≤ 0)
    required: float | None = None
    trend: list[tuple[datetime.date, float]] = field(
        default_factory=list
    )  # continued to the target year


def _years(a: datetime.date, b: datetime.date) -> float:
    return (b - a).days / DAYS_PER_YEAR


def _meets(value: float, op: str, target: float) -> bool:
    return {
        ">=": value >= target,
        ">": value > target,
        "<=": value <= target,
        "<": value < target,
        "==": value == target,
    }[op]


def _category(ratio: float) -> str:
    if ratio >= 0.95:
        return SUBSTANTIAL
    if ratio >= 0.6:
        return MODERATE
    if ratio >= 0:
        return LIMITED
    return MOVING_AWAY


def progress(
    values: list[tuple[datetime.date, Decimal | float]],
    *,
    op: str,
    target: Decimal | float | None,
    target_year: int | None,
    today: datetime.date,
) -> Progress:
    """The progress status of a target from its measured values, on ``today``."""
    points = sorted((day, float(value)) for day, value in values)
    end = datetime.date(target_year, 12, 31) if target_year else None
    over = end is None or today > end  # without a year, no period to wait for
    met = bool(points) and target is not None and _meets(points[-1][1], op, float(target))
    if len(points) < 2 or _years(points[0][0], points[-1][0]) <= 0:
        if met:
            return Progress(ACHIEVED if over else ON_TRACK)
        if points and target is not None and end is not None and over:
            return Progress(NOT_ACHIEVED)
        return Progress(NOT_ENOUGH)
    (t0, y0), (ti, yi) = points[0], points[-1]
    elapsed = _years(t0, ti)
    direction = -1 if op in ("<=", "<") else 1
    compound = y0 > 0 and yi > 0
    growth = (yi / y0) ** (1 / elapsed) - 1 if compound else (yi - y0) / elapsed
    trend = _trend(ti, yi, growth, compound, end)
    if target is not None:
        goal = float(target)
        if met:
            return Progress(ACHIEVED if over else ON_TRACK, growth=growth, trend=trend)
        if end is not None and over:
            return Progress(NOT_ACHIEVED, growth=growth, trend=trend)
        if end is None or end <= ti:
            return Progress(MOVING_AWAY, growth=growth, trend=trend)  # too late, not met
        remaining = _years(t0, end)
        if compound and goal > 0:
            required = (goal / y0) ** (1 / remaining) - 1
        else:
            required = (goal - y0) / remaining
        if required * direction <= 0:
            # The base value already met the target and the latest no longer does.
            return Progress(MOVING_AWAY, growth=growth, required=required, trend=trend)
        ratio = growth / required
        return Progress(
            _category(ratio), ratio=ratio, growth=growth, required=required, trend=trend
        )
    signed = direction * growth
    if compound:
        status = (
            SUBSTANTIAL
            if signed >= 0.015
            else MODERATE
            if signed >= 0.005
            else LIMITED
            if signed >= 0
            else MOVING_AWAY
        )
    else:
        status = LIMITED if signed >= 0 else MOVING_AWAY
    return Progress(status, growth=growth, trend=trend)


def _trend(
    start: datetime.date, value: float, growth: float, compound: bool, end: datetime.date | None
) -> list[tuple[datetime.date, float]]:
    """The latest value continued at the observed rate, yearly up to the target year."""
    if end is None or end <= start:
        return []
    points = [(start, value)]
    year = start.year + 1
    while year <= end.year:
        day = datetime.date(year, 12, 31)
        span = _years(start, day)
        projected = value * (1 + growth) ** span if compound else value + growth * span
        if math.isfinite(projected):
            points.append((day, projected))
        year += 1
    return points
