"""Grid boundaries: validation of broken files, idempotent import, point lookup."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from ecogov.domain.gridgeo import GridFileError, GridIndex, read_features, validate
from ecogov.grid.models import Grid
from ecogov.org.sample import SAMPLE_DIR

SAMPLE = json.loads((SAMPLE_DIR / "chengzhong_grid.geojson").read_text(encoding="utf-8"))


def square(w, s, e, n):
    return {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}


def feature(name, level, parent, geometry, **extra):
    return {
        "type": "Feature",
        "properties": {"name": name, "level": level, "parent": parent, **extra},
        "geometry": geometry,
    }


def collection(*features) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


DISTRICT = feature("区", 1, None, square(0, 0, 10, 10))
TOWN_A = feature("甲镇", 2, "区", square(0, 0, 5, 10))
TOWN_B = feature("乙镇", 2, "区", square(5, 0, 10, 10))


def problems(text: str) -> list[str]:
    return validate(read_features(text))


def test_the_sample_grid_is_valid_and_nested():
    assert problems(json.dumps(SAMPLE)) == []


@pytest.mark.parametrize(
    "features, expected",
    [
        (
            (DISTRICT, TOWN_A, feature("乙镇", 2, "区", square(4, 0, 10, 10))),
            "甲镇 and 乙镇 overlap",
        ),
        (
            (DISTRICT, TOWN_A, feature("丙村", 3, "甲镇", square(3, 0, 7, 5))),
            "丙村: 50.0% of it lies outside its parent 甲镇",
        ),
        (
            (DISTRICT, feature("丁村", 3, "戊镇", square(0, 0, 1, 1))),
            "丁村: parent 戊镇 is not in the file",
        ),
        (
            (DISTRICT, feature("己村", 3, "区", square(0, 0, 1, 1))),
            "己村: level 3 under 区 of level 1",
        ),
        ((DISTRICT, TOWN_A, TOWN_A), "甲镇: named twice"),
    ],
)
def test_every_violation_is_named(features, expected):
    found = problems(collection(*features))
    assert any(expected in problem for problem in found), found


def test_a_sliver_within_the_tolerance_is_accepted():
    sliver = feature("乙镇", 2, "区", square(4.99, 0, 10, 10))  # 0.01 of 5 wide overlaps
    assert problems(collection(DISTRICT, TOWN_A, sliver)) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("not json", "not JSON"),
        (json.dumps({"type": "Feature"}), "not a GeoJSON FeatureCollection"),
        (collection(feature("", 1, None, square(0, 0, 1, 1))), "no name"),
        (collection(feature("x", 4, None, square(0, 0, 1, 1))), "level must be 1, 2 or 3"),
        (collection(feature("x", 2, None, square(0, 0, 1, 1))), "needs a parent"),
        (
            collection(feature("x", 1, None, {"type": "Point", "coordinates": [0, 0]})),
            "must be a Polygon",
        ),
        (
            collection(
                feature(
                    "x",
                    1,
                    None,
                    {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
                )
            ),
            "invalid boundary",
        ),
        (
            collection(feature("x", 1, None, {"type": "Polygon", "coordinates": "nonsense"})),
            "unreadable geometry",
        ),
        (collection(), "no grid features"),
    ],
)
def test_an_unreadable_file_names_what_is_wrong(text, expected):
    with pytest.raises(GridFileError) as error:
        read_features(text)
    assert expected in str(error.value)


def test_the_index_finds_one_grid_per_level():
    features = read_features(collection(DISTRICT, TOWN_A, TOWN_B))
    index = GridIndex([(f.name, f.level, f.geometry) for f in features])
    assert [(item.key, item.level) for item in index.locate(2, 5)] == [("区", 1), ("甲镇", 2)]
    assert [item.level for item in index.locate(5, 5)] == [
        1,
        2,
    ]  # on the shared edge: one of the two
    assert index.locate(20, 20) == []


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_import_is_one_transaction_and_idempotent(personas, tmp_path):
    broken = tmp_path / "broken.geojson"
    broken.write_text(
        collection(DISTRICT, TOWN_A, feature("乙镇", 2, "区", square(4, 0, 10, 10))),
        encoding="utf-8",
    )
    before = Grid.objects.count()
    with pytest.raises(CommandError, match="甲镇 and 乙镇 overlap"):
        run("grid", "import", str(broken), "--jurisdiction", "城东区")
    assert Grid.objects.count() == before
    good = tmp_path / "good.geojson"
    good.write_text(collection(DISTRICT, TOWN_A, TOWN_B), encoding="utf-8")
    assert "3 grids created" in run("grid", "import", str(good), "--jurisdiction", "城东区")
    assert "3 unchanged" in run("grid", "import", str(good), "--jurisdiction", "城东区")


@pytest.mark.django_db
def test_locate_prints_the_chain_and_the_workers(personas):
    from ecogov.grid.models import GridMember

    village = Grid.objects.get(name="总寨镇第1网格")
    GridMember.objects.create(grid=village, user=personas.gary, role=GridMember.Role.WORKER)
    result = json.loads(run("grid", "locate", "101.72", "36.52", "--json"))
    assert result == {
        "chain": [
            {"level": 1, "name": "城中区", "code": "630103"},
            {"level": 2, "name": "总寨镇", "code": None},
            {"level": 3, "name": "总寨镇第1网格", "code": None},
        ],
        "workers": ["Gary 网格员"],
    }
    assert json.loads(run("grid", "locate", "0", "0", "--json")) == {"chain": [], "workers": []}


@pytest.mark.parametrize(
    "text",
    [
        json.dumps({"type": "FeatureCollection", "features": [1]}),
        json.dumps({"type": "FeatureCollection", "features": [{"properties": "x"}]}),
        json.dumps({"type": "FeatureCollection", "features": "x"}),
        json.dumps([1, 2]),
    ],
)
def test_malformed_structures_are_refused_not_crashed(text):
    with pytest.raises(GridFileError):
        read_features(text)


@pytest.mark.django_db
def test_the_grid_pages_are_scoped(personas, client_for):
    page = client_for(personas.dora).get("/grids/").content.decode()
    assert "grid-geojson" in page and "南川西路街道第3网格" in page
    gary = client_for(personas.gary).get("/grids/").content.decode()
    assert "总寨镇第2网格" in gary and "人民街街道" not in gary
    other = Grid.objects.get(name="人民街街道")
    assert client_for(personas.gary).get(other.get_absolute_url()).status_code == 404
    assert client_for(personas.oscar).get(personas.grid.get_absolute_url()).status_code == 404
    page = client_for(personas.gary).get(personas.grid.get_absolute_url()).content.decode()
    assert "总寨镇第1网格" in page


@pytest.mark.django_db
def test_the_public_grid_page_shows_only_published_phones(personas, client):
    from ecogov.grid.models import GridMember

    village = Grid.objects.get(name="总寨镇第1网格")
    GridMember.objects.create(
        grid=village, user=personas.gary, role=GridMember.Role.WORKER, publish_phone=True
    )
    GridMember.objects.create(
        grid=village, user=personas.lily, role=GridMember.Role.SUPERVISOR, publish_phone=False
    )
    page = client.get("/public/grids/?lon=101.72&lat=36.52").content.decode()
    assert "总寨镇第1网格" in page and "城中区" in page
    assert "Gary 网格员" in page and personas.gary.phone in page
    assert "Lily 联络员" in page and personas.lily.phone not in page
    assert "gary" not in page.replace("Gary", "")  # no user names, no e-mail
    assert client.get("/public/grids/?lon=abc&lat=1").status_code == 200
    assert "没有网格" in client.get("/public/grids/?lon=0&lat=0").content.decode()
    assert client.get("/public/grids/999999/").status_code == 404
