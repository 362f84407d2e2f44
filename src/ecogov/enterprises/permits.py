"""Registering and changing a discharge permit (排污许可证) of a pollution source.

Whoever keeps the source (``access.can(user, CHANGE, source)``: the bureau's dispatcher,
the township liaison of its grids, an administrator) registers its permits. A new permit,
or a renewal that extends its validity, for a source whose credit code is on the
blacklist is refused unless the reason to override the bar is recorded
(``ecogov.enterprises.bar.require_clear``); the override is linked to the permit.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov import access
from ecogov.access import CHANGE
from ecogov.enterprises.bar import require_clear
from ecogov.enterprises.models import Override, Permit
from ecogov.sources.models import Source
from ecogov.text import clean_text

MAX_POLLUTANTS = 50
POLLUTANT_KEYS = ("factor", "name", "limit", "unit", "tonnes")
FACTOR = re.compile(r"^[a-z]\d{5}$", re.IGNORECASE | re.ASCII)  # HJ 212 codes: w01018, a21026
PLAIN = re.compile(r"\d{1,12}(\.\d{1,6})?", re.ASCII)
NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-/()（）]*$")


def may_keep(user, source: Source) -> bool:
    return access.can(user, CHANGE, source)


def _decimal(value, what: str, line: int) -> str:
    text = str(value if value is not None else "").strip()
    if not text:
        return ""
    try:  # plain ASCII decimals: Decimal reads "٥٠" and "1e99999999" too
        number = Decimal(text) if PLAIN.fullmatch(text) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0:
        raise ValidationError(
            _("Pollutant %(line)s: %(what)s must be a number that is not negative.")
            % {"line": line, "what": what}
        )
    return str(number)


def clean_pollutants(pollutants) -> list[dict]:
    """The permitted pollutants as the permit stores them: a list of at most 50
    ``{"factor", "name", "limit", "unit", "tonnes"}`` (text; limit and tonnes numbers or
    empty), each with a name or an HJ 212 code."""
    if pollutants is None:
        return []
    if not isinstance(pollutants, list) or len(pollutants) > MAX_POLLUTANTS:
        raise ValidationError(
            _("The permitted pollutants are a list of at most %(max)s.") % {"max": MAX_POLLUTANTS}
        )
    out = []
    for line, item in enumerate(pollutants, start=1):
        if not isinstance(item, dict) or set(item) - set(POLLUTANT_KEYS):
            raise ValidationError(
                _("Pollutant %(line)s: give only %(keys)s.")
                % {"line": line, "keys": ", ".join(POLLUTANT_KEYS)}
            )
        factor = clean_text(str(item.get("factor") or "")).strip()
        name = clean_text(str(item.get("name") or "")).strip()[:60]
        if factor and not FACTOR.match(factor):
            raise ValidationError(
                _("Pollutant %(line)s: “%(code)s” is not an HJ 212 code such as w01018.")
                % {"line": line, "code": factor}
            )
        if not (factor or name):
            raise ValidationError(_("Pollutant %(line)s has no name.") % {"line": line})
        out.append({
            "factor": factor.lower(), "name": name,
            "limit": _decimal(item.get("limit"), _("the limit"), line),
            "unit": clean_text(str(item.get("unit") or "")).strip()[:20],
            "tonnes": _decimal(item.get("tonnes"), _("the permitted tonnes a year"), line),
        })  # fmt: skip
    return out


def pollutants_from_text(text: str) -> list[dict]:
    """The form's lines, one pollutant each: ``[code,] name, limit, unit[, tonnes]``,
    separated by commas (half or full width) or tabs."""
    rows = []
    for line in clean_text(text or "").splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in re.split(r"[,，\t]", line)]
        factor = parts.pop(0) if parts and FACTOR.match(parts[0]) else ""
        parts += [""] * (4 - len(parts))
        if len(parts) > 4:
            raise ValidationError(
                _("Write each pollutant as: name, limit, unit, tonnes a year: “%(line)s”.")
                % {"line": line[:80]}
            )
        name, limit, unit, tonnes = parts
        rows.append({"factor": factor, "name": name, "limit": limit, "unit": unit,
                     "tonnes": tonnes})  # fmt: skip
    return rows


def permit_save(*, source: Source, by, number: str, management: str,
                valid_from: datetime.date, valid_until: datetime.date, pollutants=(),
                issuer: str = "", issued_on: datetime.date | None = None,
                revoked_on: datetime.date | None = None, permit: Permit | None = None,
                override: str = "", now: datetime.datetime | None = None) -> Permit:  # fmt: skip
    """Register a permit of ``source`` (``permit`` None) or change ``permit``.

    ValidationError with a message for what is wrong, PermissionDenied for a person who
    does not keep the source; nothing is saved then."""
    if not may_keep(by, source):
        raise PermissionDenied(_("Only who keeps this source registers its permits."))
    if permit is not None and permit.source_id != source.pk:
        raise ValidationError(_("This permit belongs to another source."))
    number = clean_text(number or "").strip().upper()
    if not number or len(number) > 40 or not NUMBER.match(number):
        raise ValidationError(
            _("The permit number is required: letters, digits and dashes, at most 40.")
        )
    if management not in Permit.Class.values:
        raise ValidationError(_("Choose the management class."))
    for day, what in ((valid_from, _("valid from")), (valid_until, _("valid until"))):
        if not isinstance(day, datetime.date):
            raise ValidationError(_("Give the date “%(what)s”.") % {"what": what})
    if valid_until < valid_from:
        raise ValidationError(_("A permit cannot end before it starts."))
    if issued_on is not None and issued_on > valid_until:
        raise ValidationError(_("A permit cannot be issued after it ends."))
    if revoked_on is not None and revoked_on < valid_from:
        raise ValidationError(_("A permit cannot be revoked before it starts."))
    pollutants = clean_pollutants(list(pollutants) if pollutants is not None else None)
    issuer = clean_text(issuer or "").strip()[:100]
    now = now or timezone.now()
    others = Permit.objects.filter(number=number)
    if permit is not None:
        others = others.exclude(pk=permit.pk)
    if others.exists():
        raise ValidationError(_("Permit %(number)s is registered already.") % {"number": number})
    renewal = permit is None or valid_until > permit.valid_until
    with transaction.atomic():
        granted = None
        if renewal:
            granted = require_clear(
                source.uscc, subject=Override.Subject.PERMIT, by=by, override=override, at=now,
                label=f"{source.name} {number}",
            )  # fmt: skip
        if permit is None:
            permit = Permit(source=source, created_at=now, created_by=by)
        permit.number, permit.management, permit.issuer = number, management, issuer
        permit.issued_on, permit.valid_from, permit.valid_until = issued_on, valid_from, valid_until
        permit.revoked_on, permit.pollutants = revoked_on, pollutants
        if granted is not None:
            permit.override = granted
        permit._change_reason = "permit"
        permit.save()
        if granted is not None:
            granted.ref = f"permit:{permit.pk}"
            granted.save(update_fields=["ref"])
    return permit
