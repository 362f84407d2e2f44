"""Patrols: recorded once whatever the retries, within one's grids, findings to the upper grid."""

import base64
import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ecogov.accounts.models import Role
from ecogov.patrols.models import Finding, Patrol
from ecogov.patrols.services import coverage, every_days, patrol_record, patrols_due
from ecogov.sources.models import Source
from ecogov.sources.sample import sources_sample_load
from ecogov.testing import make_person

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@pytest.fixture
def township(personas):
    sources_sample_load(personas.district)
    return Source.objects.filter(grid__parent__name="总寨镇").select_related("grid", "type")


def record(worker, source, **fields):
    defaults = {"client_id": uuid.uuid4(), "patrolled_at": timezone.now()}
    return patrol_record(source=source, worker=worker, **{**defaults, **fields})


def test_a_retried_submission_is_stored_once(township, personas):
    client_id = uuid.uuid4()
    first, created = record(personas.gary, township[0], client_id=client_id)
    again, created_again = record(personas.gary, township[0], client_id=client_id)
    assert created and not created_again and first == again
    assert Patrol.objects.count() == 1


def test_a_finding_goes_to_the_upper_grid_with_its_photo(township, personas):
    photo = SimpleUploadedFile("site.png", PNG, content_type="image/png")
    patrol, _ = record(
        personas.gary, township[0], finding=True, note="夜间露天烧烤", photos=[photo]
    )
    assert patrol.photos.count() == 1
    assert Finding.objects.get(patrol=patrol).to_grid.name == "总寨镇"


@pytest.mark.parametrize(
    "fields, error",
    [
        ({"finding": True, "note": ""}, ValidationError),
        ({"photos": [SimpleUploadedFile("x.png", b"not an image")]}, ValidationError),
    ],
)
def test_bad_patrols_are_refused(township, personas, fields, error):
    with pytest.raises(error):
        record(personas.gary, township[0], **fields)
    assert not Patrol.objects.exists()


def test_only_the_sources_of_ones_grids(township, personas):
    elsewhere = Source.objects.exclude(grid__parent__name="总寨镇").first()
    with pytest.raises(PermissionDenied):
        record(personas.gary, elsewhere)
    with pytest.raises(PermissionDenied):
        record(personas.lena, township[0])  # a leader does not patrol


def test_the_due_list_puts_never_patrolled_and_overdue_first(township, personas):
    today = timezone.localdate()
    first = township[0]
    record(personas.gary, first, patrolled_at=timezone.now() - datetime.timedelta(days=200))
    due = patrols_due(personas.gary, today=today)
    assert {item.source for item in due} == set(township)
    overdue = next(item for item in due if item.source == first)
    assert overdue.overdue and overdue.last == timezone.localdate(
        timezone.now() - datetime.timedelta(days=200)
    )
    assert [item.due_on for item in due] == sorted(item.due_on for item in due)


def test_the_grids_five_fixes_set_the_interval(township, personas):
    source = township.filter(type__code="restaurant").first() or township[0]
    assert every_days(source) in (7, 30, 90)
    grid = source.grid
    grid.patrol_tasks = [{"type": source.type.code, "every_days": 14}]
    grid.save()
    source.refresh_from_db()
    assert every_days(source) == 14


def test_coverage_names_the_sources_nobody_patrolled(township, personas):
    today = timezone.localdate()
    record(personas.gary, township[0])
    missing = coverage(
        {s.grid for s in township}, start=today - datetime.timedelta(days=30), end=today
    )
    left = {source for sources in missing.values() for source in sources}
    assert township[0] not in left and left == set(township[1:])


def test_the_submit_endpoint_answers_json_and_refuses_strangers(township, personas, client_for):
    client = client_for(personas.gary)
    client.get("/")
    headers = {
        "HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value,
        "HTTP_ACCEPT": "application/json",
    }
    body = {
        "client_id": str(uuid.uuid4()),
        "source": township[0].pk,
        "finding": "yes",
        "note": "冒黑烟",
        "photos": SimpleUploadedFile("a.png", PNG, content_type="image/png"),
    }
    first = client.post("/patrol/submit/", body, **headers)
    assert first.status_code == 201
    body["photos"] = SimpleUploadedFile("a.png", PNG, content_type="image/png")
    assert client.post("/patrol/submit/", body, **headers).status_code == 200  # the retry
    assert Patrol.objects.count() == 1
    stranger = client_for(personas.liam)
    stranger.get("/")
    refused = stranger.post(
        "/patrol/submit/",
        {**body, "client_id": str(uuid.uuid4())},
        HTTP_X_CSRFTOKEN=stranger.cookies["csrftoken"].value,
        HTTP_ACCEPT="application/json",
    )
    assert refused.status_code in (403, 404)


def test_the_township_officer_sees_the_patrols_of_the_township(township, personas, client_for):
    officer = make_person("tina", Role.LIAISON, personas.township, name="Tina 镇联络员")
    patrol, _ = record(
        personas.gary,
        township[0],
        finding=True,
        note="渣土未覆盖",
        photos=[SimpleUploadedFile("a.png", PNG, content_type="image/png")],
    )
    page = client_for(officer).get("/patrols/").content.decode()
    assert "渣土未覆盖" in page and township[0].name in page
    photo = patrol.photos.get()
    assert client_for(officer).get(f"/patrols/photos/{photo.pk}/").status_code == 200
    assert client_for(personas.oscar).get(f"/patrols/photos/{photo.pk}/").status_code == 404
    assert "渣土未覆盖" not in client_for(personas.oscar).get("/patrols/").content.decode()


def test_the_grid_api_is_scoped(township, personas, client_for):
    gary = client_for(personas.gary)
    names = {grid["name"] for grid in gary.get("/api/grids").json()}
    assert names == {"总寨镇", "总寨镇第1网格", "总寨镇第2网格", "总寨镇第3网格", "总寨镇第4网格"}
    chain = gary.get("/api/grids/locate?lon=101.72&lat=36.52").json()
    assert [grid["name"] for grid in chain] == [
        "总寨镇",
        "总寨镇第1网格",
    ]  # 城中区 is not his to see
    assert gary.get("/api/grids/locate?lon=500&lat=0").status_code == 422
    assert {s["id"] for s in gary.get("/api/sources").json()} == {s.pk for s in township}
    assert len(gary.get("/api/patrols/due").json()) == township.count()
    other = Source.objects.exclude(grid__parent__name="总寨镇").first()
    assert gary.get(f"/api/sources/{other.pk}").status_code == 404
    assert client_for(personas.oscar).get("/api/grids").json() == []


def test_a_racing_duplicate_is_answered_as_stored(township, personas, monkeypatch):
    """Two sends of one patrol at once: the second finds no row, then collides."""
    from ecogov.patrols import services

    client_id = uuid.uuid4()
    first, _ = record(personas.gary, township[0], client_id=client_id)
    real_filter = services.Patrol.objects.filter

    def blind_filter(*args, **kwargs):  # the racing request looked before the first committed
        if kwargs.get("client_id") == client_id:
            return services.Patrol.objects.none()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(services.Patrol.objects, "filter", blind_filter)
    again, created = record(personas.gary, township[0], client_id=client_id)
    assert (again, created) == (first, False)
    assert Patrol.objects.count() == 1


def test_key_sources_are_patrolled_at_least_monthly(township, personas):
    for code, key, days in (
        ("river_outfall", True, 7),
        ("river_outfall", False, 7),
        ("restaurant", True, 30),
        ("restaurant", False, 90),
    ):
        source = Source.objects.filter(type__code=code, grid__isnull=False).first()
        source.key = key
        source.grid.patrol_tasks = []
        assert every_days(source) == days, (code, key)
