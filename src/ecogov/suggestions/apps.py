from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    name = "ecogov.suggestions"
    label = "suggestions"
    verbose_name = _("Suggestions and proposals")

    def ready(self):
        from ecogov.suggestions import services  # noqa: F401 (registers clocks, origin, steps)
        from ecogov.suggestions.rules import register

        register()
