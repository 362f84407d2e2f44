"""Grid boundaries: validating a three-level grid and finding the grids of a point.

Framework-free (shapely). Seed 002 §三.(一): level 1 is the district, level 2 the
townships and streets (乡镇、街道、片区), level 3 the villages and communities. A
child must lie inside its parent and siblings must not overlap, so that every place
has exactly one grid at each level; a small tolerance absorbs the slivers that hand-
drawn boundaries always have.
"""

import json
import math
from dataclasses import dataclass, field

import shapely
from shapely import STRtree, affinity
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

LEVELS = (1, 2, 3)
# Area tolerance, as a share of the smaller grid: 0.5 % of a grid may stick out of its
# parent or overlap a sibling before it counts as a violation.
TOLERANCE = 0.005


class GridFileError(ValueError):
    """The file cannot be read as grids; ``problems`` lists every one found."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass
class GridFeature:
    name: str
    level: int
    parent: str | None
    code: str | None
    geometry: BaseGeometry = field(repr=False)
    index: int = 0  # position in the file, for messages


def read_features(text: str) -> list[GridFeature]:
    """Parse a GeoJSON FeatureCollection of grids; raise GridFileError listing every problem."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise GridFileError([f"not JSON: {error}"]) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise GridFileError(["not a GeoJSON FeatureCollection"])
    problems: list[str] = []
    features: list[GridFeature] = []
    if not isinstance(data.get("features") or [], list):
        raise GridFileError(["features is not a list"])
    for number, feature in enumerate(data.get("features") or [], start=1):
        where = f"feature {number}"
        if not isinstance(feature, dict) or not isinstance(feature.get("properties") or {}, dict):
            problems.append(f"{where}: not a GeoJSON Feature with properties")
            continue
        properties = feature.get("properties") or {}
        name = str(properties.get("name") or "").strip()
        if name:
            where = f"feature {number} ({name})"
        else:
            problems.append(f"{where}: no name")
            continue
        level = properties.get("level")
        if level not in LEVELS and str(level) not in {str(v) for v in LEVELS}:
            problems.append(f"{where}: level must be 1, 2 or 3, not {level!r}")
            continue
        level = int(level)
        parent = str(properties.get("parent") or "").strip() or None
        if level > 1 and parent is None:
            problems.append(f"{where}: a level-{level} grid needs a parent")
            continue
        try:
            geometry = shape(feature.get("geometry") or {})
        except (
            ValueError,
            TypeError,
            AttributeError,
            KeyError,
            shapely.errors.GEOSException,
        ) as error:
            problems.append(f"{where}: unreadable geometry ({error})")
            continue
        if geometry.geom_type not in ("Polygon", "MultiPolygon"):
            problems.append(
                f"{where}: the boundary must be a Polygon or MultiPolygon, not {geometry.geom_type}"
            )
            continue
        if geometry.is_empty or not geometry.is_valid:
            problems.append(f"{where}: invalid boundary ({shapely.is_valid_reason(geometry)})")
            continue
        code = properties.get("code")
        features.append(
            GridFeature(name, level, parent, str(code) if code else None, geometry, number)
        )
    if problems:
        raise GridFileError(problems)
    if not features:
        raise GridFileError(["no grid features"])
    return features


def validate(features: list[GridFeature], *, tolerance: float = TOLERANCE) -> list[str]:
    """Every violation of the tree and of the nesting, naming the grids."""
    problems: list[str] = []
    by_name: dict[str, GridFeature] = {}
    for feature in features:
        if feature.name in by_name:
            problems.append(
                f"{feature.name}: named twice (features {by_name[feature.name].index} and {feature.index})"
            )
        by_name[feature.name] = feature
    children: dict[str | None, list[GridFeature]] = {}
    for feature in features:
        if feature.level == 1:
            if feature.parent is not None and feature.parent in by_name:
                problems.append(f"{feature.name}: a level-1 grid has no parent grid")
            children.setdefault(None, []).append(feature)
            continue
        parent = by_name.get(feature.parent or "")
        if parent is None:
            problems.append(f"{feature.name}: parent {feature.parent} is not in the file")
            continue
        if parent.level != feature.level - 1:
            problems.append(
                f"{feature.name}: level {feature.level} under {parent.name} of level {parent.level}"
            )
            continue
        outside = feature.geometry.difference(parent.geometry).area
        if outside > tolerance * feature.geometry.area:
            share = outside / feature.geometry.area
            problems.append(
                f"{feature.name}: {share:.1%} of it lies outside its parent {parent.name}"
            )
        children.setdefault(parent.name, []).append(feature)
    for siblings in children.values():
        problems.extend(_overlaps(siblings, tolerance))
    return problems


def _overlaps(siblings: list[GridFeature], tolerance: float) -> list[str]:
    problems = []
    tree = STRtree([sibling.geometry for sibling in siblings])
    for i, feature in enumerate(siblings):
        for j in tree.query(feature.geometry):
            if j <= i:
                continue
            other = siblings[int(j)]
            shared = feature.geometry.intersection(other.geometry).area
            if shared > tolerance * min(feature.geometry.area, other.geometry.area):
                problems.append(f"{feature.name} and {other.name} overlap")
    return problems


@dataclass(frozen=True)
class Located:
    key: object  # what the caller gave for the grid (its id)
    level: int


class GridIndex:
    """Point lookup over many grids with an STR-tree: candidates by bounding box, then
    an exact containment test on the few candidates."""

    def __init__(self, grids: list[tuple[object, int, BaseGeometry]]):
        self._keys = [key for key, _level, _geometry in grids]
        self._levels = [level for _key, level, _geometry in grids]
        self._geometries = [geometry for _key, _level, geometry in grids]
        self._by_key = dict(zip(self._keys, self._geometries, strict=True))
        for geometry in self._geometries:
            shapely.prepare(geometry)
        self._tree = STRtree(self._geometries)

    def __len__(self) -> int:
        return len(self._keys)

    def locate(self, lon: float, lat: float) -> list[Located]:
        """The grids containing the point, level 1 first (on a shared edge: the grid covering it)."""
        point = Point(lon, lat)
        chosen: dict[int, int] = {}
        for i in sorted(int(i) for i in self._tree.query(point, predicate="intersects")):
            # On an edge shared by two siblings both intersect: the first one indexed wins,
            # so that the chain has one grid per level.
            chosen.setdefault(self._levels[i], i)
        return [Located(self._keys[i], level) for level, i in sorted(chosen.items())]

    def metres_from(self, key, lon: float, lat: float) -> float | None:
        """How far the point lies outside the grid ``key``, in metres (0 inside); None
        for a grid the index does not hold."""
        geometry = self._by_key.get(key)
        return None if geometry is None else metres_outside(geometry, lon, lat)


# The length of a degree of latitude (and of longitude on the equator), in metres.
METRES_PER_DEGREE = 111_320


def metres_outside(geometry: BaseGeometry, lon: float, lat: float) -> float:
    """The distance from a point to a boundary it lies outside of, in metres (0 inside).

    Degrees of longitude shrink with the cosine of the latitude; over the few kilometres
    that matter here a local equirectangular projection around the point is exact to
    well under a percent."""
    point = Point(lon, lat)
    if geometry.covers(point):
        return 0.0
    projected = affinity.scale(
        geometry,
        xfact=METRES_PER_DEGREE * math.cos(math.radians(lat)),
        yfact=METRES_PER_DEGREE,
        origin=point,
    )
    return projected.distance(point)


def label_point(geometry: BaseGeometry) -> tuple[float, float]:
    """Where to write a grid's name: a point inside it (longitude, latitude), near its
    middle even when the shape is concave."""
    point = geometry.centroid if geometry.covers(geometry.centroid) else geometry.point_on_surface()
    return point.x, point.y


def geometry_from_geojson(data: dict) -> BaseGeometry:
    return shape(data)


def geojson(geometry: BaseGeometry) -> dict:
    return shapely.geometry.mapping(geometry)
