"""Issue 20 in a real browser: the bureau draws a scheme up (two indicators whose weights
make 100), puts it in force and computes the year; a unit's score shows the late cases
behind its lost points; a case's finish is corrected in the record and the result computed
again changes; the result is released, the unit objects with evidence, the bureau
accepts with new points and the line shows it; the result is published and its Word
notice read. Screenshots of the pages, on a desktop and on a phone, go to /tmp/assess_*.png.

The pages are read in English: their msgids are asserted whether or not the Chinese
catalog has them yet."""

import datetime
import io

import docx
import pytest
from django.utils import timezone

from ecogov.assess import documents
from ecogov.assess.models import Assessment, Line, Objection, Scheme
from ecogov.cases import services as cases
from ecogov.cases.models import Case, Channel
from ecogov.testing import make_personas
from test_browser import browser, page_for  # noqa: F401  (the fixtures, with the CSP watch)
from test_browser_rectification import errors as messages
from test_browser_rectification import submit
from test_walkthrough import SCROLLING_BOXES

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n" + b"0" * 64
NAME = "Member units' yearly assessment (test)"


@pytest.fixture
def people(transactional_db):
    return make_personas()


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), timezone.get_current_timezone())


def led_case(people, due: datetime.date, late_days: int) -> Case:
    """A case the construction bureau led, finished ``late_days`` after its deadline."""
    case = cases.case_register(
        jurisdiction=people.district, channel=Channel.HOTLINE, category="water",
        text="（虚构示例）排洪渠黑臭。", address="城中区杨家湾", lead=people.construction,
        by=people.dora,
    )  # fmt: skip
    Case.objects.filter(pk=case.pk).update(
        finish_due=due, reported_at=at(due + datetime.timedelta(days=late_days))
    )
    return Case.objects.get(pk=case.pk)


def shot(page, name: str) -> None:
    page.screenshot(path=f"/tmp/assess_{name}.png", full_page=True)


def phone_shot(page_for, user, url: str, name: str, shoot=shot) -> tuple[int, list[str]]:  # noqa: F811
    """The page on a 390 px phone (its screenshot taken by ``shoot``): how many pixels it
    is wider than the screen, and the boxes inside it that scroll sideways."""
    phone = page_for(user, language="en", mobile=True)
    phone.goto(url)
    shoot(phone, f"{name}_phone")
    wider = phone.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    return wider, phone.evaluate(SCROLLING_BOXES)


def test_a_scheme_from_drawing_up_to_the_published_notice(people, page_for, live_server,  # noqa: F811
                                                          tmp_path):  # fmt: skip
    url = live_server.url
    year = timezone.localdate().year
    first = led_case(people, datetime.date(year, 1, 15), late_days=6)
    second = led_case(people, datetime.date(year, 2, 16), late_days=3)

    # The bureau draws the scheme up in the browser and puts it in force.
    dora = page_for(people.dora, language="en")
    dora.goto(f"{url}/assess/")
    submit(dora, "new", fields={"name": NAME, "code": "units-year"},
           selects={"period": "year", "bodies": "units"}, checks=["public"])  # fmt: skip
    scheme = Scheme.objects.get(code="units-year")
    assert dora.url.endswith(scheme.get_absolute_url()), messages(dora)
    submit(dora, "indicator", fields={"name": "Cases finished on time", "weight": "60"},
           selects={"rule": "cases_finished_on_time", "method": "rate"})  # fmt: skip
    submit(dora, "indicator",
           fields={"name": "Cases reopened", "weight": "40", "per_event": "10"},
           selects={"rule": "reopened_or_dissatisfied", "method": "deduct"})  # fmt: skip
    assert scheme.indicators.count() == 2, messages(dora)
    assert "100.00 / 100.00" in dora.locator("table").first.inner_text()
    shot(dora, "scheme")
    submit(dora, "activate")
    scheme.refresh_from_db()
    assert scheme.state == Scheme.State.ACTIVE, messages(dora)
    submit(dora, "run", fields={"period": str(year)})
    assessment = Assessment.objects.get(scheme=scheme)
    assert dora.url.endswith(assessment.get_absolute_url()), messages(dora)
    assert assessment.period == str(year) and assessment.state == Assessment.State.DRAFT
    ranking = dora.locator("table.ranking")
    assert ranking.locator("tr", has_text="区城乡建设局").locator("strong").inner_text() == "40.00"
    shot(dora, "ranking")

    # The construction bureau's drill-down: both late cases, each with the points it cost.
    with dora.expect_navigation():
        ranking.locator("a", has_text="区城乡建设局").click()
    score = assessment.scores.get(unit=people.construction)
    line = Line.objects.get(score=score, indicator__rule="cases_finished_on_time")
    section = dora.locator(f"#line-{line.pk}")
    traces = section.locator("table.traces").inner_text()  # written in the district's language
    assert first.number in traces and "逾期6天" in traces and "-30.00" in traces
    assert second.number in traces and "逾期3天" in traces
    assert dora.locator("strong.big").inner_text() == "40.00"
    assert section.locator(f"a[href='{first.get_absolute_url()}']").count() == 1
    shot(dora, "score")

    # The record is corrected (the second case was reported on time); computed again, the
    # unit's score changes.
    Case.objects.filter(pk=second.pk).update(reported_at=at(second.finish_due))
    dora.goto(f"{url}{assessment.get_absolute_url()}")
    submit(dora, "recompute")
    dora.goto(f"{url}{score.get_absolute_url()}")
    line = Line.objects.get(score=score, indicator__rule="cases_finished_on_time")
    section = dora.locator(f"#line-{line.pk}")
    traces = section.locator("table.traces").inner_text()  # written in the district's language
    assert first.number in traces and second.number not in traces
    assert "30.00 / 60.00" in section.locator("h2").inner_text()
    assert dora.locator("strong.big").inner_text() == "70.00"

    dora.goto(f"{url}{assessment.get_absolute_url()}")
    submit(dora, "release")
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.RELEASED, messages(dora)

    # The unit's liaison objects to the line with a file of evidence.
    evidence = tmp_path / "延期批复.pdf"
    evidence.write_bytes(PDF)
    liam = page_for(people.liam, language="en")
    liam.goto(f"{url}{score.get_absolute_url()}")
    liam.locator(f"#line-{line.pk} summary").click()  # the line's form comes first
    submit(liam, "object", fields={"text": "The first case's delay was approved.",
                                   "points": "60"}, files={"files": evidence})  # fmt: skip
    objection = Objection.objects.get(line=line)
    assert objection.state == Objection.State.PENDING, messages(liam)

    # The bureau accepts it with other points: the line shows the change.
    dora.goto(f"{url}{score.get_absolute_url()}")
    submit(dora, "decide", fields={"points": "55", "reason": "Approved in part."},
           selects={"decision": "accept"})  # fmt: skip
    objection.refresh_from_db()
    assert objection.state == Objection.State.ACCEPTED, messages(dora)
    section = dora.locator(f"#line-{line.pk}")
    assert "55.00 / 60.00" in section.locator("h2").inner_text()
    assert "computed 30.00, changed after an objection" in section.inner_text()
    assert dora.locator("strong.big").inner_text() == "95.00"
    dora.goto(f"{url}{assessment.get_absolute_url()}")
    row = dora.locator("table.ranking tr", has_text="区城乡建设局")
    assert "55.00 *" in row.inner_text()

    # The window for objections passes: objections_until is set to yesterday in the
    # database (rather than waiting five working days), then the bureau publishes.
    Assessment.objects.filter(pk=assessment.pk).update(
        objections_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    dora.goto(f"{url}{assessment.get_absolute_url()}")
    submit(dora, "publish", fields={"number": f"城环考〔{year}〕1号"})
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.PUBLISHED, messages(dora)

    # The Word notice.
    with dora.expect_download() as download:
        dora.locator("a[href$='notice.docx']").click()
    notice = docx.Document(io.BytesIO(download.value.path().read_bytes()))
    text = "\n".join(p.text for p in notice.paragraphs)
    text += "\n".join(c.text for t in notice.tables for r in t.rows for c in r.cells)
    assert documents.notice_title(assessment) in text and "区城乡建设局" in text

    # The portal's ranking and the leaders' page.
    citizen = page_for(language="en")
    citizen.goto(f"{url}/public/assessments/")
    with citizen.expect_navigation():
        citizen.locator("a", has_text=NAME).first.click()
    assert "区城乡建设局" in citizen.locator("table").inner_text()
    shot(citizen, "public")
    liam.goto(f"{url}/assess/")
    assert liam.locator("a[href='/assess/behind/']").count() == 0  # not the units' page
    lena = page_for(people.lena, language="en")
    lena.goto(f"{url}/assess/")
    with lena.expect_navigation():
        lena.locator("a[href='/assess/behind/']").click()
    assert lena.locator("h1").count() == 1
    shot(lena, "behind")

    wider = {
        name: phone_shot(page_for, user, f"{url}{path}", name)
        for name, user, path in [
            ("scheme", people.dora, scheme.get_absolute_url()),
            ("ranking", people.dora, assessment.get_absolute_url()),
            ("score", people.liam, score.get_absolute_url()),
            ("behind", people.lena, "/assess/behind/"),
            ("public", None, f"/public/assessments/{assessment.pk}/"),
        ]
    }  # fmt: skip
    # Nothing is wider than the phone; the rankings show rank, body, score and grade
    # without scrolling (the indicators' columns are for wide screens).
    assert all(width <= 1 for width, _boxes in wider.values()), wider
    assert wider["ranking"][1] == wider["public"][1] == [], wider
    print("wider than the phone:", wider)
