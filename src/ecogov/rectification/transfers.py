"""Complaints the inspection transfers (督察交办信访件, issue 19 §4).

While an inspection team is in the district it passes on the complaints it receives,
each with its number and a short deadline of its own (立行立改, results within days).
Each one is handled as a case in the case workflow (channel "inspection feedback"),
finished by the team's date rather than by the channel's usual one, and linked to the
batch by a ``TransferredCase``; once the case is finished the bureau publishes what was
found and done (查处情况) in the batch's public list (边督边改, 公开曝光).

The reporter's identity stays with the inspection team: the case's reporter is the team,
anonymous, and nothing of the complaint but its number, place, kind and the published
result leaves the bureau.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov import access
from ecogov.cases import services as cases
from ecogov.cases.models import Case, Category, Channel, State
from ecogov.domain.supervision import Level
from ecogov.org.models import Unit
from ecogov.org.services import audited_save
from ecogov.params import form_number
from ecogov.rectification.models import Batch, TransferredCase
from ecogov.rectification.services import IMPORTANT_ORIGINS, moment, require, runs, text_of

MAX_DUE_DAYS = 90
RESULT_LIMIT = 4000

# 污染类型 as the teams' lists write it, to the case's category.
CATEGORY_WORDS = (
    ("大气", Category.AIR),
    ("扬尘", Category.AIR),
    ("油烟", Category.AIR),
    ("异味", Category.AIR),
    ("恶臭", Category.AIR),
    ("水", Category.WATER),
    ("土壤", Category.SOIL),
    ("固废", Category.SOLID_WASTE),
    ("固体废", Category.SOLID_WASTE),
    ("垃圾", Category.SOLID_WASTE),
    ("噪声", Category.NOISE),
    ("噪音", Category.NOISE),
    ("生态", Category.ECOLOGY),
    ("辐射", Category.RADIATION),
)


def category_of(text: str) -> str:
    """The case category of a list's 污染类型 ("大气、噪声" → air, the first named);
    a category's own value is taken as it is; empty when nothing matches."""
    text = (text or "").strip()
    if text in Category.values:
        return text
    found = [(text.find(word), category) for word, category in CATEGORY_WORDS if word in text]
    return str(min(found)[1]) if found else ""


def _require_runs(user, batch: Batch) -> None:
    require(runs(user, batch.jurisdiction_id),
            _("The ecology bureau's dispatchers receive and publish the complaints the "
              "inspection transfers."), permission=True)  # fmt: skip


def _due_of(received_on: datetime.date, due_days, due: datetime.date | None) -> datetime.date:
    if due is None:
        days = form_number(due_days, min=1, max=MAX_DUE_DAYS)
        require(days is not None, _("Give the inspection's deadline: a date, or 1 to %(n)d days.")
                % {"n": MAX_DUE_DAYS})  # fmt: skip
        due = received_on + datetime.timedelta(days=days)
    require(due >= received_on, _("The result cannot be due before the complaint arrived."))
    return due


def transfer_receive(batch: Batch, *, reference: str, text: str, received_on: datetime.date,
                     by, due_days=None, due: datetime.date | None = None, address: str = "",
                     category: str = "", lead: Unit | None = None, at=None) -> TransferredCase:  # fmt: skip
    """A complaint the inspection team transferred becomes a case, due by the team's date
    (``due``, or ``due_days`` calendar days after ``received_on``) and linked to the batch.

    The case is routed by the duty lists as any case, or given to ``lead``."""
    _require_runs(by, batch)
    reference = text_of(reference, _("The transfer number"), limit=50)
    require(received_on is not None, _("Give the day the complaint was transferred."))
    due = _due_of(received_on, due_days, due)
    category = category_of(category)
    if lead is not None:
        require(lead.jurisdiction_id == batch.jurisdiction_id and lead.is_active,
                _("The lead unit must be an active unit of the district."))  # fmt: skip
    at = at or timezone.now()
    level = Level.IMPORTANT if batch.origin in IMPORTANT_ORIGINS else Level.GENERAL
    with transaction.atomic():
        require(not batch.transfers.filter(reference=reference).exists(),
                _("The batch has a complaint numbered %(reference)s already.")
                % {"reference": reference})  # fmt: skip
        # The team keeps who complained; the case knows only that the team passed it on.
        case = cases.case_register(
            jurisdiction=batch.jurisdiction, channel=Channel.INSPECTION, text=text,
            category=category, address=address, supervision=level,
            reporter={"organisation": batch.team or batch.title}, lead=lead, by=by, now=at,
        )  # fmt: skip
        transfer = TransferredCase(batch=batch, case=case, reference=reference,
                                   received_on=received_on, due=due)  # fmt: skip
        audited_save(transfer, by=by, reason=_("transferred by the inspection"))
        cases.case_note(
            case, by=by, now=at,
            text=_("Transferred by %(batch)s as no. %(reference)s: the result is due by "
                   "%(due)s.") % {"batch": batch.title, "reference": reference, "due": due},
        )  # fmt: skip
    return transfer


def finished(case: Case) -> bool:
    """Closed (办结), or merged into an earlier case that is closed."""
    if case.state == State.MERGED and case.duplicate_of_id:
        return case.duplicate_of.state == State.CLOSED
    return case.state == State.CLOSED


def transfer_publish(transfer: TransferredCase, *, result: str, by, at=None) -> TransferredCase:
    """The result (查处情况) goes on the batch's public list once the case is finished; a
    second publication corrects the first (the history keeps both)."""
    _require_runs(by, transfer.batch)
    require(finished(transfer.case),
            _("Case %(number)s is not finished yet: publish its result once the case is "
              "closed.") % {"number": transfer.case.number})  # fmt: skip
    result = text_of(result, _("The result to publish"), limit=RESULT_LIMIT)
    at, _today = moment(at)
    with transaction.atomic():
        transfer.result, transfer.published_at = result, at
        audited_save(transfer, by=by, reason=_("result published"))
    return transfer


def transfers_of(user, batch: Batch):
    """The batch's transfers the user may see, with their cases."""
    return (
        access.scope(user, TransferredCase.objects.filter(batch=batch))
        .select_related("case__lead", "case__duplicate_of")
        .order_by("received_on", "reference", "pk")
    )


def published(batch: Batch):
    """What the public list shows: the transfers whose result is published. Only the
    number, the place, the kind of pollution, the dates and the result are public."""
    return (
        TransferredCase.objects.filter(batch=batch, batch__public=True)
        .exclude(published_at=None)
        .select_related("case")
        .only(
            "reference",
            "received_on",
            "due",
            "result",
            "published_at",
            "batch",
            "case__address",
            "case__category",
        )  # fmt: skip
        .order_by("received_on", "reference")
    )


def _transfer_due(case: Case) -> datetime.date | None:
    """The team's date for the case, or for a report it took in as a repeat."""
    if case.pk is None:
        return None
    return TransferredCase.objects.filter(Q(case=case) | Q(case__duplicate_of=case)).aggregate(
        due=Min("due")
    )["due"]


cases.register_deadline(_transfer_due)


# --- the list the team hands over ---------------------------------------------------

_REFERENCE = re.compile(r"[\s　]+")


def clean_reference(value) -> str:
    """A transfer number as the sheet writes it (a number cell loses its .0)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _REFERENCE.sub("", str(value if value is not None else ""))


def import_rows(batch: Batch, rows, *, by, due_days, at=None) -> list[TransferredCase]:
    """Receive every row (reference, text, address, category, received_on) in one
    transaction; a bad row stops the whole list and is named."""
    _require_runs(by, batch)
    received: list[TransferredCase] = []
    errors: list[str] = []
    with transaction.atomic():
        for number, row in rows:
            try:
                with transaction.atomic():
                    received.append(transfer_receive(batch, by=by, due_days=due_days, at=at,
                                                     **row))  # fmt: skip
            except ValidationError as error:
                errors.append(
                    _("Row %(n)d: %(error)s") % {"n": number, "error": "；".join(error.messages)}
                )
        if errors:
            raise ValidationError(errors)
    return received
