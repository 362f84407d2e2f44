"""Accuracy and speed of the case router on the labelled complaints.

    .venv/bin/python bench/routing.py [--split tune|holdout|all] [--misses]

Loads the sample district (its 2021 duty list under today's unit names) into a
temporary database, routes every complaint of src/ecogov/sample/chengzhong_complaints.csv
and compares the proposed lead with the label. The router's constants were tuned on the
"tune" rows only; the "holdout" rows are the honest figure. A disputed proposal (no lead)
counts as a miss for accuracy and is reported separately. Speed is the median time to
route one complaint, with the time to cut the same text into bigrams as the baseline.
Writes its section of docs/benchmarks.md when run on all rows.
"""

import argparse
import csv
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ["ECOGOV_VAR_DIR"] = tempfile.mkdtemp(prefix="ecogov-bench-")
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecogov.settings")

import django  # noqa: E402
from _report import ROOT, machine, median_time, write_section  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from ecogov.domain.router import bigrams  # noqa: E402
from ecogov.org.models import Jurisdiction  # noqa: E402
from ecogov.org.routing import router_for  # noqa: E402
from ecogov.org.sample import sample_load  # noqa: E402

COMPLAINTS = ROOT / "src" / "ecogov" / "sample" / "chengzhong_complaints.csv"


def evaluate(router, rows) -> dict:
    right = disputed = 0
    confusion: Counter = Counter()
    misses = []
    for row in rows:
        routing = router.route(row["text"])
        if routing.lead == row["lead"]:
            right += 1
            continue
        if routing.lead is None:
            disputed += 1
        confusion[(row["lead"], routing.lead or "（争议）")] += 1
        misses.append((row, routing))
    return {"n": len(rows), "right": right, "disputed": disputed, "confusion": confusion,
            "misses": misses}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", choices=("tune", "holdout", "all"), default="all")
    parser.add_argument("--misses", action="store_true", help="print every miss")
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    sample_load()
    router = router_for(Jurisdiction.objects.get(name="城中区"))
    with COMPLAINTS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    results = {
        split: evaluate(router, [r for r in rows if split == "all" or r["split"] == split])
        for split in ("tune", "holdout", "all")
    }
    chosen = results[options.split]
    if options.misses:
        for row, routing in chosen["misses"]:
            got = routing.lead or "（争议）"
            top = ", ".join(f"{c.unit}{c.score:.2f}" for c in routing.candidates[:3])
            print(
                f"{row['id']} {row['split']} want {row['lead']} got {got} | {row['text']} | {top}"
            )
    for split, result in results.items():
        print(f"{split}: {result['right']}/{result['n']} = {result['right'] / result['n']:.1%}"
              f" (disputed {result['disputed']})")  # fmt: skip
    if options.split != "all":
        return
    texts = [row["text"] for row in rows]
    per_route = median_time(lambda: [router.route(t) for t in texts], number=1, repeat=5) / len(
        texts
    )
    baseline = median_time(lambda: [bigrams(t) for t in texts], number=1, repeat=5) / len(texts)
    leads = Counter(row["lead"] for row in rows)
    lines = [
        "Reproduce with `.venv/bin/python bench/routing.py` (`--misses` lists every miss).",
        f"Machine: {machine()}. {len(rows)} labelled complaints "
        f"(`src/ecogov/sample/chengzhong_complaints.csv`), {len(leads)} lead units; the router's "
        "constants and the words of its lexicon were tuned on the tune rows only, so the holdout "
        "row is the honest figure. The two traffic brigades share one duty clause; which of them "
        "leads depends on the place, which the text alone does not settle.",
        "",
        "| rows | lead right | disputed (sent to the bureau) | wrong lead |",
        "|---|---|---|---|",
    ]
    for split in ("tune", "holdout", "all"):
        r = results[split]
        wrong = r["n"] - r["right"] - r["disputed"]
        lines.append(f"| {split} ({r['n']}) | {r['right'] / r['n']:.1%} | {r['disputed'] / r['n']:.1%} "
                     f"| {wrong / r['n']:.1%} |")  # fmt: skip
    lines += [
        "",
        f"Speed: {per_route * 1000:.2f} ms to route one complaint (target < 5 ms); cutting the "
        f"same text into bigrams takes {baseline * 1000:.3f} ms (ratio {per_route / baseline:.0f}×).",
        "",
        "Confusion (all rows, misses only): labelled lead → proposed lead, count.",
        "",
        "| labelled | proposed | count |",
        "|---|---|---|",
    ]
    for (want, got), count in results["all"]["confusion"].most_common():
        lines.append(f"| {want} | {got} | {count} |")
    sys.stdout.write(write_section("Cases (issue 6): routing by the duty lists", "\n".join(lines)))


if __name__ == "__main__":
    main()
