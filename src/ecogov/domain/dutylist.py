"""Parser for duty-list documents (职责清单), such as seed 000.

Framework-free. A duty-list document names its member units (二、成员单位) and gives
each a duty paragraph (三、工作职责) headed by the unit's name. The text comes from PDF
conversions: page breaks split sentences across lines and blank lines, units share a
paragraph ("交警二大队、八大队：", "各镇办："), and later sections give some units
further duties in passing ("会议由区生态环境局组织召开"). Every clause is kept with the
line on which it starts, so that an administrator can find it in the source.
"""

import datetime
import re
from dataclasses import dataclass, field

from ecogov.domain.unitnames import (
    COLLECTIVE_NAMES,
    expand_shared_prefix,
    guess_kind,
    looks_like_unit,
    split_unit_list,
)

DUTY_SECTION = "工作职责"


class DutyListError(ValueError):
    """The document cannot be read; ``line`` is the 1-based line at fault."""

    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}")


@dataclass(frozen=True)
class Clause:
    text: str
    line: int
    section: str


@dataclass(frozen=True)
class MemberUnit:
    name: str
    kind: str
    order: int
    line: int
    duties: tuple[Clause, ...] = ()


@dataclass(frozen=True)
class DutyListDocument:
    title: str
    issuer: str
    doc_number: str
    date: datetime.date | None
    units: tuple[MemberUnit, ...]
    warnings: tuple[str, ...] = field(default=())

    @property
    def jurisdiction_path(self) -> list[str]:
        """The administrative areas named by the issuer: ["西宁市", "城中区"]."""
        return area_names(self.issuer)


_HEADING = re.compile(r"^\s*([一二三四五六七八九十]+)\s*[、.．]\s*(\S.*?)\s*$")
_SUBHEADING = re.compile(r"^\s*([(（][一二三四五六七八九十]+[)）]|\d+\s*[.．、])")
_PARAGRAPH_HEAD = re.compile(r"^\s*([^：:，,。；;、\s][^：:，,。；;]{1,60}?)\s*[：:]")
_TERMINAL = "。！？；：;:!?"
_CLAUSE_END = "；;。"
_OPEN = "（(“‘《【「"
_CLOSE = "）)”’》】」"
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]+\s*[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d+\s*号")
_AREA = re.compile(r".+?(?:特别行政区|自治区|自治州|自治县|地区|省|市|州|盟|区|县|旗)")
_ISSUER_SUFFIX = re.compile(r"(人民政府|政府)?(办公室|办公厅)?(文件)?$")


def area_names(issuer: str) -> list[str]:
    """Split the area part of an issuer into its levels: 西宁市城中区人民政府办公室 → [西宁市, 城中区]."""
    area = _ISSUER_SUFFIX.sub("", issuer.strip())
    return _AREA.findall(area) if area else []


def _clause_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(0, depth - 1)
        elif char in _CLAUSE_END and depth == 0:
            spans.append((start, index + 1))
            start = index + 1
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip(" \t\u3000。；;")]


def split_clauses(text: str) -> list[str]:
    """Split a duty paragraph at 。 and ； outside brackets and quotes, punctuation kept.

    Joining the clauses gives back the paragraph (less surrounding blanks).
    """
    return [text[a:b].strip() for a, b in _clause_spans(text)]


@dataclass
class _Paragraph:
    units: list[str]
    text: str = ""
    owner: list[int] = field(default_factory=list)  # line index of each character

    def add(self, text: str, line_index: int) -> None:
        self.text += text
        self.owner.extend([line_index] * len(text))

    def clauses(self, section: str) -> list[Clause]:
        return [
            Clause(self.text[a:b].strip(), self.owner[a] + 1, section)
            for a, b in _clause_spans(self.text)
        ]


def _sections(lines: list[str]) -> list[tuple[int, str, int, int]]:
    """Top-level sections as (heading line index, "三、工作职责", first body index, end index)."""
    heads = [
        (i, f"{m.group(1)}、{m.group(2)}")
        for i, line in enumerate(lines)
        if (m := _HEADING.match(line))
    ]
    return [
        (i, title, i + 1, heads[n + 1][0] if n + 1 < len(heads) else len(lines))
        for n, (i, title) in enumerate(heads)
    ]


def _joined(lines: list[str], start: int, end: int) -> tuple[str, list[int]]:
    """Join lines[start:end] with no separator (Chinese text), blank lines dropped.

    Returns the text and, for each of its characters, the index of its line.
    """
    text: list[str] = []
    owner: list[int] = []
    for i in range(start, end):
        stripped = lines[i].strip()
        text.append(stripped)
        owner.extend([i] * len(stripped))
    return "".join(text), owner


def _member_list(lines: list[str], start: int, end: int, heading_line: int) -> list[MemberUnit]:
    text, owner = _joined(lines, start, end)
    if not text:
        raise DutyListError(heading_line + 1, "the member-unit section (成员单位) is empty")
    colon = re.search(r"包括\s*[：:]?|[：:]", text)
    list_start = colon.end() if colon else 0
    list_end = text.find("。", list_start)
    list_end = len(text) if list_end == -1 else list_end
    units: list[MemberUnit] = []
    position = list_start
    for name in re.split(r"[、，,；;]", text[list_start:list_end]):
        line_index = owner[min(position, len(owner) - 1)]
        position += len(name) + 1
        name = name.strip()
        if not name:
            continue
        if not looks_like_unit(name):
            raise DutyListError(
                line_index + 1, f"「{name}」 in the member-unit list is not the name of a unit"
            )
        if any(unit.name == name for unit in units):
            continue
        units.append(MemberUnit(name, guess_kind(name), len(units) + 1, line_index + 1))
    return units


def _resolve_header(header: str, members: dict[str, MemberUnit]) -> list[str] | None:
    """The member units a paragraph header names, or None when it names no unit."""
    items = expand_shared_prefix(split_unit_list(header), members)
    resolved: list[str] = []
    for item in items:
        if item in members:
            resolved.append(item)
        elif item in COLLECTIVE_NAMES:
            kinds = COLLECTIVE_NAMES[item]
            resolved.extend(name for name, unit in members.items() if unit.kind in kinds)
        else:
            return None
    return resolved or None


def _duty_paragraphs(
    lines: list[str], start: int, end: int, members: dict[str, MemberUnit]
) -> list[_Paragraph]:
    paragraphs: list[_Paragraph] = []
    for i in range(start, end):
        line = lines[i].strip()
        if not line:
            continue
        head = _PARAGRAPH_HEAD.match(line)
        if head:
            names = _resolve_header(head.group(1), members)
            if names:
                paragraphs.append(_Paragraph(names))
                paragraphs[-1].add(line[head.end() :].strip(), i)
                continue
            if all(looks_like_unit(item) for item in split_unit_list(head.group(1))):
                raise DutyListError(
                    i + 1,
                    f"「{head.group(1)}」 heads a duty paragraph but is not in the "
                    "member-unit list (成员单位)",
                )
        if not paragraphs:
            raise DutyListError(
                i + 1, "text before the first duty paragraph does not name a member unit"
            )
        # A page break split the paragraph: the line continues it.
        paragraphs[-1].add(line, i)
    return paragraphs


def _mentions(
    lines: list[str], start: int, end: int, title: str, members: dict[str, MemberUnit]
) -> list[tuple[str, Clause]]:
    """Sentences of a later section that give a member unit a task by name.

    Seed 000 §四 says who convenes each meeting and that the discipline commission
    supervises the execution of resolutions: duties as binding as those of §三.
    """
    paragraphs: list[tuple[int, str]] = []
    for i in range(start, end):
        line = lines[i].strip()
        if not line:
            continue
        if paragraphs and paragraphs[-1][1][-1] not in _TERMINAL and not _SUBHEADING.match(line):
            paragraphs[-1] = (paragraphs[-1][0], paragraphs[-1][1] + line)
        else:
            paragraphs.append((i + 1, line))
    names = sorted(members, key=len, reverse=True)
    found: list[tuple[str, Clause]] = []
    for line_number, paragraph in paragraphs:
        body = _SUBHEADING.sub("", paragraph, count=1).strip()
        for sentence in re.findall(r"[^。]+。?", body):
            rest = sentence
            named: list[str] = []
            for name in names:
                if name in rest:
                    named.append(name)
                    rest = rest.replace(name, "\0")
            for name in sorted(named, key=lambda n: members[n].order):
                found.append((name, Clause(sentence.strip(), line_number, title)))
    return found


def _metadata(lines: list[str]) -> tuple[str, str, str, datetime.date | None]:
    issuer = ""
    for line in lines:
        stripped = line.strip()
        if stripped.endswith("文件") and len(stripped) > 2:
            issuer = stripped[: -len("文件")].strip()
            break
    text = "\n".join(lines)
    title = ""
    if quoted := re.search(r"印发\s*《(.+?)》", text, re.S):
        title = re.sub(r"\s+", "", quoted.group(1))
    number = _DOC_NUMBER.search(text)
    dates = _DATE.findall(text)
    date = None
    if dates:
        year, month, day = (int(part) for part in dates[-1])
        try:
            date = datetime.date(year, month, day)
        except ValueError:
            date = None
    if not issuer:
        # The signature above the date: "西宁市城中区人民政府办公室".
        for line in reversed(lines):
            stripped = line.strip()
            if re.search(r"(人民政府|办公室|委员会)$", stripped):
                issuer = stripped
                break
    return title, issuer, re.sub(r"\s+", "", number.group(0)) if number else "", date


def parse_duty_list(text: str) -> DutyListDocument:
    """Read a duty-list document; raise DutyListError naming the line it cannot read."""
    if "\x00" in text:
        raise DutyListError(1, "the file is binary, not text")
    lines = text.splitlines()
    sections = _sections(lines)
    member_section = next((s for s in sections if "成员单位" in s[1]), None)
    if member_section is None:
        raise DutyListError(
            1, "no section 成员单位 (member units): this is not a duty-list document"
        )
    duty_section = next((s for s in sections if DUTY_SECTION in s[1]), None)
    if duty_section is None:
        raise DutyListError(
            member_section[0] + 1, "no section 工作职责 (duties) after the member units"
        )
    members = {
        unit.name: unit
        for unit in _member_list(lines, member_section[2], member_section[3], member_section[0])
    }

    duties: dict[str, list[Clause]] = {name: [] for name in members}
    duty_title = duty_section[1]
    for paragraph in _duty_paragraphs(lines, duty_section[2], duty_section[3], members):
        for clause in paragraph.clauses(duty_title):
            for name in paragraph.units:
                duties[name].append(clause)
    for start_index, title, body_start, body_end in sections:
        if start_index > duty_section[0]:
            for name, clause in _mentions(lines, body_start, body_end, title, members):
                duties[name].append(clause)

    warnings = tuple(
        f"「{name}」 has no duty clause in the document"
        for name, items in duties.items()
        if not items
    )
    title, issuer, doc_number, date = _metadata(lines)
    units = tuple(
        MemberUnit(unit.name, unit.kind, unit.order, unit.line, tuple(duties[unit.name]))
        for unit in members.values()
    )
    return DutyListDocument(title, issuer, doc_number, date, units, warnings)
