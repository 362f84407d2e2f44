"""The case workflow: intake, routing into assignment, the legal clocks, transfer,
joint enforcement, verification, answer, rating, reopening, suspension, disclosure."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ecogov.accounts.models import Role
from ecogov.cases import services
from ecogov.cases.models import (
    Assignment,
    Case,
    CaseEvent,
    Channel,
    ClockRule,
    Outcome,
    Reporter,
    RewardRule,
    Satisfaction,
    State,
)
from ecogov.domain.supervision import Colour, Stage
from ecogov.testing import make_person

BLACK_WATER = "南滩街道一个家属院后面的排洪渠常年是黑水，一到夏天臭得受不了"  # → 区城乡建设局
CLINIC = "仁和口腔诊所门口的垃圾桶里经常能看见带血的棉球和手套"  # → 区卫生健康局
# A Monday in a week without holidays, so that working days are plain to count.
MONDAY = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0))


def day(n: int) -> datetime.datetime:
    return MONDAY + datetime.timedelta(days=n)


@pytest.fixture
def tina(personas):
    return make_person("tina", Role.LIAISON, personas.township, name="Tina 镇联络员")


def register(personas, text=BLACK_WATER, **fields):
    fields.setdefault("channel", Channel.HOTLINE)
    fields.setdefault("now", MONDAY)
    fields.setdefault("reporter", {"name": "王先生", "phone": "13912345678"})
    return services.case_register(jurisdiction=personas.district, text=text, by=personas.dora,
                                  **fields)  # fmt: skip


def handle_to_closed(personas, case, at=1):
    case = services.case_accept(case, by=personas.liam, now=day(at))
    case = services.case_start(case, by=personas.liam, now=day(at))
    case = services.case_report(
        case, investigation="现场查看排洪渠，发现上游一处雨污混接。", measures="封堵混接口，清淤。",
        outcome=Outcome.RECTIFIED, by=personas.liam, now=day(at + 2),
    )  # fmt: skip
    case = services.case_verify(case, confirmed=True, note="复查无黑水。", by=personas.dora,
                                now=day(at + 3))  # fmt: skip
    return services.case_close(case, by=personas.dora, now=day(at + 3))


def test_a_clear_report_is_routed_and_assigned_to_the_unit_its_duty_clause_names(personas):
    case = register(personas)
    assert case.state == State.ASSIGNED
    assert case.lead == personas.construction
    assert case.routing["clause"] == "协调组织开展全区黑臭水体整治工作"
    assert case.category == "water"
    assert case.number.endswith("-2026-00001")
    lead = case.assignments.get()
    assert (lead.role, lead.status) == (Assignment.Role.LEAD, Assignment.Status.PENDING)
    # Accept within 2 working days: Monday → Wednesday.
    assert lead.accept_due == datetime.date(2026, 3, 4) == case.due
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == ["registered", "routed", "assigned"]


def test_a_disputed_report_waits_for_the_bureau_which_decides(personas):
    case = register(personas, text="楼道里的灯坏了很久没人修")
    assert case.state == State.REGISTERED and case.lead is None and case.disputed
    assert case.due == datetime.date(2026, 3, 4)
    with pytest.raises(PermissionDenied):
        services.case_assign(case, lead=personas.construction, by=personas.liam)
    case = services.case_assign(case, lead=personas.construction, support=[personas.health],
                                coordination=True, by=personas.dora, now=day(1))  # fmt: skip
    assert case.state == State.ASSIGNED and case.coordination
    assert sorted(case.assignments.values_list("role", flat=True)) == ["lead", "support"]


def test_the_whole_life_of_a_case_to_disclosure(personas):
    case = register(personas)
    case = handle_to_closed(personas, case)
    assert case.state == State.CLOSED
    # Answer due 3 working days after closing (Friday → Wednesday).
    assert case.due == datetime.date(2026, 3, 11)
    assert case.events.filter(kind="told_grid").exists() == bool(case.grid_id)
    case = services.case_answer(case, text="经查，已封堵雨污混接口。", by=personas.dora, now=day(5))
    assert case.due is None
    case = services.case_rate(case, satisfaction=Satisfaction.SATISFIED, now=day(6))
    case = services.case_disclose(
        case, summary="排洪渠黑水：封堵混接口，已整改。", by=personas.dora
    )
    assert case.disclosed_at is not None
    public = list(case.events.filter(public=True).values_list("kind", flat=True))
    assert public == ["registered", "assigned", "accepted", "started", "result", "verified",
                      "closed", "answered", "rated", "disclosed"]  # fmt: skip


def test_a_unit_returns_a_case_that_is_not_its_duty_and_the_bureau_reassigns(personas):
    case = register(personas)
    with pytest.raises(ValidationError):
        services.case_return(case, reason="  ", by=personas.liam)
    with pytest.raises(PermissionDenied):
        services.case_return(case, reason="不归我们", by=personas.lily)
    case = services.case_return(case, reason="排洪渠归市政中心管。", by=personas.liam, now=day(1))
    assert (case.state, case.lead, case.returned) == (State.RETURNED, None, 1)
    assert case.assignments.get().status == Assignment.Status.RETURNED
    case = services.case_assign(case, lead=personas.health, by=personas.dora, now=day(1))
    assert case.state == State.ASSIGNED and case.lead == personas.health


def test_a_transfer_goes_to_the_competent_unit_which_accepts_on_its_own_clock(personas):
    case = register(personas)
    case = services.case_accept(case, by=personas.liam, now=day(1))
    case = services.case_transfer(case, to=personas.health, reason="涉及医疗机构。",
                                  by=personas.liam, now=day(2))  # fmt: skip
    assert case.state == State.TRANSFERRED and case.lead == personas.health
    assert case.due == datetime.date(2026, 3, 6)  # Wednesday + 2 working days
    with pytest.raises(PermissionDenied):
        services.case_accept(case, by=personas.liam)
    case = services.case_accept(case, by=personas.lily, now=day(3))
    chain = list(case.assignments.order_by("assigned_at").values_list("unit__name", "status"))
    assert chain == [("区城乡建设局", "transferred"), ("区卫生健康局", "accepted")]
    assert case.assignments.last().transferred_from.unit == personas.construction
    assert case.finish_due == datetime.date(2026, 4, 4)  # 30 days from the new acceptance


def test_joint_enforcement_needs_every_part_before_the_lead_reports(personas):
    case = register(personas, text="楼道里的灯坏了很久没人修")
    case = services.case_assign(case, lead=personas.construction, support=[personas.health],
                                joint=True, by=personas.dora, now=day(0))  # fmt: skip
    services.case_accept(case, by=personas.liam, now=day(1))
    services.case_accept(case, by=personas.lily, now=day(1))
    report = dict(investigation="联合检查。", measures="责令整改。", outcome=Outcome.RECTIFIED,
                  by=personas.liam, now=day(2))  # fmt: skip
    with pytest.raises(ValidationError, match="区卫生健康局"):
        services.case_report(case, **report)
    services.case_part(case, text="卫健部门检查了诊所的医废台账。", by=personas.lily, now=day(2))
    case = services.case_report(case, **report)
    assert case.state == State.REPORTED


def test_the_verifier_is_another_unit_and_a_rejected_result_reopens(personas):
    case = register(personas)
    services.case_accept(case, by=personas.liam, now=day(1))
    case = services.case_report(case, investigation="查了。", measures="改了。",
                                outcome=Outcome.RECTIFIED, by=personas.liam, now=day(2))  # fmt: skip
    assert not services.may_verify(personas.liam, case)
    with pytest.raises(PermissionDenied):
        services.case_verify(case, confirmed=True, note="自己验收", by=personas.liam)
    case = services.case_verify(case, confirmed=False, note="复查仍有黑水。", by=personas.dora,
                                now=day(3))  # fmt: skip
    assert (case.state, case.reopened) == (State.REOPENED, 1)
    assert case.events.filter(kind="rejected").exists()


def test_a_dissatisfied_reporter_reopens_the_case(personas):
    case = handle_to_closed(personas, register(personas))
    with pytest.raises(ValidationError):
        services.case_rate(case, satisfaction=Satisfaction.SATISFIED)  # not answered yet
    case = services.case_answer(case, text="已整改。", by=personas.dora, now=day(5))
    case = services.case_rate(case, satisfaction=Satisfaction.DISSATISFIED, comment="还是臭",
                              now=day(6))  # fmt: skip
    assert case.state == State.REOPENED and case.reopened == 1 and case.answered_at is None
    assert case.finish_due == datetime.date(2026, 4, 7)
    assert case.satisfaction == Satisfaction.DISSATISFIED  # shown until the next answer
    # Handled again and answered again: the new answer may be rated.
    case = services.case_report(case, investigation="再查。", measures="清淤。",
                                outcome=Outcome.RECTIFIED, by=personas.liam, now=day(8))  # fmt: skip
    case = services.case_verify(case, confirmed=True, note="无异味。", by=personas.dora, now=day(9))
    case = services.case_close(case, by=personas.dora, now=day(9))
    case = services.case_answer(case, text="已再次整改。", by=personas.dora, now=day(10))
    assert case.satisfaction == ""
    case = services.case_rate(case, satisfaction=Satisfaction.SATISFIED, now=day(11))
    assert case.state == State.CLOSED and case.satisfaction == Satisfaction.SATISFIED


def test_suspension_stops_the_clock_and_moves_the_deadline(personas):
    case = register(personas)
    case = services.case_accept(case, by=personas.liam, now=day(0))
    assert case.finish_due == datetime.date(2026, 4, 1)
    with pytest.raises(ValidationError):
        services.case_suspend(case, approve=True, by=personas.dora)  # nothing requested
    services.case_suspend_request(case, reason="等待司法鉴定结果。", by=personas.liam, now=day(1))
    case = services.case_suspend(Case.objects.get(pk=case.pk), approve=True, by=personas.dora,
                                 now=day(1))  # fmt: skip
    assert case.state == State.SUSPENDED
    assert services.clocks_run(today=datetime.date(2026, 5, 1)).checked == 0
    case = services.case_resume(case, by=personas.dora, now=day(11))
    assert case.state == State.IN_PROGRESS and case.finish_due == datetime.date(2026, 4, 11)


def test_clocks_turn_blue_yellow_red_and_escalate_once(personas):
    case = register(personas, supervision="important")  # accept due Wednesday 4 March
    assert services.clocks_run(today=datetime.date(2026, 3, 2)).notices == 0
    services.clocks_run(today=datetime.date(2026, 3, 3))
    case.refresh_from_db()
    assert case.colour == Colour.BLUE
    services.clocks_run(today=datetime.date(2026, 3, 4))
    case.refresh_from_db()
    assert case.colour == Colour.YELLOW
    # The consumer was down for a week: the next run catches up at once, and again is a no-op.
    first = services.clocks_run(today=datetime.date(2026, 3, 11))
    case.refresh_from_db()
    assert (case.colour, case.stage) == (Colour.RED, Stage.DISCIPLINE)
    assert (first.notices, first.escalations) == (1, 1)
    again = services.clocks_run(today=datetime.date(2026, 3, 11))
    assert (again.notices, again.escalations) == (0, 0)
    notices = case.events.filter(kind="notice")
    assert list(notices.values_list("colour", flat=True)) == ["blue", "yellow", "red"]
    assert set(notices.values_list("unit", flat=True)) == {personas.construction.pk}
    # Accepting starts a new step: the colour restarts.
    case = services.case_accept(case, by=personas.liam, now=day(9))
    assert (case.colour, case.stage) == ("", Stage.NONE)


def test_clock_rules_per_channel_and_category_override_the_defaults(personas):
    ClockRule.objects.create(channel=Channel.HOTLINE, accept_workdays=1, finish_days=15)
    ClockRule.objects.create(channel=Channel.HOTLINE, category="water", accept_workdays=3)
    assert services.clocks_for(Channel.HOTLINE, "water").accept_workdays == 3
    assert services.clocks_for(Channel.HOTLINE, "air").finish_days == 15
    assert services.clocks_for(Channel.PETITION, "air") == services.Clocks()


def test_a_repeated_report_is_linked_not_handled_twice_and_a_place_becomes_a_hotspot(personas):
    first = register(personas, lon=101.76, lat=36.58)
    second = register(personas, text="家属院后面排洪渠的黑水又臭了", lon=101.7605, lat=36.5801,
                      now=day(2))  # fmt: skip
    assert second.state == State.MERGED and second.duplicate_of == first
    assert not second.assignments.exists()
    far = register(personas, lon=101.80, lat=36.60, now=day(2))
    assert far.duplicate_of is None
    third = register(personas, text="排洪渠又是黑水", lon=101.7601, lat=36.58, now=day(3))
    first.refresh_from_db()
    assert third.duplicate_of == first and first.hotspot
    # The answer to the first goes to the repeats too.
    handle_to_closed(personas, first, at=4)
    services.case_answer(first, text="已整改。", by=personas.dora, now=day(9))
    second.refresh_from_db()
    assert second.answer == "已整改。" and second.events.filter(kind="answered", public=True)


def test_bad_input_changes_nothing(personas):
    before = (Case.objects.count(), Reporter.objects.count(), CaseEvent.objects.count())
    bad = [
        dict(text=""),
        dict(text="x" * 5000),
        dict(text="有\x00人"),
        dict(channel="fax"),
        dict(category="smell"),
        dict(lon=101.7, lat=None),
        dict(lon=500, lat=36),
        dict(lon="east", lat="north"),
        dict(reporter={"email": "not an address"}),
        dict(files=[SimpleUploadedFile("a.jpg", b"MZ\x90\x00 not an image")]),
    ]
    for fields in bad:
        with pytest.raises(ValidationError):
            register(personas, **{"text": BLACK_WATER, **fields})
    assert (Case.objects.count(), Reporter.objects.count(), CaseEvent.objects.count()) == before


def test_a_step_out_of_order_is_refused(personas):
    case = register(personas)
    with pytest.raises(PermissionDenied):
        services.case_start(case, by=personas.liam)  # not accepted yet
    with pytest.raises(ValidationError):
        services.case_close(case, by=personas.dora)
    with pytest.raises(ValidationError):
        services.case_disclose(case, summary="x", by=personas.dora)
    with pytest.raises(PermissionDenied):
        services.case_close(case, by=personas.oscar)  # another district's dispatcher


def test_a_patrol_finding_becomes_a_case_once(personas, tina):
    from ecogov.patrols.models import Finding
    from ecogov.patrols.sample import patrols_sample_load
    from ecogov.sources.sample import sources_sample_load

    sources_sample_load(personas.district)
    patrols_sample_load(personas.district)
    finding = Finding.objects.select_related("patrol__source", "to_grid").first()
    with pytest.raises(PermissionDenied):
        services.case_from_finding(finding, by=personas.liam)
    case = services.case_from_finding(finding, by=personas.dora)
    assert case.channel == Channel.PATROL and case.source == finding.patrol.source
    assert services.case_from_finding(finding, by=personas.dora) == case
    finding.refresh_from_db()
    assert finding.status == Finding.Status.TAKEN_OVER


def test_rewards_within_the_rule_for_a_named_reporter_of_a_proven_violation(personas):
    rule = RewardRule.objects.create(name="重大违法", minimum=1000, maximum=30000)
    case = handle_to_closed(personas, register(personas))
    with pytest.raises(ValidationError):
        services.reward_decide(case, rule=rule, amount=50000, decision_number="奖字1号",
                               by=personas.dora)  # fmt: skip
    reward = services.reward_decide(case, rule=rule, amount="2000", decision_number="奖字1号",
                                    by=personas.dora, today=datetime.date(2026, 3, 12))  # fmt: skip
    assert reward.amount == Decimal("2000.00")
    with pytest.raises(ValidationError):
        services.reward_decide(case, rule=rule, amount=2000, decision_number="奖字2号",
                               by=personas.dora)  # fmt: skip
    services.reward_paid(reward, paid_on=datetime.date(2026, 3, 20), reference="转账001",
                         by=personas.dora)  # fmt: skip
    anonymous = handle_to_closed(personas, register(personas, reporter={}))
    with pytest.raises(ValidationError, match="anonymous|匿名"):
        services.reward_decide(anonymous, rule=rule, amount=2000, decision_number="奖字3号",
                               by=personas.dora)  # fmt: skip


def test_clocks_run_in_a_year_whose_holidays_are_not_known_yet(personas):
    """The package stops at the last year the State Council published; a case must not."""
    late = timezone.make_aware(datetime.datetime(2029, 12, 28, 9, 0))  # a Friday
    case = register(personas, now=late)
    assert case.due == datetime.date(2030, 1, 1)  # Monday 31st, Tuesday 1st: weekdays
    assert services.clocks_run(today=datetime.date(2030, 1, 2)).checked >= 1


def test_without_auto_assignment_every_report_waits_for_the_bureau(personas, settings):
    settings.ECOGOV_CASES_AUTO_ASSIGN = False
    case = register(personas)
    assert case.state == State.REGISTERED and case.lead is None
    assert case.routing["lead"] == "区城乡建设局"  # the proposal is kept for the dispatcher


def test_the_scheduled_job_runs_the_clocks(personas):
    from ecogov.supervision.tasks import supervision_clocks

    register(personas, now=timezone.now() - datetime.timedelta(days=20))
    supervision_clocks.call_local()
    assert Case.objects.get().colour == Colour.RED
