"""A public consultation in a real browser: a citizen on a phone opens the list, opens
the open consultation and sends a comment without an account; the bureau's dispatcher
publishes it on the staff page (where the citizen's phone is shown to the bureau only)
and the citizen finds it on the public page, without their name. Screenshots go to
/tmp/consult_*.png. The live-server test flushes the database, so the data is built here."""

import datetime

import pytest
from django.utils import timezone

from ecogov.consultations import services
from ecogov.consultations.models import Comment, Kind
from ecogov.testing import make_personas
from test_browser import browser, page_for  # noqa: F401  (the fixtures, with the CSP watch)

pytestmark = pytest.mark.browser

TITLE = "（示例）城中区餐饮油烟污染防治工作方案（征求意见稿）"
TEXT = "建议夜市烧烤统一安装油烟净化器<b>并公开检查结果</b>"


@pytest.fixture
def people(transactional_db):
    return make_personas()


def shot(page, name: str) -> None:
    page.screenshot(path=f"/tmp/consult_{name}.png", full_page=True)


def test_a_citizen_comments_from_a_phone_and_the_bureau_publishes_it(people, page_for,  # noqa: F811
                                                                     live_server):  # fmt: skip
    url = live_server.url
    consultation = services.consultation_create(
        jurisdiction=people.district, organiser=people.bureau, kind=Kind.PLAN, title=TITLE,
        summary="拟要求城区餐饮服务单位安装油烟净化设施并定期清洗。",
        body="一、适用范围\n二、主要措施", by=people.dora,
        closes_on=timezone.localdate() + datetime.timedelta(days=35),
    )  # fmt: skip
    services.consultation_open(consultation, by=people.dora)

    phone = page_for(None, mobile=True)
    phone.goto(f"{url}/public/consultations/")
    shot(phone, "list_phone")
    assert phone.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    phone.get_by_role("link", name=TITLE).first.click()
    phone.wait_for_url(f"**/public/consultations/{consultation.pk}/")
    shot(phone, "detail_phone")
    phone.click("#comment-link")
    phone.fill("#text", TEXT)
    phone.fill("#phone", "13712345678")
    shot(phone, "form_phone")
    phone.click("#comment-form button[type=submit]")
    phone.wait_for_url(f"**/public/consultations/{consultation.pk}/thanks/")
    assert "1" in phone.inner_text("#comment-number")
    shot(phone, "thanks_phone")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING

    staff = page_for(people.dora)
    staff.goto(f"{url}/consultations/{consultation.pk}/")
    assert "13712345678" in staff.inner_text("#comments")
    staff.locator("#comments form[action$='/publish/'] button").first.click()
    staff.wait_for_load_state()
    shot(staff, "staff_detail")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED

    phone.goto(f"{url}/public/consultations/{consultation.pk}/")
    phone.reload()  # the page may be kept five minutes; a reload asks again
    comments = phone.inner_text("#comments")
    assert "并公开检查结果" in comments and "<b>" in comments  # HTML shown as text
    assert "13712345678" not in phone.content()
    shot(phone, "published_phone")
