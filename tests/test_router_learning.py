"""The router learns: the learned part trains and predicts offline, a stored model is read
without unpickling, vague texts are disputed, and the bureau's reassignment of a misrouted
case changes the router's next answer on a similar text once the nightly job has run —
from its own jurisdiction's decisions only."""

import io
import json
import pickle
import socket
from io import StringIO

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from ecogov.accounts.models import Role
from ecogov.cases import services
from ecogov.cases.learning import mask, router_examples, router_train
from ecogov.cases.models import Channel, RoutingExample, State
from ecogov.cases.tasks import router_retrain_nightly
from ecogov.domain.router_model import Example, LearnedModel, base_examples, train
from ecogov.org.models import RouterModel
from ecogov.org.routing import router_for
from ecogov.testing import make_person

VAGUE = ["这里有个问题请处理一下", "请处理", "有人反映问题"]
# Nothing in seed 000 names bicycles; the bureau decides that bicycles blocking the
# pavement are for the traffic police, who keep non-motor vehicles' parking in order.
BICYCLES = "小区附近的共享单车堆满了人行道，走路都过不去"
BICYCLES_AGAIN = "小区附近共享单车堆满人行道，根本走不过去"
TRAFFIC = "交警二大队"
URBAN = "区城市管理综合行政执法局"

TINY = [
    Example("饭店油烟直排熏得不敢开窗", "城管局"),
    Example("楼下烧烤摊油烟很大", "城管局"),
    Example("烧烤店油烟扰民", "城管局"),
    Example("工厂半夜偷排废气刺鼻", "生态环境局"),
    Example("化工厂排放臭气", "生态环境局"),
    Example("厂子废水直排河里", "生态环境局"),
    Example("工地夜间施工打桩", "住建局"),
    Example("建筑工地扬尘没有覆盖", "住建局"),
    Example("工地土堆没盖网灰尘大", "住建局"),
]


@pytest.fixture
def offline(monkeypatch):
    """Any attempt to open a network connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("the router tried to use the network")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_it_trains_and_predicts_offline(offline):
    model = train(TINY)
    ranked = model.predict("饭店的油烟熏到楼上")
    assert ranked[0][0] == "城管局"
    assert sorted(u for u, _p in ranked) == ["住建局", "城管局", "生态环境局"]
    assert abs(sum(p for _u, p in ranked) - 1) < 1e-6
    assert [p for _u, p in ranked] == sorted((p for _u, p in ranked), reverse=True)
    assert model.predict("工地晚上打桩")[0][0] == "住建局"
    assert model.meta["examples"] == len(TINY) and model.temperature > 0


def test_training_is_deterministic_and_needs_two_units():
    assert train(TINY).digest() == train(list(TINY)).digest()
    with pytest.raises(ValueError):
        train([Example("油烟", "城管局"), Example("烧烤", "城管局")])
    two = train([e for e in TINY if e.unit != "住建局"])  # scikit-learn's binary case
    assert two.predict("饭店油烟")[0][0] == "城管局"
    assert two.predict("工厂废气")[0][0] == "生态环境局"


def test_loading_a_stored_model_never_unpickles(monkeypatch):
    model = train(TINY + [Example("烧烤摊的油烟熏人", "城管局", 3.0, precedent=True)])
    data = model.to_bytes()

    def forbidden(*args, **kwargs):
        raise AssertionError("a stored model was unpickled")

    monkeypatch.setattr(pickle, "loads", forbidden)
    monkeypatch.setattr(pickle, "load", forbidden)
    loaded = LearnedModel.from_bytes(data)
    assert loaded.digest() == model.digest()
    assert loaded.predict("饭店油烟") == model.predict("饭店油烟")
    assert loaded.precedent("烧烤摊的油烟熏人")[0] == "城管局"
    # An archive holding a pickled object array (which could run code) is refused.
    with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
        parts = dict(arrays)
    buffer = io.BytesIO()
    np.savez(buffer, **parts | {"features": np.array([{"evil": 1}], dtype=object)})
    with pytest.raises(ValueError):
        LearnedModel.from_bytes(buffer.getvalue())
    with pytest.raises(ValueError):
        LearnedModel.from_bytes(b"not a model")


def test_the_base_set_maps_kinds_onto_units_by_name():
    rows = [
        {"split": "tune", "text": "饭店油烟", "kind": "urban_management", "lead": "区城市管理综合行政执法局"},
        {"split": "tune", "text": "工厂废气", "kind": "ecology", "lead": "区生态环境局"},
        {"split": "holdout", "text": "河里有油", "kind": "ecology", "lead": "区生态环境局"},
        {"split": "tune", "text": "镇上烧垃圾", "kind": "township", "lead": "总寨镇政府"},
        {"split": "tune", "text": "烧秸秆", "lead": "区农业农村局"},  # no kind: the name shows it
    ]  # fmt: skip
    city = ["市生态环境局", "市城市管理局", "市农业农村局", "甲镇人民政府", "乙镇人民政府"]
    got = [(e.text, e.unit) for e in base_examples(rows, city)]
    assert got == [("饭店油烟", "市城市管理局"), ("工厂废气", "市生态环境局"),
                   ("烧秸秆", "市农业农村局")]  # fmt: skip
    # In the sample district the labels are its own units' names; holdout rows never train.
    names = ["区城市管理综合行政执法局", "区生态环境局", "总寨镇政府", "区农业农村局"]
    assert [e.unit for e in base_examples(rows, names)] == [
        "区城市管理综合行政执法局", "区生态环境局", "总寨镇政府", "区农业农村局"]  # fmt: skip


def test_vague_texts_go_to_the_disputed_queue(personas):
    router_train(jurisdiction=personas.district)
    router = router_for(personas.district)
    assert router.learned is not None
    for text in VAGUE:
        routing = router.route(text)
        assert routing.disputed, (text, routing.shares)
        assert routing.confidence is not None and routing.confidence < 0.5
    clear = router.route("楼下烧烤摊每天晚上冒烟")
    assert clear.lead == URBAN and "露天烧烤" in clear.clause and clear.confidence > 0.3


def test_a_reassignment_changes_the_next_answer_after_the_nightly_job(personas):
    router_train(jurisdiction=personas.district)
    case = services.case_register(jurisdiction=personas.district, channel=Channel.HOTLINE,
                                  text=BICYCLES, by=personas.dora)  # fmt: skip
    assert case.state == State.ASSIGNED and case.lead.name != TRAFFIC  # misrouted
    before = router_for(personas.district).route(BICYCLES_AGAIN)
    assert before.lead != TRAFFIC
    traffic = personas.district.units.get(name=TRAFFIC)
    services.case_assign(case, lead=traffic, by=personas.dora)  # the bureau reassigns
    example = RoutingExample.objects.get(case=case)
    assert (example.unit, example.decision) == (traffic, RoutingExample.Decision.REASSIGNED)
    router_retrain_nightly.call_local()
    stored = RouterModel.objects.get(jurisdiction=personas.district)
    assert stored.decisions == 1
    after = router_for(personas.district).route(BICYCLES_AGAIN)
    assert after.lead == TRAFFIC and after.precedent and after.precedent > 0.5
    again = services.case_register(jurisdiction=personas.district, channel=Channel.HOTLINE,
                                   text=BICYCLES_AGAIN, by=personas.dora)  # fmt: skip
    assert again.lead == traffic and again.routing["precedent"] > 0.5
    # A report the bureau has not decided anything like is routed as before.
    assert router_for(personas.district).route("楼下烧烤摊每天晚上冒烟").lead == URBAN
    # The job run again finds nothing new and keeps the model.
    router_retrain_nightly.call_local()
    assert RouterModel.objects.get(jurisdiction=personas.district).digest == stored.digest


def test_only_the_bureaus_decisions_train_and_only_its_own_jurisdiction(personas):
    case = services.case_register(jurisdiction=personas.district, channel=Channel.HOTLINE,
                                  text=BICYCLES, lead=personas.construction, by=personas.dora)  # fmt: skip
    urban = personas.district.units.get(name=URBAN)
    with pytest.raises(PermissionDenied):  # the outsider district's bureau
        services.case_assign(case, lead=urban, by=personas.oscar)
    assert not RoutingExample.objects.exists()
    # A unit that accepts and transfers the case itself teaches nothing.
    services.case_accept(case, by=personas.liam)
    services.case_transfer(case, to=urban, reason="不归我们管", by=personas.liam)
    assert not RoutingExample.objects.exists()
    services.case_return(case, reason="也不归我们", by=make_person("uma", Role.LIAISON, urban))
    services.case_assign(case, lead=urban, by=personas.dora)
    assert RoutingExample.objects.get().jurisdiction == personas.district
    # A transfer the bureau makes is its decision too; one example per case, the latest.
    services.case_accept(case, by=make_person("ursula", Role.LIAISON, urban))
    services.case_transfer(case, to=personas.construction, reason="施工问题", by=personas.dora)
    example = RoutingExample.objects.get()
    assert (example.unit, example.decision) == (
        personas.construction, RoutingExample.Decision.TRANSFERRED)  # fmt: skip
    services.case_return(case, reason="还是不归我们", by=personas.liam)
    services.case_assign(case, lead=urban, by=personas.dora)
    own, decisions = router_examples(personas.district)
    assert decisions == 1 and any(e.precedent and e.unit == URBAN for e in own)
    theirs, decisions = router_examples(personas.outsider_district)
    assert decisions == 0 and not any(e.precedent for e in theirs)


def test_an_example_never_carries_who_reported(personas):
    text = "我叫王某某，电话13912345678，邮箱wang@example.com，身份证110101199001011234，楼下烧烤摊冒烟"
    case = services.case_register(
        jurisdiction=personas.district, channel=Channel.HOTLINE, text=text, by=personas.dora,
        reporter={"name": "王某某", "phone": "13912345678", "email": "wang@example.com"},
    )  # fmt: skip
    services.case_assign(case, lead=personas.construction, by=personas.dora)
    kept = RoutingExample.objects.get(case=case).text
    for secret in ("王某某", "13912345678", "wang@example.com", "110101199001011234"):
        assert secret not in kept
    assert "楼下烧烤摊冒烟" in kept
    assert mask("请拨打0971-8123456或8123456") == "请拨打XXX或XXX"


def test_the_router_command_trains_and_shows(personas):
    out = StringIO()
    call_command("router", "train", "--jurisdiction", "城中区", stdout=out)
    assert "城中区" in out.getvalue() and "examples" in out.getvalue()
    out = StringIO()
    call_command("router", "show", "--json", stdout=out)
    shown = json.loads(out.getvalue())
    assert [row["jurisdiction"] for row in shown] == ["城中区"]
    assert shown[0]["examples"] > 100 and len(shown[0]["digest"]) == 64


def test_the_case_page_shows_the_clause_and_the_learned_confidence(personas, client_for):
    router_train(jurisdiction=personas.district)
    case = services.case_register(jurisdiction=personas.district, channel=Channel.HOTLINE,
                                  text="楼下烧烤摊每天晚上冒烟", by=personas.dora)  # fmt: skip
    assert case.routing["confidence"] > 0
    page = client_for(personas.dora).get(f"/cases/{case.pk}/").content.decode()
    assert "负责全区露天烧烤" in page
    assert f"{round(100 * case.routing['confidence'])}%" in page
    # Without a learned part, the page says nothing of one.
    RouterModel.objects.all().delete()
    plain = services.case_register(jurisdiction=personas.district, channel=Channel.HOTLINE,
                                   text="楼下烧烤摊每天晚上冒烟", by=personas.dora)  # fmt: skip
    assert plain.routing["confidence"] is None
    page = client_for(personas.dora).get(f"/cases/{plain.pk}/").content.decode()
    assert "负责全区露天烧烤" in page and "routing-learned" not in page
