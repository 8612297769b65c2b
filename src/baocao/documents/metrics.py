"""How wide a line of Times New Roman Bold is: the short rules of the header are sized to their text.

Nghị định 30/2020 (Phụ lục I) wants the rule under the motto as long as the motto and the rule under the
agency name and under the subject a third to a half of their line. The widths are Times' own (Liberation Serif
has the same metrics), in thousandths of the font size; a Vietnamese letter is as wide as its base letter,
except the horned ư, ơ, which are wider. The Excel sheet uses them too, to give wrapped rows their height.
"""

from __future__ import annotations

import unicodedata

__all__ = ["text_width_mm"]

# Times New Roman Bold advance widths for the printable ASCII characters, U+0020 to U+007E.
_ASCII_BOLD = (
    (250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278)
    + (500,) * 10
    + (333, 333, 570, 570, 570, 500, 930)
    + (722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556)
    + (667, 722, 722, 1000, 722, 722, 667, 333, 278, 333, 581, 500, 333)
    + (500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500, 556, 556, 444, 389)
    + (333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520)
)
# Times New Roman (regular), the same characters.
_ASCII_REGULAR = (
    (250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278)
    + (500,) * 10
    + (278, 278, 564, 564, 564, 444, 921)
    + (722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556)
    + (611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500, 333)
    + (444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389)
    + (278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541)
)
_BOLD = {chr(32 + index): width for index, width in enumerate(_ASCII_BOLD)}
_BOLD.update({"Đ": 722, "đ": 556, "Ư": 796, "ư": 600, "Ơ": 778, "ơ": 554})
_REGULAR = {chr(32 + index): width for index, width in enumerate(_ASCII_REGULAR)}
_REGULAR.update({"Đ": 722, "đ": 500, "Ư": 771, "ư": 529, "Ơ": 722, "ơ": 500})
_HORN = "\u031b"
MM_PER_POINT = 25.4 / 72


def _width(char: str, table: dict[str, int]) -> int:
    if char in table:
        return table[char]
    decomposed = unicodedata.normalize("NFD", char)
    base = decomposed[0]
    if _HORN in decomposed:
        base = unicodedata.normalize("NFC", base + _HORN)
    return table.get(base, 500)


def text_width_mm(text: str, size_pt: float, *, bold: bool = True) -> float:
    """The printed width of ``text`` in Times New Roman (Bold unless ``bold=False``) at ``size_pt``, in mm."""
    table = _BOLD if bold else _REGULAR
    return sum(_width(char, table) for char in text) * size_pt / 1000 * MM_PER_POINT
