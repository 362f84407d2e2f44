"""The steps on a rectification problem by name, with their fields: one adapter for the
pages (form fields) and the API (JSON), both calling the services."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ecogov.cases.actions import FormFields as Fields
from ecogov.params import form_id
from ecogov.rectification import services
from ecogov.rectification.models import LookBack, Objection, Problem
from ecogov.supervision import services as supervision
from ecogov.supervision.actions import date_field, unit_field

ACTIONS = ("report", "milestone", "acceptance_unit", "apply", "accept", "refuse", "sign_off",
           "objection", "uphold", "dismiss", "close_out", "pick", "look_back",
           "public_text")  # fmt: skip

TRUE = {"on", "1", "true", "yes"}


def _text(post, name: str) -> str:
    value = post.get(name, "")
    return "" if value is None else str(value)


def _pick(queryset, value, what: str):
    number = form_id(value)
    found = queryset.filter(pk=number).first() if number else None
    if found is None:
        raise ValidationError(_("Choose %(what)s from the list.") % {"what": what})
    return found


def _required_date(post, name: str, what: str):
    value = date_field(post, name, what)
    if value is None:
        raise ValidationError(_("%(what)s is required.") % {"what": what})
    return value


def perform(user, problem: Problem, action: str, post, files=()) -> str:
    """Take the step ``action``; the message to show. Raises ValidationError (bad input,
    nothing changed) or PermissionDenied."""
    if not hasattr(post, "getlist"):
        post = Fields(post)
    text = _text(post, "text")
    if action == "report":
        measure = _pick(problem.measures.all(), post.get("measure"), _("the measure"))
        services.measure_report(measure, text=text, done=_text(post, "done").lower() in TRUE,
                                percent=_text(post, "percent") or None, files=files, by=user)  # fmt: skip
        return _("Progress reported.")
    if action == "milestone":
        milestone = _pick(problem.milestones.all(), post.get("milestone"), _("the milestone"))
        services.milestone_reach(milestone, text=text, files=files, by=user)
        return _("Milestone reported reached.")
    if action == "acceptance_unit":
        unit = unit_field(problem.batch, post.get("unit"), _("the acceptance unit"))
        services.acceptance_unit_set(problem, unit=unit, by=user)
        return _("Acceptance unit named.")
    if action == "apply":
        services.acceptance_apply(problem, text=text, files=files, by=user)
        return _("Acceptance applied for: the acceptance unit checks on site.")
    if action in ("accept", "refuse"):
        services.acceptance_decide(problem, accept=action == "accept", note=_text(post, "note"),
                                   files=files, by=user)  # fmt: skip
        return (
            _("Accepted: the district signs it off.")
            if action == "accept"
            else _("Acceptance refused: the units rectify again.")
        )
    if action == "sign_off":
        services.sign_off(problem, note=_text(post, "note"), by=user)
        return _("Signed off: the publicity has started.")
    if action == "objection":
        services.objection_enter(problem, text=text, by=user,
                                 received_on=date_field(post, "received_on", _("The day received")))  # fmt: skip
        return _("Objection recorded: decide it before the close-out.")
    if action in ("uphold", "dismiss"):
        objection = _pick(problem.objections.filter(decision=Objection.Decision.PENDING),
                          post.get("objection"), _("the objection"))  # fmt: skip
        services.objection_decide(
            objection, uphold=action == "uphold", note=_text(post, "note"), by=user,
            deadline=date_field(post, "deadline", _("The new deadline")),
        )  # fmt: skip
        return (
            _("Objection upheld: the problem is rectified again.")
            if action == "uphold"
            else _("Objection dismissed.")
        )
    if action == "close_out":
        services.close_out(problem, files=files, note=_text(post, "note"), by=user)
        return _("Closed out.")
    if action == "pick":
        services.lookback_pick(problem, due=date_field(post, "due", _("The look-back day")),
                               by=user)  # fmt: skip
        return _("Picked for a look-back.")
    if action == "look_back":
        lookback = _pick(problem.lookbacks.filter(result=LookBack.Result.PENDING),
                         post.get("lookback"), _("the look-back"))  # fmt: skip
        relapsed = _text(post, "result") == LookBack.Result.RELAPSED
        if _text(post, "result") not in (LookBack.Result.RELAPSED, LookBack.Result.HOLDS):
            raise ValidationError(_("Say whether the rectification holds or relapsed."))
        services.lookback_record(
            lookback, relapsed=relapsed, note=_text(post, "note"), files=files, by=user,
            deadline=date_field(post, "deadline", _("The new deadline")),
        )  # fmt: skip
        return (
            _("Relapse recorded: the problem is open again.")
            if relapsed
            else _("Look-back recorded.")
        )
    if action == "public_text":
        services.public_text_set(problem, text=text, by=user)
        return _("The text for publication is saved.")
    raise ValidationError(_("Unknown step."))


def allowed(user, problem: Problem) -> list[str]:
    """The steps this person may take on the problem now (the page shows their forms)."""
    item = problem.item
    runs = services.runs(user, problem.batch.jurisdiction_id)
    steps = []
    state = problem.state
    if state == Problem.State.RECTIFYING:
        if supervision.contributes(user, item) or any(
            m.unit_id == user.unit_id for m in problem.measures.all()
        ):
            steps.append("report")
            if problem.milestones.filter(reached_on=None).exists() and supervision.handles(
                user, item
            ):
                steps.append("milestone")
        if supervision.handles(user, item):
            steps.append("apply")
    if runs and state in (Problem.State.RECTIFYING, Problem.State.APPLIED):
        steps.append("acceptance_unit")
    if runs:
        steps.append("public_text")
    if state == Problem.State.APPLIED and services.accepts(user, problem):
        steps += ["accept", "refuse"]
    if state == Problem.State.ACCEPTED and services.signs(user, problem):
        steps.append("sign_off")
    if state == Problem.State.PUBLICITY and runs:
        steps += ["objection", "close_out"]
        if problem.objections.filter(decision=Objection.Decision.PENDING).exists():
            steps += ["uphold", "dismiss"]
    if state == Problem.State.CLOSED and runs:
        steps.append("pick")
        if problem.lookbacks.filter(result=LookBack.Result.PENDING).exists():
            steps.append("look_back")
    return steps
