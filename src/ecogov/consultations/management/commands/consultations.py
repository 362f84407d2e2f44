"""ecogov consultations — the public consultations from the command line.

ecogov consultations list [--state draft|open|closed|answered] [--as USERNAME] [--json]

Without --as, every consultation (an operator at the machine); with it, what that
account may see. Never who commented: the counts of comments only.
"""

import json

from django.core.management.base import BaseCommand
from django.db.models import Count, Q

from ecogov import access
from ecogov.consultations.models import Comment, Consultation, State
from ecogov.rectification.management.commands.rectification import _viewer


def rows_of(user, state: str | None = None) -> list[dict]:
    consultations = access.scope(user, Consultation).select_related("organiser").annotate(
        pending=Count("comments", filter=Q(comments__status=Comment.Status.PENDING)),
        published=Count("comments", filter=Q(comments__status=Comment.Status.PUBLISHED)),
    )  # fmt: skip
    if state:
        consultations = consultations.filter(state=state)
    return [{"id": c.pk, "title": c.title, "kind": c.kind, "organiser": c.organiser.name,
             "state": c.state, "opens_on": str(c.opens_on or ""), "closes_on": str(c.closes_on),
             "comments_pending": c.pending, "comments_published": c.published}
            for c in consultations]  # fmt: skip


class Command(BaseCommand):
    help = "The public consultations: drafts, open, closed and answered."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        show = actions.add_parser("list", help="the consultations an account may see")
        show.add_argument("--state", choices=State.values)
        show.add_argument("--as", dest="username")
        show.add_argument("--json", action="store_true")

    def handle(self, *args, action, state=None, username=None, **options):
        rows = rows_of(_viewer(username), state)
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            self.stdout.write(f"{row['id']:>5} {row['state']:<9} {row['opens_on'] or '-':>10}.."
                              f"{row['closes_on']}  {row['title']}  {row['organiser']}  "
                              f"{row['comments_published']}/{row['comments_pending']}")  # fmt: skip
        if not rows:
            self.stdout.write("no consultations")
