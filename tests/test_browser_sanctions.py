"""Issue 20's sanctions in a real browser: the bureau records an admonition talk with a
commitment, the commitment is on the unit's ledger; a notice is issued and published
and read on a phone without signing in; the discipline inspector opens a referral's
dossier and acknowledges it."""

import datetime
import io

import docx
import pytest
from django.utils import timezone

from ecogov.sanctions import services
from ecogov.sanctions.models import Referral
from ecogov.supervision import services as supervision
from ecogov.supervision.models import Item, Kind
from ecogov.testing import make_personas
from test_browser import browser, page_for, shot  # noqa: F401  (the fixtures, with the CSP watch)

pytestmark = pytest.mark.browser


@pytest.fixture
def people(transactional_db):
    return make_personas()


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def errors(page) -> list[str]:
    return page.locator(".message.error").all_inner_texts()


def test_an_admonition_commitment_on_the_ledger_and_a_dossier(
    people,
    page_for,  # noqa: F811
    live_server,
):
    url = live_server.url
    dora = page_for(people.dora)
    dora.goto(f"{url}/supervision/")
    dora.click("a[href='/sanctions/']")
    dora.click("a[href='/sanctions/admonitions/new/']")
    dora.fill("input[name=title]", "关于南川河整治滞后的约谈")
    dora.select_option("select[name=convener]", str(people.bureau.pk))
    dora.fill("input[name=convener_position]", "区政府分管副区长")
    dora.fill("input[name=held_at]", f"{days(-1).isoformat()}T09:30")
    dora.fill("input[name=place]", "区政府三楼会议室")
    dora.select_option("select[name=summons_1_unit]", str(people.construction.pk))
    dora.fill("input[name=summons_1_attendee]", "张某 副局长")
    dora.fill("textarea[name=problems]", "南川河沿岸垃圾清运进度滞后。")
    dora.select_option("select[name=commitment_1_unit]", str(people.construction.pk))
    dora.fill("input[name=commitment_1_text]", "十日内清运南川河沿岸垃圾")
    dora.fill("input[name=commitment_1_deadline]", days(10).isoformat())
    with dora.expect_navigation():
        dora.click("button.primary")
    assert not errors(dora), errors(dora)
    item = Item.objects.get(kind=Kind.COMMITMENT)
    assert item.number in dora.locator("#commitments").inner_text()
    shot(dora, "sanctions-admonition")

    liam = page_for(people.liam)
    liam.goto(f"{url}/supervision/")
    ledger = liam.locator("main").inner_text()
    assert item.number in ledger and "十日内清运南川河沿岸垃圾" in ledger
    assert "约谈整改承诺" in ledger
    shot(liam, "sanctions-commitment-on-ledger")

    # A notice issued and published, read on a phone by anyone.
    dora.goto(f"{url}/sanctions/notices/new/")
    dora.fill("input[name=title]", "关于对区城乡建设局的通报批评")
    dora.check(f"input[name=units][value='{people.construction.pk}']")
    dora.fill("textarea[name=facts]", "南川河沿岸垃圾清运任务逾期未完成。")
    with dora.expect_navigation():
        dora.click("button.primary")
    assert not errors(dora), errors(dora)
    dora.check("input[name=publish]")
    with dora.expect_navigation():
        dora.click("form[action$='/act/issue/'] button.primary")
    assert not errors(dora), errors(dora)
    with dora.expect_download() as download:
        dora.click("a[href$='notice.docx']")
    text = "\n".join(p.text for p in docx.Document(download.value.path()).paragraphs)
    assert "关于对区城乡建设局的通报批评" in text and "城环委通〔" in text
    phone = page_for(mobile=True)
    phone.goto(f"{url}/public/notices/")
    phone.click("text=关于对区城乡建设局的通报批评")
    assert "南川河沿岸垃圾清运任务逾期未完成。" in phone.locator("main").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "sanctions-public-notice-phone")

    # A referral of an overdue item; the inspector reads its dossier and acknowledges.
    late = supervision.item_create(
        jurisdiction=people.district, kind=Kind.SPECIAL, title="南川河沿岸垃圾清运",
        lead=people.construction, supervisor=people.bureau, deadline=days(-7),
        by=people.dora, at=timezone.now() - datetime.timedelta(days=30),
    )  # fmt: skip
    referral = services.referral_create(
        jurisdiction=people.district, target=Referral.Target.DISCIPLINE,
        units=[people.construction], reason="逾期未完成。", items=[late], by=people.dora,
    )  # fmt: skip
    ian = page_for(people.ian)
    ian.goto(f"{url}{referral.get_absolute_url()}")
    ian.click(f"a[href='/sanctions/referrals/{referral.pk}/dossier/']")
    dossier = ian.locator("main").inner_text()
    assert late.number in dossier and "现已逾期 7 天" in dossier
    shot(ian, "sanctions-dossier")
    ian.goto(f"{url}{referral.get_absolute_url()}")
    ian.fill("textarea[name=note]", "已收到")
    with ian.expect_navigation():
        ian.click("form[action$='/act/acknowledge/'] button.primary")
    assert not errors(ian), errors(ian)
    referral.refresh_from_db()
    assert referral.state == Referral.State.ACKNOWLEDGED
    with ian.expect_download() as download:
        ian.click("a[href$='dossier.docx']")
    data = io.BytesIO(open(download.value.path(), "rb").read())
    assert referral.number in "\n".join(p.text for p in docx.Document(data).paragraphs)
