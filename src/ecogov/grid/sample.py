"""The sample grid of Chengzhong District: schematic rectangles named after its real
streets and 总寨镇, three communities or villages each (see sample/README.md)."""

from ecogov.domain.gridgeo import read_features, validate
from ecogov.domain.textfile import read_text
from ecogov.grid.models import Grid
from ecogov.grid.services import grid_import
from ecogov.org.models import Jurisdiction, Unit
from ecogov.org.sample import SAMPLE_DIR
from ecogov.org.services import audited_save

# Who answers for the sample's level-1 and level-2 grids (seed 002 §三.(三): the district
# through its ecology bureau, the townships and street offices for their areas; seed 000
# lists the street offices together as 各街道办事处).
SAMPLE_GRID_UNITS = {1: "区生态环境局", "总寨镇": "总寨镇政府", 2: "各街道办事处"}


def grid_sample_load(district: Jurisdiction):
    features = read_features(read_text(SAMPLE_DIR / "chengzhong_grid.geojson"))
    problems = validate(features)
    if problems:
        raise ValueError("; ".join(problems))
    report = grid_import(features=features, jurisdiction=district, source="chengzhong_grid.geojson")
    _assign_units(district)
    return report


def _assign_units(district: Jurisdiction) -> None:
    """Give the sample's upper grids their responsible unit, unless one was chosen."""
    units = {unit.name: unit for unit in Unit.objects.filter(jurisdiction=district)}
    for grid in Grid.objects.filter(jurisdiction=district, level__lte=2, unit=None):
        name = SAMPLE_GRID_UNITS.get(grid.name) or SAMPLE_GRID_UNITS[grid.level]
        if name in units:
            grid.unit = units[name]
            audited_save(grid, reason="sample")
