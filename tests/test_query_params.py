"""One parser for the numbers, dates and choices of query strings (ecogov.params): a value
out of range, not a number or not a date answers 400 with a message, never 500, on every
page and API operation that takes one (issue 17 item 7)."""

import ast
import pathlib

import pytest

import ecogov

PLAN = "/plans/{plan}/"
# Every page and operation that reads a number or a date from its query string, with it.
PAGES = [
    ("/cases/", "lead"),
    ("/cases/export.xlsx", "lead"),
    ("/tasks/", "unit"),
    (PLAN, "unit"),
    (PLAN + "ranking/", "year"),
    (PLAN + "supervision/", "year"),
    (PLAN + "supervision/", "quarter"),
    (PLAN + "ledger.xlsx", "unit"),
    ("/patrols/", "days"),
    ("/monitoring/alarms/", "point"),
    ("/sources/", "page"),
    ("/cases/supervision/", "page"),
    ("/cases/", "page"),
    ("/tasks/", "page"),
    ("/monitoring/", "page"),
    ("/monitoring/alarms/", "page"),
    ("/supervision/", "page"),
    ("/public/cases/", "page"),
]
API = [
    ("/api/cases", "lead"),
    ("/api/cases", "offset"),
    ("/api/cases", "limit"),
    ("/api/grids", "level"),
    ("/api/grid-evaluations", "year"),
    ("/api/grid-evaluations", "quarter"),
    ("/api/monitoring/alarms", "offset"),
    ("/api/people", "unit_id"),
    ("/api/sources", "offset"),
    ("/api/sources", "limit"),
]
MONTHS = [(PLAN + "ledger.xlsx", "period"), (PLAN + "dispatch.docx", "period"), ("/tasks/", "due")]


@pytest.fixture
def dora(personas, client_for):
    from ecogov.plans.sample import plans_sample_load

    plans_sample_load()
    return client_for(personas.dora)


def _url(path: str, name: str, value: str) -> str:
    from ecogov.plans.models import Plan

    plan = Plan.objects.get(jurisdiction__name="城中区")
    return path.format(plan=plan.pk) + f"?{name}={value}"


def _refused(response):
    assert response.status_code == 400, response.status_code
    if response["Content-Type"].startswith("application/json"):
        assert response.json()["detail"]
    else:
        assert "<h1>" in response.content.decode()


def test_too_big_numbers_are_refused_with_400(dora):
    for value in ("99999999999999999999", "18446744073709551616"):
        for path, name in PAGES:
            _refused(dora.get(_url(path, name, value)))
        for path, name in API:
            assert dora.get(_url(path, name, value)).status_code == 422


def test_zero_and_negative_numbers_are_refused_where_not_allowed(dora):
    for path, name in PAGES:
        _refused(dora.get(_url(path, name, "0")))
    for path, name in API:
        assert dora.get(_url(path, name, "-1")).status_code == 422


def test_what_is_not_a_number_is_refused(dora):
    for value in ("abc", "1.5", "²"):
        for path, name in PAGES:
            _refused(dora.get(_url(path, name, value)))
        for path, name in API:
            assert dora.get(_url(path, name, value)).status_code == 422


def test_bad_months_are_refused(dora):
    for value in ("2026-13", "0-01", "99999-01", "yesterday", "2026"):
        for path, name in MONTHS:
            _refused(dora.get(_url(path, name, value)))


def test_absurd_years_and_ranges_are_refused(dora):
    for path in (PLAN + "ranking/", PLAN + "supervision/"):
        _refused(dora.get(_url(path, "year", "9999")))
    _refused(dora.get(_url(PLAN + "supervision/", "quarter", "5")))
    _refused(dora.get(_url("/patrols/", "days", "367")))
    assert dora.get("/api/cases?limit=100000").status_code == 422
    assert dora.get("/api/grids/locate?lon=1e308&lat=0").status_code == 422


def test_good_values_still_work(dora, personas):
    assert dora.get(_url(PLAN + "ranking/", "year", "2026")).status_code == 200
    assert dora.get(_url(PLAN + "supervision/", "quarter", "4")).status_code == 200
    assert dora.get(_url("/patrols/", "days", "60")).status_code == 200
    assert dora.get(_url("/cases/", "lead", str(personas.health.pk))).status_code == 200
    assert dora.get(_url("/tasks/", "due", "2026-12") + "&role=lead&unit=1").status_code == 200
    assert dora.get(_url(PLAN + "ledger.xlsx", "period", "2026-10")).status_code == 200
    assert dora.get("/api/cases?lead=1&limit=5&offset=0&state=open").status_code == 200


def test_no_view_reads_query_numbers_outside_the_parser():
    """int()/float()/isdigit() applied to anything read from request.GET, anywhere but
    ecogov.params, is a parser of its own."""
    root = pathlib.Path(ecogov.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        if path.name == "params.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            parses = (isinstance(func, ast.Name) and func.id in {"int", "float", "Decimal"}) or (
                isinstance(func, ast.Attribute) and func.attr in {"isdigit", "fromisoformat"}
            )
            reads_get = any(
                isinstance(sub, ast.Attribute) and sub.attr == "GET" for sub in ast.walk(node)
            )
            if parses and reads_get:
                offenders.append(f"{path.relative_to(root)}:{node.lineno}")
    assert offenders == []


def test_no_list_hands_its_page_number_to_the_paginator_unparsed():
    """``Paginator.get_page`` turns any text into some page; the page number, like every
    number of a query string, goes through ecogov.params (a bad one answers 400)."""
    root = pathlib.Path(ecogov.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "get_page"):  # fmt: skip
                continue
            for sub in (sub for arg in node.args for sub in ast.walk(arg)):
                if (isinstance(sub, ast.Attribute) and sub.attr == "GET") or (
                    isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute)
                    and sub.func.attr == "get" and any(
                        isinstance(a, ast.Constant) and a.value == "page" for a in sub.args)
                ):  # fmt: skip
                    offenders.append(f"{path.relative_to(root)}:{node.lineno}")
    assert offenders == []
