from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "ecogov.monitoring"
    label = "monitoring"
    verbose_name = _("Online monitoring")

    def ready(self):
        from ecogov.monitoring.rules import register

        register()
