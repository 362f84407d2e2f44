"""Problem lists in, as they arrive (issue 19, Deliver §1 and "Bad input"): tolerant
headers, units by name or alias with the unknown ones listed and mapped, measures split,
deadline kinds, one transaction naming every bad row, the dry run, the command line and
the page.

The lists are built here with openpyxl after the layout of published rectification
plans' task tables. Their problems are fictional (labelled 虚构示例), their units
Chengzhong's. Layouts after:
- https://www.changde.gov.cn/zwgk/zwgk/zfgb/2013n/2024nd5qzd192q5y31rcb/swszfwj/2269309791.html
  (常德市贯彻落实第二轮省生态环境保护督察报告整改方案, 公开版: each problem with its
  整改目标, 整改措施, 责任单位 and 整改时限)
- https://www.changde.gov.cn/cdzx/gsgg/content_843565 (the same city's 2021 plan)
- https://linxia.gov.cn/lxz/zwgk/bmxxgkpt/lxzsthjj/fdzdgknr/hjbhzhlxx/art/2024/art_181dbcb9188f456795c287678b358a93.html
  (甘肃省贯彻落实第三轮中央生态环境保护督察报告整改方案)
- http://www.jrxiantao.com/article-2686-1.html (仙桃市: short-term, staged and
  长期坚持 problems in one list)
- http://yueyang.gov.cn/zwgk/21872/content_1534862.html (湖南省: 立行立改, 全面推进,
  持续推进 stages and the task list sent with the plan)
"""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment

from ecogov.org.selectors import unit_find
from ecogov.rectification import imports
from ecogov.rectification.imports import ImportRefused, NewBatch, list_import
from ecogov.rectification.models import Batch, Measure, Origin, Problem
from ecogov.supervision.models import Item

RECEIVED = datetime.date(2026, 11, 20)
CENTRAL = "第二轮中央生态环境保护督察"
FILM = "2026年黄河流域生态环境警示片"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def workbook(rows, merges=()) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "整改清单"
    for row in rows:
        sheet.append(list(row))
    for merge in merges:
        sheet.merge_cells(merge)
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def central_list(changes: dict | None = None) -> bytes:
    """A central-inspection task list as districts publish it: two title rows, a header
    over two rows (责任主体 merged over 责任领导 | 牵头单位 | 责任单位), a section row,
    numbered measures in one cell, 立行立改 / 长期坚持 / dates in several spellings."""
    rows = {
        6: [1, "（虚构示例）南川河城中段沿岸存在违规砂石料场，扬尘和废水直排问题突出。",
            "砂石料场全部关停取缔，沿岸生态修复到位。",
            "1.开展沿岸砂石料场全面排查，2027年3月底前完成关停取缔。\n"
            "2.区城乡建设局负责拆除违规建筑，恢复岸线植被。\n3.建立巡河长效机制。",
            "分管副区长", "区生态环境局", "区城乡建设局、总寨镇政府", "2027年6月30日前"],
        7: [2, "（虚构示例）部分医疗机构医疗废物暂存不规范，台账记录不全。",
            "医疗废物规范贮存、全量收运。",
            "（1）对辖区医疗机构开展专项检查；（2）督促建立医疗废物转移台账。",
            "分管副区长", "区卫生健康局", "区生态环境局", "立行立改"],
        8: [3, "（虚构示例）城区餐饮油烟扰民投诉反复出现，治理成效不稳固。",
            "2027年底前城区餐饮单位油烟净化设施安装率达到100%。",
            "一是2027年6月底前完成临街餐饮单位油烟净化设施排查；二是常态化开展夜间巡查。",
            "分管副区长", "区城市管理局", "区市场监管局", "长期坚持"],
        9: [4, "（虚构示例）总寨镇部分村庄生活污水收集不到位。",
            "村庄生活污水有效收集处理。", "完善污水收集管网，推进设施稳定运行。",
            "分管副区长", "总寨镇政府", "", datetime.datetime(2027, 9, 30)],
        10: [5, "（虚构示例）南山片区历史遗留矿山生态修复滞后。", "完成矿山生态修复。",
             "编制修复方案并分年度实施，持续推进。", "分管副区长", "区自然资源和林业局",
             "", "持续推进"],
    }  # fmt: skip
    for number, values in (changes or {}).items():
        rows[number] = values
    return workbook(
        [
            ["城中区贯彻落实第二轮中央生态环境保护督察报告整改任务清单"],
            ["（虚构示例，表式依公开的整改方案）"],
            ["序号", "督察反馈问题", "整改目标", "整改措施", "责任主体", None, None, "整改时限"],
            [None, None, None, None, "责任领导", "牵头单位", "责任单位", None],
            ["一、生态环境突出问题"],
            *(rows[number] for number in sorted(rows)),
        ],
        merges=["A1:H1", "A2:H2", "E3:G3", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "H3:H4", "A5:H5"],
    )


def film_list() -> bytes:
    """A warning-film list with other column names, one title row, a one-row header and
    a problem over two rows (its cell merged), one measure per row."""
    return workbook(
        [
            ["2026年黄河流域生态环境警示片披露问题整改清单"],
            [
                "序号",
                "存在问题",
                "整改举措",
                "牵头领导",
                "牵头责任单位",
                "配合单位",
                "完成时限",
                "整改类型",
            ],
            [
                1,
                "（虚构示例）湟水河支沟倾倒建筑垃圾。",
                "清运沟道内建筑垃圾",
                "副区长",
                "区城市管理综合行政执法局",
                "区城乡建设局",
                "2027-03-31",
                "限期整改",
            ],
            [None, None, "追溯倾倒来源并依法查处", None, None, "城中公安分局", "2027-05-31", None],
            [
                2,
                "（虚构示例）旧名单位负责的排污口未完成整治。",
                "完成排污口规范化整治",
                "副区长",
                "区水利局",
                "区生态环境局",
                "2027年4月",
                "限期整改",
            ],
        ],  # fmt: skip
        merges=["A1:H1", "A3:A4", "B3:B4", "D3:D4", "E3:E4"],
    )


def run(personas, data, *, title=CENTRAL, batch=None, **options):
    options.setdefault("new_batch", NewBatch(title=title, received_on=RECEIVED))
    return list_import(data, jurisdiction=personas.district, by=personas.dora, batch=batch,
                       **options)  # fmt: skip


# --- reading the sheet, without the database ----------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024年12月底前", datetime.date(2024, 12, 31)),
        ("2025年6月", datetime.date(2025, 6, 30)),
        ("2025-06-30", datetime.date(2025, 6, 30)),
        ("2025年底前完成", datetime.date(2025, 12, 31)),
        ("2026年上半年", datetime.date(2026, 6, 30)),
        ("2026年2月底", datetime.date(2026, 2, 28)),
        ("2027年3月15日前", datetime.date(2027, 3, 15)),
        ("2025.9", datetime.date(2025, 9, 30)),
    ],
)
def test_it_reads_the_dates_lists_write(text, expected):
    assert [day for _at, day in imports.dates_in(text)] == [expected]


@pytest.mark.parametrize(
    ("cell", "measures"),
    [
        ("1.排查；2.整治\n3.验收", ["排查", "整治", "验收"]),
        ("（1）排查；（2）整治", ["排查", "整治"]),
        ("①排查②整治", ["排查", "整治"]),
        ("一是排查；二是整治。", ["排查", "整治。"]),
        ("采取以下措施：1、排查 2025.6完成；2、关停1.5万吨产能", ["排查 2025.6完成", "关停1.5万吨产能"]),
        ("完善管网，推进设施稳定运行。", ["完善管网，推进设施稳定运行。"]),
    ],
)  # fmt: skip
def test_it_splits_numbered_measures(cell, measures):
    assert imports.split_measures(cell) == measures


def test_of_two_problem_columns_the_better_named_one_is_read(personas):
    data = workbook([
        ["序号", "问题类型", "具体问题", "整改措施", "责任单位", "整改期限"],
        [1, "水污染", "（虚构示例）排污口未规范设置。", "规范设置排污口", "区生态环境局",
         "2027年6月"],
    ])  # fmt: skip
    [problem] = run(personas, data, dry_run=True).problems
    assert problem.text.startswith("（虚构示例）排污口")
    assert problem.deadline == datetime.date(2027, 6, 30)


def test_a_unit_marked_as_leading_leads_and_collective_names_stay_text(personas):
    data = workbook([
        ["序号", "反馈问题", "整改措施", "责任单位", "整改时限", "督察组"],
        [1, "（虚构示例）建筑工地扬尘管控不到位。", "1.落实六个百分之百；2.各镇办开展巡查",
         "区生态环境局、区城乡建设局（牵头）、各镇办", "2027年3月", "第三督察组"],
    ])  # fmt: skip
    report = run(personas, data)
    [planned] = report.problems
    assert planned.lead == "区城乡建设局" and planned.units == ["区生态环境局"]
    assert any("各镇办" in note for note in planned.notes)
    assert Batch.objects.get(title=CENTRAL).team == "第三督察组"


def test_it_matches_varied_header_names():
    assert imports.column_of("牵头责任单位") == "lead"
    assert imports.column_of("配合单位") == "units"
    assert imports.column_of("督察反馈问题") == "problem"
    assert imports.column_of("整改完成时限") == "deadline"
    assert imports.column_of("问题来源") == "team"
    assert imports.column_of("责任主体") is None


# --- the import ---------------------------------------------------------------------


def test_it_reads_a_two_row_header_under_title_rows(personas):
    report = run(personas, central_list(), dry_run=True)
    assert report.ok and report.batch_new and report.origin == Origin.CENTRAL
    assert [p.row for p in report.problems] == [6, 7, 8, 9, 10]
    first = report.problems[0]
    assert first.seq == 1 and first.lead == "区生态环境局"
    assert first.units == ["区城乡建设局", "总寨镇政府"]
    # 区城市管理局 is the alias, 区自然资源和林业局 the later name of a registered unit.
    assert report.problems[2].lead == "区城市管理综合行政执法局"
    assert report.problems[4].lead == "区自然资源和林业局"


def test_it_enters_the_list_with_measures_split_and_deadlines_by_kind(personas):
    report = run(personas, central_list())
    assert report.ok and not report.dry_run
    batch = Batch.objects.get(title=CENTRAL, jurisdiction=personas.district)
    assert batch.origin == Origin.CENTRAL and batch.received_on == RECEIVED
    problems = {p.seq: p for p in batch.problems.select_related("item")}
    assert len(problems) == 5
    first = problems[1]
    assert first.stage == Problem.Stage.BY_DATE
    assert first.item.deadline == datetime.date(2027, 6, 30)
    assert first.leader == "分管副区长" and first.target.startswith("砂石料场")
    measures = list(first.measures.order_by("order"))
    assert [m.unit.name for m in measures] == ["区生态环境局", "区城乡建设局", "区生态环境局"]
    assert measures[0].deadline == datetime.date(2027, 3, 31)  # its own date
    assert measures[2].deadline == datetime.date(2027, 6, 30)  # the problem's
    assert set(first.item.support.values_list("name", flat=True)) == {"区城乡建设局", "总寨镇政府"}
    # 立行立改 with no date: due a month after the list arrived (the service's rule).
    assert problems[2].stage == Problem.Stage.AT_ONCE and problems[2].measures.count() == 2
    # 长期坚持: the dated phrases of target and measures become milestones.
    ongoing = problems[3]
    assert ongoing.stage == Problem.Stage.LONG_TERM and ongoing.item.ongoing
    assert sorted(m.due for m in ongoing.milestones.all()) == [
        datetime.date(2027, 6, 30), datetime.date(2027, 12, 31)
    ]  # fmt: skip
    # An Excel date cell.
    assert problems[4].item.deadline == datetime.date(2027, 9, 30)
    # 持续推进 with no date at all: one milestone at the end of the year; the list came
    # in late November, so at the end of the next one.
    [milestone] = problems[5].milestones.all()
    assert milestone.due == datetime.date(2027, 12, 31)
    assert any("end of the year" in note for note in report.problems[4].notes)


def test_a_problem_over_two_rows_keeps_each_measures_unit_and_deadline(personas):
    mapping = {"区水利局": personas.bureau}
    report = run(personas, film_list(), title=FILM, mapping=mapping)
    assert report.ok and report.origin == Origin.WARNING_FILM
    problem = Problem.objects.get(batch__title=FILM, seq=1)
    measures = list(problem.measures.order_by("order"))
    assert [(m.unit.name, m.deadline) for m in measures] == [
        ("区城市管理综合行政执法局", datetime.date(2027, 3, 31)),
        ("城中公安分局", datetime.date(2027, 5, 31)),
    ]  # fmt: skip
    assert problem.item.deadline == datetime.date(2027, 5, 31)
    assert problem.leader == "副区长"


def test_unknown_units_are_listed_and_imported_once_mapped(personas):
    with pytest.raises(ImportRefused) as refused:
        run(personas, film_list(), title=FILM)
    assert refused.value.report.unknown == {"区水利局": [5]}
    assert any("区水利局" in error and "map it" in error for error in refused.value.messages)
    assert not Batch.objects.filter(title=FILM).exists()
    assert not unit_find(personas.district, "区水利局")  # never created
    report = run(personas, film_list(), title=FILM, mapping={"区水利局": personas.bureau})
    assert report.ok
    assert Problem.objects.get(batch__title=FILM, seq=2).item.lead == personas.bureau


def test_every_bad_row_is_named_and_nothing_is_imported(personas):
    data = central_list({
        7: [2, "（虚构示例）医疗废物暂存不规范。", "", "", "", "区卫生健康局", "", "立行立改"],
        9: [4, "（虚构示例）生活污水收集不到位。", "", "完善管网", "", "总寨镇政府", "", "待定"],
        10: [1, "（虚构示例）矿山修复滞后。", "", "实施修复", "", "区自然资源局", "", "2027年底"],
    })  # fmt: skip
    items = Item.objects.count()
    with pytest.raises(ImportRefused) as refused:
        run(personas, data)
    errors = refused.value.messages
    assert any(e.startswith("row 7:") and "measure" in e for e in errors), errors
    assert any(e.startswith("row 9:") and "待定" in e for e in errors), errors
    assert any(e.startswith("row 10:") and "row 6" in e for e in errors), errors
    assert not any(e.startswith("row 8:") for e in errors)
    assert not Batch.objects.filter(title=CENTRAL).exists()
    assert Item.objects.count() == items and not Measure.objects.exists()


def test_a_bad_row_into_an_existing_batch_leaves_it_as_it_was(personas):
    run(personas, central_list())
    batch = Batch.objects.get(title=CENTRAL)
    with pytest.raises(ImportRefused) as refused:
        run(personas, central_list(), batch=batch)
    assert any("no. 1 already" in e for e in refused.value.messages)
    assert batch.problems.count() == 5


def test_a_dry_run_changes_nothing(personas):
    items, batches = Item.objects.count(), Batch.objects.count()
    report = run(personas, central_list(), dry_run=True)
    assert report.ok and len(report.problems) == 5 and report.batch_id is None
    assert Item.objects.count() == items and Batch.objects.count() == batches


def test_it_refuses_anyone_but_the_bureaus_dispatchers(personas):
    for person in (personas.liam, personas.lena, personas.oscar):
        with pytest.raises(PermissionDenied):
            list_import(central_list(), jurisdiction=personas.district, by=person,
                        new_batch=NewBatch(title=CENTRAL))  # fmt: skip
    assert not Batch.objects.filter(title=CENTRAL).exists()


def test_it_reads_the_list_from_the_sheet_after_a_cover_sheet(personas):
    book = Workbook()
    book.active.title = "填报说明"
    book.active.append(["请各责任单位按月报送整改进展。"])
    sheet = book.create_sheet("整改清单")
    sheet.append(["序号", "问题", "整改措施", "牵头单位", "整改时限"])
    sheet.append(
        [1, "（虚构示例）排污口未规范设置。", "规范设置排污口", "区生态环境局", "2027年6月"]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    report = run(personas, buffer.getvalue(), dry_run=True)
    assert [p.row for p in report.problems] == [2]
    assert any("整改清单" in note for note in report.notes)


def test_it_refuses_what_is_no_problem_list(personas):
    with pytest.raises(Exception) as refused:
        run(personas, workbook([["姓名", "电话"], ["张三", "123"]]))
    assert "header" in str(refused.value)
    with pytest.raises(Exception) as refused:
        run(personas, b"not a workbook")
    assert "Excel" in str(refused.value)


# --- the command line ---------------------------------------------------------------


def test_the_command_imports_and_lists(personas, tmp_path, capsys):
    path = tmp_path / "清单.xlsx"
    path.write_bytes(film_list())
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("rectification", "import", str(path), "--batch", FILM, "--user", "dora")
    assert "区水利局" in capsys.readouterr().err
    call_command("rectification", "import", str(path), "--batch", FILM, "--user", "dora",
                 "--map", "区水利局=区生态环境局", "--dry-run")  # fmt: skip
    assert "would be imported" in capsys.readouterr().out
    assert not Batch.objects.filter(title=FILM).exists()
    call_command("rectification", "import", str(path), "--batch", FILM, "--user", "dora",
                 "--map", "区水利局=区生态环境局", "--received", "2026-11-20",
                 "--origin", "warning_film")  # fmt: skip
    assert "2 problems imported" in capsys.readouterr().out
    call_command("rectification", "list", "--json")
    assert FILM in capsys.readouterr().out
    call_command("rectification", "list", "--batch", FILM, "--as", "dora")
    assert "湟水河" in capsys.readouterr().out


def test_the_command_refuses_clearly(personas, tmp_path):
    path = tmp_path / "list.xlsx"
    path.write_bytes(film_list())
    with pytest.raises(CommandError, match="no active account"):
        call_command("rectification", "import", str(path), "--batch", FILM, "--user", "nobody")
    with pytest.raises(CommandError, match="dispatchers"):
        call_command("rectification", "import", str(path), "--batch", FILM, "--user", "liam")
    with pytest.raises(CommandError, match="no unit"):
        call_command("rectification", "import", str(path), "--batch", FILM, "--user", "dora",
                     "--map", "区水利局=区水务局")  # fmt: skip


# --- the page -----------------------------------------------------------------------


def upload(data: bytes, name="整改清单.xlsx"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_the_page_previews_then_imports_for_the_dispatcher(form_client_for, personas):
    client = form_client_for(personas.dora)
    assert client.get("/rectification/import/").status_code == 200
    page = client.post("/rectification/import/", {
        "action": "preview", "file": upload(film_list()), "title": FILM,
        "received_on": "2026-11-20",
    })  # fmt: skip
    assert page.status_code == 200
    text = page.content.decode()
    assert "区水利局" in text and 'name="map_0"' in text
    assert not Batch.objects.filter(title=FILM).exists()
    form = {"title": FILM, "received_on": "2026-11-20", "names": "1", "name_0": "区水利局",
            "map_0": str(personas.bureau.pk)}  # fmt: skip
    page = client.post("/rectification/import/", form | {"action": "preview"})
    assert page.status_code == 200 and 'value="import"' in page.content.decode()
    assert not Batch.objects.filter(title=FILM).exists()
    done = client.post("/rectification/import/", form | {"action": "import"})
    batch = Batch.objects.get(title=FILM)
    assert done.status_code == 302 and done["Location"] == batch.get_absolute_url()
    assert batch.problems.count() == 2 and batch.origin == Origin.WARNING_FILM


def test_the_page_into_an_existing_batch(form_client_for, personas):
    client = form_client_for(personas.dora)
    run(personas, central_list())
    batch = Batch.objects.get(title=CENTRAL)
    assert "/rectification/import/" in client.get("/rectification/").content.decode()
    form = client.get(f"/rectification/import/?batch={batch.pk}").content.decode()
    assert f'value="{batch.pk}" selected' in form
    extra = workbook([
        ["序号", "问题描述", "整改措施", "责任单位", "完成时限"],
        [6, "（虚构示例）新增问题。", "立即整改", "区卫生健康局", "立行立改"],
    ])  # fmt: skip
    client.post("/rectification/import/", {"file": upload(extra), "batch": batch.pk})
    done = client.post("/rectification/import/", {"batch": batch.pk, "action": "import"})
    assert done.status_code == 302
    assert batch.problems.count() == 6


def test_the_page_refuses_a_liaison_and_another_districts_dispatcher(form_client_for, personas):
    run(personas, central_list())
    batch = Batch.objects.get(title=CENTRAL)
    client = form_client_for(personas.liam)
    assert client.get("/rectification/import/").status_code == 403
    response = client.post("/rectification/import/", {"file": upload(film_list()), "title": FILM})
    assert response.status_code == 403
    client = form_client_for(personas.oscar)
    response = client.post("/rectification/import/", {
        "file": upload(film_list()), "batch": batch.pk, "action": "import",
    })  # fmt: skip
    assert response.status_code == 403
    assert batch.problems.count() == 5 and not Batch.objects.filter(title=FILM).exists()


def test_the_page_says_what_is_wrong_with_a_file(form_client_for, personas):
    client = form_client_for(personas.dora)
    page = client.post("/rectification/import/", {"file": upload(b"PK nothing"), "title": FILM})
    assert page.status_code == 200 and "Excel" in page.content.decode()
    assert not Batch.objects.filter(title=FILM).exists()
    # No file sent and none waiting from a preview.
    page = client.post("/rectification/import/", {"title": FILM, "action": "import"})
    assert page.status_code == 200 and not Batch.objects.filter(title=FILM).exists()
    too_big = upload(b"0" * (2 * 1024 * 1024 + 1))
    page = client.post("/rectification/import/", {"file": too_big, "title": FILM})
    assert page.status_code == 200 and not Batch.objects.filter(title=FILM).exists()
