from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "ecogov.enterprises"
    label = "enterprises"
    verbose_name = _("Enterprises")

    def ready(self):
        from ecogov.enterprises.rules import register

        register()
