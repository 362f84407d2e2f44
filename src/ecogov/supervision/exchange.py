"""The ledger as the offices exchange it: the Excel export of every kind, and the import
of progress reports from a filled-in export (one report per row whose 本期进展 is
filled), all or nothing, each bad row named."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ecogov import access
from ecogov.spreadsheets import cell_text, sheet_rows
from ecogov.supervision import services
from ecogov.supervision.ledger import COLOUR_NAMES, Row
from ecogov.supervision.models import Item

EXPORT_HEADER = (
    "编号", "类别", "事项", "来源", "牵头单位", "配合单位", "督办级别", "完成时限", "状态", "预警",
    "督办升级", "本期进展", "完成百分比",
)  # fmt: skip
EXPORT_WIDTHS = (22, 12, 40, 28, 18, 24, 10, 12, 12, 6, 12, 40, 10)
NUMBER, PROGRESS, PERCENT = "编号", "本期进展", "完成百分比"
MAX_ROWS = 5000


def export_row(row: Row) -> list:
    return [
        row.number,
        row.kind_label,
        row.title,
        row.source,
        row.lead,
        "、".join(row.support),
        row.level_label,
        "持续推进" if row.ongoing else (f"{row.due:%Y-%m-%d}" if row.due else ""),
        row.state,
        COLOUR_NAMES.get(row.colour, ""),
        row.escalated,
        "",
        "",
    ]


@dataclass
class ImportResult:
    filed: int = 0
    skipped: int = 0


def _header_index(rows: list[tuple]) -> tuple[int, dict[str, int]]:
    for number, row in enumerate(rows[:10]):
        cells = [cell_text(value) for value in row]
        if NUMBER in cells and PROGRESS in cells:
            return number, {name: cells.index(name) for name in (NUMBER, PROGRESS, PERCENT)
                            if name in cells}  # fmt: skip
    raise ValidationError(
        _("No header row with the columns “编号” and “本期进展”: fill in an exported ledger.")
    )


def progress_import(*, data: bytes, by) -> ImportResult:
    """File the progress reports of a filled-in ledger. Rows of cases and plan tasks are
    skipped (they report on their own pages); an item the person may not report on, an
    unknown number or a bad percentage refuses the whole file."""
    rows = sheet_rows(data)
    start, columns = _header_index(rows)
    body = rows[start + 1 :]
    if len(body) > MAX_ROWS:
        raise ValidationError(_("At most %(n)d rows at a time.") % {"n": MAX_ROWS})
    result, errors = ImportResult(), []
    visible = access.scope(by, Item)
    with transaction.atomic():
        for offset, row in enumerate(body, start=start + 2):
            cells = [cell_text(value) for value in row]

            def cell(name, cells=cells):
                index = columns.get(name)
                return cells[index] if index is not None and index < len(cells) else ""

            number, text = cell(NUMBER), cell(PROGRESS)
            if not text:
                result.skipped += 1
                continue
            item = visible.filter(number=number).first()
            if item is None:
                if number and not number.startswith("DB-"):
                    result.skipped += 1  # a case or a plan task: reported on its own page
                    continue
                errors.append(
                    _("row %(row)d: no supervised item “%(n)s” of yours")
                    % {"row": offset, "n": number}
                )
                continue
            try:
                services.item_report(item, text=text, percent=cell(PERCENT) or None, by=by)
            except (ValidationError, PermissionDenied) as error:
                reasons = error.messages if isinstance(error, ValidationError) else [str(error)]
                errors.append(
                    _("row %(row)d: %(error)s") % {"row": offset, "error": "；".join(reasons)}
                )
                continue
            result.filed += 1
        if errors:
            transaction.set_rollback(True)
            raise ValidationError(errors[:20])
    return result
