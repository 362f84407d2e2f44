"""The audit-trail page (/audit/) and its Excel export: who changed what, when."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.timezone import localdate, localtime
from django.utils.translation import gettext as _

from ecogov import access
from ecogov.accounts.models import User
from ecogov.org.models import Unit
from ecogov.spreadsheets import download, table_workbook
from ecogov.web.audit import Filters, audit_entries, kinds_for

PAGE_SIZE = 50
MAX_PAGE = 200  # each kind is read up to the page asked: beyond, narrow the filters
EXPORT_LIMIT = 10_000
ID_MAX = 2**31 - 1


class BadQuery(ValueError):
    pass


# A small local parser for this page's query numbers and dates; issue 17 item 7 brings
# one shared parser (the `input` branch), which these two should become.
def _query_int(get, name: str, label: str, *, low: int = 1, high: int = ID_MAX) -> int | None:
    value = get.get(name, "").strip()
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or not low <= int(value) <= high:
        raise BadQuery(
            _("%(field)s: %(value)s is not a number from %(low)d to %(high)d.")
            % {"field": label, "value": value[:20], "low": low, "high": high}
        )
    return int(value)


def _query_date(get, name: str, label: str) -> datetime.date | None:
    value = get.get(name, "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise BadQuery(
            _("%(field)s: %(value)s is not a date (YYYY-MM-DD).")
            % {"field": label, "value": value[:20]}
        ) from None


def _filters(get, kinds) -> tuple[Filters, int]:
    kind = get.get("kind", "").strip() or None
    if kind is not None and kind not in {k.key for k in kinds}:
        raise BadQuery(_("There is no kind of object %(kind)s here.") % {"kind": kind[:40]})
    filters = Filters(
        person=_query_int(get, "person", _("Changed by")),
        unit=_query_int(get, "unit", _("Unit")),
        kind=kind,
        since=_query_date(get, "since", _("First day")),
        until=_query_date(get, "until", _("Last day")),
    )
    if filters.since and filters.until and filters.since > filters.until:
        raise BadQuery(_("The first day comes after the last."))
    page = _query_int(get, "page", _("Page"), high=MAX_PAGE) or 1
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
        filters, page = _filters(request.GET, kinds)
    except BadQuery as error:
        context["error"] = str(error)
        return render(request, "web/audit.html", context, status=400)
    entries = audit_entries(user, filters, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE + 1)
    base = request.GET.copy()
    base.pop("page", None)
    context.update(
        entries=entries[:PAGE_SIZE],
        page=page,
        previous_page=page - 1 if page > 1 else None,
        next_page=page + 1 if len(entries) > PAGE_SIZE and page < MAX_PAGE else None,
        query=base.urlencode(),
    )
    return render(request, "web/audit.html", context)


@login_required
def audit_export(request):
    user = _auditor(request)
    kinds = kinds_for(user)
    try:
        filters, _page = _filters(request.GET, kinds)
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
