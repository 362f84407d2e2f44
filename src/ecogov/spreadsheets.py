"""Reading the Excel sheets that offices send back: one place for what can go wrong."""

import io
from zipfile import BadZipFile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException


def sheet_rows(data: bytes) -> list[tuple]:
    """The values of the first sheet's rows; a file that is no workbook is a ValidationError."""
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        return list(sheet.iter_rows(values_only=True))
    except (InvalidFileException, BadZipFile, KeyError, ValueError, OSError, IndexError) as error:
        raise ValidationError(
            _("This is not an Excel workbook (.xlsx): %(error)s") % {"error": error}
        ) from None


def cell_text(value) -> str:
    return "" if value is None else str(value).strip()
