"""The sample grid of Chengzhong District: schematic rectangles named after its real
streets and 总寨镇, three communities or villages each (see sample/README.md)."""

from ecogov.domain.gridgeo import read_features, validate
from ecogov.domain.textfile import read_text
from ecogov.grid.services import grid_import
from ecogov.org.models import Jurisdiction
from ecogov.org.sample import SAMPLE_DIR


def grid_sample_load(district: Jurisdiction):
    features = read_features(read_text(SAMPLE_DIR / "chengzhong_grid.geojson"))
    problems = validate(features)
    if problems:
        raise ValueError("; ".join(problems))
    return grid_import(features=features, jurisdiction=district, source="chengzhong_grid.geojson")
