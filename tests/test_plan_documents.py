"""Plan documents as text (ecogov.plans.documents): Word and PDF give the plan reader the
same text, tables as TAB-separated rows in their place; scans, encrypted and broken files
are refused with a message that says why."""

import io

import pytest
from django.utils import translation

from ecogov.domain.textfile import UnreadableFile
from ecogov.plans import documents
from ecogov.plans.documents import document_text, read_document
from plantables import (
    PINGDINGSHAN,
    SUINING,
    docx_bytes,
    grid_pdf,
    pdf_bytes,
    scan_pdf_bytes,
)


@pytest.fixture(autouse=True)
def english():
    # The refusals are read in English (their Chinese comes with the catalogue).
    with translation.override("en"):
        yield


def lines_of(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def unspaced(lines: list[str]) -> list[str]:
    # A cell that wraps at a blank loses that blank in the PDF ("2016—2017 年底前"
    # set over two lines reads "2016—2017年底前"): compare without blanks.
    return [line.replace(" ", "") for line in lines]


@pytest.mark.parametrize("source", [SUINING, PINGDINGSHAN], ids=["suining", "pingdingshan"])
def test_it_reads_a_pdf_table_as_tab_rows_in_its_place_among_the_paragraphs(source):
    text = source.read_text(encoding="utf-8")
    read = lines_of(document_text(pdf_bytes(text), name="plan.pdf"))
    assert unspaced(read) == unspaced(lines_of(text))
    header = next(line for line in read if "\t" in line)
    assert header.startswith("序号\t")


def test_it_keeps_the_pdfs_cells_whole_and_joins_the_lines_a_cell_wraps_over():
    read = lines_of(
        document_text(pdf_bytes(PINGDINGSHAN.read_text(encoding="utf-8")), name="p.pdf")
    )
    row = next(line.split("\t") for line in read if line.startswith("1\t"))
    assert len(row) == 7
    assert row[4] == "市水利局"
    assert row[3].startswith("实施水资源消耗总量和强度双控行动") and row[3].endswith(
        "11.88亿立方米以内。"
    )
    assert row[6] == "各县(市、区)党委和人民政府,城乡一体化示范区、高新区党工委和管委会"


def test_a_docx_and_a_pdf_of_one_plan_read_alike():
    text = SUINING.read_text(encoding="utf-8")
    from_word = document_text(docx_bytes(text), name="plan.docx")
    from_pdf = document_text(pdf_bytes(text), name="plan.pdf")
    assert unspaced(lines_of(from_word)) == unspaced(lines_of(from_pdf))
    assert lines_of(from_word) == lines_of(text)


def test_page_numbers_are_dropped_and_the_text_runs_on_over_pages():
    # Large print: the table runs over several pages, each numbered "— N —".
    text = SUINING.read_text(encoding="utf-8")
    data = pdf_bytes(text, font_size=22)
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) >= 3
        assert "— 2 —" in pdf.pages[1].extract_text()
    read = document_text(data, name="plan.pdf")
    assert "—" not in read.replace("2016—", "")
    assert [line.split("\t")[0] for line in lines_of(read) if "\t" in line] == [
        "序号", *map(str, range(1, 12)),
    ]  # fmt: skip


# Rows 1, 8 and 9 of the Suining table, set as Word sets a table over two pages: the
# header again atop page 2, and row 8 broken by the page, its rest in the next row.
HEADER = ["序号", "工作任务", "负责部门", "时间进度"]
ROW_1 = ["1", "完善城市管理体制", "市委编办、市住建局、市城管局", "省出台文件后 2 个月完成"]
ROW_8_PAGE_1 = ["8", "防止过度包装,", "市质监局、市商务局,", "常态"]
ROW_8_PAGE_2 = ["", "减少包装废弃物产生", "各县(区)政府、市直园区管委会", "工作"]
ROW_9 = ["9", "鼓励净菜上市,减少餐厨垃圾产量", "市商务局、市农业局", "常态工作"]
WIDTHS = [40, 260, 260, 160]


def test_a_tables_header_repeated_atop_a_page_is_read_once_and_a_broken_row_joined():
    data = grid_pdf([[HEADER, ROW_1, ROW_8_PAGE_1], [HEADER, ROW_8_PAGE_2, ROW_9]], WIDTHS)
    assert lines_of(document_text(data, name="plan.pdf")) == [
        "\t".join(HEADER),
        "\t".join(ROW_1),
        "8\t防止过度包装,减少包装废弃物产生\t市质监局、市商务局,各县(区)政府、市直园区管委会\t常态工作",
        "\t".join(ROW_9),
    ]


def test_a_row_with_an_empty_first_cell_inside_a_page_is_its_own_row():
    # A merged cell (类别 over two rows) leaves cells empty: only a page break joins rows.
    data = grid_pdf([[HEADER, ROW_1, ROW_8_PAGE_2, ROW_9]], WIDTHS)
    assert lines_of(document_text(data, name="plan.pdf"))[2] == "\t".join(ROW_8_PAGE_2)


def body(page: int, line: int) -> str:
    """A line of body text, as long as a line of an A4 page."""
    return f"正文第{page}页的第{line}行，各责任单位要按照任务分工抓好落实，确保按期完成。"


def running_pdf(pages: int, header: str, footer) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    for number in range(1, pages + 1):
        page.setFont("STSong-Light", 10)
        page.drawString(72, 800, header)
        page.setFont("STSong-Light", 12)
        page.drawString(72, 700, f"{'一二三四五'[number - 1]}、第{number}部分")
        for line in range(3):
            page.drawString(72, 680 - 20 * line, body(number, line + 1))
        page.setFont("STSong-Light", 9)
        page.drawCentredString(A4[0] / 2, 30, footer(number, pages))
        page.showPage()
    page.save()
    return buffer.getvalue()


@pytest.mark.parametrize(
    "footer",
    [
        lambda n, total: f"-{n}-",
        lambda n, total: f"- {n} -",
        lambda n, total: f"第 {n} 页 共 {total} 页",
        lambda n, total: f"{n}",
    ],
    ids=["-3-", "- 3 -", "第3页共5页", "3"],
)
def test_running_headers_and_page_footers_are_dropped(footer):
    read = lines_of(document_text(running_pdf(4, "遂宁市人民政府办公室文件", footer), name="p.pdf"))
    assert read == [
        line
        for number in range(1, 5)
        for line in [f"{'一二三四'[number - 1]}、第{number}部分"]
        + [body(number, n) for n in (1, 2, 3)]
    ]


def test_a_scan_is_refused_saying_so():
    with pytest.raises(
        UnreadableFile, match="this PDF has no text: it is a scan; EcoGov reads text PDFs"
    ):
        document_text(scan_pdf_bytes(), name="plan.pdf")


def test_an_encrypted_pdf_is_refused_saying_so():
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, encrypt="secret")
    page.drawString(72, 700, "plan")
    page.showPage()
    page.save()
    with pytest.raises(UnreadableFile, match="password"):
        document_text(buffer.getvalue(), name="plan.pdf")


def test_a_pdf_restricted_without_a_password_to_open_it_is_read():
    # Offices publish PDFs that may be opened by anyone but not edited or copied.
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    restricted = StandardEncryption("", ownerPassword="office", canCopy=0, canModify=0)
    page = canvas.Canvas(buffer, pagesize=A4, encrypt=restricted)
    page.setFont("STSong-Light", 12)
    page.drawString(72, 720, "一、主要任务")
    page.drawString(72, 700, "1.完善城市管理体制。")
    page.showPage()
    page.save()
    assert document_text(buffer.getvalue(), name="plan.pdf") == "一、主要任务\n1.完善城市管理体制。"


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", b"%PDF", b"not a pdf at all"],
    ids=["truncated", "magic only", "named .pdf"],
)
def test_a_broken_pdf_is_refused(data):
    with pytest.raises(UnreadableFile, match="not a readable PDF"):
        document_text(data, name="plan.pdf")


def test_a_pdf_over_the_page_limit_is_refused(monkeypatch):
    monkeypatch.setattr(documents, "MAX_PDF_PAGES", 3)
    data = running_pdf(4, "x", lambda n, total: str(n))
    with pytest.raises(UnreadableFile, match="4 pages"):
        document_text(data, name="plan.pdf")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(documents, "MAX_DOCUMENT_BYTES", 100)
    path = tmp_path / "plan.pdf"
    path.write_bytes(b"%PDF" + b"0" * 200)
    with pytest.raises(UnreadableFile, match="larger than"):
        read_document(path)


def test_a_file_is_told_by_its_bytes_not_its_name(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(pdf_bytes(SUINING.read_text(encoding="utf-8")))
    assert read_document(path).startswith("遂宁市城市环境卫生工作任务分解表")
    gb = tmp_path / "gb.txt"
    gb.write_bytes("一、任务\n1.完成治理。".encode("gb18030"))
    assert read_document(gb) == "一、任务\n1.完成治理。"


def test_an_old_word_document_is_refused_with_what_to_do():
    with pytest.raises(UnreadableFile, match=r"\.docx or PDF"):
        document_text(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, name="plan.doc")
