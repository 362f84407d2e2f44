"""Pages of the complaints the inspection transfers (a batch's 交办信访件 with their cases'
states and deadlines, receiving one, importing the team's list, publishing a result) and
the chooser of the batch for a problem raised from a case, a finding or a campaign."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecogov import access
from ecogov.cases.models import Case, Category
from ecogov.org.models import Unit
from ecogov.rectification import raising, services, transfers
from ecogov.rectification.models import Batch, Origin, TransferredCase
from ecogov.rectification.transfer_sheet import read_transfer_sheet
from ecogov.supervision.actions import date_field, unit_field
from ecogov.uploads import checked_uploads


def _section(request):
    request.section = "supervision"


def _runs(user, batch: Batch) -> None:
    if not services.runs(user, batch.jurisdiction_id):
        raise PermissionDenied(
            _("The ecology bureau's dispatchers receive and publish the complaints the "
              "inspection transfers.")
        )  # fmt: skip


def _list_url(batch: Batch) -> str:
    return reverse("rectification_transfers", args=[batch.pk])


@login_required
def transfer_list(request, pk: int):
    """The batch's transferred complaints: their cases' states and deadlines, the result
    published or the form to publish it. The complaint's text and case are shown to those
    who may see the case; the reporter is never shown."""
    _section(request)
    batch = access.obtain(request.user, Batch, pk)
    rows = list(transfers.transfers_of(request.user, batch))
    visible = set(
        access.scope(request.user, Case)
        .filter(pk__in=[row.case_id for row in rows])
        .values_list("pk", flat=True)
    )
    may_run = services.runs(request.user, batch.jurisdiction_id)
    today = timezone.localdate()
    context = {
        "batch": batch,
        "rows": [
            {
                "transfer": row,
                "case": row.case,
                "sees_case": row.case_id in visible,
                "finished": transfers.finished(row.case),
                "late": not transfers.finished(row.case) and row.due < today,
            }
            for row in rows
        ],
        "may_run": may_run,
        "categories": Category.choices,
        "units": Unit.objects.filter(jurisdiction=batch.jurisdiction, is_active=True).order_by(
            "name"
        )
        if may_run
        else [],
        "today": today,
        "post": {},
    }
    return render(request, "rectification/transfers.html", context)


@login_required
@require_POST
def transfer_new(request, pk: int):
    batch = access.obtain(request.user, Batch, pk)
    _runs(request.user, batch)
    post = request.POST
    try:
        transfer = transfers.transfer_receive(
            batch, reference=post.get("reference", ""), text=post.get("text", ""),
            received_on=date_field(post, "received_on", _("The day transferred")),
            due=date_field(post, "due", _("The result's deadline")),
            due_days=post.get("due_days") or None, address=post.get("address", ""),
            category=str(post.get("category") or ""),
            lead=unit_field(batch, post.get("lead"), _("the lead unit")), by=request.user,
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(
            request,
            _("Received as case %(number)s, due by %(due)s.")
            % {"number": transfer.case.number, "due": transfer.due},
        )
    return redirect(_list_url(batch))


@login_required
@require_POST
def transfer_import(request, pk: int):
    """The team's list (交办信访件清单) as an Excel sheet: every row or none."""
    batch = access.obtain(request.user, Batch, pk)
    _runs(request.user, batch)
    try:
        checked = checked_uploads(request.FILES.getlist("file")[:1], frozenset({"xlsx"}),
                                  _("The list must be an Excel (.xlsx) file."))  # fmt: skip
        if not checked:
            raise ValidationError(_("Choose the list's Excel file."))
        [(upload, _kind)] = checked
        rows = read_transfer_sheet(upload, default_day=timezone.localdate())
        received = transfers.import_rows(batch, rows, by=request.user,
                                         due_days=request.POST.get("due_days") or None)  # fmt: skip
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("%(n)d complaints received.") % {"n": len(received)})
    return redirect(_list_url(batch))


@login_required
@require_POST
def transfer_publish(request, pk: int):
    transfer = access.obtain(request.user, TransferredCase.objects.select_related("batch"), pk)
    try:
        transfers.transfer_publish(transfer, result=request.POST.get("result", ""),
                                   by=request.user)  # fmt: skip
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("Result of %(reference)s published.")
                         % {"reference": transfer.reference})  # fmt: skip
    return redirect(_list_url(transfer.batch))


# --- raising a problem --------------------------------------------------------------


def _screening_title(campaign) -> str:
    return _("Problems found by %(campaign)s") % {"campaign": campaign.title}


@login_required
def raise_choose(request):
    """Which batch a problem raised from a case, a finding or a campaign goes into; for a
    campaign, its screening batch first (created here when there is none)."""
    _section(request)
    data = request.POST if request.method == "POST" else request.GET
    raised = raising.raised_from(request.user, data)
    if raised is None:
        raise PermissionDenied(_("Raise a problem from a case, a patrol finding or a campaign."))
    if not services.runs(request.user, raised.jurisdiction_id):
        raise PermissionDenied(_("The ecology bureau's dispatchers keep the rectification ledger."))
    batches = list(
        access.scope(request.user, Batch)
        .filter(jurisdiction=raised.jurisdiction_id)
        .order_by("-received_on", "-pk")
    )
    if raised.kind == "campaign":
        screening = [b for b in batches if b.origin == Origin.SCREENING]
        batches = screening + [b for b in batches if b.origin != Origin.SCREENING]
    if request.method == "POST" and raised.kind == "campaign":
        title = _screening_title(raised.obj)
        batch = next((b for b in batches if b.title == title), None)
        if batch is None:
            try:
                batch = services.batch_create(
                    jurisdiction=raised.obj.jurisdiction, origin=Origin.SCREENING, title=title,
                    received_on=min(timezone.localdate(), raised.obj.end), by=request.user,
                )  # fmt: skip
            except ValidationError as error:
                messages.error(request, "；".join(error.messages))
                batch = None
        if batch is not None:
            return redirect(reverse("rectification_problem_new", args=[batch.pk]) + raised.query)
    context = {
        "raised": raised,
        "batches": batches,
        "campaign_batch": _screening_title(raised.obj) if raised.kind == "campaign" else "",
    }
    return render(request, "rectification/raise.html", context)
