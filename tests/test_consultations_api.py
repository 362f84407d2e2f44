"""The consultations' staff API and command: role-checked like the pages; who commented
only for those allowed; bad input a 4xx."""

import datetime
import json

from django.core.management import call_command
from django.utils import timezone

from ecogov.consultations import services
from ecogov.consultations.models import Consultation, State
from ecogov.consultations.sample import OPEN_TITLE, consultations_sample_load

PHONE = "13900000000"  # the sample's commenter


def _closes(days=40):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_it_creates_opens_and_lists(personas, form_client_for):
    dora = form_client_for(personas.dora)
    body = {"organiser": personas.bureau.pk, "kind": "plan", "title": "草案", "summary": "摘要",
            "closes_on": _closes()}  # fmt: skip
    created = dora.post("/api/consultations", body, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert dora.post(f"/api/consultations/{pk}/open").json()["state"] == "open"
    assert [c["id"] for c in dora.get("/api/consultations").json()] == [pk]
    # Another district's dispatcher neither sees nor runs it.
    oscar = form_client_for(personas.oscar)
    assert oscar.get(f"/api/consultations/{pk}").status_code == 404
    assert oscar.post(f"/api/consultations/{pk}/close").status_code == 404
    assert oscar.get("/api/consultations").json() == []
    # A liaison of another unit does not draft for the bureau.
    lily = form_client_for(personas.lily)
    assert lily.post("/api/consultations", body, content_type="application/json").status_code == 403


def test_it_refuses_bad_input(personas, form_client_for):
    dora = form_client_for(personas.dora)
    body = {"organiser": personas.bureau.pk, "kind": "plan", "title": "草案", "summary": "摘要",
            "closes_on": _closes(5)}  # fmt: skip
    pk = dora.post("/api/consultations", body, content_type="application/json").json()["id"]
    assert dora.post(f"/api/consultations/{pk}/open").status_code == 422  # too short
    assert Consultation.private_objects.get(pk=pk).state == State.DRAFT
    assert dora.get("/api/consultations/0").status_code == 422
    assert dora.get("/api/consultations/999999").status_code == 404
    assert dora.get("/api/consultations?limit=abc").status_code == 422
    bad = {**body, "kind": "nonsense"}
    assert dora.post("/api/consultations", bad, content_type="application/json").status_code == 422


def test_comments_show_who_only_to_those_allowed(personas, form_client_for):
    consultations_sample_load(personas.district)
    pk = Consultation.private_objects.get(title=OPEN_TITLE).pk
    dora = form_client_for(personas.dora).get(f"/api/consultations/{pk}/comments").json()
    assert any(c["commenter"] and c["commenter"]["phone"] == PHONE for c in dora)
    lena = form_client_for(personas.lena).get(f"/api/consultations/{pk}/comments")
    assert lena.status_code == 200 and PHONE not in lena.content.decode()
    pending = next(c for c in dora if c["status"] == "pending")
    url = f"/api/consultations/{pk}/comments/{pending['id']}/moderate"
    refused = form_client_for(personas.lena).post(url, {"publish": True},
                                                  content_type="application/json")  # fmt: skip
    assert refused.status_code == 403
    done = form_client_for(personas.dora).post(url, {"publish": True},
                                               content_type="application/json")  # fmt: skip
    assert done.json()["status"] == "published"


def test_answers_and_the_response(personas, form_client_for):
    consultations_sample_load(personas.district)
    consultation = Consultation.private_objects.get(title=OPEN_TITLE)
    services.consultation_close(consultation, by=personas.dora)
    dora = form_client_for(personas.dora)
    base = f"/api/consultations/{consultation.pk}"
    response = dora.post(
        f"{base}/response", {"explanation": "说明"}, content_type="application/json"
    )
    assert response.status_code == 422  # a comment awaits moderation, none is answered
    comments = dora.get(f"{base}/comments").json()
    pending = [c["id"] for c in comments if c["status"] == "pending"]
    dora.post(f"{base}/comments/{pending[0]}/moderate", {"publish": False, "reason": "重复"},
              content_type="application/json")  # fmt: skip
    published = [c["id"] for c in comments if c["status"] == "published"]
    answer = dora.post(f"{base}/answers", {"comments": published, "verdict": "partly",
                                            "reason": "部分采纳"}, content_type="application/json")  # fmt: skip
    assert answer.status_code == 201
    done = dora.post(f"{base}/response", {"explanation": "说明"}, content_type="application/json")
    assert done.json()["state"] == "answered"


def test_the_command_lists(personas, capsys):
    consultations_sample_load(personas.district)
    call_command("consultations", "list", "--json")
    rows = json.loads(capsys.readouterr().out)
    assert {row["state"] for row in rows} == {"open", "answered"}
    assert PHONE not in json.dumps(rows)
    call_command("consultations", "list", "--as", "oscar")
    assert "no consultations" in capsys.readouterr().out
