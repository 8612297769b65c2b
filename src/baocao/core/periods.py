"""Reporting periods: their kinds, names and default data windows. Pure Python, no Django.

Nghị định 09/2019/NĐ-CP, Điều 12, fixes when a periodic report's figures are cut off (thời gian chốt số
liệu): a quarter runs from the 15th of the month before it to the 14th of its last month; six months from
15 December of the year before to 14 June; nine months to 14 September; a year from 15 December of the
year before to 14 December. Those are the defaults offered to whoever asks for a round; the round keeps the
window it was given. An ad hoc request (chuyên đề, đột xuất) has no such rule: the requester names its
subject and chooses the window.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from baocao.core.numbers import format_short_date

__all__ = [
    "AD_HOC_KINDS",
    "KIND_NAMES",
    "MSG_NUMBER",
    "PERIOD_KINDS",
    "default_window",
    "document_heading",
    "document_subject",
    "parse_day",
    "period_label",
    "short_date",
    "short_label",
]

PeriodKind = Literal["quarter", "half_year", "nine_months", "year", "thematic", "ad_hoc"]
PERIOD_KINDS: tuple[str, ...] = ("quarter", "half_year", "nine_months", "year", "thematic", "ad_hoc")
AD_HOC_KINDS = frozenset({"thematic", "ad_hoc"})
# As a list of choices reads them ("Loại kỳ: Quý").
KIND_NAMES = {
    "quarter": "Quý",
    "half_year": "6 tháng",
    "nine_months": "9 tháng",
    "year": "Năm",
    "thematic": "Chuyên đề",
    "ad_hoc": "Đột xuất",
}
# As a sentence reads them ("báo cáo chuyên đề", "báo cáo đột xuất").
AD_HOC_WORDS = {"thematic": "chuyên đề", "ad_hoc": "đột xuất"}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
MSG_NUMBER = "quý phải từ 1 đến 4"
# The last month of each periodic window (its figures are cut off on the 14th of that month).
LAST_MONTH = {"half_year": 6, "nine_months": 9, "year": 12}


def short_date(day: date) -> str:
    """ "05/6/2024", "15/01/2025": Nghị định 30/2020's zeros (days below 10, months 1 and 2)."""
    return format_short_date(day)


def parse_day(text: str) -> date | None:
    """ "05/6/2025" (as people write it) or "2025-06-05" (as a date field sends it); else None."""
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def default_window(kind: str, year: int, number: int = 1) -> tuple[date, date] | None:
    """The data window Điều 12 sets for a periodic report; None for an ad hoc one (the requester's choice)."""
    if kind in AD_HOC_KINDS:
        return None
    if kind == "quarter":
        if not 1 <= number <= 4:
            raise ValueError(MSG_NUMBER)
        last = 3 * number
    else:
        last = LAST_MONTH[kind]
    start = date(year - 1, 12, 15) if kind != "quarter" or number == 1 else date(year, last - 3, 15)
    return start, date(year, last, 14)


def period_label(kind: str, year: int, number: int, start: date, end: date) -> str:
    """The period inside a sentence: "quý I năm 2024", "6 tháng năm 2024", "năm 2024"; an ad hoc round by
    its window: "đợt báo cáo chuyên đề (số liệu từ 01/3/2025 đến 31/5/2025)"."""
    if kind == "quarter":
        return f"quý {ROMAN.get(number, number)} năm {year}"
    if kind == "year":
        return f"năm {year}"
    if kind in AD_HOC_WORDS:
        window = f"số liệu từ {short_date(start)} đến {short_date(end)}"
        return f"đợt báo cáo {AD_HOC_WORDS[kind]} ({window})"
    return f"{KIND_NAMES[kind]} năm {year}"


def short_label(kind: str, year: int, number: int, end: date) -> str:
    """The period in a table or on a chart's axis: "Quý IV/2023", "6 tháng/2024", "Năm 2024",
    "Chuyên đề 31/5/2025"."""
    if kind == "quarter":
        return f"Quý {ROMAN.get(number, number)}/{year}"
    if kind == "year":
        return f"Năm {year}"
    if kind in AD_HOC_WORDS:
        return f"{KIND_NAMES[kind]} {short_date(end)}"
    return f"{KIND_NAMES[kind]}/{year}"


def document_heading(kind: str) -> str:
    """The document's name above its subject: "BÁO CÁO", "BÁO CÁO CHUYÊN ĐỀ", "BÁO CÁO ĐỘT XUẤT"."""
    word = AD_HOC_WORDS.get(kind)
    return f"BÁO CÁO {word.upper()}" if word else "BÁO CÁO"


def document_subject(kind: str, form_subject: str, label: str, topic: str) -> str:
    """The trích yếu: a periodic report's is the form's subject and its period ("Kết quả thực hiện công tác
    cải cách hành chính quý I năm 2024"); an ad hoc report's is what the requester asked about."""
    if kind in AD_HOC_KINDS:
        return topic.strip() or form_subject
    return f"{form_subject} {label}"
