"""The case router of a jurisdiction, built from its units' duty items and its learned
part (cached until a duty item, a unit or the learned part changes).

The learned part is trained by ``ecogov.cases.learning`` (nightly, or ``ecogov router
train``) and stored here as a ``RouterModel``; a jurisdiction without one is routed by
its duty clauses alone.
"""

import csv
import hashlib
from pathlib import Path

from django.db.models import Max
from django.utils import timezone

from ecogov.domain.router import Clause, Router
from ecogov.domain.router_model import Example, LearnedModel, base_examples, train
from ecogov.org.models import DutyItem, Jurisdiction, RouterModel, Unit
from ecogov.org.sample import SAMPLE_DIR

TERRITORIAL_KINDS = {Unit.Kind.TOWNSHIP_GOVERNMENT: "township", Unit.Kind.STREET_OFFICE: "street"}

# The labelled complaints the learned part starts from (their tune rows only): the
# sample district's fictional set, and the real public complaints collected for issue 23
# where the source tree is at hand (tests/data is not installed with the package).
SAMPLE_COMPLAINTS = SAMPLE_DIR / "chengzhong_complaints.csv"
REAL_COMPLAINTS = Path(__file__).resolve().parents[3] / "tests" / "data" / "complaints"

_cache: dict[int, tuple[tuple, Router]] = {}


def _version(jurisdiction: Jurisdiction) -> tuple:
    return (
        DutyItem.objects.filter(unit__jurisdiction=jurisdiction).count(),
        DutyItem.history.aggregate(last=Max("history_date"))["last"],
        Unit.history.aggregate(last=Max("history_date"))["last"],
        RouterModel.objects.filter(jurisdiction=jurisdiction).values_list("digest").first(),
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
    units = Unit.objects.filter(jurisdiction=jurisdiction)
    territorial = {
        unit.name: TERRITORIAL_KINDS[unit.kind] for unit in units.filter(kind__in=TERRITORIAL_KINDS)
    }
    stored = RouterModel.objects.filter(jurisdiction=jurisdiction).first()
    router = Router(
        clauses,
        territorial=territorial,
        learned=LearnedModel.from_bytes(stored.data) if stored else None,
        units=set(units.filter(is_active=True).values_list("name", flat=True)),
    )
    _cache[jurisdiction.pk] = (version, router)
    return router


def base_complaint_files() -> list[Path]:
    files = [SAMPLE_COMPLAINTS]
    if REAL_COMPLAINTS.is_dir():
        files += sorted(REAL_COMPLAINTS.glob("*.csv"))
    return files


def router_base_examples(jurisdiction: Jurisdiction, files=None) -> list[Example]:
    """The shipped labelled complaints' tune rows, as examples for this jurisdiction's
    active units (ecogov.domain.router_model.base_examples says how rows are mapped)."""
    names = Unit.objects.filter(jurisdiction=jurisdiction, is_active=True).values_list(
        "name", flat=True
    )
    rows = []
    for path in base_complaint_files() if files is None else files:
        with open(path, encoding="utf-8", newline="") as handle:
            rows += list(csv.DictReader(handle))
    return base_examples(rows, names)


def examples_digest(examples: list[Example]) -> str:
    h = hashlib.sha256()
    for example in sorted(examples, key=lambda e: (e.unit, e.text, e.weight)):
        h.update(f"{example.unit}\x1f{example.text}\x1f{example.weight}\x1e".encode())
    return h.hexdigest()


def router_model_store(
    *, jurisdiction: Jurisdiction, examples: list[Example], decisions: int, now=None
) -> RouterModel | None:
    """Train the jurisdiction's learned part on these examples and store it; the same
    examples as the stored model's are not trained twice. None when the examples name
    fewer than two units (nothing to learn: the duty clauses route alone)."""
    digest = examples_digest(examples)
    stored = RouterModel.objects.filter(jurisdiction=jurisdiction).first()
    if stored is not None and stored.examples_digest == digest:
        return stored
    if len({e.unit for e in examples}) < 2:
        RouterModel.objects.filter(jurisdiction=jurisdiction).delete()  # nothing left to learn
        return None
    now = now or timezone.now()
    model = train(examples, meta={"jurisdiction": jurisdiction.name, "trained_at": now.isoformat()})
    stored, _created = RouterModel.objects.update_or_create(
        jurisdiction=jurisdiction,
        defaults={
            "trained_at": now, "examples": len(examples), "decisions": decisions,
            "units": len(model.classes), "digest": model.digest(),
            "examples_digest": digest, "data": model.to_bytes(),
        },
    )  # fmt: skip
    return stored
