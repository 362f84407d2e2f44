"""Pages of the registry: the jurisdiction tree, the units and a unit's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ecogov import access
from ecogov.access import CHANGE, MANAGE
from ecogov.accounts.models import User
from ecogov.org.forms import UnitContactForm
from ecogov.org.models import Jurisdiction, Unit
from ecogov.org.selectors import jurisdiction_path, jurisdiction_tree, unit_search, unit_with_names
from ecogov.org.services import unit_update
from ecogov.web.history import history_entries


def _section(request, name: str) -> None:
    request.section = name


@login_required
def jurisdiction_list(request):
    _section(request, "jurisdictions")
    visible = set(access.scope(request.user, Jurisdiction).values_list("pk", flat=True))
    return render(request, "org/jurisdiction_list.html", {"tree": jurisdiction_tree(visible)})


@login_required
def jurisdiction_detail(request, pk: int):
    _section(request, "jurisdictions")
    area = access.obtain(request.user, Jurisdiction, pk)
    units = access.scope(request.user, Unit).filter(jurisdiction=area)
    children = access.scope(request.user, Jurisdiction).filter(parent=area)
    context = {
        "area": area,
        "path": jurisdiction_path(area),
        "units": units.annotate(duty_count=Count("duties")),
        "children": children,
        "history": history_entries(area) if access.can_see_history(request.user) else None,
    }
    return render(request, "org/jurisdiction_detail.html", context)


@login_required
def unit_list(request):
    _section(request, "units")
    query = request.GET.get("q", "").strip()
    units = unit_search(access.scope(request.user, Unit), query)
    units = unit_with_names(units.select_related("jurisdiction")).annotate(
        duty_count=Count("duties", distinct=True)
    )
    template = "org/unit_rows.html" if request.headers.get("HX-Request") else "org/unit_list.html"
    return render(request, template, {"units": units, "query": query})


@login_required
def unit_detail(request, pk: int):
    _section(request, "units")
    unit = access.obtain(request.user, unit_with_names(Unit.objects.all()), pk)
    user = request.user
    context = {
        "unit": unit,
        "path": jurisdiction_path(unit.jurisdiction),
        "people": access.scope(user, User).filter(unit=unit).order_by("role", "username"),
        "can_change": access.can(user, CHANGE, unit),
        "can_manage": access.can(user, MANAGE, unit),
        "history": history_entries(unit) if access.can_see_history(user) else None,
    }
    return render(request, "org/unit_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request, pk: int):
    _section(request, "units")
    unit = access.obtain(request.user, Unit, pk, CHANGE)
    form = UnitContactForm(request.POST or None, instance=Unit.objects.get(pk=unit.pk))
    if request.method == "POST" and form.is_valid():
        try:
            unit_update(unit=unit, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The unit's contact details were saved."))
            return redirect(unit)
    return render(request, "org/unit_edit.html", {"unit": unit, "form": form})
