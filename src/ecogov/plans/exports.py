"""The ledger as Excel and the monthly dispatch report as Word: what the offices exchange.

The Excel layout is the one the offices use (序号, 任务内容, 责任单位, 配合单位,
完成时限, 进展情况, 状态, and 落实单位: the governments that carry the task out). A unit fills in 进展情况 and sends the sheet back;
``progress_import`` reads it with the same layout, so that exporting and importing
again changes nothing, and refuses a sheet with wrong rows, naming them.
"""

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from ecogov.domain.notation import formula_text
from ecogov.org.models import Unit
from ecogov.plans.models import Plan, TaskReport
from ecogov.plans.selectors import LedgerRow
from ecogov.plans.services import target_value_record, task_report_file
from ecogov.spreadsheets import cell_text, sheet_rows, table_workbook
from ecogov.text import writable_text

# 落实单位, the governments that carry a task out, stands last: a sheet exported before it
# existed still imports, since the import reads the first seven columns.
HEADER = ("序号", "任务内容", "责任单位", "配合单位", "完成时限", "进展情况", "状态", "落实单位")
IMPORT_HEADER = HEADER[:7]
HEADER_ROW = 3  # row 1: title, row 2: plan, month and unit; row 3: the header
WIDTHS = (8, 60, 28, 28, 12, 50, 10, 28)


def _names(links) -> str:
    return "、".join(link.unit.name if link.unit else link.name for link in links)


def _deadline(row: LedgerRow) -> str:
    task = row.task
    if task.ongoing:
        return "持续推进"
    return f"{task.deadline:%Y年%m月}" if task.deadline else ""


def _progress(row: LedgerRow, period: datetime.date, unit: Unit | None) -> str:
    reports = [
        r
        for r in row.task.reports.all()
        if r.period == period and (unit is None or r.unit_id == unit.pk)
    ]
    if unit is not None:
        return reports[0].text if reports else ""
    return "\n".join(f"{report.unit.name}：{report.text}" for report in reports)


def ledger_workbook(
    plan: Plan, rows: list[LedgerRow], *, period: datetime.date, unit: Unit | None = None
) -> bytes:
    return table_workbook(
        sheet_title="任务台账",
        title=f"{plan.title}任务台账",
        subtitle=f"月份：{period:%Y-%m}" + (f"　单位：{unit.name}" if unit else ""),
        header=HEADER,
        rows=(
            [
                row.task.number,
                row.task.title,
                _names(row.lead),
                _names(row.support),
                _deadline(row),
                _progress(row, period, unit),
                str(row.status_label),
                _names(row.implementing),
            ]
            for row in rows
        ),
        widths=WIDTHS,
    )


@dataclass
class ImportResult:
    filed: list[str] = field(default_factory=list)  # task numbers whose report was filed or changed
    unchanged: int = 0


_text = cell_text


@transaction.atomic
def progress_import(
    *,
    plan: Plan,
    unit: Unit,
    period: datetime.date,
    data: bytes,
    by=None,
    today: datetime.date | None = None,
) -> ImportResult:
    """File the 进展情况 a unit wrote into an exported ledger; all rows or none."""
    rows = sheet_rows(data)
    if (
        len(rows) < HEADER_ROW
        or tuple(_text(v) for v in rows[HEADER_ROW - 1][: len(IMPORT_HEADER)]) != IMPORT_HEADER
    ):
        raise ValidationError(
            _("Row %(row)d must be the header %(header)s, as in the exported ledger.")
            % {"row": HEADER_ROW, "header": "、".join(IMPORT_HEADER)}
        )
    tasks = {task.number: task for task in plan.tasks.all()}
    errors: list[str] = []
    wanted = []
    for number, row in enumerate(rows[HEADER_ROW:], start=HEADER_ROW + 1):
        cells = [_text(v) for v in row[: len(IMPORT_HEADER)]]
        cells += [""] * (len(IMPORT_HEADER) - len(cells))
        if not any(cells):
            continue
        task = tasks.get(cells[0])
        if task is None:
            errors.append(
                _("row %(row)d: no task numbered %(number)s in this plan")
                % {"row": number, "number": cells[0] or "—"}
            )
        elif cells[1] != task.title:
            errors.append(_("row %(row)d: task %(number)s is %(title)s, not %(given)s") % {
                "row": number, "number": task.number, "title": task.title, "given": cells[1][:30]})  # fmt: skip
        elif cells[5]:
            wanted.append((number, task, cells[5]))
    if errors:
        raise ValidationError(errors)
    result = ImportResult()
    existing = {
        r.task_id: r for r in TaskReport.objects.filter(task__plan=plan, unit=unit, period=period)
    }
    for number, task, text in wanted:
        report = existing.get(task.pk)
        if report is not None and report.text == text:
            result.unchanged += 1
            continue
        try:
            task_report_file(
                task=task, unit=unit, period=period, text=text, by=by, today=today,
                percent=report.percent if report else None, milestone=report.milestone if report else "",
            )  # fmt: skip
        except ValidationError as error:
            raise ValidationError(
                [f"row {number}: {message}" for message in error.messages]
            ) from None
        result.filed.append(task.number)
    return result


def dispatch_document(
    plan: Plan,
    rows: list[LedgerRow],
    *,
    period: datetime.date,
    missing: dict,
    due: datetime.date | None,
) -> bytes:
    """The monthly dispatch report (月调度情况), as Word."""
    import docx  # only reports need it
    from docx.shared import Cm, Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(11)
    # Text stored before ecogov.text cleaned input may hold what Word cannot.
    document.add_heading(writable_text(f"{plan.title}\n{period:%Y年%m月}调度情况"), level=1)
    counts: dict[str, int] = {}
    for row in rows:
        label = str(row.status_label)
        counts[label] = counts.get(label, 0) + 1
    summary = "，".join(f"{label}{count}项" for label, count in counts.items())
    due_text = f"报送截止日期为{due:%Y年%m月%d日}。" if due else ""
    document.add_paragraph(f"本方案共{len(rows)}项任务，{summary}。{due_text}")
    if missing:
        document.add_heading("未按时报送进展的单位", level=2)
        for unit, tasks in missing.items():
            numbers = "、".join(task.number for task in tasks)
            document.add_paragraph(
                writable_text(f"{unit.name}：第{numbers}项"), style="List Bullet"
            )
    document.add_heading("任务进展", level=2)
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ("序号", "任务", "责任单位", "进展情况", "状态"), strict=True
    ):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        texts = (row.task.number, row.task.title, _names(row.lead), _progress(row, period, None))
        for cell, text in zip(cells, (*texts, str(row.status_label)), strict=True):
            cell.text = writable_text(text)
    for column, width in enumerate((Cm(1.4), Cm(5), Cm(3.8), Cm(5), Cm(1.8))):
        for cell in table.columns[column].cells:
            cell.width = width
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


VALUES_HEADER = ("日期", "数值", "来源")


def target_values_workbook(target) -> bytes:
    """A target's measured values: the same layout is imported back."""
    book = Workbook()
    sheet = book.active
    sheet.title = "实测值"
    sheet.append([writable_text(formula_text(f"{target.indicator}（{target.goal_text()}）"))])
    sheet.append([writable_text(formula_text(target.text))])
    sheet.append(list(VALUES_HEADER))
    for entry in target.values.order_by("date"):
        sheet.append([entry.date, entry.value, writable_text(entry.source)])
    for column, width in zip("ABC", (14, 14, 30), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1, min_col=1, max_col=1):
        row[0].number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@transaction.atomic
def target_values_import(*, target, data: bytes, by=None) -> ImportResult:
    """Record the values of a sheet laid out as ``target_values_workbook``; all rows or none."""
    rows = sheet_rows(data)
    if len(rows) < HEADER_ROW or tuple(_text(v) for v in rows[HEADER_ROW - 1][:3]) != VALUES_HEADER:
        raise ValidationError(
            _("Row %(row)d must be the header %(header)s, as in the exported ledger.")
            % {"row": HEADER_ROW, "header": "、".join(VALUES_HEADER)}
        )
    errors, wanted = [], []
    for number, row in enumerate(rows[HEADER_ROW:], start=HEADER_ROW + 1):
        cells = list(row[:3]) + [None] * (3 - len(row[:3]))
        if not any(_text(cell) for cell in cells):
            continue
        day = cells[0]
        if isinstance(day, datetime.datetime):
            day = day.date()
        elif not isinstance(day, datetime.date):
            try:
                day = datetime.date.fromisoformat(_text(day))
            except ValueError:
                errors.append(
                    _("row %(row)d: %(value)s is not a date (YYYY-MM-DD)")
                    % {"row": number, "value": _text(day) or "—"}
                )
                continue
        try:
            value = Decimal(_text(cells[1]))
        except InvalidOperation:
            errors.append(
                _("row %(row)d: %(value)s is not a number")
                % {"row": number, "value": _text(cells[1]) or "—"}
            )
            continue
        if not value.is_finite():
            errors.append(
                _("row %(row)d: %(value)s is not a number")
                % {"row": number, "value": _text(cells[1])}
            )
            continue
        wanted.append((day, value, _text(cells[2])[:200]))
    if errors:
        raise ValidationError(errors)
    result = ImportResult()
    existing = {entry.date: entry for entry in target.values.all()}
    for day, value, source in wanted:
        entry = existing.get(day)
        if entry is not None and entry.value == value and entry.source == source:
            result.unchanged += 1
            continue
        target_value_record(target=target, date=day, value=value, source=source, by=by)
        result.filed.append(day.isoformat())
    return result
