"""Goals (目标) stated in the text of an action plan, such as seeds 001 and 004.

Framework-free. A plan states its goals as clauses like "到2026年，全区森林覆盖率达到
31.48%以上" (seed 004 §二): an indicator, a comparison, a value or a qualitative
reference ("III类", "市控标准"), a unit, and a target year given once at the head of the
sentence. The text comes from PDF and web conversions, so numbers carry spaces ("到 2026
年"), separators go missing ("分别达到97%45%以上", "达到100%2030年", seed 001 §二.(一).4
and §二.(二).2) and numerals drop out ("水质稳定保持在类", seed 001 §一.(三)).

The extractor prefers precision to recall: a clause is a goal only when it *ends* with a
comparison and a value ("…达到60%以上"), so numbers that merely describe something
("35蒸吨以下燃煤锅炉", "237处混错接点位", "3个月内制定") are never taken for goals.

Decisions, for the points the plans leave open:

- op: "以上"/"不低于"/"达到"/"保持在"/"稳定在" give ">=" (a goal reached or kept is a floor);
  "以内"/"以下"/"之内"/"不超过"/"不高于"/"控制在" give "<="; "超过"/"突破"/"高于" give ">",
  "低于" gives "<". A water class after a plain "达到" gives "==" with reference "III类"
  (">=" would need an order on classes, and "III类" is the class to report against);
  "达到或优于III类" gives ">=".
- Reductions and increases ("较2020年下降20%") are floors on the change: op ">=", value
  20, and the verb and baseline stay in the indicator ("万元GDP用水量…较2020年下降").
- Magnitudes: "万" before a counted unit (台, 辆, 家, 座, 个…) multiplies: "1.4万台" is
  14000 台. Any other magnitude stays in the unit as the plans report it ("2.33亿立方米"
  is 2.33 亿立方米, "万吨", "万亩"): statistics are kept in those units.
- Indicators drop a scope prefix that only repeats the plan's territory (全区, 全市, 全县,
  全省, 全旗) but keep qualifiers that select a population (城区, 建成区, 农区, 城市,
  农村, 工业). Indicators are NFKC-normalised (full-width brackets to ASCII, Ⅲ to III)
  and "PM_{2.5}" is read as "PM2.5", so one indicator compares equal across plans.
- "A和B" stays one indicator ("主要污染物减排和碳排放强度", "集中供汽和供热率均达到100%");
  only a list with as many values as names is split ("A、B分别达到97%45%以上"), or rates
  that each name their own ratio and share one value ("收集处理率和中水回用率均达到100%").
- A clause without an indicator continues the previous goal of its sentence: "2025年底前
  分别达到98%60%以上" and "原煤本地入洗率达到90%以上,2035年达到100%". A bare "处理率"
  after "城区生活污水收集率" stays as written: guessing its subject fails elsewhere
  ("力争收集率达到90%" follows "尾水使用率").
- Aspirational goals: 力争/争取/努力 in a clause, or in the year that heads it ("力争到2025年，
  A达到…，B突破…"), make the goal ``aspirational``; a plan commits to the others.
- Years: a year ("到2026年", "2025年", "2023年底前") holds for the rest of its sentence
  until another year appears; a baseline ("较2020年") or a range ("2024-2025年") is not a
  target year; without a year, default_year.
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["Target", "extract_targets"]


@dataclass(frozen=True)
class Target:
    indicator: str
    op: str  # ">=", "<=", "==", ">", "<"
    value: Decimal | None  # None for a qualitative goal
    reference: str | None  # qualitative wording ("III类", "基本稳定", "市控标准")
    unit: str | None
    year: int | None
    text: str  # the clause as written, whitespace-normalised
    # A goal the plan strives for (力争, 争取, 努力) rather than commits to.
    aspirational: bool = False


# --- Text normalisation ---------------------------------------------------------------

_SPACES = re.compile(r"[ \t\u3000\xa0]+")
_LATIN = re.compile(r"[A-Za-z]")


def _squeeze(line: str) -> str:
    """Drop the spaces PDF conversion puts into Chinese text and numbers ("到 2026 年",
    "20 mg/m³"), keeping one space between two Latin words."""

    def replace(match: re.Match[str]) -> str:
        before = line[match.start() - 1] if match.start() else ""
        after = line[match.end()] if match.end() < len(line) else ""
        if _LATIN.match(before) and _LATIN.match(after):
            return " "
        return ""

    return _SPACES.sub(replace, line).strip()


_LINE_END = tuple("。！？!?；;：:)）")


# Who answers for a task, appended to its paragraph: "(监管部门:市水务局、工信局)" (seed
# 001). Not part of any clause.
_UNIT_NOTE = re.compile(r"[（(](?:监管部门|监管单位|责任单位)[:：][^()（）]*[)）]")


def _sentences(text: str) -> list[str]:
    """Sentences of the text. A line that holds a clause but does not end one was broken
    by a page ("精\\n\\n准提升森林质量", seed 004 §三.3) and goes on on the next line;
    headings ("二、工作目标") and list items stand alone."""
    paragraphs: list[str] = []
    carry = ""
    for raw in text.splitlines():
        line = carry + _squeeze(raw)
        if line == carry:
            continue
        if re.search(r"[。，；,;]", line) and not line.endswith(_LINE_END):
            carry = line
            continue
        carry = ""
        paragraphs.append(_UNIT_NOTE.sub("", line))
    if carry:
        paragraphs.append(_UNIT_NOTE.sub("", carry))
    sentences: list[str] = []
    for paragraph in paragraphs:
        sentences.extend(s for s in re.split(r"(?<=[。！？!?])", paragraph) if s.strip("。！？!? "))
    return sentences


def _analysable(clause: str) -> str:
    """The clause as the patterns read it: NFKC (full-width to ASCII, Ⅲ to III), PM_{2.5}
    as PM2.5, and without notes in brackets ("(不含应急生态补水)", seed 001 §二.(一).4)."""
    text = unicodedata.normalize("NFKC", clause)
    text = re.sub(r"_\{([^{}]*)\}", r"\1", text)
    # "到2009年3月底处理能力达到…", "2010年6月底前…": the month of a target time is the
    # year's (a day, "2022年11月21日", stays a date and is no target year).
    text = re.sub(r"((?:19|20)\d{2})年\d{1,2}月(?:底|末)(前)?(?!\d)", r"\1年\2", text)
    # "至少完成一个示范项目" (seed 001): a count in words after 至少 is a count.
    text = re.sub(
        rf"至少(完成|建成|建设|创建|新建|打造|培育)?([一二两三四五六七八九十])(?=(?:{_COUNT_UNITS}))",
        lambda m: (m.group(1) or "") + str(_SMALL_NUMERALS[m.group(2)]),
        text,
    )
    return _NOTE.sub("", text)


_SMALL_NUMERALS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)} | {"两": 2}
# Bracketed notes; short labels such as "(PM2.5)" or "(自治区)" stay.
_NOTE = re.compile(r"\((?:不含|含|即|不低于|不高于|不超过|[^()]*除外)[^()]*\)")

# --- Years ----------------------------------------------------------------------------

# A target year. Not a baseline ("较2020年", "比2020年"; but "占比2023年达到" is a year),
# not the end of a range ("2024-2025年"), not a date ("2022年11月21日", "2026年12月底").
_YEAR = re.compile(
    r"(?<![较\d\-—–~至〔\[])(?:(?<=占比)|(?<!比))"
    r"((?:19|20)\d{2})年(?!\d{1,2}月|本|版)(?:底前|底|前|末|内|起)?"
)
# A year with its lead-in words, removed from the clause before the indicator is read.
_YEAR_PHRASE = re.compile(
    r"(?:确保|力争|争取|努力)?(?:到|至|截至|截止|在)?" + _YEAR.pattern + r"(?:前|以前)?"
)
_YEAR_LEAD = re.compile(r"(?:" + _YEAR_PHRASE.pattern + r")+")

# --- Clauses --------------------------------------------------------------------------

_VERB_WORDS = "达到|不低于|不少于|不超过|不高于|控制在|保持在|稳定在|下降|提高|超过|突破"
# Clause boundaries: commas and semicolons; "、" before a new year or verb ("占比2023年
# 达到50%以上、2025年达到60%以上", seed 001 §二.(五).2); a year glued to a percentage
# ("100%2030年", seed 001 §二.(一).4).
_CLAUSE_SPLIT = re.compile(
    r"([，,；;])"
    r"|(、)(?=\s*(?:到|至)?[0-9０-９]{4}年|(?:" + _VERB_WORDS + r"))"
    r"|(?<=[%％])()(?=[0-9０-９]{4}年)"
)


def _clauses(sentence: str) -> list[tuple[str, str]]:
    """(separator before, clause) pairs of a sentence."""
    parts = _CLAUSE_SPLIT.split(sentence.rstrip("。！？!?"))
    pairs: list[tuple[str, str]] = []
    separator = ""
    index = 0
    while index < len(parts):
        clause = parts[index]
        if clause:
            pairs.append((separator, clause))
        if index + 3 < len(parts):
            separator = next((p for p in parts[index + 1 : index + 4] if p), "")
        index += 4
    return pairs


# --- Goals ----------------------------------------------------------------------------

_NUMBER = r"\d+(?:\.\d+)?"
_COUNT_UNITS = "台|辆|家|座|个|处|项|户|所|人|株|套|艘"
_UNITS = (
    r"%|‰|mg/m3|μg/m3|毫克/立方米|微克/立方米"
    r"|(?:[万亿]?(?:立方米|平方米|平方公里|千米|公里|米|吨标准煤|吨标煤|吨|千瓦|亩|公顷|元)"
    # a rate: "5.2万吨/日", "0.9吨标煤/万元" (毕节 2009, 济南 2014)
    r"(?:/(?:日|天|年|小时|万元))?)"
    r"|万?(?:" + _COUNT_UNITS + r")|天|小时"
)
_AMOUNT = rf"(?:{_NUMBER})(?:{_UNITS})?"
# One amount, or several run together ("97%45%", seed 001 §二.(二).2) or listed with "、".
_AMOUNTS = rf"(?P<amounts>{_AMOUNT}(?:(?:、|和|及)?{_AMOUNT})*)"
_AMOUNT_ITEM = re.compile(rf"(?P<number>{_NUMBER})(?P<unit>{_UNITS})?")

_CLASS = r"(?P<grade>(?:I{1,3}|IV|V)类)(?:标准|水体|水质)?"
_QUOTED = r"[\"“「『](?P<quoted>[^\"”」』]{1,12})[\"”」』]"
_NAMED = r"(?P<named>(?:(?![或和及])[\u4e00-\u9fff]){1,8}(?:标准|指标|水平))"

# Verbs (longest first) and the comparison each gives when no "以上"/"以内" follows.
_VERBS: dict[str, str] = {
    "到达到": ">=",  # seed 001 §二.(一).3 "生态环境状况指数到达到35%": a slip for 达到
    "达到或优于": ">=",
    "达到或超过": ">=",
    "不低于": ">=",
    "不少于": ">=",
    "不超过": "<=",
    "不高于": "<=",
    "不多于": "<=",
    "控制在": "<=",
    "控制到": "<=",
    "降低到": "<=",
    "降低至": "<=",
    "下降到": "<=",
    "下降至": "<=",
    "降至": "<=",
    "减少到": "<=",
    "提高到": ">=",
    "提高至": ">=",
    "提升到": ">=",
    "提升至": ">=",
    "增加到": ">=",
    "保持在": ">=",
    "稳定在": ">=",
    "维持在": ">=",
    "达到": ">=",
    "超过": ">",
    "突破": ">",
    "高于": ">",
    "低于": "<",
    "达": ">=",  # "受污染耕地安全利用率达90%左右" (屯昌 2018)
}
# Changes relative to a baseline: the verb stays in the indicator.
_CHANGE_VERBS = "下降|降低|减少|提高|提升|增长|增加|净削减|削减"

_ADVERBS = r"(?:持续|稳定|力争|争取|确保|努力|均|分别|全部|逐步|基本|要|须|需|应|仍)*"
_SUFFIX = r"(?P<suffix>以上|之上|以下|以内|之内|左右)?"
_TRAILER = r"(?:并.*)?"

_VERB_PATTERN = "|".join(re.escape(verb) for verb in _VERBS)
_COMPARISON = re.compile(
    rf"^(?P<subject>.*?){_ADVERBS}(?P<verb>{_VERB_PATTERN})"
    rf"(?:{_CLASS}|{_QUOTED}|{_AMOUNTS}|{_NAMED}){_SUFFIX}{_TRAILER}$"
)
_CHANGE = re.compile(
    rf"^(?P<subject>.*?\S){_ADVERBS}(?P<verb>{_CHANGE_VERBS})"
    rf"(?P<amounts>{_AMOUNT}(?:(?:、|和|及){_AMOUNT})*){_SUFFIX}{_TRAILER}$"
)
# "淘汰50家企业落后产能", "整治300家“低散乱”企业" (浙江 2020): a count before its object.
_COUNT_BEFORE = re.compile(
    r"^(?P<before>.*?)(?P<verb>淘汰|整治|关停|取缔|建成|新建|完成|创建|培育|改造|打造|建设|推广)"
    rf"(?P<amounts>{_NUMBER}万?(?:{_COUNT_UNITS}))(?P<object>[^\d，,；;。、]{{2,20}})$"
)
# "100%的县级以上城市建成清新空气示范区", "20%以上的面积达到海绵城市要求": a share first.
_SHARE_FIRST = re.compile(
    rf"^(?P<before>[^\d]*?)(?P<amounts>{_NUMBER}%){_SUFFIX}的(?P<object>[^\d]{{2,30}})$"
)
# "城镇空气质量优良天数98%以上", "县城生活污水处理率85%" (屯昌 2018): no verb at all.
_BARE = re.compile(
    r"^(?P<subject>.*(?:率|天数|比重|指数|浓度|覆盖度))"
    rf"(?P<amounts>{_AMOUNT}){_SUFFIX}$"
)
# "累计推广电动重卡1.4万台", "2025年完成节水技术改造企业14家" (seed 001).
_COUNT = re.compile(
    r"^(?P<subject>.*?(?:累计)?(?:推广|新建|建成|完成|创建|培育|改造)[^\d]{1,20}?)"
    rf"(?P<amounts>{_NUMBER}(?:{_UNITS})){_SUFFIX}$"
)
_SHARE_OF = re.compile(
    rf"^(?P<subject>.*?{_ADVERBS}达到[^\d，,；;的]{{2,10}})的(?P<amounts>{_NUMBER}%){_SUFFIX}$"
)
# "新建建筑绿色建筑占比100%": a share with no verb.
_SHARE = re.compile(rf"^(?P<subject>.*(?:占比|比例)){_AMOUNTS}{_SUFFIX}$")

_SUFFIX_OPS = {"以上": ">=", "之上": ">=", "以下": "<=", "以内": "<=", "之内": "<=", "左右": "=="}

_LEADING_WORDS = re.compile(r"^(?:确保|力争|争取|努力|并且|并|且|同时|其中|全面|进一步)+")
# Scope prefixes that only repeat the plan's territory.
_SCOPE = re.compile(r"^(?:全区|全市|全县|全省|全旗|全镇|全乡)")
_COUNTED = re.compile(rf"万(?:{_COUNT_UNITS})$")
_UNIT_NAMES = {"mg/m3": "mg/m³", "μg/m3": "μg/m³"}


@dataclass(frozen=True)
class _Goal:
    subject: str
    op: str
    amounts: tuple[tuple[Decimal | None, str | None, str | None], ...]  # value, ref, unit


def _indicator(subject: str) -> str:
    subject = _LEADING_WORDS.sub("", subject)
    subject = _SCOPE.sub("", subject)
    # "氨氮排放总量分别比2020年下降": the adverb is not part of the name.
    subject = re.sub(
        rf"(?:分别|均)(?=(?:(?:比|较)(?:19|20)\d{{2}}年度?)?(?:{_CHANGE_VERBS})$)", "", subject
    )
    return subject.strip(" ,;:、")


def _amounts(text: str) -> tuple[tuple[Decimal | None, str | None, str | None], ...]:
    amounts = []
    for match in _AMOUNT_ITEM.finditer(text):
        value = Decimal(match["number"])
        unit = match["unit"]
        if unit and _COUNTED.search(unit):
            value *= 10000
            unit = unit[1:]
            if value == value.to_integral_value():
                value = value.quantize(Decimal(1))
        amounts.append((value, None, _UNIT_NAMES.get(unit, unit)))
    return tuple(amounts)


def _goal(core: str) -> _Goal | None:
    """The goal a clause states, without its year; None when it states none."""
    if match := _COMPARISON.match(core):
        verb, suffix = match["verb"], match["suffix"]
        if match["grade"]:
            op = ">=" if suffix == "以上" or "优于" in verb else "=="
            return _Goal(match["subject"], op, ((None, match["grade"], None),))
        op = _VERBS[verb]
        if op not in (">", "<"):  # "超过90%以上" is still more than 90
            op = _SUFFIX_OPS.get(suffix, op)
        if match["quoted"] or match["named"]:
            reference = match["quoted"] or match["named"]
            return _Goal(match["subject"], op, ((None, reference, None),))
        return _Goal(match["subject"], op, _amounts(match["amounts"]))
    if match := _SHARE_OF.match(core):
        # "处理能力达到设计能力的60%": a share of a reference, which names the indicator.
        op = _SUFFIX_OPS.get(match["suffix"], ">=")
        return _Goal(match["subject"], op, _amounts(match["amounts"]))
    if match := _CHANGE.match(core):
        # "较2020年下降20%": at least the stated change, so ">=" even for a fall; "下降5%左右"
        # is about 5 %.
        subject = match["subject"] + match["verb"]
        op = "==" if match["suffix"] == "左右" else ">="
        return _Goal(subject, op, _amounts(match["amounts"]))
    if match := _COUNT.match(core):
        return _Goal(match["subject"], ">=", _amounts(match["amounts"]))
    if match := _SHARE.match(core):
        return _Goal(
            match["subject"], _SUFFIX_OPS.get(match["suffix"], ">="), _amounts(match["amounts"])
        )
    if match := _COUNT_BEFORE.match(core):
        subject = match["before"] + match["verb"] + match["object"]
        return _Goal(subject, ">=", _amounts(match["amounts"]))
    if match := _SHARE_FIRST.match(core):
        subject = match["before"] + match["object"] + "比例"
        return _Goal(subject, _SUFFIX_OPS.get(match["suffix"], "=="), _amounts(match["amounts"]))
    if match := _BARE.match(core):
        return _Goal(
            match["subject"], _SUFFIX_OPS.get(match["suffix"], "=="), _amounts(match["amounts"])
        )
    return None


def _split_indicators(indicator: str, count: int) -> list[str] | None:
    """The names of a list ("建成区清洁供暖率、农区清洁供暖率" for two values); None
    when they do not match the values one to one."""
    for separator in ("、", "和"):
        names = [name for name in indicator.split(separator) if name]
        if len(names) == count:
            # "A、B比2015年分别下降24%、25%": the baseline and the verb are both names'.
            if tail := _SHARED_CHANGE.search(names[-1]):
                names = [
                    name if _SHARED_CHANGE.search(name) else name + tail.group(0) for name in names
                ]
            return names
    return None


# The measure is shared too: "二氧化硫和化学需氧量排放总量分别削减4.5%和3.6%" (宁夏 2010).
_SHARED_CHANGE = re.compile(
    r"(?:排放总量|排放量|总量|浓度|强度)?"
    rf"(?:(?:比|较)(?:19|20)\d{{2}}年度?)?(?:分别|均)?(?:{_CHANGE_VERBS})$"
)


_ASPIRE = re.compile(r"力争|争取|努力")


# "玉州区、福绵区、…、兴业县2019年度环境空气质量目标PM10分别为57、54、…微克/立方米,
# PM2.5分别为36、34、…" (玉林 2019): one goal per area, the areas in order with the values.
_AREA_LIST = re.compile(
    r"^(?P<areas>[\u4e00-\u9fff]{1,5}?[区县市旗](?:、[\u4e00-\u9fff]{1,5}?[区县市旗])+)"
)
_RESPECTIVELY = re.compile(
    rf"(?P<indicator>[A-Za-z][A-Za-z0-9.]*|[\u4e00-\u9fff]{{2,10}}?)分别为"
    rf"(?P<amounts>{_AMOUNT}(?:、{_AMOUNT})+){_SUFFIX}$"
)


def _area_targets(core: str, areas: list[str], year, text, aspiring) -> list[Target] | None:
    match = _RESPECTIVELY.search(core)
    if not match or not areas:
        return None
    amounts = _amounts(match["amounts"])
    if len(amounts) != len(areas):
        return None
    indicator = match["indicator"]
    concentration = bool(re.match(r"[A-Za-z]", indicator)) or "浓度" in indicator
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9.]*", indicator):
        indicator += "浓度"  # a pollutant's name stands for its concentration
    # A concentration set for an area is the most it may reach; other levels are floors.
    op = _SUFFIX_OPS.get(match["suffix"] or "", "<=" if concentration else ">=")
    unit = next((unit for _value, _ref, unit in reversed(amounts) if unit), None)
    return [
        Target(area + indicator, op, value, None, unit, year, text.strip(), aspiring)
        for area, (value, _ref, _unit) in zip(areas, amounts, strict=True)
    ]


def _sentence_targets(sentence: str, year: int | None) -> list[Target]:
    targets: list[Target] = []
    areas: list[str] = []  # the areas of a "分别为" list, for the next list of the sentence
    previous: list[str] = []  # indicators of the last goal, for a clause that has none
    lead = ""  # a clause that only gives the year ("到2026年，"), shown with the next
    aspiring = False  # "力争到2025年，…": every goal of that year in the sentence
    for separator, clause in _clauses(sentence):
        analysable = _analysable(clause)
        years = _YEAR.findall(analysable)
        striving = bool(_ASPIRE.search(analysable))
        if years:
            year = int(years[-1])
            aspiring = striving
        core = _YEAR_PHRASE.sub("", analysable)
        if _YEAR_LEAD.fullmatch(analysable):
            lead = lead + separator + clause if lead else clause
            continue
        text = f"{lead}{separator}{clause}" if lead else clause
        lead = ""
        if listed := _AREA_LIST.match(analysable):
            areas = listed["areas"].split("、")
        if (found := _area_targets(core, areas, year, text, striving or aspiring)) is not None:
            targets.extend(found)
            continue
        goal = _goal(core)
        if goal is None:
            continue
        indicator = _indicator(goal.subject)
        count = len(goal.amounts)
        if indicator and count == 1 and re.search(r"均|都", core):
            # "园区工业污水收集处理率和中水回用率均达到100%" (seed 001): two rates, one
            # value; "集中供汽和供热率均达到100%" names one rate and stays whole.
            parts = re.split(r"和|、|及", indicator)
            names = (
                parts
                if len(parts) > 1 and all(re.search(r"(?:率|比例)$", part) for part in parts)
                else [indicator]
            )
            if len(names) > 1:
                goal = _Goal(goal.subject, goal.op, goal.amounts * len(names))
                count = len(names)
        elif indicator:
            names = [indicator] if count == 1 else _split_indicators(indicator, count)
        else:
            names = previous if len(previous) == count else None
        if not names or not all(re.search(r"[\u4e00-\u9fff]", name) for name in names):
            continue
        previous = names
        # "建成投入运行三年内…达到60%以上": a time counted from an event is no target year.
        relative = not years and re.search(r"(?<!\d)[一二三四五六七八九十两\d]{1,2}个?年内", core)
        for name, (value, reference, unit) in zip(names, goal.amounts, strict=True):
            targets.append(
                Target(
                    name,
                    goal.op,
                    value,
                    reference,
                    unit,
                    None if relative else year,
                    text.strip(),
                    striving or aspiring,
                )
            )
    return targets


def extract_targets(text: str, *, default_year: int | None = None) -> list[Target]:
    """The goals stated in a plan's text, in document order.

    A year stated in a sentence holds for the goals after it in that sentence; goals in
    a sentence without a year get ``default_year``.
    """
    targets: list[Target] = []
    for sentence in _sentences(text):
        targets.extend(_sentence_targets(sentence, default_year))
    return targets
