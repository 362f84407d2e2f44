"""Writes to grids: importing boundaries, the five fixes, members and contracts."""

import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ecogov.domain.gridgeo import GridFeature, geojson
from ecogov.grid.models import Grid, GridMember, ResponsibilityContract
from ecogov.org.models import Jurisdiction
from ecogov.org.services import audited_save
from ecogov.uploads import sniff


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


# What a contract file may be: the signed paper scanned, or the document itself.
CONTRACT_KINDS = frozenset({"pdf", "jpeg", "png", "zip"})
MAX_CONTRACT_BYTES = 20 * 1024 * 1024


@transaction.atomic
def grid_fixes_update(
    *, grid: Grid, by, area_description: str, duties: str, rewards_penalties: str,
    patrol_tasks: list[dict],
) -> Grid:  # fmt: skip
    """Set a grid's five fixes (the people are its members)."""
    for task in patrol_tasks:
        days = task.get("every_days")
        if not isinstance(days, int) or not 1 <= days <= 366:
            raise ValidationError(_("A patrol interval is a number of days from 1 to 366."))
    grid.area_description = area_description.strip()
    grid.duties = duties.strip()
    grid.rewards_penalties = rewards_penalties.strip()
    grid.patrol_tasks = patrol_tasks
    audited_save(grid, by=by)
    return grid


@transaction.atomic
def member_add(*, grid: Grid, user, role: str, publish_phone: bool, by) -> GridMember:
    member = GridMember.objects.filter(grid=grid, user=user, role=role).first()
    if member is None:
        member = GridMember(grid=grid, user=user, role=role)
    member.publish_phone = publish_phone
    audited_save(member, by=by)
    return member


@transaction.atomic
def contract_add(*, lower: Grid, signed_on, file, note: str, by) -> ResponsibilityContract:
    """A responsibility contract between a grid and the grid above it, with its file."""
    if lower.parent is None:
        raise ValidationError(_("The top grid signs no contract with a grid above it."))
    if file is not None:
        if file.size > MAX_CONTRACT_BYTES:
            raise ValidationError(_("A contract file may be at most 20 MB."))
        if sniff(file) not in CONTRACT_KINDS:
            raise ValidationError(_("Attach the contract as PDF, JPEG, PNG or Word (.docx)."))
    contract = ResponsibilityContract(
        upper=lower.parent, lower=lower, signed_on=signed_on, note=note.strip()
    )
    if file is not None:
        contract.file = file
    audited_save(contract, by=by)
    return contract
