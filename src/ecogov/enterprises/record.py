"""One record per pollution source (issue 21; after the US EPA ECHO Detailed Facility
Report): everything EcoGov knows about a source joined on one page — its identity, its
discharge permits, its monitoring points and their compliance by quarter, patrols and
findings, cases with their legal outcome, the rectification problems raised from them,
the blacklistings of its credit code and the overrides of their bar — with a 12-quarter
compliance strip and a timeline. ``source_record`` assembles it; the page, the Excel
export and the API show the same record. No HTTP here.

The compliance strip: the last 12 calendar quarters up to the current one, each in one
of four states, the worst that applies:

- **serious violation**: a case registered in the quarter, verified, whose legal
  outcome is a penalty of at least ``ECOGOV_RECORD_SERIOUS_PENALTY`` yuan (default
  100,000), a sealing up or seizure, a transfer for administrative detention or to the
  judiciary; or a blacklisting of the credit code decided in the quarter.
  Why 100,000 yuan: it is the statutory floor of the penalty for discharging over the
  standards (大气污染防治法 art. 99, 水污染防治法 art. 83: 处十万元以上一百万元以下的
  罚款), so a penalty of that size marks a substantive discharge violation, while
  procedural failings (records, reporting, signage) are mostly fined less. A district
  that counts otherwise sets the setting.
- **violation**: a case registered in the quarter, verified, whose outcome is
  "ordered to rectify, rectified" or a penalty (of any amount); or an hour over the
  limit (valid hourly values, ``ecogov.monitoring.stats.rates``) at its monitoring
  points; or a patrol in the quarter that found a problem.
- **no violation**: none of the above, but the quarter was scrutinised: monitoring data
  were received from its points, it was patrolled, or a case about it was verified as
  no violation.
- **unknown**: nothing is known of the quarter.

A case counts in the quarter it was registered (when the problem was reported or found),
once its result is verified; a case still being handled or whose result was rejected
counts only as nothing yet. Each quarter carries the reasons (the cases' numbers, the
hours over the limit, the patrols) that made its state.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecogov.cases.models import Case, Outcome
from ecogov.enterprises.models import Listing, Override, Permit
from ecogov.monitoring import stats
from ecogov.monitoring.models import Alarm, Point
from ecogov.patrols.models import Patrol
from ecogov.rectification.models import Problem
from ecogov.sources.models import Source

QUARTERS = 12
DEFAULT_SERIOUS_PENALTY = Decimal("100000")
GRAVE_OUTCOMES = frozenset({Outcome.SEALED, Outcome.DETENTION, Outcome.JUDICIARY})
VIOLATION_OUTCOMES = frozenset({Outcome.RECTIFIED, Outcome.PENALTY})


class State:
    """A quarter's state, worst first; each with its text and symbol (not colour alone)."""

    SERIOUS = "serious"
    VIOLATION = "violation"
    CLEAN = "clean"
    UNKNOWN = "unknown"
    ORDER = (SERIOUS, VIOLATION, CLEAN, UNKNOWN)
    LABELS = {
        SERIOUS: gettext_lazy("serious violation"),
        VIOLATION: gettext_lazy("violation"),
        CLEAN: gettext_lazy("no violation"),
        UNKNOWN: gettext_lazy("unknown"),
    }
    SYMBOLS = {SERIOUS: "‼", VIOLATION: "!", CLEAN: "✓", UNKNOWN: "?"}
    CSS = {SERIOUS: "clock red", VIOLATION: "clock yellow", CLEAN: "status on_track",
           UNKNOWN: "badge grey"}  # fmt: skip


def serious_penalty() -> Decimal:
    return Decimal(str(getattr(settings, "ECOGOV_RECORD_SERIOUS_PENALTY", DEFAULT_SERIOUS_PENALTY)))


@dataclass
class Quarter:
    year: int
    number: int
    start: datetime.date
    end: datetime.date  # exclusive: the next quarter's first day
    state: str = State.UNKNOWN
    reasons: list[str] = field(default_factory=list)
    rates: stats.Rates = field(default_factory=stats.Rates)
    point_rates: dict[int, stats.Rates] = field(default_factory=dict)
    patrols: int = 0
    cases: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def state_label(self) -> str:
        return str(State.LABELS[self.state])

    @property
    def symbol(self) -> str:
        return State.SYMBOLS[self.state]

    @property
    def css(self) -> str:
        return State.CSS[self.state]

    @property
    def explanation(self) -> str:
        """The quarter's state and why, in one line (the cell's title)."""
        why = "；".join(self.reasons) if self.reasons else _("nothing is known of this quarter")
        return f"{self.label} {self.state_label}: {why}"


@dataclass
class Event:
    day: datetime.date
    at: datetime.datetime | None
    kind: str  # permit, patrol, finding, case, alarm, problem, listing, override
    text: str
    url: str = ""


@dataclass
class PermitRow:
    permit: Permit
    status: str  # valid, expired, revoked, pending

    @property
    def status_label(self) -> str:
        return str(PERMIT_STATUS[self.status])


PERMIT_STATUS = {
    "valid": gettext_lazy("valid"),
    "expired": gettext_lazy("expired"),
    "revoked": gettext_lazy("revoked"),
    "pending": gettext_lazy("not yet valid"),
}


@dataclass
class Record:
    source: Source
    today: datetime.date
    permits: list[PermitRow]
    points: list[Point]
    alarms: list[Alarm]
    patrols: list[Patrol]
    cases: list[Case]
    problems: list[Problem]
    listings: list[Listing]
    overrides: list[Override]
    quarters: list[Quarter]  # oldest first
    timeline: list[Event]  # newest first, all of it
    credit: list = field(default_factory=list)  # published credit scores, newest first

    @property
    def penalties(self) -> Decimal:
        return sum((c.penalty_amount or Decimal(0) for c in self.cases), Decimal(0))

    @property
    def listed_now(self) -> Listing | None:
        return next((x for x in self.listings if x.in_force_on(self.today)), None)


def quarters_up_to(today: datetime.date, count: int = QUARTERS) -> list[Quarter]:
    """The ``count`` calendar quarters ending with the one of ``today``, oldest first."""
    index = today.year * 4 + (today.month - 1) // 3
    out = []
    for i in range(index - count + 1, index + 1):
        year, q = divmod(i, 4)
        start = datetime.date(year, q * 3 + 1, 1)
        nyear, nq = divmod(i + 1, 4)
        out.append(Quarter(year, q + 1, start, datetime.date(nyear, nq * 3 + 1, 1)))
    return out


def _aware(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), timezone.get_current_timezone())


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def permit_status(permit: Permit, today: datetime.date) -> str:
    if permit.revoked_on is not None and today >= permit.revoked_on:
        return "revoked"
    if today > permit.valid_until:
        return "expired"
    if today < permit.valid_from:
        return "pending"
    return "valid"


def source_record(source: Source, *, today: datetime.date | None = None,
                  serious_amount: Decimal | None = None) -> Record:  # fmt: skip
    """The record of ``source`` (a Source the caller may show: no access check here).

    A bounded number of queries whatever the number of cases and patrols: one a kind,
    and four for each of the 12 quarters of monitoring data when the source has points."""
    today = today or timezone.localdate()
    permits = [PermitRow(p, permit_status(p, today)) for p in source.permits.all()]
    points = list(Point.objects.filter(source=source).order_by("name", "pk"))
    alarms = list(
        Alarm.objects.filter(point__source=source).select_related("point", "case")
        .order_by("-first_time")[:500]
    )  # fmt: skip
    patrols = list(
        Patrol.objects.filter(source=source).select_related("worker", "report", "report__case")
        .order_by("-patrolled_at")
    )  # fmt: skip
    cases = list(
        Case.objects.filter(source=source).select_related("lead").order_by("-registered_at")
    )
    findings = [p.report.pk for p in patrols if _finding(p) is not None]
    problems = list(
        Problem.objects.filter(Q(case__source=source) | Q(finding__in=findings))
        .select_related("batch", "case", "finding__patrol").order_by("batch__received_on", "seq")
    )  # fmt: skip
    listed = Q(source=source) | (Q(uscc=source.uscc) if source.uscc else Q(pk__in=[]))
    listings = list(Listing.objects.filter(listed).order_by("-listed_on", "-pk"))
    overrides = list(
        Override.objects.filter(listing__in=[x.pk for x in listings])
        .select_related("listing", "by").order_by("-at", "-pk")
    )  # fmt: skip
    quarters = quarters_up_to(today)
    if points:
        ids = Point.objects.filter(pk__in=[p.pk for p in points])
        for quarter in quarters:
            rollup = stats.rates(ids, _aware(quarter.start), _aware(quarter.end))
            quarter.rates = rollup.total
            quarter.point_rates = rollup.points
    from ecogov.assess.credit import credit_scores

    record = Record(source, today, permits, points, alarms, patrols, cases, problems, listings,
                    overrides, quarters, [], list(credit_scores(source)))  # fmt: skip
    judge_quarters(record, serious_amount if serious_amount is not None else serious_penalty())
    record.timeline = timeline(record)
    return record


def _finding(patrol: Patrol):
    try:
        return patrol.report
    except Patrol.report.RelatedObjectDoesNotExist:
        return None


def _in(quarter: Quarter, day: datetime.date) -> bool:
    return quarter.start <= day < quarter.end


def judge_quarters(record: Record, serious_amount: Decimal) -> None:
    """Give each quarter of the record its state and reasons (see the module's doc)."""
    by_quarter: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    scrutinised: set[int] = set()

    def index(day: datetime.date) -> int | None:
        for i, quarter in enumerate(record.quarters):
            if _in(quarter, day):
                return i
        return None

    for case in record.cases:
        i = index(_local_day(case.registered_at))
        if i is None or case.verified_at is None or not case.outcome:
            continue
        record.quarters[i].cases.append(case.number)
        outcome = f"{case.number} {case.get_outcome_display()}"
        if case.outcome == Outcome.PENALTY and case.penalty_amount is not None:
            outcome += f" {case.penalty_amount:,.2f} " + _("yuan")
        if case.outcome in GRAVE_OUTCOMES or (
            case.outcome == Outcome.PENALTY and (case.penalty_amount or 0) >= serious_amount
        ):
            by_quarter[i][State.SERIOUS].append(_("case %(case)s") % {"case": outcome})
        elif case.outcome in VIOLATION_OUTCOMES:
            by_quarter[i][State.VIOLATION].append(_("case %(case)s") % {"case": outcome})
        else:
            scrutinised.add(i)
            by_quarter[i][State.CLEAN].append(_("case %(case)s") % {"case": outcome})
    for listing in record.listings:
        i = index(listing.listed_on)
        if i is not None:
            by_quarter[i][State.SERIOUS].append(
                _("blacklisted by %(number)s") % {"number": listing.decision_number}
            )
    for patrol in record.patrols:
        i = index(_local_day(patrol.patrolled_at))
        if i is None:
            continue
        record.quarters[i].patrols += 1
        scrutinised.add(i)
        if patrol.finding:
            by_quarter[i][State.VIOLATION].append(
                _("patrol of %(day)s found a problem")
                % {"day": _local_day(patrol.patrolled_at).isoformat()}
            )
    for i, quarter in enumerate(record.quarters):
        rates = quarter.rates
        if rates.exceeded:
            by_quarter[i][State.VIOLATION].append(
                _("%(hours)s of %(checked)s pollutant-hours over the limit")
                % {"hours": rates.exceeded, "checked": rates.checked}
            )
        if rates.received:
            scrutinised.add(i)
            by_quarter[i][State.CLEAN].append(
                _("%(hours)s hours of monitoring data, %(rate)s%% compliant")
                % {"hours": rates.received, "rate": rates.compliance if rates.compliance is not None else "—"}
            )  # fmt: skip
        if quarter.patrols:
            by_quarter[i][State.CLEAN].append(_("%(count)s patrols") % {"count": quarter.patrols})
        found = by_quarter.get(i, {})
        for state in (State.SERIOUS, State.VIOLATION):
            if found.get(state):
                quarter.state = state
                quarter.reasons = found[state] + [
                    r for s in State.ORDER if s != state for r in found.get(s, [])
                ]
                break
        else:
            if i in scrutinised:
                quarter.state = State.CLEAN
                quarter.reasons = list(found.get(State.CLEAN, []))


def timeline(record: Record) -> list[Event]:
    """Everything that happened to the source, newest first."""
    events: list[Event] = []

    def add(day, at, kind, text, url=""):
        events.append(Event(day, at, kind, text, url))

    for row in record.permits:
        permit = row.permit
        what = f"{permit.number}（{permit.get_management_display()}）"
        add(permit.issued_on or permit.valid_from, None, "permit",
            _("Discharge permit %(permit)s issued, valid until %(until)s")
            % {"permit": what, "until": permit.valid_until.isoformat()})  # fmt: skip
        if permit.valid_until < record.today:
            add(permit.valid_until, None, "permit",
                _("Discharge permit %(permit)s expired") % {"permit": permit.number})  # fmt: skip
        if permit.revoked_on:
            add(permit.revoked_on, None, "permit",
                _("Discharge permit %(permit)s revoked") % {"permit": permit.number})  # fmt: skip
    for patrol in record.patrols:
        day = _local_day(patrol.patrolled_at)
        text = _("Patrolled by %(worker)s") % {"worker": patrol.worker}
        if patrol.finding:
            text = _("Patrolled by %(worker)s: problem found") % {"worker": patrol.worker}
            if patrol.note:
                text += f" — {patrol.note[:120]}"
        add(day, patrol.patrolled_at, "finding" if patrol.finding else "patrol", text)
    for case in record.cases:
        add(_local_day(case.registered_at), case.registered_at, "case",
            _("Case %(number)s registered (%(channel)s, %(category)s)")
            % {"number": case.number, "channel": case.get_channel_display(),
               "category": case.get_category_display()}, case.get_absolute_url())  # fmt: skip
        if case.verified_at and case.outcome:
            text = _("Case %(number)s verified: %(outcome)s") % {
                "number": case.number, "outcome": case.get_outcome_display()}  # fmt: skip
            if case.decision_number:
                text += f" {case.decision_number}"
            if case.penalty_amount is not None:
                text += f" {case.penalty_amount:,.2f} " + _("yuan")
            add(_local_day(case.verified_at), case.verified_at, "case", text,
                case.get_absolute_url())  # fmt: skip
        if case.closed_at:
            add(_local_day(case.closed_at), case.closed_at, "case",
                _("Case %(number)s closed") % {"number": case.number},
                case.get_absolute_url())  # fmt: skip
    for alarm in record.alarms:
        text = _("Alarm at %(point)s: %(kind)s %(code)s") % {
            "point": alarm.point.name, "kind": alarm.get_kind_display(), "code": alarm.code}  # fmt: skip
        add(_local_day(alarm.first_time), alarm.first_time, "alarm", text.strip(),
            alarm.get_absolute_url())  # fmt: skip
    for problem in record.problems:
        add(problem.batch.received_on, None, "problem",
            _("Rectification problem: %(problem)s (%(state)s)")
            % {"problem": problem, "state": problem.get_state_display()},
            problem.get_absolute_url())  # fmt: skip
        if problem.closed_on:
            add(problem.closed_on, None, "problem",
                _("Rectification problem closed out: %(problem)s") % {"problem": problem},
                problem.get_absolute_url())  # fmt: skip
    for score in record.credit:
        assessment = score.assessment
        add(timezone.localdate(assessment.published_at), assessment.published_at, "credit",
            _("Credit rating %(period)s published: %(grade)s")
            % {"period": assessment.period, "grade": score.get_grade_display()},
            score.get_absolute_url())  # fmt: skip
        for repair in score.repairs.all():
            if repair.decided_at and repair.state == "approved":
                add(timezone.localdate(repair.decided_at), repair.decided_at, "credit",
                    _("Credit repaired: %(before)s → %(after)s")
                    % {"before": repair.get_grade_before_display(),
                       "after": repair.get_grade_after_display()},
                    score.get_absolute_url())  # fmt: skip
    for listing in record.listings:
        add(listing.listed_on, None, "listing",
            _("Blacklisted by %(number)s until %(until)s")
            % {"number": listing.decision_number, "until": listing.bar_until.isoformat()})  # fmt: skip
        if listing.removed_on:
            add(listing.removed_on, None, "listing",
                _("Removed from the blacklist: %(reason)s") % {"reason": listing.removal_reason})  # fmt: skip
        elif listing.bar_until < record.today:
            add(listing.bar_until, None, "listing",
                _("Bar of %(number)s expired") % {"number": listing.decision_number})  # fmt: skip
    for override in record.overrides:
        add(_local_day(override.at), override.at, "override",
            _("Bar overridden for %(subject)s %(label)s: %(reason)s")
            % {"subject": override.get_subject_display(), "label": override.label,
               "reason": override.reason})  # fmt: skip
    midnight = datetime.time()
    events.sort(
        key=lambda e: (e.day, timezone.localtime(e.at).time() if e.at else midnight),
        reverse=True,
    )
    return events


def record_data(record: Record, *, events: int | None = None) -> dict:
    """The record as plain data (the API's and the export's)."""
    source = record.source
    return {
        "id": source.pk,
        "name": source.name,
        "uscc": source.uscc,
        "address": source.address,
        "grid": source.grid.name if source.grid_id else "",
        "type": source.type.name,
        "key": source.key,
        "status": source.status,
        "jurisdiction": source.jurisdiction.name,
        "permits": [
            {
                "id": row.permit.pk,
                "number": row.permit.number,
                "management": row.permit.management,
                "issuer": row.permit.issuer,
                "issued_on": row.permit.issued_on,
                "valid_from": row.permit.valid_from,
                "valid_until": row.permit.valid_until,
                "revoked_on": row.permit.revoked_on,
                "status": row.status,
                "pollutants": row.permit.pollutants or [],
            }
            for row in record.permits
        ],  # fmt: skip
        "points": [
            {"id": p.pk, "name": p.name, "mn": p.mn, "kind": p.kind, "active": p.active}
            for p in record.points
        ],
        "quarters": [
            {
                "quarter": q.label,
                "start": q.start,
                "state": q.state,
                "reasons": q.reasons,
                "checked_hours": q.rates.checked,
                "compliant_hours": q.rates.compliant,
                "exceeded_hours": q.rates.exceeded,
                "compliance_rate": q.rates.compliance,
                "patrols": q.patrols,
            }
            for q in record.quarters
        ],  # fmt: skip
        "cases": [
            {
                "id": c.pk,
                "number": c.number,
                "channel": c.channel,
                "category": c.category,
                "state": c.state,
                "registered_at": c.registered_at,
                "verified_at": c.verified_at,
                "closed_at": c.closed_at,
                "outcome": c.outcome,
                "decision_number": c.decision_number,
                "penalty_amount": c.penalty_amount,
            }
            for c in record.cases
        ],  # fmt: skip
        "patrols": [
            {
                "id": p.pk,
                "patrolled_at": p.patrolled_at,
                "finding": p.finding,
                "note": p.note,
                "case": getattr(getattr(_finding(p), "case", None), "number", ""),
            }
            for p in record.patrols
        ],  # fmt: skip
        "problems": [
            {
                "id": p.pk,
                "batch": p.batch.title,
                "seq": p.seq,
                "state": p.state,
                "closed_on": p.closed_on,
                "case": p.case.number if p.case_id else "",
            }
            for p in record.problems
        ],  # fmt: skip
        "listings": [
            {
                "id": x.pk,
                "decision_number": x.decision_number,
                "ground": x.ground,
                "listed_on": x.listed_on,
                "bar_until": x.bar_until,
                "removed_on": x.removed_on,
                "in_force": x.in_force_on(record.today),
            }
            for x in record.listings
        ],  # fmt: skip
        "overrides": [
            {
                "id": o.pk,
                "decision_number": o.listing.decision_number,
                "subject": o.subject,
                "label": o.label,
                "reason": o.reason,
                "at": o.at,
            }
            for o in record.overrides
        ],  # fmt: skip
        "credit": [
            {
                "period": score.assessment.period,
                "scheme": score.assessment.scheme.name,
                "total": score.total,
                "grade": score.grade,
                "standing": score.repaired_grade or score.grade,
                "vetoed": score.vetoed,
                "published_at": score.assessment.published_at,
            }
            for score in record.credit
        ],  # fmt: skip
        "timeline": [
            {"day": e.day, "at": e.at, "kind": e.kind, "text": e.text}
            for e in (record.timeline if events is None else record.timeline[:events])
        ],
        "timeline_total": len(record.timeline),
    }


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


def _when(moment) -> str:
    if moment is None:
        return ""
    if isinstance(moment, datetime.datetime):
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    return moment.isoformat()


def record_workbook(record: Record) -> bytes:
    """The record as an Excel workbook: identity, permits, quarters, cases, patrols and
    the timeline, one sheet each."""
    from ecogov.assess.models import Grade
    from ecogov.spreadsheets import tables_workbook

    source = record.source
    identity = [
        (_("Name"), source.name), (_("Unified social credit code"), source.uscc),
        (_("Address"), source.address), (_("Jurisdiction"), source.jurisdiction.name),
        (_("Grid"), source.grid.name if source.grid_id else ""), (_("Type"), source.type.name),
        (_("Key source"), _yes(source.key)), (_("Status"), source.get_status_display()),
        (_("On the blacklist now"), record.listed_now.decision_number if record.listed_now else _("no")),
        (_("Penalties (yuan)"), f"{record.penalties:.2f}"),
    ]  # fmt: skip
    permits = [
        (r.permit.number, r.permit.get_management_display(), r.permit.issuer,
         _when(r.permit.issued_on), _when(r.permit.valid_from), _when(r.permit.valid_until),
         r.status_label,
         "；".join(f"{p.get('name') or p.get('factor')} {p.get('limit')} {p.get('unit')}".strip()
                  for p in r.permit.pollutants or []))
        for r in record.permits
    ]  # fmt: skip
    quarters = [
        (q.label, q.state_label, q.rates.checked, q.rates.compliant, q.rates.exceeded,
         q.rates.compliance if q.rates.compliance is not None else "", q.patrols,
         "；".join(q.reasons))
        for q in reversed(record.quarters)
    ]  # fmt: skip
    cases = [
        (c.number, c.get_channel_display(), c.get_category_display(), c.get_state_display(),
         _when(c.registered_at), _when(c.verified_at), _when(c.closed_at),
         c.get_outcome_display() if c.outcome else "", c.decision_number,
         c.penalty_amount if c.penalty_amount is not None else "")
        for c in record.cases
    ]  # fmt: skip
    patrols = [
        (_when(p.patrolled_at), str(p.worker), _yes(p.finding), p.note) for p in record.patrols
    ]
    events = [(_when(e.at or e.day), e.kind, e.text) for e in record.timeline]
    credit = [
        (score.assessment.period, score.assessment.scheme.name, score.total,
         score.get_grade_display(),
         Grade(score.repaired_grade).label if score.repaired_grade else "",
         _when(score.assessment.published_at))
        for score in record.credit
    ]  # fmt: skip
    return tables_workbook([
        dict(sheet_title=_("Identity"), title=source.name, header=(_("Item"), _("Value")),
             rows=identity, widths=(24, 60)),
        dict(sheet_title=_("Permits"), header=(
            _("Permit number"), _("Management class"), _("Issued by"), _("Issued on"),
            _("Valid from"), _("Valid until"), _("Status"), _("Permitted pollutants")),
             rows=permits, widths=(24, 18, 18, 12, 12, 12, 10, 50)),
        dict(sheet_title=_("Quarters"), header=(
            _("Quarter"), _("State"), _("Checked hours"), _("Compliant hours"),
            _("Exceeded hours"), _("Compliance rate (%)"), _("Patrols"), _("Why")),
             rows=quarters, widths=(10, 14, 12, 12, 12, 12, 8, 60)),
        dict(sheet_title=_("Cases"), header=(
            _("Case number"), _("Channel"), _("Category"), _("State"), _("Registered at"),
            _("Verified at"), _("Closed at"), _("Legal outcome"), _("Penalty decision number"),
            _("Penalty (yuan)")), rows=cases, widths=(16, 14, 10, 12, 16, 16, 16, 20, 24, 14)),
        dict(sheet_title=_("Patrols"), header=(
            _("Patrolled at"), _("By"), _("Problem found?"), _("What was seen")),
             rows=patrols, widths=(16, 16, 10, 60)),
        dict(sheet_title=_("Timeline"), header=(_("When"), _("Kind"), _("What")),
             rows=events, widths=(16, 10, 80)),
        dict(sheet_title=_("Credit"), header=(
            _("Period"), _("Rating"), _("Score"), _("Grade"), _("After credit repair"),
            _("Published")), rows=credit, widths=(10, 30, 10, 30, 30, 12)),
    ])  # fmt: skip
