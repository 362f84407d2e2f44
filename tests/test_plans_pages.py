"""The task ledger through pages and API, and who may report on which task."""

import datetime
import json
import re

import pytest
from django.test import Client

from ecogov.plans.models import Task, TaskReport, TaskUnit
from ecogov.plans.sample import plans_sample_load


@pytest.fixture
def plans(personas):
    return plans_sample_load()


def csrf_client(user) -> tuple[Client, dict]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/")
    return client, {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}


def task(number: str) -> Task:
    return Task.objects.get(plan__jurisdiction__name="城中区", number=number)


def test_the_plan_page_shows_the_ledger_and_the_targets(plans, personas, client_for):
    page = client_for(personas.lena).get(plans[0].get_absolute_url()).content.decode()
    assert "扎实推进“三北”工程建设" in page and "2026-12" in page
    assert "森林覆盖率" in page and "31.48" in page
    assert client_for(personas.lena).get("/plans/").status_code == 200


def test_the_outsider_sees_no_plan_of_chengzhong(plans, personas, client_for):
    client = client_for(personas.oscar)
    assert client.get(plans[0].get_absolute_url()).status_code == 404
    assert client.get(task("3").get_absolute_url()).status_code == 404
    assert client.get(f"/api/tasks/{task('3').pk}").status_code == 404
    assert "三北" not in client.get("/tasks/").content.decode()


def test_a_liaison_sees_his_units_tasks_first(plans, personas, client_for):
    page = client_for(personas.liam).get("/tasks/").content.decode()
    # 区城乡建设局 leads task 10 (seed 004): it comes before task 1, which it does not lead
    assert page.index("加快推进湟河流域治污设施建设") < page.index("提高政治站位")
    rows = client_for(personas.liam).get("/api/tasks").json()
    assert rows[0]["number"] in {"7(3)", "8", "10", "11(1)", "12", "13", "15"}  # leads or supports


def test_filters(plans, personas, client_for):
    client = client_for(personas.dora)
    leads = client.get(f"/api/tasks?unit_id={personas.construction.pk}&role=lead").json()
    assert {row["number"] for row in leads} == {"8", "10", "11(1)", "12"}
    supports = client.get(f"/api/tasks?unit_id={personas.construction.pk}&role=support").json()
    assert {row["number"] for row in supports} == {"7(3)", "13", "15"}
    assert client.get("/api/tasks?status=bogus").status_code == 422
    rows = client.get(f"/tasks/?unit={personas.construction.pk}&role=lead", HTTP_HX_REQUEST="true")
    assert (
        "<html" not in rows.content.decode()
        and "加快推进湟河流域治污设施建设" in rows.content.decode()
    )


def test_a_lead_units_liaison_reports_progress(plans, personas):
    client, csrf = csrf_client(personas.liam)
    body = {
        "unit_id": personas.construction.pk,
        "period": "2026-11-01",
        "text": "完成 30 处混错接点位整治",
        "percent": "40",
    }
    response = client.post(
        f"/api/tasks/{task('10').pk}/reports",
        json.dumps(body),
        content_type="application/json",
        **csrf,
    )
    assert response.status_code == 201, response.content
    report = TaskReport.objects.get()
    assert (report.unit, report.reported_by, str(report.percent)) == (
        personas.construction,
        personas.liam,
        "40.0",
    )


@pytest.mark.parametrize(
    "number, unit, expected",
    [
        ("1", "construction", 403),  # 区城乡建设局 is no lead unit of task 1
        ("10", "health", 403),  # a liaison reports for his own unit only
    ],
)
def test_a_liaison_cannot_report_for_others(plans, personas, number, unit, expected):
    client, csrf = csrf_client(personas.liam)
    body = {"unit_id": getattr(personas, unit).pk, "period": "2026-11-01", "text": "冒名填报"}
    response = client.post(
        f"/api/tasks/{task(number).pk}/reports",
        json.dumps(body),
        content_type="application/json",
        **csrf,
    )
    assert response.status_code == expected
    assert not TaskReport.objects.exists()


def test_reports_for_future_months_and_by_strangers_are_refused(plans, personas):
    client, csrf = csrf_client(personas.dora)
    body = {"unit_id": personas.health.pk, "period": "2026-11-01", "text": "代报"}
    response = client.post(
        f"/api/tasks/{task('10').pk}/reports",
        json.dumps(body),
        content_type="application/json",
        **csrf,
    )
    assert response.status_code == 422  # 区卫生健康局 has no part in task 10
    body = {"unit_id": personas.construction.pk, "period": "2099-01-01", "text": "提前报"}
    response = client.post(
        f"/api/tasks/{task('10').pk}/reports",
        json.dumps(body),
        content_type="application/json",
        **csrf,
    )
    assert response.status_code == 422
    assert not TaskReport.objects.exists()


def test_done_needs_evidence_and_ongoing_tasks_are_never_done(plans, personas):
    client, csrf = csrf_client(personas.dora)
    url = f"/api/tasks/{task('5').pk}/complete"
    assert (
        client.post(
            url, json.dumps({"evidence": ""}), content_type="application/json", **csrf
        ).status_code
        == 422
    )
    done = client.post(
        url,
        json.dumps({"evidence": "验收意见 城中环验〔2024〕3号"}),
        content_type="application/json",
        **csrf,
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    ongoing = client.post(
        f"/api/tasks/{task('1').pk}/complete",
        json.dumps({"evidence": "x" * 5}),
        content_type="application/json",
        **csrf,
    )
    assert ongoing.status_code == 422


def test_reporting_through_the_task_page(plans, personas, client_for):
    client = client_for(personas.liam)
    url = task("10").get_absolute_url()
    page = client.get(url)
    assert "填报本月进展" in page.content.decode()
    token = (
        client.cookies["csrftoken"].value
        if "csrftoken" in client.cookies
        else page.context["csrf_token"]
    )
    response = client.post(
        url,
        {
            "action": "report",
            "unit": personas.construction.pk,
            "period": "2026-11",
            "text": "已完成排查",
            "percent": "20",
            "milestone": "",
            "csrfmiddlewaretoken": str(token),
        },
    )
    assert response.status_code == 302
    assert TaskReport.objects.get().text == "已完成排查"
    other = client_for(personas.liam).post(
        task("1").get_absolute_url(), {"action": "report", "text": "x"}
    )
    assert other.status_code == 403


def test_the_task_history_shows_reports_to_inspectors(plans, personas, client_for):
    client, csrf = csrf_client(personas.liam)
    body = {"unit_id": personas.construction.pk, "period": "2026-11-01", "text": "进展顺利"}
    client.post(
        f"/api/tasks/{task('10').pk}/reports",
        json.dumps(body),
        content_type="application/json",
        **csrf,
    )
    page = client_for(personas.ian).get(task("10").get_absolute_url()).content.decode()
    assert 'id="history"' in page and "进度报告" in page


def forest_target():
    from ecogov.plans.models import Target

    return Target.objects.get(plan__jurisdiction__name="城中区", indicator="森林覆盖率")


def test_measured_values_answer_will_we_make_it(plans, personas, client_for):
    target = forest_target()
    client = client_for(personas.dora)
    client.get("/")
    token = client.cookies["csrftoken"].value
    for date, value in (("2024-12-31", "29.0"), ("2025-12-31", "30.3")):
        response = client.post(
            target.get_absolute_url(),
            {"date": date, "value": value, "source": "统计公报", "csrfmiddlewaretoken": token},
        )
        assert response.status_code == 302
    page = client.get(target.get_absolute_url()).content.decode()
    assert "进展显著" in page and "chart-data" in page and "统计公报" in page


def test_only_the_dispatcher_or_the_lead_units_liaison_records_values(plans, personas, client_for):
    target = forest_target()  # task 3, led by 区自然资源和林业局
    for user in (personas.liam, personas.lena, personas.ian):
        client = client_for(user)
        assert (
            client.post(
                target.get_absolute_url(), {"date": "2025-12-31", "value": "30"}
            ).status_code
            == 403
        )
    assert client_for(personas.oscar).get(target.get_absolute_url()).status_code == 404
    assert not target.values.exists()


def test_a_qualitative_goal_takes_no_values(plans, personas, client_for):
    from ecogov.plans.models import Target

    target = Target.objects.get(plan__jurisdiction__name="城中区", reference="III类")
    response = client_for(personas.dora).post(
        target.get_absolute_url(), {"date": "2025-12-31", "value": "3"}
    )
    assert response.status_code == 403


def test_tasks_due_by_a_month(plans, personas, client_for):
    rows = client_for(personas.dora).get("/api/tasks?due_by=2025-06-30").json()
    assert {row["number"] for row in rows} == {"5"}  # the only task due by June 2025 (2024-12)
    page = client_for(personas.dora).get(f"/plans/{plans[0].pk}/?due=2025-12").content.decode()
    assert "统筹推进西宁市" in page and "提高政治站位" not in page


def test_a_tasks_source_is_its_plan_by_title_with_a_link_not_the_file_name(
    plans, personas, client_for
):
    numbered = task("3")
    assert numbered.line and numbered.plan.source.endswith(".txt")
    page = client_for(personas.lena).get(numbered.get_absolute_url()).content.decode()
    source = re.search(r"<dt>来源</dt><dd>(.*?)</dd>", page, re.S).group(1)
    assert f'<a href="{numbered.plan.get_absolute_url()}"' in source
    assert numbered.plan.title in source and f"第 {numbered.line} 行" in source
    assert f">{numbered.plan.source}" not in source  # the file name only as a tooltip


def test_a_goal_the_plan_strives_for_is_stored_and_shown_as_such(plans, django_user_model):
    """Seed 001 §二.(一): "2025年力争水土保持率达到43.42%" is a 力争 goal; "2025年国家重点保护
    野生动植物保护率达到95%", in the same paragraph, is one the plan commits to."""
    wuhai = next(plan for plan in plans if plan.jurisdiction.name == "乌海市")
    striven = wuhai.targets.get(indicator__contains="水土保持率")
    committed = wuhai.targets.get(indicator__contains="野生动植物保护率")
    assert striven.aspirational and not committed.aspirational
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("root", password="x" * 20))
    page = client.get(wuhai.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    rows = {href: page[page.index(href) :].split("</tr>", 1)[0] for href in
            (striven.get_absolute_url(), committed.get_absolute_url())}  # fmt: skip
    assert "力争" in rows[striven.get_absolute_url()]
    assert "力争" not in rows[committed.get_absolute_url()].replace(committed.indicator, "")


def test_the_task_ledger_is_paged_and_filtered_in_the_database(plans, personas, client_for,
                                                               monkeypatch):  # fmt: skip
    """/tasks/ shows a page of the tasks the API lists, in the same order, filtered on the
    status the scan stored; the pages keep the filters and a page past the end is the last."""
    from ecogov.plans import views as plan_views

    monkeypatch.setattr(plan_views, "PAGE_SIZE", 7)
    client = client_for(personas.dora)

    def ids(address: str) -> list[int]:
        page = client.get(address).content.decode()
        rows = page[page.index('id="ledger-rows"') :]
        return [int(pk) for pk in re.findall(r'<a href="/tasks/(\d+)/">', rows)]

    statuses = sorted(set(Task.objects.values_list("status", flat=True)))
    assert len(statuses) >= 2 and "" not in statuses, statuses  # every task timed
    for status in ("", *statuses):
        query = f"&status={status}" if status else ""
        whole = [row["id"] for row in client.get(f"/api/tasks?limit=500{query}").json()]
        stored = Task.objects.filter(pk__in=whole)
        if status:
            assert set(stored.values_list("status", flat=True)) <= {status}
        pages = -(-len(whole) // 7)
        shown = []
        for number in range(1, pages + 1):
            shown += ids(f"/tasks/?status={status}&page={number}")
        assert shown == whole, status
        if pages > 1:
            first = client.get(f"/tasks/?status={status}").content.decode()
            assert f"status={status}&amp;page=2" in first
            assert ids(f"/tasks/?status={status}&page=999") == whole[(pages - 1) * 7 :]


def test_a_ledger_row_names_its_units_by_role_and_its_latest_report(plans, personas, client_for):
    """A row of /tasks/ writes each lead unit by its registry name (a name outside the
    registry muted), the supervising and implementing units after their label, a dash
    for no supporting unit, and the latest report; the API lists the units as named,
    by role."""
    added = Task.objects.create(plan=plans[0], number="99", order=999, title="新增的任务",
                                text="新增的任务。", deadline=datetime.date(2026, 12, 1))  # fmt: skip
    named = [
        (TaskUnit.Role.LEAD, "区住建局", personas.construction),
        (TaskUnit.Role.LEAD, "区某某中心", None),
        (TaskUnit.Role.SUPERVISING, "区卫健局", personas.health),
        (TaskUnit.Role.SUPERVISING, "区监管中心", None),
        (TaskUnit.Role.IMPLEMENTING, "各街道办事处", None),
        (TaskUnit.Role.IMPLEMENTING, "各镇人民政府", None),
    ]
    for order, (role, name, unit) in enumerate(named):
        TaskUnit.objects.create(task=added, role=role, name=name, unit=unit, order=order)
    reports = [
        (datetime.date(2026, 10, 1), personas.construction, "完成 30 处混错接点位整治", 40),
        (datetime.date(2026, 11, 1), personas.health, "已完成排查" + "。" * 50, None),
    ]
    for period, unit, text, percent in reports:
        TaskReport.objects.create(task=added, unit=unit, period=period, text=text,
                                  percent=percent)  # fmt: skip
    client = client_for(personas.dora)
    rows = client.get(f"/tasks/?unit={personas.health.pk}", HTTP_HX_REQUEST="true")
    row = rows.content.decode().split(f'<a href="/tasks/{added.pk}/">', 1)[1].split("</tr>")[0]
    cells = [
        re.sub(r' title="[^"]*"', "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)
    ]
    supervising = '<div class="muted">监管部门: 区卫生健康局、区监管中心</div>'
    assert cells[0] == '区城乡建设局、<span class="muted">区某某中心</span>' + supervising
    assert cells[1] == '<div class="muted">落实单位: 各街道办事处、各镇人民政府</div>'  # no dash
    assert cells[2] == "2026-12"
    latest = "2026-11 区卫生健康局：已完成排查。"
    assert cells[4].startswith(latest) and len(cells[4]) <= len(latest) + 40  # cut short
    TaskUnit.objects.filter(task=added, role=TaskUnit.Role.IMPLEMENTING).delete()
    TaskReport.objects.filter(task=added, period__month=11).delete()
    rows = client.get(f"/tasks/?unit={personas.health.pk}", HTTP_HX_REQUEST="true")
    row = rows.content.decode().split(f'<a href="/tasks/{added.pk}/">', 1)[1].split("</tr>")[0]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert cells[1] == "—" and cells[4] == "2026-10 区城乡建设局：完成 30 处混错接点位整治 (40.0%)"
    for order, (name, unit) in enumerate([("区卫健局", personas.health), ("区某协会", None)]):
        TaskUnit.objects.create(task=added, role="support", name=name, unit=unit, order=order)
    rows = client.get(f"/tasks/?unit={personas.health.pk}", HTTP_HX_REQUEST="true")
    row = rows.content.decode().split(f'<a href="/tasks/{added.pk}/">', 1)[1].split("</tr>")[0]
    assert re.findall(r"<td[^>]*>(.*?)</td>", row)[1] == "区卫生健康局、区某协会"
    listed = client.get(f"/api/tasks?unit_id={personas.health.pk}").json()
    units = next(task for task in listed if task["id"] == added.pk)["units"]
    assert units == [
        {"role": "lead", "name": "区住建局", "unit_id": personas.construction.pk},
        {"role": "lead", "name": "区某某中心", "unit_id": None},
        {"role": "supervising", "name": "区卫健局", "unit_id": personas.health.pk},
        {"role": "supervising", "name": "区监管中心", "unit_id": None},
        {"role": "support", "name": "区卫健局", "unit_id": personas.health.pk},
        {"role": "support", "name": "区某协会", "unit_id": None},
    ]
    assert client.get(f"/api/tasks/{added.pk}").json()["units"] == units
