from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatrolsConfig(AppConfig):
    name = "ecogov.patrols"
    label = "patrols"
    verbose_name = _("Patrols")

    def ready(self):
        from ecogov.patrols.rules import register

        register()
