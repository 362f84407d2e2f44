"""Case pages, the public portal and the API: who sees what, who may act, and the
reporter's confidentiality across every way out."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ecogov.accounts.models import Role
from ecogov.cases import services
from ecogov.cases.models import Case, Channel, Outcome, RateLimitHit, State
from ecogov.testing import make_person

BLACK_WATER = "南滩街道一个家属院后面的排洪渠常年是黑水，一到夏天臭得受不了"  # → 区城乡建设局
NAME, PHONE = "王举报人", "13900001111"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def case(personas):
    return services.case_register(
        jurisdiction=personas.district, channel=Channel.HOTLINE, text=BLACK_WATER,
        address="南滩街道某家属院", reporter={"name": NAME, "phone": PHONE}, by=personas.dora,
    )  # fmt: skip


def closed(personas, case):
    services.case_accept(case, by=personas.liam)
    services.case_report(case, investigation="查明雨污混接。", measures="已封堵。",
                         outcome=Outcome.PENALTY, decision_number="西城环罚〔2026〕1号",
                         penalty_amount="20000", by=personas.liam)  # fmt: skip
    services.case_verify(case, confirmed=True, note="复查无黑水。", by=personas.dora)
    return services.case_close(case, by=personas.dora)


@pytest.fixture
def client_for(form_client_for):
    """Signed in, with the CSRF token sent on every request as a page's form would."""
    return form_client_for


def body(response) -> str:
    return response.content.decode()


def test_only_the_bureau_dispatcher_sees_the_reporter_anywhere(personas, case, client_for):
    closed(personas, case)
    services.case_answer(case, text="已整改并处罚。", by=personas.dora)
    services.case_disclose(case, summary="排洪渠黑水：处罚并整改。", by=personas.dora)
    tina = make_person("tina", Role.LIAISON, personas.township)
    dora = client_for(personas.dora)
    assert NAME in body(dora.get(f"/cases/{case.pk}/"))
    assert dora.get(f"/api/cases/{case.pk}").json()["reporter"]["phone"] == PHONE
    for person in (personas.liam, personas.lily, personas.gary, personas.lena, personas.ian,
                   personas.ada, personas.oscar, tina):  # fmt: skip
        client = client_for(person)
        pages = [f"/cases/{case.pk}/", "/cases/", "/cases/?q=黑水", f"/api/cases/{case.pk}",
                 "/api/cases", "/cases/export.xlsx", "/cases/supervision/", "/cases/overview/"]  # fmt: skip
        for url in pages:
            response = client.get(url)
            assert response.status_code in (200, 403, 404), (person, url)
            text = response.content.decode(errors="replace")
            assert NAME not in text and PHONE not in text, (person.username, url)
        detail = client.get(f"/api/cases/{case.pk}")
        if detail.status_code == 200:
            assert detail.json()["reporter"] is None
    public = Client()
    for url in [f"/public/track/{case.tracking_code}/", "/public/cases/",
                f"/public/cases/{case.number}/", "/public/rewards/",
                f"/api/public/cases/{case.tracking_code}", "/api/public/statistics"]:  # fmt: skip
        response = public.get(url)
        assert response.status_code == 200, url
        assert NAME not in body(response) and PHONE not in body(response), url
    # The disclosure shows the result, never the staff's or the reporter's names.
    disclosed = body(public.get(f"/public/cases/{case.number}/"))
    assert "处罚并整改" in disclosed and "Liam" not in disclosed and "Dora" not in disclosed


def test_no_history_table_copies_the_reporter(case):
    from ecogov.cases.models import Reporter

    assert not hasattr(Reporter, "history")
    for row in Case.history.filter(id=case.pk).values():
        assert NAME not in json.dumps(row, default=str)


def test_who_sees_a_case(personas, case, client_for):
    assert client_for(personas.liam).get(f"/cases/{case.pk}/").status_code == 200  # lead
    assert client_for(personas.lena).get(f"/cases/{case.pk}/").status_code == 200  # leader
    assert client_for(personas.lily).get(f"/cases/{case.pk}/").status_code == 404  # not hers
    assert client_for(personas.oscar).get(f"/cases/{case.pk}/").status_code == 404  # other area
    assert client_for(personas.lily).get(f"/api/cases/{case.pk}").status_code == 404
    assert case.number not in body(client_for(personas.lily).get("/cases/"))


def test_the_lead_accepts_and_reports_on_the_page_others_are_refused(personas, case, client_for):
    lily, liam = client_for(personas.lily), client_for(personas.liam)
    assert lily.post(f"/cases/{case.pk}/act/accept/").status_code == 404
    # A leader sees the case but may not take steps.
    response = client_for(personas.lena).post(f"/cases/{case.pk}/act/accept/")
    assert response.status_code == 403
    assert "Accept" in body(liam.get(f"/cases/{case.pk}/")) or "受理" in body(
        liam.get(f"/cases/{case.pk}/")
    )
    assert liam.post(f"/cases/{case.pk}/act/accept/").status_code == 302
    case.refresh_from_db()
    assert case.state == State.ACCEPTED
    # A bad result (no outcome) changes nothing and says why.
    response = liam.post(f"/cases/{case.pk}/act/report/", {"investigation": "查了", "measures": "改了"},
                         follow=True)  # fmt: skip
    case.refresh_from_db()
    assert case.state == State.ACCEPTED and response.status_code == 200
    response = liam.post(f"/cases/{case.pk}/act/report/", {
        "investigation": "查了", "measures": "改了", "outcome": "rectified",
        "files": SimpleUploadedFile("site.png", PNG, content_type="image/png")})  # fmt: skip
    case.refresh_from_db()
    assert case.state == State.REPORTED and case.attachments.count() == 1
    attachment = case.attachments.get()
    assert liam.get(f"/cases/files/{attachment.pk}/").status_code == 200
    assert lily.get(f"/cases/files/{attachment.pk}/").status_code == 404
    assert (
        liam.post(f"/cases/{case.pk}/act/verify/", {"confirmed": "yes", "note": "x"}).status_code
        == 403
    )
    assert liam.post(f"/cases/{case.pk}/act/nonsense/").status_code == 404


def test_the_dispatcher_registers_from_the_hotline_page(personas, client_for):
    dora = client_for(personas.dora)
    assert dora.get("/cases/new/").status_code == 200
    assert client_for(personas.liam).get("/cases/new/").status_code == 403
    response = dora.post(
        "/cases/new/", {"channel": "hotline", "text": "", "supervision": "general"}
    )
    assert response.status_code == 422 and not Case.objects.exists()
    response = dora.post("/cases/new/", {"channel": "petition", "text": BLACK_WATER,
                                         "supervision": "urgent", "reporter_name": NAME})  # fmt: skip
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.channel, case.supervision, case.lead) == (
        "petition",
        "urgent",
        personas.construction,
    )


def test_the_public_reports_follows_and_rates(personas, settings):
    settings.ECOGOV_PUBLIC_REPORTS_PER_HOUR = 3
    public = Client(enforce_csrf_checks=False)
    assert public.get("/public/report/").status_code == 200
    response = public.post("/public/report/", {"text": BLACK_WATER, "address": "南滩街道",
                                               "anonymous": "on",
                                               "photos": SimpleUploadedFile("p.png", PNG)})  # fmt: skip
    assert response.status_code == 302  # to the thanks page, which shows the code once
    response = public.get(response["Location"])
    case = Case.objects.get()
    assert case.tracking_code in body(response) and case.channel == "public"
    assert case.reporter.anonymous and case.attachments.count() == 1
    page = public.get(f"/public/track/?code={case.tracking_code.lower()}")
    assert page.status_code == 302
    timeline = body(public.get(page["Location"]))
    assert "区城乡建设局" in timeline
    # Bad input: a clear message and nothing stored.
    response = public.post("/public/report/", {"text": "", "address": "x"})
    assert response.status_code == 422 and Case.objects.count() == 1
    response = public.post("/public/report/", {"text": "黑水", "address": "x",
                                               "photos": SimpleUploadedFile("a.png", b"GIF89a")})  # fmt: skip
    assert response.status_code == 422
    assert Case.objects.count() == 1
    assert public.post("/public/report/", {"text": "x", "website": "spam"}).status_code == 400
    # Refused submissions used none of the allowance of 3 (ecogov/limits.py).
    for _ in range(2):
        assert public.post("/public/report/", {"text": "黑水", "address": "x"}).status_code == 302
    assert public.post("/public/report/", {"text": "黑水", "address": "x"}).status_code == 429
    assert public.get("/public/track/?code=ZZZZZZZZZZ", follow=True).status_code == 404


def test_public_rating_reopens_when_dissatisfied(personas, case):
    closed(personas, case)
    services.case_answer(case, text="已整改。", by=personas.dora)
    public = Client()
    response = public.post(f"/public/track/{case.tracking_code}/", {"satisfaction": "bogus"})
    assert response.status_code == 422
    response = public.post(f"/public/track/{case.tracking_code}/",
                           {"satisfaction": "dissatisfied", "comment": "还是臭"})  # fmt: skip
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.REOPENED


def test_the_api_runs_the_workflow_with_role_checks(personas, client_for):
    dora, liam = client_for(personas.dora), client_for(personas.liam)
    new = {"channel": "hotline", "text": BLACK_WATER, "reporter_name": NAME}
    assert liam.post("/api/cases", new, content_type="application/json").status_code == 403
    response = dora.post("/api/cases", {**new, "channel": "fax"}, content_type="application/json")
    assert response.status_code == 422
    response = dora.post("/api/cases", new, content_type="application/json")
    assert response.status_code == 201 and response.json()["lead"] == "区城乡建设局"
    pk = response.json()["id"]
    step = liam.post(f"/api/cases/{pk}/steps/accept", {}, content_type="application/json")
    assert step.status_code == 200 and step.json()["state"] == "accepted"
    step = liam.post(f"/api/cases/{pk}/steps/report", {"investigation": "查", "measures": "改",
                     "outcome": "penalty"}, content_type="application/json")  # fmt: skip
    assert step.status_code == 422 and "处罚决定书文号" in step.json()["detail"]
    assert (
        liam.post(f"/api/cases/{pk}/steps/warp", {}, content_type="application/json").status_code
        == 422
    )
    listed = liam.get("/api/cases?state=open").json()
    assert [c["id"] for c in listed] == [pk]
    # The list reads rows, the detail a case: both name the lead unit the same way.
    detail = liam.get(f"/api/cases/{pk}").json()
    assert listed[0]["lead"] == detail["lead"] == "区城乡建设局"
    assert {key: detail[key] for key in listed[0]} == listed[0]
    assert client_for(personas.lily).get("/api/cases").json() == []


def test_the_public_api_reports_and_is_rate_limited(personas, settings):
    settings.ECOGOV_PUBLIC_REPORTS_PER_HOUR = 2
    public = Client()
    response = public.post("/api/public/reports", {"text": BLACK_WATER, "address": "南滩"},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 201
    code = response.json()["tracking_code"]
    timeline = public.get(f"/api/public/cases/{code}").json()["timeline"]
    assert [e["kind"] for e in timeline] == ["registered", "assigned"]
    response = public.post("/api/public/reports", {"text": "", "address": "南滩"},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 422
    for expected in (201, 429):  # the refused one used none of the allowance
        response = public.post("/api/public/reports", {"text": "黑水", "address": "南滩"},
                               content_type="application/json")  # fmt: skip
        assert response.status_code == expected
    assert RateLimitHit.objects.filter(bucket="report").count() == 2


def test_the_lists_show_queues_and_colours(personas, case, client_for):
    services.clocks_run(today=case.due)
    dora = body(client_for(personas.dora).get("/cases/?state=open"))
    assert case.number in dora and 'class="clock yellow"' in dora
    liam = body(client_for(personas.liam).get("/cases/"))
    assert case.number in liam


def test_the_bureau_assigns_on_the_page_with_the_form_s_fields(personas, client_for):
    case = services.case_register(jurisdiction=personas.district, channel=Channel.HOTLINE,
                                  text="楼道里的灯坏了很久没人修", by=personas.dora)  # fmt: skip
    dora = client_for(personas.dora)
    page = body(dora.get(f"/cases/{case.pk}/"))
    assert "/act/assign/" in page
    response = dora.post(f"/cases/{case.pk}/act/assign/", {
        "lead": personas.construction.pk, "support": [personas.health.pk], "joint": "on",
        "supervision": "important", "coordination": "on", "note": "跨部门"})  # fmt: skip
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.lead, case.joint, case.supervision) == (
        State.ASSIGNED,
        personas.construction,
        True,
        "important",
    )
    # A transfer nobody accepts can be taken back and given to another unit.
    services.case_accept(case, by=personas.liam)
    services.case_transfer(case, to=personas.health, reason="医疗机构", by=personas.liam)
    assert "/act/assign/" in body(dora.get(f"/cases/{case.pk}/"))
    response = dora.post(f"/cases/{case.pk}/act/assign/", {"lead": personas.bureau.pk,
                                                           "supervision": "urgent"})  # fmt: skip
    case.refresh_from_db()
    assert case.state == State.ASSIGNED and case.lead == personas.bureau


def test_a_list_row_shows_the_case_escaped_with_its_marks(personas, case, client_for):
    """The rows are built outside the template engine: each value escaped as the engine
    would, the report cut to 48 characters, and the hotspot, sub-category, escalation and
    clock marks as the case has them."""
    text = "<img src=x onerror=alert(1)> " + BLACK_WATER * 2
    Case.objects.filter(pk=case.pk).update(
        text=text, hotspot=True, subcategory="黑臭水体", colour="red", stage=2
    )
    case.refresh_from_db()
    page = body(client_for(personas.dora).get("/cases/"))
    assert "<img src=x" not in page
    rows = re.findall(
        rf"<tr><td class=\"nowrap\"><a href=\"/cases/{case.pk}/\">.*?</tr>", page, re.S
    )
    assert len(rows) == 1, rows
    assert rows[0] == (
        f'<tr><td class="nowrap"><a href="/cases/{case.pk}/">{case.number}</a>'
        ' <span class="badge" title="该地点多次被举报">热点</span></td>\n'
        "<td>&lt;img src=x onerror=alert(1)&gt; 南滩街道一个家属院后面的排洪渠常...</td>"
        "<td>水 · 黑臭水体</td>\n<td>区城乡建设局</td><td>已交办</td>\n"
        f'<td class="nowrap"><span class="clock red" title="期限">{case.due:%Y-%m-%d} · 已逾期'
        '</span> <span class="clock red">已升级至纪委监委</span></td></tr>'
    )
