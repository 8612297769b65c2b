"""Where the visible signatures go, read from the rendered PDF itself (PDFium's text positions).

Nghị định 30/2020/NĐ-CP, Phụ lục I (thể thức văn bản điện tử), as summarised in docs/signing.md:
- the competent person's signature image sits centred between the signer's title and name;
- the agency's seal image, at its real size, covers about a third of that signature on its left;
- an appendix in the same file carries the agency's signature without image, top right of its first page.

Nothing here uses fixed coordinates: the title and name lines are found in the right half of the page, so a
longer narrative, another font or a second signer's line moves the boxes with the text. Pure Python.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

__all__ = ["MSG_NO_BLOCK", "Box", "LayoutError", "Places", "locate"]

MM = 72 / 25.4
SEAL_MM = 38  # real seals of a commune's UBND are 35–40 mm across
SIGNATURE_WIDTH = 150.0
DEFAULT_GAP = 72.0  # when the name line is missing (not typed yet), the usual four blank lines
APPENDIX_BOX = (210.0, 50.0)  # width, height of the agency's text on the appendix
MSG_NO_BLOCK = "Không tìm thấy khối chữ ký (dòng “{title}”) trong bản PDF của báo cáo."


class LayoutError(ValueError):
    """The signature block cannot be found; ``str(error)`` is Vietnamese."""


@dataclass(frozen=True)
class Box:
    """A rectangle on page ``page`` (0-based) in PDF user space: origin bottom left, points."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def as_tuple(self) -> tuple[int, int, int, int]:
        return (round(self.x0), round(self.y0), round(self.x1), round(self.y1))


@dataclass(frozen=True)
class Places:
    signature: Box  # the leader's signature image
    seal: Box  # the agency's seal and text, over the left third of the signature
    appendix: Box | None  # the agency's text on the appendix's first page


@dataclass(frozen=True)
class _Line:
    """A line of text found on a page: its box in PDF user space."""

    page: int
    left: float
    bottom: float
    right: float
    top: float


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _lines(text_page: Any, page: int, text: str, width: float) -> list[_Line]:
    """Where ``text`` stands as a whole line (nothing else on it) in the right half of the page."""
    found = []
    searcher = text_page.search(text, match_case=True)
    while (hit := searcher.get_next()) is not None:
        first, count = hit
        left, bottom, _, top = text_page.get_charbox(first)
        right = text_page.get_charbox(first + count - 1)[2]
        if left < width * 0.45:
            continue
        line = text_page.get_text_bounded(width * 0.45, bottom - 1, width, top + 1)
        if _norm(line) == text:
            found.append(_Line(page, left, bottom, right, top))
    return found


def locate(pdf: bytes, *, title: str, name: str = "", appendix_heading: str = "Phụ lục") -> Places:
    """The three boxes for ``pdf``; ``title`` is the signer's title line ("CHỦ TỊCH"), ``name`` theirs."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        found = _find_block(document, _norm(title), _norm(name))
        if found is None:
            raise LayoutError(MSG_NO_BLOCK.format(title=title))
        title_line, name_top = found
        signature = _signature_box(title_line, name_top)
        appendix = _appendix_box(document, title_line.page + 1, _norm(appendix_heading))
    finally:
        document.close()
    return Places(signature, _seal_box(signature), appendix)


def _find_block(document: Any, title: str, name: str) -> tuple[_Line, float | None] | None:
    """The last title line of the document and the top of the signer's name line under it (if typed)."""
    found: tuple[_Line, float | None] | None = None
    for number in range(len(document)):
        page = document[number]
        text_page = page.get_textpage()
        width = page.get_width()
        for line in _lines(text_page, number, title, width):
            names = [n for n in _lines(text_page, number, name, width) if n.top < line.bottom] if name else []
            found = (line, max((n.top for n in names), default=None))
    return found


def _signature_box(title: _Line, name_top: float | None) -> Box:
    centre = (title.left + title.right) / 2
    top = title.bottom - 2
    bottom = name_top + 5 if name_top is not None else top - DEFAULT_GAP  # clear of the capitals
    return Box(title.page, centre - SIGNATURE_WIDTH / 2, bottom, centre + SIGNATURE_WIDTH / 2, top)


def _seal_box(signature: Box) -> Box:
    """The seal's right edge a third into the signature; the box runs on to the signature's right edge,
    where the agency's name and the signing time are written."""
    diameter = SEAL_MM * MM
    middle = (signature.y0 + signature.y1) / 2
    left = signature.x0 + signature.width / 3 - diameter
    return Box(signature.page, left, middle - diameter / 2, signature.x1 + 24, middle + diameter / 2)


def _appendix_box(document: Any, start: int, heading: str) -> Box | None:
    """Top right of the first page, after the signature, whose text starts with the heading."""
    for number in range(start, len(document)):
        text_page = document[number].get_textpage()
        chars = text_page.count_chars()
        if chars == 0 or not _norm(text_page.get_text_range(0, min(chars, 40))).startswith(heading):
            continue
        boxes = [text_page.get_charbox(index) for index in range(chars)]
        right = max(box[2] for box in boxes)
        first_top = max(box[3] for box in boxes if box[2] > box[0])
        width, height = APPENDIX_BOX
        bottom = first_top + 4
        page_top = document[number].get_height() - 8
        if bottom + height > page_top:
            bottom = page_top - height
        return Box(number, right - width, bottom, right, bottom + height)
    return None
