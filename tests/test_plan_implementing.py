"""The governments that carry a task out (负责落实, TaskUnit.Role.IMPLEMENTING): stored by
the import like the other roles, on the task page, the ledger, the Excel ledger and the
API."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from ecogov.domain.plandoc import PlanDocument, PlanTask
from ecogov.plans.exports import HEADER, progress_import
from ecogov.plans.models import TaskUnit
from ecogov.plans.services import plan_import, plan_report, plan_resolve

COUNTIES = "各县（市、区）人民政府"


def document(*, implementing=(COUNTIES, "区城乡建设局")) -> PlanDocument:
    # The bracket of a real task: "（市环保局牵头，市经信委、市煤炭局配合，各县市区人民政府
    # 负责落实）" (issue 23), with units of the sample district.
    task = PlanTask(
        number="1", title="加强燃煤锅炉整治", text="加强燃煤锅炉整治。", line=3,
        lead=["区生态环境局"], support=["区市场监督管理局"], implementing=list(implementing),
        deadline="2026-12",
    )  # fmt: skip
    return PlanDocument(
        title="城中区大气污染防治行动计划", issuer=None, doc_number=None,
        date=datetime.date(2026, 1, 5), tasks=[task], goals=[], area=["城中区"],
        level_prefix="区",
    )  # fmt: skip


@pytest.fixture
def plan(personas):
    parsed = document()
    resolution = plan_resolve(document=parsed, jurisdiction=personas.district, create_units=False)
    return plan_import(
        document=parsed, targets=[], jurisdiction=personas.district, resolution=resolution
    )


def test_it_stores_implementing_governments_as_their_own_role(plan, personas):
    links = plan.tasks.get().units.filter(role=TaskUnit.Role.IMPLEMENTING).order_by("order")
    assert [(link.name, link.unit) for link in links] == [
        (COUNTIES, None), ("区城乡建设局", personas.construction),
    ]  # fmt: skip
    assert plan.tasks.get().units.filter(role=TaskUnit.Role.LEAD).get().unit == personas.bureau


def test_it_reports_them_and_keeps_the_collective_name_out_of_the_unknown(personas):
    parsed = document()
    resolution = plan_resolve(document=parsed, jurisdiction=personas.district, create_units=True)
    report = plan_report(parsed, [], resolution)
    assert report["tasks"][0]["implementing"] == [COUNTIES, "区城乡建设局"]
    assert report["collective_mentions"] == [COUNTIES] and report["unresolved_units"] == []
    assert "created" not in report and resolution.created == []


def test_reimporting_without_them_removes_them(plan, personas):
    parsed = document(implementing=())
    resolution = plan_resolve(document=parsed, jurisdiction=personas.district, create_units=False)
    plan_import(document=parsed, targets=[], jurisdiction=personas.district, resolution=resolution)
    assert not TaskUnit.objects.filter(role=TaskUnit.Role.IMPLEMENTING).exists()


def test_the_task_page_lists_them_after_the_lead_and_supporting_units(plan, personas, client_for):
    task = plan.tasks.get()
    page = client_for(personas.dora).get(task.get_absolute_url()).content.decode()
    lead, support, implementing = (
        page.index("区生态环境局"), page.index("区市场监督管理局"), page.index(COUNTIES),
    )  # fmt: skip
    assert lead < support < implementing
    assert "区城乡建设局" in page[implementing:]


def test_the_plan_page_shows_them_on_the_ledger(plan, personas, client_for):
    page = client_for(personas.lena).get(plan.get_absolute_url()).content.decode()
    row = page[page.index("加强燃煤锅炉整治") :]
    assert COUNTIES in row[: row.index("</tr>")]


def test_the_ledger_filters_by_the_implementing_role(plan, personas, client_for):
    client = client_for(personas.dora)
    url = f"/api/tasks?unit_id={personas.construction.pk}&role=implementing"
    assert [row["number"] for row in client.get(url).json()] == ["1"]
    lead = f"/api/tasks?unit_id={personas.construction.pk}&role=lead"
    assert client.get(lead).json() == []


def test_the_api_lists_them_with_their_role(plan, personas, client_for):
    row = client_for(personas.dora).get(f"/api/tasks/{plan.tasks.get().pk}").json()
    assert {"role": "implementing", "name": COUNTIES, "unit_id": None} in row["units"]


def test_the_excel_ledger_has_them_in_its_last_column_and_still_imports(plan, personas, client_for):
    client = client_for(personas.dora)
    data = client.get(f"{plan.get_absolute_url()}ledger.xlsx?period=2026-02").getvalue()
    sheet = load_workbook(io.BytesIO(data)).active
    assert tuple(cell.value for cell in sheet[3]) == HEADER and HEADER[-1] == "落实单位"
    assert sheet.cell(row=4, column=len(HEADER)).value == f"{COUNTIES}、区城乡建设局"
    # A sheet filled in by the unit comes back: the column does not stand in the way.
    sheet.cell(row=4, column=6).value = "已完成3台锅炉改造"
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    result = progress_import(
        plan=plan, unit=personas.bureau, period=datetime.date(2026, 2, 1),
        data=buffer.getvalue(), today=datetime.date(2026, 3, 2),
    )  # fmt: skip
    assert result.filed == ["1"]


def test_a_ledger_exported_before_the_column_existed_still_imports(plan, personas, client_for):
    client = client_for(personas.dora)
    data = client.get(f"{plan.get_absolute_url()}ledger.xlsx?period=2026-02").getvalue()
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    sheet.delete_cols(len(HEADER))
    sheet.cell(row=4, column=6).value = "已完成"
    buffer = io.BytesIO()
    book.save(buffer)
    result = progress_import(
        plan=plan, unit=personas.bureau, period=datetime.date(2026, 2, 1),
        data=buffer.getvalue(), today=datetime.date(2026, 3, 2),
    )  # fmt: skip
    assert result.filed == ["1"]
