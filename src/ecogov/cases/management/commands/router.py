"""ecogov router train [--jurisdiction NAME] | show [--jurisdiction NAME] [--json] — the
learned part of the case router: retrain it now (as the nightly job does), or show what
each jurisdiction's was trained on."""

import json as _json

from django.core.management.base import BaseCommand, CommandError

from ecogov.cases.learning import router_train, router_train_all
from ecogov.cases.models import RoutingExample
from ecogov.org.management.commands.units import find_jurisdiction
from ecogov.org.models import RouterModel


class Command(BaseCommand):
    help = "Retrain or show the learned part of the case router."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        train = actions.add_parser("train", help="retrain now on the base set and decisions")
        train.add_argument("--jurisdiction", help="area name or path (default: every area)")
        show = actions.add_parser("show", help="when and on what each model was trained")
        show.add_argument("--jurisdiction")
        show.add_argument("--json", action="store_true", help="print JSON for scripts")

    def handle(self, *args, action, **options):
        getattr(self, f"handle_{action}")(**options)

    def handle_train(self, *, jurisdiction, **options):
        if jurisdiction:
            area = find_jurisdiction(jurisdiction)
            results = [(area, router_train(jurisdiction=area))]
        else:
            results = router_train_all()
        if not results:
            raise CommandError("No jurisdiction has a duty list or decisions to learn from.")
        for area, model in results:
            if model is None:
                self.stdout.write(f"{area.name}: too few labelled units to learn from")
            else:
                self.stdout.write(
                    f"{area.name}: {model.examples} examples ({model.decisions} decisions of "
                    f"the bureau), {model.units} units, trained {model.trained_at:%Y-%m-%d %H:%M}, "
                    f"digest {model.digest[:12]}"
                )

    def handle_show(self, *, jurisdiction, json: bool, **options):
        models = RouterModel.objects.select_related("jurisdiction").order_by("jurisdiction")
        if jurisdiction:
            models = models.filter(jurisdiction=find_jurisdiction(jurisdiction))
        rows = [
            {
                "jurisdiction": m.jurisdiction.name,
                "trained_at": m.trained_at.isoformat(),
                "examples": m.examples,
                "decisions": m.decisions,
                "pending_decisions": RoutingExample.objects.filter(
                    jurisdiction=m.jurisdiction, decided_at__gt=m.trained_at
                ).count(),
                "units": m.units,
                "digest": m.digest,
                "bytes": len(m.data),
            }
            for m in models
        ]
        if json:
            self.stdout.write(_json.dumps(rows, ensure_ascii=False))
            return
        if not rows:
            self.stdout.write("No router model yet: run `ecogov router train`.")
        for row in rows:
            self.stdout.write(
                f"{row['jurisdiction']}: trained {row['trained_at'][:16]} on {row['examples']} "
                f"examples ({row['decisions']} decisions of the bureau, "
                f"{row['pending_decisions']} since), {row['units']} units, "
                f"{row['bytes'] // 1024} KiB, digest {row['digest'][:12]}"
            )
