"""The supervision ledger: one mechanism for every supervised kind — items' steps and
refusals, the one scan that times items and cases alike, notices (in-app and e-mail), the
one list of every kind with its role lines, the Excel export and progress import."""

import datetime
import io
import socket

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from ecogov.cases import services as case_services
from ecogov.cases.models import Channel
from ecogov.domain.supervision import Colour, Stage
from ecogov.supervision import clocks, ledger, services
from ecogov.supervision.models import Item, ItemEvent, Kind, Notice

MONDAY = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0))
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def instruction(personas, **fields):
    fields.setdefault("title", "关于加快推进城中河黑臭水体整治的批示")
    fields.setdefault("deadline", datetime.date(2026, 3, 31))
    fields.setdefault("lead", personas.construction)
    return services.item_create(
        jurisdiction=personas.district, kind=Kind.INSTRUCTION, supervisor=personas.bureau,
        text="请区城乡建设局牵头，3月底前完成截污纳管。", source="区长批示件〔2026〕5号",
        support=[personas.health], by=personas.dora, at=MONDAY, **fields,
    )  # fmt: skip


def test_an_item_is_reported_asked_closed_verified_and_its_history_kept(personas):
    item = instruction(personas)
    assert item.number.endswith("-2026-0001") and item.state == Item.State.OPEN
    assert item.due == datetime.date(2026, 3, 31)
    evidence = SimpleUploadedFile("现场照片.pdf", PDF)
    services.item_report(item, text="已完成截污管网铺设60%。", percent="60", files=[evidence],
                         by=personas.liam, at=MONDAY + datetime.timedelta(days=7))  # fmt: skip
    services.item_report(item, text="配合完成沿线排查。", by=personas.lily)  # supporting unit
    services.item_ask_completion(item, text="截污纳管全部完成。", by=personas.liam)
    item.refresh_from_db()
    assert item.state == Item.State.COMPLETION_ASKED and item.clock_workdays
    services.item_verify(item, accept=False, note="现场仍有一处排口未封堵", by=personas.dora)
    assert item.state == Item.State.OPEN
    services.item_ask_completion(item, text="排口已封堵。", by=personas.liam)
    services.item_verify(item, accept=True, note="现场核查属实", by=personas.dora)
    item.refresh_from_db()
    assert item.state == Item.State.CLOSED and item.closed_at
    kinds = list(item.events.values_list("kind", flat=True))
    assert kinds == ["created", "reported", "reported", "completion_asked", "sent_back",
                     "completion_asked", "closed"]  # fmt: skip
    assert item.events.get(kind="reported", percent=60).evidence.get().kind == "pdf"
    with pytest.raises(ValidationError):
        services.item_report(item, text="再报一次", by=personas.liam)


def test_bad_input_is_refused_and_changes_nothing(personas):
    with pytest.raises(ValidationError, match="牵头单位"):
        instruction(personas, lead=None)
    with pytest.raises(ValidationError):
        instruction(personas, deadline=None)  # neither a deadline nor ongoing
    with pytest.raises(ValidationError):
        instruction(personas, lead=personas.outsider_unit)  # another district's unit
    assert Item.objects.count() == 0
    item = instruction(personas)
    with pytest.raises(ValidationError):
        services.item_report(item, text="", by=personas.liam)
    with pytest.raises(ValidationError):
        services.item_report(item, text="进展", percent="120", by=personas.liam)
    with pytest.raises(ValidationError):
        services.item_report(item, text="进展", files=[SimpleUploadedFile("x.html", b"<script>")],
                             by=personas.liam)  # fmt: skip
    with pytest.raises(ValidationError):
        services.item_verify(item, accept=True, note="", by=personas.dora)  # nothing asked yet
    assert item.events.count() == 1


def test_who_may_take_which_step(personas):
    item = instruction(personas)
    for person in (personas.ian, personas.gary, personas.oscar):
        with pytest.raises(PermissionDenied):
            services.item_report(item, text="进展", by=person)
    with pytest.raises(PermissionDenied):
        services.item_ask_completion(item, text="完成", by=personas.lily)  # supporting, not lead
    services.item_ask_completion(item, text="完成", by=personas.liam)
    for person in (personas.liam, personas.ian, personas.lena, personas.oscar):
        with pytest.raises(PermissionDenied):
            services.item_verify(item, accept=True, note="核查", by=person)


def test_an_ongoing_item_owes_a_report_every_rhythm_and_goes_red_without_one(personas):
    item = instruction(personas, deadline=None, ongoing=True, report_every=1)
    assert item.due == datetime.date(2026, 4, 2)
    clocks.scan(datetime.date(2026, 4, 10))
    item.refresh_from_db()
    assert item.colour == Colour.RED
    services.item_report(item, text="本月巡河4次。", by=personas.liam,
                         at=timezone.make_aware(datetime.datetime(2026, 4, 10, 10)))  # fmt: skip
    item.refresh_from_db()
    assert (item.colour, item.due) == (Colour.NONE, datetime.date(2026, 5, 10))


def test_one_scan_times_items_and_cases_alike_and_escalates_by_level(personas):
    item = instruction(personas, level="urgent")
    case = case_services.case_register(
        jurisdiction=personas.district, channel=Channel.HOTLINE, by=personas.dora, now=MONDAY,
        text="南滩街道一个家属院后面的排洪渠常年是黑水，一到夏天臭得受不了",
    )  # fmt: skip
    report = clocks.scan(datetime.date(2026, 4, 3))
    assert report.by_kind == {"case": 1, "item": 1}
    item.refresh_from_db()
    case.refresh_from_db()
    assert item.colour == case.colour == Colour.RED
    assert item.stage == Stage.DISCIPLINE  # urgent: two working days late
    events = list(
        item.events.filter(kind__in=["notice", "escalated"]).values_list("kind", flat=True)
    )
    assert events == ["notice", "escalated"]
    assert clocks.scan(datetime.date(2026, 4, 3)).notices == 0  # twice changes nothing
    # Notices went to the lead unit's liaison and, escalated, to the inspector.
    assert Notice.objects.filter(recipient=personas.liam, url=item.get_absolute_url()).exists()
    assert Notice.objects.filter(recipient=personas.ian, url=item.get_absolute_url()).exists()
    assert not Notice.objects.filter(recipient=personas.oscar).exists()
    # The discipline commission's view: what escalated to it, of every kind.
    watched = ledger.rows(personas.ian, ledger.Filters(escalated=Stage.DISCIPLINE))
    assert item.number in {row.number for row in watched}
    assert all(row.stage == Stage.DISCIPLINE for row in watched)


def test_notices_go_by_email_too_when_the_setting_names_it(
    personas, settings, django_capture_on_commit_callbacks
):
    settings.ECOGOV_NOTIFIERS = [
        "ecogov.supervision.notify.in_app", "ecogov.supervision.notify.email",
    ]  # fmt: skip
    personas.liam.email = "liam@cz.gov.example"
    personas.liam.save()
    with django_capture_on_commit_callbacks(execute=True):
        instruction(personas)
    assert [message.to for message in mail.outbox] == [["liam@cz.gov.example"]]
    assert "城中河" in mail.outbox[0].subject


def test_the_ledger_lists_every_kind_a_person_may_see(personas):
    item = instruction(personas)
    case_services.case_register(
        jurisdiction=personas.district, channel=Channel.HOTLINE, by=personas.dora, now=MONDAY,
        text="南滩街道一个家属院后面的排洪渠常年是黑水，一到夏天臭得受不了",
    )  # fmt: skip
    kinds = {row.kind for row in ledger.rows(personas.ian, ledger.Filters())}
    assert {"instruction", "case"} <= kinds
    assert [
        r.number for r in ledger.rows(personas.liam, ledger.Filters(kinds={"instruction"}))
    ] == [item.number]
    assert ledger.rows(personas.oscar, ledger.Filters()) == []
    assert ledger.rows(personas.gary, ledger.Filters(kinds={"instruction"})) == []


def test_the_pages_keep_their_role_lines(personas, form_client_for):
    item = instruction(personas)
    assert form_client_for(personas.ian).get("/supervision/").status_code == 200
    page = form_client_for(personas.ian).get(item.get_absolute_url())
    assert page.status_code == 200 and "item_act" not in page.content.decode()
    refused = form_client_for(personas.ian).post(
        f"/supervision/items/{item.pk}/act/report/", {"text": "x"}
    )
    assert refused.status_code == 403
    assert item.events.count() == 1  # the inspector changes nothing
    assert form_client_for(personas.oscar).get(item.get_absolute_url()).status_code == 404
    assert form_client_for(personas.liam).get("/supervision/new/").status_code == 403
    liam = form_client_for(personas.liam)
    liam.get(item.get_absolute_url())
    response = liam.post(
        f"/supervision/items/{item.pk}/act/report/", {"text": "已开工", "percent": "10"}
    )
    assert response.status_code == 302 and item.events.filter(kind="reported").count() == 1


def test_the_bureau_enters_an_instruction_on_the_page(personas, form_client_for):
    dora = form_client_for(personas.dora)
    response = dora.post("/supervision/new/", {
        "kind": "instruction", "title": "关于建筑工地扬尘管控的批示", "lead": personas.construction.pk,
        "support": [personas.health.pk], "level": "important", "deadline": "2026-12-31",
    })  # fmt: skip
    item = Item.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert item.supervisor == personas.bureau and list(item.support.all()) == [personas.health]
    refused = dora.post("/supervision/new/", {"kind": "instruction", "title": "无牵头单位"})
    assert refused.status_code == 200 and Item.objects.count() == 1


def test_the_ledger_exports_and_imports_progress(personas, form_client_for):
    item = instruction(personas)
    response = form_client_for(personas.liam).get("/supervision/export.xlsx?kind=instruction")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    header_row = next(
        i for i, row in enumerate(sheet.iter_rows(values_only=True), 1) if "编号" in row
    )
    header = [cell.value for cell in sheet[header_row]]
    sheet.cell(header_row + 1, header.index("本期进展") + 1, "已完成沿河排口排查")
    sheet.cell(header_row + 1, header.index("完成百分比") + 1, 30)
    filled = io.BytesIO()
    book.save(filled)
    upload = SimpleUploadedFile("台账.xlsx", filled.getvalue())
    form_client_for(personas.liam).post("/supervision/import/", {"file": upload})
    assert item.events.get(kind=ItemEvent.Kind.REPORTED).percent == 30
    # The inspector's import is refused as a whole.
    upload = SimpleUploadedFile("台账.xlsx", filled.getvalue())
    form_client_for(personas.ian).post("/supervision/import/", {"file": upload})
    assert item.events.filter(kind=ItemEvent.Kind.REPORTED).count() == 1


def api_client(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/")
    return client, {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}


def test_the_api_creates_steps_and_lists_with_the_same_lines(personas):
    dora, headers = api_client(personas.dora)
    body = {"kind": "special", "title": "秸秆禁烧专项督办", "lead": personas.construction.pk,
            "deadline": "2026-11-30", "level": "urgent"}  # fmt: skip
    created = dora.post("/api/supervision/items", body, content_type="application/json", **headers)
    assert created.status_code == 201, created.content
    item_id = created.json()["id"]
    refused = dora.post("/api/supervision/items", {**body, "lead": personas.outsider_unit.pk},
                        content_type="application/json", **headers)  # fmt: skip
    assert refused.status_code in (400, 422) and refused.json()["detail"]
    liam, liam_headers = api_client(personas.liam)
    step = liam.post(f"/api/supervision/items/{item_id}/steps/report",
                     {"text": "已部署各村巡查", "percent": 20},
                     content_type="application/json", **liam_headers)  # fmt: skip
    assert step.status_code == 200, step.content
    ian, ian_headers = api_client(personas.ian)
    denied = ian.post(f"/api/supervision/items/{item_id}/steps/report", {"text": "x"},
                      content_type="application/json", **ian_headers)  # fmt: skip
    assert denied.status_code == 403
    rows = ian.get("/api/supervision/ledger?kind=special").json()
    assert [row["title"] for row in rows] == ["秸秆禁烧专项督办"]
    assert api_client(personas.oscar)[0].get(f"/api/supervision/items/{item_id}").status_code == 404
    detail = ian.get(f"/api/supervision/items/{item_id}").json()
    assert [event["kind"] for event in detail["events"]] == ["created", "reported"]
    assert liam.get("/api/notices?unread=true").json()[0]["url"] == f"/supervision/items/{item_id}/"


def test_a_monthly_dispatch_reminder_reaches_the_units_liaison_as_a_notice(personas):
    from ecogov.org.selectors import unit_find
    from ecogov.plans.dispatch import dispatch_run
    from ecogov.plans.sample import plans_sample_load
    from ecogov.testing import make_person

    plan = plans_sample_load()[0]
    type(plan).objects.filter(pk=plan.pk).update(imported_on=datetime.date(2025, 12, 1))
    farmer = make_person("fay", "liaison", unit_find(personas.district, "区农业农村局"))
    for day in (datetime.date(2026, 1, 2), datetime.date(2026, 2, 2)):
        dispatch_run(today=day)
    notice = Notice.objects.get(recipient=farmer)
    assert "2026-01" in notice.subject and notice.url == plan.get_absolute_url()


def test_notices_reach_a_real_smtp_server(personas, settings, django_capture_on_commit_callbacks):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message as Collect

    received = []

    class Handler(Collect):
        def handle_message(self, message):
            received.append(message)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = Controller(Handler(), hostname="127.0.0.1", port=port)
    server.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = (
            "127.0.0.1",
            server.server.sockets[0].getsockname()[1],
        )
        settings.ECOGOV_NOTIFIERS = [
            "ecogov.supervision.notify.in_app", "ecogov.supervision.notify.email",
        ]  # fmt: skip
        personas.liam.email = "liam@cz.gov.example"
        personas.liam.save()
        with django_capture_on_commit_callbacks(execute=True):
            instruction(personas)
    finally:
        server.stop()
    assert [message["To"] for message in received] == ["liam@cz.gov.example"]
    assert Notice.objects.filter(recipient=personas.liam).count() == 1


def test_a_case_assigned_or_transferred_is_told_to_the_units_liaison(personas):
    case = case_services.case_register(
        jurisdiction=personas.district, channel=Channel.HOTLINE, by=personas.dora, now=MONDAY,
        text="南滩街道一个家属院后面的排洪渠常年是黑水，一到夏天臭得受不了",
    )  # fmt: skip
    assert Notice.objects.get(recipient=personas.liam).url == case.get_absolute_url()
    case_services.case_accept(case, by=personas.liam, now=MONDAY)
    case_services.case_transfer(case, to=personas.health, reason="医疗废物归卫健部门",
                                by=personas.liam, now=MONDAY)  # fmt: skip
    assert Notice.objects.get(recipient=personas.lily).url == case.get_absolute_url()


def test_plan_tasks_are_timed_by_the_same_scan_and_escalate_when_overdue(personas):
    from ecogov.plans.sample import plans_sample_load

    plan = plans_sample_load()[0]
    type(plan).objects.filter(pk=plan.pk).update(imported_on=datetime.date(2024, 6, 1))
    task = plan.tasks.filter(deadline__year=2024, ongoing=False).first()
    report = clocks.scan(datetime.date(2026, 3, 2))
    assert report.by_kind["task"] >= 1
    task.refresh_from_db()
    assert (task.colour, task.stage) == (Colour.RED, Stage.DISCIPLINE)
    assert Notice.objects.filter(recipient=personas.ian, url=task.get_absolute_url()).exists()
    assert task.history.first().history_change_reason.startswith("升级督办")
    assert clocks.scan(datetime.date(2026, 3, 2)).escalations == 0


def test_the_scan_keeps_a_tasks_status_even_when_its_colour_stays(personas):
    """The lists filter on the status the scan stores: a status that changed without the
    colour is stored too, silently."""
    from ecogov.plans.sample import plans_sample_load
    from ecogov.plans.supervised import _status

    day = datetime.date(2026, 3, 2)
    plan = plans_sample_load()[0]
    clocks.scan(day)
    task = plan.tasks.filter(completed_on=None).select_related("plan").first()
    type(task).objects.filter(pk=task.pk).update(status="")  # as if never timed
    notices = Notice.objects.count()
    assert clocks.scan(day).notices == 0
    task.refresh_from_db()
    assert task.status == _status(task, day) != "" and Notice.objects.count() == notices


def test_required_text_of_only_invisible_characters_is_refused_everywhere():
    """One cleaning path for every text: blanks, zero-width spaces, word joiners, BOMs and
    soft hyphens are no reason, no grounds, no objection."""
    from django.core.exceptions import ValidationError

    from ecogov.supervision.services import text_of

    for empty in ("\u200b", " \u2060\ufeff ", "\u00ad\u3000"):
        with pytest.raises(ValidationError):
            text_of(empty, "The reason")
    assert text_of(" 理由\u200b ", "The reason") == "理由\u200b"
