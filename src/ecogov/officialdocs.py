"""Official documents as Word files (公文): the fonts and sizes of GB/T 9704 as offices use
them, paragraphs with their indent and spacing, table headers that repeat on every page,
dates written in Chinese, and the bureau's name as it signs. The rectification reports,
the assessment notices and the sanctions' documents are written with these."""

import datetime
import io

from ecogov.org.selectors import bureau_of
from ecogov.text import writable_text


def chinese_date(day: datetime.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def bureau_name(jurisdiction) -> str:
    """The bureau as it signs to the upper level: 城中区 + 区生态环境局 → 城中区生态环境局."""
    unit = bureau_of(jurisdiction)
    if unit is None:
        return jurisdiction.name
    name = unit.name
    if name[:1] in ("区", "县", "市") and jurisdiction.name.endswith(name[:1]):
        return jurisdiction.name + name[1:]
    return name if name.startswith(jurisdiction.name) else jurisdiction.name + name


BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"


def font(run, name: str, size: float, *, bold=False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name, run.font.size, run.font.bold = name, Pt(size), bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def paragraph(document, text: str, *, face=BODY_FONT, size=16.0, centre=False, right=False,
              indent=True, space_after=0):  # fmt: skip
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    para = document.add_paragraph()
    if centre:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif right:
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif indent:
        para.paragraph_format.first_line_indent = Pt(size * 2)
    para.paragraph_format.space_after = Pt(space_after)
    para.paragraph_format.line_spacing = Pt(28 if size >= 14 else 18)
    font(para.add_run(writable_text(text)), face, size)
    return para


def repeat_header(row) -> None:
    """The header row repeats on every page of the annex."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def new_document():
    """An A4 document with the margins of GB/T 9704 and the body font."""
    import docx  # only documents need it
    from docx.shared import Cm

    document = docx.Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    document.styles["Normal"].font.name = BODY_FONT
    return document


def landscape_annex(document, title: str) -> None:
    """A new landscape page headed 附件 and the annex's title (a table follows)."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Cm

    annex = document.add_section(WD_SECTION.NEW_PAGE)
    annex.orientation = WD_ORIENT.LANDSCAPE
    annex.page_width, annex.page_height = Cm(29.7), Cm(21)
    annex.top_margin = annex.bottom_margin = Cm(2)
    annex.left_margin = annex.right_margin = Cm(2)
    paragraph(document, "附件", face=HEADING_FONT, indent=False)
    paragraph(document, title, face=TITLE_FONT, size=18, centre=True, space_after=8)


def table(document, header, rows, widths_cm, *, size=10.5):
    """A grid table with a repeating header; ``widths_cm`` per column."""
    from docx.shared import Cm

    grid = document.add_table(rows=1, cols=len(header))
    grid.style = "Table Grid"
    grid.autofit = False
    for cell, text in zip(grid.rows[0].cells, header, strict=True):
        cell.text = ""
        font(cell.paragraphs[0].add_run(text), HEADING_FONT, size)
    repeat_header(grid.rows[0])
    for values in rows:
        for cell, text in zip(grid.add_row().cells, values, strict=True):
            font(cell.paragraphs[0].add_run(writable_text(str(text))), BODY_FONT, size)
    for index, width in enumerate(widths_cm):
        grid.columns[index].width = Cm(width)  # the grid, which LibreOffice follows
        for cell in grid.columns[index].cells:
            cell.width = Cm(width)
    return grid


def saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
