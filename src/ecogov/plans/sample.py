"""The sample plans: Chengzhong's 2024–2026 action plan and Wuhai's 2022 plan (see sample/)."""

from django.db import transaction

from ecogov.domain.plandoc import parse_plan
from ecogov.domain.plantargets import plan_targets
from ecogov.domain.textfile import read_text
from ecogov.org.models import Jurisdiction, Unit
from ecogov.org.sample import SAMPLE_DIR
from ecogov.org.services import jurisdiction_ensure
from ecogov.plans.models import Plan
from ecogov.plans.services import plan_import, plan_resolve

WUHAI = (
    ("内蒙古自治区", Jurisdiction.Level.PROVINCE, "150000"),
    ("乌海市", Jurisdiction.Level.CITY, "150300"),
)
PLANS = (
    # (file, area path, register the units the registry lacks)
    ("chengzhong_2024_action_plan.txt", ("青海省", "西宁市", "城中区"), False),
    ("wuhai_2022_improvement_plan.txt", ("内蒙古自治区", "乌海市"), True),
)


def _known(area: Jurisdiction) -> frozenset[str]:
    units = Unit.objects.filter(jurisdiction=area)
    names = set(units.values_list("name", flat=True)) | set(
        units.values_list("other_names__name", flat=True)
    )
    names.discard(None)
    return frozenset(names)


@transaction.atomic
def plans_sample_load() -> list[Plan]:
    """Import the sample plans (idempotent); the Chengzhong registry must be loaded first."""
    parent = None
    for name, level, code in WUHAI:
        parent = jurisdiction_ensure(name=name, level=level, parent=parent, code=code)
    plans = []
    for filename, path, create_units in PLANS:
        area = Jurisdiction.objects.get(name=path[-1], parent__name=path[-2])
        document = parse_plan(read_text(SAMPLE_DIR / filename), known_units=_known(area))
        resolution = plan_resolve(document=document, jurisdiction=area, create_units=create_units)
        plans.append(
            plan_import(
                document=document,
                targets=plan_targets(document),
                jurisdiction=area,
                resolution=resolution,
                source=filename,
            )
        )
    return plans
