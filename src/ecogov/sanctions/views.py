"""The sanctions' pages under /sanctions/: the four kinds on one page, each record's
page with the steps the person may take, the forms, the Word documents and a referral's
dossier (print-friendly: the browser prints it to PDF)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecogov import access
from ecogov.accounts.models import Role
from ecogov.org.models import Jurisdiction, Unit
from ecogov.params import query_int
from ecogov.sanctions import documents, forms, services
from ecogov.sanctions.dossier import dossier_of
from ecogov.sanctions.models import (
    Admonition,
    CriticismNotice,
    Referral,
    Restriction,
)
from ecogov.spreadsheets import download
from ecogov.supervision.actions import date_field
from ecogov.web.steps import take_step

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _section(request):
    request.section = "supervision"


def _reader(user) -> None:
    """Grid workers and accounts without a unit (other than administrators) have no
    sanctions to read."""
    if access.is_admin(user):
        return
    if not user.unit_id or user.role not in (Role.DISPATCHER, Role.LEADER, Role.INSPECTOR,
                                             Role.LIAISON):  # fmt: skip
        raise PermissionDenied(_("Sanctions are not yours to see."))


def _home(request) -> Jurisdiction:
    """Where the person decides sanctions: their unit's district; an administrator
    without a unit names it (?jurisdiction=), else the first district with a bureau."""
    user = request.user
    if user.unit_id:
        home = user.unit.jurisdiction
    else:
        chosen = query_int(request, "jurisdiction")
        districts = Jurisdiction.objects.filter(level=Jurisdiction.Level.COUNTY)
        home = districts.filter(pk=chosen).first() if chosen else None
        home = home or districts.filter(units__name__endswith="生态环境局").order_by("pk").first()
    if home is None or not services.may_write(user, home):
        raise PermissionDenied(_("Only the ecology bureau's dispatchers of the district decide "
                                 "sanctions."))  # fmt: skip
    return home


def _units(jurisdiction):
    return Unit.objects.filter(jurisdiction=jurisdiction, is_active=True).order_by("order", "name")


def _error(request, error: ValidationError) -> None:
    messages.error(request, "；".join(error.messages))


@login_required
def index(request):
    """通报、约谈、限批、移交: each kind's records the person may see."""
    _section(request)
    _reader(request.user)
    user = request.user
    today = timezone.localdate()
    restrictions = list(access.scope(user, Restriction).select_related("jurisdiction")[:200])
    for restriction in restrictions:
        restriction.in_force = restriction.active_on(today)
    context = {
        "notices": access.scope(user, CriticismNotice).prefetch_related("units")[:200],
        "admonitions": access.scope(user, Admonition).prefetch_related("summoned__unit")[:200],
        "restrictions": restrictions,
        "referrals": access.scope(user, Referral).prefetch_related("units")[:200],
        "may_write": access.is_admin(user) or (
            user.unit_id and services.may_write(user, user.unit.jurisdiction)),
        "sees_restrictions": user.role != Role.LIAISON or access.is_admin(user),
    }  # fmt: skip
    return render(request, "sanctions/index.html", context)


# --- notices ------------------------------------------------------------------------


def _notice_form(request, home, notice=None):
    post = request.POST
    items, cases = forms.records_field(request.user, home, forms.field(post, "records"))
    fields = {
        "title": forms.field(post, "title"), "facts": forms.field(post, "facts"),
        "units": forms.units_field(home, post.getlist("units"), _("a unit concerned")),
        "number": forms.field(post, "number"), "items": items, "cases": cases,
        "by": request.user,
    }  # fmt: skip
    if notice is None:
        return services.notice_create(jurisdiction=home, **fields)
    return services.notice_update(notice, **fields)


@login_required
def notice_new(request):
    _section(request)
    home = _home(request)
    post = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            notice = _notice_form(request, home)
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("Draft notice saved: check it and issue it."))
            return redirect(notice.get_absolute_url())
    proposed = services.number_propose(CriticismNotice, home, timezone.localdate().year)
    return render(request, "sanctions/notice_form.html", {
        "post": post, "units": _units(home), "proposed": proposed,
        "chosen": [str(v) for v in post.getlist("units")] if post else [],
    })  # fmt: skip


@login_required
def notice_edit(request, pk: int):
    _section(request)
    notice = access.obtain(request.user, CriticismNotice, pk, access.CHANGE)
    if request.method == "POST":
        try:
            _notice_form(request, notice.jurisdiction, notice)
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("Notice saved."))
            return redirect(notice.get_absolute_url())
        post = request.POST
        chosen = [str(v) for v in post.getlist("units")]
    else:
        records = [i.number for i in notice.items.all()] + [c.number for c in notice.cases.all()]
        post = {"title": notice.title, "facts": notice.facts, "number": notice.number,
                "records": "\n".join(records)}  # fmt: skip
        chosen = [str(pk) for pk in notice.units.values_list("pk", flat=True)]
    return render(request, "sanctions/notice_form.html", {
        "post": post, "units": _units(notice.jurisdiction), "notice": notice, "chosen": chosen,
    })  # fmt: skip


@login_required
def notice_detail(request, pk: int):
    _section(request)
    notice = access.obtain(request.user, CriticismNotice.private_objects.select_related(
        "issuer", "issued_by", "jurisdiction"), pk)  # fmt: skip
    return render(request, "sanctions/notice.html", {
        "notice": notice,
        "units": notice.units.all(),
        "items": access.scope(request.user, notice.items.all()),
        "cases": access.scope(request.user, notice.cases.all()),
        "may_write": services.may_write(request.user, notice.jurisdiction),
    })  # fmt: skip


NOTICE_ACTIONS = ("issue", "publish", "unpublish")


@login_required
@require_POST
def notice_act(request, pk: int, action: str):
    notice = access.obtain(request.user, CriticismNotice, pk)

    def perform():
        if action == "issue":
            services.notice_issue(
                notice, issued_on=date_field(request.POST, "issued_on", _("The day issued")),
                publish=request.POST.get("publish") == "on", by=request.user,
            )  # fmt: skip
            return _("Notice issued.")
        services.notice_publish(notice, published=action == "publish", by=request.user)
        return _("Published on the portal.") if action == "publish" else _("Taken off the portal.")

    take_step(request, action, NOTICE_ACTIONS, perform)
    return redirect(notice.get_absolute_url())


@login_required
def notice_docx(request, pk: int):
    notice = access.obtain(request.user, CriticismNotice, pk)
    return download(documents.notice_docx(notice), f"{notice.number}-{notice.title}.docx", DOCX,
                    ascii_name=f"notice-{notice.pk}.docx")  # fmt: skip


# --- admonitions --------------------------------------------------------------------


def _rows(post, prefix: str, fields: tuple[str, ...]) -> list[dict]:
    return [{"n": n, "unit_field": f"{prefix}_{n}_unit",
             **{name: forms.field(post, f"{prefix}_{n}_{name}") for name in fields}}
            for n in range(1, forms.ROWS + 1)]  # fmt: skip


@login_required
def admonition_new(request):
    _section(request)
    home = _home(request)
    post = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            items, cases = forms.records_field(request.user, home, forms.field(post, "records"))
            admonition = services.admonition_create(
                jurisdiction=home, title=forms.field(post, "title"),
                convener=forms.units_field(home, [post.get("convener")], _("the convening unit"))[0]
                if post.get("convener") else None,
                convener_position=forms.field(post, "convener_position"),
                held_at=forms.datetime_field(post, "held_at", _("The time of the talk")),
                place=forms.field(post, "place"), problems=forms.field(post, "problems"),
                summoned=forms.summoned_field(home, post),
                commitments=forms.commitments_field(home, post),
                items=items, cases=cases, number=forms.field(post, "number"), by=request.user,
            )  # fmt: skip
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("Admonition talk recorded; its commitments are on the "
                                        "units' ledgers."))  # fmt: skip
            return redirect(admonition.get_absolute_url())
    return render(request, "sanctions/admonition_form.html", {
        "post": post, "units": _units(home),
        "proposed": services.number_propose(Admonition, home, timezone.localdate().year),
        "summons_rows": _rows(post, "summons", ("unit", "attendee")),
        "commitment_rows": _rows(post, "commitment", ("unit", "text", "deadline")),
    })  # fmt: skip


@login_required
def admonition_detail(request, pk: int):
    _section(request)
    admonition = access.obtain(
        request.user, Admonition.objects.select_related("convener", "jurisdiction"), pk
    )
    return render(request, "sanctions/admonition.html", {
        "admonition": admonition,
        "summoned": admonition.summoned.select_related("unit"),
        "commitments": admonition.commitments.select_related("item__lead").order_by("pk"),
        "items": access.scope(request.user, admonition.items.all()),
        "cases": access.scope(request.user, admonition.cases.all()),
        "may_write": services.may_write(request.user, admonition.jurisdiction),
        "units": [s.unit for s in admonition.summoned.select_related("unit")],
    })  # fmt: skip


@login_required
@require_POST
def admonition_act(request, pk: int, action: str):
    admonition = access.obtain(request.user, Admonition, pk)

    def perform():
        if action == "edit":
            services.admonition_update(
                admonition, title=forms.field(request.POST, "title"),
                convener_position=forms.field(request.POST, "convener_position"),
                place=forms.field(request.POST, "place"),
                problems=forms.field(request.POST, "problems"), by=request.user,
            )  # fmt: skip
            return _("Saved.")
        entry = forms.commitments_field(admonition.jurisdiction, request.POST, "add")[0]
        services.commitment_add(admonition, unit=entry.unit, text=entry.text,
                                deadline=entry.deadline, by=request.user)  # fmt: skip
        return _("Commitment added to the unit's ledger.")

    take_step(request, action, ("commit", "edit"), perform)
    return redirect(admonition.get_absolute_url())


@login_required
def admonition_docx(request, pk: int):
    admonition = access.obtain(request.user, Admonition, pk)
    return download(documents.admonition_docx(admonition), f"{admonition.number}-约谈记录.docx",
                    DOCX, ascii_name=f"admonition-{admonition.pk}.docx")  # fmt: skip


# --- restrictions -------------------------------------------------------------------


@login_required
def restriction_new(request):
    _section(request)
    home = _home(request)
    post = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            restriction = services.restriction_decide(
                jurisdiction=forms.township_field(request.user, post.get("jurisdiction")),
                reason=forms.field(post, "reason"), number=forms.field(post, "number"),
                starts_on=date_field(post, "starts_on", _("The start")),
                ends_on=date_field(post, "ends_on", _("The end")), by=request.user,
            )  # fmt: skip
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("Regional approval restriction decided."))
            return redirect(restriction.get_absolute_url())
    townships = Jurisdiction.objects.filter(parent=home, level=Jurisdiction.Level.TOWNSHIP)
    return render(request, "sanctions/restriction_form.html", {
        "post": post, "townships": townships,
        "proposed": services.number_propose(Restriction, home, timezone.localdate().year),
    })  # fmt: skip


@login_required
def restriction_detail(request, pk: int):
    _section(request)
    restriction = access.obtain(
        request.user, Restriction.objects.select_related("jurisdiction__parent", "decided_by"), pk
    )
    return render(request, "sanctions/restriction.html", {
        "restriction": restriction,
        "in_force": restriction.active_on(timezone.localdate()),
        "may_write": services.may_write(request.user, restriction.jurisdiction.parent),
        "history": restriction.history.select_related("history_user").order_by("history_date"),
    })  # fmt: skip


@login_required
@require_POST
def restriction_act(request, pk: int, action: str):
    restriction = access.obtain(request.user, Restriction, pk)

    def perform():
        if action == "edit":
            services.restriction_update(
                restriction, reason=forms.field(request.POST, "reason"),
                ends_on=date_field(request.POST, "ends_on", _("The end")), by=request.user,
            )  # fmt: skip
            return _("Saved.")
        services.restriction_lift(
            restriction, reason=forms.field(request.POST, "reason"),
            on=date_field(request.POST, "on", _("The day lifted")), by=request.user,
        )  # fmt: skip
        return _("Restriction lifted.")

    take_step(request, action, ("lift", "edit"), perform)
    return redirect(restriction.get_absolute_url())


# --- referrals ----------------------------------------------------------------------


@login_required
def referral_new(request):
    _section(request)
    home = _home(request)
    post = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            items, cases = forms.records_field(request.user, home, forms.field(post, "records"))
            referral = services.referral_create(
                jurisdiction=home, target=forms.field(post, "target"),
                units=forms.units_field(home, post.getlist("units"), _("a unit concerned")),
                people=forms.field(post, "people"), reason=forms.field(post, "reason"),
                items=items, cases=cases, number=forms.field(post, "number"),
                referred_on=date_field(post, "referred_on", _("The day referred")),
                by=request.user,
            )  # fmt: skip
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("Referred: the commission acknowledges receipt."))
            return redirect(referral.get_absolute_url())
    return render(request, "sanctions/referral_form.html", {
        "post": post, "units": _units(home), "targets": Referral.Target.choices,
        "proposed": services.number_propose(Referral, home, timezone.localdate().year),
        "chosen": [str(v) for v in post.getlist("units")] if post else [],
        "records": request.GET.get("records", "")[:200],
    })  # fmt: skip


def _referral(request, pk: int) -> Referral:
    return access.obtain(
        request.user,
        Referral.objects.select_related("jurisdiction", "referred_by", "acknowledged_by"), pk,
    )  # fmt: skip


@login_required
def referral_detail(request, pk: int):
    _section(request)
    referral = _referral(request, pk)
    return render(request, "sanctions/referral.html", {
        "referral": referral, "units": referral.units.all(),
        "records": referral.records.select_related("item", "case"),
        "acknowledges": services.acknowledges(request.user, referral),
        "may_write": services.may_write(request.user, referral.jurisdiction),
    })  # fmt: skip


@login_required
@require_POST
def referral_act(request, pk: int, action: str):
    referral = _referral(request, pk)

    def perform():
        if action == "edit":
            services.referral_update(referral, reason=forms.field(request.POST, "reason"),
                                     people=forms.field(request.POST, "people"), by=request.user)  # fmt: skip
            return _("Saved.")
        if action == "acknowledge":
            services.referral_acknowledge(referral, note=forms.field(request.POST, "note"),
                                          by=request.user)  # fmt: skip
            return _("Receipt acknowledged.")
        services.referral_conclude(referral, outcome=forms.field(request.POST, "outcome"),
                                   by=request.user)  # fmt: skip
        return _("Outcome recorded.")

    take_step(request, action, ("acknowledge", "conclude", "edit"), perform)
    return redirect(referral.get_absolute_url())


@login_required
def referral_dossier(request, pk: int):
    referral = _referral(request, pk)
    return render(request, "sanctions/dossier.html", {
        "referral": referral, "units": referral.units.all(), "histories": dossier_of(referral),
        "today": timezone.localdate(),
    })  # fmt: skip


@login_required
def referral_dossier_docx(request, pk: int):
    referral = _referral(request, pk)
    return download(documents.dossier_docx(referral), f"{referral.number}-移交材料.docx", DOCX,
                    ascii_name=f"dossier-{referral.pk}.docx")  # fmt: skip
