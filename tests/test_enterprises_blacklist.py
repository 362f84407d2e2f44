"""The environmental blacklist (seed 003 §(五).4): listing by decision with grounds and a
document, the two-year bar, removal and expiry, candidates proposed from real cases, the
bar on new pollution sources, and the public list without anything internal."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from ecogov.cases.sample import SampleCast, moment
from ecogov.enterprises import bar, services
from ecogov.enterprises.models import Listing, Override
from ecogov.enterprises.sample import (
    DECISION,
    USCC,
    enterprises_sample_load,
    fictional_uscc,
    sample_document,
    violation_case,
)
from ecogov.grid.sample import grid_sample_load
from ecogov.sources.models import Source, SourceType
from ecogov.sources.sample import sources_sample_load
from ecogov.sources.services import source_save

CODE = fictional_uscc("91630103MA7TEHT01")
OTHER = fictional_uscc("91630103MA7TEHT02")
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def make_listing(personas, **fields) -> Listing:
    values = {
        "jurisdiction": personas.district, "uscc": CODE, "name": "甲化工有限公司",
        "ground": Listing.Ground.REPEATED, "grounds": "一年内三次超标排放被处罚。",
        "decision_number": "城环黑〔2026〕9号", "files": [sample_document()],
        "by": personas.dora,
    }  # fmt: skip
    values.update(fields)
    return services.listing_create(**values)


def test_a_listing_bars_the_code_for_two_years_less_a_day(personas):
    listing = make_listing(personas, listed_on=datetime.date(2026, 3, 10))
    assert listing.bar_until == datetime.date(2028, 3, 9)
    assert listing.document_kind == "pdf"
    assert bar.listing_on(CODE, datetime.date(2028, 3, 9)) == listing
    assert bar.listing_on(CODE, datetime.date(2028, 3, 10)) is None
    assert services.listing_state(listing, datetime.date(2028, 3, 10)) == "expired"


@pytest.mark.parametrize("listed, until", [
    (datetime.date(2024, 2, 29), datetime.date(2026, 2, 28)),
    (datetime.date(2026, 2, 28), datetime.date(2028, 2, 27)),
    (datetime.date(2026, 3, 1), datetime.date(2028, 2, 29)),
    (datetime.date(2025, 1, 1), datetime.date(2026, 12, 31)),
])  # fmt: skip
def test_the_bar_arithmetic_minds_29_february(listed, until):
    assert services.bar_until(listed) == until


@pytest.mark.parametrize("fields, message", [
    ({"grounds": "  "}, "The grounds is required"),
    ({"files": []}, "Attach the decision document"),
    ({"files": [sample_document(), sample_document()]}, "exactly one file"),
    ({"files": [SimpleUploadedFile("x.pdf", b"<html>no</html>")]}, "must be a PDF"),
    ({"uscc": "91630103MA7TEHT011"}, "malformed"),
    ({"uscc": ""}, "Give the unified social credit code"),
    ({"listed_on": TODAY + datetime.timedelta(days=1)}, "day to come"),
    ({"ground": "whim"}, "Choose the ground"),
])  # fmt: skip
def test_bad_listings_are_refused_and_write_nothing(personas, fields, message):
    with pytest.raises(ValidationError) as error:
        make_listing(personas, **fields)
    assert message in " ".join(error.value.messages)
    assert not Listing.objects.exists()


def test_a_code_in_force_is_not_listed_twice(personas):
    make_listing(personas)
    with pytest.raises(ValidationError, match="already on the blacklist"):
        make_listing(personas, decision_number="城环黑〔2026〕10号")
    assert Listing.objects.count() == 1


def test_only_the_bureau_of_the_district_lists(personas):
    for person in (personas.liam, personas.lena, personas.oscar):
        with pytest.raises(PermissionDenied):
            make_listing(personas, by=person)
    assert not Listing.objects.exists()


def test_removal_by_decision_ends_the_bar_and_keeps_the_history(personas):
    listing = make_listing(personas, listed_on=TODAY - datetime.timedelta(days=30))
    with pytest.raises(ValidationError, match="reason for removal"):
        services.listing_remove(listing, reason="", by=personas.dora)
    with pytest.raises(PermissionDenied):
        services.listing_remove(listing, reason="整改到位", by=personas.oscar)
    services.listing_remove(listing, reason="整改到位，经复核移出。", by=personas.dora)
    listing.refresh_from_db()
    assert listing.removed_on == TODAY and listing.removed_by == personas.dora
    assert bar.listing_on(CODE, TODAY) is None
    assert services.listing_state(listing, TODAY) == "removed"
    assert listing.history.count() == 2
    with pytest.raises(ValidationError, match="already removed"):
        services.listing_remove(listing, reason="再次", by=personas.dora)
    # Once removed, the code may be listed again by a new decision.
    make_listing(personas, decision_number="城环黑〔2026〕11号")


def test_listing_states_filter_the_list(personas):
    expired = make_listing(personas, listed_on=datetime.date(2020, 1, 1))
    current = make_listing(personas, uscc=OTHER, decision_number="城环黑〔2026〕12号")
    everything = Listing.objects.all()
    assert list(services.listings_in(everything, "in_force", TODAY)) == [current]
    assert list(services.listings_in(everything, "expired", TODAY)) == [expired]
    assert not services.listings_in(everything, "removed", TODAY).exists()


@pytest.fixture
def enterprise(personas):
    grid_sample_load(personas.district)
    sources_sample_load(personas.district)
    source = Source.objects.filter(jurisdiction=personas.district).order_by("pk").first()
    return source_save(source=source, jurisdiction=personas.district, uscc=CODE)


def test_candidates_come_from_verified_violation_cases_within_the_months(personas, enterprise):
    cast = SampleCast(personas.district)
    for n, days in enumerate((300, 200, 100)):
        day = TODAY - datetime.timedelta(days=days)
        violation_case(cast, enterprise, "车间外排废水发黄，气味刺鼻。", f"城环罚〔2026〕{n}号",
                       moment(day, 9, 30))  # fmt: skip
    [candidate] = services.candidates(personas.district, today=TODAY)
    assert candidate.uscc == CODE and candidate.violations == 3
    assert services.candidates(personas.district, violations=4, today=TODAY) == []
    # The first case falls outside six months.
    assert services.candidates(personas.district, months=6, today=TODAY) == []
    assert services.candidates(personas.outsider_district, today=TODAY) == []
    make_listing(personas, cases=candidate.cases)
    assert services.candidates(personas.district, today=TODAY) == []


def test_the_candidates_rule_reads_the_settings(personas, enterprise, settings):
    cast = SampleCast(personas.district)
    violation_case(cast, enterprise, "车间外排废水发黄。", "城环罚〔2026〕1号",
                   moment(TODAY - datetime.timedelta(days=10), 9, 30))  # fmt: skip
    assert services.candidates(personas.district, today=TODAY) == []
    settings.ECOGOV_BLACKLIST_VIOLATIONS = 1
    assert len(services.candidates(personas.district, today=TODAY)) == 1


def test_a_new_source_with_a_barred_code_needs_the_dispatchers_override(personas):
    listing = make_listing(personas)
    kind = SourceType.objects.first()
    fields = {"jurisdiction": personas.district, "type": kind, "name": "甲化工二厂", "uscc": CODE}
    with pytest.raises(ValidationError, match="is on the environmental blacklist"):
        source_save(by=personas.dora, **fields)
    with pytest.raises(ValidationError, match="Only the bureau's dispatcher"):
        source_save(by=personas.liam, override="市政府特批", **fields)
    assert not Source.objects.filter(uscc=CODE).exists()
    source = source_save(by=personas.dora, override="（测试）危废处置保障项目，经区政府研究同意。",
                         **fields)  # fmt: skip
    override = Override.objects.get(listing=listing)
    assert override.ref == f"source:{source.pk}" and override.subject == Override.Subject.SOURCE
    # Changing the name of the source does not ask again.
    source_save(source=source, jurisdiction=personas.district, name="甲化工二厂（更名）")
    assert Override.objects.count() == 1


def test_the_public_list_shows_published_listings_in_force_and_nothing_internal(personas, client):
    shown = make_listing(personas, grounds="公开的理由文本")
    make_listing(personas, uscc=OTHER, decision_number="城环黑〔2026〕20号", published=False,
                 name="不公开企业")  # fmt: skip
    third = fictional_uscc("91630103MA7TEHT03")
    make_listing(personas, uscc=third, decision_number="城环黑〔2019〕1号", name="过期企业",
                 listed_on=datetime.date(2019, 1, 1))  # fmt: skip
    page = client.get("/public/blacklist/").content.decode()
    assert shown.name in page and CODE in page and "公开的理由文本" in page
    assert shown.bar_until.isoformat() in page
    assert "不公开企业" not in page and "过期企业" not in page
    assert personas.dora.name not in page and "dora" not in page
    assert 'href="/enterprises/' not in page  # no link into the staff pages


def test_the_sample_enterprise_is_listed_once(personas):
    grid_sample_load(personas.district)
    sources_sample_load(personas.district)
    assert enterprises_sample_load(personas.district) == 3
    assert enterprises_sample_load(personas.district) == 0
    listing = Listing.objects.get(decision_number=DECISION)
    assert listing.uscc == USCC and listing.cases.count() == 3
    assert bar.listing_on(USCC, TODAY) == listing


def test_the_command_lists_the_blacklist_and_the_candidates(personas):
    from io import StringIO

    from django.core.management import call_command

    make_listing(personas)
    out = StringIO()
    call_command("enterprises", "blacklist", "list", "--json", stdout=out)
    assert CODE in out.getvalue() and "in_force" in out.getvalue()
    out = StringIO()
    call_command("enterprises", "blacklist", "candidates", "--district", "城中区", stdout=out)
    assert out.getvalue().strip() == "none"
