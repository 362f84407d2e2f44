"""ecogov sanctions — the sanctions from the command line.

ecogov sanctions list [--kind notice|admonition|restriction|referral] [--open]
    [--as USERNAME] [--json]

Without --as, the whole list (an operator at the machine); with it, what that account
may see. --open lists only the open sanctions (as the leaders' page shows them).
"""

import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from ecogov import access
from ecogov.rectification.management.commands.rectification import _viewer
from ecogov.sanctions.models import Admonition, CriticismNotice, Referral, Restriction
from ecogov.sanctions.selectors import open_sanctions

KINDS = ("notice", "admonition", "restriction", "referral")


def rows_of(user, kinds=KINDS) -> list[dict]:
    today = timezone.localdate()
    rows = []
    if "notice" in kinds:
        for n in access.scope(user, CriticismNotice).prefetch_related("units").distinct():
            rows.append({"kind": "notice", "id": n.pk, "number": n.number, "title": n.title,
                         "units": [u.name for u in n.units.all()], "state": n.state,
                         "date": str(n.issued_on or n.created_at.date()),
                         "published": n.published})  # fmt: skip
    if "admonition" in kinds:
        for a in access.scope(user, Admonition).prefetch_related("summoned__unit", "commitments"):
            rows.append({"kind": "admonition", "id": a.pk, "number": a.number, "title": a.title,
                         "units": [s.unit.name for s in a.summoned.all()],
                         "state": f"{a.commitments.count()} commitments",
                         "date": str(timezone.localdate(a.held_at))})  # fmt: skip
    if "restriction" in kinds:
        for r in access.scope(user, Restriction).select_related("jurisdiction"):
            rows.append({"kind": "restriction", "id": r.pk, "number": r.number,
                         "title": r.reason[:60], "units": [r.jurisdiction.name],
                         "state": "in force" if r.active_on(today) else
                         ("lifted" if r.lifted_on else "not in force"),
                         "date": f"{r.starts_on}..{r.ends_on}"})  # fmt: skip
    if "referral" in kinds:
        for r in access.scope(user, Referral).prefetch_related("units").distinct():
            rows.append({"kind": "referral", "id": r.pk, "number": r.number,
                         "title": r.get_target_display(), "units": [u.name for u in r.units.all()],
                         "state": r.state, "date": str(r.referred_on)})  # fmt: skip
    return rows


class Command(BaseCommand):
    help = "The sanctions: criticism notices, admonition talks, restrictions, referrals."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        show = actions.add_parser("list", help="the sanctions an account may see")
        show.add_argument("--kind", choices=KINDS)
        show.add_argument("--open", action="store_true", help="only the open sanctions")
        show.add_argument("--as", dest="username")
        show.add_argument("--json", action="store_true")

    def handle(self, *args, action, kind=None, username=None, **options):
        user = _viewer(username)
        if options["open"]:
            rows = [{"kind": str(r.kind), "unit": r.unit, "unit_id": r.unit_id,
                     "title": r.title, "since": str(r.since), "state": str(r.state),
                     "url": r.url} for r in open_sanctions(user)]  # fmt: skip
        else:
            rows = rows_of(user, (kind,) if kind else KINDS)
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            units = "、".join(row.get("units", [row.get("unit", "")]))
            self.stdout.write(f"{row['kind']:<12} {row.get('number', '')}  {row['title']}  "
                              f"{units}  {row['state']}  {row.get('date', row.get('since'))}")  # fmt: skip
        if not rows:
            self.stdout.write("no sanctions")
