"""Read a report form written as a workbook (see ``form_workbook``) and compile it, listing every problem.

A form file is untrusted: its size, its zip container and what it would expand to are checked before
openpyxl (which parses XML through defusedxml) sees it; a macro-enabled workbook is refused, nothing in it is
executed and Excel formulas are not evaluated. Every problem names its sheet, row and column, and all of them
are reported at once, so that an officer fixes the file in one pass.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from baocao.core.definition import Definition, DefinitionError, Problem, compile_definition
from baocao.core.form_cells import CellProblem, Row, Table, read_settings, read_table
from baocao.core.form_workbook import (
    ITEM_COLUMNS,
    MAPPING_COLUMNS,
    NARRATIVE_CLOSING,
    NARRATIVE_COLUMNS,
    NARRATIVE_OPENING,
    RULE_COLUMNS,
    SCALE_COLUMNS,
    SETTINGS,
    SHEET_ITEMS,
    SHEET_MAPPING,
    SHEET_NARRATIVE,
    SHEET_RULES,
    SHEET_SCALES,
    SHEET_SETTINGS,
    derived_parents,
    nest,
)
from baocao.core.schema import BandSpec, CodeMapping, DefinitionSpec, ItemSpec, RuleSpec

__all__ = ["MAX_FILE_BYTES", "CellProblem", "WorkbookError", "import_workbook", "read_workbook"]

MAX_FILE_BYTES = 5 * 1024 * 1024  # a 300-row form is about 40 kB
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 200

MSG_EMPTY = "Tệp rỗng."
MSG_TOO_BIG = "Tệp quá lớn ({size} KB); giới hạn là {limit} KB."
MSG_OLE = "Tệp được đặt mật khẩu hoặc là tệp Excel cũ (.xls): hãy bỏ mật khẩu và lưu lại dưới dạng .xlsx."
MSG_NOT_XLSX = "Tệp không phải là tệp Excel (.xlsx)."
MSG_MACRO = "Tệp có macro (.xlsm): không nhận tệp có macro; hãy lưu lại dưới dạng .xlsx (Excel Workbook)."
MSG_BOMB = "Tệp nén bất thường (giải nén ra quá {limit} MB); không mở tệp này."
MSG_CORRUPT = "Tệp Excel bị hỏng, không đọc được: {reason}"
MSG_DUPLICATE = "mã “{code}” bị trùng với dòng {row}"
MSG_PARENT = "dòng cha ghi “{given}” nhưng theo mã thì dòng cha là “{derived}”"
MSG_NO_PARENT = "dòng cha ghi “{given}” nhưng theo mã thì dòng này không có dòng cha"
MSG_NO_ITEMS = "biểu mẫu chưa có chỉ tiêu nào"
MSG_MAPPING_OLD = "mã cũ “{code}” không có trong phiên bản {version} của biểu mẫu"
MSG_MAPPING_NEW = "mã mới “{code}” không có trong trang “{sheet}”"

# The schema's whole-row messages name YAML fields; in a workbook they name the column to fix.
_ROW_MESSAGES = {
    "phải có công thức": ("formula", "dòng “tỷ lệ tính” phải có công thức, ví dụ {1.2.2} / {1.2.1} * 100"),
    "không có công thức": (
        "formula",
        "chỉ dòng “tỷ lệ tính” hoặc “chữ” mới có công thức; xóa công thức hoặc đổi kiểu",
    ),
    "share_of": ("share_of", "cột “Tỷ lệ trên mã” dùng cho, và bắt buộc với, kiểu “số đếm kèm tỷ lệ”"),
    "over_time": (
        "over_time",
        "dòng nhập số phải ghi cột “Theo thời gian”: phát sinh trong kỳ, thời điểm hoặc lũy kế",
    ),
    "không có số liệu": ("type", "dòng “nhóm” không có số liệu: để trống Bắt buộc, Theo thời gian, Tổng hợp"),
}
MSG_MISSING_SETTING = "thiếu thuộc tính “{header}” (thêm một dòng: tên ở cột A, giá trị ở cột B)"
MSG_FORM_CODE = "mã biểu mẫu chỉ gồm chữ thường không dấu, số và dấu gạch ngang (ví dụ: cchc-xa-thai-nguyen)"

_ITEM_FIELDS = {"code": "code", "formula": "formula", "share_of": "share_of"}
_RULE_FIELDS = {"code": "code", "left": "left", "right": "right", "message": "message", "op": "op"}


class WorkbookError(ValueError):
    """A workbook that cannot become a form; ``problems`` lists every cell at fault."""

    def __init__(self, problems: list[CellProblem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = tuple(problems)


def import_workbook(
    data: bytes, *, source: str = "<workbook>", previous: Callable[[str], Definition | None] | None = None
) -> Definition:
    """The compiled form from a workbook's bytes; ``WorkbookError`` lists every problem. ``previous`` gives
    the version a new one follows, by code: the old codes of the mapping sheet must be among its rows."""
    workbook = _open(data)
    try:
        reader = _Reader(workbook)
        spec = reader.spec()
    finally:
        workbook.close()
    try:
        definition = compile_definition(spec, source=source)
    except DefinitionError as error:
        reader.problems += [reader.locate(problem) for problem in error.problems if reader.keeps(problem)]
        definition = None
    reader.problems += reader.mapping_problems(spec, previous(spec.code) if previous else None)
    if reader.problems or definition is None:
        raise WorkbookError(reader.problems or [CellProblem(SHEET_SETTINGS, None, None, "lỗi không rõ")])
    return definition


def read_workbook(data: bytes, *, source: str = "<workbook>") -> DefinitionSpec:
    return import_workbook(data, source=source).spec


def _open(data: bytes) -> Any:
    if not data:
        raise WorkbookError([CellProblem("", None, None, MSG_EMPTY)])
    if len(data) > MAX_FILE_BYTES:
        reason = MSG_TOO_BIG.format(size=len(data) // 1024, limit=MAX_FILE_BYTES // 1024)
        raise WorkbookError([CellProblem("", None, None, reason)])
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise WorkbookError([CellProblem("", None, None, MSG_OLE)])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            types = (
                archive.read("[Content_Types].xml") if "[Content_Types].xml" in archive.namelist() else b""
            )
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        raise WorkbookError([CellProblem("", None, None, MSG_NOT_XLSX)]) from None
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        raise WorkbookError([CellProblem("", None, None, MSG_NOT_XLSX)])
    if b"macroEnabled" in types or any(name.lower().endswith("vbaproject.bin") for name in names):
        raise WorkbookError([CellProblem("", None, None, MSG_MACRO)])
    unpacked = sum(member.file_size for member in members)
    ratio = max((m.file_size / max(m.compress_size, 1) for m in members), default=0)
    if unpacked > MAX_UNPACKED_BYTES or ratio > MAX_RATIO:
        raise WorkbookError([CellProblem("", None, None, MSG_BOMB.format(limit=MAX_UNPACKED_BYTES >> 20))])
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_vba=False)
    except Exception as error:  # openpyxl raises many kinds (KeyError, XML, zip errors) for a broken file
        reason = str(error)[:200] or type(error).__name__
        raise WorkbookError([CellProblem("", None, None, MSG_CORRUPT.format(reason=reason))]) from None


@dataclass
class _Narrative:
    sections: list[dict[str, Any]]
    opening: list[str]
    closing: list[str]


class _Reader:
    """Reads each sheet, keeping where every item, rule and paragraph came from."""

    def __init__(self, workbook: Any) -> None:
        self.workbook = workbook
        self.problems: list[CellProblem] = []
        self.tables: dict[str, Table] = {}
        self.item_rows: dict[str, int] = {}
        self.stand_ins: set[str] = set()
        self.rule_rows: dict[str, int] = {}
        self.paragraph_rows: dict[tuple[str, int], int] = {}
        self.setting_rows: dict[str, int] = {}
        self.mapping_rows: list[int] = []
        self.settings_found = self.items_found = True

    def table(self, sheet: str, columns: Any, *, required: bool = False) -> Table:
        table = read_table(self.workbook, sheet, columns, required=required)
        self.problems += table.problems
        self.tables[sheet] = table
        return table

    def spec(self) -> DefinitionSpec:
        settings, self.setting_rows, problems = read_settings(self.workbook, SHEET_SETTINGS, SETTINGS)
        # Without the sheet, its absence is the one problem to report, not each property in turn.
        self.settings_found = not any(problem.row is None and not problem.column for problem in problems)
        self.problems += problems
        raw: dict[str, Any] = {
            **nest(settings),
            "items": self.items(),
            "rules": self.rules(),
            "scales": self.scales(),
            "mapping": self.mapping(),
        }
        narrative = self.narrative()
        raw.update(narrative=narrative.sections, opening=narrative.opening, closing=narrative.closing)
        return self._validated(raw)

    def _validated(self, raw: dict[str, Any]) -> DefinitionSpec:
        stand_in = {
            "code": "bieu-mau",
            "version": 1,
            "title": "?",
            "subject": "?",
            "issuing_body": "?",
            "level": "commune",
            "periods": ["quarter"],
            "appendix_title": "?",
        }
        for _ in range(3):
            try:
                return DefinitionSpec.model_validate(raw)
            except ValidationError as error:
                for detail in error.errors():
                    field = str(detail["loc"][0])
                    found = self.items_found if field == "items" else self.settings_found
                    if found:
                        self.problems.append(self._setting_problem(field, detail))
                    raw[field] = stand_in.get(field, [ItemSpec(code="1", label="?", type="group")])
        raise WorkbookError(self.problems)

    def _setting_problem(self, field: str, detail: Any) -> CellProblem:
        if field == "items":
            return CellProblem(SHEET_ITEMS, None, None, MSG_NO_ITEMS)
        sheets = {"rules": SHEET_RULES, "scales": SHEET_SCALES, "mapping": SHEET_MAPPING}
        column = next((c for c in SETTINGS if c.field == field or c.field.startswith(f"{field}.")), None)
        if column is None:
            return CellProblem(sheets.get(field, SHEET_NARRATIVE), None, None, _reason(detail))
        header, row = column.header, self.setting_rows.get(column.field)
        if row is None:
            return CellProblem(SHEET_SETTINGS, None, None, MSG_MISSING_SETTING.format(header=header))
        reason = (
            MSG_FORM_CODE
            if field == "code" and detail["type"] == "string_pattern_mismatch"
            else _reason(detail)
        )
        return CellProblem(SHEET_SETTINGS, row, f"B “{header}”", reason)

    def items(self) -> list[ItemSpec]:
        table = self.table(SHEET_ITEMS, ITEM_COLUMNS, required=True)
        self.items_found = not any(problem.row is None and not problem.column for problem in table.problems)
        items: list[ItemSpec] = []
        for row in table.rows:
            code = row.values.get("code")
            if isinstance(code, str) and code in self.item_rows:
                reason = MSG_DUPLICATE.format(code=code, row=self.item_rows[code])
                self.problems.append(table.problem(row.number, "code", reason))
                continue
            item = self._item(table, row)
            if item is not None:
                self.item_rows[item.code] = row.number
                items.append(item)
        self._check_parents(table, items)
        return items

    def _report(self, table: Table, row: Row, error: ValidationError, default: str) -> None:
        """Each pydantic error at its cell; a model-wide error at the ``default`` column."""
        for detail in error.errors():
            field, reason = ".".join(str(step) for step in detail["loc"]), _reason(detail)
            if not field:
                field, reason = next(
                    (found for fragment, found in _ROW_MESSAGES.items() if fragment in reason),
                    (default, reason),
                )
            if field not in row.bad:
                self.problems.append(table.problem(row.number, field, reason))

    def _item(self, table: Table, row: Row) -> ItemSpec | None:
        values = nest(dict(row.values))
        values.pop("parent", None)
        try:
            return ItemSpec.model_validate(values)
        except ValidationError as error:
            self._report(table, row, error, "type")
        # A stand-in with the row's code keeps formulas that read it from reporting it as unknown.
        code = str(values.get("code", ""))
        try:
            stand_in = ItemSpec(code=code, label="?", type="decimal", over_time="flow")
        except ValidationError:
            return None
        self.stand_ins.add(stand_in.code)
        return stand_in

    def _check_parents(self, table: Table, items: list[ItemSpec]) -> None:
        derived = derived_parents([item.code for item in items])
        for row in table.rows:
            given, code = row.values.get("parent"), row.values.get("code")
            if given is None or code not in derived or self.item_rows.get(str(code)) != row.number:
                continue
            if derived[str(code)] != given:
                parent = derived[str(code)]
                reason = (
                    MSG_PARENT.format(given=given, derived=parent)
                    if parent
                    else MSG_NO_PARENT.format(given=given)
                )
                self.problems.append(table.problem(row.number, "parent", reason))

    def rules(self) -> list[RuleSpec]:
        table = self.table(SHEET_RULES, RULE_COLUMNS)
        rules: list[RuleSpec] = []
        for row in table.rows:
            try:
                rule = RuleSpec.model_validate(row.values)
            except ValidationError as error:
                self._report(table, row, error, "op")
                continue
            self.rule_rows.setdefault(rule.code, row.number)
            rules.append(rule)
        return rules

    def scales(self) -> dict[str, list[BandSpec]]:
        table = self.table(SHEET_SCALES, SCALE_COLUMNS)
        scales: dict[str, list[BandSpec]] = {}
        for row in table.rows:
            values = row.values
            if values.get("min") is None or not values.get("label") or not values.get("scale"):
                continue  # the missing cell is already reported by the table
            band = BandSpec(min=values["min"], label=str(values["label"]))
            scales.setdefault(str(values["scale"]), []).append(band)
        return scales

    def mapping(self) -> list[CodeMapping]:
        table = self.table(SHEET_MAPPING, MAPPING_COLUMNS)
        entries: list[CodeMapping] = []
        for row in table.rows:
            try:
                entries.append(CodeMapping.model_validate(row.values))
                self.mapping_rows.append(row.number)
            except ValidationError as error:
                self._report(table, row, error, "kind")
        return entries

    def mapping_problems(self, spec: DefinitionSpec, previous: Definition | None) -> list[CellProblem]:
        table = self.tables[SHEET_MAPPING]
        codes = {item.code for item in spec.items}
        problems: list[CellProblem] = []
        for entry, row in zip(spec.mapping, self.mapping_rows, strict=True):
            if previous is not None and entry.old not in previous.by_code:
                reason = MSG_MAPPING_OLD.format(code=entry.old, version=previous.version)
                problems.append(table.problem(row, "old", reason))
            if entry.new not in codes:
                reason = MSG_MAPPING_NEW.format(code=entry.new, sheet=SHEET_ITEMS)
                problems.append(table.problem(row, "new", reason))
        return problems

    def narrative(self) -> _Narrative:
        from baocao.core.form_narrative import read_narrative

        table = self.table(SHEET_NARRATIVE, NARRATIVE_COLUMNS)
        narrative = read_narrative(table, self.paragraph_rows, self.problems)
        return _Narrative(*narrative)

    def keeps(self, problem: Problem) -> bool:
        """Problems of a stand-in row (already reported from its cells) are not reported twice."""
        return not (problem.part == "item" and problem.key in self.stand_ins)

    def locate(self, problem: Problem) -> CellProblem:
        if problem.part == "item":
            table, row = self.tables[SHEET_ITEMS], self.item_rows.get(problem.key)
            return table.problem(row, _ITEM_FIELDS.get(problem.field, "code"), problem.reason)
        if problem.part == "rule":
            table, row = self.tables[SHEET_RULES], self.rule_rows.get(problem.key)
            return table.problem(row, _RULE_FIELDS.get(problem.field, "op"), problem.reason)
        key = {"opening": NARRATIVE_OPENING, "closing": NARRATIVE_CLOSING}.get(problem.part, problem.key)
        row = self.paragraph_rows.get((key, problem.paragraph))
        return self.tables[SHEET_NARRATIVE].problem(row, "paragraph", problem.reason)


def _reason(detail: Any) -> str:
    from baocao.core.definition import pydantic_reason

    return pydantic_reason(detail)
