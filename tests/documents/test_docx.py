"""The Word document read back: the layout of Nghị định 30/2020 and the demo report's figures."""

from __future__ import annotations

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from baocao.core.definition import load_definition
from baocao.documents.builder import build_report
from baocao.reports import services
from tests.documents.conftest import docx_of
from tests.web.conftest import make_sendable

DEFINITION = load_definition("cchc-xa-quy")


def _close(length: int | None, mm: float) -> bool:
    return length is not None and abs(length - Mm(mm)) < Mm(0.5)


def _by_text(document, text):  # type: ignore[no-untyped-def]
    """Every paragraph of the body and of the tables, by its exact text."""
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    found = [paragraph for paragraph in paragraphs if paragraph.text == text]
    assert found, f"không thấy đoạn “{text}”"
    return found[0]


def _font(paragraph):  # type: ignore[no-untyped-def]
    """(size in points, bold, italic) as the paragraph's style gives them."""
    font = paragraph.style.font
    return font.size.pt, bool(font.bold), bool(font.italic)


def test_pages_are_a4_with_the_decree_margins_and_a_landscape_appendix(demo_built) -> None:
    document = docx_of(demo_built)
    body, appendix = document.sections
    assert _close(body.page_width, 210) and _close(body.page_height, 297)
    assert body.orientation == WD_ORIENT.PORTRAIT
    assert _close(body.top_margin, 20) and _close(body.bottom_margin, 20)
    assert _close(body.left_margin, 30) and _close(body.right_margin, 15)
    assert appendix.orientation == WD_ORIENT.LANDSCAPE
    assert _close(appendix.page_width, 297) and _close(appendix.page_height, 210)
    assert _close(appendix.left_margin, 30) and _close(appendix.right_margin, 15)


def test_header_block_texts_and_fonts(demo_built) -> None:
    document = docx_of(demo_built)
    assert document.styles["Normal"].font.name == "Times New Roman"
    expected = {
        "ỦY BAN NHÂN DÂN": (13, True, False),
        "XÃ CẨM GIÀNG": (13, True, False),
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM": (12, True, False),
        "Độc lập - Tự do - Hạnh phúc": (14, True, False),
        "Số: 15/BC-UBND": (13, False, False),
        "Cẩm Giàng, ngày 28 tháng 02 năm 2024": (14, False, True),
        "BÁO CÁO": (14, True, False),
        "Kết quả thực hiện công tác cải cách hành chính quý I năm 2024": (14, True, False),
        "Nơi nhận:": (12, True, True),
        "- Phòng Nội vụ huyện;": (11, False, False),
        "- Lưu: VT.": (11, False, False),
        "TM. ỦY BAN NHÂN DÂN": (14, True, False),
        "CHỦ TỊCH": (14, True, False),
        "Vũ Văn Thành": (14, True, False),
        "Phụ lục I": (14, True, False),
        "BIỂU THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC CCHC": (14, True, False),
        "(Kèm theo Báo cáo số 15/BC-UBND ngày 28/02/2024 của UBND xã Cẩm Giàng)": (14, False, True),
    }
    for text, font in expected.items():
        paragraph = _by_text(document, text)
        assert _font(paragraph) == font, text
        assert paragraph.style.font.name == "Times New Roman", text


def test_narrative_is_justified_indented_and_reads_the_live_values(doc_world, built) -> None:
    document = docx_of(built)
    texts = [paragraph.text for paragraph in document.paragraphs]
    opening = texts.index(next(t for t in texts if t.startswith("Thực hiện Văn bản số 294/UBND-NV")))
    assert texts[opening + 1] == "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH (CCHC)"
    assert "1. Công tác chỉ đạo thực hiện CCHC" in texts
    assert any("Tiếp nhận 29 hồ sơ, trong đó: Tiếp nhận trực tuyến 07 hồ sơ" in t for t in texts)
    closing = next(p for p in document.paragraphs if p.text.startswith("Trên đây là Báo cáo"))
    assert closing.text.endswith("./.")
    assert texts.index(closing.text) > texts.index("Không có.")
    body = document.paragraphs[opening]
    fmt = body.style.paragraph_format
    assert fmt.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert abs(fmt.first_line_indent - Mm(10)) < Mm(0.1)
    assert fmt.space_after >= Pt(6)
    assert _font(body) == (14, False, False)
    heading = document.paragraphs[opening + 1]
    assert _font(heading) == (14, True, False)
    # A live value: change the table and the prose follows.
    services.report_set_value(report=doc_world.report, user=doc_world.clerk, code="1.2.1", raw="40")
    again = docx_of(build_report(doc_world.report))
    assert any("Tổng số nhiệm vụ đề ra trong kế hoạch: 40 nhiệm vụ" in p.text for p in again.paragraphs)


def test_appendix_table_rows_values_and_repeated_header(demo_built) -> None:
    document = docx_of(demo_built)
    table = document.tables[-1]
    rows = table.rows
    items = DEFINITION.appendix_items
    assert len(rows) == 2 + len(items)
    for header in rows[:2]:
        assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert rows[2]._tr.trPr is None or rows[2]._tr.trPr.find(qn("w:tblHeader")) is None
    head = [cell.text for cell in rows[0].cells]
    seed_heading = "Chỉ tiêu thống kê (Sử dụng trong kỳ báo cáo hàng quý, 6 tháng, năm)"
    assert head == ["STT", seed_heading, "Kết quả thống kê", "Kết quả thống kê", "Ghi chú"]
    assert [cell.text for cell in rows[1].cells][2:4] == ["Đơn vị tính", "Số liệu"]
    by_code = {item.code: rows[2 + index] for index, item in enumerate(items)}

    def cells(code: str) -> list[str]:
        return [cell.text for cell in by_code[code].cells]

    assert cells("1")[:2] == ["1", "Công tác chỉ đạo điều hành CCHC"]
    assert cells("1.2")[2:4] == ["%", "6,06"]
    assert cells("1.2.1")[3] == "33" and cells("1.2.2")[3] == "2"
    assert cells("3.1.4")[3] == "114"
    assert cells("2.2.1")[3] == "không phát sinh"
    assert cells("3.3.1")[3] == "100"
    value = by_code["1.2"].cells[3].paragraphs[0]
    assert value.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    group_run = by_code["1"].cells[1].paragraphs[0].runs[0]
    sub_run = by_code["2.2.1.a"].cells[1].paragraphs[0].runs[0]
    assert group_run.bold and not group_run.italic
    assert sub_run.italic
    assert by_code["1.2"].cells[1].paragraphs[0].style.font.size == Pt(12)


def test_page_numbers_centred_at_the_top_from_page_two_appendix_numbered_alone(demo_built) -> None:
    document = docx_of(demo_built)
    for section in document.sections:
        assert section.different_first_page_header_footer
        header = section.header._element.xml
        assert 'w:instr=" PAGE "' in header
        assert "PAGE" not in section.first_page_header._element.xml
        page = section.header.paragraphs[0]
        assert page.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    number_type = document.sections[1]._sectPr.find(qn("w:pgNumType"))
    assert number_type is not None and number_type.get(qn("w:start")) == "1"


def test_draft_is_marked_on_every_page_until_sent(doc_world, built) -> None:
    document = docx_of(built)
    for section in document.sections:
        for header in (section.header, section.first_page_header):
            assert "DỰ THẢO" in [paragraph.text for paragraph in header.paragraphs]
    assert document.core_properties.content_status == "Dự thảo"
    make_sendable(doc_world)
    services.report_mark_ready(report=doc_world.report, user=doc_world.clerk)
    services.report_send(report=doc_world.report, user=doc_world.leader)
    doc_world.report.refresh_from_db()
    sent = docx_of(build_report(doc_world.report))
    for section in sent.sections:
        for header in (section.header, section.first_page_header):
            assert "DỰ THẢO" not in [paragraph.text for paragraph in header.paragraphs]


def test_document_properties_name_the_report(demo_built) -> None:
    properties = docx_of(demo_built).core_properties
    assert properties.keywords == "cchc-xa-quy; cchc-2024-q1; 02008"
    assert "quý I năm 2024" in properties.title


SECTPR_ORDER = [
    "headerReference",
    "footerReference",
    "footnotePr",
    "endnotePr",
    "type",
    "pgSz",
    "pgMar",
    "paperSrc",
    "pgBorders",
    "lnNumType",
    "pgNumType",
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
]
PPR_ORDER = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "widowControl",
    "numPr",
    "pBdr",
    "shd",
    "tabs",
    "spacing",
    "ind",
    "jc",
]


def _in_order(element, order: list[str]) -> bool:  # type: ignore[no-untyped-def]
    positions = [order.index(child.tag.rsplit("}", 1)[-1]) for child in element]
    return positions == sorted(positions)


def test_elements_follow_the_schema_order_word_requires(demo_built) -> None:
    document = docx_of(demo_built)
    for section in document.sections:
        assert _in_order(section._sectPr, SECTPR_ORDER)
    body = document.element.body
    for properties in body.iter(qn("w:pPr")):
        known = [child for child in properties if child.tag.rsplit("}", 1)[-1] in PPR_ORDER]
        positions = [PPR_ORDER.index(child.tag.rsplit("}", 1)[-1]) for child in known]
        assert positions == sorted(positions)
