"""The rules of the blacklist (seed 003 §(五).4) and of the register of construction
projects (seed 002 §四.4).

The bureau's dispatchers (``access.dispatches``) list an enterprise by decision, with
grounds and the decision document, and remove it by decision; the rule "N verified
violations within M months" only proposes candidates: a person lists. A project is
registered by the bureau or the construction bureau's liaison; the blacklist bar may be
overridden only by the dispatcher with a recorded reason, the regional approval
restriction never. Bad input raises ValidationError and changes nothing.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov import access
from ecogov.accounts.models import Role
from ecogov.cases.models import Case, Outcome
from ecogov.domain.supervision import add_months
from ecogov.enterprises import bar
from ecogov.enterprises.models import BAR_YEARS, Listing, Override, Project
from ecogov.grid.selectors import grid_chain
from ecogov.org.models import Jurisdiction
from ecogov.org.selectors import jurisdiction_ancestor_ids
from ecogov.org.services import audited_save
from ecogov.sanctions.services import restriction_on
from ecogov.sources.models import Source
from ecogov.standards.uscc import InvalidCode, validate
from ecogov.supervision.services import moment, require, text_of
from ecogov.uploads import checked_uploads

DOCUMENT_KINDS = frozenset({"pdf", "docx", "jpeg", "png", "webp"})
VIOLATIONS = frozenset(Outcome.values) - {Outcome.NONE, Outcome.NO_VIOLATION}
DONE_STATES = ("verified", "closed")


def uscc_of(code) -> str:
    """The normalized credit code, or a ValidationError saying what is wrong with it."""
    code = str(code or "").strip()
    require(bool(code), _("Give the unified social credit code."))
    try:
        return validate(code)
    except InvalidCode as error:
        raise ValidationError(
            _("The unified social credit code %(code)s is malformed: %(error)s")
            % {"code": code, "error": error}
        ) from None


def bar_until(listed_on: datetime.date) -> datetime.date:
    """The last day of the bar: listed_on + BAR_YEARS years − 1 day (29 February is
    followed by 28 February two years on: the bar ends the day before 1 March)."""
    year = listed_on.year + BAR_YEARS
    try:
        anniversary = listed_on.replace(year=year)
    except ValueError:  # 29 February → 1 March
        anniversary = datetime.date(year, 3, 1)
    return anniversary - datetime.timedelta(days=1)


def _actor(by):
    return by if by is not None and by.is_authenticated else None


def may_list(user, jurisdiction) -> bool:
    return jurisdiction is not None and access.dispatches(user, jurisdiction.pk)


def _require_dispatcher(by, jurisdiction) -> None:
    require(may_list(by, jurisdiction),
            _("Only the ecology bureau's dispatchers decide the blacklist."), permission=True)  # fmt: skip


def check_document(files) -> tuple[object, str]:
    checked = checked_uploads(
        files, DOCUMENT_KINDS,
        _("The decision document must be a PDF, a Word (.docx) file or an image (JPEG, PNG, WebP)."),
    )  # fmt: skip
    require(len(checked) == 1, _("Attach the decision document (exactly one file)."))
    return checked[0]


# --- listings -----------------------------------------------------------------------


@transaction.atomic
def listing_create(*, jurisdiction, uscc, name, ground, grounds, decision_number, files,
                   listed_on=None, source=None, cases=(), published=True, by,
                   at=None) -> Listing:  # fmt: skip
    """An enterprise on the blacklist by decision, barred for two years from ``listed_on``."""
    _require_dispatcher(by, jurisdiction)
    at, day = moment(at)
    code = uscc_of(uscc)
    name = text_of(name, _("The enterprise's name"), limit=200)
    require(ground in Listing.Ground.values, _("Choose the ground of the listing."))
    grounds = text_of(grounds, _("The grounds"))
    number = text_of(decision_number, _("The decision number"), limit=60)
    require(not Listing.objects.filter(decision_number=number).exists(),
            _("The decision number %(number)s is taken.") % {"number": number})  # fmt: skip
    listed_on = listed_on or day
    require(listed_on <= day, _("A listing cannot be dated on a day to come."))
    upload, kind = check_document(files)
    if source is not None:
        require(source.jurisdiction_id == jurisdiction.pk,
                _("The pollution source is not one of %(place)s.") % {"place": jurisdiction})  # fmt: skip
    cases = list(dict.fromkeys(cases))
    for case in cases:
        require(case.jurisdiction_id == jurisdiction.pk,
                _("%(record)s is not a record of %(place)s.") % {"record": case.number,
                                                                "place": jurisdiction})  # fmt: skip
    until = bar_until(listed_on)
    current = bar.listing_on(code, listed_on) or bar.listing_on(code, day)
    require(current is None,
            _("%(uscc)s is already on the blacklist by %(number)s until %(until)s.")
            % {"uscc": code, "number": getattr(current, "decision_number", ""),
               "until": getattr(current, "bar_until", "")})  # fmt: skip
    listing = Listing(
        jurisdiction=jurisdiction, uscc=code, name=name, source=source, ground=ground,
        grounds=grounds, decision_number=number, document=upload, document_kind=kind,
        listed_on=listed_on, bar_until=until, published=bool(published),
        created_at=at, created_by=_actor(by),
    )  # fmt: skip
    audited_save(listing, by=by)
    listing.cases.set(cases)
    return listing


def listing_remove(listing: Listing, *, reason, by, on=None, at=None) -> Listing:
    """Removed by decision: the bar ends the day before ``on``; the history keeps it."""
    _require_dispatcher(by, listing.jurisdiction)
    _at, day = moment(at)
    on = on or day
    require(listing.removed_on is None, _("This listing is already removed."))
    require(on <= day, _("A removal cannot be dated on a day to come."))
    require(on >= listing.listed_on, _("A listing is removed after it is made."))
    require(on <= listing.bar_until, _("The listing has expired: nothing to remove."))
    listing.removal_reason = text_of(reason, _("The reason for removal"))
    listing.removed_on, listing.removed_by = on, _actor(by)
    audited_save(listing, by=by)
    return listing


def listing_state(listing: Listing, today: datetime.date) -> str:
    """``in_force``, ``expired``, ``removed`` or ``upcoming`` on ``today``."""
    if listing.removed_on is not None and listing.removed_on <= today:
        return "removed"
    if today > listing.bar_until:
        return "expired"
    return "in_force" if listing.in_force_on(today) else "upcoming"


def listings_in(queryset, state: str, today: datetime.date):
    """The listings of ``queryset`` in ``state`` on ``today`` (any other state: all)."""
    removed = Q(removed_on__isnull=False, removed_on__lte=today)
    if state == "in_force":
        return queryset.filter(listed_on__lte=today, bar_until__gte=today).exclude(removed)
    if state == "expired":
        return queryset.filter(bar_until__lt=today).exclude(removed)
    if state == "removed":
        return queryset.filter(removed)
    return queryset


def public_listings(today: datetime.date | None = None):
    """The published listings in force: what the portal shows."""
    today = today or timezone.localdate()
    return listings_in(Listing.objects.filter(published=True), "in_force", today)


# --- candidates ---------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    uscc: str
    name: str
    source: Source
    violations: int
    last: datetime.date
    cases: list[Case]


def rule_violations() -> int:
    return getattr(settings, "ECOGOV_BLACKLIST_VIOLATIONS", 3)


def rule_months() -> int:
    return getattr(settings, "ECOGOV_BLACKLIST_MONTHS", 12)


def candidates(jurisdiction, *, violations=None, months=None, today=None) -> list[Candidate]:
    """Enterprises (by the credit code of their sources) with at least ``violations``
    cases verified or closed with a violation outcome in the last ``months`` months,
    not already listed in force: proposals only, a person decides."""
    violations = violations or rule_violations()
    months = months or rule_months()
    today = today or timezone.localdate()
    since = add_months(today, -months)
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    cases = (
        Case.objects.filter(jurisdiction=jurisdiction, outcome__in=VIOLATIONS,
                            state__in=DONE_STATES, source__isnull=False)
        .exclude(source__uscc="")
        .annotate(done=Coalesce("verified_at", "closed_at"))
        .filter(done__gte=start)
        .select_related("source")
        .order_by("source__uscc", "-done")
    )  # fmt: skip
    by_code: dict[str, list[Case]] = {}
    for case in cases:
        by_code.setdefault(case.source.uscc, []).append(case)
    found = []
    for code, its_cases in by_code.items():
        if len(its_cases) < violations or bar.listing_on(code, today) is not None:
            continue
        source = its_cases[0].source
        found.append(Candidate(code, source.name, source, len(its_cases),
                               timezone.localdate(its_cases[0].done), its_cases))  # fmt: skip
    found.sort(key=lambda c: (-c.violations, c.name))
    return found


# --- construction projects ----------------------------------------------------------


def may_register(user, jurisdiction) -> bool:
    """The bureau's dispatchers, and the liaisons of the units above the township (the
    construction bureau registers the projects it approves)."""
    if jurisdiction is None:
        return False
    if access.dispatches(user, jurisdiction.pk):
        return True
    return bool(
        user.is_authenticated and user.is_active and user.role == Role.LIAISON
        and user.unit_id and jurisdiction.pk in access.home_jurisdictions(user)
    )  # fmt: skip


def _coordinate(value, what: str, bound: int) -> Decimal | None:
    """A longitude (``bound`` 180) or latitude (90) in degrees: ASCII digits only ("٣" is a
    number to ``Decimal``), finite (NaN cannot even be compared)."""
    text = str(value if value is not None else "").strip()
    if text == "":
        return None
    try:
        number = Decimal(text).quantize(Decimal("0.000001")) if text.isascii() else None
    except InvalidOperation:
        number = None
    require(number is not None and number.is_finite(),
            _("%(what)s must be a number.") % {"what": what})  # fmt: skip
    require(-bound <= number <= bound, _("%(what)s is out of range.") % {"what": what})
    return number


def _grid(jurisdiction, lon, lat):
    """The most local grid of the location within the township or the areas above it."""
    if lon is None or lat is None:
        return None
    areas = {jurisdiction.pk, *jurisdiction_ancestor_ids(jurisdiction.pk)}
    chain = [g for g in grid_chain(float(lon), float(lat)) if g.jurisdiction_id in areas]
    return chain[-1] if chain else None


def restricted_message(restriction) -> str:
    return _(
        "%(place)s is under the regional approval restriction %(number)s from %(start)s to "
        "%(end)s: no new construction project is approved there. The restriction cannot be "
        "overridden."
    ) % {
        "place": restriction.jurisdiction.name, "number": restriction.number,
        "start": restriction.starts_on.isoformat(), "end": restriction.ends_on.isoformat(),
    }  # fmt: skip


@transaction.atomic
def project_register(*, jurisdiction, name, builder, builder_uscc, eia, eia_number="",
                     address="", lon=None, lat=None, meeting=None, override="", by, on=None,
                     at=None) -> Project:  # fmt: skip
    """A construction project in the register, unless the township is under a regional
    approval restriction or the builder is barred by the blacklist (then only with an
    override the dispatcher records with its reason)."""
    require(jurisdiction is not None, _("Choose the township or street."))
    require(jurisdiction.level == Jurisdiction.Level.TOWNSHIP,
            _("A construction project is registered in a township or street."))  # fmt: skip
    require(may_register(by, jurisdiction),
            _("Only the ecology bureau or the approving departments register projects."),
            permission=True)  # fmt: skip
    at, day = moment(at)
    on = on or day
    require(on <= day, _("A project cannot be registered on a day to come."))
    name = text_of(name, _("The project's name"), limit=200)
    builder = text_of(builder, _("The builder"), limit=200)
    code = uscc_of(builder_uscc)
    require(eia in Project.Eia.values, _("Choose the EIA status."))
    eia_number = text_of(eia_number, _("The EIA approval number"), required=False, limit=60)
    require(eia != Project.Eia.APPROVED or bool(eia_number),
            _("An approved EIA needs its approval number."))  # fmt: skip
    address = text_of(address, _("The location"), required=False, limit=300)
    lon, lat = _coordinate(lon, _("The longitude"), 180), _coordinate(lat, _("The latitude"), 90)
    require((lon is None) == (lat is None), _("Give both longitude and latitude, or neither."))
    if meeting is not None:
        areas = {jurisdiction.pk, *jurisdiction_ancestor_ids(jurisdiction.pk)}
        require(meeting.jurisdiction_id in areas,
                _("The joint review meeting is not one of %(place)s.") % {"place": jurisdiction})  # fmt: skip
    restriction = restriction_on(jurisdiction, on)
    if restriction is not None:
        raise ValidationError(restricted_message(restriction))
    granted = bar.require_clear(code, subject=Override.Subject.PROJECT, label=name, by=by,
                                override=override, day=on, at=at)  # fmt: skip
    project = Project(
        jurisdiction=jurisdiction, name=name, builder=builder, builder_uscc=code, eia=eia,
        eia_number=eia_number, address=address, lon=lon, lat=lat,
        grid=_grid(jurisdiction, lon, lat), meeting=meeting, override=granted,
        registered_on=on, registered_by=by,
    )  # fmt: skip
    audited_save(project, by=by)
    if granted is not None:
        granted.ref = f"project:{project.pk}"
        granted.save(update_fields=["ref"])
    return project
