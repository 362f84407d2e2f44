"""Minutes as the Word document offices issue (会议纪要/会商纪要): the title, the
document number, date, place, chair and attendees by unit, the body, then the
resolutions numbered 一、二、… each with its lead unit, supporting units and deadline.
A draft is marked 草稿 at the top and in the page header."""

import io

from django.utils import timezone

from ecogov.meetings.models import Minutes
from ecogov.meetings.services import deadline_text
from ecogov.text import writable_text

NUMERALS = "一二三四五六七八九十"
BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (resolutions stay below 100)."""
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else NUMERALS[tens - 1]
    return f"{head}十{NUMERALS[ones - 1] if ones else ''}"


def _font(run, name: str, size: float, *, bold=False, colour=None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)


def _paragraph(document, text: str, *, font=BODY_FONT, size=16.0, bold=False, centre=False,
               indent=True, colour=None, space_after=0):  # fmt: skip
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    if centre:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    paragraph.paragraph_format.space_after = Pt(space_after)
    paragraph.paragraph_format.line_spacing = Pt(28)
    _font(paragraph.add_run(writable_text(text)), font, size, bold=bold, colour=colour)
    return paragraph


def _labelled(document, label: str, text: str):
    paragraph = _paragraph(document, "")
    _font(paragraph.add_run(f"{label}："), HEADING_FONT, 16)
    _font(paragraph.add_run(writable_text(text)), BODY_FONT, 16)
    return paragraph


def attendees_text(minutes: Minutes) -> tuple[str, str]:
    """(who came, by unit; the units that were absent)."""
    came, absent = [], []
    for invitation in minutes.meeting.invitations.select_related("unit"):
        if invitation.came:
            who = invitation.person + (f"（{invitation.position}）" if invitation.position else "")
            if invitation.attendance == invitation.Attendance.SUBSTITUTE:
                who += "（代）"
            came.append(f"{invitation.unit.name}{who}")
        elif invitation.attendance == invitation.Attendance.ABSENT:
            absent.append(invitation.unit.name)
    return "，".join(came), "、".join(absent)


def minutes_document(minutes: Minutes) -> bytes:
    import docx  # only documents need it
    from docx.shared import Cm

    meeting = minutes.meeting
    document = docx.Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    draft = not minutes.issued
    if draft:
        header = section.header.paragraphs[0]
        _font(header.add_run("草稿　未印发"), HEADING_FONT, 10.5, colour="C00000")
        _paragraph(document, "草稿", font=HEADING_FONT, size=16, bold=True, indent=False,
                   colour="C00000")  # fmt: skip
    _paragraph(document, minutes.title, font=TITLE_FONT, size=22, centre=True, space_after=12)
    number = minutes.number or "（文号待定）"
    _paragraph(document, number, centre=True, space_after=12)
    if minutes.corrects_id:
        _paragraph(document, f"（更正{minutes.corrects.title}（{minutes.corrects.number}））",
                   centre=True, size=14)  # fmt: skip
    when = timezone.localtime(meeting.starts_at)
    _labelled(document, "时间", f"{when.year}年{when.month}月{when.day}日{when:%H:%M}")
    if meeting.place:
        _labelled(document, "地点", meeting.place)
    if meeting.chair:
        _labelled(document, "主持", meeting.chair)
    came, absent = attendees_text(minutes)
    _labelled(document, "参会单位及人员", came or "—")
    if absent:
        _labelled(document, "缺席单位", absent)
    for line in (minutes.text or "").splitlines():
        if line.strip():
            _paragraph(document, line.strip())
    resolutions = list(minutes.resolutions.select_related("lead").order_by("order"))
    if resolutions:
        _paragraph(document, "会议议定事项如下：", font=HEADING_FONT)
    for resolution in resolutions:
        _paragraph(document, f"{chinese_numeral(resolution.order)}、{resolution.text}")
        support = "、".join(unit.name for unit in resolution.support.all()) or "—"
        _labelled(document, "牵头单位", resolution.lead.name)
        _labelled(document, "配合单位", support)
        _labelled(document, "完成时限", deadline_text(resolution))
    issued = minutes.issued_at and timezone.localtime(minutes.issued_at)
    _paragraph(document, "")
    _paragraph(document, meeting.convener.name, centre=False, indent=False).alignment = 2
    if issued:
        _paragraph(document, f"{issued.year}年{issued.month}月{issued.day}日印发",
                   indent=False).alignment = 2  # fmt: skip
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
