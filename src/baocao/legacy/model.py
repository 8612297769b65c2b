"""What a reader yields: the narrative's paragraphs and the appendix rows, as they were written."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["ReadDocument", "ReadError", "TableRow"]


class ReadError(Exception):
    """A file that cannot be read; ``str(error)`` is a Vietnamese sentence for the user."""


@dataclass(slots=True)
class TableRow:
    stt: str
    label: str
    unit: str
    value: str
    note: str = ""
    where: str = ""  # "dòng 12", "bảng 2, hàng 5", "trang 3": where the row stands in the file
    code: str = ""  # an item code written in the file itself (baocao's own Excel export)

    def excerpt(self) -> str:
        head = f"{self.stt} " if self.stt else ""
        unit = f" ({self.unit})" if self.unit else ""
        return f"{head}{self.label}{unit}: {self.value or '(trống)'}"


@dataclass(slots=True)
class ReadDocument:
    kind: str  # txt, docx, xlsx, pdf
    paragraphs: list[str] = field(default_factory=list)
    rows: list[TableRow] = field(default_factory=list)
    ocr: bool = False  # the text was read from page images by OCR: its figures may be misread
