from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "ecogov.consultations"
    label = "consultations"
    verbose_name = _("Public consultation")

    def ready(self):
        from ecogov.consultations.rules import register

        register()
