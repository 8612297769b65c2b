"""Sheets as a district officer meets them: saved by Calc after editing a note over two lines, with cells
merged, with figures typed as text the Vietnamese way. Each imports or is refused in Vietnamese, never
with a traceback."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from baocao.documents.builder import build_report
from baocao.documents.pdf_export import convert
from baocao.documents.sheet import CODE_COLUMN, FIRST_ROW, NOTE_COLUMN, VALUE_COLUMN
from baocao.documents.xlsx_export import export_xlsx
from baocao.documents.xlsx_import import SheetRefused, xlsx_apply, xlsx_preview
from tests.documents.conftest import needs_soffice


def _open(data: bytes):  # type: ignore[no-untyped-def]
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    rows = {
        str(sheet.cell(r, CODE_COLUMN).value): r
        for r in range(FIRST_ROW, sheet.max_row + 1)
        if sheet.cell(r, CODE_COLUMN).value
    }
    return workbook, sheet, rows


def _save(workbook) -> bytes:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@needs_soffice
def test_a_note_edited_over_two_lines_and_saved_by_calc_is_named_not_lost(doc_world) -> None:
    """Notes are kept on the web page: a note edited in the sheet is not imported, and the page says so
    (the clerk copies it over) rather than dropping it without a word; the figures still import."""
    report = doc_world.report
    workbook, sheet, rows = _open(export_xlsx(build_report(report)))
    sheet.cell(rows["1.2.1"], NOTE_COLUMN).value = "Theo kế hoạch số 11/KH-UBND\nvà kế hoạch bổ sung"
    sheet.cell(rows["1.2.2"], VALUE_COLUMN).value = 3
    saved = convert(_save(workbook), ".xlsx", target="xlsx")
    # Calc kept the line break: the note comes back on two lines.
    _, calc_sheet, calc_rows = _open(saved)
    assert calc_sheet.cell(calc_rows["1.2.1"], NOTE_COLUMN).value == (
        "Theo kế hoạch số 11/KH-UBND\nvà kế hoạch bổ sung"
    )
    result = xlsx_preview(report, saved)
    assert result.problems == [] and result.values == {"1.2.2": "3"}
    assert result.notices == [
        f"Ô E{rows['1.2.1']} (chỉ tiêu 1.2.1): ghi chú đã sửa trong tệp (“Theo kế hoạch số 11/KH-UBND và kế "
        "hoạch bổ sung”) không được nhập từ Excel; hãy sửa ghi chú trên trang nhập liệu."
    ]
    xlsx_apply(report=report, user=doc_world.clerk, data=saved, origin="Excel: Calc")
    assert report.raw_values()["1.2.2"] == "3"


def test_a_note_left_as_downloaded_is_no_notice_even_when_changed_on_the_server(doc_world) -> None:
    from baocao.reports import services

    report = doc_world.report
    downloaded = export_xlsx(build_report(report))
    services.report_set_note(report=report, user=doc_world.clerk, code="1.2.1", note="Sửa trên web")
    assert xlsx_preview(report, downloaded).notices == []


def test_merged_value_cells_are_refused_by_cell_and_nothing_changes(doc_world) -> None:
    report = doc_world.report
    workbook, sheet, rows = _open(export_xlsx(build_report(report)))
    sheet.protection.sheet = False
    top, below = rows["1.2.1"], rows["1.2.2"]
    sheet.merge_cells(start_row=top, start_column=VALUE_COLUMN, end_row=below, end_column=VALUE_COLUMN)
    sheet.merge_cells(start_row=top, start_column=2, end_row=below, end_column=2)  # the labels: harmless
    data = _save(workbook)
    before = report.raw_values()
    result = xlsx_preview(report, data)
    assert result.problems == [
        f"Ô D{below} (dòng {below}, cột D “Số liệu”, chỉ tiêu 1.2.2): nằm trong vùng gộp ô D{top}:D{below}; "
        "hãy bỏ gộp ô (Merge) và ghi lại số liệu của từng ô"
    ]
    with pytest.raises(SheetRefused, match=f"vùng gộp ô D{top}:D{below}"):
        xlsx_apply(report=report, user=doc_world.clerk, data=data, origin="x")
    assert report.raw_values() == before


@pytest.mark.parametrize(
    ("code", "typed", "stored"),
    [
        ("3.1.4", "1.234", "1.234"),  # a count typed as text with the thousands dot
        ("6.b", "12,5", "12,5"),  # Triệu đồng with the decimal comma
        ("7.1.a", "12,5", "12,5"),  # a percentage
    ],
)
def test_figures_typed_as_vietnamese_text_import_as_their_numbers(doc_world, code, typed, stored) -> None:
    report = doc_world.report
    workbook, sheet, rows = _open(export_xlsx(build_report(report)))
    sheet.cell(rows[code], VALUE_COLUMN).value = typed  # a text cell, as when the cell was formatted as text
    result = xlsx_preview(report, _save(workbook))
    assert result.problems == [] and result.values == {code: stored}


def test_a_decimal_comma_in_a_count_is_refused_in_vietnamese(doc_world) -> None:
    report = doc_world.report
    workbook, sheet, rows = _open(export_xlsx(build_report(report)))
    row = rows["3.1.4"]
    sheet.cell(row, VALUE_COLUMN).value = "12,5"
    result = xlsx_preview(report, _save(workbook))
    assert result.problems == [
        f"Ô D{row} (dòng {row}, cột D “Số liệu”, chỉ tiêu 3.1.4): “12,5” phải là số nguyên"
    ]


def test_the_import_page_names_an_edited_note_and_a_merged_cell(doc_world) -> None:
    workbook, sheet, rows = _open(export_xlsx(build_report(doc_world.report)))
    sheet.cell(rows["1.2.1"], NOTE_COLUMN).value = "Theo sổ công văn đi"
    sheet.merge_cells(f"D{rows['3.1.3']}:D{rows['3.1.4']}")
    upload = io.BytesIO(_save(workbook))
    upload.name = "phu-luc.xlsx"
    page = doc_world.client(doc_world.clerk).post("/reports/cchc-2024-q1/02008/nhap-excel/", {"file": upload})
    html = page.content.decode()
    assert page.status_code == 200
    assert "ghi chú đã sửa trong tệp (“Theo sổ công văn đi”) không được nhập từ Excel" in html
    assert f"nằm trong vùng gộp ô D{rows['3.1.3']}:D{rows['3.1.4']}" in html
    assert 'name="confirm"' not in html  # nothing can be written until the merge is undone


def test_a_cleared_note_and_an_older_sheet_without_the_notes_as_downloaded(doc_world) -> None:
    from baocao.documents.sheet import HEAD_ROW, NOTE_BASE_COLUMN
    from baocao.reports import services

    report = doc_world.report
    services.report_set_note(report=report, user=doc_world.clerk, code="1.2.1", note="Theo kế hoạch")
    workbook, sheet, rows = _open(export_xlsx(build_report(report)))
    sheet.cell(rows["1.2.1"], NOTE_COLUMN).value = None
    assert xlsx_preview(report, _save(workbook)).notices == [
        f"Ô E{rows['1.2.1']} (chỉ tiêu 1.2.1): ghi chú đã xóa trong tệp nhưng không được xóa theo; "
        "nếu cần, xóa ghi chú trên trang nhập liệu."
    ]
    # A sheet downloaded before the notes were recorded is compared with the notes on the server.
    sheet.cell(HEAD_ROW, NOTE_BASE_COLUMN).value = None
    for row in rows.values():
        sheet.cell(row, NOTE_BASE_COLUMN).value = None
    sheet.cell(rows["1.2.1"], NOTE_COLUMN).value = "Theo kế hoạch"
    assert xlsx_preview(report, _save(workbook)).notices == []
