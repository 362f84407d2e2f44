"""The citizen's side of the portal: sending a report once, placing it in the district,
finding one's place on the map without internet tiles, and the public grid page."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from ecogov.cases import services
from ecogov.cases.models import Case, Channel
from ecogov.domain import unitnames
from ecogov.grid.models import Grid
from ecogov.grid.public import public_grid
from ecogov.grid.selectors import grid_chain
from ecogov.org.models import Jurisdiction, Unit
from ecogov.org.services import jurisdiction_ensure, unit_create
from ecogov.sources.models import Source, SourceType

BLACK_WATER = "南滩街道一个家属院后面的排洪渠常年是黑水，一到夏天臭得受不了"
BEIJING = {"lon": "116.40", "lat": "39.90"}  # Tiananmen, 1,300 km from 城中区
NANTAN = {"lon": "101.734", "lat": "36.60"}  # inside 南滩街道
JUST_WEST = {"lon": "101.6995", "lat": "36.55"}  # 45 m west of the district's edge
OUTSIDE_MESSAGE = "地图上的位置不在城中区范围内"


def report(client, **fields):
    return client.post("/public/report/", {"text": BLACK_WATER, "address": "南滩街道", **fields})


# --- item 10: one report per sending, and only inside the district ----------------------


def test_reloading_the_thanks_page_files_no_second_report(personas):
    citizen = Client(enforce_csrf_checks=False)
    response = report(citizen, anonymous="on")
    assert response.status_code == 302
    thanks = response["Location"]
    case = Case.objects.get()
    assert case.tracking_code not in thanks  # the secret stays out of URLs, logs and history
    page = citizen.get(thanks).content.decode()
    assert case.tracking_code in page and case.number in page
    # A reload (or the back button) asks for the thanks page again: nothing is filed
    # again and the code is not shown a second time.
    again = citizen.get(thanks)
    assert again.status_code == 200
    assert case.tracking_code not in again.content.decode()
    assert "只在提交后显示一次" in again.content.decode()
    assert Case.objects.count() == 1


def test_the_thanks_page_of_another_browser_shows_no_code(personas):
    report(Client(), anonymous="on")
    page = Client().get("/public/report/thanks/").content.decode()
    assert Case.objects.get().tracking_code not in page


def test_a_point_outside_the_district_is_refused_by_the_portal(personas):
    response = report(Client(), **BEIJING)
    assert response.status_code == 422
    assert OUTSIDE_MESSAGE in response.content.decode()
    assert Case.objects.count() == 0


def test_a_point_outside_the_district_is_refused_by_the_public_api(personas):
    response = Client().post(
        "/api/public/reports",
        {"text": BLACK_WATER, "address": "南滩", "lon": 116.40, "lat": 39.90},
        content_type="application/json",
    )
    assert response.status_code in (400, 422)
    assert OUTSIDE_MESSAGE in response.json()["detail"]
    assert Case.objects.count() == 0


@pytest.mark.parametrize("where", [NANTAN, JUST_WEST], ids=["inside", "45 m outside"])
def test_a_point_in_or_at_the_edge_of_the_district_is_accepted(personas, where):
    assert report(Client(), **where).status_code == 302
    case = Case.objects.get()
    if where is NANTAN:
        assert case.grid.name.startswith("南滩街道")


def test_every_intake_refuses_a_point_outside_the_district(personas):
    with pytest.raises(ValidationError, match="不在城中区范围内"):
        services.case_register(
            jurisdiction=personas.district, channel=Channel.HOTLINE, text=BLACK_WATER,
            lon=116.40, lat=39.90, by=personas.dora,
        )  # fmt: skip
    assert Case.objects.count() == 0


def test_a_jurisdiction_without_grid_boundaries_takes_any_point(personas):
    case = services.case_register(
        jurisdiction=personas.outsider_district, channel=Channel.HOTLINE, text=BLACK_WATER,
        lon=116.40, lat=39.90, by=personas.oscar,
    )  # fmt: skip
    assert case.grid is None and case.lon is not None


def test_a_source_outside_the_grid_still_becomes_a_case(personas):
    """A registered source's location is the administration's, not a citizen's tap: a
    monitoring alarm of a source just outside the boundaries must still reach the bureau."""
    source = Source.objects.create(
        jurisdiction=personas.district, type=SourceType.objects.order_by("pk").first(), name="界外企业",
        lon="101.60", lat="36.55",
    )  # fmt: skip
    case = services.case_register(
        jurisdiction=personas.district, channel=Channel.MONITORING, text="COD超标",
        lon=source.lon, lat=source.lat, source=source, lead=personas.bureau,
    )  # fmt: skip
    assert case.pk is not None


def test_grids_without_a_boundary_do_not_refuse_points(personas):
    Grid.objects.filter(jurisdiction=personas.district).update(boundary=None)
    assert report(Client(), **BEIJING).status_code == 302


# --- item 12: the public grid page -------------------------------------------------------

TREE_ITEM = re.compile(r'<li style="--depth: (\d)"><a href="/public/grids/(\d+)/">')


def test_each_village_grid_is_listed_under_its_own_township(personas):
    page = Client().get("/public/grids/").content.decode()
    listed = [(int(depth), int(pk)) for depth, pk in TREE_ITEM.findall(page)]
    assert len(listed) == Grid.objects.count()
    parents = dict(Grid.objects.values_list("pk", "parent_id"))
    above: dict[int, int] = {}  # depth → the grid last listed at that depth
    for depth, pk in listed:
        assert parents[pk] == above.get(depth - 1), Grid.objects.get(pk=pk).name
        above[depth] = pk


# The portal's link bar, on every HTML page under /public/: tests/test_public_walk.py walks
# them all (the URL patterns, included sets too) on the whole sample district.
LINK_BAR = [
    "/public/report/",
    "/public/track/",
    "/public/",
    "/public/quality/",
    "/public/cases/",
    "/public/consultations/",
    "/public/grids/",
    "/public/data/",
]


def test_a_street_grid_names_its_own_office_and_a_village_its_street_office(personas):
    grids = {grid.name: grid for grid in Grid.objects.all()}
    assert grids["饮马街街道"].unit.name == "各街道办事处"  # the duty list's collective name

    def responsible(name: str) -> str:
        page = Client().get(f"/public/grids/{grids[name].pk}/").content.decode()
        return re.search(r"<dt>责任单位</dt><dd>(.*?)</dd>", page).group(1)

    assert responsible("饮马街街道") == "饮马街街道办事处"
    assert responsible("饮马街街道第1网格") == "饮马街街道办事处"
    assert responsible("总寨镇") == "总寨镇政府"
    assert responsible("总寨镇第2网格") == "总寨镇政府"
    assert responsible("城中区") == "区生态环境局"


def test_a_street_with_its_own_unit_shows_that_unit(personas):
    street = jurisdiction_ensure(name="饮马街街道", level=Jurisdiction.Level.TOWNSHIP,
                                 parent=personas.district)  # fmt: skip
    unit_create(
        jurisdiction=street, name="饮马街街道办事处（综合执法）", kind=Unit.Kind.STREET_OFFICE
    )
    assert public_grid(Grid.objects.get(name="饮马街街道")).unit == "饮马街街道办事处（综合执法）"


@pytest.mark.parametrize(
    "collective, place, office",
    [
        ("各街道办事处", "饮马街街道", "饮马街街道办事处"),
        ("各镇政府", "总寨镇", "总寨镇政府"),
        ("各村委会", "杨家湾村", "杨家湾村委会"),
        ("各街道办事处", "总寨镇", None),  # a township is no street
        ("各镇办", "总寨镇", None),  # 镇办 spans township governments and street offices
    ],
)
def test_a_collective_name_stands_for_the_office_of_each_place(collective, place, office):
    assert unitnames.is_collective(collective)
    assert unitnames.own_office(collective, place) == office


def test_a_bad_point_on_the_public_grid_page_is_a_message(personas):
    for query in ("lon=nan&lat=36.6", "lon=1e999&lat=36.6", "lon=101.7&lat=", "lon=abc&lat=1"):
        response = Client().get(f"/public/grids/?{query}")
        assert response.status_code == 200, query
        assert 'class="message error"' in response.content.decode(), query


# --- item 11: finding one's place on the map without internet tiles ----------------------


def test_the_report_map_carries_every_grid_with_where_to_write_its_name(personas):
    page = Client().get("/public/report/").content.decode()
    data = json.loads(re.search(r'id="report-boundaries" type="application/json">(.*?)</script>',
                                page, re.S).group(1))  # fmt: skip
    names = {f["properties"]["name"]: f["properties"] for f in data["features"]}
    assert len(names) == Grid.objects.count()
    lat, lon = names["南滩街道第2网格"]["label"]
    assert [g.name for g in grid_chain(lon, lat)][-1] == "南滩街道第2网格"


def test_the_report_page_runs_no_inline_script(personas):
    page = Client().get("/public/report/").content.decode()
    scripts = re.findall(r"<script([^>]*)>", page)
    assert all("src=" in attrs or "application/json" in attrs for attrs in scripts), scripts
    assert "ecogov/portal-map.js" in page


def test_the_place_search_finds_grids_areas_and_sources_by_name_only(personas):
    kind = SourceType.objects.order_by("pk").first()
    Source.objects.create(jurisdiction=personas.district, type=kind, name="饮马街印刷厂",
                          uscc="91630103MA7XXXXXX1", address="饮马街88号", lon="101.80",
                          lat="36.60", attributes={"permit": "秘密许可证"})  # fmt: skip
    Source.objects.create(jurisdiction=personas.district, type=kind, name="饮马街旧砖厂",
                          lon="101.80", lat="36.61", status=Source.Status.CLOSED)  # fmt: skip
    jurisdiction_ensure(name="饮马街街道", level=Jurisdiction.Level.TOWNSHIP,
                        parent=personas.district)  # fmt: skip
    response = Client().get("/public/places/", {"q": "饮马街"})
    assert response.status_code == 200
    places = response.json()["places"]
    assert [p["name"] for p in places][:4] == ["饮马街街道", "饮马街街道第1网格",
                                               "饮马街街道第2网格", "饮马街街道第3网格"]  # fmt: skip
    assert places[0]["bounds"] == [101.791429, 36.58, 101.814286, 36.63]
    sources = [p for p in places if p["kind"] == "source"]
    assert sources == [{"name": "饮马街印刷厂", "kind": "source", "kind_label": "污染源",
                        "lon": 101.8, "lat": 36.6, "bounds": None}]  # fmt: skip
    body = response.content.decode()
    assert "91630103" not in body and "88号" not in body and "许可证" not in body
    assert len([p for p in places if p["name"] == "饮马街街道"]) == 1  # the area is its grid
    assert Client().get("/public/places/", {"q": ""}).json() == {"places": []}
    assert Client().get("/public/places/", {"q": "x" * 5000}).status_code == 200


def test_the_place_under_a_point_is_named(personas):
    answer = Client().get("/public/grids/locate", {"lon": "101.80", "lat": "36.60"}).json()
    assert answer["place"] == "城中区 › 饮马街街道 › 饮马街街道第2网格"
    assert answer["responsible"] == "饮马街街道办事处"
    assert [g["level"] for g in answer["grids"]] == [1, 2, 3]
    outside = Client().get("/public/grids/locate", {"lon": "116.40", "lat": "39.90"}).json()
    assert outside == {"grids": [], "place": "", "responsible": None}


@pytest.mark.parametrize(
    "query", ["lon=nan&lat=36.6", "lon=inf&lat=1", "lon=1e999&lat=1", "lon=abc&lat=1",
              "lon=101.8", "", "lon=200&lat=36", "lon=101.8&lat=-91"],
)  # fmt: skip
def test_locating_a_bad_point_answers_400_with_a_message(personas, query):
    response = Client().get(f"/public/grids/locate?{query}")
    assert response.status_code == 400
    assert any(word in response.json()["detail"] for word in ("经纬度", "经度"))
