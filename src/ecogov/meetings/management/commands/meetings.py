"""ecogov meetings list|show — the coordination meetings, their minutes and resolutions."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ecogov.meetings.models import Meeting
from ecogov.meetings.services import deadline_text


def meeting_row(meeting: Meeting) -> dict:
    return {
        "id": meeting.pk,
        "jurisdiction": meeting.jurisdiction.name,
        "title": meeting.title,
        "kind": meeting.kind,
        "convener": meeting.convener.name,
        "starts_at": timezone.localtime(meeting.starts_at).isoformat(),
        "place": meeting.place,
        "chair": meeting.chair,
        "state": meeting.state,
    }


def meeting_full(meeting: Meeting) -> dict:
    return {
        **meeting_row(meeting),
        "agenda": [
            {"order": e.order, "kind": e.kind, "title": e.title}
            for e in meeting.agenda.order_by("order", "pk")
        ],
        "attendance": [
            {
                "unit": i.unit.name,
                "attendance": i.attendance,
                "person": i.person,
                "position": i.position,
            }
            for i in meeting.invitations.select_related("unit")
        ],  # fmt: skip
        "topics": [
            {"unit": t.unit.name, "title": t.title, "state": t.state}
            for t in meeting.topics.select_related("unit").order_by("proposed_at", "pk")
        ],
        "minutes": [
            {
                "id": m.pk,
                "title": m.title,
                "number": m.number,
                "state": m.state,
                "corrects": m.corrects_id,
                "resolutions": [
                    {
                        "order": r.order,
                        "text": r.text,
                        "lead": r.lead.name,
                        "support": [u.name for u in r.support.all()],
                        "deadline": deadline_text(r),
                        "level": r.level,
                        "item": r.item.number if r.item else None,
                        "item_state": r.item.state if r.item else None,
                        "colour": r.item.colour if r.item else None,
                    }
                    for r in m.resolutions.select_related("lead", "item").order_by("order")
                ],
            }
            for m in meeting.minutes.order_by("created_at", "pk")
        ],  # fmt: skip
    }


class Command(BaseCommand):
    help = "List the coordination meetings, or show one with its agenda, attendance and minutes."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        listing = actions.add_parser("list", help="every meeting, latest first")
        listing.add_argument("--json", action="store_true")
        show = actions.add_parser("show", help="one meeting in full")
        show.add_argument("id", type=int)
        show.add_argument("--json", action="store_true")

    def handle(self, *args, action, json: bool = False, **options):
        meetings = Meeting.objects.select_related("jurisdiction", "convener")
        if action == "list":
            rows = [meeting_row(m) for m in meetings]
            if json:
                self._json(rows)
                return
            for row in rows:
                self.stdout.write(
                    f"{row['id']:>5}  {row['starts_at'][:16]}  {row['state']:<15} {row['title']}"
                )
            return
        meeting = meetings.filter(pk=options["id"]).first()
        if meeting is None:
            raise CommandError(f"no meeting {options['id']}")
        full = meeting_full(meeting)
        if json:
            self._json(full)
            return
        self.stdout.write(
            f"{full['title']} ({full['state']}) {full['starts_at'][:16]} {full['place']}"
        )
        for entry in full["agenda"]:
            self.stdout.write(f"  议题{entry['order']}. {entry['title']}")
        for minutes in full["minutes"]:
            self.stdout.write(f"  {minutes['title']} {minutes['number']} ({minutes['state']})")
            for r in minutes["resolutions"]:
                self.stdout.write(
                    f"    {r['order']}. {r['text'][:40]} — {r['lead']} — {r['deadline']} "
                    f"[{r['item'] or '-'} {r['item_state'] or ''} {r['colour'] or ''}]"
                )

    def _json(self, data) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
