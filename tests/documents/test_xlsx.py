"""The appendix in Excel: numbers and live formulas, protection and validation, and the way back."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from baocao.core.definition import load_definition
from baocao.documents.builder import build_report
from baocao.documents.sheet import CODE_COLUMN, FIRST_ROW, PROP_DEFINITION, PROP_UNIT, VALUE_COLUMN
from baocao.documents.xlsx_export import export_xlsx
from baocao.documents.xlsx_import import (
    MAX_FILE_BYTES,
    SheetRefused,
    SheetUnreadable,
    xlsx_apply,
    xlsx_preview,
)
from baocao.reports.models import AuditEvent, Value

DEFINITION = load_definition("cchc-xa-quy")


def _sheet(data: bytes):  # type: ignore[no-untyped-def]
    workbook = load_workbook(io.BytesIO(data))
    return workbook, workbook.active


def _rows(sheet) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {
        sheet.cell(row, CODE_COLUMN).value: row
        for row in range(FIRST_ROW, sheet.max_row + 1)
        if sheet.cell(row, CODE_COLUMN).value
    }


def _save(workbook) -> bytes:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_values_are_numbers_ratios_are_formulas_inputs_unlocked_and_validated(demo_built) -> None:
    workbook, sheet = _sheet(export_xlsx(demo_built))
    rows = _rows(sheet)
    assert list(rows) == [item.code for item in DEFINITION.appendix_items]
    value = lambda code: sheet.cell(rows[code], VALUE_COLUMN)  # noqa: E731
    assert value("1.2.1").value == 33 and isinstance(value("1.2.1").value, int)
    assert value("3.1.4").value == 114
    ratio = value("1.2").value
    assert ratio.startswith("=IF(") and f"D{rows['1.2.2']}/D{rows['1.2.1']}*100" in ratio
    assert "không phát sinh" in ratio
    assert sheet.protection.sheet
    assert not value("1.2.1").protection.locked
    assert value("1.2").protection.locked and sheet.cell(rows["1.2.1"], 2).protection.locked
    whole = [v for v in sheet.data_validations.dataValidation if v.type == "whole"]
    assert whole and whole[0].operator == "greaterThanOrEqual" and whole[0].formula1 == "0"
    assert value("1.2.1").coordinate in whole[0].sqref
    assert sheet.column_dimensions["F"].hidden
    props = {prop.name: prop.value for prop in workbook.custom_doc_props}
    assert props == {
        "baocao_definition": "cchc-xa-quy",
        "baocao_definition_version": 1,
        "baocao_round": "cchc-2024-q1",
        "baocao_unit": "02008",
        "baocao_report_version": demo_built.version,
    }
    assert sheet.print_title_rows == "$5:$6"


def test_export_edit_import_gives_exactly_the_edited_values(doc_world, built) -> None:
    report = doc_world.report
    before = report.raw_values()
    workbook, sheet = _sheet(export_xlsx(built))
    rows = _rows(sheet)
    sheet.cell(rows["1.2.2"], VALUE_COLUMN).value = 5
    sheet.cell(rows["1.3.1"], VALUE_COLUMN).value = 7
    sheet.cell(rows["7.2.3.a"], VALUE_COLUMN).value = None
    data = _save(workbook)
    preview = xlsx_preview(report, data)
    assert [(c.code, c.old, c.new) for c in preview.preview.changes] == [
        ("1.2.2", "02", "5"),
        ("1.3.1", "", "7"),
        ("7.2.3.a", "75", ""),
    ]
    assert report.raw_values() == before  # a preview writes nothing
    xlsx_apply(report=report, user=doc_world.clerk, data=data, origin="Excel: phu-luc.xlsx")
    after = report.raw_values()
    assert {code for code in set(before) | set(after) if before.get(code) != after.get(code)} == {
        "1.2.2",
        "1.3.1",
        "7.2.3.a",
    }
    assert after["1.2.2"] == "5" and after["1.3.1"] == "7" and after.get("7.2.3.a", "") == ""
    assert Value.objects.get(report=report, code="1.2.2").source == Value.Source.IMPORTED
    imports = AuditEvent.objects.filter(report=report, action=AuditEvent.Action.IMPORT)
    event = imports.exclude(target="seed").get()
    assert event.user == doc_world.clerk and event.target == "Excel: phu-luc.xlsx"
    # The same file again changes nothing.
    assert xlsx_preview(report, data).preview.changes == []


def test_text_in_a_count_cell_is_reported_by_row_and_column(doc_world, built) -> None:
    workbook, sheet = _sheet(export_xlsx(built))
    row = _rows(sheet)["3.3.1.a"]
    sheet.cell(row, VALUE_COLUMN).value = "hai mươi"
    data = _save(workbook)
    result = xlsx_preview(doc_world.report, data)
    assert result.problems == [
        f"Ô D{row} (dòng {row}, cột D “Số liệu”, chỉ tiêu 3.3.1.a): “hai mươi” không phải là số "
        "(số thập phân viết bằng dấu phẩy, ví dụ 6,06; nghìn viết 1.234)"
    ]
    before = doc_world.report.raw_values()
    with pytest.raises(SheetRefused, match=f"Ô D{row}"):
        xlsx_apply(report=doc_world.report, user=doc_world.clerk, data=data, origin="x")
    assert doc_world.report.raw_values() == before


def test_a_deleted_row_is_refused(doc_world, built) -> None:
    workbook, sheet = _sheet(export_xlsx(built))
    sheet.delete_rows(_rows(sheet)["1.2.1"])
    with pytest.raises(
        SheetRefused, match=r"Thiếu dòng của chỉ tiêu 1\.2\.1 “Số nhiệm vụ đề ra trong kế hoạch”"
    ):
        xlsx_preview(doc_world.report, _save(workbook))


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            PROP_DEFINITION,
            "cchc-huyen-quy",
            "Tệp thuộc biểu mẫu “cchc-huyen-quy”, không phải biểu mẫu “cchc-xa-quy”",
        ),
        (PROP_UNIT, "02005", "Tệp thuộc đơn vị “02005”, không phải đơn vị “02008”"),
        ("baocao_round", "cchc-2024-q2", "Tệp thuộc kỳ báo cáo “cchc-2024-q2”"),
        (
            "baocao_definition_version",
            2,
            "Tệp thuộc phiên bản biểu mẫu “2”, không phải phiên bản biểu mẫu “1”",
        ),
    ],
)
def test_a_sheet_of_another_definition_version_round_or_unit_is_refused(
    doc_world, built, name, value, message
) -> None:
    workbook, _ = _sheet(export_xlsx(built))
    for prop in workbook.custom_doc_props:
        if prop.name == name:
            prop.value = value
    with pytest.raises(SheetRefused, match=message):
        xlsx_preview(doc_world.report, _save(workbook))


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (2 * 1024 * 1024))
    return out.getvalue()


def _truncated(built) -> bytes:  # type: ignore[no-untyped-def]
    data = export_xlsx(built)
    return data[: len(data) // 2]


def _plain_workbook() -> bytes:
    return _save(Workbook())


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda built: b"", SheetUnreadable, "Tệp rỗng"),
        (lambda built: b"STT;Chi tieu\n1;2\n", SheetUnreadable, r"không phải là tệp Excel \(\.xlsx\)"),
        (_truncated, SheetUnreadable, "không phải là tệp Excel|bị hỏng"),
        (lambda built: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, SheetUnreadable, "đặt mật khẩu"),
        (lambda built: _bomb(), SheetUnreadable, "Tệp nén bất thường"),
        (
            lambda built: b"PK" + b"\0" * MAX_FILE_BYTES,
            SheetUnreadable,
            r"Tệp quá lớn \(5,1 MB\); .* giới hạn là 5 MB\.",
        ),
        (lambda built: _plain_workbook(), SheetRefused, "không phải là phụ lục tải từ baocao"),
    ],
    ids=["empty", "csv", "corrupt", "encrypted", "zip-bomb", "oversized", "foreign-workbook"],
)
def test_bad_files_are_refused_with_a_clear_message_and_nothing_changes(
    doc_world, built, make, error, message
) -> None:
    before = doc_world.report.raw_values()
    with pytest.raises(error, match=message):
        xlsx_apply(report=doc_world.report, user=doc_world.clerk, data=make(built), origin="x")
    assert doc_world.report.raw_values() == before
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exclude(target="seed").exists()


def test_sent_report_cannot_be_imported_into(doc_world) -> None:
    from baocao.reports import services
    from tests.web.conftest import make_sendable

    make_sendable(doc_world)
    services.report_mark_ready(report=doc_world.report, user=doc_world.clerk)
    services.report_send(report=doc_world.report, user=doc_world.leader)
    doc_world.report.refresh_from_db()
    data = export_xlsx(build_report(doc_world.report))
    workbook, sheet = _sheet(data)
    sheet.cell(_rows(sheet)["1.3.1"], VALUE_COLUMN).value = 3
    from django.core.exceptions import PermissionDenied

    before = doc_world.report.raw_values()
    # The sheet reads fine; the clerk may no longer change a sent report, by any path.
    with pytest.raises(PermissionDenied):
        xlsx_apply(report=doc_world.report, user=doc_world.clerk, data=_save(workbook), origin="x")
    assert doc_world.report.raw_values() == before
    assert not AuditEvent.objects.filter(report=doc_world.report, target="x").exists()


def test_one_unreadable_cell_hides_no_other_change_or_finding(doc_world, built) -> None:
    workbook, sheet = _sheet(export_xlsx(built))
    rows = _rows(sheet)
    sheet.cell(rows["3.3.1.a"], VALUE_COLUMN).value = "hai mươi"
    sheet.cell(rows["1.2.2"], VALUE_COLUMN).value = 40  # more done than planned (33): a finding
    sheet.cell(rows["1.3.1"], VALUE_COLUMN).value = 7
    result = xlsx_preview(doc_world.report, _save(workbook))
    assert len(result.problems) == 1 and f"Ô D{rows['3.3.1.a']}" in result.problems[0]
    assert [(c.code, c.new) for c in result.preview.changes] == [("1.2.2", "40"), ("1.3.1", "7")]
    assert any("1.2.2" in finding.items for finding in result.preview.evaluation.findings)


def test_a_foreign_workbook_is_refused_from_its_parts_before_any_sheet_is_parsed(
    doc_world, monkeypatch
) -> None:
    import openpyxl

    def parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the sheet was parsed")

    monkeypatch.setattr(openpyxl, "load_workbook", parse)
    workbook = Workbook()
    sheet = workbook.active
    for row in range(1, 2000):
        sheet.append([f"dòng {row}", row, row * 2.5, "x" * 40])
    with pytest.raises(SheetRefused, match="không phải là phụ lục tải từ baocao"):
        xlsx_preview(doc_world.report, _save(workbook))


def test_the_sheet_shows_ratios_and_labels_as_the_web_does(demo_built) -> None:
    sheet = load_workbook(io.BytesIO(export_xlsx(demo_built)), rich_text=True).active
    rows = _rows(sheet)
    label = sheet.cell(rows["7.2.4"], 2).value
    assert "<i>" not in str(label)
    italic = [block for block in label if not isinstance(block, str) and block.font.i]
    assert [block.text for block in italic] == ["chỉ thống kê đối với các TTHC trực tuyến có phát sinh hồ sơ"]
    ratio = sheet.cell(rows["1.2"], VALUE_COLUMN)
    decimals = DEFINITION.by_code["1.2"].decimals or 2
    assert f',{decimals}),"không phát sinh"' in ratio.value and ratio.number_format == "[$-42A]General"
    assert sheet.cell(rows["1.2.1"], VALUE_COLUMN).number_format == "[$-42A]#,##0"
    assert sheet.column_dimensions["G"].hidden  # the values as downloaded, the base of a later import
    assert sheet.cell(rows["1.2.2"], 7).value == "02"
    # Excel prints the sheet without the input cells' tint (LibreOffice has no such page setting).
    assert sheet.page_setup.blackAndWhite


def test_the_workbook_says_it_is_vietnamese_and_dates_from_the_report(demo_built) -> None:
    import dataclasses
    from datetime import UTC, datetime

    created = datetime(2024, 2, 20, 1, 30, tzinfo=UTC)
    modified = datetime(2024, 2, 28, 9, 15, tzinfo=UTC)
    workbook, _ = _sheet(export_xlsx(dataclasses.replace(demo_built, created=created, modified=modified)))
    assert workbook.properties.language == "vi-VN"
    assert workbook.properties.created == created.replace(tzinfo=None)
    assert workbook.properties.modified == modified.replace(tzinfo=None)  # not the time of the download
    with zipfile.ZipFile(io.BytesIO(export_xlsx(demo_built))) as archive:
        app = archive.read("docProps/app.xml").decode()
    assert "<Application>baocao</Application>" in app and "Microsoft" not in app and "penpyxl" not in app
