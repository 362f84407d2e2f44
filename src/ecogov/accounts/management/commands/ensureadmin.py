"""ecogov ensureadmin — create the administrator account once.

The password comes from ECOGOV_ADMIN_PASSWORD; without it one is generated and printed
this one time (it is stored only as a hash).
"""

import os
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ecogov.accounts.services import administrator_ensure


class Command(BaseCommand):
    help = "Create the administrator account if it does not exist."

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.getenv("ECOGOV_ADMIN_USER", "admin"))

    def handle(self, *args, username, **options):
        password = os.getenv("ECOGOV_ADMIN_PASSWORD", "")
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        else:
            try:
                validate_password(password)
            except ValidationError as error:
                raise CommandError(
                    "ECOGOV_ADMIN_PASSWORD is too weak: " + " ".join(error.messages)
                ) from None
        user, created = administrator_ensure(username=username, password=password)
        if not created:
            self.stdout.write(f"administrator {username!r} exists; password unchanged")
            return
        if generated:
            self.stdout.write(
                self.style.WARNING(
                    f"administrator {username!r} created with password: {password}\n"
                    "It is shown only this once; change it after signing in."
                )
            )
        else:
            self.stdout.write(
                f"administrator {username!r} created (password from ECOGOV_ADMIN_PASSWORD)"
            )
