"""Checks of the prose that need no definition: ratio claims, shares of a stated total, totals and their
parts, and document references whose number's year contradicts their date.

Each check states what it compared. It stays quiet where it cannot know: an approximate figure ("hơn 700"),
a share with no total stated in the paragraph, parts that may be nested ("75 DVCTT: 62 toàn trình, 13 một
phần"), a ratio over a base that is not written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from baocao.core.numbers import NumberFormatError, format_number, parse_number, round_half_up
from baocao.legacy.bind import APPROXIMATE, NUMBER_PATTERN

__all__ = ["ProseFinding", "check_paragraph", "excerpt_of"]

MSG_RATIO = "Phần lời ghi {a}/{b} đạt tỷ lệ {given}%, nhưng {a}/{b} = {computed}%"
MSG_SHARE = (
    "Phần lời ghi {count} {unit}chiếm {given}% trên tổng số {base}, nhưng {count}/{base} = {computed}%"
)
MSG_PART_EXCEEDS = "Phần lời ghi tổng số {total}, trong đó một phần là {part}: phần lớn hơn tổng"
MSG_PARTS_MORE = "Phần lời ghi tổng số {total}, trong đó các phần {parts} cộng lại {sum}: lớn hơn tổng"
MSG_PARTS_LESS = (
    "Phần lời ghi tổng số {total}, trong đó các phần {parts} cộng lại chỉ {sum}: "
    "nếu đây là toàn bộ các phần thì số liệu không khớp"
)
MSG_PARTS_SUM = "Phần lời ghi tổng số {total}, trong đó các phần {parts} cộng lại {sum}: khác tổng"
MSG_YEAR = "Văn bản số {number} mang năm {year_number} nhưng ghi ngày ban hành {date} (năm {year_date})"

# Parts that together make the whole: when both are written, their sum must equal the total.
_EXHAUSTIVE = (("trực tuyến", "trực tiếp"), ("nam", "nữ"), ("đúng hạn", "quá hạn"), ("đúng hạn", "trễ hạn"))
_N = rf"(?:{NUMBER_PATTERN})"
_RATIO_RE = re.compile(
    rf"(?<![\d/.,])(?P<a>{_N})\s*/\s*(?P<b>{_N})(?![\d/])"
    rf"(?:(?:\s+[^\W\d]+){{0,3}}\s*\(\s*|\s*[,(:]?\s*(?:(?:đạt|bằng|chiếm)\s+)?(?:(?:tỷ|tỉ)\s+lệ\s+)?(?:là\s+)?)"
    rf"(?P<p>{_N})\s*%",
    re.IGNORECASE,
)
_SHARE_RE = re.compile(
    rf"(?<![\d/.,])(?P<count>{_N})\s+(?P<unit>[^\W\d]+(?:\s[^\W\d]+)?)?\s*,?\s*chiếm\s+(?:(?:tỷ|tỉ)\s+lệ\s+)?"
    rf"(?P<p>{_N})\s*%",
    re.IGNORECASE,
)
_TOTAL_RE = re.compile(
    rf"tổng\s+số\b[^.;%]*?(?:là|:|gồm|có)\s*(?P<total>{_N})(?![\d/,%]|\s*%)", re.IGNORECASE
)
_PARTS_RE = re.compile(
    rf"(?<![\d/.,])(?P<total>{_N})\s+(?P<unit>[^\W\d]+(?:\s[^\W\d]+)?)\s*,\s*trong\s+đó\s*:?\s*(?P<rest>[^.;]*)",
    re.IGNORECASE,
)
_PART_NUMBER_RE = re.compile(rf"(?<![\d/.,])(?P<n>{_N})(?![\d/,]|\s*%|\s*/)")
_DOC_RE = re.compile(
    r"(?<![\d/])(?P<number>(?P<n>\d{1,5})/(?P<year>\d{4})/[A-ZĐ][\wĐđ]*(?:\s?[-–]\s?[A-ZĐ][\wĐđ]*)*)"
    r"(?P<gap>(?:(?!\bsố\b)[^.;]){0,80}?)\bngày\s+(?P<date>(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*"
    r"(?P<y>\d{4})|(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4}))"
)


@dataclass(slots=True)
class ProseFinding:
    rule: str
    severity: str
    message: str
    expected: str
    found: str
    paragraph: int
    spans: tuple[tuple[int, int], ...]


def _num(text: str) -> Decimal | None:
    try:
        return parse_number(text)
    except NumberFormatError:
        return None


def _places(text: str) -> int:
    return len(text.split(",", 1)[1]) if "," in text else 0


def _approximate(paragraph: str, start: int) -> bool:
    words = paragraph[max(0, start - 12) : start].lower().split()
    return bool(words) and words[-1] in APPROXIMATE


def _is_year(paragraph: str, start: int) -> bool:
    """ "năm 2024, trong đó …" names a year, not a total."""
    return paragraph[max(0, start - 6) : start].rstrip().lower().endswith("năm")


def check_paragraph(paragraph: str, number: int) -> list[ProseFinding]:
    return [
        *_ratio_claims(paragraph, number),
        *_shares(paragraph, number),
        *_totals(paragraph, number),
        *_document_years(paragraph, number),
    ]


def _ratio_claims(paragraph: str, number: int) -> list[ProseFinding]:
    findings = []
    for match in _RATIO_RE.finditer(paragraph):
        a, b, given = _num(match["a"]), _num(match["b"]), _num(match["p"])
        if a is None or b is None or given is None or b == 0 or _approximate(paragraph, match.start()):
            continue
        computed = round_half_up(a / b * 100, _places(match["p"]))
        if computed == given:
            continue
        message = MSG_RATIO.format(
            a=match["a"], b=match["b"], given=match["p"], computed=format_number(computed, 6)
        )
        spans = ((match.start("a"), match.end("a")), (match.start("b"), match.end("b")), match.span("p"))
        findings.append(
            ProseFinding(
                "narrative.ratio", "error", message, format_number(computed, 6), match["p"], number, spans
            )
        )
    return findings


def _shares(paragraph: str, number: int) -> list[ProseFinding]:
    totals = [(m.start(), m) for m in _TOTAL_RE.finditer(paragraph)]
    findings = []
    for match in _SHARE_RE.finditer(paragraph):
        before = [m for start, m in totals if start < match.start()]
        if not before or _approximate(paragraph, match.start()):
            continue  # no total stated in the paragraph: the share's base is not known here
        total_match = before[-1]
        count, base, given = _num(match["count"]), _num(total_match["total"]), _num(match["p"])
        if count is None or not base or given is None:
            continue
        computed = round_half_up(count / base * 100, _places(match["p"]))
        if computed == given:
            continue
        unit = f"{match['unit']} " if match["unit"] else ""
        message = MSG_SHARE.format(
            count=match["count"],
            unit=unit,
            given=match["p"],
            base=total_match["total"],
            computed=format_number(computed, 6),
        )
        spans = (match.span("count"), match.span("p"), total_match.span("total"))
        findings.append(
            ProseFinding(
                "narrative.share", "error", message, format_number(computed, 6), match["p"], number, spans
            )
        )
    return findings


def _totals(paragraph: str, number: int) -> list[ProseFinding]:
    findings = []
    for match in _PARTS_RE.finditer(paragraph):
        total = _num(match["total"])
        if total is None or _approximate(paragraph, match.start()) or _is_year(paragraph, match.start()):
            continue
        offset = match.start("rest")
        parts = [
            (m, value)
            for m in _PART_NUMBER_RE.finditer(match["rest"])
            if not _approximate(match["rest"], m.start()) and (value := _num(m["n"])) is not None
        ]
        if not parts:
            continue
        spans = (match.span("total"), *((offset + m.start(), offset + m.end()) for m, _ in parts))
        exhaustive = any(all(word in match["rest"].lower() for word in pair) for pair in _EXHAUSTIVE)
        finding = _parts_finding(total, match["total"], [(m["n"], v) for m, v in parts], exhaustive)
        if finding is not None:
            rule, severity, message, expected, found = finding
            findings.append(ProseFinding(rule, severity, message, expected, found, number, spans))
    return findings


def _parts_finding(
    total: Decimal, total_text: str, parts: list[tuple[str, Decimal]], exhaustive: bool
) -> tuple[str, str, str, str, str] | None:
    biggest_text, biggest = max(parts, key=lambda p: p[1])
    if biggest > total:
        return (
            "narrative.part",
            "error",
            MSG_PART_EXCEEDS.format(total=total_text, part=biggest_text),
            f"≤ {total_text}",
            biggest_text,
        )
    if len(parts) < 2:
        return None
    remaining = _unnest([value for _, value in parts])
    if remaining is None or sum(remaining) == total:
        return None
    shown = ", ".join(text for text, _ in parts)
    summed = format_number(sum(remaining), 6)
    if sum(remaining) > total:
        return (
            "narrative.parts",
            "error",
            MSG_PARTS_MORE.format(total=total_text, parts=shown, sum=summed),
            total_text,
            summed,
        )
    if exhaustive:
        return (
            "narrative.parts",
            "error",
            MSG_PARTS_SUM.format(total=total_text, parts=shown, sum=summed),
            total_text,
            summed,
        )
    return (
        "narrative.parts",
        "warning",
        MSG_PARTS_LESS.format(total=total_text, parts=shown, sum=summed),
        total_text,
        summed,
    )


def _unnest(values: list[Decimal]) -> list[Decimal] | None:
    """Drop parts that are the sum of a run of the parts after them (sub-parts: "75 DVCTT: 62 toàn trình, 13
    một phần"). None when the structure is too long to try."""
    if len(values) > 8:
        return None
    remaining = list(values)
    index = 0
    while index < len(remaining):
        for end in range(index + 3, len(remaining) + 1):
            if sum(remaining[index + 1 : end]) == remaining[index]:
                del remaining[index + 1 : end]
                break
        index += 1
    return remaining


def _document_years(paragraph: str, number: int) -> list[ProseFinding]:
    findings = []
    for match in _DOC_RE.finditer(paragraph):
        year_number = int(match["year"])
        year_date = int(match["y"] or match["y2"])
        if year_number == year_date or not 1945 <= year_number <= 2100:
            continue
        message = MSG_YEAR.format(
            number=match["number"], year_number=year_number, date=match["date"], year_date=year_date
        )
        findings.append(
            ProseFinding(
                "narrative.document_year",
                "error",
                message,
                str(year_date),
                str(year_number),
                number,
                (match.span("year"), match.span("date")),
            )
        )
    return findings


def excerpt_of(paragraph: str, start: int, end: int, width: int = 110) -> str:
    """The sentence around ``start:end``, cut to about ``width`` characters each side."""
    left = max(paragraph.rfind(". ", 0, start), paragraph.rfind("; ", 0, start))
    left = left + 2 if left >= 0 else 0
    right_candidates = [i for i in (paragraph.find(". ", end), paragraph.find("; ", end)) if i >= 0]
    right = min(right_candidates) + 1 if right_candidates else len(paragraph)
    if start - width > left:
        left = paragraph.find(" ", start - width) + 1 or start - width
    if end + width < right:
        right = (
            paragraph.rfind(" ", end, end + width)
            if paragraph.rfind(" ", end, end + width) > 0
            else end + width
        )
    text = paragraph[left:right].strip()
    return ("…" if left > 0 else "") + text + ("…" if right < len(paragraph) else "")
