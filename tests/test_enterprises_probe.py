"""Probes of issue 21 as an attacker and a careless user would send them (one test per
class of attack): what each one found is fixed, and stays fixed."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ecogov.assess import credit
from ecogov.assess import services as assess
from ecogov.assess.models import Grade, Repair
from ecogov.enterprises import permits, services
from ecogov.enterprises.models import Listing, Override, Project
from ecogov.enterprises.sample import fictional_uscc, sample_document
from ecogov.org.models import Jurisdiction
from ecogov.org.services import jurisdiction_ensure
from test_credit import YEAR, at, firms, pdf, permit, published, run, scheme, violation  # noqa: F401

BARRED = fictional_uscc("91630103MA7PRB0B1")
CLEAN = fictional_uscc("91630103MA7PRB0B2")
# Invisible or blank "reasons": a zero-width space, a word joiner, a BOM, soft hyphens,
# ideographic and no-break spaces.
INVISIBLE = ("\u200b", "\u2060", "\ufeff", "\u00ad\u00ad", "\u3000", "\u00a0", " \u200b\u200c ")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def street(personas):
    return jurisdiction_ensure(
        name="南川东路街道", level=Jurisdiction.Level.TOWNSHIP, parent=personas.district
    )


@pytest.fixture
def listing(personas):
    return services.listing_create(
        jurisdiction=personas.district, uscc=BARRED, name="乙冶炼有限公司（虚构）",
        ground=Listing.Ground.INCIDENT, grounds="造成重大突发环境事件。",
        decision_number="城环黑〔2026〕7号", files=[sample_document()], by=personas.dora,
    )  # fmt: skip


def _project(street, **fields) -> dict:
    return {"jurisdiction": street.pk, "name": "丁项目（虚构）", "builder": "丁公司",
            "builder_uscc": CLEAN, "eia": "pending", **fields}  # fmt: skip


def test_an_invisible_reason_does_not_override_the_bar(personas, street, listing, form_client_for):
    """The override is the one way through the bar: its reason must say something."""
    dora = form_client_for(personas.dora)
    for reason in INVISIBLE:
        page = dora.post("/enterprises/projects/new/",
                         _project(street, builder_uscc=BARRED, override=reason))  # fmt: skip
        assert page.status_code == 200, repr(reason)
        api = dora.post("/api/enterprises/projects",
                        json.dumps(_project(street, builder_uscc=BARRED, override=reason)),
                        content_type="application/json")  # fmt: skip
        assert api.status_code == 422, repr(reason)
    assert not Project.objects.exists() and not Override.objects.exists()


@pytest.mark.parametrize("lon, lat", [
    ("nan", "nan"), ("NaN", "36.6"), ("sNaN", "36.6"), ("101.7", "nan"), ("inf", "36.6"),
    ("-Infinity", "36.6"), ("1e999999", "36.6"), ("²", "36.6"), ("٣", "36.6"),
    ("101.7", "91"),
])  # fmt: skip
def test_malformed_coordinates_are_refused_not_500(personas, street, form_client_for, lon, lat):
    dora = form_client_for(personas.dora)
    response = dora.post("/enterprises/projects/new/", _project(street, lon=lon, lat=lat))
    assert response.status_code == 200  # the form again, with the message
    assert not Project.objects.exists()


# --- credit repair ------------------------------------------------------------------------


@pytest.fixture
def rating(personas, firms, scheme):  # noqa: F811  (test_credit's fixtures)
    """The enterprises of test_credit and their credit scheme (public)."""
    return firms, scheme


def _repair_world(personas, rating):
    """The rating of 2025 published on 1 February 2026: enterprises[1] yellow, enterprises[2] red."""
    enterprises, credit_scheme = rating
    permit(personas, enterprises[0], "P-1", datetime.date(YEAR + 3, 1, 1))
    violation(personas, enterprises[2], 1, "judiciary")
    result = published(credit_scheme, personas)
    return result.scores.get(source=enterprises[1]), result.scores.get(source=enterprises[2])


def test_repair_is_the_bureaus_and_a_decision_must_be_chosen(personas, rating, form_client_for):
    yellow, _red = _repair_world(personas, rating)
    url = f"/assess/scores/{yellow.pk}/act/repair/"
    for person in (personas.liam, personas.gary, personas.lena, personas.ian, personas.oscar):
        answer = form_client_for(person).post(url, {"text": "整改", "files": pdf()})
        assert answer.status_code in (403, 404), person
    dora = form_client_for(personas.dora)
    assert dora.post(url, {"text": "已申领排污许可证", "files": pdf()}).status_code == 302
    repair = yellow.repairs.get()
    assert dora.post(url, {"text": "再次申请", "files": pdf()}).status_code == 302
    assert yellow.repairs.count() == 1  # one pending at a time
    for person in (personas.lily, personas.gary, personas.oscar):
        assert form_client_for(person).get(f"/assess/repairs/{repair.pk}/evidence/").status_code in (
            403, 404)  # fmt: skip
    decide = f"/assess/scores/{yellow.pk}/act/repair_decide/"
    # A careless form (no decision, or one that is neither) decides nothing.
    for decision in ({}, {"decision": "Approve"}, {"decision": "yes"}):
        dora.post(decide, {"repair": repair.pk, "reason": "核实", **decision})
        repair.refresh_from_db()
        assert repair.state == Repair.State.PENDING, decision
    for bad in ("²", "99999999999999999999999", "", "abc"):
        assert (
            dora.post(decide, {"repair": bad, "decision": "approve", "reason": "核实"}).status_code
            == 404
        )
    assert form_client_for(personas.lena).post(
        decide, {"repair": repair.pk, "decision": "approve", "reason": "核实"}).status_code == 403  # fmt: skip
    dora.post(decide, {"repair": repair.pk, "decision": "refuse", "reason": "未整改"})
    repair.refresh_from_db()
    assert repair.state == Repair.State.REFUSED


def test_a_repaired_grade_waits_again_before_the_next_step(personas, rating):
    """Red rises to yellow by one repair; the yellow waits its own months from that
    approval, not from the publication: red does not turn blue within days."""
    _yellow, red = _repair_world(personas, rating)
    assert credit.standing(red) == Grade.RED
    first = credit.repair_apply(red, text="已整改", files=[pdf()], by=personas.dora,
                                at=at(datetime.date(YEAR + 1, 8, 2)))  # fmt: skip
    credit.repair_decide(first, approve=True, reason="核实", by=personas.dora,
                         at=at(datetime.date(YEAR + 1, 8, 5)))  # fmt: skip
    red.refresh_from_db()
    assert credit.standing(red) == Grade.YELLOW
    assert credit.repair_from(red) == datetime.date(YEAR + 1, 11, 5)
    with pytest.raises(ValidationError, match="from 2026-11-05"):
        credit.repair_apply(red, text="again", files=[pdf()], by=personas.dora,
                            at=at(datetime.date(YEAR + 1, 8, 6)))  # fmt: skip


def test_drafts_and_results_not_public_stay_off_the_portal(personas, rating, client):
    enterprises, credit_scheme = rating
    draft = run(credit_scheme, personas)
    page = client.get("/public/assessments/").content.decode()
    assert f"/public/assessments/{draft.pk}/" not in page and f"· {draft.period}</a>" not in page
    assert client.get(f"/public/assessments/{draft.pk}/").status_code == 404
    assert (
        'class="credit'
        not in client.get(f"/public/enterprises/{enterprises[1].pk}/").content.decode()
    )
    assess.assessment_release(draft, by=personas.dora, at=at(datetime.date(YEAR + 1, 1, 12)))
    assert client.get(f"/public/assessments/{draft.pk}/").status_code == 404
    credit_scheme.public = False
    credit_scheme.save()
    assess.assessment_publish(draft, by=personas.dora, at=at(datetime.date(YEAR + 1, 2, 1)))
    assert client.get(f"/public/assessments/{draft.pk}/").status_code == 404
    assert (
        f"/public/assessments/{draft.pk}/"
        not in client.get("/public/assessments/").content.decode()
    )
    record = client.get(f"/public/enterprises/{enterprises[1].pk}.json").json()
    assert record["credit"] is None


def test_repair_of_a_draft_or_too_early_is_refused(personas, rating, form_client_for):
    enterprises, credit_scheme = rating
    draft = run(credit_scheme, personas)
    score = draft.scores.get(source=enterprises[1])
    with pytest.raises(ValidationError, match="published"):
        credit.repair_apply(score, text="x", files=[pdf()], by=personas.dora)
    today = datetime.date.today()
    assess.assessment_release(draft, by=personas.dora, at=at(today - datetime.timedelta(days=30)))
    assess.assessment_publish(draft, by=personas.dora, at=at(today - datetime.timedelta(days=5)))
    score.refresh_from_db()
    dora = form_client_for(personas.dora)
    dora.post(f"/assess/scores/{score.pk}/act/repair/", {"text": "整改", "files": pdf()})
    assert not Repair.objects.exists()  # published today: three months to wait


# --- numbers people type ------------------------------------------------------------------


@pytest.mark.parametrize("row", [
    {"factor": "w٠١٠١٨", "name": "COD"},  # Arabic-Indic digits in an HJ 212 code
    {"name": "COD", "limit": "٥٠"},
    {"name": "COD", "limit": "1e99999999"},
    {"name": "COD", "tonnes": "NaN"},
    {"name": "COD", "limit": "-1"},
])  # fmt: skip
def test_permit_pollutants_take_plain_ascii_numbers(row):
    with pytest.raises(ValidationError):
        permits.clean_pollutants([row])
    assert (
        permits.clean_pollutants([{"factor": "W01018", "name": "COD", "limit": "50.5"}])[0][
            "factor"
        ]
        == "w01018"
    )


def test_the_public_list_reads_its_page_through_the_parser(db, client):
    for value in ("٣", "²", "99999999999999999999999", "0"):
        assert client.get(f"/public/enterprises/?page={value}").status_code == 400, value
        answer = client.get(f"/public/enterprises/index.json?page={value}")
        assert answer.status_code == 400 and answer.json()["detail"], value
    assert client.get("/public/enterprises/?page=1").status_code == 200
