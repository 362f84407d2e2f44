"""Rectification problems (整改台账, seed 004 tasks 17–19): a problem's whole life on the
supervision ledger, each refusal, the progress computed from measures and milestones,
the look-back draw and a relapse raised to the discipline commission."""

import datetime
import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from ecogov.domain.supervision import Colour, Stage
from ecogov.rectification import services
from ecogov.rectification.models import LookBack, Objection, Origin, Problem
from ecogov.rectification.services import MeasureInput, MilestoneInput, Progress
from ecogov.supervision import ledger
from ecogov.supervision.models import Item, ItemEvent, Kind, Notice

PDF = b"%PDF-1.4\n" + b"0" * 64


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def pdf(name="record.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def batch(personas):
    return services.batch_create(
        jurisdiction=personas.district, origin=Origin.CENTRAL, title="第二轮中央生态环境保护督察",
        received_on=days(-60), team="第三督察组", publicity_days=5, by=personas.dora,
    )  # fmt: skip


def make_problem(personas, batch, **fields) -> Problem:
    fields.setdefault("measures", [
        MeasureInput("关停取缔违规砂石料场", personas.construction, days(30)),
        MeasureInput("开展周边医疗废物排查", personas.health, days(20)),
    ])  # fmt: skip
    fields.setdefault("stage", Problem.Stage.BY_DATE)
    return services.problem_create(
        batch, text="（虚构示例）南川河沿岸存在违规砂石料场，扬尘污染问题突出。",
        target="砂石料场全部关停，沿岸生态修复到位", lead=personas.construction,
        leader="分管副区长", by=personas.dora, acceptance_unit=personas.bureau, **fields,
    )  # fmt: skip


@pytest.fixture
def problem(personas, batch):
    return make_problem(personas, batch)


def all_measures_done(personas, problem):
    for measure in problem.measures.all():
        who = personas.liam if measure.unit == personas.construction else personas.lily
        services.measure_report(measure, text="已完成", done=True, by=who, files=[pdf()])


def publicised(personas, problem):
    all_measures_done(personas, problem)
    services.acceptance_apply(problem, text="自查报告：全部措施已落实", by=personas.liam)
    services.acceptance_decide(problem, accept=True, note="现场核查属实", by=personas.dora)
    return services.sign_off(problem, by=personas.lena)


def test_a_problem_is_a_supervised_item_with_its_measures(personas, batch, problem):
    item = problem.item
    assert item.kind == Kind.RECTIFICATION and item.lead == personas.construction
    assert item.deadline == days(30) and item.level == "important"
    assert list(item.support.all()) == [personas.health]
    assert problem.seq == 1 and problem.state == Problem.State.RECTIFYING
    assert item.source == "第二轮中央生态环境保护督察 第1项"
    rows = ledger.rows(personas.lena, ledger.Filters(kinds=frozenset({Kind.RECTIFICATION})))
    assert [(row.number, row.state) for row in rows] == [(item.number, "being rectified")]


def test_progress_is_computed_from_measures_and_milestones(personas, batch, problem):
    assert services.progress_of(problem) == Progress.ON_SCHEDULE
    first = problem.measures.get(order=2)  # due in 20 days
    assert services.progress_of(problem, days(21)) == Progress.BEHIND
    services.measure_report(first, text="排查完毕", done=True, by=personas.lily)
    assert services.progress_of(problem, days(21)) == Progress.ON_SCHEDULE
    all_measures_done(personas, problem)
    assert services.progress_of(problem, days(40)) == Progress.COMPLETED

    long_term = make_problem(
        personas, batch, stage=Problem.Stage.LONG_TERM,
        milestones=[MilestoneInput("完成岸线生态修复一期", days(10)),
                    MilestoneInput("完成二期", days(200))],
        measures=[MeasureInput("持续巡查", personas.construction)],
    )  # fmt: skip
    assert long_term.item.ongoing and long_term.item.deadline is None
    assert services.progress_of(long_term, days(11)) == Progress.BEHIND
    with pytest.raises(ValidationError, match="milestone"):
        make_problem(personas, batch, stage=Problem.Stage.LONG_TERM)


def test_only_the_measures_units_report_and_measures_must_be_done_first(personas, problem):
    measure = problem.measures.get(order=2)  # 区卫生健康局's
    with pytest.raises(PermissionDenied):
        services.measure_report(measure, text="x", by=personas.gary)
    with pytest.raises(ValidationError, match="not reported done"):
        services.acceptance_apply(problem, text="自查报告", by=personas.liam)
    with pytest.raises(PermissionDenied):  # a supporting unit does not apply
        all_measures_done(personas, problem)
        services.acceptance_apply(problem, text="自查报告", by=personas.lily)


def test_the_rectifying_units_never_accept_their_own_work(personas, problem):
    with pytest.raises(ValidationError, match="another than the units"):
        services.acceptance_unit_set(problem, unit=personas.health, by=personas.dora)
    all_measures_done(personas, problem)
    services.acceptance_apply(problem, text="自查报告", by=personas.liam)
    with pytest.raises(ValidationError, match="own rectification"):
        services.acceptance_decide(problem, accept=True, note="", by=personas.liam)
    with pytest.raises(PermissionDenied):
        services.acceptance_decide(problem, accept=True, note="", by=personas.lena)


def test_a_refused_acceptance_sends_the_problem_back(personas, problem):
    all_measures_done(personas, problem)
    services.acceptance_apply(problem, text="自查报告", by=personas.liam, files=[pdf()])
    assert problem.item.state == Item.State.COMPLETION_ASKED
    with pytest.raises(ValidationError, match="opinion"):
        services.acceptance_decide(problem, accept=False, note="", by=personas.dora)
    services.acceptance_decide(problem, accept=False, note="现场仍有堆料", by=personas.dora)
    problem.refresh_from_db()
    assert problem.state == Problem.State.RECTIFYING
    assert problem.item.state == Item.State.OPEN
    assert problem.item.events.filter(kind=ItemEvent.Kind.SENT_BACK, note="现场仍有堆料").exists()


def test_close_out_waits_for_the_publicity_and_the_objections(personas, problem):
    publicised(personas, problem)
    problem.refresh_from_db()
    assert problem.state == Problem.State.PUBLICITY
    assert (problem.publicity_start, problem.publicity_end) == (days(0), days(4))
    with pytest.raises(ValidationError, match="publicity runs until"):
        services.close_out(problem, files=[pdf("销号.pdf")], by=personas.dora)
    objection = services.objection_enter(problem, text="料场夜间仍在作业", by=personas.dora)
    later = timezone.now() + datetime.timedelta(days=6)
    with pytest.raises(ValidationError, match="objection awaits"):
        services.close_out(problem, files=[pdf("销号.pdf")], by=personas.dora, at=later)
    services.objection_decide(objection, uphold=False, note="经核实为合法施工", by=personas.dora)
    with pytest.raises(ValidationError, match="close-out document"):
        services.close_out(problem, files=[], by=personas.dora, at=later)
    with pytest.raises(ValidationError):
        fake = SimpleUploadedFile("销号.pdf", b"MZ\x90\x00 not a pdf")
        services.close_out(problem, files=[fake], by=personas.dora, at=later)
    services.close_out(problem, files=[pdf("销号.pdf")], by=personas.dora, at=later)
    problem.refresh_from_db()
    assert problem.state == Problem.State.CLOSED and problem.closeout_name == "销号.pdf"
    assert problem.item.state == Item.State.CLOSED


def test_an_upheld_objection_sends_it_back_to_rectification(personas, problem):
    publicised(personas, problem)
    objection = services.objection_enter(problem, text="料场夜间仍在作业", by=personas.dora)
    services.objection_decide(objection, uphold=True, note="核实属实", deadline=days(40),
                              by=personas.dora)  # fmt: skip
    problem.refresh_from_db()
    assert objection.decision == Objection.Decision.UPHELD
    assert problem.state == Problem.State.RECTIFYING and problem.item.state == Item.State.OPEN
    assert problem.item.deadline == days(40)
    assert not problem.measures.exclude(done_on=None).exists()


def closed(personas, problem):
    publicised(personas, problem)
    later = timezone.now() + datetime.timedelta(days=6)
    return services.close_out(problem, files=[pdf()], by=personas.dora, at=later)


def test_a_relapse_reopens_the_problem_red_before_the_discipline_commission(personas, problem):
    closed(personas, problem)
    lookback = services.lookback_pick(problem, by=personas.dora)
    assert lookback.picked and lookback.unit == personas.construction
    with pytest.raises(ValidationError, match="deadline"):
        services.lookback_record(lookback, relapsed=True, note="料场复工", by=personas.dora)
    services.lookback_record(lookback, relapsed=True, note="料场复工", deadline=days(30),
                             by=personas.dora)  # fmt: skip
    problem.refresh_from_db()
    item = problem.item
    assert problem.state == Problem.State.RECTIFYING and problem.relapses == 1
    assert item.state == Item.State.OPEN
    assert {(m.done_on, m.deadline) for m in problem.measures.all()} == {(None, days(30))}
    assert (item.colour, item.stage) == (Colour.RED, Stage.DISCIPLINE)
    seen = ledger.rows(personas.ian, ledger.Filters(escalated=Stage.DISCIPLINE))
    assert [row.pk for row in seen] == [item.pk]
    assert Notice.objects.filter(recipient=personas.ian, url=item.get_absolute_url()).exists()
    # The clock never lowers what the relapse raised.
    from ecogov.supervision import clocks

    clocks.scan()
    item.refresh_from_db()
    assert (item.colour, item.stage) == (Colour.RED, Stage.DISCIPLINE)


def test_the_look_back_draws_the_batch_share(personas, batch):
    problems = [make_problem(personas, batch) for _ in range(5)]
    for problem in problems:
        closed(personas, problem)
    drawn = LookBack.objects.filter(problem__batch=batch)
    assert drawn.count() == 1  # 20 % of 5
    services.lookback_draw(batch, rng=random.Random(1))
    assert drawn.count() == 1  # drawing again adds nothing
    assert drawn.get().due == problems[0].closed_on + datetime.timedelta(days=180)


def test_only_the_bureau_keeps_the_ledger(personas, batch):
    with pytest.raises(PermissionDenied):
        services.problem_create(
            batch, text="x", stage="by_date", lead=personas.construction, by=personas.liam,
            measures=[MeasureInput("y", personas.construction, days(3))],
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.batch_create(jurisdiction=personas.district, origin="central", title="另一批",
                              received_on=days(0), by=personas.oscar)  # fmt: skip


# --- pages and API ------------------------------------------------------------------


def test_the_pages_show_the_ledger_to_those_who_may_see_it(personas, batch, problem,
                                                           form_client_for):  # fmt: skip
    for user in (personas.dora, personas.lena, personas.ian, personas.liam, personas.lily):
        client = form_client_for(user)
        assert client.get("/rectification/").status_code == 200
        page = client.get(problem.get_absolute_url())
        assert page.status_code == 200, user
        assert "南川河沿岸" in page.content.decode()
        assert client.get(batch.get_absolute_url()).status_code == 200
    outsider = form_client_for(personas.oscar)
    assert outsider.get(problem.get_absolute_url()).status_code == 404
    assert outsider.get(batch.get_absolute_url()).status_code == 404
    assert outsider.post(f"/rectification/problems/{problem.pk}/act/apply/",
                         {"text": "x"}).status_code == 404  # fmt: skip
    assert form_client_for(personas.liam).get(
        f"/rectification/batches/{batch.pk}/problems/new/").status_code == 403  # fmt: skip
    assert form_client_for(personas.liam).get("/rectification/batches/new/").status_code == 403


def test_a_problem_goes_through_its_steps_on_its_page(personas, batch, problem, form_client_for):
    url = f"/rectification/problems/{problem.pk}/act/"
    liam, lily, dora = (form_client_for(p) for p in (personas.liam, personas.lily, personas.dora))
    first, second = problem.measures.order_by("order")
    liam.post(url + "report/", {"measure": first.pk, "text": "料场已拆除", "done": "1",
                                "files": pdf("照片.pdf")})  # fmt: skip
    page = liam.get(problem.get_absolute_url()).content.decode()
    assert "【措施1】料场已拆除" in page
    assert "apply/" in page and "accept/" not in page
    lily.post(url + "report/", {"measure": second.pk, "text": "排查完毕", "done": "1"})
    liam.post(url + "apply/", {"text": "自查报告：措施全部落实"})
    problem.refresh_from_db()
    assert problem.state == Problem.State.APPLIED
    refused = liam.post(url + "accept/", {"note": ""}, follow=True).content.decode()
    assert "整改单位不能验收本单位的整改" in refused
    dora.post(url + "refuse/", {"note": "现场仍有堆料"})
    problem.refresh_from_db()
    assert problem.state == Problem.State.RECTIFYING
    assert liam.post(url + "nonsense/").status_code == 404


def test_the_api_lists_problems_and_takes_steps(personas, batch, problem, client_for):
    client = client_for(personas.lena)
    rows = client.get(f"/api/rectification/problems?batch={batch.pk}").json()
    assert [(row["seq"], row["progress"], row["state"]) for row in rows] == [
        (1, "on_schedule", "rectifying")]  # fmt: skip
    detail = client.get(f"/api/rectification/problems/{problem.pk}").json()
    assert [m["unit"] for m in detail["measures"]] == ["区城乡建设局", "区卫生健康局"]
    assert client_for(personas.oscar).get(
        f"/api/rectification/problems/{problem.pk}").status_code == 404  # fmt: skip
    liam = client_for(personas.liam)
    liam.get("/")
    liam.defaults["HTTP_X_CSRFTOKEN"] = liam.cookies["csrftoken"].value
    first = problem.measures.get(order=1)
    answer = liam.post(f"/api/rectification/problems/{problem.pk}/steps/report",
                       {"measure": first.pk, "text": "已拆除", "done": True},
                       content_type="application/json")  # fmt: skip
    assert answer.status_code == 200, answer.content
    first.refresh_from_db()
    assert first.done_on == days(0)
    bad = liam.post(f"/api/rectification/problems/{problem.pk}/steps/apply", {"text": "x"},
                    content_type="application/json")  # fmt: skip
    assert bad.status_code == 422 and "第 2 条措施尚未报告完成" in str(bad.json()["detail"])


def test_the_bureau_is_reminded_of_a_look_back_coming_due(personas, problem):
    closed(personas, problem)
    lookback = services.lookback_pick(problem, by=personas.dora, due=days(20))
    from ecogov.supervision import clocks

    report = clocks.scan(today=days(30), kinds=["lookback"])
    assert report.checked == 1 and report.notices == 1
    lookback.refresh_from_db()
    assert lookback.colour == Colour.RED
    assert Notice.objects.filter(recipient=personas.dora, subject__contains="look-back").exists()


def test_the_acceptance_unit_reads_the_self_check_and_its_evidence(personas, batch, problem,
                                                                  form_client_for):  # fmt: skip
    from ecogov.accounts.models import Role
    from ecogov.org.selectors import unit_find
    from ecogov.supervision.models import Evidence
    from ecogov.testing import make_person

    township = unit_find(personas.district, "总寨镇政府")
    services.acceptance_unit_set(problem, unit=township, by=personas.dora)
    all_measures_done(personas, problem)
    services.acceptance_apply(problem, text="自查报告", by=personas.liam, files=[pdf("自查.pdf")])
    tina = make_person("tina", Role.LIAISON, township, name="Tina 镇联络员")
    client = form_client_for(tina)
    assert client.get(problem.get_absolute_url()).status_code == 200
    evidence = Evidence.objects.get(name="自查.pdf")
    assert client.get(f"/supervision/evidence/{evidence.pk}/").status_code == 200
    assert "accept/" in client.get(problem.get_absolute_url()).content.decode()
    services.acceptance_decide(problem, accept=True, note="", by=tina)
    other = make_person("otto", Role.LIAISON, unit_find(personas.district, "区自然资源和林业局"))
    assert form_client_for(other).get(problem.get_absolute_url()).status_code == 404


def test_the_home_page_counts_what_is_before_the_discipline_commission(personas, problem,
                                                                      form_client_for):  # fmt: skip
    closed(personas, problem)
    lookback = services.lookback_pick(problem, by=personas.dora)
    services.lookback_record(lookback, relapsed=True, note="料场复工", deadline=days(30),
                             by=personas.dora)  # fmt: skip
    home = form_client_for(personas.ian).get("/").content.decode()
    assert "1 项已提交纪委监委" in home and "?escalated=2" in home
    ledger_page = form_client_for(personas.ian).get("/supervision/?escalated=2").content.decode()
    assert problem.item.number in ledger_page and "整改中" in ledger_page


def test_the_api_closes_a_problem_out_with_its_document(personas, problem, client_for):
    publicised(personas, problem)
    problem.publicity_end = days(-1)
    problem.save()
    client = client_for(personas.dora)
    client.get("/")
    client.defaults["HTTP_X_CSRFTOKEN"] = client.cookies["csrftoken"].value
    url = f"/api/rectification/problems/{problem.pk}/steps/close_out/upload"
    fake = client.post(url, {"files": SimpleUploadedFile("销号.pdf", b"<html>not a pdf")})
    assert fake.status_code == 422
    answer = client.post(url, {"files": pdf("销号.pdf"), "note": "同意销号"})
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == "closed"


def test_the_command_line_exports_the_progress_table_and_report(personas, batch, problem,
                                                               tmp_path):  # fmt: skip
    import docx
    import openpyxl
    from django.core.management import call_command
    from django.core.management.base import CommandError

    table, report = tmp_path / "进展.xlsx", tmp_path / "报告.docx"
    call_command("rectification", "export", str(table), "--batch", batch.title, "--as", "lena")
    call_command("rectification", "export", str(report), "--batch", batch.title)
    cells = [c.value for row in openpyxl.load_workbook(table).active.iter_rows() for c in row]
    assert any("南川河沿岸" in str(value) for value in cells)
    assert "共1个问题" in "\n".join(p.text for p in docx.Document(report).paragraphs)
    with pytest.raises(CommandError, match="no batch"):
        call_command("rectification", "export", str(table), "--batch", batch.title, "--as", "oscar")
    with pytest.raises(CommandError, match=".xlsx"):
        call_command("rectification", "export", str(tmp_path / "x.pdf"), "--batch", batch.title)


def test_the_regular_dispatch_asks_once_a_month_for_progress(personas, problem):
    month_day = timezone.localdate().replace(day=25)
    if month_day < timezone.localdate():  # the test runs late in a month: use the next one
        month_day = (month_day + datetime.timedelta(days=10)).replace(day=25)
    assert services.progress_dispatch(month_day.replace(day=5)) == 0  # before the 20th
    assert services.progress_dispatch(month_day) == 1
    assert services.progress_dispatch(month_day) == 0  # asked already this month
    assert Notice.objects.filter(recipient=personas.liam, subject__contains="progress").exists()
    assert Notice.objects.filter(recipient=personas.lily).exists()  # an undone measure's unit


def test_independence_holds_for_the_bureau_too(personas, batch, problem):
    """The bureau may apply on the lead unit's behalf, but then it may not accept; when
    the bureau rectifies, its dispatchers do not sign off, the government's leaders do."""
    all_measures_done(personas, problem)
    services.acceptance_apply(problem, text="代为申请", by=personas.dora)
    with pytest.raises(ValidationError, match="behalf"):
        services.acceptance_decide(problem, accept=True, note="", by=personas.dora)
    assert Problem.objects.get(pk=problem.pk).state == Problem.State.APPLIED

    own = services.problem_create(
        batch, text="（虚构示例）监测站点运维不到位", stage="by_date", lead=personas.bureau,
        measures=[MeasureInput("整改运维", personas.bureau, days(5))], by=personas.dora,
    )  # fmt: skip
    own.state = Problem.State.ACCEPTED
    own.save()
    assert not services.signs(personas.dora, own) and services.signs(personas.lena, own)


def test_only_liaisons_and_dispatchers_report_for_a_measures_unit(personas, problem):
    from ecogov.accounts.models import Role
    from ecogov.testing import make_person

    measure = problem.measures.get(order=2)  # 区卫生健康局's
    head = make_person("hank", Role.LEADER, personas.health, name="Hank 局长")
    with pytest.raises(PermissionDenied):
        services.measure_report(measure, text="x", done=True, by=head)
    services.measure_report(measure, text="排查完毕", done=True, by=personas.lily)


def test_an_upheld_objection_takes_the_others_with_it(personas, problem):
    publicised(personas, problem)
    first = services.objection_enter(problem, text="夜间作业", by=personas.dora)
    second = services.objection_enter(problem, text="仍有扬尘", by=personas.dora)
    services.objection_decide(first, uphold=True, note="属实", deadline=days(40), by=personas.dora)
    second.refresh_from_db()
    assert second.decision == Objection.Decision.UPHELD
    with pytest.raises(ValidationError, match="decided already"):
        services.objection_decide(second, uphold=False, note="x", by=personas.dora)


def test_the_dispatch_asks_a_problem_whose_only_news_this_month_is_another_step(personas, problem):
    """A report last month and an extension this month: still asked (the report and the
    month are one event's conditions, not two)."""
    day = timezone.localdate().replace(day=25)
    if day < timezone.localdate():
        day = (day + datetime.timedelta(days=10)).replace(day=25)
    earlier = timezone.make_aware(datetime.datetime.combine(
        day.replace(day=1) - datetime.timedelta(days=3), datetime.time(10)))  # fmt: skip
    services.measure_report(problem.measures.get(order=1), text="上月进展", by=personas.liam,
                            at=earlier)  # fmt: skip
    ItemEvent.objects.create(item=problem.item, kind=ItemEvent.Kind.EXTENDED, note="延期",
                             at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))))  # fmt: skip
    assert services.progress_dispatch(day) == 1


def test_a_late_acceptance_chases_the_acceptance_unit(personas, problem):
    from ecogov.accounts.models import Role
    from ecogov.org.selectors import unit_find
    from ecogov.supervision import clocks
    from ecogov.testing import make_person

    township = unit_find(personas.district, "总寨镇政府")
    tina = make_person("tina", Role.LIAISON, township, name="Tina 镇联络员")
    services.acceptance_unit_set(problem, unit=township, by=personas.dora)
    all_measures_done(personas, problem)
    services.acceptance_apply(problem, text="自查报告", by=personas.liam)
    clocks.scan(today=days(30))
    assert Notice.objects.filter(recipient=tina, colour="red").exists()
    assert problem.item.events.filter(kind=ItemEvent.Kind.NOTICE, unit=township).exists()


def test_the_portal_shows_nothing_of_a_reports_words_until_the_bureau_writes_them(
    personas, batch, form_client_for, client
):
    from ecogov.cases import services as cases
    from ecogov.cases.models import Channel

    case = cases.case_register(
        jurisdiction=personas.district, channel=Channel.HOTLINE, by=personas.dora,
        text="我是住在南川东路18号的张三，电话13912345678，楼下料场天天扬尘",
    )  # fmt: skip
    raised = make_problem(personas, batch, case=case)
    raised.text = case.text
    raised.save()
    page = client.get("/public/rectification/").content.decode()
    assert "张三" not in page and "13912345678" not in page and "公开文本正在审核" in page
    dora = form_client_for(personas.dora)
    dora.post(f"/rectification/problems/{raised.pk}/act/public_text/",
              {"text": "南川东路料场扬尘问题"})  # fmt: skip
    assert "南川东路料场扬尘问题" in client.get("/public/rectification/").content.decode()
    assert (
        form_client_for(personas.liam)
        .post(f"/rectification/problems/{raised.pk}/act/public_text/", {"text": "x"})
        .status_code
        == 403
    )  # refused, nothing saved
    raised.refresh_from_db()
    assert raised.public_text == "南川东路料场扬尘问题"


def test_the_batch_list_counts_each_problem_once_whatever_its_look_backs(personas, batch,
                                                                        problem, form_client_for):  # fmt: skip
    closed(personas, problem)
    first = services.lookback_pick(problem, by=personas.dora)
    services.lookback_record(first, relapsed=False, note="整改成效巩固", by=personas.dora)
    services.lookback_pick(problem, by=personas.dora)
    row = form_client_for(personas.dora).get("/rectification/").context["batches"].get(pk=batch.pk)
    assert (row.total, row.closed) == (1, 1)
