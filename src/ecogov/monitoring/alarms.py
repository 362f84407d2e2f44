"""Alarms that become cases, and the scan for points that have gone silent.

An alarm becomes a case (channel "monitoring alarm") when it persists
(``ECOGOV_MONITORING_CASE_AFTER`` occurrences) or an administrator's ``AlarmRule``
marks it serious. The case goes to the ecology bureau of the point's jurisdiction (it
supervises the source's discharge permit) and to the source's grid, with the readings
of the alarm's hours attached as a workbook. Both steps are idempotent: an alarm has at
most one case, and the scan extends the open missing-data alarm rather than adding one.
"""

import datetime
import logging
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ecogov.cases.models import Attachment, Category, Channel
from ecogov.cases.services import case_register
from ecogov.domain import monitorchecks
from ecogov.domain.monitorchecks import Finding
from ecogov.domain.notation import with_unit
from ecogov.domain.supervision import Level
from ecogov.monitoring.ingest import StoreReport, case_threshold, raise_alarms
from ecogov.monitoring.models import Alarm, Factor, Period, Point, Reading
from ecogov.org.selectors import bureau_of
from ecogov.spreadsheets import table_workbook
from ecogov.standards import hj212_codes

log = logging.getLogger(__name__)


def pollutant_label(code: str) -> str:
    pollutant = hj212_codes.pollutant(code)
    return f"{pollutant.name}（{code}）" if pollutant else code


def describe(alarm: Alarm) -> str:
    """The alarm in the words of a case: who, what, how much, since when."""
    point = alarm.point
    where = f"{point.source.name} {point.name}" if point.source_id else point.name
    local = timezone.localtime
    span = f"{local(alarm.first_time):%Y-%m-%d %H:%M}—{local(alarm.last_time):%Y-%m-%d %H:%M}"
    if alarm.over_limit:
        if alarm.kind == Alarm.Kind.EXCEEDANCE:
            ((unit, limit_unit),) = units([alarm])
        else:
            unit = limit_unit = ""  # the mass rate's text names kg and kg/h itself
        worst, limit = with_unit(alarm.worst, unit), with_unit(alarm.limit, limit_unit)
        what = (
            _(
                "%(pollutant)s hourly average up to %(worst)s against a limit of %(limit)s "
                "(%(ratio)s times), %(count)d hours over the limit"
            )
            if alarm.kind == Alarm.Kind.EXCEEDANCE
            else _(
                "%(pollutant)s emitted up to %(worst)s kg in an hour against a mass-rate limit of "
                "%(limit)s kg/h (%(ratio)s times), %(count)d hours over the limit"
            )
        ) % {"pollutant": pollutant_label(alarm.code), "worst": worst,
             "limit": limit, "count": alarm.count,
             "ratio": monitorchecks.exceedance_ratio(alarm.worst, alarm.limit)}  # fmt: skip
    elif alarm.kind == Alarm.Kind.MISSING:
        what = _("no hourly data for %(count)d hours") % {"count": alarm.count}
    else:
        what = _("%(kind)s of %(pollutant)s, %(count)d hours") % {
            "kind": alarm.get_kind_display(), "pollutant": pollutant_label(alarm.code),
            "count": alarm.count}  # fmt: skip
    return _("Online monitoring alarm: %(where)s (MN %(mn)s), %(what)s, %(span)s.") % {
        "where": where, "mn": point.mn, "what": what, "span": span}  # fmt: skip


def units(alarms: list[Alarm]) -> list[tuple[str, str]]:
    """Per alarm, the units of its worst value and of its limit: kg in the hour against
    kg/h for a mass rate, else the concentration unit of the point's pollutant (as
    registered, or as the standard prints it); none for missing data. One query."""
    wanted = {(a.point_id, a.code) for a in alarms if a.code and a.kind != Alarm.Kind.RATE}
    registered = {}
    if wanted:
        registered = {
            (point_id, code): unit
            for point_id, code, unit in Factor.objects.filter(
                point_id__in={p for p, _ in wanted}, code__in={c for _, c in wanted}
            ).values_list("point_id", "code", "unit")
            if unit
        }
    found = []
    for alarm in alarms:
        if alarm.kind == Alarm.Kind.RATE:
            found.append((_("kg"), _("kg/h")))
            continue
        standard = hj212_codes.pollutant(alarm.code) if alarm.code else None
        unit = registered.get((alarm.point_id, alarm.code)) or (standard.unit if standard else "")
        found.append((unit, unit))
    return found


# The sub-category of a monitoring case: what the alarm says, whatever its medium.
OVER_LIMIT_AT_SOURCE = "超标排放"  # a source's outlet above its discharge limit
OVER_LIMIT_IN_AMBIENT = "环境质量超标"  # a station or section above its quality limit
INSTRUMENT_ANOMALY = "在线监测异常"  # missing, flat, negative or out-of-range data
_CATEGORY_OF_MEDIUM = {"water": Category.WATER, "air": Category.AIR, "noise": Category.NOISE}
_MEDIUM_OF_KIND = {Point.Kind.AIR_STATION: "air", Point.Kind.WATER_SECTION: "water"}


def classify(alarm: Alarm) -> tuple[str, str]:
    """The category and sub-category of the case an alarm makes: the medium of its
    pollutant by the HJ 212 code tables, or of what its point measures when the alarm
    names no pollutant (missing data); never what the case's wording suggests."""
    point = alarm.point
    medium = hj212_codes.medium(alarm.code) if alarm.code else ""
    if not medium:
        measured = {
            hj212_codes.medium(code) for code in point.factors.values_list("code", flat=True)
        }
        measured.discard("")
        medium = measured.pop() if len(measured) == 1 else _MEDIUM_OF_KIND.get(point.kind, "")
    if not alarm.over_limit:
        subcategory = INSTRUMENT_ANOMALY
    elif point.kind == Point.Kind.SOURCE:
        subcategory = OVER_LIMIT_AT_SOURCE
    else:
        subcategory = OVER_LIMIT_IN_AMBIENT
    return _CATEGORY_OF_MEDIUM.get(medium, Category.OTHER), subcategory


def readings_workbook(alarm: Alarm) -> bytes:
    """The point's hourly readings around the alarm, every pollutant, as the case's evidence."""
    start = alarm.first_time - datetime.timedelta(hours=6)
    end = alarm.last_time + datetime.timedelta(hours=1)
    rows = Reading.objects.filter(
        point=alarm.point, period=Period.HOUR, time__gte=start, time__lte=end
    ).order_by("time", "code")
    limits = dict(alarm.point.factors.values_list("code", "limit"))
    return table_workbook(
        sheet_title=_("readings"),
        title=describe(alarm),
        header=(
            _("data time"),
            _("pollutant"),
            _("hourly average"),
            _("limit"),
            _("data flag"),
            _("valid"),
            _("over the limit"),
        ),  # fmt: skip
        rows=(
            (
                timezone.localtime(r.time).strftime("%Y-%m-%d %H:%M"),
                pollutant_label(r.code),
                float(r.value) if r.value is not None else None,
                float(limits[r.code]) if limits.get(r.code) is not None else None,
                r.flag,
                _("yes") if r.valid else _("no"),
                "" if r.exceeded is None else (_("yes") if r.exceeded else _("no")),
            )
            for r in rows
        ),
        widths=(18, 24, 14, 10, 8, 8, 10),
    )


def alarm_cases(alarm_ids=None) -> list[int]:
    """Open a case for each alarm that persists or is serious and has none yet."""
    candidates = Alarm.objects.filter(case__isnull=True).filter(
        Q(serious=True)
        | Q(count__gte=case_threshold(Alarm.Kind.EXCEEDANCE)) & ~Q(kind=Alarm.Kind.MISSING)
        | Q(count__gte=case_threshold(Alarm.Kind.MISSING), kind=Alarm.Kind.MISSING)
    )
    if alarm_ids is not None:
        candidates = candidates.filter(pk__in=alarm_ids)
    opened = []
    with translation.override(settings.LANGUAGE_CODE):
        for alarm_id in candidates.values_list("pk", flat=True):
            case_id = _open_case(alarm_id)
            if case_id is not None:
                opened.append(case_id)
    return opened


def _open_case(alarm_id: int) -> int | None:
    with transaction.atomic():
        alarm = (
            Alarm.objects.select_for_update(of=("self",))
            .select_related("point__source", "point__jurisdiction")
            .filter(pk=alarm_id, case__isnull=True)
            .first()
        )
        if alarm is None:
            return None
        point, source = alarm.point, alarm.point.source
        category, subcategory = classify(alarm)
        case = case_register(
            jurisdiction=point.jurisdiction,
            channel=Channel.MONITORING,
            text=describe(alarm),
            category=category,
            subcategory=subcategory,
            address=source.address if source else "",
            lon=source.lon if source and source.lat is not None else None,
            lat=source.lat if source and source.lon is not None else None,
            source=source,
            supervision=Level.URGENT if alarm.serious else Level.IMPORTANT,
            lead=bureau_of(point.jurisdiction),
        )
        if case.grid_id is None and point.grid_id is not None:
            case.grid_id = point.grid_id
            case.save(update_fields=["grid"])
        Attachment.objects.create(
            case=case,
            file=ContentFile(readings_workbook(alarm), name=f"alarm-{alarm.pk}.xlsx"),
            kind="zip",
            name=_("readings of alarm %(id)d.xlsx") % {"id": alarm.pk},
        )
        alarm.case = case
        alarm.save(update_fields=["case"])
        log.info("alarm %d became case %s", alarm.pk, case.number)
        return case.pk


def silence_scan(now: datetime.datetime | None = None) -> int:
    """Points whose data stopped more than ``ECOGOV_MONITORING_MISSING_HOURS`` hours ago:
    open or extend their missing-data alarm (counting the hours missing up to now); close
    the missing-data alarms of points that have reported since.
    Returns how many points are silent. Run again, it changes nothing new."""
    now = now or timezone.now()
    hours = settings.ECOGOV_MONITORING_MISSING_HOURS
    current_hour = now.replace(minute=0, second=0, microsecond=0)
    limit = current_hour - monitorchecks.HOUR * (hours + 1)
    silent = Point.objects.filter(active=True).filter(
        Q(last_data_time__lt=limit) | Q(last_data_time__isnull=True, created_at__lt=limit)
    )
    findings = []
    for point in silent.only("pk", "last_data_time", "created_at"):
        since = point.last_data_time or point.created_at.replace(minute=0, second=0, microsecond=0)
        # The hour before the current one is due by now; the current one is not.
        missing = int((current_hour - since) / monitorchecks.HOUR) - 1
        findings.append(
            (
                point.pk,
                Finding(monitorchecks.MISSING, "", since + monitorchecks.HOUR, Decimal(missing)),
            )  # fmt: skip
        )
    # A point that reports again ends its missing-data alarms, also any that an older
    # version of the ingestion left open behind a newer one.
    Alarm.objects.filter(
        kind=Alarm.Kind.MISSING, state=Alarm.State.OPEN, point__last_data_time__gt=F("last_time")
    ).update(state=Alarm.State.CLOSED)
    report = StoreReport()
    if findings:
        with transaction.atomic():
            raise_alarms(
                findings,
                window=datetime.timedelta(hours=settings.ECOGOV_MONITORING_MERGE_HOURS),
                report=report,
            )
    if report.case_candidates:
        alarm_cases(report.case_candidates)
    return len(findings)
