"""ecogov units import|list|rename|alias and ecogov sample load, run as a user would."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from ecogov.org.models import DutyItem, Jurisdiction, Unit, UnitName
from ecogov.org.sample import DUTY_LIST, sample_load
from ecogov.org.selectors import unit_find
from ecogov.org.services import jurisdiction_ensure

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def district():
    city = jurisdiction_ensure(name="西宁市", level=Jurisdiction.Level.CITY)
    return jurisdiction_ensure(name="城中区", level=Jurisdiction.Level.COUNTY, parent=city)


def history_rows() -> int:
    return sum(model.history.count() for model in (Jurisdiction, Unit, UnitName, DutyItem))


def test_it_imports_the_23_units_with_their_duties(district):
    run("units", "import", str(DUTY_LIST), "--jurisdiction", "城中区")
    assert Unit.objects.filter(jurisdiction=district).count() == 23
    assert DutyItem.objects.filter(unit__jurisdiction=district).count() == 104
    brigade = Unit.objects.get(name="交警八大队")
    assert brigade.kind == Unit.Kind.POLICE
    assert brigade.duties.count() == 2
    assert (
        brigade.duties.first().source
        == "城中政办〔2021〕18号 《西宁市城中区生态环境保护协调议事机制（试行）》"
    )


def test_it_finds_the_jurisdiction_from_the_issuer(district):
    run("units", "import", str(DUTY_LIST))
    assert Unit.objects.filter(jurisdiction=district).count() == 23


def test_importing_twice_changes_nothing(district):
    run("units", "import", str(DUTY_LIST), "--jurisdiction", "西宁市/城中区")
    before = (Unit.objects.count(), DutyItem.objects.count(), history_rows())
    report = json.loads(
        run("units", "import", str(DUTY_LIST), "--jurisdiction", "城中区", "--json")
    )
    assert (Unit.objects.count(), DutyItem.objects.count(), history_rows()) == before
    assert report["units_created"] == [] and report["duties_added"] == 0


def test_a_renamed_unit_is_found_again_on_reimport(district):
    run("units", "import", str(DUTY_LIST), "--jurisdiction", "城中区")
    run("units", "rename", "区自然资源局", "区自然资源和林业局", "--jurisdiction", "城中区")
    run("units", "import", str(DUTY_LIST), "--jurisdiction", "城中区")
    assert Unit.objects.count() == 23
    unit = unit_find(district, "区自然资源局")
    assert unit.name == "区自然资源和林业局"
    assert unit.other_names.get().kind == UnitName.Kind.FORMER


def test_a_bad_line_is_named_and_nothing_is_imported(district, tmp_path):
    lines = DUTY_LIST.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("区审计局："))
    lines[number - 1] = lines[number - 1].replace("区审计局：", "区档案局：")
    bad = tmp_path / "bad.txt"
    bad.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(CommandError, match=f"line {number}: 「区档案局」") as error:
        run("units", "import", str(bad), "--jurisdiction", "城中区")
    assert "nothing imported" in str(error.value)
    assert Unit.objects.count() == 0 and DutyItem.objects.count() == 0


def test_a_gb18030_file_is_read(district, tmp_path):
    converted = tmp_path / "gbk.txt"
    converted.write_bytes(DUTY_LIST.read_text(encoding="utf-8").encode("gb18030"))
    run("units", "import", str(converted), "--jurisdiction", "城中区")
    assert Unit.objects.count() == 23


@pytest.mark.parametrize(
    "args, message",
    [
        (["no-such-file.txt"], "No such file"),
        ([str(DUTY_LIST), "--jurisdiction", "海淀区"], "no jurisdiction named"),
    ],
)
def test_it_refuses_clearly(district, args, message):
    with pytest.raises(CommandError, match=message):
        run("units", "import", *args)
    assert Unit.objects.count() == 0


def test_a_dry_run_writes_nothing(district):
    out = run("units", "import", str(DUTY_LIST), "--jurisdiction", "城中区", "--dry-run")
    assert "would import" in out and "23 units created" in out
    assert Unit.objects.count() == 0 and history_rows() == 2


def test_units_list_json_has_the_promised_shape():
    sample_load()
    rows = json.loads(run("units", "list", "--json", "--jurisdiction", "城中区"))
    assert len(rows) == 23
    assert all(set(row) == {"name", "kind", "aliases", "duties"} for row in rows)
    natural = next(row for row in rows if row["name"] == "区自然资源和林业局")
    assert natural["aliases"] == ["区自然资源局"]
    assert natural["kind"] == "department"
    assert len(natural["duties"]) == 10
    assert all(isinstance(duty, str) and duty for row in rows for duty in row["duties"])


def test_the_sample_loads_twice_without_change():
    sample_load()
    before = (Unit.objects.count(), DutyItem.objects.count(), history_rows())
    sample_load()
    assert (Unit.objects.count(), DutyItem.objects.count(), history_rows()) == before
    assert [area.name for area in Jurisdiction.objects.order_by("level")] == [
        "青海省",
        "西宁市",
        "城中区",
    ]


def test_alias_and_rename_refuse_a_name_in_use():
    sample_load()
    with pytest.raises(CommandError, match="已属于 区生态环境局"):
        run("units", "alias", "区财政局", "区生态环境局", "--jurisdiction", "城中区")
    with pytest.raises(CommandError, match="no unit named"):
        run("units", "rename", "区教育局", "区教体局", "--jurisdiction", "城中区")


def test_jurisdictions_list_and_add():
    sample_load()
    out = run("jurisdictions", "add", "总寨镇", "--level", "township", "--parent", "城中区")
    assert "青海省 › 西宁市 › 城中区 › 总寨镇" in out
    rows = json.loads(run("jurisdictions", "list", "--json"))
    assert [row["name"] for row in rows] == ["青海省", "西宁市", "城中区", "总寨镇"]
    with pytest.raises(CommandError):
        run("jurisdictions", "add", "总寨镇", "--level", "township", "--parent", "城中区")
