"""ecogov sample load — the sample data: Chengzhong District (Xining) with its member units,
grid, pollution sources, patrols, cases, 2024–2026 action plan and online monitoring, and
Wuhai City's 2022 plan (idempotent; monitoring data are filled up to the last hour).

ecogov sample city — a fictional city's year at a chosen size (``ecogov.web.city``), into an
empty database."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ecogov.assess.sample import assess_sample_load, credit_sample_load
from ecogov.campaigns.sample import campaigns_sample_load
from ecogov.cases.learning import router_train
from ecogov.cases.sample import cases_sample_load
from ecogov.consultations.sample import consultations_sample_load
from ecogov.enterprises.sample import enterprises_sample_load
from ecogov.grid.sample import grid_sample_load
from ecogov.meetings.sample import meetings_sample_load
from ecogov.monitoring.sample import monitoring_sample_load
from ecogov.org.sample import sample_load
from ecogov.patrols.sample import patrols_sample_load
from ecogov.plans.sample import plans_sample_load
from ecogov.rectification.sample import rectification_sample_load
from ecogov.sanctions.sample import sanctions_sample_load
from ecogov.sources.sample import sources_sample_load
from ecogov.suggestions.sample import suggestions_sample_load
from ecogov.supervision.sample import supervision_sample_load


class Command(BaseCommand):
    help = "Load the sample district (Chengzhong District, Xining) and the sample plans."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("load")
        city = actions.add_parser(
            "city",
            help=(
                "Generate a fictional city (示例省 › 江源市) into an empty database: districts "
                "with the sample district's units and duty list, grids, sources, monitoring "
                "points with hourly and minute readings, plan tasks with reports, supervised "
                "items, patrols and cases in every state. The same --seed gives the same data. "
                "The full size (the defaults) writes about 100,000 cases, 5,000 sources, "
                "1,000 points, ~41 M hourly and ~10 M minute readings: 40 min on PostgreSQL on "
                "a shared 2-core machine, half of it counting the points' days (README)."
            ),
        )
        city.add_argument("--districts", type=int, default=7)
        city.add_argument("--cases", type=int, default=100_000)
        city.add_argument("--sources", type=int, default=5_000)
        city.add_argument("--points", type=int, default=1_000)
        city.add_argument("--days", type=int, default=365)
        city.add_argument("--minute-days", type=int, default=7)
        city.add_argument("--tasks", type=int, default=1_000)
        city.add_argument("--seed", type=int, default=1)
        city.add_argument("--json", action="store_true", help="print the counts as JSON")
        city.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        if options["action"] == "city":
            return self._city(options)
        self._load()

    def _city(self, options):
        from ecogov.web.city import CityExists, Size, city_generate

        size = Size(**{key: options[key] for key in (
            "districts", "cases", "sources", "points", "days", "minute_days", "tasks", "seed")})  # fmt: skip
        if size.districts < 1 or size.districts > 99 or size.sources < size.districts:
            raise CommandError("--districts must be 1–99 and --sources at least one per district.")
        if (
            min(size.cases, size.points, size.days, size.minute_days, size.tasks) < 0
            or not size.days
        ):
            raise CommandError("Sizes must not be negative, and --days at least 1.")
        hourly, minute = size.readings()
        if not options["json"]:
            self.stdout.write(
                f"city of {size.districts} districts: {size.cases:,} cases, {size.sources:,} "
                f"sources, {size.points:,} points, ~{size.tasks:,} tasks; about {hourly:,} "
                f"hourly and {minute:,} minute readings"
            )
        try:
            counts = city_generate(size, out=None if options["quiet"] else self.stderr._out)
        except CityExists as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            self.stdout.write(json.dumps(counts, ensure_ascii=False))
        else:
            self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))

    @transaction.atomic
    def _load(self):
        district, report = sample_load()
        grids = grid_sample_load(district)
        sources = sources_sample_load(district)
        patrols = patrols_sample_load(district)
        cases = cases_sample_load(district)
        self.stdout.write(
            f"sample district 青海省 › 西宁市 › 城中区: {len(report.units_created)} units created, "
            f"{len(report.units_found)} already there, {report.duties_added} duties added; "
            f"grid: {len(grids.created)} created, {grids.unchanged} unchanged; {sources} sample sources added, "
            f"{patrols} sample patrols added, {cases} sample cases added"
        )
        # The router's learned part, trained as the nightly job would (a no-op when nothing
        # changed), so that a new install routes its first reports with it.
        if model := router_train(jurisdiction=district):
            self.stdout.write(
                f"case router of {district.name}: learned part trained on {model.examples} "
                f"examples ({model.decisions} decisions of the bureau)"
            )
        for plan in plans_sample_load():
            self.stdout.write(
                f"sample plan {plan.title} ({plan.jurisdiction}): {plan.tasks.count()} tasks, "
                f"{plan.targets.count()} targets"
            )
        # After the cases and plans: the meetings' agenda takes cases and red items.
        self.stdout.write(f"sample meetings: {meetings_sample_load(district)} added")
        # After the plans and cases: implementation plans and a joint enforcement campaign.
        campaigns = campaigns_sample_load(district)
        self.stdout.write(
            f"sample implementation plans uploaded: {campaigns['implementation_plans_uploaded']}; "
            f"campaign: {campaigns['campaign'] or 'already there'}"
        )
        # After the plans: monitoring feeds two of the plan's targets.
        uploads = monitoring_sample_load(district)
        self.stdout.write(f"sample monitoring: {uploads} hourly uploads stored")
        items = supervision_sample_load(district)
        self.stdout.write(f"sample supervision: {items} instructions and special items added")
        self.stdout.write(
            f"sample suggestions and proposals: {suggestions_sample_load(district)} added"
        )
        self.stdout.write(
            f"sample rectification problems: {rectification_sample_load(district)} added"
        )
        # After the rectification sample: the referral takes its red, escalated problem.
        self.stdout.write(f"sample sanctions: {sanctions_sample_load(district)} added")
        # After the cases and sanctions: a blacklisted enterprise and the project register.
        self.stdout.write(
            f"sample blacklist and projects: {enterprises_sample_load(district)} added"
        )
        self.stdout.write(f"sample consultations: {consultations_sample_load(district)} added")
        # Last: the assessments are computed from everything above.
        self.stdout.write(f"sample assessments: {assess_sample_load(district)} schemes added")
        self.stdout.write(f"sample credit rating: {credit_sample_load(district)} added")
