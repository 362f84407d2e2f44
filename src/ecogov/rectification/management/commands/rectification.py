"""ecogov rectification — the rectification ledger from the command line.

ecogov rectification import LIST.xlsx --batch TITLE --user USERNAME [--origin central]
    [--received YYYY-MM-DD] [--team 第三督察组] [--jurisdiction 城中区]
    [--map "旧名=区生态环境局" ...] [--dry-run] [--json]
ecogov rectification list [--batch TITLE] [--jurisdiction 城中区] [--as USERNAME] [--json]
ecogov rectification export PROGRESS.xlsx|REPORT.docx --batch TITLE [--jurisdiction 城中区]
    [--as USERNAME]

An import is all or nothing: a refusal names every bad row and every unknown unit (map
those with --map) and exits non-zero.
"""

import dataclasses
import datetime
import json
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ecogov import access
from ecogov.accounts.models import User
from ecogov.org.selectors import (
    BadMapping,
    JurisdictionNotFound,
    jurisdiction_find,
    unit_mapping,
)
from ecogov.rectification import reports, services
from ecogov.rectification.imports import ImportRefused, ImportReport, NewBatch, list_import
from ecogov.rectification.models import Batch, Origin, Problem
from ecogov.rectification.services import PROGRESS_LABELS

MAX_LIST_BYTES = 20 * 1024 * 1024


def _account(username: str) -> User:
    try:
        return User.objects.select_related("unit__jurisdiction").get(
            username=username, is_active=True
        )
    except User.DoesNotExist:
        raise CommandError(f"no active account {username!r}") from None


def _viewer(username: str | None) -> User:
    """Whose view: a named account, or the whole ledger (an operator at the machine)."""
    if not username:
        return User(username="operator", is_superuser=True, is_active=True)
    return _account(username)


def _jurisdiction(name: str | None, user: User | None):
    if name:
        try:
            return jurisdiction_find(name)
        except JurisdictionNotFound as error:
            raise CommandError(str(error)) from None
    if user is not None and user.unit_id:
        return user.unit.jurisdiction
    raise CommandError("name the district with --jurisdiction (the account has no unit)")


def _mapping(pairs: list[str], jurisdiction) -> dict:
    try:
        return unit_mapping(pairs, jurisdiction)
    except BadMapping as error:
        raise CommandError(str(error)) from None


def _report_dict(report: ImportReport) -> dict:
    return dataclasses.asdict(report) | {"ok": report.ok}


class Command(BaseCommand):
    help = "The rectification ledger: import a problem list, list batches and problems."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser("import", help="enter a problem list (.xlsx), all or nothing")
        load.add_argument("path", type=Path)
        load.add_argument("--batch", required=True, help="the batch's title (new or existing)")
        load.add_argument("--user", required=True, help="the dispatcher who enters the list")
        load.add_argument("--origin", choices=Origin.values, help="who found the problems")
        load.add_argument("--received", type=datetime.date.fromisoformat, help="YYYY-MM-DD")
        load.add_argument("--team", default="", help="the inspection team (督察组)")
        load.add_argument("--jurisdiction", help="the district (default: the user's)")
        load.add_argument("--map", action="append", default=[], metavar="NAME=UNIT",
                          help="a name in the list → a unit in the registry (repeatable)")  # fmt: skip
        load.add_argument("--dry-run", action="store_true", help="check, report, change nothing")
        load.add_argument("--json", action="store_true")
        show = actions.add_parser("list", help="the batches, or one batch's problems")
        show.add_argument("--batch", help="a batch's title: list its problems")
        show.add_argument("--jurisdiction", help="the district (default: every one in view)")
        show.add_argument("--as", dest="username", help="list what this account sees")
        show.add_argument("--json", action="store_true")
        out = actions.add_parser("export", help="the upper-level progress table or report")
        out.add_argument("path", type=Path, help="PROGRESS.xlsx (the table) or REPORT.docx")
        out.add_argument("--batch", required=True, help="the batch's title")
        out.add_argument("--jurisdiction", help="the district (default: every one in view)")
        out.add_argument("--as", dest="username", help="over the problems this account sees")

    def handle(self, *args, action, **options):
        handlers = {"import": self.import_list, "list": self.list_ledger,
                    "export": self.export}  # fmt: skip
        handlers[action](**options)

    # --- import ----------------------------------------------------------------------

    def import_list(self, *, path: Path, batch: str, user: str, **options):
        by = _account(user)
        jurisdiction = _jurisdiction(options.get("jurisdiction"), by)
        if not path.is_file():
            raise CommandError(f"no file {path}")
        if path.stat().st_size > MAX_LIST_BYTES:
            raise CommandError(f"{path} is larger than {MAX_LIST_BYTES // 1024 // 1024} MB")
        existing = Batch.objects.filter(jurisdiction=jurisdiction, title=batch.strip()).first()
        if existing is not None and options.get("origin") not in (None, existing.origin):
            raise CommandError(
                f"the batch {batch!r} exists, found by {existing.origin}: leave --origin out"
            )
        try:
            report = list_import(
                path.read_bytes(), jurisdiction=jurisdiction, by=by, batch=existing,
                new_batch=NewBatch(title=batch, origin=options.get("origin") or "",
                                   received_on=options.get("received"), team=options["team"]),
                mapping=_mapping(options["map"], jurisdiction), dry_run=options["dry_run"],
            )  # fmt: skip
        except ImportRefused as refusal:
            self._print_report(refusal.report, as_json=options["json"])
            raise CommandError(
                f"nothing imported: {len(refusal.report.errors)} problems in {path.name}"
            ) from None
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        except ValidationError as error:
            raise CommandError("nothing imported: " + "；".join(error.messages)) from None
        self._print_report(report, as_json=options["json"])

    def _print_report(self, report: ImportReport, *, as_json: bool):
        if as_json:
            self.stdout.write(json.dumps(_report_dict(report), ensure_ascii=False, indent=2,
                                         default=str))  # fmt: skip
            return
        write = self.stdout.write
        for problem in report.problems:
            due = problem.deadline or ("长期坚持" if problem.stage == "long_term" else "")
            write(f"row {problem.row:<4} no.{problem.seq:<4} {problem.stage_label}  {due}  "
                  f"{problem.lead}  {problem.text[:40]}")  # fmt: skip
            for text, unit, deadline in problem.measures:
                write(f"    - {text[:50]}  {unit}  {deadline or ''}")
            for text, due in problem.milestones if problem.stage == "long_term" else ():
                write(f"    * {due}  {text[:50]}")
            for note in problem.notes:
                write(f"    ({note})")
        for note in report.notes:
            write(note)
        for error in report.errors:
            self.stderr.write(error)
        if report.unknown:
            self.stderr.write(
                "unknown units (map each with --map 'NAME=UNIT'): " + "、".join(report.unknown)
            )
        if report.ok:
            verb = "would be imported (dry run, nothing changed)" if report.dry_run else "imported"
            batch = "a new batch" if report.batch_new else "the batch"
            write(f"{len(report.problems)} problems {verb} into {batch} {report.batch_title}")

    # --- list ------------------------------------------------------------------------

    def list_ledger(self, *, batch: str | None, username: str | None, **options):
        viewer = _viewer(username)
        batches = access.scope(viewer, Batch).select_related("jurisdiction")
        if options.get("jurisdiction"):
            batches = batches.filter(jurisdiction=_jurisdiction(options["jurisdiction"], None))
        if batch is None:
            rows = [
                {"title": b.title, "jurisdiction": b.jurisdiction.name, "origin": b.origin,
                 "received_on": b.received_on, "team": b.team, "problems": b.problems.count(),
                 "closed": b.problems.filter(state=Problem.State.CLOSED).count()}
                for b in batches.order_by("-received_on", "-pk")
            ]  # fmt: skip
            self._write(rows, options["json"], "{received_on}  {title}  {problems} problems, "
                        "{closed} closed out  {jurisdiction}")  # fmt: skip
            return
        found = self._batch(batches, batch)
        today = timezone.localdate()
        problems = (
            access.scope(viewer, Problem.objects.filter(batch=found))
            .select_related("item__lead")
            .prefetch_related("measures", "milestones")
            .order_by("seq")
        )
        rows = []
        for problem in problems:
            progress = services.progress_of(problem, today)
            rows.append({
                "seq": problem.seq, "number": problem.item.number, "text": problem.text,
                "stage": problem.stage, "state": problem.state,
                "lead": problem.item.lead.name if problem.item.lead_id else "",
                "deadline": problem.item.deadline, "progress": str(progress),
                "progress_label": PROGRESS_LABELS[progress],
                "measures": problem.measures.count(),
            })  # fmt: skip
        self._write(rows, options["json"], "{seq:>4}  {number}  {state:10}  {progress_label}  "
                    "{lead}  {text:.40}")  # fmt: skip

    @staticmethod
    def _batch(batches, title: str) -> Batch:
        found = list(batches.filter(title=title.strip()))
        if not found:
            raise CommandError(f"no batch {title!r} in view")
        if len(found) > 1:
            raise CommandError(f"several batches {title!r}: give --jurisdiction")
        return found[0]

    # --- export ----------------------------------------------------------------------

    def export(self, *, path: Path, batch: str, username: str | None, **options):
        viewer = _viewer(username)
        batches = access.scope(viewer, Batch)
        if options.get("jurisdiction"):
            batches = batches.filter(jurisdiction=_jurisdiction(options["jurisdiction"], None))
        found = self._batch(batches, batch)
        problems = access.scope(viewer, Problem.objects.filter(batch=found))
        writers = {".xlsx": reports.progress_workbook, ".docx": reports.progress_report_docx}
        writer = writers.get(path.suffix.lower())
        if writer is None:
            raise CommandError(f"{path.name}: write a .xlsx (the table) or a .docx (the report)")
        path.write_bytes(writer(found, problems=problems))
        self.stdout.write(f"{path} written: {problems.count()} problems of {found.title}")

    def _write(self, rows: list[dict], as_json: bool, line: str):
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
            return
        for row in rows:
            self.stdout.write(line.format(**{k: "" if v is None else v for k, v in row.items()}))
