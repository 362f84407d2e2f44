from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "ecogov.supervision"
    label = "supervision"
    verbose_name = _("Supervision")

    def ready(self):
        from ecogov.supervision import services  # noqa: F401 (registers the items' clocks)
        from ecogov.supervision.rules import register

        register()
