"""Open SDG progress measure, by category (docs/progress-methodology.md of open-sdg)."""

import datetime

import pytest

from ecogov.domain import progress as p

D = datetime.date


@pytest.mark.parametrize(
    "values, op, target, year, expected",
    [
        ([], ">=", 31.48, 2026, p.NOT_ENOUGH),
        ([(D(2024, 12, 31), 29.0)], ">=", 31.48, 2026, p.NOT_ENOUGH),
        # met before the target year is over: on track, not yet achieved
        ([(D(2024, 12, 31), 32.0)], ">=", 31.48, 2026, p.ON_TRACK),
        # forest cover 29 → 30.3 in a year; 31.48 needs 29 → 31.48 over two years: ratio ≈ 1.06
        ([(D(2024, 12, 31), 29.0), (D(2025, 12, 31), 30.3)], ">=", 31.48, 2026, p.SUBSTANTIAL),
        ([(D(2024, 12, 31), 29.0), (D(2025, 12, 31), 29.9)], ">=", 31.48, 2026, p.MODERATE),
        ([(D(2024, 12, 31), 29.0), (D(2025, 12, 31), 29.3)], ">=", 31.48, 2026, p.LIMITED),
        ([(D(2024, 12, 31), 29.0), (D(2025, 12, 31), 28.5)], ">=", 31.48, 2026, p.MOVING_AWAY),
        ([(D(2024, 12, 31), 29.0), (D(2025, 12, 31), 31.5)], ">=", 31.48, 2026, p.ON_TRACK),
        # a "控制在10%以内" target: leakage 12 → 11 with 10 needed by 2026
        ([(D(2024, 12, 31), 12.0), (D(2025, 12, 31), 11.0)], "<=", 10, 2026, p.SUBSTANTIAL),
        ([(D(2024, 12, 31), 12.0), (D(2025, 12, 31), 12.5)], "<=", 10, 2026, p.MOVING_AWAY),
        # already met at the base, no longer met now
        ([(D(2024, 12, 31), 9.0), (D(2025, 12, 31), 10.5)], "<=", 10, 2026, p.MOVING_AWAY),
        # the target's last day is measured and the target is not met
        ([(D(2025, 12, 31), 20.0), (D(2026, 12, 31), 25.0)], ">=", 31.48, 2026, p.MOVING_AWAY),
        # a zero base: linear change instead of compound growth
        ([(D(2024, 12, 31), 0.0), (D(2025, 12, 31), 50.0)], ">=", 100, 2026, p.SUBSTANTIAL),
        # no numeric target: fixed yearly rates
        ([(D(2024, 12, 31), 100.0), (D(2025, 12, 31), 102.0)], ">=", None, None, p.SUBSTANTIAL),
        ([(D(2024, 12, 31), 100.0), (D(2025, 12, 31), 100.8)], ">=", None, None, p.MODERATE),
        ([(D(2024, 12, 31), 100.0), (D(2025, 12, 31), 100.2)], ">=", None, None, p.LIMITED),
        ([(D(2024, 12, 31), 100.0), (D(2025, 12, 31), 98.0)], ">=", None, None, p.MOVING_AWAY),
    ],
)
def test_progress_categories(values, op, target, year, expected):
    today = D(2026, 12, 31)  # the last day of the target year: the period is not over yet
    assert p.progress(values, op=op, target=target, target_year=year, today=today).status == (
        expected
    )


YEAR_TO_DATE = [(D(2026, 1, 31), 38.0), (D(2026, 12, 3), 32.1)]  # PM2.5, ≤ 35 μg/m³ in 2026


@pytest.mark.parametrize(
    "values, today, expected",
    [
        # a year-to-date mean that meets the target in December: on track, not achieved
        (YEAR_TO_DATE, D(2026, 12, 3), p.ON_TRACK),
        (YEAR_TO_DATE[1:], D(2026, 12, 3), p.ON_TRACK),
        # the year is over: the year's value decides
        ([*YEAR_TO_DATE, (D(2026, 12, 31), 33.0)], D(2027, 1, 2), p.ACHIEVED),
        ([*YEAR_TO_DATE, (D(2026, 12, 31), 36.0)], D(2027, 1, 2), p.NOT_ACHIEVED),
        ([(D(2026, 12, 31), 36.0)], D(2027, 1, 2), p.NOT_ACHIEVED),
    ],
)
def test_a_target_is_achieved_only_when_its_period_is_over(values, today, expected):
    result = p.progress(values, op="<=", target=35, target_year=2026, today=today)
    assert result.status == expected


def test_the_trend_continues_to_the_target_year():
    result = p.progress(
        [(D(2024, 12, 31), 29.0), (D(2025, 12, 31), 30.0)],
        op=">=", target=31.48, target_year=2026, today=D(2026, 1, 5),
    )  # fmt: skip
    assert [day for day, _ in result.trend] == [D(2025, 12, 31), D(2026, 12, 31)]
    assert result.trend[-1][1] == pytest.approx(30.0 * 30 / 29, rel=1e-3)
