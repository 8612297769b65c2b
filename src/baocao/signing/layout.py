"""Where the visible signatures go, read from the rendered PDF itself (pdfplumber word positions).

Nghị định 30/2020/NĐ-CP, Phụ lục I (thể thức văn bản điện tử), as summarised in docs/signing.md:
- the competent person's signature image sits centred between the signer's title and name;
- the agency's seal image, at its real size, covers about a third of that signature on its left;
- an appendix in the same file carries the agency's signature without image, top right of its first page.

Nothing here uses fixed coordinates: the title and name lines are found in the right half of the page, so a
longer narrative, another font or a second signer's line moves the boxes with the text. Pure Python.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["MSG_NO_BLOCK", "Box", "LayoutError", "Places", "locate"]

MM = 72 / 25.4
SEAL_MM = 38  # real seals of a commune's UBND are 35–40 mm across
SIGNATURE_WIDTH = 150.0
DEFAULT_GAP = 72.0  # when the name line is missing (not typed yet), the usual four blank lines
APPENDIX_BOX = (210.0, 40.0)  # width, height of the agency's text on the appendix
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
    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).upper().split())


def _right_lines(page_number: int, page: object) -> list[_Line]:
    """The page's right-column lines: words right of the middle, grouped by their top (±3 pt)."""
    width = float(page.width)  # type: ignore[attr-defined]
    words = [w for w in page.extract_words() if float(w["x0"]) >= width * 0.45]  # type: ignore[attr-defined]
    lines: list[list[dict[str, object]]] = []
    for word in sorted(words, key=lambda w: (round(float(w["top"])), float(w["x0"]))):
        if lines and abs(float(lines[-1][0]["top"]) - float(word["top"])) <= 3:  # type: ignore[arg-type]
            lines[-1].append(word)
        else:
            lines.append([word])
    return [
        _Line(
            page_number,
            " ".join(str(w["text"]) for w in line),
            min(float(w["x0"]) for w in line),  # type: ignore[arg-type]
            max(float(w["x1"]) for w in line),  # type: ignore[arg-type]
            min(float(w["top"]) for w in line),  # type: ignore[arg-type]
            max(float(w["bottom"]) for w in line),  # type: ignore[arg-type]
        )
        for line in lines
    ]


def locate(pdf: bytes, *, title: str, name: str = "", appendix_heading: str = "Phụ lục") -> Places:
    """The three boxes for ``pdf``; ``title`` is the signer's title line ("CHỦ TỊCH"), ``name`` theirs."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        pages = list(document.pages)
        block = _find_block(pages, _norm(title), _norm(name))
        if block is None:
            raise LayoutError(MSG_NO_BLOCK.format(title=title))
        title_line, name_top = block
        height = float(pages[title_line.page].height)
        signature = _signature_box(title_line, name_top, height)
        appendix = _appendix_box(pages, title_line.page + 1, _norm(appendix_heading))
    return Places(signature, _seal_box(signature), appendix)


def _find_block(pages: Sequence[Any], title: str, name: str) -> tuple[_Line, float | None] | None:
    """The last title line of the document body and the top of the name line under it (if typed)."""
    found: tuple[_Line, float | None] | None = None
    for number, page in enumerate(pages):
        lines = _right_lines(number, page)
        for index, line in enumerate(lines):
            if _norm(line.text) != title:
                continue
            below = [later for later in lines[index + 1 :] if name and _norm(later.text) == name]
            found = (line, below[0].top if below else None)
    return found


def _signature_box(title: _Line, name_top: float | None, page_height: float) -> Box:
    centre = (title.x0 + title.x1) / 2
    top = title.bottom + 2
    bottom = (name_top - 2) if name_top is not None else top + DEFAULT_GAP
    return Box(
        title.page,
        centre - SIGNATURE_WIDTH / 2,
        page_height - bottom,
        centre + SIGNATURE_WIDTH / 2,
        page_height - top,
    )


def _seal_box(signature: Box) -> Box:
    """The seal's right edge a third into the signature; the box runs on to the signature's right edge,
    where the agency's name and the signing time are written."""
    diameter = SEAL_MM * MM
    middle = (signature.y0 + signature.y1) / 2
    left = signature.x0 + signature.width / 3 - diameter
    return Box(signature.page, left, middle - diameter / 2, signature.x1 + 24, middle + diameter / 2)


def _appendix_box(pages: Sequence[Any], start: int, heading: str) -> Box | None:
    """Top right of the first page, after the signature, whose first line starts with the heading."""
    for number in range(start, len(pages)):
        page = pages[number]
        words = page.extract_words()
        if not words:
            continue
        first_top = min(float(w["top"]) for w in words)
        first_line = " ".join(str(w["text"]) for w in words if abs(float(w["top"]) - first_top) <= 3)
        if not _norm(first_line).startswith(heading):
            continue
        right = max(float(w["x1"]) for w in words)
        width, height = APPENDIX_BOX
        page_height = float(page.height)
        top = max(first_top - height - 4, 8.0)
        return Box(number, right - width, page_height - top - height, right, page_height - top)
    return None
