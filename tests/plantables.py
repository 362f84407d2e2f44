"""Builders of plan documents for the tests: a Word document and a PDF made from a text
whose TAB-separated lines are table rows (tests/data/plans/tables/README.md)."""

import io
from pathlib import Path
from xml.sax.saxutils import escape

TABLES = Path(__file__).parent / "data" / "plans" / "tables"
SUINING = TABLES / "suining-sanitation-2016.txt"
PINGDINGSHAN = TABLES / "pingdingshan-river-chief-2018.txt"


def blocks(text: str) -> list[str | list[list[str]]]:
    """The text as paragraphs (str) and tables (lists of rows of cells), in order."""
    out: list[str | list[list[str]]] = []
    for line in text.splitlines():
        if "\t" in line:
            if not out or not isinstance(out[-1], list):
                out.append([])
            out[-1].append(line.split("\t"))
        elif line.strip():
            out.append(line.strip())
    return out


def docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    for block in blocks(text):
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        width = max(len(row) for row in block)
        table = document.add_table(rows=0, cols=width)
        table.style = "Table Grid"
        for row in block:
            cells = table.add_row().cells
            for cell, value in zip(cells, row + [""] * (width - len(row)), strict=True):
                cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


FONT = "STSong-Light"


def pdf_bytes(
    text: str,
    *,
    font_size: float = 10.5,
    page_numbers: bool = True,
) -> bytes:
    """A text PDF as an office exports one: paragraphs, ruled tables whose long cells
    wrap, and "— N —" at the foot of every page."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    style = ParagraphStyle(
        "plan", fontName=FONT, fontSize=font_size, leading=font_size * 1.6, wordWrap="CJK"
    )
    cell_style = ParagraphStyle(
        "cell", parent=style, fontSize=font_size * 0.85, leading=font_size * 1.3
    )
    parts = blocks(text)
    widest = max((len(b[0]) for b in parts if isinstance(b, list)), default=0)
    size = landscape(A4) if widest > 5 else A4
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=size, title="plan")
    usable = size[0] - document.leftMargin - document.rightMargin

    def foot(canvas, doc):
        if page_numbers:
            canvas.setFont(FONT, 9)
            canvas.drawCentredString(size[0] / 2, 28, f"— {doc.page} —")

    story = []
    for block in parts:
        if isinstance(block, str):
            story.append(Paragraph(escape(block), style))
            continue
        width = max(len(row) for row in block)
        rows = [row + [""] * (width - len(row)) for row in block]
        # Columns as wide as their longest cell (within bounds), filling the page.
        longest = [max(min(max(len(r[i]), 4), 60) for r in rows) for i in range(width)]
        widths = [usable * n / sum(longest) for n in longest]
        narrow = font_size * 2.2 + 14  # two characters and the padding
        spare = sum(max(w - narrow, 0) for w in widths)
        short = sum(max(narrow - w, 0) for w in widths)
        widths = [narrow if w < narrow else w - (w - narrow) * short / spare for w in widths]
        table = Table(
            [[Paragraph(escape(cell), cell_style) for cell in row] for row in rows],
            colWidths=widths,
        )
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        story.append(table)
    document.build(story, onFirstPage=foot, onLaterPages=foot)
    return buffer.getvalue()


def scan_pdf_bytes() -> bytes:
    """A PDF such as a scanner gives: pages that are pictures, no text at all."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    for _ in range(2):
        # Grey strokes where a scan has its lines of print.
        for y in range(700, 200, -24):
            page.setFillGray(0.3)
            page.rect(72, y, 420, 10, stroke=0, fill=1)
        page.showPage()
    page.save()
    return buffer.getvalue()


def grid_pdf(pages: list[list[list[str]]], widths: list[float]) -> bytes:
    """A PDF whose pages each hold one ruled table of one-line cells, drawn as given:
    for a table that runs over pages as Word sets it (its header repeated atop each
    page, a row broken by the page with the rest of its cells on the next)."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    size = landscape(A4)
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=size)
    for number, rows in enumerate(pages, start=1):
        top, height, left = size[1] - 60, 24, 40
        edges = [left]
        for width in widths:
            edges.append(edges[-1] + width)
        bottom = top - height * len(rows)
        for index in range(len(rows) + 1):
            page.line(left, top - index * height, edges[-1], top - index * height)
        for x in edges:
            page.line(x, top, x, bottom)
        page.setFont(FONT, 10)
        for index, row in enumerate(rows):
            for x, cell in zip(edges, row, strict=False):
                page.drawString(x + 4, top - (index + 1) * height + 8, cell)
        page.setFont(FONT, 9)
        page.drawCentredString(size[0] / 2, 28, f"- {number} -")
        page.showPage()
    page.save()
    return buffer.getvalue()
