from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcesConfig(AppConfig):
    name = "ecogov.sources"
    label = "sources"
    verbose_name = _("Pollution-source base")

    def ready(self):
        from ecogov.sources.rules import register

        register()
