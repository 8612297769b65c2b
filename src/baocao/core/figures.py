"""The one reader of figures in Vietnamese prose.

A figure is a quantity a report states: "1.598 hồ sơ", "72,56%", "1,2 tỷ đồng", "02 nhiệm vụ", the two
sides of "75/114". Everything else that is written with digits is not a figure and is never returned:
dates ("31/3",
"ngày 24/8/2023", "tháng 6/2024"), document numbers ("số 11/KH-UBND", "283/2021/QĐ-UBND"), web and mail
addresses, levels ("mức độ 3", "mức độ 3/4"), article and item numbers ("Điều 5", "mục 7.2.4"), years ("năm
2024", "2021-2025"), codes and numbered headings. The reader masks those first, then reads what is left, so a
thousands dot or a decimal comma never cuts a figure in two.

Pure Python; every check of the prose reads its numbers here.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from baocao.core.numbers import NumberFormatError, parse_number

__all__ = ["APPROXIMATE_WORDS", "Figure", "Masked", "masked_spans", "read_figures"]

SCALES = {"nghìn": 1000, "ngàn": 1000, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9}
# Words before a figure that make it approximate ("hơn 700 hồ sơ"): such a figure is never compared exactly.
APPROXIMATE_WORDS = frozenset(
    {
        "hơn",
        "khoảng",
        "gần",
        "trên",
        "dưới",
        "xấp",
        "xỉ",
        "ước",
        "chừng",
        "tới",
        "ngót",
        "hàng",
        "tầm",
        "nhất",
        "thiểu",
        "đa",
    }
)
_APPROX_AFTER = re.compile(r"(?:\s+[^\W\d]+){0,2}?\s+trở\s+(?:lên|xuống)|\s*\+", re.IGNORECASE)
# Words after which a number names something (an article, a period, a place) rather than counts it.
_NAMING_WORDS = frozenset(
    {
        "điều",
        "khoản",
        "chương",
        "mục",
        "tiểu",
        "tiết",
        "bước",
        "thứ",
        "quý",
        "tuần",
        "tháng",
        "năm",
        "ngày",
        "kỳ",
        "khóa",
        "khoá",
        "đợt",
        "hạng",
        "bậc",
        "lớp",
        "tổ",
        "thôn",
        "xóm",
        "khu",
        "lô",
        "iso",
        "tcvn",
        "phiên",
        "lần",
        "nhóm",
        "giai",
        "đoạn",
        "mức",
        "loại",
        "trang",
        "biểu",
        "mẫu",
        "km",
        "ql",
        "sđt",
        "fax",
        "thoại",
        "hotline",
        "zalo",
    }
)
_DOC_TYPES = (
    "quyết định|kế hoạch|công văn|nghị định|thông tư|báo cáo|chỉ thị|nghị quyết|văn bản|luật|tờ trình|"
    "thông báo|hướng dẫn|pháp lệnh|chương trình|đề án|quy định|quy chế|thông tri|kết luận|mẫu|biểu|phụ lục"
)
_N = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"

_MASKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "url",
        re.compile(
            r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[\w-]+(?:\.[\w-]+)*\.(?:gov|com|net|org|edu)(?:\.vn)?\b\S*|\b[\w-]+\.vn\b\S*",
            re.IGNORECASE,
        ),
    ),
    ("document", re.compile(r"\b\d+(?:/\d+)*/[A-ZĐ][\wĐđ]*(?:\s?[-–]\s?[A-ZĐ][\wĐđ]*)*", re.UNICODE)),
    (
        "document",
        re.compile(
            rf"(?:{_DOC_TYPES})(?:\s+(?!tổng\b)\S+){{0,2}}?\s+số\s*:?\s*\d+\b|\bsố\s*:\s*\d+\b"
            rf"|(?:{_DOC_TYPES})\s+\d+(?:/\d+)+\b",
            re.IGNORECASE,
        ),
    ),
    (
        "level",
        re.compile(
            r"\b(?:mức\s+độ|cấp\s+độ|mức)\s+\d\b(?:\s*(?:/|,|-|–|và|hoặc)\s*\d\b)*(?![.,]\d)", re.IGNORECASE
        ),
    ),
    (
        "date",
        re.compile(
            r"\b\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}\b"  # 24/8/2023, 24-8-2023, 24.8.2023
            r"|\b\d{1,2}\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?"  # 24 tháng 8 năm 2023
            r"|\b(?:tháng|quý)\s+(?:\d{1,2}|[IVX]+)(?:\s*[/-]\s*\d{4}|\s+năm\s+\d{4})?"  # tháng 6/2024
            r"|\b(?:ngày|đến|từ|tới|hết|trước|sau|hạn|đầu|cuối|giữa|mùng|mồng)\s+\d{1,2}\s*/\s*\d{1,2}\b(?!\s*/\s*\d)"
            r"|\b(?:0?[1-9]|1[0-2])\s*/\s*(?:19[4-9]\d|20\d\d)\b",  # 6/2024
            re.IGNORECASE,
        ),
    ),
    ("year", re.compile(r"\b(?:19[4-9]\d|20\d\d)\s*[-–]\s*(?:19[4-9]\d|20\d\d)\b")),
    (
        "code",
        re.compile(
            r"\b(?!\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![.\d]))\d+(?:\.\d+){2,}\.?(?:[a-zđ]\b)?|\b[A-ZĐ]+\d[\w.-]*|\b\d+[A-Za-zĐđ]+\w*\b"
        ),
    ),
    ("time", re.compile(r"\b\d{1,2}\s*(?:h|giờ)\s*\d{1,2}\b|\b\d{1,2}:\d{2}\b", re.IGNORECASE)),
    ("phone", re.compile(r"\b0\d{2,3}[.\s]\d{3,4}[.\s]\d{3,4}\b|\b0\d{9,10}\b")),
)
_HEADING = re.compile(r"^\s*(?:[-–+•*]\s*)?(?:\d+(?:\.\d+)*|[IVX]+|[a-zđ])\s*[.)]\s+", re.IGNORECASE)
_FIGURE = re.compile(
    rf"(?<![\w.,:])(?P<n>{_N})(?![\w]|[.,:]\d)"
    rf"(?P<pct>\s*%)?(?:\s+(?P<scale>nghìn|ngàn|triệu|tỷ|tỉ)\b)?"
)
# Vietnamese capital letters (a range such as À-Ỹ would take in lower-case letters such as ã, ư, ố too).
UPPER = "A-ZĐÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ"
_LIST_NUMBER = re.compile(rf"[.)]\s+[{UPPER}]")
_ANY_DIGIT = re.compile(r"\d")
_YEAR_VALUE = re.compile(r"^(?:19[4-9]\d|20\d\d)$")
_RANGE_BETWEEN = re.compile(r"^\s*(?:[-–]|đến|tới)\s*$", re.IGNORECASE)
_WORD_BEFORE = re.compile(r"([^\W\d_]+)\s*$")
# A naming word inside a compound names nothing: "lực lượng vũ trang 2 người" is a count, "trang 2" a page.
_COMPOUND = re.compile(r"\b(?:vũ|thời)\s+trang\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Masked:
    kind: str  # url, document, level, date, year, code, time, phone, heading
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure as printed. ``number`` is what is written ("1,2" → 1,2), ``value`` carries the scale word
    ("1,2 triệu" → 1.200.000)."""

    text: str  # as printed, with its "%" or scale word: "72,56%", "1,2 triệu"
    number: Decimal
    start: int
    end: int
    percent: bool = False
    scale: int = 1
    approximate: bool = False
    in_range: bool = False
    fraction: str = ""  # "numerator" or "denominator" of an "a/b" written in the prose

    @property
    def value(self) -> Decimal:
        return self.number * self.scale

    @property
    def digits(self) -> str:
        """The number as printed without its "%" or scale word."""
        return self.text.split("%")[0].split()[0] if self.text else ""


# A mask's pattern runs only on text holding one of its tell-tale strings (most sentences hold none).
_TRIGGERS = {
    "url": ("://", "www.", "@", ".vn", ".com", ".gov", ".net", ".org", ".edu"),
    "level": ("mức", "cấp", "Mức", "Cấp", "MỨC", "CẤP"),
    "year": ("-", "–"),
    "time": ("h", "giờ", ":", "H", "GIỜ"),
}


def masked_spans(text: str) -> list[Masked]:
    """The stretches of ``text`` written with digits that are not figures, in order, not overlapping."""
    found: list[Masked] = []
    heading = _HEADING.match(text)
    if heading:
        found.append(Masked("heading", heading.start(), heading.end()))
    for kind, pattern in _MASKS:
        triggers = _TRIGGERS.get(kind)
        if triggers is not None and not any(trigger in text for trigger in triggers):
            continue
        found += [Masked(kind, m.start(), m.end()) for m in pattern.finditer(text)]
    found.sort(key=lambda m: (m.start, -m.end))
    merged: list[Masked] = []
    for mask in found:
        if merged and mask.start < merged[-1].end:
            if mask.end > merged[-1].end:
                merged[-1] = Masked(merged[-1].kind, merged[-1].start, mask.end)
            continue
        merged.append(mask)
    return merged


@lru_cache(maxsize=4096)
def read_figures(text: str) -> tuple[Figure, ...]:
    """Every figure of ``text``, in order (cached: the binder and the checks read the same paragraphs)."""
    if not _ANY_DIGIT.search(text):
        return ()
    masks = masked_spans(text)
    starts = [mask.start for mask in masks]
    figures: list[Figure] = []
    for match in _FIGURE.finditer(text):
        if _inside(masks, starts, match.start("n"), match.end("n")):
            continue
        figure = _figure(text, match)
        if figure is not None:
            figures.append(figure)
    _mark_fractions(text, figures)
    _mark_ranges(text, figures)
    return tuple(figures)


def _inside(masks: list[Masked], starts: list[int], start: int, end: int) -> bool:
    index = bisect.bisect_right(starts, start) - 1
    return (index >= 0 and masks[index].start <= start < masks[index].end) or (
        index + 1 < len(masks) and masks[index + 1].start < end
    )


def _figure(text: str, match: re.Match[str]) -> Figure | None:
    digits = match["n"]
    try:
        number = parse_number(digits)
    except NumberFormatError:
        return None
    if number is None:
        return None
    word = _word_before(text, match.start())
    percent = bool(match["pct"])
    scale_word = (match["scale"] or "").lower()
    if (
        word in _NAMING_WORDS
        and not percent
        and not _COMPOUND.search(text, max(0, match.start() - 20), match.start())
    ) or (_LIST_NUMBER.match(text, match.end()) and _opens(text, match)):
        return None
    if _YEAR_VALUE.match(digits) and not percent and not scale_word:
        return None  # a bare four-digit 1940–2099 is a year; counts that large are written "1.598"
    approximate = word in APPROXIMATE_WORDS or bool(_APPROX_AFTER.match(text, match.end()))
    end = match.end()
    shown = text[match.start() : end]
    return Figure(
        text=" ".join(shown.split()).replace(" %", "%"),
        number=number,
        start=match.start(),
        end=end,
        percent=percent,
        scale=SCALES.get(scale_word, 1),
        approximate=approximate,
    )


def _opens(text: str, match: re.Match[str]) -> bool:
    """A number that opens a sentence or a list item ("… hồ sơ. 3. Cải cách …") numbers a heading."""
    before = text[max(0, match.start() - 3) : match.start()].rstrip(" -–+•*")
    return not before or before[-1] in ".:;!?" or match.start() == 0


def _word_before(text: str, position: int) -> str:
    match = _WORD_BEFORE.search(text, max(0, position - 24), position)
    return match.group(1).lower() if match else ""


def _mark_fractions(text: str, figures: list[Figure]) -> None:
    for index in range(len(figures) - 1):
        first, second = figures[index], figures[index + 1]
        if first.percent or first.fraction or text[first.end : second.start].strip() != "/":
            continue
        figures[index] = _replace(first, fraction="numerator")
        figures[index + 1] = _replace(second, fraction="denominator")


def _mark_ranges(text: str, figures: list[Figure]) -> None:
    for index in range(len(figures) - 1):
        first, second = figures[index], figures[index + 1]
        between = text[first.end : second.start]
        opens = _word_before(text, first.start) == "từ" and between.strip().lower() in ("đến", "tới")
        if opens or (_RANGE_BETWEEN.match(between) and between.strip() in ("-", "–")):
            figures[index] = _replace(first, in_range=True)
            figures[index + 1] = _replace(second, in_range=True)


def _replace(figure: Figure, **changes: object) -> Figure:
    fields = {name: getattr(figure, name) for name in Figure.__slots__}
    fields.update(changes)
    return Figure(**fields)
