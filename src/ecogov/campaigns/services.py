"""Running a joint enforcement campaign (联合执法专项行动, seed 002 §四.3): the bureau's
dispatchers set it up (action plan, participating units, period, targets), the
participating units record their inspections (patrols of sources, through the patrols
app), a finding becomes a case through the cases services exactly as a patrol's does,
and the campaign closes with a summary whose figures are computed from that record.

Bad input raises ValidationError and changes nothing; a step the person may not take
raises PermissionDenied; a closed campaign refuses every change (``CampaignClosed``).
"""

import datetime
import uuid
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov import access
from ecogov.accounts.models import Role
from ecogov.campaigns.models import Campaign, Inspection
from ecogov.cases.models import Case, State
from ecogov.cases.services import case_from_finding
from ecogov.grid.models import Grid, within
from ecogov.org.models import Unit
from ecogov.org.services import audited_save
from ecogov.patrols.services import patrol_store
from ecogov.sources.models import Source, SourceType
from ecogov.supervision.notify import Message, notify, people_of
from ecogov.supervision.services import text_of
from ecogov.uploads import DOCUMENTS, checked_uploads

PLAN_KINDS = DOCUMENTS - {"xlsx"}


class CampaignClosed(ValidationError):
    """A change to a closed campaign (the API answers 409)."""


# --- who may do what ----------------------------------------------------------------


# The level-1 grid organises joint enforcement (seed 002 §三.(五).2): the ecology
# bureau's dispatchers of the district (and administrators).
may_run = access.dispatches


def may_record(user, campaign: Campaign) -> bool:
    """A participating unit's liaison records its inspections; the dispatchers may too."""
    if may_run(user, campaign.jurisdiction_id):
        return True
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role == Role.LIAISON
        and user.unit_id
        and campaign.units.filter(pk=user.unit_id).exists()
    )


def _require_running(user, campaign: Campaign) -> None:
    if not may_run(user, campaign.jurisdiction_id):
        raise PermissionDenied(_("The bureau's dispatchers run joint enforcement campaigns."))
    if not campaign.is_open:
        raise CampaignClosed(_("The campaign is closed: its record can no longer be changed."))


# --- setting up -----------------------------------------------------------------------


@dataclass
class Setup:
    """What defines a campaign, as the page and the API give it."""

    title: str
    action_plan: str
    start: datetime.date | None
    end: datetime.date | None
    units: list[Unit]
    source_types: list[SourceType]
    grids: list[Grid]


def _checked_setup(jurisdiction, setup: Setup) -> Setup:
    title = text_of(setup.title, _("The title"), limit=200)
    action_plan = text_of(setup.action_plan, _("The action plan"))
    if setup.start is None or setup.end is None:
        raise ValidationError(_("Give the period of the campaign: its first and last day."))
    if setup.end < setup.start:
        raise ValidationError(_("The campaign cannot end before it starts."))
    units = list(dict.fromkeys(setup.units))
    if not units:
        raise ValidationError(_("Choose the participating units."))
    if any(unit.jurisdiction_id != jurisdiction.pk for unit in units):
        raise ValidationError(_("The participating units must be units of %(place)s.") % {
            "place": jurisdiction})  # fmt: skip
    if any(grid.jurisdiction_id != jurisdiction.pk for grid in setup.grids):
        raise ValidationError(_("The targeted grids must be grids of %(place)s.") % {
            "place": jurisdiction})  # fmt: skip
    return Setup(title, action_plan, setup.start, setup.end, units,
                 list(dict.fromkeys(setup.source_types)), list(dict.fromkeys(setup.grids)))  # fmt: skip


def _plan_file(files):
    checked = checked_uploads(
        files, PLAN_KINDS, _("The action plan document must be a Word (.docx) or PDF file.")
    )
    if len(checked) > 1:
        raise ValidationError(_("Attach one action plan document."))
    return checked[0][0] if checked else None


def _apply(campaign: Campaign, setup: Setup, plan_file, by, reason: str) -> None:
    campaign.title, campaign.action_plan = setup.title, setup.action_plan
    campaign.start, campaign.end = setup.start, setup.end
    if plan_file is not None:
        campaign.plan_file = plan_file
        campaign.plan_file_name = (plan_file.name or "")[:200]
    audited_save(campaign, by=by, reason=reason)
    campaign.units.set(setup.units)
    campaign.source_types.set(setup.source_types)
    campaign.grids.set(setup.grids)


def campaign_create(*, jurisdiction, setup: Setup, files=(), by, at=None) -> Campaign:
    if not may_run(by, jurisdiction.pk):
        raise PermissionDenied(_("The bureau's dispatchers run joint enforcement campaigns."))
    setup = _checked_setup(jurisdiction, setup)
    plan_file = _plan_file(files)
    with transaction.atomic():
        campaign = Campaign(jurisdiction=jurisdiction, created_at=at or timezone.now(),
                            created_by=by if by.is_authenticated else None)  # fmt: skip
        _apply(campaign, setup, plan_file, by, _("campaign set up"))
    # The participating units' liaisons are told that they take part, and from when.
    subject = _("Joint enforcement campaign %(title)s: %(start)s to %(end)s") % {
        "title": campaign.title, "start": campaign.start, "end": campaign.end}  # fmt: skip
    notify(people_of(units=setup.units), Message(subject, campaign.action_plan[:500],
                                                 campaign.get_absolute_url()), campaign.created_at)  # fmt: skip
    return campaign


def campaign_update(campaign: Campaign, *, setup: Setup, files=(), by) -> Campaign:
    _require_running(by, campaign)
    setup = _checked_setup(campaign.jurisdiction, setup)
    plan_file = _plan_file(files)
    moments = campaign.inspections.aggregate(
        first=Min("patrol__patrolled_at"), last=Max("patrol__patrolled_at")
    )
    for moment in moments.values():
        day = timezone.localdate(moment) if moment else None
        if day is not None and not setup.start <= day <= setup.end:
            raise ValidationError(
                _("Inspections were recorded on %(day)s: the period must include it.")
                % {"day": day}
            )
    with transaction.atomic():
        _apply(campaign, setup, plan_file, by, _("campaign changed"))
    return campaign


# --- inspections ----------------------------------------------------------------------


def targeted_sources(campaign: Campaign):
    """The sources of the campaign's district of the targeted types in the targeted grids
    (every type, the whole district, when it names none)."""
    sources = Source.objects.filter(grid__jurisdiction=campaign.jurisdiction_id)
    if campaign.source_types.exists():
        sources = sources.filter(type__in=campaign.source_types.values("pk"))
    grids = list(campaign.grids.values_list("pk", flat=True))
    if grids:
        sources = sources.filter(within(grids))
    return sources


def targets(campaign: Campaign, source: Source) -> bool:
    return targeted_sources(campaign).filter(pk=source.pk).exists()


def inspection_record(campaign: Campaign, *, source: Source, by, inspected_at: datetime.datetime,
                      inspectors: str, units=(), checklist=None, finding=False, note="",
                      photos=(), lon=None, lat=None) -> Inspection:  # fmt: skip
    """An inspection by the participating units (the recorder's own unit takes part):
    stored as a patrol of the source, its finding reported to the upper grid."""
    if not may_record(by, campaign):
        raise PermissionDenied(_("Only the participating units record the campaign's inspections."))
    if not campaign.is_open:
        raise CampaignClosed(_("The campaign is closed: its record can no longer be changed."))
    day = timezone.localdate(inspected_at)
    if not campaign.start <= day <= campaign.end:
        raise ValidationError(_("The inspection must fall within the campaign (%(start)s to %(end)s).")
                              % {"start": campaign.start, "end": campaign.end})  # fmt: skip
    if day > timezone.localdate():
        raise ValidationError(_("An inspection cannot be recorded ahead of its day."))
    if not targets(campaign, source):
        raise ValidationError(_("%(source)s is not among the sources this campaign targets.")
                              % {"source": source})  # fmt: skip
    participants = set(campaign.units.all())
    units = list(dict.fromkeys(units))
    if any(unit not in participants for unit in units):
        raise ValidationError(
            _("Only the campaign's participating units take part in its inspections.")
        )
    if by.unit_id and by.unit in participants and by.unit not in units:
        units.insert(0, by.unit)
    if not units:
        raise ValidationError(_("Choose the participating units that inspected."))
    inspectors = text_of(inspectors, _("The inspectors"), limit=200)
    note = text_of(note, _("What was found"), required=bool(finding))
    with transaction.atomic():
        patrol, _created = patrol_store(
            client_id=uuid.uuid4(), source=source, worker=by, patrolled_at=inspected_at,
            lon=lon, lat=lat, checklist=checklist, finding=bool(finding), note=note, photos=photos,
        )  # fmt: skip
        inspection = Inspection(campaign=campaign, patrol=patrol, inspectors=inspectors)
        audited_save(inspection, by=by)
        inspection.units.set(units)
    return inspection


def inspection_to_case(inspection: Inspection, *, by, now=None) -> Case:
    """The finding becomes a case through the cases services, as a patrol's does (the
    bureau or the upper grid's officer takes it over)."""
    finding = getattr(inspection.patrol, "report", None)
    if finding is None:
        raise ValidationError(_("This inspection found no problem."))
    if not inspection.campaign.is_open:
        raise CampaignClosed(_("The campaign is closed: its record can no longer be changed."))
    return case_from_finding(finding, by=by, now=now)


# --- the closing summary --------------------------------------------------------------


@dataclass
class CampaignFigures:
    inspections: int
    sources_inspected: int
    problems_found: int
    cases_opened: int
    cases_closed: int
    penalties: int
    penalty_yuan: str


def campaign_cases(campaign: Campaign):
    return Case.objects.filter(finding__patrol__campaign_inspection__campaign=campaign)


def campaign_figures(campaign: Campaign) -> CampaignFigures:
    """The figures of the record: inspections, distinct sources inspected, problems found,
    cases opened from them, cases closed, administrative penalties and their sum."""
    patrols = campaign.inspections.aggregate(
        inspections=Count("pk"),
        sources=Count("patrol__source", distinct=True),
        problems=Count("pk", filter=Q(patrol__finding=True)),
    )
    cases = campaign_cases(campaign).aggregate(
        opened=Count("pk"),
        closed=Count("pk", filter=Q(state=State.CLOSED)),
        penalties=Count("pk", filter=Q(penalty_amount__isnull=False)),
        yuan=Sum("penalty_amount"),
    )
    return CampaignFigures(
        inspections=patrols["inspections"], sources_inspected=patrols["sources"],
        problems_found=patrols["problems"], cases_opened=cases["opened"],
        cases_closed=cases["closed"], penalties=cases["penalties"],
        penalty_yuan=str((cases["yuan"] or Decimal(0)).quantize(Decimal("0.01"))),
    )  # fmt: skip


def campaign_close(campaign: Campaign, *, summary: str, by, at=None) -> Campaign:
    """The closing summary, with the figures as the record shows them now."""
    _require_running(by, campaign)
    summary = text_of(summary, _("The closing summary"))
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if not campaign.is_open:
            raise CampaignClosed(_("The campaign is closed: its record can no longer be changed."))
        campaign.summary, campaign.figures = summary, asdict(campaign_figures(campaign))
        campaign.state, campaign.closed_at = Campaign.State.CLOSED, at or timezone.now()
        audited_save(campaign, by=by, reason=_("closed with its summary"))
    return campaign
