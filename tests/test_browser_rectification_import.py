"""A problem list imported in a real browser (issue 19, "Done when": a list is
imported): the dispatcher uploads the list, sees the unknown unit, maps it, checks
again and imports."""

import pytest

from ecogov.rectification.models import Batch, Origin
from ecogov.testing import make_personas
from test_browser import browser, page_for, shot  # noqa: F401  (the fixtures, with the CSP watch)
from test_rectification_import import FILM, film_list

pytestmark = pytest.mark.browser


@pytest.fixture
def people(transactional_db):
    return make_personas()


def test_the_dispatcher_imports_a_list_mapping_an_unknown_unit(
    people,
    page_for,  # noqa: F811
    live_server,
    tmp_path,
):
    path = tmp_path / "警示片问题整改清单.xlsx"
    path.write_bytes(film_list())
    page = page_for(people.dora)
    page.goto(f"{live_server.url}/rectification/import/")
    page.set_input_files("input[name=file]", str(path))
    page.fill("input[name=title]", FILM)
    page.fill("input[name=received_on]", "2026-11-20")
    shot(page, "rectification-import-form")
    page.click("button.primary")
    page.wait_for_selector("select[name=map_0]")
    assert "区水利局" in page.content()
    assert page.locator("button[value=import]").count() == 0
    page.select_option("select[name=map_0]", label="区生态环境局")
    page.click("button[value=preview]")
    page.wait_for_selector("button[value=import]")
    shot(page, "rectification-import-preview")
    assert not Batch.objects.filter(title=FILM).exists()
    page.click("button[value=import]")
    page.wait_for_url(f"{live_server.url}/rectification/batches/*/")
    batch = Batch.objects.get(title=FILM)
    assert batch.origin == Origin.WARNING_FILM and batch.problems.count() == 2
