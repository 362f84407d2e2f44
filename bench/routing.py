"""Accuracy and speed of the case router on the labelled complaints.

    .venv/bin/python bench/routing.py [--split tune|holdout|all] [--misses] [--real FILE ...]

Loads the sample district (its 2021 duty list under today's unit names) into a
temporary database and routes two sets of labelled complaints:

- ``sample``: src/ecogov/sample/chengzhong_complaints.csv, fictional complaints written
  for EcoGov in the district's own places;
- ``real``: tests/data/complaints/*.csv, real public complaints from message boards
  across China, labelled with the department that answered, mapped onto the sample
  district's units. Rows of kind ``other`` (a power company, a school board…) have no
  unit of the district: they are counted apart (the right answer is the bureau's own
  decision, i.e. disputed).

Two routers: the duty clauses alone, and the clauses combined with the learned part. The
learned part never sees the rows it is measured on, nor any holdout row: a tune row is
routed by a model trained on the other folds of the tune rows (both sets, 5 folds), a
holdout row by a model trained on all tune rows. The constants of both routers were
tuned on the tune rows only; the holdout rows are the honest figure.

Per set and split: top-1 (the proposed lead is the label), top-3 (the label is among the
first three units of the proposal's ranking, disputed or not), the disputed share (no
lead: the bureau decides), the wrong share, the commonest confusions; the time to route
one complaint, with the time to cut the same text into bigrams as the baseline. With
``--split tune`` no holdout row is even read. Writes its section of docs/benchmarks.md
when run on all rows.
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
from ecogov.domain.router_model import base_examples, train  # noqa: E402
from ecogov.org.models import Jurisdiction, Unit  # noqa: E402
from ecogov.org.routing import router_for  # noqa: E402
from ecogov.org.sample import sample_load  # noqa: E402

SAMPLE = ROOT / "src" / "ecogov" / "sample" / "chengzhong_complaints.csv"
REAL = sorted((ROOT / "tests" / "data" / "complaints").glob("*.csv"))
FOLDS = 5
DISPUTED = "（争议）"


def read(paths, splits) -> list[dict]:
    """The rows of the given splits only (with --split tune, no holdout row is read)."""
    rows = []
    for path in paths:
        with open(path, encoding="utf-8", newline="") as handle:
            rows += [row for row in csv.DictReader(handle) if row["split"] in splits]
    return rows


def learned_models(sets: dict[str, list[dict]], units) -> dict[int, object]:
    """For every row (by id()), the learned model that routes it: one trained without
    the row and without any holdout row."""
    tune = [row for rows in sets.values() for row in rows if row["split"] == "tune"]
    tune.sort(key=lambda row: row["id"])  # folds that do not depend on file order
    chosen: dict[int, object] = {}
    for k in range(FOLDS):
        held = tune[k::FOLDS]
        held_ids = {id(row) for row in held}
        model = train(base_examples([r for r in tune if id(r) not in held_ids], units))
        for row in held:
            chosen[id(row)] = model
    holdout = [row for rows in sets.values() for row in rows if row["split"] == "holdout"]
    if holdout:
        model = train(base_examples(tune, units))
        for row in holdout:
            chosen[id(row)] = model
    return chosen


def evaluate(route, rows, territorial=()) -> dict:
    """``territorial``: the street offices and townships, whose rows are also counted
    apart (which local office answered is a city's practice the text rarely shows)."""
    labelled = [row for row in rows if row["lead"]]
    result = {"n": len(labelled), "top1": 0, "top3": 0, "disputed": 0, "confusion": Counter(),
              "misses": [], "other": len(rows) - len(labelled), "other_disputed": 0,
              "n_departments": sum(row["lead"] not in territorial for row in labelled),
              "top1_departments": 0}  # fmt: skip
    for row in rows:
        routing = route(row)
        if not row["lead"]:
            result["other_disputed"] += routing.lead is None
            continue
        if routing.lead == row["lead"]:
            result["top1"] += 1
            result["top1_departments"] += row["lead"] not in territorial
        else:
            result["disputed"] += routing.lead is None
            result["confusion"][(row["lead"], routing.lead or DISPUTED)] += 1
            result["misses"].append((row, routing))
        result["top3"] += row["lead"] in routing.ranking()[:3]
    return result


def share(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "—"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", choices=("tune", "holdout", "all"), default="all")
    parser.add_argument("--misses", action="store_true", help="print every miss")
    parser.add_argument("--real", nargs="*", type=Path, default=REAL,
                        help="the real sets' CSV files (default tests/data/complaints/*.csv)")  # fmt: skip
    options = parser.parse_args()
    splits = ("tune", "holdout") if options.split == "all" else (options.split,)
    if options.split == "holdout":
        splits = ("tune", "holdout")  # the learned part trains on the tune rows
    call_command("migrate", verbosity=0)
    sample_load()
    district = Jurisdiction.objects.get(name="城中区")
    clauses = router_for(district).with_learned(None)
    units = set(
        Unit.objects.filter(jurisdiction=district, is_active=True).values_list("name", flat=True)
    )
    sets = {"sample": read([SAMPLE], splits), "real": read(options.real, splits)}
    models = learned_models(sets, units)
    combined = clauses.with_learned(None)
    combined.known = units
    assigning = clauses.with_learned(None)  # the combined router that never disputes
    assigning.known, assigning.min_share = units, 0.0

    def by_clauses(row):
        return clauses.route(row["text"])

    def by_both(row):
        combined.learned = models[id(row)]
        return combined.route(row["text"])

    def by_both_always(row):
        assigning.learned = models[id(row)]
        return assigning.route(row["text"])

    shown = ("tune", "holdout") if options.split == "all" else (options.split,)
    results = {
        (name, split, method): evaluate(
            route, [r for r in rows if r["split"] == split], set(clauses.territorial)
        )
        for name, rows in sets.items()
        for split in shown
        for method, route in (
            ("clauses", by_clauses),
            ("combined", by_both),
            ("no dispute", by_both_always),
        )  # fmt: skip
    }
    if options.misses:
        for (name, split, method), result in results.items():
            if method != "combined":
                continue
            for row, routing in result["misses"]:
                got = routing.lead or DISPUTED
                top = ", ".join(f"{u}{s:.2f}" for u, s in routing.shares[:3])
                print(f"{name} {row['id']} {split} want {row['lead']} got {got} | "
                      f"{row['text'][:80]} | {top}")  # fmt: skip
    for (name, split, method), r in results.items():
        wrong = r["n"] - r["top1"] - r["disputed"]
        print(f"{name:6} {split:7} {method:10} n={r['n']:3} top1 {share(r['top1'], r['n']):>6} "
              f"top3 {share(r['top3'], r['n']):>6} disputed {share(r['disputed'], r['n']):>6} "
              f"wrong {share(wrong, r['n']):>6}  other {r['other_disputed']}/{r['other']} disputed"
              f"  top1 w/o territorial {share(r['top1_departments'], r['n_departments'])}")  # fmt: skip
    texts = [row["text"] for rows in sets.values() for row in rows]
    combined.learned = next(iter(models.values()))
    per_clauses = median_time(lambda: [clauses.route(t) for t in texts], number=1, repeat=5)
    per_both = median_time(lambda: [combined.route(t) for t in texts], number=1, repeat=5)
    baseline = median_time(lambda: [bigrams(t) for t in texts], number=1, repeat=5)
    per_clauses, per_both, baseline = (x / len(texts) for x in (per_clauses, per_both, baseline))
    print(f"speed: clauses {per_clauses * 1000:.2f} ms, combined {per_both * 1000:.2f} ms, "
          f"bigrams {baseline * 1000:.3f} ms per complaint")  # fmt: skip
    if options.split != "all":
        return
    sizes = {name: Counter(row["split"] for row in rows) for name, rows in sets.items()}
    lines = [
        "Reproduce with `.venv/bin/python bench/routing.py` (`--misses` lists every miss; "
        "`--split tune` reads no holdout row).",
        f"Machine: {machine()}. Two sets of labelled complaints, routed in the sample district "
        "(seed 000, 西宁市城中区):",
        "",
        f"- **sample** — `src/ecogov/sample/chengzhong_complaints.csv`, fictional complaints "
        f"written for EcoGov ({sizes['sample']['tune']} tune, {sizes['sample']['holdout']} "
        "holdout rows);",
        f"- **real** — `tests/data/complaints/*.csv`, real public complaints from message "
        f"boards across China ({sizes['real']['tune']} tune, {sizes['real']['holdout']} holdout "
        "rows), labelled by the department that answered and mapped to the unit of the sample "
        "district that would handle it. Rows of kind `other` (no unit of the district fits) "
        "are not in the accuracy; the last column says how many of them were disputed.",
        "",
        "**clauses**: the duty-clause retrieval alone (issue 6). **combined**: with the "
        "learned part (issue 23), trained on the tune rows of both sets; a tune row is routed "
        f"by a model trained on the other {FOLDS - 1} folds of the tune rows, a holdout row by "
        "a model trained on all tune rows, so no row is routed by a model that saw it. The "
        "constants (the model's and the combination's) were tuned on the tune rows only: the "
        "holdout rows are the honest figure. Top-3: the label is among the proposal's first "
        "three units. Disputed: no lead proposed, the case waits for the bureau. **no "
        "dispute**: the combined router with its dispute threshold at 0 (only a text that "
        "neither part recognises is disputed), to show what the threshold trades. The last "
        "column leaves out the rows labelled with a street office or township "
        "(各街道办事处, 总寨镇政府): in the real set they are complaints a city's local office "
        "answered, about the same problems its departments answer elsewhere — which office "
        "answered is that city's practice, which the text rarely shows.",
        "",
        "| set | split (rows) | router | top-1 | top-3 | disputed | wrong | `other` disputed "
        "| top-1, departments only |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for (name, split, method), r in results.items():
        wrong = r["n"] - r["top1"] - r["disputed"]
        lines.append(
            f"| {name} | {split} ({r['n']}) | {method} | {share(r['top1'], r['n'])} | "
            f"{share(r['top3'], r['n'])} | {share(r['disputed'], r['n'])} | "
            f"{share(wrong, r['n'])} | {r['other_disputed']}/{r['other']} | "
            f"{share(r['top1_departments'], r['n_departments'])} ({r['n_departments']}) |"
        )
    lines += [
        "",
        "What the figures say. Issue 23's goal — 90 % top-1 on real held-out text, most of "
        "the rest disputed — is not reached. The real set's labels are the departments that "
        "answered in cities whose division of duties is not seed 000's: one city's ecology "
        "bureau answers the restaurant fumes that seed 000 gives to urban management, another's "
        "street office answers the building-site noise that a third city's housing bureau "
        "answers; no router that reads only the text can match both. The learned part learns "
        "the commonest answers (the ecology bureau, a quarter of the rows), the clauses "
        "follow seed 000's division; together and without the dispute threshold they route "
        "a little better than the clauses alone, and the threshold turns a larger share of the "
        "wrong leads than of the right ones into disputed cases (compare the no dispute rows). "
        "What the learned part is for is the bureau's own decisions, which follow "
        "one division: a report nearly the same as one the bureau decided goes where it sent "
        "that one (tests/test_router_learning.py), which these sets cannot measure.",
        "",
        f"Speed (median over {len(texts)} complaints): clauses alone "
        f"{per_clauses * 1000:.2f} ms, combined {per_both * 1000:.2f} ms to route one "
        f"complaint (target < 5 ms); cutting the same text into bigrams takes "
        f"{baseline * 1000:.3f} ms (ratio {per_both / baseline:.0f}× for the combined router).",
        "",
        "Commonest confusions of the combined router: labelled lead → proposed lead "
        f"({DISPUTED}: disputed), count.",
        "",
        "| set | split | labelled | proposed | count |",
        "|---|---|---|---|---|",
    ]
    for name in sets:
        for split in ("tune", "holdout"):
            confusion = results[(name, split, "combined")]["confusion"]
            for (want, got), count in confusion.most_common(6):
                lines.append(f"| {name} | {split} | {want} | {got} | {count} |")
    sys.stdout.write(write_section("Cases (issues 6, 23): routing", "\n".join(lines)))


if __name__ == "__main__":
    main()
