"""The record of one pollution source (企业档案): the page, its Excel export and the
form that registers a discharge permit on it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecogov import access
from ecogov.enterprises import permits
from ecogov.enterprises.models import Permit
from ecogov.enterprises.record import State, record_workbook, source_record
from ecogov.params import BadQuery, parse_date, query_int
from ecogov.sources.models import Source
from ecogov.spreadsheets import download

EVENTS = 30  # the timeline's first page
MAX_EVENTS = 5000


def _source(request, pk: int) -> Source:
    sources = Source.objects.select_related("type", "grid", "jurisdiction")
    return access.obtain(request.user, sources, pk)


@login_required
def record(request, pk: int):
    """Everything about one source on one page (after ECHO's Detailed Facility Report)."""
    return _record_page(request, _source(request, pk))


def _record_page(request, source: Source, *, form=None, status: int = 200):
    request.section = "grid"
    shown = query_int(request, "events", min=1, max=MAX_EVENTS, default=EVENTS)
    the_record = source_record(source)
    context = {
        "source": source,
        "record": the_record,
        "events": the_record.timeline[:shown],
        "more_events": min(len(the_record.timeline), MAX_EVENTS)
        if len(the_record.timeline) > shown
        else 0,
        "legend": [(State.SYMBOLS[s], State.CSS[s], State.LABELS[s]) for s in State.ORDER],
        "may_add_permit": permits.may_keep(request.user, source),
        "classes": Permit.Class.choices,
        "recent_quarters": the_record.quarters[-4:],
        "point_rows": [
            (point, [q.point_rates.get(point.pk) for q in the_record.quarters[-4:]])
            for point in the_record.points
        ],
        "form": form or {},
    }
    return render(request, "enterprises/record.html", context, status=status)


@login_required
def record_export(request, pk: int):
    source = _source(request, pk)
    data = record_workbook(source_record(source))
    return download(data, f"{source.name}-企业档案.xlsx", ascii_name=f"source-{source.pk}.xlsx")


@login_required
@require_POST
def permit_add(request, pk: int):
    source = _source(request, pk)
    post = request.POST
    try:
        permits.permit_save(
            source=source, by=request.user, number=post.get("number", ""),
            management=post.get("management", ""),
            valid_from=parse_date(post.get("valid_from", ""), _("valid from")),
            valid_until=parse_date(post.get("valid_until", ""), _("valid until")),
            issued_on=parse_date(post.get("issued_on", ""), _("issued on")),
            issuer=post.get("issuer", ""),
            pollutants=permits.pollutants_from_text(post.get("pollutants", "")),
            override=post.get("override", ""),
        )  # fmt: skip
    except (ValidationError, BadQuery) as error:
        text = "；".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
        return _record_page(request, source, form=post, status=400)
    messages.success(request, _("The permit was registered."))
    return redirect(reverse("enterprises:record", args=[source.pk]) + "#permits")
