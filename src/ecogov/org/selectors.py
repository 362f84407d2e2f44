"""Reads of the registry: jurisdictions, units and their names."""

import re
from collections.abc import Iterable

from django.db.models import Count, Prefetch, Q, QuerySet

from ecogov.accounts.models import Role
from ecogov.org.models import LIAISON_ACCOUNTS, DutyItem, Jurisdiction, Unit, UnitName


class JurisdictionNotFound(LookupError):
    pass


def jurisdiction_subtree_ids(jurisdiction_id: int) -> set[int]:
    """The area and every area below it (one query per level: five at most)."""
    found = {jurisdiction_id}
    frontier = [jurisdiction_id]
    while frontier:
        frontier = list(
            Jurisdiction.objects.filter(parent__in=frontier)
            .exclude(pk__in=found)
            .values_list("pk", flat=True)
        )
        found.update(frontier)
    return found


def jurisdiction_ancestor_ids(jurisdiction_id: int) -> list[int]:
    """The areas above, nearest first."""
    ancestors: list[int] = []
    parent_id = Jurisdiction.objects.filter(pk=jurisdiction_id).values_list("parent", flat=True)
    current = parent_id.first()
    while current is not None and current not in ancestors:
        ancestors.append(current)
        current = Jurisdiction.objects.filter(pk=current).values_list("parent", flat=True).first()
    return ancestors


def jurisdiction_path(jurisdiction: Jurisdiction) -> list[Jurisdiction]:
    """From the root down to the area itself."""
    ids = [jurisdiction.pk, *jurisdiction_ancestor_ids(jurisdiction.pk)]
    by_id = Jurisdiction.objects.in_bulk(ids)
    return [by_id[pk] for pk in reversed(ids)]


def jurisdiction_label(jurisdiction: Jurisdiction) -> str:
    return " › ".join(area.name for area in jurisdiction_path(jurisdiction))


def jurisdiction_find(text: str) -> Jurisdiction:
    """Find an area by its name or by a path: "城中区", "西宁市/城中区", "西宁市 › 城中区".

    Raises JurisdictionNotFound with a message saying what to do.
    """
    names = [part for part in re.split(r"\s*[/›>]\s*|\s+", text.strip()) if part]
    if not names:
        raise JurisdictionNotFound("no jurisdiction name given")
    candidates = list(Jurisdiction.objects.filter(name=names[-1]))
    if len(names) == 1 and not candidates:
        # "西宁市城中区" written as one word.
        candidates = [
            area
            for area in Jurisdiction.objects.filter(name__in=_suffixes(names[0]))
            if "".join(a.name for a in jurisdiction_path(area)).endswith(names[0])
        ]
    matching = [
        area for area in candidates if _ends_with([a.name for a in jurisdiction_path(area)], names)
    ]
    if len(matching) == 1:
        return matching[0]
    if not matching:
        raise JurisdictionNotFound(
            f"no jurisdiction named {text!r}; list them with 'ecogov jurisdictions list' "
            "or add one with 'ecogov jurisdictions add'"
        )
    labels = ", ".join(jurisdiction_label(area) for area in matching)
    raise JurisdictionNotFound(f"{text!r} is ambiguous ({labels}); give the path, e.g. 市/区")


def _suffixes(word: str) -> list[str]:
    return [word[i:] for i in range(len(word))]


def _ends_with(path: list[str], names: list[str]) -> bool:
    return len(names) <= len(path) and path[-len(names) :] == names


def jurisdiction_tree(root_ids: set[int] | None = None) -> list[tuple[Jurisdiction, int]]:
    """Areas in depth-first order with their depth and ``unit_count``, for display."""
    areas = Jurisdiction.objects.annotate(unit_count=Count("units"))
    if root_ids is not None:
        areas = areas.filter(pk__in=root_ids)
    areas = list(areas)
    children: dict[int | None, list[Jurisdiction]] = {}
    ids = {area.pk for area in areas}
    for area in areas:
        parent = area.parent_id if area.parent_id in ids else None
        children.setdefault(parent, []).append(area)
    ordered: list[tuple[Jurisdiction, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for area in children.get(parent, []):
            ordered.append((area, depth))
            walk(area.pk, depth + 1)

    walk(None, 0)
    return ordered


def unit_with_names(queryset: QuerySet[Unit], *, people: QuerySet | None = None) -> QuerySet[Unit]:
    """Units with what their list and page show, in a fixed number of queries: other
    names, duties and, given the people the viewer may see, the liaison accounts that
    ``Unit.liaison_shown`` reads."""
    queryset = queryset.select_related("jurisdiction", "parent").prefetch_related(
        Prefetch("other_names", queryset=UnitName.objects.order_by("kind", "name")),
        Prefetch("duties", queryset=DutyItem.objects.order_by("source", "number")),
    )
    if people is not None:
        liaisons = people.filter(role=Role.LIAISON, is_active=True).order_by("username")
        queryset = queryset.prefetch_related(
            Prefetch("people", queryset=liaisons, to_attr=LIAISON_ACCOUNTS)
        )
    return queryset


def unit_find(jurisdiction: Jurisdiction, name: str) -> Unit | None:
    """A unit of the area by its current name, an alias or a former name."""
    name = name.strip()
    return (
        Unit.objects.filter(jurisdiction=jurisdiction)
        .filter(Q(name=name) | Q(other_names__name=name))
        .distinct()
        .first()
    )


class BadMapping(ValueError):
    pass


def unit_mapping(pairs: Iterable[str], jurisdiction: Jurisdiction) -> dict[str, Unit]:
    """The operator's ``NAME=UNIT`` pairs (``--map 区水利局=区水务局`` of the import
    commands): a name as a document writes it → the area's unit (by name, alias or former
    name). Raises BadMapping saying which pair is wrong."""
    mapping = {}
    for pair in pairs or []:
        name, sep, target = pair.partition("=")
        if not sep or not name.strip() or not target.strip():
            raise BadMapping(
                f"--map {pair!r}: write it as 'name in the document=unit in the registry'"
            )
        unit = unit_find(jurisdiction, target.strip())
        if unit is None:
            raise BadMapping(
                f"--map {pair!r}: {target.strip()!r} is no unit of {jurisdiction}; "
                "list them with 'ecogov units list'"
            )
        mapping[name.strip()] = unit
    return mapping


def unit_search(queryset: QuerySet[Unit], text: str) -> QuerySet[Unit]:
    """Units whose name, alias, former name or duty text contains ``text``."""
    # What a database cannot compare (NUL, lone surrogates) cannot match anything stored.
    text = text.replace("\x00", "").encode("utf-8", "ignore").decode("utf-8").strip()
    if not text:
        return queryset
    return queryset.filter(
        Q(name__icontains=text)
        | Q(other_names__name__icontains=text)
        | Q(duties__text__icontains=text)
    ).distinct()


def unit_names(unit: Unit) -> list[str]:
    """Every other name of the unit, aliases first."""
    names = sorted(unit.other_names.all(), key=lambda n: (n.kind != UnitName.Kind.ALIAS, n.name))
    return [n.name for n in names]


def unit_summary(unit: Unit) -> dict:
    """The shape printed by ``ecogov units list --json``."""
    return {
        "name": unit.name,
        "kind": unit.kind,
        "aliases": unit_names(unit),
        "duties": [duty.text for duty in unit.duties.all()],
    }


# The jurisdiction's ecology bureau (or its branch): it receives monitoring cases,
# supervises implementation plans and rectification problems, convenes by default.
BUREAU_SUFFIXES = ("生态环境局", "生态环境分局")


def bureau_of(jurisdiction) -> Unit | None:
    condition = Q()
    for suffix in BUREAU_SUFFIXES:
        condition |= Q(name__endswith=suffix)
    return (
        Unit.objects.filter(condition, jurisdiction=jurisdiction, is_active=True)
        .order_by("pk")
        .first()
    )
