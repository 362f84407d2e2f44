"""Sample cases of the sample district: fictional complaints of 城中区 in every state.

The texts are the fictional complaints of ``sample/chengzhong_complaints.csv`` (and three
repeats written for the hotspot); the reporters are invented (surnames with 先生/女士,
phones 1390000xxxx that reach nobody) or anonymous. The people who act are sample
accounts with no usable password: the bureau's dispatcher ``sample-dispatcher`` and a
liaison ``sample-liaison-<n>`` for each unit that takes part.

Every step goes through the case services, dated in the past: each plan below says on
which day after registration a step was taken (moved back to a working day when it
falls on a weekend or holiday), all steps of all plans are replayed in the order of
their dates, and the clocks are run at the end, so that overdue cases are red and
escalated as they would be in a running system. The history covers about eight months
before the day it is loaded and is the same on every load (seeded). A patrol finding,
if the patrol sample has any, is taken over as a case on the day of loading. Loading
again adds nothing once the sample dispatcher has registered any case.
"""

import csv
import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from shapely.geometry import Point, shape

from ecogov.accounts.models import Role, User
from ecogov.accounts.services import user_create
from ecogov.cases import services
from ecogov.cases.models import Assignment, Case, Channel, Outcome, RewardRule, Satisfaction
from ecogov.domain.casematch import distance_m
from ecogov.grid.models import Grid
from ecogov.holidays.selectors import work_calendar
from ecogov.org.models import Jurisdiction, Unit
from ecogov.org.sample import SAMPLE_DIR
from ecogov.org.selectors import unit_find
from ecogov.org.services import audited_save
from ecogov.patrols.models import Finding
from ecogov.standards.workdays import CalendarUnknown

SEED = "ecogov-sample-cases"
DISPATCHER = "sample-dispatcher"
LIAISON = "sample-liaison-"
BUREAU = "区生态环境局"
SPACING_M = 450  # sample places of different plans lie farther apart than casematch's radius
REWARD_RULES = (
    ("一般线索", "经查证属实的一般环境违法线索。", 1000, 5000),
    ("重大环境违法", "经查证属实、依法予以处罚或移送司法机关的重大环境违法线索。", 5000, 30000),
)

HOTLINE, PUBLIC, PETITION = Channel.HOTLINE, Channel.PUBLIC, Channel.PETITION
REPRESENTATIVE, INSPECTION, LEADER = Channel.REPRESENTATIVE, Channel.INSPECTION, Channel.LEADER
RECTIFIED, PENALTY, SEALED = Outcome.RECTIFIED, Outcome.PENALTY, Outcome.SEALED
JUDICIARY, NO_VIOLATION = Outcome.JUDICIARY, Outcome.NO_VIOLATION
SATISFIED, BASICALLY = Satisfaction.SATISFIED, Satisfaction.BASICALLY
DISSATISFIED = Satisfaction.DISSATISFIED


@dataclass(frozen=True)
class Plan:
    """One sample case: what was reported, where and when, and the steps that followed."""

    text: str  # a complaint's id in chengzhong_complaints.csv, or the text itself
    grid: str  # the level-3 grid of the place
    address: str
    days: int  # registered this many days before the load
    channel: str
    reporter: str | dict = ""  # a name (with a sample phone), a dict, or "" (anonymous)
    steps: tuple = ()
    lead: str = ""  # who leads when the router proposes nobody
    supervision: str = "general"
    place: str = ""  # plans with the same place share one position
    category: str = ""
    subcategory: str = ""
    hours: tuple[int, int] = (8, 20)


@dataclass
class Step:
    day: int
    action: str
    args: dict = field(default_factory=dict)


def accept(day):
    return Step(day, "accept")


def start(day):
    return Step(day, "start")


def handle(day):
    """Accepted and started the same day."""
    return [Step(day, "accept"), Step(day, "start")]


def report(day, investigation, measures, outcome=RECTIFIED, **penalty):
    args = dict(investigation=investigation, measures=measures, outcome=outcome, **penalty)
    return Step(day, "report", args)


def verify(day, note, confirmed=True):
    return Step(day, "verify", dict(note=note, confirmed=confirmed))


def close(day):
    return Step(day, "close")


def answer(day, text):
    return Step(day, "answer", dict(text=text))


def rate(day, satisfaction, comment=""):
    return Step(day, "rate", dict(satisfaction=satisfaction, comment=comment))


def disclose(day, summary):
    return Step(day, "disclose", dict(summary=summary))


def give_back(day, reason):
    return Step(day, "return", dict(reason=reason))


def transfer(day, to, reason):
    return Step(day, "transfer", dict(to=to, reason=reason))


def assign(day, lead, support=(), joint=False, coordination=False, note=""):
    args = dict(lead=lead, support=support, joint=joint, coordination=coordination, note=note)
    return Step(day, "assign", args)


def part(day, unit, text):
    return Step(day, "part", dict(unit=unit, text=text))


def ask_suspend(day, reason):
    return Step(day, "ask_suspend", dict(reason=reason))


def suspend(day):
    return Step(day, "suspend")


def resume(day):
    return Step(day, "resume")


def reward(day, rule, amount, number):
    return Step(day, "reward", dict(rule=rule, amount=amount, number=number))


def paid(day, reference):
    return Step(day, "paid", dict(reference=reference))


def steps(*items) -> tuple:
    flat = []
    for item in items:
        flat.extend(item if isinstance(item, list) else [item])
    return tuple(flat)


RESTAURANT = "仓门街街道某川菜馆后天井"

# fmt: off
PLANS = (
    # --- closed, answered, most rated and many disclosed (the older months) ---------
    Plan("C011", "南滩街道第1网格", "南滩街道某家属院后排洪渠", 228, HOTLINE, "王先生", steps(
        handle(1),
        report(12, "现场排查排洪渠上游，发现两处雨污混接口，渠底淤积严重。",
               "封堵雨污混接口2处，清淤约40立方米，纳入黑臭水体长效巡查。"),
        verify(14, "复查排洪渠水体无黑臭，混接口已封堵。"), close(14),
        answer(15, "您反映的排洪渠黑臭问题，经区城乡建设局排查系上游雨污混接所致，"
                   "现已封堵混接口并清淤，复查水体已无黑臭。感谢您的监督。"),
        disclose(16, "南滩街道某家属院后排洪渠黑臭：查明上游雨污混接两处，已封堵并清淤，"
                     "复查水体无黑臭。"),
        rate(18, SATISFIED),
    )),
    Plan("C042", "饮马街街道第2网格", "饮马街某小区一楼底商", 220, HOTLINE, "", steps(
        handle(1),
        report(9, "三家饭馆均未安装油烟净化设施，外墙油污明显。",
               "责令三家饭馆限期安装油烟净化器并清洗外墙，逾期复查均已安装。"),
        verify(12, "三家饭馆油烟净化器已安装运行。"), close(12),
        answer(13, "经区城市管理综合行政执法局查处，三家饭馆已安装油烟净化设施。"),
        disclose(14, "饮马街某小区底商餐饮油烟：三家饭馆已安装油烟净化器，外墙已清洗。"),
        rate(16, BASICALLY, "油烟小多了，外墙还没完全洗干净。"),
    )),
    Plan("C049", "南川西路街道第1网格", "南川西路某在建工地", 214, PUBLIC, "李女士", steps(
        handle(1),
        report(5, "现场约3000平方米裸土未覆盖，雾炮未开启，出入口未冲洗车辆。",
               "责令立即覆盖裸土、开启喷淋，依法对施工单位处以罚款。", PENALTY,
               decision_number="城中建罚〔{year}〕5号", penalty_amount=20000),
        verify(7, "裸土已覆盖，喷淋和车辆冲洗设施运行。"), close(7),
        answer(8, "工地扬尘问题已查处：裸土已覆盖，施工单位被依法处罚。"),
        disclose(9, "南川西路某工地扬尘：责令覆盖裸土、开启喷淋，对施工单位罚款二万元。"),
        rate(10, SATISFIED),
    ), hours=(7, 23)),
    Plan("C124", "南川东路街道第3网格", "南川东路某汽修店后院", 205, HOTLINE, "马建军", steps(
        handle(1),
        report(11, "查实该汽修店将废机油约1.2吨倾倒于后院空地，污染土壤约30平方米。",
               "责令停止违法行为，委托有资质单位清运废机油和污染土壤，依法处以罚款。",
               PENALTY, decision_number="城中环罚〔{year}〕12号", penalty_amount=150000),
        verify(14, "污染土壤已清运，危险废物暂存间已规范设置。"), close(15),
        answer(16, "您举报的汽修店倾倒废机油问题查证属实，已依法处罚并清运污染土壤。"),
        disclose(17, "南川东路某汽修店倾倒废机油：查证属实，处罚款十五万元，污染土壤已清运。"),
        rate(20, SATISFIED),
        reward(25, "重大环境违法", 8000, "城中环奖〔{year}〕1号"),
        paid(33, "城中区财政集中支付{year}-0417"),
    )),
    Plan("C018", "礼让街街道第1网格", "礼让街某口腔诊所门口", 198, PETITION, "刘女士", steps(
        handle(1),
        report(6, "诊所医疗废物与生活垃圾混放，未按规定交医疗废物处置单位转运。",
               "责令诊所规范分类收集，签订医疗废物转运协议，约谈诊所负责人。"),
        verify(8, "诊所医疗废物已单独收集并登记转运。"), close(8),
        answer(10, "经区卫生健康局检查，诊所已规范医疗废物收集和转运。"),
        rate(13, SATISFIED),
    )),
    Plan("C075", "礼让街街道第2网格", "礼让街某小区门口", 190, PUBLIC, "", steps(
        handle(1),
        report(2, "清运车辆故障导致该点位连续漏收。",
               "当日清运积存垃圾，调配备用车辆，该点位恢复每日清运。"),
        verify(3, "垃圾桶已清空，点位周边已清扫。"), close(3),
        answer(4, "积存垃圾已清运，该点位已恢复每日清运。"),
        rate(5, SATISFIED),
    ), hours=(7, 23)),
    Plan("C060", "总寨镇第2网格", "总寨镇某水泥预制件厂对面", 175, REPRESENTATIVE,
         {"name": "马永福", "phone": "13900000301", "organisation": "区人大代表（总寨镇选区）"},
         steps(
        handle(1),
        report(15, "夜间及清晨6时前厂界噪声监测超标。",
               "责令调整作业时间至7时以后，搅拌机加装隔声罩，复测厂界噪声达标。"),
        verify(18, "搅拌机隔声罩已安装，清晨未见作业。"), close(19),
        answer(20, "代表建议已办结：预制件厂调整了作业时间并加装隔声设施，复测达标。"),
        disclose(21, "总寨镇某水泥预制件厂噪声扰民：调整作业时间、加装隔声罩，复测达标。"),
        rate(24, SATISFIED),
    )),
    Plan("C026", "总寨镇第1网格", "总寨镇主街", 168, HOTLINE, "张先生", steps(
        handle(1),
        report(4, "夜间多处烧烤摊占道经营，露天烧烤无净化设施。",
               "依法取缔露天烧烤，引导商户入室经营，夜间加强巡查。"),
        verify(6, "夜间复查未见占道露天烧烤。"), close(6),
        answer(7, "总寨镇主街露天烧烤已取缔，夜间有执法人员巡查。"),
    )),
    Plan("C088", "人民街街道第2网格", "人民街某烤肉店门前人行道", 160, PUBLIC, "陈先生", steps(
        handle(1),
        report(3, "烤肉店将烤炉移至人行道经营。", "责令烤炉入室并安装油烟净化设施，已整改。"),
        verify(5, "烤炉已移入店内。"), close(5),
        answer(6, "烤肉店已将烤炉移入店内，油烟经净化后排放。"),
        disclose(7, "人民街某烤肉店占道烧烤：烤炉已入室，安装油烟净化设施。"),
        rate(8, BASICALLY, "收进去了，晚上偶尔还摆出来。"),
    ), hours=(7, 23)),
    Plan("C145", "总寨镇第3网格", "南山某处松林", 150, HOTLINE, "", steps(
        handle(1),
        report(10, "现场查实滥伐油松7株，涉嫌滥伐林木。",
               "已将案件移送公安机关侦查，责令补种树木。", JUDICIARY),
        verify(12, "伐区已停止砍伐，补种计划已制定。"), close(13),
        answer(14, "您反映的南山砍树问题已查实，案件已移送公安机关。"),
        disclose(15, "南山某处滥伐油松：已移送公安机关侦查，责令补种。"),
    ), supervision="urgent"),
    # The transfer chain: the router's unit hands it on twice to the competent one.
    Plan("C014", "南滩街道第3网格", "南川河南滩段河岸", 145, HOTLINE, "赵先生", steps(
        accept(1),
        transfer(2, "区城市管理综合行政执法局", "河坡倾倒垃圾属违法倾倒，应由城管执法部门查处。"),
        accept(3),
        transfer(4, "区自然资源和林业局",
                 "该段属南川河河道管理范围，河道保洁和管护由区自然资源和林业局负责。"),
        handle(5),
        report(12, "河岸堆积垃圾约5吨，系周边居民随意倾倒。",
               "组织清理河岸垃圾，设置警示牌，纳入河道日常保洁。"),
        verify(14, "河岸垃圾已清理，警示牌已设置。"), close(14),
        answer(16, "南川河南滩段河岸垃圾已清理，并纳入河道日常保洁。"),
        rate(19, SATISFIED),
    )),
    # Joint enforcement of an inspection's finding.
    Plan("C174", "总寨镇第4网格", "南川河总寨段河滩", 135, INSPECTION,
         {"organisation": "省生态环境保护督察反馈问题清单第7项"}, steps(
        assign(1, "区自然资源和林业局", ["区城市管理综合行政执法局", "总寨镇政府"], joint=True,
               coordination=True, note="督察反馈问题，实行联合执法。"),
        handle(2),
        part(8, "区城市管理综合行政执法局", "拆除河滩彩钢棚2处，清运堆放杂物约20吨。"),
        part(9, "总寨镇政府", "镇村两级落实河滩巡查，当事人签订不再搭建承诺书。"),
        report(10, "河滩违规搭建彩钢棚2处，用作堆放废旧物资。",
               "联合拆除违建，清理河滩杂物，恢复河道原貌。"),
        verify(13, "河滩彩钢棚已拆除，河道恢复。"), close(13),
        answer(15, "督察反馈问题已整改，整改材料已报送督察组。"),
        disclose(16, "南川河总寨段河滩违建：联合拆除彩钢棚2处，清理杂物，恢复河道原貌。"),
    ), lead="区自然资源和林业局", supervision="important"),
    Plan("C164", "总寨镇第4网格", "南川工业园某企业厂房后", 125, LEADER,
         {"organisation": "区政府办公室（区领导批示）"}, steps(
        handle(1),
        report(12, "企业在厂房后开挖渗坑晾晒生产废水，未采取防渗措施。",
               "责令停止违法行为，回填渗坑，开展土壤和地下水调查，依法处以罚款。",
               PENALTY, decision_number="城中环罚〔{year}〕21号", penalty_amount=300000),
        verify(15, "渗坑已抽空回填，调查单位已进场。"), close(15),
        answer(16, "已向区政府办公室报告办理结果。"),
        disclose(17, "南川工业园某企业渗坑晾晒废水：依法罚款三十万元，渗坑已回填。"),
    ), supervision="urgent"),
    # A result the verifier rejected, handled again and then closed.
    Plan("C098", "南川东路街道第1网格", "南川东路辅道", 118, PUBLIC, "周女士", steps(
        handle(1),
        report(3, "辅道积土系周边工地车辆带泥上路。", "组织机扫和洒水冲洗。"),
        verify(5, "复查时辅道东段仍有积土，未冲洗到位。", confirmed=False),
        report(7, "东段积土系另一工地出口带泥。", "再次冲洗东段，约谈两处工地落实车辆冲洗。"),
        verify(9, "辅道全段已冲洗干净。"), close(9),
        answer(10, "南川东路辅道积土已清理，周边工地已落实车辆冲洗。"),
        rate(12, SATISFIED),
    ), hours=(7, 23)),
    # Returned by the router's unit, reassigned by the bureau, closed.
    Plan("C041", "南滩街道第2网格", "南滩某巷口早餐摊", 110, HOTLINE, "韩女士", steps(
        give_back(1, "早餐摊油烟和废油倾倒属餐饮油烟及占道经营，应由城管执法部门查处。"),
        assign(1, "区城市管理综合行政执法局"),
        handle(2),
        report(6, "早餐摊无油烟净化设施，废油倒入雨水井。",
               "责令安装油烟净化器，废油交由有资质单位回收，雨水井已清掏。"),
        verify(8, "净化器已安装，雨水井已清掏。"), close(8),
        answer(9, "早餐摊已安装油烟净化器，废油交由回收单位处理。"),
        rate(11, BASICALLY),
    )),
    Plan("C178", "南滩街道第2网格", "南滩某废品收购点院内", 100, HOTLINE, "杨先生", steps(
        handle(1),
        report(8, "现场查获拆解废铅蓄电池约4吨，废酸液直排地面。",
               "查封拆解场所，涉嫌污染环境罪移送公安机关，委托清运废电池和污染土壤。",
               JUDICIARY),
        verify(10, "场所已查封，废电池和污染土壤已清运。"), close(11),
        answer(12, "您反映的非法拆解废电瓶问题已查实，案件已移送公安机关。"),
        disclose(13, "南滩某废品收购点非法拆解废铅蓄电池：查封场所，移送公安机关。"),
    )),
    Plan("C154", "人民街街道第3网格", "人民街某小区", 90, HOTLINE, "祁女士", steps(
        handle(1),
        report(3, "民警上门了解，系住户夜间聚会喧哗。", "民警劝导，当事人承诺夜间不再喧哗。"),
        verify(5, "回访邻居，夜间已无噪声。"), close(5),
        answer(6, "民警已上门处理，当事人承诺夜间不再喧哗。"),
    )),
    Plan("C122", "仓门街街道第3网格", "仓门街某小区楼顶", 85, HOTLINE, "何先生", steps(
        handle(1),
        report(12, "委托监测机构对楼顶基站周边电磁环境进行监测。",
               "监测值低于《电磁环境控制限值》公众曝露控制限值，已向居民解读监测结果。",
               NO_VIOLATION),
        verify(14, "监测报告已审核，已向居民公示。"), close(14),
        answer(15, "基站周边电磁环境监测结果低于国家限值。"),
        disclose(16, "仓门街某小区楼顶基站电磁辐射：监测结果低于国家限值，未发现违法。"),
        rate(18, BASICALLY),
    )),
    Plan("C095", "人民街街道第1网格", "人民街某片区", 80, PETITION, "吴女士", steps(
        handle(1),
        report(4, "抽检末梢水色度和余氯超标，系管网冲洗后余氯投加过量。",
               "督促供水单位调整投加量并冲洗管网，复检合格。"),
        verify(6, "复检报告合格。"), close(6),
        answer(7, "自来水水质复检合格，供水单位已调整消毒剂投加量。"),
        rate(9, SATISFIED),
    )),
    Plan("C108", "饮马街街道第1网格", "饮马街某印刷厂", 65, PUBLIC, "", steps(
        handle(1),
        report(9, "印刷厂废气收集设施破损，活性炭长期未更换。",
               "责令修复集气罩、更换活性炭，复测达标。"),
        verify(11, "集气罩已修复，活性炭更换台账齐全。"), close(12),
        answer(13, "印刷厂已修复废气收集设施，复测达标。"),
        disclose(14, "饮马街某印刷厂油墨异味：修复废气收集设施、更换活性炭，复测达标。"),
    ), hours=(7, 23)),
    Plan("C148", "礼让街街道第3网格", "礼让街某住宅楼", 58, PUBLIC, "孙先生", steps(
        handle(1),
        report(3, "二次供水水箱逾期未清洗。", "责令物业清洗消毒水箱，水质检测合格。"),
        verify(5, "水箱已清洗，检测报告合格。"), close(5),
        answer(6, "二次供水水箱已清洗消毒，水质检测合格。"),
        rate(7, SATISFIED),
    ), hours=(7, 23)),
    Plan("C017", "南川东路街道第2网格", "南川东路某居民楼一楼仓库", 155, PUBLIC, "谢女士", steps(
        handle(1),
        report(4, "仓库违规储存油漆、稀释剂约2吨，无危险化学品经营许可。",
               "依法查封仓库，责令转移危险化学品。", SEALED),
        verify(6, "仓库已清空。"), close(6),
        answer(7, "居民楼仓库内的危险化学品已全部转移。"),
        disclose(8, "南川东路某居民楼仓库违规储存油漆稀料：依法查封，已全部转移。"),
        rate(9, SATISFIED),
    ), hours=(7, 23)),
    Plan("C090", "总寨镇第1网格", "总寨镇新庄村沟道", 140, HOTLINE, "", steps(
        handle(1),
        report(2, "沟内病死猪4头，来源正在追查。", "病死猪已收集作无害化处理，沟道已消毒。"),
        verify(3, "沟道已清理消毒。"), close(3),
        answer(4, "病死猪已无害化处理，沟道已消毒。"),
    )),
    Plan("C006", "南川西路街道第2网格", "南川西路某加油站", 130, HOTLINE, "高先生", steps(
        handle(1),
        report(14, "抽检95号汽油硫含量不合格。", "责令停售不合格油品，依法处以罚款。",
               PENALTY, decision_number="城中市监罚〔{year}〕33号", penalty_amount=50000),
        verify(16, "不合格油品已封存。"), close(16),
        answer(17, "该加油站油品抽检不合格，已依法处罚。"),
        disclose(18, "南川西路某加油站汽油质量不合格：停售并罚款五万元。"),
        rate(19, SATISFIED),
        reward(25, "一般线索", 2000, "城中环奖〔{year}〕2号"),
    )),
    Plan("C116", "总寨镇第3网格", "总寨镇李家庄村农田", 42, PUBLIC, "冯先生", steps(
        handle(1),
        report(1, "现场有农户焚烧麦秆。", "扑灭明火，对焚烧农户批评教育，村里落实禁烧巡查。"),
        verify(3, "复查未见焚烧。"), close(3),
        answer(4, "焚烧秸秆已制止，村里已落实禁烧巡查。"),
        rate(6, SATISFIED),
    ), hours=(7, 23)),
    Plan("C053", "仓门街街道第1网格", "仓门街某小区院内", 33, HOTLINE, "邓女士", steps(
        handle(1),
        report(3, "物业在院内焚烧枯草。", "责令物业停止焚烧，枯草清运处理。"),
        verify(5, "院内枯草已清运。"), close(5),
        answer(6, "物业已停止焚烧枯草，枯草已清运。"),
        disclose(7, "仓门街某小区物业焚烧枯草：已制止，枯草已清运。"),
        rate(8, SATISFIED),
    )),
    # Closed but the reporter not yet answered: the answer is overdue.
    Plan("C036", "总寨镇第2网格", "总寨镇去工业园道路旁", 25, HOTLINE, "郭先生", steps(
        handle(1),
        report(6, "现场查获散装汽柴油约800升，无任何经营许可。",
               "依法查封扣押油品及加油设备，取缔非法加油点。", SEALED),
        verify(8, "非法加油点已取缔。"), close(9),
    )),
    # Closed yesterday, answer not yet due.
    Plan("C063", "南川西路街道第3网格", "南川西路某单位锅炉房", 20, HOTLINE, "林女士", steps(
        accept(1), start(2),
        report(12, "燃气锅炉低氮改造后燃烧器未调试到位。", "责令重新调试燃烧器，复测达标。"),
        verify(15, "复测报告达标。"), close(19),
    )),
    # --- open ------------------------------------------------------------------------
    # Disputed: the router names no unit; the bureau has yet to decide.
    Plan("C091", "人民街街道第3网格", "人民街某小区", 2, HOTLINE, "唐女士"),
    Plan("C141", "南川东路街道第2网格", "南川东路附近", 9, PUBLIC, "", hours=(7, 23)),
    Plan("C172", "饮马街街道第3网格", "饮马街某住宅楼下", 1, PUBLIC, "许女士", hours=(7, 23)),
    # Returned to the bureau.
    Plan("C005", "南滩街道第1网格", "南滩某垃圾中转站", 4, HOTLINE, "曹先生", steps(
        give_back(1, "垃圾中转站的运行和除臭由区市政公用服务中心负责，请改派。"),
    )),
    Plan("C159", "仓门街街道第2网格", "仓门街至南大街沿线", 6, HOTLINE, "", steps(
        give_back(2, "清运车辆沿途滴漏属运输遗撒，应由城管执法部门查处；"
                     "本中心已要求清运公司检修车辆。"),
    )),
    # Assigned, not yet accepted (one long overdue).
    Plan("C119", "饮马街街道第3网格", "饮马街某工地出口", 1, HOTLINE, "蒋先生"),
    Plan("C181", "南川西路街道第1网格", "南川西路", 40, PUBLIC, "沈女士", hours=(7, 23)),
    Plan("C031", "人民街街道第1网格", "人民街某小区锅炉房", 3, HOTLINE, "彭女士"),
    Plan("C016", "总寨镇第1网格", "总寨镇谢家寨村洗砂场", 5, PETITION, "韩先生", steps(
        assign(1, BUREAU, ["总寨镇政府"], coordination=True,
               note="涉及洗砂场环评手续和排水，区生态环境局牵头查处，镇政府配合。"),
    ), lead=BUREAU),
    # Transferred, awaiting the competent unit's acceptance (one overdue).
    Plan("C007", "礼让街街道第3网格", "礼让街拆迁工地周边道路", 12, HOTLINE, "吕先生", steps(
        accept(1),
        transfer(2, "区城市管理综合行政执法局", "建筑垃圾运输遗撒属城管执法职责，移交查处。"),
    )),
    Plan("C032", "南川西路街道第2网格", "南川西路河边自建房", 3, PUBLIC, "苏女士", steps(
        accept(1),
        transfer(1, BUREAU, "自建房生活污水直排河道，应由生态环境部门牵头查处。"),
    ), hours=(7, 23)),
    # Accepted.
    Plan("C087", "南川东路街道第3网格", "南川东路某工地", 4, HOTLINE, "蔡先生", steps(accept(1))),
    Plan("C066", "南川西路街道第3网格", "南川西路尽头林地", 7, PUBLIC, "魏先生", steps(accept(1)),
         hours=(7, 23)),
    # In progress: overdue (red, escalated), yellow, blue.
    Plan("C072", "总寨镇第4网格", "南川工业园周边瑞和园小区", 50, HOTLINE, "钟先生",
         steps(accept(1), start(2))),
    Plan("C114", "仓门街街道第3网格", "仓门街后巷某汽修店", 28, HOTLINE, "汪女士",
         steps(accept(1), start(2))),
    Plan("C128", "饮马街街道第1网格", "饮马街某家具厂", 19, PUBLIC, "", steps(accept(1), start(3)),
         hours=(7, 23)),
    Plan("C176", "南川东路街道第1网格", "南川东路夜市", 10, HOTLINE, "石先生",
         steps(accept(1), start(2))),
    Plan("C061", "总寨镇第3网格", "南川河总寨段", 8, LEADER, {"organisation": "区政府办公室"},
         steps(handle(1)), supervision="urgent"),
    # The hotspot: one restaurant reported three times within a month; the repeats are
    # merged into the first report, which is being handled.
    Plan("C160", "仓门街街道第2网格", RESTAURANT, 20, HOTLINE, "田女士",
         steps(accept(1), start(2)), place=RESTAURANT),
    Plan("仓门街那家川菜馆还是把油烟往居民楼天井里排，晚饭点楼上根本不敢开窗",
         "仓门街街道第2网格", RESTAURANT, 17, PUBLIC, "", place=RESTAURANT,
         category="air", subcategory="餐饮油烟", hours=(7, 23)),
    Plan("再次反映仓门街川菜馆油烟直排天井的问题，家里全是油烟味，老人孩子都受不了",
         "仓门街街道第2网格", RESTAURANT, 13, HOTLINE, "方先生", place=RESTAURANT,
         category="air", subcategory="餐饮油烟"),
    # Suspended, and suspended then resumed.
    Plan("C097", "总寨镇第1网格", "总寨镇杨家沟村后荒沟", 35, HOTLINE, "马占林", steps(
        handle(1),
        ask_suspend(9, "涉嫌污染环境罪已移送公安机关，待废液危险特性鉴定结果。"),
        suspend(10),
    ), supervision="important"),
    Plan("C155", "总寨镇第2网格", "总寨镇新庄村某洼地", 70, REPRESENTATIVE,
         {"name": "李桂兰", "phone": "13900000302", "organisation": "区人大代表（总寨镇选区）"},
         steps(
        accept(1), start(2),
        ask_suspend(10, "需委托检测机构对填埋废渣进行危险废物属性鉴定，鉴定期间暂停计时。"),
        suspend(11), resume(45),
    )),
    # Result reported, awaiting verification.
    Plan("C070", "仓门街街道第1网格", "仓门街某拆迁现场", 16, HOTLINE, "姚先生", steps(
        accept(1), start(2),
        report(12, "拆除作业未湿法施工。", "责令拆除时同步喷淋降尘，配备雾炮两台。"),
    )),
    Plan("C143", "饮马街街道第2网格", "饮马街某路口", 25, PETITION, "潘女士", steps(
        accept(1), start(2),
        report(20, "路口污水井上游管道堵塞，雨天满溢。", "疏通管道约120米，更换破损井盖。"),
    )),
    # Verified, awaiting closing.
    Plan("C100", "南滩街道第3网格", "南滩广场", 14, HOTLINE, "金女士", steps(
        handle(1),
        report(8, "广场舞音响音量过大，活动至22时以后。", "约谈领队，约定21时前结束并控制音量。"),
        verify(10, "晚间回访，音量已降低，21时前结束。"),
    )),
    Plan("C115", "人民街街道第2网格", "人民街", 21, PUBLIC, "", steps(
        handle(1),
        report(12, "清扫车作业时喷水装置故障。", "维修喷水装置，调整为湿扫作业。"),
        verify(15, "复查清扫车湿扫作业正常。"),
    ), hours=(7, 23)),
    # Reopened: the reporter was dissatisfied; the verifier rejected the result.
    Plan("C117", "礼让街街道第1网格", "礼让街某小区", 38, HOTLINE, "傅女士", steps(
        handle(1),
        report(8, "小区一处污水支管错接入雨水管。", "改接错接支管，疏通雨水篦子。"),
        verify(10, "错接支管已改接。"), close(10),
        answer(12, "小区雨污错接已改接，雨水篦子已疏通。"),
        rate(15, DISSATISFIED, "雨水篦子还是往外冒臭水，没有根本解决。"),
    )),
    Plan("C050", "总寨镇第4网格", "南川污水处理厂周边", 30, PUBLIC, "郑先生", steps(
        accept(1), start(2),
        report(14, "污泥脱水间除臭设施故障。", "维修除臭设施，污泥日产日清。"),
        verify(16, "傍晚复查厂界仍有明显臭味，除臭设施未全部运行。", confirmed=False),
    ), hours=(7, 23)),
)
# fmt: on


def _complaints() -> dict[str, dict]:
    with open(SAMPLE_DIR / "chengzhong_complaints.csv", encoding="utf-8") as rows:
        return {row["id"]: row for row in csv.DictReader(rows)}


def _person(username: str, role: str, unit: Unit, name: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(username=username, role=role, unit=unit, name=name, password=None)
    return user


class SampleCast:
    """The sample people who act: the dispatcher and a liaison per unit."""

    def __init__(self, district: Jurisdiction):
        self.district = district
        self.bureau = unit_find(district, BUREAU)
        self.dispatcher = _person(
            DISPATCHER, Role.DISPATCHER, self.bureau, f"示例调度员（{BUREAU}）"
        )
        self._liaisons: dict[int, User] = {}

    def unit(self, name: str) -> Unit:
        unit = unit_find(self.district, name)
        if unit is None:
            raise LookupError(f"no unit {name} in {self.district}")
        return unit

    def liaison(self, unit: Unit) -> User:
        if unit.pk not in self._liaisons:
            user = User.objects.filter(
                role=Role.LIAISON, unit=unit, username__startswith=LIAISON
            ).first()
            if user is None:
                n = User.objects.filter(username__startswith=LIAISON).count() + 1
                while User.objects.filter(username=f"{LIAISON}{n}").exists():
                    n += 1
                user = _person(f"{LIAISON}{n}", Role.LIAISON, unit, f"示例联络员（{unit.name}）")
            self._liaisons[unit.pk] = user
        return self._liaisons[unit.pk]

    def verifier(self, case: Case) -> User:
        """The bureau verifies, unless it led: then the officer of the upper grid."""
        if case.lead_id != self.bureau.pk:
            return self.dispatcher
        grid = case.grid.parent if case.grid_id else None
        while grid is not None and not grid.unit_id:
            grid = grid.parent
        if grid is None or grid.unit_id == self.bureau.pk:
            raise LookupError(f"nobody may verify {case}")
        return self.liaison(grid.unit)


def _positions(district: Jurisdiction, rng: random.Random) -> dict[str, tuple[float, float]]:
    """A point inside each plan's grid, places apart from one another."""
    grids = {
        grid.name: shape(grid.boundary)
        for grid in Grid.objects.filter(jurisdiction=district, level=Grid.Level.VILLAGE)
        if grid.boundary
    }
    chosen: dict[str, tuple[float, float]] = {}
    for plan in PLANS:
        key = plan.place or plan.text
        if key in chosen or plan.grid not in grids:
            continue
        area = grids[plan.grid]
        inner = area.buffer(-0.002)
        minx, miny, maxx, maxy = area.bounds
        for _attempt in range(500):
            lon, lat = round(rng.uniform(minx, maxx), 6), round(rng.uniform(miny, maxy), 6)
            if inner.contains(Point(lon, lat)) and all(
                distance_m(lon, lat, x, y) >= SPACING_M for x, y in chosen.values()
            ):
                break
        else:
            point = area.representative_point()
            lon, lat = round(point.x, 6), round(point.y, 6)
        chosen[key] = (lon, lat)
    return chosen


def on_duty(day: datetime.date, earliest: datetime.date) -> datetime.date:
    """The working day on or before ``day`` (not before ``earliest``), else ``day``."""
    calendar = work_calendar()
    candidate = day
    try:
        while candidate > earliest and not calendar.is_workday(candidate):
            candidate -= datetime.timedelta(days=1)
        return candidate if calendar.is_workday(candidate) else day
    except CalendarUnknown:
        return day


def moment(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _timeline(rng: random.Random, today: datetime.date) -> list[tuple]:
    """Every registration and step of every plan with its moment, in date order."""
    events = []
    for index, plan in enumerate(PLANS):
        registered = today - datetime.timedelta(days=plan.days)
        at = moment(registered, rng.randrange(*plan.hours), rng.randrange(60))
        events.append((at, index, 0, Step(0, "register")))
        day = registered
        for n, step in enumerate(plan.steps, start=1):
            if not 0 <= step.day < plan.days:
                raise ValueError(f"plan {plan.text}: step {step.action} on day {step.day}")
            day = on_duty(registered + datetime.timedelta(days=step.day), day)
            when = moment(day, rng.randrange(9, 17), rng.randrange(60))
            if when <= at:
                when = at + datetime.timedelta(minutes=rng.randrange(10, 90))
            at = when
            events.append((at, index, n, step))
    events.sort(key=lambda event: event[:3])
    return events


def _reporter(plan: Plan, index: int) -> dict:
    if isinstance(plan.reporter, dict):
        return plan.reporter
    if plan.reporter:
        return {"name": plan.reporter, "phone": f"1390000{index + 1:04d}"}
    return {}


def _register(plan: Plan, index: int, complaints, positions, cast: SampleCast, at) -> Case:
    row = complaints.get(plan.text)
    text = row["text"] if row else plan.text
    lon, lat = positions.get(plan.place or plan.text, (None, None))
    return services.case_register(
        jurisdiction=cast.district,
        channel=plan.channel,
        text=text,
        category=plan.category or (row or {}).get("category", ""),
        subcategory=plan.subcategory or (row or {}).get("subcategory", ""),
        address=f"城中区{plan.address}",
        lon=lon,
        lat=lat,
        supervision=plan.supervision,
        reporter=_reporter(plan, index),
        by=None if plan.channel == Channel.PUBLIC else cast.dispatcher,
        now=at,
    )


def _step(case: Case, plan: Plan, step: Step, cast: SampleCast, at: datetime.datetime) -> None:
    args, action = dict(step.args), step.action
    if action not in {"assign", "rate"} and case.lead_id is None and plan.lead:
        # The router proposed nobody: the bureau decides as the plan says.
        case = services.case_assign(case, lead=cast.unit(plan.lead), by=cast.dispatcher, now=at)
        at += datetime.timedelta(minutes=5)
    dispatcher = cast.dispatcher
    lead = cast.liaison(case.lead) if case.lead_id else None
    if action == "assign":
        support = [cast.unit(name) for name in args.pop("support")]
        services.case_assign(
            case, lead=cast.unit(args.pop("lead")), support=support, **args, by=dispatcher, now=at
        )
    elif action == "accept":
        services.case_accept(case, by=lead, now=at)
        pending = case.assignments.filter(status=Assignment.Status.PENDING)
        for assignment in pending.select_related("unit"):
            at += datetime.timedelta(minutes=7)
            services.case_accept(case, by=cast.liaison(assignment.unit), now=at)
    elif action == "return":
        services.case_return(case, reason=args["reason"], by=lead, now=at)
    elif action == "transfer":
        services.case_transfer(
            case, to=cast.unit(args["to"]), reason=args["reason"], by=lead, now=at
        )
    elif action == "start":
        services.case_start(case, by=lead, now=at)
    elif action == "part":
        unit = cast.unit(args["unit"])
        services.case_part(case, text=args["text"], by=cast.liaison(unit), now=at)
    elif action == "report":
        number = args.get("decision_number", "").format(year=at.year)
        services.case_report(case, **(args | {"decision_number": number}), by=lead, now=at)
    elif action == "verify":
        services.case_verify(case, **args, by=cast.verifier(case), now=at)
    elif action == "close":
        services.case_close(case, by=dispatcher, now=at)
    elif action == "answer":
        services.case_answer(case, text=args["text"], by=dispatcher, now=at)
    elif action == "rate":
        services.case_rate(case, **args, now=at)
    elif action == "disclose":
        services.case_disclose(case, summary=args["summary"], by=dispatcher, now=at)
    elif action == "ask_suspend":
        services.case_suspend_request(case, reason=args["reason"], by=lead, now=at)
    elif action == "suspend":
        services.case_suspend(case, approve=True, by=dispatcher, now=at)
    elif action == "resume":
        services.case_resume(case, by=dispatcher, now=at)
    elif action == "reward":
        rule = RewardRule.objects.get(name=args["rule"])
        number = args["number"].format(year=at.year)
        services.reward_decide(
            case, rule=rule, amount=args["amount"], decision_number=number, by=dispatcher,
            today=timezone.localdate(at), now=at,
        )  # fmt: skip
    elif action == "paid":
        reference = args["reference"].format(year=at.year)
        services.reward_paid(
            case.reward, paid_on=timezone.localdate(at), reference=reference, by=dispatcher
        )
    else:
        raise ValueError(f"unknown sample step {action}")


def _reward_rules() -> None:
    for name, description, minimum, maximum in REWARD_RULES:
        if not RewardRule.objects.filter(name=name).exists():
            audited_save(
                RewardRule(name=name, description=description, minimum=minimum, maximum=maximum),
                reason="sample",
            )


def _patrol_case(cast: SampleCast) -> Case | None:
    """The latest patrol finding not yet taken over becomes a case, taken over a few hours
    after the patrol report arrived."""
    finding = (
        Finding.objects.filter(
            to_grid__jurisdiction=cast.district, status=Finding.Status.REPORTED, case=None
        )
        .select_related("patrol__source", "patrol__grid", "patrol__worker", "to_grid")
        .order_by("-patrol__patrolled_at", "-pk")
        .first()
    )
    if finding is None:
        return None
    taken = min(finding.patrol.received_at + datetime.timedelta(hours=3), timezone.now())
    return services.case_from_finding(finding, by=cast.dispatcher, now=taken)


@transaction.atomic
def cases_sample_load(district: Jurisdiction, *, today: datetime.date | None = None) -> int:
    """Create the sample people, reward rules and cases; returns the cases added."""
    if Case.objects.filter(jurisdiction=district, registered_by__username=DISPATCHER).exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    cast = SampleCast(district)
    _reward_rules()
    complaints = _complaints()
    positions = _positions(district, rng)
    cases: dict[int, int] = {}
    for at, index, _n, step in _timeline(rng, today):
        plan = PLANS[index]
        if step.action == "register":
            cases[index] = _register(plan, index, complaints, positions, cast, at).pk
        else:
            _step(Case.objects.get(pk=cases[index]), plan, step, cast, at)
    created = len(cases) + (_patrol_case(cast) is not None)
    # Every unit with a part in a sample case has its liaison.
    for unit in Unit.objects.filter(assignments__case__in=cases.values()).distinct():
        cast.liaison(unit)
    services.clocks_run(today)
    return created
