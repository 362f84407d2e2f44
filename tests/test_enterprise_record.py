"""One record per pollution source: the 12-quarter strip from real records, the page,
the Excel export, the API, permits under the blacklist bar, and who may see it."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone, translation
from openpyxl import load_workbook

from ecogov.accounts.models import Role
from ecogov.cases.models import Case, Channel, Outcome, State
from ecogov.enterprises.models import Listing, Override, Permit
from ecogov.enterprises.permits import permit_save, pollutants_from_text
from ecogov.enterprises.record import State as Q
from ecogov.enterprises.record import quarters_up_to, source_record
from ecogov.grid.models import Grid
from ecogov.monitoring.models import Period, Point, Reading
from ecogov.patrols.models import Patrol
from ecogov.sources.models import Source, SourceType
from ecogov.sources.services import source_save
from ecogov.testing import make_person

USCC = "91350100M000100Y43"


@pytest.fixture
def source(personas):
    return source_save(
        jurisdiction=personas.district, type=SourceType.objects.get(code="restaurant"),
        name="甲化工厂", uscc=USCC, lon=Decimal("101.72"), lat=Decimal("36.52"),
    )  # fmt: skip


def _at(day: datetime.date, hour=10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), timezone.get_current_timezone())


_numbers = iter(range(1, 10**6))


def _case(personas, source, day, outcome, amount=None, verified=True):
    n = next(_numbers)
    return Case.objects.create(
        jurisdiction=personas.district, number=f"T{n:06d}", channel=Channel.HOTLINE,
        text="异味", category="air", source=source, registered_at=_at(day),
        state=State.CLOSED if verified else State.IN_PROGRESS, outcome=outcome,
        decision_number=f"城环罚〔2026〕{n}号" if outcome == Outcome.PENALTY else "",
        penalty_amount=amount, verified_at=_at(day, 15) if verified else None,
        closed_at=_at(day, 16) if verified else None,
    )  # fmt: skip


def _patrol(personas, source, day, finding=False):
    return Patrol.objects.create(source=source, grid=source.grid, worker=personas.gary,
                                 patrolled_at=_at(day), finding=finding, note="冒黑烟" if finding else "")  # fmt: skip


def _point(personas, source):
    return Point.objects.create(
        jurisdiction=personas.district, kind=Point.Kind.SOURCE, name="1号排口", mn="MN0001",
        password="pw", source=source,
    )  # fmt: skip


def _readings(point, day, hours, exceeded=0):
    for h in range(hours):
        Reading.objects.create(point=point, code="w01018", period=Period.HOUR, time=_at(day, h),
                               value=Decimal("50"), flag="N", valid=True, exceeded=h < exceeded)  # fmt: skip


def _listing(personas, listed_on, **fields):
    return Listing.objects.create(
        jurisdiction=personas.district, uscc=USCC, name="甲化工厂", ground="repeated",
        grounds="屡查屡犯", decision_number=fields.pop("number", "城环黑〔2026〕1号"),
        document="enterprises/x.pdf", listed_on=listed_on,
        bar_until=listed_on.replace(year=listed_on.year + 2) - datetime.timedelta(days=1),
        created_at=timezone.now(), **fields,
    )  # fmt: skip


def test_quarters_are_the_last_twelve_up_to_the_current_one():
    quarters = quarters_up_to(datetime.date(2026, 12, 3))
    assert [q.label for q in quarters][:2] == ["2024Q1", "2024Q2"]
    assert quarters[-1].label == "2026Q4" and quarters[-1].end == datetime.date(2027, 1, 1)
    assert len(quarters) == 12


def test_the_strip_has_its_four_states_from_real_records(personas, source):
    today = timezone.localdate()
    quarters = quarters_up_to(today)
    q = {i: quarters[i].start + datetime.timedelta(days=5) for i in range(12)}
    # 11: a penalty of 200,000 (serious); 10: hours over the limit (violation);
    # 9: a patrol that found nothing (no violation); 8: monitoring data within limits;
    # 7: a patrol finding; 6: a rectified case; 5: a blacklisting; 4: a penalty under the
    # threshold; 3: a case still being handled (unknown); 0: nothing (unknown).
    _case(personas, source, q[11], Outcome.PENALTY, Decimal("200000"))
    point = _point(personas, source)
    _readings(point, q[10], 4, exceeded=2)
    _patrol(personas, source, q[9])
    _readings(point, q[8], 3)
    _patrol(personas, source, q[7], finding=True)
    _case(personas, source, q[6], Outcome.RECTIFIED)
    _listing(personas, q[5])
    _case(personas, source, q[4], Outcome.PENALTY, Decimal("5000"))
    _case(personas, source, q[3], Outcome.PENALTY, Decimal("500000"), verified=False)
    record = source_record(source, today=today)
    states = [quarter.state for quarter in record.quarters]
    assert states[11] == Q.SERIOUS
    assert states[10] == Q.VIOLATION
    assert "2 of 4" in record.quarters[10].explanation or "2" in record.quarters[10].reasons[0]
    assert states[9] == Q.CLEAN and states[8] == Q.CLEAN
    assert states[7] == Q.VIOLATION
    assert states[6] == Q.VIOLATION
    assert states[5] == Q.SERIOUS
    assert states[4] == Q.VIOLATION
    assert states[3] == Q.UNKNOWN and states[0] == Q.UNKNOWN
    assert record.quarters[8].rates.received == 3
    # The threshold is configurable: a 5,000 yuan penalty is serious under a 1,000 one.
    assert (
        source_record(source, today=today, serious_amount=Decimal("1000")).quarters[4].state
        == Q.SERIOUS
    )
    kinds = {event.kind for event in record.timeline}
    assert {"case", "finding", "patrol", "listing"} <= kinds
    assert record.timeline == sorted(record.timeline, key=lambda e: e.day, reverse=True)


def _a_busy_source(personas, source):
    today = timezone.localdate()
    for i in range(8):
        day = today - datetime.timedelta(days=40 * i)
        _case(personas, source, day, Outcome.PENALTY, Decimal(1000 * (i + 1)))
        _patrol(personas, source, day, finding=i % 2 == 0)
    _readings(_point(personas, source), today - datetime.timedelta(days=1), 3, exceeded=1)
    permit_save(source=source, by=personas.dora, number="91350100M000100Y43001P",
                management=Permit.Class.KEY, valid_from=today - datetime.timedelta(days=400),
                valid_until=today + datetime.timedelta(days=700),
                pollutants=[{"factor": "w01018", "name": "化学需氧量", "limit": "100", "unit": "mg/L"}])  # fmt: skip


def test_the_page_joins_everything_in_a_bounded_number_of_queries(
    personas, source, client_for, django_assert_max_num_queries
):
    _a_busy_source(personas, source)
    client = client_for(personas.dora)
    with django_assert_max_num_queries(80):
        response = client.get(f"/enterprises/sources/{source.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "91350100M000100Y43001P",
        "化学需氧量",
        "T0000",
        "1号排口",
        "‼",
        "✓" if False else "?",
    ):
        assert text in page
    assert 'title="' in page  # every cell explains itself
    assert "?events=" in page  # more than 30 events: a link to all of them
    assert client.get(f"/enterprises/sources/{source.pk}/?events=abc").status_code == 400
    assert client.get(f"/enterprises/sources/{source.pk}/?events=1000").status_code == 200
    # the source's own page links to the record
    assert (
        f"/enterprises/sources/{source.pk}/"
        in client.get(f"/sources/{source.pk}/").content.decode()
    )


def test_the_export_opens_with_its_sheets(personas, source, client_for):
    _a_busy_source(personas, source)
    response = client_for(personas.dora).get(f"/enterprises/sources/{source.pk}/record.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 7  # the last: the credit ratings (none published here)
    assert book.worksheets[6].max_row == 1
    cases = book.worksheets[3]
    assert cases.max_row == 9  # header and the eight cases
    quarters = book.worksheets[2]
    assert quarters.max_row == 13


def test_the_api_returns_the_same_record(personas, source, client_for):
    _a_busy_source(personas, source)
    response = client_for(personas.dora).get(
        f"/api/enterprises/sources/{source.pk}/record?events=5"
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["uscc"] == USCC and len(data["cases"]) == 8 and len(data["quarters"]) == 12
    assert len(data["timeline"]) == 5 and data["timeline_total"] > 5
    assert data["permits"][0]["pollutants"][0]["factor"] == "w01018"
    assert (
        client_for(personas.oscar).get(f"/api/enterprises/sources/{source.pk}/record").status_code
        == 404
    )
    assert Client().get(f"/api/enterprises/sources/{source.pk}/record").status_code == 401


def test_a_permit_for_a_barred_code_needs_an_override_by_the_dispatcher(personas, source):
    today = timezone.localdate()
    _listing(personas, today - datetime.timedelta(days=30))
    township_liaison = make_person("tina", Role.LIAISON, personas.township, name="Tina")
    fields = dict(source=source, number="P-001", management=Permit.Class.SIMPLIFIED,
                  valid_from=today, valid_until=today + datetime.timedelta(days=365))  # fmt: skip
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        permit_save(by=personas.dora, **fields)
    assert "blacklist" in str(refused.value)
    with pytest.raises(ValidationError):  # the liaison keeps it but may not override
        permit_save(by=township_liaison, override="民生保障", **fields)
    assert not Permit.objects.exists() and not Override.objects.exists()
    permit = permit_save(by=personas.dora, override="城市供热保障，经区政府同意", **fields)
    assert permit.override.subject == Override.Subject.PERMIT
    assert permit.override.ref == f"permit:{permit.pk}"


def test_a_permit_is_validated_and_kept_by_who_keeps_the_source(personas, source):
    today = timezone.localdate()
    fields = dict(source=source, management=Permit.Class.KEY, valid_from=today,
                  valid_until=today + datetime.timedelta(days=10))  # fmt: skip
    for bad in (
        dict(number=""),
        dict(number="P-2", management="gold"),
        dict(number="P-3", valid_until=today - datetime.timedelta(days=1)),
        dict(number="P-4", pollutants=[{"name": "COD", "limit": "x"}]),
        dict(number="P-5", pollutants=[{"colour": "red"}]),
        dict(number="P-6", pollutants="COD"),
    ):
        with pytest.raises(ValidationError):
            permit_save(by=personas.dora, **{**fields, **bad})
    with pytest.raises(PermissionDenied):
        permit_save(by=personas.gary, number="P-7", **fields)
    township_liaison = make_person("tina", Role.LIAISON, personas.township, name="Tina")
    permit = permit_save(by=township_liaison, number="p-8", **fields,
                         pollutants=pollutants_from_text("w01018, 化学需氧量, 100, mg/L, 12.5\n氨氮，8，mg/L"))  # fmt: skip
    assert permit.number == "P-8"
    assert permit.pollutants[1] == {
        "factor": "",
        "name": "氨氮",
        "limit": "8",
        "unit": "mg/L",
        "tonnes": "",
    }
    with pytest.raises(ValidationError):
        permit_save(by=personas.dora, number="P-8", **fields)  # the number is taken


def test_the_form_registers_a_permit_and_refuses_bad_input(personas, source, form_client_for):
    client = form_client_for(personas.dora)
    url = f"/enterprises/sources/{source.pk}/permits/new/"
    response = client.post(url, {"number": "P-9", "management": "key", "valid_from": "2026-13-01",
                                 "valid_until": "2027-01-01"})  # fmt: skip
    assert response.status_code == 400 and not Permit.objects.exists()
    response = client.post(url, {"number": "P-9", "management": "key", "valid_from": "2026-01-01",
                                 "valid_until": "2027-01-01", "pollutants": "烟尘, 10, mg/m³"})  # fmt: skip
    assert response.status_code == 302
    assert Permit.objects.get().pollutants[0]["name"] == "烟尘"
    response = form_client_for(personas.gary).post(url, {"number": "P-10", "management": "key",
                                                         "valid_from": "2026-01-01", "valid_until": "2027-01-01"})  # fmt: skip
    assert response.status_code == 403 and Permit.objects.count() == 1


def test_who_may_not_see_the_record(personas, source, client_for):
    other_grid = Grid.objects.get(jurisdiction=personas.district, name="人民街街道")
    assert other_grid.unit is not None
    worker = make_person("wanda", Role.GRID_WORKER, other_grid.unit, name="Wanda")
    worker.grids.add(other_grid)
    liaison = make_person("leo", Role.LIAISON, other_grid.unit, name="Leo")
    record = f"/enterprises/sources/{source.pk}/"
    for user in (worker, liaison, personas.oscar):
        client = client_for(user)
        assert client.get(record).status_code == 404
        assert client.get(record + "record.xlsx").status_code == 404
    assert client_for(personas.gary).get(record).status_code == 200  # his grid's source
    anonymous = Client().get(record)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert Client().get(record + "record.xlsx").status_code == 302
    assert Source.objects.count() >= 1
