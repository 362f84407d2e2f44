"""The case router of a jurisdiction, built from its units' duty items (cached until a
duty item or unit changes)."""

from django.db.models import Max

from ecogov.domain.router import Clause, Router
from ecogov.org.models import DutyItem, Jurisdiction, Unit

TERRITORIAL_KINDS = {Unit.Kind.TOWNSHIP_GOVERNMENT: "township", Unit.Kind.STREET_OFFICE: "street"}

_cache: dict[int, tuple[tuple, Router]] = {}


def _version(jurisdiction: Jurisdiction) -> tuple:
    return (
        DutyItem.objects.filter(unit__jurisdiction=jurisdiction).count(),
        DutyItem.history.aggregate(last=Max("history_date"))["last"],
        Unit.history.aggregate(last=Max("history_date"))["last"],
    )


def router_for(jurisdiction: Jurisdiction) -> Router:
    version = _version(jurisdiction)
    cached = _cache.get(jurisdiction.pk)
    if cached is not None and cached[0] == version:
        return cached[1]
    items = DutyItem.objects.filter(unit__jurisdiction=jurisdiction, unit__is_active=True)
    clauses = [
        Clause(item.unit.name, item.text, f"{item.source} {item.section} 第{item.line}行".strip())
        for item in items.select_related("unit").order_by("unit__name", "number")
    ]
    territorial = {
        unit.name: TERRITORIAL_KINDS[unit.kind]
        for unit in Unit.objects.filter(jurisdiction=jurisdiction, kind__in=TERRITORIAL_KINDS)
    }
    router = Router(clauses, territorial=territorial)
    _cache[jurisdiction.pk] = (version, router)
    return router
