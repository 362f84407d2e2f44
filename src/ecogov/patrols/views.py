"""The grid worker's phone pages (due list, patrol form) and the officers' patrol page."""

import datetime
import uuid
from decimal import Decimal, InvalidOperation

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ecogov import access, uploads
from ecogov.grid.models import Grid
from ecogov.params import query_int
from ecogov.patrols.models import Finding, Patrol, PatrolPhoto
from ecogov.patrols.services import checklist_for, coverage, patrol_record, patrols_due
from ecogov.sources.models import Source

# The longest look back over patrol coverage that a page asks for.
MAX_DAYS = 366


@login_required
def due_list(request):
    request.section = "grid"
    due = patrols_due(request.user, today=timezone.localdate())
    return render(request, "patrols/due.html", {"due": due, "today": timezone.localdate()})


@login_required
def patrol_form(request, source_id: int):
    request.section = "grid"
    source = access.obtain(request.user, Source.objects.select_related("type", "grid"), source_id)
    context = {"source": source, "checklist": checklist_for(source), "client_id": uuid.uuid4()}
    return render(request, "patrols/form.html", context)


def _decimal(value: str):
    try:
        return Decimal(value).quantize(Decimal("0.000001")) if value else None
    except InvalidOperation:
        raise ValidationError(_("The position must be numbers.")) from None


@login_required
@require_http_methods(["POST"])
def patrol_submit(request):
    """Store a patrol from the phone. JSON for the page's script (which retries), a
    redirect for a plain form post."""
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    try:
        client_id = uuid.UUID(request.POST.get("client_id", ""))
        source = access.obtain(
            request.user,
            Source.objects.select_related("type", "grid"),
            request.POST.get("source", ""),
        )
        when = request.POST.get("patrolled_at", "")
        patrolled_at = datetime.datetime.fromisoformat(when) if when else timezone.now()
        if timezone.is_naive(patrolled_at):
            patrolled_at = timezone.make_aware(patrolled_at)
        if patrolled_at > timezone.now() + datetime.timedelta(minutes=10):
            raise ValidationError(_("The patrol time lies in the future."))
        checklist = {
            item: request.POST.get(f"check-{n}") == "on"
            for n, item in enumerate(checklist_for(source))
        }
        patrol, created = patrol_record(
            client_id=client_id, source=source, worker=request.user, patrolled_at=patrolled_at,
            lon=_decimal(request.POST.get("lon", "")), lat=_decimal(request.POST.get("lat", "")),
            checklist=checklist, finding=request.POST.get("finding") == "yes",
            note=request.POST.get("note", ""), photos=request.FILES.getlist("photos"),
        )  # fmt: skip
    except (ValueError, ValidationError) as error:
        messages = getattr(error, "messages", None) or [str(error)]
        if wants_json:
            return JsonResponse({"detail": "; ".join(messages)}, status=422)
        raise
    except PermissionDenied as error:
        if wants_json:
            return JsonResponse({"detail": str(error)}, status=403)
        raise
    if wants_json:
        return JsonResponse({"id": patrol.pk, "created": created}, status=201 if created else 200)
    return redirect("patrol_due")


@login_required
def patrol_list(request):
    """For township officers and the bureau: recent patrols, open findings, coverage."""
    request.section = "grid"
    user = request.user
    patrols = (
        access.scope(user, Patrol)
        .select_related("source", "grid", "worker")
        .prefetch_related("photos")[:100]
    )
    findings = access.scope(user, Finding).select_related(
        "patrol__source", "to_grid", "patrol__worker"
    )
    today = timezone.localdate()
    start = today - datetime.timedelta(days=query_int(request, "days", max=MAX_DAYS, default=30))
    grids = access.scope(user, Grid).filter(level=3)
    context = {
        "patrols": patrols,
        "findings": findings.filter(status=Finding.Status.REPORTED),
        "missing": coverage(grids, start=start, end=today),
        "start": start,
        "today": today,
    }
    return render(request, "patrols/list.html", context)


@login_required
def patrol_photo(request, pk: int):
    """A patrol photo, to whoever may see the patrol (uploads are never served openly)."""
    photo = PatrolPhoto.objects.select_related("patrol").filter(pk=pk).first()
    if photo is None:
        raise Http404(_("No such photo."))
    access.obtain(request.user, Patrol, photo.patrol_id)
    return uploads.serve(photo.image, fallback=f"patrol-photo-{photo.pk}")
