"""The public pages of the key enterprises (/public/enterprises/): what they show from
real readings, permits and cases, and what they never show.

The data ("now" is 2026-03-10 10:20, Beijing time):
- 示例公开化工厂, a key source: outlet 1号排口 (COD limit 100, NH3-N limit 15) with hours
  00–09 of today; COD 150 and 160 at 07 and 08 (over), 50 otherwise; NH3-N 5. A valid
  permit and an expired one. A disclosed penalty (PEN-公开-01) and one not disclosed
  (PEN-内部-02), each with a reporter and an internal case text.
- 示例非重点厂 (not key) and 示例关停厂 (key, closed): never shown.
"""

import datetime
import json
import zoneinfo
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from ecogov.cases.models import Case, Channel, Outcome, Reporter, State
from ecogov.enterprises.models import Permit
from ecogov.grid.models import Grid
from ecogov.monitoring.models import Factor, Period, Point, Reading
from ecogov.sources.models import Source, SourceType

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 3, 10, 10, 20, tzinfo=TZ)
TODAY = datetime.datetime(2026, 3, 10, tzinfo=TZ)
MN, PASSWORD = "63010300000977", "pw-public-Zq81"
CASE_TEXT = "（虚构）举报人称夜间偷排黑水"
REPORTER = "举报人张某某"
PHONE = "13900001234"


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW.astimezone(datetime.UTC))


def _source(personas, name, **fields):
    kind = SourceType.objects.order_by("pk").first()
    village = Grid.objects.filter(parent=personas.grid).order_by("pk").first() or personas.grid
    return Source.objects.create(jurisdiction=personas.district, type=kind, name=name,
                                 grid=village, **fields)  # fmt: skip


def _outlet(personas, source, name, mn, password):
    point = Point.objects.create(jurisdiction=personas.district, kind=Point.Kind.SOURCE,
                                 name=name, mn=mn, password=password, source=source,
                                 grid=source.grid)  # fmt: skip
    Factor.objects.create(point=point, code="w01018", unit="mg/L", limit=Decimal(100),
                          standard="GB 8978-1996 表4 一级")  # fmt: skip
    Factor.objects.create(point=point, code="w21003", unit="mg/L", limit=Decimal(15))
    return point


def _hours(point, cod: dict[int, int], hours=range(10)):
    for hour in hours:
        time = TODAY + datetime.timedelta(hours=hour)
        value = Decimal(cod.get(hour, 50))
        Reading.objects.create(point=point, code="w01018", period=Period.HOUR, time=time,
                               value=value, flag="N", valid=True, exceeded=value > 100)  # fmt: skip
        Reading.objects.create(point=point, code="w21003", period=Period.HOUR, time=time,
                               value=Decimal(5), flag="N", valid=True, exceeded=False)  # fmt: skip


def _penalty(personas, source, number, decision, *, disclosed: bool, summary=""):
    case = Case.objects.create(
        jurisdiction=personas.district, number=number, channel=Channel.HOTLINE, text=CASE_TEXT,
        category="water", lead=personas.bureau, state=State.CLOSED, source=source,
        registered_at=NOW - datetime.timedelta(days=60), outcome=Outcome.PENALTY,
        decision_number=decision, penalty_amount=Decimal("85000.00"),
        investigation="（虚构）执法人员现场检查记录", closed_at=NOW - datetime.timedelta(days=20),
        disclosed_at=NOW - datetime.timedelta(days=19) if disclosed else None,
        public_summary=summary,
    )  # fmt: skip
    Reporter.objects.create(case=case, anonymous=False, name=REPORTER, phone=PHONE)
    return case


@pytest.fixture
def enterprise(personas):
    chem = _source(personas, "示例公开化工厂", key=True, uscc="91630100MA7PUB0001",
                   address="城中区（示例地址）1号",
                   attributes={"outlets": [{"name": "1号排口", "mn": MN}]})  # fmt: skip
    outlet = _outlet(personas, chem, "1号排口", MN, PASSWORD)
    _hours(outlet, {7: 150, 8: 160})
    Permit.objects.create(
        source=chem, number="91630100MA7PUB0001001P", management=Permit.Class.KEY,
        issuer="西宁市生态环境局", valid_from=datetime.date(2024, 1, 1),
        valid_until=datetime.date(2028, 12, 31), created_at=NOW,
        pollutants=[{"factor": "w01018", "name": "化学需氧量", "limit": "100", "unit": "mg/L",
                     "tonnes": "12.5"}],
    )  # fmt: skip
    Permit.objects.create(source=chem, number="OLD-EXPIRED-PERMIT", management=Permit.Class.KEY,
                          valid_from=datetime.date(2018, 1, 1),
                          valid_until=datetime.date(2022, 12, 31), created_at=NOW)  # fmt: skip
    _penalty(personas, chem, "P-2026-0001", "城环罚〔2026〕公开01号", disclosed=True,
             summary="超标排放化学需氧量，处罚款8.5万元并责令改正")  # fmt: skip
    _penalty(personas, chem, "P-2026-0002", "城环罚〔2026〕内部02号", disclosed=False)
    plain = _source(personas, "示例非重点厂")
    closed = _source(personas, "示例关停厂", key=True, status=Source.Status.CLOSED)
    return {"chem": chem, "outlet": outlet, "plain": plain, "closed": closed}


def page(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200, (response.status_code, response.content[:300])
    return response.content.decode()


def url(source, suffix="/") -> str:
    return f"/public/enterprises/{source.pk}{suffix}"


def test_it_lists_the_key_sources_with_their_latest_state(enterprise):
    html = page("/public/enterprises/")
    assert "示例公开化工厂" in html and url(enterprise["chem"]) in html
    assert "示例非重点厂" not in html and "示例关停厂" not in html
    assert 'class="compliance within"' in html  # the latest hour, 09:00, kept the limits
    assert "2026-03-10 09:00" in html
    assert "示例公开化工厂" not in page("/public/enterprises/?q=印染")
    assert "示例公开化工厂" in page("/public/enterprises/?q=公开化工")


def test_it_shows_an_exceedance_in_the_latest_hour(enterprise):
    _hours(enterprise["outlet"], {10: 180}, hours=[10])
    data = Client().get("/public/enterprises/index.json").json()
    (row,) = [r for r in data["enterprises"] if r["id"] == enterprise["chem"].pk]
    assert row["latest"] == "over"


def test_the_page_shows_permit_hours_exceedances_and_the_disclosed_penalty(enterprise):
    html = page(url(enterprise["chem"]))
    assert "91630100MA7PUB0001001P" in html and "12.5" in html
    assert "OLD-EXPIRED-PERMIT" not in html
    assert "1号排口" in html and "GB 8978-1996" in html
    # COD: 8 hours of 50, 150 and 160 → mean 71, highest 160, 2 hours over.
    assert ">71<" in html and '<span class="over">160</span>' in html
    exceedances = html.split('id="exceedances"')[1].split("</section>")[0]
    assert "2026-03-10 08:00" in exceedances and "2026-03-10 07:00" in exceedances
    assert "1.6" in exceedances and "1.5" in exceedances  # times the limit
    assert "2026-03-10 06:00" not in exceedances
    assert "城环罚〔2026〕公开01号" in html and "85000" in html
    assert "超标排放化学需氧量" in html
    assert "城环罚〔2026〕内部02号" not in html
    chart = json.loads(html.split('id="enterprise-chart-data" type="application/json">')[1]
                       .split("</script>")[0])  # fmt: skip
    cod = [item for item in chart["outlets"][0] if item["name"] == "化学需氧量"][0]
    assert cod["limit"] == 100 and len(cod["valid"]) == 10
    assert '{% include "enterprises/_public_status.html" %}' not in html
    assert "<script>" not in html and "nonce=" not in html  # no inline script


def test_the_page_shows_nothing_internal(enterprise, personas):
    for address in (url(enterprise["chem"]), url(enterprise["chem"], ".json"),
                    "/public/enterprises/", "/public/enterprises/index.json"):  # fmt: skip
        text = page(address)
        for secret in (MN, PASSWORD, CASE_TEXT, REPORTER, PHONE, "执法人员现场检查记录",
                       "P-2026-0001", "P-2026-0002", personas.dora.name, personas.bureau.name,
                       "内部02号"):  # fmt: skip
            assert secret not in text, (address, secret)


def test_the_monthly_compliance_rate(enterprise):
    data = Client().get(url(enterprise["chem"], ".json")).json()
    assert [row["month"] for row in data["monthly"]][-2:] == ["2026-02", "2026-03"]
    assert len(data["monthly"]) == 12
    march = data["monthly"][-1]
    # 20 pollutant-hours with a limit, 2 over → 90 %.
    assert march["checked_hours"] == 20 and march["exceeded_hours"] == 2
    assert march["compliance_rate"] == 90.0
    assert data["monthly"][0]["compliance_rate"] is None


def test_the_json_alternate(enterprise):
    response = Client().get(url(enterprise["chem"], ".json") + "?days=1")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert data["days"] == 1
    assert data["enterprise"]["uscc"] == "91630100MA7PUB0001"
    assert data["permits"][0]["number"] == "91630100MA7PUB0001001P"
    assert data["permits"][0]["pollutants"][0]["tonnes"] == "12.5"
    (outlet,) = data["outlets"]
    cod = [row for row in outlet["pollutants"] if row["code"] == "w01018"][0]
    assert cod["limit"] == "100" and cod["exceeded_hours"] == 2 and cod["mean"] == "71"
    assert cod["hours"][7] == {"time": "2026-03-10T07:00:00+08:00", "value": "150",
                               "valid": True, "exceeded": True}  # fmt: skip
    assert data["exceedance_total"] == 2
    assert [row["time"] for row in data["exceedances"]] == [
        "2026-03-10T08:00:00+08:00", "2026-03-10T07:00:00+08:00"]  # fmt: skip
    (penalty,) = data["penalties"]
    assert penalty == {"decision_number": "城环罚〔2026〕公开01号", "date": "2026-02-18",
                       "amount": "85000", "violation": "超标排放化学需氧量，处罚款8.5万元并责令改正"}  # fmt: skip
    assert set(data["enterprise"]) >= {"name", "address", "township", "grid"}
    listing = Client().get("/public/enterprises/index.json?q=公开").json()
    assert [row["name"] for row in listing["enterprises"]] == ["示例公开化工厂"]
    assert listing["enterprises"][0]["json"] == url(enterprise["chem"], ".json")


def test_a_source_not_key_or_closed_is_404(enterprise):
    for source in (enterprise["plain"], enterprise["closed"]):
        assert Client().get(url(source)).status_code == 404
        response = Client().get(url(source, ".json"))
        assert response.status_code == 404 and "detail" in response.json()
    assert Client().get("/public/enterprises/999999/").status_code == 404


@pytest.mark.parametrize("days", ["abc", "9999", "²", "0", "-3", "32", "1.5", "٣"])
def test_bad_days_are_400(enterprise, days):
    response = Client().get(url(enterprise["chem"]), {"days": days})
    assert response.status_code == 400
    response = Client().get(url(enterprise["chem"], ".json"), {"days": days})
    assert response.status_code == 400 and "days" in response.json()["detail"]


def test_good_days(enterprise):
    for days in ("1", "31", ""):
        assert Client().get(url(enterprise["chem"]), {"days": days}).status_code == 200


def test_pages_are_cacheable(enterprise):
    for address in (url(enterprise["chem"]), url(enterprise["chem"], ".json"),
                    "/public/enterprises/", "/public/enterprises/index.json"):  # fmt: skip
        control = Client().get(address)["Cache-Control"]
        assert "public" in control and "max-age=300" in control


def test_the_queries_do_not_grow_with_the_data(enterprise, personas, django_assert_max_num_queries):
    for n in range(4):
        source = _source(personas, f"示例重点厂{n}", key=True)
        outlet = _outlet(personas, source, f"{n}号排口", f"6301030000099{n}", f"pw-{n}")
        _hours(outlet, {8: 130})
        more = _outlet(personas, enterprise["chem"], f"{n + 2}号排口", f"6301030000098{n}", "pw")
        _hours(more, {5: 120})
    # The page's own 8, and 6 for its freshness marker (ecogov.disclosure.freshness).
    with django_assert_max_num_queries(14):
        page("/public/enterprises/")
    with django_assert_max_num_queries(66):  # 60 and the freshness marker
        page(url(enterprise["chem"]) + "?days=31")
    with django_assert_max_num_queries(66):
        Client().get(url(enterprise["chem"], ".json"))


def test_the_portal_links_the_list(enterprise):
    # From every portal page, the link bar's disclosure hub lists the key enterprises.
    assert 'href="/public/"' in page("/public/notices/")
    assert 'href="/public/enterprises/"' in page("/public/")
