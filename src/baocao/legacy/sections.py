"""Relations across the paragraphs of one section: a share against a total stated earlier ("Tổng số hồ sơ
tiếp nhận 1.598 hồ sơ." … "giải quyết đúng hạn 1.500 hồ sơ, đạt 95%"), and a list by level ("- Cấp tỉnh: 120
hồ sơ; - Cấp huyện: 300 hồ sơ; - Cấp xã: 800 hồ sơ") against the total stated before it.

Precision first: a share is an error only when no count stated before it in the section, of the same kind,
gives its percentage (the base of "đạt 95%" is not written, so every candidate is tried), and a total of that
kind was stated, or the count it is linked to in its sentence ("tiếp nhận 6.776 hồ sơ, với 2.521 hồ sơ trực
tuyến (đạt tỷ lệ 37,76%)"). A list by level is compared only when each item opens with its level and states
its count first; it agrees when any count stated before it in the section equals its sum. A section ends at a
heading.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from baocao.core.figures import Figure
from baocao.core.numbers import format_number, round_half_up
from baocao.legacy.prose import UNIT_WORDS, ProseCoverage, ProseFinding, matches_rounded, unit_after

__all__ = ["check_sections"]

MSG_SHARE_EARLIER = (
    "Phần lời ghi {count} {unit}{verb} {given}, nhưng trên tổng số {base} nêu trước đó ({where}) thì "
    "{count}/{base} = {computed}%{others}; không số nào nêu trước trong mục cho ra {given}"
)
MSG_OTHER_TOTAL = ", trên {base} ({where}) thì {computed}%"
MSG_LEVELS = "Phần lời ghi tổng số {total} ({where}), nhưng {parts} cộng lại {sum}: {how}"
HOW_MORE, HOW_DIFFERENT, HOW_LESS = "lớn hơn tổng", "khác tổng", "nhỏ hơn tổng (nếu đây là mọi cấp)"

_HEADING = re.compile(r"^\s*(?:[IVX]+|\d+(?:\.\d+)*|[a-zđ])\s*[.)/]\s+\S", re.IGNORECASE)
_SHARE_GAP = re.compile(
    r"^\s*(?P<unit>[^\W\d]+(?:\s+[^\W\d]+){0,4}?)?\s*[,(]?\s*(?P<verb>đạt|chiếm|bằng)\s+(?:(?:tỷ|tỉ)\s+lệ\s+)?(?:là\s+)?$",
    re.IGNORECASE,
)
# A percentage followed by these compares with something else than a count ("đạt 95% kế hoạch"), or names
# its own base ("đạt 95% số hồ sơ đến hạn", "trên tổng số …"): the base is then not one to guess.
_OTHER_BASE = re.compile(
    r"\s*(?:so\s+với|kế\s+hoạch|chỉ\s+tiêu|cùng\s+kỳ|năm\s+trước|kỳ\s+trước|mục\s+tiêu|trở\s+lên|tăng|giảm"
    r"|trên\b|số\b|tổng\b|của\b|hồ\s+sơ\b)",
    re.IGNORECASE,
)
_TOTAL_WORDS = re.compile(r"\btổng\s+(?:số|cộng)\b|\btổng\b", re.IGNORECASE)
_PARTS_FOLLOW = re.compile(
    r"(?:\s+[^\W\d]+){0,4}\s*[,;:]?\s*(?:trong\s+đó|trong\s+số\s+đó|bao\s+gồm|gồm)\b", re.IGNORECASE
)
_CLAUSE_BREAK = re.compile(r"[.;!?](?:\s|$)|\n")
_LEVEL_ITEM = re.compile(
    r"^\s*(?:[-–+•*]\s*)?(?:(?:tại|ở|đối\s+với)\s+)?cấp\s+(?P<level>tỉnh|huyện|xã)\b(?P<gap>[^\d;]{0,50}?)$",
    re.IGNORECASE,
)
# "tiếp nhận 6.776 hồ sơ, với 2.521 hồ sơ trực tuyến (đạt tỷ lệ 37,76%)": the count the share is linked to.
_LINK = re.compile(
    r"\s*(?:[^\W\d]+\s*){0,3}[,;]?\s*(?:với|trong\s+đó|trong\s+số\s+đó|gồm|bao\s+gồm)\s*:?\s*(?:có\s+)?$",
    re.IGNORECASE,
)
_ITEM_SPLIT = re.compile(r";\s*|\n")
MAX_TOTALS_SHOWN = 2
MAX_PARAGRAPHS_BACK = 6  # a total stated further back is seldom the base the writer meant


@dataclass(frozen=True, slots=True)
class _Stated:
    """A count stated in the section: its paragraph, the figure, its unit word and whether it is a total."""

    paragraph: int
    figure: Figure
    unit: str
    total: bool
    where: str


def check_sections(
    paragraphs: Sequence[str], read: Sequence[Sequence[Figure]], coverage: ProseCoverage, first: int
) -> list[ProseFinding]:
    findings: list[ProseFinding] = []
    stated: list[_Stated] = []
    run: list[_Part] = []  # a list by level, over one paragraph or several consecutive ones
    for index, (paragraph, figures) in enumerate(zip(paragraphs, read, strict=True)):
        items = _level_items(paragraph, figures, index + first)
        if run and (not items or _HEADING.match(paragraph)):
            findings += _level_list(run, stated, coverage)
            run = []
        if _HEADING.match(paragraph) and len(paragraph) < 160:
            stated = []
        run += items
        shares = _share_claims(paragraph, figures)
        unwritten = _common_base(figures, shares)
        for position, figure in enumerate(figures):
            claim = shares.get(position)
            if claim is not None and not unwritten:
                findings += _share(paragraph, figure, claim, index + first, stated, coverage)
            if _countable(figure):
                stated.append(_stated(paragraph, figure, index + first))
    if run:
        findings += _level_list(run, stated, coverage)
    return findings


def _countable(figure: Figure) -> bool:
    return not (figure.percent or figure.approximate or figure.fraction or figure.in_range)


def _clause_before(text: str, position: int) -> str:
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text, 0, position)]
    return text[breaks[-1] if breaks else 0 : position]


def _stated(paragraph: str, figure: Figure, number: int) -> _Stated:
    before = _clause_before(paragraph, figure.start)
    unit = unit_after(paragraph, figure)
    if not unit:
        # "Tổng số hồ sơ tiếp nhận: 1.598": the kind is named before the figure.
        words = [w.lower() for w in re.findall(r"[^\W\d_]+", before[-60:])]
        unit = next((w for w in words if w in UNIT_WORDS), "")
    tail = before[-60:]
    if len(before) > 60:
        tail = tail.split(" ", 1)[-1]  # from a whole word
    where = " ".join([*tail.split(), figure.text])
    # A total: "tổng số … 1.598", or a count its parts follow ("tiếp nhận 2.265 hồ sơ; trong đó …").
    total = bool(_TOTAL_WORDS.search(before[-80:]) or _PARTS_FOLLOW.match(paragraph, figure.end))
    return _Stated(number, figure, unit, total, where)


def _places(share: Figure) -> int:
    return len(share.digits.split(",", 1)[1]) if "," in share.digits else 0


def _share_claims(paragraph: str, figures: Sequence[Figure]) -> dict[int, tuple[Figure, str, str]]:
    """Position of each count followed by its share ("1.500 hồ sơ, đạt 95%") → the share, its unit words."""
    claims = {}
    for position, (count, share) in enumerate(itertools.pairwise(figures)):
        if not share.percent or share.approximate or share.value > 100 or not _countable(count):
            continue
        gap = _SHARE_GAP.match(paragraph[count.end : share.start])
        if gap is None or _OTHER_BASE.match(paragraph, share.end) or not unit_after(paragraph, count):
            continue
        claims[position] = (share, gap["unit"] or "", gap["verb"].lower())
    return claims


def _common_base(figures: Sequence[Figure], claims: dict[int, tuple[Figure, str, str]]) -> bool:
    """Several shares of one paragraph that agree on one base not written ("Cao học 02 người, chiếm 8,3%;
    Đại học 17 người, chiếm 70,8%": 24 people) are shares of that base, not of a total stated earlier."""
    if len(claims) < 2:
        return False
    pairs = [(figures[position], claim[0]) for position, claim in claims.items()]
    count, share = max(pairs, key=lambda pair: pair[0].value)
    if share.value == 0:
        return False
    implied = int(count.value * 100 / share.value)
    for base in range(max(implied - 2, 1), implied + 3):
        if all(matches_rounded(c.value / base * 100, p.number, _places(p)) for c, p in pairs):
            return True
    return False


def _share(
    paragraph: str,
    count: Figure,
    claim: tuple[Figure, str, str],
    number: int,
    stated: list[_Stated],
    coverage: ProseCoverage,
) -> list[ProseFinding]:
    share, unit_words, verb = claim
    unit = unit_after(paragraph, count)
    places = _places(share)
    near = [s for s in stated if number - s.paragraph <= MAX_PARAGRAPHS_BACK]
    bases = [s for s in near if s.figure.value >= count.value and s.figure.value > 0]
    if any(matches_rounded(count.value / s.figure.value * 100, share.number, places) for s in bases):
        return []
    linked = [
        s for s in bases if s.paragraph == number and _LINK.match(paragraph[s.figure.end : count.start])
    ]
    totals = [s for s in bases if s.total and s.unit == unit]
    if not linked and not totals:
        return []
    # The linked count first, then the totals from the nearest back: the figure fits none of them.
    candidates = [*linked[-1:], *(t for t in reversed(totals) if t not in linked[-1:])][:MAX_TOTALS_SHOWN]
    base = candidates[0]
    coverage.relations += 1
    coverage.compared.append(f"{count.text}/{base.figure.text} = {share.text}")

    def computed(total: _Stated) -> str:
        exact = count.value / total.figure.value * 100
        return format_number(round_half_up(exact, max(places, 1)), 6)

    others = "".join(
        MSG_OTHER_TOTAL.format(base=t.figure.text, where=t.where, computed=computed(t))
        for t in candidates[1:]
    )
    message = MSG_SHARE_EARLIER.format(
        count=count.text,
        unit=f"{unit_words} " if unit_words else "",
        verb=verb,
        given=share.text,
        base=base.figure.text,
        where=base.where,
        computed=computed(base),
        others=others,
    )
    spans = ((count.start, count.end), (share.start, share.end))
    return [ProseFinding("narrative.share", "error", message, computed(base), share.text, number, spans)]


@dataclass(frozen=True, slots=True)
class _Part:
    level: str
    figure: Figure
    unit: str
    paragraph: int


def _level_items(paragraph: str, figures: Sequence[Figure], number: int) -> list[_Part]:
    """The items of a paragraph that open with a level and state a count first ("- Cấp xã: 800 hồ sơ")."""
    parts: list[_Part] = []
    offset = 0
    for item in _ITEM_SPLIT.split(paragraph):
        start = paragraph.find(item, offset)
        offset = start + len(item)
        inside = [f for f in figures if start <= f.start < start + len(item)]
        head = _LEVEL_ITEM.match(paragraph[start : inside[0].start]) if inside else None
        if head and _countable(inside[0]):
            parts.append(_Part(head["level"].lower(), inside[0], unit_after(paragraph, inside[0]), number))
    return parts


def _level_list(run: list[_Part], stated: list[_Stated], coverage: ProseCoverage) -> list[ProseFinding]:
    levels = [part.level for part in run]
    units = {part.unit for part in run} - {""}
    if len(run) < 2 or len(set(levels)) != len(levels) or len(units) > 1:
        return []
    unit = next(iter(units), "")
    total_sum = sum((part.figure.value for part in run), start=run[0].figure.value * 0)
    first = run[0]
    earlier = [
        s
        for s in stated
        if s.paragraph < first.paragraph
        or (s.paragraph == first.paragraph and s.figure.end <= first.figure.start)
    ]
    shown_parts = " + ".join(part.figure.text for part in run)
    if any(s.figure.value == total_sum for s in earlier):
        coverage.relations += 1
        coverage.compared.append(f"{shown_parts} = {format_number(total_sum, 6)}")
        return []
    totals = [s for s in earlier if s.total and (s.unit == unit or not unit or not s.unit)]
    if not totals:
        return []
    total = totals[-1]
    coverage.relations += 1
    coverage.compared.append(f"{total.figure.text} = {shown_parts}")
    if total_sum > total.figure.value:
        how, severity = HOW_MORE, "error"
    elif set(levels) == {"tỉnh", "huyện", "xã"}:
        how, severity = HOW_DIFFERENT, "error"
    else:
        how, severity = HOW_LESS, "warning"
    shown = ", ".join(f"cấp {part.level} {part.figure.text}" for part in run)
    summed = format_number(total_sum, 6)
    message = MSG_LEVELS.format(total=total.figure.text, where=total.where, parts=shown, sum=summed, how=how)
    spans = tuple((part.figure.start, part.figure.end) for part in run if part.paragraph == first.paragraph)
    return [
        ProseFinding("narrative.parts", severity, message, total.figure.text, summed, first.paragraph, spans)
    ]
