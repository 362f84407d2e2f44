"""Open311 GeoReport v2 at /open311/v2/, checked against the specification's examples
(https://wiki.open311.org/GeoReport_v2): the shape of every resource in JSON and XML,
every refusal in the spec's error format, the filters, the status mapping, posting
through the portal's intake and limits, the API key, jurisdiction_id, and that no
reporter ever appears in an answer."""

import datetime
import json
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ecogov.cases import services
from ecogov.cases.models import Case, CaseEvent, Category, Channel, Outcome, Reporter, State
from ecogov.domain.router_lexicon import CONCEPTS
from ecogov.open311 import catalogue, georeport
from ecogov.org.models import DutyItem

BLACK_WATER = "南滩街道一个家属院后面的排洪渠常年是黑水，一到夏天臭得受不了"
NANTAN = {"lat": "36.60", "long": "101.734"}  # inside 南滩街道
REPORTER = {"first_name": "建国", "last_name": "赵", "phone": "13911112222",
            "email": "zhao@example.com"}  # fmt: skip
V2 = "/open311/v2/"


@pytest.fixture
def anyone():
    return Client(enforce_csrf_checks=True)


def post(client, fmt="json", **fields):
    data = {"service_code": "water.black_smelly_water", "description": BLACK_WATER,
            "address_string": "南滩街道家属院后面", **REPORTER, **fields}  # fmt: skip
    return client.post(f"{V2}requests.{fmt}", {k: v for k, v in data.items() if v is not None})


def xml(response):
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ElementTree.fromstring(response.content)


def errors_of(response, fmt):
    if fmt == "json":
        assert response["Content-Type"].startswith("application/json")
        rows = response.json()
        assert all(set(row) == {"code", "description"} for row in rows)
        assert all(row["code"] == response.status_code for row in rows)
        return [row["description"] for row in rows]
    root = xml(response)
    assert root.tag == "errors"
    assert [e.findtext("code") for e in root] == [str(response.status_code)] * len(root)
    return [e.findtext("description") for e in root]


def disclose(personas, case, summary="排洪渠黑水：封堵雨污混接口，已整改。"):
    case = services.case_accept(case, by=personas.liam)
    case = services.case_start(case, by=personas.liam)
    case = services.case_report(case, investigation="上游雨污混接。", measures="封堵，清淤。",
                                outcome=Outcome.RECTIFIED, by=personas.liam)  # fmt: skip
    case = services.case_verify(case, confirmed=True, note="复查无黑水。", by=personas.dora)
    case = services.case_close(case, by=personas.dora)
    return services.case_disclose(case, summary=summary, by=personas.dora)


def registered(personas, now=None, **fields):
    fields = {"text": BLACK_WATER, "address": "城中区南滩街道", "category": "water",
              "subcategory": "黑臭水体", **fields}  # fmt: skip
    return services.case_register(
        jurisdiction=personas.district, channel=Channel.PUBLIC, now=now,
        reporter={"name": "赵建国", "phone": "13911112222"}, **fields,
    )  # fmt: skip


# --- the catalogue -------------------------------------------------------------------


def test_every_subcategory_of_the_router_has_one_stable_code():
    assert {c.subcategory for c in CONCEPTS} == set(catalogue.SLUGS)
    codes = [service.code for service in catalogue.SERVICES]
    assert len(codes) == len(set(codes)) == len(Category) + len(CONCEPTS)
    assert all(code.isascii() for code in codes)
    assert catalogue.service_of("air", "露天烧烤").code == "air.open_barbecue"
    assert catalogue.service_of("water", "超标").code == "water"  # an alarm's: the category


@pytest.mark.parametrize("state", list(State))
def test_status_is_open_for_open_states_and_closed_for_the_rest(state):
    expected = "closed" if state in (State.CLOSED, State.MERGED) else "open"
    assert georeport.status_of(state) == expected


# --- discovery and services ----------------------------------------------------------


def test_discovery_names_the_specification_and_this_endpoint(anyone, personas):
    data = anyone.get(V2 + "discovery.json").json()
    assert set(data) == {"changeset", "contact", "key_service", "endpoints"}
    (endpoint,) = data["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2/"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    root = xml(anyone.get(V2 + "discovery.xml"))
    assert root.tag == "discovery"
    assert root.findtext("endpoints/endpoint/url") == "http://testserver/open311/v2/"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml", "application/json"]  # fmt: skip


def test_services_are_the_categories_and_subcategories_grouped(anyone, personas):
    response = anyone.get(V2 + "services.json")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
    rows = {row["service_code"]: row for row in response.json()}
    assert set(rows) == set(catalogue.BY_CODE)
    barbecue = rows["air.open_barbecue"]
    assert set(barbecue) == {"service_code", "service_name", "description", "metadata",
                             "type", "keywords", "group"}  # fmt: skip
    assert barbecue["metadata"] is True and barbecue["type"] == "realtime"
    assert barbecue["group"] == rows["air"]["group"] == str(Category.AIR.label)
    assert "烧烤" in barbecue["keywords"].split(",")
    root = xml(anyone.get(V2 + "services.xml"))
    assert root.tag == "services" and {e.tag for e in root} == {"service"}
    assert [e.findtext("service_code") for e in root] == list(rows)
    assert root.find("service").findtext("metadata") == "true"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_service_definition_lists_its_attributes(anyone, personas, fmt):
    response = anyone.get(f"{V2}services/noise.construction_noise.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        data = response.json()
        assert data["service_code"] == "noise.construction_noise"
        when = data["attributes"][0]
        assert set(when) == {"variable", "code", "datatype", "required",
                             "datatype_description", "order", "description", "values"}  # fmt: skip
        assert (when["code"], when["datatype"], when["required"]) == (
            "when",
            "singlevaluelist",
            True,
        )
        assert {"key": "night"}.items() <= when["values"][3].items()
    else:
        root = xml(response)
        assert root.tag == "service_definition"
        assert root.findtext("service_code") == "noise.construction_noise"
        codes = [a.findtext("code") for a in root.findall("attributes/attribute")]
        assert codes == ["when", "ongoing", "cause"]
        assert root.findtext("attributes/attribute/required") == "true"
        keys = [v.findtext("key") for v in root.findall("attributes/attribute/values/value")]
        assert "night" in keys and "yes" in keys
    # Outside noise, saying when is optional.
    air = anyone.get(V2 + "services/air.json").json()
    assert air["attributes"][0]["required"] is False


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_service_is_404_in_the_error_format(anyone, personas, fmt):
    response = anyone.get(f"{V2}services/air.nothing.{fmt}")
    assert response.status_code == 404
    assert errors_of(response, fmt)


def test_an_unknown_format_is_404_in_xml_and_a_wrong_method_405(anyone, personas):
    response = anyone.get(V2 + "services.csv")
    assert response.status_code == 404 and errors_of(response, "xml")
    response = anyone.post(V2 + "services.json")
    assert response.status_code == 405 and errors_of(response, "json")
    assert anyone.get(V2 + "nothing.json").status_code == 404


# --- posting -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_posted_request_is_a_public_report_through_the_portals_intake(anyone, personas, fmt):
    response = post(anyone, fmt, **{"attribute[when]": "evening", "attribute[ongoing]": "yes",
                                    "attribute[cause]": "家属院"}, **NANTAN)  # fmt: skip
    assert response.status_code == 201
    case = Case.objects.get()
    assert case.channel == Channel.PUBLIC and case.registered_by is None
    assert (case.category, case.subcategory) == ("water", "黑臭水体")
    assert case.text.startswith("【黑臭水体】" + BLACK_WATER)
    assert case.text.count("\n") == 3  # when, going on now, caused by
    assert case.lead == personas.construction  # routed by the duty lists
    assert str(case.lat) == "36.600000" and case.grid is not None
    reporter = Reporter.objects.get(case=case)
    assert (reporter.name, reporter.phone, reporter.anonymous) == ("赵建国", "13911112222", False)
    if fmt == "json":
        (receipt,) = response.json()
        assert set(receipt) == {"service_request_id", "token", "service_notice", "account_id"}
    else:
        root = xml(response)
        assert root.tag == "service_requests"
        receipt = {e.tag: e.text for e in root.find("request")}
    assert receipt["service_request_id"] == case.number
    assert receipt["account_id"] is None
    assert case.number in receipt["service_notice"]
    body = response.content.decode()
    for secret in (case.tracking_code, "赵", "13911112222", "zhao@example.com"):
        assert secret not in body


def test_a_request_without_a_reporter_is_anonymous(anyone, personas):
    response = post(anyone, first_name="", last_name="", phone="", email="")
    assert response.status_code == 201
    assert Reporter.objects.get().anonymous


BAD_POSTS = {
    "no service_code": {"service_code": ""},
    "unknown service": {"service_code": "air.nothing"},
    "lat is not a number": {"lat": "north", "long": "101.7"},
    "lat out of range": {"lat": "95", "long": "101.7"},
    "long out of range": {"lat": "36.6", "long": "500"},
    "lat without long": {"lat": "36.6"},
    "a point outside the district": {"lat": "39.90", "long": "116.40"},
    "nowhere": {"address_string": ""},
    "no description": {"service_code": "water", "description": ""},
    "noise without when": {"service_code": "noise.construction_noise"},
    "an attribute outside its values": {"attribute[ongoing]": "maybe"},
    "a media_url that is no web address": {"media_url": "file:///etc/passwd"},
    "an unknown jurisdiction": {"jurisdiction_id": "999999"},
    "a bad e-mail": {"email": "not an address"},
}


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("fields", BAD_POSTS.values(), ids=BAD_POSTS.keys())
def test_a_bad_request_is_400_in_the_error_format_and_registers_nothing(
    anyone, personas, fmt, fields
):
    response = post(anyone, fmt, **fields)
    assert response.status_code == 400
    assert all(errors_of(response, fmt))
    assert Case.objects.count() == 0


def test_the_reports_budget_answers_429_in_the_error_format(anyone, personas, settings):
    settings.ECOGOV_PUBLIC_REPORTS_PER_HOUR = 1
    assert post(anyone).status_code == 201
    response = post(anyone, "xml", description="排洪渠又黑又臭，第二次说")
    assert response.status_code == 429
    assert errors_of(response, "xml")
    assert Case.objects.count() == 1


def test_refused_requests_have_their_own_budget(anyone, personas, settings):
    settings.ECOGOV_PUBLIC_REFUSED_REPORTS_PER_HOUR = 2
    for _ in range(2):
        assert post(anyone, service_code="").status_code == 400
    response = post(anyone)  # a good one, but the client used up its refusals
    assert response.status_code == 429 and errors_of(response, "json")
    assert Case.objects.count() == 0


def test_the_api_key_setting_closes_posting_to_clients_without_a_key(anyone, personas, settings):
    settings.ECOGOV_OPEN311_API_KEYS = ["k-one", "k-two"]
    for key in (None, "", "k-three"):
        response = post(anyone, api_key=key)
        assert response.status_code == 403 and errors_of(response, "json")
    assert Case.objects.count() == 0
    assert post(anyone, api_key="k-two").status_code == 201
    # Reading stays open.
    assert anyone.get(V2 + "services.json").status_code == 200


def test_a_signed_in_staff_member_posts_as_a_citizen_without_csrf(client_for, personas):
    dora = client_for(personas.dora)  # CSRF checks on, no token sent
    response = post(dora)
    assert response.status_code == 201
    case = Case.objects.get()
    assert case.registered_by is None and case.channel == Channel.PUBLIC


# --- jurisdictions -------------------------------------------------------------------


def test_one_district_needs_no_jurisdiction_id_but_a_wrong_one_is_refused(anyone, personas):
    assert post(anyone).status_code == 201
    code = personas.district.code
    assert post(anyone, jurisdiction_id=code, description="另一处排洪渠发黑").status_code == 201
    response = anyone.get(V2 + "services.json?jurisdiction_id=nowhere")
    assert response.status_code == 400 and errors_of(response, "json")


def test_several_districts_need_the_jurisdiction_id_to_post(anyone, personas):
    DutyItem.objects.create(unit=personas.outsider_unit, number=1, text="负责全区生态环境监督管理")
    response = post(anyone)
    assert response.status_code == 400 and errors_of(response, "json")
    assert post(anyone, jurisdiction_id=personas.district.code).status_code == 201
    case = Case.objects.get()
    assert case.jurisdiction == personas.district
    disclose(personas, case)
    other = f"{V2}requests.json?jurisdiction_id={personas.outsider_district.code}"
    assert anyone.get(other).json() == []
    mine = f"{V2}requests.json?jurisdiction_id={personas.district.code}"
    assert [r["service_request_id"] for r in anyone.get(mine).json()] == [case.number]
    # Reading without it shows every district's.
    assert len(anyone.get(V2 + "requests.json").json()) == 1


# --- tokens and what a poster sees ---------------------------------------------------


def test_the_token_resolves_to_the_case_number_and_nothing_else(anyone, personas):
    receipt = post(anyone).json()[0]
    case = Case.objects.get()
    response = anyone.get(f"{V2}tokens/{receipt['token']}.json")
    assert response.json() == [{"service_request_id": case.number, "token": receipt["token"]}]
    assert "no-store" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    root = xml(anyone.get(f"{V2}tokens/{receipt['token']}.xml"))
    assert root.findtext("request/service_request_id") == case.number
    assert case.tracking_code not in receipt["token"]
    pk, digest = receipt["token"].split("-")
    for wrong in (case.tracking_code, f"{pk}-{'0' * 32}", f"{pk}-", "x-y", digest):
        response = anyone.get(f"{V2}tokens/{wrong}.json")
        assert response.status_code == 404 and errors_of(response, "json")


def test_an_open_request_is_not_shown_until_its_case_is_disclosed(anyone, personas):
    number = post(anyone).json()[0]["service_request_id"]
    for fmt in ("json", "xml"):
        response = anyone.get(f"{V2}requests/{number}.{fmt}")
        assert response.status_code == 404 and errors_of(response, fmt)
    assert anyone.get(V2 + "requests.json").json() == []
    assert anyone.get(f"{V2}requests.json?service_request_id={number}").json() == []
    disclose(personas, Case.objects.get())
    (row,) = anyone.get(f"{V2}requests/{number}.json").json()
    assert row["service_request_id"] == number and row["status"] == "closed"


# --- reading requests ----------------------------------------------------------------

FIELDS = {"service_request_id", "status", "status_notes", "service_name", "service_code",
          "description", "agency_responsible", "service_notice", "requested_datetime",
          "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat",
          "long", "media_url"}  # fmt: skip


def test_a_disclosed_request_shows_its_public_fields_only(anyone, personas):
    post(anyone, **NANTAN, **{"attribute[cause]": "赵家的小作坊"})
    case = disclose(personas, Case.objects.get())
    (row,) = anyone.get(f"{V2}requests/{case.number}.json").json()
    assert set(row) == FIELDS
    assert row["service_code"] == "water.black_smelly_water"
    assert row["description"] == case.public_summary  # the summary, never the report
    assert row["agency_responsible"] == personas.construction.name
    assert row["status_notes"] == CaseEvent.objects.filter(kind="disclosed").get().public_note
    assert row["requested_datetime"] == timezone.localtime(case.registered_at).isoformat(
        timespec="seconds")  # fmt: skip
    assert row["requested_datetime"].endswith("+08:00")
    assert (row["lat"], row["long"]) == (36.6, 101.734)
    assert row["address"] == "南滩街道家属院后面" and row["media_url"] is None
    body = anyone.get(f"{V2}requests/{case.number}.xml").content.decode()
    for private in (BLACK_WATER, "赵", "13911112222", case.tracking_code, "上游雨污混接",
                    personas.liam.get_full_name() or "Liam", "复查无黑水"):  # fmt: skip
        assert private not in json.dumps(row, ensure_ascii=False)
        assert private not in body
    root = xml(anyone.get(f"{V2}requests/{case.number}.xml"))
    assert {e.tag for e in root.find("request")} == FIELDS
    assert root.findtext("request/lat") == "36.6"


def test_the_xml_escapes_what_staff_wrote(anyone, personas):
    case = disclose(personas, registered(personas), summary='已整改 <b>&</b> "完毕"')
    root = xml(anyone.get(f"{V2}requests/{case.number}.xml"))
    assert root.findtext("request/description") == '已整改 <b>&</b> "完毕"'


@pytest.fixture
def history(personas):
    """Disclosed cases of 10, 40 and 200 days ago, and one still open."""
    now = timezone.now()
    cases = {}
    for days, text in ((10, BLACK_WATER), (40, "家属院后面的排洪渠臭得受不了，水是黑的"),
                       (200, "排洪渠去年就是黑水")):  # fmt: skip
        case = registered(personas, now=now - datetime.timedelta(days=days), text=text)
        cases[days] = disclose(personas, case)
    cases["open"] = registered(personas, text="仁和口腔诊所门口的垃圾桶里有带血的棉球",
                               category="solid_waste", subcategory="医疗废物")  # fmt: skip
    return cases


def numbers(anyone, query=""):
    response = anyone.get(f"{V2}requests.json{query}")
    assert response.status_code == 200, response.content
    return [row["service_request_id"] for row in response.json()]


def test_the_list_defaults_to_the_last_90_days_newest_first(anyone, history):
    assert numbers(anyone) == [history[10].number, history[40].number]
    root = xml(anyone.get(V2 + "requests.xml"))
    assert root.tag == "service_requests"
    assert [e.findtext("service_request_id") for e in root] == numbers(anyone)


def test_the_list_filters_by_dates_ids_service_and_status(anyone, history):
    old = timezone.localtime(history[200].registered_at)
    start = (old - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S%z")
    start = start[:-2] + ":" + start[-2:]
    assert numbers(anyone, f"?start_date={start.replace('+', '%2B')}") == [history[200].number]
    day = (old + datetime.timedelta(days=1)).date().isoformat()
    assert numbers(anyone, f"?end_date={day}") == [history[200].number]
    utc = (timezone.now() - datetime.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert numbers(anyone, f"?start_date={utc}") == [history[10].number]
    ids = f"{history[200].number},{history[10].number},{history['open'].number}"
    assert sorted(numbers(anyone, f"?service_request_id={ids}&status=open")) == sorted(
        [history[200].number, history[10].number])  # fmt: skip
    assert numbers(anyone, "?status=open") == []
    assert numbers(anyone, "?status=closed,open") == numbers(anyone)
    assert numbers(anyone, "?service_code=water.black_smelly_water,air") == numbers(anyone)
    assert numbers(anyone, "?service_code=water") == []
    assert numbers(anyone, "?service_code=solid_waste.medical_waste") == []


BAD_QUERIES = {
    "a date that is no date": "?start_date=yesterday",
    "a month 13": "?end_date=2026-13-01T00:00:00Z",
    "more than 90 days": "?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
    "start after end": "?start_date=2026-06-01&end_date=2026-05-01",
    "an unknown status": "?status=pending",
    "an unknown service": "?service_code=air.nothing",
    "too many ids": "?service_request_id=" + ",".join(str(n) for n in range(101)),
    "an unknown jurisdiction": "?jurisdiction_id=0",
}


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("query", BAD_QUERIES.values(), ids=BAD_QUERIES.keys())
def test_a_bad_query_is_400_in_the_error_format(anyone, personas, fmt, query):
    response = anyone.get(f"{V2}requests.{fmt}{query}")
    assert response.status_code == 400
    assert all(errors_of(response, fmt))


def test_the_list_makes_a_fixed_number_of_queries(anyone, history, django_assert_max_num_queries):
    # One for the list, two for the freshness marker (the disclosed cases and their history).
    with django_assert_max_num_queries(3):
        assert len(anyone.get(V2 + "requests.json").json()) == 2


# --- confidentiality on the sample district ------------------------------------------


def test_no_answer_names_a_sample_reporter(anyone, personas):
    from ecogov.cases.sample import cases_sample_load

    cases_sample_load(personas.district)
    disclosed = list(Case.objects.exclude(disclosed_at=None).values_list("number", flat=True))
    assert disclosed
    reporters = Reporter.objects.filter(anonymous=False)
    secrets = {r.name for r in reporters} | {r.phone for r in reporters if r.phone}
    secrets |= set(Case.objects.values_list("tracking_code", flat=True))
    assert len(secrets) > 10
    paths = [f"requests.{{fmt}}?service_request_id={','.join(disclosed)}", "requests.{fmt}",
             "services.{fmt}", "discovery.{fmt}"]  # fmt: skip
    paths += [f"requests/{number}.{{fmt}}" for number in disclosed]
    seen = 0
    for path in paths:
        for fmt in ("json", "xml"):
            response = anyone.get(V2 + path.format(fmt=fmt))
            assert response.status_code == 200
            body = response.content.decode()
            seen += body.count("<request>") + body.count('"service_request_id"')
            assert not [secret for secret in secrets if secret in body]
    assert seen >= 2 * len(disclosed)
    # Internal notes of the timeline never leave as status_notes.
    notes = set(CaseEvent.objects.exclude(note="").values_list("note", flat=True))
    rows = anyone.get(f"{V2}requests.json?service_request_id={','.join(disclosed)}").json()
    assert not {row["status_notes"] for row in rows} & (notes - {""})


def test_url_names(personas):
    assert reverse("open311:discovery", kwargs={"format": "json"}) == V2 + "discovery.json"
    assert reverse("open311:service_definition", kwargs={"format": "xml", "code": "air.boilers"}
                   ) == V2 + "services/air.boilers.xml"  # fmt: skip
    assert reverse("open311:request", kwargs={"format": "json", "number": "630103-2026-00001"})
    assert reverse("open311:token", kwargs={"format": "json", "token": "1-ab"})
    assert reverse("open311:requests", kwargs={"format": "json"}) == V2 + "requests.json"


def test_an_install_without_districts_still_answers_reads_and_refuses_posts(anyone, db):
    assert anyone.get(V2 + "services.json").status_code == 200
    assert anyone.get(V2 + "requests.xml").status_code == 200
    response = post(anyone)
    assert response.status_code == 400 and errors_of(response, "json")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_refusals_made_before_the_view_speak_the_error_format(anyone, personas, settings, fmt):
    """A NUL in the form (the one cleaning path) and a body over the limit (the body
    limit) are refused before any view runs: still in the specification's format."""
    response = post(anyone, fmt, description="排洪渠\x00黑水")
    assert response.status_code == 400 and errors_of(response, fmt)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post(anyone, fmt, description="排洪渠黑水" * 400)
    assert response.status_code == 413 and errors_of(response, fmt)
    assert Case.objects.count() == 0
