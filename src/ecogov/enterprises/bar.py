"""The blacklist's two-year bar (seed 003 §(五).4: 两年内不得参与…新项目…): one check for
every registration it guards (a construction project, a new pollution source, a
discharge permit). A barred registration is refused with the listing that bars it,
unless an override with its reason is recorded by whom it may be.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.enterprises.models import Listing, Override
from ecogov.supervision.services import text_of
from ecogov.text import visible


def listing_on(uscc: str, day: datetime.date) -> Listing | None:
    """The listing that bars the credit code on ``day``, or None."""
    if not uscc:
        return None
    for listing in Listing.objects.filter(uscc=uscc, listed_on__lte=day, bar_until__gte=day):
        if listing.in_force_on(day):
            return listing
    return None


def barred_message(listing: Listing) -> str:
    return _(
        "%(name)s (%(uscc)s) is on the environmental blacklist by %(number)s of %(listed)s "
        "and may not take part in new projects or operations until %(until)s."
    ) % {
        "name": listing.name, "uscc": listing.uscc, "number": listing.decision_number,
        "listed": listing.listed_on.isoformat(), "until": listing.bar_until.isoformat(),
    }  # fmt: skip


def require_clear(uscc: str, *, subject: str, label: str, by, override: str = "",
                  day: datetime.date | None = None, at=None) -> Override | None:  # fmt: skip
    """Refuse (ValidationError) a registration of ``subject`` for a barred code unless
    ``override`` gives the reason to let it through; then the override is recorded and
    returned (the caller links it to what it registered). None: the code is not barred."""
    at = at or timezone.now()
    listing = listing_on(uscc, day or timezone.localdate(at))
    if listing is None:
        return None
    override = text_of(override, _("The reason for the override"), required=False, limit=4000)
    if not visible(override):
        raise ValidationError(
            barred_message(listing)
            + " "
            + _("To register it anyway, record the reason for overriding the bar.")
        )
    from ecogov.enterprises.rules import may_override

    if not may_override(by, listing):
        raise ValidationError(_("Only the bureau's dispatcher may override the blacklist bar."))
    return Override.objects.create(
        listing=listing, subject=subject, label=label[:200], reason=override, by=by, at=at
    )
