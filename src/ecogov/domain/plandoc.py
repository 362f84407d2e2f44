"""Parser for action-plan documents (实施方案), such as seeds 004 and 001.

Framework-free. A plan has top sections (一、二、…); the ones that carry work hold
numbered items. Two layouts occur in the seeds:

- seed 004: ``1、title。text`` followed by ``责任单位：`` / ``配合单位：`` /
  ``完成时限：`` lines; an item may instead hold sub-items ``（1）…`` that carry
  their own units (the item is then their parent, not a task of its own);
- seed 001: ``1.heading`` followed by paragraphs, each a task ending with
  ``（监管部门：…）``; a document-wide default is stated once:
  ``（责任单位：各区委、区政府，以下均需各区委、区政府落实，不再列出。…）``.

The text comes from PDF and web conversions: sentences and even unit names are split
by page breaks, punctuation is half ASCII, characters are missing. Every task keeps
the line on which it starts.
"""

import datetime
import re
from dataclasses import dataclass, field

from ecogov.domain.dutylist import area_names
from ecogov.domain.unitnames import expand_shared_prefix

ONGOING = "ongoing"

_CN_NUMERAL = "一二三四五六七八九十"
_TOP = re.compile(rf"^\s*([{_CN_NUMERAL}]+)\s*、\s*(\S.*?)\s*$")
_SECTION = re.compile(rf"^\s*[（(]\s*([{_CN_NUMERAL}]*)\s*[）)]\s*(\S.*?)\s*$")
_ITEM = re.compile(r"^\s*(\d{1,2})\s*[、.．]\s*(\S.*?)\s*$")
_SUBITEM = re.compile(r"^\s*[（(]\s*(\d{1,2})\s*[）)]\s*(\S.*?)\s*$")
_FIELD = re.compile(
    r"^\s*(责任单位|牵头单位|配合单位|协办单位|完成时限|时间节点|监管部门|监管单位)\s*[：:]\s*(.*?)\s*$"
)
_INLINE = re.compile(
    r"[（(]\s*((?:责任单位|牵头单位|配合单位|监管部门|监管单位)\s*[:：][^（()）]*)[）)]\s*$"
)
_INLINE_PART = re.compile(r"(责任单位|牵头单位|配合单位|监管部门|监管单位)\s*[:：]\s*")
_DEFAULT_MARK = re.compile(r"以下均需|不再列出|以下均由")
_TERMINAL = "。！？；;）)”"
_ROLES = {
    "责任单位": "lead",
    "牵头单位": "lead",
    "配合单位": "support",
    "协办单位": "support",
    "监管部门": "supervising",
    "监管单位": "supervising",
}
_NOT_TASK_SECTIONS = re.compile(
    r"总体要求|指导思想|基本原则|工作目标|主要目标|保障措施|组织实施|工作要求"
)
_GOALS = re.compile(r"目标")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]+\s*[〔\[［]\s*\d{4}\s*[〕\]］]\s*\d+\s*号$")
_DEADLINE = re.compile(r"(\d{4})\s*年\s*(?:(\d{1,2})\s*月)?\s*(底|末|前|内|中旬|上旬|下旬)?")
_ONGOING_WORDS = re.compile(r"持续推进|长期坚持|长期|持续开展|常态化|持续")
# A prefix that makes a unit name complete: 市/区/县/省 (not 区域), 团区委, 各…
_AREA_PREFIX = re.compile(
    r"^(?:市(?!场)|区(?!域)|县|省|团|各|中共|[\u4e00-\u9fff]{2,3}(?:市|区|县|旗|镇))"
)
_DEPARTMENT_END = re.compile(r"(局|委|办|委员会|中心|大队|支队|站|所)$")


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
    deadline: str | None = None


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


def _clean(text: str) -> str:
    """Drop the blanks PDF conversion puts between Chinese characters and digits."""
    text = re.sub(r"(?<=[\u4e00-\u9fff\d])\s+(?=[\u4e00-\u9fff\d%（(])", "", text.strip())
    return re.sub(r"(?<=[（(])\s+|\s+(?=[）)])", "", text)


def parse_deadline(text: str) -> str | None:
    """2026年12月底 → "2026-12"; 2024年底 → "2024-12"; 持续推进 → "ongoing"; else None."""
    text = _clean(text)
    if not text:
        return None
    match = _DEADLINE.search(text)
    if match:
        year, month = int(match.group(1)), int(match.group(2) or 12)
        if 1 <= month <= 12:
            return f"{year:04d}-{month:02d}"
    if _ONGOING_WORDS.search(text):
        return ONGOING
    return None


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

    "市发改委、工信局、能源局" → 市发改委, 市工信局, 市能源局 (the plan's own level
    prefix completes a bare department name); "交警二大队、八大队" → 交警八大队 when
    the registry knows it; "各区委、区政府" → 各区委, 各区政府.
    """
    items = [_clean(part) for part in re.split(r"[、，,；;]", _clean(text)) if part.strip()]
    items = [item.rstrip("。.") for item in items if item.rstrip("。.")]
    expanded = expand_shared_prefix(items, known) if known else list(items)
    result: list[str] = []
    for index, item in enumerate(expanded):
        if item not in known:
            previous = result[-1] if result else ""
            if previous.startswith("各") and not item.startswith("各"):
                item = "各" + item
            elif (
                not _AREA_PREFIX.match(item)
                and not item.startswith(stems or ("\0",))
                and _DEPARTMENT_END.search(item)
                and len(item) <= 10
                and (index > 0 or level_prefix)
            ):
                item = level_prefix + item
        if item not in result:
            result.append(item)
    return result


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
        if _TOP.match(stripped):
            break
        if not title and len(stripped) <= 80 and not stripped.endswith("。"):
            title = stripped
            continue
        if _DOC_NUMBER.match(stripped) and number is None:
            number = stripped
        if source := re.search(r"来源\s*[:：]\s*(\S+)", line):
            issuer = source.group(1)
        if stripped.endswith("文件") and issuer is None:
            issuer = stripped[: -len("文件")]
        if (found := _DATE.search(stripped)) and date is None and len(stripped) < 80:
            try:
                date = datetime.date(*(int(part) for part in found.groups()))
            except ValueError:
                date = None
    return title, issuer, number, date


@dataclass
class _Block:
    """A paragraph, with the line of each character so that page breaks can be joined."""

    line: int
    text: str


def _paragraphs(lines: list[str], start: int, end: int) -> list[tuple[str, object, _Block]]:
    """Classify the lines of a section: headings, fields, and joined text paragraphs."""
    out: list[tuple[str, object, _Block]] = []
    for index in range(start, end):
        raw = lines[index]
        if not raw.strip():
            continue
        number = index + 1
        text = raw.strip()
        if match := _FIELD.match(text):
            out.append(("field", match.group(1), _Block(number, match.group(2))))
            continue
        if match := _SUBITEM.match(text):
            out.append(("subitem", match.group(1), _Block(number, _clean(match.group(2)))))
            continue
        if match := _ITEM.match(text):
            out.append(("item", match.group(1), _Block(number, _clean(match.group(2)))))
            continue
        if match := _SECTION.match(text):
            out.append(("section", match.group(1), _Block(number, _clean(match.group(2)))))
            continue
        previous = out[-1] if out else None
        if (
            previous
            and previous[0] in ("item", "section", "subitem")
            and _is_heading(previous[2].text)
        ):
            previous = None  # "1.全面推进黄河流域高质量发展" heads paragraphs; it is not split text
        if previous and previous[0] == "field":
            # A unit list broken by a page break: "区市政公用服务" + "中心".
            previous[2].text += text
            continue
        if (
            previous
            and previous[0] != "field"
            and previous[2].text
            and previous[2].text[-1] not in _TERMINAL
        ):
            previous[2].text += _clean(text)
            continue
        out.append(("text", None, _Block(number, _clean(text))))
    return out


def _is_heading(text: str) -> bool:
    return len(text) <= 30 and not re.search(r"[。；;，,]", text)


@dataclass(frozen=True)
class _Naming:
    """How this plan writes unit names, and the names the registry knows."""

    level_prefix: str
    stems: tuple[str, ...]
    known: frozenset[str]

    def expand(self, text: str) -> list[str]:
        return expand_units(
            text, level_prefix=self.level_prefix, known=self.known, stems=self.stems
        )


def _add_units(task: PlanTask, role: str, units: list[str]) -> None:
    bucket = getattr(task, role)
    bucket.extend(unit for unit in units if unit not in bucket)


def _apply_field(task: PlanTask, name: str, value: str, naming: _Naming) -> None:
    if name in ("完成时限", "时间节点"):
        task.deadline = parse_deadline(value)
    else:
        _add_units(task, _ROLES[name], naming.expand(value))


def _split_inline(text: str) -> tuple[str, list[tuple[str, str]], bool]:
    """Take the trailing （监管部门：…） off a paragraph: (text, [(field, units)], is_default)."""
    match = _INLINE.search(text)
    if not match:
        return text, [], False
    inner = match.group(1)
    parts = _INLINE_PART.split(inner)
    fields = []
    default = False
    for name, value in zip(parts[1::2], parts[2::2], strict=True):
        value = value.strip().rstrip("。.，,")
        if _DEFAULT_MARK.search(value):
            default = True
            value = re.split(r"[,，]\s*(?:以下均需|以下均由)", value)[0]
        fields.append((name, value))
    return text[: match.start()].rstrip(), fields, default


def parse_plan(text: str, *, known_units: frozenset[str] | set[str] = frozenset()) -> PlanDocument:
    """Read a plan; raise PlanError naming the line it cannot read.

    ``known_units`` are the names (current, aliases, former) the registry of the
    plan's jurisdiction knows: they complete lists like "交警二大队、八大队".
    """
    if "\x00" in text:
        raise PlanError(1, "the file is binary, not text")
    lines = text.splitlines()
    heads = [
        (i, m.group(1), _clean(m.group(2)))
        for i, line in enumerate(lines)
        if (m := _TOP.match(line))
    ]
    if not heads:
        raise PlanError(1, "no numbered sections (一、二、…): this is not a plan")
    title, issuer, number, date = _metadata(lines)
    area = area_names(issuer) if issuer else []
    if not area and (
        found := re.match(
            r"^[\u4e00-\u9fff“”\"]*?([\u4e00-\u9fff]{1,6}?[市区县])", title.strip('“”"')
        )
    ):
        area = [found.group(1)]
    if not area and (found := re.search(r"([\u4e00-\u9fff]{2,4}[市区县])", title)):
        area = [found.group(1)]
    level_prefix = area[-1][-1] if area else ""
    naming = _Naming(
        level_prefix, tuple(name[:-1] for name in area if len(name) > 2), frozenset(known_units)
    )

    tasks: list[PlanTask] = []
    goals: list[tuple[int, str]] = []
    defaults: dict[str, list[str]] = {}
    for n, (start, numeral, heading) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        blocks = _paragraphs(lines, start + 1, end)
        in_goals = bool(_GOALS.search(heading))
        has_items = any(kind == "item" for kind, _key, _block in blocks)
        if not has_items or _NOT_TASK_SECTIONS.search(heading):
            section_goals = in_goals
            for kind, _key, block in blocks:
                if kind == "section":
                    section_goals = bool(_GOALS.search(block.text))
                    continue
                if section_goals and kind == "text":
                    goals.append((block.line, block.text))
            continue
        _read_tasks(blocks, numeral, naming, tasks, defaults)
    if not tasks:
        raise PlanError(heads[0][0] + 1, "no numbered tasks found: this is not a plan")
    for task in tasks:
        for role, units in defaults.items():
            if not getattr(task, role):
                getattr(task, role).extend(units)
    return PlanDocument(title, issuer, number, date, tasks, goals, area, level_prefix)


def _read_tasks(
    blocks: list[tuple[str, object, _Block]],
    top: str,
    naming: _Naming,
    tasks: list[PlanTask],
    defaults: dict[str, list[str]],
) -> None:
    section_numeral, section_title = "", ""
    item: PlanTask | None = None  # the current numbered item
    item_has_text = False
    current: PlanTask | None = None  # where fields go
    paragraph_index = 0
    pending_item: PlanTask | None = None  # an item that sub-items may turn into a parent

    def add(task: PlanTask) -> PlanTask:
        tasks.append(task)
        return task

    for kind, key, block in blocks:
        if kind == "section":
            section_numeral, section_title = str(key), block.text
            item = current = pending_item = None
            continue
        if kind == "item":
            paragraph_index = 0
            body = block.text
            item_has_text = bool(re.search(r"[。；]", body)) or len(body) > 40
            item = PlanTask(str(key), _title(body), body, block.line, section_title)
            if item_has_text:
                current = pending_item = add(item)
            else:
                current = pending_item = None
            continue
        if kind == "subitem" and item is not None:
            if pending_item is not None and pending_item in tasks and not _has_units(pending_item):
                tasks.remove(pending_item)  # the item only introduces its sub-items
            pending_item = None
            number = f"{item.number}({key})"
            current = add(
                PlanTask(number, _title(block.text), block.text, block.line, section_title)
            )
            continue
        if kind == "field":
            if current is None:
                raise PlanError(block.line, "a unit or deadline line that belongs to no task")
            _apply_field(current, str(key), block.text, naming)
            continue
        # text
        if item is None:
            continue  # an introduction under a section heading
        text, inline, is_default = _split_inline(block.text)
        if item_has_text and current is not None and not inline and not _has_units(current):
            current.text += "\n" + text  # a second paragraph of the same task
            continue
        paragraph_index += 1
        number = _paragraph_number(top, section_numeral, item.number, paragraph_index)
        current = add(PlanTask(number, _title(text), text, block.line, section_title))
        for name, value in inline:
            units = naming.expand(value)
            _add_units(current, _ROLES[name], units)
            if is_default and _ROLES[name] == "lead":
                defaults.setdefault("lead", units)


def _has_units(task: PlanTask) -> bool:
    return bool(task.lead or task.support or task.supervising or task.deadline)


def _paragraph_number(top: str, section: str, item: str, paragraph: int) -> str:
    """Paragraphs under a numbered heading (001) are numbered "二(一)1.2": top section,
    programme, heading, paragraph. Items numbered in the text (004) keep their number."""
    return f"{top}({section}){item}.{paragraph}" if section else f"{top}{item}.{paragraph}"
