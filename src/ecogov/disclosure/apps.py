from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "ecogov.disclosure"
    label = "disclosure"
    verbose_name = _("Public disclosure and open data")

    def ready(self):
        # Here, not at import: the data sets come from every app's public selections,
        # some of which use this app's registry and caching in turn.
        from ecogov.disclosure.datasets import register_builtin

        register_builtin()
