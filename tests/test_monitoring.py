"""Online monitoring: storing uploads, the checks and alarms they raise, alarms that
become cases, registering points, and the rates, AQI and water classes of the data."""

import datetime
import io
import pickle
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone, translation
from openpyxl import load_workbook

from ecogov.cases.models import Case, Channel, State
from ecogov.domain import monitorchecks
from ecogov.domain.monitorchecks import Limits
from ecogov.monitoring import alarms, stats
from ecogov.monitoring.ingest import Ingestor, Upload
from ecogov.monitoring.models import (
    Alarm,
    AlarmRule,
    Factor,
    Packet,
    Period,
    Point,
    Reading,
    Rejection,
    TargetFeed,
)
from ecogov.monitoring.services import points_import, table_rows
from ecogov.plans.models import Target
from ecogov.sources.sample import sources_sample_load
from ecogov.standards import hj212

SAMPLE = Path(__file__).parents[1] / "src" / "ecogov" / "sample" / "monitoring_points.csv"
START = datetime.datetime(2026, 3, 2, 0, 0)  # naive local, as loggers send it
HOUR = datetime.timedelta(hours=1)
OUTLET = "63010300000001"  # 示例1号工业企业 wastewater: COD limit 100 mg/L
STATION = "63010300000101"
SECTION = "63010300000201"


@pytest.fixture
def points(personas):
    sources_sample_load(personas.district)
    points_import(rows=table_rows(SAMPLE.read_bytes(), SAMPLE.name), jurisdiction=personas.district)
    return {p.mn: p for p in Point.objects.all()}


def upload(point, hour: int, values: dict[str, str], *, cn="2061", flags=None, pw=None,
           totals=None):  # fmt: skip
    when = START + datetime.timedelta(hours=hour)
    groups = [{"DataTime": when.strftime("%Y%m%d%H%M%S")}]
    for code, value in values.items():
        group = {f"{code}-Avg": value, f"{code}-Flag": (flags or {}).get(code, "N")}
        if code in (totals or {}):
            group[f"{code}-Cou"] = totals[code]
        groups.append(group)
    packet = hj212.Packet.make(
        qn=f"{when:%Y%m%d%H%M%S}000", st="32", cn=cn, pw=pw or point.password, mn=point.mn,
        flag=5, cp=groups,
    )  # fmt: skip
    return Upload.of(point.pk, packet, timezone.now())


def feed(ingestor, point, values_by_hour: dict[int, dict[str, str]], **options):
    return ingestor.store([upload(point, h, v, **options) for h, v in values_by_hour.items()])


@pytest.fixture
def ingestor(points):
    engine = Ingestor()
    engine.refresh()
    return engine


def test_an_upload_is_stored_once_with_its_readings_flags_and_limits(ingestor, points):
    outlet = points[OUTLET]
    report = feed(ingestor, outlet, {0: {"w01018": "40.5", "w21003": "2.1", "w00000": "12"}})
    assert (report.stored, report.readings, report.duplicates) == (1, 3, 0)
    again = feed(ingestor, outlet, {0: {"w01018": "40.5"}})
    assert (again.stored, again.duplicates) == (0, 1)
    assert Packet.objects.count() == 1 and Reading.objects.count() == 3
    cod = Reading.objects.get(code="w01018")
    assert cod.value == Decimal("40.5") and cod.valid and cod.exceeded is False
    assert cod.period == Period.HOUR
    assert timezone.localtime(cod.time).replace(tzinfo=None) == START
    assert Reading.objects.get(code="w00000").exceeded is None  # no limit on flow
    outlet.refresh_from_db()
    assert timezone.localtime(outlet.last_data_time).replace(tzinfo=None) == START


def test_reloading_the_points_tells_whether_anything_changed(points):
    # the HJ 212 server's writer process reloads its copy only then
    engine = Ingestor()
    assert engine.refresh() is True  # the first load
    assert engine.refresh() is False
    Factor.objects.filter(point=points[OUTLET], code="w01018").update(limit=Decimal("90"))
    assert engine.refresh() is True
    assert engine.points[OUTLET].limits["w01018"].limit == Decimal("90")
    Point.objects.filter(mn=STATION).update(active=False)
    assert engine.refresh() is True
    assert engine.refresh() is False


def test_values_are_read_exactly_and_what_is_not_a_number_is_no_reading(ingestor, points):
    outlet = points[OUTLET]
    groups = [
        {"DataTime": "20260301000000"},
        {"w01018-Avg": "40.1234567", "w01018-Min": "1e2", "w01018-Max": "NaN", "w01018-Flag": "N"},
        {"w00000-Avg": "x", "w00000-Cou": "63.0", "w00000-Flag": "N"},  # a total still counts
        {"w21003-Avg": "Infinity", "w21003-Flag": "N"},  # nothing that is a number
        {"w21011-Max": "3"},  # no value and no total: not a reading
    ]
    packet = hj212.Packet.make(qn="20260301000000000", st="32", cn="2061", pw=outlet.password,
                               mn=outlet.mn, flag=5, cp=groups)  # fmt: skip
    sent = Upload.of(outlet.pk, packet, timezone.now())
    # as it crosses to the writer process
    assert Upload.from_wire(pickle.loads(pickle.dumps(sent.wire()))) == sent
    assert [r[0] for r in sent.readings] == ["w01018", "w00000", "w21003"]
    assert ingestor.store([sent]).readings == 2
    cod = Reading.objects.get(code="w01018")
    assert (cod.value, cod.minimum, cod.maximum) == (Decimal("40.123457"), Decimal(100), None)
    flow = Reading.objects.get(code="w00000")
    assert (flow.value, flow.total, flow.valid) == (None, Decimal("63"), False)


def test_flags_other_than_n_are_kept_but_not_valid(ingestor, points):
    feed(ingestor, points[OUTLET], {0: {"w01018": "400"}}, flags={"w01018": "M"})
    reading = Reading.objects.get()
    assert reading.flag == "M" and not reading.valid and reading.exceeded is None
    assert not Alarm.objects.exists()  # maintenance data is not an exceedance


def test_a_duplicate_within_one_batch_is_stored_once(ingestor, points):
    outlet = points[OUTLET]
    report = ingestor.store(
        [upload(outlet, 0, {"w01018": "40"}), upload(outlet, 0, {"w01018": "40"})]
    )
    assert (report.stored, report.duplicates) == (1, 1)


def test_a_persisting_exceedance_becomes_one_alarm_and_one_case_for_the_bureau(
    ingestor, points, personas
):
    outlet = points[OUTLET]
    feed(ingestor, outlet, {0: {"w01018": "60"}, 1: {"w01018": "130"}})
    alarm = Alarm.objects.get()
    assert (alarm.kind, alarm.code, alarm.count, alarm.worst) == (
        "exceedance",
        "w01018",
        1,
        Decimal("130"),
    )
    assert alarm.case is None
    report = feed(ingestor, outlet, {2: {"w01018": "150.5"}, 3: {"w01018": "120"}})
    alarm.refresh_from_db()
    assert alarm.count == 3 and alarm.worst == Decimal("150.5")
    assert report.case_candidates == [alarm.pk]
    opened = alarms.alarm_cases(report.case_candidates)
    assert len(opened) == 1 and alarms.alarm_cases() == []  # once only
    case = Case.objects.get(pk=opened[0])
    alarm.refresh_from_db()
    assert alarm.case == case
    assert case.channel == Channel.MONITORING and case.lead == personas.bureau
    assert case.state == State.ASSIGNED and case.source == outlet.source
    assert "化学需氧量" in case.text and "最高150.5 mg/L，限值100 mg/L" in case.text
    attachment = case.attachments.get()
    sheet = load_workbook(io.BytesIO(attachment.file.read())).active
    values = [row[2] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert 150.5 in values and 60 in values


def test_an_exceedance_closes_when_the_value_is_back_and_repeats_merge_within_the_window(
    ingestor, points
):
    outlet = points[OUTLET]
    feed(ingestor, outlet, {0: {"w01018": "130"}})
    feed(ingestor, outlet, {1: {"w01018": "50"}})
    alarm = Alarm.objects.get()
    assert alarm.state == Alarm.State.CLOSED
    feed(ingestor, outlet, {5: {"w01018": "140"}})  # within 24 h: the same alarm again
    alarm.refresh_from_db()
    assert Alarm.objects.count() == 1 and alarm.state == Alarm.State.OPEN and alarm.count == 2
    feed(ingestor, outlet, {40: {"w01018": "140"}})  # a day later: a new alarm
    assert Alarm.objects.filter(kind="exceedance").count() == 2
    assert Alarm.objects.get(kind="missing").count == 34  # and the hours in between


def test_an_administrators_rule_makes_a_single_exceedance_a_case(ingestor, points):
    AlarmRule.objects.create(kind="exceedance", code="w01018", ratio=Decimal("2"))
    outlet = points[OUTLET]
    report = feed(ingestor, outlet, {0: {"w01018": "150"}})
    assert report.case_candidates == []  # 1.5 times the limit: not serious
    report = feed(ingestor, outlet, {1: {"w01018": "250"}})
    alarm = Alarm.objects.get()
    assert alarm.serious and report.case_candidates == [alarm.pk]


def test_the_mass_rate_limit_is_checked_against_each_hours_amount(ingestor, points, personas):
    outlet = points[OUTLET]
    Factor.objects.filter(point=outlet, code="w01018").update(rate_limit=Decimal("5"))
    ingestor.refresh()

    def hour(h, value, total, flag="N"):
        return feed(ingestor, outlet, {h: {"w01018": value}}, totals={"w01018": total},
                    flags={"w01018": flag})  # fmt: skip

    hour(0, "60", "7.5")  # within the concentration limit, over the mass rate
    rate = Alarm.objects.get()
    assert (rate.kind, rate.code, rate.worst, rate.limit) == ("rate", "w01018", Decimal("7.5"), 5)
    assert Reading.objects.get().exceeded is False  # compliance counts concentrations
    hour(1, "130", "8")  # over both: two alarms, each against its own limit
    rate.refresh_from_db()
    assert (rate.count, rate.worst) == (2, Decimal("8"))
    assert Alarm.objects.get(kind="exceedance").worst == Decimal("130")
    hour(2, "50", "5")  # at the limit is within it: both end
    assert set(Alarm.objects.values_list("state", flat=True)) == {Alarm.State.CLOSED}
    hour(3, "50", "9", flag="M")  # a value not valid for statistics: its amount neither
    hour(4, "50", "9", flag="T")  # out of range: not a measurement
    assert set(Alarm.objects.values_list("kind", flat=True)) == {"rate", "exceedance", "range"}
    hour(5, "50", "6")  # back over within the window: the same alarm, open again
    rate.refresh_from_db()
    assert (rate.state, rate.count) == (Alarm.State.OPEN, 3)
    with translation.override("zh-hans"):
        text = alarms.describe(rate)
    assert "排放速率" in text and "千克/小时" in text and "1.6" in text  # 8 ÷ 5
    AlarmRule.objects.create(kind="rate", ratio=Decimal("2"))
    report = hour(6, "50", "12")  # 2.4 times the mass-rate limit: serious, a case at once
    rate.refresh_from_db()
    assert rate.serious and report.case_candidates == [rate.pk]
    case = Case.objects.get(pk=alarms.alarm_cases(report.case_candidates)[0])
    assert case.channel == Channel.MONITORING and "排放速率" in case.text


def test_a_value_above_the_instruments_range_proves_no_compliance(ingestor, points):
    outlet = points[OUTLET]
    Factor.objects.filter(point=outlet, code="w01018").update(rate_limit=Decimal("5"))
    ingestor.refresh()
    feed(ingestor, outlet, {0: {"w01018": "130"}}, totals={"w01018": "7.5"})
    assert set(Alarm.objects.values_list("kind", "state")) == {
        ("exceedance", "open"),
        ("rate", "open"),
    }
    # An instrument whose range (90) ends below the limit (100): 95 reads within both
    # limits, but what was really there is unknown.
    Factor.objects.filter(point=outlet, code="w01018").update(range_max=90)
    ingestor.refresh()
    feed(ingestor, outlet, {1: {"w01018": "95"}}, totals={"w01018": "4"})
    assert set(Alarm.objects.values_list("kind", "state")) == {
        ("exceedance", "open"), ("rate", "open"), ("range", "open")}  # fmt: skip
    assert Reading.objects.get(time=timezone.make_aware(START + HOUR)).exceeded is None
    start = timezone.make_aware(START)
    rates = stats.rates(Point.objects.filter(pk=outlet.pk), start, start + 2 * HOUR)
    assert (rates.total.checked, rates.total.exceeded) == (1, 1)  # hour 1 is not counted
    feed(ingestor, outlet, {2: {"w01018": "60"}}, totals={"w01018": "4"})  # measured, within
    assert dict(Alarm.objects.filter(kind__in=["exceedance", "rate"]).values_list(
        "kind", "state")) == {"exceedance": "closed", "rate": "closed"}  # fmt: skip


def test_anomalies_negative_out_of_range_flat_and_missing(ingestor, points):
    outlet = points[OUTLET]
    Factor.objects.filter(point=outlet, code="w21003").update(range_max=50)
    ingestor.refresh()
    feed(ingestor, outlet, {0: {"w21011": "-0.2", "w21003": "80"}})
    kinds = set(Alarm.objects.values_list("kind", "code"))
    assert kinds == {("negative", "w21011"), ("range", "w21003")}
    feed(ingestor, outlet, {h: {"w01018": "42.0"} for h in range(1, 7)})
    flat = Alarm.objects.get(kind="flat")
    assert flat.code == "w01018" and flat.count == 1
    feed(ingestor, outlet, {12: {"w01018": "41"}})  # hours 7–11 never came
    missing = Alarm.objects.get(kind="missing")
    assert missing.count == 5 and missing.state == Alarm.State.CLOSED  # data is back
    assert timezone.localtime(missing.first_time).replace(
        tzinfo=None
    ) == START + datetime.timedelta(hours=7)


def test_after_a_restart_a_late_hour_opens_no_gap_over_hours_that_were_stored(points):
    outlet = points[OUTLET]
    first = Ingestor()
    first.refresh()
    feed(first, outlet, {h: {"w01018": str(40 + h % 3)} for h in range(12) if h != 5})
    restarted = Ingestor()  # the server came back: nothing in memory
    restarted.refresh()
    feed(restarted, outlet, {5: {"w01018": "41"}})  # the logger sends what it missed
    feed(restarted, outlet, {12: {"w01018": "42"}})
    assert not Alarm.objects.filter(kind="missing").exists()
    feed(restarted, outlet, {17: {"w01018": "42"}})
    assert Alarm.objects.get(kind="missing").count == 4  # hours 13–16


def test_checks_are_pure_and_exact():
    at = datetime.datetime(2026, 3, 2, 6)
    limits = Limits(Decimal("100"), Decimal("500"))
    previous = [(at - datetime.timedelta(hours=k), Decimal("7")) for k in range(5, 0, -1)]
    found = monitorchecks.check_hour("w01018", at, Decimal("7"), flag="N", valid=True,
                                     limits=limits, previous=previous)  # fmt: skip
    assert [f.kind for f in found] == ["flat"]
    # A gap in the run is not a flat line, and a temperature may be negative.
    assert not monitorchecks.check_hour("w01018", at, Decimal("7"), flag="N", valid=True,
                                        limits=limits, previous=previous[1:])  # fmt: skip
    assert not monitorchecks.check_hour(
        "w01010", at, Decimal("-1"), flag="N", valid=True, limits=Limits()
    )
    assert (
        monitorchecks.check_hour("w01018", at, Decimal("100"), flag="N", valid=True, limits=limits)
        == []
    )
    assert [f.kind for f in monitorchecks.check_hour(
        "w01018", at, Decimal("100.01"), flag="N", valid=True, limits=limits)] == ["exceedance"]  # fmt: skip
    assert [f.kind for f in monitorchecks.check_hour(
        "w01018", at, Decimal("90"), flag="T", valid=False, limits=limits)] == ["range"]  # fmt: skip
    rated = Limits(Decimal("100"), rate_limit=Decimal("2.5"))
    over = monitorchecks.check_hour("w01018", at, Decimal("120"), flag="N", valid=True,
                                    limits=rated, total=Decimal("2.51"))  # fmt: skip
    assert [(f.kind, f.value, f.limit) for f in over] == [
        ("exceedance", Decimal("120"), Decimal("100")), ("rate", Decimal("2.51"), Decimal("2.5"))]  # fmt: skip
    assert not monitorchecks.check_hour("w01018", at, Decimal("90"), flag="N", valid=True,
                                        limits=rated, total=Decimal("2.5"))  # fmt: skip
    assert not monitorchecks.check_hour("w01018", at, Decimal("90"), flag="N", valid=True,
                                        limits=Limits(), total=Decimal("99"))  # fmt: skip
    assert monitorchecks.gap(at, at + datetime.timedelta(hours=4)) is None
    assert monitorchecks.gap(at, at + datetime.timedelta(hours=5)).value == 4


def test_a_silent_point_gets_one_missing_alarm_and_a_case_after_a_day(ingestor, points, settings):
    outlet = points[OUTLET]
    feed(ingestor, outlet, {0: {"w01018": "40"}})
    now = timezone.make_aware(START + datetime.timedelta(hours=6, minutes=10))
    assert alarms.silence_scan(now) >= 1
    alarm = Alarm.objects.get(point=outlet, kind="missing")
    assert alarm.count == 5 and alarm.case is None
    alarms.silence_scan(now)
    alarm.refresh_from_db()
    assert alarm.count == 5 and Alarm.objects.filter(point=outlet, kind="missing").count() == 1
    alarms.silence_scan(now + datetime.timedelta(hours=24))
    alarm.refresh_from_db()
    assert alarm.count == 29 and alarm.case is not None
    assert "29" in alarm.case.text


def test_points_import_is_idempotent_and_reports_every_bad_row(personas):
    sources_sample_load(personas.district)
    rows = table_rows(SAMPLE.read_bytes(), SAMPLE.name)
    first = points_import(rows=rows, jurisdiction=personas.district)
    assert len(first.created) == 7 and Factor.objects.count() == len(rows) - 1
    second = points_import(rows=rows, jurisdiction=personas.district)
    assert (second.created, second.updated, second.unchanged) == ([], [], 7)
    changed = [
        row if row[5] != "w01018" or row[0] != OUTLET else (*row[:6], "80", row[7]) for row in rows
    ]
    third = points_import(rows=changed, jurisdiction=personas.district)
    assert third.updated == [OUTLET]
    assert Factor.objects.get(point__mn=OUTLET, code="w01018").limit == 80
    bad = [
        rows[0],
        ("X-1", "pw", "a", "source", "示例1号工业企业", "w01018", "100", "mg/L"),
        ("6301", "", "a", "station", "", "w01018", "abc", ""),
        ("6302", "pw", "b", "source", "没有这个企业", "w01018", "", ""),
    ]
    with pytest.raises(ValidationError) as error:
        points_import(rows=bad, jurisdiction=personas.district)
    messages = " ".join(error.value.messages)
    for row in ("row 2", "row 3", "row 4"):
        assert row in messages or row.replace("row", "第") in messages
    assert not Point.objects.filter(mn__in=["X-1", "6301", "6302"]).exists()


def test_points_import_command_and_stats_and_export(personas, tmp_path, capsys):
    sources_sample_load(personas.district)
    call_command("monitoring", "points", "import", str(SAMPLE), "--jurisdiction", "城中区")
    assert "7 points created" in capsys.readouterr().out
    engine = Ingestor()
    engine.refresh()
    outlet = Point.objects.get(mn=OUTLET)
    feed(engine, outlet, {0: {"w01018": "40"}, 1: {"w01018": "41"}})
    Rejection.objects.create(received_at=timezone.now(), reason="CrcMismatch")
    call_command("monitoring", "stats", "--json")
    assert (
        capsys.readouterr().out.strip()
        == '{"packets": 2, "readings": 2, "rejected": 1, "points": 7}'
    )
    call_command("readings", "export", "--mn", OUTLET, "--csv", "--since", "2026-03-02T01:00")
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("time,code,period,value") and len(out) == 2 and ",41," in out[1]


def test_rates_add_up_hours_over_points(ingestor, points):
    outlet = points[OUTLET]
    hours = {h: {"w01018": "40", "w21003": "2"} for h in range(10)}
    hours[3] = {"w01018": "120", "w21003": "2"}  # one pollutant-hour over the limit
    hours[4] = {"w01018": "40", "w21003": "2"}
    del hours[7]  # one hour missing
    feed(ingestor, outlet, hours)
    feed(ingestor, outlet, {5: {"w01018": "40"}}, cn="2051")  # minute data do not count
    Reading.objects.filter(
        point=outlet, code="w21003", time=timezone.make_aware(START + datetime.timedelta(hours=8))
    ).update(valid=False, exceeded=None)
    start = timezone.make_aware(START)
    rollup = stats.rates(
        Point.objects.filter(pk=outlet.pk), start, start + datetime.timedelta(hours=10)
    )
    rates = rollup.points[outlet.pk]
    assert (rates.expected, rates.received, rates.valid_hours) == (10, 9, 8)
    assert (rates.checked, rates.exceeded) == (17, 1)
    assert rates.transmission == 90.0 and rates.validity == 88.9 and rates.compliance == 94.1
    assert rollup.sources[outlet.source_id].compliance == 94.1
    assert rollup.total.checked == 17


def test_station_aqi_and_section_class_and_the_targets_they_feed(ingestor, points, personas):
    station, section = points[STATION], points[SECTION]
    air = {
        "a34004": "80",
        "a34002": "60",
        "a21026": "12",
        "a21004": "30",
        "a21005": "0.7",
        "a05024": "80",
    }
    ingestor.store([upload(station, h, air) for h in range(24)])
    daily = stats.daily_aqi(
        station, timezone.make_aware(START), timezone.make_aware(START + datetime.timedelta(days=1))
    )
    assert len(daily) == 1
    day, result = daily[0]
    assert day == START.date() and result.aqi == 107 and result.primary == ["PM2.5"]
    hourly = stats.hourly_aqi(
        station,
        timezone.make_aware(START),
        timezone.make_aware(START + datetime.timedelta(hours=1)),
    )
    assert hourly[0][1].aqi == 107 and hourly[0][1].iaqi["O3"] == 25  # O3 by its 1-hour column
    assert result.iaqi["O3_8h"] == 40
    water = {"w01001": "7.9", "w01009": "6.5", "w01019": "3.5", "w21003": "0.8", "w21011": "0.15"}
    ingestor.store([upload(section, h, water) for h in range(24)])
    classes = stats.daily_classes(
        section, timezone.make_aware(START), timezone.make_aware(START + datetime.timedelta(days=1))
    )
    assert classes[0][1].cls == "III"
    from ecogov.plans.sample import plans_sample_load

    plans_sample_load()
    target = Target.objects.filter(indicator__contains="六一桥").first()
    pm = Target.objects.filter(indicator__contains="PM2.5").first()
    assert target is not None and pm is not None and target.value is None
    TargetFeed.objects.create(target=target, point=section, metric="water_class", goal=3)
    TargetFeed.objects.create(
        target=pm, point=station, metric="annual_mean", code="a34004", goal=35
    )
    assert stats.feeds_run(START.date()) == 2
    assert target.values.get().value == 3
    assert pm.values.get().value == Decimal("80.0")


def test_the_sample_plays_recent_hours_raises_its_cases_feeds_targets_and_fills_up_later(personas):
    from ecogov.monitoring.sample import monitoring_sample_load
    from ecogov.plans.sample import plans_sample_load

    sources_sample_load(personas.district)
    plans_sample_load()
    now = timezone.make_aware(datetime.datetime(2026, 3, 10, 12, 30))
    stored = monitoring_sample_load(personas.district, days=3, now=now)
    assert 7 * 3 * 24 * 0.9 < stored <= 7 * 3 * 24
    cases = Case.objects.filter(channel=Channel.MONITORING)
    assert {c.source.name for c in cases} >= {"示例2号工业企业", "示例1号入河排污口"}
    assert TargetFeed.objects.count() == 2
    assert Target.objects.filter(feed__isnull=False, values__isnull=False).count() == 2
    later = monitoring_sample_load(personas.district, days=3, now=now + datetime.timedelta(hours=2))
    assert later == 7 * 2
    assert (
        monitoring_sample_load(personas.district, days=3, now=now + datetime.timedelta(hours=2))
        == 0
    )


def test_aqi_above_the_table_counts_as_500_and_the_daily_report_takes_the_o3_hour_maximum():
    capped = stats.capped_aqi({"a34002": Decimal("700"), "a34004": Decimal("30")}, "24h")
    assert capped.aqi == 500 and capped.capped == ["PM10"] and capped.primary == ["PM10"]
    plain = stats.capped_aqi({"a34004": Decimal("30"), "O3": Decimal("250")}, "24h")
    assert plain.aqi == 125 and plain.capped == [] and plain.primary == ["O3"]


def test_points_import_reads_the_optional_standard_rate_and_range_columns(personas):
    rows = [
        (
            "mn",
            "pw",
            "name",
            "kind",
            "source",
            "pollutant",
            "limit",
            "unit",
            "standard",
            "range_max",
        ),
        ("6399000001", "pw1", "站", "air_station", "", "a34004", "", "μg/m³", "", "1000"),
        (
            "6399000002",
            "pw2",
            "口",
            "water_section",
            "",
            "w01018",
            "20",
            "mg/L",
            "GB 3838-2002 III类",
            "",
        ),
    ]
    points_import(rows=rows, jurisdiction=personas.district)
    factor = Factor.objects.get(point__mn="6399000002")
    assert factor.standard == "GB 3838-2002 III类" and factor.limit == 20
    assert Factor.objects.get(point__mn="6399000001").range_max == 1000
    Factor.objects.filter(pk=factor.pk).update(rate_limit=5)
    points_import(rows=[row[:8] for row in rows], jurisdiction=personas.district)
    factor.refresh_from_db()
    assert factor.standard == "GB 3838-2002 III类" and factor.rate_limit == 5  # left alone


@pytest.mark.parametrize(
    "mn, code, high",
    [(OUTLET, "w01018", "150"), ("63010300000002", "a21026", "450")],  # COD; SO2 of a chimney
)
def test_an_exceedance_case_takes_the_medium_of_its_pollutant_never_a_crime(
    ingestor, points, mn, code, high
):
    report = feed(ingestor, points[mn], {h: {code: high} for h in range(4)})
    case = Case.objects.get(pk=alarms.alarm_cases(report.case_candidates)[0])
    medium = "water" if code.startswith("w") else "air"
    assert (case.category, case.subcategory) == (medium, "超标排放")


def test_a_silent_stations_case_takes_the_medium_of_what_it_measures(ingestor, points):
    feed(ingestor, points[STATION], {0: {"a34004": "40"}})
    alarms.silence_scan(timezone.make_aware(START + datetime.timedelta(hours=30)))
    case = Alarm.objects.get(point=points[STATION], kind="missing").case
    assert (case.category, case.subcategory) == ("air", "在线监测异常")
