"""The audit-trail page (/audit/) and its Excel export: who changed what, when."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.timezone import localdate, localtime
from django.utils.translation import gettext as _

from ecogov import access
from ecogov.accounts.models import User
from ecogov.org.models import Unit
from ecogov.params import BadQuery, page_query, query_date, query_int
from ecogov.spreadsheets import download, table_workbook
from ecogov.web.audit import Filters, audit_entries, kinds_for

PAGE_SIZE = 50
MAX_PAGE = 200  # each kind is read up to the page asked: beyond, narrow the filters
EXPORT_LIMIT = 10_000


def _filters(request, kinds) -> tuple[Filters, int]:
    kind = request.GET.get("kind", "").strip() or None
    if kind is not None and kind not in {k.key for k in kinds}:
        raise BadQuery(_("There is no kind of object %(kind)s here.") % {"kind": kind[:40]})
    filters = Filters(
        person=query_int(request, "person"),
        unit=query_int(request, "unit"),
        kind=kind,
        since=query_date(request, "since"),
        until=query_date(request, "until"),
    )
    if filters.since and filters.until and filters.since > filters.until:
        raise BadQuery(_("The first day comes after the last."))
    page = query_int(request, "page", max=MAX_PAGE, default=1)
    return filters, page


def _auditor(request):
    if not access.can_see_history(request.user):
        raise PermissionDenied(_("The audit trail is for the discipline commission."))
    request.section = "audit"
    return request.user


@login_required
def audit_trail(request):
    user = _auditor(request)
    kinds = kinds_for(user)
    context = {
        "kinds": kinds,
        "people": access.scope(user, User).order_by("username"),
        "units": access.scope(user, Unit)
        .select_related("jurisdiction")
        .order_by("jurisdiction__name", "order", "name"),
        "query": request.GET.urlencode(),
    }
    try:
        filters, page = _filters(request, kinds)
    except BadQuery as error:
        context["error"] = str(error)
        return render(request, "web/audit.html", context, status=400)
    entries = audit_entries(user, filters, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE + 1)
    context.update(
        entries=entries[:PAGE_SIZE],
        page=page,
        previous_page=page - 1 if page > 1 else None,
        next_page=page + 1 if len(entries) > PAGE_SIZE and page < MAX_PAGE else None,
        query=page_query(request),
    )
    return render(request, "web/audit.html", context)


@login_required
def audit_export(request):
    user = _auditor(request)
    kinds = kinds_for(user)
    try:
        filters, _page = _filters(request, kinds)
    except BadQuery as error:
        return render(
            request,
            "web/audit.html",
            {"kinds": kinds, "error": str(error), "people": [], "units": []},
            status=400,
        )
    entries = audit_entries(user, filters, offset=0, limit=EXPORT_LIMIT)
    rows = (
        (
            f"{localtime(entry.when):%Y-%m-%d %H:%M}",
            entry.who,
            entry.unit,
            entry.what,
            entry.kind,
            entry.object,
            "\n".join(entry.changes),
            entry.reason,
        )
        for entry in entries
    )
    data = table_workbook(
        sheet_title=_("Audit trail"),
        header=(
            _("When"),
            _("Who"),
            _("Unit"),
            _("What"),
            _("Kind of object"),
            _("Object"),
            _("Changes"),
            _("Reason"),
        ),
        rows=rows,
        widths=(17, 14, 20, 8, 14, 30, 60, 24),
        title=_("Audit trail"),
    )
    name = f"{_('Audit trail')}-{localdate():%Y-%m-%d}.xlsx"
    return download(data, name, ascii_name=f"audit-{localdate():%Y-%m-%d}.xlsx")
