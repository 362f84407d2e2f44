"""API of the consultations for staff, role-checked like the pages: the list and one
consultation, a draft's creation, its opening and closing, the comments (with who sent
them only for those ``rules.may_see_commenters`` allows), moderation, answers and the
response. The public reads the JSON alternates of the public pages instead."""

import datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from ecogov import access
from ecogov.apitypes import Id, InputSchema, Limit, Offset, one_of
from ecogov.consultations import rules, services
from ecogov.consultations.models import Answer, Comment, Consultation, Kind, State
from ecogov.enterprises.models import Project
from ecogov.org.models import Unit

router = Router(tags=["consultations"])


class ConsultationOut(Schema):
    id: int
    title: str
    kind: one_of(*Kind.values)
    organiser: str = Field(..., alias="organiser.name")
    summary: str
    body: str
    state: one_of(*State.values)
    opens_on: datetime.date | None
    closes_on: datetime.date
    project: int | None = Field(None, alias="project_id")
    explanation: str


class ConsultationCommenterOut(Schema):
    name: str
    phone: str
    email: str


class ConsultationCommentOut(Schema):
    id: int
    number: int
    text: str
    submitted_at: datetime.datetime
    status: one_of(*Comment.Status.values)
    reason: str
    answer: one_of(*Answer.Verdict.values) | None = None
    commenter: ConsultationCommenterOut | None = None


@router.get("/consultations", response=list[ConsultationOut])
def consultation_list(request, limit: Limit = 100, offset: Offset = 0):
    consultations = access.scope(request.user, Consultation).select_related("organiser")
    return list(consultations[offset : offset + limit])


@router.get("/consultations/{consultation_id}", response=ConsultationOut)
def consultation_detail(request, consultation_id: Id):
    return access.obtain(request.user, Consultation, consultation_id)


class ConsultationIn(InputSchema):
    organiser: Id
    kind: one_of(*Kind.values)
    title: str = Field(..., max_length=200)
    summary: str = Field(..., max_length=2000)
    body: str = Field("", max_length=100_000)
    closes_on: datetime.date
    project: Id | None = None


@router.post("/consultations", response={201: ConsultationOut})
def consultation_create(request, payload: ConsultationIn):
    organiser = Unit.objects.filter(pk=payload.organiser).first()
    if organiser is None:
        raise ValidationError(_("Choose the organising unit."))
    project = None
    if payload.project is not None:
        project = Project.objects.filter(pk=payload.project).first()
        if project is None:
            raise ValidationError(_("Choose %(what)s from the list.") % {"what": _("a project")})
    consultation = services.consultation_create(
        jurisdiction=organiser.jurisdiction, organiser=organiser, kind=payload.kind,
        title=payload.title, summary=payload.summary, body=payload.body,
        closes_on=payload.closes_on, project=project, by=request.user,
    )  # fmt: skip
    return Status(201, consultation)


@router.post("/consultations/{consultation_id}/open", response=ConsultationOut)
def consultation_open(request, consultation_id: Id):
    consultation = access.obtain(request.user, Consultation, consultation_id)
    return services.consultation_open(consultation, by=request.user)


@router.post("/consultations/{consultation_id}/close", response=ConsultationOut)
def consultation_close(request, consultation_id: Id):
    consultation = access.obtain(request.user, Consultation, consultation_id)
    return services.consultation_close(consultation, by=request.user)


def _comment_out(comment: Comment, identities: dict) -> dict:
    identity = identities.get(comment.pk)
    return {
        "id": comment.pk, "number": comment.number, "text": comment.text,
        "submitted_at": comment.submitted_at, "status": comment.status, "reason": comment.reason,
        "answer": comment.answer.verdict if comment.answer_id else None,
        "commenter": {"name": identity.name, "phone": identity.phone, "email": identity.email}
        if identity else None,
    }  # fmt: skip


@router.get("/consultations/{consultation_id}/comments", response=list[ConsultationCommentOut])
def comment_list(request, consultation_id: Id):
    consultation = access.obtain(request.user, Consultation, consultation_id)
    identities = rules.commenters_for(request.user, consultation)
    comments = consultation.comments.select_related("answer").order_by("number")
    return [_comment_out(comment, identities) for comment in comments]


class ConsultationModerationIn(InputSchema):
    publish: bool
    reason: str = Field("", max_length=500)


@router.post("/consultations/{consultation_id}/comments/{comment_id}/moderate",
             response=ConsultationCommentOut)  # fmt: skip
def comment_moderate(
    request, consultation_id: Id, comment_id: Id, payload: ConsultationModerationIn
):
    consultation = access.obtain(request.user, Consultation, consultation_id)
    comment = access.obtain(request.user, consultation.comments.all(), comment_id)
    comment = services.comment_moderate(comment, publish=payload.publish, reason=payload.reason,
                                        by=request.user)  # fmt: skip
    return _comment_out(comment, rules.commenters_for(request.user, consultation))


class ConsultationAnswerIn(InputSchema):
    comments: Annotated[list[Id], Field(min_length=1, max_length=500)]
    verdict: one_of(*Answer.Verdict.values)
    reason: str = Field("", max_length=4000)


class ConsultationAnswerOut(Schema):
    id: int
    verdict: str
    reason: str


@router.post("/consultations/{consultation_id}/answers", response={201: ConsultationAnswerOut})
def answer_give(request, consultation_id: Id, payload: ConsultationAnswerIn):
    consultation = access.obtain(request.user, Consultation, consultation_id)
    comments = list(consultation.comments.filter(pk__in=payload.comments))
    if len(comments) != len(set(payload.comments)):
        raise ValidationError(_("Choose the comments from the list."))
    answer = services.answer_give(consultation, comments=comments, verdict=payload.verdict,
                                  reason=payload.reason, by=request.user)  # fmt: skip
    return Status(201, answer)


class ConsultationResponseIn(InputSchema):
    explanation: str = Field(..., max_length=8000)


@router.post("/consultations/{consultation_id}/response", response=ConsultationOut)
def response_publish(request, consultation_id: Id, payload: ConsultationResponseIn):
    consultation = access.obtain(request.user, Consultation, consultation_id)
    return services.response_publish(consultation, explanation=payload.explanation,
                                     by=request.user)  # fmt: skip
