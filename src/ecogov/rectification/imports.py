"""Problem lists in, as they arrive (issue 19, Deliver §1): the Excel sheets a district
receives from an inspection (整改清单, 督察反馈问题整改方案的任务表), read with tolerant
headers and entered on the rectification ledger, all or nothing.

What the offices send varies: the header row sits under one or two title rows, is often
split over two rows with merged cells (责任主体 over 责任领导 | 牵头单位 | 责任单位), and
names its columns in several ways (问题 / 具体问题 / 存在问题 / 反馈问题; 整改措施 /
整改举措; 整改时限 / 完成时限 …). One problem's 整改措施 cell usually holds several
numbered measures (1. … 2. …, （1）…, ①…, 一是…二是…); a problem may also span several
rows, one per measure, its problem cell merged. The 整改时限 cell says 立行立改 (at once),
长期坚持 / 持续推进 (long-term) or a date in one of many spellings.

Units are found by name, alias or former name (``org.selectors.unit_find``); a name the
registry does not know is listed for the operator to map to an existing unit, never
created. Everything is entered through ``services.problem_create`` (and
``services.batch_create`` for a new batch) in one transaction: one bad row and nothing is
imported, and the refusal names every bad row by its row number in the sheet. A dry run
does all of it and rolls back.
"""

import calendar
import datetime
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from ecogov.domain.unitnames import is_collective
from ecogov.org.models import Unit
from ecogov.org.selectors import unit_find
from ecogov.params import form_number
from ecogov.rectification import services
from ecogov.rectification.models import Batch, Origin, Problem
from ecogov.rectification.services import MeasureInput, MilestoneInput
from ecogov.spreadsheets import cell_text, sheet_rows
from ecogov.text import UnstorableText, clean_value

MAX_ROWS = 500
MAX_SHEETS = 10
HEADER_SEARCH_ROWS = 20

# The columns, each with the names offices give it. A header cell is the column whose
# longest name it contains ("牵头责任单位" is the lead unit, not "责任单位").
COLUMNS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号"),
    "problem": ("问题", "具体问题", "存在问题", "问题描述", "反馈问题", "问题清单", "主要问题"),
    "target": ("整改目标", "目标"),
    "measures": ("整改措施", "整改举措", "具体措施", "工作措施"),
    "leader": ("责任领导", "牵头领导", "责任人", "分管领导", "责任区领导"),
    "lead": ("牵头单位", "牵头责任单位", "牵头部门", "主责单位"),
    "units": ("责任单位", "配合单位", "责任部门", "协办单位", "配合部门"),
    "deadline": ("整改时限", "完成时限", "整改期限", "时限", "完成时间"),
    "team": ("督察组", "批次", "来源", "问题来源"),
    "stage": ("整改阶段", "整改类型", "整改方式"),
}
REQUIRED = ("problem", "measures", "deadline")

AT_ONCE_WORDS = ("立行立改", "立即整改", "即知即改")
LONG_TERM_WORDS = ("长期坚持", "持续推进", "长期推进", "常态化", "持续开展", "长期")
BY_DATE_WORDS = ("限期整改", "限期")

_UNIT_SPLIT = re.compile(r"[、，,；;/\n]+")
_LEAD_MARK = re.compile(r"[（(]\s*牵头\s*[)）]")
_BRACKETS = re.compile(r"[（(][^）)]*[)）]")

# Numbered measures: "1." "1、" "1．" "（1）" "(1)" "①" "一是" "一、" at the start of the
# cell or of a line, or after a full stop or semicolon (never "2025.6" or "1.5万").
_MEASURE_MARK = re.compile(
    r"(?:(?:^|(?<=[\n。；;：:]))\s*"
    r"(?:\d{1,2}\s*[.、．](?!\d)|[（(]\s*\d{1,2}\s*[)）]|[一二三四五六七八九十]{1,3}(?:是|、)))"
    r"|[\u2460-\u2473]"
)

_DATE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), kind)
    for pattern, kind in (
        (r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})", "day"),
        (r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", "day"),
        (r"(\d{4})\s*年\s*(\d{1,2})\s*月", "month"),
        (r"(\d{4})\s*[-/.]\s*(\d{1,2})(?!\d)", "month"),
        (r"(\d{4})\s*年\s*上半年", "half"),
        (r"(\d{4})\s*年\s*(?:底|末|年底|年末|前|内|下半年)", "year"),
        (r"(\d{4})\s*年(?!\s*\d)", "year"),
    )
)


def dates_in(text: str) -> list[tuple[int, datetime.date]]:
    """Every date a text names, with where it starts: "2025年6月底前" is 30 June 2025,
    "2025年底" 31 December, "2025-06-30" itself, "2026年上半年" 30 June; a month stands
    for its last day, a year for 31 December."""
    found: list[tuple[int, datetime.date]] = []
    taken: list[range] = []
    for pattern, kind in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() in span for span in taken):
                continue
            year = int(match.group(1))
            if not 2000 <= year <= 2100:
                continue
            try:
                if kind == "day":
                    day = datetime.date(year, int(match.group(2)), int(match.group(3)))
                elif kind == "month":
                    month = int(match.group(2))
                    day = datetime.date(year, month, calendar.monthrange(year, month)[1])
                elif kind == "half":
                    day = datetime.date(year, 6, 30)
                else:
                    day = datetime.date(year, 12, 31)
            except ValueError:
                continue
            taken.append(range(match.start(), match.end()))
            found.append((match.start(), day))
    return sorted(found)


def split_measures(text: str) -> list[str]:
    """The numbered measures of a cell, without their numbers; an unnumbered cell is one
    measure; an introduction ending with a colon ("采取以下措施：") is left out."""
    text = text.strip()
    marks = list(_MEASURE_MARK.finditer(text))
    if not marks:
        return [text] if text else []
    parts = []
    intro = text[: marks[0].start()].strip()
    if intro and not intro.endswith(("：", ":")):
        parts.append(intro)
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        end = following.start() if following else len(text)
        part = text[mark.end() : end].strip().rstrip("；;，,")
        if part:
            parts.append(part)
    return parts


def split_units(text: str) -> tuple[list[str], list[str]]:
    """The unit names of a cell (区生态环境局（牵头）、区城乡建设局), and those marked as
    leading; brackets that say something else (（配合）) are dropped."""
    names, leading = [], []
    for part in _UNIT_SPLIT.split(text or ""):
        lead = bool(_LEAD_MARK.search(part))
        name = _BRACKETS.sub("", part).strip().strip("。.： :")
        if name and name not in names:
            names.append(name)
            if lead:
                leading.append(name)
    return names, leading


def _label(value) -> str:
    return re.sub(r"[\s*＊:：]", "", cell_text(value))


def column_of(label: str) -> str | None:
    """The column a header cell names, or None."""
    return _column_match(label)[0]


def _column_match(label: str) -> tuple[str | None, int]:
    best, length = None, 0
    for name, words in COLUMNS.items():
        for word in words:
            if word in label and len(word) > length:
                best, length = name, len(word)
    return best, length


def _header_like(row) -> bool:
    """A row of short labels that name columns (the lower half of a two-row header)."""
    labels = [_label(value) for value in row if cell_text(value)]
    return bool(labels) and all(len(label) <= 12 and column_of(label) for label in labels)


@dataclass
class Header:
    row: int  # index of the last header row in the sheet's rows
    columns: dict[str, list[int]]


def find_header(rows: list[tuple]) -> Header:
    """The header: the first row (of the first twenty) naming the problem, the measures
    and the deadline, merged with the row under it when that one carries the lower half
    of a two-row header."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        labels = [_label(value) for value in row]
        last = index
        below = rows[index + 1] if index + 1 < len(rows) else ()
        if _header_like(below):
            lower = [_label(value) for value in below]
            width = max(len(labels), len(lower))
            labels = [
                (lower[i] if i < len(lower) and lower[i] else "")
                or (labels[i] if i < len(labels) else "")
                for i in range(width)
            ]
            last = index + 1
        matches: dict[str, list[tuple[int, int]]] = {}
        for position, label in enumerate(labels):
            name, length = _column_match(label) if label and len(label) <= 20 else (None, 0)
            if name:
                matches.setdefault(name, []).append((-length, position))
        if all(name in matches for name in REQUIRED):
            # Two columns of one kind (问题类型, 具体问题): the better named one first;
            # the units columns (责任单位, 配合单位) are read together, left to right.
            columns = {
                name: [p for _l, p in (sorted(found) if name != "units" else found)]
                for name, found in matches.items()
            }
            return Header(row=last, columns=columns)
    raise ValidationError(
        _(
            "No header row naming the problem (问题), the measures (整改措施) and the "
            "deadline (整改时限) in the first %(n)d rows: is this the problem list?"
        )
        % {"n": HEADER_SEARCH_ROWS}
    )


# --- one row of the list ------------------------------------------------------------


@dataclass
class ListRow:
    """A problem as the sheet gives it, before its units are looked up."""

    row: int  # its row number in the sheet (1-based, as Excel shows it)
    seq: int | None
    text: str
    target: str = ""
    leader: str = ""
    team: str = ""
    stage: str = ""
    deadline: datetime.date | None = None
    deadline_text: str = ""
    lead_name: str = ""
    unit_names: list[str] = field(default_factory=list)
    measures: list[tuple[str, datetime.date | None]] = field(default_factory=list)
    # Several rows can make one problem (its cell merged): their units, by measure.
    measure_units: list[list[str]] = field(default_factory=list)
    milestones: list[tuple[str, datetime.date]] = field(default_factory=list)
    collective: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)


def _cell(row: tuple, columns: dict[str, list[int]], name: str) -> str:
    values = []
    for index in columns.get(name, []):
        if index < len(row):
            value = row[index]
            if isinstance(value, datetime.datetime):
                value = value.date().isoformat()
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            elif isinstance(value, float) and value.is_integer():
                value = int(value)
            text = cell_text(value)
            if text:
                values.append(text)
    return "、".join(values) if name == "units" else (values[0] if values else "")


def _seq(text: str) -> int | None:
    text = text.strip().rstrip(".、")
    return form_number(text, min=1, max=999999)


def _stage_of(deadline_text: str, stage_text: str) -> str | None:
    for text in (stage_text, deadline_text):
        if any(word in text for word in LONG_TERM_WORDS):
            return Problem.Stage.LONG_TERM
        if any(word in text for word in AT_ONCE_WORDS):
            return Problem.Stage.AT_ONCE
        if any(word in text for word in BY_DATE_WORDS):
            return Problem.Stage.BY_DATE
    return None


def _clauses(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[。；;\n]", text) if part.strip()]


def _year_end(received_on: datetime.date) -> datetime.date:
    """The end of the year the list arrived in, or of the next when less than a quarter
    of this one is left."""
    end = datetime.date(received_on.year, 12, 31)
    return end if (end - received_on).days >= 90 else datetime.date(received_on.year + 1, 12, 31)


def read_row(cells: tuple, *, row: int, columns) -> ListRow:
    """A problem row: its stage and deadline, its units, its measures split."""
    deadline_text = _cell(cells, columns, "deadline")
    item = ListRow(
        row=row,
        seq=_seq(_cell(cells, columns, "seq")),
        text=_cell(cells, columns, "problem"),
        target=_cell(cells, columns, "target"),
        leader=_cell(cells, columns, "leader"),
        team=_cell(cells, columns, "team"),
        deadline_text=deadline_text,
        rows=[row],
    )
    if not item.text:
        item.errors.append(_("the problem (问题) is empty"))
    stage = _stage_of(deadline_text, _cell(cells, columns, "stage"))
    dated = [day for _at, day in dates_in(deadline_text)]
    if stage is None and dated:
        stage = Problem.Stage.BY_DATE
    if stage is None:
        item.errors.append(
            _("the deadline “%(text)s” is no date, 立行立改 or 长期坚持")
            % {"text": deadline_text or "—"}
        )
    item.stage = stage or ""
    if stage != Problem.Stage.LONG_TERM and dated:
        item.deadline = max(dated)
    _add_units(item, cells, columns)
    _add_measures(item, cells, columns)
    return item


def _add_units(item: ListRow, cells, columns) -> list[str]:
    lead_names, _marked = split_units(_cell(cells, columns, "lead"))
    unit_names, marked = split_units(_cell(cells, columns, "units"))
    names = [*lead_names, *unit_names]
    if not item.lead_name:
        item.lead_name = (lead_names or marked or unit_names or [""])[0]
    for name in names:
        if is_collective(name):
            if name not in item.collective:
                item.collective.append(name)
        elif name not in item.unit_names and name != item.lead_name:
            item.unit_names.append(name)
    return [name for name in names if not is_collective(name)]


def _add_measures(item: ListRow, cells, columns, *, deadline=None) -> None:
    deadline = deadline or item.deadline
    row_units = [name for name in [item.lead_name, *item.unit_names] if name]
    for text in split_measures(_cell(cells, columns, "measures")):
        own = [day for _at, day in dates_in(text)]
        due = max(own) if own and item.stage != Problem.Stage.LONG_TERM else deadline
        if item.deadline and due and due > item.deadline:
            item.notes.append(
                _("a measure dated after the problem's deadline is due by the deadline")
            )
            due = item.deadline
        item.measures.append((text, due))
        # The measure's unit: one of the row's units it names, else the lead unit.
        named = sorted((text.find(name), name) for name in row_units if name in text)
        item.measure_units.append([named[0][1]] if named else [])


def _add_continuation(item: ListRow, cells, *, row: int, columns) -> None:
    """A row under a problem whose cell is merged: more measures, with their own units
    and deadline."""
    item.rows.append(row)
    units = _add_units(item, cells, columns)
    dated = [day for _at, day in dates_in(_cell(cells, columns, "deadline"))]
    deadline = None
    if dated and item.stage != Problem.Stage.LONG_TERM:
        deadline = max(dated)
        item.deadline = max(item.deadline or deadline, deadline)
    before = len(item.measures)
    _add_measures(item, cells, columns, deadline=deadline)
    for index in range(before, len(item.measures)):
        if not item.measure_units[index] and units:
            item.measure_units[index] = [units[0]]


def _derive_milestones(item: ListRow, received_on: datetime.date) -> None:
    seen = set()
    for text in (item.deadline_text, item.target, *[m for m, _d in item.measures]):
        for clause in _clauses(text):
            for _at, due in dates_in(clause)[-1:]:
                if (clause, due) not in seen:
                    seen.add((clause, due))
                    item.milestones.append((clause[:300], due))
    item.milestones.sort(key=lambda milestone: milestone[1])
    if item.milestones:
        item.notes.append(
            _("long-term: %(n)d milestones taken from the dated phrases")
            % {"n": len(item.milestones)}
        )
    else:
        due = _year_end(received_on)
        item.milestones.append((_("Rectification reviewed at the end of the year"), due))
        item.notes.append(
            _("long-term: no dated phrase, one milestone at the end of the year (%(day)s)")
            % {"day": due.isoformat()}
        )


def _list_sheet(data: bytes) -> tuple[str, list[tuple], Header]:
    """The sheet holding the list: the first, else the first other one with its header
    (a workbook may open with a cover sheet, 填报说明); the sheet's name is empty when it
    is the first."""
    rows = sheet_rows(data)  # the shared reading, refusing what is no workbook
    try:
        return "", rows, find_header(rows)
    except ValidationError as refusal:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        for sheet in book.worksheets[1:MAX_SHEETS]:
            try:
                rows = clean_value(list(sheet.iter_rows(values_only=True)))
                return sheet.title, rows, find_header(rows)
            except (ValidationError, UnstorableText):
                continue
        raise refusal from None


def read_list(data: bytes, *, received_on: datetime.date) -> tuple[str, list[ListRow]]:
    """The problems of a list as the sheet gives them, each with its row numbers, and
    the name of the sheet read when it is not the first."""
    sheet, rows, header = _list_sheet(data)
    columns = header.columns
    problems: list[ListRow] = []
    body = rows[header.row + 1 :]
    if len(body) > MAX_ROWS:
        raise ValidationError(_("At most %(n)d rows at a time.") % {"n": MAX_ROWS})
    for number, cells in enumerate(body, start=header.row + 2):
        texts = [cell_text(value) for value in cells]
        filled = [text for text in texts if text]
        if not filled:
            continue
        problem = _cell(cells, columns, "problem")
        measures = _cell(cells, columns, "measures")
        seq = _cell(cells, columns, "seq")
        if not problem and not measures:
            # A section title ("一、大气污染问题") or a note under the table.
            continue
        if not problem and not seq and problems:
            _add_continuation(problems[-1], cells, row=number, columns=columns)
            continue
        problems.append(read_row(cells, row=number, columns=columns))
    if not problems:
        raise ValidationError(_("The list has no problem rows under its header."))
    for problem in problems:
        if problem.stage == Problem.Stage.LONG_TERM:
            _derive_milestones(problem, received_on)
    return sheet, problems


# --- the import ---------------------------------------------------------------------


@dataclass
class NewBatch:
    title: str
    origin: str = ""
    received_on: datetime.date | None = None
    team: str = ""


@dataclass
class PlannedProblem:
    """What a row becomes, as the preview shows it."""

    row: int
    seq: int
    text: str
    stage: str
    stage_label: str
    deadline: datetime.date | None
    lead: str
    units: list[str]
    measures: list[tuple[str, str, datetime.date | None]]
    milestones: list[tuple[str, datetime.date]]
    notes: list[str]


@dataclass
class ImportReport:
    batch_title: str
    batch_new: bool
    origin: str
    received_on: datetime.date
    dry_run: bool
    problems: list[PlannedProblem] = field(default_factory=list)
    # Names the registry does not know: name → the rows that use it.
    unknown: dict[str, list[int]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    batch_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportRefused(ValidationError):
    """The list was not imported; ``report`` says every bad row and every unknown name."""

    def __init__(self, report: ImportReport):
        super().__init__(report.errors)
        self.report = report


def origin_guess(title: str) -> str:
    """Who found a batch's problems, from its title, when the operator does not say."""
    for words, origin in (
        (("中央",), Origin.CENTRAL),
        (("警示片",), Origin.WARNING_FILM),
        (("自然资源",), Origin.NATURAL_RESOURCES),
        (("排查", "整治"), Origin.SCREENING),
        (("专项",), Origin.PROVINCIAL_SPECIAL),
        (("省",), Origin.PROVINCIAL),
    ):
        if any(word in title for word in words):
            return origin
    return Origin.OTHER


class _Units:
    """Unit names looked up once: by the registry, or by the operator's mapping."""

    def __init__(self, jurisdiction, mapping: dict[str, Unit]):
        self.jurisdiction = jurisdiction
        self.mapping = {name.strip(): unit for name, unit in (mapping or {}).items()}
        self.found: dict[str, Unit | None] = {}

    def __call__(self, name: str) -> Unit | None:
        if name not in self.found:
            unit = self.mapping.get(name) or unit_find(self.jurisdiction, name)
            self.found[name] = unit
        return self.found[name]


def _row_error(rows: list[int], message: str) -> str:
    if len(rows) > 1:
        return _("rows %(rows)s: %(error)s") % {
            "rows": "、".join(map(str, rows)),
            "error": message,
        }
    return _("row %(row)d: %(error)s") % {"row": rows[0], "error": message}


def list_import(data: bytes, *, jurisdiction, by, batch: Batch | None = None,
                new_batch: NewBatch | None = None, mapping: dict[str, Unit] | None = None,
                dry_run: bool = False, at=None) -> ImportReport:  # fmt: skip
    """Enter the problems of a list into ``batch`` (or a new batch), all or nothing.

    Raises PermissionDenied for anyone but the bureau's dispatchers, ImportRefused (a
    ValidationError carrying the report) when a row is bad or a unit unknown, and
    returns the report otherwise; a dry run returns it having changed nothing."""
    if not services.runs(by, jurisdiction.pk):
        raise PermissionDenied(_("The ecology bureau's dispatchers keep the rectification ledger."))
    if batch is not None and batch.jurisdiction_id != jurisdiction.pk:
        raise PermissionDenied(_("The batch belongs to another jurisdiction."))
    if batch is None and (new_batch is None or not new_batch.title.strip()):
        raise ValidationError(_("Choose the batch, or name a new one."))
    if batch is None:
        batch = Batch.objects.filter(
            jurisdiction=jurisdiction, title=new_batch.title.strip()
        ).first()
    at, today = services.moment(at)
    if batch is not None:
        received_on, origin = batch.received_on, batch.origin
    else:
        received_on = new_batch.received_on or today
        origin = new_batch.origin or origin_guess(new_batch.title)
    sheet, rows = read_list(data, received_on=received_on)
    report = ImportReport(
        batch_title=batch.title if batch else new_batch.title.strip(), batch_new=batch is None,
        origin=origin, received_on=received_on, dry_run=dry_run,
    )  # fmt: skip
    if report.batch_new and not new_batch.origin:
        report.notes.append(
            _("Found by: %(origin)s (from the title; give the origin to change it).")
            % {"origin": Origin(origin).label}
        )
    if sheet:
        report.notes.append(
            _("Read the sheet “%(sheet)s”: the first holds no list; row numbers are its own.")
            % {"sheet": sheet}
        )
    units = _Units(jurisdiction, mapping or {})
    _check_units(rows, units, report)
    _plan_seqs(rows, batch, report)
    teams = {row.team for row in rows if row.team}
    if len(teams) > 1 and report.batch_new and not new_batch.team:
        report.notes.append(
            _("The rows name several inspection teams (%(teams)s): the batch records none.")
            % {"teams": "、".join(sorted(teams))}
        )
    try:
        with transaction.atomic():
            if batch is None:
                batch = services.batch_create(
                    jurisdiction=jurisdiction, origin=origin, title=new_batch.title,
                    received_on=received_on, by=by, at=at,
                    team=new_batch.team or (teams.pop() if len(teams) == 1 else ""),
                )  # fmt: skip
            report.batch_id = batch.pk
            for row in rows:
                _enter(row, batch, units, report, by=by, at=at, notify=not dry_run)
            if report.errors or dry_run:
                transaction.set_rollback(True)
    except ValidationError as error:  # the batch itself
        report.errors.extend(error.messages)
    if report.errors:
        raise ImportRefused(report)
    if dry_run:
        report.batch_id = None if report.batch_new else report.batch_id
    return report


def _check_units(rows: list[ListRow], units: _Units, report: ImportReport) -> None:
    for row in rows:
        for name in [row.lead_name, *row.unit_names, *(n for ns in row.measure_units for n in ns)]:
            if name and units(name) is None:
                used = report.unknown.setdefault(name, [])
                used.extend(r for r in row.rows if r not in used)
        if not row.lead_name:
            row.errors.append(_("no lead or responsible unit (牵头单位 / 责任单位)"))
        if row.collective:
            row.notes.append(
                _("kept as text, not a unit: %(names)s") % {"names": "、".join(row.collective)}
            )
    for name, used in report.unknown.items():
        report.errors.append(
            _("rows %(rows)s: the unit “%(name)s” is not in the registry: map it to a unit")
            % {"rows": "、".join(map(str, used)), "name": name}
        )


def _plan_seqs(rows: list[ListRow], batch: Batch | None, report: ImportReport) -> None:
    taken = set(batch.problems.values_list("seq", flat=True)) if batch else set()
    seen: dict[int, int] = {}
    for row in rows:
        if row.seq is None:
            continue
        if row.seq in taken:
            row.errors.append(_("the batch has a problem no. %(n)d already") % {"n": row.seq})
        elif row.seq in seen:
            row.errors.append(
                _("no. %(n)d is also the number of row %(other)d")
                % {"n": row.seq, "other": seen[row.seq]}
            )
        seen.setdefault(row.seq, row.row)
    following = max([*taken, *seen, 0]) + 1
    for row in rows:
        if row.seq is None:
            row.seq = following
            following += 1
            row.notes.append(_("numbered %(n)d (no number in the sheet)") % {"n": row.seq})


def _enter(row: ListRow, batch: Batch, units: _Units, report: ImportReport, *, by, at,
           notify: bool) -> None:  # fmt: skip
    for message in row.errors:
        report.errors.append(_row_error(row.rows, message))
    names = [row.lead_name, *row.unit_names, *(n for ns in row.measure_units for n in ns)]
    if row.errors or any(units(name) is None for name in names):
        return  # its unknown units are named once, with every row that uses them
    lead = units(row.lead_name)
    measures = []
    for (text, deadline), named in zip(row.measures, row.measure_units, strict=True):
        unit = units(named[0]) if named else lead
        measures.append(MeasureInput(text, unit, deadline))
    support = list(dict.fromkeys(u for u in map(units, row.unit_names) if u != lead))
    milestones = [MilestoneInput(text, due) for text, due in row.milestones]
    try:
        with transaction.atomic():
            services.problem_create(
                batch, text=row.text, stage=row.stage, lead=lead, by=by, measures=measures,
                milestones=milestones, target=row.target, leader=row.leader, support=support,
                deadline=row.deadline, seq=row.seq, at=at, notify_units=notify,
            )  # fmt: skip
    except ValidationError as error:
        for message in error.messages:
            report.errors.append(_row_error(row.rows, message))
        return
    report.problems.append(
        PlannedProblem(
            row=row.row, seq=row.seq, text=row.text, stage=row.stage,
            stage_label=Problem.Stage(row.stage).label, deadline=row.deadline,
            lead=lead.name, units=[u.name for u in support if u is not None],
            measures=[(m.text, m.unit.name, m.deadline) for m in measures],
            milestones=row.milestones, notes=row.notes,
        )
    )  # fmt: skip
