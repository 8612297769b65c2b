"""A report form as an Excel workbook, the way XLSForm writes ODK forms: one sheet per part of the definition.

This module holds the layout both directions share (sheet names, column headers, the Vietnamese words for
each choice) and writes a ``DefinitionSpec`` as a workbook; ``form_import`` reads one back. Export followed
by import gives the identical definition.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from baocao.core.schema import DefinitionSpec, ItemSpec, NarrativeSection
from baocao.core.spreadsheet import write_text

__all__ = [
    "CHOICES",
    "ITEM_COLUMNS",
    "MAPPING_COLUMNS",
    "NARRATIVE_CLOSING",
    "NARRATIVE_COLUMNS",
    "NARRATIVE_OPENING",
    "RULE_COLUMNS",
    "SCALE_COLUMNS",
    "SETTINGS",
    "SHEET_HELP",
    "SHEET_ITEMS",
    "SHEET_MAPPING",
    "SHEET_NARRATIVE",
    "SHEET_RULES",
    "SHEET_SCALES",
    "SHEET_SETTINGS",
    "Column",
    "derived_parents",
    "flat",
    "nest",
    "write_workbook",
]

SHEET_HELP = "Hướng dẫn"
SHEET_SETTINGS = "Thông tin chung"
SHEET_ITEMS = "Chỉ tiêu"
SHEET_RULES = "Quy tắc"
SHEET_NARRATIVE = "Đề cương"
SHEET_SCALES = "Thang xếp loại"
SHEET_MAPPING = "Chuyển mã"
NARRATIVE_OPENING, NARRATIVE_CLOSING = "Mở đầu", "Kết thúc"

# Each choice as the officer writes it; the English value (as in the YAML files) is accepted too.
CHOICES: dict[str, dict[str, str]] = {
    "type": {
        "group": "nhóm",
        "count": "số đếm",
        "decimal": "số thập phân",
        "percent": "phần trăm nhập tay",
        "ratio": "tỷ lệ tính",
        "yesno": "có/không",
        "text": "chữ",
        "count_share": "số đếm kèm tỷ lệ",
    },
    "over_time": {"flow": "phát sinh trong kỳ", "stock": "thời điểm", "ytd": "lũy kế"},
    "rollup": {
        "sum": "cộng",
        "ratio": "tính lại tỷ lệ",
        "count_yes": "đếm đơn vị có",
        "list": "liệt kê",
        "none": "không tổng hợp",
    },
    "level": {"commune": "xã", "district": "huyện", "province": "tỉnh"},
    "periods": {
        "quarter": "quý",
        "half_year": "6 tháng",
        "nine_months": "9 tháng",
        "year": "năm",
        "thematic": "chuyên đề",
        "ad_hoc": "đột xuất",
    },
    "severity": {"error": "lỗi", "warning": "cảnh báo"},
    "blank": {"skip": "bỏ qua", "zero": "tính là 0"},
    "op": {
        "==": "bằng",
        "!=": "khác",
        "<": "<",
        "<=": "<=",
        ">": ">",
        ">=": ">=",
        "requires": "kéo theo",
        "excludes": "loại trừ",
    },
    "kind": {"rename": "đổi mã", "split": "tách", "merge": "gộp"},
}
YES, NO = "có", "không"


@dataclass(frozen=True)
class Column:
    field: str  # the field of the spec ("code", "style.bold", "parent" for the derived parent)
    header: str
    kind: str = "text"  # text, code, int, decimal, bool, choice
    required: bool = False
    width: int = 14


ITEM_COLUMNS = (
    Column("code", "Mã", "code", required=True, width=12),
    Column("stt", "STT", width=8),
    Column("label", "Chỉ tiêu", required=True, width=60),
    Column("unit", "Đơn vị tính", width=12),
    Column("type", "Kiểu", "choice", required=True, width=18),
    Column("formula", "Công thức", width=30),
    Column("share_of", "Tỷ lệ trên mã", "code"),
    Column("decimals", "Số chữ số thập phân", "int"),
    Column("share_decimals", "Số chữ số thập phân của tỷ lệ", "int"),
    Column("required", "Bắt buộc", "bool", width=10),
    Column("over_time", "Theo thời gian", "choice", width=18),
    Column("rollup", "Tổng hợp lên cấp trên", "choice", width=18),
    Column("in_appendix", "In trong phụ lục", "bool", width=10),
    Column("style.bold", "In đậm", "bool", width=8),
    Column("style.italic", "In nghiêng", "bool", width=8),
    Column("style.indent", "Thụt lề", "int", width=8),
    Column("plausible.min", "Giá trị hợp lý từ", "decimal", width=10),
    Column("plausible.max", "Giá trị hợp lý đến", "decimal", width=10),
    Column("compare_previous", "So với kỳ trước", "bool", width=10),
    Column("parent", "Dòng cha", "code", width=10),
    Column("note", "Ghi chú, hướng dẫn", width=40),
)
RULE_COLUMNS = (
    Column("code", "Mã quy tắc", required=True, width=16),
    Column("left", "Vế trái", required=True, width=30),
    Column("op", "Phép so sánh", "choice", required=True, width=12),
    Column("right", "Vế phải", required=True, width=30),
    Column("severity", "Mức độ", "choice", required=True, width=10),
    Column("message", "Thông báo", required=True, width=70),
    Column("blank", "Ô trống", "choice", width=10),
    Column("tolerance", "Sai số cho phép", "decimal", width=10),
)
NARRATIVE_COLUMNS = (
    Column("code", "Mục", width=10),
    Column("title", "Tiêu đề", width=50),
    Column("paragraph", "Đoạn văn", width=100),
)
SCALE_COLUMNS = (
    Column("scale", "Thang", required=True, width=12),
    Column("min", "Từ điểm", "decimal", required=True, width=10),
    Column("label", "Xếp loại", required=True, width=20),
)
MAPPING_COLUMNS = (
    Column("old", "Mã cũ", "code", required=True, width=12),
    Column("new", "Mã mới", "code", required=True, width=12),
    Column("kind", "Kiểu", "choice", required=True, width=12),
    Column("note", "Ghi chú", width=50),
)
# The settings sheet: one property a row, its name in column A and its value in column B.
SETTINGS = (
    Column("code", "Mã biểu mẫu", required=True),
    Column("version", "Phiên bản", "int", required=True),
    Column("title", "Tên biểu mẫu", required=True),
    Column("subject", "Trích yếu báo cáo", required=True),
    Column("issuing_body", "Cơ quan báo cáo", required=True),
    Column("level", "Cấp báo cáo", "choice", required=True),
    Column("periods", "Kỳ báo cáo", "choice", required=True),
    Column("appendix_name", "Tên phụ lục"),
    Column("appendix_title", "Tiêu đề phụ lục", required=True),
    Column("appendix_landscape", "Phụ lục khổ ngang", "bool"),
    Column("source", "Nguồn, căn cứ"),
    Column("previous_period.factor", "Cảnh báo khi số liệu gấp kỳ trước (lần)", "decimal"),
    Column("previous_period.min_difference", "… và chênh lệch ít nhất", "decimal"),
)
# Columns named "part.field" hold a field of a nested part of the spec (an item's style, its bounds).
NESTED = ("style", "plausible", "previous_period")

HELP_LINES = (
    "Biểu mẫu báo cáo viết trên bảng tính: mỗi trang tính là một phần của biểu mẫu.",
    f"“{SHEET_SETTINGS}”: mã, phiên bản, tên, cấp, kỳ báo cáo, nguồn (văn bản hướng dẫn).",
    f"“{SHEET_ITEMS}”: mỗi dòng một chỉ tiêu của phụ lục số liệu, đúng thứ tự in.",
    f"“{SHEET_RULES}”: các quy tắc kiểm tra số liệu (vế trái, phép so sánh, vế phải, mức độ, thông báo).",
    f"“{SHEET_NARRATIVE}”: đề cương phần lời (mục, tiêu đề, đoạn văn mẫu có chỗ điền {{mã}}).",
    f"“{SHEET_SCALES}”: thang xếp loại theo điểm (nếu có).",
    f"“{SHEET_MAPPING}”: dòng của phiên bản trước đổi mã, tách hoặc gộp thành dòng nào.",
    "Cột mã định dạng Văn bản (Text): gõ 1.2.1 chứ không để Excel đổi thành số.",
    "Không đổi tên trang tính và tiêu đề cột. Không dùng macro: tệp phải là .xlsx.",
)


def spec_value(column: Column, value: Any) -> Any:
    """A spec value as the cell shows it."""
    if value is None:
        return None
    if column.kind == "bool":
        return YES if value else NO
    if column.kind == "choice":
        words = CHOICES[column.field]
        if isinstance(value, list):
            return ", ".join(words[v] for v in value)
        return words[value]
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def flat(model: BaseModel) -> dict[str, Any]:
    """A spec's fields as the sheet's columns name them: a nested part's fields as "part.field"."""
    row: dict[str, Any] = model.model_dump(mode="python", exclude=set(NESTED))
    for part in NESTED:
        nested = getattr(model, part, None)
        if nested is not None:
            row.update({f"{part}.{key}": value for key, value in nested.model_dump().items()})
    return row


def nest(values: dict[str, Any]) -> dict[str, Any]:
    """The reverse of ``flat``: "part.field" columns gathered into the part (left out when all blank)."""
    nested: dict[str, Any] = {}
    for key in list(values):
        part, dot, name = key.partition(".")
        if dot and part in NESTED:
            value = values.pop(key)
            if value is not None:
                nested.setdefault(part, {})[name] = value
    return {**values, **nested}


def _item_row(item: ItemSpec, parent: str | None) -> dict[str, Any]:
    row = flat(item)
    row["parent"] = parent
    return row


def _narrative_rows(spec: DefinitionSpec) -> Iterator[dict[str, Any]]:
    def paragraphs(code: str, title: str, texts: list[str]) -> Iterator[dict[str, Any]]:
        yield {"code": code, "title": title}
        for text in texts:
            yield {"paragraph": text}

    yield from paragraphs(NARRATIVE_OPENING, "", spec.opening)

    def walk(sections: list[NarrativeSection]) -> Iterator[dict[str, Any]]:
        for section in sections:
            yield from paragraphs(section.code, section.title, section.paragraphs)
            yield from walk(section.sections)

    yield from walk(spec.narrative)
    yield from paragraphs(NARRATIVE_CLOSING, "", spec.closing)


def derived_parents(codes: list[str]) -> dict[str, str | None]:
    """The row each row belongs to, from the codes alone: "1.2.1" under "1.2" when "1.2" comes before it."""
    seen: set[str] = set()
    parents: dict[str, str | None] = {}
    for code in codes:
        parent = code.rsplit(".", 1)[0] if "." in code and not code.startswith("N.") else None
        parents[code] = parent if parent in seen else None
        seen.add(code)
    return parents


def write_workbook(spec: DefinitionSpec) -> bytes:
    """The definition as an .xlsx workbook (bytes)."""
    from openpyxl import Workbook

    workbook = Workbook()
    help_sheet = workbook.active
    help_sheet.title = SHEET_HELP
    help_sheet.column_dimensions["A"].width = 110
    for line in HELP_LINES:
        help_sheet.append([line])
    _settings_sheet(workbook.create_sheet(SHEET_SETTINGS), spec)
    parents = derived_parents([item.code for item in spec.items])
    items = [_item_row(item, parents[item.code]) for item in spec.items]
    _table(workbook.create_sheet(SHEET_ITEMS), ITEM_COLUMNS, items)
    rules = [rule.model_dump(mode="python") for rule in spec.rules]
    _table(workbook.create_sheet(SHEET_RULES), RULE_COLUMNS, rules)
    _table(workbook.create_sheet(SHEET_NARRATIVE), NARRATIVE_COLUMNS, list(_narrative_rows(spec)))
    scales = [
        {"scale": name, "min": band.min, "label": band.label}
        for name, bands in spec.scales.items()
        for band in bands
    ]
    _table(workbook.create_sheet(SHEET_SCALES), SCALE_COLUMNS, scales)
    mapping = [entry.model_dump(mode="python") for entry in spec.mapping]
    _table(workbook.create_sheet(SHEET_MAPPING), MAPPING_COLUMNS, mapping)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _settings_sheet(sheet: Any, spec: DefinitionSpec) -> None:
    sheet.append(["Thuộc tính", "Giá trị"])
    settings = flat(spec)
    for column in SETTINGS:
        _set(sheet.cell(row=sheet.max_row + 1, column=1), column.header)
        _set(sheet.cell(row=sheet.max_row, column=2), spec_value(column, settings.get(column.field)))
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 100
    _bold_header(sheet)


def _table(sheet: Any, columns: tuple[Column, ...], rows: list[dict[str, Any]]) -> None:
    from openpyxl.utils import get_column_letter

    sheet.append([column.header for column in columns])
    for number, row in enumerate(rows, start=2):
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(row=number, column=index)
            _set(cell, spec_value(column, row.get(column.field)))
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.kind == "code" or column.field in ("stt", "formula"):
            # Text format, so that a code typed later stays "1.10" instead of becoming the number 1.1.
            for cells in sheet.iter_rows(
                min_row=2, max_row=max(len(rows) + 1, 200), min_col=index, max_col=index
            ):
                cells[0].number_format = "@"
        if column.kind in ("choice", "bool"):
            _choice_list(sheet, letter, column)
    sheet.freeze_panes = "B2"
    _bold_header(sheet)


def _choice_list(sheet: Any, letter: str, column: Column) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    words = [YES, NO] if column.kind == "bool" else list(CHOICES[column.field].values())
    listing = ",".join(words)
    if len(listing) > 250:
        return
    validation = DataValidation(
        type="list", formula1=f'"{listing}"', allow_blank=True, showErrorMessage=False
    )
    validation.add(f"{letter}2:{letter}1000")
    sheet.add_data_validation(validation)


def _bold_header(sheet: Any) -> None:
    from openpyxl.styles import Font

    for cell in sheet[1]:
        cell.font = Font(bold=True)


def _set(cell: Any, value: Any) -> None:
    if isinstance(value, str):
        write_text(cell, value)  # text that starts with "=" is text, not an Excel formula
    else:
        cell.value = value
