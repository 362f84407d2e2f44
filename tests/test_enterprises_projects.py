"""The register of construction projects: the credit code, the EIA number, the grid of
the location, the regional approval restriction (never overridden) and the blacklist bar
(overridden only by the dispatcher with a reason); the pages, across districts refused."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from ecogov.enterprises import services
from ecogov.enterprises.models import Listing, Override, Project
from ecogov.enterprises.sample import fictional_uscc, sample_document
from ecogov.org.models import Jurisdiction
from ecogov.org.services import jurisdiction_ensure
from ecogov.sanctions import services as sanctions

CODE = fictional_uscc("91630103MA7PR0J01")
CLEAN = fictional_uscc("91630103MA7PR0J02")
TODAY = timezone.localdate()


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
        jurisdiction=personas.district, uscc=CODE, name="乙冶炼有限公司",
        ground=Listing.Ground.INCIDENT, grounds="造成重大突发环境事件。",
        decision_number="城环黑〔2026〕3号", files=[sample_document()], by=personas.dora,
    )  # fmt: skip


def register(personas, street, **fields):
    values = {
        "jurisdiction": street, "name": "丙厂房扩建项目", "builder": "丙公司",
        "builder_uscc": CLEAN, "eia": Project.Eia.PENDING, "by": personas.dora,
    }  # fmt: skip
    values.update(fields)
    return services.project_register(**values)


def test_a_clean_project_is_registered_with_its_grid(personas, street):
    project = register(personas, street, eia=Project.Eia.APPROVED, eia_number="城环审〔2026〕1号",
                       lon="101.7800", lat="36.6000", address="南川东路")  # fmt: skip
    assert project.builder_uscc == CLEAN and project.override is None
    assert project.registered_on == TODAY
    assert project.history.count() == 1


@pytest.mark.parametrize("fields, message", [
    ({"builder_uscc": "91630103MA7PR0J011"}, "malformed"),
    ({"builder_uscc": "91630103MA7PR0J0"}, "malformed"),
    ({"eia": Project.Eia.APPROVED}, "approval number"),
    ({"name": ""}, "is required"),
    ({"eia": "maybe"}, "EIA status"),
    ({"lon": "101.7"}, "both longitude and latitude"),
    ({"lon": "abc", "lat": "1"}, "must be a number"),
    ({"on": TODAY + datetime.timedelta(days=1)}, "day to come"),
])  # fmt: skip
def test_bad_registrations_are_refused_and_write_nothing(personas, street, fields, message):
    with pytest.raises(ValidationError) as error:
        register(personas, street, **fields)
    assert message in " ".join(error.value.messages)
    assert not Project.objects.exists()


def test_a_project_goes_in_a_township(personas):
    with pytest.raises(ValidationError, match="township or street"):
        register(personas, personas.district)


def test_the_bar_refuses_with_the_listing_and_its_end(personas, street, listing):
    with pytest.raises(ValidationError) as error:
        register(personas, street, builder_uscc=CODE)
    text = " ".join(error.value.messages)
    assert listing.decision_number in text and listing.bar_until.isoformat() in text
    assert not Project.objects.exists() and not Override.objects.exists()


def test_only_the_dispatcher_overrides_the_bar(personas, street, listing):
    # The construction bureau's liaison registers projects but may not override the bar.
    with pytest.raises(ValidationError, match="Only the bureau's dispatcher"):
        register(personas, street, builder_uscc=CODE, by=personas.liam, override="急需")
    assert not Project.objects.exists() and not Override.objects.exists()
    project = register(personas, street, builder_uscc=CODE, override="（测试）区政府研究同意。")
    override = project.override
    assert override.listing == listing and override.ref == f"project:{project.pk}"
    assert override.subject == Override.Subject.PROJECT and override.by == personas.dora


def test_a_restricted_township_refuses_even_an_override(personas, street):
    restriction = sanctions.restriction_decide(
        jurisdiction=street, reason="断面水质不达标。", starts_on=TODAY,
        ends_on=TODAY + datetime.timedelta(days=30), by=personas.dora,
    )  # fmt: skip
    for fields in ({}, {"override": "特批"}):
        with pytest.raises(ValidationError) as error:
            register(personas, street, **fields)
        text = " ".join(error.value.messages)
        assert restriction.number in text and street.name in text
        assert "cannot be overridden" in text
    assert not Project.objects.exists()


def test_registration_is_refused_outside_ones_district(personas, street):
    for person in (personas.oscar, personas.gary):
        with pytest.raises(PermissionDenied):
            register(personas, street, by=person)


# --- pages --------------------------------------------------------------------------


def test_the_form_shows_the_refusal_and_the_override_field_to_the_dispatcher(
    personas, street, listing, form_client_for
):
    client = form_client_for(personas.dora)
    form = {"jurisdiction": street.pk, "name": "丁项目", "builder": "乙冶炼有限公司",
            "builder_uscc": CODE, "eia": "pending"}  # fmt: skip
    page = client.post("/enterprises/projects/new/", form).content.decode()
    assert 'id="refusal"' in page and listing.decision_number in page
    assert 'name="override"' in page
    assert not Project.objects.exists()
    response = client.post("/enterprises/projects/new/", {**form, "override": "（测试）保障民生。"})
    project = Project.objects.get()
    assert response.status_code == 302 and response.url == project.get_absolute_url()
    assert listing.decision_number in client.get(project.get_absolute_url()).content.decode()


def test_the_liaison_form_has_no_override(personas, street, form_client_for):
    page = form_client_for(personas.liam).get("/enterprises/projects/new/").content.decode()
    assert 'name="override"' not in page


def test_pages_across_districts_are_refused(personas, street, listing, client_for):
    project = register(personas, street)
    oscar = client_for(personas.oscar)
    assert oscar.get(project.get_absolute_url()).status_code == 404
    assert oscar.get(listing.get_absolute_url()).status_code == 404
    assert oscar.get(f"/enterprises/blacklist/{listing.pk}/document/").status_code == 404
    assert client_for(personas.gary).get("/enterprises/blacklist/").status_code == 403
    assert client_for(personas.liam).get(listing.get_absolute_url()).status_code in (403, 404)
    assert client_for(personas.liam).get("/enterprises/blacklist/new/").status_code == 403


def test_the_staff_pages_show_the_blacklist(personas, street, listing, client_for, form_client_for):
    dora = client_for(personas.dora)
    for url in ("/enterprises/blacklist/", "/enterprises/blacklist/?state=all&q=乙",
                "/enterprises/blacklist/candidates/", "/enterprises/projects/",
                "/enterprises/blacklist/new/", listing.get_absolute_url()):  # fmt: skip
        response = dora.get(url)
        assert response.status_code == 200, url
    assert listing.name in dora.get("/enterprises/blacklist/").content.decode()
    document = dora.get(f"/enterprises/blacklist/{listing.pk}/document/")
    assert document["Content-Type"] == "application/pdf"
    assert document["X-Content-Type-Options"] == "nosniff"
    assert dora.get("/enterprises/blacklist/candidates/?months=abc").status_code == 400
    form = form_client_for(personas.dora)
    form.post(f"/enterprises/blacklist/{listing.pk}/remove/", {"reason": ""})
    listing.refresh_from_db()
    assert listing.removed_on is None
    form.post(f"/enterprises/blacklist/{listing.pk}/remove/", {"reason": "（测试）复核移出。"})
    listing.refresh_from_db()
    assert listing.removed_on == TODAY
    assert (
        "removed"
        in dora.get(listing.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )


def test_listing_through_the_form(personas, form_client_for):
    client = form_client_for(personas.dora)
    form = {"uscc": CODE, "name": "戊公司", "ground": "duties", "grounds": "",
            "decision_number": "城环黑〔2026〕5号", "published": "on"}  # fmt: skip
    page = client.post("/enterprises/blacklist/new/", form).content.decode()
    assert "required" in page and not Listing.objects.exists()
    form.update(grounds="（测试）拒不履行监测义务。", document=sample_document())
    response = client.post("/enterprises/blacklist/new/", form)
    listing = Listing.objects.get()
    assert response.status_code == 302 and listing.published and listing.document_kind == "pdf"
