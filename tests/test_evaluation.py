"""Quarterly grid evaluation (seed 002 §三.(五).5): figures filled in from the quarter's
patrols, self-evaluation and evaluation from above by the right people, roll-up, export."""

import datetime
import io
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from ecogov.accounts.models import Role, User
from ecogov.grid.models import Grid, GridMember
from ecogov.patrols.evaluation import (
    Kind,
    evaluation_rollup,
    evaluation_save,
    grade_for,
    quarter_bounds,
    quarter_figures,
)
from ecogov.patrols.models import GridEvaluation, Patrol
from ecogov.patrols.sample import patrols_sample_load
from ecogov.patrols.services import every_days, patrol_record
from ecogov.sources.models import Source
from ecogov.sources.sample import sources_sample_load
from ecogov.testing import make_person

# A finished quarter, so the figures do not depend on the day the tests run.
YEAR, QUARTER = 2026, 2
TODAY = datetime.date(2026, 7, 15)


@pytest.fixture
def township(personas):
    sources_sample_load(personas.district)
    return Source.objects.filter(grid__parent__name="总寨镇").select_related("grid", "type")


@pytest.fixture
def tina(personas):
    """The township's officer (liaison of 总寨镇政府), who answers for the 总寨镇 grid."""
    return make_person("tina", Role.LIAISON, personas.township, name="Tina 镇联络员")


def patrol(worker, source, day: datetime.date, *, finding=False, delay_minutes=0):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    made, _ = patrol_record(
        client_id=uuid.uuid4(), source=source, worker=worker, patrolled_at=moment,
        finding=finding, note="油烟直排" if finding else "",
    )  # fmt: skip
    Patrol.objects.filter(pk=made.pk).update(
        received_at=moment + datetime.timedelta(minutes=delay_minutes)
    )
    return made


def test_quarters_have_their_calendar_bounds():
    assert quarter_bounds(2026, 1) == (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    assert quarter_bounds(2026, 4) == (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    with pytest.raises(ValidationError):
        quarter_bounds(2026, 5)
    assert [grade_for(s) for s in (100, 90, 89, 80, 60, 59, 0)] == [
        "excellent", "excellent", "good", "good", "pass", "fail", "fail",
    ]  # fmt: skip


def test_figures_count_due_done_and_findings_and_roll_up(township, personas):
    source = township[0]
    others = list(township[1:])
    due = max(1, 91 // every_days(source))  # 2026 Q2 has 91 days
    # Many patrols of one source count on schedule only as often as it was due.
    for n in range(due + 3):
        patrol(personas.gary, source, datetime.date(2026, 4, 1) + datetime.timedelta(days=n))
    patrol(personas.gary, source, datetime.date(2026, 6, 30), finding=True, delay_minutes=180)
    patrol(personas.gary, source, datetime.date(2026, 7, 1))  # next quarter: not counted
    village = source.grid
    grids = Grid.objects.filter(name__in=["总寨镇", village.name, "城中区"])
    figures = quarter_figures(grids, year=YEAR, quarter=QUARTER, today=TODAY)
    own = figures[village.pk]
    same_grid = [s for s in others if s.grid_id == village.pk]
    assert own.sources == 1 + len(same_grid)
    assert own.done == due + 4
    assert own.on_schedule == due
    assert own.not_patrolled == len(same_grid)
    assert own.findings == 1 and own.average_report_hours == 3.0
    township_figures = figures[Grid.objects.get(name="总寨镇").pk]
    assert township_figures.sources == township.count()
    assert township_figures.done == own.done and township_figures.findings == 1
    assert township_figures.due == sum(max(1, 91 // every_days(s)) for s in township)
    district = figures[Grid.objects.get(name="城中区").pk]
    assert district.sources == Source.objects.filter(grid__isnull=False).count()


def test_the_quarter_so_far_and_not_the_future(township, personas):
    grid = Grid.objects.get(name="总寨镇")
    figures = quarter_figures([grid], year=2026, quarter=3, today=datetime.date(2026, 7, 10))
    assert figures[grid.pk].period_days == 10
    with pytest.raises(ValidationError):
        quarter_figures([grid], year=2026, quarter=4, today=datetime.date(2026, 7, 10))


def test_who_evaluates_whom(township, personas, tina):
    town = Grid.objects.get(name="总寨镇")
    village = Grid.objects.get(name="总寨镇第1网格")
    save = {"year": YEAR, "quarter": QUARTER, "score": 88, "today": TODAY}
    # The township's officer evaluates the township itself and its villages from above.
    evaluation_save(user=tina, grid=town, kind=Kind.SELF, **save)
    evaluation_save(user=tina, grid=village, kind=Kind.UPPER, **save)
    # … but not the township from above (that is the district's), nor a village's self.
    for grid, kind in ((town, Kind.UPPER), (village, Kind.SELF)):
        with pytest.raises(PermissionDenied):
            evaluation_save(user=tina, grid=grid, kind=kind, **save)
    # The bureau evaluates the townships from above.
    evaluation_save(user=personas.dora, grid=town, kind=Kind.UPPER, **save)
    # A grid worker of the township grid is not its leader; other units and areas refused.
    for user in (personas.gary, personas.liam, personas.lily, personas.oscar, personas.lena):
        with pytest.raises(PermissionDenied):
            evaluation_save(user=user, grid=town, kind=Kind.SELF, **save)
    # A grid leader (定人员) evaluates their own grid; a village's worker evaluates the village.
    GridMember.objects.create(grid=town, user=personas.gary, role=GridMember.Role.LEADER)
    evaluation_save(user=personas.gary, grid=town, kind=Kind.SELF, **save)
    walter = make_person("walter", Role.GRID_WORKER, personas.township, name="Walter")
    walter.grids.add(village)
    evaluation_save(user=walter, grid=village, kind=Kind.SELF, **save)
    assert GridEvaluation.objects.count() == 4


@pytest.mark.parametrize(
    "changes", [{"score": 101}, {"score": -1}, {"score": "八十"}, {"kind": "peer"}, {"quarter": 4}]
)
def test_bad_evaluations_are_refused_and_change_nothing(township, personas, tina, changes):
    town = Grid.objects.get(name="总寨镇")
    fields = {"year": 2026, "quarter": 3, "kind": Kind.SELF, "score": 80}
    with pytest.raises(ValidationError):
        evaluation_save(
            user=tina, grid=town, today=datetime.date(2026, 8, 1), **{**fields, **changes}
        )
    assert not GridEvaluation.objects.exists()


def test_correcting_keeps_one_evaluation_with_its_history(township, personas, tina):
    town = Grid.objects.get(name="总寨镇")
    fields = {"year": YEAR, "quarter": QUARTER, "kind": Kind.SELF, "today": TODAY}
    evaluation_save(user=tina, grid=town, score=70, remarks="巡查不到位", **fields)
    patrol(personas.gary, township[0], datetime.date(2026, 5, 5))
    corrected = evaluation_save(user=tina, grid=town, score=92, **fields)
    assert GridEvaluation.objects.count() == 1
    assert corrected.grade == "excellent" and corrected.figures["done"] == 1
    assert corrected.history.count() == 2


def test_the_rollup_reports_lower_grids_up(township, personas, tina):
    town = Grid.objects.get(name="总寨镇")
    villages = list(town.children.order_by("name"))
    for village, score in zip(villages[:2], (80, 91), strict=True):
        evaluation_save(
            user=tina, grid=village, year=YEAR, quarter=QUARTER, kind=Kind.UPPER, score=score,
            today=TODAY,
        )  # fmt: skip
    rows = {
        row.grid.name: row
        for row in evaluation_rollup(tina, year=YEAR, quarter=QUARTER, today=TODAY)
    }
    assert set(rows) == {"总寨镇", *(v.name for v in villages)}  # nothing of other townships
    assert rows["总寨镇"].children == len(villages)
    assert rows["总寨镇"].children_evaluated == 2 and rows["总寨镇"].children_average == 85.5
    assert rows["总寨镇"].may_self and not rows["总寨镇"].may_upper
    assert rows[villages[0].name].may_upper and not rows[villages[0].name].may_self


def test_pages_form_and_export(township, personas, tina, client_for):
    today = timezone.localdate()
    year, quarter = (today.year, (today.month - 1) // 3 + 1)
    town = Grid.objects.get(name="总寨镇")
    client = client_for(tina)
    page = client.get(f"/grids/evaluation/?quarter={year}Q{quarter}")
    assert page.status_code == 200 and "总寨镇第1网格" in page.content.decode()
    assert "人民街街道" not in page.content.decode()
    url = f"/grids/{town.pk}/evaluation/{year}/{quarter}/self/"
    client.get(url)
    token = client.cookies["csrftoken"].value
    bad = client.post(url, {"score": "120", "csrfmiddlewaretoken": token})
    assert bad.status_code == 422 and not GridEvaluation.objects.exists()
    good = client.post(
        url,
        {
            "score": "86",
            "remarks": "巡查基本到位",
            "improvements": "",
            "csrfmiddlewaretoken": token,
        },
    )
    assert good.status_code == 302
    assert GridEvaluation.objects.get().score == 86
    # Not hers to evaluate from above, and other areas' grids are not even shown.
    assert client.get(f"/grids/{town.pk}/evaluation/{year}/{quarter}/upper/").status_code == 403
    other = Grid.objects.get(name="人民街街道")
    assert client.get(f"/grids/{other.pk}/evaluation/{year}/{quarter}/self/").status_code == 404
    assert client.get(f"/grids/{town.pk}/evaluation/{year + 1}/{quarter}/self/").status_code == 404
    export = client.get(f"/grids/evaluation/export.xlsx?quarter={year}Q{quarter}")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][0] == "网格"
    town_row = next(row for row in rows[3:] if row[0].strip() == "总寨镇")
    assert town_row[10] == 86 and town_row[11] == "良好"
    assert "总寨镇" in client.get(f"/grids/{town.pk}/").content.decode()


def test_the_api_records_and_lists_evaluations(township, personas, tina, client_for):
    today = timezone.localdate()
    year, quarter = (today.year, (today.month - 1) // 3 + 1)
    village = Grid.objects.get(name="总寨镇第2网格")
    client = client_for(tina)
    client.get("/")
    headers = {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}
    body = {"year": year, "quarter": quarter, "kind": "upper", "score": 75, "remarks": "需改进"}
    made = client.post(
        f"/api/grids/{village.pk}/evaluations", body, content_type="application/json", **headers
    )
    assert made.status_code == 201 and made.json()["grade"] == "pass"
    assert "due" in made.json()["figures"]
    for wrong, status in (({"score": 101}, 422), ({"kind": "self"}, 403), ({"quarter": 9}, 422)):
        answer = client.post(
            f"/api/grids/{village.pk}/evaluations", {**body, **wrong},
            content_type="application/json", **headers,
        )  # fmt: skip
        assert answer.status_code == status, answer.content
    assert [e["score"] for e in client.get("/api/grid-evaluations").json()] == [75]
    assert client_for(personas.oscar).get("/api/grid-evaluations").json() == []


def test_the_sample_history_is_generated_once_without_usable_accounts(personas):
    sources_sample_load(personas.district)
    today = datetime.date(2026, 11, 22)
    added = patrols_sample_load(personas.district, today=today)
    assert added > 50
    assert patrols_sample_load(personas.district, today=today) == 0
    assert Patrol.objects.count() == added
    assert Patrol.objects.filter(finding=True).exists()
    assert not Patrol.objects.filter(patrolled_at__date__gte=today).exists()
    people = User.objects.filter(username__startswith="sample-")
    assert people.count() == 16 and not any(user.has_usable_password() for user in people)
    q3 = GridEvaluation.objects.filter(year=2026, quarter=3)
    assert q3.filter(kind=Kind.SELF).count() == Grid.objects.filter(level__gte=2).count()
    assert q3.filter(kind=Kind.UPPER, grid__level=3).count() == Grid.objects.filter(level=3).count()
