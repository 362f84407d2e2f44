"""The router learns from the bureau: each case its dispatchers assign or reassign to a
lead unit is a training example for the case's jurisdiction, and a nightly job
(``cases.tasks``) retrains each jurisdiction's learned part on the shipped base set and
these decisions.

Examples are rows of their own (``RoutingExample``), written by the services at the
moment of the decision, not read back from the case's history: the text is masked once
(the reporter's name, phone and e-mail, and anything shaped like a phone or ID number or
an e-mail address), a later decision on the same case replaces the earlier one, and a
case's later edits or deletion do not change what the router learned from.

What counts as the bureau's decision: ``case_assign`` (a disputed case, a returned one,
a re-decision before acceptance) and a transfer made by a dispatcher. A transfer a unit
makes itself, and the router's own automatic assignment, are not: the router would learn
its own guesses. Only the jurisdiction's own dispatchers can make these decisions
(``cases.rules.is_dispatcher_of``), so only a bureau's decisions train its own
jurisdiction's router.
"""

import datetime
import re

from ecogov.cases.models import Case, Reporter, RoutingExample
from ecogov.domain.router_model import OWN_WEIGHT, Example
from ecogov.org.models import Jurisdiction, RouterModel, Unit
from ecogov.org.routing import router_base_examples, router_model_store

# Phone numbers (landlines with or without area code, mobiles), ID numbers, e-mails.
_IDENTIFYING = re.compile(
    r"[\w.+-]+@[\w-]+(\.[\w-]+)+"
    r"|\d{17}[\dXx]|\d{15}"
    r"|(\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}"
    r"|(0\d{2,3}[- ]?)?\d{7,8}"
)


def mask(text: str, reporter: Reporter | None = None) -> str:
    """The text without who reported it (see the module's docstring)."""
    if reporter is not None:
        for value in (reporter.name, reporter.phone, reporter.email):
            if value and len(value.strip()) >= 2:
                text = text.replace(value.strip(), "某")
    return _IDENTIFYING.sub("XXX", text)


def routing_example_record(
    case: Case, *, lead: Unit, decision: str, now: datetime.datetime
) -> RoutingExample:
    """Keep the bureau's decision on who leads ``case`` as its training example."""
    reporter = Reporter.objects.filter(case=case).first()
    example, _created = RoutingExample.objects.update_or_create(
        case=case,
        defaults={
            "jurisdiction_id": case.jurisdiction_id, "text": mask(case.text, reporter),
            "unit": lead, "decision": decision, "decided_at": now,
        },
    )  # fmt: skip
    return example


def router_examples(jurisdiction: Jurisdiction) -> tuple[list[Example], int]:
    """The base set and the bureau's decisions (the decisions weigh more), and how many
    of them are decisions. Only active units are labels: a decision for a unit since
    dissolved teaches nothing about tomorrow's cases."""
    decisions = [
        Example(text, unit, OWN_WEIGHT, precedent=True)
        for text, unit in RoutingExample.objects.filter(
            jurisdiction=jurisdiction, unit__is_active=True
        ).values_list("text", "unit__name")
    ]
    return router_base_examples(jurisdiction) + decisions, len(decisions)


def router_train(*, jurisdiction: Jurisdiction, now=None) -> RouterModel | None:
    """Retrain one jurisdiction's learned part (nothing is done when its examples have
    not changed since the last training)."""
    examples, decisions = router_examples(jurisdiction)
    return router_model_store(
        jurisdiction=jurisdiction, examples=examples, decisions=decisions, now=now
    )


def router_train_all(now=None) -> list[tuple[Jurisdiction, RouterModel | None]]:
    """Every jurisdiction that has a duty list or decisions of its bureau."""
    ids = set(
        Jurisdiction.objects.filter(units__duties__isnull=False).values_list("pk", flat=True)
    ) | set(RoutingExample.objects.values_list("jurisdiction_id", flat=True))
    return [
        (area, router_train(jurisdiction=area, now=now))
        for area in Jurisdiction.objects.filter(pk__in=ids).order_by("pk")
    ]
