"""The plan import page (/plans/import/): the dispatcher uploads a plan document, sees its
tasks with their units, chooses for each unit the registry does not know (map it,
register it, keep it as written) and imports; bad files are form errors, nothing is
written and nothing answers 500."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ecogov.org.models import Unit
from ecogov.org.sample import SAMPLE_DIR
from ecogov.plans.models import Plan, Task, TaskUnit
from plantables import SUINING, docx_bytes, pdf_bytes, scan_pdf_bytes

URL = "/plans/import/"
CHENGZHONG = SAMPLE_DIR / "chengzhong_2024_action_plan.txt"
TITLE_OF_CHENGZHONG = "城中区2024年"  # the start of its title


@pytest.fixture
def english(form_client_for):
    """The pages in English, whose messages the tests read (Chinese comes later)."""

    def make(user):
        client = form_client_for(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def chengzhong_docx() -> bytes:
    return docx_bytes(CHENGZHONG.read_text(encoding="utf-8"))


def choices(page: str) -> dict[str, int]:
    """The unknown names offered on the preview, by their index."""
    return {
        name: int(index) for index, name in re.findall(r'name="name_(\d+)" value="([^"]+)"', page)
    }


def preview(client, name="城中区行动方案.docx", data=None) -> str:
    response = client.post(
        URL, {"action": "preview", "file": upload(name, data or chengzhong_docx())}
    )
    assert response.status_code == 200
    return response.content.decode()


def test_only_the_bureaus_dispatchers_import_plans(personas, client_for):
    assert client_for(personas.dora).get(URL).status_code == 200
    assert client_for(personas.ada).get(URL).status_code == 403  # no unit, no district
    for person in (personas.liam, personas.lena, personas.gary):
        assert client_for(person).get(URL).status_code == 403
    refused = client_for(personas.liam).post(URL, {"file": upload("p.docx", chengzhong_docx())})
    assert refused.status_code == 403 and Plan.objects.count() == 0


def test_the_plan_list_offers_the_import_to_dispatchers_only(personas, client_for):
    assert URL in client_for(personas.dora).get("/plans/").content.decode()
    assert URL not in client_for(personas.liam).get("/plans/").content.decode()


def test_the_preview_shows_the_tasks_and_the_unknown_units_and_writes_nothing(personas, english):
    page = preview(english(personas.dora))
    assert "提高政治站位" in page and "区自然资源和林业局" in page
    offered = choices(page)
    assert "区委宣传部" in offered and "区教育局" in offered
    assert "区生态环境局" not in offered  # in the registry
    assert 'value="create"' in page
    assert Plan.objects.count() == 0 and Task.objects.count() == 0


def test_mapping_registering_and_keeping_units_then_importing(personas, english):
    client = english(personas.dora)
    offered = choices(preview(client))
    office = Unit.objects.get(jurisdiction=personas.district, name="区政府办公室")
    post = {"action": "import", "names": str(len(offered))}
    for name, index in offered.items():
        post[f"name_{index}"] = name
        post[f"choice_{index}"] = ""
    post[f"choice_{offered['区委宣传部']}"] = str(office.pk)
    post[f"choice_{offered['区教育局']}"] = "create"
    response = client.post(URL, post)
    plan = Plan.objects.get(jurisdiction=personas.district)
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert plan.tasks.filter(parent=None).count() == 23 and plan.source == "城中区行动方案.docx"
    assert TaskUnit.objects.get(task__number="1", name="区委宣传部").unit == office
    education = Unit.objects.get(jurisdiction=personas.district, name="区教育局")
    assert TaskUnit.objects.filter(name="区教育局", unit=education).exists()
    kept = [name for name in offered if name not in ("区委宣传部", "区教育局")]
    assert kept and all(link.unit is None for link in TaskUnit.objects.filter(name__in=kept))
    # The document is no longer held: the next import starts from the file.
    again = client.post(URL, {"action": "import"})
    assert "Choose the plan document to import" in again.content.decode()
    assert Plan.objects.count() == 1


def test_checking_again_keeps_the_choices_made(personas, english):
    client = english(personas.dora)
    offered = choices(preview(client))
    office = Unit.objects.get(jurisdiction=personas.district, name="区政府办公室")
    index = offered["区委宣传部"]
    post = {"action": "preview", "names": str(len(offered))}
    post |= {f"name_{i}": name for name, i in offered.items()}
    post[f"choice_{index}"] = str(office.pk)
    page = client.post(URL, post).content.decode()
    assert "区委宣传部" in choices(page)
    assert re.search(rf'<option value="{office.pk}" selected>区政府办公室</option>', page)
    assert Plan.objects.count() == 0 and TaskUnit.objects.count() == 0


@pytest.mark.parametrize(
    "name, data, message",
    [
        (
            "plan.pdf",
            scan_pdf_bytes(),
            "this PDF has no text: it is a scan; EcoGov reads text PDFs",
        ),
        ("plan.pdf", b"%PDF-1.4\n%broken", "not a readable PDF"),
        ("plan.docx", b"PK\x03\x04broken", "not a readable Word document"),
        ("plan.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, ".docx or PDF"),
        ("notes.txt", "会议纪要\n\n今天开会。\n".encode(), "not a plan"),
        ("binary.txt", bytes(range(256)), "not a text file"),
    ],
    ids=["scan", "broken pdf", "broken docx", "old word", "not a plan", "binary"],
)
def test_a_bad_file_is_a_form_error_and_nothing_is_written(personas, english, name, data, message):
    units = Unit.objects.count()
    response = english(personas.dora).post(URL, {"file": upload(name, data)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Plan.objects.count() == 0 and Unit.objects.count() == units


def test_a_file_over_the_limit_is_refused(personas, english, monkeypatch):
    from ecogov import uploads

    monkeypatch.setattr(uploads, "MAX_FILE_BYTES", 1000)
    response = english(personas.dora).post(URL, {"file": upload("p.docx", chengzhong_docx())})
    assert response.status_code == 200 and "8 MB" in response.content.decode()
    assert Plan.objects.count() == 0


@pytest.mark.parametrize(
    "post",
    [
        {"action": "import"},  # no document held
        {"action": "import", "names": "x"},
        {"action": "import", "names": "99999999999999999999"},
    ],
)
def test_forged_posts_are_refused_without_a_500(personas, english, post):
    response = english(personas.dora).post(URL, post)
    assert response.status_code == 200 and Plan.objects.count() == 0


def test_a_unit_of_another_district_cannot_be_chosen(personas, english):
    client = english(personas.dora)
    offered = choices(preview(client))
    outsider = Unit.objects.get(jurisdiction=personas.outsider_district)
    post = {"action": "import", "names": "1", "name_0": "区委宣传部", "choice_0": str(outsider.pk)}
    response = client.post(URL, post)
    assert response.status_code == 200 and "Nothing was imported" in response.content.decode()
    assert Plan.objects.count() == 0 and offered


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_a_division_of_labour_table_is_imported_through_the_page(personas, english, kind):
    text = SUINING.read_text(encoding="utf-8")
    data = docx_bytes(text) if kind == "docx" else pdf_bytes(text)
    client = english(personas.dora)
    page = preview(client, f"遂宁.{kind}", data)
    offered = choices(page)
    assert "市城管局" in offered
    construction = personas.construction
    post = {"action": "import", "names": str(len(offered))}
    post |= {f"name_{i}": name for name, i in offered.items()}
    post[f"choice_{offered['市住建局']}"] = str(construction.pk)
    response = client.post(URL, post)
    assert response.status_code == 302
    task = Task.objects.get(plan__title="遂宁市城市环境卫生工作任务分解表", number="1")
    assert task.units.get(role="lead").name == "市委编办"
    assert task.units.get(role="support", name="市住建局").unit == construction


def test_a_plan_imported_again_offers_the_units_mapped_before_and_may_unmap_them(personas, english):
    client = english(personas.dora)
    offered = choices(preview(client))
    office = Unit.objects.get(jurisdiction=personas.district, name="区政府办公室")
    post = {"action": "import", "names": str(len(offered))}
    post |= {f"name_{i}": name for name, i in offered.items()}
    post[f"choice_{offered['区委宣传部']}"] = str(office.pk)
    assert client.post(URL, post).status_code == 302
    page = preview(client)
    again = choices(page)
    index = again["区委宣传部"]
    assert re.search(rf'name="choice_{index}">.*?<option value="{office.pk}" selected>', page, re.S)
    assert "Chosen as when this plan was last imported: 区委宣传部" in page
    post = {"action": "import", "names": str(len(again))}
    post |= {f"name_{i}": name for name, i in again.items()}
    assert client.post(URL, post).status_code == 302  # every choice: keep as written
    assert TaskUnit.objects.get(task__number="1", name="区委宣传部").unit is None


def test_the_import_service_itself_refuses_anyone_but_the_dispatchers(personas):
    from django.core.exceptions import PermissionDenied

    from ecogov.plans.services import plan_document_import

    text = CHENGZHONG.read_text(encoding="utf-8")
    for person in (personas.liam, personas.oscar):
        with pytest.raises(PermissionDenied):
            plan_document_import(text=text, jurisdiction=personas.district, by=person)
    reading = plan_document_import(text=text, jurisdiction=personas.district, by=personas.dora)
    assert reading.plan.tasks.filter(parent=None).count() == 23


def test_a_plan_of_another_area_is_imported_as_the_districts_saying_so(personas, english):
    wuhai = docx_bytes((SAMPLE_DIR / "wuhai_2022_improvement_plan.txt").read_text(encoding="utf-8"))
    page = preview(english(personas.dora), "乌海.docx", wuhai)
    assert "The plan names 乌海市: its tasks become tasks of 城中区." in page
    assert "The plan names" not in preview(english(personas.dora))
