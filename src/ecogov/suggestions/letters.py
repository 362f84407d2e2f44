"""The answer letter (答复函) as Word, in the layout offices use: the title 关于…的答复, the
authors addressed by name, the body, the class, what was promised (B, C), the signing unit
and the date, the contact and the copies (抄送). Author contacts never appear in it."""

import io

from django.http import Http404
from django.utils.translation import gettext as _

from ecogov.spreadsheets import download
from ecogov.suggestions.models import CLASS_TEXT, TITLES, Answer, AnswerClass, Body, Kind
from ecogov.text import writable_text
from ecogov.uploads import TYPES

BUREAU = "区生态环境局"  # the bureau that runs the representatives' channel
# Who receives a copy of the answer, by kind (the committees that follow them up).
COPIES = {
    Kind.SUGGESTION: "区人大常委会人代工委",
    Kind.PROPOSAL: "区政协提案委员会",
    Kind.OPINION: "区委办公室",
}


def _chinese_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def letter_title(answer: Answer) -> str:
    return f"关于{answer.suggestion.reference}的答复"


def addressee(answer: Answer) -> str:
    authors = answer.suggestion.authors.all()
    return "、".join(f"{a.name}{TITLES[Body(a.body)]}" for a in authors)


def letter_document(answer: Answer) -> bytes:
    import docx  # only letters need it
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    suggestion = answer.suggestion
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "SimSun"
    normal.font.size = Pt(14)
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(writable_text(letter_title(answer)))
    run.bold, run.font.size = True, Pt(20)
    subject = document.add_paragraph(writable_text(f"（{suggestion.title}）"))
    subject.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(writable_text(f"尊敬的{addressee(answer)}："))
    opening = f"您提出的《{suggestion.title}》收悉。经认真研究办理，现答复如下："
    document.add_paragraph(writable_text(opening)).paragraph_format.first_line_indent = Pt(28)
    for line in answer.letter.splitlines():
        if line.strip():
            paragraph = document.add_paragraph(writable_text(line.strip()))
            paragraph.paragraph_format.first_line_indent = Pt(28)
    document.add_paragraph(
        f"答复类别：{CLASS_TEXT[AnswerClass(answer.answer_class)]}"
    ).paragraph_format.first_line_indent = Pt(28)
    if answer.promise:
        document.add_paragraph(
            writable_text(
                f"承诺事项：{answer.promise}（计划于{_chinese_date(answer.promised_by)}前完成）"
            )
        ).paragraph_format.first_line_indent = Pt(28)
    document.add_paragraph(
        "感谢您对生态环境保护工作的关心和支持，欢迎继续提出宝贵意见。"
    ).paragraph_format.first_line_indent = Pt(28)
    for text in (answer.unit.name, _chinese_date(answer.answered_on)):
        signature = document.add_paragraph(writable_text(text))
        signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if answer.contact:
        document.add_paragraph(writable_text(f"联系人及电话：{answer.contact}"))
    copies = [COPIES[Kind(suggestion.kind)]]
    if answer.unit.name != BUREAU:
        copies.append(BUREAU)
    document.add_paragraph(writable_text(f"抄送：{'、'.join(copies)}。"))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def letter_response(suggestion, round: int):
    """The download of the letter of answer ``round`` (404 if there is none)."""
    answer = suggestion.answers.filter(round=round).select_related("unit").first()
    if answer is None:
        raise Http404(_("No such answer."))
    return download(letter_document(answer), f"{letter_title(answer)}.docx", TYPES["docx"][0],
                    ascii_name=f"answer-{suggestion.pk}-{round}.docx")  # fmt: skip
