"""Map appendix rows as written onto a definition's items: by STT first, then by label similarity.

A row without STT (the italic numerator and denominator under a ratio, the rows under 6 and 7.1) takes the
next lettered code under the row before it. A row that fits no item well enough is listed as unmapped,
never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from baocao.core.definition import Definition
from baocao.core.schema import ItemSpec
from baocao.legacy.model import TableRow

__all__ = ["Mapped", "Mapping", "map_rows", "printed_stt"]

STT_MIN_SIMILARITY = 0.5  # a row whose STT names an item, with a label at least this close
LABEL_MIN_SIMILARITY = 0.78  # a row found by its label alone
LABEL_MARGIN = 0.04  # ... and clearly closer than the next candidate

_LETTERED = re.compile(r"^(?P<base>.+)\.(?P<letter>[a-z])$")
_PUNCT = re.compile(r"[^\w\s]")


@dataclass(slots=True)
class Mapped:
    row: TableRow
    code: str
    how: str  # "mã", "STT", "dòng con", "nhãn"
    similarity: float


@dataclass(slots=True)
class Mapping:
    mapped: list[Mapped] = field(default_factory=list)
    unmapped: list[TableRow] = field(default_factory=list)

    def values(self) -> dict[str, str]:
        """code → value as written, for every mapped row that takes a value (group rows carry none). A cell
        holding a spreadsheet formula ("=D12/D11*100") states no figure of its own and is left out."""
        return {
            m.code: m.row.value for m in self.mapped if m.how != "nhóm" and not m.row.value.startswith("=")
        }

    def row_of(self, code: str) -> TableRow | None:
        return next((m.row for m in self.mapped if m.code == code), None)


def printed_stt(item: ItemSpec) -> str:
    if item.stt is not None:
        return item.stt
    return "" if _LETTERED.match(item.code) else item.code


def _norm(text: str) -> str:
    return " ".join(_PUNCT.sub(" ", text.lower()).split())


def _norm_stt(text: str) -> str:
    return text.strip().rstrip(".").lower()


_PARENTHESES = re.compile(r"\([^)]*\)?")


@lru_cache(maxsize=16384)
def similarity(a: str, b: str) -> float:
    """How alike two labels are, also with their explanations in parentheses left out (reports often cut
    them: "Tổng số PAKN đã tiếp nhận" for "… (trực tiếp hoặc do cơ quan có thẩm quyền chuyển đến)").
    Remembered: the reports of a folder repeat the same labels against the same form."""
    full = SequenceMatcher(None, _norm(a), _norm(b), autojunk=False).ratio()
    if full >= 0.9 or ("(" not in a and "(" not in b):
        return full
    short_a, short_b = _norm(_PARENTHESES.sub(" ", a)), _norm(_PARENTHESES.sub(" ", b))
    return max(full, SequenceMatcher(None, short_a, short_b, autojunk=False).ratio())


@dataclass(frozen=True)
class _Index:
    items: tuple[ItemSpec, ...]
    position: dict[str, int]
    by_stt: dict[str, ItemSpec]
    lettered: dict[str, tuple[str, ...]]  # base code → its lettered children in order
    norm_labels: dict[str, str]
    labels: dict[str, str]


_INDEXES: dict[tuple[str, int, int], _Index] = {}


def _index(definition: Definition) -> _Index:
    key = (definition.code, definition.version, id(definition))
    cached = _INDEXES.get(key)
    if cached is None:
        cached = _INDEXES[key] = _build_index(definition)
    return cached


def _build_index(definition: Definition) -> _Index:
    items = tuple(item for item in definition.items if item.in_appendix)
    lettered: dict[str, list[str]] = {}
    for item in items:
        match = _LETTERED.match(item.code)
        if match:
            lettered.setdefault(match["base"], []).append(item.code)
    return _Index(
        items=items,
        position={item.code: index for index, item in enumerate(items)},
        by_stt={_norm_stt(printed_stt(item)): item for item in items if printed_stt(item)},
        lettered={base: tuple(codes) for base, codes in lettered.items()},
        norm_labels={item.code: _norm(item.label) for item in items},
        labels={item.code: item.label for item in items},
    )


def map_rows(definition: Definition, rows: list[TableRow]) -> Mapping:
    index = _index(definition)
    result = Mapping()
    used: set[str] = set()
    parent = ""
    last_position = -1
    for row in rows:
        found = _by_code(definition, row, used) or _by_stt(index, row, used)
        if found is None and _norm_stt(row.stt) not in index.by_stt:
            found = _by_letter(index, row, parent, used)
        found = found or _by_label(index, row, used, last_position)
        if found is None:
            result.unmapped.append(row)
            continue
        code, how, score = found
        item = definition.by_code[code]
        used.add(code)
        last_position = index.position.get(code, last_position)
        match = _LETTERED.match(code)
        parent = match["base"] if match else code
        result.mapped.append(Mapped(row, code, "nhóm" if item.type == "group" else how, score))
    return result


def _by_code(definition: Definition, row: TableRow, used: set[str]) -> tuple[str, str, float] | None:
    code = row.code.strip()
    if code and code in definition.by_code and code not in used:
        return code, "mã", 1.0
    return None


def _by_stt(index: _Index, row: TableRow, used: set[str]) -> tuple[str, str, float] | None:
    item = index.by_stt.get(_norm_stt(row.stt)) if row.stt else None
    if item is None or item.code in used:
        return None
    score = similarity(row.label, item.label)
    return (item.code, "STT", score) if score >= STT_MIN_SIMILARITY else None


def _by_letter(index: _Index, row: TableRow, parent: str, used: set[str]) -> tuple[str, str, float] | None:
    for code in index.lettered.get(parent, ()):
        if code in used:
            continue
        score = similarity(row.label, index.labels[code])
        if score >= STT_MIN_SIMILARITY:
            return code, "dòng con", score
    return None


@lru_cache(maxsize=16384)
def _label_score(label: str, target: str) -> float | None:
    """The ratio of two normalised labels, None when the quick upper bounds already fall short."""
    matcher = SequenceMatcher(None, label, target, autojunk=False)
    if matcher.real_quick_ratio() < LABEL_MIN_SIMILARITY or matcher.quick_ratio() < LABEL_MIN_SIMILARITY:
        return None
    return matcher.ratio()


def _by_label(
    index: _Index, row: TableRow, used: set[str], last_position: int
) -> tuple[str, str, float] | None:
    label = _norm(row.label)
    if not label:
        return None
    scored: list[tuple[float, int, str]] = []
    for item in index.items:
        if item.code in used:
            continue
        score = _label_score(label, index.norm_labels[item.code])
        if score is not None:
            scored.append((score, index.position[item.code], item.code))
    scored = [entry for entry in scored if entry[0] >= LABEL_MIN_SIMILARITY]
    if not scored:
        return None
    best = max(score for score, _, _ in scored)
    close = sorted((position, code) for score, position, code in scored if score >= best - LABEL_MARGIN)
    if len(close) == 1:
        return close[0][1], "nhãn", best
    # Same label under several sections (4.2.1, 5.1.1, 5.3.1): the first one after the row before wins.
    after = [code for position, code in close if position > last_position]
    return (after[0], "nhãn", best) if after else None
