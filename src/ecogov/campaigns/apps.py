from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "ecogov.campaigns"
    label = "campaigns"
    verbose_name = _("Joint enforcement campaigns")

    def ready(self):
        from ecogov.campaigns.models import Campaign, Inspection
        from ecogov.campaigns.rules import register
        from ecogov.web.history import register_parts

        register()
        register_parts(Campaign, [(Inspection, "campaign_id")])
