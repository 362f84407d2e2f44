"""Who sees meetings and their papers (registered with ecogov.access).

- The people of the jurisdiction's units (not grid workers) see its meetings, their
  agenda, attendance and circulating or issued minutes: meetings are where the member
  units settle what crosses their duty lists (seed 000 §四).
- Drafts not yet circulated: the jurisdiction-wide roles (bureau, leaders, inspectors)
  and the convening unit.
- Topics: the jurisdiction-wide roles, the proposing unit, the convening unit of the
  meeting they are for; accepted topics are seen by all who see the meeting.
Every change is checked by the services (``runs``, ``may_correct``): leaders and the
discipline inspector read and change nothing; outsiders see nothing.
"""

from django.db.models import Q

from ecogov import access
from ecogov.access import JURISDICTION_WIDE_ROLES, NOTHING, VIEW, home_jurisdictions
from ecogov.accounts.models import Role
from ecogov.meetings.models import Meeting, Minutes, Topic, TopicFile


def _member(user) -> bool:
    return bool(user.unit_id) and user.role != Role.GRID_WORKER


def _meeting_rule(user, action: str, prefix: str = "") -> Q:
    path = f"{prefix}__" if prefix else ""
    if action != VIEW or not _member(user):
        return NOTHING
    return Q(**{f"{path}jurisdiction__in": home_jurisdictions(user)})


def _minutes_rule(user, action: str) -> Q:
    seen = _meeting_rule(user, action, "meeting")
    if seen == NOTHING or user.role in JURISDICTION_WIDE_ROLES:
        return seen
    return seen & (~Q(state=Minutes.State.DRAFT) | Q(meeting__convener=user.unit_id))


def _topic_rule(user, action: str, prefix: str = "") -> Q:
    path = f"{prefix}__" if prefix else ""
    if action != VIEW or not _member(user):
        return NOTHING
    home = Q(**{f"{path}jurisdiction__in": home_jurisdictions(user)})
    if user.role in JURISDICTION_WIDE_ROLES:
        return home
    mine = (
        Q(**{f"{path}unit": user.unit_id})
        | Q(**{f"{path}meeting__convener": user.unit_id})
        | Q(**{f"{path}state": Topic.State.ACCEPTED})
    )
    return home & mine


def register() -> None:
    access.register(Meeting, _meeting_rule)
    access.register(Minutes, _minutes_rule)
    access.register(Topic, _topic_rule)
    access.register(TopicFile, lambda user, action: _topic_rule(user, action, "topic"))
