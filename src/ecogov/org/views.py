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
from ecogov.org.forms import AliasForm, DutyForm, RenameForm, UnitContactForm
from ecogov.org.models import DutyItem, Jurisdiction, Unit, UnitName
from ecogov.org.selectors import jurisdiction_path, jurisdiction_tree, unit_search, unit_with_names
from ecogov.org.services import (
    duty_item_create,
    duty_item_delete,
    duty_item_update,
    unit_add_name,
    unit_rename,
    unit_update,
)
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
    people = access.scope(request.user, User)
    units = unit_with_names(units.select_related("jurisdiction"), people=people).annotate(
        duty_count=Count("duties", distinct=True)
    )
    template = "org/unit_rows.html" if request.headers.get("HX-Request") else "org/unit_list.html"
    return render(request, template, {"units": units, "query": query})


@login_required
def unit_detail(request, pk: int):
    _section(request, "units")
    user = request.user
    people = access.scope(user, User)
    unit = access.obtain(user, unit_with_names(Unit.objects.all(), people=people), pk)
    context = {
        "unit": unit,
        "path": jurisdiction_path(unit.jurisdiction),
        "people": people.filter(unit=unit).order_by("role", "username"),
        "can_change": access.can(user, CHANGE, unit),
        "can_manage": access.can(user, MANAGE, unit),
        "duty_form": DutyForm(),
        "alias_form": AliasForm(),
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


def _apply(request, form, action, success: str) -> bool:
    """Run a service with a valid form; report its refusal on the form."""
    if not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    messages.success(request, success)
    return True


@login_required
@require_http_methods(["POST"])
def duty_add(request, pk: int):
    unit = access.obtain(request.user, Unit, pk, MANAGE)
    form = DutyForm(request.POST)
    added = _apply(
        request,
        form,
        lambda data: duty_item_create(unit=unit, text=data["text"], by=request.user),
        _("The duty clause was added."),
    )
    if not added:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect(unit.get_absolute_url() + "#duties")


@login_required
@require_http_methods(["GET", "POST"])
def duty_edit(request, pk: int):
    request.section = "units"
    item = access.obtain(request.user, DutyItem.objects.select_related("unit"), pk, MANAGE)
    form = DutyForm(request.POST or None, initial={"text": item.text})
    if request.method == "POST" and _apply(
        request,
        form,
        lambda data: duty_item_update(item=item, text=data["text"], by=request.user),
        _("The duty clause was saved."),
    ):
        return redirect(item.unit.get_absolute_url() + "#duties")
    return render(request, "org/duty_edit.html", {"item": item, "unit": item.unit, "form": form})


@login_required
@require_http_methods(["POST"])
def duty_delete(request, pk: int):
    item = access.obtain(request.user, DutyItem.objects.select_related("unit"), pk, MANAGE)
    unit = item.unit
    duty_item_delete(item=item, by=request.user, reason=request.POST.get("reason", "")[:200])
    messages.success(request, _("The duty clause was removed; the history keeps its wording."))
    return redirect(unit.get_absolute_url() + "#duties")


@login_required
@require_http_methods(["GET", "POST"])
def unit_rename_view(request, pk: int):
    request.section = "units"
    unit = access.obtain(request.user, Unit, pk, MANAGE)
    form = RenameForm(request.POST or None)
    if request.method == "POST" and _apply(
        request,
        form,
        lambda data: unit_rename(
            unit=unit,
            new_name=data["new_name"],
            until=data["until"],
            note=data["note"],
            by=request.user,
        ),
        _("The unit was renamed; its old name stays findable."),
    ):
        return redirect(unit)
    return render(request, "org/unit_rename.html", {"unit": unit, "form": form})


@login_required
@require_http_methods(["POST"])
def alias_add(request, pk: int):
    unit = access.obtain(request.user, Unit, pk, MANAGE)
    form = AliasForm(request.POST)
    added = _apply(
        request,
        form,
        lambda data: unit_add_name(
            unit=unit, name=data["name"], kind=UnitName.Kind.ALIAS, by=request.user
        ),
        _("The other name was added."),
    )
    if not added:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect(unit)
