"""Pages of people."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ecogov import access
from ecogov.access import CHANGE
from ecogov.accounts.forms import PersonContactForm
from ecogov.accounts.models import User
from ecogov.accounts.services import user_update
from ecogov.web.history import history_entries


@login_required
def person_list(request):
    request.section = "people"
    people = access.scope(request.user, User).select_related("unit", "unit__jurisdiction")
    return render(
        request, "accounts/person_list.html", {"people": people.order_by("unit__order", "username")}
    )


@login_required
def person_detail(request, pk: int):
    request.section = "people"
    person = access.obtain(request.user, User.objects.select_related("unit"), pk)
    context = {
        "person": person,
        "can_change": access.can(request.user, CHANGE, person),
        "history": history_entries(person) if access.can_see_history(request.user) else None,
    }
    return render(request, "accounts/person_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    request.section = "people"
    person = access.obtain(request.user, User, pk, CHANGE)
    form = PersonContactForm(request.POST or None, instance=User.objects.get(pk=person.pk))
    if request.method == "POST" and form.is_valid():
        try:
            user_update(user=person, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The contact details were saved."))
            return redirect(person)
    return render(request, "accounts/person_edit.html", {"person": person, "form": form})
