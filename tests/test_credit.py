"""The environmental credit rating (企业环境信用评价, issue 21): a scheme of the
assessment whose bodies are enterprises, its grades the four colours computed from the
record, a veto giving red, publicity with objections, publication, and credit repair."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from ecogov.assess import credit, services
from ecogov.assess.indicators import INCIDENT
from ecogov.assess.models import Assessment, Bodies, Grade, Method, Repair
from ecogov.cases.models import Case, Channel, State
from ecogov.enterprises.models import Listing, Permit
from ecogov.sources.models import Source, SourceType
from ecogov.standards.uscc import check_character

PDF = b"%PDF-1.4\n" + b"0" * 64
YEAR = 2025


def pdf():
    return SimpleUploadedFile("evidence.pdf", PDF, content_type="application/pdf")


def at(day: datetime.date, hour=10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), timezone.get_current_timezone())


def code(n: int) -> str:
    first = f"91630103MA7{n:06d}"
    return first + check_character(first)


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def firms(personas):
    kind = SourceType.objects.get(name="工业企业")
    return [Source.objects.create(jurisdiction=personas.district, type=kind, name=name,
                                  uscc=code(n), key=True)
            for n, name in enumerate(("甲化工（虚构）", "乙印染（虚构）", "丙建材（虚构）"), start=1)]  # fmt: skip


@pytest.fixture
def scheme(personas, firms):
    made = services.scheme_create(
        jurisdiction=personas.district, code="credit", name="企业环境信用评价", period="year",
        bodies=Bodies.ENTERPRISES, by=personas.dora, public=True, excellent=90, good=75,
        pass_mark=60,
    )  # fmt: skip
    services.indicator_add(made, name="持证排污", rule="credit_permit", method=Method.RATE,
                           weight=40, by=personas.dora)  # fmt: skip
    services.indicator_add(made, name="行政处罚与行政命令", rule="credit_penalties",
                           method=Method.DEDUCT, weight=40, per_event=20, by=personas.dora)  # fmt: skip
    services.indicator_add(made, name="公众投诉", rule="credit_complaints",
                           method=Method.DEDUCT, weight=20, per_event=10, by=personas.dora)  # fmt: skip
    services.veto_add(made, name="移送司法机关", rule="credit_crime", by=personas.dora)
    services.veto_add(made, name="未批先建", rule=INCIDENT, by=personas.dora)
    return made


def violation(personas, source, n, outcome, channel=Channel.HOTLINE, amount=None):
    day = datetime.date(YEAR, 5, n)
    return Case.objects.create(
        jurisdiction=personas.district, number=f"C-{YEAR}-{n:04d}", channel=channel,
        text="（虚构）夜间偷排", category="water", source=source, state=State.CLOSED,
        registered_at=at(day), outcome=outcome, penalty_amount=amount,
        decision_number=f"城环罚〔{YEAR}〕{n}号" if amount else "", verified_at=at(day),
    )  # fmt: skip


def permit(personas, source, number, until):
    return Permit.objects.create(source=source, number=number, management=Permit.Class.KEY,
                                 valid_from=datetime.date(YEAR - 2, 1, 1), valid_until=until,
                                 created_at=timezone.now())  # fmt: skip


def run(scheme, personas):
    return services.assessment_run(scheme, str(YEAR), by=personas.dora,
                                   at=at(datetime.date(YEAR + 1, 1, 10)))  # fmt: skip


def test_the_four_grades_come_from_the_record_and_a_veto_gives_red(personas, firms, scheme):
    green, yellow, red = firms
    for source, n in zip(firms, (1, 2, 3), strict=True):
        permit(personas, source, f"91630103MA7{n:06d}001P", datetime.date(YEAR + 3, 1, 1))
    violation(personas, yellow, 1, "penalty", channel=Channel.INSPECTION, amount=Decimal(50000))
    violation(personas, yellow, 2, "rectified", channel=Channel.PUBLIC)
    violation(personas, red, 3, "judiciary")
    violation(personas, green, 4, "no_violation")  # a report that found nothing costs nothing
    result = run(scheme, personas)
    scores = {s.source_id: s for s in result.scores.all()}
    assert scores[green.pk].total == 100 and scores[green.pk].grade == Grade.GREEN
    # two violations (−20 each) and one justified public complaint (−10)
    assert scores[yellow.pk].total == 50 and scores[yellow.pk].grade == Grade.RED
    assert scores[red.pk].vetoed and scores[red.pk].grade == Grade.RED
    traces = [t.note for t in scores[yellow.pk].lines.get(name="行政处罚与行政命令").traces.all()]
    assert any("50,000" in note and "城环罚" in note for note in traces)


def test_no_valid_permit_costs_the_permit_line(personas, firms, scheme):
    first = firms[0]
    permit(personas, first, "EXPIRED-1", datetime.date(YEAR, 3, 31))
    result = run(scheme, personas)
    score = result.scores.get(source=first)
    line = score.lines.get(name="持证排污")
    assert line.points == 0 and "no valid discharge permit" in line.traces.get().note
    assert score.total == 60 and score.grade == Grade.YELLOW


def test_a_recorded_veto_and_an_objection_entered_by_the_bureau(personas, firms, scheme):
    result = run(scheme, personas)
    score = result.scores.get(source=firms[1])
    veto = scheme.vetoes.get(rule=INCIDENT)
    services.incident_add(score, veto=veto, reason="2025年8月未批先建被查处", files=[pdf()],
                          by=personas.dora)  # fmt: skip
    score.refresh_from_db()
    assert score.grade == Grade.RED
    released = services.assessment_release(result, by=personas.dora,
                                           at=at(datetime.date(YEAR + 1, 1, 12)))  # fmt: skip
    line = score.lines.get(name="持证排污")
    # the enterprise has no account: the bureau enters the objection it received
    with pytest.raises(PermissionDenied):
        services.objection_enter(line, text="有证", files=[pdf()], by=personas.lily,
                                 at=at(datetime.date(YEAR + 1, 1, 13)))  # fmt: skip
    objection = services.objection_enter(line, text="许可证已于2024年取得", points=40,
                                         files=[pdf()], by=personas.dora,
                                         at=at(datetime.date(YEAR + 1, 1, 13)))  # fmt: skip
    services.objection_decide(objection, accept=True, reason="核实有证", by=personas.dora,
                              at=at(datetime.date(YEAR + 1, 1, 14)))  # fmt: skip
    score.refresh_from_db()
    assert score.total == 100 and score.grade == Grade.RED  # the veto still holds
    assert released.state == Assessment.State.RELEASED


def published(scheme, personas):
    result = run(scheme, personas)
    services.assessment_release(result, by=personas.dora, at=at(datetime.date(YEAR + 1, 1, 12)))
    return services.assessment_publish(result, by=personas.dora,
                                       at=at(datetime.date(YEAR + 1, 2, 1)))  # fmt: skip


def test_credit_repair_after_the_waiting_time_raises_the_grade_one_step(personas, firms, scheme):
    permit(personas, firms[0], "P-1", datetime.date(YEAR + 3, 1, 1))  # the others have none
    result = published(scheme, personas)
    score = result.scores.get(source=firms[1])
    assert score.grade == Grade.YELLOW
    assert credit.repair_from(score) == datetime.date(YEAR + 1, 5, 1)  # 3 months for yellow
    with pytest.raises(ValidationError, match="from 2026-05-01"):
        credit.repair_apply(score, text="已取得排污许可证", files=[pdf()], by=personas.dora,
                            at=at(datetime.date(YEAR + 1, 4, 30)))  # fmt: skip
    with pytest.raises(ValidationError, match="one file"):
        credit.repair_apply(score, text="已取得排污许可证", files=[], by=personas.dora,
                            at=at(datetime.date(YEAR + 1, 5, 2)))  # fmt: skip
    with pytest.raises(PermissionDenied):
        credit.repair_apply(score, text="已取得排污许可证", files=[pdf()], by=personas.lily,
                            at=at(datetime.date(YEAR + 1, 5, 2)))  # fmt: skip
    repair = credit.repair_apply(score, text="已取得排污许可证", files=[pdf()], by=personas.dora,
                                 at=at(datetime.date(YEAR + 1, 5, 2)))  # fmt: skip
    with pytest.raises(ValidationError, match="pending"):
        credit.repair_apply(score, text="again", files=[pdf()], by=personas.dora,
                            at=at(datetime.date(YEAR + 1, 5, 3)))  # fmt: skip
    credit.repair_decide(repair, approve=True, reason="现场核查已整改", by=personas.dora,
                         at=at(datetime.date(YEAR + 1, 5, 10)))  # fmt: skip
    score.refresh_from_db()
    assert score.grade == Grade.YELLOW and score.repaired_grade == Grade.BLUE
    assert credit.standing(score) == Grade.BLUE and credit.current_credit(firms[1]) == score
    # blue needs no repair
    with pytest.raises(ValidationError, match="yellow or red"):
        credit.repair_apply(score, text="x", files=[pdf()], by=personas.dora,
                            at=at(datetime.date(YEAR + 1, 9, 1)))  # fmt: skip
    assert repair.history.count() >= 2


def test_a_refused_repair_keeps_the_grade_and_a_blacklisted_one_cannot_apply(
    personas, firms, scheme
):
    result = published(scheme, personas)
    score = result.scores.get(source=firms[2])
    repair = credit.repair_apply(score, text="整改", files=[pdf()], by=personas.dora,
                                 at=at(datetime.date(YEAR + 1, 6, 1)))  # fmt: skip
    credit.repair_decide(repair, approve=False, reason="现场复查仍未整改", by=personas.dora,
                         at=at(datetime.date(YEAR + 1, 6, 5)))  # fmt: skip
    score.refresh_from_db()
    assert repair.state == Repair.State.REFUSED and credit.standing(score) == Grade.YELLOW
    Listing.objects.create(
        jurisdiction=personas.district, uscc=firms[2].uscc, name=firms[2].name,
        ground=Listing.Ground.REPEATED, grounds="三次违法", decision_number="城环黑〔2026〕1号",
        listed_on=datetime.date(YEAR + 1, 6, 10), bar_until=datetime.date(YEAR + 3, 6, 9),
        created_at=timezone.now(),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="blacklist"):
        credit.repair_apply(score, text="整改", files=[pdf()], by=personas.dora,
                            at=at(datetime.date(YEAR + 1, 7, 1)))  # fmt: skip


def test_credit_rules_are_not_offered_to_units_nor_unit_rules_to_enterprises(personas, scheme):
    with pytest.raises(ValidationError):
        services.indicator_add(scheme, name="x", rule="cases_finished_on_time",
                               method=Method.RATE, weight=1, by=personas.dora)  # fmt: skip
    with pytest.raises(ValidationError):
        services.veto_add(scheme, name="x", rule="relapse", by=personas.dora)
    units = services.scheme_create(jurisdiction=personas.district, code="u", name="u",
                                   period="year", bodies="units", by=personas.dora)  # fmt: skip
    with pytest.raises(ValidationError):
        services.indicator_add(units, name="x", rule="credit_permit", method=Method.RATE,
                               weight=1, by=personas.dora)  # fmt: skip


def test_repair_through_the_score_page_and_the_public_results_change(
    personas, firms, scheme, form_client_for, client, settings
):
    permit(personas, firms[0], "P-1", datetime.date(YEAR + 3, 1, 1))
    result = published(scheme, personas)
    score = result.scores.get(source=firms[1])
    public = f"/public/assessments/{result.pk}/"
    page = client.get(public).content.decode()
    yellow = page.count('class="credit yellow"')
    assert yellow == 2 and 'class="credit blue"' not in page
    liaison = form_client_for(personas.lily)
    url = f"/assess/scores/{score.pk}/act/repair/"
    assert liaison.post(url, {"text": "整改", "files": pdf()}).status_code in (403, 404)
    dispatcher = form_client_for(personas.dora)
    answer = dispatcher.post(url, {"text": "已申领排污许可证", "files": pdf()})
    assert answer.status_code == 302
    repair = score.repairs.get()
    assert dispatcher.get(f"/assess/repairs/{repair.pk}/evidence/").status_code == 200
    assert liaison.get(f"/assess/repairs/{repair.pk}/evidence/").status_code == 404
    dispatcher.post(f"/assess/scores/{score.pk}/act/repair_decide/",
                    {"repair": repair.pk, "decision": "approve", "reason": "核实"})  # fmt: skip
    score.refresh_from_db()
    assert score.repaired_grade == Grade.BLUE
    page = client.get(public).content.decode()
    assert page.count('class="credit yellow"') == yellow - 1
    assert page.count('class="credit blue"') == 1 and "raised by credit repair" in page
    listing = client.get("/public/assessments/").content.decode()
    assert 'id="credit"' in listing and scheme.name in listing


def test_the_public_enterprise_page_shows_the_grade_and_the_blacklisting(
    personas, firms, scheme, client
):
    published(scheme, personas)
    firm = firms[1]  # no permit: yellow
    page = client.get(f"/public/enterprises/{firm.pk}/").content.decode()
    assert 'class="credit yellow"' in page and "On the environmental blacklist" not in page
    Listing.objects.create(
        jurisdiction=personas.district, uscc=firm.uscc, name=firm.name, source=firm,
        ground=Listing.Ground.REPEATED, grounds="三次违法", decision_number="城环黑〔2026〕9号",
        listed_on=timezone.localdate(), bar_until=timezone.localdate() + datetime.timedelta(days=700),
        created_at=timezone.now(),
    )  # fmt: skip
    page = client.get(f"/public/enterprises/{firm.pk}/").content.decode()
    assert "On the environmental blacklist" in page and "城环黑〔2026〕9号" in page
    data = client.get(f"/public/enterprises/{firm.pk}.json").json()
    assert data["credit"]["grade"] == "yellow" and data["blacklist"]["decision_number"]
