"""The appendix as an Excel sheet that goes out and comes back.

Values are numbers, ratios are Excel formulas over the sheet's own cells (so the sheet stays live offline),
input cells are unlocked and validated and everything else is protected. The stable item codes sit in a hidden
column, and the definition, version, round and unit in the workbook's custom properties: ``xlsx_import`` reads
them back and refuses a sheet that belongs elsewhere.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from copy import copy
from decimal import Decimal
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.formatting.rule import Rule
from openpyxl.packaging.custom import IntProperty, StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.styles.numbers import NumberFormat
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import tostring

from baocao.core.formula import NotApplicable
from baocao.core.labels import plain_label, segments
from baocao.core.numbers import format_number, round_half_up
from baocao.core.spreadsheet import spreadsheet_formula, write_text
from baocao.documents.document import APP_XML, LANGUAGE, naive_utc
from baocao.documents.metrics import text_width_mm
from baocao.documents.sheet import (
    BASE_COLUMN,
    CODE_COLUMN,
    FIRST_ROW,
    HEAD_ROW,
    HEADINGS,
    NOTE_BASE_COLUMN,
    NOTE_BASE_HEADING,
    NOTE_COLUMN,
    PROP_DEFINITION,
    PROP_REPORT_VERSION,
    PROP_ROUND,
    PROP_UNIT,
    PROP_VERSION,
    SHEET_TITLE,
    VALUE_COLUMN,
    WIDTHS,
)

if TYPE_CHECKING:
    from baocao.documents.document import AppendixRow, BuiltReport

__all__ = ["export_xlsx"]

MSG_INPUT_COUNT = "Nhập số nguyên từ 0 trở lên (để trống nếu chưa báo cáo)."
MSG_INPUT_NUMBER = "Nhập một số từ 0 trở lên."
MSG_INPUT_PERCENT = "Nhập tỷ lệ phần trăm từ 0 đến 100."
MSG_INPUT_YESNO = "Chọn Có hoặc Không."
MSG_NOT_APPLICABLE = "không phát sinh"

FONT_POINTS = 12
DIGIT_PIXELS = 8  # a digit of 12-point Times: half an em, 6 points
LINE_POINTS = 15.5  # one line of 12-point Times, as LibreOffice and Excel space it
INDENT_MM = 3.5  # one indent level of a label, as LibreOffice prints it
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FONT = "Times New Roman"
# The tint of an input cell still blank: a conditional format (see _blank_inputs), so a filled sheet prints
# plain in Excel and in LibreOffice Calc alike (Calc ignores the page's black-and-white setting).
BLANK_INPUT = DifferentialStyle(fill=PatternFill("solid", bgColor="FFF8DC", fgColor="FFF8DC"))
UNLOCKED = Protection(locked=False)
# The number formats' language (LCID 0x042A, Vietnamese): LibreOffice then writes "6,06" and "1.234" whatever
# its own locale (it wrote "6.06" and "1,234" under en-US); Excel takes the separators from Windows' settings.
VIETNAMESE = "[$-42A]"


def export_xlsx(report: BuiltReport) -> bytes:
    workbook = Workbook()
    # The workbook's default font is the document's: column widths are counted in its digits, so Excel and
    # LibreOffice (which has no Calibri) wrap the labels alike; hidden cells print in no other typeface.
    workbook._fonts = IndexedList([Font(name=FONT, size=FONT_POINTS, family=1)])
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET_TITLE
    _properties(workbook, report)
    _title(sheet, report)
    _head(sheet)
    rows_of = {row.code: FIRST_ROW + index for index, row in enumerate(report.rows)}
    validations = _validations(sheet)
    styles = _Styles()
    for index, row in enumerate(report.rows):
        _row(sheet, FIRST_ROW + index, row, rows_of, validations, styles)
    _shares(sheet, report, rows_of)
    _blank_inputs(sheet, report, rows_of)
    _layout(sheet, report, FIRST_ROW + len(report.rows) - 1)
    out = io.BytesIO()
    workbook.save(out)
    # Saving stamps the time of the download as the last change: the file's dates are the report's.
    workbook.properties.modified = naive_utc(report.modified)
    core = tostring(workbook.properties.to_tree())
    return _own_parts(out.getvalue(), {"docProps/app.xml": APP_XML.encode(), "docProps/core.xml": core})


def _own_parts(data: bytes, parts: dict[str, bytes]) -> bytes:
    """The saved package with our docProps: openpyxl names itself as a Microsoft Excel lookalike in app.xml
    and dates core.xml from the moment of saving."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            content = parts.get(member.filename) or source.read(member)
            target.writestr(member, content)  # the member's own compression is kept
    return out.getvalue()


def _properties(workbook: Workbook, report: BuiltReport) -> None:
    properties = workbook.properties
    properties.title = f"{report.appendix_name}: {report.appendix_title}"
    properties.subject = report.subject
    properties.creator = report.agency_lines[-1].title()
    properties.keywords = f"{report.definition_code}; {report.round_code}; {report.unit_code}"
    properties.category = "Dự thảo" if report.draft else "Đã gửi"
    properties.description = report.appendix_reference
    properties.language = LANGUAGE
    properties.created = naive_utc(report.created)
    custom = workbook.custom_doc_props
    custom.append(StringProperty(name=PROP_DEFINITION, value=report.definition_code))
    custom.append(IntProperty(name=PROP_VERSION, value=report.definition_version))
    custom.append(StringProperty(name=PROP_ROUND, value=report.round_code))
    custom.append(StringProperty(name=PROP_UNIT, value=report.unit_code))
    custom.append(IntProperty(name=PROP_REPORT_VERSION, value=report.version))


def _title(sheet: Worksheet, report: BuiltReport) -> None:
    lines = (
        (report.appendix_name, Font(name=FONT, size=14, bold=True)),
        (report.appendix_title, Font(name=FONT, size=14, bold=True)),
        (report.appendix_reference, Font(name=FONT, size=13, italic=True)),
    )
    for number, (text, font) in enumerate(lines, start=1):
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=NOTE_COLUMN)
        cell = sheet.cell(number, 1, text)
        cell.font, cell.alignment = font, Alignment(horizontal="center", wrap_text=True)
    if report.draft:
        sheet.cell(4, NOTE_COLUMN, "DỰ THẢO").font = Font(name=FONT, size=12, bold=True, color="C00000")


def _head(sheet: Worksheet) -> None:
    font = Font(name=FONT, size=12, bold=True)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for column, text in enumerate(HEADINGS, start=1):
        top = sheet.cell(HEAD_ROW, column, text)
        bottom = sheet.cell(HEAD_ROW + 1, column)
        for cell in (top, bottom):
            cell.font, cell.alignment, cell.border = font, center, BORDER
    sheet.cell(HEAD_ROW, 3, "Kết quả thống kê")
    sheet.cell(HEAD_ROW + 1, 3, HEADINGS[2])
    sheet.cell(HEAD_ROW + 1, 4, HEADINGS[3])
    sheet.merge_cells(start_row=HEAD_ROW, start_column=3, end_row=HEAD_ROW, end_column=4)
    for column in (1, 2, 5, 6):
        sheet.merge_cells(start_row=HEAD_ROW, start_column=column, end_row=HEAD_ROW + 1, end_column=column)


def _validations(sheet: Worksheet) -> dict[str, DataValidation]:
    validations = {
        "count": DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True),
        "count_share": DataValidation(
            type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True
        ),
        "decimal": DataValidation(
            type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True
        ),
        "percent": DataValidation(
            type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True
        ),
        "yesno": DataValidation(type="list", formula1='"Có,Không"', allow_blank=True),
    }
    messages = {
        "count": MSG_INPUT_COUNT,
        "count_share": MSG_INPUT_COUNT,
        "decimal": MSG_INPUT_NUMBER,
        "percent": MSG_INPUT_PERCENT,
        "yesno": MSG_INPUT_YESNO,
    }
    for kind, validation in validations.items():
        validation.error, validation.errorTitle = messages[kind], "Giá trị không hợp lệ"
        validation.prompt, validation.promptTitle = messages[kind], "Số liệu"
        validation.showErrorMessage = validation.showInputMessage = True
        sheet.add_data_validation(validation)
    return validations


class _Styles:
    """Each distinct look styled once through openpyxl, then copied: registering a Font, Border or Alignment
    hashes it against every style of the workbook, which cost two thirds of the export."""

    def __init__(self) -> None:
        self.arrays: dict[tuple[object, ...], StyleArray] = {}

    def apply(self, cell: Cell, key: tuple[object, ...], style: Callable[[Cell], None]) -> None:
        array = self.arrays.get(key)
        if array is None:
            style(cell)
            self.arrays[key] = copy(cell._style)
        else:
            cell._style = copy(array)


def _text_style(column: int, row: AppendixRow) -> Callable[[Cell], None]:
    def style(cell: Cell) -> None:
        cell.font = Font(name=FONT, size=12, bold=row.bold, italic=row.italic)
        cell.border = BORDER
        cell.alignment = Alignment(
            horizontal="left" if column == 2 else "center",
            vertical="center",
            wrap_text=True,
            indent=row.indent if column == 2 else 0,
        )

    return style


def _value_style(row: AppendixRow) -> Callable[[Cell], None]:
    def style(cell: Cell) -> None:
        cell.font = Font(name=FONT, size=12, bold=row.bold, italic=row.italic)
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="right", vertical="center")
        # As on the web and in Word: "100", "90,4", "6,06", thousands grouped; the formulas round to the
        # definition's decimals, so the general format shows no trailing zeros.
        cell.number_format = VIETNAMESE + ("#,##0" if row.type in ("count", "count_share") else "General")
        if row.is_input:
            cell.protection = UNLOCKED

    return style


def _note_style(row: AppendixRow) -> Callable[[Cell], None]:
    def style(cell: Cell) -> None:
        cell.font = Font(name=FONT, size=11, italic=row.italic)
        cell.border = BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center")

    return style


def _row(
    sheet: Worksheet,
    number: int,
    row: AppendixRow,
    rows_of: dict[str, int],
    validations: dict[str, DataValidation],
    styles: _Styles,
) -> None:
    look = (row.bold, row.italic)
    for column, text in enumerate((row.stt, row.label, row.unit), start=1):
        cell = sheet.cell(number, column)
        styles.apply(
            cell, ("text", column, *look, row.indent if column == 2 else 0), _text_style(column, row)
        )
        if column == 2:
            _label(cell, row)
        else:
            _text(cell, text)
    value = sheet.cell(number, VALUE_COLUMN)
    styles.apply(value, ("value", *look, row.type, row.is_input), _value_style(row))
    if row.type != "group":
        _value(value, row, rows_of)
    if row.is_input and row.type in validations:
        validations[row.type].add(value.coordinate)
    note = sheet.cell(number, NOTE_COLUMN)
    styles.apply(note, ("note", row.italic), _note_style(row))
    _text(note, row.note)
    _text(sheet.cell(number, CODE_COLUMN), row.code)
    lines = max(
        _lines(plain_label(row.label), WIDTHS[1], row.indent), _lines(row.note, WIDTHS[NOTE_COLUMN - 1])
    )
    if lines > 1:
        # LibreOffice keeps the default height of a row that wraps: without its own height, the lines of a
        # long label would print over the rows below.
        sheet.row_dimensions[number].height = lines * LINE_POINTS + 3
    if row.is_input:
        _text(sheet.cell(number, BASE_COLUMN), row.raw)
    _text(sheet.cell(number, NOTE_BASE_COLUMN), row.note)


def _lines(text: str, width_chars: int, indent: int = 0, *, bold: bool = False) -> int:
    """How many lines ``text`` takes in a column ``width_chars`` wide (Excel's unit: the default font's digit,
    8 pixels of 12-point Times at 96 dpi, plus 5 of padding), measured with Times' own widths."""
    if not text:
        return 1
    column_mm = (width_chars * DIGIT_PIXELS + 5) * 25.4 / 96 - indent * INDENT_MM - 4  # 4: the padding
    words, lines, current = text.split(), 1, 0.0
    space = text_width_mm(" ", FONT_POINTS, bold=bold)
    for word in words:
        width = text_width_mm(word, FONT_POINTS, bold=bold)
        if current and current + space + width > column_mm:
            lines, current = lines + 1, width
        else:
            current += (space if current else 0) + width
    return lines


def _text(cell: Cell, text: str) -> None:
    """Text as text: a clerk's note "=HYPERLINK(…)" or "- Như trên" is never read as a formula."""
    if text:
        write_text(cell, text)


def _label(cell: Cell, row: AppendixRow) -> None:
    """The label with its italic parts as Excel rich text (the one label renderer's segments)."""
    parts = segments(row.label)
    if not any(part.italic for part in parts):
        _text(cell, row.label)
        return
    cell.value = CellRichText(
        [
            TextBlock(InlineFont(rFont=FONT, sz=12, b=row.bold, i=row.italic or part.italic), part.text)
            for part in parts
        ]
    )


def _value(cell: Cell, row: AppendixRow, rows_of: dict[str, int]) -> None:
    formula = _excel_formula(row, rows_of) if row.formula else None
    if formula is not None:
        cell.value = formula
    elif isinstance(row.value, bool):
        cell.value = "Có" if row.value else "Không"
    elif isinstance(row.value, Decimal):
        integral = row.value == row.value.to_integral_value()
        whole = integral and row.type in ("count", "count_share")
        cell.value = int(row.value) if whole else float(round_half_up(row.value, row.decimals))
    elif isinstance(row.value, NotApplicable):
        cell.value = MSG_NOT_APPLICABLE
    elif isinstance(row.value, str):
        _text(cell, row.value)


def _excel_formula(row: AppendixRow, rows_of: dict[str, int]) -> str | None:
    """The definition's formula over cells of the sheet, translated from its syntax tree; None when the
    sheet cannot state it (a narrative-only item, a function): then the sheet holds the computed value."""
    assert row.formula is not None
    column = get_column_letter(VALUE_COLUMN)
    translated = spreadsheet_formula(
        row.formula, lambda code: f"{column}{rows_of[code]}" if code in rows_of else None
    )
    if translated is None or not translated[1]:
        return None
    expression, cells = translated
    # Blank spreads (not reported stays blank); a zero base reads "không phát sinh", as in the evaluator.
    return (
        f'=IF(COUNT({",".join(cells)})<{len(cells)},"",'
        f'IFERROR(ROUND({expression},{row.decimals}),"{MSG_NOT_APPLICABLE}"))'
    )


def _shares(sheet: Worksheet, report: BuiltReport, rows_of: dict[str, int]) -> None:
    """A count with its share reads "16 (88,9%)" as on the web, while the cell stays the number a clerk types.

    The share is a number format applied by a conditional format that holds only while the count and its
    base are still the exported figures: once either is edited the cell shows the bare count, never a
    share that no longer matches."""
    values = {row.code: row.value for row in report.rows}
    column = get_column_letter(VALUE_COLUMN)
    for row in report.rows:
        base = values.get(row.share_of or "")
        if row.share is None or not isinstance(row.value, Decimal) or not isinstance(base, Decimal):
            continue
        share = format_number(row.share, row.share_decimals)
        style = DifferentialStyle(
            numFmt=NumberFormat(numFmtId=0, formatCode=f'{VIETNAMESE}#,##0" ({share}%)"')
        )
        cell, base_cell = f"{column}{rows_of[row.code]}", f"{column}{rows_of[row.share_of or '']}"
        condition = f"AND({cell}={_number(row.value)},{base_cell}={_number(base)})"
        sheet.conditional_formatting.add(cell, Rule(type="expression", dxf=style, formula=[condition]))


def _blank_inputs(sheet: Worksheet, report: BuiltReport, rows_of: dict[str, int]) -> None:
    """Input cells are tinted while blank: the clerk sees what is left to type, and a complete sheet prints
    without a tint. One rule per run of consecutive input rows, its formula relative to the run's first
    cell."""
    column = get_column_letter(VALUE_COLUMN)
    numbers = sorted(rows_of[row.code] for row in report.rows if row.is_input)
    runs: list[list[int]] = []
    for number in numbers:
        if runs and runs[-1][-1] == number - 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    for run in runs:
        cells = f"{column}{run[0]}:{column}{run[-1]}"
        rule = Rule(type="expression", dxf=BLANK_INPUT, formula=[f"LEN(TRIM({column}{run[0]}))=0"])
        sheet.conditional_formatting.add(cells, rule)


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _layout(sheet: Worksheet, report: BuiltReport, last_row: int) -> None:
    for column, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.cell(HEAD_ROW, NOTE_BASE_COLUMN, NOTE_BASE_HEADING)
    for hidden in (CODE_COLUMN, BASE_COLUMN, NOTE_BASE_COLUMN):
        sheet.column_dimensions[get_column_letter(hidden)].hidden = True
    sheet.row_dimensions[2].height = 36
    sheet.freeze_panes = sheet.cell(FIRST_ROW, 1)
    sheet.print_title_rows = f"{HEAD_ROW}:{HEAD_ROW + 1}"
    sheet.print_area = f"A1:{get_column_letter(NOTE_COLUMN)}{last_row}"
    setup = sheet.page_setup
    setup.orientation = "landscape" if report.appendix_landscape else "portrait"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.print_options.gridLines = False
    setup.blackAndWhite = True  # a blank input's tint is for the screen (Excel honours this; Calc does not)
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddHeader.center.text = "&P"
    for part in (sheet.oddHeader.center, sheet.oddHeader.right, sheet.oddFooter.center):
        part.font = f"{FONT},Regular"
    if report.draft:
        sheet.oddHeader.right.text = "DỰ THẢO"
        sheet.oddHeader.right.color = "C00000"
    sheet.oddFooter.center.text = f"{report.unit_name} · {report.subject}"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # let a clerk widen a column
    sheet.protection.formatRows = False
