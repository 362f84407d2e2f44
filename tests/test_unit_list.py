"""The member units list: its numbers and its liaison column, read from where the unit's
page reads them, in a bounded number of queries."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ecogov.accounts.models import Role
from ecogov.org.services import unit_create
from ecogov.testing import make_person


def row_of(page: str, name: str) -> str:
    return re.search(rf"<tr><td[^>]*>[^<]*</td><td><a [^>]*>{name}</a>.*?</tr>", page, re.S).group()


def test_the_list_shows_the_liaison_the_units_page_shows(personas, client_for):
    dora = client_for(personas.dora)
    listed = row_of(dora.get("/units/").content.decode(), "区城乡建设局")
    assert "Liam 联络员" in listed
    page = dora.get(personas.construction.get_absolute_url()).content.decode()
    contact = re.search(r"<dt>联络员</dt><dd>(.*?)</dd>", page).group(1)
    assert "Liam 联络员" in contact and "13800000001" in contact


def test_a_liaison_written_on_the_unit_is_shown_first(personas, client_for):
    personas.construction.liaison = "张三"
    personas.construction.save()
    listed = row_of(client_for(personas.dora).get("/units/").content.decode(), "区城乡建设局")
    assert "张三" in listed and "Liam" not in listed


def test_the_list_makes_the_same_number_of_queries_however_many_units(personas, client_for):
    dora = client_for(personas.dora)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert dora.get("/units/").status_code == 200
        return len(captured)

    before = queries()
    for n in range(5):
        unit = unit_create(jurisdiction=personas.district, name=f"区测试局{n}", by=personas.ada)
        make_person(f"liaison{n}", Role.LIAISON, unit, name=f"联络员{n}")
    assert queries() == before


def test_a_unit_registered_by_hand_is_numbered_after_the_last(personas, client_for):
    unit = unit_create(jurisdiction=personas.district, name="区测试局", by=personas.ada)
    assert unit.order == 24  # the sample's duty list numbers its 23 units
    listed = row_of(client_for(personas.dora).get("/units/").content.decode(), "区测试局")
    assert listed.startswith('<tr><td class="wide-only">24</td>')


def test_a_liaison_sees_no_other_units_liaison_in_the_list(personas, client_for):
    page = client_for(personas.liam).get("/units/").content.decode()
    assert "Liam 联络员" in row_of(page, "区城乡建设局")
    assert "Lily" not in page  # the health bureau's liaison: people of another unit
