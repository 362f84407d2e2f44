"""Issue 21's "Done when" in a real browser: a key enterprise's record shows its
12-quarter strip with the violations, its cases with the penalty, its permit and its
credit grade; the dispatcher blacklists it through the form, the citizen finds it on the
public blacklist and on the enterprise's public page; a construction project for its
credit code is refused with the reason (a liaison cannot override the bar); a yellow
enterprise's credit repair is entered and approved on its score page and the public
results show it blue. Screenshots, on a desktop and on a phone, go to
/tmp/enterprises_*.png.

The pages are read in English: their msgids are asserted whether or not the Chinese
catalog has them yet. What the browser does not make (the cases and their verified
results, the permit, the published credit rating) is set up through the services."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from ecogov.assess import credit
from ecogov.assess import services as assess
from ecogov.assess.indicators import INCIDENT
from ecogov.assess.models import Bodies, Grade, Method, Repair
from ecogov.cases.models import Case, Channel, Outcome, State
from ecogov.enterprises.models import Listing, Override, Permit, Project
from ecogov.enterprises.permits import permit_save
from ecogov.org.models import Jurisdiction
from ecogov.org.services import jurisdiction_ensure
from ecogov.sources.models import SourceType
from ecogov.sources.services import source_save
from ecogov.standards.uscc import check_character
from ecogov.testing import make_personas
from test_browser import browser, page_for  # noqa: F401  (the fixtures, with the CSP watch)
from test_browser_assess import phone_shot as assess_phone_shot
from test_browser_rectification import errors as messages
from test_browser_rectification import submit

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n" + b"0" * 64
YEAR = timezone.localdate().year - 1  # the rating's year, published early this year
DECISION = f"城环黑〔{YEAR + 1}〕7号"
PENALTY = f"城环罚〔{YEAR}〕21号"


@pytest.fixture
def people(transactional_db):
    return make_personas()


def code(n: int) -> str:
    first = f"91630103MA7{n:06d}"
    return first + check_character(first)


def at(day: datetime.date, hour=10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), timezone.get_current_timezone())


def violation(people, source, n: int, outcome: str, channel=Channel.INSPECTION, amount=None):
    """A case about ``source`` whose result (a violation) the bureau verified in YEAR."""
    day = datetime.date(YEAR, 3 * n, 10)
    return Case.objects.create(
        jurisdiction=people.district, number=f"C-{YEAR}-{n:04d}", channel=channel,
        text="（虚构）夜间偷排", category="water", source=source, state=State.CLOSED,
        registered_at=at(day), outcome=outcome, penalty_amount=amount,
        decision_number=PENALTY if amount else "", verified_at=at(day, 15),
        closed_at=at(day, 16),
    )  # fmt: skip


def firm(people, n: int, name: str):
    return source_save(
        jurisdiction=people.district, type=SourceType.objects.get(name="工业企业"), name=name,
        uscc=code(n), key=True, address="（虚构）城南工业园", lon=Decimal("101.72"),
        lat=Decimal("36.52"),
    )  # fmt: skip


def published_rating(people):
    """The credit rating of YEAR, published on 1 February: the waiting time for a
    yellow grade's repair (three months) has passed."""
    scheme = assess.scheme_create(
        jurisdiction=people.district, code="credit", name="企业环境信用评价（测试）",
        period="year", bodies=Bodies.ENTERPRISES, by=people.dora, public=True, excellent=90,
        good=75, pass_mark=60,
    )  # fmt: skip
    assess.indicator_add(scheme, name="持证排污", rule="credit_permit", method=Method.RATE,
                         weight=40, by=people.dora)  # fmt: skip
    assess.indicator_add(scheme, name="行政处罚与行政命令", rule="credit_penalties",
                         method=Method.DEDUCT, weight=40, per_event=20, by=people.dora)  # fmt: skip
    assess.indicator_add(scheme, name="公众投诉", rule="credit_complaints",
                         method=Method.DEDUCT, weight=20, per_event=10, by=people.dora)  # fmt: skip
    assess.veto_add(scheme, name="未批先建", rule=INCIDENT, by=people.dora)
    result = assess.assessment_run(scheme, str(YEAR), by=people.dora,
                                   at=at(datetime.date(YEAR + 1, 1, 10)))  # fmt: skip
    assess.assessment_release(result, by=people.dora, at=at(datetime.date(YEAR + 1, 1, 12)))
    return assess.assessment_publish(result, by=people.dora, number=f"城环信〔{YEAR + 1}〕1号",
                                     at=at(datetime.date(YEAR + 1, 2, 1)))  # fmt: skip


def shot(page, name: str) -> None:
    page.screenshot(path=f"/tmp/enterprises_{name}.png", full_page=True)


def phone_shot(page_for, user, url: str, name: str) -> tuple[int, list[str]]:  # noqa: F811
    return assess_phone_shot(page_for, user, url, name, shoot=shot)


def register_project(page, url: str, uscc: str, override: str | None = None) -> None:
    page.goto(f"{url}/enterprises/projects/new/")
    form = page.locator("form.card")
    form.locator("select[name=jurisdiction]").select_option(label="总寨镇")
    form.locator("[name=name]").fill("（虚构）甲化工扩建项目")
    form.locator("[name=builder]").fill("甲化工有限公司（虚构）")
    form.locator("[name=builder_uscc]").fill(uscc)
    form.locator("select[name=eia]").select_option("pending")
    if override is not None:
        if form.locator("[name=override]").count() == 0:  # a crafted request: add the field
            form.evaluate("f => f.prepend(Object.assign(document.createElement('textarea'),"
                          " {name: 'override'}))")  # fmt: skip
        form.locator("[name=override]").fill(override)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_the_record_the_blacklist_the_barred_project_and_a_credit_repair(
    people,
    page_for,  # noqa: F811
    live_server,
    tmp_path,
):
    url = live_server.url
    today = timezone.localdate()
    red = firm(people, 1, "甲化工有限公司（虚构）")
    yellow = firm(people, 2, "乙印染有限公司（虚构）")  # no permit: the permit line is lost
    permit_save(source=red, by=people.dora, number=f"{red.uscc}001P", management=Permit.Class.KEY,
                valid_from=datetime.date(YEAR - 1, 1, 1), valid_until=today.replace(year=today.year + 3),
                pollutants=[{"factor": "w01018", "name": "化学需氧量", "limit": "100", "unit": "mg/L"}])  # fmt: skip
    fined = violation(people, red, 1, Outcome.PENALTY, amount=Decimal(50000))
    others = [violation(people, red, 2, Outcome.RECTIFIED),
              violation(people, red, 3, Outcome.RECTIFIED, channel=Channel.HOTLINE)]  # fmt: skip
    rating = published_rating(people)
    jurisdiction_ensure(name="总寨镇", level=Jurisdiction.Level.TOWNSHIP, parent=people.district)
    assert rating.scores.get(source=yellow).grade == Grade.YELLOW
    red_grade = rating.scores.get(source=red).grade

    # 1. The dispatcher reads the enterprise's record.
    dora = page_for(people.dora, language="en")
    record = f"/enterprises/sources/{red.pk}/"
    dora.goto(f"{url}{record}")
    cells = dora.locator("#strip ol li > span")
    assert cells.count() == 12
    texts = cells.all_inner_texts()
    titles = [cells.nth(i).get_attribute("title") for i in range(12)]
    bad = [(t, title) for t, title in zip(texts, titles, strict=True) if "violation" in t
           and "no violation" not in t]  # fmt: skip
    assert len(bad) == 3, texts  # one quarter each: Q1, Q2 and Q3 of YEAR
    assert all(f"{YEAR}Q" in t and "!" in t for t, _title in bad), bad
    for case in (fined, *others):  # each violation cell says which case, and why
        assert sum(case.number in title for _t, title in bad) == 1, (case.number, bad)
    assert any("50,000.00 yuan" in title for _t, title in bad), bad
    cases = dora.locator("#cases").inner_text()
    assert fined.number in cases and PENALTY in cases and "50000.00" in cases, cases
    assert all(case.number in cases for case in others)
    assert f"{red.uscc}001P" in dora.locator("#permits").inner_text()
    grade = dora.locator("#credit span.credit").first
    assert red_grade in grade.get_attribute("class") and grade.inner_text().strip()
    shot(dora, "record")
    wider = {"record": phone_shot(page_for, people.dora, f"{url}{record}", "record")}

    # 2. She blacklists it through the form, with its decision document and its cases.
    document = tmp_path / "黑名单决定书.pdf"
    document.write_bytes(PDF)
    dora.goto(f"{url}/enterprises/blacklist/new/")
    form = dora.locator("form.card")
    form.locator("[name=uscc]").fill(red.uscc)
    form.locator("[name=name]").fill(red.name)
    form.locator("select[name=source]").select_option(str(red.pk))
    form.locator("select[name=ground]").select_option(Listing.Ground.REPEATED)
    form.locator("[name=grounds]").fill("（虚构）一年内三次违法排放被查处。")
    form.locator("[name=cases]").fill("\n".join(c.number for c in [fined, *others]))
    form.locator("[name=decision_number]").fill(DECISION)
    form.locator("input[name=document]").set_input_files(str(document))
    shot(dora, "listing_form")
    with dora.expect_navigation():
        form.locator("button[type=submit]").click()
    listing = Listing.objects.get(uscc=red.uscc)
    assert dora.url.endswith(listing.get_absolute_url()), messages(dora)
    assert listing.cases.count() == 3 and listing.published and listing.document_kind == "pdf"
    assert DECISION in dora.locator("main").inner_text()
    shot(dora, "listing")

    # The citizen sees it on the portal's blacklist and on the enterprise's public page.
    citizen = page_for(language="en")
    citizen.goto(f"{url}/public/blacklist/")
    entry = citizen.locator("section.card", has_text=red.name)
    assert DECISION in entry.inner_text() and red.uscc in entry.inner_text()
    assert listing.bar_until.isoformat() in entry.inner_text()
    shot(citizen, "public_blacklist")
    citizen.goto(f"{url}/public/enterprises/{red.pk}/")
    status = citizen.locator(".public-status").inner_text()
    assert "On the environmental blacklist" in status and DECISION in status
    shot(citizen, "public_enterprise")

    # 3. A construction project for the same credit code is refused with the reason;
    # nothing is registered.
    register_project(dora, url, red.uscc)
    refusal = dora.locator("#refusal").inner_text()
    assert DECISION in refusal and listing.bar_until.isoformat() in refusal, refusal
    assert "blacklist" in refusal
    assert not Project.objects.exists()
    shot(dora, "project_refused")
    # The construction bureau's liaison may register projects but not override the bar:
    # his form has no place for it, and a reason slipped into the request is refused.
    liam = page_for(people.liam, language="en")
    liam.goto(f"{url}/enterprises/projects/new/")
    assert liam.locator("[name=override]").count() == 0
    register_project(liam, url, red.uscc, override="（虚构）市重点项目")
    assert "Only the bureau's dispatcher may override" in liam.locator("#refusal").inner_text()
    assert not Project.objects.exists() and not Override.objects.exists()
    # The dispatcher overrides it with a reason: registered, the override recorded.
    register_project(dora, url, red.uscc, override="（虚构）市政府批准的民生保障项目")
    project = Project.objects.get()
    assert dora.url.endswith(project.get_absolute_url()), messages(dora)
    assert project.override.listing == listing and "民生保障" in project.override.reason
    dora.goto(f"{url}{record}")
    assert "民生保障" in dora.locator("#blacklist").inner_text()

    # 4. The yellow enterprise's credit repair, entered and approved on its score page.
    score = rating.scores.get(source=yellow)
    evidence = tmp_path / "整改报告.pdf"
    evidence.write_bytes(PDF)
    dora.goto(f"{url}{score.get_absolute_url()}")
    assert "Credit repair" in dora.locator("#repair h2").inner_text()
    submit(dora, "repair", fields={"text": "（虚构）已申领排污许可证并按证排污。"},
           files={"files": evidence})  # fmt: skip
    repair = Repair.objects.get(score=score)
    assert repair.state == Repair.State.PENDING, messages(dora)
    submit(dora, "repair_decide", fields={"reason": "（虚构）现场核查已整改到位。"},
           selects={"decision": "approve"})  # fmt: skip
    repair.refresh_from_db()
    assert repair.state == Repair.State.APPROVED, messages(dora)
    assert "raised by credit repair" in dora.locator("main").inner_text()
    shot(dora, "repair")

    # The public results and the enterprise's public page show it blue.
    citizen.goto(f"{url}/public/assessments/{rating.pk}/")
    row = citizen.locator("table.ranking tr", has_text=yellow.name)
    assert row.locator("span.credit.blue").count() == 1
    assert "raised by credit repair" in row.inner_text()
    shot(citizen, "public_results")
    citizen.goto(f"{url}/public/enterprises/{yellow.pk}/")
    assert citizen.locator(".public-status span.credit.blue").count() == 1
    assert credit.standing(score.__class__.objects.get(pk=score.pk)) == Grade.BLUE

    wider.update({
        name: phone_shot(page_for, user, f"{url}{path}", name)
        for name, user, path in [
            ("listing", people.dora, listing.get_absolute_url()),
            ("project_form", people.dora, "/enterprises/projects/new/"),
            ("score", people.dora, score.get_absolute_url()),
            ("public_blacklist", None, "/public/blacklist/"),
            ("public_enterprise", None, f"/public/enterprises/{red.pk}/"),
            ("public_results", None, f"/public/assessments/{rating.pk}/"),
        ]
    })  # fmt: skip
    assert all(width <= 1 for width, _boxes in wider.values()), wider
    print("wider than the phone:", wider)
