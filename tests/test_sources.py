"""The pollution-source base: validation, grids derived from locations, who keeps what, Excel."""

import io
import re
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from ecogov import access
from ecogov.access import CHANGE
from ecogov.accounts.models import Role
from ecogov.sources import views as source_views
from ecogov.sources.models import Source, SourceType
from ecogov.sources.sample import sources_sample_load
from ecogov.sources.services import HEADER, source_save, sources_import, sources_workbook
from ecogov.testing import make_person


@pytest.fixture
def sources(personas):
    sources_sample_load(personas.district)
    return Source.objects.filter(jurisdiction=personas.district)


def restaurant():
    return SourceType.objects.get(code="restaurant")


def test_the_sample_sources_sit_in_level_3_grids(sources):
    assert sources.count() == 32
    assert set(sources.values_list("grid__level", flat=True)) == {3}


def test_a_wrong_credit_code_is_refused_and_a_right_one_normalized(personas):
    with pytest.raises(ValidationError) as error:
        source_save(
            jurisdiction=personas.district, type=restaurant(), name="甲", uscc="91350100M000100Y44"
        )
    assert "check character should be 3" in str(error.value)
    saved = source_save(
        jurisdiction=personas.district, type=restaurant(), name="乙", uscc=" 91350100m000100y43"
    )
    assert saved.uscc == "91350100M000100Y43"


def test_the_grid_follows_the_location(personas):
    source = source_save(
        jurisdiction=personas.district,
        type=restaurant(),
        name="丙",
        lon=Decimal("101.72"),
        lat=Decimal("36.52"),
    )
    assert source.grid.name == "总寨镇第1网格"
    source = source_save(
        source=source, jurisdiction=personas.district, lon=Decimal("101.71"), lat=Decimal("36.62")
    )
    assert source.grid.name == "人民街街道第3网格"
    with pytest.raises(ValidationError):
        source_save(source=source, jurisdiction=personas.district, lon=Decimal("101.7"), lat=None)


def test_who_sees_and_keeps_which_sources(sources, personas):
    township_liaison = make_person("tina", Role.LIAISON, personas.township, name="Tina 镇联络员")
    in_township = sources.filter(grid__parent__name="总寨镇")
    assert set(access.scope(township_liaison, Source)) == set(in_township)
    assert set(access.scope(township_liaison, Source, CHANGE)) == set(in_township)
    assert set(access.scope(personas.gary, Source)) == set(in_township)
    assert not access.scope(personas.gary, Source, CHANGE).exists()
    assert access.scope(personas.dora, Source, CHANGE).count() == 32
    assert not access.scope(personas.liam, Source).exists()  # 区城乡建设局 keeps no grid
    assert not access.scope(personas.oscar, Source).exists()


def test_excel_round_trip_changes_nothing_and_bad_rows_are_named(sources, personas):
    data = sources_workbook(sources.select_related("type"))
    sheet = load_workbook(io.BytesIO(data)).active
    assert tuple(cell.value for cell in sheet[1]) == HEADER
    history = Source.history.count()
    result = sources_import(data=data, jurisdiction=personas.district)
    assert result.created == [] and result.updated == [] and result.unchanged == 32
    assert Source.history.count() == history
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    sheet.append(["新餐馆", "餐饮单位", "91350100M000100Y44", "", 101.72, 36.52, "否", "运行", ""])
    sheet.append(["新工地", "不存在的类型", "", "", "", "", "否", "运行", ""])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ValidationError) as error:
        sources_import(data=out.getvalue(), jurisdiction=personas.district)
    messages = " ".join(error.value.messages)
    assert "第 34 行" in messages and "第 35 行" in messages
    assert not Source.objects.filter(name__in=["新餐馆", "新工地"]).exists()


def test_a_township_cannot_import_sources_outside_its_grids(sources, personas, client_for):
    township_liaison = make_person("tina", Role.LIAISON, personas.township, name="Tina 镇联络员")
    book = load_workbook(io.BytesIO(sources_workbook([])))
    book.active.append(["城里新店", "餐饮单位", "", "", 101.71, 36.62, "否", "运行", ""])
    out = io.BytesIO()
    book.save(out)
    out.name = "sources.xlsx"
    client = client_for(township_liaison)
    client.get("/")
    response = client.post(
        "/sources/import/", {"file": out, "csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    )
    assert response.status_code == 302
    assert not Source.objects.filter(name="城里新店").exists()


def test_source_pages(sources, personas, client_for):
    source = sources.filter(grid__parent__name="总寨镇").first()
    page = client_for(personas.gary).get(source.get_absolute_url()).content.decode()
    assert source.name in page and "总寨镇" in page
    other = sources.exclude(grid__parent__name="总寨镇").first()
    assert client_for(personas.gary).get(other.get_absolute_url()).status_code == 404
    listing = client_for(personas.dora).get("/sources/?type=restaurant").content.decode()
    assert "示例1号餐饮店" in listing and "示例1号工业企业" not in listing
    export = client_for(personas.dora).get("/sources/export.xlsx")
    assert export.status_code == 200


def test_an_account_without_a_unit_cannot_import_into_a_guessed_district(
    sources, personas, client_for
):
    out = io.BytesIO(sources_workbook([]))
    out.name = "sources.xlsx"
    client = client_for(personas.ada)
    client.get("/")
    response = client.post(
        "/sources/import/", {"file": out, "csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    )
    assert response.status_code == 403


def _listed(page: str) -> list[str]:
    return re.findall(r'<td><a href="/sources/\d+/">([^<]+)</a>', page)


def _exported(response) -> list[str]:
    assert response.status_code == 200
    rows = load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)
    names = [row[0] for row in rows if row[0]]
    return names[names.index(HEADER[0]) + 1 :]


@pytest.mark.parametrize("filters", ["", "type=restaurant", "key=1", f"q={quote('示例1')}"])
def test_the_source_list_pages_are_slices_of_what_the_export_holds(
    sources, personas, client_for, monkeypatch, filters
):
    """The list shows a page of the sources, filtered and ordered in the database; the
    export still holds every source the filters match, in the same order."""
    monkeypatch.setattr(source_views, "PAGE_SIZE", 7)
    client = client_for(personas.dora)
    whole = _exported(client.get(f"/sources/export.xlsx?{filters}"))
    assert 0 < len(whole) < sources.count() or not filters
    pages = -(-len(whole) // 7)
    got = []
    for number in range(1, pages + 1):
        page = client.get(f"/sources/?{filters}&page={number}").content.decode()
        got += _listed(page)
        if number < pages:  # the next page keeps the filters
            query = f"{filters}&amp;" if filters else ""
            assert f'href="?{query}page={number + 1}"' in page
        # The export's link is the filters', whichever page it is on.
        assert f'href="/sources/export.xlsx?{filters}"' in page
    assert got == whole
    # Past the end: the last page; not a page number: refused.
    last = client.get(f"/sources/?{filters}&page=999").content.decode()
    assert _listed(last) == whole[(pages - 1) * 7 :]
    for bad in ("abc", "0", "-2", "1.5", "99999999999999999999"):
        assert client.get(f"/sources/?{filters}&page={bad}").status_code == 400


def test_the_source_api_pages_by_limit_and_offset(sources, personas, client_for):
    client = client_for(personas.dora)
    whole = [source["id"] for source in client.get("/api/sources?limit=500").json()]
    assert whole == sorted(sources.values_list("pk", flat=True))
    for offset, limit in ((0, 5), (5, 5), (len(whole) - 2, 5), (len(whole), 5)):
        found = client.get(f"/api/sources?offset={offset}&limit={limit}").json()
        assert [source["id"] for source in found] == whole[offset : offset + limit]
    restaurants = client.get("/api/sources?type=restaurant&limit=3").json()
    assert len(restaurants) == 3 and {source["type"] for source in restaurants} == {"restaurant"}
    # Each row as the source's own answer has it.
    one = client.get(f"/api/sources/{whole[1]}").json()
    assert client.get("/api/sources?offset=1&limit=1").json() == [one]
    assert set(one) == {"id", "name", "type", "uscc", "address", "lon", "lat", "grid_id",
                        "key", "status"}  # fmt: skip
    for bad in ("limit=0", "limit=501", "offset=-1"):
        assert client.get(f"/api/sources?{bad}").status_code == 422
