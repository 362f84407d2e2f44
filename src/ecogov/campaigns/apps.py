from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "ecogov.campaigns"
    label = "campaigns"
    verbose_name = _("Joint enforcement campaigns")

    def ready(self):
        from ecogov.campaigns.rules import register

        register()
