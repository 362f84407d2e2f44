"""Complaints the inspection transfers (督察交办信访件): a case due by the team's date and
linked to the batch, its result published once the case is finished; problems raised from
a case, a patrol finding or a campaign, with the access checks; the team's Excel list."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone, translation
from openpyxl import Workbook

from ecogov.campaigns import services as campaigns
from ecogov.cases import services as cases
from ecogov.cases.models import Channel, Outcome, Reporter
from ecogov.patrols.models import Finding
from ecogov.rectification import raising, services, transfers
from ecogov.rectification.models import Batch, Origin, Problem, TransferredCase
from ecogov.rectification.transfer_sheet import read_transfer_sheet
from ecogov.sources.models import Source, SourceType
from ecogov.sources.sample import sources_sample_load

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def batch(personas):
    return services.batch_create(
        jurisdiction=personas.district, origin=Origin.CENTRAL, title="第二轮中央生态环境保护督察",
        received_on=days(-3), team="第三督察组", by=personas.dora,
    )  # fmt: skip


def receive(personas, batch, reference="D3-001", **fields) -> TransferredCase:
    fields.setdefault("text", "（虚构示例）某小区旁搅拌站夜间施工，粉尘和噪声扰民。")
    fields.setdefault("received_on", days(-1))
    fields.setdefault("due_days", 5)
    return transfers.transfer_receive(
        batch, reference=reference, address="城中区南川东路", category="大气、噪声",
        lead=personas.construction, by=personas.dora, **fields,
    )  # fmt: skip


def finish(personas, case):
    cases.case_start(case, by=personas.liam)
    cases.case_report(case, investigation="现场核实属实", measures="责令停工整改",
                      outcome=Outcome.RECTIFIED, by=personas.liam)  # fmt: skip
    cases.case_verify(case, confirmed=True, note="现场复核已整改", by=personas.dora)
    return cases.case_close(case, by=personas.dora)


# --- transferred complaints -----------------------------------------------------------


def test_a_transfer_is_a_case_due_by_the_inspections_date(personas, batch):
    transfer = receive(personas, batch)
    case = transfer.case
    assert transfer.batch == batch and transfer.due == days(4)
    assert case.channel == Channel.INSPECTION and case.category == "air"
    assert case.supervision == "important" and case.lead == personas.construction
    # The team's complainant is not known to the case: the team passed it on.
    reporter = Reporter.objects.get(case=case)
    assert reporter.anonymous and reporter.organisation == "第三督察组"
    assert "D3-001" in case.events.get(kind="note").note
    # Accepted: the case is to be finished by the team's date, not in the usual 30 days.
    case = cases.case_accept(case, by=personas.liam)
    assert case.finish_due == days(4) and case.due == days(4)
    assert TransferredCase.objects.get(case=case) == transfer


def test_the_inspections_date_rules_the_clock_and_its_colour(personas, batch):
    transfer = receive(personas, batch, received_on=days(-10), due=days(-2))
    case = cases.case_accept(transfer.case, by=personas.liam)
    assert case.due == days(-2)
    cases.clocks_run(TODAY)
    case.refresh_from_db()
    assert case.colour == "red"


def test_bad_transfers_are_refused_and_change_nothing(personas, batch):
    receive(personas, batch)
    count = TransferredCase.objects.count()
    with pytest.raises(ValidationError, match="already"):
        receive(personas, batch)
    with pytest.raises(ValidationError, match="deadline"):
        receive(personas, batch, reference="D3-002", due_days=None)
    with pytest.raises(ValidationError, match="before"):
        receive(personas, batch, reference="D3-003", due_days=None, due=days(-5))
    with pytest.raises(PermissionDenied):
        transfers.transfer_receive(batch, reference="D3-004", text="x", received_on=TODAY,
                                   due_days=5, by=personas.liam)  # fmt: skip
    with pytest.raises(PermissionDenied):
        transfers.transfer_receive(batch, reference="D3-004", text="x", received_on=TODAY,
                                   due_days=5, by=personas.oscar)  # fmt: skip
    assert TransferredCase.objects.count() == count


def test_a_result_is_published_only_once_the_case_is_finished(personas, batch):
    transfer = receive(personas, batch)
    cases.case_accept(transfer.case, by=personas.liam)
    with pytest.raises(ValidationError, match="not finished"):
        transfers.transfer_publish(transfer, result="已整改", by=personas.dora)
    finish(personas, transfer.case)
    transfer.refresh_from_db()
    with pytest.raises(PermissionDenied):
        transfers.transfer_publish(transfer, result="已整改", by=personas.liam)
    with pytest.raises(ValidationError):
        transfers.transfer_publish(transfer, result="  ", by=personas.dora)
    transfers.transfer_publish(transfer, result="经查属实，责令搅拌站停工整改。", by=personas.dora)
    transfer.refresh_from_db()
    assert transfer.published_at is not None
    assert list(transfers.published(batch)) == [transfer]


def test_the_batchs_list_shows_the_cases_and_the_published_result(
    personas, batch, client_for, form_client_for
):
    transfer = receive(personas, batch)
    open_one = receive(personas, batch, reference="D3-002", text="（虚构示例）河道旁垃圾堆放。",
                       received_on=days(-8), due_days=3)  # fmt: skip
    cases.case_accept(transfer.case, by=personas.liam)
    finish(personas, transfer.case)
    dora = form_client_for(personas.dora)
    url = f"/rectification/batches/{batch.pk}/transfers/"
    page = dora.get(url).content.decode()
    assert transfer.case.number in page and open_one.case.number in page
    assert "公开查处情况" in page
    response = dora.post(f"/rectification/transfers/{transfer.pk}/publish/",
                         {"result": "经查属实，已责令停工整改并处罚。"})  # fmt: skip
    assert response.status_code == 302
    # Publishing the unfinished one is refused with a message, nothing changed.
    dora.post(f"/rectification/transfers/{open_one.pk}/publish/", {"result": "x"})
    open_one.refresh_from_db()
    assert open_one.published_at is None
    lena = client_for(personas.lena).get(url).content.decode()
    assert "经查属实，已责令停工整改并处罚。" in lena
    assert "/publish/" not in lena
    # The liaison may not publish; another district does not see the batch at all.
    liam = form_client_for(personas.liam)
    assert liam.post(f"/rectification/transfers/{transfer.pk}/publish/",
                     {"result": "y"}).status_code == 403  # fmt: skip
    assert client_for(personas.oscar).get(url).status_code == 404
    transfer.refresh_from_db()
    assert transfer.result == "经查属实，已责令停工整改并处罚。"


def test_a_transfer_is_received_on_the_page(personas, batch, form_client_for):
    dora = form_client_for(personas.dora)
    response = dora.post(f"/rectification/batches/{batch.pk}/transfers/new/", {
        "reference": "D3-010", "text": "（虚构示例）餐馆油烟直排。", "address": "城中区饮马街",
        "category": "air", "received_on": TODAY.isoformat(), "due_days": "7",
    })  # fmt: skip
    assert response.status_code == 302
    transfer = TransferredCase.objects.get(reference="D3-010")
    assert transfer.due == days(7)
    response = dora.post(f"/rectification/batches/{batch.pk}/transfers/new/", {
        "reference": "D3-011", "text": "x", "received_on": "2026-02-31", "due_days": "7",
    })  # fmt: skip
    assert response.status_code == 302
    assert not TransferredCase.objects.filter(reference="D3-011").exists()


def workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["第二轮中央生态环境保护督察第三督察组交办信访件清单"])
    sheet.append(["序号", "受理编号", "信访内容", "所在地", "污染类型", "交办时间"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_teams_list_is_imported_whole_or_not_at_all(personas, batch, form_client_for):
    good = workbook([
        (1, "X3QH202606010001", "（虚构示例）砂石料场扬尘。", "城中区总寨镇", "大气", "2026-06-01"),
        (2, 20260601002, "（虚构示例）小区旁烧烤夜间噪声。", "城中区南滩街道", "噪声",
         datetime.datetime(2026, 6, 1)),
    ])  # fmt: skip
    rows = read_transfer_sheet(io.BytesIO(good), default_day=TODAY)
    assert [r[1]["reference"] for r in rows] == ["X3QH202606010001", "20260601002"]
    assert rows[1][1]["received_on"] == datetime.date(2026, 6, 1) and rows[0][0] == 3

    bad = workbook([
        (1, "A1", "（虚构示例）一。", "城中区", "水", "2026-06-01"),
        (2, "A2", "（虚构示例）二。", "城中区", "水", "6月1日"),
        (3, "A3", "", "城中区", "水", "2026-06-01"),
    ])  # fmt: skip
    dora = form_client_for(personas.dora)
    url = f"/rectification/batches/{batch.pk}/transfers/import/"
    upload = SimpleUploadedFile("list.xlsx", bad)
    page = dora.post(url, {"file": upload, "due_days": "5"}, follow=True).content.decode()
    assert "第 4 行" in page and "第 5 行" in page
    assert not TransferredCase.objects.exists()
    page = dora.post(url, {"file": SimpleUploadedFile("list.xlsx", good), "due_days": "5"},
                     follow=True).content.decode()  # fmt: skip
    assert TransferredCase.objects.count() == 2
    noise = TransferredCase.objects.get(reference="20260601002")
    assert noise.case.category == "noise" and noise.due == datetime.date(2026, 6, 6)
    not_excel = SimpleUploadedFile("list.xlsx", b"%PDF-1.4 not a workbook")
    dora.post(url, {"file": not_excel, "due_days": "5"})
    assert TransferredCase.objects.count() == 2


# --- raising problems -----------------------------------------------------------------


@pytest.fixture
def case(personas):
    return cases.case_register(
        jurisdiction=personas.district, channel=Channel.HOTLINE, category="water",
        text="（虚构示例）南川河支流排洪渠黑臭，居民反映多年。", address="城中区杨家湾",
        lead=personas.construction, by=personas.dora,
    )  # fmt: skip


def problem_form(**extra) -> dict:
    return {"text": "（虚构示例）排洪渠黑臭问题反复出现。", "stage": "by_date",
            "lead": "", "measure_1": "雨污分流改造", "measure_1_deadline": days(60).isoformat(),
            **extra}  # fmt: skip


def test_a_problem_is_raised_from_a_case(personas, batch, case, form_client_for):
    dora = form_client_for(personas.dora)
    chooser = dora.get(f"/rectification/raise/?case={case.pk}")
    assert chooser.status_code == 200
    page = chooser.content.decode()
    assert (
        batch.title in page
        and f"/rectification/batches/{batch.pk}/problems/new/?case={case.pk}" in page
    )
    unit = str(personas.construction.pk)
    response = dora.post(
        f"/rectification/batches/{batch.pk}/problems/new/?case={case.pk}",
        problem_form(lead=unit, measure_1_unit=unit, case=str(case.pk)),
    )
    assert response.status_code == 302
    problem = Problem.objects.get(batch=batch)
    assert problem.case == case
    label, url = raising.origin_of(problem, personas.dora)
    assert case.number in label and url == case.get_absolute_url()
    assert raising.origin_of(problem, personas.gary)[1] == ""
    # The case page offers the link to the dispatcher only.
    assert (
        f"/rectification/raise/?case={case.pk}"
        in dora.get(case.get_absolute_url()).content.decode()
    )
    liam = form_client_for(personas.liam)
    assert "/rectification/raise/" not in liam.get(case.get_absolute_url()).content.decode()


def test_the_problem_form_starts_from_the_cases_text(personas, batch, case, form_client_for):
    try:
        get_template("rectification/problem_new.html")
    except TemplateDoesNotExist:
        pytest.skip("the problem form's template comes with the ledger's pages")
    page = form_client_for(personas.dora).get(
        f"/rectification/batches/{batch.pk}/problems/new/?case={case.pk}"
    )
    assert page.status_code == 200
    assert page.context["post"]["text"] == case.text
    assert case.number in page.context["origin_label"]
    assert page.context["origin_fields"] == [("case", str(case.pk))]


def test_another_district_cannot_raise_from_a_case_it_cannot_see(
    personas, batch, case, form_client_for
):
    oscar = form_client_for(personas.oscar)
    assert oscar.get(f"/rectification/raise/?case={case.pk}").status_code == 404
    other = services.batch_create(
        jurisdiction=personas.outsider_district, origin=Origin.CENTRAL, title="城东区督察",
        received_on=TODAY, by=personas.oscar,
    )  # fmt: skip
    response = oscar.post(
        f"/rectification/batches/{other.pk}/problems/new/?case={case.pk}",
        problem_form(case=str(case.pk)),
    )
    assert response.status_code == 404
    # Nor can the case's own dispatcher put it into another district's batch.
    dora = form_client_for(personas.dora)
    response = dora.post(
        f"/rectification/batches/{other.pk}/problems/new/?case={case.pk}",
        problem_form(case=str(case.pk)),
    )
    assert response.status_code == 404
    assert not Problem.objects.exists()
    # A liaison who sees the case may not raise from it; a bad number is a bad request.
    liam = form_client_for(personas.liam)
    assert liam.get(f"/rectification/raise/?case={case.pk}").status_code == 403
    assert dora.get("/rectification/raise/?case=abc").status_code == 400
    assert dora.get(f"/rectification/raise/?case={case.pk}&campaign=1").status_code == 400


@pytest.fixture
def sources(personas):
    sources_sample_load(personas.district)
    return Source.objects.filter(jurisdiction=personas.district).exclude(grid=None)


@pytest.fixture
def campaign(personas, sources):
    setup = campaigns.Setup(
        title="（虚构示例）大排查大整治专项行动", action_plan="排查整治散乱污。",
        start=days(-20), end=days(20), units=[personas.bureau, personas.construction],
        source_types=list(SourceType.objects.filter(code__in=["restaurant", "construction_site"])),
        grids=[],
    )  # fmt: skip
    return campaigns.campaign_create(jurisdiction=personas.district, setup=setup, by=personas.dora)


def test_a_problem_is_raised_from_a_campaign_into_its_screening_batch(
    personas, batch, campaign, form_client_for
):
    dora = form_client_for(personas.dora)
    assert f"/rectification/raise/?campaign={campaign.pk}" in dora.get(
        campaign.get_absolute_url()).content.decode()  # fmt: skip
    response = dora.post("/rectification/raise/", {"campaign": str(campaign.pk)})
    screening = Batch.objects.get(origin=Origin.SCREENING)
    assert response.status_code == 302
    assert response["Location"] == (
        f"/rectification/batches/{screening.pk}/problems/new/?campaign={campaign.pk}"
    )
    dora.post("/rectification/raise/", {"campaign": str(campaign.pk)})
    assert Batch.objects.filter(origin=Origin.SCREENING).count() == 1
    page = dora.get(f"/rectification/raise/?campaign={campaign.pk}").content.decode()
    assert page.index(screening.title) < page.index(batch.title)
    unit = str(personas.construction.pk)
    dora.post(response["Location"],
              problem_form(lead=unit, measure_1_unit=unit, campaign=str(campaign.pk)))  # fmt: skip
    problem = Problem.objects.get(batch=screening)
    assert problem.campaign == campaign
    assert campaign.title in raising.origin_of(problem)[0]


def test_a_problem_is_raised_from_a_patrol_finding(personas, batch, campaign, sources,
                                                   form_client_for):  # fmt: skip
    source = sources.filter(type__code="construction_site").order_by("name").first()
    campaigns.inspection_record(
        campaign, source=source, by=personas.dora, inspected_at=timezone.now(),
        inspectors="张三", finding=True, note="（虚构示例）裸土未覆盖。",
    )  # fmt: skip
    finding = Finding.objects.get(patrol__source=source)
    dora = form_client_for(personas.dora)
    raised = raising.raised_from(personas.dora, {"finding": str(finding.pk)})
    assert raised.kind == "finding" and "裸土未覆盖" in raised.text
    unit = str(personas.construction.pk)
    response = dora.post(
        f"/rectification/batches/{batch.pk}/problems/new/",
        problem_form(lead=unit, measure_1_unit=unit, finding=str(finding.pk)),
    )
    assert response.status_code == 302
    assert Problem.objects.get(batch=batch).finding == finding
    patrols = dora.get("/patrols/").content.decode()
    assert f"/rectification/raise/?finding={finding.pk}" in patrols
    oscar = form_client_for(personas.oscar)
    assert oscar.get(f"/rectification/raise/?finding={finding.pk}").status_code == 404


# --- the sample -----------------------------------------------------------------------


def test_the_sample_has_every_state_and_a_relapse_and_loads_once(personas):
    from ecogov.rectification.models import LookBack
    from ecogov.rectification.sample import CENTRAL, WARNING_FILM, rectification_sample_load
    from ecogov.supervision.models import Item

    assert rectification_sample_load(personas.district) == 11
    batches = Batch.objects.filter(jurisdiction=personas.district)
    assert set(batches.values_list("title", "origin")) == {
        (CENTRAL, Origin.CENTRAL), (WARNING_FILM, Origin.WARNING_FILM),
    }  # fmt: skip
    problems = Problem.objects.filter(batch__in=batches)
    assert all(p.text.startswith("（虚构示例）") for p in problems)
    assert set(problems.values_list("state", flat=True)) == set(Problem.State.values)
    progress = {services.progress_of(p) for p in problems.filter(state="rectifying")}
    assert progress >= {services.Progress.ON_SCHEDULE, services.Progress.BEHIND}
    assert problems.filter(stage=Problem.Stage.LONG_TERM, milestones__isnull=False).exists()
    assert problems.filter(state="publicity", objections__decision="pending").exists()
    [relapsed] = problems.filter(relapses=1)
    assert relapsed.state == Problem.State.RECTIFYING
    assert relapsed.lookbacks.filter(result=LookBack.Result.RELAPSED).count() == 1
    assert relapsed.item.colour == "red" and relapsed.item.stage == 2
    sample = TransferredCase.objects.filter(batch__title=CENTRAL)
    assert sample.count() == 2 and sample.exclude(published_at=None).count() == 1
    assert all(transfers.finished(t.case) for t in sample)

    before = (Problem.objects.count(), Item.objects.count(), TransferredCase.objects.count())
    assert rectification_sample_load(personas.district) == 0
    assert (Problem.objects.count(), Item.objects.count(),
            TransferredCase.objects.count()) == before  # fmt: skip
