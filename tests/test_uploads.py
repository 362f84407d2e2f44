"""Uploaded files: stored under a name EcoGov chooses, served with the type their bytes
show, inline only when they are a verified image, always with nosniff and a sandboxing
policy; the same on every URL that serves an upload (case files, patrol photos,
contract files), for new files and for files stored under their users' names before."""

import datetime
import re
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from ecogov.cases import services
from ecogov.cases.models import Attachment, Case, Channel
from ecogov.grid.models import Grid, ResponsibilityContract
from ecogov.patrols.models import Patrol, PatrolPhoto
from ecogov.sources.models import Source
from ecogov.sources.sample import sources_sample_load

JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SCRIPT = b"<html><body><script>fetch('/cases/').then(r => r.text())</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"></svg>'

# name the file was stored under, its bytes, and what it must be served as
HOSTILE = {
    "html named, JPEG first bytes": ("x.html", JPEG_HEAD + SCRIPT, "image/jpeg", "inline"),
    "svg": ("x.svg", SVG, "application/octet-stream", "attachment"),
    "html without magic": ("x.html", SCRIPT, "application/octet-stream", "attachment"),
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def case(personas):
    return services.case_register(
        jurisdiction=personas.district, channel=Channel.HOTLINE, text="排洪渠常年是黑水",
        address="南滩街道某家属院", reporter={"name": "王举报人", "phone": "13900001111"},
        by=personas.dora,
    )  # fmt: skip


def stored_before(path: str, content: bytes) -> str:
    """A file as EcoGov stored uploads before: under the name its user gave it."""
    return default_storage.save(path, ContentFile(content))


def case_file(personas, case, name, content):
    attachment = Attachment.objects.create(case=case, kind="jpeg", name=name, file="")
    attachment.file.name = stored_before(f"cases/2026/01/{name}", content)
    attachment.save()
    return f"/cases/files/{attachment.pk}/"


def patrol_photo(personas, case, name, content):
    sources_sample_load(personas.district)
    source = Source.objects.filter(grid__parent=personas.grid).select_related("grid").first()
    patrol = Patrol.objects.create(
        source=source, grid=source.grid, worker=personas.gary, patrolled_at=timezone.now(),
        client_id=uuid.uuid4(),
    )  # fmt: skip
    photo = PatrolPhoto.objects.create(patrol=patrol, image="")
    photo.image.name = stored_before(f"patrols/2026/01/{name}", content)
    photo.save()
    return f"/patrols/photos/{photo.pk}/"


def contract_file(personas, case, name, content):
    village = Grid.objects.get(name="总寨镇第2网格")
    contract = ResponsibilityContract.objects.create(
        upper=village.parent, lower=village, signed_on=datetime.date(2026, 3, 1)
    )
    contract.file.name = stored_before(f"contracts/2026/{name}", content)
    contract.save()
    return f"/contracts/{contract.pk}/file/"


@pytest.mark.parametrize("stored", [case_file, patrol_photo, contract_file])
@pytest.mark.parametrize("hostile", HOSTILE, ids=list(HOSTILE))
def test_an_uploaded_file_is_served_with_the_type_of_its_bytes_never_as_html(
    personas, case, client_for, stored, hostile
):
    name, content, content_type, disposition = HOSTILE[hostile]
    url = stored(personas, case, name, content)
    response = client_for(personas.ada).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith(disposition)
    assert ".html" not in response["Content-Disposition"]
    assert ".svg" not in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy
    assert b"".join(response.streaming_content) == content


def test_an_anonymous_report_s_file_is_stored_under_a_name_ecogov_chooses(personas):
    hostile = SimpleUploadedFile("../x.html", JPEG_HEAD + SCRIPT, content_type="text/html")
    photo = SimpleUploadedFile("我的照片.PNG", PNG, content_type="image/png")
    response = Client().post(
        "/public/report/",
        {"text": "排洪渠常年是黑水", "address": "南滩街道", "anonymous": "on",
         "photos": [hostile, photo]},
    )  # fmt: skip
    assert response.status_code < 400
    case = Case.objects.get()
    stored = {a.name: a.file.name for a in case.attachments.all()}
    assert set(stored) == {"x.html", "我的照片.PNG"}  # shown and offered by their names
    html_as, png_as = stored["x.html"], stored["我的照片.PNG"]
    assert re.fullmatch(r"cases/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", html_as)
    assert re.fullmatch(r"cases/\d{4}/\d{2}/[0-9a-f]{32}\.png", png_as)
    dora = Client()
    dora.force_login(personas.dora)
    served = dora.get(f"/cases/files/{case.attachments.get(name='x.html').pk}/")
    assert served["Content-Type"] == "image/jpeg"
    assert 'filename="x.jpg"' in served["Content-Disposition"]
