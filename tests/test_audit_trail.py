"""The audit trail across objects (/audit/): who changed what, when, for the discipline
inspector and administrators; never the reporters of cases."""

import datetime
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ecogov.cases import services as case_services
from ecogov.cases.models import Case, Channel
from ecogov.org.models import Unit
from ecogov.org.services import duty_item_create, duty_item_delete, unit_update
from ecogov.testing import PASSWORD
from ecogov.web.audit import all_kinds

pytestmark = pytest.mark.django_db
URL = "/audit/"
REPORTER_NAME = "举报人王秘密"
REPORTER_PHONE = "13912345678"


@pytest.fixture
def changes(personas):
    unit_update(
        unit=personas.construction, liaison="新联络员甲", by=personas.dora, reason="人员调整"
    )
    unit_update(unit=personas.outsider_unit, liaison="外区联络员乙", by=personas.oscar)
    clause = duty_item_create(
        unit=personas.health, text="负责医疗废物的临时监管。", by=personas.dora
    )
    duty_item_delete(item=clause, by=personas.dora, reason="与第三条重复")
    case = case_services.case_register(
        jurisdiction=personas.district,
        channel=Channel.HOTLINE,
        text="河边排污口排放黑水，气味很重。",
        reporter={"name": REPORTER_NAME, "phone": REPORTER_PHONE},
        by=personas.dora,
    )
    return case


def page(client, **query) -> str:
    response = client.get(URL, query)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def test_the_inspector_finds_who_changed_what_in_the_jurisdiction(personas, client_for, changes):
    html = page(client_for(personas.ian))
    assert "新联络员甲" in html  # liaison: old → new
    assert "人员调整" in html and str(personas.dora) in html
    assert reverse("unit_detail", args=[personas.construction.pk]) in html  # links the object
    assert "外区联络员乙" not in html  # another district's unit is not the inspector's


def test_a_deleted_duty_clause_stays_on_the_trail_with_its_unit(personas, client_for, changes):
    html = page(client_for(personas.ian), kind="org.dutyitem")
    assert html.count("负责医疗废物的临时监管。") == 2  # created, then deleted
    assert "与第三条重复" in html


def test_the_administrator_sees_every_district(personas, client_for, changes):
    html = page(client_for(personas.ada))
    assert "新联络员甲" in html and "外区联络员乙" in html


def test_filters_by_person_unit_kind_and_date(personas, client_for, changes):
    client = client_for(personas.ada)
    by_oscar = page(client, person=personas.oscar.pk)
    assert "外区联络员乙" in by_oscar and "新联络员甲" not in by_oscar
    by_bureau = page(client, unit=personas.bureau.pk)  # Dora's unit at the time
    assert "新联络员甲" in by_bureau and "外区联络员乙" not in by_bureau
    cases_only = page(client, kind="cases.case")
    assert changes.number in cases_only and "新联络员甲" not in cases_only
    today = timezone.localdate()
    assert "新联络员甲" in page(client, since=today.isoformat(), until=today.isoformat())
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    assert "新联络员甲" not in page(client, since=tomorrow)


def test_newest_first_and_paginated(personas, client_for, changes):
    client = client_for(personas.ada)
    first = page(client)
    assert "page=2" in first  # the sample district's import alone fills many pages
    assert first.index("外区联络员乙") < first.index("新联络员甲")  # Oscar changed it later
    second = page(client, page=2)
    assert "新联络员甲" not in second


@pytest.mark.parametrize("role", ["dora", "liam", "gary", "lena", "oscar"])
def test_other_roles_may_not_open_it(role, personas, client_for):
    client = client_for(getattr(personas, role))
    assert client.get(URL).status_code == 403
    assert client.get(reverse("audit_export")).status_code == 403
    assert reverse("audit_trail") not in client.get("/").content.decode()  # not in the menu


def test_the_menu_offers_it_to_inspectors_and_administrators(personas, client_for):
    for user in (personas.ian, personas.ada):
        assert f'href="{URL}"' in client_for(user).get("/").content.decode()


def test_the_anonymous_are_sent_to_sign_in(client):
    assert client.get(URL).status_code == 302


def test_reporters_never_appear_on_the_trail(personas, client_for, changes):
    case = Case.objects.get(pk=changes.pk)
    assert "cases.reporter" not in {kind.key for kind in all_kinds()}
    for user in (personas.ian, personas.ada):
        client = client_for(user)
        for query in ({}, {"kind": "cases.case"}):
            html = page(client, **query)
            assert REPORTER_NAME not in html and REPORTER_PHONE not in html
            assert case.tracking_code not in html
        export = client.get(reverse("audit_export")).content
        text = _workbook_text(export)
        assert REPORTER_NAME not in text and REPORTER_PHONE not in text
        assert case.tracking_code not in text
        assert "cases.reporter" not in page(client)
        assert client.get(URL, {"kind": "cases.reporter"}).status_code == 400


def test_rewards_are_not_offered_to_the_inspector(personas, client_for):
    assert 'value="cases.reward"' not in page(client_for(personas.ian))
    assert 'value="cases.reward"' in page(client_for(personas.ada))


def _workbook_text(data: bytes) -> str:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)


def test_the_export_opens_in_excel_with_the_same_filters(personas, client_for, changes):
    response = client_for(personas.ian).get(reverse("audit_export"), {"kind": "org.unit"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    text = _workbook_text(response.content)
    assert "新联络员甲" in text and "外区联络员乙" not in text
    assert "负责医疗废物的临时监管。" not in text  # duty items are another kind
    assert len(rows) > 3


@pytest.mark.parametrize(
    "query",
    [
        {"since": "2026-02-30"},
        {"until": "yesterday"},
        {"since": "2026-12-01", "until": "2026-01-01"},
        {"person": "99999999999999999999"},
        {"unit": "-1"},
        {"page": "0"},
        {"page": "18446744073709551616"},
        {"kind": "auth.permission"},
    ],
)
def test_a_bad_query_value_is_told_not_a_server_error(query, personas, client_for):
    client = client_for(personas.ian)
    response = client.get(URL, query)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert client.get(reverse("audit_export"), query).status_code == 400


def test_the_queries_do_not_grow_with_the_rows_shown(personas, client_for, changes):
    client = client_for(personas.ada)
    for unit in Unit.objects.filter(jurisdiction=personas.district)[:40]:
        unit_update(unit=unit, liaison=f"{unit.name}联络员", by=personas.dora)
    with CaptureQueriesContext(connection) as few:
        page(
            client,
            kind="org.unit",
            since=timezone.localdate().isoformat(),
            person=personas.oscar.pk,
        )
    with CaptureQueriesContext(connection) as many:
        page(client, kind="org.unit")
    assert len(many) <= len(few) + 2


def test_signing_in_adds_no_empty_row_to_the_audit_trail(personas):
    before = personas.dora.history.count()
    response = Client().post(
        reverse("login"), {"username": personas.dora.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    personas.dora.refresh_from_db()
    assert personas.dora.last_login is not None
    assert personas.dora.history.count() == before


def test_json_fields_and_pages_that_need_more_than_a_key_do_not_break_the_trail(
    personas, client_for
):
    from ecogov.campaigns.models import Campaign
    from ecogov.plans.models import ImplementationPlan
    from ecogov.plans.sample import plans_sample_load
    from ecogov.web.history import _value

    assert _value(Campaign._meta.get_field("figures"), {"cases": 2}, {}) == '{"cases": 2}'
    plans_sample_load()
    assert ImplementationPlan.objects.exists()  # its page is its plan's, by the plan's key
    for url in ("/audit/", "/audit/export.xlsx"):
        assert client_for(personas.ian).get(url).status_code == 200


def test_objects_with_a_field_named_kind_are_named_on_the_trail(personas, client_for):
    from ecogov.suggestions import services as suggestions

    suggestion = suggestions.suggestion_register(
        jurisdiction=personas.district, kind="suggestion", session="区十八届人大三次会议",
        number=3, title="关于扬尘治理的建议", text="工地扬尘。",
        received_on=datetime.date(2026, 3, 1), authors=[{"name": "张明", "body": "deputy"}],
        by=personas.dora,
    )  # fmt: skip
    response = client_for(personas.ian).get("/audit/export.xlsx")
    assert response.status_code == 200
    cells = [c for row in load_workbook(io.BytesIO(response.content)).active.values for c in row]
    assert str(suggestion) in cells  # 区十八届人大三次会议第3号建议 关于扬尘治理的建议
