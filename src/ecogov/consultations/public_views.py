"""The public pages of the consultations, without an account, at /public/consultations/:
the open consultations first with the days left, then the closed ones and their
responses; each one's page with its documents, the published comments (their number,
date and text: never who sent them), the hearings' notices and records, the response.

Every field is chosen here (``consultation_summary``, ``consultation_record``); the JSON
alternates (``index.json``, ``<id>.json``) carry the same data. The pages make a fixed
number of queries and may be kept by browsers and shared caches for five minutes.

The comment form has its own page (``<id>/comment/``), never cached: it carries the
CSRF token, which a shared cache must not hand to someone else, and its answers (a
refusal, the thanks with the comment's number) are one person's. Comments are limited
per client and hour (``limits.COMMENTS``), and a field people do not see catches robots.
"""

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from ecogov import limits
from ecogov.consultations import services
from ecogov.consultations.models import (
    PUBLIC_STATES,
    Comment,
    Consultation,
    Document,
    Hearing,
    State,
)
from ecogov.disclosure.datasets import marker
from ecogov.disclosure.freshness import public_page
from ecogov.uploads import serve

CACHE_SECONDS = 300
# The session key that carries a fresh comment's number to the thanks page.
SENT = "consultation_comment_sent"


def public_consultations():
    return Consultation.public_objects.select_related("organiser", "jurisdiction").only(
        "pk", "kind", "title", "summary", "body", "opens_on", "closes_on", "state",
        "explanation", "answered_at", "organiser__name", "jurisdiction__name",
    )  # fmt: skip


def consultation_summary(consultation: Consultation, today) -> dict:
    accepts = consultation.accepts_comments(today)
    return {
        "id": consultation.pk,
        "title": consultation.title,
        "kind": consultation.kind,
        "kind_label": str(consultation.get_kind_display()),
        "district": consultation.jurisdiction.name,
        "organiser": consultation.organiser.name,
        "summary": consultation.summary,
        "opens_on": consultation.opens_on,
        "closes_on": consultation.closes_on,
        # Past its last day it is closed, whether or not the nightly scan ran yet.
        "state": consultation.state if accepts or consultation.state != State.OPEN
        else State.CLOSED,
        "accepts_comments": accepts,
        "days_left": consultation.days_left(today) if accepts else 0,
        "answered_on": timezone.localdate(consultation.answered_at)
        if consultation.answered_at else None,
        "url": reverse("public_consultations:detail", args=[consultation.pk]),
        "json": reverse("public_consultations:detail_json", args=[consultation.pk]),
    }  # fmt: skip


def consultation_list(today) -> dict:
    rows = [
        consultation_summary(c, today)
        for c in public_consultations().order_by("-opens_on", "-pk")[:500]
    ]
    return {
        "open": sorted([r for r in rows if r["accepts_comments"]],
                       key=lambda r: (r["closes_on"], r["id"])),
        "closed": [r for r in rows if not r["accepts_comments"]],
    }  # fmt: skip


def consultation_record(consultation: Consultation, today) -> dict:
    """Everything the public may read of one consultation."""
    answered = consultation.state == State.ANSWERED
    comments = [
        {
            "number": c.number,
            "date": timezone.localdate(c.submitted_at),
            "text": c.text,
            "answer": {"verdict": c.answer.verdict,
                       "verdict_label": str(c.answer.get_verdict_display()),
                       "reason": c.answer.reason, "group": c.answer_id}
            if answered and c.answer_id else None,
        }
        for c in consultation.published_comments
    ]  # fmt: skip
    hearings = [
        {
            "kind": h.kind,
            "kind_label": str(h.get_kind_display()),
            "held_at": timezone.localtime(h.held_at),
            "place": h.place,
            "how_to_apply": h.how_to_apply,
            "record_summary": h.summary,
            "record": reverse("public_consultations:record", args=[h.pk]) if h.record else None,
        }
        for h in consultation.hearings.all()
    ]
    documents = [
        {"name": d.name, "url": reverse("public_consultations:document", args=[d.pk])}
        for d in consultation.documents.all()
    ]
    return {
        **consultation_summary(consultation, today),
        "body": consultation.body,
        "documents": documents,
        "comments": comments,
        "hearings": hearings,
        "response": {"explanation": consultation.explanation} if answered else None,
        "comment_form": reverse("public_consultations:comment", args=[consultation.pk])
        if consultation.accepts_comments(today) else None,
    }  # fmt: skip


def _with_parts(queryset):
    published = Comment.objects.filter(status=Comment.Status.PUBLISHED).select_related("answer")
    return queryset.prefetch_related(
        Prefetch("comments", queryset=published.only(
            "pk", "consultation_id", "number", "submitted_at", "text", "answer_id",
            "answer__verdict", "answer__reason"), to_attr="published_comments"),
        Prefetch("hearings", queryset=Hearing.objects.only(
            "pk", "consultation_id", "kind", "held_at", "place", "how_to_apply", "summary",
            "record")),
        Prefetch("documents", queryset=Document.objects.only("pk", "consultation_id", "name")),
    )  # fmt: skip


def _one(pk: int) -> Consultation:
    consultation = _with_parts(public_consultations()).filter(pk=pk).first()
    if consultation is None:
        raise Http404(_("No published consultation has this number."))
    return consultation


# --- views ----------------------------------------------------------------------------


def _cached(response):
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


def _json(data: dict, status=200):
    response = JsonResponse(data, status=status, encoder=DjangoJSONEncoder,
                            json_dumps_params={"ensure_ascii": False})  # fmt: skip
    return _cached(response) if status == 200 else response


def published_version(request=None, **kwargs) -> tuple:
    """What the public pages show, as it stands: consultations opened, closed and
    answered, comments published, hearings announced and recorded, and the day (the
    days left)."""
    return (
        *marker(Consultation.public_objects.all(), "closes_on", "closed_at", "answered_at"),
        *marker(Comment.objects.filter(status=Comment.Status.PUBLISHED), "moderated_at"),
        *marker(Hearing.objects.all(), "held_at", "recorded_at"),
        timezone.localdate(),
    )


@public_page(version=published_version)
def index(request):
    context = {**consultation_list(timezone.localdate())}
    return _cached(render(request, "consultations/public_index.html", context))


@public_page(version=published_version)
def index_json(request):
    return _json(consultation_list(timezone.localdate()))


@public_page(version=published_version)
def detail(request, pk: int):
    record = consultation_record(_one(pk), timezone.localdate())
    return _cached(render(request, "consultations/public_detail.html", {"c": record}))


@public_page(version=published_version)
def detail_json(request, pk: int):
    try:
        consultation = _one(pk)
    except Http404 as missing:
        return _json({"detail": str(missing)}, status=404)
    return _json(consultation_record(consultation, timezone.localdate()))


def _private(response):
    patch_cache_control(response, private=True, no_store=True)
    return response


def comment(request, pk: int):
    """The comment form: no account, anonymous if one wishes."""
    consultation = public_consultations().filter(pk=pk).first()
    if consultation is None:
        raise Http404(_("No published consultation has this number."))
    context = {"c": consultation_summary(consultation, timezone.localdate()),
               "values": request.POST if request.method == "POST" else {}}  # fmt: skip
    template = "consultations/public_comment.html"
    if request.method != "POST":
        return _private(render(request, template, context))
    if limits.COMMENTS.spend(request):
        return limits.COMMENTS.refusal(request)
    if request.POST.get("website"):  # a field people do not see: only robots fill it in
        return _private(render(request, template, context, status=400))
    values = request.POST
    try:
        sent = services.comment_submit(
            consultation, text=values.get("text", ""),
            name=values.get("name", ""), phone=values.get("phone", ""),
            email=values.get("email", ""),
        )  # fmt: skip
    except ValidationError as error:
        context["errors"] = error.messages
        return _private(render(request, template, context, status=422))
    request.session[SENT] = [consultation.pk, sent.number]
    return redirect("public_consultations:thanks", pk=consultation.pk)


def thanks(request, pk: int):
    sent = request.session.pop(SENT, None)
    consultation = public_consultations().filter(pk=pk).first()
    if consultation is None:
        raise Http404(_("No published consultation has this number."))
    number = sent[1] if sent and sent[0] == consultation.pk else None
    context = {"c": consultation_summary(consultation, timezone.localdate()), "number": number}
    return _private(render(request, "consultations/public_thanks.html", context))


def document(request, pk: int):
    found = Document.objects.filter(pk=pk, consultation__state__in=PUBLIC_STATES).first()
    if found is None:
        raise Http404(_("No such document."))
    return serve(found.file, name=found.name, fallback="document")


def record(request, pk: int):
    found = (
        Hearing.objects.filter(pk=pk, consultation__state__in=PUBLIC_STATES)
        .exclude(record="")
        .first()
    )
    if found is None:
        raise Http404(_("No such record."))
    return serve(found.record, name=f"{found.get_kind_display()}-{found.held_at:%Y%m%d}",
                 fallback="record")  # fmt: skip
