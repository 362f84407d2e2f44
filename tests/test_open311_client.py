"""An unmodified Open311 client from PyPI (``georeport``) against a running EcoGov: it
lists the services, reads a definition, and reads back a request posted to the server,
in JSON and in XML.

``georeport`` 0.3.1 has no method to post (its ``GeoReport`` only reads), so the request
is posted as the specification says, form-encoded, with ``requests`` (the library the
client itself uses) to the client's own ``root_address``."""

import pytest
import requests
from georeport import GeoReport

from ecogov.cases.models import Case, Channel, Reporter
from ecogov.testing import make_personas
from test_open311 import BLACK_WATER, REPORTER, disclose


@pytest.fixture
def people(transactional_db):
    # A live-server test flushes the database: the data is built here, inside the test.
    return make_personas()


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_the_georeport_client_lists_posts_and_reads_back(people, live_server, output_format):
    root = f"{live_server.url}/open311/v2"
    client = GeoReport(root, jurisdiction=people.district.code, output_format=output_format)

    listed = {service["service_code"]: service for service in client.get_service_list()}
    assert "water.black_smelly_water" in listed and "noise" in listed
    assert str(listed["air.open_barbecue"]["metadata"]).lower() == "true"

    definition = client.get_service_definition("noise.construction_noise")
    assert definition["service_code"] == "noise.construction_noise"
    attributes = definition["attributes"]
    if output_format == "xml":
        attributes = attributes["attribute"]
    assert [attribute["code"] for attribute in attributes] == ["when", "ongoing", "cause"]

    posted = requests.post(
        f"{client.root_address}/requests.{output_format}",
        data={
            "service_code": "water.black_smelly_water",
            "description": BLACK_WATER,
            "address_string": "南滩街道家属院后面",
            "jurisdiction_id": client.jurisdiction,
            "attribute[ongoing]": "yes",
            **REPORTER,
        },  # fmt: skip
        timeout=30,
    )
    assert posted.status_code == 201, posted.text
    for secret in ("赵", "13911112222"):
        assert secret not in posted.text
    case = Case.objects.get()
    assert case.channel == Channel.PUBLIC and Reporter.objects.get(case=case).name == "赵建国"
    if output_format == "json":
        receipt = posted.json()[0]
    else:
        import xmltodict

        receipt = xmltodict.parse(posted.content)["service_requests"]["request"]
    assert receipt["service_request_id"] == case.number

    # The token resolves to the number at once; the request itself shows once disclosed.
    token = requests.get(f"{root}/tokens/{receipt['token']}.json", timeout=30).json()
    assert token == [{"service_request_id": case.number, "token": receipt["token"]}]
    with pytest.raises(requests.HTTPError):
        client.get_service_request(case.number)

    disclose(people, case, summary="排洪渠黑水：已整改。")
    request = client.get_service_request(case.number)
    assert request["service_request_id"] == case.number
    assert request["status"] == "closed"
    assert request["service_code"] == "water.black_smelly_water"
    assert request["agency_responsible"] == people.construction.name
    assert request["description"] == "排洪渠黑水：已整改。"

    listed = client.get_service_requests(status="closed", service_code="water.black_smelly_water")
    if output_format == "xml":
        listed = [listed]  # xmltodict gives the only <request> as itself, not a list
    assert [row["service_request_id"] for row in listed] == [case.number]
    by_id = client.get_service_requests(service_request_id=case.number)
    by_id = [by_id] if output_format == "xml" else by_id
    assert by_id[0]["status"] == "closed"
    for row in (request, *listed, *by_id):
        assert "赵" not in str(row) and "13911112222" not in str(row)
