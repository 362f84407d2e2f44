"""The page that reads a problem list in (issue 19, Deliver §1): upload the list, choose
its batch or name a new one, see what would be imported (rows, units matched, each
unknown name with a choice of the unit it means), then import it, all or nothing.

The list's bytes wait in the session between the preview and the import (at most
``MAX_LIST_BYTES``), so the operator sends the file once and the import reads what the
preview read."""

import base64
import binascii

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.org.models import Unit
from ecogov.params import MAX_ID, BadQuery, parse_int, query_int
from ecogov.rectification import services
from ecogov.rectification.imports import ImportRefused, NewBatch, list_import
from ecogov.rectification.models import Batch, Origin
from ecogov.supervision.actions import date_field, unit_field

MAX_LIST_BYTES = 2 * 1024 * 1024
SESSION_KEY = "rectification_import"
MAX_NAMES = 200  # unknown names mapped on one preview


def _home_run(request):
    """The jurisdiction the person keeps the ledger of; anyone else is refused."""
    request.section = "supervision"
    user = request.user
    home = user.unit.jurisdiction if user.unit_id else None
    if home is None or not services.runs(user, home.pk):
        raise PermissionDenied(_("The ecology bureau's dispatchers keep the rectification ledger."))
    return home


def _batch_choice(post, home):
    """The batch chosen (another district's batch is refused) or the new one named."""
    value = str(post.get("batch") or "").strip()
    if value:
        batch = Batch.objects.filter(pk=_number(value, "batch", MAX_ID)).first()
        if batch is None:
            raise ValidationError(_("Choose the batch from the list."))
        if batch.jurisdiction_id != home.pk:
            raise PermissionDenied(_("The batch belongs to another jurisdiction."))
        return batch, None
    origin = str(post.get("origin") or "")
    if origin and origin not in Origin.values:
        raise ValidationError(_("Choose who found the problems."))
    new = NewBatch(
        title=str(post.get("title") or "").strip()[:200], origin=origin,
        received_on=date_field(post, "received_on", _("The day received")),
        team=str(post.get("team") or "").strip()[:100],
    )  # fmt: skip
    if not new.title:
        raise ValidationError(_("Choose the batch, or name a new one."))
    return None, new


def _mapping(post, names, home) -> dict[str, Unit]:
    """The operator's choice of unit for each unknown name (map_<n> goes with name_<n>)."""
    mapping = {}
    for index in range(len(names)):
        name = str(post.get(f"name_{index}") or "")
        unit = unit_field(home, post.get(f"map_{index}"), _("the unit it means"))
        if name and unit is not None:
            mapping[name] = unit
    return mapping


def _number(value, name: str, top: int) -> int:
    try:
        return parse_int(str(value or "0").strip() or "0", name, min=0, max=top)
    except BadQuery as error:
        raise ValidationError(str(error)) from None


def _stored(request) -> tuple[bytes, str] | None:
    stored = request.session.get(SESSION_KEY)
    if not isinstance(stored, dict):
        return None
    try:
        return base64.b64decode(stored.get("data", ""), validate=True), str(stored.get("name"))
    except (binascii.Error, ValueError):
        return None


@login_required
def import_list(request):
    """Step one: the file and its batch. Step two (``action`` preview or import): what
    the list holds, the unknown names to map, and the import."""
    home = _home_run(request)
    batches = Batch.objects.filter(jurisdiction=home).order_by("-received_on", "-pk")
    context = {"batches": batches, "origins": Origin.choices, "post": request.POST,
               "max_mb": MAX_LIST_BYTES // 1024 // 1024}  # fmt: skip
    if request.method != "POST":
        request.session.pop(SESSION_KEY, None)
        # From a batch's page: that batch chosen.
        context["post"] = {"batch": str(query_int(request, "batch") or "")}
        return render(request, "rectification/import.html", context)
    upload = request.FILES.get("file")
    if upload is not None:
        if upload.size > MAX_LIST_BYTES:
            messages.error(request, _("The list is larger than %(n)d MB: send it in parts.")
                           % {"n": MAX_LIST_BYTES // 1024 // 1024})  # fmt: skip
            return render(request, "rectification/import.html", context)
        data, name = upload.read(), upload.name[:200]
        request.session[SESSION_KEY] = {"data": base64.b64encode(data).decode(), "name": name}
    else:
        stored = _stored(request)
        if stored is None:
            messages.error(request, _("Choose the Excel file to import."))
            return render(request, "rectification/import.html", context)
        data, name = stored
    confirm = request.POST.get("action") == "import"
    try:
        count = _number(request.POST.get("names"), "names", MAX_NAMES)
        names = [str(request.POST.get(f"name_{n}") or "") for n in range(count)]
        batch, new = _batch_choice(request.POST, home)
        mapping = _mapping(request.POST, names, home)
        report = list_import(data, jurisdiction=home, by=request.user, batch=batch,
                             new_batch=new, mapping=mapping, dry_run=not confirm)  # fmt: skip
    except ImportRefused as refusal:
        report = refusal.report
    except ValidationError as error:
        messages.error(request, _("Nothing was imported: %(errors)s")
                       % {"errors": "；".join(error.messages)})  # fmt: skip
        return render(request, "rectification/import.html", context)
    if confirm and report.ok:
        request.session.pop(SESSION_KEY, None)
        messages.success(request, _("%(n)d problems imported into %(batch)s.")
                         % {"n": len(report.problems), "batch": report.batch_title})  # fmt: skip
        return redirect("rectification_batch", report.batch_id)
    chosen = {name: str(request.POST.get(f"map_{n}") or "") for n, name in enumerate(names)}
    context |= {
        "report": report,
        "file_name": name,
        "unknown": [
            {
                "index": n,
                "name": unknown,
                "rows": "、".join(map(str, rows)),
                "chosen": chosen.get(unknown, ""),
            }
            for n, (unknown, rows) in enumerate(report.unknown.items())
        ],  # fmt: skip
        "units": Unit.objects.filter(jurisdiction=home, is_active=True).order_by("name"),
        "origin_label": Origin(report.origin).label,
        "today": timezone.localdate(),
    }
    # The names mapped already stay offered with their choice, so that a second check
    # does not forget them.
    known = {row["name"] for row in context["unknown"]}
    for name in names:
        if name and name not in known and chosen.get(name):
            context["unknown"].append({"index": len(context["unknown"]), "name": name,
                                       "rows": "", "chosen": chosen[name]})  # fmt: skip
    return render(request, "rectification/import_preview.html", context)
