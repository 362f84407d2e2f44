"""Reports to the upper level on a batch (issue 19 §5): the progress table in the usual
Excel form (整改进展情况表), the Word progress report (关于《…》反馈问题整改进展情况的报告)
and the burn-down the leaders' page draws.

Every figure is computed from the record: a problem's progress by ``services.progress_of``
(completed, on schedule 达到序时进度, behind 滞后), its close-out and reopenings by the
events of its supervised item, its relapses by its look-backs. The documents are
written in Chinese, as the upper level receives them; ``problems`` limits them to what
the reader may see (``access.scope``), all the batch's problems by default.
"""

import datetime
import io
import math
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ecogov.meetings.exports import chinese_numeral
from ecogov.officialdocs import (
    BODY_FONT,
    HEADING_FONT,
    TITLE_FONT,
    bureau_name,
    chinese_date,
    landscape_annex,
    new_document,
)
from ecogov.officialdocs import font as _font
from ecogov.officialdocs import paragraph as _paragraph
from ecogov.officialdocs import repeat_header as _repeat_header
from ecogov.rectification import services
from ecogov.rectification.models import Batch, LookBack, Measure, Problem
from ecogov.rectification.services import PROGRESS_LABELS, Progress
from ecogov.supervision.models import ItemEvent
from ecogov.text import writable_text

# How the upper level's forms name the states and stages (the models' glossary notes).
STATE_LABELS = {
    Problem.State.RECTIFYING: "整改中",
    Problem.State.APPLIED: "申请验收",
    Problem.State.ACCEPTED: "已验收待审核",
    Problem.State.PUBLICITY: "公示中",
    Problem.State.CLOSED: "已销号",
}
STAGE_LABELS = {
    Problem.Stage.AT_ONCE: "立行立改",
    Problem.Stage.LONG_TERM: "长期坚持",
}
LOOKBACK_LABELS = {
    LookBack.Result.PENDING: "待回头看",
    LookBack.Result.HOLDS: "整改成效巩固",
    LookBack.Result.RELAPSED: "反弹",
}
# What a progress report is: the units' reports and the self-check report.
PROGRESS_EVENTS = (ItemEvent.Kind.REPORTED, ItemEvent.Kind.COMPLETION_ASKED)


@dataclass
class Row:
    """One problem as the reports show it."""

    problem: Problem
    progress: Progress
    units: list[str]  # the responsible units besides the lead (责任单位)
    report: str  # the latest progress report
    reported_on: datetime.date | None
    lookbacks: list[LookBack] = field(default_factory=list)

    @property
    def lead(self) -> str:
        return self.problem.item.lead.name

    @property
    def deadline(self) -> str:
        """整改时限: the date, 立行立改 (with its date) or 长期坚持."""
        problem = self.problem
        if problem.stage == Problem.Stage.LONG_TERM:
            return STAGE_LABELS[Problem.Stage.LONG_TERM]
        day = problem.item.deadline.isoformat() if problem.item.deadline else ""
        if problem.stage == Problem.Stage.AT_ONCE:
            return f"立行立改（{day}前）" if day else "立行立改"
        return day

    @property
    def state(self) -> str:
        return STATE_LABELS[Problem.State(self.problem.state)]

    @property
    def progress_label(self) -> str:
        return PROGRESS_LABELS[self.progress]

    @property
    def progress_text(self) -> str:
        if not self.report:
            return ""
        return f"{self.report}（{self.reported_on.isoformat()}）"

    @property
    def lookback_text(self) -> str:
        """回头看: each look-back's result with its date, newest last."""
        parts = []
        for lookback in self.lookbacks:
            label = LOOKBACK_LABELS[LookBack.Result(lookback.result)]
            day = lookback.checked_on or lookback.due
            parts.append(f"{label}（{day.isoformat()}）")
        if self.problem.relapses:
            parts.append(f"累计反弹{self.problem.relapses}次")
        return "；".join(parts)


@dataclass(frozen=True)
class Counts:
    total: int
    completed: int  # 已完成整改 (closed-out ones included)
    closed: int  # 已销号
    on_schedule: int  # 达到序时进度
    behind: int  # 滞后
    relapses: int  # 反弹 (times, over the batch's problems)

    @property
    def sentence(self) -> str:
        return (
            f"共{self.total}个问题，已完成整改{self.completed}个（其中已销号{self.closed}个），"
            f"达到序时进度{self.on_schedule}个，滞后{self.behind}个；"
            f"回头看发现整改后反弹{self.relapses}次。"
        )


def _problems(batch: Batch, problems=None):
    problems = batch.problems.all() if problems is None else problems.filter(batch=batch)
    return (
        problems.select_related("item__lead")
        .prefetch_related(
            Prefetch("measures", queryset=Measure.objects.select_related("unit")),
            "milestones",
            "item__support",
            Prefetch("lookbacks", queryset=LookBack.objects.order_by("due", "pk")),
        )
        .order_by("seq")
    )


def _latest_reports(problems: list[Problem]) -> dict[int, ItemEvent]:
    """Each item's latest progress report since it was last reopened: after a relapse or
    an upheld objection every measure is carried out anew, and what was reported before
    is no longer the progress."""
    events = ItemEvent.objects.filter(
        item__in=[p.item_id for p in problems],
        kind__in=(*PROGRESS_EVENTS, ItemEvent.Kind.REOPENED),
    ).order_by("item", "at", "pk")
    latest = {}
    for event in events:
        if event.kind == ItemEvent.Kind.REOPENED:
            latest.pop(event.item_id, None)
        else:
            latest[event.item_id] = event
    return latest


def rows_of(batch: Batch, today: datetime.date | None = None, *, problems=None) -> list[Row]:
    today = today or timezone.localdate()
    found = list(_problems(batch, problems))
    latest = _latest_reports(found)
    rows = []
    for problem in found:
        measures = list(problem.measures.all())
        progress = services.progress_of(problem, today, measures=measures,
                                        milestones=list(problem.milestones.all()))  # fmt: skip
        lead = problem.item.lead_id
        units = [m.unit for m in measures] + list(problem.item.support.all())
        names = list(dict.fromkeys(u.name for u in units if u.pk != lead))
        event = latest.get(problem.item_id)
        rows.append(Row(
            problem=problem, progress=progress, units=names,
            report=event.note if event else "",
            reported_on=timezone.localdate(event.at) if event else None,
            lookbacks=list(problem.lookbacks.all()),
        ))  # fmt: skip
    return rows


def counts_of(rows: list[Row]) -> Counts:
    def having(progress):
        return sum(1 for row in rows if row.progress == progress)

    return Counts(
        total=len(rows),
        completed=having(Progress.COMPLETED),
        closed=sum(1 for row in rows if row.problem.state == Problem.State.CLOSED),
        on_schedule=having(Progress.ON_SCHEDULE),
        behind=having(Progress.BEHIND),
        relapses=sum(row.problem.relapses for row in rows),
    )


def reporting_unit(batch: Batch) -> str:
    return bureau_name(batch.jurisdiction)


def _subject(batch: Batch) -> str:
    """《第二轮中央生态环境保护督察》反馈问题, or the title as it is when it names its
    problems itself (…反馈问题, …披露问题)."""
    if batch.title.endswith("问题"):
        return batch.title
    return f"《{batch.title}》反馈问题"


def report_title(batch: Batch) -> str:
    return f"关于{_subject(batch)}整改进展情况的报告"


def table_title(batch: Batch) -> str:
    return f"{_subject(batch)}整改进展情况表"


# --- the Excel table ----------------------------------------------------------------

HEADER = ("序号", "问题", "整改目标", "牵头单位", "责任单位", "责任领导", "整改时限", "状态",
          "进度", "整改进展", "销号日期", "回头看")  # fmt: skip
WIDTHS = (6, 42, 26, 14, 18, 12, 13, 11, 13, 42, 12, 22)
BEHIND_FILL = PatternFill("solid", fgColor="FDE2DD")
HEADER_FILL = PatternFill("solid", fgColor="E8F3EC")


def progress_workbook(batch: Batch, today: datetime.date | None = None, *, problems=None) -> bytes:
    """整改进展情况表: the title, who reports and as of when, the counts, then a row per
    problem; printed landscape on the page width with the header on every page."""
    today = today or timezone.localdate()
    rows = rows_of(batch, today, problems=problems)
    counts = counts_of(rows)
    book = Workbook()
    sheet = book.active
    sheet.title = "整改进展情况表"
    last = get_column_letter(len(HEADER))
    sheet.append([writable_text(table_title(batch))])
    sheet.append([f"填报单位：{reporting_unit(batch)}　　截至：{chinese_date(today)}"])
    sheet.append([counts.sentence])
    for number in (1, 2, 3):
        sheet.merge_cells(f"A{number}:{last}{number}")
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    sheet["A3"].alignment = Alignment(wrap_text=True, vertical="center")
    sheet.row_dimensions[3].height = 32
    header_row = 4
    sheet.append(HEADER)
    for row in rows:
        problem = row.problem
        sheet.append([writable_text(value) for value in (
            problem.seq, problem.text, problem.target, row.lead, "、".join(row.units),
            problem.leader, row.deadline, row.state, row.progress_label, row.progress_text,
            problem.closed_on, row.lookback_text,
        )])  # fmt: skip
        if row.progress == Progress.BEHIND:
            sheet.cell(row=sheet.max_row, column=HEADER.index("进度") + 1).fill = BEHIND_FILL
    thin = Side(style="thin", color="999999")
    for column, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
        cell = sheet.cell(row=header_row, column=column)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    for cells in sheet.iter_rows(min_row=header_row, max_row=sheet.max_row):
        for cell in cells:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            centred = cell.column in (1, 7, 8, 9, 11) or cell.row == header_row
            cell.alignment = Alignment(wrap_text=True, vertical="center" if centred else "top",
                                       horizontal="center" if centred else None)  # fmt: skip
            if cell.column == 11 and cell.row > header_row:
                cell.number_format = "yyyy-mm-dd"
    for number in range(header_row + 1, sheet.max_row + 1):
        lines = max(_lines(cell.value, WIDTHS[cell.column - 1]) for cell in sheet[number])
        sheet.row_dimensions[number].height = 15 * lines + 3
    sheet.freeze_panes = f"C{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _lines(value, width: int) -> int:
    """How many lines a wrapped cell takes (LibreOffice and Excel do not grow a row on
    opening): a Chinese character is about 1.8 units of a column's width."""
    if value is None or not isinstance(value, str):
        return 1
    room = max(width - 1, 1)
    return sum(
        max(1, math.ceil(sum(1.8 if ord(c) > 0x2E7F else 1 for c in line) / room))
        for line in value.splitlines() or [""]
    )


# --- the Word report ----------------------------------------------------------------


def _units_text(row: Row) -> str:
    text = f"牵头单位：{row.lead}"
    if row.units:
        text += f"；责任单位：{'、'.join(row.units)}"
    return f"{text}；整改时限：{row.deadline}"


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split()).rstrip("。；;.，, ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def progress_report_docx(batch: Batch, today: datetime.date | None = None, *,
                         problems=None) -> bytes:  # fmt: skip
    """The progress report: the counts, the problems behind with their units, the
    relapses, the signature, then the table as its annex on landscape pages."""
    today = today or timezone.localdate()
    rows = rows_of(batch, today, problems=problems)
    counts = counts_of(rows)
    document = new_document()
    _paragraph(document, report_title(batch), face=TITLE_FONT, size=22, centre=True,
               space_after=18)  # fmt: skip
    team = f"{batch.team}" if batch.team else "督察组"
    _paragraph(document, (
        f"{chinese_date(batch.received_on)}，{team}反馈《{batch.title}》问题清单，"
        f"涉及我区问题{counts.total}个。截至{chinese_date(today)}，{counts.sentence}"
    ))  # fmt: skip
    sections = [
        ("整改进展情况", _progress_lines(rows, counts)),
        ("滞后问题", _behind_lines(rows)),
        ("整改后反弹问题", _relapse_lines(rows)),
    ]
    for number, (heading, lines) in enumerate(sections, 1):
        _paragraph(document, f"{chinese_numeral(number)}、{heading}", face=HEADING_FONT)
        for line in lines:
            _paragraph(document, line)
    _paragraph(document, "")
    _paragraph(document, "附件：" + table_title(batch), indent=True)
    _paragraph(document, "")
    _paragraph(document, reporting_unit(batch), right=True)
    _paragraph(document, chinese_date(today), right=True)

    landscape_annex(document, table_title(batch))
    _annex_table(document, rows)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _progress_lines(rows: list[Row], counts: Counts) -> list[str]:
    by_state = {label: 0 for label in STATE_LABELS.values()}
    for row in rows:
        by_state[row.state] += 1
    states = "，".join(f"{label}{n}个" for label, n in by_state.items() if n)
    lines = [f"按整改状态分：{states or '无'}。"]
    completed = [row for row in rows if row.progress == Progress.COMPLETED]
    if completed:
        lines.append("已完成整改的问题：" + "；".join(
            f"第{row.problem.seq}项（{_completed_state(row)}）" for row in completed) + "。")  # fmt: skip
    return lines


def _completed_state(row: Row) -> str:
    if row.problem.state == Problem.State.RECTIFYING:
        return "措施已全部完成，待申请验收"
    return row.state


def _behind_lines(rows: list[Row]) -> list[str]:
    behind = [row for row in rows if row.progress == Progress.BEHIND]
    if not behind:
        return ["无滞后问题。"]
    lines = [f"滞后问题{len(behind)}个，具体如下："]
    for number, row in enumerate(behind, 1):
        text = (
            f"{number}. 第{row.problem.seq}项：{_short(row.problem.text)}（{_units_text(row)}）。"
        )
        if row.report:
            text += f"最新进展：{_short(row.report, 200)}（{row.reported_on.isoformat()}）。"
        else:
            text += "尚未报送整改进展。"
        lines.append(text)
    return lines


def _relapse_lines(rows: list[Row]) -> list[str]:
    relapsed = [row for row in rows if row.problem.relapses]
    if not relapsed:
        return ["回头看未发现整改后反弹问题。"]
    lines = []
    for row in relapsed:
        found = [lb for lb in row.lookbacks if lb.result == LookBack.Result.RELAPSED]
        when = "、".join(chinese_date(lb.checked_on) for lb in found if lb.checked_on)
        lines.append(
            f"第{row.problem.seq}项：{_short(row.problem.text)}。回头看发现整改后反弹"
            f"{row.problem.relapses}次（{when}），已重新交办整改，当前状态：{row.state}，"
            f"{row.progress_label}（{_units_text(row)}）。"
        )  # fmt: skip
    return lines


ANNEX_HEADER = ("序号", "问题", "牵头单位", "整改时限", "状态", "进度", "整改进展", "销号日期")
ANNEX_WIDTHS = (1.1, 6.5, 3.0, 2.6, 1.9, 2.4, 6.0, 2.2)  # cm: 25.7, a landscape A4 less margins


def _annex_table(document, rows: list[Row]) -> None:
    from docx.shared import Cm

    table = document.add_table(rows=1, cols=len(ANNEX_HEADER))
    table.style = "Table Grid"
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, ANNEX_HEADER, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(text), HEADING_FONT, 10.5)
    _repeat_header(table.rows[0])
    for row in rows:
        problem = row.problem
        values = (str(problem.seq), problem.text, row.lead, row.deadline, row.state,
                  row.progress_label, row.progress_text,
                  problem.closed_on.isoformat() if problem.closed_on else "")  # fmt: skip
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            _font(cell.paragraphs[0].add_run(writable_text(text)), BODY_FONT, 10.5)
    for index, width in enumerate(ANNEX_WIDTHS):
        table.columns[index].width = Cm(width)  # the grid, which LibreOffice follows
        for cell in table.columns[index].cells:
            cell.width = Cm(width)


# --- the burn-down ------------------------------------------------------------------


def _weeks(start: datetime.date, today: datetime.date) -> list[datetime.date]:
    days = [start]
    while days[-1] + datetime.timedelta(days=7) < today:
        days.append(days[-1] + datetime.timedelta(days=7))
    if days[-1] < today:
        days.append(today)
    return days


def last_deadline(problems: list[Problem]) -> datetime.date | None:
    """The last date anything of the problems is due: deadlines and milestones."""
    dates = [p.item.deadline for p in problems if p.item.deadline]
    dates += [m.due for p in problems for m in p.milestones.all()]
    return max(dates, default=None)


def burndown(batch: Batch, today: datetime.date | None = None, *, problems=None) -> dict:
    """Week by week from the day the list arrived: the problems not closed out, the
    ideal line from all of them on that day to none on the last deadline, the close-outs
    and the relapses so far. Every problem of the batch counts from the day the list
    arrived (problems entered later were found by the same inspection); a problem is
    closed out from its item's close until it is reopened."""
    today = today or timezone.localdate()
    found = list(_problems(batch, problems))
    start = min(batch.received_on, today)
    weeks = _weeks(start, today)
    changes: dict[int, list[tuple[datetime.date, bool]]] = {p.item_id: [] for p in found}
    events = ItemEvent.objects.filter(
        item__in=list(changes), kind__in=(ItemEvent.Kind.CLOSED, ItemEvent.Kind.REOPENED)
    ).order_by("at", "pk")
    for event in events:
        changes[event.item_id].append(
            (timezone.localdate(event.at), event.kind == ItemEvent.Kind.CLOSED)
        )
    relapse_days = [lb.checked_on for p in found for lb in p.lookbacks.all()
                    if lb.result == LookBack.Result.RELAPSED and lb.checked_on]  # fmt: skip
    open_, closed, relapses = [], [], []
    for day in weeks:
        shut = 0
        for history in changes.values():
            state = [is_closed for when, is_closed in history if when <= day]
            shut += bool(state and state[-1])
        open_.append(len(found) - shut)
        closed.append(sum(1 for h in changes.values() for when, c in h if c and when <= day))
        relapses.append(sum(1 for when in relapse_days if when <= day))
    end = last_deadline(found)
    ideal = []
    if found and end and end > start:
        ideal = [[start.isoformat(), len(found)], [end.isoformat(), 0]]
    return {
        "days": [day.isoformat() for day in weeks],
        "open": open_,
        "closed": closed,
        "relapses": relapses,
        "ideal": ideal,
        "total": len(found),
        "end": end.isoformat() if end else None,
    }
