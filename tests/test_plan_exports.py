"""Excel ledger out and back in, the Word dispatch report, and the dispatch pages."""

import datetime
import io

import docx
import pytest
from django.test import Client
from openpyxl import load_workbook

from ecogov.plans.dispatch import dispatch_run
from ecogov.plans.exports import HEADER, ledger_workbook, progress_import
from ecogov.plans.models import Plan, Reminder, TaskReport
from ecogov.plans.sample import plans_sample_load
from ecogov.plans.selectors import ledger
from ecogov.standards.workdays import WorkCalendar

PERIOD = datetime.date(2026, 10, 1)
TODAY = datetime.date(2026, 11, 20)


@pytest.fixture
def plan(personas):
    plans_sample_load()
    # The plan entered EcoGov at the start of 2026, so that 2026's months are dispatched.
    Plan.objects.update(imported_on=datetime.date(2026, 1, 1))
    return Plan.objects.get(jurisdiction=personas.district)


def workbook(plan, unit=None) -> bytes:
    return ledger_workbook(plan, ledger(plan.tasks.all(), today=TODAY), period=PERIOD, unit=unit)


def test_the_ledger_has_the_usual_layout(plan):
    sheet = load_workbook(io.BytesIO(workbook(plan))).active
    assert tuple(cell.value for cell in sheet[3]) == HEADER
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert len(rows) == 23
    assert rows[2][:5] == ("3", "扎实推进“三北”工程建设", "区自然资源和林业局", None, "2026年12月")
    assert rows[0][4] == "持续推进"


def fill(data: bytes, progress: dict[str, str]) -> bytes:
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    for row in sheet.iter_rows(min_row=4):
        if row[0].value in progress:
            row[5].value = progress[row[0].value]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_filled_in_sheet_files_reports_and_a_round_trip_changes_nothing(plan, personas):
    unit = personas.construction
    filled = fill(
        workbook(plan, unit), {"10": "完成 30 处混错接点位整治", "12": "分类收集点建成 40 个"}
    )
    result = progress_import(
        plan=plan, unit=unit, period=PERIOD, data=filled, by=personas.liam, today=TODAY
    )
    assert sorted(result.filed) == ["10", "12"]
    assert TaskReport.objects.filter(unit=unit, period=PERIOD).count() == 2
    history = TaskReport.history.count()
    again = progress_import(
        plan=plan,
        unit=unit,
        period=PERIOD,
        data=workbook(plan, unit),
        by=personas.liam,
        today=TODAY,
    )
    assert again.filed == [] and again.unchanged == 2
    assert TaskReport.history.count() == history


def test_a_sheet_with_wrong_rows_is_refused_naming_them_and_nothing_is_filed(plan, personas):
    book = load_workbook(io.BytesIO(workbook(plan, personas.construction)))
    sheet = book.active
    sheet["A6"] = "99"  # row 6: no such task
    sheet["B8"] = "别的任务"  # row 8: the title does not match
    sheet["F10"] = "有进展"
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(Exception) as error:
        progress_import(
            plan=plan, unit=personas.construction, period=PERIOD, data=out.getvalue(), today=TODAY
        )
    messages = " ".join(error.value.messages)
    assert "第 6 行" in messages and "第 8 行" in messages
    assert "99" in messages and "别的任务" in messages
    assert not TaskReport.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused(plan, personas):
    with pytest.raises(Exception) as error:
        progress_import(
            plan=plan, unit=personas.construction, period=PERIOD, data=b"not excel", today=TODAY
        )
    assert error.value.messages


def test_the_dispatch_report_opens_as_word(plan, personas, client_for):
    dispatch_run(today=datetime.date(2026, 11, 3), calendar=WorkCalendar())
    response = client_for(personas.dora).get(f"/plans/{plan.pk}/dispatch.docx?period=2026-10")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "2026年10月调度情况" in text and "未按时报送进展的单位" in text
    assert len(document.tables[0].rows) == 24


def test_export_and_import_through_the_pages(plan, personas, client_for):
    client = client_for(personas.liam)
    response = client.get(
        f"/plans/{plan.pk}/ledger.xlsx?period=2026-10&unit={personas.construction.pk}"
    )
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxml"
    )
    filled = fill(response.content, {"10": "本月完成排查"})
    upload = io.BytesIO(filled)
    upload.name = "ledger.xlsx"
    client.get("/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        f"/plans/{plan.pk}/progress/",
        {
            "unit": personas.construction.pk,
            "period": "2026-10",
            "file": upload,
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302
    assert TaskReport.objects.get().text == "本月完成排查"


def test_a_liaison_cannot_import_for_another_unit(plan, personas):
    client = Client()
    client.force_login(personas.liam)
    upload = io.BytesIO(workbook(plan, personas.health))
    upload.name = "ledger.xlsx"
    response = client.post(
        f"/plans/{plan.pk}/progress/",
        {"unit": personas.health.pk, "period": "2026-10", "file": upload},
    )
    assert response.status_code == 403


def test_supervision_and_ranking_pages(plan, personas, client_for):
    client = client_for(personas.lena)
    page = client.get(f"/plans/{plan.pk}/supervision/?year=2026&quarter=3").content.decode()
    assert "区生态环境局" in page and "已逾期" in page
    assert client.get(f"/plans/{plan.pk}/ranking/?year=2026").status_code == 200
    assert client_for(personas.oscar).get(f"/plans/{plan.pk}/ranking/").status_code == 404


def test_the_home_page_reminds_a_liaison(plan, personas, client_for):
    dispatch_run(today=datetime.date(2026, 11, 3), calendar=WorkCalendar())  # due 11-04
    assert Reminder.objects.filter(unit=personas.construction).exists()
    page = client_for(personas.liam).get("/").content.decode()
    assert "2026-10" in page and "2026-11-04" in page


def test_target_values_round_trip_through_excel(plan, personas):
    from decimal import Decimal

    from ecogov.plans.exports import target_values_import, target_values_workbook
    from ecogov.plans.models import Target
    from ecogov.plans.services import target_value_record

    target = Target.objects.get(plan=plan, indicator="森林覆盖率")
    target_value_record(
        target=target, date=datetime.date(2024, 12, 31), value=Decimal("29.0"), source="公报"
    )
    data = target_values_workbook(target)
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    assert tuple(cell.value for cell in sheet[3]) == ("日期", "数值", "来源")
    sheet.append(["2025-12-31", 30.1, "统计公报"])
    out = io.BytesIO()
    book.save(out)
    result = target_values_import(target=target, data=out.getvalue(), by=personas.dora)
    assert result.filed == ["2025-12-31"] and result.unchanged == 1
    again = target_values_import(
        target=target, data=target_values_workbook(target), by=personas.dora
    )
    assert again.filed == [] and again.unchanged == 2
    sheet.append(["明年", "很多", ""])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(Exception) as error:
        target_values_import(target=target, data=out.getvalue())
    assert "第 6 行" in " ".join(error.value.messages)
    assert target.values.count() == 2


def test_a_unit_of_which_nothing_was_due_has_no_score_and_ranks_last(plan):
    from ecogov.plans.dispatch import annual_ranking

    ranking = annual_ranking(plan, year=2026, today=datetime.date(2026, 1, 15))
    assert ranking and all(row.score is None for row in ranking)
    dispatch_run(
        today=datetime.date(2026, 2, 2), calendar=WorkCalendar()
    )  # January's dispatch opens
    ranking = annual_ranking(plan, year=2026, today=datetime.date(2026, 2, 20))
    scored = [row for row in ranking if row.score is not None]
    assert scored and ranking[: len(scored)] == scored  # the scored units come first
