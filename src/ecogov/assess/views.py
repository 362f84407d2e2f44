"""The assessment's pages: the schemes and results, a scheme with its indicators and
vetoes, a period's ranking, a body's score with every line, the records behind each
point, its manual items, vetoes and objections, the documents, and the portal's
published rankings."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecogov import access, uploads
from ecogov.assess import behind as behind_list
from ecogov.assess import credit, documents, services
from ecogov.assess.indicators import INCIDENT, RULES, VETO_RULES
from ecogov.assess.models import (
    Assessment,
    Bodies,
    Line,
    Method,
    Objection,
    PeriodKind,
    Repair,
    Scheme,
    Score,
    Trace,
)
from ecogov.params import form_id
from ecogov.spreadsheets import DOCX, download
from ecogov.supervision.models import Kind
from ecogov.supervision.services import OWN_KINDS
from ecogov.web.steps import take_step


def _section(request):
    request.section = "assessment"


def _home(user):
    return user.unit.jurisdiction if user.is_authenticated and user.unit_id else None


@login_required
def index(request):
    """考核: the schemes in force and being drawn up, and every period assessed."""
    _section(request)
    schemes = access.scope(request.user, Scheme).order_by("code", "-version")
    assessments = access.scope(request.user, Assessment).select_related("scheme")
    home = _home(request.user)
    context = {
        "schemes": schemes,
        "assessments": assessments.order_by("-end", "scheme__code"),
        "may_run": home is not None and access.dispatches(request.user, home.pk),
        "reads_behind": behind_list.reads(request.user),
        "periods": PeriodKind.choices,
        "bodies": Bodies.choices,
    }
    return render(request, "assess/index.html", context)


@login_required
@require_POST
def scheme_new(request):
    home = _home(request.user)
    if home is None or not access.dispatches(request.user, home.pk):
        raise PermissionDenied(_("Only the bureau runs assessments."))
    post = request.POST

    def create():
        scheme = services.scheme_create(
            jurisdiction=home, code=post.get("code", ""), name=post.get("name", ""),
            period=post.get("period", ""), bodies=post.get("bodies", ""),
            source=post.get("source", ""), by=request.user,
            public=post.get("public") == "on",
        )  # fmt: skip
        request.created = scheme
        return _("Scheme created: now add its indicators.")

    if take_step(request, "create", {"create"}, create):
        return redirect(request.created.get_absolute_url())
    return redirect("assess:index")


@login_required
def scheme_detail(request, pk: int):
    _section(request)
    scheme = access.obtain(request.user, Scheme, pk)
    context = {
        "scheme": scheme,
        "indicators": scheme.indicators.all(),
        "vetoes": scheme.vetoes.all(),
        "units": services.scheme_bodies(scheme),
        "versions": Scheme.objects.filter(jurisdiction=scheme.jurisdiction_id, code=scheme.code),
        "assessments": scheme.assessments.order_by("-end"),
        "problems": services.scheme_problems(scheme),
        "may_run": services.runs(request.user, scheme),
        "editable": scheme.state == Scheme.State.DRAFT and not scheme.assessments.exists(),
        "rules": [r for r in RULES.values() if scheme.bodies in r.bodies],
        "veto_rules": [
            (INCIDENT, _("recorded by the bureau with evidence")),
            *((r.name, r.label) for r in VETO_RULES.values() if scheme.bodies in r.bodies),
        ],  # fmt: skip
        "methods": Method.choices,
        "item_kinds": [(k.value, k.label) for k in Kind if k in OWN_KINDS],
        "suggested": services.last_ended_period(scheme.period, services.moment(None)[1]),
    }
    return render(request, "assess/scheme.html", context)


SCHEME_STEPS = {"indicator", "remove_indicator", "veto", "remove_veto", "activate", "revise", "run"}


@login_required
@require_POST
def scheme_act(request, pk: int, action: str):
    scheme = access.obtain(request.user, Scheme, pk)
    post, user = request.POST, request.user
    target = {"url": scheme.get_absolute_url()}

    def perform():
        if action == "indicator":
            params = {}
            if post.get("rule") == "items_on_time" and any(post.getlist("kinds")):
                params["kinds"] = [k for k in post.getlist("kinds") if k]
            services.indicator_add(
                scheme, name=post.get("name", ""), rule=post.get("rule", ""),
                method=post.get("method", ""), weight=post.get("weight"),
                per_event=post.get("per_event"), cap=post.get("cap"), params=params,
                description=post.get("description", ""), by=user,
            )  # fmt: skip
            return _("Indicator added.")
        if action == "remove_indicator":
            found = scheme.indicators.filter(pk=form_id(post.get("indicator"))).first()
            if found is None:
                raise Http404(_("No such indicator."))
            services.indicator_remove(found, by=user)
            return _("Indicator removed.")
        if action == "veto":
            services.veto_add(scheme, name=post.get("name", ""), rule=post.get("rule", ""), by=user)
            return _("Veto condition added.")
        if action == "remove_veto":
            found = scheme.vetoes.filter(pk=form_id(post.get("veto"))).first()
            if found is None:
                raise Http404(_("No such condition."))
            services.veto_remove(found, by=user)
            return _("Veto condition removed.")
        if action == "activate":
            services.scheme_activate(scheme, by=user)
            return _("The scheme is in force.")
        if action == "revise":
            target["url"] = services.scheme_revise(scheme, by=user).get_absolute_url()
            return _("A new version was made: change it, then put it in force.")
        assessment = services.assessment_run(scheme, post.get("period", ""), by=user)
        target["url"] = assessment.get_absolute_url()
        return _("Computed from the record: %(period)s.") % {"period": assessment.period}

    take_step(request, action, SCHEME_STEPS, perform)
    return redirect(target["url"])


@login_required
def assessment_detail(request, pk: int):
    _section(request)
    assessment = access.obtain(
        request.user, Assessment.objects.select_related("scheme__jurisdiction"), pk
    )
    scores = access.scope(request.user, assessment.scores.select_related("unit", "source"))
    scores = list(scores.order_by("rank", "unit__order", "source__name"))
    indicators, rows = services.ranking(assessment, scores)
    pending = Objection.objects.filter(line__score__assessment=assessment,
                                       state=Objection.State.PENDING)  # fmt: skip
    context = {
        "assessment": assessment,
        "scheme": assessment.scheme,
        "indicators": indicators,
        "rows": rows,
        "may_run": services.runs(request.user, assessment.scheme),
        "pending": access.scope(request.user, pending).select_related(
            "line__score__unit", "line__score__source"
        ),
        "chart": {
            "units": [r["score"].body.name for r in rows],
            "totals": [float(r["score"].total) for r in rows],
        },  # fmt: skip
    }
    return render(request, "assess/assessment.html", context)


ASSESSMENT_STEPS = {"recompute", "release", "publish"}


@login_required
@require_POST
def assessment_act(request, pk: int, action: str):
    assessment = access.obtain(request.user, Assessment, pk)
    user = request.user

    def perform():
        if action == "recompute":
            services.assessment_run(assessment.scheme, assessment.period, by=user)
            return _("Computed again from the record.")
        if action == "release":
            services.assessment_release(assessment, by=user)
            return _("Released to the assessed bodies for objections.")
        services.assessment_publish(assessment, by=user, number=request.POST.get("number", ""))
        return _("Published.")

    take_step(request, action, ASSESSMENT_STEPS, perform)
    return redirect(assessment.get_absolute_url())


@login_required
def assessment_docx(request, pk: int, which: str):
    assessment = access.obtain(request.user, Assessment, pk)
    if which not in ("ranking", "notice"):
        raise Http404(_("No such document."))
    if assessment.state == Assessment.State.DRAFT and not services.runs(
        request.user, assessment.scheme
    ):
        raise PermissionDenied(_("A draft's documents are the bureau's."))
    if which == "ranking":
        body, title = documents.ranking_docx(assessment), documents.ranking_title(assessment)
    else:
        body, title = documents.notice_docx(assessment), documents.notice_title(assessment)
    return download(body, f"{title}.docx", DOCX, ascii_name=f"assessment-{which}-{pk}.docx")


@login_required
def score_detail(request, pk: int):
    _section(request)
    score = access.obtain(
        request.user, Score.objects.select_related("assessment__scheme", "unit", "source"), pk
    )
    assessment = score.assessment
    lines = access.scope(
        request.user, score.lines.select_related("indicator", "veto", "entered_by")
    )
    lines = lines.prefetch_related(
        Prefetch("traces", queryset=Trace.objects.order_by("on", "pk")),
        Prefetch("objections", queryset=Objection.objects.select_related("entered_by", "decided_by")),
    )  # fmt: skip
    may_run = services.runs(request.user, assessment.scheme)
    today = services.moment(None)[1]
    context = {
        "score": score,
        "assessment": assessment,
        "scheme": assessment.scheme,
        "lines": lines,
        "may_run": may_run,
        "draft": assessment.state == Assessment.State.DRAFT,
        "may_object": services.may_object(request.user, score)
        and services.objections_open(assessment, today),
        "incidents": assessment.scheme.vetoes.filter(rule=INCIDENT),
        "trend": _trend(request.user, score),
        "credit": _credit(score, today),
    }
    return render(request, "assess/score.html", context)


def _credit(score: Score, today) -> dict | None:
    """What the score page shows of an enterprise's credit: its record, repairs."""
    if not score.source_id:
        return None
    repairs = list(score.repairs.all())
    first = credit.repair_from(score)
    return {
        "record_url": score.source.get_absolute_url(),
        "repairs": repairs,
        "pending": any(r.state == Repair.State.PENDING for r in repairs),
        "repair_from": first,
        "may_apply": first is not None and today >= first,
    }


def _trend(user, score: Score) -> list[Score]:
    """The body's scores in the periods of the same scheme that the user may see."""
    scores = access.scope(user, Score).filter(
        unit=score.unit_id, source=score.source_id, assessment__scheme__code=score.assessment.scheme.code,
        assessment__scheme__jurisdiction=score.assessment.scheme.jurisdiction_id,
    )  # fmt: skip
    return list(scores.select_related("assessment").order_by("assessment__end"))


SCORE_STEPS = {"manual", "incident", "remove", "object", "decide", "repair", "repair_decide"}


@login_required
@require_POST
def score_act(request, pk: int, action: str):
    score = access.obtain(request.user, Score, pk)
    post, user, files = request.POST, request.user, request.FILES.getlist("files")

    def line():
        found = access.scope(user, score.lines.all()).filter(pk=form_id(post.get("line"))).first()
        if found is None:
            raise Http404(_("No such line."))
        return found

    def perform():
        if action == "manual":
            services.manual_add(score, points=post.get("points"), reason=post.get("reason", ""),
                                files=files, by=user)  # fmt: skip
            return _("Manual item entered.")
        if action == "incident":
            veto = score.assessment.scheme.vetoes.filter(pk=form_id(post.get("veto"))).first()
            if veto is None:
                raise Http404(_("No such condition."))
            services.incident_add(score, veto=veto, reason=post.get("reason", ""), files=files,
                                  by=user)  # fmt: skip
            return _("Veto recorded.")
        if action == "remove":
            services.manual_remove(line(), by=user)
            return _("Manual item removed.")
        if action == "repair":
            credit.repair_apply(score, text=post.get("text", ""), files=files, by=user)
            return _("Credit repair application entered.")
        if action == "repair_decide":
            repair = score.repairs.filter(pk=form_id(post.get("repair"))).first()
            if repair is None:
                raise Http404(_("No such application."))
            decision = post.get("decision")
            if decision not in ("approve", "refuse"):  # a careless form decides nothing
                raise ValidationError(_("Choose to approve or to refuse the application."))
            credit.repair_decide(repair, approve=decision == "approve",
                                 reason=post.get("reason", ""), by=user)  # fmt: skip
            return _("Credit repair decided.")
        if action == "object":
            services.objection_enter(line(), text=post.get("text", ""), points=post.get("points"),
                                     files=files, by=user)  # fmt: skip
            return _("Objection sent to the bureau.")
        objection = Objection.objects.filter(
            pk=form_id(post.get("objection")), line__score=score
        ).first()
        if objection is None:
            raise Http404(_("No such objection."))
        services.objection_decide(objection, accept=post.get("decision") == "accept",
                                  reason=post.get("reason", ""), points=post.get("points"),
                                  by=user)  # fmt: skip
        return _("Objection decided.")

    take_step(request, action, SCORE_STEPS, perform)
    return redirect(score.get_absolute_url())


@login_required
def line_evidence(request, pk: int):
    line = access.obtain(request.user, Line, pk)
    if not line.evidence:
        raise Http404(_("No such file."))
    return uploads.serve(line.evidence, name=line.name, fallback="evidence")


@login_required
def objection_evidence(request, pk: int):
    objection = access.obtain(request.user, Objection, pk)
    return uploads.serve(objection.evidence, name=_("objection"), fallback="objection")


@login_required
def repair_evidence(request, pk: int):
    repair = access.obtain(request.user, Repair, pk)
    return uploads.serve(repair.evidence, name=_("credit repair"), fallback="repair")


@login_required
def behind(request):
    """谁在拖后腿: the leaders' page."""
    _section(request)
    if not behind_list.reads(request.user):
        raise PermissionDenied(_("This page is for the leaders, the bureau and the commission."))
    bodies = behind_list.bodies_behind(request.user)
    context = {
        "units": [b for b in bodies if not b.township],
        "townships": [b for b in bodies if b.township],
        "chart": behind_list.chart_of(bodies),
        "sanctions_installed": behind_list.apps.is_installed("ecogov.sanctions"),
    }
    return render(request, "assess/behind.html", context)


# --- the portal -------------------------------------------------------------------------


def _published():
    return Assessment.objects.filter(
        state=Assessment.State.PUBLISHED, scheme__public=True
    ).select_related("scheme__jurisdiction")


def public_list(request):
    """考核结果公开: the published rankings the schemes make public; no sign-in."""
    published = _published().order_by("-end", "scheme__code")
    return render(request, "assess/public_list.html", {
        "assessments": published.exclude(scheme__bodies=Bodies.ENTERPRISES),
        "credit": published.filter(scheme__bodies=Bodies.ENTERPRISES),
    })  # fmt: skip


def public_detail(request, pk: int):
    assessment = _published().filter(pk=pk).first()
    if assessment is None:
        raise Http404(_("No such published assessment."))
    scores = list(
        assessment.scores.select_related("unit", "source").order_by(
            "rank", "unit__order", "source__name"
        )
    )
    indicators, rows = services.ranking(assessment, scores)
    return render(request, "assess/public_detail.html",
                  {"assessment": assessment, "indicators": indicators, "rows": rows,
                   "title": documents.ranking_title(assessment)})  # fmt: skip
