"""Sanctions (seed 002 §五, seed 004 §四.(三)): criticism notices, admonition talks whose
commitments are supervised items, regional approval restrictions, referrals with their
dossier; every refusal leaves nothing changed."""

import datetime
import io

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from ecogov.org.models import Jurisdiction
from ecogov.org.services import jurisdiction_ensure
from ecogov.sanctions import documents, services
from ecogov.sanctions.dossier import dossier_of
from ecogov.sanctions.models import (
    Admonition,
    CriticismNotice,
    Referral,
    Restriction,
)
from ecogov.sanctions.selectors import open_sanctions
from ecogov.sanctions.services import CommitmentInput, SummonsInput
from ecogov.supervision import ledger
from ecogov.supervision import services as supervision
from ecogov.supervision.models import Item, Kind

YEAR = timezone.localdate().year


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def make_notice(personas, **fields) -> CriticismNotice:
    fields.setdefault("units", [personas.construction])
    return services.notice_create(
        jurisdiction=personas.district, title="关于对区城乡建设局的通报批评",
        facts="南川河沿岸垃圾清运整改任务逾期未完成。", by=personas.dora, **fields,
    )  # fmt: skip


def make_admonition(personas, **fields) -> Admonition:
    values = {
        "title": "关于南川河整治滞后的约谈", "convener": personas.bureau,
        "convener_position": "区政府分管副区长",
        "held_at": timezone.now() - datetime.timedelta(days=1), "place": "区政府三楼会议室",
        "problems": "整改进度滞后，群众反映强烈。",
        "summoned": [SummonsInput(personas.construction, "张某 副局长"),
                     SummonsInput(personas.health, "李某 局长")],
        "commitments": [
            CommitmentInput(personas.construction, "十日内清运南川河沿岸垃圾", days(10)),
            CommitmentInput(personas.health, "完成医疗废物专项排查", days(20)),
        ],
    }  # fmt: skip
    return services.admonition_create(
        jurisdiction=personas.district, by=personas.dora, **(values | fields)
    )


def make_item(personas, *, deadline, at=None) -> Item:
    return supervision.item_create(
        jurisdiction=personas.district, kind=Kind.SPECIAL, title="南川河沿岸垃圾清运",
        lead=personas.construction, supervisor=personas.bureau, deadline=deadline,
        by=personas.dora, at=at,
    )  # fmt: skip


@pytest.fixture
def township(personas):
    return jurisdiction_ensure(
        name="总寨镇", level=Jurisdiction.Level.TOWNSHIP, parent=personas.district
    )


# --- notices ------------------------------------------------------------------------


def test_a_notice_gets_the_next_number_of_the_year(personas):
    first = make_notice(personas)
    second = make_notice(personas)
    assert first.number == f"城环委通〔{YEAR}〕1号"
    assert second.number == f"城环委通〔{YEAR}〕2号"
    assert first.state == CriticismNotice.State.DRAFT and first.issuer == personas.bureau


def test_a_notice_is_issued_and_published(personas):
    notice = make_notice(personas, number="城环委通〔2026〕3号")
    services.notice_issue(notice, publish=True, by=personas.dora)
    assert notice.state == CriticismNotice.State.ISSUED and notice.issued_on == days(0)
    assert list(CriticismNotice.public_objects.all()) == [notice]
    services.notice_publish(notice, published=False, by=personas.dora)
    assert not CriticismNotice.public_objects.exists()


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"title": ""}, "The title is required."),
        ({"facts": " "}, "The facts is required."),
        ({"units": []}, "Name at least one unit concerned."),
        ({"units": ["outsider"]}, "must be a unit of"),
        ({"number": "taken"}, "is taken"),
        ({"items": ["outsider"]}, "is not a record of"),
    ],
)
def test_a_bad_notice_is_refused_and_nothing_is_saved(personas, fields, message):
    make_notice(personas, number="城环委通〔2026〕9号")
    other = supervision.item_create(
        jurisdiction=personas.outsider_district, kind=Kind.SPECIAL, title="外区事项",
        lead=personas.outsider_unit, supervisor=personas.outsider_unit, deadline=days(5),
        by=personas.oscar,
    )  # fmt: skip
    values = {"title": "通报", "facts": "事实", "units": [personas.construction]}
    values |= fields
    if values.get("units") == ["outsider"]:
        values["units"] = [personas.outsider_unit]
    if values.get("number") == "taken":
        values["number"] = "城环委通〔2026〕9号"
    if values.get("items") == ["outsider"]:
        values["items"] = [other]
    with pytest.raises(ValidationError) as refused:
        services.notice_create(jurisdiction=personas.district, by=personas.dora, **values)
    assert message in " ".join(refused.value.messages)
    assert CriticismNotice.private_objects.count() == 1


@pytest.mark.parametrize("who", ["liam", "lena", "ian", "gary", "oscar"])
def test_only_the_bureau_writes_a_notice(personas, who):
    with pytest.raises(PermissionDenied):
        services.notice_create(jurisdiction=personas.district, title="通报", facts="事实",
                               units=[personas.construction], by=getattr(personas, who))  # fmt: skip
    assert not CriticismNotice.private_objects.exists()


def test_an_issued_notice_is_not_edited_nor_issued_twice(personas):
    notice = make_notice(personas)
    services.notice_issue(notice, by=personas.dora)
    with pytest.raises(ValidationError, match="not edited"):
        services.notice_update(notice, title="新", facts="新", units=[personas.health],
                               number="", by=personas.dora)  # fmt: skip
    with pytest.raises(ValidationError, match="already issued"):
        services.notice_issue(notice, by=personas.dora)
    notice.refresh_from_db()
    assert notice.title == "关于对区城乡建设局的通报批评"


def test_a_draft_is_neither_issued_in_the_future_nor_published(personas):
    notice = make_notice(personas)
    with pytest.raises(ValidationError, match="day to come"):
        services.notice_issue(notice, issued_on=days(3), by=personas.dora)
    with pytest.raises(ValidationError, match="Only an issued notice"):
        services.notice_publish(notice, published=True, by=personas.dora)
    notice.refresh_from_db()
    assert notice.state == CriticismNotice.State.DRAFT and not notice.published


def test_the_notice_document_says_number_units_facts_issuer_and_date(personas):
    notice = make_notice(personas, units=[personas.construction, personas.health])
    services.notice_issue(notice, issued_on=datetime.date(2026, 11, 30), by=personas.dora)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(documents.notice_docx(notice)))
                     .paragraphs)  # fmt: skip
    assert "城中区生态环境局文件" in text and notice.number in text
    assert "关于对区城乡建设局的通报批评" in text
    assert "区城乡建设局、区卫生健康局：" in text
    assert "南川河沿岸垃圾清运整改任务逾期未完成。" in text
    assert "区生态环境局" in text and "2026年11月30日" in text


# --- admonitions --------------------------------------------------------------------


def test_an_admonitions_commitments_are_on_the_units_ledgers(personas):
    admonition = make_admonition(personas)
    commitments = list(admonition.commitments.select_related("item"))
    assert [c.item.kind for c in commitments] == [Kind.COMMITMENT, Kind.COMMITMENT]
    item = commitments[0].item
    assert item.lead == personas.construction and item.supervisor == personas.bureau
    assert item.deadline == days(10) and item.source.startswith(admonition.number)
    rows = ledger.rows(personas.liam, ledger.Filters())
    assert [row.number for row in rows if row.kind == Kind.COMMITMENT] == [item.number]
    leader = ledger.rows(personas.lena, ledger.Filters(kinds=frozenset({Kind.COMMITMENT})))
    assert len(leader) == 2


def test_a_commitment_is_added_afterwards(personas):
    admonition = make_admonition(personas, commitments=[])
    services.commitment_add(admonition, unit=personas.health, text="建立长效机制",
                            deadline=days(30), by=personas.dora)  # fmt: skip
    assert admonition.commitments.get().item.lead == personas.health


@pytest.mark.parametrize(
    "change, message",
    [
        ({"convener": None}, "Name the unit that held the talk."),
        ({"held_at": None}, "Give the day and time"),
        ({"place": ""}, "The place is required."),
        ({"problems": ""}, "The problems raised is required."),
        ({"summoned": []}, "Name at least one unit summoned."),
        ({"summoned": "twice"}, "summoned twice"),
        ({"summoned": "no attendee"}, "is required"),
        ({"commitments": "not summoned"}, "made by a unit summoned"),
        ({"commitments": "no deadline"}, "Give the commitment's deadline."),
        ({"commitments": "no text"}, "The commitment is required."),
    ],
)
def test_a_bad_admonition_is_refused_and_nothing_is_saved(personas, change, message):
    value = next(iter(change.values()))
    key = next(iter(change))
    fields = {}
    if value == "twice":
        fields["summoned"] = [
            SummonsInput(personas.health, "甲"),
            SummonsInput(personas.health, "乙"),
        ]
    elif value == "no attendee":
        fields["summoned"] = [SummonsInput(personas.health, " ")]
    elif value == "not summoned":
        fields["commitments"] = [CommitmentInput(personas.township, "承诺", days(3))]
    elif value == "no deadline":
        fields["commitments"] = [CommitmentInput(personas.health, "承诺", None)]
    elif value == "no text":
        fields["commitments"] = [CommitmentInput(personas.health, "", days(3))]
    else:
        fields[key] = value
    with pytest.raises(ValidationError) as refused:
        make_admonition(personas, **fields)
    assert message in " ".join(refused.value.messages)
    assert not Admonition.objects.exists()
    assert not Item.objects.filter(kind=Kind.COMMITMENT).exists()


def test_the_record_of_the_talk(personas):
    admonition = make_admonition(personas)
    text = "\n".join(p.text for p in docx.Document(
        io.BytesIO(documents.admonition_docx(admonition))).paragraphs)  # fmt: skip
    assert "约谈记录" in text and admonition.number in text
    assert "区生态环境局 区政府分管副区长" in text
    assert "区城乡建设局（张某 副局长）" in text
    assert "区城乡建设局承诺：十日内清运南川河沿岸垃圾" in text


# --- restrictions -------------------------------------------------------------------


def test_a_restriction_holds_on_the_township_and_below_until_lifted(personas, township):
    village = jurisdiction_ensure(name="总寨村", level=Jurisdiction.Level.VILLAGE, parent=township)
    restriction = services.restriction_decide(
        jurisdiction=township, reason="辖区水质断面连续超标", starts_on=days(-5),
        ends_on=days(60), by=personas.dora,
    )  # fmt: skip
    assert restriction.number == f"城环委限〔{days(-5).year}〕1号"
    assert services.restriction_on(township, days(0)) == restriction
    assert services.restriction_on(village, days(0)) == restriction
    assert services.restriction_on(personas.district, days(0)) is None
    assert services.restriction_on(township, days(61)) is None
    services.restriction_lift(restriction, reason="整改到位", on=days(2), by=personas.dora)
    assert services.restriction_on(township, days(1)) == restriction
    assert services.restriction_on(township, days(2)) is None
    assert restriction.history.count() == 2


def test_bad_restrictions_are_refused(personas, township):
    base = {"reason": "原因", "starts_on": days(0), "ends_on": days(30), "by": personas.dora}
    for fields, message in (
        ({"jurisdiction": personas.district}, "township or street"),
        ({"jurisdiction": township, "ends_on": days(-1), "starts_on": days(-9)}, "already be over"),
        ({"jurisdiction": township, "starts_on": days(40)}, "ends before it starts"),
        ({"jurisdiction": township, "reason": ""}, "The reason is required."),
    ):
        with pytest.raises(ValidationError, match=message):
            services.restriction_decide(**(base | fields))
    with pytest.raises(PermissionDenied):
        services.restriction_decide(**(base | {"jurisdiction": township, "by": personas.lena}))
    services.restriction_decide(**(base | {"jurisdiction": township}))
    with pytest.raises(ValidationError, match="already restricted"):
        services.restriction_decide(**(base | {"jurisdiction": township}))
    assert Restriction.objects.count() == 1


# --- referrals and the dossier ------------------------------------------------------


def closed_late(personas) -> Item:
    """Due 20 days ago, asked to close 14 days ago and closed 12 days ago: 8 days late."""
    past = timezone.now() - datetime.timedelta(days=40)
    item = make_item(personas, deadline=days(-20), at=past)
    supervision.item_ask_completion(item, text="已清运", by=personas.liam,
                                    at=timezone.now() - datetime.timedelta(days=14))  # fmt: skip
    supervision.item_verify(item, accept=True, note="核查属实", by=personas.dora,
                            at=timezone.now() - datetime.timedelta(days=12))  # fmt: skip
    item.refresh_from_db()
    return item


def make_referral(personas, items, **fields) -> Referral:
    return services.referral_create(
        jurisdiction=personas.district, target=Referral.Target.DISCIPLINE,
        units=[personas.construction], people="张某（区城乡建设局副局长）",
        reason="督办事项逾期未完成，整改不力。", items=items, by=personas.dora, **fields,
    )  # fmt: skip


def test_the_dossier_says_how_late_each_record_was(personas):
    late = closed_late(personas)
    overdue = make_item(personas, deadline=days(-6),
                        at=timezone.now() - datetime.timedelta(days=30))  # fmt: skip
    referral = make_referral(personas, [late, overdue])
    [first, second] = dossier_of(referral)
    assert first.clocks[0].deadline == days(-20) and first.clocks[0].done_on == days(-12)
    assert first.clocks[0].late_days == 8 and first.clocks[0].verdict == "late by 8 days"
    assert [step.what for step in first.steps][:3] == [
        "created",
        "completion requested",
        "verified and closed",
    ]
    assert first.steps[1].actor == "Liam 联络员" and first.steps[1].unit == "区城乡建设局"
    assert second.clocks[0].verdict == "overdue by 6 days now"
    text = "\n".join(p.text for p in docx.Document(
        io.BytesIO(documents.dossier_docx(referral))).paragraphs)  # fmt: skip
    assert "late by 8 days" in text and "overdue by 6 days now" in text
    assert referral.number in text


def test_the_commission_acknowledges_and_concludes(personas):
    referral = make_referral(personas, [make_item(personas, deadline=days(-3))])
    with pytest.raises(PermissionDenied):
        services.referral_acknowledge(referral, note="收到", by=personas.dora)
    with pytest.raises(ValidationError, match="Acknowledge the referral"):
        services.referral_conclude(referral, outcome="给予诫勉谈话", by=personas.ian)
    services.referral_acknowledge(referral, note="已收到，转审查调查室", by=personas.ian)
    with pytest.raises(ValidationError, match="already acknowledged"):
        services.referral_acknowledge(referral, by=personas.ian)
    services.referral_conclude(referral, outcome="给予诫勉谈话", by=personas.ian)
    referral.refresh_from_db()
    assert referral.state == Referral.State.CONCLUDED and referral.acknowledged_by == personas.ian
    assert referral.outcome == "给予诫勉谈话"


def test_bad_referrals_are_refused(personas):
    item = make_item(personas, deadline=days(-3))
    for fields, message in (
        ({"items": []}, "at least one supervised item or case"),
        ({"target": "police"}, "discipline commission or to the judicial"),
        ({"referred_on": days(2)}, "day to come"),
        ({"reason": ""}, "The reason is required."),
    ):
        values = {"items": [item]} | fields
        with pytest.raises(ValidationError, match=message):
            services.referral_create(
                jurisdiction=personas.district, units=[personas.construction], by=personas.dora,
                **({"target": Referral.Target.DISCIPLINE, "reason": "原因"} | values),
            )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.referral_create(
            jurisdiction=personas.district, target=Referral.Target.JUDICIAL, reason="原因",
            units=[personas.construction], items=[item], by=personas.ian,
        )  # fmt: skip
    assert not Referral.objects.exists()


# --- the leaders' helper ------------------------------------------------------------


def test_open_sanctions_as_each_role_sees_them(personas, township):
    notice = make_notice(personas)
    services.notice_issue(notice, by=personas.dora)
    make_admonition(personas)
    services.restriction_decide(jurisdiction=township, reason="超标", starts_on=days(0),
                                ends_on=days(9), by=personas.dora)  # fmt: skip
    make_referral(personas, [make_item(personas, deadline=days(-3))])
    kinds = {row.kind for row in open_sanctions(personas.lena)}
    assert kinds == {"criticism notice", "admonition talk", "regional approval restriction",
                     "referral"}  # fmt: skip
    [restriction] = [row for row in open_sanctions(personas.lena) if row.unit_id is None]
    assert restriction.unit == "总寨镇"
    liaison = open_sanctions(personas.liam)
    assert {row.kind for row in liaison} == {"criticism notice", "admonition talk"}
    assert open_sanctions(personas.gary) == [] and open_sanctions(personas.oscar) == []


def test_records_are_corrected_by_the_bureau_until_they_are_settled(personas, township):
    talk = make_admonition(personas)
    services.admonition_update(talk, title="更正后的约谈", convener_position="区长",
                               place="区政府会议室", problems="问题。", by=personas.dora)  # fmt: skip
    assert Admonition.objects.get().title == "更正后的约谈"
    with pytest.raises(ValidationError, match="The place is required."):
        services.admonition_update(talk, title="x", convener_position="x", place="",
                                   problems="x", by=personas.dora)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.admonition_update(talk, title="x", convener_position="x", place="x",
                                   problems="x", by=personas.lena)  # fmt: skip
    assert Admonition.objects.get().title == "更正后的约谈"
    restriction = services.restriction_decide(jurisdiction=township, reason="超标",
                                              starts_on=days(0), ends_on=days(9), by=personas.dora)  # fmt: skip
    services.restriction_update(restriction, reason="超标（延长）", ends_on=days(30),
                                by=personas.dora)  # fmt: skip
    assert services.restriction_on(township, days(20)) == restriction
    with pytest.raises(ValidationError, match="ends before it starts"):
        services.restriction_update(restriction, reason="x", ends_on=days(-1), by=personas.dora)
    referral = make_referral(personas, [make_item(personas, deadline=days(-3))])
    services.referral_update(referral, reason="更正的事由", people="", by=personas.dora)
    services.referral_acknowledge(referral, by=personas.ian)
    with pytest.raises(ValidationError, match="no longer edited"):
        services.referral_update(referral, reason="再改", people="", by=personas.dora)
    assert Referral.objects.get().reason == "更正的事由"
