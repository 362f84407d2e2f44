"""Sample meetings of the sample district: a year of 城中区's coordination meetings.

The annual coordination meeting called by the government office, the four quarterly
joint meetings (联席会议, seed 002 §四.2), three daily coordination meetings of the
bureau and one consultation (会商) — each with topics the units proposed, its agenda, who
came, and minutes circulated and issued. Their resolutions are on the supervision ledger
in every state: open, progress reported, completion requested, closed, sent back, and one
left overdue, red after the clocks are run. The texts are written for EcoGov in the
style of seeds 000 and 002; the people named are fictional. Every step goes through the
services, dated in the past relative to the day of loading. Loading again adds nothing
once the sample dispatcher has called any meeting.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from ecogov.cases.sample import DISPATCHER, SampleCast
from ecogov.meetings import services
from ecogov.meetings.models import AgendaEntry, Meeting, MeetingKind
from ecogov.org.models import Jurisdiction
from ecogov.supervision import clocks
from ecogov.supervision import services as supervision

VICE_HEAD = "分管生态环境保护工作的副区长"
JOINT_PLACE = "区政府四楼会议室"
BUREAU_PLACE = "区生态环境局三楼会议室"

# What becomes of a resolution after issue: (step, days after issue or, negative, days
# before today). Steps: report, complete, verify, send_back.
CLOSED = (("report", 20), ("complete", 40), ("verify", 43))
REPORTED = (("report", -25),)
ASKED = (("report", 15), ("complete", -2))
SENT_BACK = (("report", 10), ("complete", 30), ("send_back", 33))
OPEN = ()


@dataclass
class R:
    """A resolution: text, lead, support, deadline (days after today, or after the issue
    when ``after_issue``), ongoing months, level, and its fate."""

    text: str
    lead: str
    support: tuple = ()
    due: int | None = 60
    ongoing: int = 0
    level: str = "general"
    fate: tuple = OPEN
    after_issue: bool = False


@dataclass
class M:
    kind: str
    title: str
    days_ago: int
    convener: str
    chair: str
    place: str
    number: str
    text: str
    invite: tuple
    topics: tuple = ()  # (unit, title, text)
    resolutions: list = field(default_factory=list)


INVITED = ("区发展改革和工业信息化局", "区自然资源局", "区城乡建设局", "区城市管理综合行政执法局",
           "区卫生健康局", "区农业农村和扶贫开发局", "城中公安分局", "总寨镇政府")  # fmt: skip

MEETINGS = (
    M(
        MeetingKind.ANNUAL,
        "城中区{year}年度生态环境保护协调议事会议",
        300,
        "区政府办公室",
        "区政府常务副区长",
        JOINT_PLACE,
        "城中政办纪〔{year}〕2号",
        "会议传达学习了省、市生态环境保护工作会议精神，听取了区生态环境局关于上年度全区生态环境保护工作"
        "情况和本年度工作安排的汇报，各成员单位围绕职责分工作了交流发言。会议认为，上年度全区生态环境质量"
        "总体稳中向好，但大气污染防治和水环境综合治理任务依然艰巨。会议强调，各成员单位要严格落实“党政同责、"
        "一岗双责”，按照协调议事机制要求，及时提出需协调议事的议题，认真落实会议议定事项。",
        INVITED + ("区财政局",),
        (
            (
                "区生态环境局",
                "审定本年度生态环境保护工作要点",
                "提请会议审定全区本年度生态环境保护工作要点及任务分解。",
            ),
        ),
        [
            R(
                "区生态环境局牵头，会同区发展改革和工业信息化局编制全区本年度大气污染防治工作方案，报区政府审定后印发实施。",
                "区生态环境局",
                ("区发展改革和工业信息化局",),
                due=50,
                level="important",
                fate=CLOSED,
                after_issue=True,
            ),
            R(
                "区城乡建设局督促全区在建工地严格落实扬尘污染防控“10个100%”措施，每季度报送检查和整改情况。",
                "区城乡建设局",
                ("区城市管理综合行政执法局",),
                due=None,
                ongoing=3,
                fate=REPORTED,
            ),
            R(
                "区财政局将生态环境保护工作经费纳入年度预算，保障网格化监管和监测运行经费。",
                "区财政局",
                (),
                due=60,
                fate=CLOSED,
                after_issue=True,
            ),
        ],
    ),
    M(
        MeetingKind.JOINT,
        "城中区生态环境保护工作{year}年第一次联席会议",
        270,
        "区生态环境局",
        VICE_HEAD,
        JOINT_PLACE,
        "城环委纪〔{year}〕1号",
        "会议听取了一季度全区环境空气质量和重点流域水质情况通报，研究了春季扬尘治理和冬春季秸秆、落叶"
        "焚烧管控工作。会议指出，近期PM10浓度同比上升，扬尘和露天焚烧问题突出，各相关单位要按职责分工"
        "立即开展联合检查。",
        INVITED,
        (
            (
                "区城市管理综合行政执法局",
                "春季道路扬尘和露天焚烧联合管控",
                "请求协调交警、镇办配合开展夜间巡查。",
            ),
        ),
        [
            R(
                "区城市管理综合行政执法局牵头，总寨镇政府、各街道办事处配合，开展春季露天焚烧落叶、枯草专项巡查，"
                "发现一起、查处一起。",
                "区城市管理综合行政执法局",
                ("总寨镇政府",),
                due=50,
                fate=CLOSED,
                after_issue=True,
            ),
            R(
                "城中公安分局配合区生态环境局对渣土运输车辆未密闭运输、沿路抛撒问题开展联合执法。",
                "城中公安分局",
                ("区生态环境局", "区城市管理综合行政执法局"),
                due=60,
                fate=CLOSED,
                after_issue=True,
            ),
        ],
    ),
    M(
        MeetingKind.DAILY,
        "{year}年第一次日常协调议事会议",
        240,
        "区生态环境局",
        "区生态环境局局长",
        BUREAU_PLACE,
        "城环局纪〔{year}〕1号",
        "会议研究了群众反映的南滩街道排洪渠黑臭水体问题的责任划分。经协调，明确由区城乡建设局牵头整治。",
        ("区城乡建设局", "区市政公用服务中心", "区卫生健康局"),
        (
            (
                "区城乡建设局",
                "南滩排洪渠黑臭水体整治职责划分",
                "排洪渠管网产权不清，请求明确牵头单位。",
            ),
        ),
        [
            R(
                "区城乡建设局牵头排查南滩排洪渠沿线雨污混接点，制定整治方案。",
                "区城乡建设局",
                ("区生态环境局",),
                due=50,
                level="urgent",
                fate=CLOSED,
                after_issue=True,
            )
        ],
    ),
    M(
        MeetingKind.JOINT,
        "城中区生态环境保护工作{year}年第二次联席会议",
        180,
        "区生态环境局",
        VICE_HEAD,
        JOINT_PLACE,
        "城环委纪〔{year}〕2号",
        "会议通报了上半年中央、省生态环境保护督察反馈问题整改进展，研究了夏季臭氧污染防控和湟水河城中段"
        "水质保障工作。会议要求，各单位对照整改清单逐项销号，未按期完成的要说明原因并提出措施。",
        INVITED,
        (
            (
                "区农业农村和扶贫开发局",
                "畜禽养殖禁养区划定调整",
                "请求协调自然资源部门核定禁养区边界。",
            ),
        ),
        [
            R(
                "区农业农村和扶贫开发局会同区自然资源局完成畜禽养殖禁养区边界核定，报区政府批准后公布。",
                "区农业农村和扶贫开发局",
                ("区自然资源局",),
                due=45,
                level="important",
                fate=SENT_BACK,
            ),
            R(
                "区卫生健康局对辖区医疗机构医疗废物暂存、转运情况开展全覆盖检查，建立问题清单。",
                "区卫生健康局",
                ("区生态环境局",),
                due=50,
                fate=REPORTED,
            ),
            R(
                "区市政公用服务中心完成南川东路段污水管网破损修复，杜绝污水溢流入河。",
                "区市政公用服务中心",
                ("区城乡建设局",),
                due=-12,
                level="urgent",
            ),
        ],
    ),
    M(
        MeetingKind.CONSULTATION,
        "关于六一桥入湟断面水质波动问题的会商",
        150,
        "区生态环境局",
        "区生态环境局局长",
        BUREAU_PLACE,
        "城环委会商〔{year}〕1号",
        "针对六一桥入湟断面氨氮浓度多次超过考核目标的问题，区生态环境局会同相关单位进行了会商。经分析，"
        "主要原因为上游雨污混接和部分小区化粪池溢流。会商形成以下意见。",
        ("区城乡建设局", "区市政公用服务中心", "区自然资源局", "总寨镇政府"),
        (),
        [
            R(
                "区城乡建设局牵头，区市政公用服务中心配合，对断面上游2公里范围内排口开展溯源排查，每两个月报送"
                "进展。",
                "区城乡建设局",
                ("区市政公用服务中心",),
                due=None,
                ongoing=2,
                level="important",
                fate=(("report", 30), ("report", -20)),
            )
        ],
    ),
    M(
        MeetingKind.DAILY,
        "{year}年第二次日常协调议事会议",
        120,
        "区生态环境局",
        "区生态环境局副局长",
        BUREAU_PLACE,
        "城环局纪〔{year}〕2号",
        "会议研究了餐饮油烟扰民投诉的职责交叉问题，明确了市场监管、城管执法和生态环境部门的分工。",
        ("区城市管理综合行政执法局", "区市场监督管理局"),
        (
            (
                "区城市管理综合行政执法局",
                "餐饮油烟投诉职责分工",
                "请求明确露天烧烤与店内油烟的监管分工。",
            ),
        ),
        [
            R(
                "区城市管理综合行政执法局负责露天烧烤的查处，区市场监督管理局督促餐饮单位安装和清洗油烟净化设施，"
                "每月通报一次。",
                "区城市管理综合行政执法局",
                ("区市场监督管理局",),
                due=45,
                fate=ASKED,
            )
        ],
    ),
    M(
        MeetingKind.JOINT,
        "城中区生态环境保护工作{year}年第三次联席会议",
        90,
        "区生态环境局",
        VICE_HEAD,
        JOINT_PLACE,
        "城环委纪〔{year}〕3号",
        "会议听取了前三季度生态环境目标任务完成情况的汇报，回顾了此前会议议定事项落实情况，研究部署了秋冬季"
        "大气污染防治攻坚行动。",
        INVITED,
        (),
        [
            R(
                "区发展改革和工业信息化局牵头，对辖区涉气工业企业秋冬季错峰生产方案落实情况开展检查。",
                "区发展改革和工业信息化局",
                ("区生态环境局",),
                due=40,
                fate=ASKED,
            ),
            R(
                "总寨镇政府开展农村散煤清洁化替代摸底，建立台账。",
                "总寨镇政府",
                (),
                due=75,
                fate=OPEN,
            ),
        ],
    ),
    M(
        MeetingKind.DAILY,
        "{year}年第三次日常协调议事会议",
        40,
        "区生态环境局",
        "区生态环境局局长",
        BUREAU_PLACE,
        "城环局纪〔{year}〕3号",
        "会议研究了冬季供暖期燃煤锅炉监管工作，明确了检查分工。",
        ("区市场监督管理局", "区城乡建设局"),
        (),
        [
            R(
                "区市场监督管理局会同区生态环境局对燃煤锅炉开展安全和排放联合检查。",
                "区市场监督管理局",
                ("区生态环境局",),
                due=50,
                fate=OPEN,
            )
        ],
    ),
    M(
        MeetingKind.JOINT,
        "城中区生态环境保护工作{year}年第四次联席会议",
        20,
        "区生态环境局",
        VICE_HEAD,
        JOINT_PLACE,
        "城环委纪〔{year}〕4号",
        "会议总结了全年生态环境保护工作，听取了各成员单位议定事项落实情况汇报，研究了下一年度工作思路。",
        INVITED,
        (("区自然资源局", "河湖长制巡河问题移交", "请求明确巡河发现的排污问题移交程序。"),),
        [
            R(
                "区自然资源局会同区生态环境局制定河湖长巡河发现问题移交办法，报区政府审定。",
                "区自然资源局",
                ("区生态环境局",),
                due=70,
                level="important",
                fate=OPEN,
            ),
            R(
                "区生态环境局对全年议定事项落实情况进行梳理，未办结的列入下一年度督办。",
                "区生态环境局",
                (),
                due=30,
                fate=OPEN,
            ),
        ],
    ),
)

PEOPLE = ("张华", "李建", "王芳", "赵敏", "陈刚", "刘洋", "杨静", "黄磊", "周婷", "吴强", "孙涛",
          "马丽", "朱斌", "胡军")  # fmt: skip
POSITIONS = ("副局长", "局长", "科长", "副主任", "主任科员")


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _units(cast: SampleCast, names) -> list:
    found = []
    for name in names:
        try:
            found.append(cast.unit(name))
        except LookupError:
            continue
    return found


def _meeting(cast: SampleCast, spec: M, today: datetime.date) -> Meeting:
    day = today - datetime.timedelta(days=spec.days_ago)
    year = day.year
    dora = cast.dispatcher
    invite = _units(cast, spec.invite)
    meeting = services.meeting_create(
        jurisdiction=cast.district, kind=spec.kind, title=spec.title.format(year=year),
        convener=cast.unit(spec.convener), starts_at=_at(day, 9), place=spec.place,
        chair=spec.chair, invite=invite, by=dora, at=_at(day - datetime.timedelta(days=10), 10),
    )  # fmt: skip
    for unit_name, title, text in spec.topics:
        unit = cast.unit(unit_name)
        topic = services.topic_propose(unit=unit, title=title, text=text, meeting=meeting,
                                       by=cast.liaison(unit),
                                       at=_at(day - datetime.timedelta(days=7), 11))  # fmt: skip
        services.topic_decide(topic, accept=True, by=dora,
                              at=_at(day - datetime.timedelta(days=5), 15))  # fmt: skip
        services.agenda_add(meeting, kind=AgendaEntry.Kind.TOPIC, ref=topic.pk, by=dora)
    candidates = services.agenda_candidates(meeting)
    for kind in (AgendaEntry.Kind.CASE, AgendaEntry.Kind.REVIEW):
        for obj in candidates[kind][:2]:
            services.agenda_add(meeting, kind=kind, ref=obj.pk, by=dora)
    services.agenda_add(meeting, kind=AgendaEntry.Kind.TEXT, text="其他需协调的事项", by=dora)
    services.meeting_hold(meeting, by=dora)
    for n, invitation in enumerate(meeting.invitations.select_related("unit")):
        attendance = "absent" if n % 7 == 6 else "substitute" if n % 5 == 4 else "present"
        services.attendance_record(
            meeting, unit=invitation.unit, attendance=attendance,
            person=PEOPLE[(n + spec.days_ago) % len(PEOPLE)], position=POSITIONS[n % len(POSITIONS)],
            by=dora,
        )  # fmt: skip
    return meeting


def _minutes(cast: SampleCast, spec: M, meeting: Meeting, today: datetime.date):
    dora = cast.dispatcher
    day = timezone.localdate(meeting.starts_at)
    minutes = services.minutes_draft(meeting, text=spec.text, by=dora, at=_at(day, 16))
    issued_on = day + datetime.timedelta(days=5)
    for r in spec.resolutions:
        if r.ongoing:
            deadline = None
        elif r.after_issue:
            deadline = issued_on + datetime.timedelta(days=r.due)
        else:
            deadline = today + datetime.timedelta(days=r.due)
        services.resolution_add(
            minutes, text=r.text, lead=cast.unit(r.lead), support=_units(cast, r.support),
            deadline=deadline, ongoing=bool(r.ongoing), report_every=r.ongoing or 1,
            level=r.level, by=dora,
        )  # fmt: skip
    services.minutes_circulate(minutes, by=dora, at=_at(day + datetime.timedelta(days=1), 10))
    first = services.attending_units(meeting)[-1]
    services.correction_post(minutes, text="建议在议定事项中明确配合单位的具体职责。",
                             by=cast.liaison(first), at=_at(day + datetime.timedelta(days=2), 11))  # fmt: skip
    number = spec.number.format(year=day.year)
    services.minutes_issue(minutes, number=number, by=dora, at=_at(issued_on, 15))
    return minutes, issued_on


def _fate(
    cast: SampleCast, resolution, fate, issued_on: datetime.date, today: datetime.date
) -> None:
    item = resolution.item
    liaison = cast.liaison(item.lead)
    for step, days in fate:
        day = (
            issued_on + datetime.timedelta(days=days)
            if days > 0
            else today + datetime.timedelta(days=days)
        )
        at = _at(min(day, today), 10)
        if step == "report":
            supervision.item_report(item, text="已召开专题部署会，明确责任科室和时间节点，正在按计划推进。",
                                    percent=50, by=liaison, at=at)  # fmt: skip
        elif step == "complete":
            supervision.item_ask_completion(item, text="议定事项已全部落实，相关材料已归档。", by=liaison,
                                            at=at)  # fmt: skip
        elif step == "verify":
            supervision.item_verify(item, accept=True, note="经核实已完成，同意销号。", by=cast.dispatcher,
                                    at=at)  # fmt: skip
        elif step == "send_back":
            supervision.item_verify(item, accept=False, note="禁养区边界图未经区政府批准，退回继续办理。",
                                    by=cast.dispatcher, at=at)  # fmt: skip
        item.refresh_from_db()


@transaction.atomic
def meetings_sample_load(district: Jurisdiction, *, today: datetime.date | None = None) -> int:
    """A year of the district's coordination meetings; returns the meetings added."""
    if Meeting.objects.filter(jurisdiction=district, created_by__username=DISPATCHER).exists():
        return 0
    today = today or timezone.localdate()
    cast = SampleCast(district)
    for spec in MEETINGS:
        meeting = _meeting(cast, spec, today)
        minutes, issued_on = _minutes(cast, spec, meeting, today)
        for resolution, r in zip(
            minutes.resolutions.order_by("order"), spec.resolutions, strict=True
        ):
            _fate(cast, resolution, r.fate, issued_on, today)
    clocks.scan(today)
    return len(MEETINGS)
