"""Pages of joint enforcement campaigns: the list, a campaign with its inspections,
findings, cases and figures, the set-up form, and the steps (record an inspection, a
finding to a case, close with the summary)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ecogov import access, uploads
from ecogov.campaigns import inputs, services
from ecogov.campaigns.models import Campaign, Inspection
from ecogov.grid.models import Grid
from ecogov.org.models import Unit
from ecogov.patrols.services import CHECKLISTS, DEFAULT_CHECKLIST
from ecogov.sources.models import Source, SourceType


def _home(user):
    return user.unit.jurisdiction if user.unit_id else None


def _campaigns(user):
    return access.scope(user, Campaign).select_related("jurisdiction")


@login_required
def campaign_list(request):
    request.section = "campaigns"
    home = _home(request.user)
    context = {
        "campaigns": _campaigns(request.user).prefetch_related("units"),
        "may_create": home is not None and services.may_run(request.user, home.pk),
    }
    return render(request, "campaigns/list.html", context)


def _choices(jurisdiction) -> dict:
    return {
        "units": Unit.objects.filter(jurisdiction=jurisdiction, is_active=True).order_by("name"),
        "types": SourceType.objects.all(),
        "grids": Grid.objects.filter(jurisdiction=jurisdiction, level__lte=2).order_by(
            "level", "name"
        ),
    }


def _chosen(post, campaign) -> dict:
    if post:
        return {
            name: [str(v) for v in post.getlist(name)]
            for name in ("units", "source_types", "grids")
        }
    if campaign is None:
        return {"units": [], "source_types": [], "grids": []}
    return {
        "units": [str(pk) for pk in campaign.units.values_list("pk", flat=True)],
        "source_types": [str(pk) for pk in campaign.source_types.values_list("pk", flat=True)],
        "grids": [str(pk) for pk in campaign.grids.values_list("pk", flat=True)],
    }


@login_required
@require_http_methods(["GET", "POST"])
def campaign_form(request, pk: int | None = None):
    """Set up a campaign, or change one under way (the bureau's dispatchers)."""
    request.section = "campaigns"
    user = request.user
    campaign = access.obtain(user, Campaign, pk) if pk is not None else None
    jurisdiction = campaign.jurisdiction if campaign else _home(user)
    if jurisdiction is None or not services.may_run(user, jurisdiction.pk):
        raise PermissionDenied(_("The bureau's dispatchers run joint enforcement campaigns."))
    if campaign is not None and not campaign.is_open:
        messages.error(request, _("The campaign is closed: its record can no longer be changed."))
        return redirect(campaign.get_absolute_url())
    post = request.POST if request.method == "POST" else None
    if post is not None:
        try:
            setup = inputs.setup_from(jurisdiction, post)
            files = request.FILES.getlist("plan_file")
            if campaign is None:
                campaign = services.campaign_create(
                    jurisdiction=jurisdiction, setup=setup, files=files, by=user
                )
            else:
                services.campaign_update(campaign, setup=setup, files=files, by=user)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("Campaign saved."))
            return redirect(campaign.get_absolute_url())
    context = {"campaign": campaign, "post": post or {}, "chosen": _chosen(post, campaign),
               **_choices(jurisdiction)}  # fmt: skip
    return render(request, "campaigns/form.html", context)


@login_required
def campaign_detail(request, pk: int):
    request.section = "campaigns"
    user = request.user
    campaign = access.obtain(user, Campaign.objects.select_related("jurisdiction"), pk)
    inspections = (
        campaign.inspections.select_related(
            "patrol__source__type", "patrol__worker", "patrol__report__case"
        )
        .prefetch_related("units")
        .order_by("-patrol__patrolled_at")
    )
    may_run = services.may_run(user, campaign.jurisdiction_id)
    may_record = campaign.is_open and services.may_record(user, campaign)
    context = {
        "campaign": campaign,
        "units": campaign.units.order_by("name"),
        "types": campaign.source_types.all(),
        "grids": campaign.grids.all(),
        "inspections": inspections,
        "figures": campaign.figures
        if not campaign.is_open
        else services.campaign_figures(campaign).__dict__,
        "may_run": may_run and campaign.is_open,
        "may_record": may_record,
    }
    if may_record:
        sources = services.targeted_sources(campaign).filter(status=Source.Status.ACTIVE)
        context["sources"] = sources.select_related("type").order_by("type__order", "name")
        codes = [t.code for t in context["types"]] or list(CHECKLISTS)
        context["checklist"] = list(
            dict.fromkeys(
                item for code in codes for item in CHECKLISTS.get(code, DEFAULT_CHECKLIST)
            )
        )
        context["now"] = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    return render(request, "campaigns/detail.html", context)


@login_required
@require_POST
def inspection_new(request, pk: int):
    campaign = access.obtain(request.user, Campaign, pk)
    try:
        fields = inputs.inspection_fields(campaign, request.POST)
        services.inspection_record(
            campaign, by=request.user, photos=request.FILES.getlist("photos"), **fields
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("Inspection recorded."))
    return redirect(campaign.get_absolute_url() + "#inspections")


@login_required
@require_POST
def inspection_case(request, pk: int):
    inspection = access.obtain(request.user, Inspection.objects.select_related("campaign"), pk)
    try:
        case = services.inspection_to_case(inspection, by=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(
            request, _("The finding is now case %(number)s.") % {"number": case.number}
        )
    return redirect(inspection.campaign.get_absolute_url() + "#inspections")


@login_required
@require_POST
def campaign_close(request, pk: int):
    campaign = access.obtain(request.user, Campaign, pk)
    try:
        services.campaign_close(campaign, summary=request.POST.get("summary", ""), by=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("The campaign is closed with its summary."))
    return redirect(campaign.get_absolute_url())


@login_required
def campaign_plan_file(request, pk: int):
    campaign = access.obtain(request.user, Campaign, pk)
    if not campaign.plan_file:
        raise Http404(_("No document has been uploaded yet."))
    return uploads.serve(campaign.plan_file, name=campaign.plan_file_name, fallback="action-plan")
