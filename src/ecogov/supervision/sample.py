"""Sample supervised items of Chengzhong District that no other record produces: a
district head's instruction (领导批示) being carried out, and a special supervision item
(专项督办) left overdue. Meetings, suggestions and implementation plans bring their own."""

import datetime

from django.utils import timezone

from ecogov.cases.sample import SampleCast, moment
from ecogov.domain.supervision import Level
from ecogov.org.models import Jurisdiction
from ecogov.supervision import clocks, services
from ecogov.supervision.models import Item, Kind

INSTRUCTION = "关于南川河城中段黑臭水体反弹问题的批示"
SPECIAL = "冬季燃煤散烧和秸秆焚烧专项督办"


def supervision_sample_load(district: Jurisdiction, *, today: datetime.date | None = None) -> int:
    """Create the sample instruction and special item (once); returns the items added."""
    if Item.objects.filter(jurisdiction=district, title=INSTRUCTION).exists():
        return 0
    today = today or timezone.localdate()
    cast = SampleCast(district)
    office = cast.unit("区政府办公室")
    construction, water = cast.unit("区城乡建设局"), cast.unit("区农业农村局")
    start = today - datetime.timedelta(days=40)
    instruction = services.item_create(
        jurisdiction=district, kind=Kind.INSTRUCTION, title=INSTRUCTION, supervisor=office,
        text="近期群众反映南川河城中段部分河段又出现黑臭，请区城乡建设局牵头、区农业农村局"
        "配合，查明雨污混接和沿河排口问题，两个月内完成整治，每半月报送进展。",
        source="区长批示件（城中政批〔" + f"{start.year}" + "〕17号）", lead=construction,
        support=[water], deadline=start + datetime.timedelta(days=60), level=Level.IMPORTANT,
        by=cast.dispatcher, at=moment(start, 10, 0),
    )  # fmt: skip
    services.item_report(
        instruction, text="完成沿河12处排口排查，发现雨污混接点3处，已制定整改方案。", percent="30",
        by=cast.liaison(construction), at=moment(start + datetime.timedelta(days=14), 10, 0),
    )  # fmt: skip
    services.item_report(
        instruction, text="配合完成河道清淤1.2公里，补水调度已协调。", by=cast.liaison(water),
        at=moment(start + datetime.timedelta(days=20), 10, 0),
    )  # fmt: skip
    special = services.item_create(
        jurisdiction=district, kind=Kind.SPECIAL, title=SPECIAL, supervisor=cast.bureau,
        text="各镇政府、街道办事处落实冬季燃煤散烧治理和秸秆禁烧网格化巡查，"
        "区生态环境局每周通报，发现一起查处一起。",
        source="城中区大气污染防治工作专项督办通知", lead=cast.unit("总寨镇政府"),
        deadline=today - datetime.timedelta(days=5), level=Level.URGENT, by=cast.dispatcher,
        at=moment(today - datetime.timedelta(days=35), 10, 0),
    )  # fmt: skip
    cast.liaison(special.lead)
    clocks.scan(today)
    return 2
