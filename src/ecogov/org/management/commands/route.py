"""ecogov route [--jurisdiction NAME] [--locality UNIT] [--json] TEXT — which unit must
handle a complaint, by the jurisdiction's duty lists and, where it has one, its learned
part (the JSON keeps the shape scripts rely on: lead, support, clause, candidates,
category)."""

import json

from django.core.management.base import BaseCommand, CommandError

from ecogov.org.management.commands.units import find_jurisdiction
from ecogov.org.models import DutyItem, Jurisdiction
from ecogov.org.routing import router_for


def _default_jurisdiction() -> Jurisdiction:
    with_duties = Jurisdiction.objects.filter(units__duties__isnull=False).distinct()
    if with_duties.count() != 1:
        names = "、".join(j.name for j in with_duties) or "none"
        raise CommandError(
            f"Say which jurisdiction with --jurisdiction (with duty lists: {names})."
        )
    return with_duties.get()


class Command(BaseCommand):
    help = "Propose the lead unit for a complaint text from the duty lists."

    def add_arguments(self, parser):
        parser.add_argument("text")
        parser.add_argument(
            "--jurisdiction", help="name of the area (default: the only one with duty lists)"
        )
        parser.add_argument(
            "--locality", help="the township or street office of the place, if known"
        )
        parser.add_argument("--json", action="store_true", help="print JSON for scripts")

    def handle(self, *args, **options):
        text = options["text"].strip()
        if not text:
            raise CommandError("Give the complaint text.")
        area = (
            find_jurisdiction(options["jurisdiction"])
            if options["jurisdiction"]
            else _default_jurisdiction()
        )
        if not DutyItem.objects.filter(unit__jurisdiction=area).exists():
            raise CommandError(f"{area.name} has no duty list to route by; import one first.")
        routing = router_for(area).route(text, locality=options["locality"])
        if options["json"]:
            self.stdout.write(json.dumps(routing.as_dict(), ensure_ascii=False))
            return
        if routing.lead:
            self.stdout.write(f"lead: {routing.lead}")
            if routing.support:
                self.stdout.write(f"support: {'、'.join(routing.support)}")
            if routing.clause:
                self.stdout.write(f"clause: {routing.clause}")
        else:
            self.stdout.write("disputed: no unit clearly responsible; the bureau decides")
        if routing.precedent is not None:
            self.stdout.write(
                f"follows an earlier decision of the bureau ({routing.precedent:.0%} alike)"
            )
        if routing.confidence is not None and routing.lead:
            self.stdout.write(f"learned part: {routing.confidence:.0%} for the proposed unit")
        self.stdout.write(f"category: {routing.category} ({routing.subcategory or '—'})")
        for candidate in routing.candidates[:5]:
            self.stdout.write(f"  {candidate.score:.3f}  {candidate.unit}")
        for unit, probability in routing.learned[:3]:
            self.stdout.write(f"  learned {probability:.0%}  {unit}")
