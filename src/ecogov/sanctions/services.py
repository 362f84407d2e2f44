"""The rules of the sanctions (seed 002 §五: 通报批评, 区域限批, 问责, 移交司法机关; seed 004
§四.(三): 通报, 约谈, 纪委监委问责).

The ecology bureau's dispatchers of the jurisdiction (``access.dispatches``) and
administrators write notices, admonitions, restrictions and referrals; a discipline
inspector acknowledges a referral and records its outcome. Bad input raises
ValidationError and changes nothing; a step the person may not take raises
PermissionDenied.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov import access
from ecogov.accounts.models import Role
from ecogov.cases.models import Case
from ecogov.org.models import Jurisdiction, Unit
from ecogov.org.selectors import bureau_of, jurisdiction_ancestor_ids
from ecogov.org.services import audited_save
from ecogov.sanctions.models import (
    Admonition,
    Commitment,
    CriticismNotice,
    Referral,
    ReferredRecord,
    Restriction,
    Summons,
)
from ecogov.supervision import services as supervision
from ecogov.supervision.models import Item, Kind
from ecogov.supervision.services import moment, require, text_of, units_of

# 城环委通〔2026〕3号: the committee's short name, the kind of document, year, number.
NUMBER_KINDS = {
    CriticismNotice: "通",
    Admonition: "约",
    Restriction: "限",
    Referral: "移",
}
NUMBER_PATTERN = re.compile(r"〔(\d{4})〕(\d+)号$")


def _actor(by):
    return by if by is not None and by.is_authenticated else None


def _require_dispatcher(by, jurisdiction) -> None:
    require(
        access.dispatches(by, jurisdiction.pk),
        _("Only the ecology bureau's dispatchers of the district decide sanctions."),
        permission=True,
    )


def committee_prefix(jurisdiction: Jurisdiction) -> str:
    """城中区 → 城环委 (the district's eco-environmental protection committee)."""
    return f"{jurisdiction.name[:1]}环委"


def number_propose(model, jurisdiction: Jurisdiction, year: int) -> str:
    """The next free number of ``model``'s documents in the jurisdiction and year."""
    stem = f"{committee_prefix(jurisdiction)}{NUMBER_KINDS[model]}〔{year}〕"
    taken = model._default_manager.filter(number__startswith=stem).values_list("number", flat=True)
    last = 0
    for number in taken:
        found = NUMBER_PATTERN.search(number)
        if found:
            last = max(last, int(found.group(2)))
    return f"{stem}{last + 1}号"


def _number(model, jurisdiction, number: str, year: int, *, exclude=None) -> str:
    number = text_of(number, _("The number"), required=False, limit=60)
    if not number:
        return number_propose(model, jurisdiction, year)
    taken = model._default_manager.filter(number=number)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    require(not taken.exists(), _("The number %(number)s is taken.") % {"number": number})
    return number


def _units(jurisdiction, units, what: str, *, required=True) -> list[Unit]:
    units = list(dict.fromkeys(u for u in units if u is not None))
    require(not required or bool(units), _("Name at least one unit concerned."))
    return units_of(jurisdiction, units, what)


def _records(jurisdiction, items=(), cases=()) -> tuple[list[Item], list[Case]]:
    items, cases = list(dict.fromkeys(items)), list(dict.fromkeys(cases))
    for record in [*items, *cases]:
        require(
            record.jurisdiction_id == jurisdiction.pk,
            _("%(record)s is not a record of %(place)s.") % {"record": record.number,
                                                            "place": jurisdiction},
        )  # fmt: skip
    return items, cases


def _clean(instance) -> None:
    try:
        instance.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise ValidationError(error.messages) from None


# --- criticism notices (通报批评) ---------------------------------------------------


def _save_notice(notice: CriticismNotice, units, items, cases, *, by) -> None:
    _clean(notice)
    audited_save(notice, by=by)
    notice.units.set(units)
    notice.items.set(items)
    notice.cases.set(cases)


def notice_create(*, jurisdiction, title: str, facts: str, units, items=(), cases=(),
                  number: str = "", issuer: Unit | None = None, by, at=None) -> CriticismNotice:  # fmt: skip
    """A draft notice; its number is proposed unless given."""
    _require_dispatcher(by, jurisdiction)
    at, day = moment(at)
    issuer = issuer or bureau_of(jurisdiction)
    require(issuer is not None, _("The district has no ecology bureau to issue the notice."))
    [issuer] = units_of(jurisdiction, [issuer], _("The issuing unit"))
    units = _units(jurisdiction, units, _("A unit concerned"))
    items, cases = _records(jurisdiction, items, cases)
    with transaction.atomic():
        notice = CriticismNotice(
            jurisdiction=jurisdiction, title=text_of(title, _("The title"), limit=200),
            facts=text_of(facts, _("The facts")), issuer=issuer,
            number=_number(CriticismNotice, jurisdiction, number, day.year),
            created_at=at, created_by=_actor(by),
        )  # fmt: skip
        _save_notice(notice, units, items, cases, by=by)
    return notice


def notice_update(notice: CriticismNotice, *, title: str, facts: str, units, number: str,
                  items=(), cases=(), by) -> CriticismNotice:  # fmt: skip
    """A draft's text, units, links and number; an issued notice is not edited."""
    _require_dispatcher(by, notice.jurisdiction)
    require(notice.state == CriticismNotice.State.DRAFT,
            _("An issued notice is not edited; issue a new one."))  # fmt: skip
    units = _units(notice.jurisdiction, units, _("A unit concerned"))
    items, cases = _records(notice.jurisdiction, items, cases)
    with transaction.atomic():
        notice.title = text_of(title, _("The title"), limit=200)
        notice.facts = text_of(facts, _("The facts"))
        notice.number = _number(CriticismNotice, notice.jurisdiction, number,
                                notice.created_at.year, exclude=notice)  # fmt: skip
        _save_notice(notice, units, items, cases, by=by)
    return notice


def notice_issue(notice: CriticismNotice, *, issued_on: datetime.date | None = None,
                 publish: bool = False, by, at=None) -> CriticismNotice:  # fmt: skip
    _require_dispatcher(by, notice.jurisdiction)
    require(notice.state == CriticismNotice.State.DRAFT, _("This notice is already issued."))
    _at, day = moment(at)
    issued_on = issued_on or day
    require(issued_on <= day, _("A notice cannot be issued on a day to come."))
    notice.state, notice.issued_on, notice.issued_by = (
        CriticismNotice.State.ISSUED,
        issued_on,
        _actor(by),
    )
    notice.published = bool(publish)
    audited_save(notice, by=by)
    return notice


def notice_publish(notice: CriticismNotice, *, published: bool, by) -> CriticismNotice:
    """Show an issued notice on the public portal, or take it off."""
    _require_dispatcher(by, notice.jurisdiction)
    require(notice.state == CriticismNotice.State.ISSUED,
            _("Only an issued notice is published."))  # fmt: skip
    notice.published = bool(published)
    audited_save(notice, by=by)
    return notice


# --- admonition talks (约谈) --------------------------------------------------------


@dataclass(frozen=True)
class SummonsInput:
    unit: Unit | None
    attendee: str


@dataclass(frozen=True)
class CommitmentInput:
    unit: Unit | None
    text: str
    deadline: datetime.date | None


def admonition_create(*, jurisdiction, title: str, convener: Unit | None, convener_position: str,
                      held_at: datetime.datetime | None, place: str, problems: str, summoned,
                      items=(), cases=(), commitments=(), number: str = "", by,
                      at=None) -> Admonition:  # fmt: skip
    """An admonition talk held, with the units summoned (each with who attended) and
    the commitments made (each a supervised item on the committing unit's ledger)."""
    _require_dispatcher(by, jurisdiction)
    at, day = moment(at)
    require(convener is not None, _("Name the unit that held the talk."))
    [convener] = units_of(jurisdiction, [convener], _("The convening unit"))
    require(held_at is not None, _("Give the day and time of the talk."))
    require(held_at <= at + datetime.timedelta(days=60),
            _("A talk is recorded once it is planned or held, not years ahead."))  # fmt: skip
    summoned = [s for s in summoned if s.unit is not None or str(s.attendee or "").strip()]
    require(bool(summoned), _("Name at least one unit summoned."))
    seen = set()
    for entry in summoned:
        require(entry.unit is not None, _("Choose the unit summoned from the list."))
        require(entry.unit.pk not in seen,
                _("%(unit)s is summoned twice.") % {"unit": entry.unit})  # fmt: skip
        seen.add(entry.unit.pk)
    units_of(jurisdiction, [s.unit for s in summoned], _("A unit summoned"))
    attendees = [text_of(s.attendee, _("Who attended for %(unit)s") % {"unit": s.unit}, limit=100)
                 for s in summoned]  # fmt: skip
    items, cases = _records(jurisdiction, items, cases)
    admonition = Admonition(
        jurisdiction=jurisdiction, title=text_of(title, _("The title"), limit=200),
        convener=convener,
        convener_position=text_of(convener_position, _("The position of who held the talk"),
                                  limit=100),
        held_at=held_at, place=text_of(place, _("The place"), limit=200),
        problems=text_of(problems, _("The problems raised")),
        number=_number(Admonition, jurisdiction, number, timezone.localdate(held_at).year),
        created_at=at, created_by=_actor(by),
    )  # fmt: skip
    _clean(admonition)
    commitments = [c for c in commitments if c.unit is not None or str(c.text or "").strip()]
    for commitment in commitments:
        _check_commitment(admonition, commitment, summoned_units=seen)
    with transaction.atomic():
        audited_save(admonition, by=by)
        for entry, attendee in zip(summoned, attendees, strict=True):
            Summons.objects.create(admonition=admonition, unit=entry.unit, attendee=attendee)
        admonition.items.set(items)
        admonition.cases.set(cases)
        for commitment in commitments:
            _commit(admonition, commitment, by=by, at=at)
    return admonition


def _check_commitment(admonition: Admonition, commitment: CommitmentInput, *,
                      summoned_units) -> None:  # fmt: skip
    require(commitment.unit is not None, _("Name the unit that made the commitment."))
    require(commitment.unit.pk in summoned_units,
            _("A commitment is made by a unit summoned to the talk."))  # fmt: skip
    text_of(commitment.text, _("The commitment"), limit=200)
    require(commitment.deadline is not None, _("Give the commitment's deadline."))


def _commit(admonition: Admonition, commitment: CommitmentInput, *, by, at) -> Commitment:
    bureau = bureau_of(admonition.jurisdiction)
    require(bureau is not None, _("The district has no ecology bureau to supervise it."))
    item = supervision.item_create(
        jurisdiction=admonition.jurisdiction, kind=Kind.COMMITMENT,
        title=text_of(commitment.text, _("The commitment"), limit=200), lead=commitment.unit,
        supervisor=bureau, source=f"{admonition.number} {admonition.title}"[:300],
        deadline=commitment.deadline, by=by, at=at,
    )  # fmt: skip
    return Commitment.objects.create(admonition=admonition, item=item)


def commitment_add(admonition: Admonition, *, unit: Unit | None, text: str,
                   deadline: datetime.date | None, by, at=None) -> Commitment:  # fmt: skip
    """A commitment added to a talk's record afterwards (the talk's minutes came later)."""
    _require_dispatcher(by, admonition.jurisdiction)
    entry = CommitmentInput(unit=unit, text=text, deadline=deadline)
    summoned = set(admonition.summoned.values_list("unit", flat=True))
    _check_commitment(admonition, entry, summoned_units=summoned)
    at, _day = moment(at)
    with transaction.atomic():
        return _commit(admonition, entry, by=by, at=at)


def admonition_update(admonition: Admonition, *, title: str, convener_position: str,
                      place: str, problems: str, by) -> Admonition:  # fmt: skip
    """The record's wording corrected; who was summoned and what they committed to stay."""
    _require_dispatcher(by, admonition.jurisdiction)
    admonition.title = text_of(title, _("The title"), limit=200)
    admonition.convener_position = text_of(
        convener_position, _("The position of who held the talk"), limit=100
    )
    admonition.place = text_of(place, _("The place"), limit=200)
    admonition.problems = text_of(problems, _("The problems raised"))
    _clean(admonition)
    audited_save(admonition, by=by)
    return admonition


# --- regional approval restrictions (区域限批) --------------------------------------


def restriction_decide(*, jurisdiction, reason: str, starts_on, ends_on, number: str = "",
                       decided_by: Unit | None = None, by, at=None) -> Restriction:  # fmt: skip
    """No new construction project in the township or street is approved in the period."""
    require(jurisdiction is not None, _("Choose the township or street."))
    require(jurisdiction.level == Jurisdiction.Level.TOWNSHIP,
            _("A regional approval restriction is set on a township or street."))  # fmt: skip
    district = jurisdiction.parent
    _require_dispatcher(by, district)
    at, day = moment(at)
    require(starts_on is not None and ends_on is not None, _("Give the start and end dates."))
    require(starts_on <= ends_on, _("The restriction ends before it starts."))
    require(ends_on >= day, _("The restriction would already be over."))
    decided_by = decided_by or bureau_of(district)
    require(decided_by is not None, _("Name the unit that decided the restriction."))
    [decided_by] = units_of(district, [decided_by], _("The deciding unit"))
    overlapping = Restriction.objects.filter(
        jurisdiction=jurisdiction, lifted_on=None, starts_on__lte=ends_on, ends_on__gte=starts_on
    )
    require(not overlapping.exists(),
            _("%(place)s is already restricted in that period.") % {"place": jurisdiction})  # fmt: skip
    restriction = Restriction(
        jurisdiction=jurisdiction, reason=text_of(reason, _("The reason")),
        number=_number(Restriction, district, number, starts_on.year),
        starts_on=starts_on, ends_on=ends_on, decided_by=decided_by,
        created_at=at, created_by=_actor(by),
    )  # fmt: skip
    _clean(restriction)
    audited_save(restriction, by=by)
    return restriction


def restriction_lift(restriction: Restriction, *, reason: str, on: datetime.date | None = None,
                     by, at=None) -> Restriction:  # fmt: skip
    """Lifted early by decision: the restriction holds until the day before ``on``."""
    _require_dispatcher(by, restriction.jurisdiction.parent)
    _at, day = moment(at)
    on = on or day
    require(restriction.lifted_on is None, _("This restriction is already lifted."))
    require(on <= restriction.ends_on, _("The restriction has expired: nothing to lift."))
    require(on >= restriction.starts_on, _("A restriction is lifted after it starts."))
    restriction.lift_reason = text_of(reason, _("The reason for lifting"))
    restriction.lifted_on = on
    audited_save(restriction, by=by)
    return restriction


def restriction_update(restriction: Restriction, *, reason: str, ends_on, by) -> Restriction:
    """The reason corrected or the period extended or shortened by a new decision."""
    _require_dispatcher(by, restriction.jurisdiction.parent)
    require(restriction.lifted_on is None, _("This restriction is already lifted."))
    require(ends_on is not None, _("Give the start and end dates."))
    require(restriction.starts_on <= ends_on, _("The restriction ends before it starts."))
    restriction.reason = text_of(reason, _("The reason"))
    restriction.ends_on = ends_on
    audited_save(restriction, by=by)
    return restriction


def restriction_on(jurisdiction, day: datetime.date) -> Restriction | None:
    """The restriction in force on ``day`` in the area or an area above it (a project in
    a village of a restricted township is restricted too), or None."""
    if jurisdiction is None:
        return None
    areas = [jurisdiction.pk, *jurisdiction_ancestor_ids(jurisdiction.pk)]
    candidates = Restriction.objects.filter(
        jurisdiction__in=areas, starts_on__lte=day, ends_on__gte=day
    ).select_related("jurisdiction", "decided_by")
    for restriction in candidates.order_by("starts_on", "pk"):
        if restriction.active_on(day):
            return restriction
    return None


# --- referrals (移交纪委监委 / 移交司法机关) ---------------------------------------------


def referral_create(*, jurisdiction, target: str, units, reason: str, people: str = "",
                    items=(), cases=(), referred_on: datetime.date | None = None,
                    number: str = "", by, at=None) -> Referral:  # fmt: skip
    _require_dispatcher(by, jurisdiction)
    at, day = moment(at)
    require(target in Referral.Target.values,
            _("Refer to the discipline commission or to the judicial organs."))  # fmt: skip
    units = _units(jurisdiction, units, _("A unit concerned"))
    items, cases = _records(jurisdiction, items, cases)
    require(bool(items or cases), _("Name at least one supervised item or case referred."))
    referred_on = referred_on or day
    require(referred_on <= day, _("A referral cannot be dated on a day to come."))
    referral = Referral(
        jurisdiction=jurisdiction, target=target, reason=text_of(reason, _("The reason")),
        people=text_of(people, _("The people concerned"), required=False, limit=1000),
        number=_number(Referral, jurisdiction, number, referred_on.year),
        referred_on=referred_on, referred_by=_actor(by), created_at=at,
    )  # fmt: skip
    _clean(referral)
    with transaction.atomic():
        audited_save(referral, by=by)
        referral.units.set(units)
        for item in items:
            ReferredRecord.objects.create(referral=referral, item=item)
        for case in cases:
            ReferredRecord.objects.create(referral=referral, case=case)
    return referral


def referral_update(referral: Referral, *, reason: str, people: str, by) -> Referral:
    """The reason and people corrected before the commission acknowledges receipt."""
    _require_dispatcher(by, referral.jurisdiction)
    require(referral.state == Referral.State.REFERRED,
            _("The commission has acknowledged this referral: it is no longer edited."))  # fmt: skip
    referral.reason = text_of(reason, _("The reason"))
    referral.people = text_of(people, _("The people concerned"), required=False, limit=1000)
    audited_save(referral, by=by)
    return referral


def acknowledges(user, referral: Referral) -> bool:
    """A discipline inspector of the jurisdiction (administrators too)."""
    if access.is_admin(user):
        return True
    return bool(
        user.is_authenticated and user.is_active and user.role == Role.INSPECTOR
        and referral.jurisdiction_id in access.home_jurisdictions(user)
    )  # fmt: skip


def referral_acknowledge(referral: Referral, *, note: str = "", by, at=None) -> Referral:
    require(acknowledges(by, referral),
            _("Only the discipline commission acknowledges a referral."), permission=True)  # fmt: skip
    require(referral.state == Referral.State.REFERRED, _("This referral is already acknowledged."))
    at, _day = moment(at)
    referral.acknowledgement = text_of(note, _("The note"), required=False)
    referral.state, referral.acknowledged_at, referral.acknowledged_by = (
        Referral.State.ACKNOWLEDGED,
        at,
        _actor(by),
    )
    audited_save(referral, by=by)
    return referral


def referral_conclude(referral: Referral, *, outcome: str, by, at=None) -> Referral:
    require(acknowledges(by, referral),
            _("Only the discipline commission records the outcome."), permission=True)  # fmt: skip
    require(referral.state == Referral.State.ACKNOWLEDGED,
            _("Acknowledge the referral before recording its outcome."))  # fmt: skip
    at, _day = moment(at)
    referral.outcome = text_of(outcome, _("The outcome"))
    referral.state, referral.concluded_at = Referral.State.CONCLUDED, at
    audited_save(referral, by=by)
    return referral


def may_write(user, jurisdiction) -> bool:
    return jurisdiction is not None and access.dispatches(user, jurisdiction.pk)
