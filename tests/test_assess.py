"""Assessment (考核, issue 20): schemes as data, scores computed from the record with
each point traced to its record, manual items and vetoes with evidence, objections in
their window, publication, the documents, who sees what, and each refusal."""

import datetime
import io
from decimal import Decimal

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone, translation

from ecogov import access
from ecogov.assess import documents, services
from ecogov.assess.indicators import INCIDENT
from ecogov.assess.models import Assessment, Grade, Line, Method, Objection, Score, Trace
from ecogov.cases.models import Case, Channel, State
from ecogov.supervision.models import Kind
from ecogov.supervision.services import item_create

PDF = b"%PDF-1.4\n" + b"0" * 64
YEAR = 2025  # a past year: every deadline in it has passed


def pdf(name="evidence.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def at(day: datetime.date, hour=10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), timezone.get_current_timezone())


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"  # the language the record is written in
    with translation.override("en"):
        yield


@pytest.fixture
def scheme(personas):
    made = services.scheme_create(
        jurisdiction=personas.district, code="units-year", name="成员单位年度考核", period="year",
        bodies="units", units=[personas.construction, personas.health], by=personas.dora,
        public=True,
    )  # fmt: skip
    services.indicator_add(made, name="案件按期办结", rule="cases_finished_on_time",
                           method=Method.RATE, weight=60, by=personas.dora)  # fmt: skip
    services.indicator_add(made, name="督办事项按期办结", rule="items_on_time",
                           method=Method.DEDUCT, weight=40, per_event=10, cap=30,
                           by=personas.dora)  # fmt: skip
    services.veto_add(made, name="重大环境事件", rule=INCIDENT, by=personas.dora)
    return made


def make_case(personas, n, lead, due, reported=None):
    return Case.objects.create(
        jurisdiction=personas.district, number=f"T-{YEAR}-{n:04d}", channel=Channel.HOTLINE,
        text="（虚构）河边倾倒垃圾", category="solid", lead=lead, state=State.CLOSED,
        registered_at=at(due - datetime.timedelta(days=20)), finish_due=due,
        reported_at=at(reported) if reported else None,
    )  # fmt: skip


@pytest.fixture
def record(personas):
    """Construction: 3 cases, one finished 6 days late; health: 1 on time; one item of
    construction's closed late, one of health's still open past its deadline."""
    day = datetime.date(YEAR, 6, 30)
    late = make_case(personas, 1, personas.construction, day, day + datetime.timedelta(days=6))
    make_case(personas, 2, personas.construction, day, day)
    make_case(personas, 3, personas.construction, day, day - datetime.timedelta(days=1))
    make_case(personas, 4, personas.health, day, day)
    for unit in (personas.construction, personas.health):
        item = item_create(jurisdiction=personas.district, kind=Kind.INSTRUCTION,
                           title="落实领导批示", lead=unit, supervisor=personas.bureau,
                           deadline=datetime.date(YEAR, 9, 30), by=personas.dora,
                           at=at(datetime.date(YEAR, 9, 1)))  # fmt: skip
        if unit == personas.construction:
            item.state, item.closed_at = item.State.CLOSED, at(datetime.date(YEAR, 10, 3))
            item.save()
    return late


def run(scheme, personas, period=str(YEAR)):
    return services.assessment_run(scheme, period, by=personas.dora)


def score_of(assessment, unit) -> Score:
    return assessment.scores.get(unit=unit)


def line_of(score, name) -> Line:
    return score.lines.get(name=name)


def test_scores_are_computed_from_the_record_with_every_lost_point_traced(personas, scheme, record):
    assessment = run(scheme, personas)
    construction = score_of(assessment, personas.construction)
    cases = line_of(construction, "案件按期办结")
    assert cases.points == Decimal("40.00") and cases.summary == "2 of 3 right"
    trace = cases.traces.get()
    assert trace.label == record.number and trace.url == record.get_absolute_url()
    assert trace.note == "finished: 6 days late" and trace.points == Decimal("-20.00")
    items = line_of(construction, "督办事项按期办结")
    assert items.points == Decimal("30.00") and "3 days late" in items.traces.get().note
    assert construction.total == Decimal("70.00") and construction.grade == Grade.PASSED
    health = score_of(assessment, personas.health)
    assert line_of(health, "案件按期办结").points == 60
    assert "days overdue" in line_of(health, "督办事项按期办结").traces.get().note
    assert health.total == Decimal("90.00") and health.rank == 1 and construction.rank == 2


def test_a_deduction_is_capped(personas, scheme, record):
    for n in range(5):
        item_create(jurisdiction=personas.district, kind=Kind.RESOLUTION, title=f"议定事项{n}",
                    lead=personas.construction, supervisor=personas.bureau,
                    deadline=datetime.date(YEAR, 8, 31), by=personas.dora,
                    at=at(datetime.date(YEAR, 8, 1)))  # fmt: skip
    line = line_of(score_of(run(scheme, personas), personas.construction), "督办事项按期办结")
    assert line.points == Decimal("10.00") and "(capped)" in line.summary
    assert [t.points for t in line.traces.all()].count(Decimal("0.00")) == 3


def test_recomputing_a_draft_gives_the_same_result_and_follows_the_record(personas, scheme, record):
    first = run(scheme, personas)
    digest = first.digest
    assert run(scheme, personas).digest == digest
    assert Assessment.objects.count() == 1 and Line.objects.filter(kind="computed").count() == 4
    # The late case's finish date is corrected: the score follows.
    record.reported_at = at(record.finish_due)
    record.save()
    again = run(scheme, personas)
    assert again.digest != digest
    assert score_of(again, personas.construction).total == Decimal("90.00")


def test_a_scheme_whose_weights_do_not_add_up_is_refused(personas):
    made = services.scheme_create(jurisdiction=personas.district, code="bad", name="x",
                                  period="year", bodies="units", by=personas.dora)  # fmt: skip
    services.indicator_add(made, name="a", rule="cases_finished_on_time", method=Method.RATE,
                           weight=60, by=personas.dora)  # fmt: skip
    with pytest.raises(ValidationError, match="add up to 60.00, not to the full marks 100"):
        services.assessment_run(made, str(YEAR), by=personas.dora)
    with pytest.raises(ValidationError, match="add up"):
        services.scheme_activate(made, by=personas.dora)
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("rule, bodies, message", [
    ("no_such_rule", "units", "cannot compute"),
    ("monitoring_compliance", "units", "cannot be computed for"),
])  # fmt: skip
def test_an_indicator_the_record_cannot_compute_is_refused(personas, rule, bodies, message):
    made = services.scheme_create(jurisdiction=personas.district, code="c", name="x",
                                  period="year", bodies=bodies, by=personas.dora)  # fmt: skip
    with pytest.raises(ValidationError, match=message):
        services.indicator_add(made, name="a", rule=rule, method=Method.RATE, weight=100,
                               by=personas.dora)  # fmt: skip
    assert not made.indicators.exists()


@pytest.mark.parametrize("fields, message", [
    ({"weight": "abc"}, "must be a number"),
    ({"weight": "-5"}, "may not be negative"),
    ({"method": "deduct", "per_event": "0"}, "more than 0"),
    ({"cap": "200"}, "above the weight"),
    ({"params": {"nope": 1}}, "Unknown settings"),
])  # fmt: skip
def test_bad_indicators_are_refused(personas, fields, message):
    made = services.scheme_create(jurisdiction=personas.district, code="c", name="x",
                                  period="year", bodies="units", by=personas.dora)  # fmt: skip
    values = {"name": "a", "rule": "items_on_time", "method": Method.RATE, "weight": 50, **fields}
    with pytest.raises(ValidationError, match=message):
        services.indicator_add(made, by=personas.dora, **values)
    assert not made.indicators.exists()


def test_a_used_version_is_frozen_and_a_revision_is_the_next_version(personas, scheme, record):
    assessment = run(scheme, personas)
    with pytest.raises(ValidationError, match="revise the scheme"):
        services.indicator_add(scheme, name="b", rule="items_on_time", method=Method.RATE,
                               weight=10, by=personas.dora)  # fmt: skip
    revised = services.scheme_revise(scheme, by=personas.dora)
    assert revised.version == 2 and revised.indicators.count() == 2
    assert revised.vetoes.count() == 1 and set(revised.units.all()) == set(scheme.units.all())
    services.indicator_remove(revised.indicators.get(name="督办事项按期办结"), by=personas.dora)
    services.indicator_add(revised, name="案件签收", rule="cases_accepted_on_time",
                           method=Method.RATE, weight=40, by=personas.dora)  # fmt: skip
    services.scheme_activate(revised, by=personas.dora)
    scheme.refresh_from_db()
    assert scheme.state == "retired"
    # The period keeps the version it was computed with.
    with pytest.raises(ValidationError, match="another version"):
        services.assessment_run(revised, str(YEAR), by=personas.dora)
    assessment.refresh_from_db()
    assert assessment.scheme == scheme


def test_manual_items_need_a_reason_and_evidence_and_bonuses_are_capped(personas, scheme, record):
    assessment = run(scheme, personas)
    health = score_of(assessment, personas.health)
    with pytest.raises(ValidationError, match="one file of evidence"):
        services.manual_add(health, points=3, reason="做法被推广", files=[], by=personas.dora)
    with pytest.raises(ValidationError, match="reason is required"):
        services.manual_add(health, points=3, reason=" ", files=[pdf()], by=personas.dora)
    with pytest.raises(PermissionDenied):
        services.manual_add(health, points=3, reason="x", files=[pdf()], by=personas.lily)
    assert not Line.objects.filter(kind="manual").exists()
    services.manual_add(health, points=4, reason="做法被推广", files=[pdf()], by=personas.dora)
    services.manual_add(health, points=4, reason="获省级表彰", files=[pdf()], by=personas.dora)
    health.refresh_from_db()
    assert health.total == Decimal("95.00")  # 90 + at most 5
    services.manual_add(health, points=-2, reason="督察发现问题", files=[pdf()], by=personas.dora)
    health.refresh_from_db()
    assert health.total == Decimal("93.00")
    # Manual items survive a recomputation.
    assert score_of(run(scheme, personas), personas.health).total == Decimal("93.00")


def test_a_recorded_veto_fails_the_body_whatever_its_score(personas, scheme, record):
    assessment = run(scheme, personas)
    health = score_of(assessment, personas.health)
    veto = scheme.vetoes.get()
    with pytest.raises(ValidationError, match="one file"):
        services.incident_add(health, veto=veto, reason="发生较大突发环境事件", files=[],
                              by=personas.dora)  # fmt: skip
    services.incident_add(health, veto=veto, reason="发生较大突发环境事件", files=[pdf()],
                          by=personas.dora)  # fmt: skip
    health.refresh_from_db()
    assert health.vetoed and health.grade == Grade.FAILED and health.total == Decimal("90.00")
    assert health.rank == 2 and score_of(assessment, personas.construction).rank == 1
    assert "一票否决" in documents.notice_lines(assessment)[1][1][1]


def released(scheme, personas, day=datetime.date(YEAR + 1, 1, 5)):
    assessment = services.assessment_run(scheme, str(YEAR), by=personas.dora, at=at(day, 8))
    return services.assessment_release(assessment, by=personas.dora, at=at(day, 9))


def test_objections_in_their_window_change_the_line_with_its_history(personas, scheme, record):
    assessment = released(scheme, personas)
    assert assessment.objections_until == datetime.date(YEAR + 1, 1, 12)  # 5 working days
    line = line_of(score_of(assessment, personas.construction), "案件按期办结")
    day = datetime.date(YEAR + 1, 1, 8)
    with pytest.raises(PermissionDenied):  # another unit's line
        services.objection_enter(line, text="不服", files=[pdf()], by=personas.lily, at=at(day))
    with pytest.raises(ValidationError, match="one file"):
        services.objection_enter(line, text="延期经批准", files=[], by=personas.liam, at=at(day))
    objection = services.objection_enter(line, text="该案件延期经区政府批准", points=60,
                                         files=[pdf()], by=personas.liam, at=at(day))  # fmt: skip
    with pytest.raises(ValidationError, match="pending"):
        services.objection_enter(line, text="再次", files=[pdf()], by=personas.liam, at=at(day))
    with pytest.raises(PermissionDenied):
        services.objection_decide(objection, accept=True, reason="x", by=personas.liam)
    with pytest.raises(ValidationError, match="Objections are taken until 2026-01-12"):
        services.assessment_publish(assessment, by=personas.dora, at=at(day))
    services.objection_decide(objection, accept=True, reason="核实属实", by=personas.dora,
                              at=at(day + datetime.timedelta(days=1)))  # fmt: skip
    line.refresh_from_db()
    assert line.points == 60 and line.computed == 40 and line.changed
    assert [h.points for h in line.history.order_by("history_date")][-2:] == [40, 60]
    assert score_of(assessment, personas.construction).total == Decimal("90.00")
    objection.refresh_from_db()
    assert (objection.points_before, objection.points_after) == (40, 60)
    with pytest.raises(ValidationError, match="was released"):
        services.assessment_run(scheme, str(YEAR), by=personas.dora)


def test_an_objection_after_the_window_is_refused(personas, scheme, record):
    assessment = released(scheme, personas)
    line = line_of(score_of(assessment, personas.construction), "案件按期办结")
    late = at(datetime.date(YEAR + 1, 1, 13))
    with pytest.raises(ValidationError, match="only while the result is open"):
        services.objection_enter(line, text="不服", files=[pdf()], by=personas.liam, at=late)
    assert not Objection.objects.exists()


def test_a_rejected_objection_keeps_the_line_and_publication_freezes_the_result(
    personas, scheme, record
):
    assessment = released(scheme, personas)
    line = line_of(score_of(assessment, personas.construction), "案件按期办结")
    objection = services.objection_enter(line, text="不服", files=[pdf()], by=personas.liam,
                                         at=at(datetime.date(YEAR + 1, 1, 6)))  # fmt: skip
    with pytest.raises(ValidationError, match="reason is required"):
        services.objection_decide(objection, accept=False, reason="", by=personas.dora)
    services.objection_decide(objection, accept=False, reason="延期未经批准", by=personas.dora)
    line.refresh_from_db()
    assert line.points == 40
    services.assessment_publish(assessment, by=personas.dora, number="城环考〔2026〕1号",
                                at=at(datetime.date(YEAR + 1, 1, 13)))  # fmt: skip
    with pytest.raises(ValidationError, match="never computed again"):
        services.assessment_run(scheme, str(YEAR), by=personas.dora)
    with pytest.raises(ValidationError, match="while the result is a draft"):
        services.manual_add(score_of(assessment, personas.health), points=1, reason="x",
                            files=[pdf()], by=personas.dora)  # fmt: skip


@pytest.mark.parametrize("period, message", [
    ("2025Q4", "assesses years"), ("26", "is a year"), ("2099", "not begun"),
    ("'; drop table", "is a year"),
])  # fmt: skip
def test_bad_periods_are_refused(personas, scheme, period, message):
    with pytest.raises(ValidationError, match=message):
        services.assessment_run(scheme, period, by=personas.dora)
    assert not Assessment.objects.exists()


def test_quarters_and_the_last_ended_period():
    assert services.period_bounds("quarter", "2026q4") == (
        datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))  # fmt: skip
    assert services.period_bounds("quarter", "2026Q1")[1] == datetime.date(2026, 3, 31)
    assert services.last_ended_period("quarter", datetime.date(2026, 1, 1)) == "2025Q4"
    assert services.last_ended_period("quarter", datetime.date(2026, 5, 20)) == "2026Q1"
    assert services.last_ended_period("year", datetime.date(2026, 5, 20)) == "2025"


def test_the_job_computes_the_period_that_ended_once(personas, scheme, record):
    services.scheme_activate(scheme, by=personas.dora)
    today = datetime.date(YEAR + 1, 1, 2)
    assert [a.period for a in services.period_end_run(today)] == [str(YEAR)]
    assert services.period_end_run(today) == []
    call_command("assess", "period-end", "--today", today.isoformat(), stdout=io.StringIO())
    assert Assessment.objects.count() == 1


def test_only_the_bureau_runs_and_who_sees_what(personas, scheme, record):
    for outsider in (personas.liam, personas.lena, personas.ian, personas.gary, personas.oscar):
        with pytest.raises(PermissionDenied):
            services.assessment_run(scheme, str(YEAR), by=outsider)
    assessment = run(scheme, personas)
    seen = lambda user, model: set(access.scope(user, model).values_list("pk", flat=True))  # noqa: E731
    construction = score_of(assessment, personas.construction)
    # A draft is the bureau's, its leaders' and the commission's.
    for overseer in (personas.dora, personas.lena, personas.ian):
        assert assessment.pk in seen(overseer, Assessment)
    for user in (personas.liam, personas.gary, personas.oscar):
        assert not seen(user, Assessment) and not seen(user, Score) and not seen(user, Trace)
    services.assessment_release(assessment, by=personas.dora)
    assert seen(personas.liam, Score) == {construction.pk}
    assert seen(personas.liam, Line) == set(construction.lines.values_list("pk", flat=True))
    assert not seen(personas.gary, Score) and not seen(personas.oscar, Assessment)
    Assessment.objects.filter(pk=assessment.pk).update(state=Assessment.State.PUBLISHED)
    # Published: every staff member reads the ranking, but only its own lines.
    assert len(seen(personas.liam, Score)) == 2
    assert seen(personas.liam, Line) == set(construction.lines.values_list("pk", flat=True))


def test_the_notice_and_the_ranking_open_as_word_documents(personas, scheme, record):
    assessment = run(scheme, personas)
    notice = docx.Document(io.BytesIO(documents.notice_docx(assessment)))
    text = "\n".join(p.text for p in notice.paragraphs)
    assert f"关于{YEAR}年度成员单位考核结果的通报" in text
    assert "区城乡建设局" in "\n".join(
        c.text for t in notice.tables for r in t.rows for c in r.cells
    )
    ranking = docx.Document(io.BytesIO(documents.ranking_docx(assessment)))
    cells = [c.text for r in ranking.tables[0].rows for c in r.cells]
    assert "案件按期办结" in cells and "区卫生健康局" in cells and "90.00" in cells


def test_the_command_line_runs_and_shows_a_period(personas, scheme, record):
    out = io.StringIO()
    call_command("assess", "run", "--scheme", "units-year", "--period", str(YEAR), stdout=out)
    assert "区城乡建设局 70.00" in out.getvalue()
    assessment = Assessment.objects.get()
    out = io.StringIO()
    call_command("assess", "show", str(assessment.pk), stdout=out)
    assert "finished: 6 days late -20.00" in out.getvalue()


def test_notices_count_against_a_unit_and_a_referral_vetoes_it(personas, record):
    from ecogov.sanctions import services as sanctions

    made = services.scheme_create(jurisdiction=personas.district, code="s", name="含问责",
                                  period="year", bodies="units", by=personas.dora,
                                  units=[personas.construction, personas.health])  # fmt: skip
    services.indicator_add(made, name="案件按期办结", rule="cases_finished_on_time",
                           method=Method.RATE, weight=90, by=personas.dora)  # fmt: skip
    services.indicator_add(made, name="通报约谈", rule="sanctions", method=Method.DEDUCT,
                           weight=10, per_event=5, by=personas.dora)  # fmt: skip
    services.veto_add(made, name="移交问责", rule="referral", by=personas.dora)
    day = datetime.date(YEAR, 11, 3)
    notice = sanctions.notice_create(jurisdiction=personas.district, title="关于整改不力的通报",
                                     facts="逾期未完成整改。", units=[personas.construction],
                                     by=personas.dora, at=at(day))  # fmt: skip
    sanctions.notice_issue(notice, by=personas.dora, at=at(day))
    sanctions.referral_create(jurisdiction=personas.district, target="discipline",
                              units=[personas.health], reason="多次逾期", by=personas.dora,
                              cases=[Case.objects.get(number=f"T-{YEAR}-0004")],
                              referred_on=day, at=at(day))  # fmt: skip
    assessment = services.assessment_run(made, str(YEAR), by=personas.dora)
    construction = score_of(assessment, personas.construction)
    line = line_of(construction, "通报约谈")
    assert line.points == 5 and notice.number in line.traces.get().label
    health = score_of(assessment, personas.health)
    assert health.vetoed and health.grade == Grade.FAILED
    assert "discipline" in line_of(health, "移交问责").traces.get().note
