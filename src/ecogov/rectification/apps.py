from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    name = "ecogov.rectification"
    label = "rectification"
    verbose_name = _("Rectification")

    def ready(self):
        from ecogov.rectification import (
            services,  # noqa: F401 (registers the ledger rows)
            transfers,  # noqa: F401 (the inspection's deadlines)
        )
        from ecogov.rectification.rules import register

        register()
