"""Suggestions and proposals (建议提案, seed 003 §(五).6): the whole flow on the supervision
ledger, each refusal, the ten-day, one-month and three-month rules with the dates passed
in, who sees and does what, the authors' contacts, and the answer letter."""

import datetime
import io
import json

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation

from ecogov.accounts.models import Role
from ecogov.org.selectors import unit_find
from ecogov.suggestions import selectors, services
from ecogov.suggestions.models import (
    Answer,
    Extension,
    Handler,
    Kind,
    Opinion,
    Rating,
    Suggestion,
)
from ecogov.supervision import clocks
from ecogov.supervision.models import Item, ItemEvent, Notice
from ecogov.supervision.services import origin_of
from ecogov.testing import make_person

CONTACT = "13912345678"
PDF = b"%PDF-1.4\n" + b"0" * 64


def at(day: str, hour: int = 10) -> datetime.datetime:
    moment = datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour))
    return timezone.make_aware(moment)


@pytest.fixture(autouse=True)
def english():
    """The services' messages in English (a page request switches to the user's language)."""
    with translation.override("en"):
        yield


@pytest.fixture
def client_for(client_for):
    """Signed in, with the CSRF token sent on every request as a page's form would."""

    def with_token(user) -> Client:
        client = client_for(user)
        client.get("/")
        client.defaults["HTTP_X_CSRFTOKEN"] = client.cookies["csrftoken"].value
        return client

    return with_token


def status(suggestion) -> str:
    with translation.override("en"):
        return services.status_of(suggestion)


def register(personas, *, number=12, day="2026-02-20", authors=None) -> Suggestion:
    return services.suggestion_register(
        jurisdiction=personas.district, kind=Kind.SUGGESTION, session="区十八届人大三次会议",
        number=number, title="关于加强建筑工地扬尘治理的建议",
        text="南川东路沿线多个建筑工地未落实围挡、洒水、覆盖措施，大风天气扬尘严重。",
        received_on=datetime.date.fromisoformat(day),
        authors=authors or [
            {"name": "张明", "body": "deputy", "group": "南川东路街道代表团", "contact": CONTACT},
            {"name": "李芳", "body": "deputy", "group": "总寨镇代表团"},
        ],
        by=personas.dora, at=at(day),
    )  # fmt: skip


@pytest.fixture
def assigned(personas):
    """Assigned on 2026-03-02: 区城乡建设局 main, 区卫生健康局 co-handling."""
    suggestion = register(personas)
    return services.suggestion_assign(
        suggestion, main=personas.construction, co=[personas.health], by=personas.dora,
        at=at("2026-03-02"),
    )  # fmt: skip


def answer(personas, suggestion, day, cls="A", **fields) -> Answer:
    if cls in ("B", "C"):
        fields.setdefault("promise", "对南川东路沿线工地安装在线监测并纳入智慧工地平台")
        fields.setdefault("promised_by", datetime.date(2026, 10, 31))
    return services.answer_give(
        suggestion, answer_class=cls, letter="经调查，我局已对沿线12个工地开展专项检查。\n责令3家整改。",
        contact="王工 0971-8000000", by=personas.liam, at=at(day), **fields,
    )  # fmt: skip


def rate(personas, suggestion, author, satisfaction, day, **fields) -> Rating:
    return services.rating_enter(suggestion, author=author, satisfaction=satisfaction,
                                 by=personas.dora, at=at(day), **fields)  # fmt: skip


# --- the whole flow -----------------------------------------------------------------


def test_it_puts_an_assigned_suggestion_on_the_ledger_for_three_months(personas, assigned):
    item = assigned.item
    assert assigned.state == Suggestion.State.HANDLING
    assert assigned.reference == "区十八届人大三次会议第12号建议"
    assert item.kind == "suggestion" and item.lead == personas.construction
    assert list(item.support.all()) == [personas.health]
    assert item.supervisor == personas.bureau
    assert item.deadline == datetime.date(2026, 6, 2)
    assert item.source == assigned.reference
    assert origin_of(item) == (assigned.reference, assigned.get_absolute_url())
    co = assigned.handlers.get(role=Handler.Role.CO)
    assert co.opinion_due == datetime.date(2026, 4, 2)
    assert Notice.objects.filter(recipient=personas.liam, url=item.get_absolute_url()).exists()


def test_a_b_answer_rated_dissatisfied_is_handled_again_then_its_promise_is_verified(
    personas, assigned, client_for
):
    services.opinion_send(assigned, text="我委配合督促医疗机构工地落实防尘措施。",
                          by=personas.lily, at=at("2026-03-20"))  # fmt: skip
    answer(personas, assigned, "2026-05-20", "B")
    assigned.refresh_from_db()
    assert assigned.state == Suggestion.State.ANSWERED
    assert assigned.item.state == Item.State.COMPLETION_ASKED  # the bureau owes the ratings
    zhang, li = assigned.authors.all()
    rate(personas, assigned, zhang, "satisfied", "2026-05-25")
    rate(personas, assigned, li, "dissatisfied", "2026-05-26", comment="工地夜间仍有扬尘",
         rehandle_by=datetime.date(2026, 6, 30))  # fmt: skip
    assigned.refresh_from_db()
    item = assigned.item
    assert assigned.state == Suggestion.State.HANDLING and assigned.rehandled == 1
    assert status(assigned) == "being handled again"
    assert item.state == Item.State.OPEN and item.deadline == datetime.date(2026, 6, 30)
    assert item.lead == personas.construction
    assert item.events.filter(kind=ItemEvent.Kind.REASSIGNED, note__contains="工地夜间").exists()

    second = answer(personas, assigned, "2026-06-20", "B")
    assert second.round == 2
    rate(personas, assigned, zhang, "satisfied", "2026-06-25")
    rate(personas, assigned, li, "basically", "2026-06-26")
    assigned.refresh_from_db()
    item = assigned.item
    assert assigned.state == Suggestion.State.CONCLUDED
    assert status(assigned) == "promise being kept"
    assert item.state == Item.State.OPEN and item.deadline == datetime.date(2026, 10, 31)
    assert item.due == datetime.date(2026, 10, 31)

    liam = client_for(personas.liam)
    liam.post(f"/supervision/items/{item.pk}/act/complete/", {"text": "在线监测已安装并联网。"})
    item.refresh_from_db()
    assert item.state == Item.State.COMPLETION_ASKED
    client_for(personas.dora).post(f"/supervision/items/{item.pk}/act/verify/", {"note": "核实"})
    item.refresh_from_db()
    assert item.state == Item.State.CLOSED
    assert status(Suggestion.objects.get(pk=assigned.pk)) == "closed"


def test_an_a_answer_rated_by_every_author_closes_the_item(personas, assigned):
    answer(personas, assigned, "2026-05-10", "A")
    zhang, li = assigned.authors.all()
    rate(personas, assigned, zhang, "satisfied", "2026-05-12")
    assigned.refresh_from_db()
    assert assigned.item.is_open  # one author has not rated yet
    rate(personas, assigned, li, "basically", "2026-05-13")
    assigned.refresh_from_db()
    assert assigned.state == Suggestion.State.CONCLUDED
    assert assigned.item.state == Item.State.CLOSED
    assert status(assigned) == "closed"


# --- refusals: each says what to do and changes nothing -----------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"answer_class": "", "letter": "已整改。"}, "class"),
        ({"answer_class": "E", "letter": "已整改。"}, "class"),
        ({"answer_class": "A", "letter": "  "}, "letter"),
        ({"answer_class": "B", "letter": "列入计划。"}, "promised"),
        ({"answer_class": "C", "letter": "暂不能解决。", "promise": "条件具备后实施"}, "promise"),
    ],
)
def test_it_refuses_an_answer_without_class_letter_or_promise(personas, assigned, fields, message):
    with pytest.raises(ValidationError) as refused:
        services.answer_give(assigned, by=personas.liam, at=at("2026-05-10"), **fields)
    assert message in " ".join(refused.value.messages)
    assigned.refresh_from_db()
    assert assigned.state == Suggestion.State.HANDLING
    assert not Answer.objects.exists()
    assert assigned.item.state == Item.State.OPEN


def test_the_answer_page_refuses_an_answer_without_class_and_changes_nothing(
    personas, assigned, client_for
):
    response = client_for(personas.liam).post(
        f"/suggestions/{assigned.pk}/act/answer/", {"letter": "已整改。"}, follow=True
    )
    assert "A, B, C or D" in response.content.decode() or "A、B、C" in response.content.decode()
    assert not Answer.objects.exists()


def test_it_refuses_a_number_registered_twice_and_an_authorless_suggestion(personas):
    register(personas)
    with pytest.raises(ValidationError, match="already registered"):
        register(personas)
    with pytest.raises(ValidationError, match="author"):
        register(personas, number=13, authors=[{"name": "", "body": "", "group": ""}])
    with pytest.raises(ValidationError, match="deputy"):
        register(personas, number=14, authors=[{"name": "王五", "body": "mayor"}])
    assert Suggestion.objects.count() == 1


def test_it_refuses_an_assignment_without_a_main_unit_or_to_another_district(personas):
    suggestion = register(personas)
    with pytest.raises(ValidationError, match="main handling unit"):
        services.suggestion_assign(suggestion, main=None, by=personas.dora)
    with pytest.raises(ValidationError):
        services.suggestion_assign(suggestion, main=personas.outsider_unit, by=personas.dora)
    suggestion.refresh_from_db()
    assert suggestion.item is None and not Item.objects.exists()


def test_a_dissatisfied_rating_needs_a_comment_and_an_author_rates_once(personas, assigned):
    answer(personas, assigned, "2026-05-10", "A")
    zhang = assigned.authors.first()
    with pytest.raises(ValidationError, match="comment"):
        rate(personas, assigned, zhang, "dissatisfied", "2026-05-12")
    rate(personas, assigned, zhang, "satisfied", "2026-05-12")
    with pytest.raises(ValidationError, match="already rated"):
        rate(personas, assigned, zhang, "dissatisfied", "2026-05-13", comment="不满意")
    with pytest.raises(ValidationError, match="rating"):
        rate(personas, assigned, assigned.authors.last(), "happy", "2026-05-13")
    assert Rating.objects.count() == 1


# --- the ten-day, one-month and three-month rules -----------------------------------


def test_a_unit_returns_it_within_ten_days_and_the_bureau_reassigns_it(personas, assigned):
    services.suggestion_return(assigned, reason="工地扬尘监管属住建部门，但本件涉及的是医院工地",
                               by=personas.liam, at=at("2026-03-12"))  # fmt: skip
    assigned.refresh_from_db()
    assert assigned.state == Suggestion.State.RETURNED
    assert Notice.objects.filter(recipient=personas.dora, subject__contains="returned").exists()
    services.suggestion_reassign(assigned, main=personas.health, co=[], reason="改由卫健局主办",
                                 by=personas.dora, at=at("2026-03-16"))  # fmt: skip
    assigned.refresh_from_db()
    item = assigned.item
    assert assigned.state == Suggestion.State.HANDLING
    assert item.lead == personas.health and item.deadline == datetime.date(2026, 6, 16)
    current = services.current_handlers(assigned)
    assert [(h.unit, h.role) for h in current] == [(personas.health, Handler.Role.MAIN)]
    assert assigned.handlers.filter(unit=personas.construction).get().ended_on is not None
    assert item.events.filter(kind=ItemEvent.Kind.REASSIGNED).exists()


def test_a_return_after_ten_days_is_refused(personas, assigned):
    with pytest.raises(ValidationError, match="2026-03-12"):
        services.suggestion_return(assigned, reason="非本单位职责", by=personas.liam,
                                   at=at("2026-03-13"))  # fmt: skip
    assigned.refresh_from_db()
    assert assigned.state == Suggestion.State.HANDLING
    assert assigned.handlers.get(unit=personas.construction).returned_on is None


def test_a_co_unit_opinion_is_due_in_a_month_and_a_later_one_is_marked_late(
    personas, assigned, client_for
):
    day = datetime.date(2026, 4, 10)
    overdue = selectors.suggestion_rows(
        personas.dora, selectors.Filters(overdue_opinions=True), day
    )
    assert [row.suggestion for row in overdue] == [assigned]
    assert overdue[0].overdue_opinions == ["区卫生健康局"]
    report = clocks.scan(day, kinds=["suggestion_opinion"])
    assert report.checked == 1
    handler = assigned.handlers.get(role=Handler.Role.CO)
    assert handler.colour == "red"
    assert Notice.objects.filter(recipient=personas.lily, subject__contains="2026-04-02").exists()
    upload = SimpleUploadedFile("会办意见.pdf", PDF, content_type="application/pdf")
    opinion = services.opinion_send(assigned, text="同意主办单位意见。", files=[upload],
                                    by=personas.lily, at=at("2026-04-10"))  # fmt: skip
    assert opinion.late and opinion.file
    file_url = f"/suggestions/opinions/{opinion.pk}/"
    assert client_for(personas.liam).get(file_url).status_code == 200
    assert client_for(personas.oscar).get(file_url).status_code == 404
    assert not selectors.suggestion_rows(
        personas.dora, selectors.Filters(overdue_opinions=True), day
    )


def test_an_opinion_on_time_is_not_late_and_the_main_unit_sends_none(personas, assigned):
    opinion = services.opinion_send(assigned, text="同意。", by=personas.lily,
                                    at=at("2026-04-02"))  # fmt: skip
    assert not opinion.late
    with pytest.raises(ValidationError, match="co-handling"):
        services.opinion_send(assigned, text="主办意见", by=personas.liam, at=at("2026-04-02"))


def test_the_answer_is_due_three_months_after_assignment_and_a_later_one_is_marked_late(
    personas, assigned
):
    assert answer(personas, assigned, "2026-06-02").late is False
    late = register(personas, number=20)
    services.suggestion_assign(late, main=personas.construction, by=personas.dora,
                               at=at("2026-03-02"))  # fmt: skip
    assert answer(personas, late, "2026-06-03").late is True


def test_more_time_only_with_the_bureaus_approval(personas, assigned):
    with pytest.raises(ValidationError, match="later than"):
        services.extension_request(assigned, deadline=datetime.date(2026, 5, 1), reason="资金",
                                   by=personas.liam, at=at("2026-05-20"))  # fmt: skip
    with pytest.raises(ValidationError, match="main unit"):
        services.extension_request(assigned, deadline=datetime.date(2026, 7, 1), reason="资金",
                                   by=personas.lily, at=at("2026-05-20"))  # fmt: skip
    request = services.extension_request(assigned, deadline=datetime.date(2026, 7, 2),
                                         reason="涉及跨部门资金协调", by=personas.liam,
                                         at=at("2026-05-20"))  # fmt: skip
    with pytest.raises(ValidationError, match="awaits"):
        services.extension_request(assigned, deadline=datetime.date(2026, 7, 9), reason="再延",
                                   by=personas.liam, at=at("2026-05-21"))  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.extension_decide(request, approve=True, note="", by=personas.liam)
    with pytest.raises(ValidationError, match="reason"):
        services.extension_decide(request, approve=False, note="", by=personas.dora)
    services.extension_decide(request, approve=True, note="同意", by=personas.dora,
                              at=at("2026-05-22"))  # fmt: skip
    assigned.item.refresh_from_db()
    assert assigned.item.deadline == datetime.date(2026, 7, 2)
    assert Extension.objects.get().decision == Extension.Decision.APPROVED


def test_more_time_is_not_asked_for_after_the_deadline(personas, assigned):
    with pytest.raises(ValidationError, match="has passed"):
        services.extension_request(assigned, deadline=datetime.date(2026, 7, 2), reason="资金",
                                   by=personas.liam, at=at("2026-06-03"))  # fmt: skip
    assert not Extension.objects.exists()


# --- the item page leaves a suggestion's own steps to its page ----------------------


def test_the_item_page_refuses_completion_and_reassignment_before_the_answer(
    personas, assigned, client_for
):
    item = assigned.item
    page = client_for(personas.liam).get(f"/supervision/items/{item.pk}/").content.decode()
    assert f"/supervision/items/{item.pk}/act/complete/" not in page
    assert assigned.get_absolute_url() in page  # the item links to the suggestion
    client_for(personas.liam).post(f"/supervision/items/{item.pk}/act/complete/", {"text": "完"})
    client_for(personas.dora).post(f"/supervision/items/{item.pk}/act/reassign/",
                                   {"lead": personas.health.pk, "reason": "改派"})  # fmt: skip
    item.refresh_from_db()
    assert item.state == Item.State.OPEN and item.lead == personas.construction
    answer(personas, assigned, "2026-05-10")
    client_for(personas.dora).post(f"/supervision/items/{item.pk}/act/verify/", {"note": "ok"})
    item.refresh_from_db()
    assert item.state == Item.State.COMPLETION_ASKED  # the ratings decide, not a verification


# --- who sees and does what ---------------------------------------------------------


def test_only_the_bureaus_dispatchers_register_assign_and_rate(personas, assigned):
    suggestion = register(personas, number=30)
    for person in (personas.liam, personas.lena, personas.ian, personas.oscar):
        with pytest.raises(PermissionDenied):
            services.suggestion_assign(suggestion, main=personas.construction, by=person)
    with pytest.raises(PermissionDenied):
        services.suggestion_register(
            jurisdiction=personas.district, kind=Kind.PROPOSAL, session="区政协十三届三次会议",
            number=1, title="t", text="t", received_on=datetime.date(2026, 1, 5),
            authors=[{"name": "王五", "body": "member"}], by=personas.lena,
        )  # fmt: skip
    answer(personas, assigned, "2026-05-10")
    with pytest.raises(PermissionDenied):
        services.rating_enter(assigned, author=assigned.authors.first(), satisfaction="satisfied",
                              by=personas.liam, at=at("2026-05-11"))  # fmt: skip


def test_a_liaison_acts_only_for_its_own_unit(personas, assigned):
    other = make_person("olga", Role.LIAISON, unit_find(personas.district, "区农业农村局"))
    with pytest.raises(PermissionDenied):
        services.answer_give(assigned, answer_class="A", letter="答复", by=other)
    with pytest.raises(PermissionDenied):
        services.suggestion_return(assigned, reason="不是我们", by=other)
    with pytest.raises(ValidationError, match="main unit"):
        services.answer_give(assigned, answer_class="A", letter="答复", by=personas.lily)
    assert not Answer.objects.exists()


def test_pages_show_each_role_its_own_and_the_contact_only_to_dispatchers_and_handlers(
    personas, assigned, client_for
):
    url = assigned.get_absolute_url()
    for person in (personas.dora, personas.liam, personas.lily):
        page = client_for(person).get(url)
        assert page.status_code == 200 and CONTACT in page.content.decode()
    for person in (personas.lena, personas.ian, personas.ada):
        page = client_for(person).get(url)
        assert page.status_code == 200 and CONTACT not in page.content.decode()
    for person in (personas.oscar, personas.gary):
        assert client_for(person).get(url).status_code == 404
        assert assigned.title not in client_for(person).get("/suggestions/").content.decode()
    listing = client_for(personas.dora).get("/suggestions/").content.decode()
    assert assigned.title in listing and CONTACT not in listing
    assert "/suggestions/" in client_for(personas.dora).get("/supervision/").content.decode()


def test_leaders_and_the_inspector_read_and_change_nothing(personas, assigned, client_for):
    for person in (personas.lena, personas.ian):
        client = client_for(person)
        page = client.get(assigned.get_absolute_url()).content.decode()
        assert 'id="steps"' not in page
        client.post(f"/suggestions/{assigned.pk}/act/reassign/",
                    {"main": personas.health.pk, "reason": "改派"})  # fmt: skip
        response = client.post(
            f"/api/suggestions/{assigned.pk}/steps/reassign",
            {"main": personas.health.pk, "reason": "改派"}, content_type="application/json",
        )  # fmt: skip
        assert response.status_code == 403
    assigned.item.refresh_from_db()
    assert assigned.item.lead == personas.construction


def test_oscar_sees_nothing_of_this_district(personas, assigned, client_for):
    client = client_for(personas.oscar)
    assert client.get("/api/suggestions").json() == []
    assert client.get(f"/api/suggestions/{assigned.pk}").status_code == 404
    response = client.post(f"/api/suggestions/{assigned.pk}/steps/reassign",
                           {"main": personas.health.pk, "reason": "x"},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 404
    assert client.get(f"/suggestions/{assigned.pk}/answers/1/letter.docx").status_code == 404


# --- the API and the command line ---------------------------------------------------


def test_the_api_registers_runs_and_hides_contacts(personas, client_for):
    dora = client_for(personas.dora)
    created = dora.post("/api/suggestions", {
        "kind": "proposal", "session": "区政协十三届三次会议", "number": 5,
        "title": "关于治理餐饮油烟扰民的提案", "text": "商业街餐饮店油烟直排。",
        "received_on": "2026-02-01",
        "authors": [{"name": "赵敏", "body": "member", "group": "民盟界", "contact": CONTACT}],
    }, content_type="application/json")  # fmt: skip
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["reference"] == "区政协十三届三次会议第5号提案"
    step = dora.post(f"/api/suggestions/{pk}/steps/assign",
                     {"main": personas.construction.pk, "co": [personas.health.pk]},
                     content_type="application/json")  # fmt: skip
    assert step.status_code == 200 and step.json()["state"] == "handling"
    refused = client_for(personas.liam).post(f"/api/suggestions/{pk}/steps/answer",
                                             {"letter": "已整改"},
                                             content_type="application/json")  # fmt: skip
    assert refused.status_code == 422 and "detail" in refused.json()
    assert CONTACT not in json.dumps(dora.get("/api/suggestions").json())
    assert dora.get(f"/api/suggestions/{pk}").json()["author_list"][0]["contact"] == CONTACT
    ian = client_for(personas.ian).get(f"/api/suggestions/{pk}").json()
    assert ian["author_list"][0]["contact"] is None


def test_the_command_lists_suggestions_as_json_without_contacts(personas, assigned):
    out = io.StringIO()
    call_command("suggestions", "list", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert rows[0]["reference"] == "区十八届人大三次会议第12号建议"
    assert rows[0]["main"] == "区城乡建设局" and rows[0]["co"] == ["区卫生健康局"]
    assert CONTACT not in out.getvalue()


# --- the answer letter --------------------------------------------------------------


def test_the_answer_letter_is_a_word_document_in_the_office_format(personas, assigned, client_for):
    answer(personas, assigned, "2026-05-20", "B")
    response = client_for(personas.lena).get(f"/suggestions/{assigned.pk}/answers/1/letter.docx")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    text = [paragraph.text for paragraph in document.paragraphs]
    assert text[0] == "关于区十八届人大三次会议第12号建议的答复"
    assert "尊敬的张明代表、李芳代表：" in text
    assert "经调查，我局已对沿线12个工地开展专项检查。" in text
    assert "答复类别：B类（正在解决或列入计划解决）" in text
    assert any(line.startswith("承诺事项：") and "2026年10月31日" in line for line in text)
    assert "区城乡建设局" in text and "2026年5月20日" in text
    assert CONTACT not in "\n".join(text)


# --- the sample ---------------------------------------------------------------------


def test_the_sample_has_ten_in_every_state_and_loads_once(personas):
    from ecogov.cases.sample import cases_sample_load
    from ecogov.suggestions.sample import suggestions_sample_load

    cases_sample_load(personas.district)
    assert suggestions_sample_load(personas.district) == 10
    assert suggestions_sample_load(personas.district) == 0
    suggestions = list(Suggestion.objects.filter(jurisdiction=personas.district))
    assert len(suggestions) == 10
    statuses = {status(s) for s in suggestions}
    assert {"to be assigned", "being handled", "returned by the main unit, to be reassigned",
            "answered, ratings awaited", "promise being kept", "closed"} <= statuses  # fmt: skip
    assert {s.state for s in suggestions} == set(Suggestion.State.values)
    drain = next(s for s in suggestions if s.number == 27)
    assert drain.rehandled == 1 and drain.answers.count() == 2
    assert drain.answers.first().answer_class == "B"
    assert Handler.objects.filter(returned_on__isnull=False).count() == 2
    assert any(o.late for o in Opinion.objects.all())
    assert Item.objects.filter(kind="suggestion", colour="red").exists()


def test_the_bureau_registers_one_on_the_page_and_a_liaison_may_not(personas, client_for):
    form = {
        "kind": "suggestion", "session": "区十八届人大三次会议", "number": "44",
        "title": "关于农村生活垃圾治理的建议", "text": "部分村庄垃圾清运不及时。",
        "received_on": "2026-02-10", "name_0": "韩德福", "body_0": "deputy",
        "group_0": "总寨镇代表团", "contact_0": CONTACT,
    }  # fmt: skip
    assert client_for(personas.liam).get("/suggestions/new/").status_code == 403
    assert client_for(personas.liam).post("/suggestions/new/", form).status_code == 403
    response = client_for(personas.dora).post("/suggestions/new/", form)
    suggestion = Suggestion.objects.get()
    assert response.status_code == 302 and response.url == suggestion.get_absolute_url()
    assert suggestion.authors.get().contact == CONTACT
    again = client_for(personas.dora).post("/suggestions/new/", form | {"received_on": "x"})
    assert again.status_code == 200 and Suggestion.objects.count() == 1


def test_a_suggestion_cancelled_on_the_ledger_offers_no_steps(personas, assigned, client_for):
    client_for(personas.dora).post(f"/supervision/items/{assigned.item.pk}/act/cancel/",
                                   {"reason": "代表撤回"})  # fmt: skip
    assigned.refresh_from_db()
    assert assigned.item.state == Item.State.CANCELLED
    page = client_for(personas.liam).get(assigned.get_absolute_url()).content.decode()
    assert 'id="steps"' not in page
    with pytest.raises(ValidationError):
        services.answer_give(assigned, answer_class="A", letter="答复", by=personas.liam)
    assert not Answer.objects.exists()
