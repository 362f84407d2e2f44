"""ecogov sample load — the sample district: Qinghai › Xining › Chengzhong (idempotent)."""

from django.core.management.base import BaseCommand

from ecogov.org.sample import sample_load


class Command(BaseCommand):
    help = "Load the sample district (Chengzhong District, Xining) with its 23 member units."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("load")

    def handle(self, *args, **options):
        _district, report = sample_load()
        self.stdout.write(
            f"sample district 青海省 › 西宁市 › 城中区: {len(report.units_created)} units created, "
            f"{len(report.units_found)} already there, {report.duties_added} duties added"
        )
