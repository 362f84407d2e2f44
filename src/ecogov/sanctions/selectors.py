"""What the sanctions show elsewhere: the open sanctions a person may see (the leaders'
page lists them with the red and yellow items)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov import access
from ecogov.sanctions.models import Admonition, CriticismNotice, Referral, Restriction
from ecogov.supervision.models import Item


@dataclass(frozen=True)
class Row:
    unit_id: int | None
    unit: str
    kind: str
    title: str
    url: str
    since: datetime.date
    state: str


def open_sanctions(user, today: datetime.date | None = None) -> list[Row]:
    """Every open sanction the person may see, one row per unit concerned: notices issued
    in the last 12 months, talks with commitments still open, restrictions in force
    (unit None, the township's name), referrals not concluded."""
    today = today or timezone.localdate()
    rows: list[Row] = []
    year_ago = today.replace(year=today.year - 1) if not (today.month == 2 and today.day == 29) \
        else today - datetime.timedelta(days=365)  # fmt: skip
    notices = (
        access.scope(user, CriticismNotice)
        .filter(state=CriticismNotice.State.ISSUED, issued_on__gt=year_ago)
        .prefetch_related("units")
    )
    for notice in notices.distinct():
        for unit in notice.units.all():
            rows.append(Row(unit.pk, unit.name, _("criticism notice"), str(notice),
                            notice.get_absolute_url(), notice.issued_on,
                            notice.get_state_display()))  # fmt: skip
    open_states = [Item.State.OPEN, Item.State.COMPLETION_ASKED]
    talks = (
        access.scope(user, Admonition)
        .filter(commitments__item__state__in=open_states)
        .distinct()
        .prefetch_related("summoned__unit")
    )
    for talk in talks:
        for summons in talk.summoned.all():
            rows.append(Row(summons.unit_id, summons.unit.name, _("admonition talk"), str(talk),
                            talk.get_absolute_url(), timezone.localdate(talk.held_at),
                            _("commitments open")))  # fmt: skip
    restrictions = (
        access.scope(user, Restriction)
        .filter(starts_on__lte=today, ends_on__gte=today)
        .select_related("jurisdiction")
    )
    for restriction in restrictions:
        if restriction.active_on(today):
            rows.append(Row(None, restriction.jurisdiction.name,
                            _("regional approval restriction"), str(restriction),
                            restriction.get_absolute_url(), restriction.starts_on,
                            _("in force")))  # fmt: skip
    referrals = (
        access.scope(user, Referral)
        .exclude(state=Referral.State.CONCLUDED)
        .prefetch_related("units")
    )
    for referral in referrals.distinct():
        for unit in referral.units.all():
            rows.append(Row(unit.pk, unit.name, _("referral"), str(referral),
                            referral.get_absolute_url(), referral.referred_on,
                            referral.get_state_display()))  # fmt: skip
    rows.sort(key=lambda row: (row.since, row.title), reverse=True)
    return rows
