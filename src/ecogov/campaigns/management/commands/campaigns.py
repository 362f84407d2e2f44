"""ecogov campaigns list — the joint enforcement campaigns, with their figures."""

import json

from django.core.management.base import BaseCommand

from ecogov.campaigns.models import Campaign
from ecogov.campaigns.services import campaign_figures


def campaign_row(campaign: Campaign) -> dict:
    figures = campaign.figures if not campaign.is_open else campaign_figures(campaign).__dict__
    return {
        "id": campaign.pk,
        "title": campaign.title,
        "jurisdiction": str(campaign.jurisdiction),
        "state": campaign.state,
        "start": campaign.start.isoformat(),
        "end": campaign.end.isoformat(),
        "units": [unit.name for unit in campaign.units.all()],
        "figures": figures,
    }


class Command(BaseCommand):
    help = "List the joint enforcement campaigns (联合执法专项行动) with their figures."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        listing = actions.add_parser("list", help="the campaigns, newest first")
        listing.add_argument("--json", action="store_true")

    def handle(self, *args, action, **options):
        campaigns = Campaign.objects.select_related("jurisdiction").prefetch_related("units")
        rows = [campaign_row(campaign) for campaign in campaigns]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            figures = row["figures"]
            self.stdout.write(
                f"{row['id']} {row['title']} {row['start']}–{row['end']} {row['state']}: "
                f"{figures['inspections']} inspections, {figures['problems_found']} problems, "
                f"{figures['cases_opened']} cases"
            )
