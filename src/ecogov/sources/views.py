"""Pages of the pollution-source base."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ecogov import access
from ecogov.access import CHANGE
from ecogov.accounts.models import Role
from ecogov.grid.selectors import grid_chain
from ecogov.params import page_query, query_int
from ecogov.patrols.models import Patrol
from ecogov.patrols.services import every_days, may_patrol
from ecogov.sources.models import Source, SourceType
from ecogov.sources.services import sources_import, sources_workbook
from ecogov.spreadsheets import download
from ecogov.web.history import history_entries

# A district holds hundreds of sources, a city thousands: the list shows them a page at a time.
PAGE_SIZE = 50


def _sources(request):
    sources = access.scope(request.user, Source).select_related("type", "grid", "grid__parent")
    type_code = request.GET.get("type", "")
    if type_code:
        sources = sources.filter(type__code=type_code)
    query = request.GET.get("q", "").replace("\x00", "").strip()
    if query:
        sources = sources.filter(name__icontains=query)
    if request.GET.get("key") == "1":
        sources = sources.filter(key=True)
    return sources.order_by("type__order", "name", "pk")


@login_required
def source_list(request):
    request.section = "grid"
    can_import = request.user.role in (Role.DISPATCHER, Role.LIAISON, Role.ADMINISTRATOR)
    page = Paginator(_sources(request), PAGE_SIZE).get_page(query_int(request, "page", default=1))
    context = {
        "page": page,
        "query": page_query(request),
        "types": SourceType.objects.all(),
        "selected": {
            "type": request.GET.get("type", ""),
            "q": request.GET.get("q", ""),
            "key": request.GET.get("key", ""),
        },
        "can_import": can_import,
    }
    return render(request, "sources/source_list.html", context)


@login_required
def source_detail(request, pk: int):
    request.section = "grid"
    source = access.obtain(
        request.user, Source.objects.select_related("type", "grid", "jurisdiction"), pk
    )
    chain = grid_chain(float(source.lon), float(source.lat)) if source.lon is not None else []
    context = {
        "source": source,
        "chain": chain,
        "can_change": access.can(request.user, CHANGE, source),
        "patrols": access.scope(request.user, Patrol)
        .filter(source=source)
        .select_related("worker")
        .prefetch_related("photos")[:50],
        "every_days": every_days(source),
        "may_patrol": may_patrol(request.user, source),
        "history": history_entries(source) if access.can_see_history(request.user) else None,
    }
    return render(request, "sources/source_detail.html", context)


@login_required
def source_export(request):
    return download(sources_workbook(_sources(request)), "污染源.xlsx", ascii_name="sources.xlsx")


@login_required
@require_http_methods(["POST"])
def source_import(request):
    user = request.user
    if not user.unit_id:
        # Sources are imported into the importer's jurisdiction; an account without a
        # unit has none, and guessing one would put sources in the wrong district.
        raise PermissionDenied(
            _(
                "Sources are imported into your unit's jurisdiction: use an account that belongs to a unit."
            )
        )
    if user.role not in (Role.DISPATCHER, Role.LIAISON) and not access.is_admin(user):
        raise PermissionDenied(_("Only the dispatcher and township liaisons import sources."))
    area = user.unit.jurisdiction
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose the Excel file to import."))
        return redirect("source_list")
    try:
        result = sources_import(data=upload.read(), jurisdiction=area, by=user)
        changed = Source.objects.filter(jurisdiction=area, name__in=result.created + result.updated)
        if changed.exclude(pk__in=access.scope(user, Source, CHANGE)).exists():
            # A township may not place or change sources outside its own grids.
            raise ValidationError(
                _("Some rows concern sources outside your grids; nothing was imported.")
            )
    except ValidationError as error:
        messages.error(
            request, _("Nothing was imported: %(errors)s") % {"errors": "；".join(error.messages)}
        )
        return redirect("source_list")
    messages.success(
        request,
        _("%(created)d sources created, %(updated)d updated, %(unchanged)d unchanged.")
        % {
            "created": len(result.created),
            "updated": len(result.updated),
            "unchanged": result.unchanged,
        },
    )
    return redirect("source_list")
