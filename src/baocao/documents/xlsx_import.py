"""An appendix sheet brought back from Excel: checked, read cell by cell, previewed, then applied once.

The file is untrusted: its size, its zip container and what it would expand to are checked before openpyxl
sees it; a sheet of another definition, version, round or unit is refused with the reason; a cell that cannot
be read is reported by its row and column, and then nothing is written.
"""

from __future__ import annotations

import io
import math
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from baocao.core.evaluate import parse_input
from baocao.core.labels import plain_label
from baocao.core.numbers import NumberFormatError, format_number
from baocao.core.spreadsheet import spreadsheet_formula
from baocao.documents.sheet import (
    BASE_COLUMN,
    CODE_COLUMN,
    FIRST_ROW,
    HEAD_ROW,
    NOTE_BASE_COLUMN,
    NOTE_COLUMN,
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
    "MSG_TOO_BIG",
    "ServerChange",
    "SheetRefused",
    "SheetUnreadable",
    "XlsxImport",
    "check_size",
    "xlsx_apply",
    "xlsx_preview",
]

MAX_FILE_BYTES = 5 * 1024 * 1024  # a filled appendix is about 15 kB
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 200  # an honest sheet's XML compresses about 10:1; a zip bomb a thousandfold

MSG_EMPTY = "Tệp rỗng."
MSG_TOO_BIG = "Tệp quá lớn ({size}); tệp phụ lục chỉ vài chục KB, giới hạn là {limit}."
MSG_OVERWRITTEN = (
    "Ô {cell} (chỉ tiêu {code}) là ô tự tính nhưng đã bị ghi đè bằng “{value}”: hệ thống luôn tự tính ô này, "
    "giá trị ghi đè không được nhập."
)
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
MSG_MERGED = "nằm trong vùng gộp ô {range}; hãy bỏ gộp ô (Merge) và ghi lại số liệu của từng ô"
MSG_NOTE = (
    "Ô {cell} (chỉ tiêu {code}): ghi chú đã sửa trong tệp (“{note}”) không được nhập từ Excel; "
    "hãy sửa ghi chú trên trang nhập liệu."
)
MSG_NOTE_CLEARED = (
    "Ô {cell} (chỉ tiêu {code}): ghi chú đã xóa trong tệp nhưng không được xóa theo; "
    "nếu cần, xóa ghi chú trên trang nhập liệu."
)

WHAT = {"definition": "biểu mẫu", "version": "phiên bản biểu mẫu", "round": "kỳ báo cáo", "unit": "đơn vị"}


class SheetUnreadable(ValueError):
    """The file cannot be opened as an appendix sheet at all (exit code 2)."""


class SheetRefused(ValueError):
    """The sheet was read but does not belong to this report, or its rows were changed (exit code 1)."""


@dataclass(frozen=True)
class ServerChange:
    """A cell changed on the server after the sheet was downloaded: the server's value is kept."""

    code: str
    downloaded: str  # as the sheet was downloaded
    now: str  # on the server now, kept
    sheet: str  # in the sheet; differs from ``downloaded`` when the clerk also changed it (a conflict)

    @property
    def conflict(self) -> bool:
        return self.sheet != self.downloaded


@dataclass
class XlsxImport:
    preview: ImportPreview
    values: dict[str, str]  # the changed cells only, as raw text
    problems: list[str] = field(default_factory=list)  # cells that cannot be read, by row and column
    notices: list[str] = field(default_factory=list)  # computed cells typed over: reported, not imported
    server_changes: list[ServerChange] = field(default_factory=list)


@dataclass
class _SheetRead:
    values: dict[str, str] = field(default_factory=dict)  # each input cell as raw text
    bases: dict[str, str] = field(default_factory=dict)  # as downloaded (the hidden column)
    problems: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    notes: dict[str, tuple[int, str]] = field(default_factory=dict)  # code → (row, the note in the sheet)
    note_bases: dict[str, str] | None = None  # code → note as downloaded; None: an older sheet without them


def xlsx_preview(report: Report, data: bytes) -> XlsxImport:
    """What importing ``data`` would change; nothing is written."""
    definition = definition_of(report.round)
    props = _open(data)
    _check_belongs(props, report, definition)
    read = _read_values(_load(data), definition)
    stored = report.raw_values()
    values, server_changes = _three_way(definition, stored, read)
    preview = services.import_preview(report, values)
    notices = read.notices + _edited_notes(report, definition, read)
    return XlsxImport(preview, values, read.problems + preview.problems, notices, server_changes)


def xlsx_apply(*, report: Report, user: User, data: bytes, origin: str) -> XlsxImport:
    """Apply the sheet as one audited change; refused whole when a cell cannot be read."""
    result = xlsx_preview(report, data)
    if result.problems:
        raise SheetRefused("Không nhập được: " + "; ".join(result.problems))
    try:
        preview = services.report_import(report=report, user=user, values=result.values, origin=origin)
    except WorkflowError as error:
        raise SheetRefused(str(error)) from None
    return XlsxImport(preview, result.values, [], result.notices, result.server_changes)


def _size(count: int, *, up: bool = False) -> str:
    """ "4,7 MB", "5 MB", "512 KB" in Vietnamese decimals; ``up`` rounds up."""
    rounding = math.ceil if up else round
    if count < 1024 * 1024:
        return f"{format_number(Decimal(rounding(count / 1024)), 0)} KB"
    return f"{format_number(Decimal(rounding(count * 10 / (1024 * 1024))) / 10, 1)} MB"


def check_size(size: int) -> None:
    """Refuse a file above the limit, naming its real size (before reading all of it, where one can)."""
    if size > MAX_FILE_BYTES:
        limit = _size(MAX_FILE_BYTES)
        shown = _size(size)
        # A file a few bytes over the limit must not read as the limit itself.
        shown = _size(size, up=True) if shown == limit else shown
        raise SheetUnreadable(MSG_TOO_BIG.format(size=shown, limit=limit))


def _open(data: bytes) -> dict[str, str]:
    """The container checked and the workbook's custom properties read from its parts, before any sheet
    is parsed: a foreign workbook is refused for the cost of reading one small XML part."""
    if not data:
        raise SheetUnreadable(MSG_EMPTY)
    check_size(len(data))
    if data[:4] == b"\xd0\xcf\x11\xe0":  # an OLE container: an encrypted .xlsx or an old .xls
        raise SheetUnreadable(MSG_ENCRYPTED)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SheetUnreadable(MSG_NOT_XLSX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            _check_unpacked(members)
            names = {member.filename for member in members}
            if "xl/workbook.xml" not in names:
                raise SheetUnreadable(MSG_NOT_XLSX)
            if "docProps/custom.xml" not in names:
                raise SheetRefused(MSG_NO_PROPS)
            custom = archive.read("docProps/custom.xml")
    except (zipfile.BadZipFile, OSError) as error:
        raise SheetUnreadable(MSG_CORRUPT.format(reason=error)) from None
    return _custom_properties(custom)


def _check_unpacked(members: list[zipfile.ZipInfo]) -> None:
    unpacked = sum(member.file_size for member in members)
    ratio = max((m.file_size / max(m.compress_size, 1) for m in members), default=0)
    if unpacked > MAX_UNPACKED_BYTES or ratio > MAX_RATIO:
        raise SheetUnreadable(MSG_BOMB.format(limit=_size(MAX_UNPACKED_BYTES)))


def _custom_properties(xml: bytes) -> dict[str, str]:
    """name → value as text, whatever type the writer chose: Calc stores our integers as real numbers."""
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as error:
        raise SheetUnreadable(MSG_CORRUPT.format(reason=error)) from None
    props = {}
    for prop in root:
        name = prop.get("name")
        if name is not None and len(prop):
            props[name] = (prop[0].text or "").strip()
    return props


def _load(data: bytes) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds (KeyError, XML, zip errors) for a broken file
        raise SheetUnreadable(MSG_CORRUPT.format(reason=str(error)[:200] or type(error).__name__)) from None


def _same(theirs: str | None, ours: object) -> bool:
    """ "1", "1.0" and "1,0" are the version 1: a spreadsheet may have rewritten the number."""
    if theirs is None:
        return False
    if isinstance(ours, int):
        try:
            return Decimal(theirs.replace(",", ".")) == ours
        except ArithmeticError:
            return False
    return theirs == str(ours)


def _check_belongs(props: dict[str, str], report: Report, definition: Definition) -> None:
    if PROP_DEFINITION not in props:
        raise SheetRefused(MSG_NO_PROPS)
    expected = (
        ("definition", props.get(PROP_DEFINITION), definition.code),
        ("version", props.get(PROP_VERSION), report.round.definition_version),
        ("round", props.get(PROP_ROUND), report.round.code),
        ("unit", props.get(PROP_UNIT), report.unit.code),
    )
    for what, theirs, ours in expected:
        if not _same(theirs, ours):
            raise SheetRefused(MSG_FOREIGN.format(what=WHAT[what], theirs=theirs, ours=ours))


def _read_values(workbook: Any, definition: Definition) -> _SheetRead:
    sheet = workbook[SHEET_TITLE] if SHEET_TITLE in workbook.sheetnames else workbook.worksheets[0]
    codes = _codes(sheet, definition)
    inputs = {item.code: item for item in definition.appendix_items if item.is_input}
    rows_of = {code: number for number, code in codes}
    read = _SheetRead()
    if _cell_text(
        next(sheet.iter_rows(min_row=HEAD_ROW, max_row=HEAD_ROW, values_only=True), ()), NOTE_BASE_COLUMN
    ):
        read.note_bases = {}
    merged = _merged_values(sheet)
    rows = sheet.iter_rows(min_row=FIRST_ROW, max_col=NOTE_BASE_COLUMN)
    for number, cells in enumerate(rows, start=FIRST_ROW):
        code = _code(cells)
        if code is None:
            continue
        _read_note(read, code, number, cells)
        cell = cells[VALUE_COLUMN - 1]
        if code not in inputs:
            _check_computed(definition, code, cell, number, rows_of, read)
            continue
        base = cells[BASE_COLUMN - 1].value if len(cells) >= BASE_COLUMN else None
        if base is not None:
            read.bases[code] = str(base)
        try:
            if number in merged:
                raise NumberFormatError(MSG_MERGED.format(range=merged[number]))
            read.values[code] = _raw(inputs[code], cell)
        except NumberFormatError as error:
            read.problems.append(
                MSG_CELL.format(cell=f"D{number}", row=number, column="D", code=code, reason=error)
            )
    workbook.close()
    return read


def _cell_text(cells: Any, column: int) -> str:
    """A cell of a row (values or cells) as text; blank when the row is shorter."""
    if len(cells) < column:
        return ""
    value = cells[column - 1]
    value = getattr(value, "value", value)
    return "" if value is None else str(value)


def _read_note(read: _SheetRead, code: str, number: int, cells: Any) -> None:
    read.notes[code] = (number, _cell_text(cells, NOTE_COLUMN))
    if read.note_bases is not None:
        read.note_bases[code] = _cell_text(cells, NOTE_BASE_COLUMN)


def _merged_values(sheet: Any) -> dict[int, str]:
    """Rows whose value cell lies inside a merged range without being its first cell (the value a spreadsheet
    keeps): row → the range. Read-only sheets do not expose merges, so the sheet's XML is scanned for them."""
    from openpyxl.utils.cell import range_boundaries

    hidden: dict[int, str] = {}
    source = sheet._get_source()  # the worksheet part; openpyxl's read-only sheet keeps its merges to itself
    try:
        for _, element in ElementTree.iterparse(source):
            if not element.tag.endswith("}mergeCell") or not element.get("ref"):
                continue
            ref = str(element.get("ref"))
            first_col, first_row, last_col, last_row = range_boundaries(ref)
            if first_col <= VALUE_COLUMN <= last_col:
                for row in range(max(first_row, FIRST_ROW), last_row + 1):
                    if (row, VALUE_COLUMN) != (first_row, first_col):
                        hidden[row] = ref
    except ElementTree.ParseError as error:
        raise SheetUnreadable(MSG_CORRUPT.format(reason=error)) from None
    finally:
        source.close()
    return hidden


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _edited_notes(report: Report, definition: Definition, read: _SheetRead) -> list[str]:
    """Notes typed in the sheet: they are kept on the web page and not imported, so each edited one is named
    (a note changed on the web since the download, left alone in the sheet, is no edit)."""
    stored = dict(report.values.exclude(note="").values_list("code", "note"))
    notices = []
    for code, (number, note) in read.notes.items():
        if read.note_bases is not None:
            base = read.note_bases.get(code, "")
        else:
            base = stored.get(code, definition.by_code[code].note)
        if _one_line(note) == _one_line(base):
            continue
        template = MSG_NOTE if note.strip() else MSG_NOTE_CLEARED
        notices.append(template.format(cell=f"E{number}", code=code, note=_one_line(note)))
    return notices


def _code(cells: Any) -> str | None:
    if len(cells) < CODE_COLUMN:
        return None
    code = cells[CODE_COLUMN - 1].value
    return None if code is None or str(code).strip() == "" else str(code).strip()


def _codes(sheet: Any, definition: Definition) -> list[tuple[int, str]]:
    """(row, code) of every appendix row; a sheet whose rows were deleted, renamed or doubled is refused."""
    known = {item.code for item in definition.appendix_items}
    found: dict[str, int] = {}
    for number, row in enumerate(
        sheet.iter_rows(min_row=FIRST_ROW, min_col=CODE_COLUMN, max_col=CODE_COLUMN, values_only=True),
        start=FIRST_ROW,
    ):
        if not row or row[0] is None or not str(row[0]).strip():
            continue
        code = str(row[0]).strip()
        if code not in known:
            raise SheetRefused(MSG_UNKNOWN_ROW.format(row=number, code=code))
        if code in found:
            raise SheetRefused(MSG_DUPLICATE_ROW.format(row=number, code=code))
        found[code] = number
    missing = [item for item in definition.appendix_items if item.code not in found]
    if missing:
        raise SheetRefused(MSG_MISSING_ROW.format(code=missing[0].code, label=plain_label(missing[0].label)))
    return [(number, code) for code, number in found.items()]


def _check_computed(
    definition: Definition, code: str, cell: Any, number: int, rows_of: dict[str, int], read: _SheetRead
) -> None:
    """A computed cell the exporter wrote as a formula but that now holds a typed value: say so."""
    item = definition.by_code[code]
    if not item.formula or cell.data_type == "f" or cell.value is None:
        return
    cell_of = lambda ref: f"D{rows_of[ref]}" if ref in rows_of else None  # noqa: E731
    translated = spreadsheet_formula(item.formula, cell_of)
    if translated is not None and translated[1]:
        read.notices.append(MSG_OVERWRITTEN.format(cell=f"D{number}", code=code, value=cell.value))


def _raw(item: Any, cell: Any) -> str:
    """A cell as the text a clerk would type ("6,06", "12", "Có"), checked with the core's parsers."""
    value = cell.value
    if value is None:
        return ""
    if cell.data_type == "f":
        raise NumberFormatError(MSG_FORMULA.format(formula=value))
    if isinstance(value, bool):
        raw = "Có" if value else "Không"
    elif isinstance(value, int | float):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if number == number.to_integral_value():
            number = number.to_integral_value()
        raw = format(number, "f").replace(".", ",")
    elif isinstance(value, str):
        raw = value.strip()
    else:
        raise NumberFormatError(MSG_NOT_TEXT.format(value=value))
    parse_input(item, raw)  # raises NumberFormatError with the core's Vietnamese reason
    return raw


def _equal(definition: Definition, code: str, a: str, b: str) -> bool:
    """ "02" and "2" are one value."""
    if a == b:
        return True
    item = definition.by_code[code]
    try:
        return bool(parse_input(item, a)[0] == parse_input(item, b)[0])
    except NumberFormatError:
        return False


def _three_way(
    definition: Definition, stored: dict[str, str], read: _SheetRead
) -> tuple[dict[str, str], list[ServerChange]]:
    """The cells to import and the cells changed on the server since the download.

    A cell the clerk left as downloaded never overwrites the server; a cell changed on both sides keeps
    the server's value and is listed as a conflict. A sheet without a base (older exports) compares with
    the server only."""
    changed: dict[str, str] = {}
    server_changes: list[ServerChange] = []
    for code, raw in read.values.items():
        now = stored.get(code, "")
        base = read.bases.get(code, now if code not in read.bases and not read.bases else "")
        server_moved = not _equal(definition, code, base, now)
        sheet_moved = not _equal(definition, code, base, raw)
        if server_moved:
            if not _equal(definition, code, now, raw):
                server_changes.append(ServerChange(code, base, now, raw))
            continue
        if sheet_moved:
            changed[code] = raw
    return changed, server_changes
