"""Control characters: cleaned wherever text enters (pages, API, imports), and the Excel and
Word writers survive what was stored before the cleaning existed (issue 17 item 6)."""

import datetime
import io

import docx
import pytest
from django.db import connection
from django.test import Client
from openpyxl import load_workbook

from ecogov.cases.models import Case
from ecogov.domain.textfile import UnreadableFile, decode_text
from ecogov.monitoring.services import table_rows
from ecogov.plans.models import Plan, TaskReport
from ecogov.plans.sample import plans_sample_load
from ecogov.plans.services import task_report_file
from ecogov.sources.models import Source
from ecogov.sources.services import sources_import, sources_workbook
from ecogov.text import UnstorableText, clean_text, writable_text

BLACK_WATER = "南川河边的排污口这两天一直在排黑水，气味很大。"
DIRTY = "南滩\x0b村\x01口\x1f\x7f\x85\r\n二号"


def test_clean_text_strips_controls_keeps_layout_and_refuses_nul_and_surrogates():
    assert clean_text(DIRTY) == "南滩村口\n二号"
    assert clean_text("甲\t乙\r丙\n丁") == "甲\t乙\n丙\n丁"
    for bad in ("a\x00b", "a\ud800b"):
        with pytest.raises(UnstorableText):
            clean_text(bad)
    assert writable_text("a\x00\x0b\ud800b") == "ab" and writable_text(3) == 3


def _workbook_opens(response) -> list[tuple]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


def test_a_vertical_tab_in_a_public_report_is_stripped_and_the_export_still_works(
    personas, client_for
):
    response = Client().post(
        "/api/public/reports",
        {"text": BLACK_WATER + "\x0c", "address": "南滩\x0b村口"},
        content_type="application/json",
    )
    assert response.status_code == 201
    case = Case.objects.get()
    assert (case.address, case.text) == ("南滩村口", BLACK_WATER)
    rows = _workbook_opens(client_for(personas.dora).get("/cases/export.xlsx"))
    assert any("南滩村口" in row for row in rows)


def test_a_form_post_with_control_characters_is_stored_clean(personas, client_for):
    dora = client_for(personas.dora)
    dora.get("/")
    response = dora.post(
        "/cases/new/",
        {
            "channel": "petition",
            "text": BLACK_WATER + "\x0b",
            "address": "南滩\x1b村口\r\n东",
            "supervision": "general",
            "csrfmiddlewaretoken": dora.cookies["csrftoken"].value,
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.text, case.address) == (BLACK_WATER, "南滩村口\n东")


def test_a_nul_in_a_form_post_is_refused_and_changes_nothing(personas, client_for):
    dora = client_for(personas.dora)
    dora.get("/")
    response = dora.post(
        "/cases/new/",
        {"channel": "petition", "text": "黑\x00水", "supervision": "general",
         "csrfmiddlewaretoken": dora.cookies["csrftoken"].value},
    )  # fmt: skip
    assert response.status_code == 400
    assert "NUL" in response.content.decode() or "空字符" in response.content.decode()
    assert not Case.objects.exists()


def test_imports_strip_control_characters(personas):
    # An Excel sheet may hold C1 controls (openpyxl writes them); a CSV anything.
    book = load_workbook(io.BytesIO(sources_workbook([])))
    book.active.append(
        ["新\x85餐馆", "餐饮单位", "", "南滩\x9f村", 101.72, 36.52, "否", "运行", ""]
    )
    out = io.BytesIO()
    book.save(out)
    sources_import(data=out.getvalue(), jurisdiction=personas.district)
    assert Source.objects.filter(name="新餐馆", address="南滩村").exists()
    rows = table_rows("名称,地址\r\n一号\x0b点,南\x1f滩\r\n".encode(), "points.csv")
    assert rows == [("名称", "地址"), ("一号点", "南滩")]
    with pytest.raises(UnreadableFile):
        decode_text(b"a\x00b", "plan.txt")


@pytest.fixture
def plan(personas):
    plans_sample_load()
    Plan.objects.update(imported_on=datetime.date(2026, 1, 1))
    return Plan.objects.get(jurisdiction=personas.district)


def test_exports_survive_control_characters_stored_before_the_cleaning(plan, personas, client_for):
    Client().post(
        "/api/public/reports",
        {"text": BLACK_WATER, "address": "南滩"},
        content_type="application/json",
    )
    # What SQLite kept before the cleaning existed; PostgreSQL never stores a NUL.
    nul = "\x00" if connection.vendor == "sqlite" else ""
    Case.objects.update(address=f"南滩\x0b村口{nul}", text=BLACK_WATER + "\x1b")
    task = plan.tasks.get(number="10")
    period = datetime.date(2026, 10, 1)
    task_report_file(task=task, unit=personas.construction, period=period, text="完成",
                     by=personas.liam, today=datetime.date(2026, 11, 5))  # fmt: skip
    TaskReport.objects.update(text="完成\x0b30 处\x1f整治")
    dora = client_for(personas.dora)
    rows = _workbook_opens(dora.get("/cases/export.xlsx"))
    assert any("南滩村口" in row for row in rows)
    rows = _workbook_opens(dora.get(f"/plans/{plan.pk}/ledger.xlsx?period=2026-10"))
    assert any("完成30 处整治" in str(cell) for row in rows for cell in row)
    response = dora.get(f"/plans/{plan.pk}/dispatch.docx?period=2026-10")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any("完成30 处整治" in text for text in cells)
