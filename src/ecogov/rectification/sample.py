"""Sample rectification ledgers of Chengzhong District: a central-inspection batch and a
Yellow River warning-film batch with FICTIONAL problems (each text starts “（虚构示例）”),
in every state of a problem's life — rectified on schedule, behind, acceptance applied
for, accepted after a first refusal, publicised with an objection pending, closed out —
a long-term problem with its milestones, a look-back that found a relapse (the problem
open again and raised to the discipline commission), and two complaints the inspection
transferred, both finished, one with its result published.

Every step goes through the services, dated in the past relative to the day of loading,
by the sample accounts of the cases' sample; the clocks are run at the end. Loading
again adds nothing.
"""

import datetime
import io
from dataclasses import dataclass, field

import docx
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from ecogov.cases import services as cases
from ecogov.cases.models import Outcome
from ecogov.cases.sample import SampleCast, moment
from ecogov.org.models import Jurisdiction
from ecogov.rectification import services, transfers
from ecogov.rectification.models import Batch, Origin, Problem
from ecogov.rectification.services import MeasureInput, MilestoneInput
from ecogov.supervision import clocks

CENTRAL = "第二轮中央生态环境保护督察反馈问题"
WARNING_FILM = "黄河流域生态环境警示片披露问题"
BUREAU = "区生态环境局"


@dataclass(frozen=True)
class Sample:
    """A problem and its steps; days are counted back from the day of loading (a
    negative number is a day to come)."""

    text: str
    lead: str
    measures: tuple  # (text, unit, deadline days before the load or None)
    stage: str = Problem.Stage.BY_DATE
    target: str = ""
    leader: str = "分管副区长"
    acceptance: str | None = BUREAU
    deadline: int | None = None
    milestones: tuple = ()  # (text, due days before, reached days before or None)
    steps: tuple = field(default_factory=tuple)  # (days before, step, fields)


CENTRAL_PROBLEMS = (
    Sample(
        "（虚构示例）南川河城中段沿岸部分区域建筑垃圾和生活垃圾混合堆放，影响河道生态。",
        "区城乡建设局",
        (
            ("全面清运沿岸堆放的建筑垃圾和生活垃圾", "区城乡建设局", -20),
            ("设置视频监控，查处偷倒行为", "区城市管理综合行政执法局", -45),
        ),  # fmt: skip
        target="沿岸垃圾全部清运，建立长效管护机制",
        deadline=-60,
        steps=(
            (
                10,
                "report",
                {"measure": 1, "text": "已清运垃圾约1200立方米，完成约四成。", "percent": 40},
            ),
        ),  # fmt: skip
    ),
    Sample(
        "（虚构示例）总寨镇部分村庄生活污水收集处理设施建设滞后，存在污水直排现象。",
        "总寨镇政府",
        (
            ("逐村排查污水直排点位，建立问题清单", "总寨镇政府", 30),
            ("建设村庄污水收集管网并接入处理设施", "区农业农村局", 10),
        ),  # fmt: skip
        target="村庄生活污水有效收集处理，消除直排",
        deadline=-30,
        steps=(
            (32, "report", {"measure": 1, "text": "排查完毕，共发现直排点位9处。", "done": True}),
            (15, "report", {"measure": 2, "text": "管网招标完成，施工队伍已进场。", "percent": 30}),
        ),
    ),
    Sample(
        "（虚构示例）城区部分餐饮集中区域油烟净化设施未正常运行，群众反映强烈。",
        "区城市管理综合行政执法局",
        (("逐户检查餐饮单位，督促安装并正常使用油烟净化设施", "区城市管理综合行政执法局", 20),),
        target="餐饮油烟达标排放，群众投诉明显下降",
        steps=(
            (
                25,
                "report",
                {"measure": 1, "text": "检查餐饮单位236家，督促整改61家，全部完成。", "done": True},
            ),  # fmt: skip
            (
                5,
                "apply",
                {"text": "自查报告：全部餐饮单位油烟净化设施已安装并正常运行，附检查台账。"},
            ),
        ),
    ),
    Sample(
        "（虚构示例）部分建筑工地扬尘防治措施落实不到位，裸土覆盖不全。",
        "区城乡建设局",
        (("开展建筑工地扬尘专项检查，落实“六个百分之百”", "区城乡建设局", 40),),
        target="在建工地扬尘防治措施全部落实到位",
        steps=(
            (
                45,
                "report",
                {"measure": 1, "text": "检查在建工地38个，全部完成整改。", "done": True},
            ),
            (35, "apply", {"text": "自查报告：38个在建工地扬尘防治措施已全部落实。"}),
            (30, "refuse", {"note": "现场核查发现仍有两处工地裸土未覆盖，请继续整改。"}),
            (22, "apply", {"text": "补充整改报告：两处工地已完成裸土覆盖，附照片。"}),
            (15, "accept", {"note": "现场核查，整改到位，同意验收。"}),
        ),
    ),
    Sample(
        "（虚构示例）城南片区部分废弃矿山生态修复进度缓慢，存在裸露山体。",
        "区自然资源局",
        (("完成废弃矿山边坡治理和复绿", "区自然资源局", 30),),
        target="裸露山体全部复绿，消除地质灾害隐患",
        steps=(
            (32, "report", {"measure": 1, "text": "边坡治理和复绿工程完工。", "done": True}),
            (25, "apply", {"text": "自查报告：修复工程已完工并通过专家评审。"}),
            (20, "accept", {"note": "现场核查，复绿到位，同意验收。"}),
            (3, "sign_off", {}),
            (1, "objection", {"text": "群众来信反映：修复区域东侧仍有一处裸露坡面未复绿。"}),
        ),
    ),
    Sample(
        "（虚构示例）湟水河城中段个别雨水排口旱天有污水排出。",
        "区城乡建设局",
        (("排查雨污混接点并完成封堵改造", "区城乡建设局", 85),),
        target="雨水排口旱天无污水排出",
        steps=(
            (88, "report", {"measure": 1, "text": "混接点3处已全部封堵改造。", "done": True}),
            (80, "apply", {"text": "自查报告：连续两周旱天巡查，排口无污水排出。"}),
            (75, "accept", {"note": "现场核查属实，同意验收。"}),
            (70, "sign_off", {}),
            (60, "close_out", {"note": "公示期满无异议，予以销号。"}),
        ),
    ),
    Sample(
        "（虚构示例）城区大气环境质量改善任务艰巨，细颗粒物（PM2.5）浓度仍需持续下降。",
        BUREAU,
        (
            ("持续开展扬尘、油烟、燃煤散烧综合治理", BUREAU, None),
            ("推进农村清洁取暖改造", "总寨镇政府", None),
        ),  # fmt: skip
        stage=Problem.Stage.LONG_TERM,
        target="PM2.5年均浓度持续下降，优良天数比例稳步提高",
        acceptance=None,
        milestones=(
            ("完成年度散煤清零任务", 60, 62),
            ("PM2.5年均浓度较基准年下降5%", -120, None),
        ),  # fmt: skip
        steps=((20, "report", {"measure": 1, "text": "本月开展扬尘检查45次，查处问题12个。"}),),
    ),
    Sample(
        "（虚构示例）总寨镇部分区域存在秸秆和垃圾露天焚烧现象。",
        "总寨镇政府",
        (("网格化巡查，发现一起查处一起", "总寨镇政府", 150),),
        target="杜绝露天焚烧",
        steps=(
            (155, "report", {"measure": 1, "text": "巡查全覆盖，查处露天焚烧7起。", "done": True}),
            (150, "apply", {"text": "自查报告：连续一个月未发现露天焚烧。"}),
            (145, "accept", {"note": "现场核查，未发现露天焚烧，同意验收。"}),
            (140, "sign_off", {}),
            (130, "close_out", {"note": "公示期满无异议，予以销号。"}),
            (10, "pick", {}),
            (
                8,
                "relapse",
                {
                    "note": "回头看发现：总寨镇谢家寨村附近再次出现垃圾露天焚烧，整改后反弹。",
                    "deadline": -22,
                },
            ),  # fmt: skip
        ),
    ),
)

FILM_PROBLEMS = (
    Sample(
        "（虚构示例）湟水河支流河道内存在非法采砂遗留砂坑，河道生态未恢复。",
        "区自然资源局",
        (
            ("回填砂坑并平整河床", "区自然资源局", 110),
            ("河道生态修复和岸坡绿化", "区农业农村局", 105),
        ),  # fmt: skip
        target="砂坑全部回填，河道生态恢复",
        steps=(
            (112, "report", {"measure": 1, "text": "砂坑已全部回填平整。", "done": True}),
            (106, "report", {"measure": 2, "text": "岸坡绿化完成。", "done": True}),
            (100, "apply", {"text": "自查报告：砂坑回填和生态修复已全部完成。"}),
            (95, "accept", {"note": "现场核查，整改到位。"}),
            (90, "sign_off", {}),
            (80, "close_out", {"note": "公示期满无异议，予以销号。"}),
        ),
    ),
    Sample(
        "（虚构示例）城郊结合部存在“散乱污”小作坊，废水未经处理直接排放。",
        "总寨镇政府",
        (("关停取缔无证无照小作坊", "总寨镇政府", None),),
        stage=Problem.Stage.AT_ONCE,
        target="“散乱污”作坊全部关停取缔",
        steps=(
            (60, "report", {"measure": 1, "text": "已关停5家，剩余3家正在取证。", "percent": 60}),
        ),
    ),
    Sample(
        "（虚构示例）部分规模养殖场粪污资源化利用设施不完善。",
        "区农业农村局",
        (("完善养殖场粪污贮存和处理设施", "区农业农村局", 20),),
        target="规模养殖场粪污处理设施配套率100%",
        steps=(
            (22, "report", {"measure": 1, "text": "12家规模养殖场设施已配套完善。", "done": True}),
            (3, "apply", {"text": "自查报告：12家规模养殖场粪污处理设施全部配套到位。"}),
        ),
    ),
)

# (number, days before, text, place, pollution, lead, result to publish or "")
TRANSFERS = (
    (
        "D3QH-0001",
        235,
        "（虚构示例）来信反映：城中区南川东路某混凝土搅拌站夜间生产，粉尘和噪声扰民。",
        "城中区南川东路",
        "大气、噪声",
        "区城市管理综合行政执法局",
        "（虚构示例）经查属实。责令该搅拌站停止夜间生产，完成料场全封闭改造，"
        "立案处罚一起；已向督察组报送查处情况。",
    ),
    (
        "D3QH-0002",
        233,
        "（虚构示例）来电反映：总寨镇某村附近有人倾倒建筑垃圾。",
        "城中区总寨镇",
        "固废",
        "总寨镇政府",
        "",
    ),
)


def _day(today: datetime.date, before: int) -> datetime.date:
    return today - datetime.timedelta(days=before)


def _closeout_document(title: str) -> SimpleUploadedFile:
    """The close-out document (销号报告) as a Word file."""
    document = docx.Document()
    document.add_heading("整改销号报告（虚构示例）", level=1)
    document.add_paragraph(title)
    document.add_paragraph("该问题已按整改方案完成全部整改措施，经验收单位现场核查、区级审核并公示期满无异议，"
                           "申请予以销号。")  # fmt: skip
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile("整改销号报告.docx", buffer.getvalue())


def _problem(batch: Batch, sample: Sample, cast: SampleCast, today: datetime.date) -> Problem:
    created = batch.received_on + datetime.timedelta(days=5)

    def when(days):
        return _day(today, days) if days is not None else None

    problem = services.problem_create(
        batch, text=sample.text, target=sample.target, stage=sample.stage,
        lead=cast.unit(sample.lead), leader=sample.leader,
        measures=[MeasureInput(text, cast.unit(unit), when(days))
                  for text, unit, days in sample.measures],
        milestones=[MilestoneInput(text, when(due)) for text, due, _reached in sample.milestones],
        deadline=when(sample.deadline),
        acceptance_unit=cast.unit(sample.acceptance) if sample.acceptance else None,
        by=cast.dispatcher, at=moment(created, 9, 30),
    )  # fmt: skip
    for milestone, (_text, _due, reached) in zip(
        problem.milestones.order_by("due", "pk"), sample.milestones, strict=True
    ):
        if reached is not None:
            services.milestone_reach(
                milestone, text="已完成", by=cast.liaison(problem.item.lead),
                at=moment(_day(today, reached), 16, 0),
            )  # fmt: skip
    for before, step, fields in sample.steps:
        problem.refresh_from_db()
        _step(problem, step, dict(fields), cast, today, moment(_day(today, before), 10, 0))
    return problem


def _step(problem: Problem, step: str, fields: dict, cast: SampleCast, today, at) -> None:
    lead = cast.liaison(problem.item.lead)
    dispatcher = cast.dispatcher
    if step == "report":
        measure = problem.measures.get(order=fields.pop("measure"))
        services.measure_report(measure, by=cast.liaison(measure.unit), at=at, **fields)
    elif step == "apply":
        services.acceptance_apply(problem, by=lead, at=at, **fields)
    elif step in ("accept", "refuse"):
        services.acceptance_decide(problem, accept=step == "accept", by=dispatcher, at=at,
                                   **fields)  # fmt: skip
    elif step == "sign_off":
        services.sign_off(problem, by=dispatcher, at=at)
    elif step == "objection":
        services.objection_enter(problem, by=dispatcher, received_on=timezone.localdate(at),
                                 at=at, **fields)  # fmt: skip
    elif step == "close_out":
        services.close_out(problem, files=[_closeout_document(problem.text)], by=dispatcher,
                           at=at, **fields)  # fmt: skip
    elif step == "pick":
        services.lookback_pick(problem, by=dispatcher, due=timezone.localdate(at), at=at)
    elif step == "relapse":
        lookback = problem.lookbacks.get(result="pending")
        services.lookback_record(
            lookback, relapsed=True, note=fields["note"], by=dispatcher, at=at,
            deadline=_day(today, fields["deadline"]),
        )  # fmt: skip
    else:
        raise ValueError(f"unknown sample step {step}")


def _transfer(batch: Batch, row, cast: SampleCast, today: datetime.date) -> None:
    reference, before, text, place, pollution, lead_name, result = row
    received = _day(today, before)
    transfer = transfers.transfer_receive(
        batch, reference=reference, text=text, address=place, category=pollution,
        received_on=received, due_days=5, lead=cast.unit(lead_name), by=cast.dispatcher,
        at=moment(received, 15, 0),
    )  # fmt: skip
    case, lead = transfer.case, cast.liaison(cast.unit(lead_name))
    case = cases.case_accept(case, by=lead, now=moment(received, 16, 30))
    case = cases.case_start(case, by=lead, now=moment(_day(today, before - 1), 9, 0))
    case = cases.case_report(
        case, investigation="（虚构示例）现场核实，反映问题属实。", measures="（虚构示例）责令立即整改，已整改到位。",
        outcome=Outcome.RECTIFIED, by=lead, now=moment(_day(today, before - 2), 17, 0),
    )  # fmt: skip
    at = moment(_day(today, before - 3), 10, 0)
    case = cases.case_verify(case, confirmed=True, note="（虚构示例）现场复核，整改到位。",
                             by=cast.verifier(case), now=at)  # fmt: skip
    case = cases.case_close(case, by=cast.dispatcher, now=at + datetime.timedelta(hours=2))
    cases.case_answer(case, text="查处情况已报送中央生态环境保护督察组。", by=cast.dispatcher,
                      now=at + datetime.timedelta(hours=3))  # fmt: skip
    if result:
        transfer.refresh_from_db()
        transfers.transfer_publish(transfer, result=result, by=cast.dispatcher,
                                   at=at + datetime.timedelta(hours=4))  # fmt: skip


def rectification_sample_load(district: Jurisdiction, *, today: datetime.date | None = None) -> int:
    """The two sample batches with their problems and transfers (once); the problems added."""
    if Batch.objects.filter(jurisdiction=district, title=CENTRAL).exists():
        return 0
    today = today or timezone.localdate()
    cast = SampleCast(district)
    added = 0
    # The notes the steps write into the items' history are in the users' language.
    with translation.override(settings.LANGUAGE_CODE):
        for title, origin, team, before, samples in (
            (CENTRAL, Origin.CENTRAL, "（虚构示例）中央第三生态环境保护督察组", 240, CENTRAL_PROBLEMS),
            (WARNING_FILM, Origin.WARNING_FILM, "", 150, FILM_PROBLEMS),
        ):  # fmt: skip
            received = _day(today, before)
            batch = services.batch_create(
                jurisdiction=district, origin=origin, title=title, team=team,
                received_on=received, by=cast.dispatcher, at=moment(received, 9, 0),
            )  # fmt: skip
            for sample in samples:
                _problem(batch, sample, cast, today)
                added += 1
            if origin == Origin.CENTRAL:
                for row in TRANSFERS:
                    _transfer(batch, row, cast, today)
        clocks.scan(today)
    return added
