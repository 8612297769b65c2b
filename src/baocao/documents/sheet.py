"""Where things are in the appendix sheet: shared by the exporter and the importer (no openpyxl here)."""

from __future__ import annotations

SHEET_TITLE = "Phụ lục"
# The seed's heading says which reports the appendix serves: Word and Excel keep it under "Chỉ tiêu thống kê".
HEAD_QUALIFIER = "(Sử dụng trong kỳ báo cáo hàng quý, 6 tháng, năm)"
HEADINGS = ("STT", f"Chỉ tiêu thống kê {HEAD_QUALIFIER}", "Đơn vị tính", "Số liệu", "Ghi chú", "Mã")
WIDTHS = (8, 70, 14, 16, 24, 12)
VALUE_COLUMN, NOTE_COLUMN, CODE_COLUMN = 4, 5, 6
# Hidden: each input as the report held it when the sheet was downloaded, the base of a three-way import.
BASE_COLUMN = 7
# Hidden: each note as downloaded, under a heading that marks the sheets which have it (older ones do not), so
# that the import can tell a note edited in the sheet from one changed on the web since.
NOTE_BASE_COLUMN = 8
NOTE_BASE_HEADING = "Ghi chú lúc tải"
HEAD_ROW = 5
FIRST_ROW = HEAD_ROW + 2  # two header rows, as on the paper form
PROP_DEFINITION, PROP_VERSION, PROP_ROUND, PROP_UNIT, PROP_REPORT_VERSION = (
    "baocao_definition",
    "baocao_definition_version",
    "baocao_round",
    "baocao_unit",
    "baocao_report_version",
)
