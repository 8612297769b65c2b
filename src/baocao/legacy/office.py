"""Word (.docx) and Excel (.xlsx) readers. The archive was checked in ``read`` before these run: size,
compression ratio and XML entity declarations (python-docx and openpyxl parse with entities unresolved)."""

from __future__ import annotations

import io
import re
import zipfile
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


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(data: bytes, name: str) -> ReadDocument:
    """Paragraphs and tables of the body in reading order, straight from word/document.xml with lxml
    (entities never resolved, no network): several times faster than building python-docx's objects."""
    try:
        from lxml import etree

        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read("word/document.xml")
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        body = etree.fromstring(xml, parser).find(f"{_W}body")
        if body is None:
            raise ValueError("no body")
        blocks: list[str] = []
        table_cells: list[tuple[list[str], str]] = []
        in_appendix = False
        table_number = 0
        for child in body:
            if child.tag == f"{_W}p":
                blocks.append(_text(child))
            elif child.tag == f"{_W}tbl":
                table_number += 1
                rows = _docx_rows(child)
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
    except Exception as error:  # a broken archive or XML: many kinds of error
        raise ReadError(MSG_DOCX.format(name=name, reason=type(error).__name__)) from None
    return ReadDocument("docx", join_paragraphs(blocks), rows_from_cells(table_cells))


def _text(element: Any) -> str:
    return "".join(node.text or "" for node in element.iter(f"{_W}t"))


def _docx_rows(table: Any) -> list[list[str]]:
    """Cells of each row on the table's grid: a cell merged across columns fills its first column and
    leaves the others empty; the continuation of a vertical merge is empty too."""
    rows = []
    for row in table.iterchildren(f"{_W}tr"):
        cells: list[str] = []
        for cell in row.iterchildren(f"{_W}tc"):
            properties = cell.find(f"{_W}tcPr")
            span, continued = 1, False
            if properties is not None:
                grid = properties.find(f"{_W}gridSpan")
                if grid is not None:
                    span = max(1, int(grid.get(f"{_W}val", "1")))
                merge = properties.find(f"{_W}vMerge")
                continued = merge is not None and merge.get(f"{_W}val", "continue") == "continue"
            text = "" if continued else clean_cell(" ".join(_text(p) for p in cell.iter(f"{_W}p")))
            cells += [text] + [""] * (span - 1)
        rows.append(cells)
    return rows


def read_xlsx(data: bytes, name: str) -> ReadDocument:
    try:
        import openpyxl

        # Formulas as written, not their cached results: a ratio the sheet computes is no typed figure.
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
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
