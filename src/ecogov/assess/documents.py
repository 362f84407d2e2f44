"""The assessment's documents, in Chinese as they are issued: the ranking (考核结果排名表)
and the notice (通报) of a period — the annual notice (年通报) for a year — naming the
bodies in front, the ones not passed and why, the vetoes, and the ranking as its annex."""

from django.utils import timezone

from ecogov.assess.models import Assessment, Bodies, Grade, Line, PeriodKind
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
CREDIT_NAMES = {Grade.GREEN: "环保诚信企业（绿牌）", Grade.BLUE: "环保良好企业（蓝牌）",
                Grade.YELLOW: "环保警示企业（黄牌）", Grade.RED: "环保不良企业（红牌）"}  # fmt: skip


def _credit(assessment: Assessment) -> bool:
    return assessment.scheme.bodies == Bodies.ENTERPRISES


def grade_words(score) -> str:
    """A score's grade in a document: the credit grade as it stands (a repair says so)."""
    if score.source_id:
        words = CREDIT_NAMES.get(score.repaired_grade or score.grade, "")
        if score.repaired_grade:
            words += f"（原评{CREDIT_NAMES.get(score.grade, '')}，信用修复）"
        return words
    return "一票否决" if score.vetoed else GRADE_NAMES.get(score.grade, "")


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
    if _credit(assessment):
        return name
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
                     grade_words(score)])  # fmt: skip
    body, grade = ("企业", "信用等级") if _credit(assessment) else ("被考核单位", "等次")
    header = ["名次", body, *[i.name for i in indicators], "加减分", "总分", grade]
    return header, rows


def _ranking_table(document, assessment: Assessment) -> None:
    header, rows = ranking_rows(assessment)
    room = 25.7 - 1.2 - 4.0 - 1.6 - 1.6 - 2.0
    middle = room / max(1, len(header) - 5)
    widths = [1.2, 4.0, *[middle] * (len(header) - 5), 1.6, 1.6, 2.0]
    table(document, header, rows, widths, size=9)


def ranking_title(assessment: Assessment) -> str:
    if _credit(assessment):
        return f"{period_words(assessment)}{_subject(assessment)}结果"
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
    if _credit(assessment):
        return _credit_notice_lines(assessment, scores)
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


def _credit_notice_lines(assessment: Assessment, scores) -> list[tuple[str, list[str]]]:
    scheme = assessment.scheme
    opening = (
        f"根据《企业环境信用评价办法（试行）》（环发〔2013〕150号）和《{scheme.name}》，"
        f"{bureau_name(scheme.jurisdiction)}依据在线监测、排污许可、行政处罚、日常巡查、群众投诉等"
        f"记录，对{len(scores)}家企业{period_words(assessment)}环境信用进行了评价，评价结果经公示"
        f"并处理异议后予以确定。现将有关情况通报如下。"
    )
    standing = {grade: [s for s in scores if (s.repaired_grade or s.grade) == grade]
                for grade in CREDIT_NAMES}  # fmt: skip
    results = ["；".join(f"{CREDIT_NAMES[g]}{len(standing[g])}家" for g in CREDIT_NAMES
                        if standing[g]) + "。"]  # fmt: skip
    for grade in CREDIT_NAMES:
        if standing[grade]:
            results.append(f"{CREDIT_NAMES[grade]}：" + "、".join(grade_words(s).replace(
                CREDIT_NAMES[grade], s.body.name, 1) for s in standing[grade]) + "。")  # fmt: skip
    bad = [f"{s.body.name}（{s.total}分）：{_why(s)}" for s in standing[Grade.RED]]
    problems = bad or ["本期无环保不良企业。"]
    requests = [
        "对环保诚信企业，在项目审批、资金补助、评优评先等方面依法予以支持；对环保警示企业，"
        "加大执法检查频次，督促限期整改；对环保不良企业，依法从严监管，实施联合惩戒。",
        "环保警示企业、环保不良企业整改到位后，可按规定申请信用修复。",
    ]
    return [("评价结果", [opening, *results]), ("环保不良企业及主要问题", problems),
            ("结果运用", requests)]  # fmt: skip


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
