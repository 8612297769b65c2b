"""Nghị định 30/2020 details an officer checks: dates, Kính gửi, Nơi nhận, rules, italics in labels, keeping
headings with their text, and what the file says about itself (language, dates, compatibility, program)."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from datetime import UTC, date, datetime

import pytest
from docx.oxml.ns import qn
from docx.shared import Mm
from openpyxl import load_workbook

from baocao.core.numbers import format_document_date, format_short_date
from baocao.core.periods import short_date
from baocao.documents.builder import build_report
from baocao.documents.docx_export import export_docx
from baocao.documents.metrics import text_width_mm
from baocao.documents.xlsx_export import export_xlsx
from baocao.reports import services
from tests.documents.conftest import docx_of


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2024, 6, 5), "ngày 05 tháng 6 năm 2024"),
        (date(2024, 2, 28), "ngày 28 tháng 02 năm 2024"),
        (date(2024, 1, 9), "ngày 09 tháng 01 năm 2024"),
        (date(2024, 9, 14), "ngày 14 tháng 9 năm 2024"),
        (date(2024, 12, 10), "ngày 10 tháng 12 năm 2024"),
        (date(2024, 3, 1), "ngày 01 tháng 3 năm 2024"),
    ],
)
def test_dates_take_a_leading_zero_only_where_the_decree_says(day: date, text: str) -> None:
    assert format_document_date(day) == text


def test_a_report_dated_in_june_prints_the_month_without_a_zero(doc_world) -> None:
    report = services.report_set_header(
        report=doc_world.report, user=doc_world.clerk, fields={"document_date": date(2024, 6, 5)}
    )
    built = build_report(report)
    assert built.place_date == "Cẩm Giàng, ngày 05 tháng 6 năm 2024"
    texts = [p.text for table in docx_of(built).tables[:1] for cell in table._cells for p in cell.paragraphs]
    assert "Cẩm Giàng, ngày 05 tháng 6 năm 2024" in texts
    assert not any("tháng 06" in text for text in texts)


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2024, 6, 5), "05/6/2024"),
        (date(2024, 2, 28), "28/02/2024"),
        (date(2025, 1, 9), "09/01/2025"),
        (date(2024, 3, 14), "14/3/2024"),
        (date(2023, 12, 15), "15/12/2023"),
    ],
)
def test_dates_inside_the_text_keep_the_decrees_zeros(day: date, text: str) -> None:
    """The seed writes "ngày 15/7/2021", "06/02/2024": the same zeros as the document's own date."""
    assert format_short_date(day) == text
    assert short_date(day) == text  # the window of an ad hoc round in its subject


def test_a_june_report_prints_its_date_the_decree_way_everywhere(doc_world) -> None:
    """Word, Excel, the print view, the review page and the report page: "tháng 6", never "06"."""
    report = services.report_set_header(
        report=doc_world.report, user=doc_world.clerk, fields={"document_date": date(2024, 6, 5)}
    )
    built = build_report(report)
    assert built.appendix_reference == (
        "(Kèm theo Báo cáo số 15/BC-UBND ngày 05/6/2024 của UBND xã Cẩm Giàng)"
    )
    long, short = "ngày 05 tháng 6 năm 2024", "ngày 05/6/2024"
    document = docx_of(built)
    word = [p.text for p in document.paragraphs] + [
        p.text for table in document.tables for cell in table._cells for p in cell.paragraphs
    ]
    sheet = load_workbook(io.BytesIO(export_xlsx(built))).active
    excel = [str(cell.value) for row in sheet.iter_rows(max_row=4) for cell in row if cell.value]
    pages = {
        url: doc_world.client(doc_world.leader).get(f"/reports/cchc-2024-q1/02008/{url}").content.decode()
        for url in ("ban-in/", "xem-xet/")
    }
    everywhere = {"Word": word, "Excel": excel, **{url: [html] for url, html in pages.items()}}
    for name, texts in everywhere.items():
        joined = "\n".join(texts)
        assert "/06/2024" not in joined and "tháng 06" not in joined, name
        # The appendix's "Kèm theo …" (the review page shows the document without its appendix).
        assert (short in joined) == (name != "xem-xet/"), name
        # The date under the motto (the sheet is the appendix alone).
        assert (long in joined) == (name != "Excel"), name
    # The report page's summary once the clerk may no longer edit the header (a reviewer reads it).
    page = doc_world.client(doc_world.district_reviewer).get("/reports/cchc-2024-q1/02008/").content.decode()
    assert "Cẩm Giàng, ngày 05 tháng 6 năm 2024" in page and "05/06/2024" not in page


def _body_texts(document) -> list[str]:  # type: ignore[no-untyped-def]
    return [paragraph.text for paragraph in document.paragraphs]


def test_kinh_gui_comes_below_the_title_and_subject(demo_built) -> None:
    texts = _body_texts(docx_of(demo_built))
    title, subject = texts.index("BÁO CÁO"), texts.index(demo_built.subject)
    addressee = texts.index("Kính gửi: UBND huyện Bạch Thông")
    assert title < subject < addressee
    assert texts[subject + 1] == ""  # the rule under the subject, then the Kính gửi
    assert addressee == subject + 2


def _reloaded(world):  # type: ignore[no-untyped-def]
    world.report.refresh_from_db()
    return world.report


def test_recipients_open_with_nhu_tren_when_there_is_a_kinh_gui(doc_world) -> None:
    built = build_report(doc_world.report)
    assert built.recipients[0] == "- Như trên;"
    assert built.recipients[1:] == (
        "- Phòng Nội vụ huyện;",
        "- TT Đảng ủy, HĐND xã;",
        "- CT, PCT UBND xã;",
        "- BCĐ CCHC xã;",
        "- Lưu: VT.",
    )
    # Typed already: not twice.
    recipients = "- Như trên;\n- Lưu: VT."
    services.report_set_header(
        report=doc_world.report, user=doc_world.clerk, fields={"recipients": recipients}
    )
    assert build_report(_reloaded(doc_world)).recipients == ("- Như trên;", "- Lưu: VT.")
    # No Kính gửi: nothing is "as above".
    services.report_set_header(report=doc_world.report, user=doc_world.clerk, fields={"addressee": ""})
    services.report_set_header(
        report=doc_world.report, user=doc_world.clerk, fields={"recipients": "- Lưu: VT."}
    )
    assert build_report(_reloaded(doc_world)).recipients == ("- Lưu: VT.",)


def test_labels_keep_their_italics_and_never_print_tags(demo_built) -> None:
    document = docx_of(demo_built)
    assert "<i>" not in document.element.xml and "&lt;i&gt;" not in document.element.xml
    table = document.tables[-1]
    row = next(r for r in table.rows if r.cells[0].text == "7.2.4")
    runs = row.cells[1].paragraphs[0].runs
    assert [run.text for run in runs] == [
        "Tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến (",
        "chỉ thống kê đối với các TTHC trực tuyến có phát sinh hồ sơ",
        ")",
    ]
    assert [bool(run.italic) for run in runs] == [False, True, False]


def _width_mm(table) -> float:  # type: ignore[no-untyped-def]
    return sum(int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.iter(qn("w:gridCol"))) * 25.4 / 1440


def test_page_one_tables_fit_the_text_width(demo_built) -> None:
    document = docx_of(demo_built)
    section = document.sections[0]
    text_width = (section.page_width - section.left_margin - section.right_margin) / Mm(1)
    assert round(text_width) == 165
    header, signature = document.tables[0], document.tables[1]
    assert _width_mm(header) <= text_width + 0.1
    assert _width_mm(signature) <= text_width + 0.1


def _rule_mm(paragraph, cell_mm: float, margin_mm: float) -> float:  # type: ignore[no-untyped-def]
    fmt = paragraph.paragraph_format
    assert paragraph._p.pPr.find(qn("w:pBdr")) is not None
    return cell_mm - 2 * margin_mm - (fmt.left_indent + fmt.right_indent) / Mm(1)


def test_rules_are_as_long_as_the_motto_and_a_third_to_half_of_the_subject(demo_built) -> None:
    document = docx_of(demo_built)
    nation = document.tables[0].rows[0].cells[1]
    motto_rule = nation.paragraphs[-1]
    assert nation.paragraphs[-2].text == "Độc lập - Tự do - Hạnh phúc"
    motto = text_width_mm("Độc lập - Tự do - Hạnh phúc", 14)
    assert abs(_rule_mm(motto_rule, 103, 1.905) - motto) < 0.5
    paragraphs = document.paragraphs
    subject = next(i for i, p in enumerate(paragraphs) if p.text == demo_built.subject)
    rule = _rule_mm(paragraphs[subject + 1], 165, 0)
    line = text_width_mm(demo_built.subject, 14)
    assert line / 3 <= rule <= line / 2


def test_headings_and_appendix_group_rows_are_kept_with_the_next(demo_built) -> None:
    document = docx_of(demo_built)
    heading = next(p for p in document.paragraphs if p.text == "4. Cải cách chế độ công vụ")
    assert heading.style.paragraph_format.keep_with_next
    part = next(p for p in document.paragraphs if p.text.startswith("II. "))
    assert part.style.paragraph_format.keep_with_next
    body = next(p for p in document.paragraphs if p.text.startswith("Thực hiện Văn bản số"))
    assert not body.style.paragraph_format.keep_with_next
    table = document.tables[-1]
    group = next(r for r in table.rows if r.cells[0].text == "1")
    plain = next(r for r in table.rows if r.cells[0].text == "1.2")
    assert all(cell.paragraphs[0].paragraph_format.keep_with_next for cell in group.cells)
    assert not plain.cells[1].paragraphs[0].paragraph_format.keep_with_next


def test_file_properties_are_the_reports_in_vietnamese_and_current_word(demo_built) -> None:
    created = datetime(2024, 2, 20, 1, 30, tzinfo=UTC)
    modified = datetime(2024, 2, 28, 9, 15, tzinfo=UTC)
    built = dataclasses.replace(demo_built, created=created, modified=modified)
    data = export_docx(built)
    document = docx_of(built)
    core = document.core_properties
    assert core.created == created and core.modified == modified
    assert core.language == "vi-VN" and core.author == "Xã Cẩm Giàng"
    assert "python-docx" not in (core.comments or "") + core.author
    styles = document.styles.element
    default_lang = styles.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert default_lang.get(qn("w:val")) == "vi-VN"
    assert {lang.get(qn("w:val")) for lang in styles.iter(qn("w:lang"))} == {"vi-VN"}
    settings = document.settings.element
    modes = [
        s.get(qn("w:val"))
        for s in settings.iter(qn("w:compatSetting"))
        if s.get(qn("w:name")) == "compatibilityMode"
    ]
    assert modes == ["15"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        app = archive.read("docProps/app.xml").decode()
        assert "<Application>baocao</Application>" in app and "Microsoft" not in app
        assert "docProps/thumbnail.jpeg" not in archive.namelist()
        assert b"thumbnail" not in archive.read("_rels/.rels")


def test_the_appendix_keeps_the_seeds_column_heading(doc_world) -> None:
    """The seed's heading of the label column in Word, Excel and the print view."""
    heading = "Chỉ tiêu thống kê (Sử dụng trong kỳ báo cáo hàng quý, 6 tháng, năm)"
    built = build_report(doc_world.report)
    assert docx_of(built).tables[-1].rows[0].cells[1].text == heading
    sheet = load_workbook(io.BytesIO(export_xlsx(built))).active
    assert sheet.cell(5, 2).value == heading
    html = doc_world.client(doc_world.clerk).get("/reports/cchc-2024-q1/02008/ban-in/").content.decode()
    assert f"<th>{heading}</th>" in html
