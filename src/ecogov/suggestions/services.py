"""The life of a suggestion or proposal (seed 003 §(五).6), on the supervision ledger:

1. the bureau registers it with its authors;
2. the bureau assigns it to a main handling unit (主办) and co-handling units (会办): it
   becomes a supervised item of kind "suggestion", due three months after the assignment;
3. a unit that is not competent returns it within ten days, with a reason, and the bureau
   reassigns it;
4. each co-handling unit sends its written opinion to the main unit within one month;
5. the main unit answers within the three months (more time only with the bureau's
   approval), with a class A–D and the letter; for B and C, what it promises and by when;
6. the bureau enters each author's rating from the feedback forms: a dissatisfied rating
   sends it back for re-handling with a new deadline; satisfied A and D answers close the
   item; satisfied B and C answers stay on the ledger until what was promised is reported
   done (the item's own completion step) and the bureau verifies it.

Bad input raises ValidationError and changes nothing; a step the person may not take
raises PermissionDenied. Dates are those of ``at`` (now by default), so tests and the
sample data pass theirs in.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ecogov.accounts.models import Role
from ecogov.domain.supervision import Clock, Colour, Level, Stage, add_months
from ecogov.org.models import Unit
from ecogov.org.services import audited_save
from ecogov.suggestions.models import (
    CLASS_TEXT,
    PROMISING,
    Answer,
    AnswerClass,
    Author,
    Body,
    Extension,
    Handler,
    Opinion,
    Rating,
    Satisfaction,
    Suggestion,
)
from ecogov.suggestions.models import Kind as SuggestionKind
from ecogov.suggestions.rules import acts_for, runs
from ecogov.supervision import clocks
from ecogov.supervision import services as supervision
from ecogov.supervision.models import Item, Kind
from ecogov.supervision.notify import Message, notify, people_of
from ecogov.uploads import DOCUMENTS, IMAGES, checked_uploads

RETURN_DAYS = 10  # a unit that is not competent returns it within ten days of assignment
OPINION_MONTHS = 1  # a co-handling unit's opinion reaches the main unit within a month
ANSWER_MONTHS = 3  # the main unit answers within three months of assignment
REHANDLE_MONTHS = 1  # a dissatisfied rating: handled again, by default within a month
MAX_AUTHORS = 50
text_of = supervision.text_of


_require = supervision.require


moment = supervision.moment


def _actor(by):
    return by if by is not None and by.is_authenticated else None


def _save(suggestion: Suggestion, by, reason: str) -> None:
    audited_save(suggestion, by=by, reason=reason)


def _require_runs(by, suggestion_or_jurisdiction) -> None:
    jurisdiction_id = getattr(suggestion_or_jurisdiction, "jurisdiction_id", None)
    if jurisdiction_id is None:
        jurisdiction_id = suggestion_or_jurisdiction.pk
    _require(runs(by, jurisdiction_id),
             _("The bureau's dispatchers run suggestions and proposals."), permission=True)  # fmt: skip


def _tell_bureau(suggestion: Suggestion, subject: str, at) -> None:
    notify(
        people_of(roles=[Role.DISPATCHER], jurisdiction=suggestion.jurisdiction),
        Message(subject, suggestion.title, suggestion.get_absolute_url()), at,
    )  # fmt: skip


def _tell_units(suggestion: Suggestion, units, subject: str, at) -> None:
    notify(people_of(units=units), Message(subject, suggestion.title,
                                           suggestion.get_absolute_url()), at)  # fmt: skip


def current_handlers(suggestion: Suggestion) -> list[Handler]:
    return list(suggestion.handlers.filter(ended_on=None).select_related("unit"))


def main_handler(suggestion: Suggestion) -> Handler | None:
    return next((h for h in current_handlers(suggestion) if h.role == Handler.Role.MAIN), None)


def _units(jurisdiction, units, what: str) -> list[Unit]:
    chosen = []
    for unit in units:
        if unit is None:
            continue
        _require(unit.jurisdiction_id == jurisdiction.pk,
                 _("%(what)s must be a unit of %(place)s.") % {"what": what, "place": jurisdiction})  # fmt: skip
        if unit not in chosen:
            chosen.append(unit)
    return chosen


# --- registration -------------------------------------------------------------------


def _author(entry: dict, order: int) -> Author:
    name = text_of(entry.get("name"), _("The author's name"), limit=50)
    body = str(entry.get("body") or "")
    _require(body in Body.values,
             _("Say of %(name)s whether a deputy, a CPPCC member or a Party congress delegate.")
             % {"name": name})  # fmt: skip
    return Author(
        order=order, name=name, body=body,
        group=text_of(entry.get("group"), _("The delegation or sector"), required=False, limit=100),
        contact=text_of(entry.get("contact"), _("The contact"), required=False, limit=100),
    )  # fmt: skip


def suggestion_register(*, jurisdiction, kind: str, session: str, number, title: str, text: str,
                        received_on: datetime.date | None, authors: list[dict], by,
                        at=None) -> Suggestion:  # fmt: skip
    """A suggestion, proposal or delegate's opinion as received, with its authors (several
    for a co-signed one)."""
    _require_runs(by, jurisdiction)
    at, today = moment(at)
    _require(kind in SuggestionKind.values,
             _("Choose whether it is a suggestion, a proposal or a delegate's opinion."))  # fmt: skip
    session = text_of(session, _("The session (e.g. 区十八届人大三次会议)"), limit=100)
    try:
        number = int(str(number).strip())
    except (TypeError, ValueError):
        raise ValidationError(_("The number must be a whole number such as 12.")) from None
    _require(1 <= number <= 99999, _("The number must be a whole number such as 12."))
    title = text_of(title, _("The title"), limit=200)
    text = text_of(text, _("The text"))
    _require(received_on is not None, _("Give the day it was received."))
    _require(received_on <= today, _("The day it was received cannot be in the future."))
    authors = [
        entry for entry in authors or [] if any(str(v or "").strip() for v in entry.values())
    ]
    _require(bool(authors), _("Name at least one author."))
    _require(len(authors) <= MAX_AUTHORS, _("At most %(n)d authors.") % {"n": MAX_AUTHORS})
    built = [_author(entry, order) for order, entry in enumerate(authors)]
    taken = Suggestion.objects.filter(
        jurisdiction=jurisdiction, kind=kind, session=session, number=number
    )
    suggestion = Suggestion(
        jurisdiction=jurisdiction, kind=kind, session=session, number=number, title=title,
        text=text, received_on=received_on, registered_at=at, registered_by=_actor(by),
    )  # fmt: skip
    already = _("%(reference)s is already registered.") % {"reference": suggestion.reference}
    _require(not taken.exists(), already)
    try:
        with transaction.atomic():
            _save(suggestion, by, _("registered"))
            for author in built:
                author.suggestion = suggestion
            Author.objects.bulk_create(built)
    except IntegrityError:  # registered by someone else meanwhile
        raise ValidationError(already) from None
    return suggestion


# --- assignment, return, reassignment ------------------------------------------------


def _handler(suggestion, unit, role, today) -> Handler:
    return Handler.objects.create(
        suggestion=suggestion, unit=unit, role=role, assigned_on=today,
        opinion_due=add_months(today, OPINION_MONTHS) if role == Handler.Role.CO else None,
    )  # fmt: skip


def suggestion_assign(suggestion: Suggestion, *, main: Unit | None, co=(), by,
                      level: str = Level.GENERAL, at=None) -> Suggestion:  # fmt: skip
    """The bureau assigns it (交办): a supervised item with the main unit as lead and the
    co-handling units as support, due three months later, supervised by the bureau."""
    _require_runs(by, suggestion)
    _require(suggestion.state == Suggestion.State.REGISTERED,
             _("It is already assigned; reassign it instead."))  # fmt: skip
    _require(main is not None, _("Choose the main handling unit."))
    _require(bool(by.unit_id), _("Assign from an account of the bureau: yours has no unit."))
    [main] = _units(suggestion.jurisdiction, [main], _("The main handling unit"))
    co = [u for u in _units(suggestion.jurisdiction, co, _("A co-handling unit")) if u != main]
    at, today = moment(at)
    with transaction.atomic():
        item = supervision.item_create(
            jurisdiction=suggestion.jurisdiction, kind=Kind.SUGGESTION,
            title=f"{suggestion.reference}：{suggestion.title}"[:200], text=suggestion.text,
            source=suggestion.reference, lead=main, support=co, supervisor=by.unit,
            deadline=add_months(today, ANSWER_MONTHS), level=level, by=by, at=at,
        )  # fmt: skip
        _handler(suggestion, main, Handler.Role.MAIN, today)
        for unit in co:
            _handler(suggestion, unit, Handler.Role.CO, today)
        suggestion.item, suggestion.state = item, Suggestion.State.HANDLING
        _save(suggestion, by, _("assigned"))
    return suggestion


def return_due(handler: Handler) -> datetime.date:
    return handler.assigned_on + datetime.timedelta(days=RETURN_DAYS)


def _own_handler(suggestion: Suggestion, by) -> Handler:
    handler = next((h for h in current_handlers(suggestion) if acts_for(by, h.unit)), None)
    _require(handler is not None, _("Only the units handling it act on it."), permission=True)
    return handler


def suggestion_return(suggestion: Suggestion, *, reason: str, by, at=None) -> Handler:
    """A unit whose duty it is not returns it with the reason, within ten days of its
    assignment; the bureau then reassigns it."""
    handler = _own_handler(suggestion, by)
    _require(suggestion.state == Suggestion.State.HANDLING,
             _("Only a suggestion being handled can be returned."))  # fmt: skip
    _require(handler.returned_on is None, _("Your unit has already returned it."))
    _require(
        not handler.opinions.exists(), _("Your unit has sent its opinion: it cannot return it.")
    )
    at, today = moment(at)
    _require(today <= return_due(handler),
             _("A suggestion is returned within %(days)d days of its assignment (assigned "
               "%(assigned)s, so by %(due)s). Handle it, or ask the bureau.")
             % {"days": RETURN_DAYS, "assigned": handler.assigned_on, "due": return_due(handler)})  # fmt: skip
    reason = text_of(reason, _("The reason for the return"))
    with transaction.atomic():
        handler.returned_on, handler.return_reason = today, reason
        handler.colour, handler.stage = Colour.NONE, Stage.NONE
        handler.save()
        supervision.item_report(suggestion.item, by=by, at=at,
                                text=_("Returned as not its duty: %(reason)s") % {"reason": reason})  # fmt: skip
        if handler.role == Handler.Role.MAIN:
            suggestion.state = Suggestion.State.RETURNED
            _save(suggestion, by, _("returned by the main unit"))
    _tell_bureau(suggestion, _("%(reference)s was returned by %(unit)s: reassign it")
                 % {"reference": suggestion.reference, "unit": handler.unit}, at)  # fmt: skip
    return handler


def suggestion_reassign(suggestion: Suggestion, *, main: Unit | None, co=(), reason: str, by,
                        at=None) -> Suggestion:  # fmt: skip
    """The bureau gives it to other units (after a return, or as it sees fit before the
    answer). A new main unit has three months from today; units that stay keep their
    assignment day."""
    _require_runs(by, suggestion)
    _require(suggestion.state in (Suggestion.State.HANDLING, Suggestion.State.RETURNED),
             _("Only a suggestion not yet answered can be reassigned."))  # fmt: skip
    _require(main is not None, _("Choose the main handling unit."))
    [main] = _units(suggestion.jurisdiction, [main], _("The main handling unit"))
    co = [u for u in _units(suggestion.jurisdiction, co, _("A co-handling unit")) if u != main]
    reason = text_of(reason, _("The reason"))
    at, today = moment(at)
    wanted = {(main.pk, Handler.Role.MAIN)} | {(u.pk, Handler.Role.CO) for u in co}
    kept = set()
    with transaction.atomic():
        for handler in current_handlers(suggestion):
            key = (handler.unit_id, handler.role)
            if key in wanted and handler.returned_on is None:
                kept.add(key)
            else:
                handler.ended_on = today
                handler.save()
        new_main = (main.pk, Handler.Role.MAIN) not in kept
        for unit, role in [(main, Handler.Role.MAIN)] + [(u, Handler.Role.CO) for u in co]:
            if (unit.pk, role) not in kept:
                _handler(suggestion, unit, role, today)
        supervision.item_reassign(
            suggestion.item, lead=main, support=co, reason=reason, by=by, at=at,
            deadline=add_months(today, ANSWER_MONTHS) if new_main else None,
        )  # fmt: skip
        suggestion.state = Suggestion.State.HANDLING
        _save(suggestion, by, reason)
    return suggestion


# --- the co-handling units' opinions ------------------------------------------------

OPINION_KINDS = DOCUMENTS | IMAGES


def opinion_send(suggestion: Suggestion, *, text: str, by, files=(), at=None) -> Opinion:
    """A co-handling unit's written opinion to the main unit (due a month after its
    assignment; a later one is marked late)."""
    handler = _own_handler(suggestion, by)
    _require(handler.role == Handler.Role.CO, _("Only a co-handling unit sends an opinion."))
    _require(suggestion.state == Suggestion.State.HANDLING,
             _("Opinions are sent while the main unit handles it, before its answer."))  # fmt: skip
    _require(handler.returned_on is None, _("Your unit has returned it."))
    text = text_of(text, _("The opinion"))
    checked = checked_uploads(files, OPINION_KINDS,
                              _("The opinion's file must be a PDF, a Word (.docx) file or a photo."))  # fmt: skip
    _require(len(checked) <= 1, _("Attach one file to an opinion."))
    at, today = moment(at)
    with transaction.atomic():
        opinion = Opinion(handler=handler, text=text, sent_on=today, sent_at=at,
                          sent_by=_actor(by))  # fmt: skip
        if checked:
            upload = checked[0][0]
            opinion.file, opinion.file_name = upload, (upload.name or "")[:200]
        opinion.save()
        handler.colour, handler.stage = Colour.NONE, Stage.NONE
        handler.save(update_fields=["colour", "stage"])
        supervision.item_report(suggestion.item, by=by, at=at,
                                text=_("Co-handling opinion: %(text)s") % {"text": text})  # fmt: skip
    main = main_handler(suggestion)
    _tell_units(suggestion, [main.unit] if main else [],
                _("%(reference)s: the opinion of %(unit)s") % {
                    "reference": suggestion.reference, "unit": handler.unit}, at)  # fmt: skip
    return opinion


# --- extensions ---------------------------------------------------------------------


def extension_request(suggestion: Suggestion, *, deadline: datetime.date | None, reason: str,
                      by, at=None) -> Extension:  # fmt: skip
    """The main unit asks for more time, before its deadline, with the reason."""
    handler = _own_handler(suggestion, by)
    _require(handler.role == Handler.Role.MAIN, _("Only the main unit asks for more time."))
    _require(suggestion.state == Suggestion.State.HANDLING,
             _("More time is asked for while handling it, before the answer."))  # fmt: skip
    at, today = moment(at)
    item = suggestion.item
    _require(today <= item.deadline,
             _("More time is asked for before the deadline (%(due)s); it has passed.")
             % {"due": item.deadline})  # fmt: skip
    _require(not suggestion.extensions.filter(decision=Extension.Decision.PENDING).exists(),
             _("A request for more time awaits the bureau's decision."))  # fmt: skip
    _require(deadline is not None, _("Give the deadline you ask for."))
    _require(
        deadline > item.deadline,
        _("The deadline asked for must be later than %(due)s.") % {"due": item.deadline},
    )
    reason = text_of(reason, _("The reason"))
    extension = Extension.objects.create(
        suggestion=suggestion, unit=handler.unit, deadline=deadline, reason=reason,
        requested_at=at, requested_by=_actor(by),
    )  # fmt: skip
    _tell_bureau(suggestion, _("%(reference)s: %(unit)s asks for more time")
                 % {"reference": suggestion.reference, "unit": handler.unit}, at)  # fmt: skip
    return extension


def extension_decide(extension: Extension, *, approve: bool, note: str, by, at=None) -> Extension:
    """The bureau approves (the item's deadline moves) or refuses (with the reason)."""
    suggestion = extension.suggestion
    _require_runs(by, suggestion)
    _require(extension.decision == Extension.Decision.PENDING,
             _("This request has already been decided."))  # fmt: skip
    note = text_of(note, _("The reason for the refusal"), required=not approve)
    at, _today = moment(at)
    with transaction.atomic():
        if approve:
            _require(suggestion.state == Suggestion.State.HANDLING,
                     _("Only a suggestion being handled gets more time."))  # fmt: skip
            supervision.item_extend(
                suggestion.item, deadline=extension.deadline, by=by, at=at,
                reason=_("extension approved: %(reason)s") % {"reason": extension.reason},
            )  # fmt: skip
        extension.decision = (Extension.Decision.APPROVED if approve
                              else Extension.Decision.REFUSED)  # fmt: skip
        extension.note, extension.decided_at, extension.decided_by = note, at, _actor(by)
        extension.save()
    _tell_units(suggestion, [extension.unit],
                _("%(reference)s: more time %(decision)s") % {
                    "reference": suggestion.reference,
                    "decision": extension.get_decision_display()}, at)  # fmt: skip
    return extension


# --- the answer and the ratings -----------------------------------------------------


def answer_give(suggestion: Suggestion, *, answer_class: str, letter: str, by, promise: str = "",
                promised_by: datetime.date | None = None, contact: str = "",
                at=None) -> Answer:  # fmt: skip
    """The main unit's answer: its class and letter (both required), and for B and C what
    it promises and by when. The item waits for the bureau (the authors' ratings)."""
    handler = _own_handler(suggestion, by)
    _require(handler.role == Handler.Role.MAIN, _("Only the main unit answers."))
    _require(suggestion.state == Suggestion.State.HANDLING,
             _("Only a suggestion being handled can be answered."))  # fmt: skip
    _require(handler.returned_on is None, _("Your unit has returned it."))
    _require(answer_class in AnswerClass.values,
             _("Choose the class of the answer: A, B, C or D."))  # fmt: skip
    letter = text_of(letter, _("The answer letter"))
    at, today = moment(at)
    if answer_class in PROMISING:
        promise = text_of(promise, _("For a B or C answer, what is promised"))
        _require(promised_by is not None,
                 _("For a B or C answer, give the day by which the promise is kept."))  # fmt: skip
        _require(promised_by > today, _("The day the promise is kept must be in the future."))
    else:
        promise, promised_by = "", None
    contact = text_of(contact, _("The contact"), required=False, limit=100)
    item = suggestion.item
    with transaction.atomic():
        answer = Answer.objects.create(
            suggestion=suggestion, round=suggestion.rehandled + 1, unit=handler.unit,
            answer_class=answer_class, letter=letter, promise=promise, promised_by=promised_by,
            contact=contact, answered_on=today, deadline=item.deadline, answered_at=at,
            answered_by=_actor(by),
        )  # fmt: skip
        summary = _("Answered, class %(class)s.") % {"class": CLASS_TEXT[AnswerClass(answer_class)]}
        if promise:
            summary += " " + _("Promised by %(day)s: %(promise)s") % {
                "day": promised_by,
                "promise": promise,
            }
        # The main unit's part is done: the bureau now owes the authors' ratings.
        supervision.item_ask_completion(item, text=summary, by=by, at=at)
        suggestion.state = Suggestion.State.ANSWERED
        _save(suggestion, by, _("answered"))
    _tell_bureau(suggestion, _("%(reference)s is answered: enter the authors' ratings")
                 % {"reference": suggestion.reference}, at)  # fmt: skip
    return answer


def current_answer(suggestion: Suggestion) -> Answer | None:
    return suggestion.answers.order_by("-round").first()


def rating_enter(suggestion: Suggestion, *, author: Author, satisfaction: str, by,
                 comment: str = "", rated_on: datetime.date | None = None,
                 rehandle_by: datetime.date | None = None, at=None) -> Rating:  # fmt: skip
    """One author's rating of the current answer, entered by the bureau from the feedback
    form. Dissatisfied: handled again by ``rehandle_by`` (a month by default). Once every
    author has rated: an A or D answer closes the item; a B or C answer stays on the
    ledger with the promise as its deadline."""
    _require_runs(by, suggestion)
    _require(suggestion.state == Suggestion.State.ANSWERED,
             _("Ratings are entered for an answered suggestion."))  # fmt: skip
    _require(author.suggestion_id == suggestion.pk, _("Choose one of its authors."))
    _require(satisfaction in Satisfaction.values,
             _("Choose the rating: satisfied, basically satisfied or dissatisfied."))  # fmt: skip
    answer = current_answer(suggestion)
    _require(
        not answer.ratings.filter(author=author).exists(),
        _("%(author)s has already rated this answer.") % {"author": author},
    )
    at, today = moment(at)
    rated_on = rated_on or today
    _require(answer.answered_on <= rated_on <= today,
             _("The form is received between the answer and today."))  # fmt: skip
    comment = text_of(comment, _("The comment"), required=satisfaction == Satisfaction.DISSATISFIED)
    if satisfaction == Satisfaction.DISSATISFIED:
        rehandle_by = rehandle_by or add_months(today, REHANDLE_MONTHS)
        _require(rehandle_by > today, _("The new deadline must be in the future."))
    with transaction.atomic():
        rating = Rating.objects.create(
            answer=answer, author=author, satisfaction=satisfaction, comment=comment,
            rated_on=rated_on, entered_at=at, entered_by=_actor(by),
        )  # fmt: skip
        if satisfaction == Satisfaction.DISSATISFIED:
            _rehandle(suggestion, author, comment, rehandle_by, by, at)
        elif answer.ratings.count() == suggestion.authors.count():
            _conclude(suggestion, answer, by, at)
    return rating


def _rehandle(suggestion, author, comment, deadline, by, at) -> None:
    suggestion.rehandled += 1
    suggestion.state = Suggestion.State.HANDLING
    reason = _("%(author)s is dissatisfied: %(comment)s. Handled again (time %(n)d), by %(due)s.") % {
        "author": author, "comment": comment.rstrip("。.！!；;"), "n": suggestion.rehandled,
        "due": deadline}  # fmt: skip
    handlers = current_handlers(suggestion)
    main = next(h.unit for h in handlers if h.role == Handler.Role.MAIN)
    co = [h.unit for h in handlers if h.role == Handler.Role.CO and h.returned_on is None]
    supervision.item_reassign(suggestion.item, lead=main, support=co, reason=reason,
                              deadline=deadline, by=by, at=at)  # fmt: skip
    _save(suggestion, by, reason)


def _conclude(suggestion, answer, by, at) -> None:
    ratings = "、".join(f"{r.author}{r.get_satisfaction_display()}" for r in answer.ratings.all())
    suggestion.state = Suggestion.State.CONCLUDED
    _save(suggestion, by, _("rated"))
    if answer.answer_class in PROMISING:
        # seed 003 §(五).6: what was promised is chased until it is done.
        note = _("Class %(class)s answer rated (%(ratings)s); on the ledger until the "
                 "promise is kept by %(day)s: %(promise)s") % {
            "class": answer.answer_class, "ratings": ratings, "day": answer.promised_by,
            "promise": answer.promise}  # fmt: skip
        supervision.item_reassign(suggestion.item, lead=answer.unit, reason=note,
                                  deadline=answer.promised_by, by=by, at=at)  # fmt: skip
    else:
        note = _("Class %(class)s answer rated (%(ratings)s): closed.") % {
            "class": answer.answer_class, "ratings": ratings}  # fmt: skip
        supervision.item_close_by_rule(suggestion.item, note=note, by=by, at=at)


# --- how it looks from the ledger ---------------------------------------------------


def status_of(suggestion: Suggestion) -> str:
    """The state as people say it: the item's closure and the promise phase included."""
    item = suggestion.item
    if item is not None and item.state == Item.State.CANCELLED:
        return str(Item.State.CANCELLED.label)
    if suggestion.state == Suggestion.State.CONCLUDED:
        if item is not None and item.is_open:
            return _("promise being kept")
        return pgettext("suggestion", "closed")
    if suggestion.state == Suggestion.State.HANDLING and suggestion.rehandled:
        return _("being handled again")
    return str(suggestion.get_state_display())


def _origin(item: Item):
    suggestion = Suggestion.objects.filter(item=item).first()
    return (suggestion.reference, suggestion.get_absolute_url()) if suggestion else None


def _step_guard(item: Item, step: str) -> str | None:
    suggestion = Suggestion.objects.filter(item=item).first()
    if suggestion is None:
        return None
    if step == "reassign":
        return _("Reassign a suggestion on its own page, where its handling units are kept.")
    promise_phase = suggestion.state == Suggestion.State.CONCLUDED
    if step == "complete" and not promise_phase:
        return _("The main unit answers a suggestion on its own page; completion is reported "
                 "only for what a B or C answer promised.")  # fmt: skip
    if step in ("verify", "send_back") and not promise_phase:
        return _("An answer is judged by the authors' ratings, entered on the suggestion's page.")
    return None


supervision.register_origin(Kind.SUGGESTION, _origin)
supervision.register_steps(Kind.SUGGESTION, _step_guard)


# --- the co-handling units' opinion clock (the one scan times it) -------------------


def _opinion_message(handler: Handler, colour) -> Message:
    suggestion = handler.suggestion
    return Message(
        _("%(reference)s: the co-handling opinion of %(unit)s is due %(due)s")
        % {"reference": suggestion.reference, "unit": handler.unit, "due": handler.opinion_due},
        suggestion.title, suggestion.get_absolute_url(), str(colour),
    )  # fmt: skip


def _opinion_level(handler: Handler) -> Level:
    item = handler.suggestion.item
    return Level(item.level) if item else Level.GENERAL


clocks.register(
    clocks.Timed(
        kind="suggestion_opinion",
        rows=lambda: Handler.objects.filter(
            role=Handler.Role.CO,
            ended_on=None,
            returned_on=None,
            opinions__isnull=True,
            suggestion__state=Suggestion.State.HANDLING,
        ).select_related("unit", "suggestion__jurisdiction", "suggestion__item"),  # fmt: skip
        clock=lambda h: (
            Clock(h.assigned_on, h.opinion_due, workdays=False) if h.opinion_due else None
        ),
        level=_opinion_level,
        step=lambda h: (h.opinion_due, h.ended_on, h.returned_on),
        owing=lambda h: h.unit,
        # The colour and escalation are kept on the handler (with its history); the
        # notices themselves are the record.
        record=lambda h, what, colour, note, at: None,
        message=_opinion_message,
    )
)
