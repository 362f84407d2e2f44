"""Benchmarks of the foundation: duty-list parsing and object-level scoping.

    .venv/bin/python bench/registry.py

Each figure is compared with a baseline measured in the same run (a ratio), because
the machines are shared and noisy. Writes docs/benchmarks.md.
"""

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ["ECOGOV_VAR_DIR"] = tempfile.mkdtemp(prefix="ecogov-bench-")
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecogov.settings")

import django  # noqa: E402
from _report import machine, median_time, write_section  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

from ecogov import access  # noqa: E402
from ecogov.domain.dutylist import parse_duty_list  # noqa: E402
from ecogov.domain.textfile import read_text  # noqa: E402
from ecogov.org.models import Unit  # noqa: E402
from ecogov.org.sample import DUTY_LIST  # noqa: E402
from ecogov.org.selectors import unit_with_names  # noqa: E402
from ecogov.testing import make_personas  # noqa: E402

SECTION = "Foundation (issue 2): duty-list parsing and access scoping"


def main() -> None:
    call_command("migrate", verbosity=0)
    people = make_personas()
    text = read_text(DUTY_LIST)

    parse = median_time(lambda: parse_duty_list(text), number=50)
    decode = median_time(lambda: read_text(DUTY_LIST).splitlines(), number=50)

    def scoped():
        return list(unit_with_names(access.scope(people.liam, Unit)))

    def unscoped():
        return list(unit_with_names(Unit.objects.filter(jurisdiction=people.district)))

    scoped_time = median_time(scoped, number=30)
    unscoped_time = median_time(unscoped, number=30)

    rows = [
        ("parse seed 000 (23 units, 104 clauses)", parse, "read + decode + split lines", decode),
        (
            "unit list as liaison, access.scope",
            scoped_time,
            "same list, unscoped query",
            unscoped_time,
        ),
    ]
    lines = [
        "Reproduce with `.venv/bin/python bench/registry.py` (after `make setup`).",
        f"Machine: {machine()}; SQLite. Medians of 7 runs; the ratio compares with a baseline",
        "measured in the same run, which is what to compare between machines.",
        "",
        "| what | time | baseline | baseline time | ratio |",
        "|---|---|---|---|---|",
    ]
    for name, value, base_name, base in rows:
        lines.append(
            f"| {name} | {value * 1e3:.2f} ms | {base_name} | {base * 1e3:.3f} ms | {value / base:.1f}× |"
        )
    sys.stdout.write(write_section(SECTION, "\n".join(lines)))


if __name__ == "__main__":
    main()
