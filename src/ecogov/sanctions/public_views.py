"""Criticism notices on the public portal (/public/notices/), without an account: only
issued notices the bureau published (``CriticismNotice.public_objects``), with their
number, title, units, facts, issuer and date. Never the records behind them, who
entered them, nor anyone who reported a problem."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from ecogov.sanctions.models import CriticismNotice


def _public():
    return CriticismNotice.public_objects.select_related("issuer", "jurisdiction").only(
        "pk", "number", "title", "facts", "issued_on", "issuer__name", "jurisdiction__name",
        "state", "published",
    ).order_by("-issued_on", "-pk")  # fmt: skip


def notice_list(request):
    return render(request, "sanctions/public_list.html",
                  {"notices": _public().prefetch_related("units")[:200]})  # fmt: skip


def notice_detail(request, pk: int):
    notice = _public().filter(pk=pk).first()
    if notice is None:
        raise Http404(_("No such notice."))
    return render(request, "sanctions/public_notice.html",
                  {"notice": notice, "units": notice.units.all()})  # fmt: skip
