"""Fictional sample sources (sample/chengzhong_sources.json) for the sample district."""

import json
from decimal import Decimal

from ecogov.org.models import Jurisdiction
from ecogov.org.sample import SAMPLE_DIR
from ecogov.sources.catalog import ensure_default_types
from ecogov.sources.models import Source, SourceType
from ecogov.sources.services import source_save


def sources_sample_load(district: Jurisdiction) -> int:
    """Create the sample sources that are missing (idempotent); returns how many."""
    ensure_default_types(SourceType)  # a test database flushed between tests lost them
    types = {t.code: t for t in SourceType.objects.all()}
    existing = set(Source.objects.filter(jurisdiction=district).values_list("name", flat=True))
    created = 0
    for row in json.loads((SAMPLE_DIR / "chengzhong_sources.json").read_text(encoding="utf-8")):
        if row["name"] in existing:
            continue
        source_save(
            jurisdiction=district,
            type=types[row["type"]],
            name=row["name"],
            address=row["address"],
            lon=Decimal(str(row["lon"])),
            lat=Decimal(str(row["lat"])),
            key=row["key"],
            reason="sample",
        )
        created += 1
    return created
