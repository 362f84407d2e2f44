"""What one hourly value says about a monitoring point, as it arrives. Framework-free.

Checks, in the order they are made (a value gets at most one of the first three):

- out of range (超量程): the data flag is T (采样数值超过测量上限, HJ 212 Table 8) or the
  value lies above the instrument's range; such a value is not a measurement to compare
  with the limit;
- negative value: a concentration below zero is an instrument fault (temperatures and
  other signed quantities are exempt);
- exceedance (超标): a value valid for statistics above the point's limit;
- mass rate over the limit (排放速率超标): where the point has a mass-rate limit (kg/h),
  the amount the hour's value comes with (Cou, kg emitted in that hour) above it; a
  value out of range says nothing of the amount either;
- flat line (恒值): the same valid value for ``flat_hours`` consecutive hours, the sign of
  a stuck instrument or of data written by hand;
- missing data: more than ``missing_hours`` hours between one hourly upload of a point
  and the next (``gap``). Silence that has not ended yet is found by the periodic scan.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

HOUR = datetime.timedelta(hours=1)

# Quantities that may be below zero: temperatures (water, air, flue gas) and pressures.
SIGNED = frozenset({"w01010", "a01001", "a01012", "a01013", "a01006"})

EXCEEDANCE, RATE, NEGATIVE, OUT_OF_RANGE, FLAT, MISSING = (
    "exceedance",
    "rate",
    "negative",
    "range",
    "flat",
    "missing",
)


@dataclass(frozen=True)
class Limits:
    limit: Decimal | None = None
    range_max: Decimal | None = None
    rate_limit: Decimal | None = None  # kg/h, against an hour's Cou


@dataclass(frozen=True)
class Finding:
    kind: str
    code: str  # "" for a finding about the whole point (missing data)
    time: datetime.datetime
    value: Decimal | None = None
    limit: Decimal | None = None


def check_hour(
    code: str,
    time: datetime.datetime,
    value: Decimal | None,
    *,
    flag: str,
    valid: bool,
    limits: Limits,
    previous: Sequence[tuple[datetime.datetime, Decimal]] = (),
    flat_hours: int = 6,
    total: Decimal | None = None,
) -> list[Finding]:
    """The findings of one hourly value; ``previous`` are the valid hourly values of the
    same pollutant at the same point before ``time``, oldest first (a list or a deque);
    ``total`` the hour's amount (Cou) sent with it."""
    if value is None:
        return []
    found = []
    if flag == "T" or above_range(value, limits):
        found.append(Finding(OUT_OF_RANGE, code, time, value, limits.range_max))
    else:
        if valid and value < 0 and code not in SIGNED:
            found.append(Finding(NEGATIVE, code, time, value))
        elif valid and limits.limit is not None and value > limits.limit:
            found.append(Finding(EXCEEDANCE, code, time, value, limits.limit))
        if rate_exceeded(total, valid, limits):
            found.append(Finding(RATE, code, time, total, limits.rate_limit))
    # The last value first: it nearly always differs, and the run is not looked at.
    if valid and flat_hours > 1 and len(previous) >= flat_hours - 1 and previous[-1][1] == value:
        run = list(previous)[1 - flat_hours :]
        if all(v == value for _, v in run):  # rarely true: the times are compared after
            expected = [time - HOUR * step for step in range(flat_hours - 1, 0, -1)]
            if [t for t, _ in run] == expected:
                found.append(Finding(FLAT, code, time, value))
    return found


def above_range(value: Decimal, limits: Limits) -> bool:
    """Above the instrument's range (an anomaly of its own): the true value is unknown,
    so it proves no compliance, even where it reads below a limit."""
    return limits.range_max is not None and value > limits.range_max


def rate_exceeded(total: Decimal | None, valid: bool, limits: Limits) -> bool | None:
    """An hour's amount against the mass-rate limit; None where there is nothing to
    compare (no limit, no amount, or a value not valid for statistics)."""
    if not valid or total is None or limits.rate_limit is None:
        return None
    return total > limits.rate_limit


def gap(
    previous: datetime.datetime | None, time: datetime.datetime, *, missing_hours: int = 3
) -> Finding | None:
    """Missing data between two hourly uploads of a point: from the first missing hour."""
    if previous is None or time - previous <= HOUR * (missing_hours + 1):
        return None
    hours = int((time - previous) / HOUR) - 1
    return Finding(MISSING, "", previous + HOUR, Decimal(hours))


def exceedance_ratio(value: Decimal | None, limit: Decimal | None) -> Decimal | None:
    """超标倍数 as the bureau quotes it: value ÷ limit."""
    if value is None or not limit:
        return None
    return (value / limit).quantize(Decimal("0.01"))
