import datetime

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.templatetags.static import static

from ecogov import access
from ecogov.accounts.models import User
from ecogov.org.models import DutyItem, Jurisdiction, Unit
from ecogov.plans.dispatch import reminders_for


@login_required
def home(request):
    user = request.user
    context = {
        "unit_count": access.scope(user, Unit).count(),
        "duty_count": access.scope(user, DutyItem).count(),
        "people_count": access.scope(user, User).count(),
        "jurisdictions": access.scope(user, Jurisdiction)
        .filter(level__gte=Jurisdiction.Level.COUNTY)
        .annotate(unit_count=Count("units"))
        .filter(unit_count__gt=0),
        "reminders": reminders_for(user.unit, today=datetime.date.today()) if user.unit_id else [],
    }
    return render(request, "web/home.html", context)


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to the icon."""
    return redirect(static("ecogov/favicon.svg"))
