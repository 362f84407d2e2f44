"""ecogov plan import and the sample plans, run as a user would."""

import io
import json

import docx
import pytest
from django.core.management import CommandError, call_command

from ecogov.org.models import Unit
from ecogov.org.sample import SAMPLE_DIR, sample_load
from ecogov.plans.models import Plan, Target, Task, TaskUnit
from ecogov.plans.sample import plans_sample_load

pytestmark = pytest.mark.django_db
CHENGZHONG = SAMPLE_DIR / "chengzhong_2024_action_plan.txt"
WUHAI = SAMPLE_DIR / "wuhai_2022_improvement_plan.txt"


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def history_rows() -> int:
    return sum(model.history.count() for model in (Plan, Task, TaskUnit, Target, Unit))


def test_the_json_report_has_exactly_the_promised_shape():
    sample_load()
    report = json.loads(run("plan", "import", str(CHENGZHONG), "--json"))
    assert set(report) == {"plan", "tasks", "targets", "unresolved_units", "collective_mentions"}
    assert set(report["plan"]) == {"title", "issuer", "doc_number", "date"}
    assert all(
        set(task)
        == {"number", "title", "text", "lead", "support", "supervising", "implementing", "deadline"}
        for task in report["tasks"]
    )
    assert all(
        set(target) == {"indicator", "op", "value", "reference", "unit", "year", "task"}
        for target in report["targets"]
    )
    assert len(report["tasks"]) == 23
    task3 = next(task for task in report["tasks"] if task["number"] == "3")
    assert (task3["lead"], task3["deadline"]) == (["区自然资源和林业局"], "2026-12")
    forest = next(t for t in report["targets"] if t["indicator"] == "森林覆盖率")
    assert (forest["op"], forest["value"], forest["unit"], forest["year"], forest["task"]) == (
        ">=", 31.48, "%", 2026, "3",
    )  # fmt: skip


def test_units_resolve_through_aliases_and_former_names_and_the_rest_are_listed():
    sample_load()
    report = json.loads(run("plan", "import", str(CHENGZHONG), "--json"))
    task12 = next(task for task in report["tasks"] if task["number"] == "12")
    # 区城市管理局 and 区市场监管局 are aliases in the sample registry: the registry's names come out
    assert "区城市管理综合行政执法局" in task12["lead"] and "区市场监督管理局" in task12["lead"]
    assert "区委宣传部" in report["unresolved_units"] and "区教育局" in report["unresolved_units"]
    assert "区生态环境局" not in report["unresolved_units"]
    link = TaskUnit.objects.get(task__number="12", name="区市场监管局")
    assert link.unit.name == "区市场监督管理局"
    assert TaskUnit.objects.get(task__number="1", name="区委宣传部").unit is None


def test_importing_twice_changes_nothing():
    sample_load()
    run("plan", "import", str(CHENGZHONG))
    before = (
        Task.objects.count(),
        Target.objects.count(),
        TaskUnit.objects.count(),
        history_rows(),
    )
    run("plan", "import", str(CHENGZHONG))
    after = (Task.objects.count(), Target.objects.count(), TaskUnit.objects.count(), history_rows())
    assert after == before and Plan.objects.count() == 1


def test_a_changed_document_updates_its_plan(tmp_path):
    sample_load()
    run("plan", "import", str(CHENGZHONG))
    edited = tmp_path / "plan.txt"
    edited.write_text(
        CHENGZHONG.read_text(encoding="utf-8").replace(
            "完成时限：2024年12月底", "完成时限：2025年6月底"
        ),
        encoding="utf-8",
    )
    run("plan", "import", str(edited))
    assert Plan.objects.count() == 1
    task = Task.objects.get(number="5")
    assert task.deadline_label == "2025-06"
    assert task.history.count() == 2


def test_create_units_registers_the_plans_units():
    sample_load()
    run("jurisdictions", "add", "内蒙古自治区", "--level", "province")
    run("jurisdictions", "add", "乌海市", "--level", "city", "--parent", "内蒙古自治区")
    report = json.loads(run("plan", "import", str(WUHAI), "--create-units", "--json"))
    assert report["unresolved_units"] == []
    assert Unit.objects.filter(jurisdiction__name="乌海市", name="市生态环境局").exists()
    first = report["tasks"][0]
    assert first["lead"] == ["各区委", "各区政府"] and "市发改委" in first["supervising"]


def test_a_plans_collective_mentions_stay_text_and_its_new_units_are_numbered_in_order():
    sample_load()
    run("jurisdictions", "add", "内蒙古自治区", "--level", "province")
    run("jurisdictions", "add", "乌海市", "--level", "city", "--parent", "内蒙古自治区")
    report = json.loads(run("plan", "import", str(WUHAI), "--create-units", "--json"))
    wuhai = Unit.objects.filter(jurisdiction__name="乌海市")
    assert not wuhai.filter(name__startswith="各").exists()
    assert report["collective_mentions"] == ["各区委", "各区政府"]
    lead = TaskUnit.objects.filter(task__number=report["tasks"][0]["number"], role="lead")
    assert [(link.name, link.unit) for link in lead.order_by("order")] == [
        ("各区委", None),
        ("各区政府", None),
    ]
    # Numbered 1, 2, 3… in the order the plan first names them, as a duty list's are.
    orders = list(wuhai.order_by("order").values_list("order", flat=True))
    assert orders == list(range(1, len(orders) + 1))
    assert wuhai.get(order=1).name == report["tasks"][0]["supervising"][0]


def test_a_dry_run_needs_no_registry_and_writes_nothing():
    report = json.loads(run("plan", "import", str(WUHAI), "--dry-run", "--json"))
    assert len(report["tasks"]) > 20
    assert "市生态环境局" in report["unresolved_units"]
    assert Plan.objects.count() == 0 and Unit.objects.count() == 0


def test_a_docx_plan_is_read(tmp_path):
    sample_load()
    document = docx.Document()
    for line in CHENGZHONG.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    path = tmp_path / "plan.docx"
    document.save(path)
    report = json.loads(run("plan", "import", str(path), "--json"))
    assert len(report["tasks"]) == 23


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\xd0\xcf\x11\xe0 not a plan at all", "not a plan|not a text"),
        ("会议纪要\n\n今天开会。\n".encode(), "not a plan"),
    ],
)
def test_a_file_that_is_not_a_plan_is_refused_clearly(tmp_path, content, message):
    sample_load()
    path = tmp_path / "notes.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message) as error:
        run("plan", "import", str(path), "--jurisdiction", "城中区")
    assert "nothing imported" in str(error.value)
    assert Plan.objects.count() == 0


def test_a_broken_docx_is_refused(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK not really a zip")
    with pytest.raises(CommandError, match="not a readable Word document"):
        run("plan", "import", str(path), "--jurisdiction", "城中区")


def test_the_sample_plans_load_twice_without_change():
    sample_load()
    plans_sample_load()
    before = (Task.objects.count(), Target.objects.count(), history_rows())
    plans_sample_load()
    assert (Task.objects.count(), Target.objects.count(), history_rows()) == before
    assert Plan.objects.get(jurisdiction__name="城中区").tasks.count() == 23
    wuhai = Plan.objects.get(jurisdiction__name="乌海市")
    assert wuhai.tasks.count() > 20 and wuhai.targets.filter(year=2025).exists()
