"""The API's refusals: 401 for who is not authenticated (CSRF stays for session writes),
validation messages in the user's language, and errors and enums in the schema (issue 17
item 9)."""

import json

from django.test import Client


def test_an_unauthenticated_or_wrongly_authenticated_call_answers_401(personas):
    client = Client(enforce_csrf_checks=True)
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer eg_wrong"}):
        responses = [
            client.get("/api/cases", **headers),
            client.post("/api/cases", "{}", content_type="application/json", **headers),
        ]
        for response in responses:
            assert response.status_code == 401, headers
            assert "令牌" in response.json()["detail"]


def test_a_session_write_without_the_csrf_token_is_still_refused(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.dora)
    response = client.post("/api/cases", json.dumps({"channel": "hotline", "text": "黑水"}),
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_validation_messages_are_chinese_and_say_where(personas):
    response = Client().post("/api/public/reports", json.dumps({"category": "x"}),
                             content_type="application/json")  # fmt: skip
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "body.text: 此项必填" in detail and "body.category: 须为以下之一" in detail
    client = Client()
    client.force_login(personas.dora)
    detail = client.get("/api/cases?lead=abc&limit=0").json()["detail"]
    assert "query.lead: 须为整数" in detail and "query.limit: 不得小于 1" in detail


def test_the_schema_documents_errors_and_enumerations(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"400", "422"} <= codes, (method, path)
            if operation.get("security"):
                assert {"401", "403"} <= codes, (method, path)
    case_in = schema["components"]["schemas"]["CaseIn"]["properties"]
    assert "hotline" in case_in["channel"]["enum"]
    assert "enum" in schema["components"]["schemas"]["CaseOut"]["properties"]["state"]
    parameters = {p["name"]: p for p in schema["paths"]["/api/cases"]["get"]["parameters"]}
    assert parameters["lead"]["schema"]["anyOf"][0]["maximum"] == 2**63 - 1


def test_the_schema_is_json_without_duplicate_keys(client):
    """Swagger UI reads the schema with a YAML parser that refuses a key given twice
    (ninja's 429 as a number beside our "429" came out twice and emptied /api/docs)."""

    def refuse_duplicates(pairs):
        keys = [key for key, _ in pairs]
        assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
        return dict(pairs)

    json.loads(client.get("/api/openapi.json").content, object_pairs_hook=refuse_duplicates)


def test_every_request_body_schema_cleans_its_text():
    """Bodies are classes named …In or …Patch in the routers; each derives from
    InputSchema, which passes their text through ecogov.text.clean_text."""
    import ast
    import pathlib

    import ecogov

    root = pathlib.Path(ecogov.__file__).parent
    bodies = {}
    for path in root.glob("*/api.py"):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ClassDef) and node.name.endswith(("In", "Patch")):
                bodies[f"{path.parent.name}.{node.name}"] = [ast.unparse(b) for b in node.bases]
    assert len(bodies) > 8
    assert {name: bases for name, bases in bodies.items() if bases != ["InputSchema"]} == {}
