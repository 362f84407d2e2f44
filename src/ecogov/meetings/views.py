"""The meetings' pages: the list, a meeting with its agenda, invitations and attendance,
topics and minutes; minutes with their resolutions (linking to their supervised items),
circulation and issue; the Word document; proposing a topic; calling a meeting."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecogov import access, uploads
from ecogov.accounts.models import Role
from ecogov.meetings import actions, services
from ecogov.meetings.exports import minutes_document
from ecogov.meetings.models import (
    AgendaEntry,
    Invitation,
    Meeting,
    MeetingKind,
    Minutes,
    Topic,
    TopicFile,
)
from ecogov.org.models import Unit
from ecogov.params import page_query, query_choice, query_int
from ecogov.spreadsheets import DOCX, download
from ecogov.supervision.actions import unit_field
from ecogov.supervision.models import LevelChoice
from ecogov.web.steps import refusal_text, take_step

PAGE_SIZE = 50


def _home(user):
    return user.unit.jurisdiction if user.is_authenticated and user.unit_id else None


@login_required
def meeting_list(request):
    request.section = "meetings"
    meetings = access.scope(request.user, Meeting).select_related("convener")
    kind = query_choice(request, "kind", MeetingKind.values)
    state = query_choice(request, "state", Meeting.State.values)
    if kind:
        meetings = meetings.filter(kind=kind)
    if state:
        meetings = meetings.filter(state=state)
    page = Paginator(meetings, PAGE_SIZE).get_page(query_int(request, "page", default=1))
    home = _home(request.user)
    context = {
        "page": page,
        "query": page_query(request),
        "kinds": MeetingKind.choices,
        "states": Meeting.State.choices,
        "kind": kind,
        "state": state,
        "may_convene": home is not None and services.may_convene(request.user, home),
        "may_propose": home is not None and services.may_propose(request.user),
        "topics": access.scope(request.user, Topic)
        .filter(meeting=None, state=Topic.State.PROPOSED)
        .select_related("unit")[:50],
    }
    return render(request, "meetings/list.html", context)


def _starts_at(post):
    text = str(post.get("starts_at") or "").strip()
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            _("Give the date and time of the meeting, such as 2026-03-20 09:00.")
        ) from None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def meeting_from_form(user, jurisdiction, post) -> Meeting:
    kind = str(post.get("kind") or "")
    convener = unit_field(jurisdiction, post.get("convener"), _("the convening unit"))
    if convener is None and kind in MeetingKind.values:
        convener = services.default_convener(jurisdiction, kind, user)
    invite = [
        unit_field(jurisdiction, value, _("a unit")) for value in actions._list(post, "invite")
    ]
    return services.meeting_create(
        jurisdiction=jurisdiction, kind=kind, title=str(post.get("title") or ""),
        convener=convener, starts_at=_starts_at(post), place=str(post.get("place") or ""),
        chair=str(post.get("chair") or ""), invite=invite, by=user,
    )  # fmt: skip


@login_required
def meeting_new(request):
    request.section = "meetings"
    home = _home(request.user)
    if home is None or not services.may_convene(request.user, home):
        raise PermissionDenied(_("Only the bureau and the convening unit call this meeting."))
    units = Unit.objects.filter(jurisdiction=home, is_active=True).order_by("name")
    post = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            meeting = meeting_from_form(request.user, home, request.POST)
        except ValidationError as error:
            messages.error(request, refusal_text(error))
        else:
            messages.success(request, _("Meeting called: build its agenda and invite the units."))
            return redirect(meeting.get_absolute_url())
    # A unit's own people call the meetings their unit convenes (seed 000 §四.(一).3).
    own = request.user.role != Role.DISPATCHER and not access.is_admin(request.user)
    context = {
        "units": units,
        "conveners": units.filter(pk=request.user.unit_id) if own else units,
        "kinds": MeetingKind.choices,
        "post": post,
        "invite_ids": [str(v) for v in request.POST.getlist("invite")] if post else [],
    }
    return render(request, "meetings/new.html", context)


def _meeting(request, pk):
    return access.obtain(
        request.user, Meeting.objects.select_related("convener", "jurisdiction"), pk
    )


@login_required
def meeting_detail(request, pk: int):
    request.section = "meetings"
    meeting = _meeting(request, pk)
    user = request.user
    runs = services.runs(user, meeting)
    topics = access.scope(user, Topic).filter(meeting=meeting).select_related("unit")
    unassigned = (
        access.scope(user, Topic).filter(
            meeting=None, jurisdiction=meeting.jurisdiction, state=Topic.State.PROPOSED
        )  # fmt: skip
        if runs and meeting.state == Meeting.State.PLANNED
        else Topic.objects.none()
    )
    minutes = access.scope(user, Minutes).filter(meeting=meeting).order_by("created_at", "pk")
    context = {
        "meeting": meeting,
        "runs": runs,
        "editable": runs and meeting.state in (Meeting.State.PLANNED, Meeting.State.HELD),
        "agenda": meeting.agenda.select_related("topic", "case", "item").order_by("order", "pk"),
        "candidates": [
            (kind, AgendaEntry.Kind(kind).label, objects)
            for kind, objects in (services.agenda_candidates(meeting) if runs else {}).items()
        ],
        "invitations": meeting.invitations.select_related("unit"),
        "attendance_choices": Invitation.Attendance.choices,
        "topics": topics.order_by("proposed_at", "pk"),
        "unassigned": unassigned,
        "minutes": minutes,
        "units": Unit.objects.filter(jurisdiction=meeting.jurisdiction, is_active=True)
        .exclude(pk__in=meeting.invitations.values("unit"))
        .order_by("name"),
        "may_propose": services.may_propose(user) and meeting.state == Meeting.State.PLANNED,
    }
    return render(request, "meetings/meeting.html", context)


@login_required
@require_POST
def meeting_act(request, pk: int, action: str):
    meeting = _meeting(request, pk)
    taken = take_step(request, action, actions.MEETING_ACTIONS,
                  lambda: actions.perform_meeting(request.user, meeting, action, request.POST))  # fmt: skip
    if taken and action == "draft":
        return redirect(services.current_minutes(meeting).get_absolute_url())
    return redirect(meeting.get_absolute_url())


@login_required
def topic_new(request):
    """议题申报: a unit's liaison proposes a topic, with material, for a planned meeting
    or for the next one."""
    request.section = "meetings"
    user = request.user
    if not services.may_propose(user):
        raise PermissionDenied(_("A unit's liaison proposes topics."))
    planned = access.scope(user, Meeting).filter(state=Meeting.State.PLANNED).order_by("starts_at")
    post = request.POST if request.method == "POST" else {}
    chosen = str(post.get("meeting") or request.GET.get("meeting") or "")
    if request.method == "POST":
        try:
            meeting = actions._one(planned, chosen, _("a meeting")) if chosen else None
            topic = services.topic_propose(
                unit=user.unit, title=request.POST.get("title", ""),
                text=request.POST.get("text", ""), meeting=meeting,
                files=request.FILES.getlist("files"), by=user,
            )  # fmt: skip
        except ValidationError as error:
            messages.error(request, refusal_text(error))
        else:
            messages.success(request, _("Topic proposed: the convener decides on it."))
            return redirect(topic.meeting.get_absolute_url() if topic.meeting else "meeting_list")
    return render(request, "meetings/topic_new.html",
                  {"meetings": planned, "post": post, "chosen": chosen})  # fmt: skip


@login_required
def topic_file(request, pk: int):
    material = access.obtain(request.user, TopicFile, pk)
    return uploads.serve(material.file, name=material.name, fallback="material")


def _minutes(request, pk):
    return access.obtain(
        request.user,
        Minutes.objects.select_related("meeting__convener", "meeting__jurisdiction", "corrects"),
        pk,
    )


@login_required
def minutes_detail(request, pk: int):
    request.section = "meetings"
    minutes = _minutes(request, pk)
    meeting = minutes.meeting
    user = request.user
    runs = services.runs(user, meeting)
    resolutions = minutes.resolutions.select_related("lead", "item").prefetch_related("support")
    context = {
        "minutes": minutes,
        "meeting": meeting,
        "runs": runs,
        "editable": runs and not minutes.issued,
        "resolutions": resolutions.order_by("order"),
        "comments": minutes.comments.select_related("unit", "by"),
        "may_correct": services.may_correct(user, minutes),
        "attendees": [i for i in meeting.invitations.select_related("unit") if i.came],
        "units": Unit.objects.filter(jurisdiction=meeting.jurisdiction, is_active=True).order_by(
            "name"
        ),
        "levels": LevelChoice.choices,
        "corrections": access.scope(user, Minutes).filter(corrects=minutes),
        "may_correct_issued": runs
        and minutes.issued
        and not meeting.minutes.exclude(state=Minutes.State.ISSUED).exists(),
    }
    return render(request, "meetings/minutes.html", context)


@login_required
@require_POST
def minutes_act(request, pk: int, action: str):
    minutes = _minutes(request, pk)
    shown = [minutes]

    def perform():
        message, shown[0] = actions.perform_minutes(request.user, minutes, action, request.POST)
        return message

    take_step(request, action, actions.MINUTES_ACTIONS, perform)
    return redirect(shown[0].get_absolute_url())


@login_required
def minutes_docx(request, pk: int):
    minutes = _minutes(request, pk)
    suffix = minutes.number or "草稿"
    return download(minutes_document(minutes), f"{minutes.title}（{suffix}）.docx", DOCX,
                    ascii_name=f"minutes-{minutes.pk}.docx")  # fmt: skip
