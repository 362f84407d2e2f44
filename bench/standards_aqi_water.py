"""Benchmarks of the standards kernels: HJ 633 AQI and GB 3838 water class.

    .venv/bin/python bench/standards_aqi_water.py

Each figure is compared with a baseline measured in the same run (a ratio), because the
machines are shared and noisy. Writes its section of docs/benchmarks.md.
"""

import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import machine, median_time, write_section  # noqa: E402

from ecogov.standards.aqi import aqi  # noqa: E402
from ecogov.standards.water import classify  # noqa: E402

SECTION = "Standards (issue 3): AQI and water class"
NUMBER = 20_000

# A typical daily report: ints and Decimals, as parsed from HJ 212 text into Decimal.
AIR_DECIMAL = {
    "SO2": 8,
    "NO2": 35,
    "PM10": 88,
    "CO": Decimal("0.8"),
    "O3_8h": 120,
    "PM2.5": Decimal("52.3"),
}
# The same readings as floats, each read as its decimal text.
AIR_FLOAT = {
    "SO2": 8.0,
    "NO2": 35.2,
    "PM10": 88.0,
    "CO": 0.8,
    "O3_8h": 120.5,
    "PM2.5": 52.3,
}
RIVER = {
    "pH": Decimal("7.6"),
    "DO": Decimal("6.8"),
    "CODMn": Decimal("3.2"),
    "COD": 14,
    "BOD5": Decimal("2.6"),
    "NH3-N": Decimal("0.42"),
    "TP": Decimal("0.08"),
    "Cu": Decimal("0.005"),
    "Zn": Decimal("0.02"),
    "F": Decimal("0.4"),
}


def main() -> None:
    # Baseline: the cheapest thing an AQI could be, a max() over precomputed IAQIs plus a lookup
    # of the level, with a copy of the input dict.
    iaqis = {"SO2": 3, "NO2": 44, "PM10": 69, "CO": 20, "O3_8h": 60, "PM2.5": 72}
    levels = {value: value // 50 for value in range(501)}

    def baseline_air():
        copy = dict(AIR_DECIMAL)
        return levels[max(iaqis.values())], copy

    # Baseline for water: copy the 10-item dict and compare each value with one limit.
    limits = {name: Decimal(1) for name in RIVER}

    def baseline_water():
        return max(value <= limits[name] for name, value in dict(RIVER).items())

    air_base = median_time(baseline_air, number=NUMBER)
    air_decimal = median_time(lambda: aqi(AIR_DECIMAL), number=NUMBER)
    air_float = median_time(lambda: aqi(AIR_FLOAT), number=NUMBER)
    water_base = median_time(baseline_water, number=NUMBER)
    water = median_time(lambda: classify(RIVER), number=NUMBER)

    rows = [
        (
            "aqi(), 6 pollutants, int/Decimal",
            air_decimal,
            "max() of 6 IAQIs + level + dict copy",
            air_base,
        ),
        ("aqi(), 6 pollutants, float", air_float, "same", air_base),
        ("classify(), 10-parameter river sample", water, "dict copy + 10 comparisons", water_base),
    ]
    lines = [
        "Reproduce with `.venv/bin/python bench/standards_aqi_water.py`.",
        f"Machine: {machine()}. Medians of 7 runs of {NUMBER:,} calls; the ratio compares with a",
        "baseline measured in the same run, which is what to compare between machines.",
        "Target: `aqi()` at least 100,000 results/s on one core.",
        "",
        "| what | time | results/s | baseline | baseline time | ratio |",
        "|---|---|---|---|---|---|",
    ]
    for what, seconds, baseline, base_seconds in rows:
        lines.append(
            f"| {what} | {seconds * 1e6:.2f} µs | {1 / seconds:,.0f} | {baseline} "
            f"| {base_seconds * 1e6:.2f} µs | {seconds / base_seconds:.1f}× |"
        )
    print(write_section(SECTION, "\n".join(lines)))


if __name__ == "__main__":
    main()
