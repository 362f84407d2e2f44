"""The steps on a meeting and on its minutes by name, with their fields: one adapter for
the pages (form fields) and the API (JSON), both calling the services."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ecogov.meetings import services
from ecogov.meetings.models import AgendaEntry, Invitation, Meeting, Minutes, Resolution, Topic
from ecogov.params import form_id
from ecogov.supervision.actions import date_field, unit_field

MEETING_ACTIONS = (
    "hold", "cancel", "invite", "uninvite", "attend", "agenda_add", "agenda_remove", "agenda_up",
    "agenda_down", "decide", "draft",
)  # fmt: skip
MINUTES_ACTIONS = (
    "edit", "resolution_add", "resolution_change", "resolution_remove", "circulate", "comment",
    "issue", "correct",
)  # fmt: skip
TRUE = {"on", "1", "true", "yes", "True"}


def _field(post, name: str) -> str:
    value = post.get(name, "")
    return "" if value is None else str(value)


def _list(post, name: str) -> list:
    values = post.getlist(name) if hasattr(post, "getlist") else post.get(name) or []
    return values if isinstance(values, list | tuple) else [values]


def _flag(post, name: str) -> bool:
    value = post.get(name)
    return value is True or str(value) in TRUE


def _one(queryset, value, what: str):
    number = form_id(value)
    found = queryset.filter(pk=number).first() if number else None
    if found is None:
        raise ValidationError(_("Choose %(what)s from the list.") % {"what": what})
    return found


def _units(meeting: Meeting, post, name: str, what: str) -> list:
    return [unit_field(meeting.jurisdiction, value, what) for value in _list(post, name)]


def perform_meeting(user, meeting: Meeting, action: str, post) -> str:
    """Take the step ``action`` on a meeting; the message to show."""
    if action == "hold":
        services.meeting_hold(meeting, by=user)
        return _("The meeting is recorded as held: record the attendance and draft the minutes.")
    if action == "cancel":
        services.meeting_cancel(meeting, reason=_field(post, "reason"), by=user)
        return _("Meeting cancelled.")
    if action == "invite":
        services.meeting_invite(meeting, units=_units(meeting, post, "units", _("a unit")), by=user)
        return _("Units invited.")
    if action == "uninvite":
        invitation = _one(meeting.invitations.all(), post.get("invitation"), _("an invitation"))
        services.invitation_remove(invitation, by=user)
        return _("Invitation withdrawn.")
    if action == "attend":
        unit = unit_field(meeting.jurisdiction, post.get("unit"), _("the unit"))
        services.attendance_record(
            meeting, unit=unit, attendance=_field(post, "attendance") or Invitation.Attendance.PRESENT,
            person=_field(post, "person"), position=_field(post, "position"), by=user,
        )  # fmt: skip
        return _("Attendance recorded.")
    if action == "agenda_add":
        services.agenda_add(meeting, kind=_field(post, "kind"), ref=post.get("ref"),
                            text=_field(post, "text"), by=user)  # fmt: skip
        return _("Added to the agenda.")
    if action in ("agenda_remove", "agenda_up", "agenda_down"):
        entry = _one(AgendaEntry.objects.filter(meeting=meeting), post.get("entry"),
                     _("an agenda entry"))  # fmt: skip
        if action == "agenda_remove":
            services.agenda_remove(entry, by=user)
            return _("Removed from the agenda.")
        services.agenda_move(entry, up=action == "agenda_up", by=user)
        return _("Agenda reordered.")
    if action == "decide":
        topic = _one(
            Topic.objects.filter(jurisdiction=meeting.jurisdiction), post.get("topic"), _("a topic")
        )
        accept = _field(post, "decision") == "accept"
        services.topic_decide(topic, accept=accept, reason=_field(post, "reason"),
                              meeting=meeting, by=user)  # fmt: skip
        return _("Topic accepted.") if accept else _("Topic declined.")
    if action == "draft":
        services.minutes_draft(meeting, title=_field(post, "title"), text=_field(post, "text"),
                               by=user)  # fmt: skip
        return _("Minutes drafted: add the resolutions, then circulate them.")
    raise ValidationError(_("Unknown step."))


def _resolution_fields(minutes: Minutes, post) -> dict:
    meeting = minutes.meeting
    ongoing = _flag(post, "ongoing")
    return {
        "text": _field(post, "text"),
        "lead": unit_field(meeting.jurisdiction, post.get("lead"), _("the lead unit")),
        "support": _units(meeting, post, "support", _("a supporting unit")),
        "deadline": None if ongoing else date_field(post, "deadline", _("The deadline")),
        "ongoing": ongoing,
        "report_every": _field(post, "report_every") or 1,
        "level": _field(post, "level") or "general",
    }


def perform_minutes(user, minutes: Minutes, action: str, post) -> tuple[str, Minutes]:
    """Take the step ``action`` on minutes; the message and the minutes to show next."""
    if action == "edit":
        services.minutes_edit(minutes, title=_field(post, "title"), text=_field(post, "text"),
                              by=user)  # fmt: skip
        return _("Minutes saved."), minutes
    if action == "resolution_add":
        services.require_editable(minutes, user)
        services.resolution_add(minutes, by=user, **_resolution_fields(minutes, post))
        return _("Resolution added."), minutes
    if action in ("resolution_change", "resolution_remove"):
        services.require_editable(minutes, user)
        resolution = _one(Resolution.objects.filter(minutes=minutes), post.get("resolution"),
                          _("a resolution"))  # fmt: skip
        if action == "resolution_remove":
            services.resolution_remove(resolution, by=user)
            return _("Resolution removed."), minutes
        services.resolution_change(resolution, by=user, **_resolution_fields(minutes, post))
        return _("Resolution changed."), minutes
    if action == "circulate":
        services.minutes_circulate(minutes, by=user)
        return _("Circulated to the attending units for their corrections."), minutes
    if action == "comment":
        services.correction_post(minutes, text=_field(post, "text"), by=user)
        return _("Correction posted."), minutes
    if action == "issue":
        services.minutes_issue(minutes, number=_field(post, "number"), by=user)
        return _("Issued: each resolution is now on the supervision ledger."), minutes
    if action == "correct":
        correction = services.minutes_correct(minutes, by=user)
        return _("A correction is drafted: change it and issue it with its own number."), correction
    raise ValidationError(_("Unknown step."))
