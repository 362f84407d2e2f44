import datetime

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.templatetags.static import static

from ecogov import access
from ecogov.accounts.models import Role, User
from ecogov.holidays.selectors import years_to_declare
from ecogov.jobs.services import jobs_stalled
from ecogov.org.models import DutyItem, Jurisdiction, Unit
from ecogov.plans.dispatch import reminders_for
from ecogov.supervision import ledger


def _today() -> datetime.date:
    return datetime.date.today()


def _holiday_warning(user) -> dict | None:
    """Administrators and dispatchers are told which year's holiday table is missing
    before January's deadlines are refused; only administrators can enter it."""
    if not (access.is_admin(user) or user.role == Role.DISPATCHER):
        return None
    years = years_to_declare(today=_today())
    if not years:
        return None
    administrators = User.objects.filter(
        Q(role=Role.ADMINISTRATOR) | Q(is_superuser=True), is_active=True
    ).order_by("username")
    return {
        "years": "、".join(str(year) for year in years),
        "may_enter": access.is_admin(user),
        "administrators": "、".join(str(person) for person in administrators),
    }


def _jobs_warning(user) -> dict | None:
    """Administrators are told when no huey consumer runs the scheduled jobs."""
    if not access.is_admin(user):
        return None
    stalled, last = jobs_stalled()
    return {"last": last} if stalled else None


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
        "reminders": reminders_for(user.unit, today=_today()) if user.unit_id else [],
        "holiday_warning": _holiday_warning(user),
        "jobs_warning": _jobs_warning(user),
        "supervised": _supervised(user),
    }
    return render(request, "web/home.html", context)


def _supervised(user) -> dict:
    """How many supervised items the person sees, by colour (a liaison: its unit's)."""
    found = ledger.counts(user)
    colours = {colour: found.colours.get(colour, 0) for colour in ("red", "yellow", "blue")}
    return {"total": found.total, "discipline": found.discipline, **colours}


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to the icon."""
    return redirect(static("ecogov/favicon.svg"))
