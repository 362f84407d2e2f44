"""Who sees and runs the consultations (registered with ecogov.access).

- The bureau's dispatchers, leaders and discipline inspectors of the jurisdiction (and
  the areas above) read every consultation of it, drafts included; the dispatchers run
  them (administrators everything).
- A unit's liaison reads and runs the consultations its own unit organises, no other.
- Who commented is read only by the dispatchers of the jurisdiction and the liaisons of
  the organising unit (``commenter_for``), never by administrators or leaders, as a
  case's reporter (cases.rules.reporter_for).
The public reads opened consultations and published comments on the portal only.
"""

from django.db.models import Q

from ecogov import access
from ecogov.access import CHANGE, NOTHING, VIEW, home_jurisdictions
from ecogov.accounts.models import Role
from ecogov.consultations.models import Answer, Comment, Commenter, Consultation, Document, Hearing

WIDE = frozenset({Role.DISPATCHER, Role.LEADER, Role.INSPECTOR})


def _consultation_rule(user, action: str, path: str = "") -> Q:
    if not user.unit_id:
        return NOTHING
    if user.role in WIDE:
        if action == VIEW or (action == CHANGE and user.role == Role.DISPATCHER):
            return Q(**{f"{path}jurisdiction__in": home_jurisdictions(user)})
        return NOTHING
    if user.role == Role.LIAISON and action in (VIEW, CHANGE):
        return Q(**{f"{path}organiser": user.unit_id,
                    f"{path}jurisdiction__in": home_jurisdictions(user)})  # fmt: skip
    return NOTHING


def runs(user, consultation: Consultation) -> bool:
    """Whether ``user`` may take the consultation's steps."""
    return access.can(user, CHANGE, consultation)


def may_draft(user, jurisdiction, organiser) -> bool:
    """Whether ``user`` may draft a consultation of ``organiser`` in ``jurisdiction`` (the
    rule of CHANGE above, for a consultation not saved yet)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if access.is_admin(user):
        return True
    if user.role == Role.DISPATCHER:
        return jurisdiction.pk in home_jurisdictions(user)
    return user.role == Role.LIAISON and user.unit_id == organiser.pk


def may_see_commenters(user, consultation: Consultation) -> bool:
    if not (user.is_authenticated and user.is_active and user.unit_id):
        return False
    if user.role == Role.DISPATCHER:
        return consultation.jurisdiction_id in home_jurisdictions(user)
    return (
        user.role == Role.LIAISON
        and user.unit_id == consultation.organiser_id
        and (consultation.jurisdiction_id in home_jurisdictions(user))
    )


def commenters_for(user, consultation: Consultation) -> dict[int, Commenter]:
    """The identities of the consultation's comments by comment id, if ``user`` may know
    them, else an empty dict."""
    if not may_see_commenters(user, consultation):
        return {}
    return {c.comment_id: c for c in Commenter.objects.filter(comment__consultation=consultation)}


def register() -> None:
    access.register(Consultation, _consultation_rule)
    for part in (Comment, Document, Hearing, Answer):
        access.register(
            part, lambda user, action: _consultation_rule(user, action, "consultation__")
        )
