"""ecogov assess — the assessment from the command line.

ecogov assess run --scheme CODE --period 2026Q4 [--jurisdiction 城中区] [--user USERNAME] [--json]
    computes (or recomputes) the period's draft from the record; refused for a
    published period; the same record gives the same result (its digest is printed)
ecogov assess list [--jurisdiction 城中区] [--json]
ecogov assess show ID [--json]       the ranking with every line and its traces
ecogov assess period-end [--today 2026-01-01]   what the nightly job does; safe to repeat
"""

import datetime
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from ecogov.accounts.models import User
from ecogov.assess import services
from ecogov.assess.models import Assessment, Scheme
from ecogov.org.selectors import JurisdictionNotFound, jurisdiction_find


def _score_data(score, lines: bool) -> dict:
    data = {"rank": score.rank, "unit": score.unit.name, "total": str(score.total),
            "grade": score.grade, "vetoed": score.vetoed}  # fmt: skip
    if lines:
        data["lines"] = [
            {"name": line.name, "kind": line.kind, "points": str(line.points),
             "computed": None if line.computed is None else str(line.computed),
             "basis": line.summary, "reason": line.reason,
             "traces": [{"record": t.label, "what": t.note, "points": str(t.points), "url": t.url}
                        for t in line.traces.all()]}
            for line in score.lines.all()
        ]  # fmt: skip
    return data


def assessment_data(assessment: Assessment, *, lines=False) -> dict:
    scores = assessment.scores.select_related("unit").prefetch_related("lines__traces")
    return {
        "id": assessment.pk, "scheme": assessment.scheme.code,
        "version": assessment.scheme.version, "name": assessment.scheme.name,
        "period": assessment.period, "state": assessment.state, "digest": assessment.digest,
        "scores": [_score_data(s, lines) for s in scores.order_by("rank", "unit__order")],
    }  # fmt: skip


class Command(BaseCommand):
    help = "Assessment: compute a period from the record, list and show results."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        run = actions.add_parser("run")
        run.add_argument("--scheme", required=True, help="the scheme's code")
        run.add_argument("--period", required=True, help="2026 or 2026Q4")
        run.add_argument("--jurisdiction")
        run.add_argument("--user", help="the dispatcher who runs it (default: the job)")
        run.add_argument("--json", action="store_true")
        listing = actions.add_parser("list")
        listing.add_argument("--jurisdiction")
        listing.add_argument("--json", action="store_true")
        show = actions.add_parser("show")
        show.add_argument("id", type=int)
        show.add_argument("--json", action="store_true")
        end = actions.add_parser("period-end")
        end.add_argument("--today", type=datetime.date.fromisoformat)

    def handle(self, *args, **options):
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except (ValidationError, PermissionDenied) as error:
            messages = getattr(error, "messages", None) or [str(error)]
            raise CommandError("；".join(messages)) from None

    def _schemes(self, options):
        schemes = Scheme.objects.all()
        if options.get("jurisdiction"):
            try:
                schemes = schemes.filter(jurisdiction=jurisdiction_find(options["jurisdiction"]))
            except JurisdictionNotFound as error:
                raise CommandError(str(error)) from None
        return schemes

    def _run(self, options):
        versions = self._schemes(options).filter(code=options["scheme"])
        scheme = versions.filter(state=Scheme.State.ACTIVE).first() or versions.first()
        if scheme is None:
            raise CommandError(f"no scheme {options['scheme']!r}")
        user = None
        if options.get("user"):
            user = User.objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"no active account {options['user']!r}")
        assessment = services.assessment_run(scheme, options["period"], by=user)
        if options["json"]:
            self.stdout.write(json.dumps(assessment_data(assessment), ensure_ascii=False))
            return
        self.stdout.write(f"{assessment} ({assessment.get_state_display()}) {assessment.digest}")
        for score in assessment.scores.select_related("unit").order_by("rank", "unit__order"):
            veto = " 一票否决" if score.vetoed else ""
            self.stdout.write(f"{score.rank:>3} {score.unit.name} {score.total}{veto}")

    def _list(self, options):
        assessments = Assessment.objects.filter(scheme__in=self._schemes(options))
        assessments = assessments.select_related("scheme").order_by("-end", "scheme__code")
        if options["json"]:
            data = [{"id": a.pk, "scheme": a.scheme.code, "version": a.scheme.version,
                     "period": a.period, "state": a.state} for a in assessments]  # fmt: skip
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        for a in assessments:
            self.stdout.write(f"{a.pk:>4} {a.scheme.code} v{a.scheme.version} {a.period} {a.state}")

    def _show(self, options):
        assessment = Assessment.objects.filter(pk=options["id"]).select_related("scheme").first()
        if assessment is None:
            raise CommandError(f"no assessment {options['id']}")
        data = assessment_data(assessment, lines=True)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self.stdout.write(f"{assessment} ({assessment.get_state_display()})")
        for score in data["scores"]:
            self.stdout.write(f"{score['rank']:>3} {score['unit']} {score['total']}")
            for line in score["lines"]:
                self.stdout.write(f"      {line['name']}: {line['points']} {line['basis']}")
                for trace in line["traces"]:
                    self.stdout.write(
                        f"        {trace['record']} {trace['what']} {trace['points']}"
                    )

    def _period_end(self, options):
        made = services.period_end_run(options.get("today"))
        self.stdout.write(f"{len(made)} periods computed")
