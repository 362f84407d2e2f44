"""ecogov suggestions list [--jurisdiction 城中区] [--state handling] [--json] — the
suggestions and proposals with their handling units, deadlines and states (never an
author's contact)."""

import json

from django.core.management.base import BaseCommand, CommandError

from ecogov.org.models import Jurisdiction
from ecogov.suggestions import selectors, services
from ecogov.suggestions.models import Handler, Suggestion


def _row(suggestion: Suggestion) -> dict:
    handlers = [h for h in suggestion.handlers.all() if h.ended_on is None]
    item = suggestion.item
    return {
        "id": suggestion.pk,
        "reference": suggestion.reference,
        "kind": suggestion.kind,
        "title": suggestion.title,
        "received_on": suggestion.received_on.isoformat(),
        "state": suggestion.state,
        "status": services.status_of(suggestion),
        "rehandled": suggestion.rehandled,
        "authors": [str(author) for author in suggestion.authors.all()],
        "main": next((h.unit.name for h in handlers if h.role == Handler.Role.MAIN), None),
        "co": [h.unit.name for h in handlers if h.role == Handler.Role.CO],
        "item": item.number if item else None,
        "deadline": item.deadline.isoformat() if item and item.deadline else None,
        "colour": item.colour if item else "",
    }


class Command(BaseCommand):
    help = "List the suggestions and proposals (建议提案)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        listing = actions.add_parser("list")
        listing.add_argument("--jurisdiction", help="name of the district (default: all)")
        listing.add_argument("--state", choices=selectors.STATES)
        listing.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, jurisdiction=None, state=None, as_json=False, **options):
        suggestions = selectors.suggestions_for_all(selectors.Filters(state=state or ""))
        if jurisdiction:
            found = Jurisdiction.objects.filter(name=jurisdiction).first()
            if found is None:
                raise CommandError(f"no jurisdiction named {jurisdiction}")
            suggestions = suggestions.filter(jurisdiction=found)
        rows = [_row(s) for s in suggestions.order_by("received_on", "pk")]
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            self.stdout.write(
                f"{row['reference']}\t{row['title']}\t{row['main'] or '—'}\t"
                f"{row['deadline'] or '—'}\t{row['status']}"
            )
