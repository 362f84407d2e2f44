"""Benchmark of grid lookup: the grids of a point among 10,000 grids.

    .venv/bin/python bench/grid_locate.py

Target from issue 5: ≥ 5,000 lookups/s over 10,000 grids on one core. The grids are a
synthetic three-level tree (1 district, 100 townships, 9,900 villages of irregular
quadrilaterals); the baseline is one exact containment test against one prepared polygon.
"""

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import shapely  # noqa: E402
from _report import machine, median_time, write_section  # noqa: E402
from shapely.geometry import Point, Polygon  # noqa: E402

from ecogov.domain.gridgeo import GridIndex  # noqa: E402


def grids() -> list:
    rng = random.Random(5)
    out = [("district", 1, Polygon([(0, 0), (100, 0), (100, 100), (0, 100)]))]
    for i in range(10):
        for j in range(10):
            out.append(
                (
                    f"t{i}{j}",
                    2,
                    Polygon(
                        [
                            (i * 10, j * 10),
                            (i * 10 + 10, j * 10),
                            (i * 10 + 10, j * 10 + 10),
                            (i * 10, j * 10 + 10),
                        ]
                    ),
                )
            )
    # 99 × 100 villages: slightly irregular quadrilaterals inside their township columns
    for i in range(99):
        for j in range(100):
            w, s = i * 100 / 99, j
            e, n = (i + 1) * 100 / 99, j + 1
            jitter = rng.uniform(0, 0.2)
            out.append((f"v{i}-{j}", 3, Polygon([(w, s), (e, s), (e - jitter, n), (w, n)])))
    return out


def main() -> None:
    data = grids()
    index = GridIndex(data)
    rng = random.Random(7)
    points = [(rng.uniform(0, 100), rng.uniform(0, 100)) for _ in range(2000)]

    def lookups():
        for lon, lat in points:
            index.locate(lon, lat)

    per_lookup = median_time(lookups, number=1, repeat=5) / len(points)
    one = data[500][2]
    shapely.prepare(one)
    point = Point(50.3, 50.7)
    baseline = median_time(lambda: one.contains(point), number=20000)
    lines = [
        "Reproduce with `.venv/bin/python bench/grid_locate.py`.",
        f"Machine: {machine()}. One core; medians of 5 runs of 2,000 random points.",
        "",
        "| what | throughput | baseline | ratio to baseline |",
        "|---|---|---|---|",
        f"| GridIndex.locate over {len(index):,} grids (3 levels) | {1 / per_lookup:,.0f} lookups/s | "
        f"one prepared point-in-polygon test | {per_lookup / baseline:.1f}× |",
    ]
    sys.stdout.write(write_section("Grids (issue 5): point lookup", "\n".join(lines)))


if __name__ == "__main__":
    main()
