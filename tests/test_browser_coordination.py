"""Issue 18's "done when", in a real browser: a unit proposes a topic; the bureau builds
the agenda with it and a disputed case; the meeting is held and its minutes issued (the
Word file read back); a resolution appears on the lead unit's ledger, is reported,
verified and closed; another, left overdue, is red in the discipline commission's view
with its history; a suggestion answered B is rated dissatisfied and comes back for
re-handling."""

import datetime
import io

import pytest
from django.utils import timezone
from docx import Document

from ecogov.cases import services as cases
from ecogov.cases.models import Case, Channel
from ecogov.meetings import services as meetings
from ecogov.meetings.models import Minutes, Resolution
from ecogov.suggestions import services as suggestions
from ecogov.supervision import clocks
from ecogov.supervision.models import Item
from ecogov.testing import make_personas
from test_browser import browser, page_for, shot  # noqa: F401  (the fixtures, with the CSP watch)

pytestmark = pytest.mark.browser


@pytest.fixture
def people(transactional_db, settings):
    settings.ECOGOV_CASES_AUTO_ASSIGN = False  # every report waits for the bureau: disputed
    return make_personas()


def submit(page, action: str, fields: dict | None = None, selects: dict | None = None):
    form = page.locator(f"form[action$='{action}']").first
    for name, value in (fields or {}).items():
        form.locator(f"[name={name}]").fill(value)
    for name, value in (selects or {}).items():
        form.locator(f"select[name={name}]").select_option(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").last.click()


def test_coordination_from_topic_to_closed_resolution_and_a_rehandled_suggestion(
    people,
    page_for,  # noqa: F811
    live_server,
):
    url = live_server.url
    today = timezone.localdate()
    disputed = cases.case_register(
        jurisdiction=people.district, channel=Channel.HOTLINE, by=people.dora,
        text="小区门口的空地上有人倾倒建筑垃圾和废机油桶，下雨后流到路边排水沟",
    )  # fmt: skip
    assert disputed.lead is None
    meeting = meetings.meeting_create(
        jurisdiction=people.district, kind="daily", title="2026年第12次日常协调议事会议",
        convener=people.bureau, starts_at=timezone.now() + datetime.timedelta(days=1),
        place="区生态环境局三楼会议室", chair="区生态环境局局长",
        invite=[people.construction, people.health], by=people.dora,
    )  # fmt: skip

    # A unit proposes a topic.
    liam = page_for(people.liam)
    liam.goto(f"{url}/meetings/topics/new/")
    liam.select_option("select[name=meeting]", str(meeting.pk))
    liam.fill("input[name=title]", "建筑垃圾乱倒的监管职责划分")
    liam.fill("textarea[name=text]", "渣土和建筑垃圾乱倒涉及城管、住建、生态环境，需明确牵头单位。")
    with liam.expect_navigation():
        liam.locator("form:has(input[name=title]) button[type=submit]").click()
    assert meeting.topics.count() == 1, liam.locator(".message, .errorlist").all_inner_texts()

    # The bureau accepts it and builds the agenda with it and the disputed case.
    dora = page_for(people.dora)
    dora.goto(f"{url}{meeting.get_absolute_url()}")
    with dora.expect_navigation():
        dora.locator("form:has(input[name=decision][value=accept]) button").first.click()
    with dora.expect_navigation():
        dora.locator("form:has(input[name=kind][value=topic]) button[type=submit]").click()
    dora.locator("form:has(input[name=kind][value=case]) select[name=ref]").select_option(
        str(disputed.pk)
    )
    with dora.expect_navigation():
        dora.locator("form:has(input[name=kind][value=case]) button[type=submit]").click()
    agenda = [entry.topic_id or entry.case_id for entry in meeting.agenda.order_by("order")]
    assert agenda == [meeting.topics.get().pk, disputed.pk]

    # Held; attendance; minutes drafted with two resolutions and issued with a number.
    submit(dora, "/act/hold/")
    attend = dora.locator(f"form:has(input[name=unit][value='{people.construction.pk}'])")
    attend.locator("select[name=attendance]").select_option("present")
    attend.locator("input[name=person]").fill("张建设")
    attend.locator("input[name=position]").fill("副局长")
    with dora.expect_navigation():
        attend.locator("button[type=submit]").click()
    submit(dora, "/act/draft/", {"text": "会议研究了建筑垃圾乱倒的监管职责。"})
    minutes = Minutes.objects.get(meeting=meeting)
    dora.wait_for_url(f"{url}{minutes.get_absolute_url()}")
    for text, deadline in (
        ("区城乡建设局牵头开展建筑垃圾专项排查整治。", today + datetime.timedelta(days=30)),
        ("区卫生健康局牵头核查医疗机构周边倾倒问题。", today - datetime.timedelta(days=20)),
    ):
        form = dora.locator("form[action$='/act/resolution_add/']")
        form.locator("textarea[name=text]").fill(text)
        lead = people.construction if "城乡建设" in text else people.health
        form.locator("select[name=lead]").select_option(str(lead.pk))
        form.locator("input[name=deadline]").fill(deadline.isoformat())
        with dora.expect_navigation():
            form.locator("button[type=submit]").click()
    submit(dora, "/act/circulate/")
    dora.on("dialog", lambda dialog: dialog.accept())
    submit(dora, "/act/issue/", {"number": "城环协〔2026〕12号"})
    minutes.refresh_from_db()
    assert minutes.state == Minutes.State.ISSUED
    shot(dora, "coordination-minutes-issued")
    word = dora.request.get(f"{url}/meetings/minutes/{minutes.pk}/minutes.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(word.body())).paragraphs)
    assert "城环协〔2026〕12号" in text and "区城乡建设局牵头开展建筑垃圾专项排查整治" in text

    # The first resolution is on the lead unit's ledger: reported, asked done, verified.
    first, late = (r.item for r in Resolution.objects.filter(minutes=minutes).order_by("order"))
    liam.goto(f"{url}/supervision/?kind=resolution")
    liam.click(f"text={first.title[:20]}")
    submit(liam, "/act/report/", {"text": "已排查建筑工地23处。", "percent": "50"})
    submit(liam, "/act/complete/", {"text": "排查整治完成，清运建筑垃圾120吨。"})
    dora.goto(f"{url}{first.get_absolute_url()}")
    submit(dora, "/act/verify/", {"note": "现场核查属实"})
    first.refresh_from_db()
    assert first.state == Item.State.CLOSED

    # The other, overdue, is red in the discipline commission's view, with its history.
    clocks.scan()
    ian = page_for(people.ian)
    ian.goto(f"{url}/supervision/?colour=red&kind=resolution")
    row = ian.locator("tr", has_text=late.title[:20])
    assert row.locator(".clock.red").count() >= 1
    shot(ian, "coordination-inspector-red")
    with ian.expect_navigation():
        row.locator("a").first.click()
    assert "城环协〔2026〕12号" in ian.locator("main, body").first.inner_text()
    assert ian.locator("#timeline tr").count() >= 2

    # A suggestion answered B, rated dissatisfied, comes back for re-handling.
    suggestion = suggestions.suggestion_register(
        jurisdiction=people.district, kind="suggestion", session="区十八届人大三次会议",
        number=7, title="关于治理南川东路工地扬尘的建议", text="工地扬尘严重，请加强监管。",
        received_on=today - datetime.timedelta(days=20),
        authors=[{"name": "张明", "body": "deputy"}], by=people.dora,
    )  # fmt: skip
    suggestions.suggestion_assign(suggestion, main=people.construction, by=people.dora)
    liam.goto(f"{url}{suggestion.get_absolute_url()}")
    submit(liam, "/act/answer/",
           {"letter": "已督促施工单位落实六个百分百，正在安装在线监测。",
            "promise": "年底前所有工地安装扬尘在线监测。",
            "promised_by": (today + datetime.timedelta(days=40)).isoformat()},
           {"answer_class": "B"})  # fmt: skip
    dora.goto(f"{url}{suggestion.get_absolute_url()}")
    submit(dora, "/act/rate/", {"comment": "承诺时间太晚，工地扬尘依旧。"},
           {"satisfaction": "dissatisfied"})  # fmt: skip
    shot(dora, "coordination-suggestion-rehandled")
    suggestion.refresh_from_db()
    item = suggestion.item
    item.refresh_from_db()
    assert suggestion.rehandled == 1 and item.state == Item.State.OPEN
    assert item.events.filter(kind="reassigned").exists()
    assert Case.objects.get(pk=disputed.pk).lead is None  # the agenda took it, not the router
