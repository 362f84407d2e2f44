"""Keeping a grid's five fixes, people and contracts on its pages (the township for its
own grid and the villages below; the bureau for all)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ecogov.accounts.models import Role
from ecogov.grid.models import Grid, GridMember, ResponsibilityContract
from ecogov.patrols.services import every_days
from ecogov.sources.models import Source
from ecogov.sources.sample import sources_sample_load
from ecogov.testing import make_person


@pytest.fixture
def tina(personas):
    return make_person("tina", Role.LIAISON, personas.township, name="Tina 镇联络员")


def post(client, url, data):
    client.get("/")
    return client.post(url, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def test_the_township_sets_its_five_fixes_and_patrol_intervals(personas, tina, client_for):
    sources_sample_load(personas.district)
    town = Grid.objects.get(name="总寨镇")
    source = Source.objects.filter(grid__parent=town).select_related("type").first()
    client = client_for(tina)
    assert client.get(f"/grids/{town.pk}/edit/").status_code == 200
    answer = post(
        client, f"/grids/{town.pk}/edit/",
        {"area_description": "总寨镇全域", "duties": "日常巡查", "rewards_penalties": "季度考核",
         f"every-{source.type.code}": "14", "every-key": ""},
    )  # fmt: skip
    assert answer.status_code == 302
    town.refresh_from_db()
    assert town.area_description == "总寨镇全域"
    assert town.patrol_tasks == [
        {"what": source.type.name, "every_days": 14, "type": source.type.code}
    ]
    assert every_days(Source.objects.get(pk=source.pk)) == 14
    for bad in ("abc", "0", "400"):
        refused = post(client, f"/grids/{town.pk}/edit/", {"duties": "改", "every-restaurant": bad})
        assert refused.status_code == 422
    town.refresh_from_db()
    assert town.duties == "日常巡查"
    # The villages below are the township's to keep too; other areas are not.
    village = town.children.first()
    assert client.get(f"/grids/{village.pk}/edit/").status_code == 200
    street = Grid.objects.get(name="人民街街道")
    assert client.get(f"/grids/{street.pk}/edit/").status_code == 404
    for stranger, status in ((personas.gary, 403), (personas.liam, 404), (personas.oscar, 404)):
        assert client_for(stranger).get(f"/grids/{town.pk}/edit/").status_code == status
    assert (
        post(client_for(personas.gary), f"/grids/{town.pk}/edit/", {"duties": "x"}).status_code
        == 403
    )


def test_members_are_added_from_ones_own_people_and_published_by_consent(
    personas, tina, client_for
):
    village = Grid.objects.get(name="总寨镇第1网格")
    client = client_for(tina)
    post(client, f"/grids/{village.pk}/members/",
         {"person": personas.gary.pk, "role": "worker", "publish_phone": "on"})  # fmt: skip
    member = GridMember.objects.get(grid=village)
    assert (member.user, member.publish_phone) == (personas.gary, True)
    assert "13800000003" in Client().get(f"/public/grids/{village.pk}/").content.decode()
    # Someone of another unit is not hers to assign; a forged value is refused, not a crash.
    post(client, f"/grids/{village.pk}/members/", {"person": personas.liam.pk, "role": "worker"})
    forged = post(client, f"/grids/{village.pk}/members/", {"person": "abc", "role": "worker"})
    assert forged.status_code == 302
    assert GridMember.objects.filter(grid=village).count() == 1
    post(client, f"/grids/{village.pk}/members/{member.pk}/remove/", {})
    assert not GridMember.objects.filter(grid=village).exists()


def test_contracts_are_filed_with_their_file_and_served_only_inside(personas, tina, client_for):
    village = Grid.objects.get(name="总寨镇第2网格")
    client = client_for(tina)
    pdf = SimpleUploadedFile("责任状.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    client.get("/")
    token = client.cookies["csrftoken"].value
    made = client.post(f"/grids/{village.pk}/contracts/",
                       {"signed_on": "2026-03-01", "file": pdf, "note": "2026年度",
                        "csrfmiddlewaretoken": token})  # fmt: skip
    assert made.status_code == 302
    contract = ResponsibilityContract.objects.get()
    assert contract.upper.name == "总寨镇" and contract.lower == village
    served = client.get(f"/contracts/{contract.pk}/file/")
    assert served.status_code == 200 and b"".join(served.streaming_content).startswith(b"%PDF")
    assert client_for(personas.oscar).get(f"/contracts/{contract.pk}/file/").status_code == 404
    text = SimpleUploadedFile("a.txt", b"hello", content_type="text/plain")
    client.post(f"/grids/{village.pk}/contracts/",
                {"signed_on": "2026-03-01", "file": text, "csrfmiddlewaretoken": token})  # fmt: skip
    client.post(f"/grids/{village.pk}/contracts/", {"signed_on": "", "csrfmiddlewaretoken": token})
    assert ResponsibilityContract.objects.count() == 1
    top = Grid.objects.get(name="城中区")
    dora = client_for(personas.dora)
    post(dora, f"/grids/{top.pk}/contracts/", {"signed_on": "2026-03-01"})
    assert ResponsibilityContract.objects.count() == 1
