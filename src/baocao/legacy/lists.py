"""A count announced for a list against the items the list names: "gồm 05 xã: Cẩm Giàng, Cẩm Văn, …", "có 3
bộ: Công Thương, Tài chính, Tư pháp", "08 nhiệm vụ, cụ thể:" followed by bullet lines.

Items are separated by commas and semicolons; "và" may join the last two items or sit inside a name ("Sở
Tài nguyên và Môi trường"), so a list "A, B và C" names two or three items, and only a count outside that
range is an error. A list that gives examples ("như", "v.v.", "…", "một số", "điển hình"), states figures
(a list of parts, checked as totals and parts) or runs into another clause is not compared.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from baocao.core.figures import Figure
from baocao.legacy.prose import ProseCoverage, ProseFinding

__all__ = ["check_list_counts"]

MSG_LIST_COUNT = "Phần lời ghi {count} {noun} nhưng danh sách sau đó nêu {listed}: {items}"

# The noun counted (one to five words, no figure), then what opens the list: ":", "gồm", "là", "cụ thể".
_OPENER = re.compile(
    r"\s*(?P<noun>[^\W\d_]+(?:[ ,]+[^\W\d_]+){0,5}?)\s*[,(]?\s*"
    r"(?:(?:bao\s+)?gồm(?:\s+có)?|là|cụ\s+thể(?:\s+là)?|như\s+sau|sau\s+đây|sau)?\s*:\s*",
    re.IGNORECASE,
)
_EXAMPLES = re.compile(
    r"\b(?:như|v\.v|vv|một\s+số|điển\s+hình|chẳng\s+hạn|trong\s+đó|còn\s+lại|khác|…)|\.\.\.|…", re.IGNORECASE
)
# A figure ends the list ("Công Thương, Tài chính, Tư pháp - 3 bộ có …"): what follows is a clause, and a list
# that states figures is one of parts. " - " alone joins a name ("phổ biến - giáo dục pháp luật").
_ITEM_END = re.compile(r"\.(?:\s|$)|\n|\d")
_BULLET = re.compile(r"\s*(?P<mark>[-–+•*]|[a-zđ]\)|\d{1,2}[.)])\s+\S")
MIN_COUNT, MAX_COUNT = 2, 30
MAX_ITEM = 120  # longer "items" are clauses, not names


def check_list_counts(
    paragraphs: Sequence[str], read: Sequence[Sequence[Figure]], coverage: ProseCoverage, first: int
) -> list[ProseFinding]:
    findings = []
    for index, (paragraph, figures) in enumerate(zip(paragraphs, read, strict=True)):
        for figure in figures:
            if not _announces(figure):
                continue
            opener = _OPENER.match(paragraph, figure.end)
            if opener is None or _EXAMPLES.search(opener["noun"]):
                continue
            rest = paragraph[opener.end() :]
            listed = _inline(rest) if rest.strip() else _bullets(paragraphs[index + 1 :])
            if listed is None:
                continue
            low, high, items = listed
            coverage.relations += 1
            coverage.compared.append(f"{figure.text} {opener['noun']}: {len(items)} mục")
            count = int(figure.value)
            if low <= count <= high:
                continue
            shown = "; ".join(items[:12])
            number = f"{low} mục" if low == high else f"{low} đến {high} mục"
            message = MSG_LIST_COUNT.format(
                count=figure.text, noun=opener["noun"].strip(" ,"), listed=number, items=shown
            )
            findings.append(
                ProseFinding(
                    "narrative.list_count",
                    "error",
                    message,
                    number,
                    figure.text,
                    index + first,
                    ((figure.start, figure.end),),
                )
            )
    return findings


def _announces(figure: Figure) -> bool:
    return (
        not (figure.percent or figure.approximate or figure.fraction or figure.in_range)
        and figure.value == figure.value.to_integral_value()
        and MIN_COUNT <= figure.value <= MAX_COUNT
    )


def _inline(rest: str) -> tuple[int, int, list[str]] | None:
    end = _ITEM_END.search(rest)
    if end is not None and end.group(0)[:1].isdigit():
        return None  # the list states figures: a list of parts, not of names
    region = rest[: end.start() if end else len(rest)]
    if _EXAMPLES.search(region) or ("(" in region and ")" not in region):
        return None
    region = re.sub(r"\([^()]*\)", "", region)
    items = [item.strip() for item in re.split(r"[,;]", region) if item.strip()]
    if len(items) < 2 or any(len(item) > MAX_ITEM for item in items):
        return None
    joined = sum(len(re.findall(r"\svà\s", item)) for item in items)
    return len(items), len(items) + joined, items


def _bullets(following: Sequence[str]) -> tuple[int, int, list[str]] | None:
    """Bullet lines of one kind right under the announcing paragraph; lines of another mark are sub-items."""
    items: list[str] = []
    kind = ""
    for paragraph in following:
        match = _BULLET.match(paragraph)
        if match is None:
            break
        mark = _kind(match["mark"])
        kind = kind or mark
        if mark == kind:
            if _EXAMPLES.search(paragraph[: match.end()]) or len(paragraph) > 400:
                return None
            items.append(paragraph[match.end() - 1 :].strip().rstrip(";.,")[:60])
    if len(items) < 2:
        return None
    return len(items), len(items), items


def _kind(mark: str) -> str:
    if mark in "-–":
        return "-"
    if mark[:1].isdigit():
        return "1."
    return "a)" if mark.endswith(")") else mark
