"""Sample sanctions of Chengzhong District (FICTIONAL: each text starts “（虚构示例）”): a
criticism notice issued and published, an admonition talk with two commitments on the
units' ledgers, a regional approval restriction in force on a township, and a referral
to the discipline commission of a red, escalated item, acknowledged by the commission.

Everything goes through the services, by the sample dispatcher and a sample discipline
inspector; after the rectification sample (the referral takes its relapsed problem).
Loading again adds nothing.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation

from ecogov.accounts.models import Role, User
from ecogov.accounts.services import user_create
from ecogov.cases.sample import SampleCast, moment
from ecogov.domain.supervision import Colour, Stage
from ecogov.org.models import Jurisdiction
from ecogov.org.selectors import unit_find
from ecogov.org.services import jurisdiction_ensure
from ecogov.sanctions import services
from ecogov.sanctions.models import Admonition, CriticismNotice, Referral, Restriction
from ecogov.sanctions.services import CommitmentInput, SummonsInput
from ecogov.supervision.models import Item

INSPECTOR = "sample-inspector"
TOWNSHIP = "总寨镇"
NOTICE_TITLE = "（虚构示例）关于对南川河沿岸垃圾整治进度滞后单位的通报批评"
TALK_TITLE = "（虚构示例）关于南川河沿岸环境整治进度滞后的约谈"


def _inspector(district) -> User:
    user = User.objects.filter(username=INSPECTOR).first()
    if user is None:
        unit = unit_find(district, "区纪委监委")
        user = user_create(username=INSPECTOR, role=Role.INSPECTOR, unit=unit,
                           name="示例监督员（区纪委监委）", password=None)  # fmt: skip
    return user


def _day(today, before: int) -> datetime.date:
    return today - datetime.timedelta(days=before)


def sanctions_sample_load(district: Jurisdiction, *, today: datetime.date | None = None) -> int:
    """The four sample sanctions (each once); how many were added."""
    today = today or timezone.localdate()
    cast = SampleCast(district)
    by = cast.dispatcher
    construction, health = cast.unit("区城乡建设局"), cast.unit("区卫生健康局")
    added = 0
    with translation.override(settings.LANGUAGE_CODE):
        if not CriticismNotice.private_objects.filter(jurisdiction=district,
                                                      title=NOTICE_TITLE).exists():  # fmt: skip
            issued = _day(today, 20)
            notice = services.notice_create(
                jurisdiction=district, title=NOTICE_TITLE, units=[construction], by=by,
                facts="（虚构示例）经督查，区城乡建设局承担的南川河城中段沿岸建筑垃圾清运任务"
                      "逾期未完成，督办后仍未按要求整改，群众反映强烈。",
                at=moment(issued, 9, 0),
            )  # fmt: skip
            services.notice_issue(notice, issued_on=issued, publish=True, by=by,
                                  at=moment(issued, 10, 0))  # fmt: skip
            added += 1
        if not Admonition.objects.filter(jurisdiction=district, title=TALK_TITLE).exists():
            held = _day(today, 15)
            services.admonition_create(
                jurisdiction=district, title=TALK_TITLE, convener=cast.bureau,
                convener_position="区政府分管副区长", held_at=moment(held, 15, 0),
                place="区政府三楼会议室", by=by, at=moment(held, 17, 0),
                problems="（虚构示例）南川河沿岸垃圾清运和医疗废物排查进度滞后，"
                         "通报批评后仍未按期完成。",
                summoned=[SummonsInput(construction, "（示例）分管副局长"),
                          SummonsInput(health, "（示例）局长")],
                commitments=[
                    CommitmentInput(construction, "（虚构示例）完成南川河沿岸建筑垃圾全部清运",
                                    today + datetime.timedelta(days=15)),
                    CommitmentInput(health, "（虚构示例）完成辖区医疗机构医疗废物专项排查",
                                    _day(today, 2)),
                ],
            )  # fmt: skip
            added += 1
        township = jurisdiction_ensure(
            name=TOWNSHIP, level=Jurisdiction.Level.TOWNSHIP, parent=district
        )
        if not Restriction.objects.filter(jurisdiction=township).exists():
            start = _day(today, 10)
            services.restriction_decide(
                jurisdiction=township, starts_on=start, ends_on=today + datetime.timedelta(days=80),
                reason="（虚构示例）辖区内南川河断面水质连续三个月未达到考核目标，"
                       "暂停审批新增水污染物排放的建设项目。",
                by=by, at=moment(start, 9, 0),
            )  # fmt: skip
            added += 1
        if not Referral.objects.filter(jurisdiction=district).exists():
            red = (Item.objects.filter(jurisdiction=district, colour=Colour.RED)
                   .exclude(state__in=[Item.State.CLOSED, Item.State.CANCELLED])
                   .filter(Q(stage__gte=Stage.UPPER) | Q(raised__gte=Stage.UPPER)))  # fmt: skip
            # One past its deadline shows in the dossier how late it is.
            red = red.filter(deadline__lt=today).order_by("-stage", "pk").first() or \
                red.order_by("-raised", "-stage", "pk").first()  # fmt: skip
            if red is not None:
                referred = _day(today, 5)
                referral = services.referral_create(
                    jurisdiction=district, target=Referral.Target.DISCIPLINE, units=[red.lead],
                    people="（示例）该单位分管负责人", items=[red], by=by,
                    reason="（虚构示例）督办事项逾期未完成并已升级至纪委监委，"
                           "相关单位履职不力，移交追责问责。",
                    referred_on=referred, at=moment(referred, 9, 0),
                )  # fmt: skip
                services.referral_acknowledge(referral, note="（示例）已收到，转审查调查室办理。",
                                              by=_inspector(district),
                                              at=moment(_day(today, 4), 10, 0))  # fmt: skip
                added += 1
    return added
