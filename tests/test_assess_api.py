"""The assessment's API: each endpoint, scoped like the pages; a liaison reads only its
own unit's released lines, a grid worker nothing; bad input is a 4xx, never a 500."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ecogov.assess import services
from ecogov.assess.models import Assessment, Bodies, Line, Method, Objection, PeriodKind
from ecogov.cases import services as cases
from ecogov.cases.models import Case, Channel

PDF = b"%PDF-1.4\n" + b"0" * 64
LATE_DAYS = 6


def pdf(name="record.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), timezone.get_current_timezone())


@pytest.fixture
def year():
    return str(timezone.localdate().year)


@pytest.fixture
def scheme(personas):
    scheme = services.scheme_create(
        jurisdiction=personas.district, code="units-year", name="成员单位年度考核",
        period=PeriodKind.YEAR, bodies=Bodies.UNITS, by=personas.dora,
    )  # fmt: skip
    services.indicator_add(scheme, name="案件按期办结", rule="cases_finished_on_time",
                           method=Method.RATE, weight=60, by=personas.dora)  # fmt: skip
    services.indicator_add(scheme, name="案件重办或群众不满意", rule="reopened_or_dissatisfied",
                           method=Method.DEDUCT, weight=40, per_event=10, by=personas.dora)  # fmt: skip
    services.veto_add(scheme, name="重大突发环境事件", rule="incident", by=personas.dora)
    return services.scheme_activate(scheme, by=personas.dora)


@pytest.fixture
def late_case(personas):
    """A case the construction bureau led and finished six days after its deadline."""
    case = cases.case_register(
        jurisdiction=personas.district, channel=Channel.HOTLINE, category="water",
        text="（虚构示例）排洪渠黑臭。", address="城中区杨家湾", lead=personas.construction,
        by=personas.dora,
    )  # fmt: skip
    due = datetime.date(timezone.localdate().year, 1, 15)
    Case.objects.filter(pk=case.pk).update(
        finish_due=due, reported_at=at(due + datetime.timedelta(days=LATE_DAYS))
    )
    return case


@pytest.fixture
def draft(personas, scheme, late_case, year):
    return services.assessment_run(scheme, year, by=personas.dora)


@pytest.fixture
def released(personas, draft):
    return services.assessment_release(draft, by=personas.dora)


@pytest.fixture
def api(form_client_for):
    return form_client_for


def score_of(assessment: Assessment, unit):
    return assessment.scores.get(unit=unit)


def late_line(assessment: Assessment, unit) -> Line:
    return Line.objects.get(score__assessment=assessment, score__unit=unit,
                            indicator__rule="cases_finished_on_time")  # fmt: skip


def object_to(client, line: Line, **fields):
    form = {"text": "该案件经批准延期办理。", "file": pdf("延期批复.pdf"), **fields}
    return client.post(f"/api/assess/lines/{line.pk}/objections", form)


def test_the_bureau_reads_a_scheme_with_its_indicators_and_vetoes(personas, scheme, api):
    dora = api(personas.dora)
    rows = dora.get("/api/assess/schemes").json()
    assert [(r["code"], r["state"]) for r in rows] == [("units-year", "active")]
    detail = dora.get(f"/api/assess/schemes/{scheme.pk}").json()
    assert [(i["rule"], i["method"], float(i["weight"])) for i in detail["indicators"]] == [
        ("cases_finished_on_time", "rate", 60.0), ("reopened_or_dissatisfied", "deduct", 40.0)]  # fmt: skip
    assert [v["rule"] for v in detail["vetoes"]] == ["incident"]
    assert "区城乡建设局" in detail["units"] and detail["problems"] == []


def test_a_period_is_run_and_its_ranking_and_traces_read(personas, scheme, late_case, year, api):
    dora = api(personas.dora)
    answer = dora.post(f"/api/assess/schemes/{scheme.pk}/run", {"period": year},
                       content_type="application/json")  # fmt: skip
    assert answer.status_code == 200, answer.content
    assessment = answer.json()
    assert (assessment["period"], assessment["state"]) == (year, "draft")
    again = dora.post(f"/api/assess/schemes/{scheme.pk}/run", {"period": year},
                      content_type="application/json")  # fmt: skip
    assert again.json()["id"] == assessment["id"]
    listed = dora.get(f"/api/assess/assessments?scheme={scheme.pk}&state=draft").json()
    assert [a["id"] for a in listed] == [assessment["id"]]
    detail = dora.get(f"/api/assess/assessments/{assessment['id']}").json()
    ranking = {row["unit"]: row for row in detail["ranking"]}
    construction = ranking["区城乡建设局"]
    assert float(construction["total"]) == 40.0 and construction["grade"] == "failed"
    assert construction["rank"] == len(ranking)
    assert float(ranking["区卫生健康局"]["total"]) == 100.0
    score = dora.get(f"/api/assess/scores/{construction['id']}").json()
    line = next(ln for ln in score["lines"] if ln["name"] == "案件按期办结")
    assert float(line["points"]) == 0.0 and line["changed"] is False
    [trace] = line["traces"]
    assert trace["label"] == late_case.number and float(trace["points"]) == -60.0
    assert "6" in trace["note"] and trace["url"] == late_case.get_absolute_url()


def test_release_objection_decision_and_publication(personas, draft, api):
    dora, liam = api(personas.dora), api(personas.liam)
    answer = dora.post(f"/api/assess/assessments/{draft.pk}/release")
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == "released" and answer.json()["objections_until"]
    line = late_line(draft, personas.construction)
    objected = object_to(liam, line, points="50")
    assert objected.status_code == 201, objected.content
    objection = objected.json()
    assert objection["state"] == "pending" and float(objection["points_claimed"]) == 50.0
    again = object_to(liam, line)
    assert again.status_code == 422 and again.json()["detail"]
    early = dora.post(f"/api/assess/assessments/{draft.pk}/publish", {"number": "城环考〔2026〕1号"},
                      content_type="application/json")  # fmt: skip
    assert early.status_code == 422, early.content
    decided = dora.post(f"/api/assess/objections/{objection['id']}/decide",
                        {"accept": True, "reason": "延期经批准。", "points": "45"},
                        content_type="application/json")  # fmt: skip
    assert decided.status_code == 200, decided.content
    assert decided.json()["state"] == "accepted"
    assert float(decided.json()["points_before"]) == 0.0
    assert float(decided.json()["points_after"]) == 45.0
    score = liam.get(f"/api/assess/scores/{line.score_id}").json()
    changed = next(ln for ln in score["lines"] if ln["id"] == line.pk)
    assert changed["changed"] is True and float(changed["computed"]) == 0.0
    assert float(score["total"]) == 85.0
    assert [o["state"] for o in changed["objections"]] == ["accepted"]
    # The window for objections passes: set it in the past rather than wait for it.
    Assessment.objects.filter(pk=draft.pk).update(
        objections_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    published = dora.post(f"/api/assess/assessments/{draft.pk}/publish",
                          {"number": "城环考〔2026〕1号"}, content_type="application/json")  # fmt: skip
    assert published.status_code == 200, published.content
    assert published.json()["state"] == "published"
    assert published.json()["notice_number"] == "城环考〔2026〕1号"
    # Once published, every member unit reads the whole ranking.
    ranking = api(personas.lily).get(f"/api/assess/assessments/{draft.pk}").json()["ranking"]
    assert len(ranking) == draft.scores.count()


def test_a_rejected_objection_leaves_the_line(personas, released, api):
    line = late_line(released, personas.construction)
    objection = object_to(api(personas.liam), line).json()
    decided = api(personas.dora).post(f"/api/assess/objections/{objection['id']}/decide",
                                      {"accept": False, "reason": "延期未经批准。"},
                                      content_type="application/json")  # fmt: skip
    assert decided.json()["state"] == "rejected"
    line.refresh_from_db()
    assert line.points == line.computed == 0


def test_a_liaison_is_refused_a_draft_and_another_units_lines(personas, draft, api):
    liam = api(personas.liam)
    mine, theirs = score_of(draft, personas.construction), score_of(draft, personas.health)
    assert liam.get("/api/assess/assessments").json() == []
    assert liam.get(f"/api/assess/assessments/{draft.pk}").status_code == 404
    assert liam.get(f"/api/assess/scores/{mine.pk}").status_code == 404
    assert liam.post(f"/api/assess/assessments/{draft.pk}/release").status_code == 404
    services.assessment_release(draft, by=personas.dora)
    ranking = liam.get(f"/api/assess/assessments/{draft.pk}").json()["ranking"]
    assert [row["unit"] for row in ranking] == ["区城乡建设局"]
    assert liam.get(f"/api/assess/scores/{mine.pk}").status_code == 200
    assert liam.get(f"/api/assess/scores/{theirs.pk}").status_code == 404
    assert object_to(liam, late_line(draft, personas.health)).status_code == 404
    publish = liam.post(f"/api/assess/assessments/{draft.pk}/publish", {},
                        content_type="application/json")  # fmt: skip
    assert publish.status_code == 403
    run = liam.post(f"/api/assess/schemes/{draft.scheme_id}/run", {"period": draft.period},
                    content_type="application/json")  # fmt: skip
    assert run.status_code == 403
    objection = object_to(liam, late_line(draft, personas.construction)).json()
    decide = liam.post(f"/api/assess/objections/{objection['id']}/decide",
                       {"accept": True, "reason": "自己同意", "points": "60"},
                       content_type="application/json")  # fmt: skip
    assert decide.status_code == 403
    assert Objection.objects.get(pk=objection["id"]).state == Objection.State.PENDING
    lily = api(personas.lily)
    assert lily.post(f"/api/assess/objections/{objection['id']}/decide",
                     {"accept": True, "reason": "x"},
                     content_type="application/json").status_code == 404  # fmt: skip
    # Another unit's liaison may not object to a line even through its own unit's score.
    assert object_to(lily, late_line(draft, personas.construction)).status_code == 404


def test_a_grid_worker_and_an_outsider_are_refused_everything(personas, released, api):
    line = late_line(released, personas.construction)
    objection = services.objection_enter(line, text="异议", files=[pdf()], by=personas.liam)
    score = line.score
    for person in (personas.gary, personas.oscar):
        client = api(person)
        assert client.get("/api/assess/schemes").json() == []
        assert client.get("/api/assess/assessments").json() == []
        for url in (f"/api/assess/schemes/{released.scheme_id}",
                    f"/api/assess/assessments/{released.pk}", f"/api/assess/scores/{score.pk}"):  # fmt: skip
            assert client.get(url).status_code == 404, (person, url)
        posts = [
            (f"/api/assess/schemes/{released.scheme_id}/run", {"period": released.period}),
            (f"/api/assess/assessments/{released.pk}/release", {}),
            (f"/api/assess/assessments/{released.pk}/publish", {"number": ""}),
            (f"/api/assess/objections/{objection.pk}/decide", {"accept": True, "reason": "x"}),
        ]
        for url, body in posts:
            answer = client.post(url, body, content_type="application/json")
            assert answer.status_code == 404, (person, url, answer.content)
        assert object_to(client, line).status_code == 404
    objection.refresh_from_db()
    assert objection.state == Objection.State.PENDING and Objection.objects.count() == 1


def test_without_signing_in_nothing_is_answered(scheme, client):
    assert client.get("/api/assess/schemes").status_code == 401
    assert client.get(f"/api/assess/schemes/{scheme.pk}").status_code == 401


@pytest.mark.parametrize("period", ["abc", "", "2026Q1", "1999", "2101", "9" * 8, "2026\x00"])
def test_a_bad_period_is_refused(personas, scheme, api, period):
    answer = api(personas.dora).post(f"/api/assess/schemes/{scheme.pk}/run", {"period": period},
                                     content_type="application/json")  # fmt: skip
    assert 400 <= answer.status_code < 500, answer.content
    assert answer.json()["detail"]
    assert not Assessment.objects.exists()


def test_a_period_not_begun_is_refused(personas, scheme, api):
    next_year = str(timezone.localdate().year + 1)
    answer = api(personas.dora).post(f"/api/assess/schemes/{scheme.pk}/run",
                                     {"period": next_year}, content_type="application/json")  # fmt: skip
    assert answer.status_code == 422 and answer.json()["detail"]


@pytest.mark.parametrize("points", ["NaN", "Infinity", "1e999", "abc", "-1e6", [1], {"a": 1}])
def test_bad_points_in_a_decision_are_refused(personas, released, api, points):
    line = late_line(released, personas.construction)
    objection = services.objection_enter(line, text="异议", files=[pdf()], by=personas.liam)
    answer = api(personas.dora).post(f"/api/assess/objections/{objection.pk}/decide",
                                     {"accept": True, "reason": "核减", "points": points},
                                     content_type="application/json")  # fmt: skip
    assert 400 <= answer.status_code < 500, answer.content
    objection.refresh_from_db()
    assert objection.state == Objection.State.PENDING


def test_more_points_than_the_weight_are_refused(personas, released, api):
    line = late_line(released, personas.construction)
    objection = services.objection_enter(line, text="异议", files=[pdf()], by=personas.liam)
    answer = api(personas.dora).post(f"/api/assess/objections/{objection.pk}/decide",
                                     {"accept": True, "reason": "核减", "points": "61"},
                                     content_type="application/json")  # fmt: skip
    assert answer.status_code == 422 and answer.json()["detail"]


@pytest.mark.parametrize(
    "fields",
    [
        {"file": SimpleUploadedFile("a.pdf", b"<html>not a pdf</html>")},
        {"file": None},
        {"text": ""},
        {"text": "x\x00y"},
        {"points": "abc"},
        {"points": "NaN"},
    ],
)
def test_a_bad_objection_is_refused(personas, released, api, fields):
    line = late_line(released, personas.construction)
    form = {"text": "异议", "file": pdf(), **fields}
    form = {key: value for key, value in form.items() if value is not None}
    answer = api(personas.liam).post(f"/api/assess/lines/{line.pk}/objections", form)
    assert 400 <= answer.status_code < 500, answer.content
    assert not Objection.objects.exists()


def test_an_objection_after_the_window_is_refused(personas, released, api):
    Assessment.objects.filter(pk=released.pk).update(
        objections_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    answer = object_to(api(personas.liam), late_line(released, personas.construction))
    assert answer.status_code == 422 and answer.json()["detail"]


@pytest.mark.parametrize(
    "url", ["/api/assess/schemes/0", "/api/assess/schemes/abc", f"/api/assess/scores/{2**70}",
            "/api/assess/assessments?state=nonsense", "/api/assess/assessments?limit=0",
            "/api/assess/assessments/-1", "/api/assess/schemes?offset=-1"],
)  # fmt: skip
def test_bad_ids_and_queries_are_refused(personas, api, url):
    answer = api(personas.dora).get(url)
    assert 400 <= answer.status_code < 500 and answer.json()["detail"], answer.content


def test_a_body_that_is_not_json_or_a_step_out_of_order_is_refused(personas, draft, api):
    dora = api(personas.dora)
    bad = dora.post(f"/api/assess/schemes/{draft.scheme_id}/run", "{",
                    content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and bad.json()["detail"]
    long = dora.post(f"/api/assess/assessments/{draft.pk}/publish", {"number": "号" * 61},
                     content_type="application/json")  # fmt: skip
    assert long.status_code == 422
    draft_publish = dora.post(f"/api/assess/assessments/{draft.pk}/publish", {"number": ""},
                              content_type="application/json")  # fmt: skip
    assert draft_publish.status_code == 422 and draft_publish.json()["detail"]
    dora.post(f"/api/assess/assessments/{draft.pk}/release")
    twice = dora.post(f"/api/assess/assessments/{draft.pk}/release")
    assert twice.status_code == 422
    recompute = dora.post(f"/api/assess/schemes/{draft.scheme_id}/run", {"period": draft.period},
                          content_type="application/json")  # fmt: skip
    assert recompute.status_code == 422


def test_the_schema_documents_the_assessment(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/assess/schemes", "/api/assess/schemes/{scheme_id}/run",
                 "/api/assess/scores/{score_id}", "/api/assess/lines/{line_id}/objections",
                 "/api/assess/objections/{objection_id}/decide"):  # fmt: skip
        assert path in paths, path
