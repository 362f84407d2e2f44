"""The pages, as each persona meets them, including attempts to cross into other units."""

import pytest
from django.test import Client

from ecogov.org.models import Unit


def test_pages_need_a_sign_in(personas):
    client = Client()
    for path in ("/", "/units/", f"/units/{personas.bureau.pk}/", "/people/", "/jurisdictions/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_login_page_is_in_chinese_by_default(client):
    page = client.get("/accounts/login/").content.decode()
    assert "登录" in page
    assert 'lang="zh-hans"' in page


def test_signing_in_with_a_password(personas):
    client = Client(enforce_csrf_checks=False)
    response = client.post(
        "/accounts/login/", {"username": "liam", "password": "Persona-password-2026"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert "区城乡建设局" in response.content.decode()
    bad = Client().post("/accounts/login/", {"username": "liam", "password": "wrong"})
    assert "用户名或密码错误" in bad.content.decode()


def test_the_language_switch_gives_english(personas, client_for):
    client = client_for(personas.dora)
    client.get("/")
    token = client.cookies["csrftoken"].value
    client.post("/i18n/setlang/", {"language": "en", "next": "/units/"}, HTTP_X_CSRFTOKEN=token)
    page = client.get("/units/").content.decode()
    assert "Member units and their duties" in page
    assert 'lang="en"' in page


def test_home_shows_the_modules(personas, client_for):
    page = client_for(personas.lena).get("/").content.decode()
    for label in ("成员单位与职责", "行政区划", "案件", "在线监测", "计划、任务与目标"):
        assert label in page
    assert "23" in page
    # Every module is built: none is offered as "coming soon" (整改台账 was, long after
    # the rectification ledger had its pages).
    assert "即将上线" not in page
    assert 'href="/rectification/"' in page


def test_the_unit_list_searches_names_former_names_and_duties(personas, client_for):
    client = client_for(personas.gary)
    page = client.get("/units/?q=露天烧烤").content.decode()
    assert "区城市管理综合行政执法局" in page and "区财政局" not in page
    rows = client.get("/units/?q=区自然资源局", HTTP_HX_REQUEST="true").content.decode()
    assert "区自然资源和林业局" in rows and "<html" not in rows


def test_a_unit_page_shows_duties_names_and_people(personas, client_for):
    page = client_for(personas.dora).get(f"/units/{personas.construction.pk}/").content.decode()
    assert "督促建筑施工工地严格落实“10个100%”扬尘污染防控措施；" in page
    assert "城中政办〔2021〕18号" in page
    assert "Liam 联络员" in page
    natural = Unit.objects.get(name="区自然资源和林业局")
    page = client_for(personas.dora).get(f"/units/{natural.pk}/").content.decode()
    assert "区自然资源局" in page and "曾用名" in page


def test_the_history_is_shown_to_inspectors_and_administrators_only(personas, client_for):
    path = f"/units/{personas.bureau.pk}/"
    for user in (personas.ian, personas.ada):
        assert 'id="history"' in client_for(user).get(path).content.decode()
    for user in (personas.dora, personas.liam, personas.lena):
        assert 'id="history"' not in client_for(user).get(path).content.decode()


def test_a_liaison_edits_his_unit_through_the_page(personas, client_for):
    client = client_for(personas.liam)
    form = client.get(f"/units/{personas.construction.pk}/edit/")
    token = form.context["csrf_token"]
    response = client.post(
        f"/units/{personas.construction.pk}/edit/",
        {
            "contact_section": "城建股",
            "member": "张三",
            "member_position": "副局长",
            "liaison": "李四",
            "liaison_phone": "0971-8888888",
            "csrfmiddlewaretoken": str(token),
        },
    )
    assert response.status_code == 302
    unit = Unit.objects.get(pk=personas.construction.pk)
    assert (unit.contact_section, unit.liaison) == ("城建股", "李四")
    history = client_for(personas.ian).get(f"/units/{unit.pk}/").content.decode()
    assert "李四" in history and "Liam 联络员" in history


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_liaison_cannot_edit_another_unit_through_the_page(personas, client_for, method):
    client = client_for(personas.liam)
    client.get("/")
    token = client.cookies["csrftoken"].value
    response = getattr(client, method)(
        f"/units/{personas.health.pk}/edit/",
        {"liaison": "入侵者", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 403
    assert Unit.objects.get(pk=personas.health.pk).liaison == ""


def test_the_outsider_is_refused_every_page_of_chengzhong(personas, client_for):
    client = client_for(personas.oscar)
    for path in (
        f"/units/{personas.bureau.pk}/",
        f"/units/{personas.bureau.pk}/edit/",
        f"/people/{personas.dora.pk}/",
        f"/people/{personas.dora.pk}/edit/",
        f"/jurisdictions/{personas.district.pk}/",
    ):
        assert client.get(path).status_code == 404, path
    assert "区城乡建设局" not in client.get("/units/").content.decode()


def test_people_of_another_unit_are_not_shown_to_a_liaison(personas, client_for):
    client = client_for(personas.liam)
    assert client.get(f"/people/{personas.lily.pk}/").status_code == 404
    assert "Lily" not in client.get("/people/").content.decode()
    assert "Lily" not in client.get(f"/units/{personas.health.pk}/").content.decode()


def test_the_jurisdiction_tree(personas, client_for):
    page = client_for(personas.dora).get("/jurisdictions/").content.decode()
    assert page.index("青海省") < page.index("西宁市") < page.index("城中区")
    assert "城东区" not in page
    page = client_for(personas.dora).get(f"/jurisdictions/{personas.district.pk}/").content.decode()
    assert "区纪委监委" in page


def test_the_back_office_is_for_administrators(personas, client_for):
    assert client_for(personas.ada).get("/admin/org/unit/").status_code == 200
    assert client_for(personas.dora).get("/admin/org/unit/").status_code == 302


def post(client, path, data):
    client.get("/")
    return client.post(path, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def test_the_dispatcher_maintains_a_duty_list_through_the_pages(personas, client_for):
    client = client_for(personas.dora)
    unit = personas.construction
    response = post(
        client, f"/units/{unit.pk}/duties/", {"text": "负责建筑工地扬尘在线监测设备安装的督促。"}
    )
    assert response.status_code == 302
    item = unit.duties.get(text="负责建筑工地扬尘在线监测设备安装的督促。")
    assert item.source == "" and item.number == 1
    post(client, f"/duties/{item.pk}/edit/", {"text": "负责建筑工地扬尘监测。"})
    item.refresh_from_db()
    assert item.text == "负责建筑工地扬尘监测。"
    post(client, f"/duties/{item.pk}/delete/", {"reason": "并入第3条"})
    assert not unit.duties.filter(pk=item.pk).exists()
    post(client, f"/units/{unit.pk}/aliases/", {"name": "区建设局"})
    post(
        client, f"/units/{unit.pk}/rename/", {"new_name": "区住房和城乡建设局", "note": "机构改革"}
    )
    unit.refresh_from_db()
    assert unit.name == "区住房和城乡建设局"
    assert set(unit.other_names.values_list("name", flat=True)) == {"区建设局", "区城乡建设局"}
    page = client_for(personas.ian).get(f"/units/{unit.pk}/").content.decode()
    assert "负责建筑工地扬尘监测。" in page and "并入第3条" in page and "机构改革" in page


def test_a_rename_to_a_name_in_use_is_refused_with_a_message(personas, client_for):
    client = client_for(personas.dora)
    response = post(
        client, f"/units/{personas.construction.pk}/rename/", {"new_name": "区卫生健康局"}
    )
    assert response.status_code == 200
    assert "已属于 区卫生健康局" in response.content.decode()
    assert Unit.objects.get(pk=personas.construction.pk).name == "区城乡建设局"


@pytest.mark.parametrize(
    "path, data",
    [
        ("/units/{unit}/duties/", {"text": "负责一切。"}),
        ("/duties/{duty}/edit/", {"text": "无。"}),
        ("/duties/{duty}/delete/", {}),
        ("/units/{unit}/rename/", {"new_name": "区建设局"}),
        ("/units/{unit}/aliases/", {"name": "区建设局"}),
    ],
)
def test_only_the_dispatcher_of_the_district_manages_duties(personas, client_for, path, data):
    unit = personas.construction
    path = path.format(unit=unit.pk, duty=unit.duties.first().pk)
    before = list(unit.duties.values_list("text", flat=True)), unit.other_names.count()
    for user, refused in (
        (personas.liam, 403),
        (personas.lena, 403),
        (personas.ian, 403),
        (personas.oscar, 404),
    ):
        assert post(client_for(user), path, data).status_code == refused, (user, path)
    unit.refresh_from_db()
    assert (list(unit.duties.values_list("text", flat=True)), unit.other_names.count()) == before
    assert unit.name == "区城乡建设局"


def test_a_refusal_says_why_in_the_sites_page_and_a_missing_page_too(personas, client_for):
    """A PermissionDenied carries a sentence for the person (every one in EcoGov is
    translated); Django's bare "403 Forbidden" dropped it."""
    client = client_for(personas.lena)
    refused = client.get("/plans/import/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = refused.content.decode()
    assert refused.status_code == 403
    assert "无权访问" in page and "由生态环境局的调度员导入方案" in page and "退出登录" in page
    missing = client.get("/cases/999999/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert missing.status_code == 404 and "未找到" in missing.content.decode()
