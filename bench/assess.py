"""Benchmarks of the assessment (issue 20): computing a period from the sample record,
and the pages a leader opens — the ranking, a body's drill-down, who is behind; and the
enterprises' pages (issue 21) — the credit rating, a record, the blacklist, a public page.

    .venv/bin/python bench/assess.py

Loads the sample district into a fresh SQLite database (about a minute). Each figure
is compared with a baseline measured in the same run (a ratio), because the machines
are shared and noisy: for the pages, the favicon through the same client and
middleware. Writes docs/benchmarks.md.
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

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from ecogov.accounts.models import User  # noqa: E402
from ecogov.assess import services  # noqa: E402
from ecogov.assess.models import Assessment, Line, Score, Trace  # noqa: E402
from ecogov.assess.sample import CREDIT, QUARTERLY, YEARLY  # noqa: E402
from ecogov.enterprises.models import Listing  # noqa: E402

SECTION = "Assessment (issue 20): computing a period and the leaders' pages"
# The enterprises' pages (issue 21) are measured in the same run, beside the same baseline.


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("sample", "load", stdout=open(os.devnull, "w"))  # noqa: SIM115
    dispatcher = User.objects.get(username="sample-dispatcher")
    yearly = Assessment.objects.get(scheme__code=YEARLY)
    quarterly = Assessment.objects.get(scheme__code=QUARTERLY)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(dispatcher)
    rows = []

    def compute():
        services.assessment_run(yearly.scheme, yearly.period, by=dispatcher)

    seconds = median_time(compute, number=1, repeat=5)
    favicon = median_time(lambda: client.get("/favicon.ico"), number=20)
    scores = Score.objects.filter(assessment=yearly).count()
    indicators, vetoes = yearly.scheme.indicators.count(), yearly.scheme.vetoes.count()
    rows.append((f"compute the townships' year ({scores} bodies, {indicators} indicators, "
                 f"{vetoes} vetoes)",
                 seconds, "the favicon", favicon))  # fmt: skip
    score = Score.objects.filter(assessment=quarterly).order_by("rank").last()
    credit = Assessment.objects.get(scheme__code=CREDIT)
    listed = Listing.objects.order_by("pk").first().source
    pages = [
        ("/assess/behind/", "who is behind"),
        (quarterly.get_absolute_url(), "a quarter's ranking (18 units)"),
        (score.get_absolute_url(), "a unit's drill-down"),
        ("/supervision/", "the supervision ledger (for comparison)"),
        # issue 21: the enterprises (the blacklisted sample enterprise, its public page)
        (credit.get_absolute_url(), "the enterprises' credit rating"),
        (f"/enterprises/sources/{listed.pk}/", "an enterprise's record (12 quarters)"),
        ("/enterprises/blacklist/", "the blacklist"),
        (f"/public/enterprises/{listed.pk}/", "a key enterprise's public page"),
    ]
    for url, label in pages:
        assert client.get(url).status_code == 200, url
        queries: list[str] = []

        def count(run, sql, *args, queries=queries):
            queries.append(sql)
            return run(sql, *args)

        with connection.execute_wrapper(count):
            client.get(url)
        took = median_time(lambda url=url: client.get(url), number=5)
        rows.append((f"{label}, {len(queries)} queries", took, "the favicon", favicon))
    lines = Line.objects.count()
    traces = Trace.objects.count()
    table = "\n".join(
        f"| {what} | {took * 1000:.1f} ms | {base} | {base_time * 1000:.2f} ms | {took / base_time:.0f}× |"
        for what, took, base, base_time in rows
    )
    body = f"""Reproduce with `.venv/bin/python bench/assess.py` (loads the sample district first).
Machine: {machine()}; SQLite. Medians of 5 runs (compute: 5 single runs). The sample holds
{lines} score lines and {traces} traces after the run. Pages through Django's test client
as the sample dispatcher, with every middleware; the baseline is the favicon through the
same client in the same run.

| what | time | baseline | baseline time | ratio |
|---|---|---|---|---|
{table}
"""
    print(write_section(SECTION, body))


if __name__ == "__main__":
    main()
