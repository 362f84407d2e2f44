"""ecogov units import|list|rename|alias — the registry of member units."""

import datetime
import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ecogov.domain.dutylist import DutyListError, parse_duty_list
from ecogov.domain.textfile import UnreadableFile, read_text
from ecogov.org.models import Jurisdiction, Unit, UnitName
from ecogov.org.selectors import (
    JurisdictionNotFound,
    jurisdiction_find,
    unit_find,
    unit_summary,
    unit_with_names,
)
from ecogov.org.services import duty_list_import, unit_add_name, unit_rename


def find_jurisdiction(name: str) -> Jurisdiction:
    try:
        return jurisdiction_find(name)
    except JurisdictionNotFound as error:
        raise CommandError(str(error)) from None


class Command(BaseCommand):
    help = "Import duty-list documents and list, rename or alias member units."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)

        imp = actions.add_parser(
            "import", help="import the member units and duty list of a document"
        )
        imp.add_argument("path")
        imp.add_argument(
            "--jurisdiction", help="area name or path (default: the document's issuer)"
        )
        imp.add_argument("--dry-run", action="store_true", help="read and report, write nothing")
        imp.add_argument("--json", action="store_true", help="print the report as JSON")

        lst = actions.add_parser("list", help="list the member units with their duties")
        lst.add_argument("--jurisdiction")
        lst.add_argument("--json", action="store_true")

        ren = actions.add_parser("rename", help="rename a unit, keeping the old name findable")
        ren.add_argument("old")
        ren.add_argument("new")
        ren.add_argument("--jurisdiction", required=True)
        ren.add_argument("--until", type=datetime.date.fromisoformat, help="YYYY-MM-DD")
        ren.add_argument("--note", default="")

        ali = actions.add_parser("alias", help="add another name a unit is known by")
        ali.add_argument("name")
        ali.add_argument("alias")
        ali.add_argument("--jurisdiction", required=True)
        ali.add_argument("--note", default="")

    def handle(self, *args, action, **options):
        getattr(self, f"handle_{action}")(**options)

    def handle_import(self, *, path, jurisdiction, dry_run, json: bool, **options):
        try:
            document = parse_duty_list(read_text(path))
        except DutyListError as error:
            raise CommandError(
                f"{path}, line {error.line}: {error.message}; nothing imported"
            ) from None
        except UnreadableFile as error:
            raise CommandError(f"{error}; nothing imported") from None
        if jurisdiction:
            area = find_jurisdiction(jurisdiction)
        elif document.jurisdiction_path:
            area = find_jurisdiction("/".join(document.jurisdiction_path))
        else:
            raise CommandError(
                f"{path}: the document does not say which area it is for; pass --jurisdiction"
            )
        try:
            with transaction.atomic():
                report = duty_list_import(document=document, jurisdiction=area)
                if dry_run:
                    transaction.set_rollback(True)
        except ValidationError as error:
            raise CommandError(f"{path}: {'; '.join(error.messages)}; nothing imported") from None
        if json:
            self.stdout.write(_dumps({**report.__dict__, "dry_run": dry_run}))
            return
        verb = "would import" if dry_run else "imported"
        self.stdout.write(
            f"{verb} {path} into {report.jurisdiction}: "
            f"{len(report.units_created)} units created, {len(report.units_found)} found, "
            f"{report.duties_added} duties added, {report.duties_changed} changed, "
            f"{report.duties_removed} removed"
        )
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")

    def handle_list(self, *, jurisdiction, json: bool, **options):
        units = Unit.objects.all()
        if jurisdiction:
            units = units.filter(jurisdiction=find_jurisdiction(jurisdiction))
        units = unit_with_names(units)
        if json:
            self.stdout.write(_dumps([unit_summary(unit) for unit in units]))
            return
        for unit in units:
            names = ", ".join(n.name for n in unit.other_names.all())
            aka = f" ({names})" if names else ""
            self.stdout.write(f"{unit.name}{aka} [{unit.kind}] {len(unit.duties.all())} duties")

    def handle_rename(self, *, old, new, jurisdiction, until, note, **options):
        unit = self._unit(jurisdiction, old)
        try:
            unit_rename(unit=unit, new_name=new, until=until, note=note)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"renamed {old} to {unit.name}; {old} stays findable as a former name")

    def handle_alias(self, *, name, alias, jurisdiction, note, **options):
        unit = self._unit(jurisdiction, name)
        try:
            unit_add_name(unit=unit, name=alias, kind=UnitName.Kind.ALIAS, note=note)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"{unit.name} is now also found as {alias}")

    def _unit(self, jurisdiction: str, name: str) -> Unit:
        unit = unit_find(find_jurisdiction(jurisdiction), name)
        if unit is None:
            raise CommandError(f"no unit named {name!r} in {jurisdiction}")
        return unit


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
