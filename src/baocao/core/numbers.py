"""Vietnamese numbers as clerks write them: decimal comma, thousands dot, leading zeros, "16 (88,9%)".

Parsing is strict on purpose: "1.5" is refused rather than guessed, because in Vietnamese "1.500" is one
thousand five hundred and a silent misreading would put a wrong figure into an official report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

__all__ = [
    "NumberFormatError",
    "ShareValue",
    "clear_caches",
    "format_count",
    "format_document_date",
    "format_number",
    "format_share",
    "format_short_date",
    "format_yesno",
    "is_blank_text",
    "parse_count",
    "parse_number",
    "parse_percent",
    "parse_share",
    "parse_yesno",
    "round_half_up",
]

# User-facing messages of this module.
MSG_NOT_A_NUMBER = "“{text}” không phải là số (số thập phân viết bằng dấu phẩy, ví dụ 6,06; nghìn viết 1.234)"
MSG_BAD_GROUPING = (
    "“{text}”: dấu chấm chỉ dùng để tách hàng nghìn (1.234); số thập phân viết bằng dấu phẩy (6,06)"
)
MSG_TOO_LARGE = "“{text}” quá lớn (tối đa 1.000.000.000.000)"
MSG_NOT_WHOLE = "“{text}” phải là số nguyên"
MSG_NEGATIVE = "“{text}” không được là số âm"
MSG_PERCENT_RANGE = "“{text}” phải là tỷ lệ từ 0 đến 100"
MSG_NOT_YESNO = "“{text}”: chỉ nhận “Có” hoặc “Không”"
MSG_NOT_SHARE = "“{text}” phải có dạng số lượng và tỷ lệ, ví dụ 16 (88,9%)"
MSG_WIDE_DIGITS = "“{text}”: hãy gõ chữ số thường 0–9 (bộ gõ đang ở chế độ chữ số toàn khổ)"
MSG_SHARE_IN_NUMBER = "“{text}”: ô này chỉ nhận một số; tỷ lệ phần trăm do hệ thống tự tính, không gõ kèm"

_BLANKS = frozenset({"", "-", "–", "—"})
_YES = frozenset({"có", "co", "x"})
_NO = frozenset({"không", "khong", "ko"})
# Digits with optional thousands groups ("1.234.567") or none ("1234"), optional decimal part after a comma.
# ASCII digits only: Python's \d also matches full-width "１７" and other scripts' digits.
_NUMBER_RE = re.compile(r"^(?P<sign>[-+]?)(?P<int>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<frac>\d+))?$", re.ASCII)
_SHARE_RE = re.compile(r"^(?P<count>[^()]*?)\s*\(\s*(?P<share>[^()]*?)\s*%?\s*\)$")
_NUMBER_WITH_SHARE_RE = re.compile(r"^[0-9][0-9.,]*\s*\([^()]*\)$")
_SWAP = str.maketrans({",": ".", ".": ","})


class NumberFormatError(ValueError):
    """A value that cannot be read; ``str(error)`` is a Vietnamese sentence for the user."""


@dataclass(frozen=True, slots=True)
class ShareValue:
    """A count written with its share of another figure, as in "16 (88,9%)"."""

    count: Decimal | None
    share: Decimal | None


def is_blank_text(text: str) -> bool:
    return _clean(text) in _BLANKS


def _clean(text: str) -> str:
    return text.replace("\u00a0", " ").strip()


def parse_number(text: str | int | float | Decimal) -> Decimal | None:
    """Parse "6,06", "1.234", "1.234,5", "02", "100%" into a Decimal; "" and "-" are blank (None)."""
    if isinstance(text, bool):
        raise NumberFormatError(MSG_NOT_A_NUMBER.format(text=text))
    if isinstance(text, int | Decimal):
        return _within_bounds(Decimal(text), text)
    if isinstance(text, float):
        # A number typed in JSON or read from a spreadsheet: its shortest repr is what the user saw.
        return _within_bounds(Decimal(repr(text)), text)
    return _parse_number_text(text)


# No figure of a commune, district or province report comes near this; larger input is a typing slip.
MAX_MAGNITUDE = Decimal(10) ** 12


def _within_bounds(value: Decimal, shown: object) -> Decimal:
    if not value.is_finite() or abs(value) > MAX_MAGNITUDE:
        raise NumberFormatError(MSG_TOO_LARGE.format(text=shown))
    return value


# The same few hundred strings ("0", "18", "29") recur in every report: cache what they parse to.
@lru_cache(maxsize=16384)
def _parse_number_text(text: str) -> Decimal | None:
    cleaned = _clean(text)
    if cleaned in _BLANKS:
        return None
    cleaned = cleaned.removesuffix("%").rstrip()
    match = _NUMBER_RE.match(cleaned)
    if match is None:
        raise NumberFormatError(_why_not_a_number(cleaned, _clean(text)))
    digits = match["int"].replace(".", "")
    frac = match["frac"]
    try:
        value = Decimal(f"{match['sign']}{digits}.{frac}" if frac else f"{match['sign']}{digits}")
    except InvalidOperation as error:  # pragma: no cover - the regex admits only digits
        raise NumberFormatError(MSG_NOT_A_NUMBER.format(text=_clean(text))) from error
    return _within_bounds(value, _clean(text))


def _why_not_a_number(cleaned: str, shown: str) -> str:
    if any(char.isdigit() and not char.isascii() for char in cleaned):
        return MSG_WIDE_DIGITS.format(text=shown)
    if _NUMBER_WITH_SHARE_RE.match(cleaned):
        return MSG_SHARE_IN_NUMBER.format(text=shown)
    if "." in cleaned and re.fullmatch(r"[-+]?[0-9][0-9.,]*", cleaned):
        return MSG_BAD_GROUPING.format(text=shown)
    return MSG_NOT_A_NUMBER.format(text=shown)


def parse_count(text: str | int | float | Decimal) -> Decimal | None:
    """A whole number ≥ 0 ("02" → 2); blank stays None."""
    return _parse_count_text(text) if isinstance(text, str) else _parse_count(text)


@lru_cache(maxsize=16384)
def _parse_count_text(text: str) -> Decimal | None:
    return _parse_count(text)


def _parse_count(text: str | int | float | Decimal) -> Decimal | None:
    value = parse_number(text)
    if value is None:
        return None
    shown = _clean(str(text))
    if value != value.to_integral_value():
        raise NumberFormatError(MSG_NOT_WHOLE.format(text=shown))
    if value < 0:
        raise NumberFormatError(MSG_NEGATIVE.format(text=shown))
    return value.quantize(Decimal(1))


def parse_percent(text: str | int | float | Decimal) -> Decimal | None:
    """An entered percentage, 0–100 ("90,4", "9,6%")."""
    value = parse_number(text)
    if value is not None and not Decimal(0) <= value <= Decimal(100):
        raise NumberFormatError(MSG_PERCENT_RANGE.format(text=_clean(str(text))))
    return value


def parse_yesno(text: str | int | float | Decimal | bool) -> bool | None:
    if isinstance(text, bool):
        return text
    if not isinstance(text, str):
        raise NumberFormatError(MSG_NOT_YESNO.format(text=text))
    cleaned = _clean(text).lower()
    if cleaned in _BLANKS:
        return None
    if cleaned in _YES:
        return True
    if cleaned in _NO:
        return False
    raise NumberFormatError(MSG_NOT_YESNO.format(text=_clean(text)))


def parse_share(text: str | int | float | Decimal) -> ShareValue:
    """Read "16 (88,9%)" as count 16 and share 88,9; a bare "16" has no share written."""
    if not isinstance(text, str):
        return ShareValue(parse_count(text), None)
    cleaned = _clean(text)
    match = _SHARE_RE.match(cleaned)
    if match is None:
        if "(" in cleaned or ")" in cleaned:
            raise NumberFormatError(MSG_NOT_SHARE.format(text=cleaned))
        return ShareValue(parse_count(cleaned), None)
    return ShareValue(parse_count(match["count"]), parse_number(match["share"]))


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    """Round as Vietnamese offices do by hand (88,85 → 88,9), not banker's rounding."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


@lru_cache(maxsize=16384)
def format_number(value: Decimal | int, decimals: int = 0) -> str:
    """Vietnamese display: thousands dot, decimal comma, up to ``decimals`` places, no trailing zeros."""
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    text = format(round_half_up(value, decimals), ",f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", "-0.0"):
        text = "0"
    return text.translate(_SWAP)


@lru_cache(maxsize=16384)
def format_count(value: Decimal | int, pad: int = 0) -> str:
    """A whole number; ``pad=2`` writes the leading zero of prose ("02 nhiệm vụ")."""
    number = int(value)
    text = f"{number:,}".replace(",", ".")
    if pad and number >= 0:
        text = text.zfill(pad)
    return text


def format_share(count: Decimal | int, share: Decimal | None, decimals: int = 1) -> str:
    """ "16 (88,9%)"; without a share (base blank or 0) only the count is written."""
    if share is None:
        return format_count(count)
    return f"{format_count(count)} ({format_number(share, decimals)}%)"


def format_yesno(value: bool) -> str:
    return "Có" if value else "Không"


def _decree_month(day: date) -> str:
    return f"{day.month:02d}" if day.month < 3 else str(day.month)


def format_document_date(day: date) -> str:
    """ "ngày 05 tháng 6 năm 2024": Nghị định 30/2020 (Phụ lục I) writes a leading zero only for days below 10
    and for the months 1 and 2 ("tháng 02"), never for March to December."""
    return f"ngày {day.day:02d} tháng {_decree_month(day)} năm {day.year}"


def format_short_date(day: date) -> str:
    """ "05/6/2024", "28/02/2024": a date inside a document's text (the appendix's "Kèm theo …", a round's
    window in the narrative) with the decree's zeros, as the seed writes "ngày 15/7/2021", "06/02/2024"."""
    return f"{day.day:02d}/{_decree_month(day)}/{day.year}"


def clear_caches() -> None:
    """Forget cached parses and displays (benchmarks use it to measure cold work)."""
    for cached in (_parse_number_text, _parse_count_text, format_number, format_count):
        cached.cache_clear()
