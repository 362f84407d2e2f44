"""Benchmarks of the foundation: duty-list parsing and object-level scoping.

    .venv/bin/python bench/registry.py

Each figure is compared with a baseline measured in the same run (a ratio), because
the machines are shared and noisy. Writes docs/benchmarks.md.
"""

import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ["ECOGOV_VAR_DIR"] = tempfile.mkdtemp(prefix="ecogov-bench-")
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecogov.settings")

import django  # noqa: E402

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

SECTION = "## Foundation (issue 2): duty-list parsing and access scoping"


def best_of(function, *, number: int, repeat: int = 7) -> float:
    """Seconds per call: the median of ``repeat`` runs of ``number`` calls."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            function()
        runs.append((time.perf_counter() - start) / number)
    return statistics.median(runs)


def main() -> None:
    call_command("migrate", verbosity=0)
    people = make_personas()
    text = read_text(DUTY_LIST)

    parse = best_of(lambda: parse_duty_list(text), number=50)
    decode = best_of(lambda: read_text(DUTY_LIST).splitlines(), number=50)

    def scoped():
        return list(unit_with_names(access.scope(people.liam, Unit)))

    def unscoped():
        return list(unit_with_names(Unit.objects.filter(jurisdiction=people.district)))

    scoped_time = best_of(scoped, number=30)
    unscoped_time = best_of(unscoped, number=30)

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
        SECTION,
        "",
        "Reproduce with `.venv/bin/python bench/registry.py` (after `make setup`).",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()},"
        f" {platform.system()} {platform.release()}; SQLite.",
        "Figures are medians of 7 runs; the ratio compares with a baseline measured in the same"
        " run, which is what to compare between machines.",
        "",
        "| what | time | baseline | baseline time | ratio |",
        "|---|---|---|---|---|",
    ]
    for name, value, base_name, base in rows:
        lines.append(
            f"| {name} | {value * 1e3:.2f} ms | {base_name} | {base * 1e3:.3f} ms | {value / base:.1f}× |"
        )
    section = "\n".join(lines) + "\n"
    write_section(ROOT / "docs" / "benchmarks.md", section)
    sys.stdout.write(section)


def write_section(target: Path, section: str) -> None:
    """Replace this benchmark's section of the file, keeping the others."""
    text = target.read_text(encoding="utf-8") if target.exists() else "# Benchmarks\n\n"
    start = text.find(SECTION)
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + len(SECTION))
        text = text[:start] + section + (text[end + 1 :] if end != -1 else "")
    target.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
