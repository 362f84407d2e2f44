"""The supervision ledger's pages: the one list of every kind with its filters and Excel
export, the progress import, an item with its history and the steps the person may take,
a new leader's instruction or special supervision item, and one's notices."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecogov import access, uploads
from ecogov.org.models import Unit
from ecogov.params import page_query, query_choice, query_int
from ecogov.spreadsheets import download, table_workbook
from ecogov.supervision import actions, ledger, services
from ecogov.supervision.exchange import EXPORT_HEADER, EXPORT_WIDTHS, export_row, progress_import
from ecogov.supervision.models import Evidence, Item, ItemEvent, Kind, LevelChoice, Notice
from ecogov.web.steps import take_step

PAGE_SIZE = 50
COLOURS = ("red", "yellow", "blue")


def _filters(request) -> ledger.Filters:
    kind = query_choice(request, "kind", Kind.values)
    return ledger.Filters(
        kinds=frozenset({kind}) if kind else frozenset(),
        unit=query_int(request, "unit"),
        level=query_choice(request, "level", LevelChoice.values),
        colour=query_choice(request, "colour", COLOURS),
        include_closed=request.GET.get("closed") == "1",
        escalated=query_int(request, "escalated", min=0, max=2, default=0),
    )


def _units_for(user):
    return access.scope(user, Unit).order_by("jurisdiction", "name")


@login_required
def ledger_page(request):
    """督办台账: every supervised item of every kind the user may see, red first."""
    request.section = "supervision"
    filters = _filters(request)
    # The page's rows only: a city's ledger holds tens of thousands (ledger.page).
    number = query_int(request, "page", default=1)
    found = ledger.page(request.user, filters, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    page = Paginator(range(found.total), PAGE_SIZE).page(found.offset // PAGE_SIZE + 1)
    context = {
        "page": page,
        "rows": found.rows,
        "total": found.total,
        "counts": {colour: found.colours.get(colour, 0) for colour in COLOURS},
        "kinds": Kind.choices,
        "levels": LevelChoice.choices,
        "units": _units_for(request.user),
        "may_create": services.may_create(request.user),
        "may_import": services.may_report_anything(request.user),
        "query": page_query(request),
    }
    return render(request, "supervision/ledger.html", context)


@login_required
def ledger_export(request):
    """The ledger as the offices exchange it (.xlsx), with the same filters."""
    rows = ledger.rows(request.user, _filters(request))
    now = timezone.localtime()
    data = table_workbook(
        sheet_title="督办台账",
        title="督办事项台账",
        subtitle=f"导出时间：{now:%Y-%m-%d %H:%M}",
        header=EXPORT_HEADER,
        rows=(export_row(row) for row in rows),
        widths=EXPORT_WIDTHS,
    )
    return download(data, f"督办台账-{now:%Y%m%d}.xlsx", ascii_name=f"ledger-{now:%Y%m%d}.xlsx")


@login_required
@require_POST
def ledger_import(request):
    """Progress reports from a filled-in ledger: one per row with text, all or nothing."""
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose the Excel file to import."))
        return redirect("supervision_ledger")
    try:
        result = progress_import(data=upload.read(), by=request.user)
    except ValidationError as error:
        messages.error(
            request, _("Nothing was imported: %(errors)s") % {"errors": "；".join(error.messages)}
        )
    else:
        messages.success(
            request,
            _("%(filed)d reports filed, %(skipped)d rows without new progress.")
            % {"filed": result.filed, "skipped": result.skipped},
        )
    return redirect("supervision_ledger")


def _item(request, pk):
    return access.obtain(request.user, Item.objects.select_related("lead", "supervisor"), pk)


@login_required
def item_detail(request, pk: int):
    request.section = "supervision"
    item = _item(request, pk)
    events = (
        item.events.select_related("actor", "unit")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
        .order_by("at", "pk")
    )
    reports = [
        e for e in events if e.kind in (ItemEvent.Kind.REPORTED, ItemEvent.Kind.COMPLETION_ASKED)
    ]
    context = {
        "item": item,
        "support": list(item.support.all()),
        "events": events,
        "last_percent": next((e.percent for e in reversed(reports) if e.percent is not None), None),
        "steps": actions.allowed(request.user, item),
        "units": Unit.objects.filter(jurisdiction=item.jurisdiction).order_by("name"),
        "origin": services.origin_of(item),
    }
    return render(request, "supervision/item.html", context)


@login_required
@require_POST
def item_act(request, pk: int, action: str):
    item = _item(request, pk)
    take_step(request, action, actions.ACTIONS, lambda: actions.perform(
        request.user, item, action, request.POST, request.FILES.getlist("files")))  # fmt: skip
    return redirect(item.get_absolute_url())


@login_required
def item_new(request):
    """A leader's instruction (领导批示) or a special supervision item (专项督办), entered
    by the bureau or the government office."""
    request.section = "supervision"
    user = request.user
    if not services.may_create(user):
        raise PermissionDenied(_("The bureau and the government office enter supervised items."))
    home = user.unit.jurisdiction if user.unit_id else None
    if home is None:
        raise PermissionDenied(_("Your account has no unit: ask an administrator."))
    units = Unit.objects.filter(jurisdiction=home).order_by("name")
    post = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            item = services.item_from_form(user, home, request.POST)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(
                request, _("Entered on the supervision ledger: %(n)s") % {"n": item.number}
            )
            return redirect(item.get_absolute_url())
    context = {
        "units": units,
        "post": post,
        "kinds": [(Kind.INSTRUCTION, Kind.INSTRUCTION.label), (Kind.SPECIAL, Kind.SPECIAL.label)],
        "levels": LevelChoice.choices,
        "support_ids": [str(v) for v in request.POST.getlist("support")] if post else [],
    }
    return render(request, "supervision/new.html", context)


@login_required
def evidence_file(request, pk: int):
    evidence = access.obtain(request.user, Evidence, pk)
    return uploads.serve(evidence.file, name=evidence.name, fallback="evidence")


@login_required
def notice_list(request):
    request.section = "notices"
    notices = Notice.objects.filter(recipient=request.user).order_by("-at", "-pk")
    page = Paginator(notices, PAGE_SIZE).get_page(query_int(request, "page", default=1))
    return render(request, "supervision/notices.html", {"page": page})


@login_required
@require_POST
def notices_read(request):
    Notice.objects.filter(recipient=request.user, read_at=None).update(read_at=timezone.now())
    return redirect("notice_list")
