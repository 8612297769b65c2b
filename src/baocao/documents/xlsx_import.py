"""An appendix sheet brought back from Excel: checked, read cell by cell, previewed, then applied once.

The file is untrusted: its size, its zip container and what it would expand to are checked before openpyxl
sees it; a sheet of another definition, version, round or unit is refused with the reason; a cell that cannot
be read is reported by its row and column, and then nothing is written.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from baocao.core.evaluate import parse_input
from baocao.core.numbers import NumberFormatError
from baocao.documents.sheet import (
    CODE_COLUMN,
    FIRST_ROW,
    PROP_DEFINITION,
    PROP_ROUND,
    PROP_UNIT,
    PROP_VERSION,
    SHEET_TITLE,
    VALUE_COLUMN,
)
from baocao.reports import services
from baocao.reports.services import ImportPreview, WorkflowError, definition_of

if TYPE_CHECKING:
    from baocao.accounts.models import User
    from baocao.core.definition import Definition
    from baocao.reports.models import Report

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_UNPACKED_BYTES",
    "SheetRefused",
    "SheetUnreadable",
    "XlsxImport",
    "xlsx_apply",
    "xlsx_preview",
]

MAX_FILE_BYTES = 5 * 1024 * 1024  # a filled appendix is about 15 kB
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 200  # an honest sheet's XML compresses about 10:1; a zip bomb a thousandfold

MSG_EMPTY = "Tệp rỗng."
MSG_TOO_BIG = "Tệp quá lớn ({size}); tệp phụ lục chỉ vài chục KB, giới hạn là {limit}."
MSG_ENCRYPTED = (
    "Tệp được đặt mật khẩu hoặc là tệp Excel cũ (.xls): hãy bỏ mật khẩu và lưu lại dưới dạng .xlsx."
)
MSG_NOT_XLSX = "Tệp không phải là tệp Excel (.xlsx)."
MSG_BOMB = "Tệp nén bất thường (giải nén ra quá {limit}); không mở tệp này."
MSG_CORRUPT = "Tệp Excel bị hỏng, không đọc được: {reason}"
MSG_NO_PROPS = (
    "Tệp không phải là phụ lục tải từ baocao (không có thông tin biểu mẫu, kỳ, đơn vị); hãy tải tệp Excel "
    "của báo cáo rồi điền vào đó."
)
MSG_FOREIGN = "Tệp thuộc {what} “{theirs}”, không phải {what} “{ours}” của báo cáo này."
MSG_MISSING_ROW = "Thiếu dòng của chỉ tiêu {code} “{label}” (dòng đã bị xóa?); hãy tải lại tệp Excel mẫu."
MSG_UNKNOWN_ROW = "Dòng {row}: mã “{code}” không có trong biểu mẫu; không sửa cột mã (cột ẩn F)."
MSG_DUPLICATE_ROW = "Dòng {row}: chỉ tiêu {code} xuất hiện hai lần."
MSG_CELL = "Ô {cell} (dòng {row}, cột {column} “Số liệu”, chỉ tiêu {code}): {reason}"
MSG_FORMULA = "có công thức “{formula}”; hãy ghi số"
MSG_NOT_TEXT = "không đọc được giá trị “{value}”"

WHAT = {"definition": "biểu mẫu", "version": "phiên bản biểu mẫu", "round": "kỳ báo cáo", "unit": "đơn vị"}


class SheetUnreadable(ValueError):
    """The file cannot be opened as an appendix sheet at all (exit code 2)."""


class SheetRefused(ValueError):
    """The sheet was read but does not belong to this report, or its rows were changed (exit code 1)."""


@dataclass
class XlsxImport:
    preview: ImportPreview
    values: dict[str, str]  # the changed cells only, as raw text
    problems: list[str] = field(default_factory=list)  # cells that cannot be read, by row and column


def xlsx_preview(report: Report, data: bytes) -> XlsxImport:
    """What importing ``data`` would change; nothing is written."""
    definition = definition_of(report.round)
    workbook = _open(data)
    _check_belongs(workbook, report, definition)
    read, problems = _read_values(workbook, definition)
    values = _changed(definition, report.raw_values(), read)
    preview = services.import_preview(report, values)
    return XlsxImport(preview, values, problems + preview.problems)


def xlsx_apply(*, report: Report, user: User, data: bytes, origin: str) -> XlsxImport:
    """Apply the sheet as one audited change; refused whole when a cell cannot be read."""
    result = xlsx_preview(report, data)
    if result.problems:
        raise SheetRefused("Không nhập được: " + "; ".join(result.problems))
    try:
        preview = services.report_import(report=report, user=user, values=result.values, origin=origin)
    except WorkflowError as error:
        raise SheetRefused(str(error)) from None
    return XlsxImport(preview, result.values)


def _size(count: int) -> str:
    return f"{count / 1024 / 1024:.1f} MB".replace(".", ",")


def _open(data: bytes) -> Any:
    if not data:
        raise SheetUnreadable(MSG_EMPTY)
    if len(data) > MAX_FILE_BYTES:
        raise SheetUnreadable(MSG_TOO_BIG.format(size=_size(len(data)), limit=_size(MAX_FILE_BYTES)))
    if data[:4] == b"\xd0\xcf\x11\xe0":  # an OLE container: an encrypted .xlsx or an old .xls
        raise SheetUnreadable(MSG_ENCRYPTED)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SheetUnreadable(MSG_NOT_XLSX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise SheetUnreadable(MSG_CORRUPT.format(reason=error)) from None
    unpacked = sum(member.file_size for member in members)
    ratio = max((m.file_size / max(m.compress_size, 1) for m in members), default=0)
    if unpacked > MAX_UNPACKED_BYTES or ratio > MAX_RATIO:
        raise SheetUnreadable(MSG_BOMB.format(limit=_size(MAX_UNPACKED_BYTES)))
    if "xl/workbook.xml" not in {member.filename for member in members}:
        raise SheetUnreadable(MSG_NOT_XLSX)
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), data_only=False)
    except Exception as error:  # openpyxl raises many kinds (KeyError, XML, zip errors) for a broken file
        raise SheetUnreadable(MSG_CORRUPT.format(reason=str(error)[:200] or type(error).__name__)) from None


def _check_belongs(workbook: Any, report: Report, definition: Definition) -> None:
    props = {prop.name: prop.value for prop in workbook.custom_doc_props}
    if PROP_DEFINITION not in props:
        raise SheetRefused(MSG_NO_PROPS)
    expected = (
        ("definition", props.get(PROP_DEFINITION), definition.code),
        ("version", props.get(PROP_VERSION), report.round.definition_version),
        ("round", props.get(PROP_ROUND), report.round.code),
        ("unit", props.get(PROP_UNIT), report.unit.code),
    )
    for what, theirs, ours in expected:
        if str(theirs) != str(ours):
            raise SheetRefused(MSG_FOREIGN.format(what=WHAT[what], theirs=theirs, ours=ours))


def _read_values(workbook: Any, definition: Definition) -> tuple[dict[str, str], list[str]]:
    sheet = workbook[SHEET_TITLE] if SHEET_TITLE in workbook.sheetnames else workbook.worksheets[0]
    inputs = {item.code: item for item in definition.appendix_items if item.is_input}
    known = {item.code for item in definition.appendix_items}
    seen: set[str] = set()
    values: dict[str, str] = {}
    problems: list[str] = []
    for number, row in enumerate(
        sheet.iter_rows(min_row=FIRST_ROW, max_col=CODE_COLUMN, values_only=True), start=FIRST_ROW
    ):
        code = row[CODE_COLUMN - 1]
        if code is None or str(code).strip() == "":
            continue
        code = str(code).strip()
        if code not in known:
            raise SheetRefused(MSG_UNKNOWN_ROW.format(row=number, code=code))
        if code in seen:
            raise SheetRefused(MSG_DUPLICATE_ROW.format(row=number, code=code))
        seen.add(code)
        if code not in inputs:
            continue
        try:
            values[code] = _raw(inputs[code], row[VALUE_COLUMN - 1])
        except NumberFormatError as error:
            column = "D"
            problems.append(
                MSG_CELL.format(cell=f"{column}{number}", row=number, column=column, code=code, reason=error)
            )
    missing = [item for item in definition.appendix_items if item.code not in seen]
    if missing:
        raise SheetRefused(MSG_MISSING_ROW.format(code=missing[0].code, label=missing[0].label))
    return values, problems


def _raw(item: Any, cell: object) -> str:
    """A cell as the text a clerk would type ("6,06", "12", "Có"), checked with the core's parsers."""
    if cell is None:
        return ""
    if isinstance(cell, str) and cell.startswith("="):
        raise NumberFormatError(MSG_FORMULA.format(formula=cell))
    if isinstance(cell, bool):
        raw = "Có" if cell else "Không"
    elif isinstance(cell, int | float):
        number = Decimal(repr(cell)) if isinstance(cell, float) else Decimal(cell)
        if number == number.to_integral_value():
            number = number.to_integral_value()
        raw = format(number, "f").replace(".", ",")
    elif isinstance(cell, str):
        raw = cell.strip()
    else:
        raise NumberFormatError(MSG_NOT_TEXT.format(value=cell))
    parse_input(item, raw)  # raises NumberFormatError with the core's Vietnamese reason
    return raw


def _changed(definition: Definition, stored: dict[str, str], read: dict[str, str]) -> dict[str, str]:
    """Only cells whose value differs: "02" stored and 2 in the sheet is no change."""
    changed = {}
    for code, raw in read.items():
        old = stored.get(code, "")
        if old == raw:
            continue
        item = definition.by_code[code]
        try:
            same = parse_input(item, old)[0] == parse_input(item, raw)[0]
        except NumberFormatError:
            same = False
        if not same:
            changed[code] = raw
    return changed
