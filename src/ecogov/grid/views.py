"""Pages of grids: the map and a grid's page with its five fixes."""

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ecogov import access
from ecogov.grid.models import Grid


@login_required
def grid_map(request):
    request.section = "grid"
    grids = access.scope(request.user, Grid).exclude(boundary=None).order_by("level", "name")
    features = [
        {
            "type": "Feature",
            "geometry": grid.boundary,
            "properties": {
                "id": grid.pk,
                "name": grid.name,
                "level": grid.level,
                "url": grid.get_absolute_url(),
            },
        }
        for grid in grids
    ]
    context = {
        "geojson": {"type": "FeatureCollection", "features": features},
        "tiles": settings.ECOGOV_MAP_TILES,
        "grids": _depth_first(list(grids)),
    }
    return render(request, "grid/map.html", context)


@login_required
def grid_detail(request, pk: int):
    request.section = "grid"
    grid = access.obtain(
        request.user, Grid.objects.select_related("parent", "unit", "jurisdiction"), pk
    )
    context = {
        "grid": grid,
        "children": access.scope(request.user, Grid).filter(parent=grid).order_by("name"),
        "members": grid.members.select_related("user").order_by("role"),
        "contracts": grid.contracts.select_related("upper").all(),
        "patrol_tasks": grid.patrol_tasks,
        "boundary": json.dumps(grid.boundary) if grid.boundary else "",
    }
    return render(request, "grid/grid_detail.html", context)


def _depth_first(grids: list[Grid]) -> list[Grid]:
    """Each grid followed by the grids below it, for the indented list."""
    visible = {grid.pk for grid in grids}
    children: dict[int | None, list[Grid]] = {}
    for grid in grids:
        children.setdefault(grid.parent_id if grid.parent_id in visible else None, []).append(grid)
    ordered: list[Grid] = []

    def walk(parent: int | None) -> None:
        for grid in children.get(parent, []):
            ordered.append(grid)
            walk(grid.pk)

    walk(None)
    return ordered
