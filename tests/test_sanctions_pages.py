"""The sanctions' pages as each role (seed 004 §四.(三)): dispatchers and administrators
write, leaders read, the discipline inspector reads every referral and dossier and
acknowledges, a liaison reads only its own unit's notices and talks, grid workers and
outsiders nothing, the public only issued and published notices."""

import datetime
import io

import docx
import pytest
from django.test import Client
from django.utils import timezone

from ecogov.org.models import Jurisdiction
from ecogov.org.services import jurisdiction_ensure
from ecogov.sanctions import services
from ecogov.sanctions.models import Admonition, CriticismNotice, Referral
from ecogov.sanctions.services import CommitmentInput, SummonsInput
from ecogov.supervision import services as supervision
from ecogov.supervision.models import Item, Kind


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def world(personas):
    p = personas
    township = jurisdiction_ensure(name="总寨镇", level=Jurisdiction.Level.TOWNSHIP,
                                   parent=p.district)  # fmt: skip
    notice = services.notice_create(jurisdiction=p.district, title="关于对区城乡建设局的通报批评",
                                    facts="逾期未完成整改。", units=[p.construction], by=p.dora)  # fmt: skip
    services.notice_issue(notice, publish=True, by=p.dora)
    draft = services.notice_create(jurisdiction=p.district, title="草稿通报",
                                   facts="草稿。", units=[p.construction], by=p.dora)  # fmt: skip
    other = services.notice_create(jurisdiction=p.district, title="关于对区卫生健康局的通报批评",
                                   facts="事实。", units=[p.health], by=p.dora)  # fmt: skip
    services.notice_issue(other, by=p.dora)
    talk = services.admonition_create(
        jurisdiction=p.district, title="约谈区卫生健康局", convener=p.bureau,
        convener_position="区政府分管副区长", held_at=timezone.now(), place="会议室",
        problems="医疗废物管理不规范。", summoned=[SummonsInput(p.health, "李某 局长")],
        commitments=[CommitmentInput(p.health, "一个月内完成排查", days(30))], by=p.dora,
    )  # fmt: skip
    restriction = services.restriction_decide(jurisdiction=township, reason="断面超标",
                                              starts_on=days(0), ends_on=days(30), by=p.dora)  # fmt: skip
    item = supervision.item_create(jurisdiction=p.district, kind=Kind.SPECIAL, title="垃圾清运",
                                   lead=p.construction, supervisor=p.bureau, deadline=days(-5),
                                   by=p.dora, at=timezone.now() - datetime.timedelta(days=20))  # fmt: skip
    referral = services.referral_create(jurisdiction=p.district, target=Referral.Target.DISCIPLINE,
                                        units=[p.construction], reason="逾期不办", items=[item],
                                        by=p.dora)  # fmt: skip
    return {"notice": notice, "draft": draft, "other": other, "talk": talk,
            "restriction": restriction, "referral": referral, "township": township,
            "item": item}  # fmt: skip


def urls(w) -> dict[str, str]:
    return {
        "index": "/sanctions/",
        "notice": w["notice"].get_absolute_url(),
        "draft": w["draft"].get_absolute_url(),
        "other": w["other"].get_absolute_url(),
        "notice_docx": f"/sanctions/notices/{w['notice'].pk}/notice.docx",
        "talk": w["talk"].get_absolute_url(),
        "talk_docx": f"/sanctions/admonitions/{w['talk'].pk}/record.docx",
        "restriction": w["restriction"].get_absolute_url(),
        "referral": w["referral"].get_absolute_url(),
        "dossier": f"/sanctions/referrals/{w['referral'].pk}/dossier/",
        "dossier_docx": f"/sanctions/referrals/{w['referral'].pk}/dossier.docx",
        "notice_new": "/sanctions/notices/new/",
        "admonition_new": "/sanctions/admonitions/new/",
        "restriction_new": "/sanctions/restrictions/new/",
        "referral_new": "/sanctions/referrals/new/",
    }


ALL = {"index", "notice", "draft", "other", "notice_docx", "talk", "talk_docx", "restriction",
       "referral", "dossier", "dossier_docx"}  # fmt: skip
WRITE = {"notice_new", "admonition_new", "restriction_new", "referral_new"}
# Who opens what (200); every other page answers 403 or 404.
OPENS = {
    "ada": ALL | WRITE,
    "dora": ALL | WRITE,
    "lena": ALL,
    "ian": ALL,
    "liam": {"index", "notice", "notice_docx"},  # its unit's issued notice, not the draft
    "lily": {"index", "other", "talk", "talk_docx"},
    "gary": set(),
    "oscar": {"index"} | WRITE,  # dispatches another district: its own, empty lists
}


@pytest.mark.parametrize("who", list(OPENS))
def test_each_role_opens_exactly_its_pages(personas, world, client_for, who):
    client = client_for(getattr(personas, who))
    for name, url in urls(world).items():
        status = client.get(url).status_code
        if name in OPENS[who]:
            assert status == 200, (who, name, status)
        else:
            assert status in (403, 404), (who, name, status)


def test_another_districts_dispatcher_sees_nothing(personas, world, client_for):
    page = client_for(personas.oscar).get("/sanctions/").content.decode()
    for record in ("notice", "talk", "restriction", "referral"):
        assert world[record].number not in page
    assert b"/sanctions/notices/new/" in client_for(personas.oscar).get("/sanctions/").content


def test_a_liaison_sees_its_own_notices_and_talks_only(personas, world, client_for):
    page = client_for(personas.liam).get("/sanctions/").content.decode()
    assert world["notice"].number in page
    assert world["draft"].number not in page and world["other"].number not in page
    assert world["talk"].number not in page and world["referral"].number not in page
    assert world["restriction"].number not in page


def test_the_public_sees_issued_published_notices_only(personas, world):
    client = Client()
    listed = client.get("/public/notices/").content.decode()
    assert "关于对区城乡建设局的通报批评" in listed
    assert "草稿通报" not in listed and "关于对区卫生健康局的通报批评" not in listed
    assert client.get(f"/public/notices/{world['notice'].pk}/").status_code == 200
    for hidden in ("draft", "other"):
        assert client.get(f"/public/notices/{world[hidden].pk}/").status_code == 404
    assert client.get("/sanctions/").status_code == 302  # to the sign-in
    assert client.get(urls(world)["dossier"]).status_code == 302


def test_the_dispatcher_creates_a_notice_through_the_form(personas, form_client_for):
    client = form_client_for(personas.dora)
    response = client.post("/sanctions/notices/new/", {
        "title": "关于对区城乡建设局的通报批评", "facts": "逾期。",
        "units": [personas.construction.pk],
    })  # fmt: skip
    notice = CriticismNotice.private_objects.get()
    assert response.status_code == 302 and response["Location"] == notice.get_absolute_url()
    client.post(f"/sanctions/notices/{notice.pk}/act/issue/", {"publish": "on"})
    notice.refresh_from_db()
    assert notice.state == "issued" and notice.published


@pytest.mark.parametrize(
    "form",
    [
        {"title": "", "facts": "事实", "units": ["1"]},
        {"title": "通报", "facts": "事实", "units": ["²"]},
        {"title": "通报", "facts": "事实", "units": ["99999999999999999999999"]},
        {"title": "通报", "facts": "事实", "units": [], "records": "NO-SUCH-1"},
    ],
)
def test_bad_forms_are_refused_with_a_message(personas, form_client_for, form):
    client = form_client_for(personas.dora)
    response = client.post("/sanctions/notices/new/", form)
    assert response.status_code == 200
    assert 'class="message error"' in response.content.decode()
    assert not CriticismNotice.private_objects.exists()


def test_an_admonition_through_the_form_puts_its_commitment_on_the_ledger(
    personas, form_client_for
):
    client = form_client_for(personas.dora)
    response = client.post("/sanctions/admonitions/new/", {
        "title": "约谈区城乡建设局", "convener": personas.bureau.pk,
        "convener_position": "区政府分管副区长", "held_at": "2026-11-30T09:00",
        "place": "区政府会议室", "problems": "整改滞后。",
        "summons_1_unit": personas.construction.pk, "summons_1_attendee": "张某 副局长",
        "commitment_1_unit": personas.construction.pk, "commitment_1_text": "十日内清运完毕",
        "commitment_1_deadline": days(10).isoformat(),
    })  # fmt: skip
    talk = Admonition.objects.get()
    assert response.status_code == 302
    item = Item.objects.get(kind=Kind.COMMITMENT)
    assert item.lead == personas.construction
    ledger = form_client_for(personas.liam).get("/supervision/").content.decode()
    assert item.number in ledger
    page = client.get(talk.get_absolute_url()).content.decode()
    assert item.number in page and "十日内清运完毕" in page


def test_steps_refused_to_the_wrong_people(personas, world, form_client_for):
    referral, restriction = world["referral"], world["restriction"]
    form_client_for(personas.dora).post(
        f"/sanctions/referrals/{referral.pk}/act/acknowledge/", {"note": "收到"}
    )
    referral.refresh_from_db()
    assert referral.state == Referral.State.REFERRED
    response = form_client_for(personas.lena).post(
        f"/sanctions/restrictions/{restriction.pk}/act/lift/", {"reason": "已整改"}
    )
    assert response.status_code == 403
    response = form_client_for(personas.liam).post(
        f"/sanctions/notices/{world['draft'].pk}/act/issue/", {}
    )
    assert response.status_code == 404
    assert (
        form_client_for(personas.ian)
        .post(f"/sanctions/referrals/{referral.pk}/act/unknown/", {})
        .status_code
        == 404
    )
    form_client_for(personas.ian).post(
        f"/sanctions/referrals/{referral.pk}/act/acknowledge/", {"note": "收到"}
    )
    referral.refresh_from_db()
    assert referral.state == Referral.State.ACKNOWLEDGED


def test_the_csrf_token_is_required(personas, world, client_for):
    response = client_for(personas.ian).post(
        f"/sanctions/referrals/{world['referral'].pk}/act/acknowledge/", {"note": "收到"}
    )
    assert response.status_code == 403


def test_the_township_page_shows_the_restriction(personas, world, client_for):
    page = client_for(personas.dora).get(world["township"].get_absolute_url()).content.decode()
    assert 'id="restriction"' in page and world["restriction"].number in page
    district = client_for(personas.dora).get(personas.district.get_absolute_url()).content
    assert b'id="restriction"' not in district


def test_the_dossier_page_and_word_document(personas, world, client_for):
    client = client_for(personas.ian)
    page = client.get(urls(world)["dossier"]).content.decode()
    assert world["item"].number in page and "现已逾期 5 天" in page
    data = client.get(urls(world)["dossier_docx"]).content
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert world["referral"].number in text


def test_the_ledger_links_to_the_sanctions_for_the_bureau_not_for_liaisons(personas, client_for):
    assert b'href="/sanctions/"' in client_for(personas.lena).get("/supervision/").content
    assert b'href="/sanctions/"' not in client_for(personas.liam).get("/supervision/").content


def test_a_commitment_is_handled_like_any_supervised_item(personas, world, form_client_for):
    item = world["talk"].commitments.get().item
    lily = form_client_for(personas.lily)
    page = lily.get(item.get_absolute_url()).content.decode()
    assert "约谈整改承诺" in page and world["talk"].number in page
    assert form_client_for(personas.liam).get(item.get_absolute_url()).status_code == 404
    lily.post(f"/supervision/items/{item.pk}/act/report/", {"text": "已排查 12 家医疗机构"})
    assert item.events.filter(kind="reported").exists()
    ledger = form_client_for(personas.lena).get("/supervision/?kind=commitment").content.decode()
    assert item.number in ledger


def test_the_bureau_corrects_a_record_through_its_page(personas, world, form_client_for):
    talk = world["talk"]
    form = {"title": "更正后的约谈", "convener_position": "区长", "place": "会议室",
            "problems": "问题。"}  # fmt: skip
    assert form_client_for(personas.lena).post(
        f"/sanctions/admonitions/{talk.pk}/act/edit/", form).status_code == 403  # fmt: skip
    talk.refresh_from_db()
    assert talk.title == "约谈区卫生健康局"  # the leader was refused
    form_client_for(personas.dora).post(f"/sanctions/admonitions/{talk.pk}/act/edit/", form)
    talk.refresh_from_db()
    assert talk.title == "更正后的约谈"
    page = form_client_for(personas.dora).get(talk.get_absolute_url()).content.decode()
    assert "更正记录" in page
    assert (
        "更正记录"
        not in form_client_for(personas.lena).get(talk.get_absolute_url()).content.decode()
    )
