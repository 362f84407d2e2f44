"""The sample assessments of Chengzhong District, computed from the sample record through
the services: the member units' quarterly assessment of the last ended quarter (released,
one objection accepted, published) and the townships' and streets' year (a draft).
Idempotent: a scheme that exists is left as it is."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.utils import timezone

from ecogov.assess import services
from ecogov.assess.indicators import INCIDENT
from ecogov.assess.models import Assessment, Bodies, Line, Method, PeriodKind, Scheme
from ecogov.cases.sample import SampleCast
from ecogov.org.models import Jurisdiction

SOURCE = "示例：参照《城中区生态环境保护工作责任规定》及成员单位目标责任考核的通行做法编制"
QUARTERLY = "units-quarterly"
YEARLY = "townships-yearly"

UNIT_INDICATORS = [
    # name, rule, method, weight, per event, cap, params
    ("议定事项、领导批示等督办事项按期办结", "items_on_time", Method.RATE, 20, None, None, {}),
    ("案件按时签收", "cases_accepted_on_time", Method.RATE, 15, None, None, {}),
    ("案件按期办结", "cases_finished_on_time", Method.RATE, 15, None, None, {}),
    ("受到通报批评或被约谈", "sanctions", Method.DEDUCT, 5, Decimal("2.5"), 5, {}),
    ("月调度按时报送", "monthly_reports_on_time", Method.RATE, 20, None, None, {}),
    ("整改问题达到序时进度", "rectification_on_schedule", Method.RATE, 15, None, None, {}),
    ("无正当理由退回案件", "returns_overruled", Method.DEDUCT, 5, 1, 5, {}),
    ("案件重办或群众不满意", "reopened_or_dissatisfied", Method.DEDUCT, 5, 1, 5, {}),
]
TOWNSHIP_INDICATORS = [
    ("辖区重点排污单位在线监测达标率", "monitoring_compliance", Method.RATE, 30, None, None, {}),
    ("网格化监管运行评价", "grid_evaluation", Method.RATE, 30, None, None, {}),
    ("案件按期办结", "cases_finished_on_time", Method.RATE, 20, None, None, {}),
    ("案件重办或群众不满意", "reopened_or_dissatisfied", Method.DEDUCT, 10, 2, 10, {}),
    ("督办事项按期办结", "items_on_time", Method.RATE, 5, None, None, {}),
    ("受到通报批评或被约谈", "sanctions", Method.DEDUCT, 5, Decimal("2.5"), 5, {}),
]


def _pdf(name: str) -> SimpleUploadedFile:
    body = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages"
            b"/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")  # fmt: skip
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def _scheme(district, cast, code, name, period, bodies, indicators, at) -> Scheme:
    scheme = services.scheme_create(
        jurisdiction=district, code=code, name=name, period=period, bodies=bodies,
        by=cast.dispatcher, source=SOURCE, at=at, public=True,
    )  # fmt: skip
    for label, rule, method, weight, per_event, cap, params in indicators:
        services.indicator_add(scheme, name=label, rule=rule, method=method, weight=weight,
                               per_event=per_event, cap=cap, params=params, by=cast.dispatcher)  # fmt: skip
    services.veto_add(
        scheme, name="辖区发生重大及以上突发环境事件", rule=INCIDENT, by=cast.dispatcher
    )
    services.veto_add(
        scheme, name="已销号整改问题回头看发现反弹", rule="relapse", by=cast.dispatcher
    )
    services.veto_add(
        scheme, name="被移交纪委监委或司法机关问责", rule="referral", by=cast.dispatcher
    )
    return services.scheme_activate(scheme, by=cast.dispatcher)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), timezone.get_current_timezone())


def assess_sample_load(district: Jurisdiction, *, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    if Scheme.objects.filter(jurisdiction=district, code__in=[QUARTERLY, YEARLY]).exists():
        return 0
    cast = SampleCast(district)
    # The last quarter that ended at least three weeks ago: its publication is behind us.
    period = services.last_ended_period(PeriodKind.QUARTER, today - datetime.timedelta(days=21))
    start, end = services.period_bounds(PeriodKind.QUARTER, period)
    created = _at(start, 9)
    quarterly = _scheme(district, cast, QUARTERLY, "城中区成员单位生态环境保护工作季度考核",
                        PeriodKind.QUARTER, Bodies.UNITS, UNIT_INDICATORS, created)  # fmt: skip
    computed = end + datetime.timedelta(days=2)
    assessment = services.assessment_run(quarterly, period, by=cast.dispatcher,
                                         at=_at(computed, 9), today=computed)  # fmt: skip
    _bonus(assessment, cast, _at(computed, 10))
    services.assessment_release(assessment, by=cast.dispatcher, at=_at(computed, 11))
    _objection(assessment, cast, computed)
    published = assessment.objections_until + datetime.timedelta(days=1)
    services.assessment_publish(assessment, by=cast.dispatcher, at=_at(published, 10),
                                number=f"城环考〔{end.year}〕{start.month // 3 + 1}号")  # fmt: skip
    _district_evaluates(district, cast, today)
    yearly = _scheme(district, cast, YEARLY, "城中区乡镇（街道）生态环境保护目标责任年度考核",
                     PeriodKind.YEAR, Bodies.TOWNSHIPS, TOWNSHIP_INDICATORS,
                     _at(datetime.date(today.year, 1, 5), 9))  # fmt: skip
    services.assessment_run(yearly, str(today.year), by=cast.dispatcher, at=_at(today, 8),
                            today=today)  # fmt: skip
    return 2


def _district_evaluates(district, cast, today: datetime.date) -> None:
    """The district's evaluation of 总寨镇's grid for the last quarter (the patrols sample
    leaves the townships' evaluations from above to do; the streets' are left so)."""
    from ecogov.grid.models import Grid
    from ecogov.patrols.evaluation import Kind, evaluation_save, quarter_of
    from ecogov.patrols.models import GridEvaluation

    year, quarter = quarter_of(today)
    year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    grid = Grid.objects.filter(
        jurisdiction=district, level=Grid.Level.TOWNSHIP, name="总寨镇"
    ).first()
    own = GridEvaluation.objects.filter(
        grid=grid, year=year, quarter=quarter, kind=Kind.SELF
    ).first()
    if grid is None or own is None:
        return
    evaluation_save(
        user=cast.dispatcher, grid=grid, year=year, quarter=quarter, kind=Kind.UPPER,
        score=max(0, own.score - 4), today=today,
        remarks="巡查记录完整，但个别问题未在规定时限内上报。",
        improvements="落实问题发现后24小时内上报。",
    )  # fmt: skip


def _bonus(assessment: Assessment, cast, at) -> None:
    score = assessment.scores.select_related("unit").filter(unit__name="区生态环境局").first()
    score = score or assessment.scores.order_by("rank").first()
    services.manual_add(
        score, points=Decimal(2), by=cast.dispatcher, at=at,
        reason="“无废城市”建设做法被省生态环境厅通报推广（示例）",
        files=[_pdf("推广通报.pdf")],
    )  # fmt: skip


def _objection(assessment: Assessment, cast, day: datetime.date) -> None:
    """The unit that lost most on one computed line objects; the bureau accepts half."""
    line = (
        Line.objects.filter(score__assessment=assessment, kind=Line.Kind.COMPUTED)
        .exclude(points=F("indicator__weight"))
        .select_related("score__unit", "indicator")
        .order_by("points", "pk")
        .first()
    )
    if line is None:
        return
    restored = min(line.indicator.weight, line.points + (line.indicator.weight - line.points) / 2)
    objection = services.objection_enter(
        line, by=cast.liaison(line.score.unit), at=_at(day + datetime.timedelta(days=1), 9),
        text="部分事项因上级部署调整，经区政府同意延期办理，延期批复附后，申请不计为逾期。",
        points=restored, files=[_pdf("延期批复.pdf")],
    )  # fmt: skip
    services.objection_decide(
        objection, accept=True, by=cast.dispatcher, at=_at(day + datetime.timedelta(days=2), 15),
        reason="经核实，其中部分事项延期经区政府批准，相应扣分予以核减。", points=services.cents(restored),
    )  # fmt: skip


# --- the environmental credit rating ------------------------------------------------------

CREDIT = "enterprise-credit"
CREDIT_SOURCE = "示例：参照《企业环境信用评价办法（试行）》（环发〔2013〕150号）编制"
CREDIT_INDICATORS = [
    ("污染物达标排放（在线监测）", "credit_compliance", Method.RATE, 30, None, None, {}),
    ("持证排污", "credit_permit", Method.RATE, 25, None, None, {}),
    ("行政处罚与行政命令", "credit_penalties", Method.DEDUCT, 25, 10, 25, {}),
    ("日常巡查发现问题", "credit_findings", Method.DEDUCT, 10, 5, 10, {}),
    ("群众投诉经查属实", "credit_complaints", Method.DEDUCT, 10, 5, 10, {}),
]
# What the bureau adds by hand to the computed lines (示例): enterprise → points, reason.
CREDIT_MANUAL = {
    "示例2号工业企业": (-12, "2025年监督性监测化学需氧量超标一次（示例）"),
    "示例3号工业企业": (-5, "突发环境事件应急预案未按期修订备案（示例）"),
    "示例4号工业企业": (-30, "2025年两次被责令改正违法行为、危险废物台账不全（示例）"),
}
CREDIT_VETO = ("示例5号工业企业", "建设项目环评未批先建（示例）")
CREDIT_REPAIRED = "示例3号工业企业"


def sample_credit_code(n: int) -> str:
    """A fictional unified social credit code that passes the check (示例)."""
    from ecogov.standards.uscc import check_character

    first = f"91630103MA6C{n:05d}"
    return first + check_character(first)


def credit_sample_load(district: Jurisdiction, *, today: datetime.date | None = None) -> int:
    """The industrial enterprises' credit rating of the last ended year, published, and
    one yellow enterprise's credit repair approved. Idempotent."""
    from ecogov.assess import credit
    from ecogov.enterprises.models import Permit
    from ecogov.sources.models import Source
    from ecogov.sources.services import source_save

    today = today or timezone.localdate()
    if Scheme.objects.filter(jurisdiction=district, code=CREDIT).exists():
        return 0
    cast = SampleCast(district)
    firms = list(Source.objects.filter(jurisdiction=district, type__code="industrial_enterprise")
                 .exclude(status=Source.Status.CLOSED).order_by("name"))  # fmt: skip
    if not firms:
        return 0
    year = today.year - 1
    for n, firm in enumerate(firms, start=1):
        if not firm.uscc:
            source_save(source=firm, jurisdiction=district, uscc=sample_credit_code(n),
                        reason="sample")  # fmt: skip
        if firm.name != "示例3号工业企业" and not Permit.objects.filter(source=firm).exists():
            Permit.objects.create(
                source=firm, number=f"{firm.uscc}001P", management=Permit.Class.KEY,
                issuer="西宁市生态环境局（示例）", issued_on=datetime.date(year - 2, 6, 1),
                valid_from=datetime.date(year - 2, 6, 1), valid_until=datetime.date(year + 3, 5, 31),
                pollutants=[
                    {"factor": "w01018", "name": "化学需氧量", "limit": "100", "unit": "mg/L", "tonnes": "12"},
                    {"factor": "w21003", "name": "氨氮", "limit": "15", "unit": "mg/L", "tonnes": "1.5"},
                ],
                created_at=_at(datetime.date(year - 2, 6, 1), 9),
            )  # fmt: skip
    scheme = services.scheme_create(
        jurisdiction=district, code=CREDIT, name="城中区企业环境信用评价", period=PeriodKind.YEAR,
        bodies=Bodies.ENTERPRISES, units=firms, by=cast.dispatcher, source=CREDIT_SOURCE,
        at=_at(datetime.date(year, 1, 5), 9), public=True, excellent=90, good=75, pass_mark=60,
        objection_workdays=10, bonus_cap=0,
    )  # fmt: skip
    for label, rule, method, weight, per_event, cap, params in CREDIT_INDICATORS:
        services.indicator_add(scheme, name=label, rule=rule, method=method, weight=weight,
                               per_event=per_event, cap=cap, params=params, by=cast.dispatcher)  # fmt: skip
    services.veto_add(scheme, name="环境违法构成犯罪移送司法机关", rule="credit_crime",
                      by=cast.dispatcher)  # fmt: skip
    services.veto_add(
        scheme, name="列入环保“黑名单”", rule="credit_blacklisted", by=cast.dispatcher
    )
    incident = services.veto_add(scheme, name="未批先建、私设暗管偷排或发生较大以上突发环境事件",
                                 rule=INCIDENT, by=cast.dispatcher)  # fmt: skip
    services.scheme_activate(scheme, by=cast.dispatcher)
    computed = datetime.date(year + 1, 1, 8)
    assessment = services.assessment_run(scheme, str(year), by=cast.dispatcher,
                                         at=_at(computed, 9), today=computed)  # fmt: skip
    scores = {score.source.name: score for score in assessment.scores.select_related("source")}
    for name, (points, reason) in CREDIT_MANUAL.items():
        if name in scores:
            services.manual_add(scores[name], points=points, reason=reason, by=cast.dispatcher,
                                files=[_pdf("检查记录.pdf")], at=_at(computed, 10))  # fmt: skip
    name, reason = CREDIT_VETO
    if name in scores:
        services.incident_add(scores[name], veto=incident, reason=reason, by=cast.dispatcher,
                              files=[_pdf("行政处罚决定书.pdf")], at=_at(computed, 10))  # fmt: skip
    services.assessment_release(assessment, by=cast.dispatcher, at=_at(computed, 11))
    published = assessment.objections_until + datetime.timedelta(days=1)
    services.assessment_publish(assessment, by=cast.dispatcher, at=_at(published, 10),
                                number=f"城环信〔{year + 1}〕1号")  # fmt: skip
    repaired = scores.get(CREDIT_REPAIRED)
    if repaired is not None:
        repaired.refresh_from_db()
        applied = credit.repair_from(repaired)
        if applied is not None and applied + datetime.timedelta(days=10) <= today:
            repair = credit.repair_apply(
                repaired, by=cast.dispatcher, at=_at(applied, 10), files=[_pdf("整改报告.pdf")],
                text="已修订突发环境事件应急预案并备案，已申领排污许可证（示例）。",
            )  # fmt: skip
            credit.repair_decide(repair, approve=True, by=cast.dispatcher,
                                 at=_at(applied + datetime.timedelta(days=7), 15),
                                 reason="经现场核查，整改到位，同意信用修复（示例）。")  # fmt: skip
    return 1
