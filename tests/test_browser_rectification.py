"""Issue 19's "done when", in a real browser: a problem list is imported; a unit reports
progress on a measure; the acceptance unit refuses the acceptance, then grants it; the
district signs it off and, after the publicity, the problem is closed out; a look-back
finds a relapse and the problem is open again and red in the leader's ledger and the
discipline commission's view; the upper-level Excel report is downloaded and read."""

import datetime

import openpyxl
import pytest
from django.utils import timezone

from ecogov.accounts.models import Role
from ecogov.org.selectors import unit_find
from ecogov.rectification import services
from ecogov.rectification.models import Batch, Problem
from ecogov.supervision.models import Item
from ecogov.testing import make_person, make_personas
from test_browser import browser, page_for, shot  # noqa: F401  (the fixtures, with the CSP watch)
from test_rectification_import import workbook

pytestmark = pytest.mark.browser

TITLE = "第二轮中央生态环境保护督察反馈问题（虚构示例）"
PDF = b"%PDF-1.4\n" + b"0" * 64


@pytest.fixture
def people(transactional_db):
    return make_personas()


def problem_list() -> bytes:
    """Two problems as a list arrives: a title row, the header, numbered measures."""
    return workbook([
        ["第二轮中央生态环境保护督察反馈问题整改清单"],
        ["序号", "具体问题", "整改目标", "整改措施", "责任领导", "牵头单位", "责任单位", "整改时限"],
        [1, "（虚构示例）南川河沿岸违规砂石料场扬尘污染突出。", "料场全部关停",
         "1.关停取缔违规砂石料场；2.开展周边医疗废物排查", "分管副区长", "区城乡建设局",
         "区卫生健康局", "2027年6月底"],
        [2, "（虚构示例）城区部分河段生态修复滞后。", "岸线修复到位", "实施岸线生态修复",
         "分管副区长", "区城乡建设局", "", "长期坚持"],
    ])  # fmt: skip


def submit(page, action: str, fields: dict | None = None, selects: dict | None = None,
           files: dict | None = None, checks=(), button: str = "button[type=submit]"):  # fmt: skip
    form = page.locator(f"form[action$='/{action}/']").first
    for name in checks:
        form.locator(f"input[name={name}]").check()
    for name, value in (fields or {}).items():
        form.locator(f"[name={name}]").fill(value)
    for name, value in (selects or {}).items():
        form.locator(f"select[name={name}]").select_option(value)
    for name, path in (files or {}).items():
        form.locator(f"input[name={name}]").set_input_files(str(path))
    with page.expect_navigation():
        form.locator(button).first.click()


def errors(page) -> list[str]:
    return page.locator(".message, .messages li, .errorlist").all_inner_texts()


def test_a_problem_from_the_list_to_close_out_and_back_after_a_relapse(
    people,
    page_for,  # noqa: F811
    live_server,
    tmp_path,
):
    url = live_server.url
    township = unit_find(people.district, "总寨镇政府")
    tina = make_person("tina", Role.LIAISON, township, name="Tina 镇联络员")

    # The bureau imports the list.
    listing = tmp_path / "整改清单.xlsx"
    listing.write_bytes(problem_list())
    dora = page_for(people.dora)
    dora.goto(f"{url}/rectification/import/")
    dora.set_input_files("input[name=file]", str(listing))
    dora.fill("input[name=title]", TITLE)
    dora.fill("input[name=received_on]", (timezone.localdate() - datetime.timedelta(days=30))
              .isoformat())  # fmt: skip
    dora.click("button.primary")
    dora.wait_for_selector("button[value=import]")
    dora.click("button[value=import]")
    dora.wait_for_url(f"{url}/rectification/batches/*/")
    batch = Batch.objects.get(title=TITLE)
    problem = batch.problems.get(seq=1)
    assert [m.unit.name for m in problem.measures.order_by("order")] == [
        "区城乡建设局", "区城乡建设局"]  # fmt: skip
    shot(dora, "rectification-batch")

    # The lead unit reports progress on a measure, then the other is done too.
    liam = page_for(people.liam)
    liam.goto(f"{url}{problem.get_absolute_url()}")
    first, second = problem.measures.order_by("order")
    evidence = tmp_path / "拆除现场.pdf"
    evidence.write_bytes(PDF)
    submit(liam, "report", fields={"text": "料场设备已全部拆除"}, selects={"measure": str(first.pk)},
           files={"files": evidence}, checks=["done"])  # fmt: skip
    first.refresh_from_db()
    assert first.done_on == timezone.localdate(), errors(liam)
    assert "【措施1】料场设备已全部拆除" in liam.content()
    services.measure_report(second, text="周边排查完毕", done=True, by=people.liam)

    # The bureau names the acceptance unit; the lead unit applies.
    dora.goto(f"{url}{problem.get_absolute_url()}")
    dora.locator("summary", has_text="指定验收单位").click()
    submit(dora, "acceptance_unit", selects={"unit": str(township.pk)})
    liam.goto(f"{url}{problem.get_absolute_url()}")
    submit(liam, "apply", fields={"text": "自查报告：两项措施均已落实"})
    problem.refresh_from_db()
    assert problem.state == Problem.State.APPLIED, errors(liam)

    # The acceptance unit refuses, then accepts.
    checker = page_for(tina)
    checker.goto(f"{url}{problem.get_absolute_url()}")
    submit(checker, "refuse", fields={"note": "现场仍有堆料未清运"})
    problem.refresh_from_db()
    assert problem.state == Problem.State.RECTIFYING
    assert "现场仍有堆料未清运" in checker.content()
    liam.goto(f"{url}{problem.get_absolute_url()}")
    submit(liam, "apply", fields={"text": "堆料已清运完毕"})
    checker.goto(f"{url}{problem.get_absolute_url()}")
    submit(checker, "accept", fields={"note": "现场核查属实，同意验收"})
    problem.refresh_from_db()
    assert problem.state == Problem.State.ACCEPTED, errors(checker)

    # The district signs it off; the publicity runs; after it, the bureau closes it out.
    lena = page_for(people.lena)
    lena.goto(f"{url}{problem.get_absolute_url()}")
    submit(lena, "sign_off")
    problem.refresh_from_db()
    assert problem.state == Problem.State.PUBLICITY
    dora.goto(f"{url}{problem.get_absolute_url()}")
    document = tmp_path / "销号报告.pdf"
    document.write_bytes(PDF)
    submit(dora, "close_out", files={"files": document})
    assert "公示期至" in " ".join(errors(dora))  # not before the publicity ends
    # A week passes.
    week = datetime.timedelta(days=8)
    Problem.objects.filter(pk=problem.pk).update(
        publicity_start=problem.publicity_start - week, publicity_end=problem.publicity_end - week
    )
    dora.goto(f"{url}{problem.get_absolute_url()}")
    submit(dora, "close_out", files={"files": document})
    problem.refresh_from_db()
    assert problem.state == Problem.State.CLOSED, errors(dora)
    assert problem.item.state == Item.State.CLOSED

    # The look-back finds a relapse.
    dora.locator("summary", has_text="列入回头看").click()
    submit(dora, "pick")
    renewed = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    submit(dora, "look_back", fields={"note": "料场夜间复工", "deadline": renewed},
           selects={"result": "relapsed"})  # fmt: skip
    problem.refresh_from_db()
    item = problem.item
    assert problem.state == Problem.State.RECTIFYING and problem.relapses == 1, errors(dora)
    assert (item.state, item.colour, item.stage) == (Item.State.OPEN, "red", 2)
    shot(dora, "rectification-relapse")
    history = dora.locator("#timeline").inner_text()
    assert "申请验收" in history and "验收未通过" in history and "已销号" in history

    # Red on the leader's ledger and in the discipline commission's view.
    lena.goto(f"{url}/supervision/?kind=rectification")
    row = lena.locator("tr", has_text=item.number)
    assert row.locator(".clock.red").count() >= 1
    ian = page_for(people.ian)
    ian.goto(f"{url}/supervision/?escalated=2")
    assert ian.locator("tr", has_text=item.number).count() == 1
    shot(ian, "rectification-discipline-view")

    # The upper-level progress table.
    dora.goto(f"{url}{batch.get_absolute_url()}progress/")
    with dora.expect_download() as download:
        dora.locator("a[href$='progress.xlsx']").click()
    path = tmp_path / "progress.xlsx"
    download.value.save_as(path)
    sheet = openpyxl.load_workbook(path).active
    text = "\n".join(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value)
    assert TITLE in text and "南川河沿岸" in text and "反弹" in text
