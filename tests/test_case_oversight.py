"""Oversight of cases: the leaders' overview, the discipline commission's view and the
Excel ledger, each over the cases the user may see."""

import datetime
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from ecogov.cases import oversight, services
from ecogov.cases.models import Case, Channel, Reporter, State
from ecogov.domain.supervision import Colour, Stage
from ecogov.holidays.selectors import work_calendar

BLACK_WATER = "南滩街道一个家属院后面的排洪渠常年是黑水，一到夏天臭得受不了"  # → 区城乡建设局
CLINIC = "仁和口腔诊所门口的垃圾桶里经常能看见带血的棉球和手套"  # → 区卫生健康局
DISPUTED = "楼道里的灯坏了很久没人修"  # no unit: the bureau decides
REPORTER = {"name": "王举报", "phone": "13900001111"}


# A Monday in a week without holidays (as in test_cases), and the day the pages are read.
MONDAY = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0))
TODAY = datetime.date(2026, 6, 10)


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def register(personas, text, *, now):
    return services.case_register(
        jurisdiction=personas.district, channel=Channel.HOTLINE, text=text, reporter=REPORTER,
        by=personas.dora, now=now,
    )  # fmt: skip


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """The pages count from a fixed day, so that months and working days are known."""
    monkeypatch.setattr(oversight, "_today", lambda: TODAY)
    return TODAY


@pytest.fixture
def cases(personas):
    """A black-water case long overdue (red, escalated to the discipline commission), a
    fresh clinic case, and a case the construction bureau returned."""
    black = register(personas, BLACK_WATER, now=MONDAY)
    services.clocks_run(today=datetime.date(2026, 6, 1))
    disputed = register(personas, DISPUTED, now=at(datetime.date(2026, 6, 5)))
    disputed = services.case_assign(disputed, lead=personas.construction, by=personas.dora,
                                    now=at(datetime.date(2026, 6, 5), 10))  # fmt: skip
    disputed = services.case_return(disputed, reason="楼道照明归物业管理。", by=personas.liam,
                                    now=at(datetime.date(2026, 6, 8)))  # fmt: skip
    clinic = register(personas, CLINIC, now=at(datetime.date(2026, 6, 9)))
    black.refresh_from_db()
    return {"black": black, "clinic": clinic, "disputed": disputed}


def test_the_fixture_makes_what_the_pages_show(personas, cases):
    black, clinic, disputed = cases["black"], cases["clinic"], cases["disputed"]
    assert (black.lead, black.colour, black.stage) == (personas.construction, Colour.RED,
                                                       Stage.DISCIPLINE)  # fmt: skip
    assert clinic.lead == personas.health and clinic.colour == Colour.NONE
    assert disputed.state == State.RETURNED and disputed.returned == 1
    assert Reporter.objects.filter(name=REPORTER["name"], phone=REPORTER["phone"]).count() == 3


def _figure(page: str, name: str) -> int:
    match = re.search(rf'id="figure-{name}"><strong>(\d+)</strong>', page)
    assert match, name
    return int(match.group(1))


def _section(page: str, key: str) -> str:
    start = page.index(f'id="{key}"')
    end = page.find('<section class="card"', start)
    return page[start : end if end != -1 else len(page)]


def _chart(page: str) -> dict:
    match = re.search(r'<script id="case-chart-data" type="application/json">(.*?)</script>', page)
    return json.loads(match.group(1))


def test_the_overview_shows_the_leader_open_and_overdue_cases(personas, cases, client_for):
    response = client_for(personas.lena).get("/cases/overview/")
    assert response.status_code == 200
    page = response.content.decode()
    assert _figure(page, "open") == 3
    assert _figure(page, "red") == 1
    assert _figure(page, "yellow") == 0
    assert _figure(page, "closed") == 0
    assert _figure(page, "escalated") == 1
    by_lead = _section(page, "by-lead")
    assert "区城乡建设局" in by_lead and "区卫生健康局" in by_lead
    # The construction bureau leads one open case (the other it returned): overdue.
    assert re.search(r"区城乡建设局</td><td>1</td><td><span class=\"clock red\">1<", by_lead)
    assert re.search(r"区卫生健康局</td><td>1</td><td>0<", by_lead)
    most_overdue = _section(page, "most-overdue")
    assert cases["black"].number in most_overdue and cases["clinic"].number not in most_overdue
    assert f'href="/cases/{cases["black"].pk}/"' in most_overdue
    chart = _chart(page)
    assert sum(row["total"] for row in chart["category"]) == 3
    assert sum(row["total"] for row in chart["grid"]) == 3  # none located: the no-grid bucket
    assert len(chart["trend"]) == 12
    trend = {row["month"]: (row["registered"], row["closed"]) for row in chart["trend"]}
    assert list(trend)[0] == "2025-07" and list(trend)[-1] == "2026-06"
    assert trend["2026-03"] == (1, 0) and trend["2026-06"] == (2, 0) and trend["2026-05"] == (0, 0)
    # Charts come from the vendored ECharts, never from the internet.
    assert "/static/vendor/echarts/echarts.min.js" in page
    assert "https://" not in page and "http://" not in page


def test_the_overview_of_an_outsider_and_of_a_liaison_is_their_own(personas, cases, client_for):
    page = client_for(personas.oscar).get("/cases/overview/").content.decode()
    assert _figure(page, "open") == 0 and _figure(page, "red") == 0
    for case in cases.values():
        assert case.number not in page
    assert "区城乡建设局" not in page and "区卫生健康局" not in page
    page = client_for(personas.lily).get("/cases/overview/").content.decode()
    assert _figure(page, "open") == 1 and _figure(page, "red") == 0
    assert "区卫生健康局" in _section(page, "by-lead")
    assert "区城乡建设局" not in _section(page, "by-lead")


def test_the_supervision_view_lists_overdue_cases_with_their_history(personas, cases, client_for):
    response = client_for(personas.ian).get("/cases/supervision/")
    assert response.status_code == 200
    page = response.content.decode()
    black = cases["black"]
    overdue = _section(page, "overdue")
    assert black.number in overdue and cases["clinic"].number not in overdue
    assert "区城乡建设局" in overdue and "clock red" in overdue
    assert "<details" in overdue
    # The history: the routing clause and the escalation recorded by the clock.
    assert "协调组织开展全区黑臭水体整治工作" in overdue
    assert black.events.filter(kind="escalated").exists()
    assert black.get_state_display() in overdue
    late = work_calendar().workdays_between(black.due, TODAY)
    assert late > 50 and re.search(rf'class="case-late">{late}\D', overdue)
    assert black.number in _section(page, "discipline")
    returned = _section(page, "returned")
    assert cases["disputed"].number in returned and "楼道照明归物业管理。" in returned
    assert black.number not in returned
    assert "Liam" in returned  # who returned it
    assert cases["clinic"].number not in page
    for user in (personas.ada, personas.dora, personas.lena):
        assert client_for(user).get("/cases/supervision/").status_code == 200


def test_a_history_note_is_escaped_and_keeps_its_lines(personas, cases, client_for):
    """The histories are built outside the template engine: a note is escaped as the
    engine would, its lines kept, and a step without a unit or actor shows a dash."""
    more = register(personas, BLACK_WATER.replace("南滩街道", "总寨镇"), now=at(TODAY))
    reason = '<script>alert("x")</script> & <b>楼道</b>\r\n第二行\n第三行'
    services.case_return(more, reason=reason, by=personas.liam, now=at(TODAY, 10))
    page = client_for(personas.ian).get("/cases/supervision/").content.decode()
    returned = _section(page, "returned")
    assert "<script>alert" not in page and "<b>楼道</b>" not in page
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;楼道&lt;/b&gt;"
        "<br>第二行<br>第三行"
    ) in returned
    history = returned[returned.index(more.number) :]
    history = history[: history.index("</details>")]
    assert "<summary>办理记录：" in history and "<th>时间</th>" in history
    registered = re.search(r"<tr><td class=\"nowrap\">[^<]+</td><td>已登记</td>(.*?)</tr>", history)
    assert registered, history
    # Registered by the dispatcher for no unit yet, through the hotline, with no warning.
    assert (
        registered.group(1)
        == '<td>—</td><td>Dora 调度员</td><td class="case-text">12369热线</td><td></td>'
    )
    assert "Liam" in history


def test_the_supervision_view_refuses_liaisons_and_grid_workers(personas, cases, client_for):
    assert client_for(personas.liam).get("/cases/supervision/").status_code == 403
    assert client_for(personas.gary).get("/cases/supervision/").status_code == 403
    page = client_for(personas.oscar).get("/cases/supervision/").content.decode()
    for case in cases.values():
        assert case.number not in page


def test_the_supervision_view_reads_the_histories_in_a_fixed_number_of_queries(
    personas, cases, client_for
):
    client = client_for(personas.ian)
    client.get("/cases/supervision/")  # warm the work calendar
    with CaptureQueriesContext(connection) as before:
        client.get("/cases/supervision/")
    more = register(personas, BLACK_WATER.replace("南滩街道", "总寨镇"), now=at(TODAY))
    services.case_return(more, reason="不归我们。", by=personas.liam, now=at(TODAY, 10))
    with CaptureQueriesContext(connection) as after:
        page = client.get("/cases/supervision/").content.decode()
    assert more.number in page
    assert len(after) == len(before)


def _workbook_rows(response) -> tuple[list, list[list]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    start = next(i for i, row in enumerate(rows) if row[0] == "案件编号")
    return rows, [row for row in rows[start + 1 :] if any(cell is not None for cell in row)]


def test_the_ledger_has_one_row_per_visible_case_and_never_the_reporter(
    personas, cases, client_for
):
    rows, body = _workbook_rows(client_for(personas.lena).get("/cases/export.xlsx"))
    header = next(row for row in rows if row[0] == "案件编号")
    assert header[:5] == ["案件编号", "登记时间", "渠道", "类别", "子类"]
    assert header[-2:] == ["退回次数", "重办次数"] and len(header) == 20
    assert sorted(row[0] for row in body) == sorted(case.number for case in cases.values())
    black = next(row for row in body if row[0] == cases["black"].number)
    assert black[7] == "区城乡建设局" and black[10] == "红"
    disputed = next(row for row in body if row[0] == cases["disputed"].number)
    assert disputed[18] == 1
    everything = [str(cell) for row in rows for cell in row if cell is not None]
    for secret in REPORTER.values():
        assert not any(secret in cell for cell in everything)


def test_a_liaisons_ledger_holds_only_their_units_cases(personas, cases, client_for):
    _rows, body = _workbook_rows(client_for(personas.lily).get("/cases/export.xlsx"))
    assert [row[0] for row in body] == [cases["clinic"].number]
    _rows, body = _workbook_rows(client_for(personas.liam).get("/cases/export.xlsx"))
    assert sorted(row[0] for row in body) == sorted(
        [cases["black"].number, cases["disputed"].number]
    )
    _rows, body = _workbook_rows(client_for(personas.oscar).get("/cases/export.xlsx"))
    assert body == []


def test_the_ledger_filters_by_state_category_lead_and_colour(personas, cases, client_for):
    client = client_for(personas.dora)
    _rows, body = _workbook_rows(client.get("/cases/export.xlsx?colour=red"))
    assert [row[0] for row in body] == [cases["black"].number]
    _rows, body = _workbook_rows(client.get(f"/cases/export.xlsx?lead={personas.health.pk}"))
    assert [row[0] for row in body] == [cases["clinic"].number]
    _rows, body = _workbook_rows(client.get("/cases/export.xlsx?state=returned"))
    assert [row[0] for row in body] == [cases["disputed"].number]
    _rows, body = _workbook_rows(client.get("/cases/export.xlsx?category=water&state=bogus"))
    assert cases["black"].number in [row[0] for row in body]
    assert Case.objects.count() == 3


def test_the_pages_need_a_sign_in(client, cases):
    for url in ("/cases/overview/", "/cases/supervision/", "/cases/export.xlsx"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]


def _numbers(section: str) -> list[str]:
    return re.findall(r'data-case="([^"]+)"', section)


@pytest.fixture
def overdue(personas, cases):
    """Seven more overdue cases, registered in four weeks (two on each day, so that two
    share a deadline), one of them with no running clock."""
    for week in range(4):
        for place in ("总寨镇", "甘河滩镇")[: 1 if week == 3 else 2]:
            register(personas, BLACK_WATER.replace("南滩街道", place),
                     now=MONDAY + datetime.timedelta(weeks=week))  # fmt: skip
    services.clocks_run(today=datetime.date(2026, 6, 1))
    red = Case.objects.filter(colour=Colour.RED).order_by("pk")
    Case.objects.filter(pk=red[3].pk).update(clock_start=None)
    return list(red)


def test_the_supervision_lists_are_paged_as_slices_of_the_whole_lists(
    personas, cases, overdue, client_for, monkeypatch
):
    monkeypatch.setattr(oversight, "SUPERVISION_PAGE_SIZE", 3)
    calendar = work_calendar()
    late = {case.pk: oversight._late(case, TODAY, calendar) for case in overdue}
    # The most late first: the order the view had when it sorted every red case in Python.
    whole = [case.number for case in sorted(
        overdue, key=lambda case: (-(late[case.pk] or 0), case.due or TODAY, case.pk))]  # fmt: skip
    assert len(whole) == 8 and len(set(late.values())) > 2 and None in late.values()
    client = client_for(personas.ian)
    got = []
    for number in (1, 2, 3):
        page = client.get(f"/cases/supervision/?list=overdue&page={number}").content.decode()
        section = _section(page, "overdue")
        got += _numbers(section)
        assert '<small class="muted">8 ' in section  # the whole list's count
        # The other lists stay on their first page.
        assert (
            _numbers(_section(page, "discipline"))[0]
            == _numbers(_section(client.get("/cases/supervision/").content.decode(), "discipline"))[
                0
            ]
        )
        if number < 3:
            assert f'href="?list=overdue&amp;page={number + 1}#overdue"' in section
    assert got == whole
    # A page past the end is the last page; a page that is not a number is refused.
    last = client.get("/cases/supervision/?list=overdue&page=99").content.decode()
    assert _numbers(_section(last, "overdue")) == whole[6:]
    for bad in ("abc", "0", "-1", "99999999999999999999"):
        assert client.get(f"/cases/supervision/?list=overdue&page={bad}").status_code == 400
    # An unknown list pages the first one, as the page's links never name another.
    assert _numbers(_section(client.get("/cases/supervision/?list=x&page=2").content.decode(),
                             "overdue")) == whole[3:6]  # fmt: skip
    # Each case's row shows its own days late and its own history.
    first = _section(client.get("/cases/supervision/").content.decode(), "overdue")
    assert re.search(rf'class="case-late">{late[overdue[0].pk]}\D', first)
