"""ecogov plan import — a plan document's tasks, units and targets; ecogov plan obligations —
the implementation plans its lead units owe, on the supervision ledger.

ecogov plan import PLAN.txt|PLAN.docx|PLAN.pdf [--jurisdiction 城中区]
    [--map "市城管局=区城市管理综合行政执法局" ...] [--create-units] [--dry-run] [--json]

A unit the registry does not know by name, alias or former name is mapped with --map,
registered with --create-units, or else kept as written (and listed); collective units
("各县（市、区）人民政府") are always kept as written. Bad input imports nothing.
"""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ecogov.domain.plandoc import PlanError, parse_plan
from ecogov.domain.textfile import UnreadableFile
from ecogov.org.selectors import BadMapping, JurisdictionNotFound, jurisdiction_find, unit_mapping
from ecogov.plans.documents import read_document
from ecogov.plans.implementation import implementation_obligations
from ecogov.plans.models import Plan
from ecogov.plans.services import plan_document_import, plan_report


class Command(BaseCommand):
    help = (
        "Import an action plan (.txt, .docx or a text PDF): its tasks, their units and "
        "deadlines, its targets."
    )

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
        imp.add_argument(
            "--map", action="append", default=[], metavar="NAME=UNIT",
            help="a unit name as the plan writes it → a unit in the registry (repeatable)",
        )  # fmt: skip
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
            raise CommandError(f"{_refusal(path, error)}; nothing imported") from None
        area = self._jurisdiction(jurisdiction or "/".join(area_hint), required=not dry_run)
        try:
            mapping = unit_mapping(options.get("map") or [], area) if area else {}
        except BadMapping as error:
            raise CommandError(f"{error}; nothing imported") from None
        try:
            reading = plan_document_import(
                text=text, jurisdiction=area, source=Path(path).name, mapping=mapping,
                create_units=create_units, dry_run=dry_run,
            )  # fmt: skip
        except PlanError as error:
            raise CommandError(f"{_refusal(path, error)}; nothing imported") from None
        except ValidationError as error:
            raise CommandError(f"{path}: {'; '.join(error.messages)}; nothing imported") from None
        document, resolution = reading.document, reading.resolution
        report = plan_report(document, reading.targets, resolution)
        if json:
            self.stdout.write(_dumps(report))
            return
        verb = "would import" if dry_run else "imported"
        self.stdout.write(
            f"{verb} {document.title}: {len(report['tasks'])} tasks, {len(report['targets'])} targets"
            + (f" into {area}" if area else "")
        )
        if resolution.mapped:
            self.stdout.write(
                "mapped: "
                + "、".join(f"{name}={resolution.display(name)}" for name in resolution.mapped)
            )
        if resolution.remembered:
            self.stdout.write(
                "mapped as when the plan was last imported: "
                + "、".join(f"{name}={resolution.display(name)}" for name in resolution.remembered)
            )
        if resolution.created:
            verb = "would register" if dry_run else "registered"
            self.stdout.write(f"{verb} as new units: " + "、".join(resolution.created))
        if report["collective_mentions"]:
            self.stdout.write(
                "kept as written, not units: " + "、".join(report["collective_mentions"])
            )
        if report["unresolved_units"]:
            self.stderr.write(
                "units not in the registry, kept as written (map each with --map 'NAME=UNIT' "
                "or register them with --create-units): " + "、".join(report["unresolved_units"])
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


def _refusal(path, error: PlanError | UnreadableFile) -> str:
    if isinstance(error, PlanError):
        return f"{path}, line {error.line}: {error.message}"
    return str(error) if str(path) in str(error) else f"{path}: {error}"


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
