"""The pages in a real browser: Debian's Chromium driven by Playwright.

Screenshots land in var/screenshots/ for a person to look at. Every request the pages
make is checked to stay on the server: the product must work on an intranet.
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings

from ecogov.testing import PASSWORD, make_personas

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(settings.VAR_DIR) / "screenshots"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.getenv("ECOGOV_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required (ECOGOV_REQUIRE_BROWSER=1) but not installed")
        pytest.skip("Chromium is not installed: apt install chromium")
    # Playwright's sync API runs an event loop in this thread; Django's ORM in the test
    # thread (fixtures) is still used synchronously.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def people(transactional_db):
    return make_personas()


@pytest.fixture
def page_for(browser, live_server):
    contexts = []
    outside: list[str] = []
    violations: list[str] = []  # Content-Security-Policy violations, from any page
    server = urlparse(live_server.url).netloc

    def make(user=None, *, language="zh-hans", mobile=False, position=None):
        context = browser.new_context(
            locale="zh-CN" if language == "zh-hans" else "en-US",
            viewport={"width": 390, "height": 844} if mobile else {"width": 1280, "height": 900},
            extra_http_headers={"Accept-Language": "zh-CN" if language == "zh-hans" else "en"},
            geolocation=position,
            permissions=["geolocation"] if position else [],
        )
        contexts.append(context)
        context.expose_binding("ecogovViolation", lambda source, text: violations.append(text))
        context.add_init_script(CSP_WATCH)
        page = context.new_page()
        page.on("console", lambda message: _csp_console(message, violations))

        def guard(route):
            if urlparse(route.request.url).netloc != server:
                outside.append(route.request.url)
                return route.abort()
            return route.continue_()

        page.route("**/*", guard)
        page.ecogov_context = context
        if user is not None:
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("#id_username", user.username)
            page.fill("#id_password", PASSWORD)
            page.click("button.primary")
            page.wait_for_url(f"{live_server.url}/")
        return page

    yield make
    for context in contexts:
        context.close()
    assert outside == [], f"pages tried to reach outside the server: {outside}"
    assert violations == [], f"pages broke the Content-Security-Policy: {violations}"


# Every page reports what the policy blocked (an inline script without the nonce, an
# event handler attribute, an eval, a foreign image) to the test, which then fails.
CSP_WATCH = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.ecogovViolation(`${location.pathname}: ${event.violatedDirective} ` +
                         `${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


def _csp_console(message, violations: list[str]) -> None:
    if "Content Security Policy" in message.text:
        violations.append(f"{message.location.get('url')}: {message.text}")


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_signing_in_and_reading_the_duty_lists_in_chinese(people, page_for, live_server):
    page = page_for()
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "登录"
    shot(page, "login-zh")
    page.fill("#id_username", "dora")
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/")
    assert "欢迎" in page.locator("h1").inner_text()
    assert page.evaluate("typeof window.htmx") == "object"
    shot(page, "home-zh")

    page.click("nav.modules >> text=成员单位与职责")
    assert page.locator("#unit-rows tr").count() == 23
    shot(page, "units-zh")

    # The search box filters as one types, through htmx, without reloading the page.
    page.evaluate("window.notReloaded = true")
    page.fill("input[name=q]", "扬尘")
    page.wait_for_function("() => document.querySelectorAll('#unit-rows tr').length < 23")
    names = page.locator("#unit-rows tr td:nth-child(2)").all_inner_texts()
    assert "区城乡建设局" in names and "区财政局" not in names
    assert page.evaluate("window.notReloaded") is True
    assert "q=" in page.url

    page.click("text=区城乡建设局")
    assert page.locator("h1").inner_text().startswith("区城乡建设局")
    assert page.locator("ol.duties li").count() == 8
    shot(page, "unit-zh")


def test_the_pages_read_in_english(people, page_for, live_server):
    page = page_for(people.dora)
    page.click("button[value=en]")
    page.wait_for_selector("text=Member units and duties")
    page.goto(f"{live_server.url}/units/{people.bureau.pk}/")
    assert page.locator("h2", has_text="Duty list").count() == 1
    assert "government department" in page.locator("h1").inner_text()
    shot(page, "unit-en")
    page.goto(f"{live_server.url}/jurisdictions/")
    shot(page, "jurisdictions-en")


def test_the_inspector_reads_the_history(people, page_for, live_server):
    page = page_for(people.ian)
    page.goto(f"{live_server.url}/units/{people.bureau.pk}/")
    assert page.locator("#history tbody tr").count() >= 12
    shot(page, "unit-history-zh")


def test_a_liaison_edits_his_unit_and_is_refused_another(people, page_for, live_server):
    page = page_for(people.liam)
    page.goto(f"{live_server.url}/units/{people.construction.pk}/")
    page.click("text=编辑联系信息")
    page.fill("#id_liaison", "李四")
    page.fill("#id_liaison_phone", "0971-8888888")
    shot(page, "unit-edit-zh")
    page.click("button.primary")
    page.wait_for_selector("text=单位联系信息已保存。")
    assert "李四" in page.locator("dl.facts").inner_text()
    response = page.goto(f"{live_server.url}/units/{people.health.pk}/edit/")
    assert response.status == 403


def test_a_grid_worker_on_a_phone(people, page_for, live_server):
    page = page_for(people.gary, mobile=True)
    page.goto(f"{live_server.url}/units/?q=总寨")
    assert page.locator("#unit-rows tr").count() == 1
    shot(page, "units-mobile-zh")


def test_the_api_documentation_works_offline(people, page_for, live_server):
    page = page_for(people.dora)
    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_selector(".opblock", timeout=15000)
    assert "EcoGov API" in page.locator(".info .title").inner_text()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/units" in [path.replace("\u200b", "") for path in paths]
    shot(page, "api-docs")


def test_the_dispatcher_adds_and_removes_a_duty_clause(people, page_for, live_server):
    page = page_for(people.dora)
    page.goto(f"{live_server.url}/units/{people.construction.pk}/")
    page.fill("#id_text", "负责督促建筑工地安装扬尘在线监测设备。")
    page.click("text=添加职责条目")
    page.wait_for_selector("text=职责条目已添加。")
    assert page.locator("ol.duties li").count() == 9
    shot(page, "unit-manage-zh")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("ol.duties li", has_text="扬尘在线监测").locator("button").click()
    page.wait_for_selector("text=职责条目已删除")
    assert page.locator("ol.duties li").count() == 8


def test_the_back_office_in_chinese(people, page_for, live_server):
    page = page_for(people.ada)
    page.goto(f"{live_server.url}/admin/")
    assert "工作日历" in page.content() and "成员单位" in page.content()
    shot(page, "admin-zh")
    page.goto(f"{live_server.url}/admin/holidays/calendarday/add/")
    shot(page, "admin-holiday-zh")


def test_the_task_ledger_and_a_report(people, page_for, live_server):
    from ecogov.plans.sample import plans_sample_load

    plans_sample_load()
    page = page_for(people.liam)
    page.click("nav.modules >> text=计划、任务与目标")
    shot(page, "plans-zh")
    page.click("text=城中区巩固提升生态环境保护成效三年行动实施方案（2024—2026年）")
    page.locator("#ledger-rows tr").first.wait_for()  # the plan's page has arrived
    assert page.locator("#ledger-rows tr").count() == 23
    shot(page, "plan-ledger-zh")
    page.select_option("select[name=status]", "lagging")
    page.wait_for_function("() => document.querySelectorAll('#ledger-rows tr').length < 23")
    page.goto(f"{live_server.url}/tasks/")
    first = page.locator("#ledger-rows tr").first
    assert first.get_attribute("class") == "mine"
    page.click("text=加快推进湟河流域治污设施建设")
    page.fill("#id_text", "完成 30 处混错接点位整治")
    page.fill("#id_percent", "40")
    page.click("text=提交")
    page.wait_for_selector("text=进度报告已提交。")
    shot(page, "task-zh")
    plan = page.locator(".crumbs a").nth(1).get_attribute("href")
    page.goto(f"{live_server.url}{plan}supervision/?year=2026&quarter=3")
    assert page.locator("h1").inner_text().startswith("2026 年第 3 季度督办清单")
    shot(page, "supervision-zh")
    page.goto(f"{live_server.url}{plan}ranking/?year=2026")
    shot(page, "ranking-zh")


def test_a_target_chart(people, page_for, live_server):
    import datetime
    from decimal import Decimal

    from ecogov.plans.models import Target
    from ecogov.plans.sample import plans_sample_load
    from ecogov.plans.services import target_value_record

    plans_sample_load()
    target = Target.objects.get(plan__jurisdiction__name="城中区", indicator="森林覆盖率")
    for year, value in ((2023, "28.4"), (2024, "29.0"), (2025, "29.9")):
        target_value_record(
            target=target, date=datetime.date(year, 12, 31), value=Decimal(value), source="统计公报"
        )
    page = page_for(people.dora)
    page.goto(f"{live_server.url}{target.get_absolute_url()}")
    page.wait_for_selector("#target-chart[data-ready=true] canvas")
    assert "进展一般" in page.locator(".progress-badge").inner_text()
    shot(page, "target-zh")


def test_the_grid_map_works_without_tiles(people, page_for, live_server):
    page = page_for(people.dora)
    page.click("nav.modules >> text=网格与巡查")
    page.wait_for_selector("#grid-map[data-ready=true] path.leaflet-interactive")
    assert page.locator("#grid-map path.leaflet-interactive").count() == 34
    assert page.locator("#grid-map img.leaflet-tile").count() == 0  # no base map: nothing fetched
    shot(page, "grid-map-zh")


def test_a_grid_worker_patrols_from_a_phone_and_the_township_sees_it(
    people, page_for, live_server, tmp_path
):
    import base64

    from ecogov.accounts.models import Role
    from ecogov.patrols.models import Finding, Patrol
    from ecogov.sources.sample import sources_sample_load
    from ecogov.testing import make_person

    sources_sample_load(people.district)
    photo = tmp_path / "site.png"
    photo.write_bytes(
        base64.b64decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
        )
    )
    page = page_for(people.gary, mobile=True, position={"longitude": 101.72, "latitude": 36.52})
    page.goto(f"{live_server.url}/patrol/")
    cards = page.locator(".due-card")
    assert cards.count() > 0
    shot(page, "patrol-due-mobile")
    cards.first.click()
    page.wait_for_selector("text=101.720000, 36.520000")
    page.set_input_files("#photos", str(photo))
    page.check("input[name=finding][value=yes]")
    page.fill("#note", "夜间露天烧烤，油烟扰民")
    shot(page, "patrol-form-mobile")
    page.click("text=保存巡查")
    page.wait_for_url(f"{live_server.url}/patrol/")
    patrol = Patrol.objects.get()
    assert (patrol.finding, patrol.photos.count(), str(patrol.lon)) == (True, 1, "101.720000")
    assert Finding.objects.get().to_grid.name == "总寨镇"

    # The same on a phone without network: the patrol waits, then is sent once.
    refusals = []
    page.on("dialog", lambda dialog: (refusals.append(dialog.message), dialog.dismiss()))
    page.locator(".due-card").nth(1).click()
    page.ecogov_context.set_offline(True)
    page.fill("#note", "离线记录")
    page.click("text=保存巡查")
    page.wait_for_selector("text=无网络：巡查已保存在本机，网络恢复后自动发送。")
    assert page.evaluate("window.ecogovPatrolQueue.load().length") == 1
    assert Patrol.objects.count() == 1
    page.ecogov_context.set_offline(False)
    page.evaluate("window.ecogovPatrolQueue.flush()")
    page.wait_for_function("() => window.ecogovPatrolQueue.load().length === 0")
    for _ in range(50):  # the server answered before the queue emptied; allow for slow CI
        if Patrol.objects.count() == 2:
            break
        page.wait_for_timeout(100)
    page.evaluate("window.ecogovPatrolQueue.flush()")  # a second flush sends nothing twice
    assert refusals == []
    assert Patrol.objects.count() == 2

    officer = make_person("tina", Role.LIAISON, people.township, name="Tina 镇联络员")
    desk = page_for(officer)
    desk.goto(f"{live_server.url}/patrols/")
    assert "夜间露天烧烤，油烟扰民" in desk.content() and "离线记录" in desk.content()
    shot(desk, "patrols-township")


def test_the_township_evaluates_its_grid_for_the_quarter(people, page_for, live_server):
    from django.utils import timezone

    from ecogov.accounts.models import Role
    from ecogov.patrols.models import GridEvaluation
    from ecogov.patrols.sample import patrols_sample_load
    from ecogov.sources.sample import sources_sample_load
    from ecogov.testing import make_person

    sources_sample_load(people.district)
    patrols_sample_load(people.district)
    officer = make_person("tina", Role.LIAISON, people.township, name="Tina 镇联络员")
    page = page_for(officer)
    page.goto(f"{live_server.url}/grids/")
    page.click("text=网格季度评价")
    # The last finished quarter, with the sample's evaluations of the villages.
    assert page.locator("tr[data-grid='总寨镇第1网格'] .grade").count() == 2
    shot(page, "evaluation-overview-zh")
    today = timezone.localdate()
    current = f"{today.year}Q{(today.month - 1) // 3 + 1}"
    page.select_option("select[name=quarter]", current)
    page.wait_for_url(f"**quarter={current}")
    page.locator("tr[data-grid='总寨镇'] >> text=评价").first.click()
    assert page.locator("#fig-due").inner_text().isdigit()
    page.fill("#score", "88")
    page.fill("#remarks", "本季度巡查基本到位，个别排口巡查不及时。")
    shot(page, "evaluation-form-zh")
    with page.expect_navigation():
        page.click("form button.primary")
    shot(page, "evaluation-saved-zh")
    shot(page, "evaluation-saved-zh")
    assert page.locator("tr[data-grid='总寨镇'] .grade").first.inner_text() == "88 良好"
    evaluation = GridEvaluation.objects.get(grid__name="总寨镇", kind="self", evaluator=officer)
    assert evaluation.figures["due"] == int(evaluation.figures["due"]) > 0
    page.goto(f"{live_server.url}{evaluation.grid.get_absolute_url()}")
    assert "88 良好" in page.locator("#evaluations").inner_text()
    shot(page, "grid-detail-evaluations-zh")
    from ecogov.patrols.models import Patrol

    source = Patrol.objects.filter(grid__parent__name="总寨镇").first().source
    page.goto(f"{live_server.url}{source.get_absolute_url()}")
    assert page.locator("#patrols tbody tr").count() == source.patrols.count()
    shot(page, "source-patrols-zh")
    page.goto(f"{live_server.url}{evaluation.grid.get_absolute_url()}")
    page.click("h1 >> text=编辑")
    page.fill("input[name=every-river_outfall]", "5")
    page.click("#fixes button.primary")
    page.wait_for_url(f"{live_server.url}{evaluation.grid.get_absolute_url()}")
    assert "每 5 天" in page.content()
    page.goto(f"{live_server.url}/grids/{evaluation.grid.pk}/edit/")
    shot(page, "grid-edit-zh")


def test_a_report_from_the_portal_is_routed_handled_verified_answered_and_disclosed(
    people, page_for, live_server
):
    """Issue 6's done-when: the whole life of a case, in the browser, with its clocks."""
    from ecogov.cases import services
    from ecogov.cases.models import Case

    url = live_server.url
    text = "南滩街道一个家属院后面的排洪渠常年是黑水，一到夏天臭得受不了"
    citizen = page_for(mobile=True)
    citizen.goto(f"{url}/public/report/")
    citizen.wait_for_selector("#report-map[data-ready=true]")
    citizen.fill("#text", text)
    citizen.fill("#address", "南滩街道某家属院后排洪渠")
    citizen.locator("#report-map").click(position={"x": 180, "y": 140})
    assert citizen.input_value("#lon") != ""
    citizen.set_input_files(
        "#photos", files=[{"name": "ditch.png", "mimeType": "image/png",
                           "buffer": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64}],
    )  # fmt: skip
    citizen.fill("#name", "王举报人")
    citizen.fill("#phone", "13900001111")
    shot(citizen, "portal-report-zh")
    with citizen.expect_navigation():
        citizen.click("#report-form button.primary")
    code = citizen.inner_text("#tracking-code").strip()
    shot(citizen, "portal-received-zh")
    case = Case.objects.get(tracking_code=code)
    assert case.lead.name == "区城乡建设局" and case.state == "assigned"

    # The bureau sees the case, the duty clause it was routed by, and the reporter.
    dora = page_for(people.dora)
    services.clocks_run(today=case.due)  # the acceptance deadline is today: yellow
    dora.goto(f"{url}/cases/")
    assert dora.locator(f"a:text('{case.number}')").count() >= 1
    assert dora.locator(".clock.yellow").count() >= 1
    shot(dora, "cases-list-zh")
    dora.goto(f"{url}/cases/{case.pk}/")
    assert "协调组织开展全区黑臭水体整治工作" in dora.inner_text("main")
    assert "王举报人" in dora.inner_text(".confidential")
    shot(dora, "case-detail-dispatcher-zh")

    # The lead unit accepts and reports; it never sees who reported.
    liam = page_for(people.liam)
    liam.goto(f"{url}/cases/{case.pk}/")
    assert "王举报人" not in liam.content() and "13900001111" not in liam.content()
    with liam.expect_navigation():
        liam.click("form[action$='/act/accept/'] button")
    assert liam.locator(".clock").count() >= 1  # the 30-day clock to finish
    liam.fill(
        "form[action$='/act/report/'] textarea[name=investigation]", "现场核查，上游一处雨污混接。"
    )
    liam.fill("form[action$='/act/report/'] textarea[name=measures]", "封堵混接口，清淤排洪渠。")
    liam.select_option("form[action$='/act/report/'] select[name=outcome]", "rectified")
    with liam.expect_navigation():
        liam.click("form[action$='/act/report/'] button.primary")
    shot(liam, "case-detail-liaison-zh")

    # The bureau verifies on site, closes, answers and discloses.
    dora.goto(f"{url}/cases/{case.pk}/")
    dora.fill("form[action$='/act/verify/'] textarea[name=note]", "复查：排洪渠已无黑水。")
    with dora.expect_navigation():
        dora.click("form[action$='/act/verify/'] button[value=yes]")
    with dora.expect_navigation():
        dora.click("form[action$='/act/close/'] button")
    with dora.expect_navigation():
        dora.click("form[action$='/act/answer/'] button")
    dora.fill(
        "form[action$='/act/disclose/'] textarea[name=summary]",
        "南滩排洪渠黑水：封堵雨污混接口并清淤，已整改。",
    )
    with dora.expect_navigation():
        dora.click("form[action$='/act/disclose/'] button")
    shot(dora, "case-closed-dispatcher-zh")
    case.refresh_from_db()
    assert case.state == "closed" and case.answered_at and case.disclosed_at

    # The citizen follows the timeline and rates the answer.
    citizen.goto(f"{url}/public/track/")
    citizen.fill("#code", code.lower())
    with citizen.expect_navigation():
        citizen.click("form button.primary")
    assert "封堵混接口" in citizen.inner_text("main")
    citizen.check("input[name=satisfaction][value=satisfied]")
    with citizen.expect_navigation():
        citizen.click("#rating button.primary")
    assert citizen.locator(".timeline li").count() >= 8
    shot(citizen, "portal-timeline-zh")
    case.refresh_from_db()
    assert case.satisfaction == "satisfied"

    # Anyone reads the disclosed result, without names.
    public = page_for()
    public.goto(f"{url}/public/cases/")
    with public.expect_navigation():
        public.click(f"a:text('{case.number}')")
    assert "已整改" in public.inner_text("#public-summary")
    assert "王举报人" not in public.content()
    shot(public, "portal-disclosed-zh")


def test_the_simulators_stream_appears_on_the_pages_and_an_exceedance_becomes_a_case(
    people, page_for, live_server
):
    """Issue 7's done-when: simulated loggers upload to a real HJ 212 server; the
    overview shows them online with their compliance; an injected exceedance is an
    alarm and a monitoring case assigned to the bureau, with the readings attached."""
    import asyncio
    import datetime
    import threading

    from ecogov.cases.models import Case, Channel
    from ecogov.monitoring import simulator
    from ecogov.monitoring.models import Point
    from ecogov.monitoring.server import HJ212Server
    from ecogov.monitoring.services import points_import, table_rows
    from ecogov.org.sample import SAMPLE_DIR
    from ecogov.sources.sample import sources_sample_load

    sources_sample_load(people.district)
    path = SAMPLE_DIR / "monitoring_points.csv"
    points_import(rows=table_rows(path.read_bytes(), path.name), jurisdiction=people.district)
    loggers = [
        simulator.logger_for(p) for p in Point.objects.prefetch_related("factors").order_by("mn")
    ]
    outlet = next(logger for logger in loggers if logger.mn == "63010300000003")
    outlet.excess_left = 3  # three hours over the COD limit: a case
    reports = []

    def play():
        async def main():
            server = HJ212Server()
            await server.start("127.0.0.1", 0)
            start = datetime.datetime.now().replace(minute=0, second=0, microsecond=0)
            reports.append(await simulator.run("127.0.0.1", server.port, loggers, frames=48,
                                               start=start - datetime.timedelta(hours=48)))  # fmt: skip
            await server.stop()

        asyncio.run(main())

    thread = threading.Thread(target=play)
    thread.start()
    thread.join(120)
    assert reports and reports[0].answered == 7 * 48 and reports[0].errors == 0

    case = Case.objects.get(channel=Channel.MONITORING)
    assert case.source.name == "示例2号工业企业" and case.lead == people.bureau
    page = page_for(people.dora)
    page.goto(f"{live_server.url}/monitoring/")
    rows = page.locator("#rates tbody tr")
    assert rows.count() == 4  # the four sources with outlets
    assert page.locator("#points tbody tr").count() == 7
    assert "示例2号工业企业" in page.locator("#rates").inner_text()
    page.wait_for_selector("#chart-compliance[data-ready='true']")
    shot(page, "monitoring-overview-zh")
    page.goto(f"{live_server.url}/monitoring/alarms/")  # it is over: the alarm is closed
    assert page.locator("main").get_by_text(case.number).count() == 1
    shot(page, "monitoring-alarms-zh")

    page.goto(f"{live_server.url}/monitoring/")
    page.click("#points a:text-is('废水总排口')")
    page.wait_for_selector("#hourly-charts [data-ready='true']")
    assert "63010300000003" in page.locator("#facts").inner_text()
    shot(page, "monitoring-point-zh")

    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    body = page.locator("main").inner_text()
    assert "化学需氧量" in body and "63010300000003" in body
    assert page.locator("a[href*='.xlsx'], a:has-text('xlsx')").count() >= 1
    shot(page, "monitoring-case-zh")

    station = Point.objects.get(kind="air_station")
    page.goto(f"{live_server.url}{station.get_absolute_url()}")
    assert page.locator("#latest-aqi").count() == 1
    shot(page, "monitoring-station-zh")
