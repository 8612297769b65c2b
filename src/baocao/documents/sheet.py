"""Where things are in the appendix sheet: shared by the exporter and the importer (no openpyxl here)."""

from __future__ import annotations

SHEET_TITLE = "Phụ lục"
HEADINGS = ("STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú", "Mã")
WIDTHS = (8, 70, 14, 16, 24, 12)
VALUE_COLUMN, NOTE_COLUMN, CODE_COLUMN = 4, 5, 6
HEAD_ROW = 5
FIRST_ROW = HEAD_ROW + 2  # two header rows, as on the paper form
PROP_DEFINITION, PROP_VERSION, PROP_ROUND, PROP_UNIT = (
    "baocao_definition",
    "baocao_definition_version",
    "baocao_round",
    "baocao_unit",
)
