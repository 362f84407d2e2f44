from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "ecogov.plans"
    label = "plans"
    verbose_name = _("Plans, tasks and targets")

    def ready(self):
        from ecogov.plans import supervised
        from ecogov.plans.implementation import implementation_origin, implementation_steps
        from ecogov.plans.models import Target, TargetValue, Task, TaskReport, TaskUnit
        from ecogov.plans.rules import register
        from ecogov.supervision.models import Kind
        from ecogov.supervision.services import register_origin, register_steps
        from ecogov.web.history import register_parts

        register()
        supervised.register()
        register_origin(Kind.IMPLEMENTATION, implementation_origin)
        register_steps(Kind.IMPLEMENTATION, implementation_steps)
        register_parts(Task, [(TaskUnit, "task_id"), (TaskReport, "task_id")])
        register_parts(Target, [(TargetValue, "target_id")])
