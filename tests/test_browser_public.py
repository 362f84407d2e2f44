"""Issue 22's "done when" in a real browser: a newcomer without an account, on a phone,
starts at the portal's hub (/public/) and, only by clicking the links a person sees (the
link bar and the hub's lists), finds today's air quality, the river section's class
against the plan's goal, the last penalty decision and an open consultation, to which
they send an anonymous comment. No page is wider than the phone and none breaks the
Content-Security-Policy (``page_for`` fails then). Screenshots, one per step, go to
var/screenshots/public/.

The live-server test flushes the database, so the data is built here, small: three days
and today of hourly readings for one air station and one river section (PM2.5 55 and
PM10 50 → daily AQI 75, 良; NH3-N 0.55 and TP 0.11 → class III), the sample plan's
六一桥 target fed by the section with a class III goal, a closed case with a penalty
decision, and the sample consultations (one open, one answered). The pages are asserted on data (numbers, names,
classes), which do not depend on whether the Chinese catalog has the new strings yet."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from ecogov.cases.models import Case, Channel, Outcome, State
from ecogov.consultations.models import Comment, Commenter, Consultation
from ecogov.consultations.sample import OPEN_TITLE as TITLE
from ecogov.consultations.sample import consultations_sample_load
from ecogov.monitoring.models import Factor, Period, Point, Reading, TargetFeed
from ecogov.monitoring.stats import feeds_run
from ecogov.plans.models import Target
from ecogov.plans.sample import plans_sample_load
from ecogov.sources.models import SourceType
from ecogov.sources.services import source_save
from ecogov.standards.uscc import check_character
from ecogov.testing import make_personas
from test_browser import SHOTS, browser, page_for  # noqa: F401  (the fixtures, with the CSP watch)

pytestmark = pytest.mark.browser

STATION = "示例城区空气站"
SECTION = "示例六一桥断面"
FIRM = "（示例）城南化工有限公司"
DECISION = "城环罚〔{year}〕33号"
AMOUNT = Decimal("125000")
COMMENT = "建议公开油烟净化器的清洗记录。"
PHONE_WIDTH = 390


@pytest.fixture
def people(transactional_db):
    cache.clear()  # the public pages are cached; another test's pages must not answer
    yield make_personas()
    cache.clear()


def _point(people, kind, name, mn, codes) -> Point:
    point = Point.objects.create(jurisdiction=people.district, kind=kind, name=name, mn=mn,
                                 password=f"pw-{mn[-4:]}")  # fmt: skip
    unit = "μg/m³" if kind == Point.Kind.AIR_STATION else "mg/L"
    for code in codes:
        Factor.objects.create(point=point, code=code, unit=unit)
    return point


def _hours(point, start: datetime.datetime, end: datetime.datetime, values: dict) -> None:
    """Hourly readings from ``start`` to before ``end`` around the given means (± 1 %
    alternating, so the daily means stay put)."""
    rows, hour = [], 0
    while start + datetime.timedelta(hours=hour) < end:
        for code, mean in values.items():
            value = Decimal(mean) * (Decimal("1.01") if hour % 2 else Decimal("0.99"))
            rows.append(Reading(point=point, code=code, period=Period.HOUR, flag="N", valid=True,
                                time=start + datetime.timedelta(hours=hour), value=value))  # fmt: skip
        hour += 1
    Reading.objects.bulk_create(rows)


def quality_data(people) -> tuple[Point, Point]:
    now = timezone.localtime()
    start = timezone.make_aware(datetime.datetime.combine(
        now.date() - datetime.timedelta(days=3), datetime.time.min))  # fmt: skip
    last_hour = now.replace(minute=0, second=0, microsecond=0)
    air = _point(people, Point.Kind.AIR_STATION, STATION, "63010300000991", ["a34004", "a34002"])
    _hours(air, start, last_hour, {"a34004": "55", "a34002": "50"})
    river = _point(people, Point.Kind.WATER_SECTION, SECTION, "63010300000992",
                   ["w21003", "w21011"])  # fmt: skip
    _hours(river, start, last_hour, {"w21003": "0.55", "w21011": "0.11"})
    plans_sample_load()
    target = Target.objects.get(plan__jurisdiction=people.district, indicator__contains="六一桥")
    TargetFeed.objects.create(target=target, point=river, metric=TargetFeed.Metric.WATER_CLASS,
                              goal=3)  # fmt: skip
    assert feeds_run() == 1  # what the daily task does: the target's value of the year
    return air, river


def penalty_case(people) -> Case:
    first = "91630103MA7000933"
    firm = source_save(
        jurisdiction=people.district, type=SourceType.objects.get(name="工业企业"), name=FIRM,
        uscc=first + check_character(first), key=True, address="（虚构）城南工业园",
        lon=Decimal("101.72"), lat=Decimal("36.52"),
    )  # fmt: skip
    closed = timezone.now() - datetime.timedelta(days=5)
    return Case.objects.create(
        jurisdiction=people.district, number=f"C-{closed.year}-0933", channel=Channel.INSPECTION,
        text="（虚构）夜间偷排", category="water", source=firm, lead=people.bureau,
        state=State.CLOSED, registered_at=closed - datetime.timedelta(days=30),
        outcome=Outcome.PENALTY, penalty_amount=AMOUNT,
        decision_number=DECISION.format(year=closed.year), verified_at=closed, closed_at=closed,
    )  # fmt: skip


def step(page, name: str) -> str:
    """The page fits the phone; its screenshot; its visible text."""
    page.wait_for_load_state()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    (SHOTS / "public").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "public" / f"{name}.png"), full_page=True)
    assert width <= PHONE_WIDTH, f"{name}: the page is {width}px wide on a {PHONE_WIDTH}px phone"
    return page.inner_text("main") if page.locator("main").count() else page.inner_text("body")


def follow(page, selector: str, url_pattern: str) -> None:
    page.locator(selector).first.click()
    page.wait_for_url(url_pattern)


def test_a_newcomer_finds_the_air_the_river_the_penalties_and_comments_on_a_phone(
    people,
    page_for,  # noqa: F811
    live_server,
):
    air, river = quality_data(people)
    case = penalty_case(people)
    consultations_sample_load(people.district)  # one open for 30 more days, one answered
    consultation = Consultation.private_objects.get(title=TITLE)

    phone = page_for(None, mobile=True)
    phone.goto(f"{live_server.url}/public/")
    text = step(phone, "1-hub")
    assert phone.locator("html").get_attribute("lang") == "zh-hans"
    assert "信息公开" in phone.locator("h1").inner_text()
    assert phone.locator("p.crumbs a").count() >= 6

    # Today's air quality, from the link bar.
    follow(phone, "p.crumbs a[href='/public/quality/']", "**/public/quality/")
    text = step(phone, "2-quality")
    card = phone.locator("article.station", has_text=STATION).inner_text()
    assert "AQI" in card and "良" in card  # the latest hour's AQI, level 2
    assert "75 良" in card  # yesterday's daily AQI
    section = phone.locator("article.section", has_text=SECTION).inner_text()
    assert "III" in section  # this month's class, and the plan's goal, class III

    # The station's own page, by its name.
    follow(phone, f"article.station h3 a:text('{STATION}')", f"**/public/quality/air/{air.pk}/")
    text = step(phone, "3-air-station")
    assert STATION in phone.locator("h1").inner_text() and "良" in text

    # The river section's class against its goal.
    follow(phone, "p.crumbs a[href='/public/quality/']", "**/public/quality/")
    follow(phone, f"article.section h3 a:text('{SECTION}')",
           f"**/public/quality/water/{river.pk}/")  # fmt: skip
    text = step(phone, "4-river-section")
    goal = phone.locator("#goal").inner_text()
    assert "III" in goal and phone.locator("#goal .tstatus.met").count() == 1
    assert phone.locator("#months .tstatus.off_track").count() == 0
    assert "III" in phone.locator(".t-list").inner_text()  # the target fed by the section

    # The last penalties, from the hub.
    follow(phone, "p.crumbs a[href='/public/']", "**/public/")
    follow(phone, ".hub a[href='/public/penalties/']", "**/public/penalties/")
    text = step(phone, "5-penalties")
    first = phone.locator("table tbody tr").first.inner_text()
    assert FIRM in first and case.decision_number in first
    assert "125,000" in first or "125000" in first, first

    # An open consultation, from the link bar; an anonymous comment.
    follow(phone, "p.crumbs a[href='/public/consultations/']", "**/public/consultations/")
    text = step(phone, "6-consultations")
    listed = phone.locator("section.consultation.open", has_text=TITLE).inner_text()
    assert "31" in listed  # days left, today and the last day included
    follow(phone, f"section.consultation.open h3 a:text('{TITLE}')",
           f"**/public/consultations/{consultation.pk}/")  # fmt: skip
    text = step(phone, "7-consultation")
    assert "31" in phone.locator("p.small strong").inner_text()
    follow(phone, "#comment-link", f"**/public/consultations/{consultation.pk}/comment/")
    phone.fill("#text", COMMENT)
    text = step(phone, "8-comment-form")
    phone.click("#comment-form button[type=submit]")
    phone.wait_for_url(f"**/public/consultations/{consultation.pk}/thanks/")
    text = step(phone, "9-thanks")
    assert "5" in phone.inner_text("#comment-number")  # after the sample's four
    comment = Comment.objects.get(text=COMMENT)
    assert comment.number == 5 and comment.status == Comment.Status.PENDING
    assert not Commenter.objects.filter(comment=comment).exists()  # anonymous

    # Back on the consultation, the comment waits to be read: not published yet.
    follow(phone, f"a[href='/public/consultations/{consultation.pk}/']",
           f"**/public/consultations/{consultation.pk}/")  # fmt: skip
    step(phone, "10-back")
    assert COMMENT not in phone.inner_text("#comments")
