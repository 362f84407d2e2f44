"""Sample suggestions and proposals of the sample district: ten fictional ones on the
district's environmental problems (site dust, a black-smelly drain, restaurant fumes,
rural sewage, night-time noise …), by fictional deputies, CPPCC members and a Party
congress delegate, in every state of their life: one to be assigned, one just returned
by a unit whose duty it is not, one returned earlier and reassigned, some with the
co-handling units' opinions (one late, one overdue), an extension approved and one
refused (that suggestion is overdue), answers of every class, one answered B, rated
dissatisfied and handled again, promises being kept, and closed ones.

Every step goes through the services, dated in the past relative to the day of loading,
by the sample accounts of the cases' sample (the bureau's dispatcher and a liaison per
unit); the clocks are run at the end. Loading again adds nothing.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation

from ecogov.cases.sample import SampleCast, moment, on_duty
from ecogov.org.models import Jurisdiction
from ecogov.suggestions import services
from ecogov.suggestions.models import Suggestion
from ecogov.supervision import clocks
from ecogov.supervision import services as supervision

NPC = "区十八届人大三次会议"
CPPCC = "区政协十三届三次会议"
PARTY = "区第十三次党代会"


@dataclass(frozen=True)
class Sample:
    kind: str
    session: str
    number: int
    title: str
    text: str
    authors: tuple[tuple[str, str, str, str], ...]  # name, body, delegation/sector, contact
    received: int  # days before the load
    steps: tuple = ()  # (days before the load, step, fields)


def D(name, group, contact=""):  # noqa: N802 — a deputy, as the tables below read
    return (name, "deputy", group, contact)


def M(name, group, contact=""):  # noqa: N802 — a CPPCC member
    return (name, "member", group, contact)


DUST_LETTER = (
    "收到建议后，我局会同区城市管理综合行政执法局、区生态环境局对南川东路沿线在建工地开展了专项检查，"
    "共检查工地14个，对未落实“六个百分之百”要求的5个工地下达整改通知书，对2家屡查屡犯的施工单位依法立案处罚，"
    "并将其纳入建筑市场信用记录。\n"
    "目前沿线工地已全部完成围挡封闭、出入口车辆冲洗和裸土覆盖，重点工地安装了扬尘在线监测和视频监控设备，"
    "数据接入区智慧工地平台，超标自动报警。下一步，我局将坚持日常巡查与夜间抽查相结合，巩固整治成效。"
)
DRAIN_LETTER_1 = (
    "经现场排查，南川河支流（杨家湾段）排洪渠黑臭的主要原因是沿线3处小区雨污混接、部分餐饮商户污水直排。"
    "我局已对混接点位进行封堵，并将该段雨污分流改造列入年度市政计划，计划年内完成。"
)
DRAIN_LETTER_2 = (
    "针对代表提出的夜间偷排和清淤不彻底问题，我局会同区生态环境局开展了连续两周的夜间巡查，"
    "查处偷排商户2家；完成渠道清淤1.2公里，新增截污管道860米。雨污分流改造工程已完成招标，正在施工。"
)


def _steps(*steps):
    return tuple(steps)


SAMPLES = (
    Sample(
        "suggestion",
        NPC,
        12,
        "关于加强南川东路沿线建筑工地扬尘治理的建议",
        "南川东路沿线同时在建工地十余处，部分工地围挡不全、裸土未覆盖，渣土车带泥上路，"
        "大风天气扬尘严重，周边居民反映强烈。建议住建部门落实工地扬尘防治“六个百分之百”，"
        "安装在线监测设备，加大对渣土运输的执法力度。",
        (D("张明华", "南川东路街道代表团", "13909710012"), D("李秀兰", "南川东路街道代表团")),
        200,
        _steps(
            (
                193,
                "assign",
                {"main": "区城乡建设局", "co": ["区城市管理综合行政执法局", "区生态环境局"]},
            ),
            (
                175,
                "opinion",
                {
                    "unit": "区城市管理综合行政执法局",
                    "text": "我局负责渣土运输车辆执法，已在南川东路设置两处检查点，同意主办单位的整治安排。",
                },
            ),
            (
                170,
                "opinion",
                {
                    "unit": "区生态环境局",
                    "text": "建议将沿线工地扬尘在线监测数据接入区大气污染防治监控平台，我局配合开展超标预警。",
                },
            ),
            (
                120,
                "answer",
                {
                    "answer_class": "A",
                    "letter": DUST_LETTER,
                    "contact": "区城乡建设局建筑管理科 0971-8250000",
                },
            ),
            (110, "rate", {"author": 0, "satisfaction": "satisfied"}),
            (
                108,
                "rate",
                {"author": 1, "satisfaction": "basically", "comment": "希望保持夜间巡查。"},
            ),
        ),
    ),
    Sample(
        "suggestion",
        NPC,
        27,
        "关于彻底治理杨家湾排洪渠黑臭水体的建议",
        "南川河支流杨家湾段排洪渠常年黑臭，夏季蚊蝇滋生，沿岸三个小区居民多次反映。"
        "建议查清污水来源，实施雨污分流改造，定期清淤，并建立长效管护机制。",
        (
            D("王建国", "总寨镇代表团", "13897120027"),
            D("马玉梅", "总寨镇代表团"),
            D("陈志强", "南滩街道代表团"),
        ),
        200,
        _steps(
            (192, "assign", {"main": "区城乡建设局", "co": ["区生态环境局", "区市政公用服务中心"]}),
            (
                170,
                "opinion",
                {
                    "unit": "区生态环境局",
                    "text": "我局已对排洪渠水质开展监测，氨氮超标约3倍，建议优先封堵沿线排污口。",
                },
            ),
            (
                166,
                "opinion",
                {
                    "unit": "区市政公用服务中心",
                    "text": "我中心负责渠道日常清掏，可在雨季前完成一次全线清淤。",
                },
            ),
            (
                115,
                "answer",
                {
                    "answer_class": "B",
                    "letter": DRAIN_LETTER_1,
                    "promise": "完成杨家湾段雨污分流改造并实现排洪渠水体不黑不臭",
                    "promised_days": -90,
                    "contact": "区城乡建设局市政科 0971-8250011",
                },
            ),
            (105, "rate", {"author": 0, "satisfaction": "basically"}),
            (
                104,
                "rate",
                {
                    "author": 1,
                    "satisfaction": "dissatisfied",
                    "comment": "夜间仍有商户偷排，清淤不彻底，水体依旧发黑。",
                    "rehandle_days": 74,
                },
            ),
            (
                80,
                "answer",
                {
                    "answer_class": "B",
                    "letter": DRAIN_LETTER_2,
                    "promise": "完成杨家湾段雨污分流改造并实现排洪渠水体不黑不臭",
                    "promised_days": -90,
                    "contact": "区城乡建设局市政科 0971-8250011",
                },
            ),
            (72, "rate", {"author": 0, "satisfaction": "satisfied"}),
            (
                71,
                "rate",
                {"author": 1, "satisfaction": "basically", "comment": "将持续关注改造进度。"},
            ),
            (70, "rate", {"author": 2, "satisfaction": "satisfied"}),
        ),
    ),
    Sample(
        "proposal",
        CPPCC,
        8,
        "关于治理商业街餐饮油烟扰民问题的提案",
        "莫家街、饮马街一带餐饮店密集，部分商户未安装油烟净化设施或长期不清洗，油烟直排居民楼，"
        "投诉不断。建议明确监管部门，推广油烟在线监测，对拒不整改的商户依法处罚。",
        (M("赵敏", "民盟界", "13709710008"), M("周立新", "工商联界")),
        90,
        _steps(
            (80, "assign", {"main": "区市场监督管理局", "co": ["区生态环境局"]}),
            (
                75,
                "return",
                {
                    "unit": "区市场监督管理局",
                    "reason": "餐饮服务单位油烟排放的监督管理由城市管理综合执法部门负责，不属我局职责。",
                },
            ),
            (
                70,
                "reassign",
                {
                    "main": "区城市管理综合行政执法局",
                    "co": ["区生态环境局", "区市场监督管理局"],
                    "reason": "按职责改由区城市管理综合行政执法局主办。",
                },
            ),
            (
                50,
                "opinion",
                {
                    "unit": "区市场监督管理局",
                    "text": "新办餐饮许可时我局将告知油烟净化设施安装要求，配合建立商户清单。",
                },
            ),
            (
                8,
                "answer",
                {
                    "answer_class": "A",
                    "letter": "我局对莫家街、饮马街128家餐饮商户逐户检查，督促43家安装或更换油烟净化器，"
                    "对4家拒不整改的商户立案处罚，并在两条街试点安装油烟在线监测设备12套。",
                    "contact": "区城市管理综合行政执法局 0971-8260000",
                },
            ),
            (3, "rate", {"author": 0, "satisfaction": "satisfied"}),
        ),
    ),
    Sample(
        "suggestion",
        NPC,
        35,
        "关于推进总寨镇农村生活污水治理的建议",
        "总寨镇多数村庄没有污水收集管网，生活污水随意泼洒、排入沟渠，影响村容村貌和地下水。"
        "建议统筹规划村庄污水处理设施，优先解决人口集中村庄的污水收集处理。",
        (D("韩德福", "总寨镇代表团", "13519710035"),),
        200,
        _steps(
            (190, "assign", {"main": "区农业农村局", "co": ["总寨镇政府", "区生态环境局"]}),
            (
                150,
                "opinion",
                {
                    "unit": "总寨镇政府",  # a month and more: late
                    "text": "我镇已摸排12个行政村污水排放情况，建议优先实施谢家寨、新庄村两个人口集中村。",
                },
            ),
            (
                158,
                "opinion",
                {
                    "unit": "区生态环境局",
                    "text": "建议采用“集中＋分散”治理模式，治理设施出水执行地方标准。",
                },
            ),
            (
                105,
                "answer",
                {
                    "answer_class": "C",
                    "letter": "农村生活污水治理涉及资金量大，受今年财力所限，全镇整体推进暂不具备条件。"
                    "我局已将谢家寨、新庄村两村污水治理项目纳入农村人居环境整治项目库，"
                    "正积极争取上级专项资金。",
                    "promise": "争取专项资金，完成谢家寨、新庄村污水收集处理设施建设",
                    "promised_days": -240,
                    "contact": "区农业农村局 0971-8270000",
                },
            ),
            (
                95,
                "rate",
                {"author": 0, "satisfaction": "basically", "comment": "希望尽快落实资金。"},
            ),
        ),
    ),
    Sample(
        "suggestion",
        NPC,
        41,
        "关于整治城区夜间施工和广场噪声扰民的建议",
        "部分工地夜间违规施工，部分广场、公园音响音量过大，严重影响周边居民休息。"
        "建议严格夜间施工审批，加强噪声监测和执法，设置广场噪声显示屏。",
        (D("刘晓燕", "人民街道代表团", "13609710041"),),
        60,
        _steps(
            (55, "assign", {"main": "区生态环境局", "co": ["城中公安分局", "区城乡建设局"]}),
            (
                40,
                "opinion",
                {
                    "unit": "区城乡建设局",
                    "text": "我局将严格夜间施工证明审核，对未经批准夜间施工的工地记入不良行为记录。",
                },
            ),
            (
                20,
                "extend",
                {
                    "reason": "噪声显示屏采购需履行政府采购程序，需延长一个月答复。",
                    "deadline_days": -65,
                },
            ),
            (18, "approve", {"note": "同意延期一个月。"}),
        ),
    ),
    Sample(
        "proposal",
        CPPCC,
        19,
        "关于规范建筑垃圾消纳、杜绝乱倒乱堆的提案",
        "南山路、南川西路一些空地夜间被偷倒建筑垃圾，形成垃圾山，扬尘和安全隐患突出。"
        "建议规划建设建筑垃圾消纳场，实行运输车辆全程定位监管。",
        (M("杨帆", "九三学社界", "13997120019"), M("孙海涛", "经济界")),
        14,
        _steps(
            (6, "assign", {"main": "区自然资源和林业局", "co": ["区城市管理综合行政执法局"]}),
            (
                2,
                "return",
                {
                    "unit": "区自然资源和林业局",
                    "reason": "建筑垃圾的运输、消纳管理属城市管理部门职责，不属我局职责，请重新交办。",
                },
            ),
        ),
    ),
    Sample(
        "opinion",
        PARTY,
        3,
        "关于加强南山生态修复和护林防火的意见",
        "南山部分区域植被稀疏，存在违规上山烧纸、野炊现象。建议实施南山生态修复工程，"
        "增设护林员和防火监控设施。",
        (("何卫东", "delegate", "南川东路街道党代表团", ""),),
        200,
        _steps(
            (190, "assign", {"main": "区自然资源和林业局", "co": []}),
            (
                130,
                "answer",
                {
                    "answer_class": "D",
                    "letter": "南山生态修复工程由市级统一规划实施，您的意见我局已报送市林草部门，"
                    "作为编制南山生态修复规划的参考。护林防火方面已增设护林员6名。",
                    "contact": "区自然资源和林业局 0971-8280000",
                },
            ),
            (120, "rate", {"author": 0, "satisfaction": "satisfied"}),
        ),
    ),
    Sample(
        "suggestion",
        NPC,
        52,
        "关于规范社区诊所医疗废物收集处置的建议",
        "部分社区诊所、个体门诊医疗废物与生活垃圾混放，暂存不规范，存在流失风险。"
        "建议建立小型医疗机构医疗废物集中收集体系，加强监督检查。",
        (D("马晓东", "礼让街道代表团", "13709710052"),),
        105,
        _steps(
            (100, "assign", {"main": "区卫生健康局", "co": ["区生态环境局"]}),
            (
                80,
                "opinion",
                {
                    "unit": "区生态环境局",
                    "text": "建议依托医疗废物集中处置单位建立“小箱进大箱”收集模式，我局负责转移联单监管。",
                },
            ),
            (20, "extend", {"reason": "集中收集体系需与处置企业协商价格。", "deadline_days": -30}),
            (15, "refuse", {"note": "现有时限可以完成答复，协商进展可在答复中说明。"}),
        ),
    ),
    Sample(
        "proposal",
        CPPCC,
        33,
        "关于加强加油站油气回收治理的提案",
        "城区部分加油站油气回收装置运行不正常，卸油、加油时油气味明显。建议开展专项检查，"
        "推动重点加油站安装油气回收在线监控。",
        (M("林静", "农工党界", "13809710033"),),
        5,
    ),
    Sample(
        "proposal",
        CPPCC,
        21,
        "关于加强湟水河城中段河道保洁和入河排口管理的提案",
        "湟水河城中段部分河段漂浮垃圾较多，个别雨水排口旱天仍有污水流出，影响六一桥断面水质。"
        "建议加强河道保洁，开展入河排污口排查整治。",
        (M("吴国庆", "民建界", "13997120021"), M("郭丽娜", "教育界")),
        200,
        _steps(
            (190, "assign", {"main": "区生态环境局", "co": ["区城乡建设局"]}),
            (
                165,
                "opinion",
                {
                    "unit": "区城乡建设局",
                    "text": "我局负责河道保洁作业，已将保洁频次由每周两次提高到每日一次。",
                },
            ),
            (
                110,
                "answer",
                {
                    "answer_class": "B",
                    "letter": "我局已完成湟水河城中段入河排口排查，共排查排口37个，其中需整治的6个已建立清单。"
                    "河道保洁已实现每日作业。",
                    "promise": "完成6个问题排口的整治并销号",
                    "promised_days": -20,
                    "contact": "区生态环境局水环境科 0971-8240000",
                },
            ),
            (100, "rate", {"author": 0, "satisfaction": "satisfied"}),
            (99, "rate", {"author": 1, "satisfaction": "satisfied"}),
            (
                3,
                "complete",
                {
                    "text": "6个问题排口已全部完成整治，经监测旱天无污水排出，整治照片和监测报告附后。"
                },
            ),
        ),
    ),
)


def _day(today: datetime.date, before: int) -> datetime.date:
    day = today - datetime.timedelta(days=before)
    return on_duty(day, day - datetime.timedelta(days=4)) if before > 0 else day


def _run(sample: Sample, cast: SampleCast, today: datetime.date) -> Suggestion:
    received = _day(today, sample.received)
    suggestion = services.suggestion_register(
        jurisdiction=cast.district, kind=sample.kind, session=sample.session,
        number=sample.number, title=sample.title, text=sample.text, received_on=received,
        authors=[{"name": n, "body": b, "group": g, "contact": c} for n, b, g, c in sample.authors],
        by=cast.dispatcher, at=moment(received, 9, 30),
    )  # fmt: skip
    for before, step, fields in sorted(sample.steps, key=lambda step: -step[0]):
        day = max(_day(today, before), received)
        _step(suggestion, step, dict(fields), cast, today, moment(day, 10, 0))
        suggestion.refresh_from_db()
    return suggestion


def _step(suggestion: Suggestion, step: str, fields: dict, cast: SampleCast, today, at) -> None:
    dispatcher = cast.dispatcher
    units = {"main": None, "co": []}
    if "main" in fields:
        units = {
            "main": cast.unit(fields.pop("main")),
            "co": [cast.unit(u) for u in fields.pop("co")],
        }
    if step == "assign":
        services.suggestion_assign(suggestion, by=dispatcher, at=at, **units)
    elif step == "reassign":
        services.suggestion_reassign(suggestion, by=dispatcher, at=at, **units, **fields)
    elif step == "return":
        liaison = cast.liaison(cast.unit(fields.pop("unit")))
        services.suggestion_return(suggestion, by=liaison, at=at, **fields)
    elif step == "opinion":
        liaison = cast.liaison(cast.unit(fields.pop("unit")))
        services.opinion_send(suggestion, by=liaison, at=at, **fields)
    elif step == "extend":
        deadline = today - datetime.timedelta(days=fields.pop("deadline_days"))
        services.extension_request(suggestion, deadline=deadline, by=_main(suggestion, cast),
                                   at=at, **fields)  # fmt: skip
    elif step in ("approve", "refuse"):
        extension = suggestion.extensions.get(decision="pending")
        services.extension_decide(extension, approve=step == "approve", by=dispatcher, at=at,
                                  **fields)  # fmt: skip
    elif step == "answer":
        days = fields.pop("promised_days", None)
        promised = today - datetime.timedelta(days=days) if days is not None else None
        services.answer_give(suggestion, promised_by=promised, by=_main(suggestion, cast), at=at,
                             **fields)  # fmt: skip
    elif step == "rate":
        author = list(suggestion.authors.all())[fields.pop("author")]
        days = fields.pop("rehandle_days", None)
        rehandle = today - datetime.timedelta(days=days) if days is not None else None
        services.rating_enter(suggestion, author=author, rehandle_by=rehandle,
                              rated_on=timezone.localdate(at), by=dispatcher, at=at, **fields)  # fmt: skip
    elif step == "complete":
        supervision.item_ask_completion(suggestion.item, by=_main(suggestion, cast), at=at,
                                        **fields)  # fmt: skip


def _main(suggestion: Suggestion, cast: SampleCast):
    return cast.liaison(services.main_handler(suggestion).unit)


def suggestions_sample_load(district: Jurisdiction, *, today: datetime.date | None = None) -> int:
    """The ten sample suggestions and proposals; the number added (0 when loaded)."""
    cast = SampleCast(district)
    if Suggestion.objects.filter(jurisdiction=district, registered_by=cast.dispatcher).exists():
        return 0
    today = today or timezone.localdate()
    # The notes the steps write into the items' history are in the users' language.
    with translation.override(settings.LANGUAGE_CODE):
        for sample in SAMPLES:
            _run(sample, cast, today)
        clocks.scan(today)
    return len(SAMPLES)
