"""The sanctions' Word documents (python-docx, opened by Word and LibreOffice): the
criticism notice with its red header (红头), the record of an admonition talk
(约谈记录) and the dossier of a referral."""

from django.utils import timezone

from ecogov.officialdocs import (
    HEADING_FONT,
    TITLE_FONT,
    bureau_name,
    chinese_date,
    font,
    new_document,
    paragraph,
    saved,
    table,
)
from ecogov.sanctions.dossier import dossier_of
from ecogov.sanctions.models import Admonition, CriticismNotice, Referral
from ecogov.text import writable_text

RED = (0xC0, 0x00, 0x00)


def _red_header(document, issuer: str, number: str) -> None:
    """The issuing office's name in red, the number under it, a red rule."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import RGBColor

    head = document.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run(writable_text(issuer))
    font(run, TITLE_FONT, 26, bold=True)
    run.font.color.rgb = RGBColor(*RED)
    numbered = paragraph(document, number, centre=True)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "18"), ("space", "4"), ("color", "C00000")):
        bottom.set(qn(f"w:{key}"), value)
    border.append(bottom)
    numbered._p.get_or_add_pPr().append(border)


def _body(document, text: str) -> None:
    for line in text.splitlines():
        if line.strip():
            paragraph(document, line.strip())


def notice_docx(notice: CriticismNotice) -> bytes:
    document = new_document()
    _red_header(document, f"{bureau_name(notice.jurisdiction)}文件", notice.number)
    paragraph(document, "", indent=False)
    paragraph(document, notice.title, face=TITLE_FONT, size=22, centre=True, space_after=12)
    units = "、".join(unit.name for unit in notice.units.order_by("order", "name"))
    paragraph(document, f"{units}：", indent=False)
    _body(document, notice.facts)
    paragraph(document, "现予通报批评。请被通报单位认真剖析原因，立即整改，并将整改情况书面报送"
                        f"{notice.issuer.name}。")  # fmt: skip
    paragraph(document, "", indent=False)
    paragraph(document, notice.issuer.name, right=True)
    paragraph(document, chinese_date(notice.issued_on) or "（未印发）", right=True)
    return saved(document)


def admonition_docx(admonition: Admonition) -> bytes:
    document = new_document()
    paragraph(document, "约谈记录", face=TITLE_FONT, size=22, centre=True, space_after=6)
    paragraph(document, admonition.number, centre=True, space_after=12)
    held = timezone.localtime(admonition.held_at)
    lines = [
        ("事由", admonition.title),
        ("时间", f"{chinese_date(held.date())} {held:%H:%M}"),
        ("地点", admonition.place),
        ("约谈人", f"{admonition.convener.name} {admonition.convener_position}"),
        ("被约谈单位及参加人", "；".join(f"{s.unit.name}（{s.attendee}）"
                                       for s in admonition.summoned.select_related("unit"))),
    ]  # fmt: skip
    for label, text in lines:
        paragraph(document, f"{label}：{text}", indent=False)
    paragraph(document, "一、指出的问题", face=HEADING_FONT, indent=False)
    _body(document, admonition.problems)
    paragraph(document, "二、整改承诺", face=HEADING_FONT, indent=False)
    commitments = admonition.commitments.select_related("item__lead").order_by("pk")
    for n, commitment in enumerate(commitments, start=1):
        item = commitment.item
        paragraph(document, f"{n}. {item.lead.name}承诺：{item.title}（"
                            f"{chinese_date(item.deadline)}前完成，督办编号{item.number}）")  # fmt: skip
    if not commitments:
        paragraph(document, "（无）")
    return saved(document)


def dossier_docx(referral: Referral) -> bytes:
    document = new_document()
    paragraph(document, "问题线索移交材料", face=TITLE_FONT, size=22, centre=True, space_after=6)
    paragraph(document, referral.number, centre=True, space_after=12)
    units = "、".join(unit.name for unit in referral.units.all())
    for label, text in (
        ("移交至", referral.get_target_display()),
        ("移交日期", chinese_date(referral.referred_on)),
        ("涉及单位", units),
        ("涉及人员", referral.people or "—"),
    ):
        paragraph(document, f"{label}：{text}", indent=False)
    paragraph(document, "移交事由", face=HEADING_FONT, indent=False)
    _body(document, referral.reason)
    for n, history in enumerate(dossier_of(referral), start=1):
        paragraph(document, f"{n}. {history.kind} {history.number} {history.title}",
                  face=HEADING_FONT, indent=False)  # fmt: skip
        paragraph(document, f"牵头单位：{history.lead}；状态：{history.state}", indent=False)
        for clock in history.clocks:
            done = chinese_date(clock.done_on) if clock.done_on else "未完成"
            paragraph(document, f"时限（{clock.what}）：{chinese_date(clock.deadline) or '无'}；"
                                f"完成：{done}；{clock.verdict}", indent=False)  # fmt: skip
        table(document, ("时间", "环节", "办理人", "单位", "说明"),
              [(f"{timezone.localtime(step.at):%Y-%m-%d %H:%M}", step.what, step.actor, step.unit,
                step.note) for step in history.steps], (3.2, 2.6, 3.0, 3.0, 4.0))  # fmt: skip
    return saved(document)
