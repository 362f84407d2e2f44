"""A target's page: the indicator's name, its values, its status and the chart's data."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from ecogov.monitoring.models import Point, TargetFeed
from ecogov.plans import views as plan_views
from ecogov.plans.models import Target
from ecogov.plans.sample import plans_sample_load
from ecogov.plans.services import target_value_record

D = datetime.date


@pytest.fixture
def targets(personas):
    plans_sample_load()
    return Target.objects.filter(plan__jurisdiction=personas.district)


def on(monkeypatch, day: datetime.date) -> None:
    monkeypatch.setattr(plan_views, "_today", lambda: day)


def record(target: Target, day: datetime.date, value: str, *, fed: bool = False) -> None:
    target_value_record(target=target, date=day, value=Decimal(value), source="统计公报", fed=fed)


def badge(response) -> str:
    return re.search(r'class="progress-badge">([^<]*)<', response.content.decode()).group(1)


def test_indicator_markup_is_a_subscript_on_the_page_and_unicode_in_chart_and_export(
    targets, personas, client_for
):
    pm = targets.get(indicator__contains="PM2.5")
    assert "PM_{2.5}" in pm.text  # as the plan's PDF conversion wrote it
    client = client_for(personas.ian)  # an inspector also reads the history
    response = client.get(pm.get_absolute_url())
    page = response.content.decode()
    assert "PM<sub>2.5</sub>" in page and "PM_{2.5}" not in page
    assert response.context["chart"]["name"] == "空气细颗粒物(PM₂.₅)年平均浓度"
    sheet = load_workbook(io.BytesIO(client.get(f"/targets/{pm.pk}/values.xlsx").content)).active
    assert "PM₂.₅" in sheet["A1"].value and "PM₂.₅" in sheet["A2"].value
    task = client.get(pm.task.get_absolute_url()).content.decode()
    assert "PM<sub>2.5</sub>" in task and "PM_{2.5}" not in task


def test_measured_values_are_written_with_the_indicators_decimals(
    targets, personas, client_for, monkeypatch
):
    on(monkeypatch, D(2026, 6, 1))
    forest = targets.get(indicator="森林覆盖率")  # ≥ 31.48 %: two decimals
    record(forest, D(2024, 12, 31), "29.0")
    record(forest, D(2025, 12, 31), "30.123456")
    response = client_for(personas.ian).get(forest.get_absolute_url())
    page = response.content.decode()
    assert "30.12 %" in page and "29 %" in page and "31.48 %" in page
    assert "30.123456" not in page and "29.000000" not in page and "31.480000" not in page
    assert [v for _, v in response.context["chart"]["values"]] == [29.0, 30.12]


def test_a_year_to_date_value_that_meets_the_target_is_on_track_until_the_year_is_over(
    targets, personas, client_for, monkeypatch
):
    forest = targets.get(indicator="森林覆盖率")  # ≥ 31.48 % by 2026
    record(forest, D(2026, 11, 30), "32.0")
    client = client_for(personas.dora)
    on(monkeypatch, D(2026, 12, 3))
    assert badge(client.get(forest.get_absolute_url())) == "按序时进度：目前达标，考核期未结束"
    on(monkeypatch, D(2027, 1, 5))
    assert badge(client.get(forest.get_absolute_url())) == "已达成目标"


def test_an_annual_targets_chart_spans_its_year_by_month(
    targets, personas, client_for, monkeypatch
):
    on(monkeypatch, D(2026, 12, 3))
    forest = targets.get(indicator="森林覆盖率")
    record(forest, D(2026, 12, 2), "30.0")
    record(forest, D(2026, 12, 3), "30.1")  # two values a day apart: no hourly axis
    chart = client_for(personas.dora).get(forest.get_absolute_url()).context["chart"]
    assert chart["xAxis"]["type"] == "time"
    assert (chart["xAxis"]["min"], chart["xAxis"]["max"]) == ("2026-01-01", "2026-12-31")
    assert chart["xAxis"]["granularity"] == "month" and chart["xAxis"]["minIntervalDays"] >= 28
    assert chart["yAxis"] == {"type": "value", "name": "%"}


def test_a_water_class_target_has_the_classes_on_a_category_axis(
    targets, personas, client_for, monkeypatch
):
    on(monkeypatch, D(2026, 12, 3))
    section = targets.get(indicator__contains="六一桥")  # "达到III类"
    point = Point.objects.create(
        jurisdiction=personas.district, kind=Point.Kind.WATER_SECTION, name="六一桥入湟断面",
        mn="63010300000921", password="pw-river-5Tn6",
    )  # fmt: skip
    TargetFeed.objects.create(target=section, point=point, metric="water_class", goal=3)
    record(section, D(2026, 12, 3), "3", fed=True)
    response = client_for(personas.dora).get(section.get_absolute_url())
    chart = response.context["chart"]
    assert chart["yAxis"] == {
        "type": "category",
        "data": ["I类", "II类", "III类", "IV类", "V类", "劣V类"],
    }
    assert chart["values"] == [["2026-12-03", "III类"]] and chart["target"] == "III类"
    assert chart["trend"] == []
    page = response.content.decode()
    assert "<td>III类 </td>" in page
