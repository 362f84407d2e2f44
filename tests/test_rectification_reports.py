"""Reports to the upper level on a rectification batch: the progress table (Excel), the
progress report (Word), the leaders' page with its burn-down, and the public list."""

import datetime
import io
import json
import re

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from openpyxl import load_workbook

from ecogov.cases import services as cases
from ecogov.rectification import reports, services
from ecogov.rectification.models import Origin, Problem, TransferredCase
from ecogov.rectification.services import MeasureInput, MilestoneInput

PDF = b"%PDF-1.4\n" + b"0" * 64
TODAY = timezone.localdate()
LATER = timezone.now() + datetime.timedelta(days=6)


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def pdf(name="record.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def make_batch(personas, title="第二轮中央生态环境保护督察", **fields):
    fields.setdefault("received_on", days(-60))
    return services.batch_create(
        jurisdiction=personas.district, origin=Origin.CENTRAL, title=title,
        team="第三督察组", publicity_days=5, by=personas.dora, **fields,
    )  # fmt: skip


def make_problem(personas, batch, text, **fields) -> Problem:
    fields.setdefault("measures", [
        MeasureInput("关停取缔违规砂石料场", personas.construction, days(30)),
        MeasureInput("开展周边医疗废物排查", personas.health, days(20)),
    ])  # fmt: skip
    fields.setdefault("stage", Problem.Stage.BY_DATE)
    fields.setdefault("lead", personas.construction)
    return services.problem_create(
        batch, text=text, target="整改到位", leader="张某某副区长", by=personas.dora,
        acceptance_unit=personas.bureau, **fields,
    )  # fmt: skip


def report_done(personas, problem):
    for measure in problem.measures.all():
        who = personas.liam if measure.unit == personas.construction else personas.lily
        services.measure_report(measure, text=f"措施{measure.order}已完成", done=True, by=who,
                                files=[pdf()])  # fmt: skip


def publicise(personas, problem):
    report_done(personas, problem)
    services.acceptance_apply(problem, text="自查报告：全部措施已落实", by=personas.liam)
    services.acceptance_decide(problem, accept=True, note="现场核查属实", by=personas.dora)
    return services.sign_off(problem, by=personas.lena)


def close(personas, problem):
    publicise(personas, problem)
    return services.close_out(problem, files=[pdf("销号.pdf")], by=personas.dora, at=LATER)


@pytest.fixture
def batch(personas):
    """Five problems: 1 on schedule; 2 behind (the health bureau's, with a report);
    3 completed, its acceptance not yet applied for; 4 in publicity; 5 closed out, then
    reopened by a relapse found on its look-back (rectifying, on schedule)."""
    batch = make_batch(personas)
    make_problem(personas, batch, "（虚构）问题一：河道两岸垃圾堆放")  # on schedule
    behind = make_problem(
        personas, batch, "（虚构）问题二：医疗废物暂存不规范", lead=personas.health,
        measures=[MeasureInput("规范暂存间", personas.health, days(-5))], deadline=days(10),
    )  # fmt: skip
    services.measure_report(behind.measures.get(), text="暂存间改造已完成60%", percent=60,
                            by=personas.lily)  # fmt: skip
    completed = make_problem(personas, batch, "（虚构）问题三：砂石料场扬尘")
    report_done(personas, completed)
    publicise(personas, make_problem(personas, batch, "（虚构）问题四：渣土运输遗撒"))
    relapsed = close(personas, make_problem(personas, batch, "（虚构）问题五：露天焚烧"))
    lookback = services.lookback_pick(relapsed, by=personas.dora, due=days(30))
    services.lookback_record(lookback, relapsed=True, note="复查发现再次焚烧",
                             deadline=days(40), by=personas.dora, at=LATER)  # fmt: skip
    return batch


def test_it_counts_completed_on_schedule_behind_and_relapses(personas, batch, english):
    counts = reports.counts_of(reports.rows_of(batch, TODAY))
    assert counts == reports.Counts(total=5, completed=2, closed=0, on_schedule=2, behind=1,
                                    relapses=1)  # fmt: skip


def test_it_counts_closed_out_problems_as_completed(personas, english):
    batch = make_batch(personas, title="黄河流域生态环境警示片")
    close(personas, make_problem(personas, batch, "（虚构）已销号问题"))
    make_problem(personas, batch, "（虚构）整改中问题")
    counts = reports.counts_of(reports.rows_of(batch, TODAY))
    assert (counts.total, counts.completed, counts.closed, counts.on_schedule) == (2, 1, 1, 1)
    # Forty days on, the open one is behind its measures' deadlines.
    assert reports.counts_of(reports.rows_of(batch, days(40))).behind == 1


def sheet_of(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def test_the_workbook_has_the_counts_and_a_row_per_problem(personas, batch, english):
    sheet = sheet_of(reports.progress_workbook(batch, TODAY))
    assert sheet["A1"].value == "《第二轮中央生态环境保护督察》反馈问题整改进展情况表"
    assert "填报单位：城中区生态环境局" in sheet["A2"].value
    summary = sheet["A3"].value
    assert "共5个问题" in summary and "已完成整改2个（其中已销号0个）" in summary
    assert "达到序时进度2个" in summary and "滞后1个" in summary and "反弹1次" in summary
    header = [cell.value for cell in sheet[4]]
    assert header == list(reports.HEADER)
    assert sheet.freeze_panes == "C5" and sheet.print_title_rows == "$4:$4"
    rows = {row[0]: row for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert sorted(rows) == [1, 2, 3, 4, 5]
    column = {name: i for i, name in enumerate(header)}
    behind = rows[2]
    assert behind[column["问题"]] == "（虚构）问题二：医疗废物暂存不规范"
    assert behind[column["牵头单位"]] == "区卫生健康局"
    assert behind[column["进度"]] == "滞后" and behind[column["状态"]] == "整改中"
    assert behind[column["整改进展"]] == f"【措施1】暂存间改造已完成60%（{TODAY.isoformat()}）"
    assert behind[column["整改时限"]] == days(10).isoformat()
    assert rows[1][column["责任单位"]] == "区卫生健康局"
    assert rows[1][column["责任领导"]] == "张某某副区长"
    assert rows[3][column["进度"]] == "已完成"
    assert rows[3][column["整改进展"]].startswith("【措施")
    assert rows[4][column["状态"]] == "公示中"
    assert rows[4][column["整改进展"]].startswith("自查报告")
    relapsed = rows[5]
    assert relapsed[column["状态"]] == "整改中" and relapsed[column["销号日期"]] is None
    assert relapsed[column["整改进展"]] is None  # what was reported before the relapse is past
    assert "反弹" in relapsed[column["回头看"]] and "累计反弹1次" in relapsed[column["回头看"]]


def test_the_workbook_names_the_stages(personas, english):
    batch = make_batch(personas, title="省级例行督察")
    make_problem(personas, batch, "立即整改", stage=Problem.Stage.AT_ONCE,
                 measures=[MeasureInput("清理", personas.construction)])  # fmt: skip
    make_problem(personas, batch, "长期坚持", stage=Problem.Stage.LONG_TERM,
                 measures=[MeasureInput("巡查", personas.construction)],
                 milestones=[MilestoneInput("一期", days(90))])  # fmt: skip
    sheet = sheet_of(reports.progress_workbook(batch, TODAY))
    deadlines = [row[6] for row in sheet.iter_rows(min_row=5, values_only=True)]
    assert deadlines[0].startswith("立行立改") and deadlines[1] == "长期坚持"


def document_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs)


def test_the_word_report_gives_the_counts_the_behind_and_the_relapses(personas, batch, english):
    data = reports.progress_report_docx(batch, TODAY)
    text = document_text(data)
    assert "关于《第二轮中央生态环境保护督察》反馈问题整改进展情况的报告" in text
    assert "第三督察组反馈" in text and "涉及我区问题5个" in text
    assert "已完成整改2个（其中已销号0个），达到序时进度2个，滞后1个" in text
    behind = re.search(r"1\. 第2项：.*", text).group(0)
    assert "医疗废物暂存不规范" in behind and "牵头单位：区卫生健康局" in behind
    assert "暂存间改造已完成60%" in behind
    assert re.search(r"第5项：.*回头看发现整改后反弹1次", text)
    assert "\n城中区生态环境局\n" in text
    table = docx.Document(io.BytesIO(data)).tables[0]
    assert [cell.text for cell in table.rows[0].cells] == list(reports.ANNEX_HEADER)
    assert len(table.rows) == 6 and table.rows[2].cells[5].text == "滞后"


def test_the_word_report_says_when_nothing_is_behind(personas, english):
    batch = make_batch(personas, title="自然资源督察")
    make_problem(personas, batch, "（虚构）按期推进的问题")
    text = document_text(reports.progress_report_docx(batch, TODAY))
    assert "无滞后问题。" in text and "回头看未发现整改后反弹问题。" in text


def test_the_burn_down_follows_close_outs_and_relapses(personas, english):
    batch = make_batch(personas, title="黄河流域生态环境警示片", received_on=days(-20))
    problem = close(personas, make_problem(personas, batch, "（虚构）将反弹的问题"))
    make_problem(personas, batch, "（虚构）仍在整改")
    chart = reports.burndown(batch, days(10))
    assert chart["days"][0] == days(-20).isoformat() and chart["days"][-1] == days(10).isoformat()
    assert chart["open"][0] == 2 and chart["open"][-1] == 1
    assert chart["closed"][-1] == 1 and chart["relapses"][-1] == 0
    assert chart["ideal"] == [[days(-20).isoformat(), 2], [days(30).isoformat(), 0]]
    lookback = services.lookback_pick(problem, by=personas.dora, due=days(30))
    services.lookback_record(lookback, relapsed=True, note="反弹", deadline=days(60),
                             by=personas.dora, at=LATER)  # fmt: skip
    chart = reports.burndown(batch, days(10))
    assert chart["open"][-1] == 2 and chart["closed"][-1] == 1 and chart["relapses"][-1] == 1
    assert chart["end"] == days(60).isoformat()


def test_the_leaders_page_shows_the_figures_and_the_chart_data(personas, batch, client_for):
    for who in (personas.dora, personas.lena):
        response = client_for(who).get(f"/rectification/batches/{batch.pk}/progress/")
        assert response.status_code == 200
        page = response.content.decode()
        assert re.search(r'id="figure-total"><strong>5<', page)
        assert re.search(r'id="figure-behind"><strong>1<', page)
        assert "医疗废物暂存不规范" in page
        chart = json.loads(re.search(r'id="burndown-data"[^>]*>(.*?)</script>', page).group(1))
        assert chart["total"] == 5 and chart["open"][-1] == 5
        assert "<script>" not in page  # no inline script: the CSP forbids it
    for suffix in ("progress.xlsx", "progress.docx"):
        response = client_for(personas.lena).get(f"/rectification/batches/{batch.pk}/{suffix}")
        assert response.status_code == 200 and len(response.content) > 1000


def test_a_liaison_sees_the_figures_of_its_own_problems(personas, batch, client_for):
    make_problem(personas, batch, "（虚构）问题六：建设局独自整改的问题",
                 measures=[MeasureInput("清理", personas.construction, days(10))])  # fmt: skip
    figures = r'id="figure-total"><strong>(\d+)<'
    url = f"/rectification/batches/{batch.pk}/progress/"
    page = client_for(personas.dora).get(url).content.decode()
    assert re.search(figures, page).group(1) == "6"
    page = client_for(personas.lily).get(url).content.decode()  # 区卫生健康局: not in no. 6
    assert re.search(figures, page).group(1) == "5"
    assert "only the problems you may see" in page or "仅统计您可查看的问题" in page
    workbook = client_for(personas.lily).get(f"/rectification/batches/{batch.pk}/progress.xlsx")
    seqs = [row[0] for row in sheet_of(workbook.content).iter_rows(min_row=5, values_only=True)]
    assert seqs == [1, 2, 3, 4, 5]
    text = document_text(client_for(personas.lily).get(
        f"/rectification/batches/{batch.pk}/progress.docx").content)  # fmt: skip
    assert "问题六" not in text and "涉及我区问题5个" in text


def test_another_districts_dispatcher_gets_nothing(personas, batch, client_for):
    client = client_for(personas.oscar)
    for suffix in ("progress/", "progress.xlsx", "progress.docx"):
        assert client.get(f"/rectification/batches/{batch.pk}/{suffix}").status_code == 404


def test_the_public_page_lists_public_batches_without_personal_data(personas, batch, client):
    hidden = make_batch(personas, title="内部批次（不公开）", public=False)
    make_problem(personas, hidden, "（虚构）不公开的问题")
    problem = batch.problems.get(seq=1)
    problem.public_text = "（虚构）河道两岸垃圾问题（公开表述）"
    problem.save()
    case = cases.case_register(  # a transferred complaint is handled as a case
        jurisdiction=personas.district, channel="inspection", text="（虚构）夜间偷排",
        category="water", address="（虚构）南川河",
        reporter={"name": "王某某", "phone": "13900000009"},
    )  # fmt: skip
    TransferredCase.objects.create(batch=batch, case=case, reference="JB-001",
                                   received_on=days(-50), due=days(-40),
                                   result="（虚构）查实，已责令整改", published_at=timezone.now())  # fmt: skip
    response = client.get("/public/rectification/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "第二轮中央生态环境保护督察" in page
    assert "（虚构）河道两岸垃圾问题（公开表述）" in page and "问题一：河道两岸" not in page
    assert "医疗废物暂存不规范" in page and "区卫生健康局" in page
    assert "内部批次" not in page and "不公开的问题" not in page
    assert "JB-001" in page and "已责令整改" in page
    for private in ("张某某", "Dora", "Liam", "Lily", "Lena", "13800000", "13900000009", "王某某",
                    "复查发现再次焚烧", "现场核查属实", "自查报告"):  # fmt: skip
        assert private not in page
    publicity = re.search(r'class="card reminders publicity">(.*?)</div>', page, re.S).group(1)
    assert "渣土运输遗撒" in publicity and TODAY.isoformat() in publicity
    assert "城中区生态环境局" in publicity


def test_an_unpublished_transfer_result_stays_off_the_public_page(personas, batch, client):
    case = cases.case_register(
        jurisdiction=personas.district, channel="inspection", text="（虚构）异味", category="air",
        address="（虚构）工业园", reporter={},
    )  # fmt: skip
    TransferredCase.objects.create(batch=batch, case=case, reference="JB-002",
                                   received_on=days(-50), due=days(-40), result="草稿结果")  # fmt: skip
    page = client.get("/public/rectification/").content.decode()
    assert "JB-002" not in page and "草稿结果" not in page
    assert client.get("/public/rectification/?district=abc").status_code == 400
