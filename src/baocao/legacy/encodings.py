"""Text files as commune offices save them: UTF-8, UTF-16 (with or without a byte-order mark), Windows-1258
and TCVN3 (the 8-bit ".VnTime" font encoding, TCVN 5712:1993). The 8-bit encodings cannot be told apart by
their bytes alone: each candidate is decoded and the one whose text reads most like Vietnamese wins.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["TCVN3_HIGH", "decode_tcvn3", "decode_text"]

# TCVN 5712:1993 bytes 0x80-0xFF, as glibc's iconv "TCVN5712-1" (and XFree86's lcUniConv/tcvn.h) decode them.
# 0xB0-0xB4 are the combining tone marks; 0xA0 is a no-break space.
TCVN3_HIGH = (
    "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ\u00a0ĂÂÊÔƠƯĐăâêôơưđẰ\u0300\u0309\u0303\u0301\u0323"
    "àảãáạẲằẳẵắẴẮẦẨẪẤỀặầẩẫấậèỂẻẽéẹềểễếệìỉỄẾỒĩíịòỔỏõóọồổỗốộờởỡớợùỖủũúụừửữứựỳỷỹýỵỐ"
)
# Upper-case letters that TCVN 5712 (VN1) puts among the control codes; VN3 files written with ".VnTimeH"
# fonts do not use them, but a file saved by a converter may.
TCVN3_LOW = {
    0x01: "Ú",
    0x02: "Ụ",
    0x04: "Ừ",
    0x05: "Ử",
    0x06: "Ữ",
    0x11: "Ứ",
    0x12: "Ự",
    0x13: "Ỳ",
    0x14: "Ỷ",
    0x15: "Ỹ",
    0x16: "Ý",
    0x17: "Ỵ",
}
_TCVN3 = {**{0x80 + i: c for i, c in enumerate(TCVN3_HIGH)}, **TCVN3_LOW}
_DECODE_TCVN3 = str.maketrans({chr(b): c for b, c in _TCVN3.items()})

_VIETNAMESE_LETTERS = frozenset("àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ")
_COMMON_WORDS = re.compile(
    r"\b(?:của|và|các|được|trong|năm|số|hồ|sơ|xã|huyện|tỉnh|cán|bộ|công|chức|thực|hiện|hành|chính|"
    r"ủy|ban|nhân|dân|người|đã|có|không|theo|với|đạt|tỷ|lệ|báo|cáo|kết|quả)\b",
    re.IGNORECASE,
)
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_SAMPLE = 200_000


def decode_tcvn3(data: bytes) -> str:
    return unicodedata.normalize("NFC", data.decode("latin-1").translate(_DECODE_TCVN3))


def _decode_cp1258(data: bytes) -> str:
    # Windows-1258 writes most tones as a combining mark after the letter: compose them.
    return unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a byte-order mark: every other byte of Latin text is zero."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.3 and even < half * 0.05:
        return data.decode("utf-16-le", errors="replace")
    if even > half * 0.3 and odd < half * 0.05:
        return data.decode("utf-16-be", errors="replace")
    return None


def _vietnamese_score(text: str) -> float:
    sample = text[:_SAMPLE]
    # The characters past ASCII found by the regex engine, not by a Python loop over every character.
    other = [c for c in _NOT_ASCII.findall(sample) if not c.isspace()]
    letters = sum(1 for c in other if c.lower() in _VIETNAMESE_LETTERS)
    words = len(_COMMON_WORDS.findall(sample))
    return words * 2 + letters - 3 * (len(other) - letters)


def decode_text(data: bytes) -> tuple[str, str] | None:
    """The text and the encoding it was read in, or None when the bytes are not text in any of them."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig", errors="replace"), "utf-8"
    if data.startswith(_UTF16_BOMS):
        return data.decode("utf-16", errors="replace"), "utf-16"
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16, "utf-16"
    if b"\x00" in data[:8192]:
        return None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = [(decode_tcvn3(data), "tcvn3"), (_decode_cp1258(data), "windows-1258")]
    return max(candidates, key=lambda candidate: _vietnamese_score(candidate[0]))
