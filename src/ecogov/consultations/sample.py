"""Sample consultations of Chengzhong District (FICTIONAL: each title starts “（示例）”):

- open: the bureau's draft plan on cooking fumes (餐饮油烟) of the district's catering
  businesses, opened five days ago for 35 days, with three published comments and one
  awaiting moderation;
- answered: a construction project's EIA publicity (a fictional sewage plant
  extension), closed, with an expert argument meeting and its record, each published
  comment answered and the response published.

Everything goes through the services, by the sample dispatcher; loading again adds
nothing.
"""

import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from ecogov.cases.sample import SampleCast
from ecogov.consultations import services
from ecogov.consultations.models import Answer, Consultation, Hearing, Kind
from ecogov.org.models import Jurisdiction

OPEN_TITLE = "（示例）城中区餐饮服务业油烟污染防治工作方案（征求意见稿）"
CLOSED_TITLE = "（示例）城南污水处理厂扩建工程环境影响评价公众参与公示"
RECORD_PDF = b"%PDF-1.4\n% (sample) expert argument meeting record\n%%EOF\n"


def _at(today: datetime.date, before: int, hour: int = 10) -> datetime.datetime:
    day = today - datetime.timedelta(days=before)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _open_one(district, cast, today) -> None:
    by = cast.dispatcher
    consultation = services.consultation_create(
        jurisdiction=district, organiser=cast.bureau, kind=Kind.PLAN, title=OPEN_TITLE,
        summary="（示例）为减少餐饮油烟对居民的影响，拟要求城区餐饮服务单位安装油烟净化设施并定期"
                "清洗，居民楼底商禁止新建产生油烟的餐饮项目。欢迎提出意见。",
        body="一、适用范围：城中区建成区内的餐饮服务单位。\n二、主要措施：安装高效油烟净化设施，"
             "每季度清洗一次并留存记录；露天烧烤一律入店经营。\n三、监督检查：区生态环境局会同"
             "市场监管部门每半年开展一次联合检查。",
        closes_on=today + datetime.timedelta(days=30), by=by, at=_at(today, 6),
    )  # fmt: skip
    services.consultation_open(consultation, by=by, at=_at(today, 5))
    texts = [
        ("建议对小型餐馆的净化设施给予补贴，否则小店负担较重。", True),
        ("南川西路夜市烧烤油烟很大，希望尽快纳入整治范围。", True),
        ("清洗频次每季度一次偏少，建议每月一次。", True),
        ("（待审核）希望公布检查结果。", False),
    ]
    for n, (text, publish) in enumerate(texts):
        comment = services.comment_submit(consultation, text=text, name="示例居民" if n else "",
                                          phone="13900000000" if n == 1 else "",
                                          at=_at(today, 4 - n))  # fmt: skip
        if publish:
            services.comment_moderate(comment, publish=True, by=by, at=_at(today, 4 - n, 15))


def _answered_one(district, cast, today) -> None:
    by = cast.dispatcher
    consultation = services.consultation_create(
        jurisdiction=district, organiser=cast.bureau, kind=Kind.PROJECT, title=CLOSED_TITLE,
        summary="（示例）城南污水处理厂拟扩建日处理能力2万吨，现公示环境影响报告书简本，"
                "征求公众意见。",
        body="项目名称：城南污水处理厂扩建工程（虚构）。\n主要环境影响：施工期扬尘和噪声，运营期"
             "臭气。\n拟采取措施：臭气收集除臭、厂界绿化隔离带。",
        closes_on=today - datetime.timedelta(days=25), by=by, at=_at(today, 62),
    )  # fmt: skip
    services.consultation_open(consultation, by=by, at=_at(today, 60))
    comments = []
    for n, text in enumerate(("担心臭气影响附近小区，请说明除臭措施。",
                              "施工期间请避开夜间施工。",
                              "建议同步建设中水回用设施。")):  # fmt: skip
        comment = services.comment_submit(consultation, text=text, at=_at(today, 55 - n))
        comments.append(services.comment_moderate(comment, publish=True, by=by,
                                                  at=_at(today, 54 - n)))  # fmt: skip
    hearing = services.hearing_announce(
        consultation, kind=Hearing.Kind.ARGUMENT, held_at=_at(today, 40, 9),
        place="（示例）区生态环境局三楼会议室",
        how_to_apply="（示例）有意旁听的居民请于会前三日致电区生态环境局报名。", by=by,
    )  # fmt: skip
    services.hearing_record(
        hearing, summary="（示例）五位专家认为除臭措施可行，建议加高排气筒并加强厂界监测。",
        files=[ContentFile(RECORD_PDF, name="论证会纪要.pdf")], by=by, at=_at(today, 39),
    )  # fmt: skip
    services.consultation_close(consultation, at=_at(today, 24, 0))
    services.answer_give(consultation, comments=[comments[0]], verdict=Answer.Verdict.ADOPTED,
                         reason="已在报告书中补充除臭设施和监测方案。", by=by,
                         at=_at(today, 15))  # fmt: skip
    services.answer_give(consultation, comments=[comments[1]], verdict=Answer.Verdict.ADOPTED,
                         by=by, at=_at(today, 15))  # fmt: skip
    services.answer_give(consultation, comments=[comments[2]], verdict=Answer.Verdict.PARTLY,
                         reason="中水回用列入二期建设，本期预留用地。", by=by,
                         at=_at(today, 15))  # fmt: skip
    services.response_publish(
        consultation, explanation="（示例）共收到意见3条，采纳2条，部分采纳1条。专家论证意见已"
                                  "在环境影响报告书中落实。", by=by, at=_at(today, 10),
    )  # fmt: skip


def consultations_sample_load(district: Jurisdiction, *, today: datetime.date | None = None) -> int:
    """The two sample consultations (each once); how many were added."""
    today = today or timezone.localdate()
    cast = SampleCast(district)
    added = 0
    with translation.override(settings.LANGUAGE_CODE):
        for title, load in ((OPEN_TITLE, _open_one), (CLOSED_TITLE, _answered_one)):
            if not Consultation.private_objects.filter(jurisdiction=district, title=title).exists():
                load(district, cast, today)
                added += 1
    return added
