"""A real plan in a division-of-labour table imported in a real browser (issue 23, "Done
when"): the dispatcher uploads the Word document, maps a unit the district does not
have, imports, then uploads the same plan as PDF, and sees the tasks with their lead and
supporting units on the plan's ledger."""

import pytest

from ecogov.plans.models import Plan, TaskUnit
from ecogov.testing import make_personas
from plantables import SUINING, docx_bytes, pdf_bytes
from test_browser import browser, page_for, shot  # noqa: F401  (the fixtures, with the CSP watch)

pytestmark = pytest.mark.browser

TITLE = "遂宁市城市环境卫生工作任务分解表"


@pytest.fixture
def people(transactional_db):
    return make_personas()


def read_plan(page, live_server, path) -> None:
    page.goto(f"{live_server.url}/plans/import/")
    page.set_input_files("input[name=file]", str(path))
    page.click("button.primary")
    page.wait_for_selector("button[value=import]")


def choose(page, name: str, label: str) -> None:
    """Choose the unit an unknown name means, on the preview."""
    field = page.locator(f'input[type=hidden][value="{name}"]').get_attribute("name")
    page.select_option(f"select[name=choice_{field.removeprefix('name_')}]", label=label)


def test_the_dispatcher_imports_a_table_from_word_and_then_from_pdf(
    people,
    page_for,  # noqa: F811
    live_server,
    tmp_path,
):
    text = SUINING.read_text(encoding="utf-8")
    word = tmp_path / "遂宁市城市环境卫生工作任务分解表.docx"
    word.write_bytes(docx_bytes(text))
    pdf = tmp_path / "遂宁市城市环境卫生工作任务分解表.pdf"
    pdf.write_bytes(pdf_bytes(text))
    page = page_for(people.dora)

    read_plan(page, live_server, word)
    content = page.content()
    assert "完善城市管理体制" in content and "市城管局" in content
    choose(page, "市住建局", "区城乡建设局")
    page.click("button[value=preview]")
    page.wait_for_selector("button[value=import]")
    shot(page, "plan-import-preview")
    assert not Plan.objects.filter(title=TITLE).exists()
    page.click("button[value=import]")
    page.wait_for_url(f"{live_server.url}/plans/*/")
    plan = Plan.objects.get(title=TITLE)
    assert plan.tasks.count() == 11
    link = TaskUnit.objects.get(task__plan=plan, task__number="1", role="support", name="市住建局")
    assert link.unit == people.construction

    # The same plan as PDF: the import updates it, the unit mapped as before.
    read_plan(page, live_server, pdf)
    field = page.locator('input[type=hidden][value="市住建局"]').get_attribute("name")
    select = f"select[name=choice_{field.removeprefix('name_')}]"
    assert page.locator(select).input_value() == str(people.construction.pk)
    page.click("button[value=import]")
    page.wait_for_url(f"{live_server.url}/plans/{plan.pk}/")
    assert Plan.objects.filter(title=TITLE).count() == 1
    assert Plan.objects.get(pk=plan.pk).source.endswith(".pdf")
    row = page.locator("tr", has_text="完善城市管理体制")
    assert "市委编办" in row.inner_text()  # the lead unit, kept as written
    assert "区城乡建设局" in row.inner_text() and "市城管局" in row.inner_text()  # supporting
    shot(page, "plan-import-ledger")

    # The task ledger and the one supervision ledger (督办台账) show them too.
    page.goto(f"{live_server.url}/tasks/")
    assert "市委编办" in page.locator("tr", has_text="完善城市管理体制").inner_text()
    page.goto(f"{live_server.url}/supervision/")
    row = page.locator("tr", has_text="完善城市管理体制").inner_text()
    assert "市委编办" in row and "区城乡建设局" in row
    shot(page, "plan-import-supervision-ledger")
