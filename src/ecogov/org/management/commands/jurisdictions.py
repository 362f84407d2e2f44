"""ecogov jurisdictions list|add — the tree of administrative areas."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ecogov.org.models import Jurisdiction
from ecogov.org.selectors import jurisdiction_label, jurisdiction_tree
from ecogov.org.services import jurisdiction_create

from .units import find_jurisdiction

LEVELS = {
    "province": Jurisdiction.Level.PROVINCE,
    "city": Jurisdiction.Level.CITY,
    "county": Jurisdiction.Level.COUNTY,
    "district": Jurisdiction.Level.COUNTY,
    "township": Jurisdiction.Level.TOWNSHIP,
    "street": Jurisdiction.Level.TOWNSHIP,
    "village": Jurisdiction.Level.VILLAGE,
    "community": Jurisdiction.Level.VILLAGE,
}


class Command(BaseCommand):
    help = "List or add administrative areas (province → city → district → township → village)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        lst = actions.add_parser("list", help="print the tree")
        lst.add_argument("--json", action="store_true")
        add = actions.add_parser("add", help="add an area")
        add.add_argument("name")
        add.add_argument("--level", required=True, choices=sorted(LEVELS))
        add.add_argument("--parent", help="name or path of the area above")
        add.add_argument("--code", default="", help="GB/T 2260 division code")

    def handle(self, *args, action, **options):
        if action == "list":
            tree = jurisdiction_tree()
            if options["json"]:
                rows = [
                    {
                        "name": area.name,
                        "level": area.level,
                        "code": area.code or None,
                        "parent": area.parent.name if area.parent_id else None,
                        "path": jurisdiction_label(area),
                        "units": area.unit_count,
                    }
                    for area, _depth in tree
                ]
                self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            else:
                for area, depth in tree:
                    code = f" {area.code}" if area.code else ""
                    self.stdout.write(f"{'  ' * depth}{area.name}{code} ({area.unit_count} units)")
            return
        parent = find_jurisdiction(options["parent"]) if options["parent"] else None
        try:
            area = jurisdiction_create(
                name=options["name"],
                level=LEVELS[options["level"]],
                parent=parent,
                code=options["code"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"added {jurisdiction_label(area)}")
