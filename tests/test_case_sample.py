"""The sample cases: every state and channel, overdue clocks, a hotspot, a reward, the
reporters kept out of the timeline, and loading again adds nothing."""

import pytest
from django.db import transaction
from django.db.models import Q

from ecogov.accounts.models import Role, User
from ecogov.cases.models import (
    OPEN_STATES,
    Case,
    CaseEvent,
    Channel,
    Reporter,
    Reward,
    Satisfaction,
    State,
)
from ecogov.cases.sample import DISPATCHER, cases_sample_load
from ecogov.grid.sample import grid_sample_load
from ecogov.org.sample import sample_load
from ecogov.patrols.sample import patrols_sample_load
from ecogov.sources.sample import sources_sample_load


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The sample loaded once for the module, rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        district, _report = sample_load()
        grid_sample_load(district)
        sources_sample_load(district)
        patrols_sample_load(district)
        created = cases_sample_load(district)
        yield district, created
        transaction.set_rollback(True)


@pytest.fixture
def cases(loaded, db):
    district, _created = loaded
    return Case.objects.filter(jurisdiction=district)


def test_about_fifty_cases_over_eight_months(loaded, cases):
    _district, created = loaded
    assert 40 <= created == cases.count() <= 60
    months = {case.registered_at.strftime("%Y-%m") for case in cases}
    assert len(months) >= 8


def test_every_state_appears(cases):
    assert set(cases.values_list("state", flat=True)) == set(State.values)
    disputed = [case for case in cases.filter(state=State.REGISTERED) if case.disputed]
    assert len(disputed) >= 2 and all(case.lead is None for case in disputed)
    merged = cases.filter(state=State.MERGED)
    assert all(case.duplicate_of.is_open for case in merged)
    assert all((c.lon, c.lat) == (c.duplicate_of.lon, c.duplicate_of.lat) for c in merged)


def test_every_channel_but_monitoring_appears(cases):
    assert set(cases.values_list("channel", flat=True)) == set(Channel.values) - {
        Channel.MONITORING
    }
    patrol = cases.get(channel=Channel.PATROL)
    assert patrol.finding is not None and patrol.source is not None


def test_closed_cases_answered_or_not_rated_and_disclosed(cases):
    closed = cases.filter(state=State.CLOSED)
    assert closed.filter(answered_at=None).exists() and closed.exclude(answered_at=None).exists()
    assert closed.exclude(disclosed_at=None).exclude(public_summary="").exists()
    ratings = set(closed.values_list("satisfaction", flat=True))
    assert {Satisfaction.SATISFIED, Satisfaction.BASICALLY} <= ratings
    dissatisfied = cases.get(satisfaction=Satisfaction.DISSATISFIED)
    assert dissatisfied.state == State.REOPENED and dissatisfied.reopened == 1


def test_workflow_variety(cases):
    joint = cases.get(joint=True)
    assert joint.state == State.CLOSED and joint.assignments.filter(part__gt="").count() == 2
    chains = [case.assignments.filter(role="lead").count() for case in cases]
    assert max(chains) >= 3  # a transfer chain
    assert cases.filter(returned__gt=0, state=State.CLOSED).exists()
    assert cases.filter(events__kind=CaseEvent.Kind.RESUMED).exists()
    assert cases.filter(events__kind=CaseEvent.Kind.REJECTED).exists()


def test_overdue_clocks_hotspot_and_reward(cases):
    assert cases.filter(colour="red").exists()
    assert cases.filter(stage__gt=0).exists()
    assert CaseEvent.objects.filter(case__in=cases, kind=CaseEvent.Kind.ESCALATED).exists()
    hotspot = cases.get(hotspot=True)
    assert hotspot.is_open and hotspot.repeats.count() >= 2
    reward = Reward.objects.get(case__in=cases, paid_on__isnull=False)
    assert reward.case.outcome == "penalty" and not reward.case.reporter.anonymous


def test_positions_lie_in_level_3_grids(cases):
    placed = cases.exclude(lon=None)
    assert placed.count() >= cases.count() - 1
    assert all(case.grid is not None and case.grid.level == 3 for case in placed)


def test_reporters_never_appear_in_the_timeline(cases):
    names = set(
        Reporter.objects.filter(case__in=cases).exclude(name="").values_list("name", flat=True)
    )
    assert len(names) >= 20
    assert Reporter.objects.filter(case__in=cases, anonymous=True).exists()
    for name in names:
        leaked = CaseEvent.objects.filter(case__in=cases).filter(
            Q(note__contains=name) | Q(public_note__contains=name)
        )
        assert not leaked.exists(), name
    phones = Reporter.objects.filter(case__in=cases).exclude(phone="")
    assert all(p.phone.startswith("1390000") for p in phones.exclude(case__channel="patrol"))


def test_sample_people_cannot_sign_in(cases):
    people = User.objects.filter(username__startswith="sample-")
    assert people.filter(username=DISPATCHER, role=Role.DISPATCHER).exists()
    liaisons = people.filter(role=Role.LIAISON)
    units = set(cases.values_list("assignments__unit", flat=True)) - {None}
    assert units <= set(liaisons.values_list("unit", flat=True))
    assert not any(person.has_usable_password() for person in people)


def test_loading_again_adds_nothing(loaded, cases):
    district, _created = loaded
    before = (Case.objects.count(), CaseEvent.objects.count(), User.objects.count())
    assert cases_sample_load(district) == 0
    assert (Case.objects.count(), CaseEvent.objects.count(), User.objects.count()) == before
    assert cases.filter(state__in=OPEN_STATES).exists()
