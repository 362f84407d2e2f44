from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "ecogov.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from ecogov.cases import services  # noqa: F401 (registers the cases' clocks)
        from ecogov.cases.rules import register

        register()
