"""The life of a case: intake, routing, assignment, acceptance or return, transfer,
handling, result, verification, closing, answer, rating, reopening, suspension,
disclosure, and the clocks that drive supervision.

Every function checks who acts, changes the case in one transaction and writes the
event of the step; a step that does not fit the case's state is refused with a message
and changes nothing.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov import access
from ecogov.accounts.models import Role
from ecogov.cases.learning import routing_example_record
from ecogov.cases.models import (
    OPEN_STATES,
    Assignment,
    Attachment,
    Case,
    CaseEvent,
    Category,
    Channel,
    ClockRule,
    Outcome,
    Reporter,
    Reward,
    RewardRule,
    RoutingExample,
    Satisfaction,
    State,
)
from ecogov.cases.rules import dispatches, is_dispatcher_of
from ecogov.domain import casematch
from ecogov.domain.supervision import Clock, Colour, Level, Stage
from ecogov.grid.models import Grid
from ecogov.grid.selectors import grid_chain, jurisdiction_covers
from ecogov.org.models import Jurisdiction, Unit
from ecogov.org.routing import router_for
from ecogov.org.services import audited_save, encodable
from ecogov.supervision import clocks
from ecogov.supervision.models import Kind as SupervisedKind
from ecogov.supervision.notify import Message, notify, people_of
from ecogov.uploads import IMAGES, checked_uploads

MAX_TEXT = 4000
ATTACHMENT_KINDS = IMAGES | {"pdf"}
VERIFY_WORKDAYS = 5  # the verifier's clock after a result is reported
CLOSE_WORKDAYS = 2  # the bureau's clock to close a verified case


@dataclass(frozen=True)
class Clocks:
    accept_workdays: int = 2
    finish_days: int = 30
    finish_in_workdays: bool = False
    answer_workdays: int = 3


def clocks_for(channel: str, category: str) -> Clocks:
    """The deadlines of a channel and category: the most specific administrator's rule,
    else the defaults."""
    rules = ClockRule.objects.filter(
        Q(channel=channel) | Q(channel=""), Q(category=category) | Q(category="")
    )
    best = max(rules, key=lambda r: (bool(r.channel), bool(r.category)), default=None)
    if best is None:
        return Clocks()
    return Clocks(best.accept_workdays, best.finish_days, best.finish_in_workdays,
                  best.answer_workdays)  # fmt: skip


def _calendar():
    return clocks.calendar()


def _today(now: datetime.datetime | None = None) -> datetime.date:
    return timezone.localdate(now or timezone.now())


def _event(case: Case, kind: str, *, by=None, unit=None, note="", public_note=None,
           at=None, colour="") -> CaseEvent:  # fmt: skip
    """Record a step. ``public_note`` (even empty) puts it on the reporter's timeline."""
    return CaseEvent.objects.create(
        case=case, kind=kind, at=at or timezone.now(),
        actor=by if by is not None and by.is_authenticated else None, unit=unit, note=note,
        public=public_note is not None, public_note=public_note or "", colour=colour,
    )  # fmt: skip


def _set_clock(case: Case, start: datetime.date, due: datetime.date | None, workdays=True):
    """The case enters a step with a new deadline: its colour and escalation restart."""
    case.clock_start, case.due, case.clock_workdays = start, due, workdays
    case.colour, case.stage = Colour.NONE, Stage.NONE


def finish_due(clocks: Clocks, start: datetime.date) -> datetime.date:
    """The finish deadline of a case accepted on ``start`` under ``clocks``."""
    if clocks.finish_in_workdays:
        return _calendar().add_workdays(start, clocks.finish_days)
    return start + datetime.timedelta(days=clocks.finish_days)


# Deadlines set outside the case's own rules: an inspection team wants a complaint it
# transferred (督察交办信访件) finished by its own, shorter date (rectification.transfers).
_deadline_sources: list = []


def register_deadline(source) -> None:
    """``source(case)`` is the date by which the case must be finished, or None."""
    _deadline_sources.append(source)


def _finish_by(case: Case, clocks: Clocks, start: datetime.date) -> datetime.date:
    """The channel's finish deadline, or an earlier one set from outside."""
    fixed = [due for due in (source(case) for source in _deadline_sources) if due is not None]
    return min([finish_due(clocks, start), *fixed])


def _save(case: Case, by, reason: str = "") -> None:
    audited_save(case, by=by, reason=reason)


def _clean(text: str, what: str, *, required=True, limit=MAX_TEXT) -> str:
    text = (text or "").strip()
    if "\x00" in text or not encodable(text):
        raise ValidationError(_("%(what)s must be plain, valid text.") % {"what": what})
    if required and not text:
        raise ValidationError(_("%(what)s is required.") % {"what": what})
    if len(text) > limit:
        raise ValidationError(
            _("%(what)s is too long (at most %(n)d characters).") % {"what": what, "n": limit}
        )
    return text


def check_attachments(files) -> list[tuple[object, str]]:
    """The uploads with their sniffed kinds, or a ValidationError naming what is wrong."""
    return checked_uploads(
        files, ATTACHMENT_KINDS, _("Files must be JPEG, PNG or WebP photos, or PDF documents.")
    )


def _attach(case: Case, checked, by=None) -> None:
    for upload, kind in checked:
        Attachment.objects.create(
            case=case, file=upload, kind=kind, name=(upload.name or "")[:200],
            uploaded_by=by if by is not None and by.is_authenticated else None,
        )  # fmt: skip


# --- intake -------------------------------------------------------------------------

STAFF_CHANNELS = frozenset(Channel) - {Channel.PUBLIC, Channel.PATROL, Channel.MONITORING}


def _next_number(jurisdiction: Jurisdiction, year: int) -> str:
    prefix = f"{jurisdiction.code or jurisdiction.pk}-{year}-"
    last = (
        Case.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return f"{prefix}{int(last.rsplit('-', 1)[1]) + 1 if last else 1:05d}"


def _coordinate(value) -> Decimal:
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except Exception:
        raise ValidationError(_("The position must be numbers.")) from None
    if not number.is_finite() or abs(number) > 180:
        raise ValidationError(_("The position lies outside the Earth's coordinates."))
    return number


def _locate(jurisdiction, lon, lat, source) -> Grid | None:
    """The most local grid of the point (or of the source), refusing a point that a person
    placed outside the jurisdiction: a case there would reach no grid and no one there."""
    if lon is not None and lat is not None:
        chain = [
            g for g in grid_chain(float(lon), float(lat)) if g.jurisdiction_id == jurisdiction.pk
        ]
        if chain:
            return chain[-1]
        # A registered source's own location decides for patrols and monitoring alarms.
        if source is None and not jurisdiction_covers(jurisdiction.pk, float(lon), float(lat)):
            raise ValidationError(
                _(
                    "The point on the map lies outside %(jurisdiction)s. Choose the place "
                    "on the map again, or give only the address."
                )
                % {"jurisdiction": jurisdiction.name}
            )
    if source is not None and source.grid_id:
        return source.grid
    return None


def _locality(grid: Grid | None) -> str | None:
    """The township or street office whose grid the place lies in."""
    while grid is not None and grid.level > Grid.Level.TOWNSHIP:
        grid = grid.parent
    if grid is not None and grid.level == Grid.Level.TOWNSHIP and grid.unit_id:
        return grid.unit.name
    return None


def _as_report(case: Case) -> casematch.Report:
    return casematch.Report(
        key=case.pk, at=case.registered_at, text=case.text, category=case.category,
        subcategory=case.subcategory, grid=case.grid_id,
        lon=float(case.lon) if case.lon is not None else None,
        lat=float(case.lat) if case.lat is not None else None,
    )  # fmt: skip


def _recent(case: Case, days: int) -> list[casematch.Report]:
    since = case.registered_at - datetime.timedelta(days=days)
    nearby = Case.objects.filter(
        jurisdiction=case.jurisdiction, registered_at__gte=since, registered_at__lte=case.registered_at
    ).exclude(pk=case.pk)  # fmt: skip
    return [_as_report(other) for other in nearby]


def case_register(
    *,
    jurisdiction: Jurisdiction,
    channel: str,
    text: str,
    category: str = "",
    subcategory: str = "",
    address: str = "",
    lon=None,
    lat=None,
    source=None,
    finding=None,
    supervision: str = Level.GENERAL,
    reporter: dict | None = None,
    files=(),
    lead: Unit | None = None,
    by=None,
    now: datetime.datetime | None = None,
) -> Case:
    """Register a report from any channel, route it and, when the duty lists name one
    unit, assign it; otherwise it waits in the bureau's queue (disputed responsibility).

    ``lead`` assigns the case to that unit whatever the duty lists say (a monitoring
    alarm goes to the ecology bureau, which supervises the source's permit)."""
    if channel not in Channel.values:
        raise ValidationError(_("Unknown channel."))
    if category and category not in Category.values:
        raise ValidationError(_("Unknown category."))
    if supervision not in set(Level):
        raise ValidationError(_("Unknown supervision level."))
    text = _clean(text, _("The description"))
    address = _clean(address, _("The address"), required=False, limit=200)
    if (lon is None) != (lat is None):
        raise ValidationError(_("Give both longitude and latitude, or neither."))
    if lon is not None:
        lon, lat = _coordinate(lon), _coordinate(lat)
        if abs(lat) > 90:
            raise ValidationError(_("The position lies outside the Earth's coordinates."))
    checked = check_attachments(files)
    reporter = dict(reporter or {})
    now = now or timezone.now()
    grid = _locate(jurisdiction, lon, lat, source)
    routing = router_for(jurisdiction).route(
        text, locality=_locality(grid), category=category or None
    )
    proposal = routing.as_dict() | {
        "clause_ref": routing.clause_ref,
        "subcategory": routing.subcategory,
        "candidates": [
            {"unit": c.unit, "score": round(c.score, 4), "clause": c.sentence, "ref": c.ref}
            for c in routing.candidates[:6]
        ],
        # The learned part, where the jurisdiction has one (cases.learning).
        "confidence": None if routing.confidence is None else round(routing.confidence, 3),
        "learned": [{"unit": u, "p": round(p, 3)} for u, p in routing.learned],
        "precedent": None if routing.precedent is None else round(routing.precedent, 3),
    }
    if lead is not None:  # the channel's rule decides, not the duty lists
        proposal = {"lead": lead.name, "support": [], "rule": channel, "candidates": []}
    with transaction.atomic():
        for attempt in range(5):
            case = Case(
                jurisdiction=jurisdiction, number=_next_number(jurisdiction, _today(now).year),
                channel=channel, text=text, category=category or routing.category or Category.OTHER,
                subcategory=subcategory or routing.subcategory or "", address=address,
                lon=lon, lat=lat, grid=grid, source=source, finding=finding,
                supervision=supervision, routing=proposal, registered_at=now,
                registered_by=by if by is not None and by.is_authenticated else None,
            )  # fmt: skip
            try:
                with transaction.atomic():
                    _save(case, by)
                break
            except (IntegrityError, ValidationError) as error:
                # Two registrations took the same number at once: take the next.
                if attempt == 4 or (
                    isinstance(error, ValidationError) and "number" not in error.message_dict
                ):
                    raise
        audited_save(
            Reporter(
                case=case,
                anonymous=not any(reporter.get(k) for k in ("name", "phone", "email")),
                name=_clean(reporter.get("name", ""), _("The name"), required=False, limit=100),
                phone=_clean(reporter.get("phone", ""), _("The phone"), required=False, limit=40),
                email=_clean(reporter.get("email", ""), _("The e-mail"), required=False, limit=254),
                organisation=_clean(
                    reporter.get("organisation", ""),
                    _("The organisation"),
                    required=False,
                    limit=200,
                ),  # fmt: skip
            )
        )
        _attach(case, checked, by)
        if finding is not None:
            finding.status = finding.Status.TAKEN_OVER
            audited_save(finding, by=by)
        _event(case, CaseEvent.Kind.REGISTERED, by=by, at=now, note=case.get_channel_display(),
               public_note=_("Your report was registered as case %(number)s.") % {
                   "number": case.number})  # fmt: skip
        earlier = _recent(case, max(casematch.WINDOW_DAYS, casematch.HOTSPOT_DAYS))
        master_key = casematch.duplicate_of(
            _as_report(case),
            [r for r in earlier if r.at >= now - datetime.timedelta(days=casematch.WINDOW_DAYS)],
        )
        master = Case.objects.filter(pk=master_key).first() if master_key else None
        while master is not None and master.duplicate_of_id:
            master = master.duplicate_of
        if master is not None and master.is_open:
            case.duplicate_of, case.state = master, State.MERGED
            _set_clock(case, _today(now), None)
            _save(case, by, "duplicate")
            _event(case, CaseEvent.Kind.DUPLICATE, at=now, note=master.number,
                   public_note=_("The same problem at the same place is already being handled "
                                 "as case %(number)s; you will get its answer.") % {
                       "number": master.number})  # fmt: skip
            _event(master, CaseEvent.Kind.DUPLICATE, at=now, note=case.number)
        else:
            _route_into_assignment(case, routing, by=by, now=now, lead=lead)
        if casematch.place_reports(_as_report(case), earlier) >= casematch.HOTSPOT_REPORTS:
            target = master or case
            if not target.hotspot:
                target.hotspot = True
                _save(target, by, "hotspot")
                _event(target, CaseEvent.Kind.HOTSPOT, at=now,
                       note=_("%(n)d or more reports from this place within %(days)d days.") % {
                           "n": casematch.HOTSPOT_REPORTS, "days": casematch.HOTSPOT_DAYS})  # fmt: skip
    return case


def _route_into_assignment(case: Case, routing, *, by, now, lead: Unit | None = None) -> None:
    units = Unit.objects.filter(jurisdiction=case.jurisdiction, is_active=True)
    if lead is not None:
        _event(case, CaseEvent.Kind.ROUTED, at=now, unit=lead,
               note=_("%(unit)s by the rule of its channel.") % {"unit": lead.name})  # fmt: skip
        _assign(case, lead, [], joint=False, by=by, now=now)
        return
    lead = units.filter(name=routing.lead).first() if routing.lead else None
    if lead is None:
        note = _("No unit or several units match: the bureau decides.")
    elif routing.clause:
        note = f"{routing.lead}: {routing.clause}" + (
            f" ({routing.clause_ref})" if routing.clause_ref else ""
        )
    elif routing.by_learning:
        note = _("%(unit)s: no duty clause matches; chosen by what the bureau decided on "
                 "similar reports (confidence %(confidence)d%%).") % {
            "unit": routing.lead, "confidence": round(100 * routing.confidence)}  # fmt: skip
    else:
        note = _("%(unit)s: no duty clause matches; the unit usually handles this kind of "
                 "problem.") % {"unit": routing.lead}  # fmt: skip
    _event(case, CaseEvent.Kind.ROUTED, at=now, unit=lead, note=note)
    clocks = clocks_for(case.channel, case.category)
    if lead is None or not settings.ECOGOV_CASES_AUTO_ASSIGN:
        _set_clock(case, _today(now), _calendar().add_workdays(_today(now), clocks.accept_workdays))
        _save(case, by, "routed")
        return
    support = list(units.filter(name__in=routing.support).exclude(pk=lead.pk))
    _assign(case, lead, support, joint=False, by=by, now=now)


def case_from_finding(finding, *, by, now=None) -> Case:
    """A problem found on patrol becomes a case (002 §三.(五).2: the second-level grid
    reports it up and the competent unit handles it)."""
    if not (dispatches(by, finding.to_grid.jurisdiction_id) or _officer_of(by, finding.to_grid)):
        raise PermissionDenied(
            _("Only the bureau or the upper grid's officer takes over findings.")
        )
    if hasattr(finding, "case") and finding.case is not None:
        return finding.case
    patrol = finding.patrol
    return case_register(
        jurisdiction=patrol.grid.jurisdiction, channel=Channel.PATROL,
        text=f"{patrol.source.name}：{patrol.note}", address=patrol.source.address,
        lon=patrol.lon if patrol.lat is not None else None,
        lat=patrol.lat if patrol.lon is not None else None,
        source=patrol.source, finding=finding,
        reporter={"name": str(patrol.worker), "phone": patrol.worker.phone,
                  "organisation": str(patrol.grid)},
        by=by, now=now,
    )  # fmt: skip


def _officer_of(user, grid: Grid) -> bool:
    return bool(user.role == Role.LIAISON and user.unit_id and grid.unit_id == user.unit_id)


# --- dispatching --------------------------------------------------------------------


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError(message)


def _require_dispatcher(case: Case, by) -> None:
    if not is_dispatcher_of(by, case):
        raise PermissionDenied(_("Only the bureau's dispatchers do this."))


def _tell_assigned(case: Case, units, due, now) -> None:
    """The units' liaisons learn of a case given to them, through the one notifier."""
    subject = _("Case %(number)s was assigned to your unit: accept or return it by %(due)s") % {
        "number": case.number, "due": due,
    }  # fmt: skip
    notify(people_of(units=units), Message(subject, case.text[:500], case.get_absolute_url()), now)


def _assign(case: Case, lead: Unit, support, *, joint: bool, by, now) -> None:
    today = _today(now)
    clocks = clocks_for(case.channel, case.category)
    due = _calendar().add_workdays(today, clocks.accept_workdays)
    role = Assignment.Role.JOINT if joint else Assignment.Role.SUPPORT
    Assignment.objects.create(case=case, unit=lead, role=Assignment.Role.LEAD, assigned_at=now,
                              accept_due=due)  # fmt: skip
    for unit in support:
        Assignment.objects.create(case=case, unit=unit, role=role, assigned_at=now, accept_due=due)
    case.lead, case.joint, case.state = lead, joint, State.ASSIGNED
    _set_clock(case, today, due)
    _save(case, by, "assigned")
    _tell_assigned(case, [lead, *support], due, now)
    names = "、".join(u.name for u in support)
    _event(case, CaseEvent.Kind.ASSIGNED, by=by, unit=lead, at=now,
           note=(_("support: %(units)s") % {"units": names}) if names else "",
           public_note=_("Assigned to %(unit)s.") % {"unit": lead.name})  # fmt: skip


def case_assign(case: Case, *, lead: Unit, support=(), joint=False, supervision=None,
                coordination=False, note="", by, now=None) -> Case:  # fmt: skip
    """The bureau decides who leads (a disputed case, a returned one, or a re-decision
    before anyone accepted)."""
    _require_dispatcher(case, by)
    _require(case.state in {State.REGISTERED, State.RETURNED, State.ASSIGNED, State.TRANSFERRED},
             _("Only a case nobody has accepted yet can be assigned."))  # fmt: skip
    _require(lead.jurisdiction_id == case.jurisdiction_id and lead.is_active,
             _("The lead unit must be an active unit of the case's jurisdiction."))  # fmt: skip
    support = [u for u in support if u.pk != lead.pk]
    _require(all(u.jurisdiction_id == case.jurisdiction_id for u in support),
             _("Supporting units must belong to the case's jurisdiction."))  # fmt: skip
    _require(not joint or support, _("Joint enforcement needs at least two units."))
    now = now or timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        decided_before = case.assignments.filter(role=Assignment.Role.LEAD).exists()
        case.assignments.filter(status=Assignment.Status.PENDING).update(
            status=Assignment.Status.ENDED
        )
        if supervision:
            _require(supervision in set(Level), _("Unknown supervision level."))
            case.supervision = supervision
        case.coordination = coordination
        if note.strip():
            _event(case, CaseEvent.Kind.NOTE, by=by, note=note.strip(), at=now)
        _assign(case, lead, support, joint=joint, by=by, now=now)
        # The bureau's decision teaches the router (cases.learning).
        decision = RoutingExample.Decision.REASSIGNED if decided_before else (
            RoutingExample.Decision.ASSIGNED)  # fmt: skip
        routing_example_record(case, lead=lead, decision=decision, now=now)
    return case


def _my_assignment(case: Case, by, *, statuses, role=None) -> Assignment:
    """The assignment of the acting person's unit (their unit's liaison acts on it)."""
    if not (by.is_authenticated and by.unit_id and by.role == Role.LIAISON):
        raise PermissionDenied(_("Only the liaison of an assigned unit does this."))
    assignments = case.assignments.filter(unit=by.unit_id, status__in=statuses)
    if role:
        assignments = assignments.filter(role=role)
    assignment = assignments.order_by("-assigned_at", "-pk").first()
    if assignment is None:
        raise PermissionDenied(_("Your unit has no part in this case at this step."))
    return assignment


def case_accept(case: Case, *, by, now=None) -> Case:
    now = now or timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        assignment = _my_assignment(case, by, statuses=[Assignment.Status.PENDING])
        assignment.status, assignment.accepted_at = Assignment.Status.ACCEPTED, now
        audited_save(assignment, by=by)
        if assignment.role == Assignment.Role.LEAD:
            _require(case.state in {State.ASSIGNED, State.TRANSFERRED}, _("Nothing to accept."))
            clocks = clocks_for(case.channel, case.category)
            case.state = State.ACCEPTED
            case.finish_due = _finish_by(case, clocks, _today(now))
            _set_clock(case, _today(now), case.finish_due, clocks.finish_in_workdays)
            _save(case, by, "accepted")
        _event(case, CaseEvent.Kind.ACCEPTED, by=by, unit=assignment.unit, at=now,
               public_note=(_("Accepted by %(unit)s.") % {"unit": assignment.unit.name})
               if assignment.role == Assignment.Role.LEAD else None)  # fmt: skip
    return case


def case_return(case: Case, *, reason: str, by, now=None) -> Case:
    """The assigned lead says the case is not its duty: back to the dispatcher."""
    reason = _clean(reason, _("The reason"))
    now = now or timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        assignment = _my_assignment(case, by, statuses=[Assignment.Status.PENDING],
                                    role=Assignment.Role.LEAD)  # fmt: skip
        assignment.status, assignment.reason = Assignment.Status.RETURNED, reason
        audited_save(assignment, by=by)
        case.assignments.filter(status=Assignment.Status.PENDING).update(
            status=Assignment.Status.ENDED
        )
        clocks = clocks_for(case.channel, case.category)
        case.state, case.lead, case.returned = State.RETURNED, None, case.returned + 1
        _set_clock(case, _today(now), _calendar().add_workdays(_today(now), clocks.accept_workdays))
        _save(case, by, "returned")
        _event(case, CaseEvent.Kind.RETURNED, by=by, unit=assignment.unit, note=reason, at=now)
    return case


def case_transfer(case: Case, *, to: Unit, reason: str, by, now=None) -> Case:
    """移交移送: the lead hands the case to the competent unit, which must accept it on
    its own clock; the chain of assignments is kept."""
    reason = _clean(reason, _("The reason"))
    _require(to.jurisdiction_id == case.jurisdiction_id and to.is_active,
             _("The case can only go to an active unit of its jurisdiction."))  # fmt: skip
    now = now or timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        _require(case.state in {State.ACCEPTED, State.IN_PROGRESS, State.REOPENED},
                 _("Only a case the lead has accepted can be transferred."))  # fmt: skip
        if is_dispatcher_of(by, case):
            current = case.assignments.filter(
                role=Assignment.Role.LEAD, status=Assignment.Status.ACCEPTED
            ).last()
        else:
            current = _my_assignment(case, by, statuses=[Assignment.Status.ACCEPTED],
                                     role=Assignment.Role.LEAD)  # fmt: skip
        _require(current is not None and current.unit_id != to.pk,
                 _("The case is already with that unit."))  # fmt: skip
        current.status, current.reason = Assignment.Status.TRANSFERRED, reason
        audited_save(current, by=by)
        clocks = clocks_for(case.channel, case.category)
        due = _calendar().add_workdays(_today(now), clocks.accept_workdays)
        Assignment.objects.create(case=case, unit=to, role=Assignment.Role.LEAD, assigned_at=now,
                                  accept_due=due, transferred_from=current)  # fmt: skip
        case.state, case.lead = State.TRANSFERRED, to
        _set_clock(case, _today(now), due)
        _save(case, by, "transferred")
        _tell_assigned(case, [to], due, now)
        _event(case, CaseEvent.Kind.TRANSFERRED, by=by, unit=to, at=now,
               note=f"{current.unit.name} → {to.name}: {reason}",
               public_note=_("Transferred to the competent unit %(unit)s.") % {"unit": to.name})  # fmt: skip
        if is_dispatcher_of(by, case):  # the bureau's decision, not the unit's own
            routing_example_record(case, lead=to, decision=RoutingExample.Decision.TRANSFERRED,
                                   now=now)  # fmt: skip
    return case


def case_start(case: Case, *, by, now=None) -> Case:
    now = now or timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        assignment = _my_assignment(case, by, statuses=[Assignment.Status.ACCEPTED],
                                    role=Assignment.Role.LEAD)  # fmt: skip
        _require(case.state == State.ACCEPTED, _("Handling has already started."))
        case.state = State.IN_PROGRESS
        _save(case, by, "started")
        _event(case, CaseEvent.Kind.STARTED, by=by, unit=assignment.unit, at=now,
               public_note=_("Investigation under way."))  # fmt: skip
    return case


def case_part(case: Case, *, text: str, by, now=None) -> Case:
    """A supporting or joint unit reports what it did."""
    text = _clean(text, _("The report"))
    now = now or timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        _require(case.state in {State.ACCEPTED, State.IN_PROGRESS, State.REOPENED},
                 _("Parts are reported while the case is handled."))  # fmt: skip
        assignment = _my_assignment(case, by, statuses=[Assignment.Status.ACCEPTED,
                                                         Assignment.Status.REPORTED])  # fmt: skip
        _require(assignment.role != Assignment.Role.LEAD, _("The lead unit reports the result."))
        assignment.status, assignment.part = Assignment.Status.REPORTED, text
        audited_save(assignment, by=by)
        _event(case, CaseEvent.Kind.PART, by=by, unit=assignment.unit, note=text, at=now)
    return case


def case_report(case: Case, *, investigation: str, measures: str, outcome: str,
                decision_number: str = "", penalty_amount=None, files=(), by, now=None) -> Case:  # fmt: skip
    """The lead reports the result: investigation, measures and legal outcome."""
    investigation = _clean(investigation, _("The investigation"))
    measures = _clean(measures, _("The measures"))
    _require(outcome in Outcome.values and outcome, _("Choose the legal outcome."))
    decision_number = _clean(decision_number, _("The decision number"), required=False, limit=60)
    if outcome == Outcome.PENALTY:
        _require(bool(decision_number), _("A penalty needs its decision number."))
        try:
            amount = Decimal(str(penalty_amount))
        except Exception:
            raise ValidationError(_("A penalty needs its amount in yuan.")) from None
        _require(amount.is_finite() and amount > 0, _("A penalty needs its amount in yuan."))
        penalty_amount = amount.quantize(Decimal("0.01"))
    else:
        penalty_amount = None
    checked = check_attachments(files)
    now = now or timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        _require(case.state in {State.ACCEPTED, State.IN_PROGRESS, State.REOPENED},
                 _("A result is reported for a case being handled."))  # fmt: skip
        assignment = _my_assignment(case, by, statuses=[Assignment.Status.ACCEPTED],
                                    role=Assignment.Role.LEAD)  # fmt: skip
        if case.joint:
            missing = case.assignments.filter(role=Assignment.Role.JOINT).exclude(
                status__in=[Assignment.Status.REPORTED, Assignment.Status.ENDED]
            )
            _require(not missing.exists(), _("In joint enforcement every unit reports its part "
                                             "first: %(units)s.") % {
                "units": "、".join(a.unit.name for a in missing)})  # fmt: skip
        case.investigation, case.measures, case.outcome = investigation, measures, outcome
        case.decision_number, case.penalty_amount = decision_number, penalty_amount
        case.state, case.reported_at = State.REPORTED, now
        _set_clock(case, _today(now), _calendar().add_workdays(_today(now), VERIFY_WORKDAYS))
        _save(case, by, "result")
        _attach(case, checked, by)
        _event(case, CaseEvent.Kind.RESULT, by=by, unit=assignment.unit, at=now,
               note=f"{case.get_outcome_display()} {decision_number}".strip(),
               public_note=_("The handling unit reported its result; it is being verified."))  # fmt: skip
    return case


def may_verify(user, case: Case) -> bool:
    """Another unit than the lead: the bureau's dispatchers, or the officer of a grid
    above the case's place (the upper grid)."""
    if user.unit_id and user.unit_id == case.lead_id:
        return False
    if is_dispatcher_of(user, case):
        return True
    if user.role != Role.LIAISON or not user.unit_id or case.grid is None:
        return False
    grid, chain = case.grid.parent, []
    while grid is not None:
        chain.append(grid.unit_id)
        grid = grid.parent
    return user.unit_id in chain


def case_verify(case: Case, *, confirmed: bool, note: str, by, now=None) -> Case:
    note = _clean(note, _("What was seen on site"))
    now = now or timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if not may_verify(by, case):
            raise PermissionDenied(_("The result is verified by another unit or the upper grid."))
        _require(case.state == State.REPORTED, _("There is no reported result to verify."))
        case.verification, case.verified_by, case.verified_at = note, by, now
        if confirmed:
            case.state = State.VERIFIED
            _set_clock(case, _today(now), _calendar().add_workdays(_today(now), CLOSE_WORKDAYS))
            _save(case, by, "verified")
            _event(case, CaseEvent.Kind.VERIFIED, by=by, note=note, at=now,
                   public_note=_("The result was verified on site."))  # fmt: skip
        else:
            _event(case, CaseEvent.Kind.REJECTED, by=by, note=note, at=now)
            _reopen(case, by=by, now=now, why=note)
    return case


def _reopen(case: Case, *, by, now, why: str) -> None:
    # Closing ended the lead's assignment; the same unit handles the case again.
    lead = (
        case.assignments.filter(role=Assignment.Role.LEAD, unit=case.lead_id)
        .order_by("-assigned_at", "-pk")
        .first()
    )
    if lead is not None and lead.status == Assignment.Status.ENDED:
        lead.status = Assignment.Status.ACCEPTED
        audited_save(lead, by=by, reason="reopened")
    clocks = clocks_for(case.channel, case.category)
    case.state, case.reopened = State.REOPENED, case.reopened + 1
    case.closed_at = None
    case.finish_due = _finish_by(case, clocks, _today(now))
    _set_clock(case, _today(now), case.finish_due, clocks.finish_in_workdays)
    _save(case, by, "reopened")
    _event(case, CaseEvent.Kind.REOPENED, by=by, unit=case.lead, note=why, at=now,
           public_note=_("The case was reopened and is handled again."))  # fmt: skip


def case_close(case: Case, *, by, now=None) -> Case:
    """销号: the bureau closes a verified case; the result is told to the lower grid and
    the answer to the reporter falls due."""
    _require_dispatcher(case, by)
    now = now or timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        _require(case.state == State.VERIFIED, _("Only a verified case can be closed."))
        clocks = clocks_for(case.channel, case.category)
        case.state, case.closed_at = State.CLOSED, now
        due = _calendar().add_workdays(_today(now), clocks.answer_workdays)
        _set_clock(case, _today(now), due)
        _save(case, by, "closed")
        case.assignments.filter(status__in=[Assignment.Status.ACCEPTED, Assignment.Status.REPORTED]
                                ).update(status=Assignment.Status.ENDED)  # fmt: skip
        _event(case, CaseEvent.Kind.CLOSED, by=by, at=now,
               public_note=_("The case was closed."))  # fmt: skip
        if case.grid_id:
            _event(case, CaseEvent.Kind.TOLD_GRID, by=by, at=now, note=str(case.grid),
                   unit=case.grid.unit)  # fmt: skip
        for repeat in case.repeats.filter(state=State.MERGED):
            _event(repeat, CaseEvent.Kind.CLOSED, by=by, at=now, note=case.number,
                   public_note=_("Case %(number)s, which your report repeats, was closed.") % {
                       "number": case.number})  # fmt: skip
    return case


def case_answer(case: Case, *, text: str, by, now=None) -> Case:
    """The reporter is answered (by the bureau, which alone knows who they are); reports
    merged into this case get the same answer. A rating belongs to one answer: a new
    answer (after a reopening) may be rated again."""
    _require_dispatcher(case, by)
    text = _clean(text, _("The answer"))
    now = now or timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        _require(case.state == State.CLOSED, _("The reporter is answered once the case is closed."))
        for target in [case, *case.repeats.filter(state=State.MERGED)]:
            target.answer, target.answered_at = text, now
            target.satisfaction, target.rating_comment = "", ""
            if target.pk == case.pk:
                _set_clock(target, _today(now), None)
            _save(target, by, "answered")
            _event(target, CaseEvent.Kind.ANSWERED, by=by, at=now, public_note=text)
    return case


def case_rate(case: Case, *, satisfaction: str, comment: str = "", now=None) -> Case:
    """The reporter rates the answer (through the tracking code); dissatisfaction
    reopens the case, or its master case for a merged report."""
    _require(satisfaction in Satisfaction.values, _("Choose how satisfied you are."))
    comment = _clean(comment, _("The comment"), required=False, limit=1000)
    now = now or timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        _require(case.answered_at is not None, _("The case has not been answered yet."))
        _require(not case.satisfaction, _("This answer has already been rated."))
        case.satisfaction, case.rating_comment = satisfaction, comment
        _save(case, None, "rated")
        _event(case, CaseEvent.Kind.RATED, at=now, note=comment,
               public_note=case.get_satisfaction_display())  # fmt: skip
        if satisfaction == Satisfaction.DISSATISFIED:
            master = Case.objects.select_for_update().get(pk=case.duplicate_of_id or case.pk)
            if master.state == State.CLOSED:
                # The answer no longer stands: the repeat waits for its master's next one.
                if master.pk != case.pk:
                    case.answered_at = None
                    _save(case, None, "reopened master")
                master.answer, master.answered_at = "", None
                _reopen(master, by=None, now=now, why=_("The reporter is dissatisfied: %(comment)s")
                        % {"comment": comment or "—"})  # fmt: skip
                if master.pk == case.pk:
                    case = master
    return case


def case_suspend_request(case: Case, *, reason: str, by, now=None) -> Case:
    reason = _clean(reason, _("The reason"))
    now = now or timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        _require(case.state in {State.ACCEPTED, State.IN_PROGRESS, State.REOPENED},
                 _("Only a case being handled can be suspended."))  # fmt: skip
        assignment = _my_assignment(case, by, statuses=[Assignment.Status.ACCEPTED],
                                    role=Assignment.Role.LEAD)  # fmt: skip
        case.suspension_requested = reason
        _save(case, by, "suspension requested")
        _event(case, CaseEvent.Kind.SUSPENSION_ASKED, by=by, unit=assignment.unit, note=reason,
               at=now)  # fmt: skip
    return case


def case_suspend(case: Case, *, approve: bool, note: str = "", by, now=None) -> Case:
    """The bureau approves (or refuses) a requested suspension: the clock stops."""
    _require_dispatcher(case, by)
    now = now or timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        _require(bool(case.suspension_requested), _("No suspension was requested."))
        reason, case.suspension_requested = case.suspension_requested, ""
        if approve:
            case.state, case.suspended_on = State.SUSPENDED, _today(now)
            case.colour, case.stage = Colour.NONE, Stage.NONE
        _save(case, by, "suspension decided")
        _event(case, CaseEvent.Kind.SUSPENDED if approve else CaseEvent.Kind.NOTE, by=by, at=now,
               note=(reason if approve else _("Suspension refused: %(note)s") % {"note": note}),
               public_note=_("Handling is suspended.") if approve else None)  # fmt: skip
    return case


def case_resume(case: Case, *, by, now=None) -> Case:
    """Handling resumes; the finish deadline moves by the days the case was suspended."""
    _require_dispatcher(case, by)
    now = now or timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        _require(case.state == State.SUSPENDED, _("The case is not suspended."))
        paused = _today(now) - case.suspended_on
        case.finish_due = case.finish_due + paused if case.finish_due else None
        case.state, case.suspended_on = State.IN_PROGRESS, None
        _set_clock(case, case.clock_start or _today(now), case.finish_due, case.clock_workdays)
        _save(case, by, "resumed")
        _event(case, CaseEvent.Kind.RESUMED, by=by, at=now, note=str(case.finish_due),
               public_note=_("Handling resumed."))  # fmt: skip
    return case


def case_disclose(case: Case, *, summary: str, by, now=None) -> Case:
    """A closed case goes on the public portal with its public fields and this summary
    (002 §四.(三).7)."""
    _require_dispatcher(case, by)
    summary = _clean(summary, _("The public summary"), limit=2000)
    now = now or timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        _require(case.state == State.CLOSED, _("Only a closed case is disclosed."))
        case.public_summary, case.disclosed_at = summary, now
        _save(case, by, "disclosed")
        _event(case, CaseEvent.Kind.DISCLOSED, by=by, at=now,
               public_note=_("The result was published."))  # fmt: skip
    return case


def case_unlink(case: Case, *, by, now=None) -> Case:
    """A report wrongly taken for a repeat is handled on its own after all."""
    _require_dispatcher(case, by)
    now = now or timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        _require(case.state == State.MERGED, _("The case is not linked to another."))
        master, case.duplicate_of = case.duplicate_of, None
        case.state = State.REGISTERED
        _event(case, CaseEvent.Kind.NOTE, by=by, at=now,
               note=_("Not a repeat of %(number)s.") % {"number": master.number})  # fmt: skip
        routing = router_for(case.jurisdiction).route(
            case.text, locality=_locality(case.grid), category=case.category
        )
        _route_into_assignment(case, routing, by=by, now=now)
    return case


def case_note(case: Case, *, text: str, by, now=None) -> CaseEvent:
    """A remark on the case by anyone who may act on it (kept in the history)."""
    text = _clean(text, _("The note"))
    if not (access.can(by, access.CHANGE, case) or may_verify(by, case)):
        raise PermissionDenied(_("You may see this case but not write on it."))
    return _event(case, CaseEvent.Kind.NOTE, by=by, unit=by.unit, note=text, at=now)


# --- rewards ------------------------------------------------------------------------


def reward_decide(case: Case, *, rule: RewardRule, amount, decision_number: str, by,
                  today=None, now=None) -> Reward:  # fmt: skip
    """A reward for a verified report of a major violation, within the rule's range."""
    _require_dispatcher(case, by)
    _require(rule.active, _("This reward rule is no longer in force."))
    _require(case.state == State.CLOSED and case.outcome not in ("", Outcome.NO_VIOLATION),
             _("Only a closed case whose report proved true earns a reward."))  # fmt: skip
    try:
        amount = Decimal(str(amount)).quantize(Decimal("0.01"))
    except Exception:
        raise ValidationError(_("The amount must be a number of yuan.")) from None
    _require(rule.minimum <= amount <= rule.maximum,
             _("The amount must lie between %(min)s and %(max)s yuan.") % {
                 "min": f"{rule.minimum:.0f}", "max": f"{rule.maximum:.0f}"})  # fmt: skip
    _require(
        not Reporter.objects.filter(case=case, anonymous=True).exists(),
        _("An anonymous reporter cannot be paid: the bureau has no way to reach them."),
    )
    decision_number = _clean(decision_number, _("The decision number"), limit=60)
    with transaction.atomic():
        _require(
            not Reward.objects.filter(case=case).exists(), _("This case already has a reward.")
        )
        reward = Reward(case=case, rule=rule, amount=amount, decision_number=decision_number,
                        decided_on=today or _today(), decided_by=by)  # fmt: skip
        audited_save(reward, by=by)
        _event(case, CaseEvent.Kind.REWARD, by=by, note=f"{amount} {decision_number}", at=now)
    return reward


def reward_paid(reward: Reward, *, paid_on: datetime.date, reference: str, by) -> Reward:
    _require_dispatcher(reward.case, by)
    _require(reward.paid_on is None, _("This reward is already paid."))
    _require(paid_on >= reward.decided_on, _("A reward is paid after it is decided."))
    reward.paid_on = paid_on
    reward.payment_reference = _clean(reference, _("The payment reference"), limit=60)
    audited_save(reward, by=by)
    return reward


# --- clocks -------------------------------------------------------------------------


def owing_unit(case: Case) -> Unit | None:
    """Who must act now: the lead while it accepts or handles; None for the bureau."""
    if case.state in {State.ASSIGNED, State.TRANSFERRED, State.ACCEPTED, State.IN_PROGRESS,
                      State.REOPENED}:  # fmt: skip
        return case.lead
    return None


def clock_of(case: Case) -> Clock | None:
    if case.due is None or case.clock_start is None or case.state == State.SUSPENDED:
        return None
    return Clock(case.clock_start, case.due, case.clock_workdays)


def _record_clock(case: Case, what: str, colour, note: str, at) -> None:
    kind = CaseEvent.Kind.NOTICE if what == clocks.NOTICE else CaseEvent.Kind.ESCALATED
    if not note:
        note = _("%(state)s due %(due)s") % {"state": case.get_state_display(), "due": case.due}
    _event(case, kind, unit=owing_unit(case), colour=colour, at=at, note=note)


def _clock_message(case: Case, colour) -> Message:
    return Message(
        _("Case %(number)s: %(state)s due %(due)s")
        % {"number": case.number, "state": case.get_state_display(), "due": case.due},
        case.text[:500],
        case.get_absolute_url(),
        str(colour),
    )


clocks.register(
    clocks.Timed(
        kind=SupervisedKind.CASE,
        rows=lambda: (
            Case.objects.filter(state__in=OPEN_STATES | {State.CLOSED})
            .exclude(due=None)
            .select_related("lead", "jurisdiction")
        ),
        clock=clock_of,
        level=lambda case: Level(case.supervision),
        step=lambda case: (case.due, case.state),
        owing=owing_unit,
        record=_record_clock,
        message=_clock_message,
    )
)


def clocks_run(today: datetime.date | None = None) -> clocks.ScanReport:
    """Recompute every open case's colour and escalation (the shared scan, cases only)."""
    return clocks.scan(today, kinds=[SupervisedKind.CASE])
