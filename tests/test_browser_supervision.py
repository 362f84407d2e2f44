"""The supervision ledger in a real browser: the bureau enters a leader's instruction,
the lead unit's liaison reports with evidence and asks to close it, the bureau sends it
back and then verifies it; another item left overdue is red, escalated, in the
discipline commission's view with its history."""

import datetime

import pytest
from django.utils import timezone

from ecogov.supervision import clocks, services
from ecogov.supervision.models import Item, Kind
from ecogov.testing import make_personas
from test_browser import browser, page_for, shot  # noqa: F401  (the fixtures, with the CSP watch)

pytestmark = pytest.mark.browser
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def people(transactional_db):
    return make_personas()


def test_an_instruction_from_entry_to_close_out_and_an_overdue_one_in_the_inspectors_view(
    people,
    page_for,  # noqa: F811
    live_server,
    tmp_path,
):
    dora = page_for(people.dora)
    dora.goto(f"{live_server.url}/supervision/new/")
    dora.select_option("select[name=kind]", "instruction")
    dora.fill("input[name=title]", "关于南川河黑臭反弹的批示")
    dora.fill("textarea[name=text]", "请区城乡建设局牵头，一个月内完成整治。")
    dora.select_option("select[name=lead]", str(people.construction.pk))
    dora.select_option("select[name=level]", "important")
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    dora.fill("input[name=deadline]", deadline.isoformat())
    dora.click("button.primary")
    item = Item.objects.get(title="关于南川河黑臭反弹的批示")
    dora.wait_for_url(f"{live_server.url}{item.get_absolute_url()}")

    liam = page_for(people.liam)
    liam.goto(f"{live_server.url}/supervision/")
    liam.click(f"text={item.title}")
    evidence = tmp_path / "现场照片.pdf"
    evidence.write_bytes(PDF)
    report = liam.locator("form[action$='/act/report/']")
    report.locator("textarea[name=text]").fill("完成沿河排口排查12处。")
    report.locator("input[name=percent]").fill("40")
    report.locator("input[type=file]").set_input_files(str(evidence))
    with liam.expect_navigation():
        report.locator("button[type=submit]").click()
    assert "现场照片.pdf" in liam.content()
    complete = liam.locator("form[action$='/act/complete/']")
    complete.locator("textarea[name=text]").fill("整治完成。")
    with liam.expect_navigation():
        complete.locator("button[type=submit]").click()

    dora.goto(f"{live_server.url}{item.get_absolute_url()}")
    back = dora.locator("form[action$='/act/send_back/']")
    back.locator("input[name=note]").fill("仍有一处排口未封堵")
    with dora.expect_navigation():
        back.locator("button[type=submit]").click()
    item.refresh_from_db()
    assert item.state == Item.State.OPEN
    services.item_ask_completion(item, text="已封堵。", by=people.liam)
    dora.goto(f"{live_server.url}{item.get_absolute_url()}")
    with dora.expect_navigation():
        dora.locator("form[action$='/act/verify/'] button[type=submit]").click()
    item.refresh_from_db()
    assert item.state == Item.State.CLOSED
    shot(dora, "supervision-item-closed")

    late = services.item_create(
        jurisdiction=people.district, kind=Kind.SPECIAL, title="秸秆禁烧专项督办",
        lead=people.health, supervisor=people.bureau, level="urgent",
        deadline=timezone.localdate() - datetime.timedelta(days=10), by=people.dora,
        at=timezone.now() - datetime.timedelta(days=40),
    )  # fmt: skip
    clocks.scan()
    ian = page_for(people.ian)
    ian.goto(f"{live_server.url}/supervision/?escalated=2")
    row = ian.locator("tr", has_text="秸秆禁烧专项督办")
    assert row.locator(".clock.red").count() >= 1
    shot(ian, "supervision-ledger-inspector")
    row.locator("a").first.click()
    ian.wait_for_url(f"{live_server.url}{late.get_absolute_url()}")
    history = ian.locator("#timeline").inner_text()
    assert "升级督办" in history
    assert ian.locator("#steps").count() == 0  # the inspector changes nothing
