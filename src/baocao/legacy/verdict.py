"""An honest verdict: what a check read and compared, and what it may therefore say.

"Không phát hiện lỗi" is said only when something was compared; where nothing was, the verdict is "Không
kiểm tra được" with the reason. The CLI's exit code follows the verdict (see ``EXIT_CODES``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["EXIT_CODES", "Coverage", "Verdict", "verdict_of"]

CLEAN, ERRORS, UNREADABLE, UNCHECKED = "clean", "errors", "unreadable", "unchecked"
# 0: compared, no error; 1: errors found; 2: a file could not be read; 3: nothing could be compared.
EXIT_CODES = {CLEAN: 0, ERRORS: 1, UNREADABLE: 2, UNCHECKED: 3}

MSG_CLEAN = "Không phát hiện lỗi trong phần đã kiểm tra: {coverage}."
MSG_ERRORS = "Có {count} lỗi; đã kiểm tra {coverage}."
MSG_UNCHECKED = "Không kiểm tra được: {reason}."
MSG_NO_FIGURES = "tệp không có số liệu nào ở phần lời và không có dòng phụ lục nào khớp biểu mẫu {definition}"
MSG_NOTHING_TO_COMPARE = (
    "đọc được {sentences} câu có số liệu nhưng không câu nào nêu một quan hệ đối chiếu được "
    "(tổng và các phần, tỷ lệ a/b, tỷ lệ trên tổng số, mức tăng giảm so với tỷ lệ kỳ trước, "
    "văn bản dẫn chiếu có ngày), "
    "và không dòng phụ lục nào khớp biểu mẫu "
    "{definition} ({rows} dòng bảng đã đọc)"
)


@dataclass(slots=True)
class Coverage:
    sentences_with_figures: int = 0
    figures: int = 0
    relations: int = 0  # prose relations compared: totals and parts, ratios, shares, document references
    prose_against_table: int = 0  # figures of the prose compared with the appendix row they state
    rows_read: int = 0
    rows_mapped: int = 0  # appendix rows with a value, mapped onto the definition and run through its rules

    @property
    def compared(self) -> int:
        return self.relations + self.prose_against_table + self.rows_mapped

    def describe(self) -> str:
        return (
            f"{self.sentences_with_figures} câu có số liệu, {self.relations} quan hệ số liệu trong phần lời, "
            f"{self.prose_against_table} số liệu phần lời đối chiếu với phụ lục, "
            f"{self.rows_mapped}/{self.rows_read} dòng phụ lục khớp biểu mẫu"
        )

    def as_dict(self) -> dict[str, int]:
        return {
            "sentences_with_figures": self.sentences_with_figures,
            "figures": self.figures,
            "relations": self.relations,
            "prose_against_table": self.prose_against_table,
            "rows_read": self.rows_read,
            "rows_mapped": self.rows_mapped,
        }


@dataclass(frozen=True, slots=True)
class Verdict:
    status: str  # clean, errors, unchecked
    text: str

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.status]

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "text": self.text, "exit_code": self.exit_code}


def verdict_of(coverage: Coverage, errors: int, definition: str) -> Verdict:
    if errors:
        return Verdict(ERRORS, MSG_ERRORS.format(count=errors, coverage=coverage.describe()))
    if coverage.compared:
        return Verdict(CLEAN, MSG_CLEAN.format(coverage=coverage.describe()))
    if not coverage.figures and not coverage.rows_read:
        reason = MSG_NO_FIGURES.format(definition=definition)
    else:
        reason = MSG_NOTHING_TO_COMPARE.format(
            sentences=coverage.sentences_with_figures, definition=definition, rows=coverage.rows_read
        )
    return Verdict(UNCHECKED, MSG_UNCHECKED.format(reason=reason))
