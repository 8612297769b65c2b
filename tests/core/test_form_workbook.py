"""A form as a workbook: export → import gives the same form; every error is named by sheet, row, column."""

from __future__ import annotations

import io
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from baocao.core.definition import available_definitions, load_definition
from baocao.core.form_cells import CellProblem
from baocao.core.form_import import WorkbookError, import_workbook
from baocao.core.form_workbook import (
    CHOICES,
    ITEM_COLUMNS,
    MAPPING_COLUMNS,
    NARRATIVE_COLUMNS,
    RULE_COLUMNS,
    SETTINGS,
    SHEET_ITEMS,
    SHEET_MAPPING,
    SHEET_NARRATIVE,
    SHEET_RULES,
    SHEET_SCALES,
    SHEET_SETTINGS,
    Column,
    write_workbook,
)
from baocao.core.schema import DefinitionSpec, ItemSpec, RuleSpec, Style


@pytest.mark.parametrize("code", available_definitions())
def test_export_then_import_gives_the_identical_definition(code: str) -> None:
    definition = load_definition(code)
    again = import_workbook(write_workbook(definition.spec))
    assert again.spec == definition.spec
    assert [item.code for item, _ in again.computed] == [item.code for item, _ in definition.computed]


@cache
def exported(code: str) -> bytes:
    """The packaged form's workbook, written once for the tests that edit it."""
    return write_workbook(load_definition(code).spec)


def edited(changes: dict[str, list[tuple[str, Any]]], code: str = "cchc-xa-quy") -> bytes:
    """The exported workbook with some cells changed: {sheet: [(cell, value), …]}."""
    workbook = load_workbook(io.BytesIO(exported(code)))
    for sheet, cells in changes.items():
        for ref, value in cells:
            workbook[sheet][ref] = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def problems_of(data: bytes) -> list[tuple[str, int | None, str | None, str]]:
    with pytest.raises(WorkbookError) as caught:
        import_workbook(data)
    return [(p.sheet, p.row, p.column, p.reason) for p in caught.value.problems]


def row_of(code: str) -> int:
    """The items sheet's row of an item (header on row 1)."""
    codes = [item.code for item in load_definition("cchc-xa-quy").items]
    return codes.index(code) + 2


def test_every_error_is_listed_with_its_sheet_row_and_column() -> None:
    data = edited(
        {
            "Chỉ tiêu": [
                (f"F{row_of('1.2')}", "{1.2.2} / {9.9} * 100"),  # unknown code
                (f"A{row_of('1.3.2')}", "1.3.1"),  # duplicate code
                (f"F{row_of('2.2.1')}", "{2.2.1.b} / * 100"),  # syntax
                (f"F{row_of('3.3.1')}", "{3.3.1.b} * 100"),  # a ratio without a denominator
                (f"E{row_of('1.1')}", "số lượng"),  # a bad type
            ],
            "Quy tắc": [("B2", "{N.score_766_band}"), ("D2", '"Tốt"'), ("C2", "bằng")],  # a rule on text
        }
    )
    found = problems_of(data)
    by_place = {(sheet, row, column): reason for sheet, row, column, reason in found}
    assert "“9.9” không có" in by_place[("Chỉ tiêu", row_of("1.2"), "F “Công thức”")]
    assert "bị trùng với dòng" in by_place[("Chỉ tiêu", row_of("1.3.2"), "A “Mã”")]
    assert "cú pháp" in by_place[("Chỉ tiêu", row_of("2.2.1"), "F “Công thức”")]
    assert "mẫu số" in by_place[("Chỉ tiêu", row_of("3.3.1"), "F “Công thức”")]
    assert by_place[("Chỉ tiêu", row_of("1.1"), "E “Kiểu”")].startswith("“số lượng” không phải là một trong")
    assert "dòng chữ “N.score_766_band”" in by_place[("Quy tắc", 2, "C “Phép so sánh”")]
    # The duplicated row is left out, so the rule that read its old code now names it as unknown.
    assert "“1.3.2” không có" in by_place[("Quy tắc", 3, "B “Vế trái”")]
    assert len(found) == 7


def test_a_cycle_between_formulas_is_named() -> None:
    found = problems_of(edited({"Chỉ tiêu": [(f"F{row_of('1.2')}", "{1.2} / {1.2.1} * 100")]}))
    assert [(sheet, row, column) for sheet, row, column, _ in found] == [
        ("Chỉ tiêu", row_of("1.2"), "F “Công thức”")
    ]
    assert "vòng tròn" in found[0][3]


def test_an_excel_formula_in_a_cell_is_refused_not_evaluated() -> None:
    found = problems_of(edited({"Chỉ tiêu": [(f"C{row_of('1.1')}", "=1+1")]}))
    assert found == [
        (
            "Chỉ tiêu",
            row_of("1.1"),
            "C “Chỉ tiêu”",
            "ô chứa công thức Excel “=1+1”; hãy ghi giá trị (công thức của biểu mẫu không có dấu =)",
        )
    ]


def test_settings_errors_name_the_property_row() -> None:
    found = problems_of(edited({"Thông tin chung": [("B7", "thôn"), ("B3", "một")]}))
    assert ("Thông tin chung", 7, "B “Cấp báo cáo”") in [f[:3] for f in found]
    assert ("Thông tin chung", 3, "B “Phiên bản”") in [f[:3] for f in found]


def test_narrative_placeholder_of_an_unknown_code_names_its_paragraph_row() -> None:
    workbook = load_workbook(io.BytesIO(exported("cchc-xa-quy")))
    sheet = workbook["Đề cương"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet[f"C{r}"].value)
    sheet[f"C{row}"] = "Có {7.7.7} hồ sơ."
    out = io.BytesIO()
    workbook.save(out)
    assert problems_of(out.getvalue()) == [
        ("Đề cương", row, "C “Đoạn văn”", "chỗ điền “{7.7.7}” không ứng với mã chỉ tiêu nào")
    ]


def test_a_macro_enabled_workbook_is_refused() -> None:
    source = exported("cchc-xa-quy")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as original, zipfile.ZipFile(out, "w") as target:
        for info in original.infolist():
            content = original.read(info)
            if info.filename == "[Content_Types].xml":
                content = content.replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml")
            target.writestr(info, content)
        target.writestr("xl/vbaProject.bin", b"\x00" * 16)
    found = problems_of(out.getvalue())
    assert found == [("", None, None, found[0][3])]
    assert found[0][3].startswith("Tệp có macro (.xlsm)")


def test_not_a_workbook_and_too_big_are_refused_with_a_reason() -> None:
    assert problems_of(b"hello")[0][3] == "Tệp không phải là tệp Excel (.xlsx)."
    assert problems_of(b"")[0][3] == "Tệp rỗng."
    assert problems_of(b"PK\x03\x04" + b"\x00" * (6 * 1024 * 1024))[0][3].startswith("Tệp quá lớn")


DOCS = Path(__file__).parents[2] / "docs"


def test_the_docs_example_workbook_is_the_shipped_commune_form() -> None:
    example = import_workbook((DOCS / "vi-du-bieu-mau-xa.xlsx").read_bytes())
    assert example.spec == load_definition("cchc-xa-quy").spec


def test_the_guide_names_every_sheet_column_and_choice() -> None:
    guide = (DOCS / "definitions.md").read_text(encoding="utf-8")
    headers = [
        c.header for c in (*ITEM_COLUMNS, *RULE_COLUMNS, *SETTINGS, *NARRATIVE_COLUMNS, *MAPPING_COLUMNS)
    ]
    sheets = [SHEET_SETTINGS, SHEET_ITEMS, SHEET_RULES, SHEET_NARRATIVE, SHEET_SCALES, SHEET_MAPPING]
    missing = [name for name in headers + sheets if name not in guide]
    missing += [word for field in CHOICES.values() for word in field.values() if f"`{word}`" not in guide]
    assert missing == []


def test_a_workbook_of_other_sheets_names_the_two_missing_ones_only() -> None:
    workbook = Workbook()
    workbook.active.title = "Trang 1"
    out = io.BytesIO()
    workbook.save(out)
    assert [str(p) for p in problems_of_objects(out.getvalue())] == [
        "Trang “Thông tin chung”: thiếu trang tính “Thông tin chung”",
        "Trang “Chỉ tiêu”: thiếu trang tính “Chỉ tiêu”",
    ]


def test_whole_row_errors_point_at_the_column_to_fix_in_the_officers_words() -> None:
    found = problems_of(edited({"Chỉ tiêu": [(f"K{row_of('1.1')}", None), (f"F{row_of('1.2')}", None)]}))
    assert found == [
        ("Chỉ tiêu", row_of("1.1"), "K “Theo thời gian”", found[0][3]),
        ("Chỉ tiêu", row_of("1.2"), "F “Công thức”", found[1][3]),
    ]
    assert found[0][3].startswith("dòng nhập số phải ghi cột “Theo thời gian”")
    assert found[1][3].startswith("dòng “tỷ lệ tính” phải có công thức")


def problems_of_objects(data: bytes) -> tuple[CellProblem, ...]:
    with pytest.raises(WorkbookError) as caught:
        import_workbook(data)
    return caught.value.problems


def test_every_field_of_the_schema_has_a_column() -> None:
    """A field added to the schema without a workbook column would be lost by export → import."""

    def uncovered(fields: set[str], columns: tuple[Column, ...]) -> set[str]:
        # A nested field ("plausible") is covered by its columns ("plausible.min", "plausible.max").
        return fields - {column.field.split(".")[0] for column in columns}

    assert uncovered(set(ItemSpec.model_fields), ITEM_COLUMNS) == set()
    assert {f"style.{f}" for f in Style.model_fields} - {column.field for column in ITEM_COLUMNS} == set()
    assert uncovered(set(RuleSpec.model_fields), RULE_COLUMNS) == set()
    parts = {"items", "rules", "scales", "narrative", "opening", "closing", "mapping"}
    assert uncovered(set(DefinitionSpec.model_fields) - parts, SETTINGS) == set()
