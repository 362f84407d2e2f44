"""Online monitoring pages and API: what they show for a tiny data set stored through the
ingestion code, who sees which point, and that no page or answer gives a password away.

The data (times are Beijing time, "now" is 2026-03-10 10:20):
- 示例化工厂 (a key source in a village grid of 总寨镇, Gary's grid): outlet 1号排口 with
  COD (limit 100) and NH3-N (limit 15), hours 00–09 of today; COD is over the limit at
  07, 08 and 09 (150, 160, 155), so 3 of its 20 pollutant-hours exceed: compliance
  17/20 = 85.0 %, and the exceedance alarm persists long enough to become a case. Its
  outlet 2号排口 has sent nothing (offline).
- 示例印染厂 (南滩街道): outlet with COD (limit 100), hours 00–09, always within: 100.0 %.
- 城中区示例空气站: yesterday's 24 hours and today's 00–09, PM2.5 55 ± 1 and PM10 50: the
  daily AQI of yesterday is 75 (良, PM2.5).
- 六一桥断面: yesterday's 24 hours, NH3-N 0.55 and TP 0.11 on average: class III.
- 城东区站: a station of the other district (Oscar's), no data.
Values alternate around their mean, as real ones do, so that no flat-line alarm is raised.
"""

import datetime
import json
import re
import zoneinfo
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone

from ecogov.cases.models import Case
from ecogov.grid.models import Grid
from ecogov.monitoring import alarms as monitoring_alarms
from ecogov.monitoring import views
from ecogov.monitoring.ingest import Ingestor, Upload
from ecogov.monitoring.models import Alarm, Factor, Point
from ecogov.monitoring.views import ONLINE_WITHIN
from ecogov.sources.models import Source, SourceType
from ecogov.standards import hj212

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 3, 10, 10, 20, tzinfo=TZ)
TODAY = datetime.datetime(2026, 3, 10, tzinfo=TZ)
YESTERDAY = datetime.datetime(2026, 3, 9, tzinfo=TZ)
PASSWORDS = {"a": "pw-chem-7Qx2", "c": "pw-chem2-Lm4", "b": "pw-dye-9Zk1",
             "air": "pw-air-3Hs8", "river": "pw-river-5Tn6", "out": "pw-out-8Rb3"}  # fmt: skip
ST = {"water": "32", "air_station": "22", "water_section": "21"}


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    """Every "now" of the pages, the API and the ingestion is NOW."""
    monkeypatch.setattr(timezone, "now", lambda: NOW.astimezone(datetime.UTC))
    return NOW


def upload(point: Point, system: str, when: datetime.datetime, values: dict) -> Upload:
    cp = [{"DataTime": when.strftime("%Y%m%d%H%M%S")}]
    cp += [{f"{code}-Avg": f"{value}", f"{code}-Flag": "N"} for code, value in values.items()]
    packet = hj212.Packet.make(
        qn=when.strftime("%Y%m%d%H%M%S000"), st=ST[system], cn="2061", pw=point.password,
        mn=point.mn, flag=hj212.Flag.make(need_answer=True), cp=cp,
    )  # fmt: skip
    return Upload.of(point.pk, packet, NOW)


def wobble(mean: str, spread: str, hour: int) -> Decimal:
    """The mean plus or minus the spread, alternating by hour (an even count averages out)."""
    return Decimal(mean) + (Decimal(spread) if hour % 2 else -Decimal(spread))


def point(personas, key, kind, name, mn, *, source=None, jurisdiction=None, factors=()):
    made = Point.objects.create(
        jurisdiction=jurisdiction or personas.district, kind=kind, name=name, mn=mn,
        password=PASSWORDS[key], source=source, grid=source.grid if source else None,
    )  # fmt: skip
    for code, unit, limit in factors:
        Factor.objects.create(point=made, code=code, unit=unit, limit=limit)
    return made


@pytest.fixture
def monitored(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the case's workbook of readings
    kind = SourceType.objects.order_by("pk").first()
    village = Grid.objects.filter(parent=personas.grid).order_by("pk").first() or personas.grid
    elsewhere = Grid.objects.get(jurisdiction=personas.district, name="南滩街道第1网格")
    chem = Source.objects.create(jurisdiction=personas.district, type=kind, name="示例化工厂",
                                 grid=village, key=True)  # fmt: skip
    dye = Source.objects.create(jurisdiction=personas.district, type=kind, name="示例印染厂",
                                grid=elsewhere)  # fmt: skip
    water = (("w01018", "mg/L", Decimal(100)), ("w21003", "mg/L", Decimal(15)))
    pa = point(personas, "a", Point.Kind.SOURCE, "1号排口", "63010300000901", source=chem,
               factors=water)  # fmt: skip
    pc = point(personas, "c", Point.Kind.SOURCE, "2号排口", "63010300000902", source=chem,
               factors=water)  # fmt: skip
    pb = point(personas, "b", Point.Kind.SOURCE, "总排口", "63010300000903", source=dye,
               factors=water[:1])  # fmt: skip
    air = point(personas, "air", Point.Kind.AIR_STATION, "城中区示例空气站", "63010300000911",
                factors=[("a34004", "μg/m³", None), ("a34002", "μg/m³", None),
                         ("a21026", "μg/m³", None), ("a21004", "μg/m³", None),
                         ("a21005", "mg/m³", None), ("a05024", "μg/m³", None)])  # fmt: skip
    river = point(personas, "river", Point.Kind.WATER_SECTION, "六一桥断面", "63010300000921",
                  factors=[(c, "mg/L", None) for c in ("w01009", "w01019", "w01018", "w21003",
                                                       "w21011")])  # fmt: skip
    out = point(personas, "out", Point.Kind.AIR_STATION, "城东区站", "63010300000931",
                jurisdiction=personas.outsider_district)  # fmt: skip
    uploads = []
    for hour in range(10):
        when = TODAY + datetime.timedelta(hours=hour)
        cod = {7: 150, 8: 160, 9: 155}.get(hour, wobble("50", "1", hour))
        uploads.append(upload(pa, "water", when, {"w01018": cod,
                                                  "w21003": wobble("5", "0.1", hour)}))  # fmt: skip
        uploads.append(upload(pb, "water", when, {"w01018": wobble("40", "1", hour)}))
    for hour in range(34):
        when = YESTERDAY + datetime.timedelta(hours=hour)
        uploads.append(upload(air, "air_station", when, {
            "a34004": wobble("55", "1", hour), "a34002": wobble("50", "1", hour),
            "a21026": wobble("10", "1", hour), "a21004": wobble("20", "1", hour),
            "a21005": wobble("0.5", "0.1", hour), "a05024": wobble("60", "1", hour),
        }))  # fmt: skip
    for hour in range(24):
        when = YESTERDAY + datetime.timedelta(hours=hour)
        uploads.append(upload(river, "water_section", when, {
            "w01001": wobble("7.5", "0.1", hour), "w01009": wobble("6.5", "0.1", hour),
            "w01019": wobble("3.6", "0.1", hour), "w01018": wobble("15", "1", hour),
            "w21003": wobble("0.55", "0.05", hour), "w21011": wobble("0.11", "0.01", hour),
        }))  # fmt: skip
    ingestor = Ingestor()
    ingestor.refresh()
    report = ingestor.store(uploads)
    assert report.stored == len(uploads) and report.rejected == 0
    monitoring_alarms.alarm_cases(report.case_candidates)
    return {"pa": pa, "pb": pb, "pc": pc, "air": air, "river": river, "out": out,
            "chem": chem, "dye": dye, "alarm": Alarm.objects.get(point=pa)}  # fmt: skip


def text(response) -> str:
    assert response.status_code == 200, (response.status_code, response.content[:300])
    return response.content.decode()


def json_of(page: str, element_id: str):
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', page,
                      re.S)  # fmt: skip
    assert match, element_id
    return json.loads(match.group(1))


def test_the_fixture_stores_what_the_pages_show(monitored):
    alarm = monitored["alarm"]
    assert (alarm.kind, alarm.code, alarm.state, alarm.count) == ("exceedance", "w01018",
                                                                   "open", 3)  # fmt: skip
    assert alarm.worst == Decimal(160) and alarm.case is not None
    assert Alarm.objects.count() == 1  # no flat line, no gap
    assert alarm.case.source == monitored["chem"]


def test_the_overview_shows_points_alarms_rates_and_quality(monitored, personas, client_for):
    page = text(client_for(personas.dora).get("/monitoring/"))
    assert re.search(r'id="figure-online"[^>]*><strong>4</strong>', page)
    assert re.search(r'id="figure-offline"[^>]*><strong>1</strong>', page)
    assert re.search(r'id="figure-alarms"[^>]*><strong>1</strong>', page)
    alarm = monitored["alarm"]
    assert f'href="/monitoring/alarms/{alarm.pk}/"' in page
    assert "化学需氧量（w01018）" in page and alarm.case.number in page
    # Compliance by source: 17 of 20 and 10 of 10; the district: 27 of 30.
    chem = re.search(rf'id="source-{monitored["chem"].pk}">(.*?)</tr>', page, re.S).group(1)
    assert "85.0%" in chem and "100.0%" in chem  # compliance; transmission 10 of 10
    dye = re.search(rf'id="source-{monitored["dye"].pk}">(.*?)</tr>', page, re.S).group(1)
    assert "100.0%" in dye
    district = re.search(rf'id="jurisdiction-{personas.district.pk}">(.*?)</tr>', page,
                         re.S).group(1)  # fmt: skip
    # transmission 78 of 88 hours (the river section missed today's 10)
    assert "90.0%" in district and "88.6%" in district
    chart = json_of(page, "monitoring-chart-data")
    assert [s["compliance"] for s in chart["sources"]] == [85.0, 100.0]
    # The station's latest hour (09:00, PM2.5 56 → IAQI 76.25) and the section's class.
    stations = re.search(r'id="air-stations">(.*?)</section>', page, re.S).group(1)
    assert "城中区示例空气站" in stations and "77 良" in stations and "PM2.5" in stations
    sections = re.search(r'id="water-sections">(.*?)</section>', page, re.S).group(1)
    assert "III" in sections and "氨氮、总磷" in sections
    assert "城东区站" not in page
    assert 'class="active">在线监测</a>' in page.replace('href="/monitoring/" ', "")


def test_the_live_part_refreshes_alone(monitored, personas, client_for):
    response = client_for(personas.dora).get("/monitoring/", HTTP_HX_REQUEST="true")
    part = text(response)
    assert "<html" not in part and 'id="figure-online"' in part and "rates" not in part
    assert "HX-Request" in response["Vary"]


def test_online_means_data_within_two_hours(monitored, personas, client_for):
    assert ONLINE_WITHIN == datetime.timedelta(hours=2)
    Point.objects.filter(pk=monitored["pb"].pk).update(last_seen=NOW - datetime.timedelta(hours=3))
    page = text(client_for(personas.dora).get("/monitoring/"))
    assert re.search(r'id="figure-offline"[^>]*><strong>2</strong>', page)


def test_the_overview_lists_the_points_that_need_a_look_first(monitored, personas, client_for,
                                                              monkeypatch):  # fmt: skip
    """Paged, the offline point first, then by compliance (85 % before 100 %), then the
    points without a limit in the usual order (kind, name): no problem on a later page."""
    monkeypatch.setattr(views, "POINT_PAGE_SIZE", 2)
    client = client_for(personas.dora)
    listed = []
    for number in (1, 2, 3):
        page = text(client.get(f"/monitoring/?page={number}"))
        points = re.search(r'id="points">(.*?)</section>', page, re.S).group(1)
        assert f"第 {number} 页，共 3 页" in points, points
        listed += re.findall(
            r'<td class="name"><a href="/monitoring/points/\d+/">(.*?)</a>', points
        )
    assert listed == ["2号排口", "1号排口", "总排口", "城中区示例空气站", "六一桥断面"]
    assert '<small class="muted">5</small>' in page  # every point counted in the heading


def test_a_source_point_page(monitored, personas, client_for):
    pa = monitored["pa"]
    client = client_for(personas.dora)
    page = text(client.get(f"/monitoring/points/{pa.pk}/"))
    assert "示例化工厂" in page and pa.mn in page and "1号排口" in page
    assert f'href="{monitored["chem"].get_absolute_url()}"' in page
    rates = re.search(r'id="rates">(.*?)</section>', page, re.S).group(1)
    assert "85.0%" in rates and "17" in rates and "20" in rates
    chart = json_of(page, "point-chart-data")
    cod = next(item for item in chart["hourly"] if item["code"] == "w01018")
    assert cod["limit"] == 100.0 and cod["exceeded"] == 3 and len(cod["valid"]) == 10
    assert cod["valid"][-1] == ["2026-03-10 09:00", 155.0]
    alarms = re.search(r'id="alarms">(.*?)</section>', page, re.S).group(1)
    assert alarms.count("<tr>") == 2 and "1.6" in alarms  # header and the alarm, 160 / 100
    for query in ("?days=1", "?days=30&mean=90", "?days=abc&mean=-1", "?days=99999999999999999999"):
        assert client.get(f"/monitoring/points/{pa.pk}/{query}").status_code == 200
    one_day = json_of(text(client.get(f"/monitoring/points/{pa.pk}/?days=1")), "point-chart-data")
    assert len(one_day["hourly"][0]["valid"]) == 10


def test_an_air_station_page(monitored, personas, client_for):
    page = text(client_for(personas.dora).get(f"/monitoring/points/{monitored['air'].pk}/"))
    assert 'id="latest-aqi"' in page and "AQI 77 良" in page
    chart = json_of(page, "point-chart-data")
    assert len(chart["hourly_aqi"]) == 34
    assert chart["calendar"]["data"] == [["2026-03-09", 75, "良", "PM2.5"]]
    assert chart["calendar"]["range"] == ["2025-03-11", "2026-03-10"]
    assert [p["color"] for p in chart["calendar"]["pieces"]][:2] == ["#00E400", "#FFFF00"]
    calendar = re.search(r'id="aqi-calendar">(.*?)</section>', page, re.S).group(1)
    assert "(100.0%)" in calendar  # 1 of 1 days good or excellent


def test_a_river_section_page(monitored, personas, client_for):
    page = text(client_for(personas.dora).get(f"/monitoring/points/{monitored['river'].pk}/"))
    assert 'id="latest-class"' in page
    months = re.search(r'id="months">(.*?)</div>\s*<h3>', page, re.S).group(1)
    assert months.count("III") == 2  # March and the year so far
    assert "2026-01" in months and "2026-03" in months and "2026-04" not in months
    chart = json_of(page, "point-chart-data")
    assert chart["water"]["data"] == [["2026-03-09", "III", "氨氮、总磷"]]
    assert chart["water"]["classes"] == ["I", "II", "III", "IV", "V", "劣V"]


def test_the_alarm_list_and_page(monitored, personas, client_for):
    alarm = monitored["alarm"]
    client = client_for(personas.dora)
    listed = text(client.get("/monitoring/alarms/?state=open&kind=exceedance"))
    assert f"/monitoring/alarms/{alarm.pk}/" in listed and alarm.case.number in listed
    assert f"{alarm.worst.normalize():f} mg/L</span> / 100 mg/L" in listed  # with their units
    assert f"/monitoring/alarms/{alarm.pk}/" not in text(
        client.get("/monitoring/alarms/?state=closed")
    )
    assert f"/monitoring/alarms/{alarm.pk}/" not in text(
        client.get("/monitoring/alarms/?kind=flat")
    )
    for query in ("?state=nope&kind=../x", f"?point={monitored['pa'].pk}&page=999"):
        assert client.get(f"/monitoring/alarms/{query}").status_code == 200
    # A point or a page that is not a number is refused with a message (ecogov.params), as
    # on every paged list, never 500.
    for query in ("?point=abc", "?point=99999999999999999999", "?page=abc"):
        assert client.get(f"/monitoring/alarms/{query}").status_code == 400
    page = text(client.get(f"/monitoring/alarms/{alarm.pk}/"))
    assert alarm.case.number in page and f'href="/cases/{alarm.case.pk}/"' in page
    assert "1.6" in page and "160" in page
    # 01:00 (6 hours before the alarm) to 15:00 (6 hours after): 15 hours, 3 of them the alarm's.
    rows = re.search(r'id="alarm-readings">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    assert rows.count("<tr") == 15 and rows.count('class="inside"') == 3
    assert rows.count(">155<") == 1


def test_a_mass_rate_alarm_shows_the_hours_amounts_against_the_rate_limit(
    monitored, personas, client_for
):
    pb = monitored["pb"]
    Factor.objects.filter(point=pb, code="w01018").update(rate_limit=Decimal(2))
    uploads = []
    for hour, (cod, amount) in {10: ("41", "1.8"), 11: ("39", "2.6"), 12: ("40", "3.1")}.items():
        when = TODAY + datetime.timedelta(hours=hour)
        made = upload(pb, "water", when, {"w01018": cod})
        readings = tuple((code, value, low, high, amount, flag)
                         for code, value, low, high, _total, flag in made.readings)  # fmt: skip
        uploads.append(made._replace(readings=readings))
    ingestor = Ingestor()
    ingestor.refresh()
    ingestor.store(uploads)
    alarm = Alarm.objects.get(point=pb)
    assert (alarm.kind, alarm.count, alarm.worst, alarm.limit) == ("rate", 2, Decimal("3.1"), 2)
    client = client_for(personas.dora)
    listed = text(client.get("/monitoring/alarms/?state=open&kind=rate"))
    assert f"/monitoring/alarms/{alarm.pk}/" in listed
    assert f"/monitoring/alarms/{monitored['alarm'].pk}/" not in listed
    assert "3.1 千克</span> / 2 千克/小时" in listed  # the hour's amount against the rate
    page = text(client.get(f"/monitoring/alarms/{alarm.pk}/"))
    assert "1.55" in page  # 3.1 ÷ 2
    rows = re.search(r'id="alarm-readings">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    assert ">1.8<" in rows and ">3.1<" in rows and ">41<" not in rows  # amounts, not values
    assert "≤ 2" in page
    overview = client.get("/api/monitoring/overview").json()
    assert overview["open_exceedances"] == 2  # the concentration's and the mass rate's
    assert "/monitoring/alarms/" in text(client.get(f"/monitoring/points/{pb.pk}/"))


def test_the_api_gives_the_rates_and_the_series(monitored, personas, client_for):
    client = client_for(personas.dora)
    points = {p["name"]: p for p in client.get("/api/monitoring/points").json()}
    assert "城东区站" not in points
    assert points["1号排口"]["rates"]["compliance_rate"] == 85.0
    assert points["1号排口"]["rates"]["exceeded_hours"] == 3
    assert points["总排口"]["rates"]["compliance_rate"] == 100.0
    assert points["六一桥断面"]["rates"]["transmission_rate"] == 70.6  # 24 of 34 hours
    assert points["2号排口"]["online"] is False and points["1号排口"]["online"] is True
    assert all("password" not in p for p in points.values())
    pa = monitored["pa"]
    detail = client.get(f"/api/monitoring/points/{pa.pk}").json()
    assert {f["code"]: f["limit"] for f in detail["factors"]} == {"w01018": "100.0000",
                                                                  "w21003": "15.0000"}  # fmt: skip
    assert {x["code"]: x["value"] for x in detail["latest"]}["w01018"] == "155.000000"
    readings = client.get(f"/api/monitoring/points/{pa.pk}/readings?since=2026-03-10").json()
    assert readings["count"] == 20 and readings["truncated"] is False
    some = client.get(
        f"/api/monitoring/points/{pa.pk}/readings?code=w01018&since=2026-03-10T07:00&until=2026-03-10T09:00:00%2B08:00&limit=1"
    ).json()  # fmt: skip
    assert (some["count"], some["truncated"], some["items"][0]["value"]) == (1, True, "150.000000")
    assert some["items"][0]["exceeded"] is True
    air = client.get(f"/api/monitoring/points/{monitored['air'].pk}/aqi?daily=true").json()
    assert [(d["date"], d["aqi"], d["primary"]) for d in air["items"]] == [
        ("2026-03-09", 75, ["PM2.5"])]  # fmt: skip
    hourly = client.get(f"/api/monitoring/points/{monitored['air'].pk}/aqi?days=1").json()
    assert hourly["items"][-1]["aqi"] == 77 and hourly["items"][-1]["category"] == "良"
    classes = client.get(f"/api/monitoring/points/{monitored['river'].pk}/classes").json()
    assert classes["days"] == [{"date": "2026-03-09", "cls": "III", "limiting": ["NH3-N", "TP"]}]
    assert [m["cls"] for m in classes["months"]] == [None, None, "III"]
    assert classes["year_so_far"]["cls"] == "III"


def test_the_api_alarms_and_overview(monitored, personas, client_for):
    client = client_for(personas.dora)
    alarm = monitored["alarm"]
    listed = client.get("/api/monitoring/alarms?state=open&kind=exceedance").json()
    assert [(a["id"], a["worst"], a["ratio"], a["case_number"]) for a in listed] == [
        (alarm.pk, "160.000000", "1.60", alarm.case.number)]  # fmt: skip
    assert client.get("/api/monitoring/alarms?state=closed").json() == []
    detail = client.get(f"/api/monitoring/alarms/{alarm.pk}").json()
    assert len(detail["readings"]) == 9 and "1号排口" in detail["description"]
    overview = client.get("/api/monitoring/overview").json()
    assert (overview["points"], overview["online"], overview["offline"]) == (5, 4, 1)
    assert overview["open_alarms"] == 1 and overview["open_exceedances"] == 1
    assert overview["total"]["compliance_rate"] == 90.0
    assert overview["total"]["transmission_rate"] == 88.6
    assert {s["name"]: s["rates"]["compliance_rate"] for s in overview["sources"]} == {
        "示例化工厂": 85.0, "示例印染厂": 100.0}  # fmt: skip
    assert [(s["aqi"], s["category"]) for s in overview["stations"]] == [(77, "良")]
    assert [(s["cls"], s["date"]) for s in overview["sections"]] == [("III", "2026-03-09")]


@pytest.mark.parametrize("url", [
    "/api/monitoring/points?days=0", "/api/monitoring/points?days=abc",
    "/api/monitoring/points?days=100000", "/api/monitoring/points?kind=volcano",
    "/api/monitoring/points/0", "/api/monitoring/points/99999999999999999999",
    "/api/monitoring/points/abc",
    "/api/monitoring/points/{pa}/readings?since=yesterday",
    "/api/monitoring/points/{pa}/readings?since=2026-02-30",
    "/api/monitoring/points/{pa}/readings?until=0001-01-01",
    "/api/monitoring/points/{pa}/readings?since=2026-03-10&until=2026-03-09",
    "/api/monitoring/points/{pa}/readings?period=week",
    "/api/monitoring/points/{pa}/readings?code=w01018%00",
    "/api/monitoring/points/{pa}/readings?limit=0",
    "/api/monitoring/points/{pa}/readings?limit=10001",
    "/api/monitoring/points/{pa}/aqi",
    "/api/monitoring/points/{air}/aqi?daily=maybe",
    "/api/monitoring/points/{air}/aqi?days=9999",
    "/api/monitoring/points/{pa}/classes",
    "/api/monitoring/alarms?state=sleeping", "/api/monitoring/alarms?kind=x",
    "/api/monitoring/alarms?limit=-1", "/api/monitoring/alarms?point=abc",
    "/api/monitoring/alarms/0",
])  # fmt: skip
def test_bad_api_input_is_a_4xx_with_a_message(monitored, personas, client_for, url):
    url = url.format(pa=monitored["pa"].pk, air=monitored["air"].pk)
    response = client_for(personas.dora).get(url)
    assert 400 <= response.status_code < 500, (url, response.status_code)
    assert response.json()["detail"]


def test_the_other_district_gets_404(monitored, personas, client_for):
    oscar = client_for(personas.oscar)
    alarm = monitored["alarm"]
    for key in ("pa", "pb", "air", "river"):
        pk = monitored[key].pk
        assert oscar.get(f"/monitoring/points/{pk}/").status_code == 404
        for suffix in ("", "/readings", "/aqi", "/classes"):
            assert oscar.get(f"/api/monitoring/points/{pk}{suffix}").status_code == 404
    assert oscar.get(f"/monitoring/alarms/{alarm.pk}/").status_code == 404
    assert oscar.get(f"/api/monitoring/alarms/{alarm.pk}").status_code == 404
    assert [p["name"] for p in oscar.get("/api/monitoring/points").json()] == ["城东区站"]
    assert oscar.get("/api/monitoring/alarms").json() == []
    page = text(oscar.get("/monitoring/"))
    assert "城东区站" in page and "示例化工厂" not in page and "城中区示例空气站" not in page
    assert alarm.case.number not in text(oscar.get("/monitoring/alarms/"))
    dora = client_for(personas.dora)
    assert dora.get(f"/monitoring/points/{monitored['out'].pk}/").status_code == 404
    for url in ("/monitoring/points/99999999999999999999/", "/monitoring/alarms/99999999999999999999/",
                "/monitoring/points/0/", "/monitoring/alarms/0/"):  # fmt: skip
        assert dora.get(url).status_code == 404, url


def test_a_grid_worker_sees_the_sources_of_his_grid_and_the_stations(monitored, personas,
                                                                     client_for):  # fmt: skip
    gary = client_for(personas.gary)
    for key in ("pa", "pc", "air", "river"):
        assert gary.get(f"/monitoring/points/{monitored[key].pk}/").status_code == 200, key
    assert gary.get(f"/monitoring/points/{monitored['pb'].pk}/").status_code == 404
    assert gary.get(f"/api/monitoring/points/{monitored['pb'].pk}").status_code == 404
    names = {p["name"] for p in gary.get("/api/monitoring/points").json()}
    assert names == {"1号排口", "2号排口", "城中区示例空气站", "六一桥断面"}
    page = text(gary.get("/monitoring/"))
    assert "示例化工厂" in page and "示例印染厂" not in page
    assert gary.get(f"/monitoring/alarms/{monitored['alarm'].pk}/").status_code == 200
    overview = gary.get("/api/monitoring/overview").json()
    assert [s["name"] for s in overview["sources"]] == ["示例化工厂"]
    assert overview["total"]["compliance_rate"] == 85.0
    # The liaison of the construction bureau has no grid: quality only.
    liam = client_for(personas.liam)
    assert liam.get(f"/monitoring/points/{monitored['pa'].pk}/").status_code == 404
    assert liam.get(f"/monitoring/points/{monitored['air'].pk}/").status_code == 200


def test_no_page_or_answer_shows_a_password(monitored, personas, client_for):
    alarm = monitored["alarm"]
    ids = {key: monitored[key].pk for key in ("pa", "pb", "pc", "air", "river", "out")}
    urls = ["/monitoring/", "/monitoring/alarms/", f"/monitoring/alarms/{alarm.pk}/",
            "/api/monitoring/points", "/api/monitoring/alarms", "/api/monitoring/overview",
            f"/api/monitoring/alarms/{alarm.pk}"]  # fmt: skip
    for pk in ids.values():
        urls += [f"/monitoring/points/{pk}/", f"/api/monitoring/points/{pk}",
                 f"/api/monitoring/points/{pk}/readings?since=2026-03-01"]  # fmt: skip
    urls += [f"/api/monitoring/points/{ids['air']}/aqi?daily=true",
             f"/api/monitoring/points/{ids['river']}/classes"]  # fmt: skip
    for person in (personas.ada, personas.dora, personas.gary, personas.lena, personas.oscar):
        client = client_for(person)
        for url in urls:
            response = client.get(url)
            assert response.status_code in (200, 404), (person.username, url)
            body = response.content.decode()
            for password in PASSWORDS.values():
                assert password not in body, (person.username, url)
            assert "PW=" not in body and '"password"' not in body
    schemas = client_for(personas.dora).get("/api/openapi.json").json()["components"]["schemas"]
    for name in ("PointOut", "PointDetailOut", "OverviewOut", "AlarmDetailOut"):
        assert "password" not in schemas[name]["properties"], name


def test_the_anonymous_are_sent_to_sign_in(monitored, client):
    assert client.get("/monitoring/").status_code == 302
    assert client.get(f"/monitoring/points/{monitored['pa'].pk}/").status_code == 302
    assert client.get("/api/monitoring/points").status_code == 401


def test_a_case_the_user_may_not_see_is_not_linked(monitored, personas, client_for):
    """Gary sees the alarms of the sources in his grid, and their cases while the cases
    stay in his grid; moved to another grid, the case is mentioned but not named."""
    alarm = monitored["alarm"]
    gary = client_for(personas.gary)
    assert alarm.case.number in text(gary.get(f"/monitoring/alarms/{alarm.pk}/"))
    Case.objects.filter(pk=alarm.case.pk).update(
        grid=Grid.objects.get(jurisdiction=personas.district, name="南滩街道第1网格")
    )
    page = text(gary.get(f"/monitoring/alarms/{alarm.pk}/"))
    assert alarm.case.number not in page and f"/cases/{alarm.case.pk}/" not in page
    assert alarm.case.number not in text(gary.get("/monitoring/"))
    detail = gary.get(f"/api/monitoring/alarms/{alarm.pk}").json()
    assert (detail["case_id"], detail["case_number"]) == (None, None)
    assert alarm.case.number in text(
        client_for(personas.dora).get(f"/monitoring/alarms/{alarm.pk}/")
    )


def test_an_alarm_that_became_a_case_counts_as_serious_on_the_overview(
    monitored, personas, client_for
):
    alarm = monitored["alarm"]
    assert alarm.case is not None and not alarm.serious  # it persisted; no rule made it serious
    page = text(client_for(personas.dora).get("/monitoring/"))
    figure = re.search(r'id="figure-serious">(.*?)</div>', page, re.S).group(1)
    assert "<strong>1</strong>" in figure and "其中1条已转为案件" in figure
    assert (
        json.loads(client_for(personas.dora).get("/api/monitoring/overview").content)[
            "serious_alarms"
        ]
        == 1
    )


def stale_missing_alarm(point: Point) -> Alarm:
    """A missing-data alarm left open from weeks ago, as an older ingestion left some."""
    gone = TODAY - datetime.timedelta(days=30)
    return Alarm.objects.create(
        point=point, kind=Alarm.Kind.MISSING, code="", first_time=gone, count=4,
        last_time=gone + datetime.timedelta(hours=3),
    )  # fmt: skip


def test_an_old_missing_data_alarm_closes_when_the_point_reports_after_a_new_gap(monitored):
    pa = monitored["pa"]
    stale = stale_missing_alarm(pa)
    ingestor = Ingestor()
    ingestor.refresh()
    # 10:00 to 15:00 missing, then data again: a new missing-data alarm, closed at once.
    when = TODAY + datetime.timedelta(hours=16)
    ingestor.store([upload(pa, "water", when, {"w01018": "50", "w21003": "5"})])
    missing = Alarm.objects.filter(point=pa, kind=Alarm.Kind.MISSING)
    assert missing.count() == 2
    assert set(missing.values_list("state", flat=True)) == {Alarm.State.CLOSED}
    stale.refresh_from_db()
    assert stale.state == Alarm.State.CLOSED


def test_the_periodic_scan_closes_missing_data_alarms_of_points_that_report_again(monitored):
    stale = stale_missing_alarm(monitored["pa"])
    monitoring_alarms.silence_scan()
    stale.refresh_from_db()
    assert stale.state == Alarm.State.CLOSED


def test_the_favicon_is_linked_and_served(monitored, personas, client_for):
    client = client_for(personas.dora)
    page = text(client.get("/monitoring/"))
    icon = re.search(r'<link rel="icon" href="([^"]+)"', page).group(1)
    assert icon.endswith("favicon.svg")
    response = Client().get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == icon
    assert finders.find("ecogov/favicon.svg")
