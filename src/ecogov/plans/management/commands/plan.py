"""ecogov plan import — a plan document's tasks, units and targets."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ecogov.domain.plandoc import PlanError, parse_plan
from ecogov.domain.plantargets import plan_targets
from ecogov.domain.textfile import UnreadableFile
from ecogov.org.models import Unit
from ecogov.org.selectors import JurisdictionNotFound, jurisdiction_find
from ecogov.plans.documents import read_document
from ecogov.plans.services import plan_import, plan_report, plan_resolve


def known_names(jurisdiction) -> frozenset[str]:
    if jurisdiction is None:
        return frozenset()
    names = set(Unit.objects.filter(jurisdiction=jurisdiction).values_list("name", flat=True))
    names.update(
        Unit.objects.filter(jurisdiction=jurisdiction).values_list("other_names__name", flat=True)
    )
    names.discard(None)
    return frozenset(names)


class Command(BaseCommand):
    help = "Import an action plan (.txt or .docx): its numbered tasks, their units and deadlines, its targets."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        imp = actions.add_parser("import", help="import a plan document")
        imp.add_argument("path")
        imp.add_argument(
            "--jurisdiction", help="area name or path (default: the area the plan names)"
        )
        imp.add_argument(
            "--create-units", action="store_true", help="register units the registry lacks"
        )
        imp.add_argument("--dry-run", action="store_true", help="read and report, write nothing")
        imp.add_argument("--json", action="store_true")

    def handle(
        self, *args, action, path, jurisdiction, create_units, dry_run, json: bool, **options
    ):
        try:
            text = read_document(Path(path))
            area_hint = parse_plan(text).area
        except (PlanError, UnreadableFile) as error:
            where = f", line {error.line}" if isinstance(error, PlanError) else ""
            message = error.message if isinstance(error, PlanError) else str(error)
            raise CommandError(f"{path}{where}: {message}; nothing imported") from None
        area = self._jurisdiction(jurisdiction or "/".join(area_hint), required=not dry_run)
        document = parse_plan(text, known_units=known_names(area))
        targets = plan_targets(document)
        try:
            with transaction.atomic():
                resolution = plan_resolve(
                    document=document, jurisdiction=area, create_units=create_units and not dry_run
                )
                if not dry_run:
                    plan_import(
                        document=document,
                        targets=targets,
                        jurisdiction=area,
                        resolution=resolution,
                        source=Path(path).name,
                    )
                else:
                    transaction.set_rollback(True)
        except ValidationError as error:
            raise CommandError(f"{path}: {'; '.join(error.messages)}; nothing imported") from None
        report = plan_report(document, targets, resolution)
        if json:
            self.stdout.write(_dumps(report))
            return
        verb = "would import" if dry_run else "imported"
        self.stdout.write(
            f"{verb} {document.title}: {len(report['tasks'])} tasks, {len(report['targets'])} targets"
            + (f" into {area}" if area else "")
        )
        if report["collective_mentions"]:
            self.stdout.write(
                "kept as written, not units: " + "、".join(report["collective_mentions"])
            )
        if report["unresolved_units"]:
            self.stderr.write(
                "units not in the registry (use --create-units to register them): "
                + "、".join(report["unresolved_units"])
            )

    def _jurisdiction(self, name: str, *, required: bool):
        if not name:
            if required:
                raise CommandError(
                    "the plan does not say which area it is for; pass --jurisdiction"
                )
            return None
        try:
            return jurisdiction_find(name)
        except JurisdictionNotFound as error:
            if required:
                raise CommandError(str(error)) from None
            return None


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
