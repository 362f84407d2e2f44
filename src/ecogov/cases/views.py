"""The staff's case pages: the lists (the bureau's queue, a unit's cases), a case with the
steps the person may take now, staff intake, attachments and the reward ledger."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecogov import access, uploads
from ecogov.accounts.models import Role
from ecogov.cases import services
from ecogov.cases.actions import ACTIONS, perform
from ecogov.cases.models import (
    DISPATCHER_STATES,
    OPEN_STATES,
    SUSPENSION_ASKED,
    Assignment,
    Attachment,
    Case,
    Category,
    Channel,
    Outcome,
    Reporter,
    Reward,
    RewardRule,
    State,
    Supervision,
)
from ecogov.cases.portal import portal_jurisdictions
from ecogov.cases.rules import dispatches, is_dispatcher, is_dispatcher_of, reporter_for
from ecogov.org.models import Jurisdiction, Unit
from ecogov.params import form_id, page_query, query_int
from ecogov.patrols.models import Finding
from ecogov.web.steps import take_step

PAGE_SIZE = 50
# What a row of the case lists shows (``{% case_rows %}``).
ROW_FIELDS = ("number", "hotspot", "text", "category", "subcategory", "lead__name", "state",
              "due", "colour", "stage")  # fmt: skip
COLOURS = ("red", "yellow", "blue")


def _filtered(request, cases):
    """The list filters: state, category, channel, colour, lead unit and words."""
    get = request.GET
    if get.get("state") in State.values:
        cases = cases.filter(state=get["state"])
    elif get.get("state") == "open":
        cases = cases.filter(state__in=OPEN_STATES)
    if get.get("category") in Category.values:
        cases = cases.filter(category=get["category"])
    if get.get("channel") in Channel.values:
        cases = cases.filter(channel=get["channel"])
    if get.get("colour") in COLOURS:
        cases = cases.filter(colour=get["colour"])
    lead = query_int(request, "lead")
    if lead is not None:
        cases = cases.filter(lead=lead)
    words = get.get("q", "").strip()[:100]
    if words:
        cases = cases.filter(Q(number__icontains=words) | Q(text__icontains=words)
                             | Q(address__icontains=words))  # fmt: skip
    return cases


def _queues(user, cases) -> dict:
    """What waits for this person: the bureau's queue or the unit's assignments."""
    if is_dispatcher(user):
        return {
            "disputed": cases.filter(state__in=DISPATCHER_STATES, lead=None),
            "suspensions": cases.filter(SUSPENSION_ASKED),
            "to_close": cases.filter(state=State.VERIFIED),
            "to_verify": cases.filter(state=State.REPORTED),
            "to_answer": cases.filter(state=State.CLOSED, answered_at=None),
            "to_disclose": cases.filter(state=State.CLOSED, disclosed_at=None)
            .exclude(answered_at=None),
        }  # fmt: skip
    if user.role == Role.LIAISON and user.unit_id:
        mine = cases.filter(assignments__unit=user.unit_id)
        return {
            "to_accept": mine.filter(
                assignments__status=Assignment.Status.PENDING, assignments__unit=user.unit_id
            ).distinct(),  # fmt: skip
            "handling": mine.filter(
                lead=user.unit_id, state__in=[State.ACCEPTED, State.IN_PROGRESS, State.REOPENED]
            ),  # fmt: skip
        }
    return {}


@login_required
def case_list(request):
    request.section = "cases"
    user = request.user
    visible = access.scope(user, Case)
    rows = visible.select_related("lead").only(*ROW_FIELDS)
    cases = _filtered(request, rows)
    page = Paginator(cases, PAGE_SIZE).get_page(query_int(request, "page", default=1))
    context = {
        "page": page,
        "query": page_query(request),
        "queues": {k: list(v[:20]) for k, v in _queues(user, rows).items()},
        "states": State.choices,
        "categories": Category.choices,
        "channels": Channel.choices,
        # Two queries, not a join: the leads' ids come from an index of the cases alone.
        "units": Unit.objects.filter(
            pk__in=list(visible.order_by().values_list("lead", flat=True).distinct())
        ).order_by("name"),
        "may_register": is_dispatcher(user),
        "findings": access.scope(user, Finding).filter(status=Finding.Status.REPORTED)
        .select_related("patrol__source", "to_grid")[:20]
        if user.role in (Role.DISPATCHER, Role.LIAISON) or access.is_admin(user) else [],
    }  # fmt: skip
    return render(request, "cases/list.html", context)


def _actions(user, case: Case) -> set[str]:
    """The steps this person may take on the case now (the services check again)."""
    actions = set()
    dispatcher = is_dispatcher_of(user, case)
    mine = (
        case.assignments.filter(unit=user.unit_id) if user.role == Role.LIAISON and user.unit_id
        else Assignment.objects.none()
    )  # fmt: skip
    lead_pending = mine.filter(role=Assignment.Role.LEAD, status=Assignment.Status.PENDING)
    lead_accepted = mine.filter(role=Assignment.Role.LEAD, status=Assignment.Status.ACCEPTED)
    handling = case.state in {State.ACCEPTED, State.IN_PROGRESS, State.REOPENED}
    if dispatcher:
        if case.state in {State.REGISTERED, State.RETURNED, State.ASSIGNED, State.TRANSFERRED}:
            actions.add("assign")
        if case.state == State.VERIFIED:
            actions.add("close")
        if case.state == State.CLOSED and not case.answered_at:
            actions.add("answer")
        if case.state == State.CLOSED and not case.disclosed_at:
            actions.add("disclose")
        if case.suspension_requested:
            actions.add("suspend")
        if case.state == State.SUSPENDED:
            actions.add("resume")
        if case.state == State.MERGED:
            actions.add("unlink")
        if handling:
            actions.add("transfer")
        if (
            case.state == State.CLOSED
            and not Reward.objects.filter(case=case).exists()
            and Reporter.objects.filter(case=case, anonymous=False).exists()
        ):
            actions.add("reward")
    if mine.filter(status=Assignment.Status.PENDING).exists():
        actions.add("accept")
    if lead_pending.exists():
        actions.add("return")
    if lead_accepted.exists() and handling:
        actions |= {"transfer", "report", "suspend_request"}
        if case.state == State.ACCEPTED:
            actions.add("start")
    if (
        handling
        and mine.exclude(role=Assignment.Role.LEAD)
        .filter(status__in=[Assignment.Status.ACCEPTED, Assignment.Status.REPORTED])
        .exists()
    ):
        actions.add("part")
    if case.state == State.REPORTED and services.may_verify(user, case):
        actions.add("verify")
    if dispatcher or mine.exists() or services.may_verify(user, case):
        actions.add("note")
    return actions


@login_required
def case_detail(request, pk: int):
    request.section = "cases"
    user = request.user
    case = access.obtain(
        user, Case.objects.select_related("lead", "grid__parent", "source", "jurisdiction",
                                          "duplicate_of", "verified_by"), pk)  # fmt: skip
    actions = _actions(user, case)
    units = Unit.objects.filter(jurisdiction=case.jurisdiction, is_active=True).order_by("name")
    clock = services.clock_of(case)
    context = {
        "case": case,
        "reporter": reporter_for(user, case),
        "chain": case.assignments.select_related("unit", "transferred_from__unit"),
        "events": case.events.select_related("actor", "unit"),
        "attachments": case.attachments.all(),
        "repeats": case.repeats.all(),
        "actions": actions,
        "units": units if actions & {"assign", "transfer"} else [],
        "outcomes": [c for c in Outcome.choices if c[0]],
        "supervisions": Supervision.choices,
        "rules": RewardRule.objects.filter(active=True) if "reward" in actions else [],
        "reward": Reward.objects.filter(case=case).first() if dispatches(
            user, case.jurisdiction_id) else None,
        "clock": clock,
        "owing": services.owing_unit(case),
        "routing_candidates": (case.routing or {}).get("candidates", []),
        **_learned_routing(case.routing or {}),
    }  # fmt: skip
    return render(request, "cases/detail.html", context)


def _learned_routing(routing: dict) -> dict:
    """The learned part's share of a routing proposal, in percent, for the case page."""
    confidence, precedent = routing.get("confidence"), routing.get("precedent")
    return {
        "routing_confidence": None if confidence is None else round(100 * confidence),
        "routing_precedent": None if precedent is None else round(100 * precedent),
        "routing_learned": [
            {"unit": c["unit"], "percent": round(100 * c["p"])}
            for c in routing.get("learned", [])[:3]
        ],
    }


@login_required
@require_POST
def case_act(request, pk: int, action: str):
    case = access.obtain(request.user, Case, pk)
    take_step(request, action, ACTIONS, lambda: perform(
        request.user, case, action, request.POST, request.FILES.getlist("files")))  # fmt: skip
    return redirect(case)


def _intake_jurisdictions(user):
    """An administrator registers for any area that takes reports, a dispatcher for his."""
    if access.is_admin(user):
        return portal_jurisdictions()
    return Jurisdiction.objects.filter(pk=user.unit.jurisdiction_id) if user.unit_id else []


def _require_dispatcher(user) -> None:
    if not is_dispatcher(user):
        raise PermissionDenied(_("Only the bureau's dispatchers register cases."))


def intake_jurisdiction(user, jurisdiction_id=None) -> Jurisdiction:
    """Where a dispatcher registers a report: their own area (or the one chosen)."""
    _require_dispatcher(user)
    jurisdictions = list(_intake_jurisdictions(user))
    chosen = [j for j in jurisdictions if j.pk == jurisdiction_id]
    if not chosen and jurisdiction_id is None and len(jurisdictions) == 1:
        chosen = jurisdictions
    if not chosen:
        raise ValidationError(_("Choose the jurisdiction."))
    return chosen[0]


@login_required
def case_new(request):
    """The bureau registers a report from the hotline, a petition, the representatives,
    an inspection or a leader's instruction."""
    request.section = "cases"
    user = request.user
    _require_dispatcher(user)
    jurisdictions = list(_intake_jurisdictions(user))
    channels = [c for c in Channel.choices if c[0] in services.STAFF_CHANNELS]
    values = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            wanted = values.get("jurisdiction", "")
            jurisdiction = intake_jurisdiction(user, form_id(wanted))
            if values.get("channel") not in services.STAFF_CHANNELS:
                raise ValidationError(_("Choose the channel."))
            lon, lat = values.get("lon", "").strip() or None, values.get("lat", "").strip() or None
            case = services.case_register(
                jurisdiction=jurisdiction, channel=values["channel"], text=values.get("text", ""),
                category=values.get("category", ""), address=values.get("address", ""),
                lon=lon, lat=lat, supervision=values.get("supervision") or "general",
                reporter={k: values.get(f"reporter_{k}", "") for k in
                          ("name", "phone", "email", "organisation")},
                files=request.FILES.getlist("files"), by=user,
            )  # fmt: skip
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        else:
            messages.success(request, _("Registered as %(number)s.") % {"number": case.number})
            return redirect(case)
    context = {
        "jurisdictions": jurisdictions, "channels": channels, "categories": Category.choices,
        "supervisions": Supervision.choices, "values": values,
    }  # fmt: skip
    return render(request, "cases/new.html", context, status=422 if values else 200)


@login_required
def case_attachment(request, pk: int):
    attachment = access.obtain(request.user, Attachment, pk)
    return uploads.serve(
        attachment.file, name=attachment.name, fallback=f"attachment-{attachment.pk}"
    )


@login_required
@require_POST
def finding_take(request, pk: int):
    finding = access.obtain(request.user, Finding.objects.select_related(
        "patrol__source", "patrol__grid__jurisdiction", "patrol__worker", "to_grid"), pk)  # fmt: skip
    try:
        case = services.case_from_finding(finding, by=request.user)
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
        return redirect("case_list")
    return redirect(case)


@login_required
def reward_ledger(request):
    """The reward ledger (decision, amount, payment): the bureau's dispatchers only."""
    request.section = "cases"
    user = request.user
    if not is_dispatcher(user):
        raise PermissionDenied(_("The reward ledger is kept by the bureau's dispatchers."))
    if request.method == "POST":
        reward = access.obtain(user, Reward.objects.select_related("case"),
                               request.POST.get("reward", ""))  # fmt: skip
        try:
            paid_on = datetime.date.fromisoformat(request.POST.get("paid_on", ""))
            services.reward_paid(reward, paid_on=paid_on,
                                 reference=request.POST.get("reference", ""), by=user)  # fmt: skip
        except ValueError:
            messages.error(request, _("Give the payment date as YYYY-MM-DD."))
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        else:
            messages.success(request, _("Payment recorded."))
        return redirect("reward_ledger")
    rewards = access.scope(user, Reward).select_related("case", "rule", "decided_by")
    return render(request, "cases/rewards.html", {"rewards": rewards,
                                                  "today": timezone.localdate()})  # fmt: skip
