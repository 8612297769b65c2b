"""Find the numbers of the prose that state an item of the definition.

The definition's narrative outline writes each bound number as a placeholder inside its usual wording
("Tiếp nhận {7.2.4.a} hồ sơ, trong đó: Tiếp nhận trực tuyến {7.2.4.b:02} hồ sơ"). The words around each
placeholder are its context; a number of the report whose own surrounding words match that context closely
enough (nearest words first, a one-word shift allowed) is taken to state that item. A number that matches no
context well, or is written as an approximation ("hơn 700"), is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from baocao.core.definition import Definition
from baocao.core.figures import APPROXIMATE_WORDS, read_figures
from baocao.core.numbers import NumberFormatError, parse_number
from baocao.core.templates import PLACEHOLDER_RE

__all__ = ["Bound", "Token", "bind_numbers", "tokenize"]

_TOKEN_RE = re.compile(r"(?P<num>\d+(?:[.,]\d+)*)|(?P<word>[^\W\d_]+)|(?P<sym>[%/])")
APPROXIMATE = APPROXIMATE_WORDS
# Digits that are not a figure (a date, a document number, a level, a year): a token of their own.
_DIGITS = "§"
# Words that give a figure another meaning than a row whose label and wording lack them: "8.606 hồ sơ
# kỳ trước chuyển qua" is not the count received online, "trung cấp lý luận chính trị" is not a
# professional level.
QUALIFIERS = (
    "kỳ trước",
    "chuyển qua",
    "chuyển sang",
    "tồn",
    "lũy kế",
    "cùng kỳ",
    "năm trước",
    "lý luận",
    "chính trị",
    "tin học",
    "ngoại ngữ",
    "quản lý nhà nước",
    "chưa",
    "không đúng",
    "bưu chính",
    "từ đầu năm",
)
HIGH_CONFIDENCE = 0.9
NUMERIC_TYPES = frozenset({"count", "decimal", "percent", "ratio", "count_share"})
_NUM = "#"
# The two tokens nearest before a number must match exactly (words, "%", "/" or another number); then up to
# four words further back, numbers skipped, each found at most two places further than the context has it.
_EXACT = 2
_EXACT_WEIGHT = 1.5
_WORD_WEIGHTS = (0.8, 0.6, 0.5, 0.4)
_AFTER_WEIGHTS = (1.0, 0.5)
_SHIFTED = 0.85
MIN_SCORE = 0.75  # share of the context's weight that must match (the seed's weakest true match: 0.8)


class Token(NamedTuple):
    """A tuple, not a dataclass: a report's prose makes thousands of them, and a tuple is made in a third of
    the time."""

    key: str  # a lower-cased word, "%", "/" or "#" for any number
    start: int
    end: int
    text: str


def tokenize(text: str) -> list[Token]:
    """Words, "%", "/" and numbers; a number is "#" only when the figure reader reads it as a figure."""
    figures = {figure.start: figure.digits for figure in read_figures(text)}
    tokens: list[Token] = []
    append = tokens.append
    for match in _TOKEN_RE.finditer(text):
        start, end = match.span()
        printed = match.group()
        if match.lastgroup == "num":
            # A figure printed as these very digits: its digits are the match, so its end is the match's.
            append(Token(_NUM if figures.get(start) == printed else _DIGITS, start, end, printed))
        else:
            append(Token(printed.lower(), start, end, printed))
    return tokens


@dataclass(frozen=True, slots=True)
class _Context:
    code: str
    before: tuple[str, ...]  # the nearest tokens, nearest first
    words: tuple[str, ...]  # the words further back, nearest first
    after: tuple[str, ...]
    qualifiers: frozenset[str] = frozenset()  # the QUALIFIERS its wording or its row's label hold

    @property
    def weight(self) -> float:
        return (
            _EXACT * _EXACT_WEIGHT
            + sum(_WORD_WEIGHTS[: len(self.words)])
            + sum(_AFTER_WEIGHTS[: len(self.after)])
        )


@dataclass(frozen=True, slots=True)
class Bound:
    code: str
    value: Decimal
    text: str
    paragraph: int
    start: int
    end: int
    score: float

    @property
    def confident(self) -> bool:
        """A close match of the outline's wording; a weaker one is shown but imported only when confirmed."""
        return self.score >= HIGH_CONFIDENCE


_CONTEXTS: dict[tuple[str, int, int], dict[str, list[_Context]]] = {}


def _contexts(definition: Definition) -> dict[str, list[_Context]]:
    """Every bound placeholder of the outline, indexed by its nearest word before."""
    key = (definition.code, definition.version, id(definition))
    cached = _CONTEXTS.get(key)
    if cached is not None:
        return cached
    index: dict[str, list[_Context]] = {}
    for section in definition.sections():
        for paragraph in section.paragraphs:
            keys: list[str | tuple[str]] = []  # a tuple marks an item placeholder
            position = 0
            for match in PLACEHOLDER_RE.finditer(paragraph):
                keys += [token.key for token in tokenize(paragraph[position : match.start()])]
                name = match["name"]
                if name.startswith("@"):
                    keys += [_DIGITS] if name == "@year" or "window" in name else []
                else:
                    keys.append((name,))
                position = match.end()
            keys += [token.key for token in tokenize(paragraph[position:])]
            _add_contexts(definition, keys, index, paragraph.lower())
    _CONTEXTS[key] = index
    return index


def _add_contexts(
    definition: Definition, keys: list[str | tuple[str]], index: dict[str, list[_Context]], wording: str
) -> None:
    flat = [_NUM if isinstance(key, tuple) else key for key in keys]
    for position, key in enumerate(keys):
        if not isinstance(key, tuple):
            continue
        item = definition.by_code.get(key[0])
        if item is None or item.type not in NUMERIC_TYPES:
            continue
        before, words = _split_before(flat[:position][::-1])
        after = tuple(flat[position + 1 : position + 1 + len(_AFTER_WEIGHTS)])
        if len(before) == _EXACT:
            known = f"{wording} {item.label.lower()}"
            allowed = frozenset(q for q in QUALIFIERS if q in known)
            index.setdefault(before[0], []).append(_Context(key[0], before, words, after, allowed))


def _split_before(keys: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The nearest tokens before a number, then the words further back (nearest first)."""
    words = tuple(key for key in keys[_EXACT : _EXACT + 12] if key not in (_NUM, _DIGITS, "%", "/"))
    return tuple(keys[:_EXACT]), words[: len(_WORD_WEIGHTS) + 2]


def _score(context: _Context, before: tuple[str, ...], words: tuple[str, ...], after: list[str]) -> float:
    if before != context.before or (context.after and (not after or after[0] != context.after[0])):
        return 0.0
    matched = _EXACT * _EXACT_WEIGHT
    for k, key in enumerate(context.words[: len(_WORD_WEIGHTS)]):
        if k < len(words) and words[k] == key:
            matched += _WORD_WEIGHTS[k]
        elif key in words[: k + 3]:
            matched += _WORD_WEIGHTS[k] * _SHIFTED  # the same words with one or two others between
    for k, key in enumerate(context.after):
        matched += _AFTER_WEIGHTS[k] if key in after[max(0, k - 1) : k + 2] else 0.0
    return matched / context.weight


def bind_numbers(definition: Definition, paragraphs: list[str]) -> list[Bound]:
    index = _contexts(definition)
    candidates: list[tuple[float, int, int, _Context, Token]] = []
    for number, paragraph in enumerate(paragraphs):
        tokens = tokenize(paragraph)
        keys = [token.key for token in tokens]
        for position, token in enumerate(tokens):
            if token.key != _NUM or position == 0 or keys[position - 1] in APPROXIMATE:
                continue
            contexts = index.get(keys[position - 1])
            if not contexts:
                continue
            before, words = _split_before(keys[max(0, position - 16) : position][::-1])
            after = keys[position + 1 : position + 4]
            clause = _clause(paragraph, token.start, token.end)
            qualifiers = [q for q in QUALIFIERS if q in clause]
            for context in contexts:
                if any(q not in context.qualifiers for q in qualifiers):
                    continue
                score = _score(context, before, words, after)
                if score >= MIN_SCORE:
                    candidates.append((score, number, position, context, token))
    return _assign(candidates)


_CLAUSE_BREAK = re.compile(r"[.;:!?\n]|,\s")
_SENTENCE_BREAK = re.compile(r"[.!?]\s|\n")


def _clause(paragraph: str, start: int, end: int) -> str:
    """The figure's sentence up to the figure and its clause after it, lower-cased."""
    left = max((m.end() for m in _SENTENCE_BREAK.finditer(paragraph, max(0, start - 300), start)), default=0)
    right_match = _CLAUSE_BREAK.search(paragraph, end)
    right = right_match.start() if right_match else len(paragraph)
    return paragraph[left:right].lower()


def _assign(candidates: list[tuple[float, int, int, _Context, Token]]) -> list[Bound]:
    """Best matches first; each number of the prose states one item, each outline placeholder one number."""
    taken_numbers: set[tuple[int, int]] = set()
    taken_contexts: set[int] = set()
    bound: list[Bound] = []
    for score, paragraph, position, context, token in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if (paragraph, position) in taken_numbers or id(context) in taken_contexts:
            continue
        try:
            value = parse_number(token.text)
        except NumberFormatError:
            continue
        if value is None:
            continue
        taken_numbers.add((paragraph, position))
        taken_contexts.add(id(context))
        bound.append(Bound(context.code, value, token.text, paragraph, token.start, token.end, score))
    return sorted(bound, key=lambda b: (b.paragraph, b.start))
