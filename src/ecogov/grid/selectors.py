"""Reads of grids: the spatial index and point lookup."""

from django.db.models import Max

from ecogov.domain.gridgeo import GridIndex, geometry_from_geojson
from ecogov.grid.models import Grid, GridMember

_cache: dict[tuple, GridIndex] = {}


def grid_index() -> GridIndex:
    """The index of every grid with a boundary, rebuilt when a grid changed."""
    key = (Grid.objects.count(), Grid.history.aggregate(last=Max("history_date"))["last"])
    index = _cache.get(key)
    if index is None:
        grids = (
            Grid.objects.exclude(boundary=None)
            .order_by("level", "pk")
            .values_list("pk", "level", "boundary")
        )
        index = GridIndex(
            [(pk, level, geometry_from_geojson(boundary)) for pk, level, boundary in grids]
        )
        _cache.clear()
        _cache[key] = index
    return index


def grid_chain(lon: float, lat: float) -> list[Grid]:
    """The grids containing a point, level 1 first."""
    located = grid_index().locate(lon, lat)
    grids = Grid.objects.in_bulk([item.key for item in located])
    return [grids[item.key] for item in located if item.key in grids]


# How far outside its district grid a reported point may lie: a phone's position is off
# by tens of metres, and hand-drawn boundaries by as much again.
NEAR_METRES = 300


def jurisdiction_covers(jurisdiction_id: int, lon: float, lat: float) -> bool:
    """Whether a point lies in the jurisdiction's district grid or within NEAR_METRES of
    it. A jurisdiction without grid boundaries covers every point: there is nothing to
    check against."""
    keys = Grid.objects.filter(jurisdiction_id=jurisdiction_id, level=Grid.Level.DISTRICT)
    index = grid_index()
    distances = [
        index.metres_from(key, lon, lat)
        for key in keys.exclude(boundary=None).values_list("pk", flat=True)
    ]
    distances = [metres for metres in distances if metres is not None]
    return not distances or min(distances) <= NEAR_METRES


def grid_workers(grids: list[Grid]) -> list[str]:
    """The grid workers of the most local grid that has any."""
    for grid in reversed(grids):
        names = [
            str(member.user)
            for member in GridMember.objects.filter(
                grid=grid, role=GridMember.Role.WORKER
            ).select_related("user")
        ]
        if names:
            return names
    return []


def depth_first(grids: list[Grid]) -> list[Grid]:
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
