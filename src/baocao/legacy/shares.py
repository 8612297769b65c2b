"""Shares read against the other shares of the same list, and one name given two rates.

A list of counts with their shares ("trong số 30 đại biểu …, nữ có 8 người, chiếm 26,67%; … khối chính quyền
có 8 người, chiếm 36,67%") shows which base its writer used: when at least two other shares of the section are
shares of a count stated before (30), a share that fits neither that count nor any base two other shares agree
on is an error ("8/30 = 26,67%"). Shares of another base written in the same section ("khóa XIII có 42 người,
tỉ lệ 8,4%" among shares of 496) agree among themselves and stay quiet.

A name given a rate twice in one paragraph ("Bộ Công Thương đứng thứ hai với tỷ lệ 99,7%" … "thấp nhất lần
lượt là: Xây dựng (16,6%), Công Thương (25%)") is an error when the two rates differ and no word between them
says the rate changed or belongs to another period.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from baocao.core.figures import UPPER, Figure
from baocao.core.numbers import format_number, round_half_up
from baocao.legacy.prose import ProseCoverage, ProseFinding, matches_rounded

__all__ = ["check_list_shares", "check_named_rates"]

MSG_LIST_SHARE = (
    "Phần lời ghi {count} {unit}{given}, nhưng các tỷ lệ khác cùng danh sách tính trên {base} ({support}) "
    "và {count}/{base} = {computed}%"
)
MSG_TWO_RATES = "Phần lời ghi {name} hai tỷ lệ khác nhau trong cùng đoạn: {first} và {second}"

_HEADING = re.compile(r"^\s*(?:[IVX]+|\d+(?:\.\d+)*|[a-zđ])\s*[.)/]\s+\S", re.IGNORECASE)
# Between a count and its share: the count's noun and what it counts, then "(", "chiếm", "đạt", "bằng" or
# "tỷ lệ" right before the percentage.
_CLAIM_GAP = re.compile(
    r"^\s*(?P<unit>(?!(?:chiếm|đạt|bằng|tỷ|tỉ)\b)[^\W\d][^\d;%()]{0,70}?)?\s*(?:[,(]\s*|(?<=\s))"
    r"(?:(?:chiếm|đạt|bằng)\s+)?(?:(?:tỷ|tỉ)\s+lệ\s*)?(?:là\s+)?:?\s*$",
    re.IGNORECASE,
)
_CLAIM_MARK = re.compile(r"\(|\b(?:chiếm|đạt|bằng|tỷ\s+lệ|tỉ\s+lệ)\b", re.IGNORECASE)
_OTHER_MEASURE = re.compile(r"so\s+với|tăng|giảm|kế\s+hoạch|chỉ\s+tiêu|cùng\s+kỳ|\bkỳ\s+trước", re.IGNORECASE)
_AFTER_SHARE = re.compile(
    r"\s*(?:so\s+với|kế\s+hoạch|chỉ\s+tiêu|cùng\s+kỳ|năm\s+trước|kỳ\s+trước|mục\s+tiêu|trở\s+lên|tăng|giảm)",
    re.IGNORECASE,
)
MAX_PARAGRAPHS_APART = 6
MIN_SUPPORT = 2
MAX_SPREAD = Decimal("0.025")


@dataclass(frozen=True, slots=True)
class _Claim:
    paragraph: int
    count: Figure
    share: Figure
    unit: str
    # "8 người, chiếm 26,67%", "564 người (64,98%)": marked as a share. "62 người, 12,4%" is read only as a
    # witness of its base, never judged.
    marked: bool

    @property
    def places(self) -> int:
        digits = self.share.digits
        return len(digits.split(",", 1)[1]) if "," in digits else 0

    def fits(self, base: Decimal) -> bool:
        return base >= self.count.value and matches_rounded(
            self.count.value / base * 100, self.share.number, self.places
        )

    def interval(self) -> tuple[Decimal, Decimal]:
        """The bases the share may have been computed on, rounded or cut off: a little wider than exact."""
        step = Decimal(1).scaleb(-self.places)
        high, low = self.share.number + step, max(self.share.number - step / 2, Decimal("0.0001"))
        return self.count.value * 100 / high, self.count.value * 100 / low

    @property
    def informative(self) -> bool:
        """A share precise enough to tell its base ("87 người, 70%": 124–125), unlike "2 người, 0,4%"
        (any base from 445 to 570)."""
        low, high = self.interval()
        return (high - low) / low <= MAX_SPREAD


def _countable(figure: Figure) -> bool:
    return not (figure.percent or figure.approximate or figure.fraction or figure.in_range) and (
        figure.value == figure.value.to_integral_value()
    )


def _claims(paragraph: str, figures: Sequence[Figure], number: int) -> list[_Claim]:
    claims = []
    for count, share in itertools.pairwise(figures):
        if not share.percent or share.approximate or not 0 < share.value <= 100 or not _countable(count):
            continue
        gap_text = paragraph[count.end : share.start]
        gap = _CLAIM_GAP.match(gap_text)
        if gap is None or _OTHER_MEASURE.search(gap_text):
            continue
        labelled = paragraph[: count.start].rstrip().endswith(":")  # "cán bộ nữ: 11, chiếm 24,44%"
        if _AFTER_SHARE.match(paragraph, share.end) or count.value == 0 or not (gap["unit"] or labelled):
            continue
        unit = (gap["unit"] or "").split()[0] if gap["unit"] else ""
        claims.append(_Claim(number, count, share, unit, _CLAIM_MARK.search(gap_text) is not None))
    return claims


def check_list_shares(
    paragraphs: Sequence[str], read: Sequence[Sequence[Figure]], coverage: ProseCoverage, first: int
) -> list[ProseFinding]:
    findings: list[ProseFinding] = []
    for section in _sections(paragraphs):
        claims: list[_Claim] = []
        stated: list[tuple[int, Figure]] = []
        for index in section:
            claims += _claims(paragraphs[index], read[index], index + first)
            stated += [(index + first, f) for f in read[index] if _countable(f) and f.value > 0]
        for claim in (c for c in claims if c.marked):
            finding = _judge(claim, claims, stated, coverage, paragraphs[claim.paragraph - first])
            if finding is not None:
                findings.append(finding)
    return findings


def _sections(paragraphs: Sequence[str]) -> list[list[int]]:
    sections: list[list[int]] = [[]]
    for index, paragraph in enumerate(paragraphs):
        if _HEADING.match(paragraph) and len(paragraph) < 160 and sections[-1]:
            sections.append([])
        sections[-1].append(index)
    return sections


def _distinct(claims: Iterable[_Claim]) -> list[_Claim]:
    """One claim for each (count, share) written: a sentence repeated is no second witness."""
    seen: dict[tuple[Decimal, Decimal], _Claim] = {}
    for claim in claims:
        seen.setdefault((claim.count.value, claim.share.number), claim)
    return list(seen.values())


def _agreed_base_fits(claim: _Claim, others: list[_Claim]) -> bool:
    low, high = claim.interval()
    for one, two in itertools.combinations(others, 2):
        start = max(low, *(c.interval()[0] for c in (one, two)))
        end = min(high, *(c.interval()[1] for c in (one, two)))
        for base in range(max(math.ceil(start), 1), min(math.floor(end), math.ceil(start) + 50) + 1):
            if all(c.fits(Decimal(base)) for c in (claim, one, two)):
                return True
    return False


def _judge(
    claim: _Claim,
    claims: list[_Claim],
    stated: list[tuple[int, Figure]],
    coverage: ProseCoverage,
    paragraph: str,
) -> ProseFinding | None:
    others = _distinct(
        c
        for c in claims
        if c is not claim and c.informative and abs(c.paragraph - claim.paragraph) <= MAX_PARAGRAPHS_APART
    )
    near = [
        (number, f)
        for number, f in stated
        if abs(claim.paragraph - number) <= MAX_PARAGRAPHS_APART and f.value >= claim.count.value
    ]
    # Any count of the section may be the base, also one written after the share ("chiếm 40% trong tổng
    # số 300 hồ sơ").
    fitting = next((f for _, f in near if claim.fits(f.value)), None)
    if fitting is not None:
        # Compared, and right: said so in the coverage.
        coverage.relations += 1
        coverage.compared.append(f"{claim.count.text}/{fitting.text} = {claim.share.text}")
        return None
    before = [f for number, f in near if (number, f.start) < (claim.paragraph, claim.count.start)]
    # A base two other shares agree on, written or not, may be this share's base too.
    if _agreed_base_fits(claim, others):
        return None
    # Witnesses count the same thing ("người" with "người"): a share of hồ sơ among shares of people may have
    # a base of its own that is not written.
    alike = [c for c in others if c.unit.lower() == claim.unit.lower()]
    supported = [(f, [c for c in alike if c.fits(f.value)]) for f in before]
    supported = [(f, support) for f, support in supported if len(support) >= MIN_SUPPORT]
    if not supported:
        return None
    base, support = max(reversed(supported), key=lambda pair: len(pair[1]))
    coverage.relations += 1
    coverage.compared.append(f"{claim.count.text}/{base.text} = {claim.share.text}")
    exact = claim.count.value / base.value * 100
    computed = format_number(round_half_up(exact, max(claim.places, 1)), 6)
    shown = "; ".join(f"{c.count.text} → {c.share.text}" for c in support[:3])
    message = MSG_LIST_SHARE.format(
        count=claim.count.text,
        unit=f"{claim.unit} " if claim.unit else "",
        given=claim.share.text,
        base=base.text,
        support=shown,
        computed=computed,
    )
    spans = ((claim.count.start, claim.count.end), (claim.share.start, claim.share.end))
    return ProseFinding(
        "narrative.share", "error", message, computed, claim.share.text, claim.paragraph, spans
    )


# "Hòa Bình (86,5%)", "Bộ Công Thương đứng thứ hai với tỷ lệ 99,7%": a name and its rate.
_NAME = rf"(?P<name>(?<![^\W\d_])(?:[{UPPER}][^\W\d_]*\s+){{0,4}}[{UPPER}][^\W\d_]*)"
_NAMED_RATE = re.compile(
    _NAME + r"\s*(?:\(\s*$|(?:đứng\s+thứ\s+[^\W\d_]+\s+)?với\s+(?:(?:tỷ|tỉ)\s+lệ\s+)?(?:là\s+)?$)"
)
_TITLES = frozenset(
    {"bộ", "sở", "tỉnh", "thành", "phố", "huyện", "xã", "phường", "ban", "các", "ngân", "hàng"}
)
# What follows a rate that stands for its name alone: the clause ends ("Hòa Bình (86,5%), …"); a rate followed
# by words ("xã A (92%) về thái độ phục vụ") is of the measure those words name.
_RATE_ENDS_CLAUSE = re.compile(r"\s*\)?\s*(?:[,;.:]|và\b|$)")
_CHANGE_WORDS = re.compile(
    r"\b(?:tăng|giảm|so\s+với|từ|xuống|lên|năm\s+\d|kỳ\s+trước|cùng\s+kỳ)\b", re.IGNORECASE
)


_MEASURE = re.compile(r"\b(?:tỷ|tỉ)\s+lệ\s+((?:[^\W\d_]+\s+){2}[^\W\d_]+)", re.IGNORECASE)


# "tỷ lệ thấp nhất", "tỷ lệ này", "tỷ lệ đạt …": words that rank or point, not a measure's name.
_NOT_A_MEASURE = frozenset(
    {"thấp", "cao", "lớn", "nhỏ", "này", "đó", "trên", "dưới", "đạt", "là", "bình", "chung", "tương", "nhất"}
)


def _another_measure(before: str, between: str) -> bool:
    """Words between the two rates that name a measure the paragraph had not named before the first ("tỷ lệ
    thanh toán trực tuyến" after "tỷ lệ hồ sơ trực tuyến"): the second rate may be of that measure."""
    named = {m.lower() for m in _MEASURE.findall(before)}
    return any(
        m.lower() not in named and m.split()[0].lower() not in _NOT_A_MEASURE
        for m in _MEASURE.findall(between)
    )


def _name_key(name: str) -> str:
    words = name.split()
    while len(words) > 1 and words[0].lower() in _TITLES:
        words = words[1:]
    return " ".join(words).lower()


def check_named_rates(
    paragraphs: Sequence[str], read: Sequence[Sequence[Figure]], coverage: ProseCoverage, first: int
) -> list[ProseFinding]:
    findings = []
    for index, (paragraph, figures) in enumerate(zip(paragraphs, read, strict=True)):
        seen: dict[str, Figure] = {}
        for figure in figures:
            if not figure.percent or figure.approximate or figure.in_range:
                continue
            match = _NAMED_RATE.search(paragraph[max(0, figure.start - 80) : figure.start])
            if match is None or len(match["name"]) < 4:
                continue
            key = _name_key(match["name"])
            earlier = seen.setdefault(key, figure)
            if earlier is figure:
                continue
            coverage.relations += 1
            coverage.compared.append(f"{match['name']}: {earlier.text} = {figure.text}")
            between = paragraph[earlier.end : figure.start]
            if earlier.number == figure.number or _CHANGE_WORDS.search(between):
                continue
            if _another_measure(paragraph[: earlier.start], between):
                continue
            if not all(_RATE_ENDS_CLAUSE.match(paragraph, rate.end) for rate in (earlier, figure)):
                continue
            message = MSG_TWO_RATES.format(name=match["name"].strip(), first=earlier.text, second=figure.text)
            spans = ((earlier.start, earlier.end), (figure.start, figure.end))
            findings.append(
                ProseFinding(
                    "narrative.same_subject",
                    "error",
                    message,
                    earlier.text,
                    figure.text,
                    index + first,
                    spans,
                )
            )
    return findings
