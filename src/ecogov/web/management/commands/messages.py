"""ecogov messages compile — build the .mo translation catalogs from the .po files.

Django's own compilemessages needs GNU gettext; this uses polib so that a fresh machine
with Python alone can build them.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile the translation catalogs (.po → .mo) without GNU gettext."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("compile")

    def handle(self, *args, **options):
        count = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in Path(locale_dir).glob("*/LC_MESSAGES/*.po"):
                catalog = polib.pofile(str(po_path))
                if catalog.percent_translated() < 100:
                    missing = [entry.msgid for entry in catalog.untranslated_entries()][:5]
                    raise CommandError(f"{po_path}: untranslated strings, e.g. {missing}")
                catalog.save_as_mofile(str(po_path.with_suffix(".mo")))
                count += 1
        self.stdout.write(f"compiled {count} catalogs")
