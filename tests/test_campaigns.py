"""Joint enforcement campaigns (seed 002 §四.3): set up by the bureau's dispatchers,
inspections recorded by the participating units as patrols, findings that become cases
through the cases services, and a closing summary whose figures come from the record;
who may do what, and the refusals."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from ecogov.accounts.models import Role
from ecogov.campaigns import services
from ecogov.campaigns.models import Campaign, Inspection
from ecogov.campaigns.sample import campaigns_sample_load
from ecogov.cases import services as cases
from ecogov.cases.models import Channel, Outcome, State
from ecogov.cases.sample import cases_sample_load
from ecogov.patrols.models import Finding, Patrol
from ecogov.patrols.sample import patrols_sample_load
from ecogov.plans.sample import plans_sample_load
from ecogov.sources.models import Source, SourceType
from ecogov.sources.sample import sources_sample_load
from ecogov.supervision.models import Notice
from ecogov.testing import make_person

TODAY = timezone.localdate()


@pytest.fixture
def sources(personas):
    sources_sample_load(personas.district)
    return Source.objects.filter(jurisdiction=personas.district).exclude(grid=None)


def source_of(sources, code: str, n: int = 0) -> Source:
    return sources.filter(type__code=code).order_by("name")[n]


@pytest.fixture
def campaign(personas, sources):
    setup = services.Setup(
        title="夏季餐饮油烟和建筑工地扬尘联合执法专项行动", action_plan="集中整治油烟和扬尘。",
        start=TODAY - datetime.timedelta(days=20), end=TODAY + datetime.timedelta(days=20),
        units=[personas.bureau, personas.construction],
        source_types=list(SourceType.objects.filter(code__in=["restaurant", "construction_site"])),
        grids=[],
    )  # fmt: skip
    return services.campaign_create(jurisdiction=personas.district, setup=setup, by=personas.dora)


def moment(days_ago: int = 1, hour: int = 10) -> datetime.datetime:
    day = TODAY - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def inspect(campaign, source, by, *, finding=False, note="", days_ago=1) -> Inspection:
    return services.inspection_record(
        campaign, source=source, by=by, inspected_at=moment(days_ago), inspectors="张三、李四",
        finding=finding, note=note or ("扬尘明显，裸土未覆盖。" if finding else ""),
    )  # fmt: skip


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/")
    return client


def post(client, url, data=None, **extra):
    return client.post(url, data or {}, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value, **extra)


def post_json(client, url, body, method="post"):
    return getattr(client, method)(
        url, json.dumps(body), content_type="application/json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )  # fmt: skip


# --- the flow -------------------------------------------------------------------------


def test_a_dispatcher_sets_up_a_campaign_on_the_page(personas, sources):
    client = csrf_client(personas.dora)
    assert client.get("/campaigns/new/").status_code == 200
    restaurant = SourceType.objects.get(code="restaurant")
    response = post(client, "/campaigns/new/", {
        "title": "餐饮油烟专项行动", "action_plan": "检查全区餐饮单位油烟净化设施。",
        "start": str(TODAY), "end": str(TODAY + datetime.timedelta(days=30)),
        "units": [personas.bureau.pk, personas.health.pk], "source_types": [restaurant.pk],
        "plan_file": SimpleUploadedFile("方案.pdf", b"%PDF-1.4\n%%EOF\n"),
    })  # fmt: skip
    campaign = Campaign.objects.get(title="餐饮油烟专项行动")
    assert response["Location"] == campaign.get_absolute_url()
    assert set(campaign.units.all()) == {personas.bureau, personas.health}
    assert client.get(f"/campaigns/{campaign.pk}/plan/")["Content-Type"] == "application/pdf"
    assert "餐饮油烟专项行动" in client.get("/campaigns/").content.decode()


def test_a_participating_liaison_records_an_inspection_as_a_patrol(personas, campaign, sources):
    client = csrf_client(personas.liam)
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "inspected_at" in page  # the form is there for him
    site = source_of(sources, "construction_site")
    response = post(client, f"/campaigns/{campaign.pk}/inspections/", {
        "source": site.pk, "inspected_at": moment().strftime("%Y-%m-%dT%H:%M"),
        "inspectors": "王五", "finding": "on", "note": "渣土车未密闭运输。",
        "checklist": ["渣土车辆密闭运输"],
    })  # fmt: skip
    assert response.status_code == 302
    inspection = Inspection.objects.get(campaign=campaign)
    patrol = inspection.patrol
    assert patrol.source == site and patrol.worker == personas.liam and patrol.finding
    assert list(inspection.units.all()) == [personas.construction]
    assert Finding.objects.get(patrol=patrol).to_grid == (site.grid.parent or site.grid)
    assert patrol.checklist["渣土车辆密闭运输"] is True


def test_a_finding_becomes_a_case_as_a_patrols_does(personas, campaign, sources):
    inspection = inspect(campaign, source_of(sources, "construction_site"), personas.liam,
                         finding=True)  # fmt: skip
    client = csrf_client(personas.dora)
    response = post(client, f"/campaigns/inspections/{inspection.pk}/case/")
    assert response.status_code == 302
    case = inspection.patrol.report.case
    assert case.channel == Channel.PATROL and case.source == inspection.patrol.source
    assert case.number in client.get(campaign.get_absolute_url()).content.decode()
    again = services.inspection_to_case(inspection, by=personas.dora)
    assert again.pk == case.pk


def test_the_summary_figures_are_computed_from_the_record(personas, campaign, sources):
    site, other = source_of(sources, "construction_site"), source_of(sources, "restaurant")
    inspect(campaign, site, personas.liam, days_ago=5)
    dusty = inspect(campaign, site, personas.liam, finding=True, days_ago=3)
    smoky = inspect(campaign, other, personas.dora, finding=True, note="油烟直排。", days_ago=2)
    handled = services.inspection_to_case(dusty, by=personas.dora)
    services.inspection_to_case(smoky, by=personas.dora)
    handled.refresh_from_db()
    if handled.lead_id is None or handled.lead == personas.bureau:
        handled = cases.case_assign(handled, lead=personas.construction, by=personas.dora)
    lead = personas.liam if handled.lead == personas.construction else make_person(
        "lead", Role.LIAISON, handled.lead)  # fmt: skip
    cases.case_accept(handled, by=lead)
    cases.case_report(handled, investigation="查实。", measures="已整改。", outcome=Outcome.PENALTY,
                      decision_number="城中罚〔2026〕1号", penalty_amount="20000", by=lead)  # fmt: skip
    cases.case_verify(handled, confirmed=True, note="复查合格。", by=personas.dora)
    cases.case_close(handled, by=personas.dora)

    figures = services.campaign_figures(campaign)
    assert (figures.inspections, figures.sources_inspected, figures.problems_found) == (3, 2, 2)
    assert (figures.cases_opened, figures.cases_closed, figures.penalties) == (2, 1, 1)
    assert Decimal(figures.penalty_yuan) == Decimal("20000")

    client = csrf_client(personas.dora)
    post(client, f"/campaigns/{campaign.pk}/close/", {"summary": "行动结束，问题全部移交。"})
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.CLOSED
    assert campaign.figures == figures.__dict__
    detail = client.get(f"/api/campaigns/{campaign.pk}").json()
    assert detail["figures"]["cases_closed"] == 1 and detail["state"] == "closed"
    assert {row["case"] for row in detail["inspections"]} == {
        None,
        handled.number,
        smoky.patrol.report.case.number,
    }


def test_the_command_lists_the_campaigns_with_their_figures(personas, campaign, sources):
    inspect(campaign, source_of(sources, "restaurant"), personas.liam, finding=True)
    out = io.StringIO()
    call_command("campaigns", "list", "--json", stdout=out)
    [row] = json.loads(out.getvalue())
    assert row["title"] == campaign.title and row["figures"]["problems_found"] == 1


def test_the_api_sets_up_a_campaign_and_records_an_inspection(personas, sources):
    client = csrf_client(personas.dora)
    response = post_json(client, "/api/campaigns", {
        "title": "工地扬尘专项", "action_plan": "检查工地。", "start": str(TODAY - datetime.timedelta(days=3)),
        "end": str(TODAY + datetime.timedelta(days=3)), "units": [personas.construction.pk],
    })  # fmt: skip
    assert response.status_code == 201, response.content
    campaign_id = response.json()["id"]
    liam = csrf_client(personas.liam)
    site = source_of(sources, "construction_site")
    response = post_json(liam, f"/api/campaigns/{campaign_id}/inspections", {
        "source": site.pk, "inspected_at": moment().isoformat(), "inspectors": "王五",
    })  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["units"] == ["区城乡建设局"]
    assert [row["id"] for row in liam.get("/api/campaigns").json()] == [campaign_id]


# --- refusals -------------------------------------------------------------------------


def test_a_closed_campaign_refuses_every_change(personas, campaign, sources):
    services.campaign_close(campaign, summary="结束。", by=personas.dora)
    client = csrf_client(personas.dora)
    response = post(client, f"/campaigns/{campaign.pk}/edit/", {
        "title": "改名", "action_plan": "x", "start": str(TODAY), "end": str(TODAY),
        "units": [personas.bureau.pk],
    })  # fmt: skip
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.title != "改名"
    body = {"title": "改名", "action_plan": "x", "start": str(TODAY), "end": str(TODAY),
            "units": [personas.bureau.pk]}  # fmt: skip
    response = post_json(client, f"/api/campaigns/{campaign.pk}", body, method="put")
    assert response.status_code == 409 and "已结束" in response.json()["detail"]
    site = source_of(sources, "construction_site")
    response = post_json(csrf_client(personas.liam), f"/api/campaigns/{campaign.pk}/inspections",
                         {"source": site.pk, "inspected_at": moment().isoformat(), "inspectors": "王五"})  # fmt: skip
    assert response.status_code == 409
    response = post_json(client, f"/api/campaigns/{campaign.pk}/close", {"summary": "再次"})
    assert response.status_code == 409
    assert not Patrol.objects.exists()


def test_an_inspection_outside_the_period_or_the_targets_is_refused(personas, campaign, sources):
    with pytest.raises(services.ValidationError):  # before the period
        inspect(campaign, source_of(sources, "restaurant"), personas.liam, days_ago=40)
    with pytest.raises(services.ValidationError):  # not a targeted type
        inspect(campaign, source_of(sources, "industrial_enterprise"), personas.liam)
    with pytest.raises(services.ValidationError):  # a finding says what it is
        services.inspection_record(
            campaign, source=source_of(sources, "restaurant"), by=personas.liam,
            inspected_at=moment(), inspectors="王五", finding=True, note="",
        )  # fmt: skip
    assert not Patrol.objects.exists()


def test_an_action_plan_that_is_not_word_or_pdf_is_refused(personas, sources):
    client = csrf_client(personas.dora)
    post(client, "/campaigns/new/", {
        "title": "假文件", "action_plan": "x", "start": str(TODAY), "end": str(TODAY),
        "units": [personas.bureau.pk], "plan_file": SimpleUploadedFile("a.pdf", b"<script>"),
    })  # fmt: skip
    assert not Campaign.objects.exists()


def test_a_liaison_of_another_unit_neither_sees_nor_records(personas, campaign, sources):
    client = csrf_client(personas.lily)
    assert client.get(campaign.get_absolute_url()).status_code == 404
    site = source_of(sources, "restaurant")
    response = post(client, f"/campaigns/{campaign.pk}/inspections/", {
        "source": site.pk, "inspected_at": moment().strftime("%Y-%m-%dT%H:%M"), "inspectors": "x"})  # fmt: skip
    assert response.status_code == 404
    with pytest.raises(services.PermissionDenied):
        inspect(campaign, site, personas.lily)


def test_a_participating_liaison_may_not_run_the_campaign(personas, campaign, sources):
    inspection = inspect(campaign, source_of(sources, "restaurant"), personas.liam, finding=True)
    client = csrf_client(personas.liam)
    assert client.get(f"/campaigns/{campaign.pk}/edit/").status_code == 403
    assert post(client, f"/campaigns/{campaign.pk}/close/", {"summary": "x"}).status_code == 403
    assert post(client, f"/campaigns/inspections/{inspection.pk}/case/").status_code == 403
    assert post(client, "/campaigns/new/", {"title": "x"}).status_code == 403
    campaign.refresh_from_db()
    assert campaign.is_open and not hasattr(inspection.patrol.report, "case")


@pytest.mark.parametrize("persona", ["lena", "ian"])
def test_leaders_and_the_inspector_read_and_change_nothing(personas, campaign, sources, persona):
    client = csrf_client(getattr(personas, persona))
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert campaign.title in page and "inspected_at" not in page
    assert client.get("/api/campaigns").json()[0]["id"] == campaign.pk
    site = source_of(sources, "restaurant")
    response = post_json(client, f"/api/campaigns/{campaign.pk}/inspections",
                         {"source": site.pk, "inspected_at": moment().isoformat(), "inspectors": "x"})  # fmt: skip
    assert response.status_code == 403
    assert post(client, f"/campaigns/{campaign.pk}/close/", {"summary": "x"}).status_code == 403
    assert client.get("/campaigns/new/").status_code == 403
    assert not Patrol.objects.exists() and Campaign.objects.get().is_open


@pytest.mark.parametrize("persona", ["oscar", "gary"])
def test_outsiders_and_grid_workers_see_nothing(personas, campaign, persona):
    client = csrf_client(getattr(personas, persona))
    assert client.get(campaign.get_absolute_url()).status_code == 404
    assert campaign.title not in client.get("/campaigns/").content.decode()
    assert client.get("/api/campaigns").json() == []
    assert client.get(f"/api/campaigns/{campaign.pk}").status_code == 404
    assert post(client, f"/campaigns/{campaign.pk}/close/", {"summary": "x"}).status_code == 404


def test_the_outsider_cannot_set_up_a_campaign_with_this_districts_units(personas, sources):
    client = csrf_client(personas.oscar)
    response = post_json(client, "/api/campaigns", {
        "title": "x", "action_plan": "x", "start": str(TODAY), "end": str(TODAY),
        "units": [personas.construction.pk],
    })  # fmt: skip
    assert response.status_code == 422
    assert not Campaign.objects.exists()


def test_the_sample_has_a_closed_campaign_with_two_cases(personas, sources):
    patrols_sample_load(personas.district)
    cases_sample_load(personas.district)
    plans_sample_load()
    result = campaigns_sample_load(personas.district)
    campaign = result["campaign"]
    assert campaign.state == Campaign.State.CLOSED
    assert campaign.figures["cases_opened"] == 2 and campaign.figures["penalties"] == 1
    assert services.campaign_cases(campaign).filter(state=State.CLOSED).count() == 1
    assert campaigns_sample_load(personas.district)["campaign"] is None  # idempotent


def test_a_campaign_on_some_grids_takes_only_their_sources(personas, sources):
    town = personas.grid  # 总寨镇
    setup = services.Setup(
        title="总寨镇专项", action_plan="检查总寨镇。", start=TODAY - datetime.timedelta(days=5),
        end=TODAY, units=[personas.construction], source_types=[], grids=[town],
    )  # fmt: skip
    campaign = services.campaign_create(
        jurisdiction=personas.district, setup=setup, by=personas.dora
    )
    inside = sources.filter(grid__parent=town).first() or sources.filter(grid=town).first()
    outside = sources.exclude(grid=town).exclude(grid__parent=town).first()
    inspect(campaign, inside, personas.liam)
    with pytest.raises(services.ValidationError):
        inspect(campaign, outside, personas.liam)
    assert campaign.inspections.count() == 1


def test_the_period_cannot_shrink_past_the_recorded_inspections(personas, campaign, sources):
    inspect(campaign, source_of(sources, "restaurant"), personas.liam, days_ago=10)
    setup = services.Setup(
        title=campaign.title, action_plan=campaign.action_plan, start=TODAY - datetime.timedelta(days=5),
        end=campaign.end, units=[personas.bureau, personas.construction], source_types=[], grids=[],
    )  # fmt: skip
    with pytest.raises(services.ValidationError):
        services.campaign_update(campaign, setup=setup, by=personas.dora)
    campaign.refresh_from_db()
    assert campaign.start == TODAY - datetime.timedelta(days=20)


def test_a_dispatcher_changes_a_campaign_under_way(personas, campaign):
    client = csrf_client(personas.dora)
    assert client.get(f"/campaigns/{campaign.pk}/edit/").status_code == 200
    response = post(client, f"/campaigns/{campaign.pk}/edit/", {
        "title": "扩大范围的专项行动", "action_plan": "增加市场监管局。", "start": str(campaign.start),
        "end": str(campaign.end), "units": [personas.bureau.pk, personas.construction.pk,
                                            personas.health.pk],
    })  # fmt: skip
    assert response["Location"] == campaign.get_absolute_url()
    campaign.refresh_from_db()
    assert campaign.title == "扩大范围的专项行动" and campaign.units.count() == 3
    assert campaign.history.count() == 2


def test_the_participating_units_are_told(personas, campaign):
    assert Notice.objects.filter(recipient=personas.liam, url=campaign.get_absolute_url()).exists()
    assert not Notice.objects.filter(recipient=personas.lily).exists()
