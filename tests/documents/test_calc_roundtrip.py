"""The Excel sheet as a clerk uses it: opened and saved again by LibreOffice Calc, then imported."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from typing import Any

import pytest
from openpyxl import load_workbook

from baocao.documents.builder import BuiltReport, build_report
from baocao.documents.pdf_export import convert, convert_many
from baocao.documents.sheet import CODE_COLUMN, FIRST_ROW, NOTE_COLUMN, VALUE_COLUMN
from baocao.documents.xlsx_export import export_xlsx
from baocao.documents.xlsx_import import xlsx_apply, xlsx_preview
from baocao.reports import services
from tests.documents.conftest import needs_soffice
from tests.web.conftest import World

# Every test of the file marked for the database, even those reading only ``demo_built`` and ``calc_saved``:
# pytest-django runs the tests it sees using the database before the others, and a module's tests split in
# two would make ``calc_saved`` (and the module's world) twice in a run of several files.
pytestmark = [needs_soffice, pytest.mark.django_db]
INJECTION = '=HYPERLINK("http://example.invalid/x","Bấm vào đây")'


def _calc_saves_each(sheets: dict[str, bytes]) -> dict[str, bytes]:
    """LibreOffice Calc opens each sheet and saves it again as .xlsx, all in one start of LibreOffice."""
    saved = convert_many([(data, ".xlsx") for data in sheets.values()], target="xlsx")
    assert all(isinstance(data, bytes) for data in saved), saved
    return dict(zip(sheets, saved, strict=True))  # type: ignore[arg-type]


def _rows(sheet) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {
        str(row[CODE_COLUMN - 1].value): row[0].row
        for row in sheet.iter_rows(min_row=FIRST_ROW)
        if row[CODE_COLUMN - 1].value
    }


def _edit(data: bytes, values: dict[str, object]) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    rows = _rows(sheet)
    for code, value in values.items():
        sheet.cell(rows[code], VALUE_COLUMN).value = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# Each test's sheet as the clerk downloads and edits it, from the report as the test finds it (the module's
# document world, ``doc_world`` a copy of it): what the test has Calc save again.
TYPED_OVER = [50, "50"]


def _with_notes(demo_built: BuiltReport) -> BuiltReport:
    rows = tuple(dataclasses.replace(row, note=NOTES.get(row.code, row.note)) for row in demo_built.rows)
    return dataclasses.replace(demo_built, rows=rows)


@pytest.fixture(scope="module")
def calc_saved(module_doc_world: World, demo_built: BuiltReport, django_db_blocker: Any) -> dict[str, bytes]:
    """Every sheet of this file saved again by Calc, in one start of LibreOffice (``convert_many``: a start
    costs about as much as saving a sheet)."""
    with django_db_blocker.unblock():
        downloaded = export_xlsx(build_report(module_doc_world.report))
    sheets = {
        "unchanged": downloaded,
        "edited": _edit(downloaded, {"1.2.2": 5, "3.1.4": 120}),
        "notes": export_xlsx(_with_notes(demo_built)),
        "older": _edit(downloaded, {"1.2.2": 3, "3.1.4": 118}),
        **{f"typed {typed!r}": _edit(downloaded, {"1.2": typed, "1.2.2": 4}) for typed in TYPED_OVER},
        "demo": export_xlsx(demo_built),
    }
    return _calc_saves_each(sheets)


def test_a_sheet_saved_again_by_calc_imports_with_exactly_the_edits(doc_world, calc_saved) -> None:
    report = doc_world.report
    saved, edited = calc_saved["unchanged"], calc_saved["edited"]
    unchanged = xlsx_preview(report, saved)
    assert unchanged.problems == [] and unchanged.values == {} and unchanged.server_changes == []
    result = xlsx_preview(report, edited)
    assert result.problems == [] and result.notices == []
    assert [(c.code, c.old, c.new) for c in result.preview.changes] == [
        ("1.2.2", "02", "5"),
        ("3.1.4", "114", "120"),
    ]
    xlsx_apply(report=report, user=doc_world.clerk, data=edited, origin="Excel: Calc")
    assert report.raw_values()["1.2.2"] == "5" and report.raw_values()["3.1.4"] == "120"


# Each prefix a spreadsheet reads as a formula, with a result that would show if it were evaluated.
NOTES = {"1.2.1": INJECTION, "1.2.2": "+40+2", "3.1.4": "-1+43", "7.2.4.a": "@SUM(40;2)"}


def test_a_note_that_looks_like_a_formula_stays_text_through_calc(demo_built, calc_saved) -> None:
    built = _with_notes(demo_built)
    for data in (export_xlsx(built), calc_saved["notes"]):
        sheet = load_workbook(io.BytesIO(data)).worksheets[0]
        for code, text in NOTES.items():
            note = sheet.cell(_rows(sheet)[code], NOTE_COLUMN)
            assert (note.value, note.data_type) == (text, "s"), code
    csv = convert(export_xlsx(built), ".xlsx", target="csv:Text - txt - csv (StarCalc):44,34,76").decode()
    assert "Bấm vào đây" not in csv.replace(INJECTION.replace('"', '""'), "")  # never evaluated
    cells = [cell for line in csv.splitlines() for cell in line.split(",")]
    assert "42" not in cells  # none of the others either
    assert {"+40+2", "-1+43", "@SUM(40;2)"} <= set(cells)


def test_importing_an_older_sheet_keeps_what_changed_on_the_server_since(doc_world, calc_saved) -> None:
    report = doc_world.report
    # The sheet downloaded before the corrections below (calc_saved["older"], as Calc saved it):
    # after the download, a colleague corrects 1.2.1 and 3.1.4 on the web.
    services.report_set_value(report=report, user=doc_world.clerk, code="1.2.1", raw="40")
    services.report_set_value(report=report, user=doc_world.clerk, code="3.1.4", raw="115")
    report.refresh_from_db()
    # Meanwhile the clerk types 1.2.2 and also 3.1.4 in the old sheet; 1.2.1 stays as downloaded (33).
    sheet = calc_saved["older"]
    result = xlsx_preview(report, sheet)
    assert result.values == {"1.2.2": "3"}  # 1.2.1 is never put back to 33, 3.1.4 not overwritten
    changes = {change.code: change for change in result.server_changes}
    assert set(changes) == {"1.2.1", "3.1.4"}
    assert (changes["1.2.1"].downloaded, changes["1.2.1"].now, changes["1.2.1"].sheet) == ("33", "40", "33")
    assert not changes["1.2.1"].conflict
    assert (changes["3.1.4"].now, changes["3.1.4"].sheet, changes["3.1.4"].conflict) == ("115", "118", True)
    xlsx_apply(report=report, user=doc_world.clerk, data=sheet, origin="Excel: cũ")
    values = report.raw_values()
    assert (values["1.2.1"], values["1.2.2"], values["3.1.4"]) == ("40", "3", "115")


@pytest.mark.parametrize("typed", TYPED_OVER)
def test_a_typed_over_formula_cell_is_reported(doc_world, calc_saved, typed) -> None:
    report = doc_world.report
    sheet = calc_saved[f"typed {typed!r}"]  # 1.2 typed over, 1.2.2 edited
    result = xlsx_preview(report, sheet)
    assert len(result.notices) == 1 and "chỉ tiêu 1.2)" in result.notices[0] and "“50”" in result.notices[0]
    assert result.values == {"1.2.2": "4"}


def test_calc_writes_the_version_as_a_real_number_and_it_still_matches(demo_built, calc_saved) -> None:
    from baocao.documents.xlsx_import import _custom_properties, _same

    with zipfile.ZipFile(io.BytesIO(calc_saved["demo"])) as archive:
        custom = archive.read("docProps/custom.xml").decode()
    assert "<vt:r8>" in custom  # what Calc does to an integer property
    props = _custom_properties(custom.encode())
    assert _same(props["baocao_definition_version"], demo_built.definition_version)
    assert _same(props["baocao_report_version"], demo_built.version)
