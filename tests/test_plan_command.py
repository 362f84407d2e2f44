"""ecogov plan import and the sample plans, run as a user would."""

import datetime
import io
import json

import docx
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from ecogov.org.models import Unit
from ecogov.org.sample import SAMPLE_DIR, sample_load
from ecogov.plans.models import Plan, Target, Task, TaskUnit
from ecogov.plans.sample import plans_sample_load
from plantables import (
    PINGDINGSHAN,
    SUINING,
    docx_bytes,
    pdf_bytes,
    scan_pdf_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The command speaks the district's language (Chinese); these tests read its English."""
    with translation.override("en"):
        yield


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
    # The history keeps the deadline before and after (and the colours the import gave
    # the task at once, as the supervision scan records them).
    deadlines = [entry.deadline for entry in task.history.order_by("history_date", "pk")]
    assert deadlines[0] == datetime.date(2024, 12, 1) and deadlines[-1] == datetime.date(2025, 6, 1)
    assert set(deadlines) == {datetime.date(2024, 12, 1), datetime.date(2025, 6, 1)}


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


# --- real division-of-labour tables, from Word and from PDF ------------------------------

CITY_TO_DISTRICT = ("--map", "市城管局=区城市管理综合行政执法局", "--map", "市住建局=区城乡建设局")


def built(tmp_path, source, kind: str):
    text = source.read_text(encoding="utf-8")
    path = tmp_path / f"{source.stem}.{kind}"
    path.write_bytes(docx_bytes(text) if kind == "docx" else pdf_bytes(text))
    return path


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_a_division_of_labour_table_is_imported_from_word_and_from_pdf(tmp_path, kind):
    sample_load()
    path = built(tmp_path, SUINING, kind)
    run("plan", "import", str(path), "--jurisdiction", "城中区", *CITY_TO_DISTRICT)
    plan = Plan.objects.get(title="遂宁市城市环境卫生工作任务分解表")
    assert plan.tasks.count() == 11 and plan.source == path.name
    first = plan.tasks.get(number="1")
    links = {(link.role, link.name): link.unit for link in first.units.all()}
    assert ("lead", "市委编办") in links and links[("lead", "市委编办")] is None  # kept as written
    assert links[("support", "市城管局")].name == "区城市管理综合行政执法局"
    assert links[("support", "市住建局")].name == "区城乡建设局"
    lead = plan.tasks.get(number="5").units.filter(role="lead").order_by("order").first()
    assert (lead.name, lead.unit.name) == ("市住建局", "区城乡建设局")
    # The county governments carry the task out: kept as written, several units each.
    implementing = plan.tasks.get(number="2").units.filter(role="implementing")
    assert [(link.name, link.unit) for link in implementing.order_by("order")] == [
        ("各县(区)政府", None), ("市直园区管委会", None),
    ]  # fmt: skip


def test_a_table_imported_from_pdf_and_then_from_word_is_one_plan_unchanged(tmp_path):
    sample_load()
    run("plan", "import", str(built(tmp_path, SUINING, "pdf")), "--jurisdiction", "城中区")
    before = (Task.objects.count(), TaskUnit.objects.count())
    run("plan", "import", str(built(tmp_path, SUINING, "docx")), "--jurisdiction", "城中区")
    assert (Task.objects.count(), TaskUnit.objects.count()) == before
    assert Plan.objects.count() == 1


def test_lead_and_supporting_columns_of_a_pdf_table_reach_the_tasks(tmp_path):
    sample_load()
    run("jurisdictions", "add", "河南省", "--level", "province")
    run("jurisdictions", "add", "平顶山市", "--level", "city", "--parent", "河南省")
    report = json.loads(
        run("plan", "import", str(built(tmp_path, PINGDINGSHAN, "pdf")), "--create-units", "--json")
    )
    first = report["tasks"][0]
    assert first["lead"] == ["市水利局"]
    assert {"市发展改革委", "市工业和信息化委", "市住房和城乡建设局"} <= set(first["support"])
    link = TaskUnit.objects.get(task__number=first["number"], role="lead")
    assert link.unit.name == "市水利局" and link.unit.jurisdiction.name == "平顶山市"


def test_unknown_units_are_mapped_with_map_and_the_rest_kept_as_written():
    sample_load()
    out = io.StringIO()
    err = io.StringIO()
    call_command("plan", "import", str(CHENGZHONG), "--map", "区委宣传部=区政府办公室",
                 stdout=out, stderr=err)  # fmt: skip
    link = TaskUnit.objects.get(task__number="1", name="区委宣传部")
    assert link.unit.name == "区政府办公室"
    assert "mapped: 区委宣传部=区政府办公室" in out.getvalue()
    assert "区委宣传部" not in err.getvalue() and "区教育局" in err.getvalue()
    assert "--map" in err.getvalue()
    assert TaskUnit.objects.get(task__number="1", name="区委宣传部").name == "区委宣传部"


@pytest.mark.parametrize(
    "pair, message",
    [
        ("区委宣传部", "write it as"),
        ("区委宣传部=区宣传局", "is no unit of"),
        ("=区政府办公室", "write it as"),
    ],
)
def test_a_bad_map_is_refused_and_nothing_is_imported(pair, message):
    sample_load()
    with pytest.raises(CommandError, match=message) as error:
        run("plan", "import", str(CHENGZHONG), "--map", pair)
    assert "nothing imported" in str(error.value)
    assert Plan.objects.count() == 0


def test_a_dry_run_with_create_units_registers_nothing():
    sample_load()
    units = Unit.objects.count()
    report = json.loads(
        run("plan", "import", str(CHENGZHONG), "--create-units", "--dry-run", "--json")
    )
    assert report["unresolved_units"] == []
    assert Unit.objects.count() == units and Plan.objects.count() == 0


@pytest.mark.parametrize(
    "content, message",
    [
        (scan_pdf_bytes(), "this PDF has no text: it is a scan; EcoGov reads text PDFs"),
        (b"%PDF-1.4\n%broken", "not a readable PDF"),
    ],
    ids=["scan", "broken"],
)
def test_a_scan_or_a_broken_pdf_is_refused_and_nothing_is_written(tmp_path, content, message):
    sample_load()
    path = tmp_path / "plan.pdf"
    path.write_bytes(content)
    before = history_rows()
    with pytest.raises(CommandError, match=message) as error:
        run("plan", "import", str(path), "--jurisdiction", "城中区", "--create-units")
    assert "nothing imported" in str(error.value)
    assert Plan.objects.count() == 0 and history_rows() == before


def test_a_unit_mapped_once_stays_mapped_when_the_plan_is_imported_again():
    sample_load()
    run("plan", "import", str(CHENGZHONG), "--map", "区委宣传部=区政府办公室")
    out = run("plan", "import", str(CHENGZHONG))
    assert "mapped as when the plan was last imported: 区委宣传部=区政府办公室" in out
    assert TaskUnit.objects.get(task__number="1", name="区委宣传部").unit.name == "区政府办公室"


def test_an_imported_plans_tasks_are_coloured_at_once():
    """The ledger reads a task's stored status and colour: an import leaves what the scan
    would."""
    from ecogov.plans.supervised import _judge, _status
    from ecogov.supervision.clocks import calendar

    sample_load()
    run("plan", "import", str(CHENGZHONG))
    today, count = datetime.date.today(), calendar().workdays_between
    tasks = Task.objects.filter(completed_on=None).select_related("plan")
    assert tasks.exclude(colour="").exists()
    for task in tasks:
        assert (task.colour, task.stage) == _judge(task, today, count), task.number
        assert task.status == _status(task, today), task.number
