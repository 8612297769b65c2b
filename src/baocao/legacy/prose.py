"""Checks of the prose that need no definition: ratio claims, shares of a stated total, totals and their
parts (``relations``), and document references (``citations``).

Every figure is read by ``baocao.core.figures``. Each check states what it compared (``ProseCoverage``). It
stays quiet where it cannot know: an approximate figure ("hơn 700"), a share with no total stated before it,
parts that may be nested or cut across another dimension, a ratio over a base that is not written.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from baocao.core.figures import Figure, read_figures
from baocao.core.numbers import format_number, round_half_up

__all__ = [
    "ProseCoverage",
    "ProseFinding",
    "check_paragraph",
    "check_paragraphs",
    "excerpt_of",
    "matches_rounded",
    "unit_after",
]

MSG_RATIO = "Phần lời ghi {a}/{b} đạt tỷ lệ {given}, nhưng {a}/{b} = {computed}%"
MSG_BOUND = "Phần lời ghi {a}/{b} đạt {word} {given}, nhưng {a}/{b} = {computed}%"
MSG_CHANGE = (
    "Phần lời ghi {now}, {verb} {given} so với {before}, nhưng {high} − {low} = {points} điểm phần trăm "
    "(tương đối {relative}%)"
)
MSG_SHARE = "Phần lời ghi {count} {unit}chiếm {given} trên tổng số {base}, nhưng {count}/{base} = {computed}%"

_RATIO_GAP = re.compile(
    r"^\s*(?:(?:[^\W\d]+\s+){0,3}\(\s*(?:(?:đạt|bằng|chiếm)\s+)?|[,(:]?\s*(?:(?:đạt|bằng|chiếm)\s+)?"
    r"(?:(?:tỷ|tỉ)\s+lệ\s+)?(?:là\s+)?)(?:(?:hơn|trên|dưới)\s+)?$",
    re.IGNORECASE,
)
_SHARE_GAP = re.compile(
    r"^\s*(?P<unit>[^\W\d]+(?:\s[^\W\d]+)?)?\s*[,(]?\s*(?:chiếm\s+(?:(?:tỷ|tỉ)\s+lệ\s+)?|\(\s*)$",
    re.IGNORECASE,
)
# "đạt 75% (45/60)": the ratio written in parentheses right after its percentage, perhaps with a unit.
_RATIO_AFTER_OPEN = re.compile(r"^\s*\(\s*$")
_RATIO_AFTER_CLOSE = re.compile(r"\s*(?:[^\W\d]+\s*){0,3}\)")
# "45 hồ sơ (chiếm 30% tổng số 150 hồ sơ)": the base written right after the share.
_TOTAL_AFTER = re.compile(r"^\s*(?:trên\s+)?tổng\s+số\s+(?:[^\W\d]+\s+){0,3}$", re.IGNORECASE)
# "đạt 82,66%, tăng 2,58% so với năm 2022 (80,08%)": a rate, its change and the earlier rate in parentheses.
_CHANGE_VERB = re.compile(r"^\s*,?\s*(?P<verb>tăng|giảm)(?:\s+thêm)?\s*$", re.IGNORECASE)
_CHANGE_BASE = re.compile(r"^\s*so\s+với\s+[^()%;.]{0,60}\(\s*$", re.IGNORECASE)
_CHANGE_CLOSE = re.compile(r"\s*\)")
_BOUND_WORD = re.compile(r"\b(hơn|trên|dưới)\s*$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.;!?](?:\s|$)")
_TOTAL_BEFORE = re.compile(r"tổng\s+số\b[^.;%]{0,80}?(?:là|:|gồm|có)?\s*$", re.IGNORECASE)
_UNIT_AFTER = re.compile(r"\s*([^\W\d]+(?:\s+[^\W\d]+)?)")
# Unit words whose first word names what is counted; two figures with different ones count different things.
UNIT_WORDS = frozenset(
    {
        "hồ",
        "người",
        "thủ",
        "tthc",
        "văn",
        "nhiệm",
        "cuộc",
        "lượt",
        "đơn",
        "pakn",
        "kiến",
        "cơ",
        "xã",
        "thôn",
        "hộ",
        "doanh",
        "tổ",
        "lớp",
        "dịch",
        "dvc",
        "dvctt",
        "mục",
        "cán",
        "công",
        "viên",
        "đồng",
        "triệu",
        "tỷ",
        "hội",
        "tin",
        "bài",
        "máy",
        "tài",
        "chứng",
        "hợp",
        "vụ",
        "đảng",
        "tiêu",  # tiêu chí
        "chỉ",  # chỉ tiêu
        "lĩnh",  # lĩnh vực
    }
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


@dataclass(slots=True)
class ProseCoverage:
    """What the prose checks read and compared: the honest part of a verdict."""

    sentences_with_figures: int = 0
    figures: int = 0
    relations: int = 0  # ratios, shares, totals with parts, document references compared
    compared: list[str] = field(default_factory=list)


def matches_rounded(exact: Decimal, given: Decimal, places: int) -> bool:
    """Clerks round half up or cut the digits off: both are accepted. A last printed digit 0 may pad a figure
    rounded to fewer places ("36,70%" for 182/496 = 36,69…%, rounded to 36,7 and written with two places)."""
    while True:
        shown = given.quantize(Decimal(1).scaleb(-places)) if places >= 0 else given
        if shown in (round_half_up(exact, places), exact.quantize(Decimal(1).scaleb(-places), ROUND_DOWN)):
            return True
        if places == 0 or given != given.quantize(Decimal(1).scaleb(-(places - 1)), ROUND_DOWN):
            return False
        places -= 1


def _places(figure: Figure) -> int:
    digits = figure.digits
    return len(digits.split(",", 1)[1]) if "," in digits else 0


def unit_after(text: str, figure: Figure) -> str:
    """The first word after a figure when it names a unit ("1.598 hồ sơ" → "hồ"), else ""."""
    match = _UNIT_AFTER.match(text, figure.end)
    if not match:
        return ""
    word = match.group(1).split()[0].lower()
    return word if word in UNIT_WORDS else ""


def check_paragraph(paragraph: str, number: int, coverage: ProseCoverage | None = None) -> list[ProseFinding]:
    """Ratio claims, shares and totals with parts of one paragraph (document references: ``citations``)."""
    return check_paragraphs([paragraph], coverage, first=number)


def check_paragraphs(
    paragraphs: list[str], coverage: ProseCoverage | None = None, first: int = 0
) -> list[ProseFinding]:
    from baocao.legacy.citations import check_citations
    from baocao.legacy.lists import check_list_counts
    from baocao.legacy.relations import check_totals, passages
    from baocao.legacy.sections import check_sections
    from baocao.legacy.shares import check_list_shares, check_named_rates

    coverage = coverage if coverage is not None else ProseCoverage()
    findings: list[ProseFinding] = []
    read = [read_figures(paragraph) for paragraph in paragraphs]
    for index, (paragraph, figures) in enumerate(zip(paragraphs, read, strict=True)):
        coverage.figures += len(figures)
        coverage.sentences_with_figures += _sentences_with_figures(paragraph, figures)
        findings += _ratio_claims(paragraph, figures, first + index, coverage)
        findings += _shares(paragraph, figures, first + index, coverage)
        findings += _changes(paragraph, figures, first + index, coverage)
    for passage in passages(paragraphs, read):
        findings += check_totals(passage, coverage, first)
    findings += _not_found_yet(findings, check_sections(paragraphs, read, coverage, first))
    findings += _not_found_yet(findings, check_list_shares(paragraphs, read, coverage, first))
    findings += check_named_rates(paragraphs, read, coverage, first)
    findings += check_list_counts(paragraphs, read, coverage, first)
    findings += check_citations(paragraphs, coverage, first)
    return _distinct(findings)


def _not_found_yet(findings: list[ProseFinding], more: list[ProseFinding]) -> list[ProseFinding]:
    """The section checks' findings on figures no check of a single passage already flagged."""
    flagged = {(f.paragraph, span) for f in findings for span in f.spans}
    return [f for f in more if not any((f.paragraph, span) in flagged for span in f.spans)]


def _distinct(findings: list[ProseFinding]) -> list[ProseFinding]:
    """A share inside a list of parts is found by both checks: keep it once."""
    seen: set[tuple[str, int, frozenset[tuple[int, int]]]] = set()
    kept = []
    for finding in findings:
        key = (finding.rule, finding.paragraph, frozenset(finding.spans))
        if key not in seen:
            seen.add(key)
            kept.append(finding)
    return kept


def _sentences_with_figures(paragraph: str, figures: Sequence[Figure]) -> int:
    ends = [m.end() for m in _SENTENCE_END.finditer(paragraph)]
    return len({bisect.bisect_right(ends, figure.start) for figure in figures})


def _ratio_claims(
    paragraph: str, figures: Sequence[Figure], number: int, coverage: ProseCoverage
) -> list[ProseFinding]:
    findings = []
    for a, b, p in _ratio_triples(paragraph, figures):
        if a.approximate or b.value == 0:
            continue
        if p.approximate:
            findings += _ratio_bound(paragraph, a, b, p, number, coverage)
            continue
        coverage.relations += 1
        coverage.compared.append(f"{a.text}/{b.text} = {p.text}")
        exact = a.value / b.value * 100
        if matches_rounded(exact, p.number, _places(p)):
            continue
        computed = format_number(round_half_up(exact, max(_places(p), 1)), 6)
        message = MSG_RATIO.format(a=a.text, b=b.text, given=p.text, computed=computed)
        spans = ((a.start, a.end), (b.start, b.end), (p.start, p.end))
        findings.append(ProseFinding("narrative.ratio", "error", message, computed, p.text, number, spans))
    return findings


def _ratio_bound(
    paragraph: str, a: Figure, b: Figure, p: Figure, number: int, coverage: ProseCoverage
) -> list[ProseFinding]:
    """ "103/194 người (đạt hơn 59%)": a share written as a bound must be on its side of the bound."""
    word = _BOUND_WORD.search(paragraph, max(0, p.start - 12), p.start)
    if word is None:
        return []
    coverage.relations += 1
    coverage.compared.append(f"{a.text}/{b.text} = {word[1]} {p.text}")
    exact = a.value / b.value * 100
    above = word[1].lower() in ("hơn", "trên")
    if (exact >= p.number) if above else (exact <= p.number):
        return []
    computed = format_number(round_half_up(exact, max(_places(p), 1)), 6)
    message = MSG_BOUND.format(a=a.text, b=b.text, word=word[1].lower(), given=p.text, computed=computed)
    spans = ((a.start, a.end), (b.start, b.end), (p.start, p.end))
    return [ProseFinding("narrative.ratio", "error", message, computed, p.text, number, spans)]


def _ratio_triples(paragraph: str, figures: Sequence[Figure]) -> list[tuple[Figure, Figure, Figure]]:
    """(numerator, denominator, percentage) of "a/b, đạt p%" and of "p% (a/b)"."""
    triples = []
    for first, second, third in zip(figures, figures[1:], figures[2:], strict=False):
        if (
            first.fraction == "numerator"
            and third.percent
            and _RATIO_GAP.match(paragraph[second.end : third.start])
        ):
            triples.append((first, second, third))
        elif (
            first.percent
            and second.fraction == "numerator"
            and third.fraction == "denominator"
            and _RATIO_AFTER_OPEN.match(paragraph[first.end : second.start])
            and _RATIO_AFTER_CLOSE.match(paragraph, third.end)
            and second.value <= third.value
        ):
            triples.append((second, third, first))
    return triples


def _shares(
    paragraph: str, figures: Sequence[Figure], number: int, coverage: ProseCoverage
) -> list[ProseFinding]:
    findings = []
    for position, (count, p) in enumerate(itertools.pairwise(figures)):
        gap = _SHARE_GAP.match(paragraph[count.end : p.start])
        if not p.percent or count.percent or count.fraction or gap is None or "chiếm" not in gap.group(0):
            continue
        base = _total_before(paragraph, figures[:position]) or _total_after(
            paragraph, figures[position + 2 :], count, p
        )
        if base is None or count.approximate or base.value == 0 or count.value > base.value:
            continue
        coverage.relations += 1
        coverage.compared.append(f"{count.text}/{base.text} = {p.text}")
        exact = count.value / base.value * 100
        if matches_rounded(exact, p.number, _places(p)):
            continue
        computed = format_number(round_half_up(exact, max(_places(p), 1)), 6)
        unit = f"{gap['unit']} " if gap["unit"] else ""
        message = MSG_SHARE.format(
            count=count.text, unit=unit, given=p.text, base=base.text, computed=computed
        )
        spans = ((count.start, count.end), (p.start, p.end), (base.start, base.end))
        findings.append(ProseFinding("narrative.share", "error", message, computed, p.text, number, spans))
    return findings


def _changes(
    paragraph: str, figures: Sequence[Figure], number: int, coverage: ProseCoverage
) -> list[ProseFinding]:
    """A rate, its rise or fall and the earlier rate: the change may be written in percentage points or
    relative to the earlier rate; either, within the rounding of the three figures, is right."""
    findings = []
    for now, change, before in zip(figures, figures[1:], figures[2:], strict=False):
        if not (now.percent and change.percent and before.percent):
            continue
        verb = _CHANGE_VERB.match(paragraph[now.end : change.start])
        if verb is None or not _CHANGE_BASE.match(paragraph[change.end : before.start]):
            continue
        if not _CHANGE_CLOSE.match(paragraph, before.end) or any(
            f.approximate for f in (now, change, before)
        ):
            continue
        if (verb["verb"].lower() == "tăng") != (now.number > before.number) or before.number == 0:
            continue  # the direction says the earlier rate is of another measure: nothing to compare
        coverage.relations += 1
        coverage.compared.append(f"{now.text} − {before.text} = {change.text}")
        if _change_fits(now, change, before):
            continue
        points = abs(now.number - before.number)
        relative = points / before.number * 100
        message = MSG_CHANGE.format(
            now=now.text,
            verb=verb["verb"].lower(),
            given=change.text,
            before=before.text,
            high=max(now, before, key=lambda f: f.number).text,
            low=min(now, before, key=lambda f: f.number).text,
            points=format_number(points, 6),
            relative=format_number(round_half_up(relative, 2), 6),
        )
        spans = ((now.start, now.end), (change.start, change.end), (before.start, before.end))
        expected = format_number(points, 6)
        findings.append(
            ProseFinding("narrative.change", "error", message, expected, change.text, number, spans)
        )
    return findings


def _change_fits(now: Figure, change: Figure, before: Figure) -> bool:
    """Whether the stated change is the difference or the relative change of the two rates, allowing each
    figure a full unit of its last printed place (rounded or cut off)."""

    def unit(figure: Figure) -> Decimal:
        return Decimal(1).scaleb(-_places(figure))

    low_now, high_now = now.number - unit(now), now.number + unit(now)
    low_before, high_before = before.number - unit(before), before.number + unit(before)
    if low_before <= 0:
        return True  # an earlier rate this small says nothing about a relative change
    differences = (abs(high_now - low_before), abs(low_now - high_before))
    relatives = [abs(a - b) / b * 100 for a in (low_now, high_now) for b in (low_before, high_before)]
    given_low, given_high = change.number - unit(change), change.number + unit(change)
    for low, high in ((min(differences), max(differences)), (min(relatives), max(relatives))):
        if given_low <= high and low <= given_high:
            return True
    return False


def _total_before(paragraph: str, figures: Sequence[Figure]) -> Figure | None:
    """The last "tổng số … N" stated before, not approximate, not a percentage."""
    for figure in reversed(figures):
        if figure.percent or figure.approximate or figure.fraction:
            continue
        if _TOTAL_BEFORE.search(paragraph, max(0, figure.start - 90), figure.start):
            return figure
    return None


def _total_after(paragraph: str, figures: Sequence[Figure], count: Figure, share: Figure) -> Figure | None:
    """The count written right after the share as its base ("chiếm 30% tổng số 150 hồ sơ"), counting the same
    thing as ``count`` where both name what they count."""
    if not figures:
        return None
    base = figures[0]
    if base.percent or base.approximate or base.fraction or base.in_range:
        return None
    if not _TOTAL_AFTER.match(paragraph[share.end : base.start]):
        return None
    units = unit_after(paragraph, count), unit_after(paragraph, base)
    return None if all(units) and units[0] != units[1] else base


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
