"""ecogov sample load — the sample district: Qinghai › Xining › Chengzhong (idempotent)."""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from ecogov.domain.dutylist import parse_duty_list
from ecogov.domain.textfile import read_text
from ecogov.org.models import Jurisdiction, UnitName
from ecogov.org.selectors import unit_find
from ecogov.org.services import duty_list_import, jurisdiction_ensure, unit_add_name, unit_rename

SAMPLE_DIR = Path(__file__).resolve().parents[3] / "sample"
AREAS = (
    ("青海省", Jurisdiction.Level.PROVINCE, "630000"),
    ("西宁市", Jurisdiction.Level.CITY, "630100"),
    ("城中区", Jurisdiction.Level.COUNTY, "630103"),
)


class Command(BaseCommand):
    help = "Load the sample district (Chengzhong District, Xining) with its 23 member units."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("load")

    @transaction.atomic
    def handle(self, *args, **options):
        parent = None
        for name, level, code in AREAS:
            parent = jurisdiction_ensure(name=name, level=level, parent=parent, code=code)
        district = parent
        document = parse_duty_list(read_text(SAMPLE_DIR / "chengzhong_2021_duty_list.txt"))
        report = duty_list_import(document=document, jurisdiction=district)
        with open(SAMPLE_DIR / "chengzhong_names.csv", encoding="utf-8") as names:
            for row in csv.DictReader(names):
                unit = unit_find(district, row["unit"])
                if unit is None or unit_find(district, row["name"]) == unit:
                    continue
                if row["kind"] == "rename":
                    unit_rename(unit=unit, new_name=row["name"], note=row["note"])
                else:
                    unit_add_name(unit=unit, name=row["name"], kind=UnitName.Kind.ALIAS, note=row["note"])
        self.stdout.write(
            f"sample district 青海省 › 西宁市 › 城中区: {len(report.units_created)} units created, "
            f"{len(report.units_found)} already there, {report.duties_added} duties added"
        )
