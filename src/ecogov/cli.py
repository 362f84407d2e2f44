"""The ``ecogov`` command: Django's management commands and EcoGov's own.

ecogov migrate
ecogov runserver
ecogov units import seed.txt --jurisdiction 城中区
ecogov units list --json
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecogov.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "ecogov"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
