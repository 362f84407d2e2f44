"""The consultations' staff pages under /consultations/: the list, a new draft, each
consultation's page with the steps the person may take (open, moderate the comments,
announce and record a hearing, close, answer the comments and publish the response).
Who sent a comment is shown only to those ``rules.may_see_commenters`` allows."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecogov import access
from ecogov.accounts.models import Role
from ecogov.consultations import rules, services
from ecogov.consultations.models import Answer, Comment, Consultation, Document, Hearing, Kind
from ecogov.enterprises.models import Project
from ecogov.org.models import Unit
from ecogov.params import form_id
from ecogov.sanctions.forms import datetime_field, field
from ecogov.supervision.actions import date_field
from ecogov.uploads import serve
from ecogov.web.steps import take_step


def _reader(user) -> None:
    if access.is_admin(user):
        return
    if not user.unit_id or user.role == Role.GRID_WORKER:
        raise PermissionDenied(_("Consultations are not yours to see."))


def _may_create(user) -> bool:
    return access.is_admin(user) or (
        bool(user.unit_id) and user.role in (Role.DISPATCHER, Role.LIAISON)
    )


def _organisers(user):
    if user.role == Role.LIAISON:
        return Unit.objects.filter(pk=user.unit_id)
    units = Unit.objects.filter(is_active=True).order_by("jurisdiction", "order", "name")
    if user.unit_id:
        units = units.filter(jurisdiction=user.unit.jurisdiction_id)
    return units


def _project(post, jurisdiction):
    number = form_id(post.get("project"))
    if not str(post.get("project") or "").strip():
        return None
    found = Project.objects.filter(pk=number).first() if number else None
    if found is None:
        raise ValidationError(_("Choose %(what)s from the list.") % {"what": _("a project")})
    return found


def _error(request, error: ValidationError) -> None:
    messages.error(request, "；".join(error.messages))


@login_required
def index(request):
    _reader(request.user)
    services.consultations_close_due()
    consultations = access.scope(request.user, Consultation).select_related("organiser")
    return render(request, "consultations/index.html", {
        "consultations": consultations[:300], "may_create": _may_create(request.user),
    })  # fmt: skip


def _form_fields(request):
    post = request.POST
    return {
        "kind": field(post, "kind"), "title": field(post, "title"),
        "summary": field(post, "summary"), "body": field(post, "body"),
        "closes_on": date_field(post, "closes_on", _("The last day")),
        "files": request.FILES.getlist("documents"), "by": request.user,
    }  # fmt: skip


def _form(request, consultation=None):
    post = request.POST if request.method == "POST" else {}
    if consultation is not None and not post:
        post = {"kind": consultation.kind, "title": consultation.title,
                "summary": consultation.summary, "body": consultation.body,
                "closes_on": consultation.closes_on.isoformat(),
                "organiser": str(consultation.organiser_id),
                "project": str(consultation.project_id or "")}  # fmt: skip
    return render(request, "consultations/form.html", {
        "post": post, "consultation": consultation, "kinds": Kind.choices,
        "organisers": _organisers(request.user),
        "projects": Project.objects.order_by("-pk").only("pk", "name")[:200],
        "min_days": services.min_days(),
    })  # fmt: skip


@login_required
def new(request):
    user = request.user
    if not _may_create(user):
        raise PermissionDenied(_("Only the ecology bureau's dispatchers and the units' liaisons "
                                 "draft consultations."))  # fmt: skip
    if request.method == "POST":
        try:
            organiser = _organisers(user).filter(pk=form_id(request.POST.get("organiser"))).first()
            if organiser is None:
                raise ValidationError(_("Choose the organising unit."))
            consultation = services.consultation_create(
                jurisdiction=organiser.jurisdiction, organiser=organiser,
                project=_project(request.POST, organiser.jurisdiction), **_form_fields(request),
            )  # fmt: skip
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("Draft saved: check it, then open it for comments."))
            return redirect(consultation)
    return _form(request)


@login_required
def edit(request, pk: int):
    consultation = access.obtain(request.user, Consultation, pk, access.CHANGE)
    if request.method == "POST":
        try:
            services.consultation_update(
                consultation, project=_project(request.POST, consultation.jurisdiction),
                **_form_fields(request),
            )  # fmt: skip
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("Draft saved."))
            return redirect(consultation)
    return _form(request, consultation)


@login_required
def detail(request, pk: int):
    consultation = access.obtain(
        request.user, Consultation.private_objects.select_related("organiser", "project"), pk
    )
    comments = list(consultation.comments.select_related("answer").order_by("number"))
    identities = rules.commenters_for(request.user, consultation)
    for comment in comments:
        comment.identity = identities.get(comment.pk)
    return render(request, "consultations/detail.html", {
        "consultation": consultation,
        "comments": comments,
        "sees_identities": rules.may_see_commenters(request.user, consultation),
        "documents": consultation.documents.all(),
        "hearings": consultation.hearings.all(),
        "runs": rules.runs(request.user, consultation),
        "hearing_kinds": Hearing.Kind.choices,
        "verdicts": Answer.Verdict.choices,
        "unanswered": services.unanswered(consultation).count(),
        "today": timezone.localdate(),
    })  # fmt: skip


ACTIONS = ("open", "close", "publish", "reject", "hearing", "record", "answer", "respond")


def _comments(consultation, values) -> list[Comment]:
    ids = [form_id(v) for v in values]
    if any(i is None for i in ids):
        raise ValidationError(_("Choose the comments from the list."))
    found = list(consultation.comments.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationError(_("Choose the comments from the list."))
    return found


@login_required
@require_POST
def act(request, pk: int, action: str):
    consultation = access.obtain(request.user, Consultation, pk)
    post, by = request.POST, request.user

    def perform():
        if action == "open":
            services.consultation_open(consultation, by=by)
            return _("Open for comments on the portal.")
        if action == "close":
            services.consultation_close(consultation, by=by)
            return _("Closed: answer the comments, then publish the response.")
        if action in ("publish", "reject"):
            [comment] = _comments(consultation, [post.get("comment")])
            services.comment_moderate(comment, publish=action == "publish",
                                      reason=field(post, "reason"), by=by)  # fmt: skip
            return _("Comment published.") if action == "publish" else _("Comment not published.")
        if action == "hearing":
            services.hearing_announce(
                consultation, kind=field(post, "kind"),
                held_at=datetime_field(post, "held_at", _("The time of the meeting")),
                place=field(post, "place"), how_to_apply=field(post, "how_to_apply"), by=by,
            )  # fmt: skip
            return _("Meeting announced on the portal.")
        if action == "record":
            hearing = consultation.hearings.filter(pk=form_id(post.get("hearing"))).first()
            if hearing is None:
                raise ValidationError(_("Choose the meeting from the list."))
            services.hearing_record(hearing, summary=field(post, "summary"),
                                    files=request.FILES.getlist("record"), by=by)  # fmt: skip
            return _("Record saved.")
        if action == "answer":
            services.answer_give(consultation, comments=_comments(consultation,
                                 post.getlist("comments")), verdict=field(post, "verdict"),
                                 reason=field(post, "reason"), by=by)  # fmt: skip
            return _("Answer saved.")
        services.response_publish(consultation, explanation=field(post, "explanation"), by=by)
        return _("Response published on the portal.")

    take_step(request, action, ACTIONS, perform)
    return redirect(consultation)


@login_required
def document(request, pk: int):
    found = Document.objects.filter(pk=pk).select_related("consultation").first()
    if found is None:
        raise Http404(_("No such document."))
    access.obtain(request.user, Consultation, found.consultation_id)
    return serve(found.file, name=found.name, fallback="document")


@login_required
def record(request, pk: int):
    found = Hearing.objects.filter(pk=pk).exclude(record="").first()
    if found is None:
        raise Http404(_("No such record."))
    access.obtain(request.user, Consultation, found.consultation_id)
    return serve(found.record, name=f"{found.get_kind_display()}-{found.held_at:%Y%m%d}",
                 fallback="record")  # fmt: skip
