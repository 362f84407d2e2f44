from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessConfig(AppConfig):
    name = "ecogov.assess"
    label = "assess"
    verbose_name = _("Assessment")

    def ready(self):
        from ecogov.assess import credit  # noqa: F401 (registers the credit rules)
        from ecogov.assess.rules import register

        register()
