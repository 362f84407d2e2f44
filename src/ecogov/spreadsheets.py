"""The Excel sheets offices exchange: reading what they send back (one place for what can
go wrong), writing tables they print, and handing files out as downloads."""

import io
from urllib.parse import quote
from zipfile import BadZipFile

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from ecogov.text import UnstorableText, clean_value, writable_text


def sheet_rows(data: bytes) -> list[tuple]:
    """The values of the first sheet's rows, text cleaned (``ecogov.text``); a file that is no
    workbook is a ValidationError."""
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
    except (InvalidFileException, BadZipFile, KeyError, ValueError, OSError, IndexError) as error:
        raise ValidationError(
            _("This is not an Excel workbook (.xlsx): %(error)s") % {"error": error}
        ) from None
    try:
        return [clean_value(row) for row in rows]
    except UnstorableText as error:
        raise ValidationError(str(error)) from None


def cell_text(value) -> str:
    return "" if value is None else str(value).strip()


def table_workbook(
    *,
    sheet_title: str,
    header: tuple[str, ...],
    rows,
    widths: tuple[int, ...],
    title: str = "",
    subtitle: str = "",
) -> bytes:
    """One sheet holding a table: optional title and subtitle rows, a bold shaded header, borders,
    frozen header, printed landscape on the page width (how the offices print ledgers)."""
    return tables_workbook([dict(sheet_title=sheet_title, header=header, rows=rows, widths=widths,
                                 title=title, subtitle=subtitle)])  # fmt: skip


def tables_workbook(tables) -> bytes:
    """Several such tables, one sheet each: ``tables`` is a list of ``table_workbook``'s
    keyword arguments."""
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        _table_sheet(book.create_sheet(), **table)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _table_sheet(sheet, *, sheet_title: str, header, rows, widths, title: str = "",
                 subtitle: str = "") -> None:  # fmt: skip
    sheet.title = sheet_title
    if title:
        sheet.append([writable_text(title)])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        sheet["A1"].font = Font(bold=True, size=14)
        sheet["A1"].alignment = Alignment(horizontal="center")
    if subtitle:
        sheet.append([writable_text(subtitle)])
    header_row = sheet.max_row + 1 if title or subtitle else 1
    sheet.append([writable_text(value) for value in header])
    for row in rows:
        sheet.append([writable_text(value) for value in row])
    thin = Side(style="thin", color="999999")
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
        cell = sheet.cell(row=header_row, column=column)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8F3EC")
    for cells in sheet.iter_rows(min_row=header_row, max_row=sheet.max_row):
        for cell in cells:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = f"{header_row}:{header_row}"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download(data: bytes, filename: str, content_type: str = XLSX, *, ascii_name: str = ""):
    """A file to save: ``filename`` may be Chinese (RFC 5987); ``ascii_name`` is what
    old clients that cannot read it fall back to."""
    response = HttpResponse(data, content_type=content_type)
    fallback = f"filename={ascii_name}; " if ascii_name else ""
    response["Content-Disposition"] = f"attachment; {fallback}filename*=UTF-8''{quote(filename)}"
    return response
