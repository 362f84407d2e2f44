"""The life of an assessment: a scheme drawn up and checked, a period computed from the
record (as a draft, again as often as wanted with the same result), manual bonus and
deduction items and recorded vetoes with their evidence, released to the assessed bodies
for objections within a number of working days, objections decided, then published with
its ranking.

Bad input raises ValidationError and changes nothing; a step the person may not take
raises PermissionDenied.
"""

import datetime
import hashlib
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ecogov import access
from ecogov.accounts.models import Role
from ecogov.assess.indicators import INCIDENT, RULES, VETO_RULES, Fact
from ecogov.assess.models import (
    Assessment,
    Bodies,
    Grade,
    Indicator,
    Line,
    Method,
    Objection,
    PeriodKind,
    Scheme,
    Score,
    Trace,
    Veto,
)
from ecogov.org.models import Unit
from ecogov.sources.models import Source
from ecogov.standards.workdays import CalendarUnknown
from ecogov.supervision.clocks import calendar
from ecogov.supervision.notify import Message, notify, people_of
from ecogov.supervision.services import check_evidence, moment, require, text_of

CENT = Decimal("0.01")
UNIT_KINDS = (Unit.Kind.DEPARTMENT, Unit.Kind.GOVERNMENT_OFFICE, Unit.Kind.CENTRE,
              Unit.Kind.POLICE, Unit.Kind.PARTY_ORGAN, Unit.Kind.OTHER)  # fmt: skip
TOWNSHIP_KINDS = (Unit.Kind.TOWNSHIP_GOVERNMENT, Unit.Kind.STREET_OFFICE)
PERIOD = re.compile(r"^(\d{4})(?:Q([1-4]))?$")


def cents(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def points_of(value, what: str, *, required=True, negative=False) -> Decimal | None:
    """A number of points as it enters (a form, the API, the command line)."""
    if value in (None, ""):
        require(not required, _("%(what)s is required.") % {"what": what})
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("%(what)s must be a number.") % {"what": what}) from None
    require(number.is_finite() and abs(number) < 10000,
            _("%(what)s must be a number.") % {"what": what})  # fmt: skip
    require(negative or number >= 0, _("%(what)s may not be negative.") % {"what": what})
    return cents(number)


# --- who --------------------------------------------------------------------------------


def runs(user, scheme: Scheme) -> bool:
    """The bureau's dispatchers of the jurisdiction and administrators run assessments."""
    return access.dispatches(user, scheme.jurisdiction_id)


def _require_runs(user, scheme: Scheme) -> None:
    require(runs(user, scheme), _("Only the bureau runs assessments."), permission=True)


# --- periods ----------------------------------------------------------------------------


def period_bounds(kind: str, text: str) -> tuple[datetime.date, datetime.date]:
    """2026Q4 → 1 Oct–31 Dec 2026 for a quarterly scheme; 2026 → the year."""
    match = PERIOD.match((text or "").strip().upper())
    if not match:
        raise ValidationError(_("A period is a year (2026) or a quarter (2026Q4)."))
    year, quarter = int(match[1]), match[2]
    require(2000 <= year <= 2100, _("A period is a year (2026) or a quarter (2026Q4)."))
    if kind == PeriodKind.QUARTER:
        require(quarter is not None, _("This scheme assesses quarters: give one like 2026Q4."))
        first = (int(quarter) - 1) * 3 + 1
        start = datetime.date(year, first, 1)
        end = datetime.date(year + (first == 10), 1 if first == 10 else first + 3, 1)
        return start, end - datetime.timedelta(days=1)
    require(quarter is None, _("This scheme assesses years: give one like 2026."))
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def period_name(kind: str, day: datetime.date) -> str:
    if kind == PeriodKind.QUARTER:
        return f"{day.year}Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


def last_ended_period(kind: str, today: datetime.date) -> str:
    """The period that ended last before ``today``."""
    if kind == PeriodKind.QUARTER:
        first = datetime.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
        return period_name(kind, first - datetime.timedelta(days=1))
    return str(today.year - 1)


# --- schemes ----------------------------------------------------------------------------


def default_bodies(jurisdiction, bodies: str) -> list:
    """The bodies a scheme assesses unless it names them: the jurisdiction's member units,
    or its townships and streets, or for a credit rating its key enterprises in operation
    that have a credit code (环发〔2013〕150号 第三条: key monitored enterprises first)."""
    if bodies == Bodies.ENTERPRISES:
        return list(Source.objects.filter(jurisdiction=jurisdiction, key=True)
                    .exclude(status=Source.Status.CLOSED).exclude(uscc="")
                    .order_by("name", "pk"))  # fmt: skip
    kinds = TOWNSHIP_KINDS if bodies == Bodies.TOWNSHIPS else UNIT_KINDS
    return list(Unit.objects.filter(jurisdiction=jurisdiction, is_active=True, kind__in=kinds))


def scheme_bodies(scheme: Scheme) -> list:
    """The units, or the enterprises, the scheme assesses, in their order."""
    if scheme.bodies == Bodies.ENTERPRISES:
        return list(scheme.sources.order_by("name", "pk"))
    return list(scheme.units.order_by("order", "pk"))


def _set_bodies(scheme: Scheme, bodies: list) -> None:
    if scheme.bodies == Bodies.ENTERPRISES:
        scheme.sources.set(bodies)
    else:
        scheme.units.set(bodies)


def scheme_create(*, jurisdiction, code: str, name: str, period: str, bodies: str, by,
                  units=None, source="", at=None, **options) -> Scheme:  # fmt: skip
    require(access.dispatches(by, jurisdiction.pk), _("Only the bureau runs assessments."),
            permission=True)  # fmt: skip
    name = text_of(name, _("The name"), limit=200)
    code = text_of(code, _("The code"), limit=40)
    require(re.fullmatch(r"[-a-zA-Z0-9_]+", code) is not None,
            _("A code is made of letters, digits, - and _."))  # fmt: skip
    require(period in PeriodKind.values, _("A scheme assesses quarters or years."))
    require(bodies in Bodies.values, _("A scheme assesses member units or townships."))
    require(not Scheme.objects.filter(jurisdiction=jurisdiction, code=code).exists(),
            _("A scheme with this code exists; revise it for a new version."))  # fmt: skip
    units = list(units) if units is not None else default_bodies(jurisdiction, bodies)
    require(units, _("A scheme needs at least one assessed body."))
    expected = Source if bodies == Bodies.ENTERPRISES else Unit
    require(all(isinstance(u, expected) and u.jurisdiction_id == jurisdiction.pk for u in units),
            _("The assessed units must belong to the scheme's jurisdiction."))  # fmt: skip
    at, _day = moment(at)
    with transaction.atomic():
        scheme = Scheme(jurisdiction=jurisdiction, code=code, name=name, period=period,
                        bodies=bodies, source=text_of(source, "", required=False, limit=300),
                        created_at=at, created_by=by)  # fmt: skip
        for key, value in options.items():
            if key not in SETTINGS:
                raise TypeError(f"scheme_create() got an unknown setting {key!r}")
            setattr(scheme, key, value)
        _check_settings(scheme)
        scheme.save()
        _set_bodies(scheme, units)
    return scheme


SETTINGS = ("total", "bonus_cap", "excellent", "good", "pass_mark", "objection_workdays",
            "public", "auto_run")  # fmt: skip


def _check_settings(scheme: Scheme) -> None:
    for key in ("total", "bonus_cap", "excellent", "good", "pass_mark"):
        setattr(scheme, key, points_of(getattr(scheme, key), key))
    require(scheme.total > 0, _("Full marks must be more than 0."))
    require(scheme.pass_mark <= scheme.good <= scheme.excellent <= scheme.total,
            _("The grades must rise: passed ≤ good ≤ excellent ≤ full marks."))  # fmt: skip
    require(1 <= int(scheme.objection_workdays) <= 30,
            _("Objections are taken within 1 to 30 working days."))  # fmt: skip


def _require_editable(scheme: Scheme, by) -> None:
    _require_runs(by, scheme)
    require(scheme.state == Scheme.State.DRAFT and not scheme.assessments.exists(),
            _("This version was used; revise the scheme to change it."))  # fmt: skip


def indicator_add(scheme: Scheme, *, name: str, rule: str, method: str, weight, by,
                  per_event=None, cap=None, params=None, description="") -> Indicator:  # fmt: skip
    _require_editable(scheme, by)
    name = text_of(name, _("The indicator"), limit=100)
    known = RULES.get(rule)
    require(known is not None,
            _("The record cannot compute “%(rule)s”.") % {"rule": rule})  # fmt: skip
    require(scheme.bodies in known.bodies,
            _("“%(rule)s” cannot be computed for %(bodies)s.") % {
                "rule": known.label, "bodies": scheme.get_bodies_display()})  # fmt: skip
    require(method in Method.values, _("Unknown scoring method."))
    weight = points_of(weight, _("The weight"))
    require(weight > 0, _("The weight must be more than 0."))
    per_event = points_of(per_event, _("The deduction per event"), required=False)
    cap = points_of(cap, _("The cap"), required=False)
    require(method != Method.DEDUCT or (per_event and per_event > 0),
            _("A deduction per event must be more than 0."))  # fmt: skip
    require(cap is None or cap <= weight, _("Deductions cannot be capped above the weight."))
    params = params or {}
    require(isinstance(params, dict) and set(params) <= set(known.params),
            _("Unknown settings for this indicator."))  # fmt: skip
    order = scheme.indicators.count() + 1
    return Indicator.objects.create(
        scheme=scheme, order=order, name=name, rule=rule, method=method, weight=weight,
        per_event=per_event or Decimal(1), cap=cap, params=params,
        description=text_of(description, "", required=False, limit=2000),
    )  # fmt: skip


def indicator_remove(indicator: Indicator, *, by) -> None:
    _require_editable(indicator.scheme, by)
    indicator.delete()


def veto_add(scheme: Scheme, *, name: str, rule: str, by) -> Veto:
    _require_editable(scheme, by)
    name = text_of(name, _("The condition"), limit=100)
    require(rule == INCIDENT or (rule in VETO_RULES and scheme.bodies in VETO_RULES[rule].bodies),
            _("The record cannot compute “%(rule)s”.") % {"rule": rule})  # fmt: skip
    return Veto.objects.create(scheme=scheme, name=name, rule=rule)


def veto_remove(veto: Veto, *, by) -> None:
    _require_editable(veto.scheme, by)
    veto.delete()


def scheme_problems(scheme: Scheme) -> list[str]:
    """What keeps a scheme from being used: weights that do not add up, rules unknown."""
    problems = []
    indicators = list(scheme.indicators.all())
    if not indicators:
        problems.append(_("The scheme has no indicators."))
    weights = sum((i.weight for i in indicators), Decimal(0))
    if indicators and weights != scheme.total:
        problems.append(_("The weights add up to %(sum)s, not to the full marks %(total)s.") % {
            "sum": weights, "total": scheme.total})  # fmt: skip
    for indicator in indicators:
        known = RULES.get(indicator.rule)
        if known is None or scheme.bodies not in known.bodies:
            problems.append(_("The record cannot compute “%(name)s” for these bodies.") % {
                "name": indicator.name})  # fmt: skip
    for veto in scheme.vetoes.all():
        known = VETO_RULES.get(veto.rule)
        if veto.rule != INCIDENT and (known is None or scheme.bodies not in known.bodies):
            problems.append(_("The record cannot compute “%(name)s”.") % {"name": veto.name})
    if not scheme_bodies(scheme):
        problems.append(_("A scheme needs at least one assessed body."))
    return problems


def scheme_activate(scheme: Scheme, *, by) -> Scheme:
    _require_runs(by, scheme)
    problems = scheme_problems(scheme)
    require(not problems, " ".join(problems))
    return _activate(scheme)


def _activate(scheme: Scheme) -> Scheme:
    with transaction.atomic():
        Scheme.objects.filter(jurisdiction=scheme.jurisdiction_id, code=scheme.code,
                              state=Scheme.State.ACTIVE).update(state=Scheme.State.RETIRED)  # fmt: skip
        scheme.state = Scheme.State.ACTIVE
        scheme.save(update_fields=["state"])
    return scheme


def scheme_revise(scheme: Scheme, *, by, at=None) -> Scheme:
    """The next version: a copy to change; the results computed with this one keep it."""
    _require_runs(by, scheme)
    at, _day = moment(at)
    latest = Scheme.objects.filter(jurisdiction=scheme.jurisdiction_id, code=scheme.code)
    require(not latest.filter(state=Scheme.State.DRAFT).exists(),
            _("A new version of this scheme is being drawn up already."))  # fmt: skip
    version = max(s.version for s in latest) + 1
    with transaction.atomic():
        copy = Scheme.objects.get(pk=scheme.pk)
        bodies = scheme_bodies(scheme)
        copy.pk, copy.id, copy.version, copy.state = None, None, version, Scheme.State.DRAFT
        copy.created_at, copy.created_by = at, by
        copy.save()
        _set_bodies(copy, bodies)
        for indicator in scheme.indicators.all():
            indicator.pk, indicator.scheme = None, copy
            indicator.save()
        for veto in scheme.vetoes.all():
            veto.pk, veto.scheme = None, copy
            veto.save()
    return copy


# --- computing --------------------------------------------------------------------------


def _rate_line(indicator: Indicator, facts: list[Fact]):
    whole = sum((f.weight for f in facts), Decimal(0))
    if not whole:
        return indicator.weight, _("no records in the period: full marks"), []
    good = sum((f.weight * f.score for f in facts), Decimal(0))
    points = cents(indicator.weight * good / whole)
    traces = [(cents(-indicator.weight * f.weight * (1 - f.score) / whole), f)
              for f in facts if f.wrong]  # fmt: skip
    if all(f.weight == 1 and f.score in (0, 1) for f in facts):
        summary = _("%(good)d of %(whole)d right") % {"good": good, "whole": whole}
    else:
        summary = _("%(rate)s%% over %(n)d records") % {
            "rate": cents(100 * good / whole), "n": len(facts)}  # fmt: skip
    return points, summary, traces


def _deduct_line(indicator: Indicator, facts: list[Fact]):
    cap = indicator.cap if indicator.cap is not None else indicator.weight
    left, traces = cap, []
    for fact in (f for f in facts if f.wrong):
        cost = min(indicator.per_event, left)
        left -= cost
        traces.append((-cost, fact))
    deducted = cap - left
    wrong = len(traces)
    summary = _("%(n)d events, %(points)s points deducted") % {"n": wrong, "points": deducted}
    if wrong and not left:
        summary += _(" (capped)")
    return indicator.weight - deducted, summary, traces


def _add_traces(line: Line, traces) -> None:
    Trace.objects.bulk_create(
        Trace(line=line, points=points, ref=f.ref[:40], label=f.label[:100], url=f.url[:200],
              note=f.note[:300], on=f.on)
        for points, f in traces
    )  # fmt: skip


def _compute(assessment: Assessment, today: datetime.date) -> None:
    scheme = assessment.scheme
    bodies = scheme_bodies(scheme)
    field = "source" if scheme.bodies == Bodies.ENTERPRISES else "unit"
    scores = {}
    for body in bodies:
        scores[body.pk], _new = Score.objects.get_or_create(assessment=assessment, **{field: body})
    Line.objects.filter(score__assessment=assessment, kind=Line.Kind.COMPUTED).delete()
    Line.objects.filter(score__assessment=assessment, kind=Line.Kind.VETO,
                        entered_by=None).delete()  # fmt: skip
    start, end = assessment.start, assessment.end
    for indicator in scheme.indicators.all():
        found = RULES[indicator.rule].compute(bodies, start, end, today, indicator.params)
        for unit in bodies:
            facts = found.get(unit.pk, [])
            score_line = _rate_line if indicator.method == Method.RATE else _deduct_line
            points, summary, traces = score_line(indicator, facts)
            line = Line.objects.create(
                score=scores[unit.pk], kind=Line.Kind.COMPUTED, indicator=indicator,
                name=indicator.name, computed=points, points=points, summary=summary[:300],
            )  # fmt: skip
            _add_traces(line, traces)
    for veto in scheme.vetoes.exclude(rule=INCIDENT):
        found = VETO_RULES[veto.rule].compute(bodies, start, end, today, {})
        for unit in bodies:
            facts = found.get(unit.pk, [])
            if facts:
                line = Line.objects.create(
                    score=scores[unit.pk], kind=Line.Kind.VETO, veto=veto, name=veto.name,
                    computed=Decimal(0), points=Decimal(0),
                    summary=_("%(n)d records") % {"n": len(facts)},
                )  # fmt: skip
                _add_traces(line, [(Decimal(0), f) for f in facts])
    _settle(assessment)


def _settle(assessment: Assessment) -> None:
    """Each body's total, grade and rank from its lines; the digest of the result."""
    scheme = assessment.scheme
    scores = list(assessment.scores.select_related("unit", "source").prefetch_related("lines"))
    for score in scores:
        lines = list(score.lines.all())
        computed = sum((ln.points for ln in lines if ln.kind == Line.Kind.COMPUTED), Decimal(0))
        manual = [ln.points for ln in lines if ln.kind == Line.Kind.MANUAL]
        bonus = min(sum((p for p in manual if p > 0), Decimal(0)), scheme.bonus_cap)
        minus = sum((p for p in manual if p < 0), Decimal(0))
        score.total = max(Decimal(0), cents(computed + bonus + minus))
        score.vetoed = any(ln.kind == Line.Kind.VETO for ln in lines)
        score.grade = _grade(scheme, score)
    scores.sort(key=lambda s: (s.vetoed, -s.total, *body_order(s)))
    previous, rank = None, 0
    for place, score in enumerate(scores, start=1):
        if previous is None or (score.vetoed, score.total) != previous:
            rank = place
        previous = (score.vetoed, score.total)
        score.rank = rank
    Score.objects.bulk_update(scores, ["total", "vetoed", "grade", "rank"])
    assessment.digest = digest_of(assessment)
    assessment.save(update_fields=["digest"])


def body_order(score: Score) -> tuple:
    """Among equal scores: units in their order, enterprises by name."""
    if score.unit_id:
        return (score.unit.order, "", score.unit.pk)
    return (0, score.source.name, score.source.pk)


def _grade(scheme: Scheme, score: Score) -> str:
    if scheme.bodies == Bodies.ENTERPRISES:  # the credit grades; a veto gives red
        if score.vetoed or score.total < scheme.pass_mark:
            return Grade.RED
        if score.total >= scheme.excellent:
            return Grade.GREEN
        return Grade.BLUE if score.total >= scheme.good else Grade.YELLOW
    if score.vetoed or score.total < scheme.pass_mark:
        return Grade.FAILED
    if score.total >= scheme.excellent:
        return Grade.EXCELLENT
    if score.total >= scheme.good:
        return Grade.GOOD
    return Grade.PASSED


def digest_of(assessment: Assessment) -> str:
    """A digest of every line and trace: the same record gives the same digest."""
    parts = []
    lines = Line.objects.filter(score__assessment=assessment).select_related("score")
    lines = lines.order_by("score__unit_id", "score__source_id", "kind", "indicator_id", "veto_id",
                           "name", "pk")  # fmt: skip
    for line in lines:
        body = line.score.unit_id or f"s{line.score.source_id}"
        parts.append(f"{body}|{line.kind}|{line.name}|{line.points}|{line.summary}")
        for trace in line.traces.order_by("ref", "note", "points"):
            parts.append(f" {trace.ref}|{trace.note}|{trace.points}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def assessment_run(
    scheme: Scheme, period: str, *, by=None, at=None, today: datetime.date | None = None
) -> Assessment:
    """Compute (or recompute) a period's draft from the record. ``by`` None is the job
    that runs when a period ends."""
    if by is not None:
        _require_runs(by, scheme)
    problems = scheme_problems(scheme)
    require(not problems, " ".join(problems))
    require(scheme.state != Scheme.State.RETIRED or scheme.assessments.filter(period=period).exists(),
            _("This version was superseded; run the version in force."))  # fmt: skip
    start, end = period_bounds(scheme.period, period)
    period = period_name(scheme.period, start)
    at, day = moment(at)
    today = today or day
    require(start <= today, _("The period has not begun."))
    others = Assessment.objects.filter(scheme__jurisdiction=scheme.jurisdiction_id,
                                       scheme__code=scheme.code, period=period)  # fmt: skip
    require(not others.exclude(scheme=scheme).exists(),
            _("This period was assessed with another version of the scheme."))  # fmt: skip
    with transaction.atomic():
        assessment = others.select_for_update().filter(scheme=scheme).first()
        if assessment is not None:
            require(assessment.state != Assessment.State.PUBLISHED,
                    _("A published assessment is never computed again."))  # fmt: skip
            require(assessment.state == Assessment.State.DRAFT,
                    _("The result was released to the assessed bodies; it changes only "
                      "through their objections."))  # fmt: skip
            assessment.computed_at = at
            assessment.save(update_fields=["computed_at"])
        else:
            assessment = Assessment.objects.create(
                scheme=scheme, period=period, start=start, end=end, computed_at=at
            )
        if scheme.state == Scheme.State.DRAFT:
            _activate(scheme)
        # The record is written in the district's language, whoever computes it.
        with translation.override(settings.LANGUAGE_CODE):
            _compute(assessment, today)
    return assessment


# --- manual items and recorded vetoes ------------------------------------------------------


def _require_draft(assessment: Assessment, by) -> None:
    _require_runs(by, assessment.scheme)
    require(assessment.state == Assessment.State.DRAFT,
            _("Manual items are entered while the result is a draft."))  # fmt: skip


def one_file(files, what: str):
    checked = check_evidence(files)
    require(len(checked) == 1, _("%(what)s needs one file of evidence.") % {"what": what})
    return checked[0]


def manual_add(score: Score, *, points, reason: str, files, by, at=None) -> Line:
    """A bonus (a commended practice) or a deduction (an inspection's finding), with its
    reason and evidence, shown as manual."""
    _require_draft(score.assessment, by)
    points = points_of(points, _("The points"), negative=True)
    require(points != 0, _("A manual item adds or deducts points."))
    reason = text_of(reason, _("The reason"), limit=2000)
    upload, kind = one_file(files, _("A manual item"))
    at, _day = moment(at)
    with transaction.atomic():
        line = Line.objects.create(
            score=score, kind=Line.Kind.MANUAL, name=reason[:200], points=points, reason=reason,
            evidence=upload, evidence_kind=kind, entered_by=by, entered_at=at,
        )  # fmt: skip
        _settle(score.assessment)
    return line


def incident_add(score: Score, *, veto: Veto, reason: str, files, by, at=None) -> Line:
    """A veto the bureau records (a major environmental incident in the body's area)."""
    _require_draft(score.assessment, by)
    require(veto.scheme_id == score.assessment.scheme_id and veto.rule == INCIDENT,
            _("The scheme has no such recorded veto condition."))  # fmt: skip
    reason = text_of(reason, _("The reason"), limit=2000)
    upload, kind = one_file(files, _("A veto"))
    at, _day = moment(at)
    with transaction.atomic():
        line = Line.objects.create(
            score=score, kind=Line.Kind.VETO, veto=veto, name=veto.name, points=Decimal(0),
            reason=reason, evidence=upload, evidence_kind=kind, entered_by=by, entered_at=at,
        )  # fmt: skip
        _settle(score.assessment)
    return line


def manual_remove(line: Line, *, by) -> None:
    _require_draft(line.score.assessment, by)
    require(line.entered_by_id is not None, _("Only manual items are removed."))
    with transaction.atomic():
        assessment = line.score.assessment
        line.delete()
        _settle(assessment)


# --- release, objections, publication ------------------------------------------------------


def assessment_release(assessment: Assessment, *, by, at=None) -> Assessment:
    """The draft goes to the assessed bodies, who may object within the window."""
    _require_runs(by, assessment.scheme)
    require(assessment.state == Assessment.State.DRAFT, _("Only a draft is released."))
    at, today = moment(at)
    try:
        until = calendar().add_workdays(today, assessment.scheme.objection_workdays)
    except CalendarUnknown as error:
        raise ValidationError(str(error)) from None
    with transaction.atomic():
        assessment.state, assessment.released_at = Assessment.State.RELEASED, at
        assessment.objections_until = until
        assessment.save(update_fields=["state", "released_at", "objections_until"])
        message = Message(
            _("Assessment %(name)s: your result, objections until %(until)s") % {
                "name": assessment, "until": until},
            url=assessment.get_absolute_url(),
        )  # fmt: skip
        notify(people_of(units=assessment.scheme.units.all()), message, at)
    return assessment


def objections_open(assessment: Assessment, today: datetime.date) -> bool:
    """Whether the assessed bodies may still object (released, inside the window)."""
    return (assessment.state == Assessment.State.RELEASED
            and assessment.objections_until is not None
            and today <= assessment.objections_until)  # fmt: skip


def ranking(assessment: Assessment, scores) -> tuple[list[Indicator], list[dict]]:
    """The ranking as pages and documents show it: per score, its computed lines in the
    scheme's order, its manual points and the names of its vetoes."""
    indicators = list(assessment.scheme.indicators.all())
    entries = {score.pk: {"cells": {}, "manual": Decimal(0), "vetoes": []} for score in scores}
    for line in Line.objects.filter(score__in=scores).select_related("indicator"):
        entry = entries[line.score_id]
        if line.kind == Line.Kind.COMPUTED:
            entry["cells"][line.indicator_id] = line
        elif line.kind == Line.Kind.MANUAL:
            entry["manual"] += line.points
        else:
            entry["vetoes"].append(line.name)
    rows = [{"score": score, "cells": [entries[score.pk]["cells"].get(i.pk) for i in indicators],
             "manual": entries[score.pk]["manual"], "vetoes": entries[score.pk]["vetoes"]}
            for score in scores]  # fmt: skip
    return indicators, rows


def may_object(user, score: Score) -> bool:
    """The assessed unit's liaison; for an enterprise, which has no account, the bureau
    enters the objection it received in writing during the publicity."""
    if score.source_id:
        return runs(user, score.assessment.scheme)
    return bool(user.is_authenticated and user.role == Role.LIAISON
                and user.unit_id == score.unit_id)  # fmt: skip


def objection_enter(line: Line, *, text: str, by, files, points=None, at=None) -> Objection:
    score, assessment = line.score, line.score.assessment
    require(may_object(by, score), _("Only the assessed unit objects to its lines."),
            permission=True)  # fmt: skip
    at, today = moment(at)
    require(objections_open(assessment, today),
            _("Objections are taken only while the result is open for them."))  # fmt: skip
    text = text_of(text, _("The objection"), limit=4000)
    points = points_of(points, _("The points claimed"), required=False, negative=True)
    require(not line.objections.filter(state=Objection.State.PENDING).exists(),
            _("An objection to this line is pending."))  # fmt: skip
    upload, kind = one_file(files, _("An objection"))
    with transaction.atomic():
        objection = Objection.objects.create(
            line=line, text=text, points_claimed=points, evidence=upload, evidence_kind=kind,
            entered_by=by, entered_at=at,
        )  # fmt: skip
        notify(people_of(units=[], roles=[Role.DISPATCHER],
                         jurisdiction=assessment.scheme.jurisdiction),
               Message(_("Objection to %(line)s by %(unit)s") % {
                   "line": line.name, "unit": score.body}, url=score.get_absolute_url()), at)  # fmt: skip
    return objection


def objection_decide(objection: Objection, *, accept: bool, reason: str, by, points=None,
                     at=None) -> Objection:  # fmt: skip
    """The bureau accepts (the line changes to the points it sets, with history) or
    rejects with a reason."""
    line = objection.line
    assessment = line.score.assessment
    _require_runs(by, assessment.scheme)
    require(objection.state == Objection.State.PENDING, _("This objection was decided."))
    require(assessment.state == Assessment.State.RELEASED,
            _("Objections are decided before the result is published."))  # fmt: skip
    reason = text_of(reason, _("The reason"), limit=4000)
    at, _day = moment(at)
    with transaction.atomic():
        objection.decision, objection.decided_by, objection.decided_at = reason, by, at
        if accept:
            points = points_of(points if points not in (None, "") else objection.points_claimed,
                               _("The points after the objection"), negative=True)  # fmt: skip
            if line.kind == Line.Kind.COMPUTED:
                require(points <= line.indicator.weight,
                        _("An indicator gives at most its weight."))  # fmt: skip
            objection.state = Objection.State.ACCEPTED
            objection.points_before, objection.points_after = line.points, points
            line.points = points
            line._change_reason = reason
            line.save(update_fields=["points"])
        else:
            objection.state = Objection.State.REJECTED
        objection.save()
        _settle(assessment)
        notify(people_of(units=[line.score.unit]),
               Message(_("Your objection to %(line)s was decided") % {"line": line.name},
                       url=line.score.get_absolute_url()), at)  # fmt: skip
    return objection


def assessment_publish(assessment: Assessment, *, by, number="", at=None) -> Assessment:
    _require_runs(by, assessment.scheme)
    at, today = moment(at)
    require(assessment.state == Assessment.State.RELEASED,
            _("A result is published after the assessed bodies had their window for "
              "objections."))  # fmt: skip
    require(
        today > assessment.objections_until,
        _("Objections are taken until %(day)s.") % {"day": assessment.objections_until},
    )
    require(not Objection.objects.filter(line__score__assessment=assessment,
                                         state=Objection.State.PENDING).exists(),
            _("Decide every objection first."))  # fmt: skip
    with transaction.atomic():
        assessment.state, assessment.published_at = Assessment.State.PUBLISHED, at
        assessment.published_by = by
        assessment.notice_number = text_of(number, "", required=False, limit=60)
        assessment.save()
        notify(people_of(units=assessment.scheme.units.all()),
               Message(_("Assessment %(name)s published") % {"name": assessment},
                       url=assessment.get_absolute_url()), at)  # fmt: skip
    return assessment


def period_end_run(today: datetime.date | None = None) -> list[Assessment]:
    """What the nightly job does: every scheme in force computes the period that ended,
    once; safe to repeat."""
    today = today or timezone.localdate()
    made = []
    for scheme in Scheme.objects.filter(state=Scheme.State.ACTIVE, auto_run=True):
        period = last_ended_period(scheme.period, today)
        if Assessment.objects.filter(
            scheme__jurisdiction=scheme.jurisdiction_id, scheme__code=scheme.code, period=period
        ).exists():
            continue
        if scheme_problems(scheme):
            continue
        made.append(assessment_run(scheme, period, today=today))
    return made
