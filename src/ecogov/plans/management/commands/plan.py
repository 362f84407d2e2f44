"""ecogov plan import — a plan document's tasks, units and targets; ecogov plan obligations —
the implementation plans its lead units owe, on the supervision ledger."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ecogov.domain.plandoc import PlanError, parse_plan
from ecogov.domain.plantargets import plan_targets
from ecogov.domain.textfile import UnreadableFile
from ecogov.org.selectors import JurisdictionNotFound, jurisdiction_find
from ecogov.plans.documents import read_document
from ecogov.plans.implementation import implementation_obligations
from ecogov.plans.models import Plan
from ecogov.plans.services import known_units, plan_import, plan_report, plan_resolve


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
        owe = actions.add_parser(
            "obligations",
            help="put the implementation plans a plan's lead units owe on the supervision "
            "ledger (idempotent)",
        )
        owe.add_argument("plan_id", type=int)
        owe.add_argument("--json", action="store_true")

    def handle(self, *args, action, **options):
        if action == "obligations":
            return self._obligations(options["plan_id"], as_json=options["json"])
        return self._import(**options)

    def _obligations(self, plan_id: int, *, as_json: bool):
        plan = Plan.objects.filter(pk=plan_id).first()
        if plan is None:
            raise CommandError(f"no plan {plan_id}")
        try:
            created = implementation_obligations(plan)
        except ValidationError as error:
            raise CommandError(f"{plan}: {'; '.join(error.messages)}") from None
        rows = [
            {
                "unit": obligation.unit.name,
                "item": obligation.item.number,
                "deadline": obligation.item.deadline.isoformat(),
                "state": obligation.item.state,
                "created": obligation in created,
            }
            for obligation in plan.implementations.select_related("unit", "item")
        ]
        if as_json:
            self.stdout.write(_dumps({"plan": plan.title, "obligations": rows}))
            return
        self.stdout.write(f"{plan.title}: {len(created)} obligations created, {len(rows)} in all")
        for row in rows:
            self.stdout.write(f"{row['item']} {row['unit']} {row['deadline']} {row['state']}")

    def _import(self, *, path, jurisdiction, create_units, dry_run, json: bool, **options):
        try:
            text = read_document(Path(path))
            area_hint = parse_plan(text).area
        except (PlanError, UnreadableFile) as error:
            where = f", line {error.line}" if isinstance(error, PlanError) else ""
            message = error.message if isinstance(error, PlanError) else str(error)
            raise CommandError(f"{path}{where}: {message}; nothing imported") from None
        area = self._jurisdiction(jurisdiction or "/".join(area_hint), required=not dry_run)
        document = parse_plan(text, known_units=known_units(area))
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
