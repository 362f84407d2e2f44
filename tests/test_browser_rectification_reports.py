"""The rectification reports in a real browser: the leader's progress page draws its
burn-down with the vendored ECharts under the Content-Security-Policy, and the public
list reads as cards on a phone."""

import datetime

import pytest
from django.utils import timezone

from ecogov.rectification import services
from ecogov.rectification.services import MeasureInput
from ecogov.testing import make_personas
from test_browser import browser, page_for, shot  # noqa: F401  (the fixtures, with the CSP watch)
from test_rectification_reports import days, make_batch, make_problem, pdf, publicise

pytestmark = pytest.mark.browser


def ago(n: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=n)


def closed_weeks_ago(people, problem, weeks: int):
    """The whole life, weeks ago: reported done, accepted, signed off, publicised five
    days, closed out."""
    at = ago(7 * weeks + 10)
    for measure in problem.measures.all():
        who = people.liam if measure.unit == people.construction else people.lily
        services.measure_report(measure, text="已完成", done=True, by=who, at=at)
    services.acceptance_apply(problem, text="自查报告", by=people.liam, at=at)
    services.acceptance_decide(problem, accept=True, note="属实", by=people.dora, at=at)
    services.sign_off(problem, by=people.lena, at=at)
    return services.close_out(problem, files=[pdf()], by=people.dora, at=ago(7 * weeks))


@pytest.fixture
def people(transactional_db):
    return make_personas()


def test_the_burn_down_and_the_public_list(people, page_for, live_server):  # noqa: F811
    batch = make_batch(people)
    make_problem(people, batch, "（虚构）问题一：河道两岸垃圾堆放")
    publicise(people, make_problem(people, batch, "（虚构）问题二：渣土运输遗撒"))
    relapsed = closed_weeks_ago(people, make_problem(people, batch, "（虚构）问题三：露天焚烧"), 5)
    closed_weeks_ago(people, make_problem(people, batch, "（虚构）问题四：砂石料场扬尘"), 3)
    lookback = services.lookback_pick(relapsed, by=people.dora, due=days(-8))
    services.lookback_record(lookback, relapsed=True, note="复查发现再次焚烧",
                             deadline=days(40), by=people.dora, at=ago(8))  # fmt: skip
    make_problem(people, batch, "（虚构）问题五：医疗废物暂存不规范", lead=people.health,
                 measures=[MeasureInput("规范暂存间", people.health, days(-5))], deadline=days(10))  # fmt: skip

    lena = page_for(people.lena)
    lena.goto(f"{live_server.url}/rectification/batches/{batch.pk}/progress/")
    lena.wait_for_selector("#burndown-chart[data-ready=true]")
    assert lena.locator("#burndown-chart canvas").count() == 1
    assert lena.locator("#figure-total strong").inner_text() == "5"
    assert lena.locator("#figure-behind strong").inner_text() == "1"
    shot(lena, "rectification-progress")

    citizen = page_for(mobile=True)
    citizen.goto(f"{live_server.url}/public/rectification/")
    assert "正在公示" in citizen.content() and "张某某" not in citizen.content()
    # On a phone the table's rows are cards: the header is hidden, each cell labelled.
    assert not citizen.locator("table.stack thead").first.is_visible()
    shot(citizen, "rectification-public-phone")
