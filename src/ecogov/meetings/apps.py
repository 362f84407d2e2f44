from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "ecogov.meetings"
    label = "meetings"
    verbose_name = _("Coordination meetings")

    def ready(self):
        from ecogov.meetings import services  # noqa: F401 (registers where resolutions come from)
        from ecogov.meetings.rules import register

        register()
