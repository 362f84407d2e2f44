"""A case's category comes from what its text says, what its reporter chose or, for a
monitoring alarm, the medium of its pollutant; a case the duty lists do not cover says
so on its page instead of printing an empty clause."""

import pytest
from django.test import Client

from ecogov.cases import services
from ecogov.cases.models import Case, Channel
from ecogov.domain.router import Router

NIGHT_SITE_NOISE = "晚上11点了旁边工地还在施工，噪音吵得睡不着"


@pytest.mark.parametrize(
    "text, category",
    [
        (NIGHT_SITE_NOISE, "noise"),
        ("工地半夜还在打桩，轰隆隆的，孩子明天还要考试", "noise"),
        ("建筑工地大清早五点就开工，机器轰鸣，严重扰民", "noise"),
        ("对面工地夜间施工，切割钢筋的声音刺耳", "noise"),
        ("工地扬尘特别大，土堆也没有覆盖，一刮风全是灰", "air"),
        ("楼下饭店油烟直排，厨房窗户都不敢开", "air"),
        ("小区门口的烧烤店外放音响，噪声到凌晨两点", "noise"),
    ],
)
def test_the_nuisance_a_complaint_names_decides_its_category(text, category):
    assert Router([]).route(text).category == category


def test_a_night_time_construction_noise_complaint_is_filed_as_construction_noise(personas):
    case = services.case_register(jurisdiction=personas.district, channel=Channel.HOTLINE,
                                  text=NIGHT_SITE_NOISE, by=personas.dora)  # fmt: skip
    assert (case.category, case.subcategory) == ("noise", "建筑施工噪声")


def test_a_category_the_citizen_chose_is_kept_with_a_subcategory_of_that_category(personas):
    public = Client()
    response = public.post("/api/public/reports",
                           {"text": "工地扬尘特别大，晚上还吵", "address": "南滩", "category": "noise"},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 201
    case = Case.objects.get(tracking_code=response.json()["tracking_code"])
    assert case.category == "noise"
    assert case.subcategory == "建筑施工噪声"  # not 施工扬尘, which is air
    shown = public.get(f"/api/public/cases/{case.tracking_code}").json()
    assert (shown["category"], shown["subcategory"]) == ("noise", "建筑施工噪声")


def test_a_case_no_duty_clause_covers_says_so_instead_of_none(personas, client_for):
    # Square dancing is in no duty list: the usual division of competence proposes the police.
    case = services.case_register(jurisdiction=personas.district, channel=Channel.HOTLINE,
                                  text="楼下广场舞音响开得特别大，每天晚上到十点多",
                                  by=personas.dora)  # fmt: skip
    assert case.routing["lead"] and case.routing["clause"] is None
    page = client_for(personas.dora).get(case.get_absolute_url()).content.decode()
    assert "None" not in page
    assert "未匹配到职责条目" in page
    routed = case.events.get(kind="routed")
    assert "None" not in routed.note and "未匹配到职责条目" in routed.note
    api = client_for(personas.dora).get(f"/api/cases/{case.pk}").content.decode()
    assert "None" not in api
