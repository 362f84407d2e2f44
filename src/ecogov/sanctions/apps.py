from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SanctionsConfig(AppConfig):
    name = "ecogov.sanctions"
    label = "sanctions"
    verbose_name = _("Sanctions")

    def ready(self):
        from functools import partial

        from ecogov.sanctions.rules import register
        from ecogov.supervision import ledger
        from ecogov.supervision.models import Kind

        register()
        # An admonition's commitments are supervised items like the others: they appear
        # on the committing unit's ledger and in the leaders' list with the same clocks.
        ledger.register(
            Kind.COMMITMENT,
            partial(ledger.item_rows, kind=Kind.COMMITMENT),
            partial(ledger.item_counts, kind=Kind.COMMITMENT),
            ledger.item_keys(Kind.COMMITMENT),
        )
