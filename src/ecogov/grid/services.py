"""Writes to grids: importing boundaries."""

import json
from dataclasses import dataclass, field

from django.db import transaction

from ecogov.domain.gridgeo import GridFeature, geojson
from ecogov.grid.models import Grid
from ecogov.org.models import Jurisdiction
from ecogov.org.services import audited_save


@dataclass
class GridImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0


@transaction.atomic
def grid_import(
    *, features: list[GridFeature], jurisdiction: Jurisdiction, by=None, source: str = ""
) -> GridImportReport:
    """Create or update the grids of a validated file, parents first (idempotent).

    Grids are matched by name within the jurisdiction, so a re-drawn boundary updates
    its grid and keeps its people, sources and history.
    """
    report = GridImportReport()
    existing = {grid.name: grid for grid in Grid.objects.filter(jurisdiction=jurisdiction)}
    by_name: dict[str, Grid] = {}
    for feature in sorted(features, key=lambda f: (f.level, f.index)):
        parent = by_name.get(feature.parent) if feature.parent else None
        wanted = {
            "level": feature.level,
            "parent": parent,
            "code": feature.code or "",
            # Stored as the database returns it (lists, not tuples), so that a re-import compares equal.
            "boundary": json.loads(json.dumps(geojson(feature.geometry))),
        }
        grid = existing.get(feature.name)
        if grid is None:
            grid = Grid(jurisdiction=jurisdiction, name=feature.name, **wanted)
            audited_save(grid, by=by, reason=source)
            report.created.append(grid.name)
        elif any(getattr(grid, key) != value for key, value in wanted.items()):
            for key, value in wanted.items():
                setattr(grid, key, value)
            audited_save(grid, by=by, reason=source)
            report.updated.append(grid.name)
        else:
            report.unchanged += 1
        by_name[feature.name] = grid
    return report
