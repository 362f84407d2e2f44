"""Probes of issue 21 as an attacker and a careless user would send them (one test per
class of attack): what each one found is fixed, and stays fixed."""

import json

import pytest
from django.utils import translation

from ecogov.enterprises import services
from ecogov.enterprises.models import Listing, Override, Project
from ecogov.enterprises.sample import fictional_uscc, sample_document
from ecogov.org.models import Jurisdiction
from ecogov.org.services import jurisdiction_ensure

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
