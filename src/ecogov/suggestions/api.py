"""API of suggestions and proposals, role-checked like the pages. An author's contact
appears only in ``GET /api/suggestions/{id}`` for the bureau's dispatchers and the units
handling it; lists never carry it."""

import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Body, Field, Router, Schema, Status

from ecogov import access
from ecogov.apitypes import Id, InputSchema, Limit, Offset, one_of
from ecogov.suggestions import letters, selectors, services
from ecogov.suggestions.actions import ACTIONS, perform
from ecogov.suggestions.models import Body as AuthorBody
from ecogov.suggestions.models import Handler, Kind, Suggestion
from ecogov.suggestions.rules import may_see_contacts
from ecogov.text import clean_value

router = Router(tags=["suggestions"])

KindName = one_of(*Kind.values)


class SuggestionOut(Schema):
    id: int
    kind: KindName
    reference: str
    session: str
    number: int
    title: str
    received_on: datetime.date
    state: str
    status: str
    rehandled: int
    item_id: int | None
    item_number: str | None = Field(None, alias="item.number")
    deadline: datetime.date | None = Field(None, alias="item.deadline")
    colour: str | None = Field(None, alias="item.colour")
    main: str
    co: list[str]
    authors: list[str]

    @staticmethod
    def resolve_status(suggestion):
        return services.status_of(suggestion)

    @staticmethod
    def resolve_main(suggestion):
        return "、".join(h.unit.name for h in suggestion.handlers.all()
                        if h.role == Handler.Role.MAIN and h.ended_on is None)  # fmt: skip

    @staticmethod
    def resolve_co(suggestion):
        return [h.unit.name for h in suggestion.handlers.all()
                if h.role == Handler.Role.CO and h.ended_on is None]  # fmt: skip

    @staticmethod
    def resolve_authors(suggestion):
        return [str(author) for author in suggestion.authors.all()]


class AuthorOut(Schema):
    id: int
    name: str
    body: one_of(*AuthorBody.values)
    group: str
    contact: str | None

    @staticmethod
    def resolve_contact(author, context):
        # Never the attribute as such: dispatchers and handling units alone read it.
        if may_see_contacts(context["request"].user, author.suggestion):
            return author.contact
        return None


class OpinionOut(Schema):
    text: str
    sent_on: datetime.date
    late: bool
    file: bool

    @staticmethod
    def resolve_file(opinion):
        return bool(opinion.file)


class HandlerOut(Schema):
    unit: str = Field(..., alias="unit.name")
    role: one_of(*Handler.Role.values)
    assigned_on: datetime.date
    return_by: datetime.date
    opinion_due: datetime.date | None
    returned_on: datetime.date | None
    return_reason: str
    ended_on: datetime.date | None
    opinions: list[OpinionOut]

    @staticmethod
    def resolve_return_by(handler):
        return services.return_due(handler)

    @staticmethod
    def resolve_opinions(handler):
        return list(handler.opinions.all())


class RatingOut(Schema):
    author: str
    satisfaction: str
    comment: str
    rated_on: datetime.date

    @staticmethod
    def resolve_author(rating):
        return str(rating.author)


class AnswerOut(Schema):
    round: int
    unit: str = Field(..., alias="unit.name")
    answer_class: str
    letter: str
    promise: str
    promised_by: datetime.date | None
    answered_on: datetime.date
    deadline: datetime.date | None
    late: bool
    ratings: list[RatingOut]

    @staticmethod
    def resolve_ratings(answer):
        return list(answer.ratings.select_related("author"))


class ExtensionOut(Schema):
    unit: str = Field(..., alias="unit.name")
    deadline: datetime.date
    reason: str
    decision: str
    note: str


class SuggestionDetailOut(SuggestionOut):
    text: str
    author_list: list[AuthorOut]
    handlers: list[HandlerOut]
    answers: list[AnswerOut]
    extensions: list[ExtensionOut]

    @staticmethod
    def resolve_author_list(suggestion):
        return list(suggestion.authors.all())

    @staticmethod
    def resolve_handlers(suggestion):
        return list(suggestion.handlers.select_related("unit").order_by("ended_on", "role", "pk"))

    @staticmethod
    def resolve_answers(suggestion):
        return list(suggestion.answers.select_related("unit"))

    @staticmethod
    def resolve_extensions(suggestion):
        return list(suggestion.extensions.select_related("unit"))


class AuthorIn(InputSchema):
    name: str
    body: one_of(*AuthorBody.values)
    group: str = ""
    contact: str = ""


class SuggestionIn(InputSchema):
    kind: KindName
    session: str
    number: Annotated[int, Field(ge=1, le=99999)]
    title: str
    text: str
    received_on: datetime.date
    authors: Annotated[list[AuthorIn], Field(min_length=1, max_length=services.MAX_AUTHORS)]


class SuggestionStepOut(Schema):
    detail: str
    state: str
    status: str


@router.get("/suggestions", response=list[SuggestionOut])
def suggestion_list(request, kind: KindName | None = None,
                    state: one_of(*selectors.STATES) | None = None, unit: Id | None = None,
                    overdue_opinions: bool = False, limit: Limit = 100,
                    offset: Offset = 0):  # fmt: skip
    filters = selectors.Filters(kind=kind or "", state=state or "", unit=unit,
                                overdue_opinions=overdue_opinions)  # fmt: skip
    return list(selectors.suggestions_for(request.user, filters)[offset : offset + limit])


def _obtain(request, suggestion_id: int) -> Suggestion:
    return access.obtain(request.user, Suggestion.objects.select_related("item"), suggestion_id)


@router.get("/suggestions/{suggestion_id}", response=SuggestionDetailOut)
def suggestion_detail(request, suggestion_id: Id):
    return _obtain(request, suggestion_id)


@router.post("/suggestions", response={201: SuggestionOut})
def suggestion_register(request, payload: SuggestionIn):
    """The bureau registers a suggestion, proposal or delegate's opinion with its authors,
    in the dispatcher's own jurisdiction."""
    user = request.user
    if not user.unit_id:
        raise PermissionDenied(_("The bureau's dispatchers run suggestions and proposals."))
    suggestion = services.suggestion_register(
        jurisdiction=user.unit.jurisdiction, kind=payload.kind, session=payload.session,
        number=payload.number, title=payload.title, text=payload.text,
        received_on=payload.received_on, authors=[a.dict() for a in payload.authors], by=user,
    )  # fmt: skip
    return Status(201, suggestion)


@router.post("/suggestions/{suggestion_id}/steps/{action}", response=SuggestionStepOut)
def suggestion_step(request, suggestion_id: Id, action: one_of(*ACTIONS), payload: Body[dict]):
    """Take a step: assign {main, co[], level}, reassign {main, co[], reason}, return
    {reason}, opinion {text}, extend {deadline, reason}, approve {note}, refuse {note},
    answer {answer_class, letter, promise, promised_by, contact}, rate {author,
    satisfaction, comment, rated_on, rehandle_by}."""
    suggestion = _obtain(request, suggestion_id)
    message = perform(request.user, suggestion, action, clean_value(payload))
    suggestion.refresh_from_db()
    return {"detail": message, "state": suggestion.state, "status": services.status_of(suggestion)}


@router.get("/suggestions/{suggestion_id}/answers/{round}/letter.docx")
def suggestion_letter(request, suggestion_id: Id, round: Id):
    """The answer letter as Word."""
    return letters.letter_response(_obtain(request, suggestion_id), round)
