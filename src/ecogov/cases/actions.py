"""The steps on a case by name, with their fields: one adapter for the pages (form
fields) and the API (JSON), both calling the services."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from ecogov.cases import services
from ecogov.cases.models import Case, RewardRule
from ecogov.org.models import Unit
from ecogov.params import form_id

ACTIONS = (
    "assign", "accept", "return", "transfer", "start", "part", "report", "verify", "close",
    "answer", "disclose", "suspend_request", "suspend", "resume", "unlink", "note", "reward",
)  # fmt: skip


def _yes(value) -> bool:
    return str(value).lower() in {"on", "yes", "true", "1"}


class FormFields(dict):
    """A JSON body read like a form: lists are lists, other values are text."""

    def get(self, key, default=None):
        value = super().get(key, default)
        if value is None or isinstance(value, list):
            return value
        return str(value).lower() if isinstance(value, bool) else str(value)

    def getlist(self, key):
        value = super().get(key, [])
        return [str(v) for v in (value if isinstance(value, list) else [value])]


def _units(case: Case, ids) -> list[Unit]:
    wanted = [number for number in map(form_id, ids) if number]
    units = list(Unit.objects.filter(pk__in=wanted, jurisdiction=case.jurisdiction))
    if len(units) != len(set(wanted)):
        raise ValidationError(_("Choose units of the case's jurisdiction."))
    return units


def perform(user, case: Case, action: str, post, files=()) -> str:
    """Take the step ``action`` with the form or JSON fields ``post``; the message to
    show. Raises ValidationError (bad input, nothing changed), PermissionDenied, Http404."""
    if not hasattr(post, "getlist"):
        post = FormFields(post)
    if action == "assign":
        lead = _units(case, [post.get("lead", "")])
        if not lead:
            raise ValidationError(_("Choose the lead unit."))
        services.case_assign(
            case, lead=lead[0], support=_units(case, post.getlist("support")),
            joint=_yes(post.get("joint")), supervision=post.get("supervision") or None,
            coordination=_yes(post.get("coordination")), note=post.get("note", ""), by=user,
        )  # fmt: skip
        return _("Assigned.")
    if action == "accept":
        services.case_accept(case, by=user)
        return _("Accepted: the clock to finish has started.")
    if action == "return":
        services.case_return(case, reason=post.get("reason", ""), by=user)
        return _("Returned to the bureau.")
    if action == "transfer":
        to = _units(case, [post.get("to", "")])
        if not to:
            raise ValidationError(_("Choose the competent unit."))
        services.case_transfer(case, to=to[0], reason=post.get("reason", ""), by=user)
        return _("Transferred.")
    if action == "start":
        services.case_start(case, by=user)
        return _("Handling started.")
    if action == "part":
        services.case_part(case, text=post.get("text", ""), by=user)
        return _("Your unit's part is reported.")
    if action == "report":
        services.case_report(
            case, investigation=post.get("investigation", ""), measures=post.get("measures", ""),
            outcome=post.get("outcome", ""), decision_number=post.get("decision_number", ""),
            penalty_amount=post.get("penalty_amount") or None,
            files=files, by=user,
        )  # fmt: skip
        return _("Result reported; it goes to verification.")
    if action == "verify":
        services.case_verify(case, confirmed=_yes(post.get("confirmed")),
                             note=post.get("note", ""), by=user)  # fmt: skip
        return _("Verification recorded.")
    if action == "close":
        services.case_close(case, by=user)
        return _("Closed. Answer the reporter within the deadline.")
    if action == "answer":
        services.case_answer(case, text=post.get("text", ""), by=user)
        return _("The reporter's answer is recorded.")
    if action == "disclose":
        services.case_disclose(case, summary=post.get("summary", ""), by=user)
        return _("Published on the public portal.")
    if action == "suspend_request":
        services.case_suspend_request(case, reason=post.get("reason", ""), by=user)
        return _("Suspension requested.")
    if action == "suspend":
        services.case_suspend(case, approve=_yes(post.get("approve")),
                              note=post.get("note", ""), by=user)  # fmt: skip
        return _("Suspension decided.")
    if action == "resume":
        services.case_resume(case, by=user)
        return _("Handling resumed.")
    if action == "unlink":
        services.case_unlink(case, by=user)
        return _("The case is handled on its own.")
    if action == "note":
        services.case_note(case, text=post.get("text", ""), by=user)
        return _("Note added.")
    if action == "reward":
        number = form_id(post.get("rule"))
        rule = RewardRule.objects.filter(pk=number).first() if number else None
        if rule is None:
            raise ValidationError(_("Choose the reward rule."))
        services.reward_decide(case, rule=rule, amount=post.get("amount", ""),
                               decision_number=post.get("decision_number", ""), by=user)  # fmt: skip
        return _("Reward decided.")
    raise Http404(_("Unknown step."))
