"""The blacklist's and the project register's pages under /enterprises/ (the portal's
list is in ``public_views``, under /public/blacklist/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecogov import access
from ecogov.accounts.models import Role
from ecogov.cases.models import Case
from ecogov.enterprises import services
from ecogov.enterprises.models import Listing, Project
from ecogov.enterprises.rules import WIDE
from ecogov.meetings.models import Meeting
from ecogov.org.models import Jurisdiction
from ecogov.params import form_id, query_choice, query_int
from ecogov.sanctions.forms import field, numbers_of
from ecogov.sources.models import Source
from ecogov.supervision.actions import date_field
from ecogov.uploads import serve
from ecogov.web.steps import refusal_text

STATES = ("in_force", "expired", "removed", "all")


def _section(request):
    request.section = "supervision"


def _reader(user, *, liaisons=False) -> None:
    if access.is_admin(user):
        return
    roles = WIDE | {Role.LIAISON} if liaisons else WIDE
    if not user.unit_id or user.role not in roles:
        raise PermissionDenied(_("The blacklist is not yours to see."))


def _home(request) -> Jurisdiction:
    """The person's district (an administrator without a unit: ?jurisdiction= or the
    first district with an ecology bureau)."""
    if request.user.unit_id:
        return request.user.unit.jurisdiction
    districts = Jurisdiction.objects.filter(level=Jurisdiction.Level.COUNTY)
    chosen = query_int(request, "jurisdiction")
    home = districts.filter(pk=chosen).first() if chosen else None
    home = home or districts.filter(units__name__endswith="生态环境局").order_by("pk").first()
    if home is None:
        raise PermissionDenied(_("No district to work in."))
    return home


def _lister(request) -> Jurisdiction:
    """The district whose blacklist the person decides (the bureau's dispatchers)."""
    _section(request)
    home = _home(request)
    if not services.may_list(request.user, home):
        raise PermissionDenied(_("Only the ecology bureau's dispatchers decide the blacklist."))
    return home


def _error(request, error: ValidationError) -> None:
    messages.error(request, refusal_text(error))


# --- the blacklist ------------------------------------------------------------------


@login_required
def listings(request):
    _section(request)
    _reader(request.user)
    today = timezone.localdate()
    state = query_choice(request, "state", STATES, default="in_force")
    found = services.listings_in(access.scope(request.user, Listing), state, today)
    words = request.GET.get("q", "").strip()[:60]
    if words:
        found = found.filter(Q(name__icontains=words) | Q(uscc__icontains=words)
                             | Q(decision_number__icontains=words))  # fmt: skip
    rows = list(found.select_related("jurisdiction")[:300])
    for listing in rows:
        listing.state = services.listing_state(listing, today)
    home = _home(request)
    return render(request, "enterprises/listings.html", {
        "listings": rows, "state": state, "q": words, "states": STATES,
        "may_write": services.may_list(request.user, home),
    })  # fmt: skip


def _listing(request, pk: int, action=access.VIEW) -> Listing:
    return access.obtain(request.user, Listing.objects.select_related(
        "jurisdiction", "source", "created_by", "removed_by"), pk, action)  # fmt: skip


@login_required
def listing_detail(request, pk: int):
    _section(request)
    listing = _listing(request, pk)
    return render(request, "enterprises/listing.html", {
        "listing": listing, "state": services.listing_state(listing, timezone.localdate()),
        "cases": access.scope(request.user, listing.cases.all()),
        "overrides": listing.overrides.select_related("by"),
        "history": listing.history.select_related("history_user").order_by("history_date"),
        "may_write": services.may_list(request.user, listing.jurisdiction),
    })  # fmt: skip


@login_required
def listing_document(request, pk: int):
    listing = _listing(request, pk)
    return serve(listing.document, name=listing.decision_number, fallback="decision")


def _cases(user, jurisdiction, text: str) -> list[Case]:
    found = []
    for number in numbers_of(text):
        case = access.scope(user, Case).filter(jurisdiction=jurisdiction, number=number).first()
        if case is None:
            raise ValidationError(_("No case %(number)s that you may see.") % {"number": number})
        found.append(case)
    return found


def _source(user, jurisdiction, value) -> Source | None:
    if not str(value or "").strip():
        return None
    source = access.scope(user, Source).filter(pk=form_id(value), jurisdiction=jurisdiction).first()
    if source is None:
        raise ValidationError(_("Choose the pollution source from the list."))
    return source


@login_required
def listing_new(request):
    home = _lister(request)
    if request.method == "POST":
        post = request.POST
        try:
            listing = services.listing_create(
                jurisdiction=home, uscc=field(post, "uscc"), name=field(post, "name"),
                ground=field(post, "ground"), grounds=field(post, "grounds"),
                decision_number=field(post, "decision_number"),
                files=request.FILES.getlist("document"),
                listed_on=date_field(post, "listed_on", _("The day listed")),
                source=_source(request.user, home, post.get("source")),
                cases=_cases(request.user, home, field(post, "cases")),
                published=post.get("published") == "on", by=request.user,
            )  # fmt: skip
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("The enterprise is on the blacklist."))
            return redirect(listing.get_absolute_url())
    else:
        post = {"published": "on", "ground": Listing.Ground.REPEATED}
        code = request.GET.get("uscc", "").strip()[:18]
        for candidate in services.candidates(home) if code else ():
            if candidate.uscc == code:
                post.update(uscc=code, name=candidate.name, source=str(candidate.source.pk),
                            cases="\n".join(c.number for c in candidate.cases),
                            grounds=_("%(n)d violations verified in the last months: %(cases)s")
                            % {"n": candidate.violations,
                               "cases": "、".join(c.number for c in candidate.cases)})  # fmt: skip
    return render(request, "enterprises/listing_form.html", {
        "post": post, "grounds": Listing.Ground.choices,
        "sources": access.scope(request.user, Source).filter(jurisdiction=home)
        .exclude(uscc="").order_by("name"),
    })  # fmt: skip


@login_required
@require_POST
def listing_remove(request, pk: int):
    listing = _listing(request, pk)
    try:
        services.listing_remove(listing, reason=field(request.POST, "reason"),
                                on=date_field(request.POST, "on", _("The day removed")),
                                by=request.user)  # fmt: skip
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Removed from the blacklist."))
    return redirect(listing.get_absolute_url())


@login_required
def candidates(request):
    home = _lister(request)
    violations = query_int(request, "violations", min=1, max=100)
    months = query_int(request, "months", min=1, max=120)
    found = services.candidates(home, violations=violations, months=months)
    return render(request, "enterprises/candidates.html", {
        "candidates": found, "violations": violations or services.rule_violations(),
        "months": months or services.rule_months(),
    })  # fmt: skip


# --- construction projects ----------------------------------------------------------


@login_required
def projects(request):
    _section(request)
    _reader(request.user, liaisons=True)
    found = access.scope(request.user, Project).select_related("jurisdiction", "grid", "override")
    words = request.GET.get("q", "").strip()[:60]
    if words:
        found = found.filter(Q(name__icontains=words) | Q(builder__icontains=words)
                             | Q(builder_uscc__icontains=words))  # fmt: skip
    home = _home(request)
    return render(request, "enterprises/projects.html", {
        "projects": found[:300], "q": words,
        "may_register": access.is_admin(request.user) or services.may_register(request.user, home),
    })  # fmt: skip


@login_required
def project_detail(request, pk: int):
    _section(request)
    project = access.obtain(request.user, Project.objects.select_related(
        "jurisdiction", "grid", "meeting", "override__listing", "registered_by"), pk)  # fmt: skip
    return render(request, "enterprises/project.html", {
        "project": project,
        "history": project.history.select_related("history_user").order_by("history_date"),
    })  # fmt: skip


def _townships(home):
    return Jurisdiction.objects.filter(parent=home, level=Jurisdiction.Level.TOWNSHIP).order_by(
        "name"
    )


def _choice(queryset, value, what: str):
    if not str(value or "").strip():
        return None
    found = queryset.filter(pk=form_id(value)).first()
    if found is None:
        raise ValidationError(_("Choose %(what)s from the list.") % {"what": what})
    return found


@login_required
def project_new(request):
    _section(request)
    home = _home(request)
    _reader(request.user, liaisons=True)
    meetings = Meeting.objects.filter(jurisdiction=home).order_by("-pk")
    post, refusal = request.POST if request.method == "POST" else {}, ""
    if request.method == "POST":
        try:
            project = services.project_register(
                jurisdiction=_choice(_townships(home), post.get("jurisdiction"),
                                     _("the township or street")),
                name=field(post, "name"), builder=field(post, "builder"),
                builder_uscc=field(post, "builder_uscc"), eia=field(post, "eia"),
                eia_number=field(post, "eia_number"), address=field(post, "address"),
                lon=field(post, "lon"), lat=field(post, "lat"),
                meeting=_choice(meetings, post.get("meeting"), _("the joint review meeting")),
                override=field(post, "override"), by=request.user,
            )  # fmt: skip
        except ValidationError as error:
            refusal = refusal_text(error)  # shown once, in the form's card
        else:
            messages.success(request, _("Project registered."))
            return redirect(project.get_absolute_url())
    dispatcher = access.dispatches(request.user, home.pk)
    return render(request, "enterprises/project_form.html", {
        "post": post, "refusal": refusal, "townships": _townships(home), "meetings": meetings[:50],
        "eia_choices": Project.Eia.choices, "may_override": dispatcher,
    })  # fmt: skip
