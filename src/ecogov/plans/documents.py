"""Plan documents as text: plain text in UTF-8 or GB18030, Word (.docx) and text PDFs.

Whatever the format, the plan reader (``ecogov.domain.plandoc``) gets one text: the
paragraphs in reading order, one a line, and each row of a table as its cells joined by
TAB, in the table's place among the paragraphs. A file is told by its bytes first: a
``.txt`` that is really a PDF is read as a PDF, and a ``.pdf`` that is none is refused as
a broken PDF.

A PDF is read through pdfplumber: its text lines as the page sets them, its ruled tables
(the division-of-labour tables, 任务分工表) found by pdfplumber's table finder. A PDF that
is encrypted without a password to open it (only copying or printing restricted, as many
offices publish them) is read; one that needs a password is refused. Where pdfminer
cannot map a font to characters, PDFium (pypdfium2, which pdfplumber installs) reads the
text, without the tables' cells. Running
headers, footers and page numbers ("— 3 —", "-3-", "第3页") are dropped. A PDF without a
text layer (a scan) is refused: EcoGov does not run OCR.
"""

import io
import re
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _

from ecogov.domain.textfile import UnreadableFile, decode_text
from ecogov.text import UnstorableText, clean_text

# The limits of one plan document, on the page and on the command line alike: a 40-page
# plan is a few hundred kilobytes as text and a few megabytes as PDF.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_PDF_PAGES = 300

PDF_MAGIC = b"%PDF"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the Word 97–2003 .doc and its kin

# A page number standing alone on its line: "— 3 —", "-3-", "- 12 -", "3", "第3页",
# "第 3 页 共 12 页", "3/12".
_PAGE_NUMBER = re.compile(
    r"^[\s—–－\-·•]*(?:第\s*\d+\s*页(?:\s*[，,]?\s*共\s*\d+\s*页)?|\d+\s*(?:/\s*\d+)?)[\s—–－\-·•]*$"
)
# A text layer whose characters the PDF does not map to Unicode comes out as "(cid:123)".
_UNMAPPED = re.compile(r"\(cid:\d+\)")
# A line is a running header or footer when it stands at the top or the bottom of at
# least this share of the pages (and of three pages at least).
_RUNNING_SHARE = 0.5
_SHORT_LINE = 20
_EDGE_LINES = 1  # the first and the last line, page numbers aside


def read_document(path: Path) -> str:
    """The text of a plan document on disk; UnreadableFile says why it cannot be read."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise UnreadableFile(
                _("%(name)s is larger than %(n)d MB.")
                % {"name": path.name, "n": MAX_DOCUMENT_BYTES // 1024 // 1024}
            )
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableFile(f"{path}: {error.strerror or error}") from None
    return document_text(data, name=str(path))


def document_text(data: bytes, *, name: str = "the file") -> str:
    """The text of a plan document given as bytes (an upload), by the kind its bytes show."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise UnreadableFile(
            _("%(name)s is larger than %(n)d MB.")
            % {"name": name, "n": MAX_DOCUMENT_BYTES // 1024 // 1024}
        )
    suffix = Path(name).suffix.lower()
    if data.startswith(PDF_MAGIC) or suffix == ".pdf":
        text = _pdf_text(data, name)
    elif data.startswith(ZIP_MAGIC) or suffix == ".docx":
        text = _docx_text(data, name)
    elif data.startswith(OLE_MAGIC):
        raise UnreadableFile(
            _(
                "%(name)s: not a text file but an old Word (.doc) or other Office 97 "
                "document: save it as .docx or PDF."
            )
            % {"name": name}
        )
    else:
        return decode_text(data, name)
    try:
        return clean_text(text)
    except UnstorableText as error:
        raise UnreadableFile(f"{name}: {error}") from None


# --- Word ------------------------------------------------------------------------------


def _docx_text(data: bytes, name: str) -> str:
    import docx  # imported here: only Word files need it
    from docx.opc.exceptions import PackageNotFoundError
    from docx.oxml.ns import qn

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise UnreadableFile(
            _("%(name)s: not a readable Word document (%(error)s)") % {"name": name, "error": error}
        ) from None
    lines: list[str] = []
    # Paragraphs and tables in the order they stand in the body.
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            lines.append("".join(node.text or "" for node in child.iter(qn("w:t"))))
        elif child.tag == qn("w:tbl"):
            for row in child.iter(qn("w:tr")):
                cells = [
                    "".join(node.text or "" for node in cell.iter(qn("w:t")))
                    for cell in row.iter(qn("w:tc"))
                ]
                lines.append("\t".join(cells))
    return "\n".join(lines)


# --- PDF -------------------------------------------------------------------------------


def _pdf_text(data: bytes, name: str) -> str:
    import pdfplumber  # imported here: only PDF files need it
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise UnreadableFile(
                    _("%(name)s has %(pages)d pages; EcoGov reads plans of at most %(n)d.")
                    % {"name": name, "pages": len(pdf.pages), "n": MAX_PDF_PAGES}
                )
            pages = [_page_blocks(page) for page in pdf.pages]
    except UnreadableFile:
        raise
    except (PDFPasswordIncorrect, PdfminerException) as error:
        cause = error.args[0] if isinstance(error, PdfminerException) and error.args else error
        if isinstance(cause, PDFPasswordIncorrect) or "password" in str(cause).lower():
            raise UnreadableFile(
                _("%(name)s is protected by a password: send the PDF without it.") % {"name": name}
            ) from None
        raise UnreadableFile(
            _("%(name)s: not a readable PDF (%(error)s)") % {"name": name, "error": cause}
        ) from None
    except Exception as error:  # pdfminer raises many kinds on a broken file
        raise UnreadableFile(
            _("%(name)s: not a readable PDF (%(error)s)")
            % {"name": name, "error": type(error).__name__}
        ) from None
    written = "".join(line for blocks in pages for _kind, line in blocks)
    if not re.sub(r"\s", "", written):
        raise UnreadableFile(
            _("%(name)s: this PDF has no text: it is a scan; EcoGov reads text PDFs.")
            % {"name": name}
        )
    if _unmapped(written):
        # pdfminer cannot map some fonts (a CID font in an encrypted file, for one) that
        # PDFium, the PDF engine of Chromium, maps: its text, without the tables' cells.
        pages = _pdfium_pages(data)
        written = "".join(line for blocks in pages for _kind, line in blocks)
    if _unmapped(written) or not written.strip():
        raise UnreadableFile(
            _(
                "%(name)s: the PDF's fonts do not say which characters they draw, so its "
                "text cannot be read; export the PDF again from the original document."
            )
            % {"name": name}
        )
    return "\n".join(_joined_pages(pages))


def _unmapped(text: str) -> bool:
    return len("".join(_UNMAPPED.findall(text))) > len(text) / 2


def _pdfium_pages(data: bytes) -> list[list[tuple[str, str]]]:
    """The pages' text lines as PDFium reads them (no tables), or no pages."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        return []
    try:
        pages = []
        for page in document:
            text = page.get_textpage().get_text_range()
            lines = [line.strip() for line in re.split(r"\r\n|\r|\n", text)]
            pages.append([("line", line) for line in lines if line])
        return pages
    finally:
        document.close()


def _joined_pages(pages: list[list[tuple[str, str]]]) -> list[str]:
    """The pages as one run of lines: page numbers and running lines dropped, a table's
    header row repeated on a later page dropped, and a row that a page break split (its
    rest on the next page, with an empty first cell) joined again."""
    running = _running_lines(pages)
    lines: list[str] = []
    last_is_row = False
    headers: set[str] = set()
    for blocks in pages:
        page_start = True
        for kind, line in blocks:
            if kind == "line" and (_PAGE_NUMBER.match(line) or _shape(line) in running):
                continue
            if kind == "head":
                if line in headers:
                    continue  # the header again, atop the table's next page
                headers.add(line)
            row = kind in ("head", "row")
            if page_start and row and last_is_row and _continues(lines[-1], line):
                lines[-1] = "\t".join(
                    _cell_text(f"{before}\n{after}")
                    for before, after in zip(lines[-1].split("\t"), line.split("\t"), strict=True)
                )
            else:
                lines.append(line)
            last_is_row, page_start = row, False
    return lines


def _continues(previous: str, row: str) -> bool:
    """Whether ``row``, atop a page, is the rest of ``previous``, the last row of the page
    before: as many cells, the first (the number) empty, another not."""
    before, after = previous.split("\t"), row.split("\t")
    return len(before) == len(after) and not after[0] and any(after[1:])


def _page_blocks(page) -> list[tuple[str, str]]:
    """A page's text lines and table rows, top to bottom: ("line", text), or ("head" for
    a table's first row, else "row", its cells joined by TAB)."""
    # The table finder reads ruling lines: a page without any has no table to find, and
    # skipping it halves the time a text page takes.
    ruled = page.lines or page.rects
    tables = [table for table in page.find_tables() if _is_table(table)] if ruled else []
    boxes = [table.bbox for table in tables]

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        middle_x = (obj["x0"] + obj["x1"]) / 2
        middle_y = (obj["top"] + obj["bottom"]) / 2
        return not any(
            x0 <= middle_x <= x1 and top <= middle_y <= bottom for x0, top, x1, bottom in boxes
        )

    placed: list[tuple[float, float, str, str]] = []
    text_page = page.filter(outside) if boxes else page
    for line in text_page.extract_text_lines(return_chars=False):
        text = line["text"].strip()
        if text:
            placed.append((line["top"], line["x0"], "line", text))
    for table in tables:
        top = table.bbox[1]
        for index, row in enumerate(table.extract()):
            cells = [_cell_text(cell) for cell in row]
            if any(cells):
                kind = "head" if index == 0 else "row"
                placed.append((top + index * 0.001, table.bbox[0], kind, "\t".join(cells)))
    placed.sort(key=lambda item: (item[0], item[1]))
    return [(kind, text) for _top, _x, kind, text in placed]


def _is_table(table) -> bool:
    """A ruled grid of two columns at least; a box drawn around one paragraph is not."""
    rows = table.extract()
    return bool(rows) and max(len(row) for row in rows) >= 2


def _cell_text(cell: str | None) -> str:
    """A cell's lines joined as one text: Chinese lines without a blank, Latin words with."""
    if not cell:
        return ""
    parts = [part.strip() for part in cell.splitlines() if part.strip()]
    text = ""
    for part in parts:
        if text and text[-1].isascii() and text[-1].isalnum() and part[0].isascii():
            text += " "
        text += part
    return text.replace("\t", " ")


def _shape(line: str) -> str:
    """A line as its pages repeat it: a short line with its digits masked ("XX市人民
    政府 3" and "… 4" are one running line); a longer one as it stands, since body text
    that differs only in its numbers is not a running line."""
    line = re.sub(r"\s+", "", line)
    return re.sub(r"\d+", "#", line) if len(line) <= _SHORT_LINE else line


def _running_lines(pages: list[list[tuple[str, str]]]) -> set[str]:
    """The lines that stand at the top or bottom of most pages (running headers and
    footers), by their shape."""
    if len(pages) < 3:
        return set()
    counts: dict[str, int] = {}
    for blocks in pages:
        lines = [line for kind, line in blocks if kind == "line" and not _PAGE_NUMBER.match(line)]
        edges = {_shape(line) for line in lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]}
        for shape in edges:
            counts[shape] = counts.get(shape, 0) + 1
    needed = max(3, int(len(pages) * _RUNNING_SHARE + 0.999))
    return {shape for shape, count in counts.items() if count >= needed}
