"""Pages of grids: the map and a grid's page with its five fixes."""

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from ecogov import access
from ecogov.grid.models import Grid
from ecogov.grid.public import public_grid
from ecogov.grid.selectors import depth_first, grid_chain
from ecogov.patrols.models import GridEvaluation


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
        "evaluations": access.scope(request.user, GridEvaluation)
        .filter(grid=grid)
        .select_related("evaluator")[:8],
    }
    return render(request, "grid/grid_detail.html", context)


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
    elif lon and lat:
        try:
            chain = [public_grid(grid) for grid in grid_chain(float(lon), float(lat))]
        except ValueError:
            error = _("Give the longitude and latitude as numbers, e.g. 101.78 and 36.60.")
        else:
            if not chain:
                error = _("This place lies in no grid of EcoGov.")
    grids = Grid.objects.order_by("jurisdiction", "level", "name").only("pk", "name", "level")
    return render(
        request,
        "grid/public.html",
        {"chain": chain, "error": error, "lon": lon, "lat": lat, "grids": grids},
    )
