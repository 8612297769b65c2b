"""Word (.docx) and Excel (.xlsx) readers. The archive was checked in ``read`` before these run: size,
compression ratio and XML entity declarations (python-docx and openpyxl parse with entities unresolved)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from baocao.legacy.model import ReadDocument, ReadError
from baocao.legacy.read import Columns, clean_cell, join_paragraphs, rows_from_cells

__all__ = ["read_docx", "read_xlsx"]

MSG_DOCX = "tệp Word “{name}” bị hỏng, không đọc được ({reason})"
MSG_XLSX = "tệp Excel “{name}” bị hỏng, không đọc được ({reason})"

_CODE_RE = re.compile(r"^(?:\d+(?:\.\d+)*(?:\.[a-z])?|N\.[A-Za-z0-9_]+)$")
_MAX_SHEET_ROWS = 5000
_MAX_SHEET_COLUMNS = 30


def read_docx(data: bytes, name: str) -> ReadDocument:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        blocks: list[str] = []
        table_cells: list[tuple[list[str], str]] = []
        in_appendix = False
        table_number = 0
        for child in body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                blocks.append(Paragraph(child, document).text)
            elif tag == "tbl":
                table_number += 1
                rows = list(_docx_rows(Table(child, document)))
                header = any(Columns().learn(cells) for cells in rows[:4])
                if header or (in_appendix and rows and len(rows[0]) >= 4):
                    in_appendix = True
                    table_cells += [
                        (cells, f"bảng {table_number}, hàng {index}") for index, cells in enumerate(rows, 1)
                    ]
                else:
                    blocks += [cell for cells in rows for cell in cells if cell]
    except ReadError:
        raise
    except Exception as error:  # python-docx raises many kinds (KeyError, lxml errors) on a broken file
        raise ReadError(MSG_DOCX.format(name=name, reason=type(error).__name__)) from None
    return ReadDocument("docx", join_paragraphs(blocks), rows_from_cells(table_cells))


def _docx_rows(table: Any) -> Iterator[list[str]]:
    """Cells of each row; a cell merged across columns is read once (python-docx repeats it per column)."""
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            tc = cell._tc
            cells.append("" if tc is previous else clean_cell(cell.text))
            previous = tc
        yield cells


def read_xlsx(data: bytes, name: str) -> ReadDocument:
    try:
        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            paragraphs: list[str] = []
            table: list[tuple[list[str], str]] = []
            columns = Columns()
            for sheet in workbook.worksheets:
                _read_sheet(sheet, columns, paragraphs, table)
        finally:
            workbook.close()
    except ReadError:
        raise
    except Exception as error:  # openpyxl raises many kinds on a broken workbook
        raise ReadError(MSG_XLSX.format(name=name, reason=type(error).__name__)) from None
    if columns.code is None:
        columns.code = _code_column(table, columns)
    return ReadDocument("xlsx", join_paragraphs(paragraphs), rows_from_cells(table, columns))


def _read_sheet(
    sheet: Any, columns: Columns, paragraphs: list[str], table: list[tuple[list[str], str]]
) -> None:
    in_table = False
    for number, row in enumerate(sheet.iter_rows(max_row=_MAX_SHEET_ROWS, max_col=_MAX_SHEET_COLUMNS), 1):
        cells = [_cell_text(cell) for cell in row]
        if not any(cells):
            continue
        if not in_table and Columns().learn(cells):
            in_table = True
        if in_table:
            table.append((cells, f"trang tính “{sheet.title}”, hàng {number}"))
        else:
            paragraphs += [cell for cell in cells if cell]


def _cell_text(cell: Any) -> str:
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, int | float | Decimal):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if "%" in str(getattr(cell, "number_format", "")):
            number *= 100
        number = number.normalize() if number != number.to_integral_value() else number.quantize(Decimal(1))
        return format(number, "f").replace(".", ",")
    return clean_cell(value)


def _code_column(table: list[tuple[list[str], str]], columns: Columns) -> int | None:
    """baocao's own export keeps item codes in a (hidden) column; find it by its content."""
    taken = {columns.stt, columns.label, columns.unit, columns.value, columns.note}
    width = max((len(cells) for cells, _ in table), default=0)
    for index in range(width):
        if index in taken:
            continue
        values = [cells[index] for cells, _ in table if index < len(cells) and cells[index]]
        lettered = any(value[-2:-1] == "." and value[-1].isalpha() for value in values)
        if values and lettered and sum(bool(_CODE_RE.match(v)) for v in values) >= 0.8 * len(values):
            return index
    return None
