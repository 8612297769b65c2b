"""Cells of a form workbook read into typed values, each problem located by sheet, row and column."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from baocao.core.form_workbook import CHOICES, NO, YES, Column

__all__ = ["CellProblem", "Row", "Table", "read_settings", "read_table"]

MAX_ROWS = 5000
MAX_COLUMNS = 60

MSG_NO_SHEET = "thiếu trang tính “{sheet}”"
MSG_UNKNOWN_HEADER = "cột “{header}” không có trong mẫu (có: {known})"
MSG_MISSING_HEADER = "thiếu cột “{header}”"
MSG_REQUIRED = "không được để trống"
MSG_TOO_MANY_ROWS = "quá {limit} dòng; biểu mẫu không dài đến vậy"
MSG_EXCEL_FORMULA = (
    "ô chứa công thức Excel “{formula}”; hãy ghi giá trị (công thức của biểu mẫu không có dấu =)"
)
MSG_INT = "phải là số nguyên, ô đang ghi “{value}”"
MSG_DECIMAL = "phải là số, ô đang ghi “{value}”"
MSG_BOOL = "ghi “{yes}” hoặc “{no}” (hoặc để trống), ô đang ghi “{value}”"
MSG_CHOICE = "“{value}” không phải là một trong: {known}"
MSG_UNKNOWN_SETTING = "thuộc tính “{name}” không có trong mẫu (có: {known})"

_YES_WORDS = frozenset({YES, "x", "1", "true", "yes", "đúng"})
_NO_WORDS = frozenset({NO, "0", "false", "no", "sai"})


@dataclass(frozen=True)
class CellProblem:
    sheet: str
    row: int | None
    column: str | None  # "F “Công thức”"
    reason: str

    def __str__(self) -> str:
        place = [f"Trang “{self.sheet}”"] if self.sheet else []
        if self.row is not None:
            place.append(f"dòng {self.row}")
        if self.column:
            place.append(f"cột {self.column}")
        return (", ".join(place) + ": " if place else "") + self.reason

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.reason}


@dataclass
class Row:
    number: int
    values: dict[str, Any]
    bad: frozenset[str] = frozenset()  # fields whose cell could not be read (already reported)


@dataclass
class Table:
    sheet: str
    columns: dict[str, Column]  # by field
    letters: dict[str, str]  # field → column letter, for the columns the sheet has
    rows: list[Row] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)

    def problem(self, row: int | None, field_name: str, reason: str) -> CellProblem:
        column = self.columns.get(field_name)
        header = column.header if column else field_name
        letter = self.letters.get(field_name)
        return CellProblem(self.sheet, row, f"{letter} “{header}”" if letter else f"“{header}”", reason)


def _sheet(workbook: Any, name: str) -> Any:
    wanted = name.casefold()
    return next((sheet for sheet in workbook.worksheets if sheet.title.strip().casefold() == wanted), None)


def read_table(workbook: Any, sheet_name: str, columns: tuple[Column, ...], *, required: bool) -> Table:
    by_field = {column.field: column for column in columns}
    table = Table(sheet_name, by_field, {})
    sheet = _sheet(workbook, sheet_name)
    if sheet is None:
        if required:
            table.problems.append(CellProblem(sheet_name, None, None, MSG_NO_SHEET.format(sheet=sheet_name)))
        return table
    lines = sheet.iter_rows(max_col=MAX_COLUMNS)
    header = next(lines, ())
    positions = _headers(table, header, columns)
    for number, cells in enumerate(lines, start=2):
        if number > MAX_ROWS:
            table.problems.append(
                CellProblem(sheet_name, number, None, MSG_TOO_MANY_ROWS.format(limit=MAX_ROWS))
            )
            break
        row = _row(table, number, cells, positions)
        if row is not None:
            table.rows.append(row)
    return table


def _headers(table: Table, header: Any, columns: tuple[Column, ...]) -> dict[int, Column]:
    by_header = {column.header.casefold(): column for column in columns}
    positions: dict[int, Column] = {}
    for index, cell in enumerate(header):
        text = _text(cell.value)
        if not text:
            continue
        column = by_header.get(text.casefold())
        if column is None:
            known = ", ".join(c.header for c in columns)
            reason = MSG_UNKNOWN_HEADER.format(header=text, known=known)
            table.problems.append(CellProblem(table.sheet, 1, cell.column_letter, reason))
            continue
        positions[index] = column
        table.letters[column.field] = cell.column_letter
    for column in columns:
        if column.required and column.field not in table.letters:
            reason = MSG_MISSING_HEADER.format(header=column.header)
            table.problems.append(CellProblem(table.sheet, 1, None, reason))
    return positions


def _row(table: Table, number: int, cells: Any, positions: dict[int, Column]) -> Row | None:
    values: dict[str, Any] = {}
    for index, cell in enumerate(cells):
        column = positions.get(index)
        if column is None or cell.value is None:
            continue
        try:
            value = parse_cell(column, cell)
        except ValueError as error:
            table.problems.append(table.problem(number, column.field, str(error)))
            values[column.field] = _INVALID
            continue
        if value is not None:
            values[column.field] = value
    if not values:
        return None
    missing = {
        column.field for column in positions.values() if column.required and column.field not in values
    }
    for field_name in sorted(missing):
        table.problems.append(table.problem(number, field_name, MSG_REQUIRED))
    bad = frozenset(key for key, value in values.items() if value is _INVALID) | missing
    return Row(number, {key: value for key, value in values.items() if value is not _INVALID}, bad)


_INVALID = object()


def parse_cell(column: Column, cell: Any) -> Any:
    value = cell.value
    if getattr(cell, "data_type", None) == "f":
        raise ValueError(MSG_EXCEL_FORMULA.format(formula=str(value)[:60]))
    text = _text(value)
    if text == "":
        return None
    if column.kind == "int":
        return _int(value, text)
    if column.kind == "decimal":
        try:
            return Decimal(text.replace(".", "").replace(",", ".") if "," in text else text)
        except InvalidOperation:
            raise ValueError(MSG_DECIMAL.format(value=text)) from None
    if column.kind == "bool":
        return _bool(value, text)
    if column.kind == "choice":
        return _choice(column, text)
    return text


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float):
        return format(value, "g") if value != int(value) else str(int(value))
    return str(value).strip()


def _int(value: Any, text: str) -> int:
    if isinstance(value, bool):
        raise ValueError(MSG_INT.format(value=text))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value == int(value):
        return int(value)
    if text.lstrip("-").isdigit():
        return int(text)
    raise ValueError(MSG_INT.format(value=text))


def _bool(value: Any, text: str) -> bool:
    if isinstance(value, bool):
        return value
    word = text.casefold()
    if word in _YES_WORDS:
        return True
    if word in _NO_WORDS:
        return False
    raise ValueError(MSG_BOOL.format(yes=YES, no=NO, value=text))


def _choice(column: Column, text: str) -> Any:
    words = CHOICES[column.field]
    lookup = {word.casefold(): key for key, word in words.items()} | {key.casefold(): key for key in words}
    if column.field == "op":
        lookup["="] = "=="
    if column.field == "periods":
        parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
        unknown = [part for part in parts if part.casefold() not in lookup]
        if unknown:
            raise ValueError(MSG_CHOICE.format(value=unknown[0], known=", ".join(words.values())))
        return [lookup[part.casefold()] for part in parts]
    key = lookup.get(text.casefold())
    if key is None:
        raise ValueError(MSG_CHOICE.format(value=text, known=", ".join(words.values())))
    return key


def read_settings(
    workbook: Any, sheet_name: str, columns: tuple[Column, ...]
) -> tuple[dict[str, Any], dict[str, int], list[CellProblem]]:
    """The settings sheet: a property name in column A, its value in column B."""
    problems: list[CellProblem] = []
    sheet = _sheet(workbook, sheet_name)
    if sheet is None:
        return {}, {}, [CellProblem(sheet_name, None, None, MSG_NO_SHEET.format(sheet=sheet_name))]
    by_header = {column.header.casefold(): column for column in columns}
    values: dict[str, Any] = {}
    rows: dict[str, int] = {}
    for number, cells in enumerate(sheet.iter_rows(min_row=2, max_col=2, max_row=200), start=2):
        name = _text(cells[0].value) if cells else ""
        if not name:
            continue
        column = by_header.get(name.casefold())
        if column is None:
            known = ", ".join(c.header for c in columns)
            problems.append(
                CellProblem(sheet_name, number, "A", MSG_UNKNOWN_SETTING.format(name=name, known=known))
            )
            continue
        rows[column.field] = number
        try:
            value = parse_cell(column, cells[1]) if len(cells) > 1 else None
        except ValueError as error:
            problems.append(CellProblem(sheet_name, number, f"B “{column.header}”", str(error)))
            continue
        if value is not None:
            values[column.field] = value
    return values, rows, problems
