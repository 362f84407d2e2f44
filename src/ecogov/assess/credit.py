"""The environmental credit rating of enterprises (企业环境信用评价办法（试行）,
环发〔2013〕150号): a scheme of the assessment whose bodies are enterprises (key
pollution sources with a credit code), whose indicators are computed from the record
below, and whose grades are the four colours — 环保诚信企业 (green), 环保良好企业
(blue), 环保警示企业 (yellow), 环保不良企业 (red). A veto (一票否决: an environmental
crime, building without an approved EIA, secret discharge, a major incident) gives red
whatever the score. Publicity with objections and publication are the assessment's.

Credit repair (信用修复): an enterprise rated yellow or red that has rectified applies
with evidence once the waiting time has passed (``ECOGOV_CREDIT_REPAIR_MONTHS``, per
grade); the bureau approves (the grade rises one step, the history keeps both) or
refuses with a reason.

The method groups its indicators in pollution prevention (污染防治), environmental
management (环境管理) and social supervision (社会监督); the rules here are the ones the
record can compute. A scheme's indicators say which it uses and with what weight.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecogov.assess.indicators import Fact, compliance_facts, local_day, rule
from ecogov.assess.models import CREDIT_GRADES, Assessment, Bodies, Grade, Repair, Score
from ecogov.assess.services import one_file, runs
from ecogov.domain.supervision import add_months
from ecogov.supervision.services import moment, require, text_of

ENTERPRISES = [Bodies.ENTERPRISES]
# What a violation found in a case is: any legal outcome but "no violation".
VIOLATION_OUTCOMES = ("rectified", "penalty", "sealed", "detention", "judiciary")
PUBLIC_CHANNELS = ("public", "hotline", "petition", "representative")
REPAIR_MONTHS = {Grade.YELLOW: 3, Grade.RED: 6}
# One step up: what an approved repair makes of a grade.
REPAIRED = {Grade.RED: Grade.YELLOW, Grade.YELLOW: Grade.BLUE}


def _closed_in(cases, start, end):
    """Cases whose result the bureau verified (or closed) within the period."""
    return cases.filter(verified_at__date__gte=start, verified_at__date__lte=end)


def _case_fact(case, note: str) -> Fact:
    return Fact(f"case:{case.pk}", case.number, case.get_absolute_url(), note,
                local_day(case.verified_at), score=Decimal(0))  # fmt: skip


# --- pollution prevention ------------------------------------------------------------


@rule("credit_compliance", gettext_lazy("discharges within the limits (online monitoring)"),
      bodies=ENTERPRISES)  # fmt: skip
def credit_compliance(bodies, start, end, today, params):
    from ecogov.monitoring.models import Point

    found = defaultdict(list)
    points = Point.objects.filter(source__in=bodies)
    for point, fact in compliance_facts(points, start, end, today):
        found[point.source_id].append(fact)
    return found


# --- environmental management ----------------------------------------------------------


@rule("credit_penalties", gettext_lazy("administrative penalties and orders"),
      bodies=ENTERPRISES)  # fmt: skip
def credit_penalties(bodies, start, end, today, params):
    """Each case verified in the period in which a violation by the enterprise was found
    (ordered to rectify, fined, sealed, transferred)."""
    from ecogov.cases.models import Case

    found = defaultdict(list)
    cases = _closed_in(Case.objects.filter(source__in=bodies, outcome__in=VIOLATION_OUTCOMES),
                       start, end)  # fmt: skip
    for case in cases.order_by("verified_at", "pk"):
        note = case.get_outcome_display()
        if case.penalty_amount:
            note += _(" %(amount)s yuan") % {"amount": f"{case.penalty_amount:,.0f}"}
        if case.decision_number:
            note += f"（{case.decision_number}）"
        found[case.source_id].append(_case_fact(case, note))
    return found


@rule("credit_permit", gettext_lazy("holds a valid discharge permit"), bodies=ENTERPRISES)
def credit_permit(bodies, start, end, today, params):
    """One record per enterprise: the permit valid at the period's end (or today), if any."""
    from ecogov.enterprises.models import Permit

    day = min(end, today)
    valid = {}
    for permit in Permit.objects.filter(source__in=bodies).order_by("valid_until", "pk"):
        if permit.valid_on(day):
            valid[permit.source_id] = permit
    found = defaultdict(list)
    for source in bodies:
        permit = valid.get(source.pk)
        if permit is not None:
            note = _("permit %(number)s valid until %(until)s") % {
                "number": permit.number, "until": permit.valid_until}  # fmt: skip
            found[source.pk].append(Fact(f"permit:{permit.pk}", permit.number,
                                         source.get_absolute_url(), note, day))  # fmt: skip
        else:
            found[source.pk].append(Fact(f"source:{source.pk}", source.name,
                                         source.get_absolute_url(),
                                         _("no valid discharge permit on %(day)s") % {"day": day},
                                         day, score=Decimal(0)))  # fmt: skip
    return found


@rule("credit_findings", gettext_lazy("problems found on patrol"), bodies=ENTERPRISES)
def credit_findings(bodies, start, end, today, params):
    from ecogov.patrols.models import Patrol

    found = defaultdict(list)
    patrols = Patrol.objects.filter(source__in=bodies, finding=True,
                                    patrolled_at__date__gte=start, patrolled_at__date__lte=end)  # fmt: skip
    for patrol in patrols.order_by("patrolled_at", "pk"):
        found[patrol.source_id].append(Fact(
            f"patrol:{patrol.pk}", patrol.patrolled_at.strftime("%Y-%m-%d"),
            reverse("source_detail", args=[patrol.source_id]),
            _("a problem was found on patrol"), local_day(patrol.patrolled_at), score=Decimal(0),
        ))  # fmt: skip
    return found


# --- social supervision -----------------------------------------------------------------


@rule("credit_complaints", gettext_lazy("public complaints found justified"),
      bodies=ENTERPRISES)  # fmt: skip
def credit_complaints(bodies, start, end, today, params):
    """Reports by the public (web, 12369, petitions, representatives) about the
    enterprise in which a violation was found."""
    from ecogov.cases.models import Case

    found = defaultdict(list)
    cases = _closed_in(Case.objects.filter(source__in=bodies, channel__in=PUBLIC_CHANNELS,
                                           outcome__in=VIOLATION_OUTCOMES), start, end)  # fmt: skip
    for case in cases.order_by("verified_at", "pk"):
        found[case.source_id].append(
            _case_fact(
                case, _("%(channel)s found justified") % {"channel": case.get_channel_display()}
            )
        )
    return found


# --- vetoes --------------------------------------------------------------------------------


@rule("credit_crime", gettext_lazy("an environmental violation was transferred to the judiciary"),
      bodies=ENTERPRISES, veto=True)  # fmt: skip
def credit_crime(bodies, start, end, today, params):
    from ecogov.cases.models import Case

    found = defaultdict(list)
    cases = _closed_in(Case.objects.filter(source__in=bodies, outcome="judiciary"), start, end)
    for case in cases.order_by("verified_at", "pk"):
        found[case.source_id].append(_case_fact(case, case.get_outcome_display()))
    return found


@rule("credit_blacklisted", gettext_lazy("put on the environmental blacklist"),
      bodies=ENTERPRISES, veto=True)  # fmt: skip
def credit_blacklisted(bodies, start, end, today, params):
    from ecogov.enterprises.models import Listing

    found = defaultdict(list)
    by_code = {source.uscc: source.pk for source in bodies if source.uscc}
    listings = Listing.objects.filter(uscc__in=by_code, listed_on__gte=start, listed_on__lte=end)
    for listing in listings.order_by("listed_on", "pk"):
        found[by_code[listing.uscc]].append(Fact(
            f"listing:{listing.pk}", listing.decision_number, listing.get_absolute_url(),
            listing.get_ground_display(), listing.listed_on, score=Decimal(0),
        ))  # fmt: skip
    return found


# --- grades and repair ------------------------------------------------------------------


def standing(score: Score) -> str:
    """The grade that holds now: raised by an approved repair, or as published."""
    return score.repaired_grade or score.grade


def credit_scores(source):
    """The enterprise's published credit results, newest first."""
    return (Score.objects.filter(source=source, assessment__state=Assessment.State.PUBLISHED,
                                 assessment__scheme__bodies=Bodies.ENTERPRISES)
            .select_related("assessment__scheme").prefetch_related("repairs")
            .order_by("-assessment__end", "-pk"))  # fmt: skip


def current_credit(source) -> Score | None:
    return credit_scores(source).first()


def repair_months(grade: str) -> int:
    months = getattr(settings, "ECOGOV_CREDIT_REPAIR_MONTHS", REPAIR_MONTHS)
    return int(months.get(grade, REPAIR_MONTHS.get(grade, 0)))


def repair_from(score: Score) -> datetime.date | None:
    """The first day a repair may be applied for, or None when the grade needs none: the
    grade's waiting time counted from the publication, or from the last approved repair
    (a red raised to yellow waits as a yellow before it may rise again)."""
    grade = standing(score)
    if grade not in REPAIRED or score.assessment.published_at is None:
        return None
    since = local_day(score.assessment.published_at)
    approved = [r.decided_at for r in score.repairs.all()
                if r.state == Repair.State.APPROVED and r.decided_at]  # fmt: skip
    if approved:
        since = max(since, local_day(max(approved)))
    return add_months(since, repair_months(grade))


def may_repair(user, score: Score) -> bool:
    return runs(user, score.assessment.scheme)


def repair_apply(score: Score, *, text: str, files, by, at=None) -> Repair:
    """The enterprise's application, entered by the bureau with its evidence."""
    require(may_repair(by, score), _("Only the bureau enters credit repair applications."),
            permission=True)  # fmt: skip
    require(score.source_id is not None and score.assessment.scheme.bodies == Bodies.ENTERPRISES,
            _("Only an enterprise's credit grade is repaired."))  # fmt: skip
    require(score.assessment.state == Assessment.State.PUBLISHED,
            _("A credit grade is repaired once it was published."))  # fmt: skip
    grade = standing(score)
    require(grade in REPAIRED,
            _("Only an enterprise rated yellow or red applies for credit repair."))  # fmt: skip
    at, today = moment(at)
    first = repair_from(score)
    require(today >= first,
            _("A %(grade)s enterprise may apply for credit repair from %(day)s.") % {
                "grade": Grade(grade).label, "day": first})  # fmt: skip
    require(not score.repairs.filter(state=Repair.State.PENDING).exists(),
            _("An application for this grade is pending."))  # fmt: skip
    from ecogov.enterprises.bar import listing_on

    listing = listing_on(score.source.uscc, today)
    require(listing is None,
            _("An enterprise on the blacklist (%(number)s, until %(until)s) cannot repair its credit.")
            % {"number": listing.decision_number if listing else "",
               "until": listing.bar_until if listing else ""})  # fmt: skip
    text = text_of(text, _("What was rectified"), limit=4000)
    upload, kind = one_file(files, _("A credit repair application"))
    return Repair.objects.create(score=score, text=text, evidence=upload, evidence_kind=kind,
                                 applied_at=at, entered_by=by, grade_before=grade)  # fmt: skip


def repair_decide(repair: Repair, *, approve: bool, reason: str, by, at=None) -> Repair:
    score = repair.score
    require(may_repair(by, score), _("Only the bureau decides credit repair."), permission=True)
    require(repair.state == Repair.State.PENDING, _("This application was decided."))
    require(standing(score) == repair.grade_before,
            _("The grade changed since the application; decide it again on a new one."))  # fmt: skip
    reason = text_of(reason, _("The reason"), limit=4000)
    at, _day = moment(at)
    with transaction.atomic():
        repair.decision, repair.decided_by, repair.decided_at = reason, by, at
        if approve:
            repair.state, repair.grade_after = Repair.State.APPROVED, REPAIRED[repair.grade_before]
            score.repaired_grade = repair.grade_after
            score.save(update_fields=["repaired_grade"])
        else:
            repair.state = Repair.State.REFUSED
        repair.save()
    return repair


def grade_css(grade: str) -> str:
    """The colour class of a credit grade on pages."""
    return grade if grade in CREDIT_GRADES else ""
