"""Sample data for ``make run``: the implementation plans the sample plan's lead units
owe (some uploaded in time, some late, some still missing) and a summer joint
enforcement campaign with its inspections, two findings that became cases, and its
closing summary. Idempotent; after the plans and cases samples."""

import datetime
import io

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from ecogov.campaigns import services
from ecogov.campaigns.models import Campaign
from ecogov.cases import services as cases
from ecogov.cases.models import Outcome, State
from ecogov.cases.sample import SampleCast
from ecogov.org.models import Jurisdiction
from ecogov.plans.implementation import (
    implementation_import_tasks,
    implementation_upload,
    parent_tasks,
)
from ecogov.plans.models import Plan
from ecogov.sources.models import Source, SourceType
from ecogov.supervision import clocks

TITLE = "{year}年夏季餐饮油烟和建筑工地扬尘联合执法专项行动"
UNITS = ("区生态环境局", "区城乡建设局", "区城市管理综合行政执法局", "区市场监督管理局")
TYPES = ("restaurant", "construction_site")
ACTION_PLAN = (
    "一、行动目标：集中整治城区餐饮油烟直排、露天烧烤和建筑工地扬尘防控不落实等群众反映强烈的问题。\n"
    "二、组织领导：由区生态环境保护网格化管理领导小组统一协调调度，区生态环境局牵头，"
    "区城乡建设局、区城市管理综合行政执法局、区市场监督管理局按职责分工参加。\n"
    "三、行动安排：动员部署、集中检查、整改复查、总结通报四个阶段；检查发现的问题一律移交立案查处。\n"
    "四、工作要求：坚持定期协商、联合检查和案件移送制度，形成执法合力。"
)
# The second source of each type inspected had a problem.
FINDINGS = {
    "restaurant": "油烟净化设施未开启，油烟直排，已拍照取证。",
    "construction_site": "施工现场裸土未覆盖，渣土车未密闭运输，扬尘明显。",
}
SUMMARY = (
    "专项行动期间，各成员单位按照行动方案联合检查餐饮单位和建筑工地，"
    "发现的问题全部移交立案，其中一起已作出行政处罚并整改到位，另一起正在办理。"
    "下一步将把餐饮油烟和工地扬尘纳入日常网格巡查重点，防止问题反弹。"
)


def moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _plan_document(unit_name: str, plan_title: str) -> SimpleUploadedFile:
    """A unit's implementation plan as a Word file the plan parser reads."""
    document = docx.Document()
    lines = (
        f"{unit_name}落实《{plan_title}》实施方案",
        "一、主要任务",
        "1、细化本单位工作措施。对照区级方案明确的任务，逐项制定措施、明确责任科室和完成时限。",
        f"责任单位：{unit_name}",
        "完成时限：持续推进",
        "2、开展问题排查整治。针对本行业领域突出生态环境问题开展排查，建立问题清单并整改销号。",
        f"责任单位：{unit_name}",
        "配合单位：区生态环境局",
        "完成时限：2026年12月",
    )
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(f"{unit_name}实施方案.docx", buffer.getvalue())


def _implementation_plans(district: Jurisdiction, cast: SampleCast) -> int:
    """A third of the units upload in time, a third late (red before), a third not yet."""
    plan = Plan.objects.filter(jurisdiction=district).order_by("pk").first()
    if plan is None:
        return 0
    obligations = list(plan.implementations.select_related("unit", "item").order_by("unit__name"))
    if not obligations or any(o.document_id for o in obligations):
        return 0
    third = max(len(obligations) // 3, 1)
    in_time, late = obligations[:third], obligations[third : 2 * third]
    deadline = obligations[0].item.deadline
    for obligation in in_time:
        liaison = cast.liaison(obligation.unit)
        implementation_upload(obligation, files=[_plan_document(obligation.unit.name, plan.title)],
                              by=liaison, at=moment(deadline - datetime.timedelta(days=12)))  # fmt: skip
    first = in_time[0]
    parent = parent_tasks(first).first()
    if parent is not None:
        implementation_import_tasks(first, parent=parent, by=cast.liaison(first.unit))
    # Five days past the deadline the late ones went red; they uploaded three weeks later.
    # (Only they are timed on that past day: a scan of every item on it would lower the
    # others, and the next scan would escalate them a second time.)
    for obligation in late:
        clocks.time_now("item", obligation.item, deadline + datetime.timedelta(days=5))
    for obligation in late:
        obligation.refresh_from_db()
        implementation_upload(obligation, files=[_plan_document(obligation.unit.name, plan.title)],
                              by=cast.liaison(obligation.unit),
                              at=moment(deadline + datetime.timedelta(days=26)))  # fmt: skip
    return len(in_time) + len(late)


def _summer(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    year = today.year if datetime.date(today.year, 9, 10) < today else today.year - 1
    return datetime.date(year, 6, 15), datetime.date(year, 8, 31)


def _campaign(district: Jurisdiction, cast: SampleCast, today: datetime.date) -> Campaign | None:
    start, end = _summer(today)
    title = TITLE.format(year=start.year)
    if Campaign.objects.filter(jurisdiction=district, title=title).exists():
        return None
    units = [cast.unit(name) for name in UNITS]
    types = list(SourceType.objects.filter(code__in=TYPES))
    setup = services.Setup(title=title, action_plan=ACTION_PLAN, start=start, end=end,
                           units=units, source_types=types, grids=[])  # fmt: skip
    campaign = services.campaign_create(jurisdiction=district, setup=setup, by=cast.dispatcher,
                                        at=moment(start - datetime.timedelta(days=7)))  # fmt: skip
    by_type = {
        code: list(
            Source.objects.filter(jurisdiction=district, type__code=code, name__startswith="示例")
            .exclude(grid=None)
            .select_related("type", "grid")
            .order_by("name")[:4]
        )
        for code in TYPES
    }
    # The restaurants and the sites are inspected in turn, a visit every six days.
    sources = [s for pair in zip(*by_type.values(), strict=False) for s in pair]
    inspections = []
    for n, source in enumerate(sources):
        unit = units[1] if source.type.code == "construction_site" else units[2]
        day = start + datetime.timedelta(days=3 + 6 * n)
        found = FINDINGS.get(source.type.code) if source == by_type[source.type.code][1] else None
        inspections.append(services.inspection_record(
            campaign, source=source, by=cast.liaison(unit), inspected_at=moment(day, 9 + n % 6),
            inspectors=f"{unit.name}执法人员2名、区生态环境局执法人员1名", units=[unit, units[0]],
            finding=found is not None, note=found or "检查未发现问题。",
        ))  # fmt: skip
    for inspection in inspections:
        if not inspection.patrol.finding:
            continue
        day = timezone.localdate(inspection.patrol.patrolled_at) + datetime.timedelta(days=1)
        case = services.inspection_to_case(inspection, by=cast.dispatcher, now=moment(day, 15))
        if inspection.patrol.source.type.code == "restaurant":
            _penalised(case, cast, day)
    return services.campaign_close(campaign, summary=SUMMARY, by=cast.dispatcher,
                                   at=moment(end + datetime.timedelta(days=5)))  # fmt: skip


def _penalised(case, cast: SampleCast, day: datetime.date) -> None:
    """The first finding's case handled to the end: a penalty, verified and closed."""
    if case.lead_id is None:
        case = cases.case_assign(case, lead=cast.unit("区城市管理综合行政执法局"),
                                 by=cast.dispatcher, now=moment(day, 16))  # fmt: skip
    case.refresh_from_db()
    if case.state != State.ASSIGNED:
        return
    lead = cast.liaison(case.lead)
    cases.case_accept(case, by=lead, now=moment(day + datetime.timedelta(days=1)))
    cases.case_report(
        case, investigation="现场检查确认油烟净化设施未正常使用，油烟直排。",
        measures="责令立即整改，清洗并正常运行油烟净化设施。", outcome=Outcome.PENALTY,
        decision_number=f"城中执罚〔{day.year}〕31号", penalty_amount="5000", by=lead,
        now=moment(day + datetime.timedelta(days=6)),
    )  # fmt: skip
    cases.case_verify(case, confirmed=True, note="复查油烟净化设施运行正常。",
                      by=cast.verifier(case), now=moment(day + datetime.timedelta(days=9)))  # fmt: skip
    cases.case_close(case, by=cast.dispatcher, now=moment(day + datetime.timedelta(days=10)))


@transaction.atomic
def campaigns_sample_load(district: Jurisdiction, *, today: datetime.date | None = None) -> dict:
    """The implementation plans and the campaign; the clocks are timed at the end."""
    today = today or timezone.localdate()
    cast = SampleCast(district)
    uploaded = _implementation_plans(district, cast)
    campaign = _campaign(district, cast, today)
    clocks.scan()
    return {"implementation_plans_uploaded": uploaded, "campaign": campaign}
