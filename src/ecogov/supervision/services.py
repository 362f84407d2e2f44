"""The life of a supervised item, for every kind of the ledger: created with a lead unit
and a deadline (or ongoing, reporting every few months), progress reported with
evidence, completion asked by the lead unit, verified and closed by the supervising unit
or sent back, the deadline extended with a reason, the lead reassigned. Each step is an
``ItemEvent``; the clock it starts is timed by ``clocks.scan`` like every other.

Bad input raises ValidationError and changes nothing; a step the person may not take
raises PermissionDenied.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov import access
from ecogov.accounts.models import Role
from ecogov.domain import supervision as rules
from ecogov.domain.supervision import Clock, Colour, Level, Stage, next_report_due
from ecogov.org.models import Unit
from ecogov.org.services import audited_save
from ecogov.params import form_number
from ecogov.supervision import clocks
from ecogov.supervision.models import Evidence, Item, ItemEvent, Kind
from ecogov.supervision.notify import Message, notify, people_of
from ecogov.text import clean_text, visible
from ecogov.uploads import DOCUMENTS, IMAGES, checked_uploads

MAX_TEXT = 8000
VERIFY_WORKDAYS = 5
EVIDENCE_KINDS = IMAGES | DOCUMENTS
OWN_KINDS = frozenset(Kind) - {Kind.TASK, Kind.CASE}


def _today() -> datetime.date:
    return timezone.localdate()


def moment(at) -> tuple[datetime.datetime, datetime.date]:
    """When a step is taken (now unless tests or the sample data pass ``at``) and its
    local day."""
    at = at or timezone.now()
    return at, timezone.localdate(at)


def text_of(value, what: str, *, required=True, limit=MAX_TEXT) -> str:
    """Text as it enters: cleaned, required if asked, not longer than ``limit``."""
    value = clean_text(value or "").strip()
    if required and not visible(value):
        raise ValidationError(_("%(what)s is required.") % {"what": what})
    if len(value) > limit:
        raise ValidationError(
            _("%(what)s is too long (at most %(n)d characters).") % {"what": what, "n": limit}
        )
    return value


def check_evidence(files):
    return checked_uploads(
        files, EVIDENCE_KINDS,
        _("Evidence must be photos (JPEG, PNG, WebP), PDF, Word (.docx) or Excel (.xlsx) files."),
    )  # fmt: skip


def _actor(by):
    return by if by is not None and by.is_authenticated else None


def _event(item: Item, kind: str, *, by=None, unit=None, note="", percent=None, colour="",
           at=None, files=()) -> ItemEvent:  # fmt: skip
    event = ItemEvent.objects.create(
        item=item, kind=kind, at=at or timezone.now(), actor=_actor(by), unit=unit,
        note=note, percent=percent, colour=colour,
    )  # fmt: skip
    for upload, kind_ in files:
        Evidence.objects.create(
            event=event, file=upload, kind=kind_, name=(upload.name or "")[:200]
        )
    return event


def record(item: Item, kind: str, *, by=None, unit=None, note="", at=None,
           files=()) -> ItemEvent:  # fmt: skip
    """A step of a kind's own written into the item's history (an objection received, a
    look-back that found the rectification holding); ``files`` are checked uploads."""
    return _event(item, kind, by=by, unit=unit, note=note, at=at, files=files)


# --- who may do what ----------------------------------------------------------------


def supervises(user, item: Item) -> bool:
    """The supervising unit's people (not its inspectors), the bureau's dispatchers of
    the item's jurisdiction, and administrators verify, extend and reassign."""
    if access.is_admin(user):
        return True
    if not (user.is_authenticated and user.is_active) or user.role == Role.INSPECTOR:
        return False
    if user.role == Role.DISPATCHER and item.jurisdiction_id in access.home_jurisdictions(user):
        return True
    return (
        bool(user.unit_id) and user.unit_id == item.supervisor_id and user.role != Role.GRID_WORKER
    )


def handles(user, item: Item) -> bool:
    """The lead unit's liaison reports and asks for completion (dispatchers may for it)."""
    if supervises(user, item) and user.role != Role.LEADER:
        return True
    return bool(
        user.is_authenticated and user.role == Role.LIAISON and user.unit_id == item.lead_id
    )


def contributes(user, item: Item) -> bool:
    """A supporting unit's liaison reports its part."""
    return handles(user, item) or bool(
        user.is_authenticated
        and user.role == Role.LIAISON
        and item.support.filter(pk=user.unit_id).exists()
    )


def may_report_anything(user) -> bool:
    """Whether the person may report on some item (the import of progress is offered)."""
    return access.is_admin(user) or user.role in (Role.LIAISON, Role.DISPATCHER)


def require(condition: bool, message: str, *, permission=False) -> None:
    """Refuse: a ValidationError (bad input) or, with ``permission``, PermissionDenied."""
    if not condition:
        raise (PermissionDenied if permission else ValidationError)(message)


def _require_open(item: Item) -> None:
    require(item.is_open, _("This item is closed: nothing can be reported on it any more."))


# --- clocks -------------------------------------------------------------------------


def _restart(item: Item, start: datetime.date, due: datetime.date | None, workdays=False) -> None:
    item.clock_start, item.due, item.clock_workdays = start, due, workdays
    item.colour, item.stage = Colour.NONE, Stage.NONE


def _handling_clock(item: Item, since: datetime.date) -> None:
    """The clock of the lead unit: to the deadline, or to the next report if ongoing."""
    if item.ongoing:
        _restart(item, since, next_report_due(since, item.report_every))
    else:
        _restart(item, since, item.deadline)


def clock_of(item: Item) -> Clock | None:
    if not item.is_open or item.due is None or item.clock_start is None:
        return None
    return Clock(item.clock_start, item.due, item.clock_workdays)


def judge(item: Item, today: datetime.date, count) -> tuple[Colour, Stage]:
    """The clock's colour and escalation, or red and at least as far as the item was
    raised by a decision (a relapse)."""
    clock = clock_of(item)
    colour = rules.colour(clock, today, count)
    stage = rules.stage(clock, today, Level(item.level), count)
    if item.raised:
        return Colour.RED, Stage(max(stage, item.raised))
    return colour, stage


_OWING: dict[str, object] = {}


def register_owing(kind: str, who) -> None:
    """A kind whose verifier is another unit than the supervising one (a rectification
    problem's acceptance unit) says who owes the step now: ``who(item) -> Unit | None``
    (None: the bureau's dispatchers)."""
    _OWING[kind] = who


def owing(item: Item) -> Unit | None:
    """Who must act now: the lead unit, or the supervising unit once completion is
    asked (unless the kind says otherwise)."""
    if item.state == Item.State.COMPLETION_ASKED and item.kind in _OWING:
        return _OWING[item.kind](item)
    return item.supervisor if item.state == Item.State.COMPLETION_ASKED else item.lead


def _message(item: Item, colour) -> Message:
    if item.state == Item.State.COMPLETION_ASKED:
        subject = _("%(number)s: verify the completion of “%(title)s” by %(due)s")
    elif item.ongoing:
        subject = _("%(number)s: the progress report on “%(title)s” is due %(due)s")
    else:
        subject = _("%(number)s: “%(title)s” is due %(due)s")
    return Message(
        subject % {"number": item.number, "title": item.title, "due": item.due},
        item.text[:500], item.get_absolute_url(), str(colour),
    )  # fmt: skip


def _record(item: Item, what: str, colour, note: str, at) -> None:
    kind = ItemEvent.Kind.NOTICE if what == clocks.NOTICE else ItemEvent.Kind.ESCALATED
    _event(item, kind, unit=owing(item), colour=colour, at=at,
           note=note or _("due %(due)s") % {"due": item.due})  # fmt: skip


clocks.register(
    clocks.Timed(
        kind="item",
        rows=lambda: (
            Item.objects.filter(state__in=[Item.State.OPEN, Item.State.COMPLETION_ASKED])
            .exclude(due=None)
            .select_related("lead", "supervisor", "jurisdiction")
        ),
        clock=clock_of,
        level=lambda item: Level(item.level),
        step=lambda item: (item.due, item.state, item.clock_start, item.raised),
        owing=owing,
        judge=judge,
        record=_record,
        message=_message,
    )
)


# --- steps --------------------------------------------------------------------------


def _next_number(jurisdiction, year: int) -> str:
    prefix = f"DB-{jurisdiction.code or jurisdiction.pk}-{year}-"
    last = Item.objects.filter(number__startswith=prefix).aggregate(last=Max("number"))["last"]
    following = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{following:04d}"


def units_of(jurisdiction, units, what: str) -> list[Unit]:
    """The units given (None left out), each of ``jurisdiction``, else a refusal."""
    units = [unit for unit in units if unit is not None]
    for unit in units:
        if unit.jurisdiction_id != jurisdiction.pk:
            raise ValidationError(
                _("%(what)s must be a unit of %(place)s.") % {"what": what, "place": jurisdiction}
            )
    return units


def item_create(*, jurisdiction, kind: str, title: str, lead: Unit | None, supervisor: Unit,
                support=(), text: str = "", source: str = "", deadline=None, ongoing=False,
                report_every: int = 1, level: str = Level.GENERAL, by=None, at=None,
                notify_lead: bool = True) -> Item:  # fmt: skip
    """A new item on the ledger. A lead unit and either a deadline or "ongoing" are
    required; the lead's liaisons are told."""
    require(kind in OWN_KINDS, _("Unknown kind of supervised item."))
    require(lead is not None, _("Name the lead unit that must carry it out."))
    require(ongoing or deadline is not None,
             _("Give a deadline, or mark the item as ongoing with a reporting rhythm."))  # fmt: skip
    require(
        not (ongoing and deadline), _("An ongoing item has no deadline; choose one of the two.")
    )
    require(level in {choice.value for choice in Level}, _("Unknown supervision level."))
    require(1 <= int(report_every) <= 12, _("Reports are due every 1 to 12 months."))
    [lead] = units_of(jurisdiction, [lead], _("The lead unit"))
    support = [u for u in units_of(jurisdiction, support, _("A supporting unit")) if u != lead]
    at = at or timezone.now()
    with transaction.atomic():
        item = Item(
            jurisdiction=jurisdiction, kind=kind, title=text_of(title, _("The title"), limit=200),
            text=text_of(text, _("The content"), required=False),
            source=text_of(source, _("The source document"), required=False, limit=300),
            lead=lead, supervisor=supervisor, level=level, deadline=deadline, ongoing=ongoing,
            report_every=report_every, created_at=at, created_by=_actor(by),
        )  # fmt: skip
        _handling_clock(item, timezone.localdate(at))
        for attempt in range(3):
            item.number = _next_number(jurisdiction, timezone.localdate(at).year)
            try:
                with transaction.atomic():
                    audited_save(item, by=by)
                break
            except IntegrityError:
                if attempt == 2:
                    raise
        item.support.set(support)
        _event(item, ItemEvent.Kind.CREATED, by=by, unit=lead, at=at, note=item.source)
    if notify_lead:
        notify(people_of(units=[lead, *support]), _message(item, ""), at)
    return item


def item_report(item: Item, *, text: str, by, percent=None, files=(), at=None) -> ItemEvent:
    """A progress report (进展情况) by the lead or a supporting unit, with evidence. An
    ongoing item's next report is then due a rhythm later."""
    _require_open(item)
    require(contributes(by, item), _("Only the lead and supporting units report on this item."),
             permission=True)  # fmt: skip
    text = text_of(text, _("The progress report"))
    if percent not in (None, ""):
        try:
            percent = int(percent)
        except (TypeError, ValueError):
            raise ValidationError(
                _("The percentage must be a whole number from 0 to 100.")
            ) from None
        require(0 <= percent <= 100, _("The percentage must be a whole number from 0 to 100."))
    else:
        percent = None
    checked = check_evidence(files)
    at = at or timezone.now()
    with transaction.atomic():
        unit = by.unit if getattr(by, "unit_id", None) else None
        event = _event(item, ItemEvent.Kind.REPORTED, by=by, unit=unit, note=text,
                       percent=percent, files=checked, at=at)  # fmt: skip
        if item.ongoing and item.state == Item.State.OPEN and unit == item.lead:
            _handling_clock(item, timezone.localdate(at))
            audited_save(item, by=by, reason=_("progress reported"))
    return event


def item_ask_completion(item: Item, *, text: str, by, files=(), at=None,
                        workdays: int = VERIFY_WORKDAYS) -> Item:  # fmt: skip
    """The lead unit reports the item done, with evidence; the supervisor verifies it
    within ``workdays`` working days (five unless the kind says otherwise)."""
    require(item.state == Item.State.OPEN, _("Only an item being handled can be reported done."))
    require(handles(by, item), _("Only the lead unit asks to close this item."), permission=True)
    text = text_of(text, _("What was done"))
    checked = check_evidence(files)
    at = at or timezone.now()
    today = timezone.localdate(at)
    with transaction.atomic():
        item.state = Item.State.COMPLETION_ASKED
        due = clocks.calendar().add_workdays(today, workdays)
        _restart(item, today, due, workdays=True)
        audited_save(item, by=by, reason=_("completion requested"))
        _event(item, ItemEvent.Kind.COMPLETION_ASKED, by=by, unit=item.lead, note=text,
               percent=100, files=checked, at=at)  # fmt: skip
    notify(people_of(units=[item.supervisor]), _message(item, ""), at)
    return item


def item_verify(item: Item, *, accept: bool, note: str, by, at=None,
                verifier_checked: bool = False) -> Item:  # fmt: skip
    """The supervisor closes the item (销号) or sends it back with the reason. A kind
    whose verifier is another than the supervising unit (a rectification problem's
    acceptance unit) checks that itself and says so with ``verifier_checked``."""
    require(item.state == Item.State.COMPLETION_ASKED,
             _("Only an item whose completion was requested can be verified."))  # fmt: skip
    require(verifier_checked or supervises(by, item),
            _("Only the supervising unit verifies this item."), permission=True)  # fmt: skip
    note = text_of(note, _("The verification"), required=not accept)
    at = at or timezone.now()
    with transaction.atomic():
        if accept:
            item.state, item.closed_at = Item.State.CLOSED, at
            _restart(item, timezone.localdate(at), None)
            kind = ItemEvent.Kind.CLOSED
        else:
            item.state = Item.State.OPEN
            _handling_clock(item, timezone.localdate(at))
            if item.due is not None and item.due < timezone.localdate(at):
                item.clock_start = min(item.clock_start, item.due)
            kind = ItemEvent.Kind.SENT_BACK
        audited_save(item, by=by, reason=str(ItemEvent.Kind(kind).label))
        _event(item, kind, by=by, unit=item.supervisor, note=note, at=at)
    notify(people_of(units=[item.lead]), _message(item, ""), at)
    return item


def item_extend(item: Item, *, deadline: datetime.date, reason: str, by, at=None) -> Item:
    """A later deadline, with the reason (the approval is the supervisor's)."""
    _require_open(item)
    require(supervises(by, item), _("Only the supervising unit extends a deadline."),
             permission=True)  # fmt: skip
    require(not item.ongoing, _("An ongoing item has no deadline to extend."))
    require(deadline > (item.deadline or deadline), _("The new deadline must be later."))
    reason = text_of(reason, _("The reason"))
    at = at or timezone.now()
    with transaction.atomic():
        before = item.deadline
        item.deadline = deadline
        if item.state == Item.State.OPEN:
            _handling_clock(item, item.clock_start or timezone.localdate(at))
        audited_save(item, by=by, reason=reason)
        _event(item, ItemEvent.Kind.EXTENDED, by=by, note=f"{before} → {deadline}：{reason}", at=at)
    return item


def item_reassign(item: Item, *, lead: Unit, reason: str, by, support=None,
                  deadline=None, at=None) -> Item:  # fmt: skip
    """Another lead unit (a return of what was not the unit's duty, a re-handling); its
    clock starts afresh."""
    _require_open(item)
    require(supervises(by, item), _("Only the supervising unit reassigns this item."),
             permission=True)  # fmt: skip
    [lead] = units_of(item.jurisdiction, [lead], _("The lead unit"))
    reason = text_of(reason, _("The reason"))
    at = at or timezone.now()
    with transaction.atomic():
        item.lead, item.state = lead, Item.State.OPEN
        if deadline is not None:
            item.deadline = deadline
        _handling_clock(item, timezone.localdate(at))
        audited_save(item, by=by, reason=reason)
        if support is not None:
            item.support.set([u for u in units_of(item.jurisdiction, support, _("A supporting unit"))
                              if u != lead])  # fmt: skip
        _event(item, ItemEvent.Kind.REASSIGNED, by=by, unit=lead, note=reason, at=at)
    notify(people_of(units=[lead]), _message(item, ""), at)
    return item


def _end(item: Item, state: str, kind: str, *, note: str, by, at, files=()) -> Item:
    at = at or timezone.now()
    with transaction.atomic():
        item.state, item.closed_at = state, at
        _restart(item, timezone.localdate(at), None)
        audited_save(item, by=by, reason=note)
        _event(item, kind, by=by, note=note, at=at, files=files)
    return item


def item_phase(item: Item, *, kind: str, due: datetime.date, workdays: bool, note: str, by,
               unit=None, at=None, files=()) -> ItemEvent:  # fmt: skip
    """A step of the kind's own that keeps the item in its state but starts the clock of
    the next phase (a rectification problem accepted on site now awaits the district's
    sign-off, then its publicity ends). Called inside the kind's transaction."""
    at = at or timezone.now()
    _restart(item, timezone.localdate(at), due, workdays=workdays)
    audited_save(item, by=by, reason=note or str(ItemEvent.Kind(kind).label))
    return _event(item, kind, by=by, unit=unit, note=note, at=at, files=files)


def item_reopen(item: Item, *, deadline: datetime.date, reason: str, by,
                raise_to: Stage = Stage.NONE, at=None, files=()) -> Item:  # fmt: skip
    """A closed item open again (a relapse found on a look-back, an objection upheld),
    due by ``deadline``, raised at once to ``raise_to`` (red, its people told) if given."""
    require(item.state in (Item.State.CLOSED, Item.State.COMPLETION_ASKED),
            _("Only a closed item, or one awaiting verification, can be reopened."))  # fmt: skip
    reason = text_of(reason, _("The reason"))
    at = at or timezone.now()
    require(deadline >= timezone.localdate(at), _("The new deadline cannot be in the past."))
    with transaction.atomic():
        item.state, item.closed_at, item.ongoing = Item.State.OPEN, None, False
        item.deadline, item.raised = deadline, max(item.raised, raise_to)
        _handling_clock(item, timezone.localdate(at))
        audited_save(item, by=by, reason=reason)
        _event(item, ItemEvent.Kind.REOPENED, by=by, unit=item.lead, note=reason, at=at,
               files=files)  # fmt: skip
        if item.raised:
            clocks.time_now("item", item)
        else:
            notify(people_of(units=[item.lead]), _message(item, ""), at)
    return item


def item_cancel(item: Item, *, reason: str, by, at=None) -> Item:
    _require_open(item)
    require(supervises(by, item), _("Only the supervising unit cancels this item."),
             permission=True)  # fmt: skip
    reason = text_of(reason, _("The reason"))
    return _end(item, Item.State.CANCELLED, ItemEvent.Kind.CANCELLED, note=reason, by=by, at=at)


def item_close_by_rule(item: Item, *, note: str, by=None, at=None, files=()) -> Item:
    """Closed by the record of its own kind (an implementation plan uploaded, a
    suggestion rated satisfied): no verification step. ``files`` (checked uploads with
    their kinds) become the closing event's evidence."""
    _require_open(item)
    return _end(item, Item.State.CLOSED, ItemEvent.Kind.CLOSED, note=note, by=by, at=at,
                files=files)  # fmt: skip


# --- entered by hand; where an item comes from ---------------------------------------

CREATING_KINDS = (Kind.INSTRUCTION, Kind.SPECIAL)


def may_create(user) -> bool:
    """The bureau's dispatchers and the government office's people (and administrators
    with a unit) enter leaders' instructions and special supervision items."""
    if not (user.is_authenticated and user.is_active and user.unit_id):
        return False
    if user.role == Role.DISPATCHER or access.is_admin(user):
        return True
    return (
        user.role in (Role.LEADER, Role.LIAISON) and user.unit.kind == Unit.Kind.GOVERNMENT_OFFICE
    )


def item_from_form(user, jurisdiction, post) -> Item:
    """A leader's instruction or special item from the page's or the API's fields."""
    from ecogov.supervision.actions import date_field, unit_field

    require(may_create(user), _("The bureau and the government office enter supervised items."),
             permission=True)  # fmt: skip
    kind = str(post.get("kind") or "")
    require(kind in CREATING_KINDS, _("Choose a leader's instruction or a special item."))
    ongoing = str(post.get("ongoing") or "").lower() in {"on", "1", "true", "yes"}
    support_ids = post.getlist("support") if hasattr(post, "getlist") else post.get("support", [])
    support = [
        unit_field(jurisdiction, value, _("a supporting unit")) for value in support_ids or []
    ]
    every = form_number(post.get("report_every") or "1", min=1, max=12)
    require(every is not None, _("Reports are due every 1 to 12 months."))
    return item_create(
        jurisdiction=jurisdiction, kind=kind, title=post.get("title", ""),
        text=post.get("text", ""), source=post.get("source", ""),
        lead=unit_field(jurisdiction, post.get("lead"), _("the lead unit")),
        support=support, supervisor=user.unit,
        deadline=None if ongoing else date_field(post, "deadline", _("The deadline")),
        ongoing=ongoing, report_every=every, level=str(post.get("level") or Level.GENERAL),
        by=user,
    )  # fmt: skip


Origin = tuple[str, str]  # (what it is, its page)
_ORIGINS: dict[str, object] = {}


def register_origin(kind: str, origin) -> None:
    """An app whose records become items says where an item of its kind comes from:
    ``origin(item) -> (label, url) | None`` (a resolution: its minutes)."""
    _ORIGINS[kind] = origin


def origin_of(item: Item) -> Origin | None:
    origin = _ORIGINS.get(item.kind)
    return origin(item) if origin else None


_STEP_GUARDS: dict[str, object] = {}


def register_steps(kind: str, guard) -> None:
    """An app that runs some steps of its items on its own page says which of the item
    page's steps it refuses: ``guard(item, step) -> message | None`` (a suggestion is
    answered and rated on its page, not asked complete on the item's)."""
    _STEP_GUARDS[kind] = guard


def step_refusal(item: Item, step: str) -> str | None:
    guard = _STEP_GUARDS.get(item.kind)
    return guard(item, step) if guard else None
