"""Parser for action-plan documents (实施方案, 工作方案, 任务分工), such as seeds 004 and 001.

Framework-free. A plan has top sections (一、二、…); the ones that carry work hold tasks.
A task is what someone must do and report on: a numbered item, a paragraph or a table row
that carries (or inherits) responsibility. Plans state responsibility in several ways
(tests/data/plans/ holds real ones; tests/test_plandoc.py cites a snippet of each):

- field lines after the task (seed 004): ``责任单位：`` / ``配合单位：`` / ``完成时限：``,
  also in brackets ("(责任单位:…)"), in 【】, or run into the paragraph; a line of local
  governments without a label after them carries the task out;
- a bracket that ends the paragraph (seed 001 and most provincial plans):
  ``（监管部门：…）``, ``（市环保局牵头，市经信委、市煤炭局配合，各县市区人民政府负责
  落实）``, ``（省发展改革委、省能源局按职责分工负责）``, or the same as a closing
  sentence; a statement made once, ``以下均需各区委、区政府落实，不再列出``, gives those
  units the same role on every later task; a heading's units pass to its items;
- division-of-labour tables, handed over as TAB-separated rows (how
  ``ecogov.plans.documents.read_document`` gives a Word table), with columns recognised
  by their headers (序号, 类别, 重点任务, 具体措施, 牵头单位/责任单位, 配合单位, 完成时限),
  and sheets of "field<TAB>value" rows describing one rectification task;
- a letter (函) whose numbered requirements name nobody: its addressees do them;
- pages of law databases that start mid-document (tune/42–58): the clauses that open a
  paragraph ("由X副市长负责,市环保局牵头,相关部门配合,…": a person is no unit), a closing
  sentence after the bracket ("由X副厅长负责,环境监测处落实"), duty lines and headings
  opened by a unit ("市公安局:负责…;会同市经贸委…", "1、市环保局负责：(1)…"), a group
  clause after its items ("以上工作由X牵头,Y配合"), "列第一位者为牵头部门", labels after a
  comma ("责任单位:…,完成时间:…"), and tables whose header row is on another page (columns
  told by their cells; merged cells are empty below their first row and inherit it).

A single 责任单位 list names the lead first and its supporters after it, unless the plan
also writes supporting units apart (then all lead); local governments in it carry the task
out (implementing). Where an item only heads sub-items (``（1）…``) or paragraphs that
carry their own units, those are the tasks and the item is their parent. When a plan names
no units at all, its numbered items in the task sections are the tasks. Deadlines are read
in every usual form with the plan's year (:func:`read_deadline`); without a deadline field,
the latest date "…前" of the task's text.

The text comes from PDF and web conversions: sentences and even unit names are split
by page breaks, items run together, punctuation is half ASCII, characters are missing.
Every task keeps the line on which it starts.
"""

import datetime
import re
from dataclasses import dataclass, field

from ecogov.domain.dutylist import area_names
from ecogov.domain.unitnames import expand_shared_prefix

ONGOING = "ongoing"
YEARLY = "yearly"

_CN_NUMERAL = "一二三四五六七八九十"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# Outline markers, outermost first: 一、 （一） 1. （1） ①
_TOP = re.compile(rf"^\s*([{_CN_NUMERAL}]+)\s*[、.．]\s*(\S.*?)\s*$")
_SECTION = re.compile(rf"^\s*[（(]\s*([{_CN_NUMERAL}]*)\s*[）)]\s*[、.．]?\s*(\S.*?)\s*$")
_ITEM = re.compile(r"^\s*(\d{1,2})\s*(?:[、．]|\.(?!\d))\s*(\S.*?)\s*$")
_SUBITEM = re.compile(r"^\s*[（(]\s*(\d{1,2})\s*[）)]\s*[、.．]?\s*(\S.*?)\s*$")
_CIRCLE = re.compile(rf"^\s*([{_CIRCLED}])\s*[、.．]?\s*(\S.*?)\s*$")
_MARKERS = (("top", _TOP), ("section", _SECTION), ("item", _ITEM), ("subitem", _SUBITEM),
            ("circle", _CIRCLE))  # fmt: skip
_RANK = {"top": 1, "section": 2, "item": 3, "subitem": 4, "circle": 5}

# Field labels and the role each gives. "责任单位" alone (no supporting units anywhere in
# the plan) names the lead first and its supporters after it.
_FIELD_ROLES = {
    "牵头单位": "lead", "牵头部门": "lead", "牵头领导": "ignore", "主责单位": "lead",
    "主责部门": "lead", "责任单位": "responsible", "责任部门": "responsible",
    "负责单位": "responsible", "负责部门": "responsible", "实施单位": "responsible",
    "配合单位": "support", "配合部门": "support", "协办单位": "support",
    "参与单位": "support", "协助单位": "support", "协同单位": "support",
    "监管部门": "supervising", "监管单位": "supervising",
    "完成时限": "deadline", "时间节点": "deadline", "完成时间": "deadline",
    "整改时限": "deadline", "完成期限": "deadline", "时限要求": "deadline",
    "责任领导": "ignore", "责任人": "ignore",
}  # fmt: skip
_LABEL = "|".join(sorted(_FIELD_ROLES, key=len, reverse=True))
_FIELD = re.compile(rf"^\s*[（(]?\s*[【\[]?({_LABEL})(?:[】\]]\s*[：:]?|\s*[：:])\s*(.*?)\s*$")
# A label run into a paragraph: after a sentence end, a comma ("责任单位:…,完成时间:…") or
# a blank, never inside a word.
_INLINE_LABEL = re.compile(rf"(?:(?<=[。；;.）)，,\s])|^)[【\[]?({_LABEL})[】\]]?\s*[：:]")
_DEFAULT_UNITS = re.compile(
    r"以下(?:各项)?(?:任务)?(?:均|都)?(?:需|须|由|需要)?(.+?)(?:负责)?(?:组织)?(?:落实|实施)"
)
_TERMINAL = "。！？；;）)”"
_NOT_TASK_SECTIONS = re.compile(
    r"总体要求|指导思想|基本原则|工作目标|主要目标|保障措施|组织实施|工作要求|组织保障"
    r"|实施步骤|工作步骤|进度安排|目标任务$|总体目标|适用范围|编制依据"
)
_GOALS = re.compile(r"目标")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]+\s*[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d+\s*号$")
_ONGOING_WORDS = re.compile(
    r"持续推进|长期坚持|长期|持续开展|常态化|常态|持续|长效|按年度|逐年|每月|每季度|每半年|定期"
    r"|日常工作"
)
# A prefix that makes a unit name complete: 市/区/县/省 (not 区域), 团区委, 各…
_AREA_PREFIX = re.compile(
    r"^(?:市(?!场)|区(?!域)|县|省|州|盟|旗|团|各|中共|国家|自治区"
    r"|[\u4e00-\u9fff]{2,3}(?:省|市|区|县|旗|镇|州))"
)
_DEPARTMENT_END = re.compile(r"(局|委|办|厅|委员会|中心|大队|支队|站|所)$")
_UNIT_END = re.compile(
    r"(局|厅|委|办|办公室|委员会|中心|大队|支队|站|所|院|政府|办事处|部|队|公司|集团|小组"
    r"|管委会|分局|总队|单位|部门|街道|镇|乡|法院|检察院|银行|协会|联合会|工会|妇联|学校"
    r"|大学|海关|气象台|处|科|组|会|社)$"
)
# How the name of a government department begins; a name beginning otherwise begins with a
# place ("宝安交通运输局", "海勃湾黄河水利枢纽管理中心") and is complete as written.
_BARE_DEPARTMENT = re.compile(
    r"^(?:发展|发改|工业|工信|经信|经济|生态|环保|环境|自然|国土|住房|住建|城管|城市管理|城乡"
    r"|交通|水利|水务|农业|农牧|农村|林业|林草|财政|公安|商务|应急|卫生|卫健|教育|文化|文旅|文体"
    r"|市场|统计|审计|科技|科学|民政|人力|人社|司法|气象|规划|能源|供销|旅游|质监|质量|编办|委编办"
    r"|宣传|组织|网信|区域|海事|消防|税务|体育|粮食|医保|医疗|退役|信访|外事|地震|档案|机关|国资"
    r"|金融|数据|大数据|行政|政务|公路|邮政|工商|安监|食药|食品|畜牧|渔业|海洋|港口|口岸|人防|房管"
    r"|房产|园林|绿化|环卫|市政|公用|综合|执法|改革|政法|统战|总工会|妇联|团委|融媒|广电|新闻|港航"
    r"|航道|电力|供电|烟草|住保|城建|建设|规划|测绘|不动产|公共|水文|农机|兽医|动物|植保|防汛"
    r"|应急管理|河长|湖长|生态环境|党委|政府|投资|招商|审批|乡村振兴|机关事务|残联|科协|侨联|台办"
    r"|外办|老干部|物价|盐务|住房城乡|城乡建设|司法|警察|城市综合|园区|开发区|高新区|经开区)"
)
_PLACE = re.compile(r"^[\u4e00-\u9fff]{2,4}(?=[\u4e00-\u9fff]{2,}(?:局|委|办|中心|站|所|厅)$)")
_GOVERNMENT = re.compile(
    r"(人民政府|政府|管委会|管理委员会|党委|区委|县委|市委|镇|乡|街道|办事处|街办)$"
    # A lower area named bare as the unit that carries work out: "鄂城区", "西山街办".
    r"|^(?!.*(?:开发|园|景|社|保护|新)区$)[\u4e00-\u9fff]{1,3}(?<![市省])(?:区|县)$"
)


def _core(unit: str) -> str:
    """A unit name without a closing note in brackets: "区人民政府（管委会）" → 区人民政府."""
    return re.sub(r"[（(][^（()）]*[）)]$", "", unit)


# --- Deadlines ------------------------------------------------------------------------

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9, "十": 10, "十一": 11, "十二": 12, "两": 2}  # fmt: skip
_MONTH = r"(\d{1,2}|十[一二]?|[一二三四五六七八九])"
_YEAR_RANGE = re.compile(r"(\d{4})\s*年?\s*[—–\-~～至到]+\s*(\d{4})\s*年")
_FULL_DATE = re.compile(rf"(\d{{4}})\s*年\s*(?:{_MONTH}\s*(?:月|(?=底)))?")
_BARE_MONTH = re.compile(
    rf"(?<![\d年])(?<!每年){_MONTH}\s*月\s*(?:\d{{1,2}}\s*日|底|末|前|中旬|上旬|下旬)"
)
_YEAR_END_WORDS = re.compile(r"(?<!每)年(?:底|末|内)")
_YEARLY = re.compile(rf"每年(?:度)?\s*(?:{_MONTH}\s*月|年?底|年?末|年终)")
_HALF = re.compile(r"(\d{4})\s*年\s*(上半年|下半年|(?:第?[一二三四1-4])季度)")


def _month(token: str | None) -> int | None:
    if token is None:
        return None
    return int(token) if token.isdigit() else _CN_DIGITS.get(token)


def read_deadline(text: str, *, year: int | None = None) -> str | None:
    """A deadline as the plan states it, normalised: "2025年6月底前" → "2025-06",
    "2024年底" → "2024-12", "2016—2018年底前" → "2018-12" (a range gives its end),
    "每年6月底前" → "yearly-06", "每年年底前" → "yearly-12", "长期坚持" → "ongoing";
    "年底前" and "9月底前" take ``year`` (the plan's). Several dates give the latest.
    None when the text states none."""
    text = _clean(text)
    if not text:
        return None
    found: list[tuple[int, int]] = []
    if re.fullmatch(r"(?:自|从)?\d{4}年(?:\d{1,2}月)?(?:起|开始)\S*", text) and not re.search(
        r"前|底|完成", text
    ):
        return ONGOING  # "2023年起": from then on
    for match in _YEAR_RANGE.finditer(text):
        found.append((int(match.group(2)), 12))
    stripped = _YEAR_RANGE.sub(lambda m: f"{m.group(2)}年", text)
    for match in _HALF.finditer(stripped):
        word = match.group(2)
        month = 6 if word == "上半年" else 12 if word == "下半年" else None
        if month is None:
            quarter = re.search(r"[一二三四1-4]", word).group(0)
            month = 3 * (_CN_DIGITS.get(quarter) or int(quarter))
        found.append((int(match.group(1)), month))
    stripped = _HALF.sub("", stripped)
    for match in _FULL_DATE.finditer(stripped):
        month = _month(match.group(2)) or 12
        if 1 <= month <= 12 and 1990 <= int(match.group(1)) <= 2100:
            found.append((int(match.group(1)), month))
    if found:
        latest = max(found)
        return f"{latest[0]:04d}-{latest[1]:02d}"
    if match := _YEARLY.search(text):
        return f"{YEARLY}-{(_month(match.group(1)) or 12):02d}"
    if year is not None:
        if match := _BARE_MONTH.search(text):
            month = _month(match.group(1))
            if month and 1 <= month <= 12:
                return f"{year:04d}-{month:02d}"
        if _YEAR_END_WORDS.search(text) and not re.search(r"\d", text):
            return f"{year:04d}-12"
    if _ONGOING_WORDS.search(text):
        return ONGOING
    return None


# A date the text sets for the work: "2018年10月底前", "2014年底前", "2019年12月20日前".
_TEXT_DUE = re.compile(
    r"((?:19|20)\d{2})\s*年\s*(?:(\d{1,2})\s*月\s*(?:\d{1,2}\s*日)?)?\s*(?:底|末)?\s*(?:之|以)?前"
)


def text_deadline(text: str) -> str | None:
    """The deadline a task's text sets when no field gives one: the latest date "…前"
    ("2018年10月底前查明…；2020年10月底前掌握…" → "2020-10"). A target year ("到2020年")
    is no deadline, nor a date the task is framed by ("围绕2020年底前…")."""
    text = _clean(text)
    dates = []
    for match in _TEXT_DUE.finditer(text):
        month = int(match.group(2) or 12)
        if 1 <= month <= 12 and not re.search(
            r"围绕|按照|根据|对照", text[max(0, match.start() - 4) : match.start()]
        ):
            dates.append(f"{int(match.group(1)):04d}-{month:02d}")
    # "必须于2009年实现废水闭路循环" (毕节 2009): done within that year.
    for match in re.finditer(
        r"于\s*((?:19|20)\d{2})\s*年\s*(?:(\d{1,2})\s*月)?\s*(?:底|末)?\s*(?:之前|以前|前)?"
        r"(?=实现|完成|建成|全面|基本)",
        text,
    ):
        month = int(match.group(2) or 12)
        if 1 <= month <= 12:
            dates.append(f"{int(match.group(1)):04d}-{month:02d}")
    if dates:
        return max(dates)
    if match := re.search(
        rf"每年(?:度)?\s*(?:{_MONTH}\s*月\s*(?:底|末)?|年?底|年?末)\s*(?:之|以)?前", text
    ):
        return f"{YEARLY}-{(_month(match.group(1)) or 12):02d}"
    return None


def parse_deadline(text: str, *, year: int | None = None) -> str | None:
    """The deadline as the ledger keeps it: "2026年12月底" → "2026-12"; 2024年底 →
    "2024-12"; 持续推进 and a yearly deadline ("每年年底前") → "ongoing"; else None."""
    return ledger_deadline(read_deadline(text, year=year))


def ledger_deadline(due: str | None) -> str | None:
    """A deadline of :func:`read_deadline` in the importer's terms: a task due every year
    never closes, so it is ongoing."""
    if due and due.startswith(YEARLY):
        return ONGOING
    return due


class PlanError(ValueError):
    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}")


@dataclass
class PlanTask:
    number: str
    title: str
    text: str
    line: int
    section: str = ""
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    supervising: list[str] = field(default_factory=list)
    # The governments below that carry the task out (负责落实): "各县（市、区）人民政府".
    implementing: list[str] = field(default_factory=list)
    # "YYYY-MM", "ongoing" or None, as the ledger keeps it (a yearly deadline is ongoing).
    deadline: str | None = None
    # The deadline as the plan states it: also "yearly-MM" (每年X月底前).
    due: str | None = None


@dataclass
class PlanDocument:
    title: str
    issuer: str | None
    doc_number: str | None
    date: datetime.date | None
    tasks: list[PlanTask]
    goals: list[tuple[int, str]]  # (line, paragraph) of the objectives section
    area: list[str]  # the administrative areas the plan names: ["乌海市"], ["城中区"]
    level_prefix: str  # "市" or "区": how the plan abbreviates its own departments
    year: int | None = None  # the year the plan is issued: "年底前" means its end


def _clean(text: str) -> str:
    """Drop the blanks PDF conversion puts between Chinese characters and digits."""
    text = re.sub(r"(?<=[\u4e00-\u9fff\d])\s+(?=[\u4e00-\u9fff\d%（(])", "", text.strip())
    return re.sub(r"(?<=[（(])\s+|\s+(?=[）)])", "", text)


# --- Unit lists -----------------------------------------------------------------------

_OPEN = "（(【[〔《“"
_CLOSE = "）)】]〕》”"


def split_top(text: str, separators: str) -> list[str]:
    """Split at separators outside brackets: "各县（市、区）人民政府、市生态环境局" gives
    two parts, not three."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(0, depth - 1)
        elif char in separators and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


_TRAILING_ETC = re.compile(r"(?:等(?:有关|相关)?(?:部门|单位|成员单位)?|有关部门|相关部门)$")


# "由", "此项工作由", "以上任务均由": what comes before the units of a role clause.
_BY = re.compile(r"^(?:(?:此项|该项|本项|这项|以上|上述|各项)(?:各项)?(?:工作|任务)(?:均|都)?)?由")


def _unit_items(text: str) -> list[str]:
    items = []
    for part in split_top(_clean(text), "、，,；;/／\t 　"):
        part = _BY.sub("", part.strip().strip("。.：:")).strip()
        if not part:
            continue
        if len(part) > 3 and (cut := _TRAILING_ETC.sub("", part)) and _UNIT_END.search(_core(cut)):
            part = cut
        # "市生态环境局和市住房城乡建设局": two units joined by 和/及 when both look like one.
        pieces = re.split(
            r"(?<=[局厅委办])(?:和|及|与)(?=[市区县省])|(?<=[^办]处)和(?=[\u4e00-\u9fff]{2,}处$)",
            part,
        )
        items.extend(piece for piece in pieces if piece)
    # "城乡一体化示范区、高新区党工委和管委会": both take the suffix of the second.
    for index in range(len(items) - 1):
        item, following = items[index], items[index + 1]
        if (
            not _UNIT_END.search(_core(item))
            and re.search(r"[区县市镇]$", item)
            and not item.startswith("各")
        ):
            if (
                shared := re.match(r"^[\u4e00-\u9fff]{1,8}?[区县市镇](.{2,12})$", following)
            ) and _UNIT_END.search(shared.group(1)):
                items[index] = item + shared.group(1)
    # "各市、县人民政府": a collective whose first part names no unit stays whole.
    joined: list[str] = []
    for item in items:
        if (
            joined
            and joined[-1].startswith("各")
            and not _UNIT_END.search(_core(joined[-1]))
            and _GOVERNMENT.search(_core(item))
        ):
            joined[-1] += "、" + item
        else:
            joined.append(item)
    return joined


def expand_units(
    text: str,
    *,
    level_prefix: str,
    known: set[str] | frozenset[str] = frozenset(),
    stems: tuple[str, ...] = (),
) -> list[str]:
    """Split a unit list and complete the names written with a shared prefix.

    ``stems`` are the plan's area names without their suffix ("城中" for 城中区): a
    name starting with one is complete (城中公安分局).

    "市发改委、工信局、能源局" → 市发改委, 市工信局, 市能源局 (the prefix of the name
    before, or the plan's own level, completes a bare department name); "交警二大队、
    八大队" → 交警八大队 when the registry knows it; "各区委、区政府" → 各区委, 各区政府;
    "各县（市、区）人民政府" stays whole; a trailing "等" is dropped.
    """
    items = [item.rstrip("。.") for item in _unit_items(text) if item.rstrip("。.")]
    expanded = expand_shared_prefix(items, known) if known else list(items)
    result: list[str] = []
    for index, item in enumerate(expanded):
        if item not in known:
            previous = result[-1] if result else ""
            if previous.startswith("各") and re.fullmatch(
                r"[省市区县乡镇旗](?:人民)?(?:政府|委|党委)", item
            ):
                item = "各" + item  # "各区委、区政府"
            elif (
                not _AREA_PREFIX.match(item)
                and not item.startswith(stems or ("\0",))
                and not item.endswith("街办")  # a street office: "西山街办"
                and _DEPARTMENT_END.search(item)
                and (_BARE_DEPARTMENT.match(item) or not _PLACE.match(item))
                and len(item) <= 12
                and (index > 0 or level_prefix)
            ):
                prefix = previous[:1] if previous[:1] in ("市", "省", "县", "区") else level_prefix
                if shared := re.match(r"^各[省市县区乡镇]+(?=[\u4e00-\u9fff]{2})", previous):
                    prefix = shared.group(0)  # "各县区生态环境局、水利局"
                if previous.startswith("自治区"):
                    prefix = "自治区"
                item = prefix + item
        if item not in result:
            result.append(item)
    return result


# --- Responsibility -------------------------------------------------------------------

# A role clause ends with its verb: "市生态环境局牵头", "各县市区人民政府负责落实".
_ROLE_VERBS = (
    (re.compile(r"(?:牵头(?:负责|落实|推进|实施)?|为牵头单位|主责|总牵头)$"), "lead"),
    (re.compile(r"(?:按职责分工负责|按职责分工落实|按职责负责|按职能分工负责|分别负责|共同负责"
                r"|按照职责分工负责|依职责负责|负责指导|负责|主抓|具体负责)$"), "lead"),
    (re.compile(r"(?:负责落实|负责实施|组织实施|具体实施|抓好落实|具体落实|分别落实|落实|实施|组织落实)$"), "implementing"),
    (re.compile(r"(?:配合(?:落实|实施|推进)?|参与|协助|协办|支持|协同|配合做好|等配合)$"), "support"),
)  # fmt: skip
_SHARED_DUTY = re.compile(
    r"按(?:照)?职(?:责|能)(?:分工)?(?:负责|落实)|分别负责|共同负责|依职责负责"
)
_ROLE_WORD = re.compile(
    r"牵头|配合|参与|协助|协办|负责|落实|责任单位|牵头单位|监管部门|监管单位|主责|按职责|"
    r"配合单位|责任部门|负责部门"
)


@dataclass
class _Roles:
    """What a bracket, a field line or a table row says about a task."""

    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    supervising: list[str] = field(default_factory=list)
    implementing: list[str] = field(default_factory=list)
    # 责任单位 lists, one per comma-separated group: "市环保局、市国土资源局，市财政局，各镇街区"
    responsible: list[list[str]] = field(default_factory=list)
    due: str | None = None
    defaults: dict[str, list[str]] = field(default_factory=dict)  # 以下均需…落实
    # Stated by the clauses that open the paragraph ("由X副市长负责,市环保局牵头,…"): the
    # paragraph says who does what its heading names, and the heading is the task.
    opening: bool = False
    # Stated by the unit that opens the paragraph: "市建设局:负责对…进行监督管理".
    unit_heading: bool = False

    def any(self) -> bool:
        return bool(
            self.lead or self.support or self.supervising or self.implementing
            or self.responsible or self.due
        )  # fmt: skip

    def merge(self, other: "_Roles") -> None:
        for role in ("lead", "support", "supervising", "implementing"):
            bucket = getattr(self, role)
            bucket.extend(unit for unit in getattr(other, role) if unit not in bucket)
        self.responsible.extend(
            group for group in other.responsible if group not in self.responsible
        )
        self.due = other.due or self.due
        self.defaults.update(other.defaults)


@dataclass(frozen=True)
class _Naming:
    """How this plan writes unit names, and the names the registry knows."""

    level_prefix: str
    stems: tuple[str, ...]
    known: frozenset[str]
    year: int | None = None

    def expand(self, text: str) -> list[str]:
        return expand_units(
            text, level_prefix=self.level_prefix, known=self.known, stems=self.stems
        )


def _looks_like_units(text: str) -> bool:
    items = _unit_items(text)
    return bool(items) and all(
        len(item) <= 30 and (_UNIT_END.search(_core(item)) or item.startswith("各"))
        for item in items
    )


def _read_role_clause(text: str, naming: _Naming, roles: _Roles) -> None:
    """Read "市环保局牵头，市经信委、市煤炭局配合，各县市区人民政府负责落实" or
    "牵头单位：…；配合单位：…；完成时限：…" into ``roles``."""
    text = re.sub(r"[，,]?\s*不再(?:一一)?列出", "", _clean(text)).strip("。；;，, ")
    stated: list[str] = []  # the units of a "以下均需…落实" statement
    # "X牵头，Y等部门按职责分工负责": beside a named lead, the units that share the duty
    # support it; with no lead named ("A、B按职责分工负责") they all lead.
    shared: list[str] = []
    named_lead = False
    for segment in split_top(text, "；;。"):
        segment = segment.strip("，, ")
        if not segment:
            continue
        if _INLINE_LABEL.search(segment):
            for label, value in _label_pairs(segment):
                _apply_label(roles, label, value, naming)
            continue
        if default := _DEFAULT_UNITS.search(segment):
            stated = naming.expand(default.group(1))
            segment = (segment[: default.start()] + segment[default.end() :]).strip("，, ")
        pending = ""
        for clause in split_top(segment, "，,"):
            clause = clause.strip()
            if not clause:
                continue
            if (
                not _looks_like_units(clause)
                and re.search(r"\d|年|长期|持续|常态", clause)
                and (due := read_deadline(clause, year=naming.year))
            ):
                roles.due = due
                continue
            for pattern, role in _ROLE_VERBS:
                if match := pattern.search(clause):
                    names = (pending + "、" if pending else "") + clause[: match.start()]
                    pending = ""
                    if names.strip("、"):
                        units = naming.expand(names)
                        if role == "implementing" and not all(
                            _GOVERNMENT.search(_core(unit))
                            or unit.startswith("各")
                            or re.search(r"[处科室]$", unit)  # a department's own divisions
                            for unit in units
                        ):
                            role = "lead"
                        if role == "lead" and _SHARED_DUTY.search(clause[match.start() :]):
                            shared.extend(units)
                        elif role == "lead":
                            named_lead = True
                        bucket = getattr(roles, role)
                        bucket.extend(unit for unit in units if unit not in bucket)
                    break
            else:
                pending = (pending + "、" if pending else "") + clause
        if pending and _looks_like_units(pending):
            roles.responsible.append(naming.expand(pending))
    if named_lead and shared:
        roles.lead[:] = [unit for unit in roles.lead if unit not in shared]
        roles.support.extend(unit for unit in shared if unit not in roles.support)
    if stated:
        # The role the units have on this task is theirs on every later one (_assign).
        roles.defaults["same"] = stated


def _label_pairs(text: str) -> list[tuple[str, str]]:
    matches = list(_INLINE_LABEL.finditer(text))
    pairs = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        pairs.append((match.group(1), text[match.end() : end].strip(" ；;。，,")))
    return pairs


def _apply_label(roles: _Roles, label: str, value: str, naming: _Naming) -> None:
    role = _FIELD_ROLES[label]
    if role == "ignore" or not value.strip():
        return
    if role == "deadline":
        roles.due = read_deadline(value, year=naming.year) or roles.due
        return
    if role == "responsible" and re.search(r"[（(]牵头[）)]", value):
        marked = re.findall(r"([^、，,；;（(]+)[（(]牵头[）)]", value)
        if marked:
            # "责任单位：市生态环境局（牵头）、市住建局": the marked units lead.
            roles.lead.extend(naming.expand("、".join(marked)))
            value = re.sub(r"[（(]牵头[）)]", "", value)
    if role == "responsible" and re.search(r"[（(]?按职责分工(?:负责|落实)[）)]?$", value):
        # "责任单位：市生态环境局、市发展改革委（按职责分工负责）": all lead.
        value = re.sub(r"[（(]?按职责分工(?:负责|落实)[）)]?$", "", value)
        roles.lead.extend(u for u in naming.expand(value) if u not in roles.lead)
        return
    if role == "responsible" and re.search(r"牵头|配合|负责落实|参与|协助", value):
        _read_role_clause(value, naming, roles)  # "责任单位：市生态环境局牵头，…配合"
        return
    if default := _DEFAULT_UNITS.search(value):
        roles.defaults["same"] = naming.expand(default.group(1))
        value = value[: default.start()].rstrip("，,；;。 ")
    value = re.sub(r"[。.]\s*排在.*$|[，,]\s*排在.*$", "", value)  # "排在前位为牵头部门"
    if role == "responsible":
        for group in split_top(_strip_closing(value), "，,；;"):
            if group.strip():
                roles.responsible.append(naming.expand(group))
        return
    bucket = getattr(roles, role)
    bucket.extend(unit for unit in naming.expand(_strip_closing(value)) if unit not in bucket)


def _strip_closing(value: str) -> str:
    """A field's value without the closing brackets of the bracket it stood in: "配合单位：
    各街道(园区)）" keeps "各街道(园区)", whose own bracket is closed."""
    value = value.strip(" ")
    while value and value[-1] in "）)】]" and _depth(value) < 0:
        value = value[:-1].rstrip(" ")
    return value


def _trailing_bracket(text: str) -> tuple[int, int] | None:
    """(start, end) of the bracket that closes a paragraph, nested brackets matched;
    square brackets too ("[市水务局牵头，…不再列出)]", PDF text)."""
    stripped = text.rstrip("。．.；; ")
    if stripped and stripped[-1] in "]】":
        start = max(stripped.rfind("["), stripped.rfind("【"))
        return (start, len(stripped)) if start >= 0 else None
    if not stripped or stripped[-1] not in "）)":
        return None
    depth = 0
    for index in range(len(stripped) - 1, -1, -1):
        char = stripped[index]
        if char in "）)":
            depth += 1
        elif char in "（(":
            depth -= 1
            if depth == 0:
                return index, len(stripped)
    return None


def _split_responsibility(text: str, naming: _Naming) -> tuple[str, _Roles]:
    """Take the responsibility off a paragraph: a closing bracket, or labels run into it.
    Gives the paragraph without it and what it says."""
    roles = _Roles()
    body = text
    # A closing sentence after the bracket that names who is in charge and who carries it
    # out: "…（牵头单位:区环保厅）。由X副厅长负责,环境监测处落实。" (宁夏 2010).
    if _trailing_bracket(body) is None and (found := _closing_roles(body, naming)):
        body, roles = found
    # A closing bracket; a plan may close with two ("…（牵头单位：…）（2025年底前）").
    for _ in range(2):
        span = _trailing_bracket(body)
        if span is None:
            break
        inner = body[span[0] + 1 : span[1] - 1]
        if inner[-1:] in ("）", ")") and _depth(inner) < 0:
            inner = inner[:-1]  # "[…不再列出)]": a bracket closed twice
        if not (_ROLE_WORD.search(inner) or _looks_like_units(inner) or _is_due(inner, naming)):
            break
        found = _Roles()
        _read_role_clause(inner, naming, found)
        if not found.any() and not found.defaults:
            break
        roles.merge(found)
        body = body[: span[0]].rstrip()
    # A closing sentence of roles: "…。由市生态环境局牵头，市住建局配合。"
    if not roles.any() and (found := _closing_roles(body, naming)):
        body, roles = found
    # An opening one: "由X副市长负责,市环保局牵头,相关部门配合,尽快…" (兰州).
    if not roles.any() and (found := _opening_roles(body, naming)):
        body, roles = found
    # A unit that opens the paragraph with its duties: "市公安局:负责…;会同市经贸委做好…".
    if not roles.any() and (found := _unit_heading(body, naming)):
        body, roles = found
    # Labels run into the paragraph: "…。责任单位：市生态环境局。完成时限：2025年底前。"
    if match := _INLINE_LABEL.search(body):
        if match.start() > 0:
            found = _Roles()
            for label, value in _label_pairs(body[match.start() :]):
                _apply_label(found, label, value, naming)
            if found.any():
                roles.merge(found)
                body = body[: match.start()].rstrip()
    return body, roles


def _closing_roles(body: str, naming: _Naming) -> tuple[str, _Roles] | None:
    """The last sentence when it only says who does the task ("市生态环境局牵头，…配合")."""
    sentences = [part for part in re.split(r"(?<=[。；;])", body) if part.strip()]
    if len(sentences) < 2:
        return None
    last = sentences[-1].strip().rstrip("。；;")
    if len(last) > 120 or not re.search(r"(?:牵头|配合|参与|落实|实施|按职责分工负责|协助)$", last):
        return None
    kept = []
    for clause in split_top(_BY.sub("", last), "，,"):
        names = _CLAUSE_VERB.sub("", clause.strip())
        if _PERSON.search(names):
            continue  # "由鲁国会、郑忠安副厅长分别负责": persons, not units
        if names and not _looks_like_units(names):
            return None
        kept.append(clause)
    roles = _Roles()
    _read_role_clause("，".join(kept), naming, roles)
    if not (roles.lead or roles.support or roles.implementing):
        return None
    return "".join(sentences[:-1]).rstrip(), roles


_CLAUSE_VERB = re.compile(
    r"(?:分别)?(?:牵头(?:负责|落实)?|配合(?:落实)?|参与|协助|负责落实|组织实施|按职责分工负责"
    r"|负责|落实)$"
)
# A person named as the one in charge: "杨志武副市长", "郑忠安副厅长", "金国兴总工".
_PERSON = re.compile(
    r"(?:副?(?:省|市|区|县|州|盟|旗)长|副?厅长|副?局长|副?主任|副?书记|总工(?:程师)?|秘书长"
    r"|同志)(?:[\u4e00-\u9fff]{2,3})?$"  # "副市长张某", a title before the name
)


def _opening_roles(body: str, naming: _Naming) -> tuple[str, _Roles] | None:
    """The clauses that open a paragraph when they say who does the task: "由X副市长负责,
    市发改委牵头,相关部门配合,尽快完成…" — the person is left out (not a unit)."""
    clauses = split_top(re.split(r"[。；;]", body, maxsplit=1)[0], "，,")
    kept: list[str] = []
    for clause in clauses[:-1]:
        clause = clause.strip().removeprefix("由")
        if not _CLAUSE_VERB.search(clause):
            break
        names = _CLAUSE_VERB.sub("", clause)
        if _PERSON.search(names):
            kept.append("")
            continue
        if not names or not _looks_like_units(names):
            break
        kept.append(clause)
    if not any(kept):
        return None
    roles = _Roles(opening=True)
    _read_role_clause("，".join(clause for clause in kept if clause), naming, roles)
    if not (roles.lead or roles.support or roles.implementing):
        return None
    rest = body
    for _ in kept:
        rest = rest.split("，" if "，" in rest.split(",")[0] else ",", 1)[-1]
    return rest.strip("，, "), roles


_UNIT_HEADING = re.compile(r"^([^：:，,。；;（()）]{2,24}?)(?:负责|牵头)?[：:]\s*(\S.{3,})$")


def _unit_heading(body: str, naming: _Naming) -> tuple[str, _Roles] | None:
    """ "市公安局:负责对…;会同市经贸委做好老旧汽车报废工作。" → lead 市公安局, support
    市经贸委 (会同: done together with); the text is the duties."""
    if (
        (heading := re.fullmatch(r"([^：:，,。；;]{2,40}?)(?:负责|牵头)?[：:]", body))
        and heading.group(1) not in _FIELD_ROLES
        and not re.fullmatch(r".{0,3}(?:单位|部门)", heading.group(1))
        and _looks_like_units(heading.group(1))
    ):
        # "1、市环保局负责：" over "（1）…（2）…": the unit's duties follow as sub-items.
        roles = _Roles(unit_heading=True)
        roles.lead.extend(naming.expand(heading.group(1)))
        return "", roles
    match = _UNIT_HEADING.match(body)
    if (
        not match
        or match.group(1) in _FIELD_ROLES
        or re.fullmatch(r".{0,3}(?:单位|部门)", match.group(1))  # "反映单位:", "主办单位:"
        or not _looks_like_units(match.group(1))
    ):
        return None
    roles = _Roles(unit_heading=True)
    roles.lead.extend(naming.expand(match.group(1)))
    text = match.group(2)
    for together in re.finditer(r"会同", text):
        rest = text[together.end() : together.end() + 24]
        for end in range(len(rest), 1, -1):
            if _looks_like_units(rest[:end]) and _UNIT_END.search(rest[:end]):
                units = [u for u in naming.expand(rest[:end]) if u not in roles.lead]
                roles.support.extend(u for u in units if u not in roles.support)
                break
    return text, roles


def _depth(text: str) -> int:
    """Brackets opened and not closed in the text (negative: closed and not opened)."""
    return sum(text.count(c) for c in "（(【[") - sum(text.count(c) for c in "）)】]")


def _is_due(text: str, naming: _Naming) -> bool:
    return (
        len(text) <= 20
        and read_deadline(text, year=naming.year) is not None
        and bool(re.search(r"前|底|完成|长期|持续|年", text))
    )


# --- Metadata -------------------------------------------------------------------------

_LEADING_TIME = re.compile(r"^(?:到|力争到|争取到)?\d{4}年[^，,。]{0,6}[，,]")


def _title(text: str) -> str:
    """The first clause: "提高政治站位" of "提高政治站位。坚持把…"."""
    first = re.split(r"[。；;]", text, maxsplit=1)[0].strip()
    if len(first) > 30:
        rest = _LEADING_TIME.sub("", first)  # "2023年底前,基本完成…" is titled by what follows
        first = re.split(r"[，,]", rest, maxsplit=1)[0].strip()
    return first


def _metadata(lines: list[str]) -> tuple[str, str | None, str | None, datetime.date | None]:
    title, issuer, number, date = "", None, None, None
    for line in lines:
        stripped = _clean(line)
        if not stripped or stripped.startswith(("当前位置", "附件", "征求意见稿")):
            continue
        if _TOP.match(stripped) or "\t" in line:
            break
        if not title and len(stripped) <= 80 and not stripped.endswith("。"):
            title = stripped
            continue
        if _DOC_NUMBER.match(stripped) and number is None:
            number = stripped
        if source := re.search(r"(?:来源|发布机构)\s*[:：]\s*(\S+)", line):
            issuer = source.group(1)
        if stripped.endswith("文件") and issuer is None:
            issuer = stripped[: -len("文件")]
        if (found := _DATE.search(stripped)) and date is None and len(stripped) < 80:
            try:
                date = datetime.date(*(int(part) for part in found.groups()))
            except ValueError:
                date = None
    return title, issuer, number, date


def _plan_year(title: str, number: str | None, date: datetime.date | None, text: str) -> int | None:
    if date:
        return date.year
    if number and (found := re.search(r"(\d{4})", number)):
        return int(found.group(1))
    if found := re.search(r"((?:19|20)\d{2})", title):
        return int(found.group(1))
    if found := re.search(r"[〔\[［]((?:19|20)\d{2})[〕\]］]", text[:3000]):
        return int(found.group(1))
    return None


# --- Outline --------------------------------------------------------------------------


@dataclass
class _Paragraph:
    line: int
    text: str
    roles: _Roles = field(default_factory=_Roles)
    fields: bool = False  # closed by field lines: nothing more joins it


@dataclass
class _Node:
    kind: str
    key: str
    line: int
    head: _Paragraph
    parent: "_Node | None" = None
    paragraphs: list[_Paragraph] = field(default_factory=list)
    children: list["_Node"] = field(default_factory=list)

    @property
    def rank(self) -> int:
        return _RANK.get(self.kind, 0)

    def carries(self) -> bool:
        return self.head.roles.any() or any(p.roles.any() for p in self.paragraphs)

    def subtree_carries(self) -> bool:
        return self.carries() or any(child.subtree_carries() for child in self.children)

    def is_heading(self) -> bool:
        return _is_heading(self.head.text)


def _is_heading(text: str) -> bool:
    return len(text) <= 30 and not re.search(r"[。；;，,：:]", text.rstrip("。"))


def _classify(text: str) -> tuple[str, str, str] | None:
    for kind, pattern in _MARKERS:
        if match := pattern.match(text):
            return kind, match.group(1), _clean(match.group(2))
    return None


# PDF text runs items together: "…行动 22.出台《…》… 23.编制…" (seed-like 宝安 plan).
_INLINE_ITEM = re.compile(r"\s+(?=\d{1,2}[.．][\u4e00-\u9fff])")
# A heading run into its first item: "三、攻坚措施1. 梳理分类".
_GLUED_ITEM = re.compile(
    rf"^(\s*(?:[{_CN_NUMERAL}]+、|[（(][{_CN_NUMERAL}]+[）)])[^\d。，,；;]{{2,16}}?)"
    r"(?=\d{1,2}[.．、]\s*[\u4e00-\u9fff])"
)


# A page number that PDF text leaves inside a sentence: "每―10 ― 年3月底前", "- 1 -".
_PAGE_NUMBER = re.compile(
    r"[―—–-]\s*\d{1,3}\s*[―—–-]|第\s*\d{1,3}\s*页(?:\s*[，,/]?\s*共\s*\d{1,3}\s*页)?"
)


def _logical_lines(lines: list[str]) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for index, raw in enumerate(lines):
        raw = _PAGE_NUMBER.sub("", raw)
        if "\t" in raw:
            out.append((index + 1, raw))
            continue
        text = _GLUED_ITEM.sub(lambda m: m.group(1) + "\n", raw)
        for piece in text.split("\n"):
            out.extend((index + 1, part) for part in _split_run_items(piece))
    return out


# The next item run into a line after its sentence end: "2、完成…。3、完成…" (鄂州 2009).
_RUN_ITEM = re.compile(r"(?<=[。；;])\s*(?=(\d{1,2})[、．.][\u4e00-\u9fff])")


# A unit's heading with its duties on the same line: "1、市环保局负责：(1)…；(2)…".
_RUN_SUBITEMS = re.compile(r"(?<=[：:；;。])\s*(?=[（(]\d{1,2}[）)])")


def _split_run_items(piece: str) -> list[str]:
    heading = re.match(r"^\s*\d{1,2}\s*[、．.]\s*[^：:，,。；;]{2,40}?(?:负责|牵头)?[：:]", piece)
    if heading and re.match(r"\s*[（(]1[）)]", piece[heading.end() :]):
        return [part for part in _RUN_SUBITEMS.split(piece) if part.strip()]
    parts = _INLINE_ITEM.split(piece)
    out: list[str] = []
    for part in parts:
        first = _ITEM.match(part)
        if first is None:
            out.append(part)
            continue
        expected, start = int(first.group(1)) + 1, 0
        for match in _RUN_ITEM.finditer(part):
            if int(match.group(1)) == expected:  # only the item that follows, never "。2、" back
                out.append(part[start : match.start()])
                start, expected = match.start(), expected + 1
        out.append(part[start:])
    return out


def _outline(
    lines: list[str], naming: _Naming, preamble: list[_Paragraph] | None = None
) -> list[_Node]:
    """The numbered outline, with paragraphs and field lines attached where they belong;
    the paragraphs before the first numbered line go to ``preamble``."""
    root = _Node("root", "", 0, _Paragraph(0, ""))
    if preamble is not None:
        root.paragraphs = preamble
    current = root
    last: _Paragraph | None = None  # where a field line or a page-broken line goes
    last_field: tuple[_Paragraph, str] | None = None
    open_list = False  # the last field line ended with "、": its list goes on
    raw_text: dict[int, str] = {}  # id(paragraph) → its text before the units were taken off

    def reread(paragraph: _Paragraph, addition: str) -> None:
        joined = raw_text.get(id(paragraph), paragraph.text) + addition
        raw_text[id(paragraph)] = joined
        paragraph.text, paragraph.roles = _split_responsibility(joined, naming)

    for number, raw in _logical_lines(lines):
        if not raw.strip() or "\t" in raw:
            if "\t" in raw:
                last = last_field = None
            continue
        text = raw.strip()
        if last is not None and not last.fields and _depth(raw_text.get(id(last), last.text)) > 0:
            # A bracket still open: "(牵头单位:…;" + "协办单位:…)" (PDF text).
            reread(last, _clean(text))
            continue
        if match := _FIELD.match(text):
            target = last if last is not None else current.head
            if current is root or (target is current.head and current.kind == "top"):
                raise PlanError(number, "a unit or deadline line that belongs to no task")
            inner = text.strip().lstrip("（(【[").rstrip("）)】]")
            for label, value in _label_pairs(inner) or [(match.group(1), match.group(2))]:
                _apply_label(target.roles, label, value, naming)
                last_field = (target, label)
                open_list = value.rstrip().endswith(("、", "，", ","))
            target.fields = True
            continue
        if last_field is not None and not _classify(text):
            paragraph, label = last_field
            if open_list and _looks_like_units(text.rstrip("。；;")):
                # "责任单位：市生态环境局、" + "市住建局": the list goes on on the next line.
                _apply_label(paragraph.roles, label, text, naming)
                open_list = text.rstrip().endswith(("、", "，", ","))
                continue
            if (
                not re.search(r"[。；;：:]", text)
                and _looks_like_units(text)
                and (text.startswith("各") or "、" in text or _AREA_PREFIX.match(text))
            ):
                # A unit line without label after the labelled ones: "各乡镇(街道)、黎阳建管办".
                units = naming.expand(text)
                role = (
                    "implementing"
                    if text.startswith("各") or all(map(_is_government_below, units))
                    else "support"
                )
                bucket = getattr(paragraph.roles, role)
                bucket.extend(unit for unit in units if unit not in bucket)
                continue
            if len(text) <= 12 and not re.search(r"[。；;，,：:]", text):
                # A unit list broken by a page break: "区市政公用服务" + "中心".
                _continue_field(paragraph.roles, label, _clean(text), naming)
                continue
        last_field = None
        marker = _classify(text)
        if marker:
            kind, key, body = marker
            rank = _RANK[kind]
            while current is not root and current.rank >= rank:
                current = current.parent
            head = _Paragraph(number, "")
            node = _Node(kind, key, number, head, current)
            reread(head, body)
            current.children.append(node)
            current = node
            last = node.head
            continue
        if (
            last is not None
            and not last.fields
            and not last.roles.any()
            and last.text
            and last.text[-1] not in _TERMINAL
            and not (last is current.head and current.is_heading())
        ):
            # A sentence broken by a page: "精" + "准提升森林质量".
            reread(last, _clean(text))
            continue
        if current is not root and current.kind != "top" and (group := _group_roles(text, naming)):
            # "以上工作由市环保局牵头，市住建局配合。" after a group of items: their units.
            for sibling in current.parent.children:
                if sibling.kind == current.kind and not sibling.subtree_carries():
                    sibling.head.roles.merge(group)
            last = None
            continue
        paragraph = _Paragraph(number, "")
        reread(paragraph, _clean(text))
        current.paragraphs.append(paragraph)
        last = paragraph
    return root.children


_GROUP_CLAUSE = re.compile(r"^(?:以上|上述)(?:各项|几项|\d项)?(?:工作|任务)(?:均|都)?由")


def _group_roles(text: str, naming: _Naming) -> _Roles | None:
    """The units of "以上工作由市环保局牵头，市住建局配合。", a sentence of roles only."""
    text = _clean(text).rstrip("。；; ")
    if len(text) > 100 or not _GROUP_CLAUSE.match(text):
        return None
    for clause in split_top(_BY.sub("", text), "，,"):
        names = _CLAUSE_VERB.sub("", clause.strip())
        if not names or not _looks_like_units(names):
            return None
    roles = _Roles()
    _read_role_clause(text, naming, roles)
    return roles if (roles.lead or roles.support or roles.implementing) else None


def _continue_field(roles: _Roles, label: str, piece: str, naming: _Naming) -> None:
    """A field line broken by a page: "区市政公用服务" + "中心" is one unit."""
    role = _FIELD_ROLES[label]
    if role in ("ignore", "deadline"):
        if role == "deadline":
            roles.due = read_deadline(piece, year=naming.year) or roles.due
        return
    bucket = getattr(roles, role)
    if role == "responsible":
        bucket = bucket[-1] if bucket else bucket
    first, _, rest = piece.partition("、")
    if bucket:
        bucket[-1] += first
    else:
        bucket.extend(naming.expand(first))
    if rest:
        bucket.extend(unit for unit in naming.expand(rest) if unit not in bucket)


# --- Tables ---------------------------------------------------------------------------

_COLUMNS = (
    ("number", re.compile(r"^(?:序号|编号|序|No\.?)$")),
    ("deadline", re.compile(r"完成时限|时间节点|完成时间|整改时限|时限|完成期限|时间进度|进度安排|时间")),
    ("text", re.compile(r"具体措施|细化措施|工作内容|整改措施|工作措施|任务内容|主要内容|工作举措"
                        r"|具体内容|主要措施|措施|目标任务|工作目标及措施")),
    ("title", re.compile(r"重点任务|工作任务|主要任务|任务名称|具体任务|重点工作|任务$|工作事项|事项"
                         r"|名称$")),
    ("category", re.compile(r"类别|领域|任务类别|项目|方面")),
    ("lead", re.compile(r"牵头单位|牵头部门|主责单位|主责部门|牵头")),
    ("responsible", re.compile(r"责任单位|负责部门|责任部门|负责单位|实施单位|责任主体")),
    ("support", re.compile(r"配合单位|协办单位|参与单位|配合部门|协助单位|协同单位|配合")),
)  # fmt: skip


def _header(cells: list[str]) -> dict[str, int] | None:
    """The columns of a division-of-labour table, by their headers; None for another row.
    A second column of units beside the lead one ("主责单位" after "牵头部门", "责任单位"
    after "牵头单位") names the governments that carry the task out ("extra")."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        cell = re.sub(r"\s", "", cell)
        if not cell or len(cell) > 12:
            continue
        for name, pattern in _COLUMNS:
            if pattern.search(cell):
                if name in ("lead", "responsible") and "lead" in columns:
                    name = "extra"
                if name not in columns or name == "deadline":
                    # Of two deadline columns (初见成效时限, 长制久清时限) the task is done
                    # by the last one (通化 2018).
                    columns[name] = index
                break
    if not ({"lead", "responsible", "support"} & set(columns)):
        return None
    if "text" not in columns:
        for name in ("title", "category"):
            if name in columns:
                columns["text"] = columns.pop(name)
                break
    return columns if "text" in columns else None


def _sub_header(cells: list[str], columns: dict[str, int]) -> bool:
    """A second header row under a merged "责任单位" cell: its cells take their columns."""
    found = {}
    for index, cell in enumerate(cells):
        cell = re.sub(r"\s", "", cell)
        for name in ("lead", "support", "responsible"):
            if cell and len(cell) <= 8 and dict(_COLUMNS)[name].search(cell):
                found[name] = index
                break
    if not found or any(
        re.sub(r"\s", "", cells[i])
        for i in range(len(cells))
        if i not in found.values()
        and cells[i]
        and not any(p.search(cells[i]) for _n, p in _COLUMNS)
    ):
        return False
    if "lead" in found and columns.get("responsible") is not None:
        columns.pop("responsible")
    columns.update(found)
    return True


_SHEET = (
    ("text", re.compile(r"任务概述|问题概述|问题描述|整改问题|反馈问题|任务$|问题$")),
    ("responsible", re.compile(r"责任单位|责任部门|牵头单位")),
    ("deadline", re.compile(r"时间$|时限$|完成时限")),
)


def _sheet_label(cell: str) -> str | None:
    cell = re.sub(r"\s", "", cell)
    if len(cell) > 10:
        return None
    return next((name for name, pattern in _SHEET if pattern.search(cell)), None)


def _infer_columns(rows: list[str], naming: _Naming) -> dict[str, int] | None:
    """The columns of a table without its header row (a page of a law database that starts
    inside the table, 济南 2014): a column of serial numbers, one of deadlines, one of unit
    lists, the first column of longer text after the number names the task, a short one
    before it is the category. Merged cells are empty below their first row."""
    table = [[_clean(cell) for cell in row.split("\t")] for row in rows]
    if len(table) < 3:
        return None
    width = max(set(map(len, table)), key=[len(row) for row in table].count)
    table = [row for row in table if len(row) == width]
    if len(table) < 3 or width < 4:
        return None
    columns: dict[str, int] = {}
    texts = []
    for index in range(width):
        values = [row[index] for row in table if row[index]]
        if not values:
            continue
        if (
            "number" not in columns
            and len(values) >= 0.8 * len(table)
            and all(re.fullmatch(r"\d{1,3}", value) for value in values)
        ):
            columns["number"] = index
        elif "deadline" not in columns and all(
            len(value) <= 15 and read_deadline(value, year=naming.year) for value in values
        ):
            columns["deadline"] = index
        elif "responsible" not in columns and all(map(_looks_like_units, values)):
            columns["responsible"] = index
        else:
            texts.append((index, sum(map(len, values)) / len(values), len(values)))
    if "number" not in columns or "responsible" not in columns:
        return None
    after = [t for t in texts if t[0] > columns["number"] and t[1] > 6]
    if not after:
        return None
    columns["text"] = after[0][0]
    before = [t for t in texts if t[0] < columns["number"] and t[1] <= 12]
    if before:
        columns["category"] = before[0][0]
    return columns


def _table_tasks(lines: list[str], naming: _Naming) -> list[tuple[PlanTask, _Roles]]:
    """Rows of division-of-labour tables, and sheets of "field<TAB>value" rows (整改任务
    概述 / 整改责任单位 / 整改时间) that describe one task each."""
    found: list[tuple[PlanTask, _Roles]] = []
    columns: dict[str, int] | None = None
    header_cells: list[str] = []
    category = section = title = ""
    carried: dict[str, str] = {}
    counter = 0
    sheet: dict[str, tuple[int, str]] = {}

    def close_sheet() -> None:
        nonlocal counter
        if "text" in sheet and ("responsible" in sheet or "deadline" in sheet):
            counter += 1
            line, text = sheet["text"]
            roles = _Roles()
            if "responsible" in sheet:
                _apply_label(roles, "责任单位", sheet["responsible"][1], naming)
            if "deadline" in sheet:
                roles.due = read_deadline(sheet["deadline"][1], year=naming.year)
            found.append((PlanTask(str(counter), _title(text), text, line, ""), roles))
        sheet.clear()

    if not any("\t" in line and _header(line.split("\t")) for line in lines):
        # A table whose header row is on another page: columns told by their cells.
        columns = _infer_columns([line for line in lines if "\t" in line], naming)
    for index, raw in enumerate(lines):
        if "\t" not in raw:
            if raw.strip():
                close_sheet()
                if columns is not None and _TOP.match(raw.strip()):
                    section = _clean(_TOP.match(raw.strip()).group(2))
            continue
        cells = [_clean(cell) for cell in raw.split("\t")]
        if header := _header(cells):
            close_sheet()
            columns, header_cells, carried = header, cells, {}
            continue
        if columns is not None and header_cells and not counter and _sub_header(cells, columns):
            continue  # "责任单位" over "牵头单位 | 配合单位": the second row names them
        filled = [cell for cell in cells if cell]
        if columns is None:
            if len(filled) == 2 and (label := _sheet_label(filled[0])):
                if label == "text" and "text" in sheet:
                    close_sheet()
                sheet.setdefault(label, (index + 1, filled[1]))
            continue
        if cells == header_cells:
            continue
        if len(filled) == 1 and len(cells) > 1 and len(filled[0]) <= 40:
            section = re.sub(
                rf"^[{_CN_NUMERAL}]+[、.．]|^[（(][{_CN_NUMERAL}]+[）)]", "", filled[0]
            )
            continue

        def cell(name: str, cells=cells, columns=columns) -> str:
            position = columns.get(name)
            return cells[position] if position is not None and position < len(cells) else ""

        text = cell("text")
        if cell("category"):
            category = cell("category")
        if cell("title"):
            title = cell("title")
        if not text:
            continue
        for name in ("lead", "responsible", "deadline", "extra"):
            if cell(name):
                carried[name] = cell(name)
        counter += 1
        number = re.sub(r"[、.．\s]", "", cell("number")) or str(counter)
        roles = _Roles()
        for name in ("lead", "responsible"):
            value = cell(name) or carried.get(name, "")
            if value:
                _apply_label(roles, "牵头单位" if name == "lead" else "责任单位", value, naming)
        if cell("support"):
            _apply_label(roles, "配合单位", cell("support"), naming)
        if extra := cell("extra") or carried.get("extra", ""):
            units = naming.expand(extra)
            governments = [unit for unit in units if _is_government_below(unit)]
            roles.implementing.extend(governments)
            roles.support.extend(unit for unit in units if unit not in governments)
        deadline = cell("deadline") or carried.get("deadline", "")
        if deadline:
            roles.due = read_deadline(deadline, year=naming.year)
        body = re.sub(r"^\d{1,2}\s*[、.．]\s*", "", text)
        body, more = _split_responsibility(body, naming)
        roles.merge(more)
        heading = category or section
        if "title" in columns and "category" in columns and cell("title"):
            # 类别 / 主要任务 / 细化措施: the task is named by its 主要任务 cell.
            body = cell("title").rstrip("。") + "。" + body
        elif "title" in columns and "category" not in columns:
            heading = title or section
        task = PlanTask(number, _title(body), body, index + 1, heading)
        found.append((task, roles))
    close_sheet()
    return found


# --- Tasks ----------------------------------------------------------------------------


def _node_text(node: _Node) -> str:
    parts = [node.head.text] + [p.text for p in node.paragraphs]
    return "\n".join(part for part in parts if part)


def _path(node: _Node) -> list[_Node]:
    path = []
    while node is not None and node.kind != "root":
        path.append(node)
        node = node.parent
    return list(reversed(path))


def _number(node: _Node, paragraph: int | None, *, full: bool) -> str:
    out = ""
    for step in _path(node):
        if step.kind in ("top", "section") and not full:
            continue
        if step.kind in ("section", "subitem"):
            out += f"({step.key})"
        else:
            out += step.key
    if paragraph is not None:
        out += f".{paragraph}"
    return out


def _section_title(node: _Node) -> str:
    for step in reversed(_path(node)[:-1] if node.kind != "root" else []):
        if step.kind in ("section", "top", "item") and step.is_heading():
            return step.head.text.rstrip("。")
    return ""


@dataclass
class _Found:
    node: _Node
    paragraph: int | None  # the paragraph's position under a heading, or None for the node
    text: str
    line: int
    roles: _Roles


def _select(node: _Node, found: list[_Found], inherited: list[_Roles]) -> None:
    """The tasks under ``node``: the most specific numbered items or paragraphs that carry
    responsibility; items that only head such tasks pass their own units down."""
    if node.head.roles.unit_heading and node.children and not node.head.text:
        # A unit's heading ("1、市环保局负责：") over its duties: each duty is a task.
        for child in node.children:
            _select(child, found, [*inherited, node.head.roles])
        return
    carrying_children = [child for child in node.children if child.subtree_carries()]
    own = [p for p in node.paragraphs if p.roles.any()]
    if (
        len(node.children) >= 2
        and carrying_children == node.children[-1:]
        and not node.children[-1].children
        and all(
            p.fields
            for p in [node.children[-1].head, *node.children[-1].paragraphs]
            if p.roles.any()
        )
        and not any(
            p.roles.any()
            for p in [node.children[-1].head, *node.children[-1].paragraphs]
            if not p.fields
        )
    ):
        # "3、加强X。（1）…（2）…" then 责任单位/完成时限 lines: they close item 3, not (2).
        roles = _Roles()
        for paragraph in [node.head, *node.paragraphs]:
            roles.merge(paragraph.roles)
        last = node.children[-1]
        for paragraph in [last.head, *last.paragraphs]:
            roles.merge(paragraph.roles)
        text = "\n".join([_node_text(node), *(_node_text(child) for child in node.children)])
        found.append(_Found(node, None, text, node.line, roles))
        return
    if carrying_children:
        passed = inherited + [node.head.roles]
        kinds = {child.kind for child in carrying_children}
        for child in node.children:
            if child in carrying_children:
                _select(child, found, passed)
            elif child.kind in kinds and not child.is_heading():
                _select(child, found, passed)  # a sibling without units inherits the heading's
        for index, paragraph in enumerate(own, start=1):
            if paragraph.line > node.line:
                found.append(_Found(node, index, paragraph.text, paragraph.line, paragraph.roles))
        return
    if own and (
        len(own) >= 2
        or (node.is_heading() and not node.head.roles.any() and not own[0].roles.opening)
    ):
        # Paragraphs under a heading, each closed by its units (seed 001); the heading's
        # own units pass to them.
        chain = [*inherited, node.head.roles]
        for index, paragraph in enumerate(own, start=1):
            roles = _inherit(paragraph.roles, chain)
            found.append(_Found(node, index, paragraph.text, paragraph.line, roles))
        return
    roles = _Roles()
    roles.merge(node.head.roles)
    for paragraph in node.paragraphs:
        roles.merge(paragraph.roles)
    # Sub-items without units of their own are part of the task ("1.加强X（…牵头）" over
    # "（1）…（2）…"): their text too, for the targets they state.
    text = "\n".join([_node_text(node), *(_subtree_text(child) for child in node.children)])
    found.append(_Found(node, None, text, node.line, _inherit(roles, inherited)))


def _subtree_text(node: _Node) -> str:
    return "\n".join([_node_text(node), *(_subtree_text(child) for child in node.children)])


def _inherit(own: _Roles, chain: list[_Roles]) -> _Roles:
    """A task's roles, those it does not state taken from the headings above it."""
    roles = _Roles()
    roles.merge(own)
    for parent_roles in reversed(chain):
        for role in ("lead", "support", "implementing", "responsible", "supervising"):
            if role in ("lead", "support") and own.responsible:
                # The task's own list names its lead: a heading's "（省发改委总牵头）"
                # coordinates the section and does not lead each task (浙江 2014).
                continue
            if not getattr(roles, role) and getattr(parent_roles, role):
                getattr(roles, role).extend(getattr(parent_roles, role))
        roles.due = roles.due or parent_roles.due
    return roles


def _fallback(node: _Node, found: list[_Found]) -> None:
    """A plan that names no units: its numbered items (or, without items, its sections)
    are the tasks; an item that heads sub-items is their parent."""
    numbered = [child for child in node.children if child.kind in ("item", "subitem", "circle")]
    if numbered:
        for child in numbered:
            if any(c.kind in ("subitem", "circle") for c in child.children) and (
                child.is_heading() or not child.paragraphs
            ):
                _fallback(child, found)
            elif not child.is_heading() or child.paragraphs:
                found.append(_Found(child, None, _node_text(child), child.line, _Roles()))
        return
    sections = [child for child in node.children if child.kind == "section"]
    for child in sections:
        if any(c.kind in ("item", "subitem") for c in child.children):
            _fallback(child, found)
        elif child.paragraphs or not child.is_heading():
            found.append(_Found(child, None, _node_text(child), child.line, _Roles()))


def parse_plan(text: str, *, known_units: frozenset[str] | set[str] = frozenset()) -> PlanDocument:
    """Read a plan; raise PlanError naming the line it cannot read.

    ``known_units`` are the names (current, aliases, former) the registry of the
    plan's jurisdiction knows: they complete lists like "交警二大队、八大队".
    """
    if "\x00" in text:
        raise PlanError(1, "the file is binary, not text")
    lines = text.splitlines()
    heads = [i for i, line in enumerate(lines) if _TOP.match(line) and "\t" not in line]
    has_table = any("\t" in line and _header(line.split("\t")) for line in lines)
    title, issuer, number, date = _metadata(lines)
    area = area_names(issuer) if issuer else []
    if not area and (
        found := re.match(
            r"^[\u4e00-\u9fff“”\"]*?([\u4e00-\u9fff]{1,6}?[省市区县])", title.strip('“”"')
        )
    ):
        area = [found.group(1)]
    if not area and (found := re.search(r"([\u4e00-\u9fff]{2,4}[省市区县])", title)):
        area = [found.group(1)]
    level_prefix = area[-1][-1] if area else ""
    year = _plan_year(title, number, date, text)
    naming = _Naming(
        level_prefix,
        tuple(name[:-1] for name in area if len(name) > 2),
        frozenset(known_units),
        year,
    )

    preamble: list[_Paragraph] = []
    outline = _outline(lines, naming, preamble)
    goals = _goals(outline)
    found: list[_Found] = []
    # Duty lines before any numbered section, each opened by its unit ("市建设局:负责…",
    # a page of a plan that starts in its list of departmental duties, 潍坊): tasks.
    for paragraph in preamble:
        if paragraph.roles.unit_heading:
            key = str(sum(1 for item in found) + 1)
            node = _Node("item", key, paragraph.line, paragraph)
            found.append(_Found(node, None, paragraph.text, paragraph.line, paragraph.roles))
    if len(found) < 2:
        found = []  # one line addressed to a unit ("市环保局:…", a letter) is no duty list
    leading = list(found)
    if not heads and outline:
        # No 一、二、: a page of a longer plan ("(五)…行动 22.…", PDF text). Its outline
        # counts only when it carries units.
        whole = _Node("top", "", outline[0].line, _Paragraph(outline[0].line, ""))
        for node in outline:
            node.parent = whole
        whole.children = outline
        outline = [whole] if whole.subtree_carries() else []
    elif heads and outline and outline[0].kind != "top":
        # A page that opens inside a section ("2.…由市安监局负责" and then "三、实施步骤"):
        # the items before the first 一、 are that section's, and count when they carry units.
        first = next((i for i, node in enumerate(outline) if node.kind == "top"), len(outline))
        opening = _Node("top", "", outline[0].line, _Paragraph(outline[0].line, ""))
        for node in outline[:first]:
            node.parent = opening
        opening.children = outline[:first]
        outline = ([opening] if opening.subtree_carries() else []) + outline[first:]
    work = [
        node
        for node in outline
        if node.kind == "top"
        and (node.subtree_carries() or not _NOT_TASK_SECTIONS.search(node.head.text))
    ]
    if any(node.subtree_carries() for node in work):
        for node in work:
            if node.subtree_carries():
                _select(node, found, [])
    elif leading:
        pass  # the numbered sections after the duty lines assign no work
    else:
        for node in work:
            _fallback(node, found)
        if not found and all(not node.children for node in work):
            # A letter: its numbered paragraphs (一、二、) are the tasks, and the units it
            # is addressed to ("各县区生态环境局、水利(水务)局：", 宿州 2019) do them. (A
            # plan's covering notice is addressed too, but its tasks are numbered items.)
            addressees = _addressees(lines, heads[0] if heads else len(lines), naming)
            found = [
                _Found(node, None, _node_text(node), node.line, _Roles())
                for node in work
                if not node.is_heading()
            ]
            for item in found:
                if addressees:
                    item.roles.responsible.append(list(addressees))
    table = _table_tasks(lines, naming)
    if table and not any(item.roles.any() for item in found):
        # The body names no unit and an attached table divides the work ("附件：重点任务
        # 分工表"): the table's rows are the tasks, not the body's items again.
        found = []
    if not found and not table and goals and _quantified(goals) >= 2:
        pass  # the beginning of a plan, its objectives section and no task yet (玉林 2019)
    elif not found and not table and (stated := _stated_goals(lines)):
        # The beginning of a plan that states its goals and no task yet ("总体目标：…
        # 具体指标：到2020年，…", 屯昌 2018): its targets are worth importing.
        goals = goals or stated
    elif not found and not table:
        if not heads and not has_table:
            raise PlanError(
                1, "no numbered sections (一、二、…) and no task table: this is not a plan"
            )
        raise PlanError(heads[0] + 1 if heads else 1, "no numbered tasks found: this is not a plan")

    separate_support = any(f.roles.support for f in found if f.roles.responsible) or any(
        roles.support for _task, roles in table
    )
    # "排在前位为牵头部门": the first group of a 责任单位 list leads (肥城 2017).
    # "列第一位者为牵头部门" (浙江 2014): the same, within one list.
    front = bool(re.search(r"(?:排|列)在?(?:前位|首位|前面|第一位)(?:者|的)?为牵头", text))
    tasks: list[PlanTask] = []
    defaults: dict[str, list[str]] = {}
    numbers_short = [_number(f.node, f.paragraph, full=False) for f in found]
    full = len(set(numbers_short)) < len(numbers_short) or any(
        f.paragraph is not None for f in found
    )
    for item in found:
        task = PlanTask(
            _number(item.node, item.paragraph, full=full),
            _title(item.text),
            item.text,
            item.line,
            _section_title(item.node),
        )
        _assign(task, item.roles, defaults, separate_support, front)
        tasks.append(task)
    for task, roles in table:
        _assign(task, roles, defaults, separate_support or bool(roles.support), front)
        tasks.append(task)
    # The importer finds a task again by its number: numbers are unique ("表3", "表3-2"
    # for rows of a second table numbered like the text).
    numbers: set[str] = set()
    for task in tasks:
        if task.number in numbers:
            base = f"表{task.number}" if not task.number.startswith("表") else task.number
            task.number, serial = base, 1
            while task.number in numbers:
                serial += 1
                task.number = f"{base}-{serial}"
        numbers.add(task.number)
    return PlanDocument(title, issuer, number, date, tasks, goals, area, level_prefix, year)


_GOAL_LABEL = re.compile(r"^\s*(?:总体|主要|具体|工作|约束性|预期性)?(?:目标|指标)\s*[:：]")


def _quantified(goals: list[tuple[int, str]]) -> int:
    from ecogov.domain.targets import extract_targets

    return sum(
        1 for _line, text in goals for target in extract_targets(text) if target.value is not None
    )


def _stated_goals(lines: list[str]) -> list[tuple[int, str]]:
    """Paragraphs labelled as goals ("具体指标：…") that state at least two quantified
    targets; none in a document that is no plan."""
    from ecogov.domain.targets import extract_targets

    goals: list[tuple[int, str]] = []
    within = False
    for index, line in enumerate(lines):
        text = _clean(line)
        if _GOAL_LABEL.match(line):
            goals.append((index + 1, text))
            within = True
        elif within and text and (_classify(text) or re.match(r"^\S{2,8}[：:]", text)):
            within = False
        elif within and text:
            # The paragraphs after a "具体指标：" line go on stating its goals (屯昌 2018).
            goals.append((index + 1, text))
    found = [
        target
        for _line, text in goals
        for target in extract_targets(text)
        if target.value is not None
    ]
    return goals if len(found) >= 2 else []


def _addressees(lines: list[str], end: int, naming: _Naming) -> list[str]:
    """The units a letter is addressed to: "各县区生态环境局、水利(水务)局：" before its body."""
    for line in lines[:end]:
        text = _clean(line)
        if text.endswith(("：", ":")) and len(text) <= 80 and _looks_like_units(text[:-1]):
            return naming.expand(text[:-1])
    return []


def _is_government_below(unit: str) -> bool:
    """ "各县(区)政府", "市直园区管委会", "各镇街区", "乡镇政府": governments that carry work
    out; not "各县区生态环境局" (departments)."""
    return bool(_GOVERNMENT.search(_core(unit))) or (
        unit.startswith("各")
        and not _DEPARTMENT_END.search(unit)
        and not re.search(r"(?:单位|部门|企业|公司)$", unit)  # 各单位庭园(居住区)所属单位
    )


def _assign(
    task: PlanTask,
    roles: _Roles,
    defaults: dict[str, list[str]],
    separate_support: bool,
    front: bool = False,
) -> None:
    task.lead = list(roles.lead)
    task.support = list(roles.support)
    task.supervising = list(roles.supervising)
    task.implementing = list(roles.implementing)
    groups = [group for group in roles.responsible if group]
    flat = [unit for group in groups for unit in group]
    if flat:
        # 责任单位 beside 配合单位, or governments named together ("各区委、区政府"): all
        # lead. Alone, the first unit (or the first comma-separated group) leads; later
        # groups of governments below carry the task out, the other units support.
        if task.lead:
            # "（牵头单位：…；责任单位：各县区政府）": the governments carry it out.
            for unit in flat:
                if unit in task.lead + task.support + task.implementing:
                    continue
                (task.implementing if _is_government_below(unit) else task.support).append(unit)
        elif separate_support or all(unit.startswith("各") for unit in flat):
            task.lead.extend(flat)
        else:
            head = [u for u in groups[0] if not _is_government_below(u)] or groups[0]
            first = groups[0] if len(groups) > 1 and front else head[:1]
            task.lead.extend(first)
            rest = []
            for unit in groups[0]:
                if unit in first:
                    continue
                if _is_government_below(unit) and head is not groups[0]:
                    task.implementing.append(unit)  # "乡镇政府、开发区管委会、县生态环境局"
                else:
                    rest.append(unit)
            for group in groups[1:]:
                if len(groups) > 1 and all(_is_government_below(unit) for unit in group):
                    task.implementing.extend(u for u in group if u not in task.implementing)
                else:
                    rest.extend(group)
            task.support[:0] = [u for u in rest if u not in task.support and u not in task.lead]
    for role, units in defaults.items():
        bucket = getattr(task, role)
        if role == "implementing" or not bucket:
            bucket.extend(unit for unit in units if unit not in bucket)
    if stated := roles.defaults.get("same"):
        role = next(
            (
                r
                for r in ("lead", "support", "implementing")
                if all(u in getattr(task, r) for u in stated)
            ),
            "implementing",
        )
        if role == "implementing":
            task.implementing.extend(u for u in stated if u not in task.implementing)
        defaults.setdefault(role, stated)
    task.due = roles.due or text_deadline(task.text)
    task.deadline = ledger_deadline(task.due)


def _goals(outline: list[_Node]) -> list[tuple[int, str]]:
    """(line, paragraph) of the objectives: the paragraphs under a heading naming 目标."""
    goals: list[tuple[int, str]] = []

    def walk(node: _Node, in_goals: bool) -> None:
        here = in_goals or (node.is_heading() and bool(_GOALS.search(node.head.text)))
        if here and node.kind != "top" and not node.is_heading() and node.head.text:
            goals.append((node.line, node.head.text))
        if here:
            goals.extend((p.line, p.text) for p in node.paragraphs)
        for child in node.children:
            walk(child, here)

    for node in outline:
        if node.kind == "top" and not (
            _GOALS.search(node.head.text) or _NOT_TASK_SECTIONS.search(node.head.text)
        ):
            continue
        walk(node, False)
    return goals
