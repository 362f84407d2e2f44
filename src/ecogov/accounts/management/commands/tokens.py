"""ecogov tokens create|list|revoke — API tokens for scripts."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ecogov.accounts.models import ApiToken, User
from ecogov.accounts.services import token_create, token_revoke


class Command(BaseCommand):
    help = "Create, list or revoke API bearer tokens."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create")
        create.add_argument("username")
        create.add_argument("--name", default="script")
        create.add_argument("--days", type=int, default=None, help="expire after N days")
        lst = actions.add_parser("list")
        lst.add_argument("username")
        revoke = actions.add_parser("revoke")
        revoke.add_argument("prefix", help="the 6 characters after eg_")

    def handle(self, *args, action, **options):
        if action == "create":
            user = User.objects.filter(username=options["username"], is_active=True).first()
            if user is None:
                raise CommandError(f"no active user {options['username']!r}")
            expires = (
                timezone.now() + datetime.timedelta(days=options["days"])
                if options["days"]
                else None
            )
            _token, key = token_create(user=user, name=options["name"], expires=expires)
            self.stdout.write(key)
            self.stderr.write("Keep this token secret; it is shown only once.")
        elif action == "list":
            for token in ApiToken.objects.filter(user__username=options["username"]):
                state = "revoked" if token.revoked else "active"
                self.stdout.write(
                    f"eg_{token.prefix}… {token.name} {state} last used {token.last_used}"
                )
        else:
            tokens = ApiToken.objects.filter(prefix=options["prefix"], revoked=None)
            if tokens.count() != 1:
                raise CommandError(f"no single active token starts with eg_{options['prefix']}")
            token_revoke(token=tokens.get())
            self.stdout.write("revoked")
