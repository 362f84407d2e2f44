"""The steps on a supervised item by name, with their fields: one adapter for the pages
(form fields) and the API (JSON), both calling the services."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ecogov.org.models import Unit
from ecogov.params import BadQuery, form_id, parse_date
from ecogov.supervision import services
from ecogov.supervision.models import Item

ACTIONS = ("report", "complete", "verify", "send_back", "extend", "reassign", "cancel")


def _field(post, name: str) -> str:
    value = post.get(name, "")
    return "" if value is None else str(value)


def date_field(post, name: str, what: str):
    try:
        return parse_date(_field(post, name), what)
    except BadQuery as error:
        raise ValidationError(str(error)) from None


def unit_field(item_or_jurisdiction, value, what: str) -> Unit | None:
    jurisdiction = getattr(item_or_jurisdiction, "jurisdiction", item_or_jurisdiction)
    if not str(value or "").strip():
        return None
    number = form_id(value)
    unit = Unit.objects.filter(pk=number, jurisdiction=jurisdiction).first() if number else None
    if unit is None:
        raise ValidationError(_("Choose %(what)s from the list.") % {"what": what})
    return unit


def perform(user, item: Item, action: str, post, files=()) -> str:
    """Take the step ``action``; the message to show. Raises ValidationError (bad input,
    nothing changed) or PermissionDenied."""
    refusal = services.step_refusal(item, action)
    if refusal:
        raise ValidationError(refusal)
    if action == "report":
        services.item_report(item, text=_field(post, "text"), percent=_field(post, "percent"),
                             files=files, by=user)  # fmt: skip
        return _("Progress reported.")
    if action == "complete":
        services.item_ask_completion(item, text=_field(post, "text"), files=files, by=user)
        return _("Completion requested: the supervising unit verifies it.")
    if action == "verify":
        services.item_verify(item, accept=True, note=_field(post, "note"), by=user)
        return _("Verified and closed.")
    if action == "send_back":
        services.item_verify(item, accept=False, note=_field(post, "note"), by=user)
        return _("Sent back to the lead unit.")
    if action == "extend":
        deadline = date_field(post, "deadline", _("The new deadline"))
        if deadline is None:
            raise ValidationError(_("Give the new deadline."))
        services.item_extend(item, deadline=deadline, reason=_field(post, "reason"), by=user)
        return _("Deadline extended.")
    if action == "reassign":
        lead = unit_field(item, post.get("lead"), _("the new lead unit"))
        if lead is None:
            raise ValidationError(_("Choose the new lead unit."))
        services.item_reassign(item, lead=lead, reason=_field(post, "reason"), by=user)
        return _("Reassigned.")
    if action == "cancel":
        services.item_cancel(item, reason=_field(post, "reason"), by=user)
        return _("Cancelled.")
    raise ValidationError(_("Unknown step."))


def allowed(user, item: Item) -> list[str]:
    """The steps this person may take on the item now (the page shows their forms)."""
    steps = []
    if not item.is_open:
        return steps
    if services.contributes(user, item) and item.state == Item.State.OPEN:
        steps.append("report")
    if services.handles(user, item) and item.state == Item.State.OPEN:
        steps.append("complete")
    if services.supervises(user, item):
        if item.state == Item.State.COMPLETION_ASKED:
            steps += ["verify", "send_back"]
        if not item.ongoing:
            steps.append("extend")
        steps += ["reassign", "cancel"]
    return [step for step in steps if not services.step_refusal(item, step)]
