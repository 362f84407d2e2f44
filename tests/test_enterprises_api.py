"""The blacklist's and the project register's API: scoped like the pages, bad input and a
refused registration answered 4xx with the reason, never 500, and nothing saved."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from ecogov.enterprises.models import Listing, Override, Project
from ecogov.enterprises.sample import fictional_uscc, sample_document
from ecogov.org.models import Jurisdiction
from ecogov.org.services import jurisdiction_ensure

CODE = fictional_uscc("91630103MA7AP1001")
CLEAN = fictional_uscc("91630103MA7AP1002")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def street(personas):
    return jurisdiction_ensure(
        name="南川西路街道", level=Jurisdiction.Level.TOWNSHIP, parent=personas.district
    )


def listing_form(**fields):
    form = {"uscc": CODE, "name": "己公司", "ground": "repeated", "grounds": "（测试）三次处罚。",
            "decision_number": "城环黑〔2026〕7号", "document": sample_document()}  # fmt: skip
    form.update(fields)
    return {key: value for key, value in form.items() if value is not None}


def project_body(street, **fields):
    body = {"jurisdiction": street.pk, "name": "庚项目", "builder": "庚公司",
            "builder_uscc": CLEAN, "eia": "pending"}  # fmt: skip
    body.update(fields)
    return body


def post_json(client, path, body):
    return client.post(path, body, content_type="application/json")


def test_the_bureau_lists_removes_and_the_register_refuses(personas, street, form_client_for):
    dora = form_client_for(personas.dora)
    created = dora.post("/api/enterprises/listings", listing_form())
    assert created.status_code == 201, created.content
    listing = created.json()
    assert listing["state"] == "in_force" and listing["uscc"] == CODE
    assert [row["id"] for row in dora.get("/api/enterprises/listings").json()] == [listing["id"]]
    refused = post_json(dora, "/api/enterprises/projects", project_body(street, builder_uscc=CODE))
    assert refused.status_code == 422 and "城环黑〔2026〕7号" in str(refused.json())
    assert not Project.objects.exists()
    overridden = post_json(dora, "/api/enterprises/projects",
                           project_body(street, builder_uscc=CODE, override="（测试）特批。"))  # fmt: skip
    assert overridden.status_code == 201 and overridden.json()["override"]
    assert Override.objects.get().ref == f"project:{overridden.json()['id']}"
    assert len(dora.get("/api/enterprises/projects").json()) == 1
    removed = post_json(dora, f"/api/enterprises/listings/{listing['id']}/remove",
                        {"reason": "（测试）复核移出。"})  # fmt: skip
    assert removed.status_code == 200 and removed.json()["state"] == "removed"
    assert dora.get("/api/enterprises/candidates").status_code == 200


@pytest.mark.parametrize("fields", [
    {"grounds": ""}, {"document": None}, {"uscc": "123"},
    {"document": SimpleUploadedFile("a.pdf", b"MZ not a pdf")},
    {"ground": "whim"}, {"listed_on": "2099-01-01"}, {"listed_on": "yesterday"},
    {"cases": "C-NOPE"}, {"source": "999999"},
])  # fmt: skip
def test_bad_listings_are_4xx(personas, form_client_for, fields):
    response = form_client_for(personas.dora).post("/api/enterprises/listings",
                                                   listing_form(**fields))  # fmt: skip
    assert 400 <= response.status_code < 500, response.content
    assert not Listing.objects.exists()


@pytest.mark.parametrize("fields", [
    {"builder_uscc": "91630103MA7AP10011"}, {"eia": "approved"}, {"jurisdiction": 999999},
    {"lon": 500}, {"meeting": 999999}, {"name": ""},
])  # fmt: skip
def test_bad_projects_are_4xx(personas, street, form_client_for, fields):
    response = post_json(form_client_for(personas.dora), "/api/enterprises/projects",
                         project_body(street, **fields))  # fmt: skip
    assert 400 <= response.status_code < 500, response.content
    assert not Project.objects.exists()


def test_other_districts_and_roles_are_refused(personas, street, form_client_for):
    form_client_for(personas.dora).post("/api/enterprises/listings", listing_form())
    listing = Listing.objects.get()
    oscar = form_client_for(personas.oscar)
    assert oscar.get("/api/enterprises/listings").json() == []
    assert oscar.get(f"/api/enterprises/listings/{listing.pk}").status_code == 404
    assert post_json(oscar, f"/api/enterprises/listings/{listing.pk}/remove",
                     {"reason": "x"}).status_code == 404  # fmt: skip
    assert post_json(oscar, "/api/enterprises/projects", project_body(street)).status_code == 403
    liam = form_client_for(personas.liam)
    assert liam.post("/api/enterprises/listings", listing_form(
        decision_number="城环黑〔2026〕8号", uscc=CLEAN)).status_code == 403  # fmt: skip
    assert liam.get("/api/enterprises/candidates").status_code == 403
    barred = post_json(liam, "/api/enterprises/projects",
                       project_body(street, builder_uscc=CODE, override="急需"))  # fmt: skip
    assert barred.status_code == 422 and "调度员" in str(barred.json())  # only the dispatcher
    assert not Project.objects.exists() and Listing.objects.get().removed_on is None
