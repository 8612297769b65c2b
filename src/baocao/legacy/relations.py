"""A total and its parts in the prose: "Tiếp nhận 1.598 hồ sơ, trong đó: trực tuyến 61 hồ sơ, trực tiếp
1.537 hồ sơ", also when "Trong đó:" ends a line and the parts follow as bullet lines ("- …", "+ …" one level
lower), after "; trong đó", or inside parentheses.

Parts are the figures after the marker up to the end of the clause; in a bulleted list only the first
figure of each item at the list's own level counts (the rest of an item, and lower levels, detail that
item). A figure of another unit, a percentage, an approximate figure or one in parentheses is not a part.
When the parts cut across another dimension ("nữ", "đảng viên") their sum is not compared.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from baocao.core.figures import Figure, read_figures
from baocao.core.numbers import format_number, round_half_up
from baocao.legacy.prose import (
    MSG_SHARE,
    ProseCoverage,
    ProseFinding,
    matches_rounded,
    unit_after,
)

__all__ = ["Passage", "check_totals", "passages"]

MSG_PART_EXCEEDS = "Phần lời ghi tổng số {total}, trong đó một phần là {part}: phần lớn hơn tổng"
MSG_PARTS_MORE = "Phần lời ghi tổng số {total}, trong đó các phần {parts} cộng lại {sum}: lớn hơn tổng"
MSG_PARTS_LESS = (
    "Phần lời ghi tổng số {total}, trong đó các phần {parts} cộng lại chỉ {sum}: "
    "nếu đây là toàn bộ các phần thì số liệu không khớp"
)
MSG_PARTS_SUM = "Phần lời ghi tổng số {total}, trong đó các phần {parts} cộng lại {sum}: khác tổng"

_MARKER = re.compile(r"\b(?:trong\s+đó|cụ\s+thể|bao\s+gồm|gồm\s+có|gồm)\b\s*:?", re.IGNORECASE)
_BULLET = re.compile(r"\s*(?P<mark>[-–+•*]|[a-zđ]\)|\d{1,2}\))\s+")
_CLAUSE_END = re.compile(r"\.(?=\s|$)|;|\n")
_ITEM_BREAK = re.compile(r"[;\n]|[.:](?=\s*(?:[-–+•*]|[a-zđ]\))\s)")
_FIRST_WORD = re.compile(r"[\s,:]*([^\W\d_]+)")
_PARENTHESIS = re.compile(r"[()]")
_SENTENCE_BREAK = re.compile(r"\.\s|[;\n]")
# Pairs of parts that together make the whole: when both are written their sum must equal the total.
_EXHAUSTIVE = (
    (("trực tuyến",), ("trực tiếp",)),
    (("nam",), ("nữ",)),
    (("đúng hạn", "trước hạn"), ("quá hạn", "trễ hạn", "chậm hạn")),
    (("đã giải quyết",), ("đang giải quyết",)),
)
_PAIR_WORDS = {
    side: re.compile(r"\b(?:" + "|".join(re.escape(w) for w in side) + r")\b(?!\s+(?:bộ|định|trung|kỳ))")
    for pair in _EXHAUSTIVE
    for side in pair
}
# A part named "khác" (other) or "còn lại" (the rest) closes a partition.
_REMAINDER = re.compile(r"\b(?:khác|còn\s+lại)\b")
# A part named by one of these counts people or files of another dimension than its siblings.
_CROSS_CUTTING = ("nữ", "đảng viên", "dân tộc", "thiểu số", "trẻ", "tuổi", "đạt chuẩn", "trong đó")
MAX_TOTAL_GAP = 60


@dataclass(slots=True)
class Passage:
    """One paragraph, or a paragraph ending in ":" joined with the bullet paragraphs under it."""

    text: str
    figures: Sequence[Figure]
    starts: list[tuple[int, int]]  # (offset in text, paragraph index) of each joined paragraph

    def locate(self, start: int) -> tuple[int, int]:
        """The paragraph index and the offset within that paragraph of ``start``."""
        offset, index = next((o, i) for o, i in reversed(self.starts) if o <= start)
        return index, start - offset


def passages(paragraphs: list[str], read: Sequence[Sequence[Figure]]) -> Iterator[Passage]:
    """Each paragraph; one that ends in ":" with the bullet paragraphs under it; a bare "Trong đó:" with the
    paragraph before it (which states the total) and the bullets under it."""
    index = 0
    while index < len(paragraphs):
        end = index + 1
        if end < len(paragraphs) and _MARKER.fullmatch(paragraphs[end].strip()):
            end += 1
        if paragraphs[end - 1].rstrip().endswith(":"):
            while end < len(paragraphs) and _BULLET.match(paragraphs[end]):
                end += 1
        if end == index + 1:
            yield Passage(paragraphs[index], read[index], [(0, index)])
        else:
            yield _joined(paragraphs, index, end)
        index = end


def _joined(paragraphs: list[str], index: int, end: int) -> Passage:
    starts, offset = [], 0
    for position in range(index, end):
        starts.append((offset, position))
        offset += len(paragraphs[position]) + 1
    joined = "\n".join(paragraphs[index:end])
    return Passage(joined, read_figures(joined), starts)


def check_totals(passage: Passage, coverage: ProseCoverage, first: int) -> list[ProseFinding]:
    """Totals followed by "trong đó"-like markers, and totals followed by a parenthesis that splits them into
    a partition ("1.321 hồ sơ đang giải quyết (1.246 chưa đến hạn, 75 quá hạn)")."""
    findings = []
    text, figures = passage.text, passage.figures
    regions = [(m.start(), m.end(), _region_end(text, m.end()), False) for m in _MARKER.finditer(text)]
    regions += [(o, o + 1, close, True) for o, close in _parentheses(text) if not _MARKER.match(text, o + 1)]
    for at, start, end, partition_only in regions:
        total = _total(text, figures, at)
        if total is None:
            continue
        parts, shares = _parts(text, figures, total, start, end)
        label = text[start:end].lower()
        if partition_only and (len(parts) < 2 or not _is_partition(label)):
            continue
        for part, share in shares:
            findings += _share(passage, first, coverage, total, part, share)
        if not parts or any(part.approximate for part in parts):
            continue
        coverage.relations += 1
        coverage.compared.append(f"{total.text} = " + " + ".join(part.text for part in parts))
        finding = _parts_finding(total, parts, label)
        if finding is not None:
            rule, severity, message, expected, found = finding
            spans = [(total.start, total.end), *((p.start, p.end) for p in parts)]
            paragraph, _ = passage.locate(total.start)
            local = tuple(
                _local(passage, start, end) for start, end in spans if passage.locate(start)[0] == paragraph
            )
            findings.append(ProseFinding(rule, severity, message, expected, found, first + paragraph, local))
    return findings


def _parentheses(text: str) -> list[tuple[int, int]]:
    """(opening, closing) positions of the top-level parentheses."""
    pairs: list[tuple[int, int]] = []
    stack: list[int] = []
    for match in _PARENTHESIS.finditer(text):
        position, char = match.start(), match.group()
        if char == "(":
            stack.append(position)
        elif stack:
            opening = stack.pop()
            if not stack:
                pairs.append((opening, position))
    return pairs


def _is_partition(label: str) -> bool:
    """Both sides of a known partition are named (whole words: "nam" is not "Việt Nam"'s, "nữ" not "nữa")."""
    return any(all(_PAIR_WORDS[side].search(label) for side in pair) for pair in _EXHAUSTIVE) or bool(
        _REMAINDER.search(label)
    )


def _local(passage: Passage, start: int, end: int) -> tuple[int, int]:
    _, offset = passage.locate(start)
    return offset, offset + (end - start)


def _total(text: str, figures: Sequence[Figure], marker: int) -> Figure | None:
    """The count stated just before the marker, in the same clause."""
    index = bisect.bisect_right([f.end for f in figures], marker)
    if index == 0:
        return None
    total = figures[index - 1]
    gap = text[total.end : marker]
    if len(gap) > MAX_TOTAL_GAP or _SENTENCE_BREAK.search(gap.rstrip(" ,;:(\n.")) or ")" in gap:
        return None
    if total.percent or total.fraction or total.in_range or total.approximate:
        return None
    if total.value != total.value.to_integral_value():
        return None  # "1,74 người ứng cử trên một đại biểu": a ratio, not a count that parts add up to
    return total


def _region_end(text: str, start: int) -> int:
    """Where the parts end: the clause's end, unless the next clause is another bullet item or runs parallel
    to the first one ("; có 3.254 hồ sơ …" after "có 13.767 hồ sơ …"); a ")" closing a parenthesis opened
    before the marker."""
    position = start
    depth = 0
    first = _first_words(text, start)
    while position < len(text):
        char = text[position]
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return position
            depth -= 1
        elif (
            depth == 0
            and char in ".;\n"  # where a clause end can start: the pattern runs only there
            and _CLAUSE_END.match(text, position)
            and not _BULLET.match(text, position + 1)
            and (char != ";" or not _parallel(first, _first_words(text, position + 1)))
        ):
            return position
        position += 1
    return len(text)


def _first_words(text: str, start: int) -> tuple[str, bool]:
    """The first word of the clause from ``start`` and whether the clause states a share ("chiếm")."""
    match = _FIRST_WORD.match(text, start)
    end = _CLAUSE_END.search(text, start)
    clause = text[start : end.start() if end else len(text)].lower()
    return (match.group(1).lower() if match else "", "chiếm" in clause)


def _parallel(first: tuple[str, bool], other: tuple[str, bool]) -> bool:
    return bool(first[0]) and (first[0] == other[0] or (first[1] and other[1]))


def _parts(
    text: str, figures: Sequence[Figure], total: Figure, start: int, end: int
) -> tuple[list[Figure], list[tuple[Figure, Figure]]]:
    starts = [f.start for f in figures]
    inside = figures[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]
    bulleted = _BULLET.match(text, start) is not None or text[start:end].lstrip(" :").startswith("\n")
    level = _first_mark(text, start, end) if bulleted else None
    unit = unit_after(text, total)
    parts: list[Figure] = []
    shares: list[tuple[Figure, Figure]] = []
    item_has_part: dict[int, bool] = {}
    for index, figure in enumerate(inside):
        if figure.percent or figure.fraction or figure.in_range or _in_parentheses(text, start, figure.start):
            continue
        part_unit = unit_after(text, figure)
        if unit and part_unit and part_unit != unit:
            continue
        if bulleted:
            item_start, mark = _item_of(text, start, figure.start)
            if mark != level or item_has_part.get(item_start):
                continue
            item_has_part[item_start] = True
        parts.append(figure)
        following = inside[index + 1] if index + 1 < len(inside) else None
        if following is not None and following.percent and _is_share_gap(text[figure.end : following.start]):
            shares.append((figure, following))
    return parts, shares


def _first_mark(text: str, start: int, end: int) -> str | None:
    for line_start in _item_starts(text, start, end):
        match = _BULLET.match(text, line_start)
        if match:
            return _mark_kind(match["mark"])
    return None


def _mark_kind(mark: str) -> str:
    if mark in "-–":
        return "-"
    return "a)" if mark.endswith(")") else mark


def _item_starts(text: str, start: int, end: int) -> list[int]:
    return [start] + [m.end() for m in _ITEM_BREAK.finditer(text, start, end)]


def _item_of(text: str, start: int, position: int) -> tuple[int, str | None]:
    """The start and marker kind of the bullet item holding ``position``."""
    best = start
    for item_start in _item_starts(text, start, position):
        if item_start <= position:
            best = item_start
    match = _BULLET.match(text, best)
    return best, (_mark_kind(match["mark"]) if match else None)


def _in_parentheses(text: str, start: int, position: int) -> bool:
    segment = text[start:position]
    return segment.count("(") > segment.count(")")


def _is_share_gap(gap: str) -> bool:
    return bool(re.fullmatch(r"\s*(?:[^\W\d]+\s*){0,2}[,(]?\s*(?:chiếm\s+(?:(?:tỷ|tỉ)\s+lệ\s+)?)?", gap))


def _share(
    passage: Passage, first: int, coverage: ProseCoverage, total: Figure, part: Figure, share: Figure
) -> list[ProseFinding]:
    if total.value == 0 or part.approximate or share.approximate:
        return []
    coverage.relations += 1
    coverage.compared.append(f"{part.text}/{total.text} = {share.text}")
    exact = part.value / total.value * 100
    places = len(share.digits.split(",", 1)[1]) if "," in share.digits else 0
    if matches_rounded(exact, share.number, places):
        return []
    computed = format_number(round_half_up(exact, max(places, 1)), 6)
    message = MSG_SHARE.format(count=part.text, unit="", given=share.text, base=total.text, computed=computed)
    paragraph, _ = passage.locate(share.start)
    spans = tuple(
        _local(passage, f.start, f.end)
        for f in (part, share, total)
        if passage.locate(f.start)[0] == paragraph
    )
    return [ProseFinding("narrative.share", "error", message, computed, share.text, first + paragraph, spans)]


def _parts_finding(total: Figure, parts: list[Figure], label: str) -> tuple[str, str, str, str, str] | None:
    biggest = max(parts, key=lambda p: p.value)
    if biggest.value > total.value:
        return (
            "narrative.part",
            "error",
            MSG_PART_EXCEEDS.format(total=total.text, part=biggest.text),
            f"≤ {total.text}",
            biggest.text,
        )
    if len(parts) < 2:
        return None
    remaining = _unnest([part.value for part in parts])
    if remaining is None or sum(remaining) == total.value:
        return None
    shown = ", ".join(part.text for part in parts)
    summed = format_number(sum(remaining, Decimal(0)), 6)
    exhaustive = _is_partition(label)
    if sum(remaining) > total.value:
        if not exhaustive and any(re.search(rf"\b{word}\b", label) for word in _CROSS_CUTTING):
            return None
        # Parts that need not exclude each other ("10 đơn thuộc thẩm quyền, đã giải quyết 9 đơn") may
        # overlap: only a partition is an error.
        message = MSG_PARTS_MORE.format(total=total.text, parts=shown, sum=summed)
        return "narrative.parts", "error" if exhaustive else "warning", message, total.text, summed
    if exhaustive:
        message = MSG_PARTS_SUM.format(total=total.text, parts=shown, sum=summed)
        return "narrative.parts", "error", message, total.text, summed
    message = MSG_PARTS_LESS.format(total=total.text, parts=shown, sum=summed)
    return "narrative.parts", "warning", message, total.text, summed


def _unnest(values: list[Decimal]) -> list[Decimal] | None:
    """Drop parts that are the sum of a run of the parts after them (sub-parts: "75 DVCTT: 62 toàn trình, 13
    một phần"). None when the structure is too long to try."""
    if len(values) > 12:
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
