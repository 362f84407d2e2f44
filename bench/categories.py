"""Accuracy of the category a complaint's text gets (issue 17 item 13).

    .venv/bin/python bench/categories.py [--misses]

The category comes from the router's lexicon alone (no duty list, no database): the
words that name a nuisance (噪音, 扬尘, 油烟) first, then the most mentioned concept.
Two labelled sets: src/ecogov/sample/category_complaints.csv, written for the category
decision (the noise-versus-dust and cooking-fumes-versus-air confusions among them),
and the category column of the routing set src/ecogov/sample/chengzhong_complaints.csv.
Each has "tune" and "holdout" rows; the lexicon's nuisance words were chosen looking at
the tune rows only. Writes its section of docs/benchmarks.md.
"""

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from _report import ROOT, write_section  # noqa: E402

from ecogov.domain.router import Router  # noqa: E402

SETS = {
    "category set": ROOT / "src" / "ecogov" / "sample" / "category_complaints.csv",
    "routing set": ROOT / "src" / "ecogov" / "sample" / "chengzhong_complaints.csv",
}
# Measured with the same command on commit a4756c2, before the nuisance words existed.
BEFORE = {
    ("category set", "tune"): "28/32 = 87.5%",
    ("category set", "holdout"): "12/16 = 75.0%",
    ("routing set", "tune"): "85/123 = 69.1%",
    ("routing set", "holdout"): "34/59 = 57.6%",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true", help="print every miss")
    options = parser.parse_args()
    router = Router([])
    lines = [
        "Reproduce with `.venv/bin/python bench/categories.py` (`--misses` lists every miss).",
        'The category the text alone gives (no category chosen by the reporter). "Before" is '
        "the same command on commit a4756c2. The category set's 48 complaints were written for "
        "this bench in the wording of citizens' hotline complaints (no names or places of real "
        "people); a third are holdout. The unit a complaint is routed to is unchanged "
        "(`bench/routing.py` gives the same figures): the nuisance words order the categories, "
        "not the duty terms.",
        "",
        "| set | rows | before | after |",
        "|---|---|---|---|",
    ]
    for name, path in SETS.items():
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        for split in ("tune", "holdout"):
            chosen = [row for row in rows if row["split"] == split]
            right = 0
            confusion: Counter = Counter()
            for row in chosen:
                got = router.route(row["text"]).category
                if got == row["category"]:
                    right += 1
                    continue
                confusion[(row["category"], got)] += 1
                if options.misses:
                    print(
                        f"{name} {row['id']} {split} want {row['category']} got {got} | {row['text']}"
                    )
            figure = f"{right}/{len(chosen)} = {right / len(chosen):.1%}"
            print(f"{name} {split}: {figure}")
            lines.append(
                f"| {name} | {split} ({len(chosen)}) | {BEFORE[(name, split)]} | {figure} |"
            )
    sys.stdout.write(write_section("Cases (issue 17): category from the text", "\n".join(lines)))


if __name__ == "__main__":
    main()
