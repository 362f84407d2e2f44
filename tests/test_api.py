"""The JSON API: authentication, the registry, people, and attempts to cross the lines."""

import json

import pytest
from django.test import Client

from ecogov.accounts.models import ApiToken, User
from ecogov.accounts.services import token_create
from ecogov.org.models import DutyItem, Unit, UnitName


def call(client, method, path, data=None, **headers):
    body = json.dumps(data) if data is not None else None
    return getattr(client, method)(path, body, content_type="application/json", **headers)


def test_the_schema_is_served(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/units" in schema["paths"]
    assert "/api/people" in schema["paths"]


def test_it_refuses_the_anonymous(personas, client):
    for path in (
        "/api/units",
        f"/api/units/{personas.bureau.pk}",
        "/api/people",
        "/api/jurisdictions",
    ):
        response = client.get(path)
        assert response.status_code == 401, path


def test_a_bearer_token_authenticates(personas):
    _token, key = token_create(user=personas.dora, name="script")
    response = Client().get("/api/units", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert response.json()["count"] == 23
    assert ApiToken.objects.get().last_used is not None
    assert Client().get("/api/units", HTTP_AUTHORIZATION="Bearer eg_wrong").status_code == 401


def test_a_revoked_or_inactive_token_is_refused(personas):
    token, key = token_create(user=personas.dora, name="script")
    personas.dora.is_active = False
    personas.dora.save()
    assert Client().get("/api/units", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_units_list_and_detail(personas, client_for):
    client = client_for(personas.liam)
    page = client.get("/api/units?q=扬尘").json()
    assert {unit["name"] for unit in page["items"]} >= {"区城乡建设局", "区市政公用服务中心"}
    detail = client.get(f"/api/units/{personas.bureau.pk}").json()
    assert detail["name"] == "区生态环境局"
    assert len(detail["duties"]) == 12
    found = client.get("/api/units?q=区自然资源局").json()["items"]
    assert [unit["name"] for unit in found] == ["区自然资源和林业局"]


def test_a_session_write_needs_the_csrf_token(personas, client_for):
    client = client_for(personas.liam)
    response = call(client, "patch", f"/api/units/{personas.construction.pk}", {"liaison": "王五"})
    assert response.status_code == 403
    assert Unit.objects.get(pk=personas.construction.pk).liaison == ""


def csrf_client(user) -> tuple[Client, dict]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/")  # sets the CSRF cookie
    return client, {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}


def test_a_liaison_edits_the_contact_details_of_his_unit(personas):
    client, csrf = csrf_client(personas.liam)
    response = call(
        client,
        "patch",
        f"/api/units/{personas.construction.pk}",
        {"liaison": "王五", "liaison_phone": "0971-1234567"},
        **csrf,
    )
    assert response.status_code == 200, response.content
    unit = Unit.objects.get(pk=personas.construction.pk)
    assert unit.liaison == "王五"
    assert unit.history.first().history_user == personas.liam


@pytest.mark.parametrize(
    "method, path, data",
    [
        ("patch", "/api/units/{health}", {"liaison": "入侵者"}),
        ("patch", "/api/units/{construction}", {"kind": "court"}),
        ("post", "/api/units/{construction}/rename", {"new_name": "区建设局"}),
        ("post", "/api/units/{health}/duties", {"text": "负责一切"}),
        ("patch", "/api/duties/{health_duty}", {"text": "无职责"}),
        ("delete", "/api/duties/{health_duty}", None),
        ("patch", "/api/people/{lily}", {"phone": "110"}),
        ("patch", "/api/people/{liam}", {"role": "administrator"}),
        ("post", "/api/people", {"username": "mallory", "role": "administrator"}),
        ("get", "/api/people/{lily}", None),
        ("get", "/api/units/{health}/history", None),
    ],
)
def test_a_liaison_cannot_cross_into_another_unit(personas, method, path, data):
    health_duty = personas.health.duties.first()
    path = path.format(
        health=personas.health.pk,
        construction=personas.construction.pk,
        health_duty=health_duty.pk,
        lily=personas.lily.pk,
        liam=personas.liam.pk,
    )
    client, csrf = csrf_client(personas.liam)
    before = (
        list(Unit.objects.values_list("name", "kind", "liaison")),
        list(DutyItem.objects.values_list("text", flat=True)),
        list(User.objects.values_list("username", "role", "phone")),
    )
    response = call(client, method, path, data, **csrf)
    assert response.status_code in (403, 404), (path, response.status_code, response.content)
    assert "detail" in response.json()
    after = (
        list(Unit.objects.values_list("name", "kind", "liaison")),
        list(DutyItem.objects.values_list("text", flat=True)),
        list(User.objects.values_list("username", "role", "phone")),
    )
    assert after == before


@pytest.mark.parametrize(
    "path",
    [
        "/api/units/{bureau}",
        "/api/units/{bureau}/duties",
        "/api/duties/{bureau_duty}",
        "/api/people/{dora}",
        "/api/jurisdictions/{district}",
    ],
)
def test_the_outsider_gets_404_for_everything_in_chengzhong(personas, client_for, path):
    path = path.format(
        bureau=personas.bureau.pk,
        bureau_duty=personas.bureau.duties.first().pk,
        dora=personas.dora.pk,
        district=personas.district.pk,
    )
    response = client_for(personas.oscar).get(path)
    assert response.status_code == 404
    assert "区生态环境局" not in response.content.decode()


def test_the_outsider_lists_nothing_of_chengzhong(personas, client_for):
    client = client_for(personas.oscar)
    assert [u["name"] for u in client.get("/api/units").json()["items"]] == ["区生态环境局"]
    assert client.get(f"/api/units?jurisdiction_id={personas.district.pk}").json()["count"] == 0
    assert [p["username"] for p in client.get("/api/people").json()["items"]] == ["oscar"]


def test_the_dispatcher_renames_a_unit_and_the_old_name_stays_findable(personas):
    client, csrf = csrf_client(personas.dora)
    response = call(
        client,
        "post",
        f"/api/units/{personas.construction.pk}/rename",
        {"new_name": "区住房和城乡建设局", "note": "机构改革"},
        **csrf,
    )
    assert response.status_code == 200, response.content
    assert response.json()["other_names"][0]["name"] == "区城乡建设局"
    found = client.get("/api/units?q=区城乡建设局").json()["items"]
    assert [unit["name"] for unit in found] == ["区住房和城乡建设局"]
    assert UnitName.objects.get(name="区城乡建设局").kind == UnitName.Kind.FORMER


def test_the_dispatcher_edits_a_duty_list(personas):
    client, csrf = csrf_client(personas.dora)
    created = call(
        client,
        "post",
        f"/api/units/{personas.construction.pk}/duties",
        {"text": "负责建筑工地扬尘在线监测设备的安装督促。"},
        **csrf,
    )
    assert created.status_code == 201
    duty = created.json()
    changed = call(
        client, "patch", f"/api/duties/{duty['id']}", {"text": "负责建筑工地扬尘监测。"}, **csrf
    )
    assert changed.json()["text"] == "负责建筑工地扬尘监测。"
    assert call(client, "delete", f"/api/duties/{duty['id']}", **csrf).status_code == 204
    # the deleted clause is still in the history
    assert DutyItem.history.filter(id=duty["id"], history_type="-").exists()


def test_an_administrator_creates_a_person_and_bad_input_gets_a_4xx(personas):
    client, csrf = csrf_client(personas.ada)
    good = {
        "username": "wang",
        "name": "王网格",
        "role": "grid_worker",
        "unit_id": personas.township.pk,
        "password": "Gr1d-worker-2026",
    }
    assert call(client, "post", "/api/people", good, **csrf).status_code == 201
    assert User.objects.get(username="wang").check_password("Gr1d-worker-2026")
    bad_inputs = [
        {**good, "username": "wang"},  # taken
        {**good, "username": "li", "unit_id": None},  # grid worker without unit
        {**good, "username": "zhao", "role": "emperor"},  # no such role
        {**good, "username": "qian", "unit_id": 999999},  # no such unit
        {**good, "username": "sun", "password": "12345678"},  # weak password
        {"username": "x"},  # incomplete
    ]
    for data in bad_inputs:
        response = call(client, "post", "/api/people", data, **csrf)
        assert 400 <= response.status_code < 500, (data, response.status_code)
    assert User.objects.filter(username__in=["li", "zhao", "qian", "sun", "x"]).count() == 0
    malformed = client.post("/api/people", "{not json", content_type="application/json", **csrf)
    assert 400 <= malformed.status_code < 500


def test_me(personas, client_for):
    me = client_for(personas.gary).get("/api/people/me").json()
    assert me["username"] == "gary" and me["grid_ids"] == [personas.grid.pk]


def test_history_through_the_api(personas, client_for):
    assert (
        client_for(personas.ian).get(f"/api/units/{personas.bureau.pk}/history").status_code == 200
    )
    entries = client_for(personas.ada).get(f"/api/units/{personas.bureau.pk}/history").json()
    assert entries and all(
        entry["reason"].startswith("导入自 城中政办〔2021〕18号") for entry in entries
    )


@pytest.mark.parametrize(
    "method, path, data",
    [
        ("patch", "/api/people/{liam}", {"name": None}),
        ("patch", "/api/people/{liam}", {"phone": "\ud800"}),
        ("patch", "/api/people/{liam}", {"phone": "1\u0000"}),
        ("patch", "/api/units/{construction}", {"liaison_phone": None}),
        ("patch", "/api/units/{construction}", {"liaison": "a\u0000"}),
        ("patch", "/api/units/{construction}", {"liaison": "\udfff"}),
    ],
)
def test_bad_text_gets_a_4xx_and_changes_nothing(personas, method, path, data):
    path = path.format(liam=personas.liam.pk, construction=personas.construction.pk)
    client, csrf = csrf_client(personas.liam)
    before = (
        list(User.objects.values_list("name", "phone")),
        list(Unit.objects.values_list("liaison")),
    )
    body = json.dumps(data, ensure_ascii=True)  # lone surrogates survive only as \\u escapes
    response = getattr(client, method)(path, body, content_type="application/json", **csrf)
    assert response.status_code == 422, response.content
    after = (
        list(User.objects.values_list("name", "phone")),
        list(Unit.objects.values_list("liaison")),
    )
    assert after == before


def test_the_dispatcher_cannot_store_a_nul_in_a_duty(personas):
    client, csrf = csrf_client(personas.dora)
    url = f"/api/units/{personas.construction.pk}/duties"
    response = call(client, "post", url, {"text": "ab\u0000c"}, **csrf)
    assert response.status_code == 422
    response = call(
        client,
        "post",
        f"/api/units/{personas.construction.pk}/aliases",
        {"name": "a\u0000b"},
        **csrf,
    )
    assert response.status_code == 422


@pytest.mark.parametrize(
    "path",
    [
        "/api/people?unit_id=1000000000000000000000000000000",
        "/api/units?jurisdiction_id=9223372036854775808",
        "/api/units/99999999999999999999999",
        "/api/units?q=%00",
        "/units/?q=%00",
    ],
)
def test_odd_queries_get_an_answer_not_a_crash(personas, client_for, path):
    response = client_for(personas.liam).get(path)
    assert response.status_code in (200, 400, 404, 422), response.status_code


def test_user_names_are_unique_whatever_their_case(personas):
    client, csrf = csrf_client(personas.ada)
    response = call(
        client,
        "post",
        "/api/people",
        {"username": "LIAM", "role": "leader", "unit_id": personas.bureau.pk},
        **csrf,
    )
    assert response.status_code == 422
