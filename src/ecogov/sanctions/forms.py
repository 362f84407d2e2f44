"""Reading the sanctions' forms (pages) and bodies (API) into the services' arguments:
ids through ``ecogov.params``, records by their numbers among those the person sees."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov import access
from ecogov.cases.models import Case
from ecogov.org.models import Jurisdiction, Unit
from ecogov.params import form_id
from ecogov.sanctions.services import CommitmentInput, SummonsInput
from ecogov.supervision.actions import date_field, unit_field
from ecogov.supervision.models import Item

ROWS = 4
MAX_RECORDS = 50


def field(post, name: str) -> str:
    value = post.get(name, "")
    return "" if value is None else str(value)


def units_field(jurisdiction, values, what: str) -> list[Unit]:
    units = []
    for value in values:
        unit = unit_field(jurisdiction, value, what)
        if unit is not None:
            units.append(unit)
    return units


def numbers_of(text: str) -> list[str]:
    numbers = [part.strip() for part in str(text or "").replace("，", ",").replace("、", ",")
               .replace("\n", ",").split(",") if part.strip()]  # fmt: skip
    if len(numbers) > MAX_RECORDS:
        raise ValidationError(_("At most %(n)d records at a time.") % {"n": MAX_RECORDS})
    return numbers


def records_field(user, jurisdiction, text: str) -> tuple[list[Item], list[Case]]:
    """Supervised items and cases by their numbers, among those the person may see."""
    items, cases = [], []
    for number in numbers_of(text):
        item = access.scope(user, Item).filter(jurisdiction=jurisdiction, number=number).first()
        if item is not None:
            items.append(item)
            continue
        case = access.scope(user, Case).filter(jurisdiction=jurisdiction, number=number).first()
        if case is None:
            raise ValidationError(
                _("No supervised item or case %(number)s that you may see.") % {"number": number}
            )
        cases.append(case)
    return items, cases


def datetime_field(post, name: str, what: str) -> datetime.datetime | None:
    text = field(post, name).strip()
    if not text:
        return None
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            _("“%(name)s” must be a date and time such as 2026-11-30T09:00.") % {"name": what}
        ) from None
    if not 2000 <= value.year <= 2100:
        raise ValidationError(_("“%(name)s” is out of range.") % {"name": what})
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def summoned_field(jurisdiction, post) -> list[SummonsInput]:
    return [
        SummonsInput(
            unit=unit_field(jurisdiction, post.get(f"summons_{n}_unit"), _("the unit summoned")),
            attendee=field(post, f"summons_{n}_attendee"),
        )
        for n in range(1, ROWS + 1)
    ]


def commitments_field(jurisdiction, post, prefix="commitment") -> list[CommitmentInput]:
    return [
        CommitmentInput(
            unit=unit_field(
                jurisdiction, post.get(f"{prefix}_{n}_unit"), _("the unit that commits")
            ),
            text=field(post, f"{prefix}_{n}_text"),
            deadline=date_field(post, f"{prefix}_{n}_deadline", _("A commitment's deadline")),
        )  # fmt: skip
        for n in range(1, ROWS + 1)
    ]


def township_field(user, value) -> Jurisdiction | None:
    number = form_id(value)
    if not number:
        return None
    found = (
        access.scope(user, Jurisdiction)
        .filter(pk=number, level=Jurisdiction.Level.TOWNSHIP)
        .first()
    )
    if found is None:
        raise ValidationError(_("Choose the township or street from the list."))
    return found
