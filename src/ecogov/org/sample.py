"""The sample district: Qinghai › Xining › Chengzhong, from public documents (see sample/)."""

import csv
from pathlib import Path

from django.db import transaction

from ecogov.domain.dutylist import parse_duty_list
from ecogov.domain.textfile import read_text
from ecogov.org.models import Jurisdiction, UnitName
from ecogov.org.selectors import unit_find
from ecogov.org.services import (
    ImportReport,
    duty_list_import,
    jurisdiction_ensure,
    unit_add_name,
    unit_rename,
)

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample"
DUTY_LIST = SAMPLE_DIR / "chengzhong_2021_duty_list.txt"
AREAS = (
    ("青海省", Jurisdiction.Level.PROVINCE, "630000"),
    ("西宁市", Jurisdiction.Level.CITY, "630100"),
    ("城中区", Jurisdiction.Level.COUNTY, "630103"),
)


@transaction.atomic
def sample_load() -> tuple[Jurisdiction, ImportReport]:
    """Create the district, import its duty list and apply the later names (idempotent)."""
    parent = None
    for name, level, code in AREAS:
        parent = jurisdiction_ensure(name=name, level=level, parent=parent, code=code)
    district = parent
    report = duty_list_import(document=parse_duty_list(read_text(DUTY_LIST)), jurisdiction=district)
    with open(SAMPLE_DIR / "chengzhong_names.csv", encoding="utf-8") as names:
        for row in csv.DictReader(names):
            unit = unit_find(district, row["unit"])
            if unit is None or unit_find(district, row["name"]) == unit:
                continue
            if row["kind"] == "rename":
                unit_rename(unit=unit, new_name=row["name"], note=row["note"])
            else:
                unit_add_name(
                    unit=unit, name=row["name"], kind=UnitName.Kind.ALIAS, note=row["note"]
                )
    return district, report
