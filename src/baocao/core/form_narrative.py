"""The narrative outline sheet of a form workbook: sections by code, their titles and template paragraphs.

A row with a code in column "Mục" opens a section ("II.3", nested under "II" by its code) or the opening
("Mở đầu") or closing ("Kết thúc") text; rows below it with only "Đoạn văn" are that part's paragraphs.
"""

from __future__ import annotations

from typing import Any

from baocao.core.form_cells import CellProblem, Table
from baocao.core.form_workbook import NARRATIVE_CLOSING, NARRATIVE_OPENING
from baocao.core.schema import SECTION_CODE_RE

__all__ = ["read_narrative"]

MSG_SECTION_CODE = "mã mục “{code}” không đúng dạng (ví dụ: I, II.2, II.2.3, “{opening}”, “{closing}”)"
MSG_SECTION_PARENT = "mục “{parent}” phải đứng trước mục “{code}”"
MSG_SECTION_TWICE = "mục “{code}” bị trùng với dòng {row}"
MSG_NO_SECTION = "đoạn văn chưa thuộc mục nào: ghi mã mục ở cột “Mục” trước"
MSG_NO_SECTION_CODE = "thiếu mã mục cho tiêu đề này"


def read_narrative(
    table: Table, paragraph_rows: dict[tuple[str, int], int], problems: list[CellProblem]
) -> tuple[list[dict[str, Any]], list[str], list[str]]:
    """(sections, opening, closing); ``paragraph_rows`` learns the row of every paragraph."""
    top: list[dict[str, Any]] = []
    parts: dict[str, dict[str, Any]] = {
        NARRATIVE_OPENING: {"paragraphs": []},
        NARRATIVE_CLOSING: {"paragraphs": []},
    }
    rows: dict[str, int] = {}
    current: str | None = None
    for row in table.rows:
        code, title, text = (row.values.get(name) for name in ("code", "title", "paragraph"))
        if code is not None:
            current = _open_section(
                table, row.number, str(code), str(title or ""), parts, rows, top, problems
            )
        elif title is not None:
            problems.append(table.problem(row.number, "code", MSG_NO_SECTION_CODE))
            current = None
            continue
        if text is None:
            continue
        if current is None:
            problems.append(table.problem(row.number, "paragraph", MSG_NO_SECTION))
            continue
        paragraphs: list[str] = parts[current]["paragraphs"]
        paragraphs.append(str(text))
        paragraph_rows[(current, len(paragraphs))] = row.number
    return top, parts[NARRATIVE_OPENING]["paragraphs"], parts[NARRATIVE_CLOSING]["paragraphs"]


def _open_section(
    table: Table,
    number: int,
    code: str,
    title: str,
    parts: dict[str, dict[str, Any]],
    rows: dict[str, int],
    top: list[dict[str, Any]],
    problems: list[CellProblem],
) -> str | None:
    fixed = {NARRATIVE_OPENING.casefold(): NARRATIVE_OPENING, NARRATIVE_CLOSING.casefold(): NARRATIVE_CLOSING}
    code = fixed.get(code.casefold(), code)
    if code in rows:
        problems.append(table.problem(number, "code", MSG_SECTION_TWICE.format(code=code, row=rows[code])))
        return None
    rows[code] = number
    if code in fixed.values():
        return code
    if not SECTION_CODE_RE.match(code):
        reason = MSG_SECTION_CODE.format(code=code, opening=NARRATIVE_OPENING, closing=NARRATIVE_CLOSING)
        problems.append(table.problem(number, "code", reason))
        return None
    parent = code.rsplit(".", 1)[0] if "." in code else None
    if parent is not None and parent not in parts:
        problems.append(table.problem(number, "code", MSG_SECTION_PARENT.format(parent=parent, code=code)))
        return None
    section: dict[str, Any] = {"code": code, "title": title, "paragraphs": [], "sections": []}
    parts[code] = section
    (parts[parent]["sections"] if parent else top).append(section)
    return code
