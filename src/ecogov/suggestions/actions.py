"""The steps on a suggestion by name, with their fields: one adapter for the pages (form
fields) and the API (JSON), both calling the services."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.accounts.models import Role
from ecogov.cases.actions import FormFields as Fields
from ecogov.domain.supervision import Level
from ecogov.params import form_id
from ecogov.suggestions import services
from ecogov.suggestions.models import Extension, Handler, Suggestion
from ecogov.suggestions.rules import acts_for, runs
from ecogov.supervision.actions import date_field, unit_field
from ecogov.supervision.models import Item

ACTIONS = ("assign", "reassign", "return", "opinion", "extend", "approve", "refuse", "answer",
           "rate")  # fmt: skip


def _units(suggestion: Suggestion, post):
    main = unit_field(suggestion.jurisdiction, post.get("main"), _("the main handling unit"))
    co = [unit_field(suggestion.jurisdiction, value, _("a co-handling unit"))
          for value in post.getlist("co")]  # fmt: skip
    return main, co


def _extension(suggestion: Suggestion, post) -> Extension:
    extension = suggestion.extensions.filter(decision=Extension.Decision.PENDING).first()
    if extension is None:
        raise ValidationError(_("No request for more time awaits a decision."))
    return extension


def perform(user, suggestion: Suggestion, action: str, post, files=()) -> str:
    """Take the step ``action``; the message to show. Raises ValidationError (bad input,
    nothing changed) or PermissionDenied."""
    if not hasattr(post, "getlist"):
        post = Fields(post)
    if action == "assign":
        main, co = _units(suggestion, post)
        level = str(post.get("level") or Level.GENERAL)
        if level not in {choice.value for choice in Level}:
            raise ValidationError(_("Unknown supervision level."))
        services.suggestion_assign(suggestion, main=main, co=co, level=level, by=user)
        return _("Assigned: it is on the supervision ledger.")
    if action == "reassign":
        main, co = _units(suggestion, post)
        services.suggestion_reassign(suggestion, main=main, co=co,
                                     reason=post.get("reason", ""), by=user)  # fmt: skip
        return _("Reassigned to other units.")
    if action == "return":
        services.suggestion_return(suggestion, reason=post.get("reason", ""), by=user)
        return _("Returned to the bureau.")
    if action == "opinion":
        services.opinion_send(suggestion, text=post.get("text", ""), files=files, by=user)
        return _("Your opinion is sent to the main unit.")
    if action == "extend":
        services.extension_request(suggestion, reason=post.get("reason", ""), by=user,
                                   deadline=date_field(post, "deadline", _("The deadline")))  # fmt: skip
        return _("More time requested: the bureau decides.")
    if action in ("approve", "refuse"):
        services.extension_decide(_extension(suggestion, post), approve=action == "approve",
                                  note=post.get("note", ""), by=user)  # fmt: skip
        return _("Decided.")
    if action == "answer":
        services.answer_give(
            suggestion, answer_class=str(post.get("answer_class") or ""),
            letter=post.get("letter", ""), promise=post.get("promise", ""),
            promised_by=date_field(post, "promised_by", _("The day the promise is kept")),
            contact=post.get("contact", ""), by=user,
        )  # fmt: skip
        return _("Answered: the bureau asks the authors for their ratings.")
    if action == "rate":
        author_id = str(post.get("author") or "")
        author = (
            suggestion.authors.filter(pk=form_id(author_id)).first() if form_id(author_id) else None
        )
        if author is None:
            raise ValidationError(_("Choose one of its authors."))
        services.rating_enter(
            suggestion, author=author, satisfaction=str(post.get("satisfaction") or ""),
            comment=post.get("comment", ""), by=user,
            rated_on=date_field(post, "rated_on", _("The day the form was received")),
            rehandle_by=date_field(post, "rehandle_by", _("The new deadline")),
        )  # fmt: skip
        return _("Rating entered.")
    raise ValidationError(_("Unknown step."))


def allowed(user, suggestion: Suggestion) -> list[str]:
    """The steps this person may take now (the page shows their forms)."""
    state, steps = suggestion.state, []
    if suggestion.item is not None and suggestion.item.state == Item.State.CANCELLED:
        return steps  # the bureau cancelled it on the ledger
    bureau = runs(user, suggestion.jurisdiction_id) and user.role != Role.INSPECTOR
    if bureau:
        if state == Suggestion.State.REGISTERED:
            steps.append("assign")
        if state in (Suggestion.State.HANDLING, Suggestion.State.RETURNED):
            steps.append("reassign")
        if suggestion.extensions.filter(decision=Extension.Decision.PENDING).exists():
            steps += ["approve", "refuse"]
        if state == Suggestion.State.ANSWERED:
            steps.append("rate")
    if state != Suggestion.State.HANDLING:
        return steps
    for handler in services.current_handlers(suggestion):
        if not acts_for(user, handler.unit) or handler.returned_on is not None:
            continue
        if handler.role == Handler.Role.MAIN:
            steps += ["answer", "extend"]
        elif not handler.opinions.exists():
            steps.append("opinion")
        if not handler.opinions.exists() and timezone.localdate() <= services.return_due(handler):
            steps.append("return")
    return steps
