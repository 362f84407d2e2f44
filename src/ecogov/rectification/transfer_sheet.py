"""Reading the list of complaints an inspection team transfers (交办信访件清单) as it
arrives: a header row somewhere near the top (受理编号 or 交办编号, 信访内容, 所在地,
污染类型, 交办时间, in any order and with the usual variants), then one complaint a row."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ecogov.rectification.transfers import clean_reference
from ecogov.spreadsheets import cell_text, sheet_rows

HEADER_ROWS = 10  # the header is found among the first rows (titles may come before it)
MAX_ROWS = 2000
# Each field's header variants, the most specific first.
HEADERS = {
    "reference": ("交办编号", "受理编号", "转办编号", "信访编号", "编号"),
    "text": ("信访内容", "交办问题", "反映问题", "举报内容", "问题描述", "内容"),
    "address": ("所在地", "行政区域", "所在区域", "地址", "地点"),
    "category": ("污染类型", "污染类别", "类型"),
    "received_on": ("交办时间", "交办日期", "转办时间", "日期", "时间"),
}
_DATE = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?")


def _header(cells) -> dict[str, int]:
    names = [re.sub(r"\s+", "", cell_text(cell)) for cell in cells]
    found: dict[str, int] = {}
    for field, variants in HEADERS.items():
        for variant in variants:
            column = next((n for n, name in enumerate(names) if variant in name
                           and n not in found.values()), None)  # fmt: skip
            if column is not None:
                found[field] = column
                break
    return found


def _day(value, default_day: datetime.date) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    if not text:
        return default_day
    match = _DATE.match(text)
    if match is None:
        raise ValidationError(_("the day %(text)s is no date (write 2026-06-01)") % {"text": text})
    try:
        return datetime.date(*map(int, match.groups()))
    except ValueError:
        raise ValidationError(_("the day %(text)s does not exist") % {"text": text}) from None


def read_transfer_sheet(upload, *, default_day: datetime.date) -> list[tuple[int, dict]]:
    """(row number, fields for ``transfer_receive``) for every complaint of the sheet;
    a row without a transfer date is dated ``default_day``. Every bad row is named."""
    rows = sheet_rows(upload.read())
    start, columns = None, {}
    for number, cells in enumerate(rows[:HEADER_ROWS], 1):
        columns = _header(cells)
        if "reference" in columns and "text" in columns:
            start = number
            break
    if start is None:
        raise ValidationError(
            _("No header row with the transfer number (交办编号 or 受理编号) and the "
              "complaint (信访内容) in the first %(n)d rows.") % {"n": HEADER_ROWS}
        )  # fmt: skip
    found, errors = [], []
    for number, cells in enumerate(rows[start:], start + 1):

        def get(field, cells=cells):
            column = columns.get(field)
            return cells[column] if column is not None and column < len(cells) else None

        if not any(cell_text(cell) for cell in cells):
            continue
        missing = [what for field, what in (("reference", _("no transfer number")),
                                             ("text", _("no complaint")))
                   if not cell_text(get(field))]  # fmt: skip
        if missing:
            errors.append(_("Row %(n)d: %(error)s") % {"n": number, "error": "、".join(missing)})
            continue
        try:
            found.append((number, {
                "reference": clean_reference(get("reference")),
                "text": cell_text(get("text")),
                "address": cell_text(get("address")),
                "category": cell_text(get("category")),
                "received_on": _day(get("received_on"), default_day),
            }))  # fmt: skip
        except ValidationError as error:
            errors.append(_("Row %(n)d: %(error)s") % {"n": number,
                                                       "error": "；".join(error.messages)})  # fmt: skip
    if errors:
        raise ValidationError(errors)
    if not found:
        raise ValidationError(_("The list has no complaint under its header."))
    if len(found) > MAX_ROWS:
        raise ValidationError(_("At most %(n)d complaints per list.") % {"n": MAX_ROWS})
    return found
