"""The sample plans: Chengzhong's 2024–2026 action plan and Wuhai's 2022 plan (see sample/)."""

import datetime

from django.db import transaction
from django.utils import timezone

from ecogov.domain.plandoc import parse_plan
from ecogov.domain.plantargets import plan_targets
from ecogov.domain.textfile import read_text
from ecogov.org.models import Jurisdiction
from ecogov.org.sample import SAMPLE_DIR
from ecogov.org.services import jurisdiction_ensure
from ecogov.plans.models import Plan
from ecogov.plans.services import known_units, plan_import, plan_resolve

WUHAI = (
    ("内蒙古自治区", Jurisdiction.Level.PROVINCE, "150000"),
    ("乌海市", Jurisdiction.Level.CITY, "150300"),
)
PLANS = (
    # (file, area path, register the units the registry lacks)
    ("chengzhong_2024_action_plan.txt", ("青海省", "西宁市", "城中区"), False),
    ("wuhai_2022_improvement_plan.txt", ("内蒙古自治区", "乌海市"), True),
)


# The sample plans entered EcoGov nine months ago: the implementation plans their lead
# units owe (three months) are due in the past, some uploaded in time, some late, some
# missing (ecogov.campaigns.sample).
ENTERED_DAYS_AGO = 270


@transaction.atomic
def plans_sample_load() -> list[Plan]:
    """Import the sample plans (idempotent); the Chengzhong registry must be loaded first."""
    entered = timezone.localtime().replace(
        hour=9, minute=0, second=0, microsecond=0
    ) - datetime.timedelta(days=ENTERED_DAYS_AGO)
    parent = None
    for name, level, code in WUHAI:
        parent = jurisdiction_ensure(name=name, level=level, parent=parent, code=code)
    plans = []
    for filename, path, create_units in PLANS:
        area = Jurisdiction.objects.get(name=path[-1], parent__name=path[-2])
        document = parse_plan(read_text(SAMPLE_DIR / filename), known_units=known_units(area))
        resolution = plan_resolve(document=document, jurisdiction=area, create_units=create_units)
        plans.append(
            plan_import(
                document=document,
                targets=plan_targets(document),
                jurisdiction=area,
                resolution=resolution,
                source=filename,
                obligations_from=entered,
            )
        )
    return plans
