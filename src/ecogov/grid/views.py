"""Pages of grids: the map and a grid's page with its five fixes."""

import datetime
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ecogov import access, uploads
from ecogov.access import CHANGE
from ecogov.accounts.models import User
from ecogov.grid.models import Grid, GridMember, ResponsibilityContract
from ecogov.grid.public import place_at, place_search, public_grid
from ecogov.grid.selectors import depth_first, grid_chain
from ecogov.grid.services import contract_add, grid_fixes_update, member_add
from ecogov.org.services import audited_delete
from ecogov.params import BadQuery, form_id, form_number, query_float
from ecogov.patrols.models import GridEvaluation
from ecogov.sources.models import SourceType


@login_required
def grid_map(request):
    request.section = "grid"
    grids = access.scope(request.user, Grid).exclude(boundary=None).order_by("level", "name")
    features = [
        {
            "type": "Feature",
            "geometry": grid.boundary,
            "properties": {
                "id": grid.pk,
                "name": grid.name,
                "level": grid.level,
                "url": grid.get_absolute_url(),
            },
        }
        for grid in grids
    ]
    context = {
        "geojson": {"type": "FeatureCollection", "features": features},
        "tiles": settings.ECOGOV_MAP_TILES,
        "grids": depth_first(list(grids)),
    }
    return render(request, "grid/map.html", context)


@login_required
def grid_detail(request, pk: int):
    request.section = "grid"
    grid = access.obtain(
        request.user, Grid.objects.select_related("parent", "unit", "jurisdiction"), pk
    )
    context = {
        "grid": grid,
        "children": access.scope(request.user, Grid).filter(parent=grid).order_by("name"),
        "members": grid.members.select_related("user").order_by("role"),
        "contracts": grid.contracts.select_related("upper").all(),
        "patrol_tasks": grid.patrol_tasks,
        "boundary": json.dumps(grid.boundary) if grid.boundary else "",
        "can_change": access.can(request.user, CHANGE, grid),
        "evaluations": access.scope(request.user, GridEvaluation)
        .filter(grid=grid)
        .select_related("evaluator")[:8],
    }
    return render(request, "grid/grid_detail.html", context)


def _point_from(request) -> tuple[float, float]:
    """Longitude and latitude from ``?lon=&lat=`` (ecogov.params), or BadQuery with a
    message that says how to write them."""
    try:
        lon = query_float(request, "lon", min=-180, max=180)
        lat = query_float(request, "lat", min=-90, max=90)
    except BadQuery:
        lon = lat = None
    if lon is None or lat is None:
        raise BadQuery(_("Give the longitude and latitude as numbers, e.g. 101.78 and 36.60."))
    return lon, lat


def public_grid_page(request, pk: int | None = None):
    """No sign-in: who is responsible for a place and how to reach them."""
    chain = []
    error = ""
    lon, lat = request.GET.get("lon", ""), request.GET.get("lat", "")
    if pk is not None:
        grid = Grid.objects.filter(pk=pk).first()
        if grid is None:
            raise Http404(_("No such grid."))
        chain = [public_grid(grid)]
    elif lon or lat:
        try:
            chain = [public_grid(grid) for grid in grid_chain(*_point_from(request))]
        except BadQuery as bad:
            error = str(bad)
        else:
            if not chain:
                error = _("This place lies in no grid of EcoGov.")
    # Each grid under its own parent: ordered by level alone, every village followed the
    # last township and read as part of it.
    grids = Grid.objects.order_by("jurisdiction", "level", "name")
    grids = depth_first(list(grids.only("pk", "name", "level", "parent")))
    return render(
        request,
        "grid/public.html",
        {"chain": chain, "error": error, "lon": lon, "lat": lat, "grids": grids},
    )


def public_grid_locate(request):
    """No sign-in, JSON: the names of the place at a point (its grids, district to village)."""
    try:
        lon, lat = _point_from(request)
    except BadQuery as bad:
        return JsonResponse({"detail": str(bad)}, status=400)
    return JsonResponse(place_at(lon, lat))


def public_place_search(request):
    """No sign-in, JSON: grids, areas and pollution sources whose name contains ``q``."""
    text = request.GET.get("q", "").strip()[:50]
    return JsonResponse({"places": [place.as_json() for place in place_search(text)]})


def _interval_rows(types) -> list[tuple[str, str]]:
    """The rows of the 定任务 form: key sources, then each source type."""
    return [("key", _("key sources")), *((t.code, t.name) for t in types)]


def _intervals_from(post, types) -> list[dict]:
    """The 定任务 entries from the form; a blank field keeps the default."""
    tasks = []
    for code, name in _interval_rows(types):
        value = post.get(f"every-{code}", "").strip()
        if not value:
            continue
        days = form_number(value, min=1, max=366)
        if days is None:
            raise ValidationError(_("A patrol interval is a number of days from 1 to 366."))
        task = {"what": str(name), "every_days": days}
        task.update({"key": True} if code == "key" else {"type": code})
        tasks.append(task)
    return tasks


@login_required
def grid_edit(request, pk: int):
    """The five fixes, people and contracts of a grid, for its unit's officer or the bureau."""
    request.section = "grid"
    grid = access.obtain(request.user, Grid.objects.select_related("parent", "unit"), pk, CHANGE)
    types = list(SourceType.objects.order_by("pk"))
    error = ""
    if request.method == "POST":
        try:
            grid_fixes_update(
                grid=grid, by=request.user,
                area_description=request.POST.get("area_description", ""),
                duties=request.POST.get("duties", ""),
                rewards_penalties=request.POST.get("rewards_penalties", ""),
                patrol_tasks=_intervals_from(request.POST, types),
            )  # fmt: skip
        except ValidationError as failure:
            error = "; ".join(failure.messages)
        else:
            messages.success(request, _("The five fixes were saved."))
            return redirect(grid)
    current = {
        ("key" if task.get("key") else task.get("type")): task.get("every_days")
        for task in grid.patrol_tasks or []
        if isinstance(task, dict)
    }
    context = {
        "grid": grid,
        "error": error,
        "intervals": [(code, name, current.get(code)) for code, name in _interval_rows(types)],
        "members": grid.members.select_related("user").order_by("role"),
        "people": access.scope(request.user, User).filter(is_active=True).order_by("name"),
        "roles": GridMember.Role.choices,
        "contracts": grid.contracts.select_related("upper"),
    }
    return render(request, "grid/grid_edit.html", context, status=422 if error else 200)


def _refused(request, grid, failure: ValidationError):
    messages.error(request, "; ".join(failure.messages))
    return redirect("grid_edit", grid.pk)


@login_required
@require_http_methods(["POST"])
def grid_member_add(request, pk: int):
    grid = access.obtain(request.user, Grid, pk, CHANGE)
    chosen = request.POST.get("person", "")
    person = (
        access.scope(request.user, User).filter(pk=form_id(chosen)).first()
        if form_id(chosen)
        else None
    )
    role = request.POST.get("role", "")
    if person is None or role not in GridMember.Role.values:
        return _refused(request, grid, ValidationError(_("Choose a person and a role.")))
    try:
        member_add(
            grid=grid, user=person, role=role, by=request.user,
            publish_phone=request.POST.get("publish_phone") == "on",
        )  # fmt: skip
    except ValidationError as failure:
        return _refused(request, grid, failure)
    messages.success(request, _("%(person)s was added to the grid.") % {"person": person})
    return redirect("grid_edit", grid.pk)


@login_required
@require_http_methods(["POST"])
def grid_member_remove(request, pk: int, member_id: int):
    grid = access.obtain(request.user, Grid, pk, CHANGE)
    member = GridMember.objects.filter(grid=grid, pk=member_id).first()
    if member is None:
        raise Http404(_("No such member of this grid."))
    audited_delete(member, by=request.user)
    messages.success(request, _("%(person)s was removed from the grid.") % {"person": member.user})
    return redirect("grid_edit", grid.pk)


@login_required
@require_http_methods(["POST"])
def grid_contract_add(request, pk: int):
    grid = access.obtain(request.user, Grid.objects.select_related("parent"), pk, CHANGE)
    try:
        signed_on = datetime.date.fromisoformat(request.POST.get("signed_on", ""))
    except ValueError:
        return _refused(request, grid, ValidationError(_("Give the date it was signed.")))
    try:
        contract_add(
            lower=grid, signed_on=signed_on, file=request.FILES.get("file"),
            note=request.POST.get("note", ""), by=request.user,
        )  # fmt: skip
    except ValidationError as failure:
        return _refused(request, grid, failure)
    messages.success(request, _("The responsibility contract was filed."))
    return redirect("grid_edit", grid.pk)


@login_required
def grid_contract_file(request, pk: int):
    """A contract's file, to whoever may see the lower grid (uploads are not served openly)."""
    contract = ResponsibilityContract.objects.filter(pk=pk).exclude(file="").first()
    if contract is None:
        raise Http404(_("No such file."))
    access.obtain(request.user, Grid, contract.lower_id)
    return uploads.serve(contract.file, fallback=f"contract-{contract.pk}")
