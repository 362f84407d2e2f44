"""The development set of real plans (issue 23, tests/data/plans/): every hand annotation is
well-formed, sits beside its document and in the group its address decides; and the plan
reader's figures on the seeds and the tune group stay at or above the floors reached when
it was tuned (a regression guard; bench/plans.py reports the figures, with the holdout
group). No database, no timing."""

import hashlib
import importlib.util
import json
import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "plans"
SPEC = importlib.util.spec_from_file_location("bench_plans", ROOT / "bench" / "plans.py")
bench = importlib.util.module_from_spec(SPEC)
_path = list(sys.path)
SPEC.loader.exec_module(bench)
# The bench puts bench/ first on the path for its helpers; left there, bench/public.py
# shadowed the atpublic package that aiosmtpd imports, in whichever test ran next.
sys.path[:] = _path

TRUTHS = sorted(DATA.glob("*/*.json"))
DEADLINE = re.compile(r"^(?:\d{4}-(?:0[1-9]|1[0-2])|yearly-(?:0[1-9]|1[0-2])|ongoing)$")
OPS = {">=", "<=", ">", "<", "=="}

# What the reader reached when it was tuned (bench/plans.py --split tune / seeds). Tune: 29
# documents; the three added on 2026-12-04 are read but for 62 (a rectification acceptance
# notice whose units are named only in its closing sentence: 3 tasks without units, a deadline)
# and 64's four campaign phases (第一阶段…, not read as tasks), hence F1 0.969 and 109 tasks'
# lead, implementing 97.2 %, deadline 99.1 %. Seeds 74/76 and 72/72 targets. A change that
# lowers one of them has to say why.
FLOORS = {
    "seeds": {"f1": 1.0, "lead": 1.0, "support": 1.0, "implementing": 1.0, "deadline": 1.0,
              "target_recall": 0.97, "target_precision": 1.0},
    "tune": {"f1": 0.968, "lead": 0.972, "support": 1.0, "implementing": 0.972, "deadline": 0.99,
             "target_recall": 1.0, "target_precision": 1.0},
}  # fmt: skip


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_there_are_truth_files():
    assert len(list((DATA / "seeds").glob("*.json"))) == 2
    assert list((DATA / "tune").glob("*.json"))


@pytest.mark.parametrize("path", TRUTHS, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_a_truth_file_is_well_formed_and_sits_beside_its_document(path):
    truth = load(path)
    for key in ("source", "title", "year", "tasks", "targets"):
        assert key in truth, key
    document = bench.document_path(path)
    assert document is not None, "no .txt/.docx/.pdf beside the truth"
    text = (
        bench.squeeze(document.read_text(encoding="utf-8")) if document.suffix == ".txt" else None
    )
    for task in truth["tasks"]:
        assert isinstance(task["start"], str) and task["start"].strip()
        for role in ("lead", "support", "implementing"):
            assert isinstance(task.get(role, []), list), role
            assert all(isinstance(name, str) and name for name in task.get(role, []))
        assert task.get("deadline") is None or DEADLINE.match(task["deadline"]), task
        if text is not None:
            assert bench.squeeze(task["start"]) in text, task["start"]
    for target in truth["targets"]:
        assert target["op"] in OPS, target
        if target.get("value") not in (None, ""):
            Decimal(str(target["value"]))
        assert target.get("year") is None or isinstance(target["year"], int)
        assert isinstance(target.get("aspirational", False), bool)
        assert target["indicator"].strip()


@pytest.mark.parametrize(
    "path",
    [path for path in TRUTHS if path.parent.name in ("tune", "holdout")],
    ids=lambda path: f"{path.parent.name}/{path.stem}",
)
def test_a_documents_group_follows_from_its_address(path):
    source = load(path)["source"]
    expected = "holdout" if int(hashlib.sha1(source.encode()).hexdigest(), 16) % 3 == 0 else "tune"
    assert path.parent.name == expected


@pytest.mark.parametrize("group", sorted(FLOORS))
def test_the_readers_figures_stay_at_their_floors(group):
    total = bench.total(bench.evaluate_group(group), group)
    figures = {
        "f1": total.f1,
        "lead": total.share("lead"),
        "support": total.share("support"),
        "implementing": total.share("implementing"),
        "deadline": total.share("deadline"),
        "target_recall": total.target_recall,
        "target_precision": total.target_precision,
    }
    below = {
        name: round(value, 3) for name, value in figures.items() if value < FLOORS[group][name]
    }
    assert not below, f"{group} below its floors: {below}"
