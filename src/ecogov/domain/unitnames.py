"""How Chinese government documents name member units.

Framework-free: used by the duty-list importer now and by the plan importer and the
case router later.

Glossary: 成员单位 member unit; 镇办 township governments and street offices together.
"""

import re
from collections.abc import Iterable

# Unit kinds, in the order a person would look for them. The codes are stored in the
# database; their labels live in ecogov.org.models.Unit.Kind.
GOVERNMENT_OFFICE = "government_office"
PARTY_ORGAN = "party_organ"
DEPARTMENT = "department"
CENTRE = "centre"
COURT = "court"
PROCURATORATE = "procuratorate"
POLICE = "police"
DISCIPLINE_COMMISSION = "discipline_commission"
TOWNSHIP_GOVERNMENT = "township_government"
STREET_OFFICE = "street_office"
OTHER = "other"

# (pattern on the end or whole of a name, kind); the first match wins, so the more
# specific patterns come first. "区政府办公室" is the government office, "区委办公室" a
# party organ, "区纪委监委" the discipline commission.
_KIND_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), kind)
    for pattern, kind in (
        (r"纪委监委$|纪律检查委员会|监察委员会$", DISCIPLINE_COMMISSION),
        (r"(人民)?法院$", COURT),
        (r"(人民)?检察院$", PROCURATORATE),
        (r"公安(分)?局$|交警.*(大队|支队)$|派出所$|交通警察", POLICE),
        (r"街道办事处$|街道办$|街道$", STREET_OFFICE),
        (r"(乡|镇)(人民)?政府$", TOWNSHIP_GOVERNMENT),
        (r"^(区|县|市)?(人民)?政府办公室$|政府办$", GOVERNMENT_OFFICE),
        (r"^(区|县|市)委.*(部|办公室|办)$|^团(区|县|市)委$", PARTY_ORGAN),
        (r"中心$|站$|所$", CENTRE),
        (r"局$|委员会$|委$|办$|办公室$", DEPARTMENT),
    )
)


def guess_kind(name: str) -> str:
    """The kind of unit a name denotes, from its ending (区城乡建设局 → department)."""
    for pattern, kind in _KIND_RULES:
        if pattern.search(name):
            return kind
    return OTHER


# Collective names that stand for every unit of some kinds ("各镇办：" heads the duty
# paragraph shared by 总寨镇政府 and 各街道办事处 in seed 000).
COLLECTIVE_NAMES: dict[str, frozenset[str]] = {
    "各镇办": frozenset({TOWNSHIP_GOVERNMENT, STREET_OFFICE}),
    "各镇街": frozenset({TOWNSHIP_GOVERNMENT, STREET_OFFICE}),
    "镇办": frozenset({TOWNSHIP_GOVERNMENT, STREET_OFFICE}),
    "各乡镇": frozenset({TOWNSHIP_GOVERNMENT}),
    "各街道": frozenset({STREET_OFFICE}),
}

# Mentions of a group of units, never the name of one: 各区委, 各县市区人民政府, 各有关部门,
# 市直相关部门, 其他成员单位, "生态环境等部门". Plans name them as implementers ("责任单位：
# 各区委、区政府"); they stay text on the task, they are not registered as units.
_COLLECTIVE = re.compile(
    r"^(各|相关|有关|其他|其它|全体|所有)|[直属](各|相关|有关)|等(部门|单位|成员单位)?$"
)


def is_collective(name: str) -> bool:
    """Whether a name stands for several units ("各区政府") rather than naming one."""
    name = name.strip()
    return name in COLLECTIVE_NAMES or bool(_COLLECTIVE.search(name))


def own_office(collective: str, place: str) -> str | None:
    """The office of one place that a collective name stands for: "各街道办事处" for
    饮马街街道 is 饮马街街道办事处, "各镇政府" for 总寨镇 is 总寨镇政府. The place's name
    ends with the beginning of the office's ("街道", "镇"); None when it does not."""
    if collective in COLLECTIVE_NAMES:  # 各镇办 spans kinds of office: no one name
        return None
    office = collective.removeprefix("各")
    for length in range(min(len(office), len(place)), 0, -1):
        if place.endswith(office[:length]):
            return place + office[length:]
    return None


# Endings that make a short phrase look like the name of an organization.
_UNIT_ENDING = re.compile(
    r"(局|院|办公室|办|中心|委|委员会|大队|支队|分局|政府|办事处|部|站|所|队|公司)$"
)


def looks_like_unit(name: str) -> bool:
    return bool(_UNIT_ENDING.search(name)) and 2 <= len(name) <= 30


def split_unit_list(text: str) -> list[str]:
    """Split an enumeration of unit names: "区法院，区纪委监委，总寨镇政府、各街道办事处"."""
    text = text.strip().rstrip("。.；;")
    return [part.strip() for part in re.split(r"[、，,；;]", text) if part.strip()]


def expand_shared_prefix(items: Iterable[str], known: Iterable[str]) -> list[str]:
    """Complete names written with the prefix of the name before them.

    Documents shorten enumerations: "交警二大队、八大队" means 交警二大队 and 交警八大队;
    "市发改委、工信局" means 市发改委 and 市工信局. A short item is completed with the
    longest prefix of the previous full name that turns it into a known name; an item
    that no prefix completes is returned as written.
    """
    known_set = set(known)
    result: list[str] = []
    previous_full: str | None = None
    for item in items:
        full = item
        if item not in known_set and previous_full:
            for cut in range(len(previous_full) - 1, 0, -1):
                candidate = previous_full[:cut] + item
                if candidate in known_set:
                    full = candidate
                    break
        result.append(full)
        previous_full = full
    return result
