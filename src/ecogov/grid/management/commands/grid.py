"""ecogov grid import|locate — grid boundaries and the grids of a point."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ecogov.domain.gridgeo import GridFileError, read_features, validate
from ecogov.domain.textfile import UnreadableFile, read_text
from ecogov.grid.selectors import grid_chain, grid_workers
from ecogov.grid.services import grid_import
from ecogov.org.management.commands.units import find_jurisdiction


class Command(BaseCommand):
    help = "Import grid boundaries (GeoJSON) or find the grids of a point."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        imp = actions.add_parser("import", help="import a GeoJSON FeatureCollection of grids")
        imp.add_argument("path")
        imp.add_argument("--jurisdiction", required=True)
        loc = actions.add_parser("locate", help="the grids of a point")
        loc.add_argument("lon", type=float)
        loc.add_argument("lat", type=float)
        loc.add_argument("--json", action="store_true")

    def handle(self, *args, action, **options):
        if action == "import":
            self._import(options["path"], options["jurisdiction"])
        else:
            self._locate(options["lon"], options["lat"], options["json"])

    def _import(self, path: str, jurisdiction: str) -> None:
        area = find_jurisdiction(jurisdiction)
        try:
            features = read_features(read_text(path))
        except (GridFileError, UnreadableFile) as error:
            raise CommandError(f"{path}: {error}; nothing imported") from None
        problems = validate(features)
        if problems:
            raise CommandError(
                f"{path}: {len(problems)} problems, nothing imported:\n  " + "\n  ".join(problems)
            )
        try:
            report = grid_import(features=features, jurisdiction=area, source=path)
        except ValidationError as error:
            raise CommandError(f"{path}: {'; '.join(error.messages)}; nothing imported") from None
        self.stdout.write(
            f"{len(report.created)} grids created, {len(report.updated)} updated, {report.unchanged} unchanged"
        )

    def _locate(self, lon: float, lat: float, as_json: bool) -> None:
        chain = grid_chain(lon, lat)
        result = {
            "chain": [
                {"level": grid.level, "name": grid.name, "code": grid.code or None}
                for grid in chain
            ],
            "workers": grid_workers(chain),
        }
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(" › ".join(grid.name for grid in chain) or "no grid")
