"""Issue 22: nothing internal ever appears in a public page, feed or download.

The whole sample district is loaded once for the module, then every URL pattern under
``public/`` and ``open311/`` (found from the URL resolver, through the included URL sets,
so that a page added later is walked too) is asked for with arguments taken from the
sample: every data set in CSV and JSON, every Open311 resource in JSON and XML, the pages
of a disclosed case, of a tracking code, of the consultations, their documents and
records. No answer may be a server error, and none may show a sample reporter's name,
phone or e-mail, a consultation commenter, a staff member who is not a grid person, a
reporter's own words, a rating comment, an internal note or field, an unpublished
comment or a monitoring point's MN or password. Every HTML page carries the portal's
link bar."""

import functools
import html
import io
import json
import re
from collections import Counter
from types import SimpleNamespace
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ecogov.accounts.models import User
from ecogov.assess.views import _published as published_assessments
from ecogov.cases.models import Case, CaseEvent, Reporter, State
from ecogov.consultations.models import Comment, Commenter, Consultation, Document, Hearing
from ecogov.disclosure.datasets import datasets
from ecogov.disclosure.quality import public_targets
from ecogov.grid.models import Grid, GridMember
from ecogov.monitoring.models import Point
from ecogov.monitoring.sample import monitoring_sample_load
from ecogov.open311.georeport import SERVICES, token_for
from ecogov.sanctions.public_views import _public as public_notices
from ecogov.sources.models import Source
from ecogov.web.management.commands import sample as sample_command
from test_disclosure_data import _secrets
from test_portal import LINK_BAR

PREFIXES = ("public/", "open311/")
OPEN311_FORMATS = ("json", "xml")
# The answers that are not 200, and why; nothing else may differ (and no 5xx ever).
EXPECTED_STATUS: dict[str, int] = {}
# The internal steps whose note a person wrote (the others note a label, a date, a grid's
# name, a unit: facts the public pages show anyway).
WRITTEN_NOTES = [CaseEvent.Kind.NOTE, CaseEvent.Kind.RETURNED, CaseEvent.Kind.REJECTED,
                 CaseEvent.Kind.PART, CaseEvent.Kind.SUSPENSION_ASKED,
                 CaseEvent.Kind.TRANSFERRED]  # fmt: skip
MONITORING_DAYS = 7  # the sample plays 90 days of hourly data: 70 s of the load
PDF = b"%PDF-1.4\n% (walk) a consultation document\n%%EOF\n"


def public_patterns(patterns=None, prefix: str = "", namespace: str = ""):
    """(route, URL name, pattern) of every pattern of ``ecogov.urls`` whose route starts
    with ``public/`` or ``open311/``, included URL sets recursed into."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            found += public_patterns(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern) and route.startswith(PREFIXES):
            assert pattern.name, f"/{route} has no URL name: the walk cannot reverse it"
            found.append((route, namespace + pattern.name, pattern))
    return found


PATTERNS = {name: pattern for _route, name, pattern in public_patterns()}
NAMES = list(PATTERNS)


# --- the sample district and the arguments of every URL ------------------------------------


def _first(queryset):
    found = queryset.order_by("pk").first()
    assert found is not None, f"the sample has no {queryset.model.__name__} for the walk"
    return found


# The query strings asked for, by URL name ("" alone when the name is not here).
QUERIES = {
    "public_grids": ["", "?lon=101.80&lat=36.60"],
    "public_grid_locate": ["?lon=101.80&lat=36.60"],
    "public_place_search": ["?q=南滩"],
    "disclosure:penalties": ["", "?year=2026"],
    "open311:requests": ["", "?status=closed"],
}


def _arguments(sample) -> dict[str, list[dict]]:
    """The walk's argument table: the arguments of every public URL that takes any (but
    Open311's ``format``, which is every format), by URL name."""

    def pks(values):
        return [{"pk": pk} for pk in values]

    numbers = [{"number": number} for number in sample.disclosed]
    return {
        "public_grid": pks(sample.grids),
        "public_case": [{"code": case.tracking_code} for case in sample.tracked],
        "public_disclosed_case": numbers,
        "public_assessment": pks(sample.assessments),
        "public_notice": pks(sample.notices),
        "public_enterprise": pks([sample.key_source]),
        "public_enterprise_json": pks([sample.key_source]),
        "disclosure:air_station": pks(sample.air),
        "disclosure:air_station_json": pks(sample.air),
        "disclosure:water_section": pks(sample.water),
        "disclosure:water_section_json": pks(sample.water),
        "disclosure:target": pks([sample.target]),
        "disclosure:target_json": pks([sample.target]),
        "disclosure:dataset_csv": sample.slugs,
        "disclosure:dataset_json": sample.slugs,
        "public_consultations:detail": pks(sample.consultations),
        "public_consultations:detail_json": pks(sample.consultations),
        "public_consultations:comment": pks([sample.open_consultation]),
        "public_consultations:thanks": pks([sample.open_consultation]),
        "public_consultations:document": pks([sample.document]),
        "public_consultations:record": pks([sample.record]),
        "open311:service_definition": [{"code": SERVICES[0].code}],
        "open311:request": numbers,
        "open311:token": [{"token": token_for(case)} for case in sample.tracked],
    }


def _urls(sample, name: str) -> list[str]:
    """Every URL of ``name`` to ask for."""
    pattern = PATTERNS[name]
    takes = set(pattern.pattern.converters)
    if takes - {"format"}:
        assert name in sample.table, (
            f"{name} is a public URL the walk has no arguments for: add it to "
            "_arguments() in tests/test_public_walk.py"
        )
        kwargs_list = sample.table[name]
    else:
        kwargs_list = [{}]
    if "format" in takes:
        kwargs_list = [{**kwargs, "format": fmt} for kwargs in kwargs_list
                       for fmt in OPEN311_FORMATS]  # fmt: skip
    return [reverse(name, kwargs=kwargs) + query for kwargs in kwargs_list
            for query in QUERIES.get(name, [""])]  # fmt: skip


def _secret_texts() -> list[str]:
    """test_disclosure_data's rule (the reporters, their texts, rating comments and the
    staff who are not grid people), and the rest of what is internal: the commenters,
    the comments not published and why, the cases' internal notes and fields, the
    monitoring points' MN and password."""
    published = {member.user.name for member in GridMember.objects.select_related("user")}
    found = set(_secrets())
    for name, phone, email in Commenter.objects.values_list("name", "phone", "email"):
        found |= {name, phone, email}
    unpublished = Comment.objects.exclude(status=Comment.Status.PUBLISHED)
    found |= {text[:20] for text in unpublished.values_list("text", flat=True)}
    found |= {text[:20] for text in Comment.objects.values_list("reason", flat=True)}
    internal = CaseEvent.objects.filter(public=False, kind__in=WRITTEN_NOTES)
    found |= {note[:20] for note in internal.values_list("note", flat=True)}
    for field in ("investigation", "measures", "verification", "answer"):
        found |= {text[:20] for text in Case.objects.values_list(field, flat=True)}
    for mn, password in Point.objects.values_list("mn", "password"):
        found |= {mn, password}
    return sorted(value for value in found - published if value and len(value) >= 3)


def _own_words(case: Case) -> set[str]:
    """What the tracking code's holder wrote and was answered: shown to them alone."""
    return {case.text[:20], case.answer[:20]}


@pytest.fixture(scope="module")
def sample(django_db_setup, django_db_blocker):
    """The whole sample district (``ecogov sample load``), loaded once, rolled back after."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), transaction.atomic(), fast:
        # The command's whole sequence, with a week of monitoring hours instead of 90 days.
        week = functools.partial(monitoring_sample_load, days=MONITORING_DAYS)
        with mock.patch.object(sample_command, "monitoring_sample_load", week):
            call_command("sample", "load", stdout=io.StringIO())
        open_one = _first(Consultation.public_objects.filter(state="open"))
        document = Document.objects.create(
            consultation=open_one, file=ContentFile(PDF, name="征求意见稿.pdf"),
            name="征求意见稿.pdf", kind="pdf",
        )  # fmt: skip
        disclosed = Case.objects.filter(state=State.CLOSED).exclude(disclosed_at=None)
        hidden = CaseEvent.objects.filter(public=False).exclude(note="").values("case")
        tracked = [_first(disclosed), _first(Case.objects.filter(pk__in=hidden)
                                             .exclude(state=State.CLOSED))]  # fmt: skip
        points = Point.objects.order_by("pk")
        found = SimpleNamespace(
            disclosed=sorted(disclosed.values_list("number", flat=True)),
            tracked=tracked,
            grids=sorted(Grid.objects.filter(level__lte=2).values_list("pk", flat=True))[:6]
            + [_first(Grid.objects.filter(level=3)).pk],
            assessments=[_first(published_assessments()).pk],
            notices=[_first(public_notices()).pk],
            key_source=_first(Source.objects.filter(key=True)).pk,
            air=list(points.filter(kind=Point.Kind.AIR_STATION).values_list("pk", flat=True)),
            water=list(points.filter(kind=Point.Kind.WATER_SECTION).values_list("pk", flat=True)),
            target=_first(public_targets()).pk,
            slugs=[{"slug": found.slug} for found in datasets()],
            consultations=sorted(Consultation.public_objects.all().values_list("pk", flat=True)),
            open_consultation=open_one.pk,
            document=document.pk,
            record=_first(Hearing.objects.exclude(record="")).pk,
        )
        assert found.air and found.water and len(found.consultations) >= 2
        found.table = _arguments(found)
        found.secrets = _secret_texts()
        found.own_words = {reverse("public_case", args=[case.tracking_code]): _own_words(case)
                           for case in tracked}  # fmt: skip
        found.answers = {}
        found.kinds = Counter()
        yield found
        transaction.set_rollback(True)


# --- the walk ----------------------------------------------------------------------------


def _kind(response) -> str:
    kind = response.get("Content-Type", "").split(";")[0]
    return {"text/html": "html", "application/json": "json", "text/csv": "csv",
            "text/xml": "xml", "application/xml": "xml",
            "application/atom+xml": "atom"}.get(kind, "file")  # fmt: skip


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode("utf-8-sig", errors="replace")
    if _kind(response) == "json":
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return text + "\n" + html.unescape(text)


def _answers(sample, name: str) -> list[tuple[str, int, str, str]]:
    """(url, status, kind, body) of every URL of ``name``, each asked for once."""
    if name not in sample.answers:
        answers = []
        for url in _urls(sample, name):
            cache.clear()
            response = Client().get(url)
            kind = _kind(response)
            sample.kinds[kind] += 1
            answers.append((url, response.status_code, kind, _body(response)))
        sample.answers[name] = answers
    return sample.answers[name]


def _leaks(sample, url: str, body: str) -> list[str]:
    allowed = sample.own_words.get(url, set())
    return [secret for secret in sample.secrets if secret in body and secret not in allowed]


def test_every_public_url_pattern_is_walked():
    assert "disclosure:dataset_csv" in NAMES and "public_consultations:record" in NAMES
    assert "open311:token" in NAMES and "public_case" in NAMES
    assert len(public_patterns()) == len(NAMES), "two public URL patterns share a name"


@pytest.mark.parametrize("name", NAMES)
def test_no_public_url_shows_anything_internal(sample, db, name):
    failures = []
    for url, status, kind, body in _answers(sample, name):
        if status != EXPECTED_STATUS.get(name, 200):
            failures.append(f"{url}: status {status}")
        if leaked := _leaks(sample, url, body):
            failures.append(f"{url} ({kind}) shows {leaked}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", NAMES)
def test_every_public_page_has_the_portal_link_bar(sample, db, name):
    failures = []
    for url, _status, kind, body in _answers(sample, name):
        if kind != "html":
            continue
        bar = re.search(r'<p class="crumbs">.*?</p>', body, re.S)
        missing = [link for link in LINK_BAR if bar is None or f'href="{link}"' not in bar[0]]
        if missing:
            failures.append(f"{url}: the link bar lacks {missing}")
    assert not failures, "\n".join(failures)


def test_the_walk_finds_a_planted_leak(sample, db):
    reporter = Reporter.objects.exclude(phone="").order_by("pk").first()
    public_notices().filter(pk=sample.notices[0]).update(title=f"通报 {reporter.phone}")
    [url] = _urls(sample, "public_notice")
    cache.clear()
    assert _leaks(sample, url, _body(Client().get(url))) == [reporter.phone]


def test_the_walk_saw_every_kind_of_answer(sample, db):
    assert set(sample.table) <= set(NAMES), "arguments for a URL name that is gone"
    for name in NAMES:
        _answers(sample, name)
    print("URLs walked by kind:", dict(sample.kinds))
    assert {"html", "json", "csv", "xml", "atom", "file"} <= set(sample.kinds)
    # Each class of what is internal is looked for.
    secrets = set(sample.secrets)
    reporter = Reporter.objects.exclude(name="").exclude(phone="").order_by("pk").first()
    assert {reporter.name, reporter.phone} <= secrets
    assert {"示例居民", "13900000000", "（待审核）希望公布检查结果。"} <= secrets  # a commenter
    point = Point.objects.order_by("pk").first()
    assert {point.mn, point.password} <= secrets
    returned = CaseEvent.objects.filter(kind=CaseEvent.Kind.RETURNED).order_by("pk").first()
    assert returned.note[:20] in secrets and "sample-dispatcher" in secrets
    dispatcher = User.objects.get(username="sample-dispatcher")
    assert dispatcher.name in secrets
    members = GridMember.objects.select_related("user")
    assert members.exists() and not {member.user.name for member in members} & secrets
