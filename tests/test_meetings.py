"""Coordination meetings (seed 000 §四, seed 002 §四.2/§四.4): a unit proposes a topic,
the bureau builds the agenda with it and a disputed case, the meeting is held, its
minutes circulated, corrected and issued, and each resolution lives on the supervision
ledger until it is verified and closed (or goes red when left overdue)."""

import datetime
import io
import json

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from ecogov.cases import services as case_services
from ecogov.cases.models import Channel
from ecogov.domain.supervision import Colour
from ecogov.meetings import services
from ecogov.meetings.models import AgendaEntry, Invitation, Meeting, MeetingKind, Minutes, Topic
from ecogov.org.selectors import unit_find
from ecogov.supervision import clocks
from ecogov.supervision import services as supervision
from ecogov.supervision.models import Item, ItemEvent

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
TODAY = timezone.localdate()
SOON = TODAY + datetime.timedelta(days=60)
DISPUTED = "楼道里的灯坏了很久没人修"  # the router finds no duty clause: the bureau decides


def new_meeting(personas, **fields):
    fields.setdefault("kind", MeetingKind.JOINT)
    fields.setdefault("title", "城中区生态环境保护委员会2026年第一次联席会议")
    fields.setdefault("convener", personas.bureau)
    fields.setdefault("starts_at", timezone.now())
    fields.setdefault("place", "区政府三楼会议室")
    fields.setdefault("chair", "王副区长")
    fields.setdefault("invite", [personas.construction, personas.health])
    return services.meeting_create(jurisdiction=personas.district, by=personas.dora, **fields)


def held(personas, **fields):
    meeting = new_meeting(personas, **fields)
    services.meeting_hold(meeting, by=personas.dora)
    services.attendance_record(meeting, unit=personas.construction, attendance="present",
                               person="李建", position="副局长", by=personas.dora)  # fmt: skip
    return meeting


def drafted(personas, *, deadline=SOON):
    meeting = held(personas)
    minutes = services.minutes_draft(
        meeting, text="会议听取了各成员单位工作汇报。", by=personas.dora
    )
    services.resolution_add(minutes, text="完成南滩排洪渠雨污混接整改。", lead=personas.construction,
                            support=[personas.health], deadline=deadline, level="important",
                            by=personas.dora)  # fmt: skip
    return minutes


def post(client, url, data=None, **extra):
    return client.post(url, data or {}, **extra)


def api(client, method, url, body=None):
    return getattr(client, method)(
        url, data=json.dumps(body or {}), content_type="application/json"
    )


def csrf_client(client):
    """A page GET sets the CSRF cookie; the test client then sends it back as a header."""
    client.get("/meetings/")
    return client.cookies["csrftoken"].value


@pytest.fixture
def pages(client_for):
    """A signed-in client whose POSTs carry the CSRF token, like the browser's forms."""

    def make(user):
        client = client_for(user)
        token = csrf_client(client)
        original = client.post

        def posting(path, data=None, **extra):
            extra.setdefault("HTTP_X_CSRFTOKEN", token)
            return original(path, data or {}, **extra)

        client.post = posting
        return client

    return make


# --- the whole flow -------------------------------------------------------------------


def test_it_runs_a_meeting_from_a_proposed_topic_to_a_closed_resolution(personas, pages):
    dora, liam, ian = pages(personas.dora), pages(personas.liam), pages(personas.ian)
    case = case_services.case_register(jurisdiction=personas.district, channel=Channel.HOTLINE,
                                       text=DISPUTED, by=personas.dora)  # fmt: skip
    assert case.lead is None
    response = dora.post("/meetings/new/", {
        "kind": "joint", "title": "城中区生态环境保护委员会2026年第一次联席会议",
        "starts_at": "2026-03-20T09:00", "place": "区政府三楼会议室", "chair": "王副区长",
        "invite": [personas.construction.pk, personas.health.pk],
    })  # fmt: skip
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response.url == meeting.get_absolute_url()
    assert meeting.convener == personas.bureau
    invited = set(meeting.invitations.values_list("unit__name", flat=True))
    assert {"区纪委监委", "区生态环境局", "区城乡建设局", "区卫生健康局"} <= invited

    # The liaison proposes a topic with material; the bureau accepts it.
    response = liam.post("/meetings/topics/new/", {
        "meeting": meeting.pk, "title": "南滩排洪渠雨污混接整改需多部门配合",
        "text": "涉及管网产权不清，请求协调。", "files": SimpleUploadedFile("现场.png", PNG),
    })  # fmt: skip
    topic = Topic.objects.get()
    assert (topic.unit, topic.state, topic.files.count()) == (personas.construction, "proposed", 1)
    dora.post(f"/meetings/{meeting.pk}/act/decide/", {"topic": topic.pk, "decision": "accept"})
    topic.refresh_from_db()
    assert topic.state == Topic.State.ACCEPTED

    # The agenda page offers the topic and the disputed case; the bureau adds both.
    page = dora.get(meeting.get_absolute_url()).content.decode()
    assert topic.title in page and case.number in page
    dora.post(f"/meetings/{meeting.pk}/act/agenda_add/", {"kind": "topic", "ref": topic.pk})
    dora.post(f"/meetings/{meeting.pk}/act/agenda_add/", {"kind": "case", "ref": case.pk})
    dora.post(f"/meetings/{meeting.pk}/act/agenda_add/", {"kind": "text", "text": "其他事项"})
    dora.post(f"/meetings/{meeting.pk}/act/agenda_up/", {"entry": meeting.agenda.last().pk})
    kinds = list(meeting.agenda.order_by("order").values_list("kind", flat=True))
    assert kinds == ["topic", "text", "case"]

    # Held; who came.
    dora.post(f"/meetings/{meeting.pk}/act/hold/")
    for unit, attendance, person in ((personas.construction, "present", "李建"),
                                     (personas.health, "substitute", "赵敏"),
                                     (personas.bureau, "present", "张华")):  # fmt: skip
        dora.post(f"/meetings/{meeting.pk}/act/attend/", {"unit": unit.pk, "attendance": attendance,
                                                          "person": person, "position": "科长"})  # fmt: skip
    assert meeting.invitations.filter(attendance__in=["present", "substitute"]).count() == 3

    # Minutes drafted, resolutions added, circulated, corrected by a unit, issued.
    response = dora.post(
        f"/meetings/{meeting.pk}/act/draft/", {"title": "", "text": "会议议定如下。"}
    )
    minutes = Minutes.objects.get()
    assert response.url == minutes.get_absolute_url()
    assert minutes.title == "城中区生态环境保护委员会2026年第一次联席会议纪要"
    url = f"/meetings/minutes/{minutes.pk}/act/"
    dora.post(url + "resolution_add/", {
        "text": "区城乡建设局牵头完成南滩排洪渠雨污混接整改。", "lead": personas.construction.pk,
        "support": [personas.health.pk], "deadline": SOON.isoformat(), "level": "important",
    })  # fmt: skip
    dora.post(url + "resolution_add/", {
        "text": "区卫生健康局开展医疗废物专项检查。", "lead": personas.health.pk,
        "deadline": (TODAY + datetime.timedelta(days=5)).isoformat(),
    })  # fmt: skip
    assert minutes.resolutions.count() == 2
    dora.post(url + "circulate/")
    liam.post(url + "comment/", {"text": "第一项完成时限建议为6月底。"})
    assert minutes.comments.get().unit == personas.construction
    dora.post(
        url + "edit/", {"title": minutes.title, "text": "会议议定如下（已按各单位意见修改）。"}
    )
    dora.post(url + "issue/", {"number": "城环委纪〔2026〕1号"})
    minutes.refresh_from_db()
    meeting.refresh_from_db()
    assert (minutes.state, minutes.number) == ("issued", "城环委纪〔2026〕1号")
    assert meeting.state == Meeting.State.MINUTES_ISSUED

    # Each resolution is an item on the ledger, led by its lead unit, supervised by the convener.
    first, second = [r.item for r in minutes.resolutions.order_by("order")]
    assert (first.kind, first.lead, first.supervisor, first.level) == (
        "resolution",
        personas.construction,
        personas.bureau,
        "important",
    )
    assert first.source == "城中区生态环境保护委员会2026年第一次联席会议纪要（城环委纪〔2026〕1号）"
    assert list(first.support.all()) == [personas.health]
    assert first.number in liam.get("/supervision/").content.decode()
    item_page = liam.get(first.get_absolute_url()).content.decode()
    assert minutes.get_absolute_url() in item_page  # the item links back to its minutes

    # Reported, completion asked, verified and closed: on the one mechanism.
    liam.post(
        f"/supervision/items/{first.pk}/act/report/", {"text": "已完成管网排查。", "percent": 50}
    )
    liam.post(f"/supervision/items/{first.pk}/act/complete/", {"text": "混接口已封堵。"})
    dora.post(f"/supervision/items/{first.pk}/act/verify/", {"note": "现场复核属实。"})
    first.refresh_from_db()
    assert first.state == Item.State.CLOSED
    assert list(first.events.values_list("kind", flat=True)) == [
        "created",
        "reported",
        "completion_asked",
        "closed",
    ]

    # The other, left overdue, goes red; the discipline commission sees it red.
    clocks.scan(TODAY + datetime.timedelta(days=30))
    second.refresh_from_db()
    assert second.colour == Colour.RED
    red = ian.get("/supervision/?colour=red").content.decode()
    assert second.number in red
    minutes_page = ian.get(minutes.get_absolute_url()).content.decode()
    assert second.number in minutes_page and 'class="clock red"' in minutes_page

    # A later meeting offers the resolution still open for review, and the red item.
    later = new_meeting(personas, title="2026年第二次联席会议")
    candidates = services.agenda_candidates(later)
    assert second in candidates[AgendaEntry.Kind.REVIEW]
    assert second in candidates[AgendaEntry.Kind.ITEM]
    assert first not in candidates[AgendaEntry.Kind.REVIEW]


# --- refusals -------------------------------------------------------------------------


def test_minutes_without_an_attendee_or_a_number_are_not_issued(personas):
    meeting = new_meeting(personas)
    services.meeting_hold(meeting, by=personas.dora)
    minutes = services.minutes_draft(meeting, by=personas.dora)
    with pytest.raises(ValidationError, match="参会人员"):
        services.minutes_issue(minutes, number="城环委纪〔2026〕2号", by=personas.dora)
    services.attendance_record(meeting, unit=personas.health, attendance="present",
                               person="赵敏", by=personas.dora)  # fmt: skip
    with pytest.raises(ValidationError):
        services.minutes_issue(minutes, number="  ", by=personas.dora)
    minutes.refresh_from_db()
    assert minutes.state == Minutes.State.DRAFT and minutes.number == ""
    assert not Item.objects.exists()


def test_a_resolution_without_a_lead_unit_is_refused(personas, pages):
    minutes = drafted(personas)
    with pytest.raises(ValidationError, match="牵头单位"):
        services.resolution_add(
            minutes, text="加强宣传", lead=None, deadline=SOON, by=personas.dora
        )
    dora = pages(personas.dora)
    response = dora.post(f"/meetings/minutes/{minutes.pk}/act/resolution_add/",
                         {"text": "加强宣传", "deadline": SOON.isoformat()}, follow=True)  # fmt: skip
    assert "牵头单位" in response.content.decode()
    body = {"text": "加强宣传", "deadline": SOON.isoformat()}
    response = api(dora, "post", f"/api/meetings/minutes/{minutes.pk}/steps/resolution_add", body)
    assert response.status_code == 422 and "牵头单位" in response.json()["detail"]
    assert minutes.resolutions.count() == 1


def test_a_resolution_needs_a_deadline_or_ongoing(personas):
    minutes = drafted(personas)
    with pytest.raises(ValidationError):
        services.resolution_add(minutes, text="x", lead=personas.health, by=personas.dora)
    resolution = services.resolution_add(minutes, text="持续开展巡查", lead=personas.health,
                                         ongoing=True, report_every=3, by=personas.dora)  # fmt: skip
    assert resolution.ongoing and resolution.deadline is None


def test_issued_minutes_refuse_every_edit_with_409(personas, pages):
    minutes = drafted(personas)
    services.minutes_circulate(minutes, by=personas.dora)
    services.minutes_issue(minutes, number="城环委纪〔2026〕3号", by=personas.dora)
    dora = pages(personas.dora)
    base = f"/api/meetings/minutes/{minutes.pk}/steps/"
    for action, body in (("edit", {"title": "改", "text": "改"}), ("issue", {"number": "x"}),
                         ("resolution_add", {"text": "x", "lead": personas.health.pk}),
                         ("circulate", {})):  # fmt: skip
        response = api(dora, "post", base + action, body)
        assert response.status_code == 409, action
        assert (
            "issue a correction" in response.json()["detail"] or "更正" in response.json()["detail"]
        )
    response = dora.post(f"/meetings/minutes/{minutes.pk}/act/edit/", {"title": "改", "text": "改"},
                         follow=True)  # fmt: skip
    assert "更正" in response.content.decode()
    minutes.refresh_from_db()
    assert minutes.title != "改"
    with pytest.raises(services.MinutesIssued):
        services.resolution_change(minutes.resolutions.get(), text="x", lead=personas.health,
                                   deadline=SOON, by=personas.dora)  # fmt: skip


def test_a_document_number_is_used_once(personas):
    minutes = drafted(personas)
    services.minutes_circulate(minutes, by=personas.dora)
    services.minutes_issue(minutes, number="城环委纪〔2026〕4号", by=personas.dora)
    other = held(personas, title="2026年第三次日常协调议事会议", kind=MeetingKind.DAILY)
    draft = services.minutes_draft(other, by=personas.dora)
    with pytest.raises(ValidationError, match="已被使用"):
        services.minutes_issue(draft, number="城环委纪〔2026〕4号", by=personas.dora)


def test_a_correction_is_new_minutes_that_keeps_unchanged_items_and_cancels_the_superseded(
    personas, pages
):
    minutes = drafted(personas)
    services.resolution_add(minutes, text="开展医疗废物专项检查。", lead=personas.health,
                            deadline=SOON, by=personas.dora)  # fmt: skip
    services.minutes_circulate(minutes, by=personas.dora)
    services.minutes_issue(minutes, number="城环委纪〔2026〕5号", by=personas.dora)
    kept, changed = [r.item for r in minutes.resolutions.order_by("order")]
    dora = pages(personas.dora)
    response = api(dora, "post", f"/api/meetings/minutes/{minutes.pk}/steps/correct")
    correction = Minutes.objects.get(pk=response.json()["minutes_id"])
    assert correction.corrects == minutes and correction.state == Minutes.State.DRAFT
    assert correction.resolutions.count() == 2
    second = correction.resolutions.get(order=2)
    services.resolution_change(second, text="开展医疗废物和医疗污水专项检查。", lead=personas.health,
                               deadline=SOON, by=personas.dora)  # fmt: skip
    services.resolution_add(correction, text="新增：加强督查。", lead=personas.construction,
                            ongoing=True, report_every=2, by=personas.dora)  # fmt: skip
    services.minutes_circulate(correction, by=personas.dora)
    services.minutes_issue(correction, number="城环委纪〔2026〕6号", by=personas.dora)
    kept.refresh_from_db()
    changed.refresh_from_db()
    assert kept.state == Item.State.OPEN
    assert correction.resolutions.get(order=1).item == kept
    assert changed.state == Item.State.CANCELLED
    assert "城环委纪〔2026〕6号" in changed.events.get(kind=ItemEvent.Kind.CANCELLED).note
    new_items = [r.item for r in correction.resolutions.order_by("order")][1:]
    assert all(item.is_open and item.pk != changed.pk for item in new_items)
    assert minutes.number == Minutes.objects.get(pk=minutes.pk).number  # the original unchanged


def test_a_correction_keeps_a_closed_item_closed(personas):
    minutes = drafted(personas)
    services.minutes_circulate(minutes, by=personas.dora)
    services.minutes_issue(minutes, number="城环委纪〔2026〕11号", by=personas.dora)
    item = minutes.resolutions.get().item
    supervision.item_ask_completion(item, text="已完成。", by=personas.liam)
    supervision.item_verify(item, accept=True, note="属实。", by=personas.dora)
    correction = services.minutes_correct(minutes, by=personas.dora)
    services.minutes_edit(
        correction, title=correction.title, text="更正了参会人员。", by=personas.dora
    )
    services.minutes_circulate(correction, by=personas.dora)
    services.minutes_issue(correction, number="城环委纪〔2026〕12号", by=personas.dora)
    assert correction.resolutions.get().item == item
    item.refresh_from_db()
    assert item.state == Item.State.CLOSED and Item.objects.count() == 1


def test_a_correction_is_posted_only_while_circulating(personas):
    minutes = drafted(personas)
    with pytest.raises(ValidationError):
        services.correction_post(minutes, text="意见", by=personas.liam)
    services.minutes_circulate(minutes, by=personas.dora)
    services.correction_post(minutes, text="意见", by=personas.liam)
    services.minutes_issue(minutes, number="城环委纪〔2026〕7号", by=personas.dora)
    with pytest.raises(services.MinutesIssued):
        services.correction_post(minutes, text="晚了", by=personas.liam)


def test_a_topic_is_declined_only_with_a_reason_and_a_declined_topic_is_not_offered(personas):
    meeting = new_meeting(personas)
    topic = services.topic_propose(unit=personas.health, title="诊所医疗废物", meeting=meeting,
                                   by=personas.lily)  # fmt: skip
    with pytest.raises(ValidationError):
        services.topic_decide(topic, accept=False, reason="", by=personas.dora)
    services.topic_decide(topic, accept=False, reason="属部门职责，无需协调", by=personas.dora)
    topic.refresh_from_db()
    assert topic.state == Topic.State.DECLINED
    assert topic not in services.agenda_candidates(meeting)[AgendaEntry.Kind.TOPIC]
    with pytest.raises(ValidationError):
        services.agenda_add(meeting, kind="topic", ref=topic.pk, by=personas.dora)


def test_a_topic_for_the_next_meeting_is_accepted_into_a_chosen_meeting(personas):
    topic = services.topic_propose(unit=None, title="黑臭水体", by=personas.liam)
    assert topic.meeting is None and topic.unit == personas.construction
    meeting = new_meeting(personas)
    with pytest.raises(ValidationError):
        services.topic_decide(topic, accept=True, by=personas.dora)
    services.topic_decide(topic, accept=True, meeting=meeting, by=personas.dora)
    assert Topic.objects.get(pk=topic.pk).meeting == meeting


def test_bad_agenda_input_changes_nothing(personas, pages):
    meeting = new_meeting(personas)
    dora = pages(personas.dora)
    for data in ({"kind": "case", "ref": "99999"}, {"kind": "item", "ref": "abc"},
                 {"kind": "nonsense"}, {"kind": "text", "text": ""}):  # fmt: skip
        response = dora.post(f"/meetings/{meeting.pk}/act/agenda_add/", data)
        assert response.status_code == 302
    assert not meeting.agenda.exists()
    # A case that is neither for the meeting nor disputed is not a candidate.
    case = case_services.case_register(
        jurisdiction=personas.district, channel=Channel.HOTLINE, by=personas.dora,
        text="南滩街道一个家属院后面的排洪渠常年是黑水，一到夏天臭得受不了",
    )  # fmt: skip
    assert case.lead is not None
    with pytest.raises(ValidationError):
        services.agenda_add(meeting, kind="case", ref=case.pk, by=personas.dora)


def test_the_discipline_commission_and_the_convener_stay_invited(personas):
    meeting = new_meeting(personas)
    commission = meeting.invitations.get(unit__name="区纪委监委")
    with pytest.raises(ValidationError):
        services.invitation_remove(commission, by=personas.dora)
    services.invitation_remove(meeting.invitations.get(unit=personas.health), by=personas.dora)
    assert not meeting.invitations.filter(unit=personas.health).exists()


def test_attendance_needs_a_name_for_who_came(personas):
    meeting = new_meeting(personas)
    with pytest.raises(ValidationError):
        services.attendance_record(meeting, unit=personas.health, attendance="present",
                                   by=personas.dora)  # fmt: skip
    invitation = services.attendance_record(meeting, unit=personas.health, attendance="absent",
                                            person="忽略", by=personas.dora)  # fmt: skip
    assert (invitation.attendance, invitation.person) == ("absent", "")
    with pytest.raises(ValidationError):  # not invited
        services.attendance_record(meeting, unit=personas.township, attendance="present",
                                   person="某人", by=personas.dora)  # fmt: skip


# --- who may do what ------------------------------------------------------------------


def test_the_convening_unit_runs_its_meeting_and_the_annual_one_is_the_offices(personas):
    office = unit_find(personas.district, "区政府办公室")
    assert services.default_convener(personas.district, MeetingKind.ANNUAL) == office
    assert services.default_convener(personas.district, MeetingKind.DAILY) == personas.bureau
    assert services.default_convener(personas.district, MeetingKind.KEY_WORK,
                                     personas.liam) == personas.construction  # fmt: skip
    key_work = services.meeting_create(
        jurisdiction=personas.district, kind=MeetingKind.KEY_WORK, title="建筑工地扬尘重点工作协调会",
        convener=personas.construction, starts_at=timezone.now(), by=personas.liam,
    )  # fmt: skip
    services.meeting_hold(key_work, by=personas.liam)
    with pytest.raises(PermissionDenied):
        services.meeting_create(
            jurisdiction=personas.district, kind=MeetingKind.KEY_WORK, title="越权",
            convener=personas.health, starts_at=timezone.now(), by=personas.liam,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.meeting_hold(new_meeting(personas), by=personas.liam)


def test_a_liaison_proposes_and_corrects_for_its_own_unit_only(personas):
    meeting = new_meeting(personas)
    with pytest.raises(PermissionDenied):
        services.topic_propose(
            unit=personas.health, title="冒名", meeting=meeting, by=personas.liam
        )
    topic = services.topic_propose(unit=None, title="本单位议题", meeting=meeting, by=personas.liam)
    with pytest.raises(PermissionDenied):
        services.topic_decide(topic, accept=True, by=personas.liam)
    minutes = drafted(personas)
    services.minutes_circulate(minutes, by=personas.dora)
    with pytest.raises(PermissionDenied):  # 区卫生健康局 did not attend
        services.correction_post(minutes, text="意见", by=personas.lily)
    with pytest.raises(PermissionDenied):
        services.minutes_issue(minutes, number="城环委纪〔2026〕8号", by=personas.liam)


def test_leaders_and_the_inspector_read_everything_and_change_nothing(personas, pages):
    minutes = drafted(personas)
    meeting = minutes.meeting
    for user in (personas.lena, personas.ian):
        client = pages(user)
        assert client.get(meeting.get_absolute_url()).status_code == 200
        assert client.get(minutes.get_absolute_url()).status_code == 200
        assert client.get(f"/meetings/minutes/{minutes.pk}/minutes.docx").status_code == 200
        assert client.post(f"/meetings/{meeting.pk}/act/agenda_add/",
                           {"kind": "text", "text": "x"}).status_code == 403  # fmt: skip
        assert client.post(f"/meetings/minutes/{minutes.pk}/act/issue/",
                           {"number": "x"}).status_code == 403  # fmt: skip
        assert client.get("/meetings/new/").status_code == 403
        assert client.get("/meetings/topics/new/").status_code == 403
        response = api(client, "post", f"/api/meetings/{meeting.pk}/steps/hold")
        assert response.status_code == 403
    services.minutes_circulate(minutes, by=personas.dora)
    services.attendance_record(meeting, unit=meeting.invitations.get(unit__name="区纪委监委").unit,
                               attendance="present", person="监督员", by=personas.dora)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.correction_post(minutes, text="意见", by=personas.ian)
    assert not minutes.comments.exists() and not meeting.agenda.exists()


def test_the_outsider_and_the_grid_worker_see_nothing(personas, pages, client_for):
    minutes = drafted(personas)
    meeting = minutes.meeting
    for user in (personas.oscar, personas.gary):
        client = client_for(user)
        assert meeting.title not in client.get("/meetings/").content.decode()
        assert client.get(meeting.get_absolute_url()).status_code == 404
        assert client.get(minutes.get_absolute_url()).status_code == 404
        assert client.get(f"/meetings/minutes/{minutes.pk}/minutes.docx").status_code == 404
        assert client.get("/api/meetings").json() == []
        assert client.get(f"/api/meetings/{meeting.pk}").status_code == 404
    oscar = pages(personas.oscar)
    assert oscar.post(f"/meetings/{meeting.pk}/act/hold/").status_code == 404
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.HELD


def test_a_draft_is_seen_by_the_convener_and_jurisdiction_wide_roles_only(personas, client_for):
    minutes = drafted(personas)
    assert client_for(personas.liam).get(minutes.get_absolute_url()).status_code == 404
    assert client_for(personas.lena).get(minutes.get_absolute_url()).status_code == 200
    services.minutes_circulate(minutes, by=personas.dora)
    assert client_for(personas.liam).get(minutes.get_absolute_url()).status_code == 200


# --- the Word document, the API and the command line -------------------------------------


def _document_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    header = "\n".join(p.text for p in document.sections[0].header.paragraphs)
    return header + "\n" + "\n".join(p.text for p in document.paragraphs)


def test_the_word_document_has_the_offices_layout(personas, client_for):
    minutes = drafted(personas)
    services.attendance_record(minutes.meeting, unit=personas.health, attendance="substitute",
                               person="赵敏", position="科员", by=personas.dora)  # fmt: skip
    services.resolution_add(minutes, text="持续开展巡查。", lead=personas.health, ongoing=True,
                            report_every=3, by=personas.dora)  # fmt: skip
    client = client_for(personas.dora)
    response = client.get(f"/meetings/minutes/{minutes.pk}/minutes.docx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    draft = _document_text(response.content)
    assert "草稿" in draft
    services.minutes_circulate(minutes, by=personas.dora)
    services.minutes_issue(minutes, number="城环委纪〔2026〕9号", by=personas.dora)
    text = _document_text(client.get(f"/api/meetings/minutes/{minutes.pk}/docx").content)
    lines = [line for line in text.splitlines() if line]
    assert "草稿" not in text
    assert lines[0] == "城中区生态环境保护委员会2026年第一次联席会议纪要"
    assert lines[1] == "城环委纪〔2026〕9号"
    assert "地点：区政府三楼会议室" in lines and "主持：王副区长" in lines
    assert "参会单位及人员：区城乡建设局李建（副局长），区卫生健康局赵敏（科员）（代）" in lines
    assert "一、完成南滩排洪渠雨污混接整改。" in lines
    assert "二、持续开展巡查。" in lines
    assert "牵头单位：区城乡建设局" in lines and "配合单位：区卫生健康局" in lines
    assert f"完成时限：{SOON.year}年{SOON.month}月{SOON.day}日" in lines
    assert "完成时限：持续推进（每3个月报送一次进展）" in lines


@pytest.mark.parametrize(
    ("starts_at", "stored"),
    [("0500-10-01T15:58:03-18:47", None),  # the fuzzer's: PostgreSQL takes offsets up to 16 h
     ("2026-10-01T15:58:03-18:47", datetime.datetime(2026, 10, 2, 10, 45, 3, tzinfo=datetime.UTC)),
     ("2101-01-01T00:00:00+08:00", None)],
)  # fmt: skip
def test_a_time_is_checked_at_the_edge_and_stored_in_utc(personas, pages, starts_at, stored):
    """Every date and time of a request body goes through ``params.checked_moment``: a year
    EcoGov does not know is 422 with a sentence, an offset is brought to UTC; never a 500."""
    dora = pages(personas.dora)
    before = Meeting.objects.count()
    body = {"kind": "consultation", "title": "会商", "starts_at": starts_at, "place": "会议室"}
    response = api(dora, "post", "/api/meetings", body)
    if stored is None:
        assert response.status_code == 422, response.content
        assert "2000" in response.content.decode()
        assert Meeting.objects.count() == before
    else:
        assert response.status_code == 201, response.content
        assert Meeting.objects.get(pk=response.json()["id"]).starts_at == stored


def test_the_api_runs_a_meeting(personas, pages):
    dora, liam = pages(personas.dora), pages(personas.liam)
    body = {"kind": "consultation", "title": "关于六一桥断面水质的会商",
            "starts_at": "2026-04-02T14:30:00+08:00", "place": "区生态环境局会议室",
            "invite": [personas.construction.pk]}  # fmt: skip
    response = api(dora, "post", "/api/meetings", body)
    assert response.status_code == 201, response.content
    meeting_id = response.json()["id"]
    topic = api(liam, "post", "/api/meetings/topics",
                {"title": "排洪渠雨污混接", "meeting_id": meeting_id})  # fmt: skip
    assert topic.status_code == 201
    decided = api(dora, "post", f"/api/meetings/topics/{topic.json()['id']}/decide",
                  {"accept": True})  # fmt: skip
    assert decided.json()["state"] == "accepted"
    steps = f"/api/meetings/{meeting_id}/steps/"
    assert (
        api(
            dora, "post", steps + "agenda_add", {"kind": "topic", "ref": topic.json()["id"]}
        ).status_code
        == 200
    )
    assert api(dora, "post", steps + "hold").json()["state"] == "held"
    assert api(dora, "post", steps + "attend", {"unit": personas.construction.pk,
                                                "person": "李建", "attendance": "present"}
               ).status_code == 200  # fmt: skip
    assert api(dora, "post", steps + "draft", {"text": "会商意见如下。"}).status_code == 200
    detail = dora.get(f"/api/meetings/{meeting_id}").json()
    assert detail["agenda"][0]["kind"] == "topic"
    minutes_id = detail["minutes"][0]["id"]
    assert detail["minutes"][0]["title"] == "关于六一桥断面水质的会商纪要"
    msteps = f"/api/meetings/minutes/{minutes_id}/steps/"
    added = api(dora, "post", msteps + "resolution_add", {
        "text": "区城乡建设局排查上游雨污混接点。", "lead": personas.construction.pk,
        "deadline": SOON.isoformat(), "level": "urgent"})  # fmt: skip
    assert added.status_code == 200, added.content
    assert api(dora, "post", msteps + "circulate").json()["state"] == "circulating"
    assert api(liam, "post", msteps + "comment", {"text": "同意"}).status_code == 200
    assert api(liam, "post", msteps + "issue", {"number": "x"}).status_code == 403
    issued = api(dora, "post", msteps + "issue", {"number": "城环委会商〔2026〕1号"})
    assert issued.json()["state"] == "issued"
    minutes = dora.get(f"/api/meetings/minutes/{minutes_id}").json()
    assert minutes["resolutions"][0]["item_state"] == "open"
    assert minutes["corrections"][0]["unit"] == "区城乡建设局"
    assert [m["id"] for m in dora.get("/api/meetings?state=minutes_issued").json()] == [meeting_id]
    assert api(dora, "post", steps + "nonsense").status_code == 422


def test_the_command_line_lists_and_shows_meetings(personas, capsys):
    minutes = drafted(personas)
    services.minutes_circulate(minutes, by=personas.dora)
    services.minutes_issue(minutes, number="城环委纪〔2026〕10号", by=personas.dora)
    call_command("meetings", "list", "--json")
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["title"] == minutes.meeting.title and rows[0]["state"] == "minutes_issued"
    call_command("meetings", "show", str(minutes.meeting.pk), "--json")
    shown = json.loads(capsys.readouterr().out)
    resolution = shown["minutes"][0]["resolutions"][0]
    assert resolution["lead"] == "区城乡建设局" and resolution["item_state"] == "open"
    assert {"unit": "区城乡建设局", "attendance": "present", "person": "李建",
            "position": "副局长"} in shown["attendance"]  # fmt: skip


def test_a_cancelled_meeting_needs_a_reason_and_takes_no_topics(personas):
    meeting = new_meeting(personas)
    with pytest.raises(ValidationError):
        services.meeting_cancel(meeting, reason="", by=personas.dora)
    services.meeting_cancel(meeting, reason="与市级会议冲突", by=personas.dora)
    with pytest.raises(ValidationError):
        services.topic_propose(unit=None, title="x", meeting=meeting, by=personas.liam)
    with pytest.raises(ValidationError):
        services.minutes_draft(meeting, by=personas.dora)
    assert Invitation.objects.filter(meeting=meeting).exists()


# --- sample data ----------------------------------------------------------------------


def test_the_sample_year_has_every_kind_of_meeting_and_resolutions_in_every_state(personas):
    from ecogov.cases.sample import cases_sample_load
    from ecogov.meetings.models import Resolution
    from ecogov.meetings.sample import meetings_sample_load

    cases_sample_load(personas.district)
    assert meetings_sample_load(personas.district) == 9
    assert meetings_sample_load(personas.district) == 0  # idempotent
    kinds = list(Meeting.objects.values_list("kind", flat=True))
    assert kinds.count("joint") == 4 and kinds.count("annual") == 1
    assert kinds.count("consultation") == 1 and kinds.count("daily") == 3
    assert set(Meeting.objects.values_list("state", flat=True)) == {"minutes_issued"}
    assert Meeting.objects.get(kind="annual").convener.name == "区政府办公室"
    items = Item.objects.filter(resolutions__in=Resolution.objects.all()).distinct()
    states = set(items.values_list("state", flat=True))
    assert {"open", "completion_asked", "closed"} <= states
    kinds_of_event = set(ItemEvent.objects.filter(item__in=items).values_list("kind", flat=True))
    assert {"reported", "sent_back", "closed", "completion_asked"} <= kinds_of_event
    red = items.filter(colour=Colour.RED)
    assert red.count() == 1 and red.get().state == "open"
    assert AgendaEntry.objects.filter(kind="topic").exists()
    assert AgendaEntry.objects.filter(kind="review").exists()
    assert all(item.source.endswith("号）") for item in items)


def test_the_invited_units_are_told_and_the_convener_hears_of_topics(personas):
    from ecogov.supervision.models import Notice

    meeting = new_meeting(personas)
    assert Notice.objects.filter(recipient=personas.liam, url=meeting.get_absolute_url()).exists()
    services.topic_propose(unit=None, title="排洪渠", meeting=meeting, by=personas.lily)
    assert Notice.objects.filter(recipient=personas.dora, subject__contains="排洪渠").exists()


def test_a_liaison_calls_a_meeting_only_for_its_own_unit(personas, pages):
    liam = pages(personas.liam)
    page = liam.get("/meetings/new/").content.decode()
    assert "区城乡建设局" in page and f'value="{personas.health.pk}"' in page  # may invite it
    assert page.count("<option") < 2 * personas.district.units.count()  # one convener only
    response = liam.post("/meetings/new/", {
        "kind": "key_work", "title": "建筑工地扬尘重点工作协调会", "starts_at": "2026-05-06T09:00",
        "convener": personas.construction.pk,
    })  # fmt: skip
    meeting = Meeting.objects.get()
    assert response.url == meeting.get_absolute_url() and meeting.convener == personas.construction
    assert services.runs(personas.liam, meeting) and not services.runs(personas.lily, meeting)
    response = liam.post("/meetings/new/", {
        "kind": "key_work", "title": "越权", "starts_at": "2026-05-06T09:00",
        "convener": personas.health.pk,
    })  # fmt: skip
    assert response.status_code == 403 and Meeting.objects.count() == 1


def test_the_api_refuses_across_the_role_lines(personas, pages):
    minutes = drafted(personas)
    meeting = minutes.meeting
    liam, ian, oscar = pages(personas.liam), pages(personas.ian), pages(personas.oscar)
    body = {"kind": "daily", "title": "x", "starts_at": "2026-05-06T09:00:00+08:00"}
    assert api(liam, "post", "/api/meetings", body).status_code == 403
    assert api(ian, "post", "/api/meetings", body).status_code == 403
    assert api(ian, "post", "/api/meetings/topics", {"title": "x"}).status_code == 403
    assert api(liam, "post", f"/api/meetings/{meeting.pk}/steps/hold").status_code == 403
    steps = f"/api/meetings/minutes/{minutes.pk}/steps/"
    assert api(liam, "post", steps + "circulate").status_code == 404  # a draft is not his to see
    assert api(ian, "post", steps + "circulate").status_code == 403
    assert api(oscar, "post", steps + "circulate").status_code == 404
    assert oscar.get(f"/api/meetings/minutes/{minutes.pk}/docx").status_code == 404
    minutes.refresh_from_db()
    assert minutes.state == Minutes.State.DRAFT and Meeting.objects.count() == 1
