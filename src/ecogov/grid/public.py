"""What the public may see of the grid (seed 002 §三.(二) 五定 made public; §六 disclosure):
grid names and boundaries, the responsible unit, the people by role and name, and a
phone only where its owner agreed to publish it; for finding a place on the portal's
map, the names and locations of grids, townships, streets, villages and pollution
sources (a source's name and point only). Every field is chosen here, so that nothing
private reaches a public page by accident."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from ecogov.domain.gridgeo import geometry_from_geojson, label_point
from ecogov.domain.unitnames import is_collective, own_office
from ecogov.grid.models import Grid, GridMember
from ecogov.grid.selectors import grid_chain
from ecogov.org.models import Jurisdiction, Unit
from ecogov.sources.models import Source


@dataclass(frozen=True)
class PublicPerson:
    role: str
    name: str
    phone: str | None


@dataclass(frozen=True)
class PublicGrid:
    pk: int
    name: str
    level: int
    level_label: str
    unit: str | None
    parent: "PublicGrid | None"
    people: tuple[PublicPerson, ...]
    duties: str
    patrol_tasks: tuple[dict, ...]


def public_grid(grid: Grid) -> PublicGrid:
    members = (
        GridMember.objects.filter(grid=grid).select_related("user").order_by("role", "user__name")
    )
    return PublicGrid(
        pk=grid.pk,
        name=grid.name,
        level=grid.level,
        level_label=str(grid.get_level_display()),
        unit=responsible_body(grid),
        parent=public_grid(grid.parent) if grid.parent_id else None,
        people=tuple(
            PublicPerson(
                role=str(member.get_role_display()),
                name=member.user.name or member.user.username,
                phone=member.user.phone if member.publish_phone and member.user.phone else None,
            )
            for member in members
        ),
        duties=grid.duties,
        patrol_tasks=tuple(task for task in grid.patrol_tasks if isinstance(task, dict)),
    )


def responsible_body(grid: Grid) -> str | None:
    """Who answers for a grid, named as a citizen can find them (seed 002 §三.(三): the
    townships and street offices for their areas). A duty list's collective name
    ("各街道办事处") stands for every street office: on 饮马街街道's grid it is
    饮马街街道办事处. A village grid without a unit of its own answers through its
    township's or street's office."""
    unit = grid.unit if grid.unit_id else None
    if unit is not None and not is_collective(unit.name):
        return unit.name
    office = _area_office(grid)
    if office is not None:
        return office.name
    if unit is not None:
        return own_office(unit.name, grid.name) or unit.name
    if grid.parent_id:
        return responsible_body(grid.parent)
    return None


def _area_office(grid: Grid) -> Unit | None:
    """The own unit of the area a grid covers: a unit of the township, street or village
    of that name, or an office of the district named after it (总寨镇 → 总寨镇政府)."""
    if grid.level == Grid.Level.DISTRICT:
        return None
    units = Unit.objects.filter(is_active=True).order_by("order", "name")
    area = Q(jurisdiction__parent=grid.jurisdiction) | Q(
        jurisdiction__parent__parent=grid.jurisdiction
    )
    found = units.filter(area, jurisdiction__name=grid.name).first()
    if found is None:
        found = units.filter(
            jurisdiction=grid.jurisdiction,
            kind__in=(Unit.Kind.TOWNSHIP_GOVERNMENT, Unit.Kind.STREET_OFFICE),
            name__startswith=grid.name,
        ).first()
    return found if found is not None and not is_collective(found.name) else None


@dataclass(frozen=True)
class PublicPlace:
    """A named place on the portal's map: where to write its name and what to show."""

    name: str
    kind: str  # "grid", "area" or "source"
    kind_label: str
    lon: float
    lat: float
    # west, south, east, north: the map shows the whole grid; None for a point.
    bounds: tuple[float, float, float, float] | None = None

    def as_json(self) -> dict:
        return {
            "name": self.name, "kind": self.kind, "kind_label": self.kind_label,
            "lon": round(self.lon, 6), "lat": round(self.lat, 6),
            "bounds": [round(v, 6) for v in self.bounds] if self.bounds else None,
        }  # fmt: skip


def _grid_place(grid: Grid, kind: str, kind_label: str, name: str | None = None) -> PublicPlace:
    geometry = geometry_from_geojson(grid.boundary)
    lon, lat = label_point(geometry)
    return PublicPlace(name or grid.name, kind, kind_label, lon, lat, tuple(geometry.bounds))


def grid_places(grids) -> list[dict]:
    """The grids as GeoJSON features for the portal's map, with where to write each name."""
    features = []
    for grid in grids:
        geometry = geometry_from_geojson(grid.boundary)
        lon, lat = label_point(geometry)
        properties = {"name": grid.name, "level": grid.level, "label": [lat, lon],
                      "parent": grid.parent_id, "id": grid.pk}  # fmt: skip
        features.append({"type": "Feature", "geometry": grid.boundary, "properties": properties})
    return features


def place_search(text: str, *, limit: int = 12) -> list[PublicPlace]:
    """Places whose name contains the text: grids first (by level), then townships,
    streets and villages, then pollution sources still in operation."""
    text = text.strip()
    if not text:
        return []
    places: list[PublicPlace] = []
    grids = Grid.objects.filter(name__icontains=text).exclude(boundary=None)
    for grid in grids.order_by("level", "name")[:limit]:
        places.append(_grid_place(grid, "grid", str(grid.get_level_display())))
    named = {place.name for place in places}
    areas = Jurisdiction.objects.filter(
        name__icontains=text, level__gte=Jurisdiction.Level.TOWNSHIP
    ).exclude(name__in=named)
    for area in areas.order_by("level", "name")[:limit]:
        # An area has no boundary of its own here: the grid of the same name has.
        grid = Grid.objects.filter(name=area.name).exclude(boundary=None).first()
        if grid is not None:
            places.append(_grid_place(grid, "area", str(area.get_level_display()), area.name))
    sources = (
        Source.objects.filter(name__icontains=text, lon__isnull=False, lat__isnull=False)
        .exclude(status=Source.Status.CLOSED)
        .order_by("name")
        .values_list("name", "lon", "lat")  # the name and the point, nothing else
    )
    for name, lon, lat in sources[:limit]:
        places.append(PublicPlace(name, "source", _("pollution source"), float(lon), float(lat)))
    return places[:limit]


def place_at(lon: float, lat: float) -> dict:
    """The names of the place at a point: its grids from the district down to the
    village, and who answers for the most local one."""
    chain = grid_chain(lon, lat)
    return {
        "grids": [
            {"name": grid.name, "level": grid.level, "level_label": str(grid.get_level_display())}
            for grid in chain
        ],
        "place": " › ".join(grid.name for grid in chain),
        "responsible": responsible_body(chain[-1]) if chain else None,
    }
