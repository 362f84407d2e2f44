"""The public pages of environmental quality and of the plan targets (/public/quality/,
/public/targets/), their JSON alternates and the row functions behind them.

The data ("now" is 2026-03-10 10:20, Beijing time), hourly readings written directly:
- 示例公开空气站 (the sample district): 2026-03-09 all day and today 00–09, PM2.5 55 ± 1
  and PM10 50 → the daily AQI of 03-09 is 75 (良, PM2.5); 2026-02-15 all day, PM2.5 160
  → 210 (重度污染, level 5).
- 示例公开断面: 2026-03-09 all day, NH3-N 0.55 and TP 0.11 → class III, the goal of the
  sample plan's 六一桥 target (fed by this section); 2026-01-20 all day, NH3-N 1.8 →
  class V, worse than the goal, decided by 氨氮.
- 示例外区站: an air station of the other district (not on the portal): never shown.
- The sample plan's targets with values: forest cover 29.0 (2024) and 30.0 (2025) for
  ≥ 31.48 % in 2026 → off track; 粪污综合利用率 86 in 2025 for ≥ 85 % in 2026 → on track;
  a target of 2025 (≥ 50 %) with 55 → met; the others: not enough data.
"""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from ecogov.disclosure import quality
from ecogov.monitoring.models import Factor, Period, Point, Reading, TargetFeed
from ecogov.plans.models import Target, TaskReport
from ecogov.plans.sample import plans_sample_load
from ecogov.plans.services import target_value_record

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 3, 10, 10, 20, tzinfo=TZ)
D = datetime.date
SECRETS = ("63010300000981", "pw-air-pub-Kq7", "63010300000982", "pw-river-pub-Ty3")
REPORT_TEXT = "（内部）本月进展：已约谈两家企业负责人"


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW.astimezone(datetime.UTC))


def _point(jurisdiction, kind, name, mn, password, codes) -> Point:
    point = Point.objects.create(jurisdiction=jurisdiction, kind=kind, name=name, mn=mn,
                                 password=password)  # fmt: skip
    unit = "μg/m³" if kind == Point.Kind.AIR_STATION else "mg/L"
    for code in codes:
        Factor.objects.create(point=point, code=code, unit=unit)
    return point


def _hours(point, start: datetime.datetime, hours: int, values: dict[str, str]) -> None:
    """Hourly readings around the given means (± 1 % alternating, so means stay put)."""
    rows = []
    for hour in range(hours):
        for code, mean in values.items():
            value = Decimal(mean) * (Decimal("1.01") if hour % 2 else Decimal("0.99"))
            rows.append(Reading(point=point, code=code, period=Period.HOUR, flag="N", valid=True,
                                time=start + datetime.timedelta(hours=hour), value=value))  # fmt: skip
    Reading.objects.bulk_create(rows)


def _day(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, tzinfo=TZ)


@pytest.fixture
def data(personas):
    plans_sample_load()
    targets = Target.objects.filter(plan__jurisdiction=personas.district)
    air = _point(personas.district, Point.Kind.AIR_STATION, "示例公开空气站", SECRETS[0],
                 SECRETS[1], ["a34004", "a34002"])  # fmt: skip
    _hours(air, _day(D(2026, 3, 9)), 34, {"a34004": "55", "a34002": "50"})
    _hours(air, _day(D(2026, 2, 15)), 24, {"a34004": "160", "a34002": "50"})
    river = _point(personas.district, Point.Kind.WATER_SECTION, "示例公开断面", SECRETS[2],
                   SECRETS[3], ["w21003", "w21011"])  # fmt: skip
    _hours(river, _day(D(2026, 3, 9)), 24, {"w21003": "0.55", "w21011": "0.11"})
    _hours(river, _day(D(2026, 1, 20)), 24, {"w21003": "1.8", "w21011": "0.11"})
    outside = _point(personas.outsider_district, Point.Kind.AIR_STATION, "示例外区站",
                     "63010300000983", "pw-out-pub-Zz1", ["a34004"])  # fmt: skip
    _hours(outside, _day(D(2026, 3, 9)), 24, {"a34004": "55"})
    section_target = targets.get(indicator__contains="六一桥")
    TargetFeed.objects.create(target=section_target, point=river,
                              metric=TargetFeed.Metric.WATER_CLASS, goal=3)  # fmt: skip
    target_value_record(target=section_target, date=D(2026, 3, 9), value=Decimal(3),
                        source="示例公开断面（年度至今水质类别）", fed=True)  # fmt: skip
    forest = targets.get(indicator="森林覆盖率")
    for day, value in ((D(2024, 12, 31), "29.0"), (D(2025, 12, 31), "30.0")):
        target_value_record(target=forest, date=day, value=Decimal(value), source="林业统计公报",
                            by=personas.dora)  # fmt: skip
    manure = targets.get(indicator="粪污综合利用率")
    target_value_record(target=manure, date=D(2025, 12, 31), value=Decimal(86), source="农业农村局")
    done = Target.objects.create(plan=forest.plan, order=99, indicator="示例已达成指标", op=">=",
                                 value=Decimal(50), unit="%", year=2025,
                                 text="到2025年示例指标达到50%")  # fmt: skip
    target_value_record(target=done, date=D(2025, 12, 31), value=Decimal(55), source="统计公报")
    TaskReport.objects.create(task=forest.task, unit=personas.bureau, period=D(2026, 2, 1),
                              text=REPORT_TEXT, reported_by=personas.dora)  # fmt: skip
    return {"air": air, "river": river, "outside": outside, "forest": forest, "manure": manure,
            "done": done, "section_target": section_target, "personas": personas}  # fmt: skip


def get(url: str):
    response = Client().get(url)
    assert response.status_code == 200, (response.status_code, response.content[:300])
    assert response["Cache-Control"] == "public, max-age=300"
    return response


def no_internal(text: str, personas) -> None:
    for secret in SECRETS:
        assert secret not in text
    assert REPORT_TEXT not in text
    dora = personas.dora
    for name in {dora.username, dora.get_full_name(), str(dora)} - {""}:
        assert name not in text


# --- the row functions ------------------------------------------------------------------


def test_air_days_gives_each_public_station_s_daily_aqi(data):
    rows = quality.air_days(D(2026, 2, 1), D(2026, 3, 10))
    assert {row["station"] for row in rows} == {"示例公开空气站"}  # not the other district's
    by_day = {row["date"]: row for row in rows}
    assert set(by_day) == {D(2026, 2, 15), D(2026, 3, 9)}  # today has only 10 hours
    assert by_day[D(2026, 3, 9)] | {"station_id": 0} == {
        "station": "示例公开空气站", "station_id": 0, "district": data["personas"].district.name,
        "date": D(2026, 3, 9), "aqi": 75, "level": 2, "category": "良",
        "primary_pollutant": "PM2.5",
    }  # fmt: skip
    assert by_day[D(2026, 2, 15)]["level"] == 5 and by_day[D(2026, 2, 15)]["aqi"] == 210
    assert [name for name, _type, _text in quality.AIR_DAYS_COLUMNS] == list(rows[0])


def test_section_months_gives_the_class_worst_factor_and_goal(data):
    rows = quality.section_months(D(2025, 12, 1), D(2026, 3, 10))
    assert [(r["month"], r["class"], r["worst_factor"], r["target_class"], r["meets_target"])
            for r in rows] == [("2026-01", "V", "氨氮", "III", False),
                               ("2026-03", "III", "氨氮、总磷", "III", True)]  # fmt: skip
    assert [name for name, _type, _text in quality.SECTION_MONTHS_COLUMNS] == list(rows[0])


def test_target_progress_gives_the_plans_status(data):
    rows = {row["target_id"]: row for row in quality.target_progress(today=D(2026, 3, 10))}
    assert rows[data["forest"].pk]["status"] == "off_track"
    assert rows[data["forest"].pk]["progress"] == "moderate_progress"
    assert rows[data["manure"].pk]["status"] == "on_track"
    assert rows[data["done"].pk]["status"] == "met"
    fed = rows[data["section_target"].pk]
    assert (fed["status"], fed["latest_value"], fed["latest_date"]) == (
        "on_track",
        3,
        D(2026, 3, 9),
    )
    assert fed["area"] == "water" and rows[data["forest"].pk]["area"] == "ecology"
    others = [r for r in rows.values() if r["latest_date"] is None]
    assert others and {r["status"] for r in others} == {"no_data"}
    assert all(r["district"] == data["personas"].district.name for r in rows.values())
    assert [name for name, _type, _text in quality.TARGET_PROGRESS_COLUMNS] == list(fed)


# --- the pages ------------------------------------------------------------------------


def test_the_overview_shows_today_s_air_and_each_section_against_its_goal(
    data, django_assert_max_num_queries
):
    with django_assert_max_num_queries(14):
        html = get("/public/quality/").content.decode()
    assert "示例公开空气站" in html and "示例外区站" not in html
    assert f'href="/public/quality/air/{data["air"].pk}/"' in html
    assert "75 良" in html  # the daily AQI of 03-09
    assert "示例公开断面" in html and f'href="/public/targets/{data["section_target"].pk}/"' in html
    # Air before water, and both before the method, so that a phone shows them first.
    assert html.index('id="air"') < html.index('id="water"') < html.index('id="method"')
    no_internal(html, data["personas"])
    body = get("/public/quality/index.json").json()
    (station,) = body["stations"]
    assert station["daily"]["aqi"] == 75 and station["day"] == "2026-03-09"
    assert station["hourly"]["level"] == 2 and station["hour"].startswith("2026-03-10T09:00")
    (section,) = body["sections"]
    assert section["goal"]["class"] == "III" and len(section["months"]) == 12
    assert section["this_month"] | {"colour": "", "ink": ""} == {
        "month": "2026-03", "class": "III", "worst_factor": "氨氮、总磷", "meets_target": True,
        "colour": "", "ink": "",
    }  # fmt: skip
    assert [m["class"] for m in section["months"] if m["class"]] == ["V", "III"]


def test_the_station_page_has_the_year_calendar_the_month_and_the_levels(
    data, django_assert_max_num_queries
):
    url = f"/public/quality/air/{data['air'].pk}/"
    with django_assert_max_num_queries(14):
        html = get(url).content.decode()
    assert 'title="2026-03-09 AQI 75 良"' in html  # the calendar's cell says it in text
    assert 'title="2026-02-15 AQI 210 重度污染"' in html
    assert "2026-03-09" in html and "PM2.5" in html  # the month's table
    no_internal(html, data["personas"])
    body = get(f"/public/quality/air/{data['air'].pk}.json").json()
    assert body["days"] == 2 and body["good_share"] == 50.0
    assert {row["level"]: row["days"] for row in body["levels"]} == {1: 0, 2: 1, 3: 0, 4: 0,
                                                                    5: 1, 6: 0}  # fmt: skip
    assert [row["date"] for row in body["month_days"]] == ["2026-03-09"]
    february = get(f"/public/quality/air/{data['air'].pk}.json?month=2026-02").json()
    assert [(r["date"], r["aqi"]) for r in february["month_days"]] == [("2026-02-15", 210)]
    # The PM2.5 target the station feeds is shown against it (after a feed is added).
    pm = Target.objects.get(plan=data["forest"].plan, indicator__contains="PM")
    TargetFeed.objects.create(target=pm, point=data["air"], code="a34004", goal=35,
                              metric=TargetFeed.Metric.ANNUAL_MEAN)  # fmt: skip
    body = get(f"/public/quality/air/{data['air'].pk}.json").json()
    assert [t["target_id"] for t in body["targets"]] == [pm.pk]


def test_the_station_page_makes_the_same_queries_whatever_the_days(
    data, django_assert_max_num_queries
):
    _hours(data["air"], _day(D(2026, 1, 1)), 24 * 40, {"a34004": "40", "a34002": "50"})
    with django_assert_max_num_queries(14):
        body = get(f"/public/quality/air/{data['air'].pk}.json").json()
    assert body["days"] == 42


def test_the_section_page_gives_the_class_by_month_against_the_goal(
    data, django_assert_max_num_queries
):
    url = f"/public/quality/water/{data['river'].pk}/"
    with django_assert_max_num_queries(14):
        html = get(url + "?months=24").content.decode()
    assert "氨氮" in html and "GB 3838-2002" in html
    no_internal(html, data["personas"])
    body = get(f"/public/quality/water/{data['river'].pk}.json").json()
    assert body["goal"]["class"] == "III" and body["months_shown"] == 12
    months = {m["month"]: m for m in body["months"]}
    assert len(months) == 12 and months["2026-01"]["meets_target"] is False
    assert months["2026-01"]["worst_factor"] == "氨氮" and months["2025-12"]["class"] is None
    assert [t["target_id"] for t in body["targets"]] == [data["section_target"].pk]
    assert (
        len(get(f"/public/quality/water/{data['river'].pk}.json?months=24").json()["months"]) == 24
    )


def test_the_targets_page_groups_by_plan_and_area_with_statuses(
    data, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        html = get("/public/targets/").content.decode()
    assert "森林覆盖率" in html and "示例已达成指标" in html
    assert 'class="tstatus met"' in html and 'class="tstatus off_track"' in html
    assert "“美丽乌海”" not in html  # 乌海市 is not on the portal
    no_internal(html, data["personas"])
    rows = get("/public/targets/index.json").json()["targets"]
    by_id = {row["target_id"]: row for row in rows}
    assert by_id[data["forest"].pk]["latest_value"] == "30"
    assert by_id[data["forest"].pk]["url"] == f"/public/targets/{data['forest'].pk}/"


def test_the_target_page_has_values_sources_chart_and_units_but_no_person(
    data, django_assert_max_num_queries
):
    url = f"/public/targets/{data['forest'].pk}/"
    with django_assert_max_num_queries(6):
        html = get(url).content.decode()
    assert "林业统计公报" in html and "31.48" in html and 'id="chart-data"' in html
    assert "target-chart.js" in html
    no_internal(html, data["personas"])
    body = get(f"/public/targets/{data['forest'].pk}.json").json()
    assert body["target"]["status"] == "off_track"
    assert [v["value"] for v in body["values"]] == ["30", "29"]  # newest first
    assert body["lead_units"] and body["chart"]["target"] == 31.48
    assert "entered_by" not in str(body) and REPORT_TEXT not in str(body)
    fed = get(f"/public/targets/{data['section_target'].pk}.json").json()
    assert fed["station"]["url"] == f"/public/quality/water/{data['river'].pk}/"
    assert fed["values"][0]["text"] != "3"  # a class, written as one


def test_what_is_not_public_is_a_404_and_a_bad_month_a_400(data):
    wuhai = Target.objects.exclude(plan__jurisdiction=data["personas"].district).first()
    air, river, outside = data["air"].pk, data["river"].pk, data["outside"].pk
    for page in (f"/public/quality/air/{river}/", f"/public/quality/air/{outside}/",
                 f"/public/quality/water/{air}/", "/public/quality/air/999999/",
                 "/public/targets/999999/", f"/public/targets/{wuhai.pk}/"):  # fmt: skip
        assert Client().get(page).status_code == 404, page
        answer = Client().get(page.rstrip("/") + ".json")
        assert answer.status_code == 404 and answer.json()["detail"], page
    for query in ("?month=2026-13", "?month=2099-01", "?month=x", "?month=1999-01"):
        assert Client().get(f"/public/quality/air/{air}/{query}").status_code == 400, query
        answer = Client().get(f"/public/quality/air/{air}.json{query}")
        assert answer.status_code == 400 and answer.json()["detail"], query


def test_the_calendar_shows_a_day_in_its_own_month_only(data):
    record = quality.station_record(data["air"], D(2026, 3, 1), NOW)
    march = record["calendar"][2]
    days = [cell["date"] for week in march["weeks"] for cell in week if cell]
    assert days[0] == D(2026, 3, 1) and days[-1] == D(2026, 3, 31) and len(days) == 31
    assert record["calendar"][0]["days"] == 0 and march["days"] == 1


def test_the_quality_data_sets_are_the_pages_figures(data):
    days = get("/public/data/air-days.json").json()["rows"]
    assert ("2026-03-09", 75) in [(row["date"], row["aqi"]) for row in days]
    months = get("/public/data/section-months.json").json()["rows"]
    assert [row["class"] for row in months] == ["V", "III"]
    targets = get("/public/data/target-progress.json").json()["rows"]
    assert {row["target_id"] for row in targets} == {
        row["target_id"] for row in get("/public/targets/index.json").json()["targets"]
    }
