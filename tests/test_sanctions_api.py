"""The sanctions' API: lists and records scoped like the pages, creation by the bureau
only, bad input answered 4xx with a message and nothing saved."""

import datetime

import pytest
from django.utils import timezone

from ecogov.org.models import Jurisdiction
from ecogov.org.services import jurisdiction_ensure
from ecogov.sanctions.models import Admonition, CriticismNotice, Referral, Restriction
from ecogov.supervision import services as supervision
from ecogov.supervision.models import Item, Kind


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def post(client, path, data):
    return client.post(path, data, content_type="application/json")


def test_the_bureau_creates_each_kind_and_the_commission_acknowledges(personas, form_client_for):
    p = personas
    dora = form_client_for(p.dora)
    notice = post(
        dora,
        "/api/sanctions/notices",
        {"title": "关于对区城乡建设局的通报批评", "facts": "逾期。", "units": [p.construction.pk]},
    )
    assert notice.status_code == 201, notice.content
    issued = post(dora, f"/api/sanctions/notices/{notice.json()['id']}/issue", {"publish": True})
    assert issued.json()["state"] == "issued" and issued.json()["published"]
    talk = post(dora, "/api/sanctions/admonitions", {
        "title": "约谈", "convener": p.bureau.pk, "convener_position": "区政府分管副区长",
        "held_at": "2026-11-30T09:00:00", "place": "会议室", "problems": "滞后。",
        "summoned": [{"unit": p.health.pk, "attendee": "李某 局长"}],
        "commitments": [{"unit": p.health.pk, "text": "完成排查", "deadline": str(days(30))}],
    })  # fmt: skip
    assert talk.status_code == 201, talk.content
    detail = form_client_for(p.lily).get(f"/api/sanctions/admonitions/{talk.json()['id']}")
    assert detail.json()["commitments"][0]["unit"] == "区卫生健康局"
    township = jurisdiction_ensure(name="总寨镇", level=Jurisdiction.Level.TOWNSHIP,
                                   parent=p.district)  # fmt: skip
    restriction = post(dora, "/api/sanctions/restrictions", {
        "jurisdiction": township.pk, "reason": "超标", "starts_on": str(days(0)),
        "ends_on": str(days(30))})  # fmt: skip
    assert restriction.status_code == 201, restriction.content
    item = supervision.item_create(jurisdiction=p.district, kind=Kind.SPECIAL, title="清运",
                                   lead=p.construction, supervisor=p.bureau, deadline=days(-1),
                                   by=p.dora)  # fmt: skip
    referral = post(dora, "/api/sanctions/referrals", {
        "target": "discipline", "units": [p.construction.pk], "reason": "逾期",
        "items": [item.number]})  # fmt: skip
    assert referral.status_code == 201, referral.content
    pk = referral.json()["id"]
    assert post(dora, f"/api/sanctions/referrals/{pk}/acknowledge", {}).status_code == 403
    ian = form_client_for(p.ian)
    answer = post(ian, f"/api/sanctions/referrals/{pk}/acknowledge", {"text": "收到"})
    assert answer.status_code == 200 and answer.json()["state"] == "acknowledged"
    assert ian.get("/api/sanctions/referrals").json()[0]["records"] == [
        {"kind": "item", "number": item.number}
    ]
    liam = form_client_for(p.liam)
    assert liam.get("/api/sanctions/referrals").json() == []
    assert liam.get(f"/api/sanctions/referrals/{pk}").status_code == 404
    assert liam.get("/api/sanctions/restrictions").json() == []
    assert [n["title"] for n in liam.get("/api/sanctions/notices").json()] == [
        "关于对区城乡建设局的通报批评"
    ]
    assert form_client_for(p.gary).get("/api/sanctions/notices").json() == []


@pytest.mark.parametrize(
    "path, body",
    [
        ("/api/sanctions/notices", {"title": "", "facts": "x", "units": []}),
        ("/api/sanctions/notices", {"title": "通报", "facts": "x", "units": [999999]}),
        ("/api/sanctions/notices", {"title": "通报", "facts": "x", "units": ["x"]}),
        ("/api/sanctions/notices", {"title": "通报", "facts": "x", "units": [1],
                                    "items": ["NOPE"]}),
        ("/api/sanctions/admonitions", {"title": "约谈", "convener": 1,
                                        "convener_position": "x", "held_at": "soon",
                                        "place": "x", "problems": "x", "summoned": []}),
        ("/api/sanctions/restrictions", {"jurisdiction": 1, "reason": "x",
                                         "starts_on": "2026-01-01", "ends_on": "2026-02-01"}),
        ("/api/sanctions/referrals", {"target": "police", "units": [1], "reason": "x"}),
        ("/api/sanctions/referrals", {"target": "judicial", "units": [1], "reason": "x"}),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_a_message(personas, form_client_for, path, body):
    answer = post(form_client_for(personas.dora), path, body)
    assert 400 <= answer.status_code < 500, answer.content
    assert answer.json()["detail"]
    assert not CriticismNotice.private_objects.exists() and not Admonition.objects.exists()
    assert not Restriction.objects.exists() and not Referral.objects.exists()
    assert not Item.objects.filter(kind=Kind.COMMITMENT).exists()


@pytest.mark.parametrize("who", ["liam", "lena", "ian", "gary", "oscar"])
def test_only_the_bureau_creates(personas, form_client_for, who):
    answer = post(form_client_for(getattr(personas, who)), "/api/sanctions/notices",
                  {"title": "通报", "facts": "x", "units": [personas.construction.pk]})  # fmt: skip
    assert answer.status_code in (403, 422)
    assert not CriticismNotice.private_objects.exists()
