"""The environmental blacklist on the public portal (/public/blacklist/), without an
account: the published listings in force, with the enterprise, its credit code, the
ground and grounds, the decision number and the period of the bar. Never who entered
them, the cases behind them or anyone who reported a problem; the decision document
stays internal."""

from django.shortcuts import render

from ecogov.enterprises.services import public_listings


def blacklist(request):
    listings = public_listings().only(
        "pk", "uscc", "name", "ground", "grounds", "decision_number", "listed_on", "bar_until"
    )
    return render(request, "enterprises/public_list.html", {"listings": listings[:500]})
