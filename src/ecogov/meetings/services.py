"""The life of a coordination meeting: convened, topics proposed and decided, the agenda
built, units invited and their attendance recorded, minutes drafted, circulated for
corrections and issued with a document number; on issue each resolution becomes an item
of the supervision ledger (``supervision.services.item_create``), which times it,
reminds, escalates and takes its reports and verification like every other item.

Bad input raises ValidationError and changes nothing; a step the person may not take
raises PermissionDenied; a change to issued minutes raises ``MinutesIssued``.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov import access
from ecogov.accounts.models import Role
from ecogov.cases.models import DISPATCHER_STATES, OPEN_STATES, Case
from ecogov.domain.supervision import Colour, Level
from ecogov.meetings.models import (
    AgendaEntry,
    Correction,
    Invitation,
    Meeting,
    MeetingKind,
    Minutes,
    Resolution,
    Topic,
    TopicFile,
)
from ecogov.org.models import Unit
from ecogov.org.selectors import bureau_of
from ecogov.org.services import audited_save
from ecogov.supervision import services as supervision
from ecogov.supervision.models import Item, Kind
from ecogov.supervision.notify import Message, notify, people_of
from ecogov.uploads import DOCUMENTS, IMAGES, checked_uploads

text_of = supervision.text_of
OPEN_ITEM_STATES = (Item.State.OPEN, Item.State.COMPLETION_ASKED)


class MinutesIssued(ValidationError):
    """A change to minutes that are issued: they are a document of record (HTTP 409)."""

    def __init__(self):
        super().__init__(
            _(
                "These minutes are issued and cannot be changed: issue a correction instead "
                "(new minutes that correct them)."
            )  # fmt: skip
        )


# --- who may do what ----------------------------------------------------------------


def _acts(user) -> bool:
    """Leaders and discipline inspectors read and change nothing; grid workers have no
    part in meetings."""
    if access.is_admin(user):
        return True
    return bool(
        user.is_authenticated
        and user.is_active
        and user.unit_id
        and user.role in (Role.DISPATCHER, Role.LIAISON)
    )


def _home(user, jurisdiction_id) -> bool:
    return jurisdiction_id in access.home_jurisdictions(user)


def may_convene(user, jurisdiction, convener: Unit | None = None) -> bool:
    """The bureau's dispatchers call any meeting of their jurisdiction; a unit's people
    call the meetings their unit convenes (a key-work meeting, the annual meeting)."""
    if access.is_admin(user):
        return True
    if not _acts(user) or not _home(user, jurisdiction.pk):
        return False
    return user.role == Role.DISPATCHER or convener is None or user.unit_id == convener.pk


def runs(user, meeting: Meeting) -> bool:
    """The dispatchers of the jurisdiction and the convening unit's people run it."""
    if access.is_admin(user):
        return True
    if not _acts(user):
        return False
    if user.role == Role.DISPATCHER and _home(user, meeting.jurisdiction_id):
        return True
    return user.unit_id == meeting.convener_id


_require = supervision.require


def _require_runs(user, meeting: Meeting) -> None:
    _require(runs(user, meeting), _("Only the convening unit and the bureau run this meeting."),
             permission=True)  # fmt: skip


_units_of = supervision.units_of


def default_convener(jurisdiction, kind: str, user=None) -> Unit | None:
    """Seed 000 §四.(一): the bureau calls daily meetings, the government office the annual
    one, the asking unit a key-work meeting; seed 002 §四.2: the joint meeting's office is
    at the bureau."""
    if kind == MeetingKind.ANNUAL:
        return (
            Unit.objects.filter(jurisdiction=jurisdiction, kind=Unit.Kind.GOVERNMENT_OFFICE)
            .order_by("pk")
            .first()
        )
    if kind == MeetingKind.KEY_WORK and user is not None and getattr(user, "unit_id", None):
        return user.unit
    return bureau_of(jurisdiction)


def discipline_commission(jurisdiction) -> list[Unit]:
    return list(
        Unit.objects.filter(
            jurisdiction=jurisdiction, kind=Unit.Kind.DISCIPLINE_COMMISSION, is_active=True
        )
    )


# --- meetings -----------------------------------------------------------------------


def meeting_create(*, jurisdiction, kind: str, title: str, convener: Unit | None, starts_at,
                   place: str = "", chair: str = "", invite=(), by, at=None) -> Meeting:  # fmt: skip
    """A planned meeting; the convener and the discipline commission (seed 000
    §四.(二).3) are invited at once, with ``invite``."""
    _require(kind in MeetingKind.values, _("Choose the kind of meeting."))
    _require(convener is not None, _("Choose the convening unit."))
    _require(starts_at is not None, _("Give the date and time of the meeting."))
    [convener] = _units_of(jurisdiction, [convener], _("The convening unit"))
    _require(may_convene(by, jurisdiction, convener),
             _("Only the bureau and the convening unit call this meeting."), permission=True)  # fmt: skip
    invite = _units_of(jurisdiction, invite, _("An invited unit"))
    at = at or timezone.now()
    with transaction.atomic():
        meeting = Meeting(
            jurisdiction=jurisdiction, kind=kind, convener=convener, starts_at=starts_at,
            title=text_of(title, _("The title"), limit=200),
            place=text_of(place, _("The place"), required=False, limit=200),
            chair=text_of(chair, _("The chair"), required=False, limit=100),
            created_at=at, created_by=by if by.is_authenticated else None,
        )  # fmt: skip
        audited_save(meeting, by=by)
        for unit in [convener, *discipline_commission(jurisdiction), *invite]:
            Invitation.objects.get_or_create(meeting=meeting, unit=unit)
    _tell_invited(meeting, invite, at)
    return meeting


def _tell_invited(meeting: Meeting, units, at=None) -> None:
    when = timezone.localtime(meeting.starts_at)
    subject = _("Invitation: %(title)s, %(when)s, %(place)s") % {
        "title": meeting.title, "when": f"{when:%Y-%m-%d %H:%M}", "place": meeting.place}  # fmt: skip
    notify(people_of(units=units), Message(subject, "", meeting.get_absolute_url()), at)


def meeting_cancel(meeting: Meeting, *, reason: str, by) -> Meeting:
    _require_runs(by, meeting)
    _require(meeting.state == Meeting.State.PLANNED, _("Only a planned meeting can be cancelled."))
    meeting.cancel_reason = text_of(reason, _("The reason"), limit=300)
    meeting.state = Meeting.State.CANCELLED
    with transaction.atomic():
        audited_save(meeting, by=by, reason=meeting.cancel_reason)
    return meeting


def meeting_hold(meeting: Meeting, *, by) -> Meeting:
    """The meeting took place: its attendance and minutes follow."""
    _require_runs(by, meeting)
    _require(meeting.state == Meeting.State.PLANNED, _("Only a planned meeting can be held."))
    meeting.state = Meeting.State.HELD
    with transaction.atomic():
        audited_save(meeting, by=by, reason=_("held"))
    return meeting


def meeting_invite(meeting: Meeting, *, units, by) -> list[Invitation]:
    _require_runs(by, meeting)
    _require(meeting.state in (Meeting.State.PLANNED, Meeting.State.HELD),
             _("Units are invited before the minutes are issued."))  # fmt: skip
    units = _units_of(meeting.jurisdiction, units, _("An invited unit"))
    _require(bool(units), _("Choose the units to invite."))
    with transaction.atomic():
        invitations = [
            Invitation.objects.get_or_create(meeting=meeting, unit=unit) for unit in units
        ]
    _tell_invited(meeting, [invitation.unit for invitation, created in invitations if created])
    return [invitation for invitation, _created in invitations]


def invitation_remove(invitation: Invitation, *, by) -> None:
    meeting = invitation.meeting
    _require_runs(by, meeting)
    _require(
        meeting.state == Meeting.State.PLANNED, _("Invitations change only before the meeting.")
    )
    _require(invitation.unit.kind != Unit.Kind.DISCIPLINE_COMMISSION,
             _("The discipline commission is invited to every coordination meeting."))  # fmt: skip
    _require(invitation.unit_id != meeting.convener_id, _("The convening unit takes part."))
    invitation.delete()


def attendance_record(meeting: Meeting, *, unit: Unit | None, attendance: str, person: str = "",
                      position: str = "", by) -> Invitation:  # fmt: skip
    """Who came for a unit: a person with a position, a substitute, or nobody."""
    _require_runs(by, meeting)
    _require(meeting.state in (Meeting.State.PLANNED, Meeting.State.HELD),
             _("Attendance is recorded before the minutes are issued."))  # fmt: skip
    _require(unit is not None, _("Choose the unit."))
    _require(attendance in Invitation.Attendance.values, _("Choose the attendance."))
    invitation = Invitation.objects.filter(meeting=meeting, unit=unit).first()
    _require(invitation is not None, _("Invite the unit first."))
    person = text_of(person, _("The name"), required=False, limit=60)
    position = text_of(position, _("The position"), required=False, limit=60)
    came = attendance in (Invitation.Attendance.PRESENT, Invitation.Attendance.SUBSTITUTE)
    _require(not came or bool(person), _("Give the name of who came for the unit."))
    invitation.attendance = attendance
    invitation.person, invitation.position = (person, position) if came else ("", "")
    invitation.save()
    return invitation


# --- topics -------------------------------------------------------------------------


def topic_propose(*, unit: Unit | None, title: str, text: str = "", meeting: Meeting | None = None,
                  files=(), by, at=None) -> Topic:  # fmt: skip
    """A unit proposes a topic (议题申报) for a meeting or for the next one."""
    _require(may_propose(by), _("A unit's liaison proposes topics."), permission=True)
    unit = unit or by.unit
    _require(access.is_admin(by) or unit.pk == by.unit_id,
             _("You propose topics for your own unit only."), permission=True)  # fmt: skip
    if meeting is not None:
        _require(
            meeting.jurisdiction_id == unit.jurisdiction_id, _("Choose a meeting from the list.")
        )
        _require(meeting.state == Meeting.State.PLANNED,
                 _("Topics are proposed for a meeting that is still planned."))  # fmt: skip
    title = text_of(title, _("The topic"), limit=200)
    text = text_of(text, _("The explanation"), required=False)
    checked = checked_uploads(
        files, IMAGES | DOCUMENTS,
        _("Material must be photos (JPEG, PNG, WebP), PDF, Word (.docx) or Excel (.xlsx) files."),
    )  # fmt: skip
    at = at or timezone.now()
    with transaction.atomic():
        topic = Topic.objects.create(
            jurisdiction=unit.jurisdiction, meeting=meeting, unit=unit, title=title, text=text,
            proposed_at=at, proposed_by=by,
        )  # fmt: skip
        for upload, kind in checked:
            TopicFile.objects.create(
                topic=topic, file=upload, kind=kind, name=(upload.name or "")[:200]
            )
    conveners = [meeting.convener] if meeting else [bureau_of(unit.jurisdiction)]
    notify(people_of(units=conveners), Message(_("Topic proposed: %(t)s") % {"t": title}, text[:500],
           meeting.get_absolute_url() if meeting else ""), at)  # fmt: skip
    return topic


def topic_decide(topic: Topic, *, accept: bool, reason: str = "", meeting: Meeting | None = None,
                 by, at=None) -> Topic:  # fmt: skip
    """The convener accepts a topic (for its meeting, or for the one it chooses) or
    declines it with the reason."""
    _require(topic.state == Topic.State.PROPOSED, _("This topic has been decided already."))
    target = topic.meeting or meeting
    if target is None:
        _require(not accept, _("Choose the meeting the topic goes to."))
        _require(access.is_admin(by) or (_acts(by) and by.role == Role.DISPATCHER
                 and _home(by, topic.jurisdiction_id)),
                 _("Only the convening unit and the bureau decide on topics."), permission=True)  # fmt: skip
    else:
        _require(
            target.jurisdiction_id == topic.jurisdiction_id, _("Choose a meeting from the list.")
        )
        _require(runs(by, target), _("Only the convening unit and the bureau decide on topics."),
                 permission=True)  # fmt: skip
        _require(not accept or target.state in (Meeting.State.PLANNED, Meeting.State.HELD),
                 _("Topics go to a meeting that has not issued its minutes."))  # fmt: skip
    reason = text_of(reason, _("The reason"), required=not accept, limit=300)
    topic.state = Topic.State.ACCEPTED if accept else Topic.State.DECLINED
    if accept:
        topic.meeting = target
    topic.reason, topic.decided_at, topic.decided_by = reason, at or timezone.now(), by
    topic.save()
    return topic


# --- the agenda ---------------------------------------------------------------------


def agenda_candidates(meeting: Meeting) -> dict[str, list]:
    """What the agenda may take: accepted topics, the cases for the coordination meeting
    and those whose lead is disputed, red supervised items, earlier resolutions still
    open (review)."""
    on = meeting.agenda.all()
    jurisdiction = meeting.jurisdiction
    open_items = Item.objects.filter(jurisdiction=jurisdiction, state__in=OPEN_ITEM_STATES)
    return {
        AgendaEntry.Kind.TOPIC: list(
            meeting.topics.filter(state=Topic.State.ACCEPTED)
            .exclude(pk__in=on.exclude(topic=None).values("topic"))
            .select_related("unit")
        ),
        AgendaEntry.Kind.CASE: list(
            Case.objects.filter(jurisdiction=jurisdiction, state__in=OPEN_STATES)
            .filter(Q(coordination=True) | Q(state__in=DISPATCHER_STATES, lead=None))
            .exclude(pk__in=on.exclude(case=None).values("case"))
            .order_by("registered_at")[:100]
        ),
        AgendaEntry.Kind.ITEM: list(
            open_items.filter(colour=Colour.RED)
            .exclude(pk__in=on.exclude(item=None).values("item"))
            .select_related("lead")[:100]
        ),
        AgendaEntry.Kind.REVIEW: list(
            open_items.filter(kind=Kind.RESOLUTION)
            .exclude(resolutions__minutes__meeting=meeting)
            .exclude(pk__in=on.exclude(item=None).values("item"))
            .select_related("lead")
            .distinct()[:100]
        ),
    }


def _case_title(case: Case) -> str:
    why = _("disputed responsibility") if case.state in DISPATCHER_STATES and not case.lead_id \
        else _("for the coordination meeting")  # fmt: skip
    return f"{case.number}（{why}）{case.text[:120]}"


def agenda_add(meeting: Meeting, *, kind: str, ref=None, text: str = "", by) -> AgendaEntry:
    """One more entry at the end of the agenda: a candidate by its id, or free text."""
    _require_runs(by, meeting)
    _require(meeting.state in (Meeting.State.PLANNED, Meeting.State.HELD),
             _("The agenda changes until the minutes are issued."))  # fmt: skip
    entry = AgendaEntry(meeting=meeting, kind=kind)
    if kind == AgendaEntry.Kind.TEXT:
        entry.title = text_of(text, _("The agenda entry"), limit=300)
    else:
        _require(kind in AgendaEntry.Kind.values, _("Choose what to put on the agenda."))
        candidates = {obj.pk: obj for obj in agenda_candidates(meeting)[kind]}
        try:
            chosen = candidates.get(int(str(ref)))
        except (TypeError, ValueError):
            chosen = None
        _require(chosen is not None, _("Choose an entry from the candidates of this meeting."))
        if kind == AgendaEntry.Kind.TOPIC:
            entry.topic, entry.title = chosen, f"{chosen.title}（{chosen.unit.name}）"
        elif kind == AgendaEntry.Kind.CASE:
            entry.case, entry.title = chosen, _case_title(chosen)
        else:
            entry.item, entry.title = chosen, f"{chosen.number} {chosen.title}"[:300]
    with transaction.atomic():
        last = meeting.agenda.aggregate(last=Max("order"))["last"] or 0
        entry.order = last + 1
        entry.save()
    return entry


def agenda_remove(entry: AgendaEntry, *, by) -> None:
    _require_runs(by, entry.meeting)
    _require(entry.meeting.state in (Meeting.State.PLANNED, Meeting.State.HELD),
             _("The agenda changes until the minutes are issued."))  # fmt: skip
    with transaction.atomic():
        meeting = entry.meeting
        entry.delete()
        for order, other in enumerate(meeting.agenda.order_by("order", "pk"), start=1):
            if other.order != order:
                AgendaEntry.objects.filter(pk=other.pk).update(order=order)


def agenda_move(entry: AgendaEntry, *, up: bool, by) -> None:
    """One place up or down."""
    _require_runs(by, entry.meeting)
    _require(entry.meeting.state in (Meeting.State.PLANNED, Meeting.State.HELD),
             _("The agenda changes until the minutes are issued."))  # fmt: skip
    entries = list(entry.meeting.agenda.order_by("order", "pk"))
    index = next(i for i, other in enumerate(entries) if other.pk == entry.pk)
    swap = index - 1 if up else index + 1
    if not 0 <= swap < len(entries):
        return
    entries[index], entries[swap] = entries[swap], entries[index]
    with transaction.atomic():
        for order, other in enumerate(entries, start=1):
            AgendaEntry.objects.filter(pk=other.pk).update(order=order)


# --- minutes ------------------------------------------------------------------------


def require_editable(minutes: Minutes, by) -> None:
    _require_runs(by, minutes.meeting)
    if minutes.issued:
        raise MinutesIssued()


def minutes_draft(meeting: Meeting, *, title: str = "", text: str = "", by, at=None,
                  corrects: Minutes | None = None) -> Minutes:  # fmt: skip
    """The convener's draft of the minutes of a meeting that was held."""
    _require_runs(by, meeting)
    if corrects is None:
        _require(meeting.state == Meeting.State.HELD,
                 _("Minutes are drafted once the meeting has been held."))  # fmt: skip
        _require(not meeting.minutes.exists(),
                 _("This meeting has minutes already; correct them after they are issued."))  # fmt: skip
    else:
        _require(not meeting.minutes.exclude(state=Minutes.State.ISSUED).exists(),
                 _("A draft of this meeting's minutes is open already."))  # fmt: skip
    at = at or timezone.now()
    minutes = Minutes(
        meeting=meeting, corrects=corrects,
        title=text_of(title or f"{meeting.title}{'纪要' if not meeting.title.endswith('纪要') else ''}",
                      _("The title"), limit=200),
        text=text_of(text, _("The text"), required=False, limit=20000),
        created_at=at, created_by=by if by.is_authenticated else None,
    )  # fmt: skip
    with transaction.atomic():
        audited_save(minutes, by=by)
    return minutes


def minutes_edit(minutes: Minutes, *, title: str, text: str, by) -> Minutes:
    require_editable(minutes, by)
    minutes.title = text_of(title, _("The title"), limit=200)
    minutes.text = text_of(text, _("The text"), required=False, limit=20000)
    with transaction.atomic():
        audited_save(minutes, by=by, reason=_("edited"))
    return minutes


def _resolution_fields(minutes: Minutes, *, text, lead, support, deadline, ongoing, report_every,
                       level) -> dict:  # fmt: skip
    jurisdiction = minutes.meeting.jurisdiction
    _require(lead is not None, _("Name the lead unit that must carry it out."))
    [lead] = _units_of(jurisdiction, [lead], _("The lead unit"))
    support = [
        u for u in _units_of(jurisdiction, support or (), _("A supporting unit")) if u != lead
    ]
    _require(ongoing or deadline is not None,
             _("Give a deadline, or mark the item as ongoing with a reporting rhythm."))  # fmt: skip
    _require(
        not (ongoing and deadline), _("An ongoing item has no deadline; choose one of the two.")
    )
    _require(level in {choice.value for choice in Level}, _("Unknown supervision level."))
    try:
        report_every = int(report_every or 1)
    except (TypeError, ValueError):
        report_every = 0
    _require(1 <= report_every <= 12, _("Reports are due every 1 to 12 months."))
    return {
        "text": text_of(text, _("The resolution")),
        "lead": lead, "support": support, "deadline": None if ongoing else deadline,
        "ongoing": bool(ongoing), "report_every": report_every, "level": level,
    }  # fmt: skip


def resolution_add(minutes: Minutes, *, text: str, lead: Unit | None, support=(), deadline=None,
                   ongoing=False, report_every=1, level: str = Level.GENERAL, by,
                   replaces: Resolution | None = None) -> Resolution:  # fmt: skip
    """A resolution (议定事项) of draft minutes; a lead unit is required."""
    require_editable(minutes, by)
    fields = _resolution_fields(minutes, text=text, lead=lead, support=support, deadline=deadline,
                                ongoing=ongoing, report_every=report_every, level=level)  # fmt: skip
    support = fields.pop("support")
    with transaction.atomic():
        last = minutes.resolutions.aggregate(last=Max("order"))["last"] or 0
        resolution = Resolution(minutes=minutes, order=last + 1, replaces=replaces, **fields)
        resolution.full_clean()
        resolution.save()
        resolution.support.set(support)
    return resolution


def resolution_change(resolution: Resolution, *, text: str, lead: Unit | None, support=(),
                      deadline=None, ongoing=False, report_every=1, level: str = Level.GENERAL,
                      by) -> Resolution:  # fmt: skip
    require_editable(resolution.minutes, by)
    fields = _resolution_fields(resolution.minutes, text=text, lead=lead, support=support,
                                deadline=deadline, ongoing=ongoing, report_every=report_every,
                                level=level)  # fmt: skip
    support = fields.pop("support")
    with transaction.atomic():
        for name, value in fields.items():
            setattr(resolution, name, value)
        resolution.full_clean()
        resolution.save()
        resolution.support.set(support)
    return resolution


def resolution_remove(resolution: Resolution, *, by) -> None:
    minutes = resolution.minutes
    require_editable(minutes, by)
    with transaction.atomic():
        resolution.delete()
        for order, other in enumerate(minutes.resolutions.order_by("order", "pk"), start=1):
            if other.order != order:
                Resolution.objects.filter(pk=other.pk).update(order=order)


def attending_units(meeting: Meeting) -> list[Unit]:
    return [
        invitation.unit
        for invitation in meeting.invitations.select_related("unit")
        if invitation.came
    ]


def minutes_circulate(minutes: Minutes, *, by, at=None) -> Minutes:
    """The draft goes to the attending units for their corrections."""
    require_editable(minutes, by)
    _require(minutes.state == Minutes.State.DRAFT, _("These minutes are circulating already."))
    _require(bool(attending_units(minutes.meeting)),
             _("Record who attended before circulating the minutes."))  # fmt: skip
    at = at or timezone.now()
    minutes.state = Minutes.State.CIRCULATING
    with transaction.atomic():
        audited_save(minutes, by=by, reason=_("circulated for corrections"))
    notify(people_of(units=attending_units(minutes.meeting)),
           Message(_("Minutes for your corrections: %(t)s") % {"t": minutes.title}, "",
                   minutes.get_absolute_url()), at)  # fmt: skip
    return minutes


def may_correct(user, minutes: Minutes) -> bool:
    """An attending unit's liaison (or dispatcher) comments for its own unit."""
    return bool(
        minutes.state == Minutes.State.CIRCULATING
        and user.is_authenticated
        and user.is_active
        and user.unit_id
        and user.role in (Role.LIAISON, Role.DISPATCHER)
        and any(unit.pk == user.unit_id for unit in attending_units(minutes.meeting))
    )


def correction_post(minutes: Minutes, *, text: str, by, at=None) -> Correction:
    """A unit's correction to circulating minutes, for its own unit."""
    if minutes.issued:
        raise MinutesIssued()
    _require(minutes.state == Minutes.State.CIRCULATING,
             _("Corrections are posted while the minutes circulate."))  # fmt: skip
    _require(may_correct(by, minutes),
             _("Only the attending units post corrections, each for itself."), permission=True)  # fmt: skip
    return Correction.objects.create(
        minutes=minutes, unit=by.unit, text=text_of(text, _("The correction")),
        at=at or timezone.now(), by=by,
    )  # fmt: skip


def _same(resolution: Resolution, earlier: Resolution) -> bool:
    keys = ("text", "lead_id", "deadline", "ongoing", "report_every", "level")
    return all(getattr(resolution, key) == getattr(earlier, key) for key in keys) and set(
        resolution.support.values_list("pk", flat=True)
    ) == set(earlier.support.values_list("pk", flat=True))


def minutes_issue(minutes: Minutes, *, number: str, by, at=None) -> Minutes:
    """Issue the minutes with their document number (城环委纪〔2026〕3号): each resolution
    becomes a supervised item led by its lead unit and supervised by the convener. A
    correction keeps the items of the resolutions it repeats unchanged (closed ones stay
    closed) and cancels the open items of those it changes or drops."""
    require_editable(minutes, by)
    meeting = minutes.meeting
    number = text_of(number, _("The document number"), limit=60)
    _require(bool(attending_units(meeting)), _("Record who attended before issuing the minutes."))
    taken = Minutes.objects.filter(
        meeting__jurisdiction=meeting.jurisdiction, state=Minutes.State.ISSUED, number=number
    )
    _require(not taken.exists(), _("Document number %(n)s is taken.") % {"n": number})
    _require(minutes.state == Minutes.State.CIRCULATING,
             _("Circulate the minutes to the attending units for their corrections first."))  # fmt: skip
    at = at or timezone.now()
    source = f"{minutes.title}（{number}）"
    with transaction.atomic():
        minutes.number, minutes.state = number, Minutes.State.ISSUED
        minutes.issued_at, minutes.issued_by = at, by if by.is_authenticated else None
        audited_save(minutes, by=by, reason=_("issued"))
        kept = set()
        for resolution in minutes.resolutions.select_related("replaces__item").order_by("order"):
            earlier = resolution.replaces
            if earlier and earlier.item_id and _same(resolution, earlier):
                resolution.item = earlier.item
                kept.add(earlier.item_id)
            else:
                resolution.item = supervision.item_create(
                    jurisdiction=meeting.jurisdiction, kind=Kind.RESOLUTION,
                    title=resolution.text.splitlines()[0][:200], text=resolution.text,
                    source=source, lead=resolution.lead, support=list(resolution.support.all()),
                    supervisor=meeting.convener, deadline=resolution.deadline,
                    ongoing=resolution.ongoing, report_every=resolution.report_every,
                    level=resolution.level, by=by, at=at,
                )  # fmt: skip
            resolution.save(update_fields=["item"])
        if minutes.corrects is not None:
            superseded = (
                Item.objects.filter(
                    resolutions__minutes=minutes.corrects, state__in=OPEN_ITEM_STATES
                )
                .exclude(pk__in=kept)
                .distinct()
            )
            for item in superseded:
                supervision.item_cancel(
                    item, by=by, at=at,
                    reason=_("Superseded by the correction %(n)s.") % {"n": number},
                )  # fmt: skip
        if meeting.state != Meeting.State.MINUTES_ISSUED:
            meeting.state = Meeting.State.MINUTES_ISSUED
            audited_save(meeting, by=by, reason=_("minutes issued"))
    return minutes


def minutes_correct(minutes: Minutes, *, by, at=None) -> Minutes:
    """A correction of issued minutes: new draft minutes that correct them, starting as
    their copy (text and resolutions), to be changed and issued with a new number."""
    _require_runs(by, minutes.meeting)
    _require(minutes.issued, _("Draft minutes are edited, not corrected."))
    with transaction.atomic():
        correction = minutes_draft(minutes.meeting, title=minutes.title, text=minutes.text, by=by,
                                   at=at, corrects=minutes)  # fmt: skip
        for resolution in minutes.resolutions.order_by("order"):
            resolution_add(
                correction, text=resolution.text, lead=resolution.lead,
                support=list(resolution.support.all()), deadline=resolution.deadline,
                ongoing=resolution.ongoing, report_every=resolution.report_every,
                level=resolution.level, by=by, replaces=resolution,
            )  # fmt: skip
    return correction


def current_minutes(meeting: Meeting) -> Minutes | None:
    """The latest issued minutes, else the open draft."""
    issued = meeting.minutes.filter(state=Minutes.State.ISSUED).order_by("-issued_at", "-pk")
    return issued.first() or meeting.minutes.order_by("-created_at", "-pk").first()


# --- where a resolution's item comes from ---------------------------------------------


def _origin(item: Item):
    resolution = (
        Resolution.objects.filter(item=item, minutes__state=Minutes.State.ISSUED)
        .select_related("minutes")
        .order_by("-minutes__issued_at", "-pk")
        .first()
    )
    if resolution is None:
        return None
    minutes = resolution.minutes
    label = _("%(title)s (%(number)s), resolution %(order)d") % {
        "title": minutes.title, "number": minutes.number, "order": resolution.order}  # fmt: skip
    return label, minutes.get_absolute_url()


supervision.register_origin(Kind.RESOLUTION, _origin)


def deadline_text(resolution) -> str:
    """完成时限 as offices write it."""
    if resolution.ongoing:
        return f"持续推进（每{resolution.report_every}个月报送一次进展）"
    day = resolution.deadline
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def may_propose(user) -> bool:
    return bool(_acts(user) and user.unit_id)
