"""The rectification ledger's pages: the batches, a batch with its problems and their
progress, a new batch, a problem entered by hand, a problem with its measures,
milestones, objections, look-backs, history and the steps the person may take, and its
files."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecogov import access, uploads
from ecogov.org.models import Unit
from ecogov.params import form_number, query_choice
from ecogov.rectification import actions, raising, services
from ecogov.rectification.models import Batch, LookBack, Measure, Origin, Problem
from ecogov.rectification.services import PROGRESS_LABELS, MeasureInput, MilestoneInput
from ecogov.supervision.actions import date_field, unit_field
from ecogov.supervision.models import Evidence
from ecogov.web.steps import take_step

MEASURE_ROWS = 5
MILESTONE_ROWS = 3


def _section(request):
    request.section = "supervision"


def _home(user):
    return user.unit.jurisdiction if user.is_authenticated and user.unit_id else None


@login_required
def batch_list(request):
    """整改台账: every batch the user may see, with its problems counted by state."""
    _section(request)
    batches = access.scope(request.user, Batch).annotate(
        # distinct: the join with the look-backs repeats a problem once per look-back
        total=Count("problems", distinct=True),
        closed=Count("problems", filter=Q(problems__state=Problem.State.CLOSED), distinct=True),
        relapses=Count("problems__lookbacks",
                       filter=Q(problems__lookbacks__result=LookBack.Result.RELAPSED)),
    )  # fmt: skip
    home = _home(request.user)
    context = {
        "batches": batches.order_by("-received_on", "-pk"),
        "may_run": home is not None and services.runs(request.user, home.pk),
    }
    return render(request, "rectification/batches.html", context)


@login_required
def batch_new(request):
    _section(request)
    home = _home(request.user)
    if home is None or not services.runs(request.user, home.pk):
        raise PermissionDenied(_("The ecology bureau's dispatchers keep the rectification ledger."))
    post = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            batch = services.batch_create(
                jurisdiction=home, origin=str(post.get("origin") or ""), title=post.get("title", ""),
                team=post.get("team", ""), received_on=date_field(post, "received_on", _("The day received")),
                publicity_days=_number(post, "publicity_days", 7, _("The publicity period")),
                lookback_percent=_number(post, "lookback_percent", 20, _("The look-back share")),
                lookback_days=_number(post, "lookback_days", 180, _("The look-back delay")),
                public=post.get("public") == "on", by=request.user,
            )  # fmt: skip
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("Batch created: now import or enter its problems."))
            return redirect(batch.get_absolute_url())
    return render(request, "rectification/batch_new.html",
                  {"post": post, "origins": Origin.choices})  # fmt: skip


def _number(post, name: str, default: int, what: str) -> int:
    value = str(post.get(name) or "").strip()
    if not value:
        return default
    number = form_number(value, min=0, max=99999)
    if number is None:
        raise ValidationError(_("%(what)s must be a whole number.") % {"what": what})
    return number


def problem_rows(problems, today: datetime.date) -> list[dict]:
    """The problems with their computed progress (measures and milestones prefetched)."""
    rows = []
    for problem in problems:
        measures = list(problem.measures.all())
        progress = services.progress_of(problem, today, measures=measures,
                                        milestones=list(problem.milestones.all()))  # fmt: skip
        rows.append({"problem": problem, "progress": progress,
                     "progress_label": PROGRESS_LABELS[progress], "measures": measures})  # fmt: skip
    return rows


def batch_problems(user, batch: Batch):
    return (
        access.scope(user, Problem.objects.filter(batch=batch))
        .select_related("item__lead", "acceptance_unit")
        .prefetch_related(
            Prefetch("measures", queryset=Measure.objects.select_related("unit")), "milestones"
        )
        .order_by("seq")
    )


@login_required
def batch_detail(request, pk: int):
    _section(request)
    batch = access.obtain(request.user, Batch, pk)
    state = query_choice(request, "state", Problem.State.values)
    problems = batch_problems(request.user, batch)
    if state:
        problems = problems.filter(state=state)
    rows = problem_rows(problems, timezone.localdate())
    counts = {key: sum(1 for row in rows if row["progress"] == key) for key in PROGRESS_LABELS}
    context = {
        "batch": batch,
        "rows": rows,
        "counts": [(PROGRESS_LABELS[key], n) for key, n in counts.items()],
        "closed": sum(1 for row in rows if row["problem"].state == Problem.State.CLOSED),
        "states": Problem.State.choices,
        "state": state,
        "may_run": services.runs(request.user, batch.jurisdiction_id),
        "transfers": batch.transfers.count(),
        "lookbacks": access.scope(
            request.user,
            LookBack.objects.filter(problem__batch=batch, result=LookBack.Result.PENDING),
        ).select_related("problem"),  # fmt: skip
    }
    return render(request, "rectification/batch.html", context)


def _units(batch: Batch):
    return Unit.objects.filter(jurisdiction=batch.jurisdiction, is_active=True).order_by("name")


def problem_from_form(user, batch: Batch, post, *, origin: dict | None = None) -> Problem:
    """A problem entered by hand (or raised from a case, a finding, a campaign)."""
    measures = [
        MeasureInput(
            text=str(post.get(f"measure_{n}") or ""),
            unit=unit_field(batch, post.get(f"measure_{n}_unit"), _("a measure's unit")),
            deadline=date_field(post, f"measure_{n}_deadline", _("A measure's deadline")),
        )
        for n in range(1, MEASURE_ROWS + 1)
    ]
    milestones = [
        MilestoneInput(
            text=str(post.get(f"milestone_{n}") or ""),
            due=date_field(post, f"milestone_{n}_due", _("A milestone's date")),
        )  # fmt: skip
        for n in range(1, MILESTONE_ROWS + 1)
    ]
    return services.problem_create(
        batch, text=post.get("text", ""), target=post.get("target", ""),
        stage=str(post.get("stage") or ""), leader=post.get("leader", ""),
        lead=unit_field(batch, post.get("lead"), _("the lead unit")),
        acceptance_unit=unit_field(batch, post.get("acceptance_unit"), _("the acceptance unit")),
        deadline=date_field(post, "deadline", _("The deadline")), measures=measures,
        public_text=post.get("public_text", ""),
        milestones=milestones, by=user, **(origin or {}),
    )  # fmt: skip


@login_required
def problem_new(request, pk: int):
    _section(request)
    batch = access.obtain(request.user, Batch, pk)
    if not services.runs(request.user, batch.jurisdiction_id):
        raise PermissionDenied(_("The ecology bureau's dispatchers keep the rectification ledger."))
    post = request.POST if request.method == "POST" else request.GET
    # The form carries the origin in hidden fields; the chooser's link in the address.
    raised = raising.raised_from(request.user, post)
    raised = raised or raising.raised_from(request.user, request.GET)
    if raised is not None and raised.jurisdiction_id != batch.jurisdiction_id:
        raise PermissionDenied(_("It belongs to another district than the batch."))
    if raised is not None and request.method == "GET" and not post.get("text"):
        post = post.copy()
        post["text"] = raised.text
    if request.method == "POST":
        try:
            problem = problem_from_form(request.user, batch, request.POST,
                                        origin=raised.origin if raised else None)  # fmt: skip
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("Entered: %(problem)s") % {"problem": problem})
            return redirect(problem.get_absolute_url())
    context = {
        "batch": batch,
        "post": post,
        "units": _units(batch),
        "stages": Problem.Stage.choices,
        "measure_rows": [
            {
                "n": n,
                "text": post.get(f"measure_{n}", ""),
                "unit": post.get(f"measure_{n}_unit", ""),
                "deadline": post.get(f"measure_{n}_deadline", ""),
            }
            for n in range(1, MEASURE_ROWS + 1)
        ],  # fmt: skip
        "milestone_rows": [
            {
                "n": n,
                "text": post.get(f"milestone_{n}", ""),
                "due": post.get(f"milestone_{n}_due", ""),
            }
            for n in range(1, MILESTONE_ROWS + 1)
        ],  # fmt: skip
    }
    if raised is not None:
        context |= {"origin_label": raised.label, "origin_url": raised.url,
                    "origin_fields": raised.fields}  # fmt: skip
    return render(request, "rectification/problem_new.html", context)


def _problem(request, pk: int) -> Problem:
    return access.obtain(
        request.user,
        Problem.objects.select_related(
            "batch", "item__lead", "item__supervisor", "acceptance_unit"
        ),  # fmt: skip
        pk,
    )


@login_required
def problem_detail(request, pk: int):
    _section(request)
    problem = _problem(request, pk)
    item = problem.item
    events = (
        item.events.select_related("actor", "unit", "measure_report__measure")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
        .order_by("at", "pk")
    )
    measures = list(problem.measures.select_related("unit"))
    milestones = list(problem.milestones.all())
    progress = services.progress_of(problem, measures=measures, milestones=milestones)
    context = {
        "problem": problem,
        "item": item,
        "measures": measures,
        "milestones": milestones,
        "progress": PROGRESS_LABELS[progress],
        "objections": problem.objections.select_related("entered_by"),
        "lookbacks": problem.lookbacks.select_related("unit", "checked_by"),
        "events": events,
        "steps": actions.allowed(request.user, problem),
        "origin": raising.origin_of(problem, request.user),
        "units": _units(problem.batch),
        "today": timezone.localdate(),
    }
    return render(request, "rectification/problem.html", context)


@login_required
@require_POST
def problem_act(request, pk: int, action: str):
    problem = _problem(request, pk)
    take_step(request, action, actions.ACTIONS, lambda: actions.perform(
        request.user, problem, action, request.POST, request.FILES.getlist("files")))  # fmt: skip
    return redirect(problem.get_absolute_url())


@login_required
def closeout_file(request, pk: int):
    problem = _problem(request, pk)
    if not problem.closeout_file:
        raise Http404(_("No such file."))
    return uploads.serve(problem.closeout_file, name=problem.closeout_name, fallback="closeout")


@login_required
def lookback_file(request, pk: int):
    lookback = access.obtain(request.user, LookBack, pk)
    if not lookback.file:
        raise Http404(_("No such file."))
    return uploads.serve(lookback.file, name=lookback.file_name, fallback="lookback")
