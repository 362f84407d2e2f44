"""The public list of the inspections' problems and their rectification (整改情况公开,
issue 19 §4–5), on the portal, without an account.

Only batches the bureau publishes (``Batch.public``) appear, and of their problems only
what governments publish: the text written for publication (else the problem's text),
the lead unit, the deadline, the state, the publicity period and the close-out date.
Never the responsible leader, the people who reported, accepted or objected, the
evidence, nor anything of a batch that is not published. Of the complaints the
inspection transferred, only those whose result the bureau published: the transfer
number, the day received and the result.
"""

from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import timezone

from ecogov.org.models import Jurisdiction
from ecogov.org.selectors import bureau_of
from ecogov.params import query_int
from ecogov.rectification.models import Batch, Problem, TransferredCase
from ecogov.rectification.reports import bureau_name


def public_batches():
    """What may be shown: the published batches, each with its problems and published
    transfers (nothing here reaches a batch that is not published)."""
    problems = Problem.objects.select_related("item__lead").only(
        "pk", "batch_id", "seq", "text", "public_text", "case_id", "finding_id", "stage", "state",
        "publicity_start",
        "publicity_end", "closed_on", "item__deadline", "item__lead__name",
    ).order_by("seq")  # fmt: skip
    transfers = TransferredCase.objects.exclude(published_at=None).only(
        "pk", "batch_id", "reference", "received_on", "result", "published_at"
    ).order_by("received_on", "reference")  # fmt: skip
    return (
        Batch.objects.filter(public=True)
        .select_related("jurisdiction")
        .prefetch_related(
            Prefetch("problems", queryset=problems, to_attr="shown_problems"),
            Prefetch("transfers", queryset=transfers, to_attr="shown_transfers"),
        )
        .order_by("jurisdiction__name", "-received_on", "-pk")
    )


def _contact(jurisdiction: Jurisdiction) -> str:
    """Who receives objections: the bureau and its contact section, as units list them
    (no person's name or phone)."""
    bureau = bureau_of(jurisdiction)
    section = f"（{bureau.contact_section}）" if bureau and bureau.contact_section else ""
    return bureau_name(jurisdiction) + section


def rectification_list(request):
    today = timezone.localdate()
    districts = list(
        Jurisdiction.objects.filter(pk__in=Batch.objects.filter(public=True).values("jurisdiction"))
        .order_by("name")
    )  # fmt: skip
    chosen = query_int(request, "district")
    batches = public_batches()
    if chosen:
        batches = batches.filter(jurisdiction=chosen)
    contacts = {}
    shown = []
    for batch in batches:
        if batch.jurisdiction_id not in contacts:
            contacts[batch.jurisdiction_id] = _contact(batch.jurisdiction)
        problems = batch.shown_problems
        shown.append({
            "batch": batch,
            "problems": problems,
            "publicised": [p for p in problems if p.state == Problem.State.PUBLICITY],
            "closed": sum(1 for p in problems if p.state == Problem.State.CLOSED),
            "contact": contacts[batch.jurisdiction_id],
        })  # fmt: skip
    context = {"batches": shown, "districts": districts, "chosen": chosen, "today": today}
    return render(request, "rectification/public_list.html", context)
