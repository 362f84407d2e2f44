"""Public consultations (seed 003 §(五).1): the lifecycle draft → open → closed →
answered through the services and the pages; the refusals; who sees who commented;
the public pages and their JSON never show an identity."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation

from ecogov.consultations import services
from ecogov.consultations.models import Answer, Comment, Consultation, Hearing, Kind, State
from ecogov.consultations.sample import CLOSED_TITLE, OPEN_TITLE, consultations_sample_load

PDF = b"%PDF-1.4\n" + b"0" * 64
NAME, PHONE, EMAIL = "张秘密", "13712345678", "secret@example.cn"


def _today():
    return timezone.localdate()


def draft(personas, *, organiser=None, days=40, by=None, **fields):
    return services.consultation_create(
        jurisdiction=personas.district, organiser=organiser or personas.bureau, kind=Kind.PLAN,
        title=fields.pop("title", "油烟整治方案（征求意见稿）"), summary="方案摘要",
        body="正文", closes_on=_today() + datetime.timedelta(days=days), by=by or personas.dora,
        files=[SimpleUploadedFile("方案.pdf", PDF)], **fields,
    )  # fmt: skip


def opened(personas, **kwargs):
    consultation = draft(personas, **kwargs)
    return services.consultation_open(consultation, by=personas.dora)


def commented(consultation, text="建议加强夜市油烟检查"):
    return services.comment_submit(consultation, text=text, name=NAME, phone=PHONE, email=EMAIL)


# --- the lifecycle ---------------------------------------------------------------------


def test_it_runs_a_consultation_from_draft_to_published_response(personas):
    consultation = opened(personas)
    assert consultation.state == State.OPEN and consultation.opens_on == _today()
    first, second = commented(consultation), commented(consultation, "第二条")
    assert (first.number, second.number) == (1, 2)
    services.comment_moderate(first, publish=True, by=personas.dora)
    services.comment_moderate(second, publish=False, reason="与本方案无关", by=personas.dora)
    hearing = services.hearing_announce(
        consultation, kind=Hearing.Kind.HEARING, held_at=timezone.now() - datetime.timedelta(hours=1),
        place="区政府会议室", by=personas.dora,
    )  # fmt: skip
    services.hearing_record(hearing, summary="与会代表同意", by=personas.dora,
                            files=[SimpleUploadedFile("纪要.pdf", PDF)])  # fmt: skip
    services.consultation_close(consultation, by=personas.dora)
    services.answer_give(consultation, comments=[first], verdict=Answer.Verdict.NOT_ADOPTED,
                         reason="已有规定", by=personas.dora)  # fmt: skip
    services.response_publish(consultation, explanation="感谢参与", by=personas.dora)
    consultation.refresh_from_db()
    assert consultation.state == State.ANSWERED and consultation.answered_at


def test_it_closes_after_the_last_day_and_only_once(personas):
    consultation = opened(personas)
    later = timezone.now() + datetime.timedelta(days=41)
    assert services.consultations_close_due(at=later) == 1
    assert services.consultations_close_due(at=later) == 0
    consultation.refresh_from_db()
    assert consultation.state == State.CLOSED


def test_the_sample_loads_once(personas):
    assert consultations_sample_load(personas.district) == 2
    assert consultations_sample_load(personas.district) == 0
    open_one = Consultation.private_objects.get(title=OPEN_TITLE)
    assert open_one.state == State.OPEN
    assert list(open_one.comments.values_list("status", flat=True)).count("pending") == 1
    closed = Consultation.private_objects.get(title=CLOSED_TITLE)
    assert closed.state == State.ANSWERED and closed.hearings.get().record


# --- refusals --------------------------------------------------------------------------


def test_it_refuses_a_comment_when_not_open(personas):
    consultation = draft(personas)
    with pytest.raises(ValidationError):
        commented(consultation)
    services.consultation_open(consultation, by=personas.dora)
    services.consultation_close(consultation, by=personas.dora)
    with pytest.raises(ValidationError):
        commented(consultation)
    assert not Comment.objects.exists()


def test_it_refuses_a_comment_after_the_last_day_before_the_scan(personas):
    consultation = opened(personas)
    with pytest.raises(ValidationError):
        services.comment_submit(consultation, text="迟到",
                                at=timezone.now() + datetime.timedelta(days=42))  # fmt: skip


def test_it_refuses_a_period_too_short(personas, settings):
    consultation = draft(personas, days=10)
    with translation.override("en"), pytest.raises(ValidationError, match="at least 30 days"):
        services.consultation_open(consultation, by=personas.dora)
    settings.ECOGOV_CONSULTATION_MIN_DAYS = 7
    assert services.consultation_open(consultation, by=personas.dora).state == State.OPEN


def test_it_refuses_the_response_before_every_comment_is_answered(personas):
    consultation = opened(personas)
    first, second = commented(consultation), commented(consultation)
    for comment in (first, second):
        services.comment_moderate(comment, publish=True, by=personas.dora)
    services.consultation_close(consultation, by=personas.dora)
    services.answer_give(consultation, comments=[first], verdict=Answer.Verdict.ADOPTED,
                         by=personas.dora)  # fmt: skip
    with pytest.raises(ValidationError):
        services.response_publish(consultation, explanation="说明", by=personas.dora)
    # A group answer covers the rest.
    services.answer_give(consultation, comments=[first, second], verdict=Answer.Verdict.PARTLY,
                         reason="部分采纳", by=personas.dora)  # fmt: skip
    assert consultation.answers.count() == 1
    services.response_publish(consultation, explanation="说明", by=personas.dora)


def test_a_partial_or_refused_answer_needs_a_reason(personas):
    consultation = opened(personas)
    comment = services.comment_moderate(commented(consultation), publish=True, by=personas.dora)
    services.consultation_close(consultation, by=personas.dora)
    with pytest.raises(ValidationError):
        services.answer_give(consultation, comments=[comment], verdict=Answer.Verdict.NOT_ADOPTED,
                             by=personas.dora)  # fmt: skip


def test_an_opened_consultation_is_not_edited(personas):
    consultation = opened(personas)
    with pytest.raises(ValidationError):
        services.consultation_update(consultation, kind=Kind.PLAN, title="改", summary="改",
                                     closes_on=consultation.closes_on, by=personas.dora)  # fmt: skip


def test_the_organiser_runs_it_and_others_are_refused(personas):
    consultation = draft(personas, organiser=personas.construction, by=personas.liam)
    with pytest.raises(PermissionDenied):  # a liaison of another unit
        services.consultation_open(consultation, by=personas.lily)
    with pytest.raises(PermissionDenied):  # a dispatcher of another district
        services.consultation_open(consultation, by=personas.oscar)
    with pytest.raises(PermissionDenied):  # a leader reads but does not run it
        services.consultation_open(consultation, by=personas.lena)
    with pytest.raises(PermissionDenied):  # a liaison does not draft for another unit
        draft(personas, organiser=personas.health, by=personas.liam)
    assert services.consultation_open(consultation, by=personas.liam).state == State.OPEN


# --- the staff pages -------------------------------------------------------------------


def test_staff_pages_refuse_across_units_and_districts(personas, client_for):
    consultation = draft(personas, organiser=personas.construction, by=personas.liam)
    url = f"/consultations/{consultation.pk}/"
    assert client_for(personas.liam).get(url).status_code == 200
    assert client_for(personas.dora).get(url).status_code == 200
    assert client_for(personas.lily).get(url).status_code == 404
    assert client_for(personas.oscar).get(url).status_code == 404
    assert client_for(personas.gary).get("/consultations/").status_code == 403
    assert (
        consultation.title not in client_for(personas.oscar).get("/consultations/").content.decode()
    )


def test_staff_open_moderate_and_identities(personas, form_client_for):
    consultation = draft(personas, organiser=personas.construction, by=personas.liam)
    liam = form_client_for(personas.liam)
    response = liam.post(f"/consultations/{consultation.pk}/act/open/")
    assert response.status_code == 302
    consultation.refresh_from_db()
    comment = commented(consultation)
    response = liam.post(f"/consultations/{consultation.pk}/act/publish/", {"comment": comment.pk})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED
    page = liam.get(f"/consultations/{consultation.pk}/").content.decode()
    assert PHONE in page  # the organiser's liaison reaches the commenter
    assert (
        PHONE
        in form_client_for(personas.dora).get(f"/consultations/{consultation.pk}/").content.decode()
    )
    for reader in (personas.lena, personas.ian, personas.ada):
        page = form_client_for(reader).get(f"/consultations/{consultation.pk}/")
        assert page.status_code == 200 and PHONE not in page.content.decode()
    # A leader's steps are refused, nothing changed.
    lena = form_client_for(personas.lena)
    assert lena.post(f"/consultations/{consultation.pk}/act/close/").status_code == 403
    consultation.refresh_from_db()
    assert consultation.state == State.OPEN


def test_staff_bad_ids_and_unknown_steps(personas, form_client_for):
    consultation = opened(personas)
    dora = form_client_for(personas.dora)
    assert dora.get("/consultations/999999/").status_code == 404
    assert dora.post(f"/consultations/{consultation.pk}/act/explode/").status_code == 404
    response = dora.post(f"/consultations/{consultation.pk}/act/publish/", {"comment": "abc"})
    assert response.status_code == 302  # refused with a message, nothing changed


def test_staff_create_through_the_form(personas, form_client_for):
    dora = form_client_for(personas.dora)
    response = dora.post("/consultations/new/", {
        "organiser": personas.bureau.pk, "kind": "plan", "title": "新方案", "summary": "摘要",
        "closes_on": (_today() + datetime.timedelta(days=35)).isoformat(),
        "documents": SimpleUploadedFile("a.pdf", PDF),
    })  # fmt: skip
    assert response.status_code == 302
    consultation = Consultation.private_objects.get(title="新方案")
    assert consultation.documents.count() == 1
    assert (
        dora.get(f"/consultations/documents/{consultation.documents.get().pk}/").status_code == 200
    )
    # Not public while a draft.
    assert Client().get(f"/public/consultations/{consultation.pk}/").status_code == 404
    assert Client().get(f"/public/consultations/documents/{consultation.documents.get().pk}/"
                        ).status_code == 404  # fmt: skip


# --- the public pages ------------------------------------------------------------------


def test_the_public_pages_show_published_comments_as_text_and_no_identity(personas):
    consultation = opened(personas)
    shown = commented(consultation, "<script>alert(1)</script><b>粗体</b>")
    services.comment_moderate(shown, publish=True, by=personas.dora)
    commented(consultation, "未审核的意见")
    client = Client()
    page = client.get(f"/public/consultations/{consultation.pk}/")
    assert page.status_code == 200 and "max-age=300" in page["Cache-Control"]
    html = page.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<b>粗体" not in html
    assert "未审核的意见" not in html
    index = client.get("/public/consultations/")
    assert index.status_code == 200 and consultation.title in index.content.decode()
    data = client.get(f"/public/consultations/{consultation.pk}.json")
    assert data.status_code == 200 and "max-age=300" in data["Cache-Control"]
    record = data.json()
    assert [c["number"] for c in record["comments"]] == [1]
    assert record["accepts_comments"] and record["days_left"] == 40 + 1
    listing = client.get("/public/consultations/index.json").json()
    assert [c["id"] for c in listing["open"]] == [consultation.pk]
    for text in (html, index.content.decode(), json.dumps(record, ensure_ascii=False),
                 json.dumps(listing, ensure_ascii=False)):  # fmt: skip
        for secret in (NAME, PHONE, EMAIL, "Dora"):
            assert secret not in text


def test_a_citizen_comments_anonymously_through_the_form(personas):
    consultation = opened(personas)
    client = Client(enforce_csrf_checks=False)
    url = f"/public/consultations/{consultation.pk}/comment/"
    page = client.get(url)
    assert page.status_code == 200 and "max-age" not in page["Cache-Control"]
    response = client.post(url, {"text": "建议延长公示期"})
    assert response.status_code == 302
    thanks = client.get(response["Location"])
    assert "1" in thanks.content.decode()
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING and not hasattr(comment, "commenter")


def test_the_comment_form_refuses_bad_input_robots_and_closed(personas):
    consultation = opened(personas)
    client = Client()
    url = f"/public/consultations/{consultation.pk}/comment/"
    assert client.post(url, {"text": "  "}).status_code == 422
    assert client.post(url, {"text": "好", "email": "not-an-address"}).status_code == 422
    assert client.post(url, {"text": "好", "website": "spam"}).status_code == 400
    services.consultation_close(consultation, by=personas.dora)
    assert client.post(url, {"text": "好"}).status_code == 422
    assert not Comment.objects.exists()


def test_too_many_comments_are_refused(personas, settings):
    settings.ECOGOV_PUBLIC_COMMENTS_PER_HOUR = 2
    consultation = opened(personas)
    client = Client()
    url = f"/public/consultations/{consultation.pk}/comment/"
    assert [client.post(url, {"text": f"意见{n}"}).status_code for n in range(3)] == [302, 302, 429]
    assert Comment.objects.count() == 2


def test_public_bad_ids_and_numbers(personas):
    client = Client()
    draft_one = draft(personas)
    assert client.get("/public/consultations/999999/").status_code == 404
    assert client.get(f"/public/consultations/{draft_one.pk}/").status_code == 404
    assert client.get("/public/consultations/999999.json").status_code == 404
    assert client.get("/public/consultations/99999999999999999999999/").status_code == 404
    assert client.get("/public/consultations/abc/").status_code == 404
    assert client.get("/public/consultations/999999/comment/").status_code == 404
    assert client.get("/public/consultations/documents/999999/").status_code == 404
    assert client.get("/public/consultations/hearings/999999/record/").status_code == 404


def test_the_answered_consultation_shows_its_response_record_and_answers(personas):
    consultations_sample_load(personas.district)
    closed = Consultation.private_objects.get(title=CLOSED_TITLE)
    client = Client()
    record = client.get(f"/public/consultations/{closed.pk}.json").json()
    assert record["response"]["explanation"] and record["state"] == "answered"
    assert all(c["answer"] for c in record["comments"])
    assert record["hearings"][0]["record"]
    download = client.get(record["hearings"][0]["record"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    listing = client.get("/public/consultations/index.json").json()
    assert [c["title"] for c in listing["open"]] == [OPEN_TITLE]
    assert [c["title"] for c in listing["closed"]] == [CLOSED_TITLE]


def test_the_public_pages_make_a_fixed_number_of_queries(personas, django_assert_max_num_queries):
    consultations_sample_load(personas.district)
    closed = Consultation.private_objects.get(title=CLOSED_TITLE)
    client = Client()
    client.get(f"/public/consultations/{closed.pk}/")  # sessions, translations warmed
    with django_assert_max_num_queries(8):
        assert client.get(f"/public/consultations/{closed.pk}/").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get("/public/consultations/index.json").status_code == 200
