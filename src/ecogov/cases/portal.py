"""The public portal: report a problem (no account needed, anonymous if one wishes),
follow it with the tracking code, rate the answer; see disclosed results and the
monthly reward statistics.

Nothing here reads the reporter's identity or the staff's names. The tracking code is
the reporter's secret (10 characters, about 8·10¹⁴ possibilities); the disclosure list
shows the public case number instead. Reports, ratings and code lookups are limited
per client and hour (ecogov/limits.py).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from ecogov import limits
from ecogov.cases import services
from ecogov.cases.models import Case, Category, Channel, Reward, Satisfaction, State
from ecogov.grid.models import Grid
from ecogov.grid.public import grid_places
from ecogov.org.models import Jurisdiction
from ecogov.params import page_query, query_int

# The session key that carries a fresh tracking code from the report to the thanks page.
RECEIVED = "portal_received_code"

# What the reporter is told of each state: the stage of the work, not the office routine.
PUBLIC_STATE = {
    State.REGISTERED: gettext_lazy("registered, being dispatched"),
    State.RETURNED: gettext_lazy("registered, being dispatched"),
    State.ASSIGNED: gettext_lazy("assigned to the competent unit"),
    State.TRANSFERRED: gettext_lazy("assigned to the competent unit"),
    State.ACCEPTED: gettext_lazy("being handled"),
    State.IN_PROGRESS: gettext_lazy("being handled"),
    State.REOPENED: gettext_lazy("being handled"),
    State.SUSPENDED: gettext_lazy("handling suspended"),
    State.REPORTED: gettext_lazy("result being verified"),
    State.VERIFIED: gettext_lazy("result being verified"),
    State.CLOSED: pgettext_lazy("case", "closed"),
    State.MERGED: gettext_lazy("handled together with an earlier report"),
}


def portal_jurisdictions():
    """Areas that receive reports: those with a grid or with units' duty lists."""
    return (
        Jurisdiction.objects.filter(
            Q(grids__level=Grid.Level.DISTRICT) | Q(units__duties__isnull=False)
        )
        .distinct()
        .order_by("name")
    )


def _boundaries():
    """Every grid with a boundary and where to write its name: without internet tiles the
    names are what lets a citizen find their street on the map."""
    grids = Grid.objects.exclude(boundary=None).order_by("level", "name")
    return {"type": "FeatureCollection", "features": grid_places(grids)}


@limits.report_budget
def report(request):
    jurisdictions = list(portal_jurisdictions())
    values = request.POST if request.method == "POST" else {}
    context = {
        "jurisdictions": jurisdictions,
        "categories": Category.choices,
        "values": values,
        "boundaries": _boundaries(),
        "tiles": {"url": settings.ECOGOV_MAP_TILES, "attribution": settings.ECOGOV_MAP_ATTRIBUTION},
    }
    if request.method != "POST":
        return render(request, "cases/public/report.html", context)
    if values.get("website"):  # a field people do not see: only robots fill it in
        return render(request, "cases/public/report.html", context, status=400)
    try:
        chosen = [j for j in jurisdictions if str(j.pk) == values.get("jurisdiction")]
        if not chosen and len(jurisdictions) == 1:
            chosen = jurisdictions
        if not chosen:
            raise ValidationError(_("Choose the district where the problem is."))
        lon, lat = values.get("lon", "").strip() or None, values.get("lat", "").strip() or None
        if lon is None and not values.get("address", "").strip():
            raise ValidationError(_("Say where the problem is: an address or a point on the map."))
        anonymous = values.get("anonymous") == "on"
        case = services.case_register(
            jurisdiction=chosen[0], channel=Channel.PUBLIC, text=values.get("text", ""),
            category=values.get("category", ""), address=values.get("address", ""),
            lon=lon, lat=lat,
            reporter={} if anonymous else {"name": values.get("name", ""),
                                            "phone": values.get("phone", "")},
            files=request.FILES.getlist("photos"),
        )  # fmt: skip
    except ValidationError as error:
        context["errors"] = error.messages
        return render(request, "cases/public/report.html", context, status=422)
    # Post/Redirect/Get: reloading the thanks page must not file the report again. The
    # tracking code is the reporter's secret, so it travels in the session, not the URL
    # (URLs end up in logs, proxies and the browser's history).
    request.session[RECEIVED] = case.tracking_code
    return redirect("public_report_received")


def report_received(request):
    """The thanks page: the fresh tracking code, shown once and then forgotten."""
    code = request.session.pop(RECEIVED, None)
    case = Case.objects.filter(tracking_code=code).first() if code else None
    return render(request, "cases/public/received.html", {"case": case})


def track(request):
    code = request.GET.get("code", "").strip().upper().replace(" ", "")
    if not code:
        return render(request, "cases/public/track.html", {})
    if not (code.isascii() and code.isalnum()) or len(code) > 12:  # no case has such a code
        return _no_such_code(request, code)
    # The case page looks the code up, once: every lookup spends from one budget.
    return redirect("public_case", code=code)


def _no_such_code(request, code: str):
    return render(request, "cases/public/track.html",
                  {"code": code, "error": _("No case has this tracking code.")}, status=404)  # fmt: skip


def tracked_case(request, code: str):
    if limits.LOOKUPS.spend(request):
        return limits.LOOKUPS.refusal(request)
    case = (
        Case.objects.select_related("lead", "duplicate_of")
        .filter(tracking_code=code.strip().upper())
        .first()
    )
    if case is None:
        return _no_such_code(request, code)
    error = ""
    if request.method == "POST":
        if limits.RATINGS.spend(request):
            return limits.RATINGS.refusal(request)
        try:
            case = services.case_rate(case, satisfaction=request.POST.get("satisfaction", ""),
                                      comment=request.POST.get("comment", ""))  # fmt: skip
        except ValidationError as exc:
            error = "; ".join(exc.messages)
        else:
            return redirect("public_case", code=case.tracking_code)
    context = {
        "case": case,
        "state": PUBLIC_STATE.get(case.state, ""),
        "events": case.events.filter(public=True).order_by("at", "pk"),
        "may_rate": case.answered_at is not None and not case.satisfaction,
        "satisfactions": Satisfaction.choices,
        "error": error,
    }
    return render(request, "cases/public/case.html", context, status=422 if error else 200)


def _disclosed():
    return Case.objects.filter(state=State.CLOSED).exclude(disclosed_at=None).select_related("lead")


def disclosed_list(request):
    cases = _disclosed().order_by("-disclosed_at")
    if request.GET.get("category") in Category.values:
        cases = cases.filter(category=request.GET["category"])
    page = Paginator(cases, 30).get_page(query_int(request, "page", default=1))
    return render(request, "cases/public/disclosed.html",
                  {"page": page, "query": page_query(request),
                   "categories": Category.choices})  # fmt: skip


def disclosed_case(request, number: str):
    case = _disclosed().filter(number=number).first()
    if case is None:
        raise Http404(_("No disclosed case has this number."))
    return render(request, "cases/public/disclosed_case.html", {"case": case})


def _monthly(rewards, day_field: str) -> dict:
    return {
        row["month"]: (row["n"], row["amount"])
        for row in rewards.annotate(month=TruncMonth(day_field))
        .values("month").annotate(n=Count("pk"), amount=Sum("amount"))
    }  # fmt: skip


def reward_statistics(request):
    """Monthly counts and amounts of rewards decided and paid, without any identity."""
    decided = _monthly(Reward.objects.all(), "decided_on")
    paid = _monthly(Reward.objects.exclude(paid_on=None), "paid_on")
    rows = [
        {"month": month, "decided": decided.get(month, (0, 0))[0],
         "decided_amount": decided.get(month, (0, 0))[1],
         "paid": paid.get(month, (0, 0))[0], "paid_amount": paid.get(month, (0, 0))[1]}
        for month in sorted(set(decided) | set(paid), reverse=True)[:24]
    ]  # fmt: skip
    return render(request, "cases/public/rewards.html", {"rows": rows})
