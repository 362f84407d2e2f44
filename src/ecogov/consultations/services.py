"""The steps of a public consultation (征求意见; seed 003 §(五).1).

draft → open → closed → answered. The organiser unit's liaisons and the bureau's
dispatchers of the district run it (``rules.runs``); anyone comments while it is open,
without an account. Bad input raises ValidationError and changes nothing; a step the
person may not take raises PermissionDenied.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecogov.consultations.models import (
    Answer,
    Comment,
    Commenter,
    Consultation,
    Document,
    Hearing,
    Kind,
    State,
)
from ecogov.consultations.rules import may_draft, runs
from ecogov.org.selectors import jurisdiction_subtree_ids
from ecogov.org.services import audited_save
from ecogov.supervision.services import moment, require, text_of, units_of
from ecogov.uploads import DOCUMENTS, IMAGES, checked_uploads

COMMENT_LIMIT = 5000
RUNS = gettext_lazy("Only the organising unit and the ecology bureau's dispatchers run a "
                    "consultation.")  # fmt: skip
DOCUMENT_KINDS = DOCUMENTS | IMAGES


def min_days() -> int:
    """The shortest comment period (ECOGOV_CONSULTATION_MIN_DAYS, 30 by default:
    《重大行政决策程序暂行条例》第十四条 “一般不少于30日”)."""
    return settings.ECOGOV_CONSULTATION_MIN_DAYS


def _actor(by):
    return by if by is not None and by.is_authenticated else None


def _require_runs(by, consultation: Consultation) -> None:
    require(by is not None and runs(by, consultation), RUNS, permission=True)


def _check_files(files):
    return checked_uploads(
        files, DOCUMENT_KINDS,
        _("Documents must be PDF, Word (.docx), Excel (.xlsx) files or photos (JPEG, PNG, WebP)."),
    )  # fmt: skip


def _attach(consultation: Consultation, checked) -> None:
    for upload, kind in checked:
        name = text_of(getattr(upload, "name", "") or _("document"), _("The file name"),
                       limit=200)  # fmt: skip
        Document.objects.create(consultation=consultation, file=upload, name=name, kind=kind)


def _fields(consultation: Consultation, *, kind, title, summary, body, closes_on, project):
    require(kind in Kind.values, _("Choose the kind of consultation."))
    require(isinstance(closes_on, datetime.date), _("Give the last day of the comment period."))
    require(project is None or kind == Kind.PROJECT,
            _("Only a construction project's consultation names a project."))  # fmt: skip
    require(project is None or project.jurisdiction_id in jurisdiction_subtree_ids(
        consultation.jurisdiction_id), _("The project is not in this district."))  # fmt: skip
    consultation.kind = kind
    consultation.title = text_of(title, _("The title"), limit=200)
    consultation.summary = text_of(summary, _("The summary"), limit=2000)
    consultation.body = text_of(body, _("The text"), required=False)
    consultation.closes_on = closes_on
    consultation.project = project


def consultation_create(*, jurisdiction, organiser, kind: str, title: str, summary: str,
                        closes_on: datetime.date, body: str = "", project=None, files=(),
                        by, at=None) -> Consultation:  # fmt: skip
    """A draft consultation of ``organiser`` (a unit of the district)."""
    at, _day = moment(at)
    require(organiser is not None, _("Choose the organising unit."))
    [organiser] = units_of(jurisdiction, [organiser], _("The organising unit"))
    consultation = Consultation(jurisdiction=jurisdiction, organiser=organiser, created_at=at,
                                created_by=_actor(by))  # fmt: skip
    require(by is not None and may_draft(by, jurisdiction, organiser), RUNS, permission=True)
    return _save(consultation, kind=kind, title=title, summary=summary, body=body,
                 closes_on=closes_on, project=project, files=files, by=by)  # fmt: skip


def _save(consultation: Consultation, *, files, by, **fields) -> Consultation:
    _fields(consultation, **fields)
    checked = _check_files(files)
    with transaction.atomic():
        audited_save(consultation, by=by)
        _attach(consultation, checked)
    return consultation


def consultation_update(consultation: Consultation, *, kind: str, title: str, summary: str,
                        closes_on: datetime.date, body: str = "", project=None, files=(),
                        by) -> Consultation:  # fmt: skip
    """A draft's text, period end and documents (added); an opened one is not edited."""
    _require_runs(by, consultation)
    require(consultation.state == State.DRAFT,
            _("An opened consultation is not edited: its text is what people commented on."))  # fmt: skip
    return _save(consultation, kind=kind, title=title, summary=summary, body=body,
                 closes_on=closes_on, project=project, files=files, by=by)  # fmt: skip


def consultation_open(consultation: Consultation, *, by, at=None) -> Consultation:
    """Publish the draft: comments are taken from today to ``closes_on``, a period of at
    least ``min_days()`` days."""
    _require_runs(by, consultation)
    require(consultation.state == State.DRAFT, _("This consultation is already open."))
    _at, day = moment(at)
    days = (consultation.closes_on - day).days + 1
    require(
        days >= min_days(),
        _("The comment period must be at least %(n)d days; it would be %(days)d. Set a later "
          "last day.") % {"n": min_days(), "days": days},
    )  # fmt: skip
    consultation.state, consultation.opens_on = State.OPEN, day
    audited_save(consultation, by=by)
    return consultation


def consultation_close(consultation: Consultation, *, by=None, at=None) -> Consultation:
    """End the comment period (by hand, or by ``consultations_close_due`` after its last
    day with ``by`` None)."""
    if by is not None:
        _require_runs(by, consultation)
    require(consultation.state == State.OPEN, _("Only an open consultation is closed."))
    at, _day = moment(at)
    consultation.state, consultation.closed_at = State.CLOSED, at
    audited_save(consultation, by=by)
    return consultation


def consultations_close_due(*, at=None) -> int:
    """Close the open consultations whose last day has passed; how many. Running it twice
    closes nothing twice (the conditional UPDATE claims the rows)."""
    at, day = moment(at)
    return Consultation.private_objects.filter(state=State.OPEN, closes_on__lt=day).update(
        state=State.CLOSED, closed_at=at
    )


# --- comments -----------------------------------------------------------------------


def comment_submit(consultation: Consultation, *, text: str, name: str = "", phone: str = "",
                   email: str = "", at=None) -> Comment:  # fmt: skip
    """A comment from anyone while the consultation is open; it waits for moderation.
    Name, phone and e-mail are optional and confidential."""
    at, day = moment(at)
    require(consultation.accepts_comments(day),
            _("This consultation is not open for comments."))  # fmt: skip
    text = text_of(text, _("The comment"), limit=COMMENT_LIMIT)
    identity = {
        "name": text_of(name, _("The name"), required=False, limit=100),
        "phone": text_of(phone, _("The phone"), required=False, limit=40),
        "email": text_of(email, _("The e-mail"), required=False, limit=254),
    }
    if identity["email"]:
        try:
            validate_email(identity["email"])
        except ValidationError:
            raise ValidationError(_("The e-mail address is not valid.")) from None
    with transaction.atomic():
        # The consultation's row is locked so that two comments never take one number.
        Consultation.private_objects.select_for_update().filter(pk=consultation.pk).first()
        last = consultation.comments.aggregate(n=Max("number"))["n"] or 0
        comment = Comment.objects.create(consultation=consultation, number=last + 1, text=text,
                                         submitted_at=at)  # fmt: skip
        if any(identity.values()):
            Commenter.objects.create(comment=comment, **identity)
    return comment


def comment_moderate(comment: Comment, *, publish: bool, reason: str = "", by,
                     at=None) -> Comment:  # fmt: skip
    """Publish a comment, or keep it off the portal with the reason (abuse, personal
    data, off the subject); a decision may be changed until the response is published."""
    consultation = comment.consultation
    _require_runs(by, consultation)
    require(consultation.state != State.ANSWERED,
            _("The response is published: the comments are no longer moderated."))  # fmt: skip
    at, _day = moment(at)
    if publish:
        comment.status, comment.reason = Comment.Status.PUBLISHED, ""
    else:
        comment.status = Comment.Status.REJECTED
        comment.reason = text_of(reason, _("The reason for not publishing"), limit=500)
        comment.answer = None
    comment.moderated_at, comment.moderated_by = at, _actor(by)
    comment.full_clean()
    comment.save()
    return comment


# --- hearings -----------------------------------------------------------------------


def hearing_announce(consultation: Consultation, *, kind: str, held_at: datetime.datetime,
                     place: str, how_to_apply: str = "", by) -> Hearing:  # fmt: skip
    _require_runs(by, consultation)
    require(consultation.state in (State.DRAFT, State.OPEN, State.CLOSED),
            _("The response is published: no more hearings."))  # fmt: skip
    require(kind in Hearing.Kind.values, _("Choose a hearing or an expert argument meeting."))
    require(isinstance(held_at, datetime.datetime), _("Give the day and time of the meeting."))
    hearing = Hearing(
        consultation=consultation, kind=kind, held_at=held_at,
        place=text_of(place, _("The place"), limit=200),
        how_to_apply=text_of(how_to_apply, _("How to take part"), required=False, limit=2000),
    )  # fmt: skip
    audited_save(hearing, by=by)
    return hearing


def hearing_record(hearing: Hearing, *, summary: str, files=(), by, at=None) -> Hearing:
    """The record of a meeting held: its summary and the signed record (one file)."""
    _require_runs(by, hearing.consultation)
    at, _day = moment(at)
    require(hearing.held_at <= at, _("A meeting is recorded once it has been held."))
    checked = _check_files(files)
    require(len(checked) <= 1, _("Upload the record as one file."))
    hearing.summary = text_of(summary, _("The record summary"), limit=8000)
    if checked:
        hearing.record, hearing.record_kind = checked[0]
    hearing.recorded_at = at
    audited_save(hearing, by=by)
    return hearing


# --- the response -------------------------------------------------------------------


def answer_give(consultation: Consultation, *, comments, verdict: str, reason: str = "", by,
                at=None) -> Answer:  # fmt: skip
    """One answer to one published comment or to a group of them (their earlier answer,
    if any, is replaced). Partly adopted and not adopted need the reason."""
    _require_runs(by, consultation)
    require(consultation.state == State.CLOSED,
            _("Comments are answered once the consultation is closed, before the response "
              "is published."))  # fmt: skip
    require(verdict in Answer.Verdict.values, _("Choose adopted, partly adopted or not adopted."))
    comments = list(dict.fromkeys(comments))
    require(bool(comments), _("Choose the comments this answer is for."))
    for comment in comments:
        require(comment.consultation_id == consultation.pk
                and comment.status == Comment.Status.PUBLISHED,
                _("Only this consultation's published comments are answered."))  # fmt: skip
    reason = text_of(reason, _("The reason"), required=verdict != Answer.Verdict.ADOPTED,
                     limit=4000)  # fmt: skip
    at, _day = moment(at)
    with transaction.atomic():
        answer = Answer(consultation=consultation, verdict=verdict, reason=reason,
                        answered_at=at)  # fmt: skip
        audited_save(answer, by=by)
        Comment.objects.filter(pk__in=[c.pk for c in comments]).update(answer=answer)
        # Answers left without a comment are gone.
        consultation.answers.filter(comments__isnull=True).delete()
    return answer


def unanswered(consultation: Consultation):
    return consultation.comments.filter(status=Comment.Status.PUBLISHED, answer=None)


def response_publish(consultation: Consultation, *, explanation: str, by,
                     at=None) -> Consultation:  # fmt: skip
    """The response: the overall explanation with every published comment's answer."""
    _require_runs(by, consultation)
    require(consultation.state == State.CLOSED,
            _("The response is published once the consultation is closed."))  # fmt: skip
    pending = consultation.comments.filter(status=Comment.Status.PENDING).count()
    require(not pending, _("%(n)d comments still await moderation.") % {"n": pending})
    left = unanswered(consultation).count()
    require(not left, _("%(n)d published comments have no answer yet.") % {"n": left})
    at, _day = moment(at)
    consultation.explanation = text_of(explanation, _("The explanation"), limit=8000)
    consultation.state, consultation.answered_at = State.ANSWERED, at
    audited_save(consultation, by=by)
    return consultation
