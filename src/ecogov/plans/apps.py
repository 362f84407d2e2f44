from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "ecogov.plans"
    label = "plans"
    verbose_name = _("Plans, tasks and targets")
