"""The rectification reports in a real browser: the leader's progress page draws its
burn-down with the vendored ECharts under the Content-Security-Policy, and the public
list reads as cards on a phone."""

import pytest

from ecogov.rectification import services
from ecogov.testing import make_personas
from test_browser import browser, page_for, shot  # noqa: F401  (the fixtures, with the CSP watch)
from test_rectification_reports import LATER, close, days, make_batch, make_problem, publicise

pytestmark = pytest.mark.browser


@pytest.fixture
def people(transactional_db):
    return make_personas()


def test_the_burn_down_and_the_public_list(people, page_for, live_server):  # noqa: F811
    batch = make_batch(people)
    make_problem(people, batch, "（虚构）问题一：河道两岸垃圾堆放")
    publicise(people, make_problem(people, batch, "（虚构）问题二：渣土运输遗撒"))
    relapsed = close(people, make_problem(people, batch, "（虚构）问题三：露天焚烧"))
    close(people, make_problem(people, batch, "（虚构）问题四：砂石料场扬尘"))
    lookback = services.lookback_pick(relapsed, by=people.dora, due=days(30))
    services.lookback_record(lookback, relapsed=True, note="复查发现再次焚烧",
                             deadline=days(40), by=people.dora, at=LATER)  # fmt: skip

    lena = page_for(people.lena)
    lena.goto(f"{live_server.url}/rectification/batches/{batch.pk}/progress/")
    lena.wait_for_selector("#burndown-chart[data-ready=true]")
    assert lena.locator("#burndown-chart canvas").count() == 1
    assert lena.locator("#figure-total strong").inner_text() == "4"
    shot(lena, "rectification-progress")

    citizen = page_for(mobile=True)
    citizen.goto(f"{live_server.url}/public/rectification/")
    assert "正在公示" in citizen.content() and "张某某" not in citizen.content()
    # On a phone the table's rows are cards: the header is hidden, each cell labelled.
    assert not citizen.locator("table.stack thead").first.is_visible()
    shot(citizen, "rectification-public-phone")
