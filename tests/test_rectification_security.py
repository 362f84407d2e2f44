"""An outsider's attempts on the rectification ledger (issue 19): people crossing lines,
a rectifying unit accepting its own work, steps out of order, bad input and what the
public sees. Each refusal is asserted with its status and that nothing changed."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ecogov.accounts.models import Role
from ecogov.cases.models import Case, Channel
from ecogov.cases.services import case_register
from ecogov.rectification import services, transfers
from ecogov.rectification.models import Batch, LookBack, Objection, Origin, Problem
from ecogov.rectification.services import MeasureInput
from ecogov.supervision.models import ItemEvent
from ecogov.testing import make_person

PDF = b"%PDF-1.4\n" + b"0" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def pdf(name="record.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def batch(personas):
    return services.batch_create(
        jurisdiction=personas.district, origin=Origin.CENTRAL, title="第二轮中央生态环境保护督察",
        received_on=days(-60), team="第三督察组", publicity_days=5, by=personas.dora,
    )  # fmt: skip


def make_problem(personas, batch, **fields) -> Problem:
    fields.setdefault("measures", [MeasureInput("关停取缔违规砂石料场", personas.construction,
                                                days(30))])  # fmt: skip
    fields.setdefault("acceptance_unit", personas.bureau)
    return services.problem_create(
        batch, text="（虚构示例）南川河沿岸存在违规砂石料场。", stage=Problem.Stage.BY_DATE,
        lead=personas.construction, leader="分管副区长王某某", by=personas.dora, **fields,
    )  # fmt: skip


@pytest.fixture
def problem(personas, batch):
    return make_problem(personas, batch)


def done(personas, problem):
    for measure in problem.measures.all():
        services.measure_report(measure, text="已完成", done=True, by=personas.liam)


def applied(personas, problem):
    done(personas, problem)
    return services.acceptance_apply(problem, text="自查报告", by=personas.liam)


def publicised(personas, problem):
    applied(personas, problem)
    services.acceptance_decide(problem, accept=True, note="现场核查属实", by=personas.dora)
    return services.sign_off(problem, by=personas.lena)


def snapshot(problem) -> tuple:
    problem = Problem.objects.get(pk=problem.pk)
    return (
        problem.state, problem.acceptance_unit_id, problem.closed_on, bool(problem.closeout_file),
        ItemEvent.objects.filter(item=problem.item_id).count(),
        tuple(problem.measures.values_list("pk", "done_on", "deadline")),
        tuple(problem.objections.values_list("pk", "decision")),
        tuple(problem.lookbacks.values_list("pk", "result")),
    )  # fmt: skip


def act(client, problem, action, data=None, **extra):
    return client.post(f"/rectification/problems/{problem.pk}/act/{action}/", data or {}, **extra)


def step(client, problem, action, payload):
    return client.post(f"/api/rectification/problems/{problem.pk}/steps/{action}", payload,
                       content_type="application/json")  # fmt: skip


def refused(response) -> bool:
    """A refusal: 4xx, or the page's redirect back with its error message."""
    if 400 <= response.status_code < 500:
        return True
    if response.status_code == 302:
        levels = [m.level_tag for m in response.wsgi_request._messages._queued_messages]
        return "error" in levels and "success" not in levels
    return False


# --- crossing lines -----------------------------------------------------------------


def test_outsiders_neither_read_nor_act(personas, batch, problem, client_for, form_client_for):
    from django.test import Client

    # lily's unit (health) has nothing to do with this problem (construction's alone).
    closed = make_problem(personas, batch)
    publicised(personas, closed)
    Problem.objects.filter(pk=closed.pk).update(publicity_end=days(-1))
    closed.refresh_from_db()
    services.close_out(closed, files=[pdf("销号.pdf")], by=personas.dora)
    lookback = services.lookback_pick(closed, by=personas.dora)
    services.lookback_record(lookback, relapsed=False, note="未反弹", by=personas.dora,
                             files=[pdf("回头看.pdf")])  # fmt: skip
    before = (snapshot(problem), snapshot(closed))
    reads = [
        f"/rectification/batches/{batch.pk}/",
        f"/rectification/problems/{problem.pk}/",
        f"/rectification/problems/{closed.pk}/closeout/",
        f"/rectification/lookbacks/{lookback.pk}/file/",
        f"/rectification/batches/{batch.pk}/progress/",
        f"/rectification/batches/{batch.pk}/progress.xlsx",
        f"/rectification/batches/{batch.pk}/progress.docx",
        f"/rectification/batches/{batch.pk}/transfers/",
    ]
    for person in (personas.oscar, personas.gary, None):
        client = Client() if person is None else client_for(person)
        for url in reads:
            response = client.get(url)
            assert response.status_code in (302, 403, 404), (person, url, response.status_code)
            if response.status_code == 302:
                assert "/login" in response["Location"] or "/accounts/" in response["Location"]
    # lily sees the batch but not the other unit's problem nor its files.
    lily = client_for(personas.lily)
    for url in reads[1:4]:
        assert lily.get(url).status_code == 404, url
    # Acting: outsiders, an unrelated liaison, the grid worker and the inspector.
    for person in (personas.oscar, personas.lily, personas.gary, personas.ian):
        client = form_client_for(person)
        measure = problem.measures.first()
        for action, data in (("report", {"measure": measure.pk, "text": "x", "done": "on"}),
                             ("acceptance_unit", {"unit": personas.health.pk}),
                             ("pick", {}), ("apply", {"text": "x"})):  # fmt: skip
            assert refused(act(client, problem, action, data)), (person, action)
        assert step(client, problem, "acceptance_unit", {"unit": personas.health.pk}
                    ).status_code in (403, 404), person  # fmt: skip
        assert refused(client.post(f"/rectification/batches/{batch.pk}/problems/new/",
                                   {"text": "x"}))  # fmt: skip
        assert refused(client.post(f"/rectification/batches/{batch.pk}/transfers/new/",
                                   {"reference": "J1", "text": "x", "due_days": "3"}))  # fmt: skip
    # The inspector reads everything but changes nothing.
    ian = client_for(personas.ian)
    for url in reads:
        assert ian.get(url).status_code == 200, url
    assert (snapshot(problem), snapshot(closed)) == before
    # The API's filters leak no other district's rows.
    other = services.batch_create(
        jurisdiction=personas.outsider_district, origin=Origin.CENTRAL, title="城东区督察",
        received_on=days(-3), by=personas.oscar,
    )  # fmt: skip
    api = client_for(personas.oscar)
    assert api.get(f"/api/rectification/problems?batch={batch.pk}").json() == []
    assert [b["id"] for b in api.get("/api/rectification/batches").json()] == [other.pk]
    assert api.get(f"/api/rectification/problems/{problem.pk}").status_code == 404
    assert client_for(personas.lily).get(
        f"/api/rectification/problems?batch={batch.pk}").json() == []  # fmt: skip
    assert Batch.objects.count() == 2 and Problem.objects.count() == 2


def test_a_problem_is_not_raised_from_what_the_user_cannot_see(personas, batch, form_client_for):
    foreign = case_register(jurisdiction=personas.outsider_district, channel=Channel.HOTLINE,
                            text="城东区某厂夜间偷排", address="城东区")  # fmt: skip
    dora = form_client_for(personas.dora)
    assert dora.get(f"/rectification/raise/?case={foreign.pk}").status_code == 404
    form = {"text": "偷排", "stage": "at_once", "lead": personas.construction.pk,
            "measure_1": "查处", "measure_1_unit": personas.construction.pk,
            "case": foreign.pk}  # fmt: skip
    response = dora.post(f"/rectification/batches/{batch.pk}/problems/new/", form)
    assert response.status_code == 404
    for bad in ("1e309", "-1", "99999999999999999999999", "²"):
        response = dora.post(f"/rectification/batches/{batch.pk}/problems/new/",
                             form | {"case": bad})  # fmt: skip
        assert response.status_code == 400, bad
    # A unit of the other district in a hidden field.
    response = dora.post(f"/rectification/batches/{batch.pk}/problems/new/",
                         form | {"case": "", "lead": personas.outsider_unit.pk})  # fmt: skip
    assert response.status_code == 200 and not Problem.objects.exists()
    assert Case.objects.filter(pk=foreign.pk).get().jurisdiction == personas.outsider_district


# --- acceptance integrity -----------------------------------------------------------


def test_a_rectifying_unit_never_accepts_its_own_problem(personas, batch, form_client_for,
                                                          client_for):  # fmt: skip
    # health is a measure's unit; construction leads.
    problem = make_problem(personas, batch, measures=[
        MeasureInput("关停料场", personas.construction, days(30)),
        MeasureInput("排查医废", personas.health, days(20)),
    ])  # fmt: skip
    for measure in problem.measures.all():
        who = personas.liam if measure.unit == personas.construction else personas.lily
        services.measure_report(measure, text="完成", done=True, by=who)
    services.acceptance_apply(problem, text="自查报告", by=personas.liam)
    before = snapshot(problem)
    for person in (personas.liam, personas.lily):
        assert refused(act(form_client_for(person), problem, "accept", {"note": "ok"}))
        assert step(form_client_for(person), problem, "accept", {"note": "ok"}).status_code in (
            400, 403, 422)  # fmt: skip
    # The bureau cannot name a rectifying unit the acceptance unit after the application.
    dora = form_client_for(personas.dora)
    for unit in (personas.construction, personas.health):
        assert refused(act(dora, problem, "acceptance_unit", {"unit": unit.pk}))
        assert step(form_client_for(personas.dora), problem, "acceptance_unit",
                    {"unit": unit.pk}).status_code == 422  # fmt: skip
    assert snapshot(problem) == before
    # Nor does a leader of a rectifying unit sign its own problem off once accepted.
    chief = make_person("chief", Role.LEADER, personas.construction, name="建设局局长")
    services.acceptance_decide(problem, accept=True, note="现场核查属实", by=personas.dora)
    accepted = snapshot(problem)
    assert refused(act(form_client_for(chief), problem, "sign_off"))
    assert step(form_client_for(chief), problem, "sign_off", {}).status_code == 403
    assert snapshot(problem) == accepted
    Problem.objects.filter(pk=problem.pk).update(state=Problem.State.APPLIED)
    # Even if the ledger were bent to name one (a race), the decision still refuses.
    Problem.objects.filter(pk=problem.pk).update(acceptance_unit=personas.health)
    assert refused(act(form_client_for(personas.lily), problem, "accept", {"note": "ok"}))
    assert Problem.objects.get(pk=problem.pk).state == Problem.State.APPLIED


# --- the state machine --------------------------------------------------------------


def test_steps_out_of_order_or_twice_are_refused(personas, batch, problem, form_client_for):
    dora = form_client_for(personas.dora)
    liam = form_client_for(personas.liam)
    lena = form_client_for(personas.lena)
    other = make_problem(personas, batch)
    start = snapshot(problem)
    # Apply with undone measures; sign off or close out a problem being rectified;
    # look back on an open one; a measure of another problem.
    assert refused(act(liam, problem, "apply", {"text": "自查"}))
    assert refused(act(lena, problem, "sign_off"))
    assert refused(act(dora, problem, "close_out", {"files": pdf()}))
    assert refused(act(dora, problem, "pick"))
    assert refused(act(liam, problem, "report", {"measure": other.measures.first().pk,
                                                 "text": "x", "done": "on"}))  # fmt: skip
    assert snapshot(problem) == start and snapshot(other)[5][0][1] is None
    # Accept twice.
    applied(personas, problem)
    assert act(dora, problem, "accept", {"note": "ok"}).status_code == 302
    accepted = snapshot(problem)
    assert accepted[0] == Problem.State.ACCEPTED
    assert refused(act(dora, problem, "accept", {"note": "ok"}))
    assert refused(act(dora, problem, "refuse", {"note": "no"}))
    assert snapshot(problem) == accepted
    # Close-out before the publicity ends, and with an objection pending.
    problem.refresh_from_db()
    services.sign_off(problem, by=personas.lena)
    assert refused(act(lena, problem, "sign_off"))
    assert refused(act(dora, problem, "close_out", {"files": pdf()}))
    objection = services.objection_enter(problem, text="群众反映仍有扬尘", by=personas.dora)
    Problem.objects.filter(pk=problem.pk).update(publicity_end=days(-1))
    before = snapshot(problem)
    assert refused(act(dora, problem, "close_out", {"files": pdf()}))
    # An objection or a look-back of another problem.
    publicised(personas, other)
    foreign = services.objection_enter(other, text="异议", by=personas.dora)
    assert refused(act(dora, problem, "dismiss", {"objection": foreign.pk, "note": "x"}))
    assert snapshot(problem) == before
    assert Objection.objects.get(pk=foreign.pk).decision == Objection.Decision.PENDING
    # Decide it twice.
    assert act(dora, problem, "dismiss", {"objection": objection.pk, "note": "不属实"}).status_code
    assert refused(act(dora, problem, "uphold", {"objection": objection.pk, "note": "x",
                                                  "deadline": days(10)}))  # fmt: skip
    assert Problem.objects.get(pk=problem.pk).state == Problem.State.PUBLICITY
    # Close out, then record a look-back of another problem's, then twice.
    assert act(dora, problem, "close_out", {"files": pdf("销号.pdf")}).status_code == 302
    assert Problem.objects.get(pk=problem.pk).state == Problem.State.CLOSED
    assert refused(act(dora, problem, "close_out", {"files": pdf("销号.pdf")}))
    problem.refresh_from_db()
    lookback = services.lookback_pick(problem, by=personas.dora)
    services.objection_decide(foreign, uphold=False, note="不属实", by=personas.dora)
    Problem.objects.filter(pk=other.pk).update(publicity_end=days(-1))
    other.refresh_from_db()
    services.close_out(other, files=[pdf()], by=personas.dora)
    theirs = services.lookback_pick(other, by=personas.dora)
    closed = snapshot(problem)
    assert refused(act(dora, problem, "look_back", {"lookback": theirs.pk, "result": "holds",
                                                     "note": "x"}))  # fmt: skip
    assert LookBack.objects.get(pk=theirs.pk).result == LookBack.Result.PENDING
    data = {"lookback": lookback.pk, "result": "holds", "note": "未反弹"}
    assert act(dora, problem, "look_back", data).status_code == 302
    assert refused(act(dora, problem, "look_back", data))
    assert snapshot(problem)[:3] == closed[:3]


# --- bad input ----------------------------------------------------------------------

GARBAGE_NUMBERS = ("²", "٣", "1e309", "-1", "99999999999999999999999", "9" * 5000, "0x10", "1_0")


def test_garbage_numbers_dates_and_text_are_refused_not_500(personas, batch, problem,
                                                             form_client_for, client_for):  # fmt: skip
    dora = form_client_for(personas.dora)
    liam = form_client_for(personas.liam)
    api = form_client_for(personas.liam)
    before = snapshot(problem)
    for bad in GARBAGE_NUMBERS:
        assert refused(act(liam, problem, "report", {"measure": bad, "text": "x"})), bad
        assert refused(act(dora, problem, "acceptance_unit", {"unit": bad})), bad
        assert step(api, problem, "report", {"measure": bad, "text": "x"}).status_code in (
            400, 422), bad  # fmt: skip
        assert dora.get(f"/rectification/batches/{batch.pk}/?state={bad}").status_code == 200
        assert dora.get(f"/rectification/import/?batch={bad}").status_code in (200, 400), bad
        assert client_for(personas.dora).get(
            f"/api/rectification/problems?batch={bad}"
        ).status_code in (200, 400, 422), bad
        response = dora.post("/rectification/batches/new/", {
            "origin": Origin.CENTRAL, "title": f"批次{bad}", "received_on": "2026-01-01",
            "publicity_days": bad,
        })  # fmt: skip
        assert response.status_code == 200, bad  # the form again, with its message
        response = dora.post(f"/rectification/batches/{batch.pk}/transfers/new/", {
            "reference": f"J{len(bad)}", "text": "x", "received_on": "2026-01-01",
            "due_days": bad,
        })  # fmt: skip
        assert refused(response), bad
    for date in ("99999-01-01", "2026-13-40", "0000-00-00", "1e309"):
        measure = problem.measures.first()
        assert refused(act(dora, problem, "pick", {"due": date})), date
        response = dora.post("/rectification/batches/new/", {
            "origin": Origin.CENTRAL, "title": "日期", "received_on": date})  # fmt: skip
        assert response.status_code == 200, date
        assert step(api, problem, "report", {"measure": measure.pk, "text": "x",
                                             "received_on": date}).status_code == 200  # fmt: skip
    assert Batch.objects.count() == 1 and not transfers.TransferredCase.objects.exists()
    # NUL bytes, control characters and over-long text.
    assert act(liam, problem, "report", {"measure": problem.measures.first().pk,
                                         "text": "a\x00b"}).status_code == 400  # fmt: skip
    assert step(api, problem, "apply", {"text": "a\x00b"}).status_code in (400, 422)
    assert refused(act(liam, problem, "report", {"measure": problem.measures.first().pk,
                                                 "text": "长" * 200_000}))  # fmt: skip
    events = ItemEvent.objects.filter(item=problem.item_id).count()
    assert events == before[4] + 4  # the four reports with a bad date in an unused field
    # An executable or a page named .pdf as the close-out document.
    publicised(personas, problem)
    Problem.objects.filter(pk=problem.pk).update(publicity_end=days(-1))
    public = snapshot(problem)
    for data in (EXE, b"<html><script>alert(1)</script></html>", b""):
        assert refused(act(dora, problem, "close_out", {"files": pdf("销号.pdf", data)}))
        response = form_client_for(personas.dora).post(
            f"/api/rectification/problems/{problem.pk}/steps/close_out/upload",
            {"files": pdf("销号.pdf", data)})  # fmt: skip
        assert response.status_code in (400, 422)
    assert snapshot(problem) == public


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (200 * 1024 * 1024))
    return buffer.getvalue()


def test_the_import_refuses_what_is_not_a_list(personas, batch, form_client_for):
    dora = form_client_for(personas.dora)
    for name, data in (("list.xlsx", EXE), ("list.xlsx", b"<html></html>"),
                       ("list.xlsx", _bomb()), ("list.xlsx", b"PK\x03\x04broken")):  # fmt: skip
        response = dora.post(
            "/rectification/import/",
            {"file": SimpleUploadedFile(name, data), "batch": batch.pk, "action": "import"},
        )
        assert response.status_code in (200, 400), name
        assert not Problem.objects.exists()
    # The list kept in one session is not another's: oscar's session has nothing.
    oscar = form_client_for(personas.oscar)
    response = oscar.post("/rectification/import/", {"batch": batch.pk, "action": "import"})
    assert response.status_code in (200, 403)
    assert not Problem.objects.exists()
    # A batch of another district named in the form.
    other = services.batch_create(
        jurisdiction=personas.outsider_district, origin=Origin.CENTRAL, title="城东区督察",
        received_on=days(-3), by=personas.oscar,
    )  # fmt: skip
    response = dora.post("/rectification/import/", {"batch": other.pk, "action": "import"})
    assert response.status_code in (200, 403)
    for bad in GARBAGE_NUMBERS:
        response = dora.post("/rectification/import/", {"batch": bad, "names": bad})
        assert response.status_code in (200, 400), bad
    assert not Problem.objects.exists()


# --- confidentiality ----------------------------------------------------------------


def test_the_public_sees_no_people_and_nothing_unpublished(personas, batch, problem, client_for):
    from django.test import Client

    hidden = services.batch_create(
        jurisdiction=personas.district, origin=Origin.PROVINCIAL, title="未公开的省级督察批次",
        received_on=days(-3), public=False, by=personas.dora,
    )  # fmt: skip
    services.problem_create(
        hidden, text="不公开的问题文本", stage=Problem.Stage.AT_ONCE, lead=personas.construction,
        measures=[MeasureInput("整改", personas.construction)], by=personas.dora,
    )  # fmt: skip
    publicised(personas, problem)
    services.objection_enter(problem, text="异议人张三13912345678", by=personas.dora)
    transfers.transfer_receive(
        batch, reference="SJ-001", text="举报人李四（电话13987654321）反映扬尘",
        received_on=days(-2), due_days=5, address="南川河", by=personas.dora,
    )  # fmt: skip
    transfers.transfer_receive(
        hidden, reference="SJ-999", text="未公开的信访件", received_on=days(-2), due_days=5,
        by=personas.dora,
    )  # fmt: skip
    page = Client().get("/public/rectification/").content.decode()
    assert batch.title in page and "南川河沿岸" in page
    for secret_text in ("未公开的省级督察批次", "不公开的问题文本", "分管副区长王某某",
                        "张三", "13912345678", "李四", "13987654321", "SJ-001", "SJ-999",
                        "Liam", "Dora", "Lena", "13800000001"):  # fmt: skip
        assert secret_text not in page, secret_text
    # The transfers page shows a liaison no reporter, nor the complaint of a case they
    # may not see.
    staff = client_for(personas.lily).get(f"/rectification/batches/{batch.pk}/transfers/")
    assert staff.status_code == 200
    assert "李四" not in staff.content.decode() and "13987654321" not in staff.content.decode()
    # The district filter takes no garbage and opens no unpublished batch.
    for bad in ("1e309", "²", "-1", "9" * 30):
        assert Client().get(f"/public/rectification/?district={bad}").status_code == 400, bad
    chosen = Client().get(f"/public/rectification/?district={personas.district.pk}")
    assert "未公开的省级督察批次" not in chosen.content.decode()
