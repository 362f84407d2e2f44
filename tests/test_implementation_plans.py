"""The implementation plans a plan's lead units owe within three months (seed 004 §四.(二)):
supervised items created on import, fulfilled by the unit's liaison uploading its plan,
late or in time, and a readable Word plan's tasks imported under the unit's task."""

import datetime
import io
import json

import docx
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from ecogov.plans.implementation import implementation_obligations, implementation_upload
from ecogov.plans.models import ImplementationPlan, Task
from ecogov.plans.sample import ENTERED_DAYS_AGO, plans_sample_load
from ecogov.supervision import clocks
from ecogov.supervision.models import Item, ItemEvent, Kind

IMPLEMENTATION_PLAN = """区城乡建设局落实巩固提升生态环境保护成效三年行动实施方案

一、主要任务

1、建筑工地扬尘治理。全面落实施工工地“10个100%”扬尘防控措施。
责任单位：区城乡建设局
配合单位：区生态环境局
完成时限：2025年6月

2、老旧小区雨污分流改造。推进城区老旧小区雨污分流改造。
责任单位：区城乡建设局
完成时限：持续推进
"""


@pytest.fixture
def plan(personas):
    return plans_sample_load()[0]


def obligation_of(plan, unit) -> ImplementationPlan:
    return ImplementationPlan.objects.select_related("item").get(plan=plan, unit=unit)


def word_file(text: str, name="实施方案.docx") -> SimpleUploadedFile:
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def pdf_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("实施方案.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n")


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/")
    return client


def post(client, url, data):
    return client.post(url, data, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)


def test_it_puts_one_implementation_item_per_lead_unit_on_the_ledger(plan, personas):
    obligation = obligation_of(plan, personas.construction)
    item = obligation.item
    entered = timezone.localdate() - datetime.timedelta(days=ENTERED_DAYS_AGO)
    assert item.kind == Kind.IMPLEMENTATION and item.lead == personas.construction
    assert item.supervisor == personas.bureau
    assert item.deadline.day == entered.day or item.deadline.day >= 28
    assert (item.deadline.year * 12 + item.deadline.month) - (
        entered.year * 12 + entered.month
    ) == 3
    assert plan.title in item.source
    leads = set(
        Task.objects.filter(plan=plan, units__role="lead")
        .exclude(units__unit=None)
        .values_list("units__unit", flat=True)
    )
    assert set(plan.implementations.values_list("unit", flat=True)) == leads


def test_importing_again_and_the_command_create_nothing_twice(plan, personas):
    count = Item.objects.filter(kind=Kind.IMPLEMENTATION).count()
    plans_sample_load()
    assert implementation_obligations(plan) == []
    out = io.StringIO()
    call_command("plan", "obligations", str(plan.pk), "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert not any(row["created"] for row in report["obligations"])
    assert Item.objects.filter(kind=Kind.IMPLEMENTATION).count() == count


def test_the_command_creates_the_obligations_of_an_existing_plan(plan, personas):
    obligation = plan.implementations.exclude(unit=personas.construction).first()
    name, item = obligation.unit.name, obligation.item
    obligation.delete()
    item.events.all().delete()
    item.delete()
    out = io.StringIO()
    call_command("plan", "obligations", str(plan.pk), "--json", stdout=out)
    created = [row for row in json.loads(out.getvalue())["obligations"] if row["created"]]
    assert [row["unit"] for row in created] == [name]


def test_the_liaison_uploads_in_time_and_the_item_closes(plan, personas):
    obligation = obligation_of(plan, personas.construction)
    at = timezone.make_aware(
        datetime.datetime.combine(obligation.item.deadline, datetime.time(10, 0))
    ) - datetime.timedelta(days=10)
    implementation_upload(obligation, files=[pdf_file()], by=personas.liam, at=at)
    obligation.refresh_from_db()
    assert obligation.item.state == Item.State.CLOSED and not obligation.late
    closing = obligation.item.events.get(kind=ItemEvent.Kind.CLOSED)
    assert closing.evidence.get() == obligation.document
    assert obligation.document.kind == "pdf"


def test_a_late_upload_still_closes_the_item_and_the_history_shows_it_was_red(plan, personas):
    obligation = obligation_of(plan, personas.construction)
    deadline = obligation.item.deadline
    clocks.scan(deadline + datetime.timedelta(days=3))
    obligation.item.refresh_from_db()
    assert obligation.item.colour == "red"
    at = timezone.make_aware(
        datetime.datetime.combine(deadline + datetime.timedelta(days=20), datetime.time(10, 0))
    )
    implementation_upload(obligation, files=[word_file("实施方案")], by=personas.liam, at=at)
    obligation.refresh_from_db()
    assert obligation.late and obligation.item.state == Item.State.CLOSED
    assert obligation.item.events.filter(kind=ItemEvent.Kind.NOTICE, colour="red").exists()
    assert "20" in obligation.item.events.get(kind=ItemEvent.Kind.CLOSED).note


def test_the_plan_page_lists_the_units_and_lets_the_liaison_upload(plan, personas):
    client = csrf_client(personas.liam)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "区城乡建设局" in page and "implementation_upload" not in page
    obligation = obligation_of(plan, personas.construction)
    assert f"/plans/implementation/{obligation.pk}/upload/" in page
    response = post(client, f"/plans/implementation/{obligation.pk}/upload/", {"file": pdf_file()})
    assert response.status_code == 302
    obligation.refresh_from_db()
    assert obligation.item.state == Item.State.CLOSED
    download = client.get(f"/plans/implementation/{obligation.pk}/document/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    item_page = client.get(obligation.item.get_absolute_url()).content.decode()
    assert plan.get_absolute_url() + "#implementation" in item_page


def test_a_wrong_file_type_is_refused_and_nothing_changes(plan, personas):
    client = csrf_client(personas.liam)
    obligation = obligation_of(plan, personas.construction)
    fake = SimpleUploadedFile("plan.docx", b"<html>not a document</html>")
    response = post(client, f"/plans/implementation/{obligation.pk}/upload/", {"file": fake})
    assert response.status_code == 302
    obligation.refresh_from_db()
    assert obligation.item.state == Item.State.OPEN and obligation.document is None
    page = client.get(response["Location"]).content.decode()
    assert "Word" in page and "PDF" in page


def test_a_liaison_may_not_upload_for_another_unit(plan, personas):
    obligation = obligation_of(plan, personas.construction)
    response = post(
        csrf_client(personas.lily),
        f"/plans/implementation/{obligation.pk}/upload/",
        {"file": pdf_file()},
    )
    assert response.status_code == 403
    obligation.refresh_from_db()
    assert obligation.item.state == Item.State.OPEN
    with pytest.raises(PermissionDenied):
        implementation_upload(obligation, files=[pdf_file()], by=personas.lily)


@pytest.mark.parametrize("persona", ["ian", "lena"])
def test_the_inspector_and_the_leader_read_but_do_not_upload(plan, personas, persona):
    user = getattr(personas, persona)
    client = csrf_client(user)
    obligation = obligation_of(plan, personas.construction)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "区城乡建设局" in page and f"/implementation/{obligation.pk}/upload/" not in page
    response = post(client, f"/plans/implementation/{obligation.pk}/upload/", {"file": pdf_file()})
    assert response.status_code == 403
    obligation.refresh_from_db()
    assert obligation.item.state == Item.State.OPEN


def test_the_outsider_sees_no_implementation_plan(plan, personas):
    client = csrf_client(personas.oscar)
    obligation = obligation_of(plan, personas.construction)
    assert client.get(f"/plans/implementation/{obligation.pk}/document/").status_code == 404
    response = post(client, f"/plans/implementation/{obligation.pk}/upload/", {"file": pdf_file()})
    assert response.status_code == 404


def liam_uploads_a_word_plan(plan, personas):
    client = csrf_client(personas.liam)
    obligation = obligation_of(plan, personas.construction)
    url = f"/plans/implementation/{obligation.pk}/upload/"
    post(client, url, {"file": word_file(IMPLEMENTATION_PLAN)})
    return client, obligation


def test_a_readable_word_plan_adds_its_tasks_under_the_units_task(plan, personas):
    client, obligation = liam_uploads_a_word_plan(plan, personas)
    preview = client.get(f"/plans/implementation/{obligation.pk}/tasks/")
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "建筑工地扬尘治理" in text and "老旧小区雨污分流改造" in text
    parent = Task.objects.get(plan=plan, number="10")
    assert Task.objects.filter(parent=parent).count() == 0  # nothing before confirming
    post(client, f"/plans/implementation/{obligation.pk}/tasks/", {"parent": parent.pk})
    subtasks = list(Task.objects.filter(parent=parent).order_by("number"))
    assert [task.number for task in subtasks] == ["10-1", "10-2"]
    assert subtasks[0].deadline == datetime.date(2025, 6, 1) and subtasks[1].ongoing
    assert subtasks[0].units.get(role="lead").unit == personas.construction
    assert subtasks[0].units.get(role="support").unit == personas.bureau
    # timed at once: the ledger's lists filter on the stored status
    assert all(task.status for task in subtasks), [task.status for task in subtasks]
    # once only; and a re-import of the plan keeps the sub-tasks
    post(client, f"/plans/implementation/{obligation.pk}/tasks/", {"parent": parent.pk})
    assert Task.objects.filter(parent=parent).count() == 2
    plans_sample_load()
    assert Task.objects.filter(parent=parent).count() == 2


def test_tasks_go_only_under_a_task_the_unit_leads(plan, personas):
    client, obligation = liam_uploads_a_word_plan(plan, personas)
    foreign = Task.objects.get(plan=plan, number="1")
    post(client, f"/plans/implementation/{obligation.pk}/tasks/", {"parent": foreign.pk})
    assert not Task.objects.filter(parent__isnull=False).exists()
    lily = csrf_client(personas.lily)
    assert lily.get(f"/plans/implementation/{obligation.pk}/tasks/").status_code == 403


def test_a_pdf_offers_no_task_import(plan, personas):
    client = csrf_client(personas.liam)
    obligation = obligation_of(plan, personas.construction)
    post(client, f"/plans/implementation/{obligation.pk}/upload/", {"file": pdf_file()})
    response = client.get(f"/plans/implementation/{obligation.pk}/tasks/")
    assert response.status_code == 302
    assert (
        f"/implementation/{obligation.pk}/tasks/"
        not in client.get(plan.get_absolute_url()).content.decode()
    )


def test_the_api_lists_the_obligations_and_takes_the_upload(plan, personas):
    client = csrf_client(personas.liam)
    rows = client.get(f"/api/plans/{plan.pk}/implementations").json()
    mine = next(row for row in rows if row["unit"] == "区城乡建设局")
    assert mine["state"] == "open" and mine["uploaded_at"] is None
    url = f"/api/implementations/{mine['id']}/document"
    token = client.cookies["csrftoken"].value
    response = client.post(url, {"file": pdf_file()}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "closed" and response.json()["late"]  # due months ago
    again = client.post(url, {"file": pdf_file()}, HTTP_X_CSRFTOKEN=token)
    assert again.status_code == 422
    other = next(row for row in rows if row["unit"] != "区城乡建设局")
    refused = client.post(
        f"/api/implementations/{other['id']}/document", {"file": pdf_file()}, HTTP_X_CSRFTOKEN=token
    )
    assert refused.status_code == 403
    assert (
        csrf_client(personas.oscar).get(f"/api/plans/{plan.pk}/implementations").status_code == 404
    )
