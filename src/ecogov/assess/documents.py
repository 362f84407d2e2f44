"""The assessment's documents, in Chinese as they are issued: the ranking (考核结果排名表)
and the notice (通报) of a period — the annual notice (年通报) for a year — naming the
bodies in front, the ones not passed and why, the vetoes, and the ranking as its annex."""

from django.utils import timezone

from ecogov.assess.models import Assessment, Grade, Line, PeriodKind
from ecogov.assess.services import ranking
from ecogov.meetings.exports import chinese_numeral
from ecogov.officialdocs import (
    HEADING_FONT,
    TITLE_FONT,
    bureau_name,
    chinese_date,
    landscape_annex,
    new_document,
    paragraph,
    saved,
    table,
)

GRADE_NAMES = {Grade.EXCELLENT: "优秀", Grade.GOOD: "良好", Grade.PASSED: "合格",
               Grade.FAILED: "不合格"}  # fmt: skip


def period_words(assessment: Assessment) -> str:
    if assessment.scheme.period == PeriodKind.YEAR:
        return f"{assessment.start.year}年度"
    return (
        f"{assessment.start.year}年第{chinese_numeral((assessment.start.month - 1) // 3 + 1)}季度"
    )


def notice_title(assessment: Assessment) -> str:
    kind = "年度" if assessment.scheme.period == PeriodKind.YEAR else "季度"
    return f"关于{period_words(assessment)}{_subject(assessment)}结果的通报".replace(
        f"{kind}{kind}", kind
    )


def _subject(assessment: Assessment) -> str:
    name = assessment.scheme.name
    jurisdiction = assessment.scheme.jurisdiction.name
    name = name.removeprefix(jurisdiction)
    for word in ("年度", "季度"):
        name = name.replace(word, "")
    return name if name.endswith("考核") else name + "考核"


def ranking_rows(assessment: Assessment):
    scores = list(
        assessment.scores.select_related("unit", "source").order_by(
            "rank", "unit__order", "source__name"
        )
    )
    indicators, entries = ranking(assessment, scores)
    rows = []
    for entry in entries:
        score = entry["score"]
        values = [str(line.points) if line else "" for line in entry["cells"]]
        rows.append([str(score.rank or ""), score.body.name, *values,
                     str(entry["manual"]) if entry["manual"] else "", str(score.total),
                     "一票否决" if score.vetoed else GRADE_NAMES.get(score.grade, "")])  # fmt: skip
    header = ["名次", "被考核单位", *[i.name for i in indicators], "加减分", "总分", "等次"]
    return header, rows


def _ranking_table(document, assessment: Assessment) -> None:
    header, rows = ranking_rows(assessment)
    room = 25.7 - 1.2 - 4.0 - 1.6 - 1.6 - 2.0
    middle = room / max(1, len(header) - 5)
    widths = [1.2, 4.0, *[middle] * (len(header) - 5), 1.6, 1.6, 2.0]
    table(document, header, rows, widths, size=9)


def ranking_title(assessment: Assessment) -> str:
    return f"{period_words(assessment)}{_subject(assessment)}结果排名表"


def ranking_docx(assessment: Assessment) -> bytes:
    document = new_document()
    section = document.sections[0]
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin = section.right_margin = Cm(2)
    paragraph(document, ranking_title(assessment), face=TITLE_FONT, size=18, centre=True,
              space_after=8)  # fmt: skip
    _ranking_table(document, assessment)
    return saved(document)


def notice_lines(assessment: Assessment) -> list[tuple[str, list[str]]]:
    scores = list(
        assessment.scores.select_related("unit", "source").order_by(
            "rank", "unit__order", "source__name"
        )
    )
    scheme = assessment.scheme
    counts = {grade: [s for s in scores if s.grade == grade] for grade in GRADE_NAMES}
    opening = (
        f"根据《{scheme.name}》，{bureau_name(scheme.jurisdiction)}依据督办台账、案件办理、"
        f"月调度、整改台账等工作记录，对{len(scores)}个被考核单位{period_words(assessment)}"
        f"工作情况进行了考核，考核结果经公示并处理异议后予以确定。现将有关情况通报如下。"
    )
    results = [
        "、".join(f"{GRADE_NAMES[g]}{len(counts[g])}个" for g in GRADE_NAMES if counts[g]) + "。"
    ]
    if counts[Grade.EXCELLENT]:
        names = "、".join(s.body.name for s in counts[Grade.EXCELLENT])
        results.append(f"考核等次为优秀的单位：{names}，予以通报表扬。")
    failed = counts[Grade.FAILED]
    criticism = []
    for score in failed:
        why = _why(score)
        criticism.append(f"{score.body.name}（{score.total}分）：{why}")
    if failed:
        criticism.insert(0, "以下单位考核等次为不合格，予以通报批评，限期整改，"
                            "并将整改情况书面报送区生态环境局：")  # fmt: skip
    else:
        criticism.append("本期无考核不合格单位。")
    requests = [
        "各单位要对照考核扣分事项逐项整改，举一反三，建立长效机制；"
        "考核结果纳入年度目标责任考核和领导干部综合考核评价。"
    ]
    return [("考核结果", [opening, *results]), ("存在的问题", criticism), ("工作要求", requests)]


def _why(score) -> str:
    lines = list(score.lines.all())
    vetoes = [ln.name for ln in lines if ln.kind == Line.Kind.VETO]
    if vetoes:
        return "因“" + "”“".join(vetoes) + "”一票否决"
    lost = sorted(
        (ln for ln in lines if ln.kind == Line.Kind.COMPUTED and ln.indicator_id),
        key=lambda ln: ln.points - ln.indicator.weight,
    )[:3]
    parts = [f"{ln.name}失分{ln.indicator.weight - ln.points}分" for ln in lost
             if ln.points < ln.indicator.weight]  # fmt: skip
    return "，".join(parts) or "得分低于合格线"


def notice_docx(assessment: Assessment) -> bytes:
    """The notice of the period (年通报 for a year) with the ranking as its annex."""
    scheme = assessment.scheme
    document = new_document()
    if assessment.notice_number:
        paragraph(document, assessment.notice_number, centre=True, space_after=12)
    paragraph(document, notice_title(assessment), face=TITLE_FONT, size=22, centre=True,
              space_after=18)  # fmt: skip
    paragraph(document, "各成员单位，各乡镇人民政府、街道办事处：", indent=False)
    for number, (heading, lines) in enumerate(notice_lines(assessment), 1):
        paragraph(document, f"{chinese_numeral(number)}、{heading}", face=HEADING_FONT)
        for line in lines:
            paragraph(document, line)
    paragraph(document, "")
    paragraph(document, "附件：" + ranking_title(assessment))
    paragraph(document, "")
    paragraph(document, bureau_name(scheme.jurisdiction), right=True)
    day = timezone.localdate(assessment.published_at) if assessment.published_at else None
    paragraph(document, chinese_date(day or timezone.localdate()), right=True)
    landscape_annex(document, ranking_title(assessment))
    _ranking_table(document, assessment)
    return saved(document)
